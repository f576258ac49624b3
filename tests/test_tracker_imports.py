import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.work.actions import link_work_item
from truenorth.work.imports import ImportFailed, import_work_items, parse_date
from truenorth.work.models import LinkedBy, WorkItem, WorkItemChange

DATA = Path("tests/data/trackers")


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def load(workspace, name: str, file_format: str, **options):
    return import_work_items(workspace, io.StringIO(text(name)), file_format=file_format, **options)


def failure_of(workspace, content: str, file_format: str, **options) -> ImportFailed:
    with pytest.raises(ImportFailed) as failure:
        import_work_items(workspace, io.StringIO(content), file_format=file_format, **options)
    assert not WorkItem.objects.filter(workspace=workspace).exists()
    return failure.value


def test_it_reads_a_jira_export_with_repeated_columns(workspace, team):
    result = load(workspace, "jira.csv", "jira-csv")
    assert (result.created, result.updated) == (5, 0)
    items = {i.external_key: i for i in WorkItem.objects.filter(source="jira")}
    story = items["PLAT-2"]
    assert story.labels == ["erp", "backend"]  # three Labels columns, one empty
    assert (story.points, story.kind, story.project, story.parent_key) == (
        3,
        "Story",
        "PLAT",
        "PLAT-1",
    )
    assert (story.created_on, story.resolved_on) == (date(2025, 9, 3), date(2025, 9, 12))
    assert story.team == team  # Project name "Platform" is a team of the workspace
    assert items["PLAT-1"].due_on == date(2025, 12, 31)
    # "Parent" holds the parent's numeric Issue id; the file turns it into its key.
    assert (items["PLAT-3"].parent_key, items["PLAT-4"].parent_key) == ("PLAT-1", "PLAT-3")
    assert items["FIN-7"].team is None  # no team called "Finance Ops": left blank
    assert items["FIN-7"].created_on == date(2025, 11, 21)


def test_it_reads_a_linear_export(workspace, team):
    result = load(workspace, "linear.csv", "linear-csv")
    assert (result.created, result.updated) == (3, 0)
    first, second = (
        WorkItem.objects.get(external_key="ENG-12"),
        WorkItem.objects.get(external_key="ENG-13"),
    )
    assert first.source == "linear"
    assert (first.labels, first.points, first.team) == (["Feature", "Email"], 3, team)
    assert (first.resolved_on, first.due_on) == (date(2025, 11, 14), date(2025, 11, 30))
    assert (first.project, second.parent_key) == ("Faster approvals", "ENG-12")
    # A cancelled issue is resolved on the day it was cancelled.
    assert WorkItem.objects.get(external_key="DES-4").resolved_on == date(2025, 10, 30)


def test_it_reads_github_rest_issues_and_skips_pull_requests(workspace):
    result = load(workspace, "github-rest.json", "github-json")
    assert (result.created, result.skipped) == (2, 1)
    issue = WorkItem.objects.get(external_key="acme/ledger#41")
    assert (issue.source, issue.status, issue.kind, issue.project) == (
        "github",
        "closed",
        "Bug",
        "acme/ledger",
    )
    assert (issue.labels, issue.parent_key) == (["bug", "erp"], "Reliable sync")
    assert (issue.resolved_on, issue.due_on) == (date(2025, 11, 12), date(2025, 12, 31))
    assert issue.url == "https://github.com/acme/ledger/issues/41"
    assert not WorkItem.objects.filter(external_key__endswith="#42").exists()


def test_it_reads_gh_issue_list_json(workspace):
    load(workspace, "gh-issue-list.json", "github-json")
    issue = WorkItem.objects.get(external_key="acme/reports#7")
    assert (issue.status, issue.labels, issue.due_on) == (
        "open",
        ["enhancement"],
        date(2025, 12, 15),
    )
    assert WorkItem.objects.get(external_key="acme/reports#5").resolved_on == date(2025, 11, 1)


@pytest.mark.parametrize("project, key", [("acme/app", "acme/app#7"), ("", "#7")])
def test_a_github_key_names_the_repository_when_known(workspace, project, key):
    issue = {"number": 7, "title": "Slow export", "state": "OPEN", "createdAt": "2025-11-18"}
    stream = io.StringIO(json.dumps([issue]))
    import_work_items(workspace, stream, file_format="github-json", project=project)
    assert WorkItem.objects.get().external_key == key


@pytest.mark.parametrize(
    "written, day",
    [
        ("21/Nov/25 4:05 PM", date(2025, 11, 21)),
        ("21/Nov/25", date(2025, 11, 21)),
        ("3/Feb/2026 11:59 AM", date(2026, 2, 3)),
        ("21/Dez/25 16:05", date(2025, 12, 21)),
        ("21/déc./25 4:05 PM", date(2025, 12, 21)),
        ("2025-11-21 16:05", date(2025, 11, 21)),
        ("2025-11-21T23:30:00.000-0800", date(2025, 11, 21)),
        ("Fri Nov 21 2025 16:05:00 GMT+0000 (Coordinated Universal Time)", date(2025, 11, 21)),
        ("Nov 21, 2025", date(2025, 11, 21)),
        ("November 21 2025", date(2025, 11, 21)),
        ("Sept. 3, 2026 4:05 PM", date(2026, 9, 3)),
    ],
)
def test_it_reads_tracker_dates(written, day):
    assert parse_date(written) == day


@pytest.mark.parametrize("written", ["21/Foo/25", "yesterday", "21/11", "Foo 21, 2025"])
def test_a_date_it_cannot_read_is_an_error(written):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(written)


def test_a_day_that_does_not_exist_is_named():
    with pytest.raises(ValueError, match="'31/Feb/25 4:05 PM': there is no 31 February 2025$"):
        parse_date("31/Feb/25 4:05 PM")
    with pytest.raises(ValueError, match="'Nov 31 2026': there is no 31 November 2026$"):
        parse_date("Nov 31 2026")


def test_reimporting_updates_in_place_and_records_changes(workspace, team):
    load(workspace, "jira.csv", "jira-csv")
    assert not WorkItemChange.objects.exists()  # nothing on first import
    result = load(workspace, "jira.csv", "jira-csv")
    assert (result.created, result.updated, result.unchanged, result.changes) == (0, 0, 5, 0)

    changed = (
        text("jira.csv")
        .replace(
            "Show sync errors in the inbox,PLAT-3,10003,,Story,In Progress",
            "Show sync errors in the inbox,PLAT-3,10003,,Story,Done",
        )
        .replace(",15/Jan/26,", ",29/Jan/26,")
        .replace(",,5,10001,", ",,8,10001,")
    )
    result = import_work_items(workspace, io.StringIO(changed), file_format="jira-csv")
    assert (result.created, result.updated, result.unchanged, result.changes) == (0, 1, 4, 3)
    assert WorkItem.objects.filter(source="jira").count() == 5
    item = WorkItem.objects.get(external_key="PLAT-3")
    assert (item.status, item.points, item.due_on) == ("Done", 8, date(2026, 1, 29))
    history = {(c.field, c.old_value, c.new_value) for c in item.changes.all()}
    assert history == {
        ("status", "In Progress", "Done"),
        ("points", "5", "8"),
        ("due_on", "2026-01-15", "2026-01-29"),
    }
    assert len({c.changed_at for c in WorkItemChange.objects.all()}) == 1  # the import's time


def test_reimporting_keeps_links_made_by_hand(workspace, team, strategy):
    load(workspace, "linear.csv", "linear-csv")
    item = WorkItem.objects.get(external_key="ENG-12")
    link_work_item(item, strategy["goals"][1])
    WorkItem.objects.filter(pk=item.pk).update(linked_by=LinkedBy.HAND)
    load(workspace, "linear.csv", "linear-csv")
    item.refresh_from_db()
    assert (item.goal, item.linked_by) == (strategy["goals"][1], LinkedBy.HAND)


def test_the_same_key_from_two_trackers_is_two_items(workspace):
    issue = [{"number": 12, "title": "From GitHub", "state": "open"}]
    import_work_items(workspace, io.StringIO(json.dumps(issue)), file_format="github-json")
    load(workspace, "linear.csv", "linear-csv")
    csv_text = "key,title\n#12,From a CSV\n"
    import_work_items(workspace, io.StringIO(csv_text))
    assert sorted(WorkItem.objects.filter(external_key="#12").values_list("source", flat=True)) == [
        "csv",
        "github",
    ]


def test_a_bad_jira_row_is_named_by_its_physical_line(workspace, team):
    # PLAT-2's description spans lines 3 to 6, so PLAT-3 starts on line 7.
    bad = text("jira.csv").replace(",15/Jan/26,", ",32/Jan/26,").replace(",3.0,", ",three,")
    failure = failure_of(workspace, bad, "jira-csv")
    assert [(e.line, e.message) for e in failure.errors] == [
        (3, "points 'three' is not a number"),
        (7, "due '32/Jan/26': there is no 32 January 2026"),
    ]
    assert "  line 7: due '32/Jan/26': there is no 32 January 2026" in failure.report()


def test_a_bad_github_item_is_named_by_its_index_and_number(workspace):
    issues = [
        {"number": 1, "title": "Fine", "state": "open"},
        {"number": 2, "title": "", "state": "open"},
        {"number": 3, "title": "Bad date", "state": "open", "created_at": "last week"},
    ]
    failure = failure_of(workspace, json.dumps(issues), "github-json")
    assert failure.report().splitlines()[1:] == [
        "  item [1] (#2): title is empty",
        "  item [2] (#3): created 'last week' is not a date (use YYYY-MM-DD)",
    ]


@pytest.mark.parametrize(
    "name, file_format, message",
    [
        (
            "linear.csv",
            "jira-csv",
            "this looks like a Linear CSV export (columns ID, Team, Title, …); "
            "use --format linear-csv",
        ),
        (
            "jira.csv",
            "linear-csv",
            "this looks like a Jira CSV export (columns Issue key, Summary, Issue Type, …); "
            "use --format jira-csv",
        ),
        (
            "github-rest.json",
            "jira-csv",
            "this looks like GitHub issues as JSON; use --format github-json",
        ),
        ("jira.csv", "github-json", "use --format jira-csv"),
        (
            "github-error.json",
            "github-json",
            "GitHub answered with an error, not issues: 'Bad credentials'",
        ),
        ("gh-issue-list.json", "csv", "this is JSON, not a CSV file"),
    ],
)
def test_a_file_in_another_format_is_recognised(workspace, name, file_format, message):
    failure = failure_of(workspace, text(name), file_format)
    assert len(failure.errors) == 1
    assert message in failure.errors[0].message
    assert failure.errors[0].line == 0


def test_a_csv_given_as_json_says_it_is_not_json(workspace):
    failure = failure_of(workspace, "key,title\nA-1,One\n", "github-json")
    assert failure.errors[0].message == "this is not JSON (it starts 'key,title'); use --format csv"


def test_a_generic_csv_without_its_columns_suggests_the_tracker_format(workspace):
    failure = failure_of(workspace, text("jira.csv"), "csv")
    assert "missing key (column 'key')" in failure.errors[0].message
    assert "use --format jira-csv" in failure.errors[0].message


@pytest.mark.parametrize(
    "name, source",
    [("jira.csv", "jira"), ("linear.csv", "linear"), ("github-rest.json", "github")],
)
def test_auto_recognises_the_format(workspace, name, source):
    result = load(workspace, name, "auto")
    assert result.created > 0
    assert set(WorkItem.objects.values_list("source", flat=True)) == {source}


def jira_rows(count: int, status=lambda n: "To Do") -> str:
    header = "Summary,Issue key,Issue id,Issue Type,Status,Project name,Created,Labels,Labels,Custom field (Story Points)"
    rows = [
        f"Item {n},BIG-{n},{n},Story,{status(n)},Platform,21/Nov/25 4:05 PM,a,b,{n % 8}"
        for n in range(count)
    ]
    return "\n".join([header, *rows]) + "\n"


def test_a_large_import_does_not_query_per_row(workspace, team, django_assert_max_num_queries):
    rows = 400
    with django_assert_max_num_queries(rows // 10):
        import_work_items(workspace, io.StringIO(jira_rows(rows)), file_format="jira-csv")
    changed = jira_rows(rows, status=lambda n: "Done" if n % 20 == 0 else "To Do")
    with django_assert_max_num_queries(rows // 10):
        result = import_work_items(workspace, io.StringIO(changed), file_format="jira-csv")
    assert (result.created, result.updated, result.changes) == (0, rows // 20, rows // 20)
    assert WorkItem.objects.filter(status="Done").count() == rows // 20


def test_the_cli_imports_a_tracker_export(workspace, team):
    args = ["import", "workitems", str(DATA / "github-rest.json"), "--format", "github-json"]
    result = CliRunner().invoke(main, [*args, "-w", "acme"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 new and updated 0 work items." in result.output
    assert "Skipped 1 pull request." in result.output

    result = CliRunner().invoke(
        main,
        ["import", "workitems", str(DATA / "jira.csv"), "-w", "acme", "--format", "linear-csv"],
    )
    assert result.exit_code == 1
    assert "file: this looks like a Jira CSV export" in result.output


def test_the_cli_reports_changes_on_reimport(workspace, team, tmp_path):
    path = tmp_path / "linear.csv"
    path.write_text(text("linear.csv"), encoding="utf-8")
    args = ["import", "workitems", str(path), "--format", "linear-csv", "-w", "acme"]
    assert CliRunner().invoke(main, args).exit_code == 0
    path.write_text(text("linear.csv").replace(",In Progress,2,", ",Done,2,"), encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert "Recorded 1 change of status, points or dates." in result.output
    assert "Ignored columns: Description, Priority" in result.output  # Linear's, not read
    assert WorkItemChange.objects.get().new_value == "Done"


def test_mapping_is_only_for_the_generic_csv(workspace):
    failure = failure_of(workspace, text("jira.csv"), "jira-csv", mapping={"key": "Issue id"})
    assert "apply only to --format csv" in failure.errors[0].message


def test_points_keep_one_decimal(workspace):
    csv_text = "key,title,points\nA-1,Half,0.5\nA-2,Big,999999.9\nA-3,Too big,1000000\n"
    failure = failure_of(workspace, csv_text, "csv")
    assert [(e.line, e.message) for e in failure.errors] == [
        (4, "points '1000000' is more than 999999.9")
    ]
    import_work_items(workspace, io.StringIO(csv_text.rsplit("A-3", 1)[0]))
    assert WorkItem.objects.get(external_key="A-1").points == Decimal("0.5")


@pytest.mark.parametrize(
    "content, report",
    [
        ("[1]", "item [0]: is not an issue object"),
        ('[{"title": "No number"}]', "item [0]: has no number: not a GitHub issue"),
        ('[{"number": 1, "title": "Cut off"', "file: not JSON: Expecting"),
        ('{"issues": []}', "file: expected a JSON list of issues"),
    ],
)
def test_json_that_is_not_a_list_of_issues_is_refused(workspace, content, report):
    assert report in failure_of(workspace, content, "github-json").report()


def test_it_reads_the_search_apis_wrapped_items(workspace):
    found = {"total_count": 1, "items": [{"number": 3, "title": "Found", "state": "open"}]}
    import_work_items(
        workspace, io.StringIO(json.dumps(found)), file_format="github-json", project="acme/app"
    )
    assert WorkItem.objects.get().external_key == "acme/app#3"


def test_the_cli_refuses_a_file_that_is_not_utf8(workspace, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("key,title\nA-1,Caf\xe9\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["import", "workitems", str(path), "-w", "acme"])
    assert result.exit_code == 1
    assert "file: not a UTF-8 text file" in result.output


def test_auto_lets_the_github_reader_explain_other_json(workspace):
    failure = failure_of(workspace, '{"issues": []}', "auto")
    assert failure.errors[0].message == "expected a JSON list of issues"


def test_a_semicolon_separated_export_is_recognised_and_read(workspace, team):
    rows = csv.reader(io.StringIO(text("linear.csv")))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    result = import_work_items(workspace, io.StringIO(out.getvalue()), file_format="auto")
    assert result.created == 3 and WorkItem.objects.get(external_key="ENG-12").points == 3


def test_on_the_page_a_format_is_chosen_from_the_format_list(workspace):
    failure = failure_of(workspace, text("linear.csv"), "jira-csv", where="page")
    message = failure.errors[0].message
    assert message.endswith("choose “Linear CSV” in the Format list") and "--" not in message
    failure = failure_of(workspace, text("gh-issue-list.json"), "csv", where="page")
    assert "choose “GitHub issues (JSON)” in the Format list" in failure.errors[0].message


LINEAR_HEADER = "ID,Team,Title,Status,Estimate,Created"


def test_every_problem_of_a_linear_row_is_named_at_once(workspace, team):
    content = f"{LINEAR_HEADER}\nENG-1,Platform,Fine,Todo,2,2025-11-01\nENG-2,Platform,Big,Todo,XL,yesterday\n"
    failure = failure_of(workspace, content, "linear-csv")
    assert [(e.line, e.message) for e in failure.errors] == [
        (3, "points 'XL' is not a number"),
        (3, "created 'yesterday' is not a date (use YYYY-MM-DD)"),
    ]


def test_the_result_names_the_export_columns_it_did_not_read(workspace, team):
    result = load(workspace, "linear.csv", "linear-csv")
    assert result.ignored_columns[:3] == ["Description", "Priority", "Project ID"]
    assert "Title" not in result.ignored_columns and "Labels" not in result.ignored_columns
    assert load(workspace, "github-rest.json", "github-json").ignored_columns == []
