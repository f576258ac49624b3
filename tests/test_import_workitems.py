import csv
import io
import itertools
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.strategy.actions import archive_goal, restore_goal
from truenorth.work.actions import link_work_item
from truenorth.work.imports import ImportFailed, import_work_items
from truenorth.work.models import LinkedBy, WorkItem

MAPPING = {
    "key": "Issue key",
    "title": "Summary",
    "status": "Status",
    "points": "Story Points",
    "created": "Created",
    "resolved": "Resolved",
    "url": "Link",
    "team": "Team",
    "initiative": "Epic",
}
GOOD = Path("tests/data/workitems.csv").read_text(encoding="utf-8")


def rows(*lines):
    return io.StringIO("\n".join([GOOD.splitlines()[0], *lines]) + "\n")


def test_it_imports_mapped_columns(workspace, strategy, team):
    result = import_work_items(workspace, io.StringIO(GOOD), MAPPING)
    assert (result.created, result.updated) == (3, 0)
    item = WorkItem.objects.get(external_key="ENG-101")
    assert item.initiative == strategy["initiatives"]["internal"]
    assert (item.points, item.team, str(item.resolved_on)) == (3, team, "2026-09-12")


def test_reimporting_updates_in_place(workspace, strategy, team):
    import_work_items(workspace, io.StringIO(GOOD), MAPPING)
    changed = GOOD.replace("Show sync errors in the inbox,In Progress", "Show sync errors,Done")
    result = import_work_items(workspace, io.StringIO(changed), MAPPING)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert WorkItem.objects.get(external_key="ENG-102").status == "Done"


@pytest.mark.parametrize(
    "line, message",
    [
        (",No key,To Do,,,,,,", "key is empty"),
        ("ENG-9,Bad points,To Do,lots,,,,,", "points 'lots' is not a number"),
        ("ENG-9,Bad date,To Do,,31/02/2026,,,,", "there is no 31 February 2026"),
        ("ENG-9,Bad url,To Do,,,,not a url,,", "is not a web address"),
        ("ENG-9,Unknown team,To Do,,,,,Narnia,", "no team named 'Narnia'"),
        ("ENG-9,Unknown epic,To Do,,,,,,Moonshot", "no initiative named 'Moonshot'"),
        ("ENG-9,Negative,To Do,-2,,,,,", "must be zero or more"),
        ("ENG-9,Year typo,Done,,9999-01-01,,,,", "created 9999-01-01 is not between 2000 and"),
    ],
)
def test_a_bad_row_imports_nothing_and_is_named(workspace, strategy, team, line, message):
    with pytest.raises(ImportFailed) as failure:
        import_work_items(workspace, rows("ENG-8,Fine,To Do,1,,,,,", line), MAPPING)
    assert [(e.line, message in e.message) for e in failure.value.errors] == [(3, True)]
    assert not WorkItem.objects.filter(external_key="ENG-8").exists()


def test_it_reports_every_bad_row_at_once(workspace, strategy, team):
    with pytest.raises(ImportFailed) as failure:
        import_work_items(
            workspace, rows("ENG-7,,x,,,,,,", "ENG-8,Fine,x,,,,,,", "ENG-9,x,x,y,,,,,"), MAPPING
        )
    assert [e.line for e in failure.value.errors] == [2, 4]


def test_a_repeated_key_is_an_error(workspace, strategy, team):
    with pytest.raises(ImportFailed) as failure:
        import_work_items(workspace, rows("ENG-8,One,x,,,,,,", "ENG-8,Two,x,,,,,,"), MAPPING)
    assert failure.value.errors[0].message == "key 'ENG-8' repeats line 2"


def test_a_missing_column_names_the_columns_found(workspace):
    with pytest.raises(ImportFailed) as failure:
        import_work_items(workspace, io.StringIO(GOOD), {"key": "Key"})
    assert "missing key (column 'Key')" in failure.value.report()
    assert "Issue key, Summary" in failure.value.report()


def test_the_cli_reports_bad_rows_and_exits_non_zero(workspace, strategy, team, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD.replace("ENG-102,Show sync errors in the inbox,In Progress,5", "ENG-102,x,y,five")
    )
    args = ["import", "workitems", str(bad), "-w", "acme"]
    for field, column in MAPPING.items():
        args += ["--map", f"{field}={column}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "Nothing imported: 1 problem(s)." in result.output
    assert "line 3: points 'five' is not a number" in result.output
    assert WorkItem.objects.filter(external_key="ENG-101").count() == 0

    result = CliRunner().invoke(main, [*args[:2], "tests/data/workitems.csv", *args[3:]])
    assert result.exit_code == 0, result.output
    assert "Imported 3 new and updated 0 work items." in result.output


def test_the_cli_rejects_a_malformed_mapping(workspace):
    result = CliRunner().invoke(
        main, ["import", "workitems", "tests/data/workitems.csv", "--map", "title"]
    )
    assert result.exit_code == 2
    assert "is not FIELD=COLUMN" in result.output


def test_it_reads_the_tracker_fields_from_a_generic_csv(workspace):
    text = "key,title,due,kind,project,parent,labels\nA-1,One,2026-03-01,Bug,core,A-0,ui; api\n"
    import_work_items(workspace, io.StringIO(text))
    item = WorkItem.objects.get(external_key="A-1")
    assert (str(item.due_on), item.kind, item.project, item.parent_key) == (
        "2026-03-01",
        "Bug",
        "core",
        "A-0",
    )
    assert item.labels == ["ui", "api"]


def test_a_link_in_the_file_is_applied_and_no_link_keeps_the_editors(workspace, strategy, team):
    import_work_items(workspace, io.StringIO(GOOD), MAPPING)
    item = WorkItem.objects.get(external_key="ENG-102")  # no epic in the file
    assert item.linked_by == ""
    link_work_item(item, strategy["goals"][1])
    WorkItem.objects.filter(pk=item.pk).update(linked_by=LinkedBy.HAND)
    import_work_items(workspace, io.StringIO(GOOD), MAPPING)
    item.refresh_from_db()
    assert (item.goal, item.linked_by) == (strategy["goals"][1], LinkedBy.HAND)

    relinked = GOOD.replace(
        "Show sync errors in the inbox,In Progress,5,2026-09-03,,,Platform,",
        "Show sync errors in the inbox,In Progress,5,2026-09-03,,,Platform,Internal initiative",
    )
    import_work_items(workspace, io.StringIO(relinked), MAPPING)
    item.refresh_from_db()
    assert (item.initiative, item.goal) == (strategy["initiatives"]["internal"], None)
    assert item.linked_by == LinkedBy.IMPORT
    assert WorkItem.objects.get(external_key="ENG-101").linked_by == LinkedBy.IMPORT


def test_key_from_row_numbers_the_rows(workspace):
    text = 'title,created\n"Two\nlines",2023-08-26 06:33:37\nSecond,\n'
    result = import_work_items(workspace, io.StringIO(text), key_from_row=True)
    assert result.keys == ["row-1", "row-2"]
    assert str(WorkItem.objects.get(external_key="row-1").created_on) == "2023-08-26"


EVALDATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
needs_evaldata = pytest.mark.skipif(not EVALDATA.exists(), reason="no shared/evaldata here")


def first_records(path: Path, count: int, tmp_path: Path) -> Path:
    """The header and the first `count` records of a real CSV (records may span lines)."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as stream:
        records = list(itertools.islice(csv.reader(stream), count + 1))
    sample = tmp_path / path.name
    with sample.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(records)
    return sample


@needs_evaldata
def test_it_imports_the_real_jira_story_points_data(workspace, tmp_path):
    sample = first_records(EVALDATA / "jira-storypoints" / "mesos.csv", 300, tmp_path)
    args = ["import", "workitems", str(sample), "-w", "acme", "--source", "jira"]
    args += ["--map", "key=issuekey", "--map", "title=title", "--map", "points=storypoint"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Imported 300 new" in result.output
    first = WorkItem.objects.get(source="jira", external_key="MESOS-313")
    assert (first.title, first.points) == (
        "Report executor terminations to framework schedulers.",
        2,
    )
    assert WorkItem.objects.filter(points__isnull=False).count() == 300


@needs_evaldata
def test_it_imports_the_real_github_issues_data_keyed_by_row(workspace, tmp_path):
    sample = first_records(EVALDATA / "github-issues" / "issues_train.csv", 200, tmp_path)
    args = ["import", "workitems", str(sample), "-w", "acme", "--key-from-row"]
    for field, column in [
        ("title", "title"),
        ("created", "created_at"),
        ("project", "repo"),
        ("labels", "label"),
    ]:
        args += ["--map", f"{field}={column}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert WorkItem.objects.count() == 200
    first = WorkItem.objects.get(external_key="row-1")
    assert (first.project, first.labels, str(first.created_on)) == (
        "facebook/react",
        ["bug"],
        "2023-08-26",
    )
    assert set(WorkItem.objects.values_list("project", flat=True)) <= {
        "facebook/react",
        "tensorflow/tensorflow",
        "microsoft/vscode",
        "bitcoin/bitcoin",
        "opencv/opencv",
    }


def test_a_semicolon_separated_csv_is_read(workspace, team):
    # Excel writes ";" between cells where "," is the decimal point, as for People and Roadmap.
    text = "Ticket;Summary;State;Squad;Goal\nT-1;Retry syncs;Open;Platform;\n"
    mapping = {"key": "Ticket", "title": "Summary", "status": "State", "team": "Squad"}
    result = import_work_items(workspace, io.StringIO(text), mapping)
    item = WorkItem.objects.get(external_key="T-1")
    assert result.created == 1 and (item.title, item.status, item.team) == (
        "Retry syncs",
        "Open",
        team,
    )


def test_a_header_read_as_one_column_names_its_separator(workspace):
    text = '"Ticket;Summary;State"\nT-1;Retry syncs;Open\n'
    with pytest.raises(ImportFailed) as failure:
        import_work_items(workspace, io.StringIO(text), {"key": "Ticket", "title": "Summary"})
    message = failure.value.errors[0].message
    assert "columns found: Ticket;Summary;State (one column: the file seems to separate" in message
    assert "with semicolons" in message


def test_every_problem_of_a_row_is_named_at_once(workspace, strategy, team):
    with pytest.raises(ImportFailed) as failure:
        import_work_items(
            workspace, rows("ENG-7,Fine,x,lots,last week,,not a link,Nobody,"), MAPPING
        )
    messages = [(e.line, e.message.split(" ")[0]) for e in failure.value.errors]
    assert messages == [(2, "points"), (2, "url"), (2, "created"), (2, "no")]
    assert not WorkItem.objects.filter(external_key="ENG-7").exists()


def test_a_repeated_key_and_the_rows_other_problems_are_named_together(workspace, strategy, team):
    with pytest.raises(ImportFailed) as failure:
        import_work_items(workspace, rows("ENG-8,One,x,,,,,,", "ENG-8,Two,x,many,,,,,"), MAPPING)
    assert [e.message.split(" ")[0] for e in failure.value.errors] == ["key", "points"]


def test_the_result_names_the_columns_it_did_not_read(workspace, strategy, team):
    text = "Issue key,Summary,Sprint,Owner\nENG-7,Retry syncs,12,Ada\n"
    mapping = {"key": "Issue key", "title": "Summary"}
    result = import_work_items(workspace, io.StringIO(text), mapping)
    assert result.ignored_columns == ["Sprint", "Owner"]


def refusal(workspace, text: str, mapping=None, **options) -> str:
    with pytest.raises(ImportFailed) as refused:
        import_work_items(workspace, io.StringIO(text), mapping, **options)
    return refused.value.report()


@pytest.mark.parametrize(
    "text, line",
    [
        ("key,title,status\nX-3,Fix totals, rounding and tax,Done\n", "line 2: the row has 4"),
        ("key;title;labels\nX-3;Dedupe vendors;dedupe;erp\n", "line 2: the row has 4"),
    ],
)
def test_a_row_wider_than_its_header_is_refused_not_read_shifted(workspace, text, line):
    report = refusal(workspace, text)
    assert line in report and "values but the header has 3 columns" in report
    assert "inside a value needs the value in double quotes" in report
    assert not WorkItem.objects.exists()


def test_trailing_empty_cells_and_repeated_columns_are_still_read(workspace):
    text = "Issue key,Summary,Issue Type,Labels,Labels\nX-1,One,Story,erp,dedupe,,\nX-2,Two,,,,\n"
    assert import_work_items(workspace, io.StringIO(text), file_format="jira-csv").created == 2
    assert WorkItem.objects.get(external_key="X-1").labels == ["erp", "dedupe"]


def test_a_mapped_column_the_file_lacks_is_refused_and_changes_nothing(workspace):
    text = "Ticket,Summary,When\nX-1,Row one,2026-12-01\n"
    mapping = {"key": "Ticket", "title": "Summary"}
    import_work_items(workspace, io.StringIO(text), {**mapping, "created": "When"})
    report = refusal(workspace, text, {**mapping, "created": "Whenn"})
    assert "missing created (column 'Whenn')" in report and "When" in report
    assert str(WorkItem.objects.get().created_on) == "2026-12-01"


def test_a_file_without_a_column_leaves_that_field_as_it_was(workspace, team):
    jira = "Issue key,Summary,Issue Type,Project key,Project name,Status,Labels,Labels\n"
    jira += f"INT-1,Sync bills,Story,INT,{team.name},To Do,erp,dedupe\n"
    import_work_items(workspace, io.StringIO(jira), file_format="jira-csv")
    sheet = "key,title,status\nINT-1,Sync bills,Done\n"
    result = import_work_items(workspace, io.StringIO(sheet), source="jira")
    assert (result.updated, result.changes) == (1, 1)
    item = WorkItem.objects.get()
    assert (item.status, item.kind, item.project, item.team) == ("Done", "Story", "INT", team)
    assert item.labels == ["erp", "dedupe"]
    emptied = "key,title,status,labels\nINT-1,Sync bills,Done,\n"
    import_work_items(workspace, io.StringIO(emptied), source="jira")
    assert WorkItem.objects.get().labels == []  # an empty cell is an empty value


def test_a_semicolon_sheet_takes_decimal_commas_dotted_dates_and_goal_ranks(workspace, strategy):
    goal = strategy["goals"][1]
    text = f"key;title;points;created;goal\nX-1;Dedupe vendors;3,5;03.12.2026;#{goal.rank}\n"
    import_work_items(workspace, io.StringIO(text))
    item = WorkItem.objects.get(external_key="X-1")
    assert (str(item.points), str(item.created_on), item.goal) == ("3.5", "2026-12-03", goal)


def test_a_comma_file_does_not_read_a_comma_as_a_decimal_point(workspace):
    report = refusal(workspace, 'key,title,points\nX-1,Dedupe,"3,5"\n')
    assert "points '3,5' is not a number" in report


def test_a_day_that_does_not_exist_is_named(workspace):
    report = refusal(workspace, "key,title,created\nX-1,Dedupe,2026-02-30\n")
    assert "created '2026-02-30': there is no 30 February 2026" in report


def test_reimporting_an_unchanged_file_counts_the_items_unchanged(workspace, strategy, team):
    import_work_items(workspace, io.StringIO(GOOD), MAPPING)
    result = import_work_items(workspace, io.StringIO(GOOD), MAPPING)
    assert (result.updated, result.unchanged) == (0, 3)
    runner = CliRunner()
    path = Path(sys.prefix).parent / "tests/data/workitems.csv"
    maps = [arg for name, column in MAPPING.items() for arg in ("--map", f"{name}={column}")]
    out = runner.invoke(main, ["import", "workitems", str(path), "-w", "acme", *maps]).output
    assert "Imported 0 new and updated 0 work items (3 unchanged)." in out


def test_the_cli_names_each_link_the_file_moved(workspace, strategy, tmp_path):
    faster, fewer = strategy["goals"]
    sheet = tmp_path / "clean.csv"
    sheet.write_text("key,title,goal\nENG-6,Approve bills from Slack,#1\nENG-8,Chore,\n")
    runner = CliRunner()
    first = runner.invoke(main, ["import", "workitems", str(sheet), "-w", "acme"]).output
    assert "moved the link" not in first  # new items: no link of theirs moved
    archive_goal(faster)
    restore_goal(faster)  # back as #2: "#1" is now the other goal
    again = runner.invoke(main, ["import", "workitems", str(sheet), "-w", "acme"]).output
    assert "Imported 0 new and updated 1 work items (1 unchanged)." in again
    assert "The file moved the link of 1 item (a goal's rank is read as of today):" in again
    assert "  ENG-6: from goal #2 Faster close to goal #1 Fewer manual touches" in again
    assert WorkItem.objects.get(external_key="ENG-6").goal == fewer


def test_a_decimal_comma_in_a_comma_separated_file_says_how_to_write_it(workspace, team):
    with pytest.raises(ImportFailed) as failure:
        import_work_items(workspace, rows('ENG-9,Half,To Do,"3,5",,,,,'), MAPPING)
    assert [e.message for e in failure.value.errors] == [
        "points '3,5' is not a number (write 3.5: a comma separates the columns)"
    ]
