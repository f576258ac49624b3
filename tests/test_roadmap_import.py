"""Importing the roadmap from Jira Product Discovery, Productboard, Aha! and spreadsheets."""

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from truenorth.cli import main
from truenorth.notifications import audience
from truenorth.notifications.models import Event, Notification
from truenorth.roadmap import overruns
from truenorth.roadmap.actions import set_status_mapping
from truenorth.roadmap.imports import ImportFailed, import_roadmap, parse_date
from truenorth.roadmap.models import Initiative, InitiativeChange, RoadmapStatusMapping
from truenorth.workspaces.models import Function, Person, Team

JPD = """Key,Summary,Status,Goals,Project target,Description
IDEA-1,Bank feeds,Delivery,Faster close,2026-12-01,Manual CSV uploads
IDEA-2,Auto-match,Discovery,2,,
"""
PRODUCTBOARD = """Feature ID,Feature name,Feature description,Status,Timeframe
pb-1,Bank feeds,Manual uploads,In progress,Q4 2026
pb-2,Auto-match,,Candidate,Jan 1 2027 - Mar 31 2027
"""
AHA = """Feature reference #,Feature name,Feature status,Release date,Goals
APP-12,Bank feeds,In development,21/11/2026,Faster close
APP-13,Auto-match,Shipped,2026-06-30,
"""
SPREADSHEET = """key,title,problem,goal,status,partner visible,target date
R-1,Bank feeds,Manual uploads,#1,committed,yes,2026-12-01
R-2,Auto-match,,,exploring,no,
"""
JPD_STATUSES = {"Delivery": "in_progress", "Discovery": "exploring"}


def imported(workspace, text, **options):
    return import_roadmap(workspace, text, **options)


@pytest.mark.parametrize(
    "text, source, statuses, targets",
    [
        (JPD, "jpd", JPD_STATUSES, {"IDEA-1": date(2026, 12, 1), "IDEA-2": None}),
        (
            PRODUCTBOARD,
            "productboard",
            {"Candidate": "exploring"},
            {"pb-1": date(2026, 12, 31), "pb-2": date(2027, 3, 31)},
        ),
        (
            AHA,
            "aha",
            {"In development": "in_progress"},
            {"APP-12": date(2026, 11, 21), "APP-13": date(2026, 6, 30)},
        ),
        (SPREADSHEET, "csv", {}, {"R-1": date(2026, 12, 1), "R-2": None}),
    ],
)
def test_it_recognises_each_tools_export(workspace, strategy, text, source, statuses, targets):
    result = imported(workspace, text, statuses=statuses)
    assert (result.file_format, result.created) == (source, 2)
    initiatives = {i.source_key: i for i in workspace.initiatives.filter(source=source)}
    assert {k: i.target_date for k, i in initiatives.items()} == targets
    assert {i.title for i in initiatives.values()} == {"Bank feeds", "Auto-match"}


def test_it_reads_goal_status_visibility_and_problem(workspace, strategy):
    imported(workspace, SPREADSHEET)
    feeds = Initiative.objects.get(source_key="R-1")
    assert (feeds.goal, feeds.status, feeds.visibility) == (
        strategy["goals"][0],
        "committed",
        "partner",
    )
    assert (feeds.problem, feeds.key) == ("Manual uploads", "R-1")
    assert Initiative.objects.get(source_key="R-2").visibility == "internal"


def test_an_explicit_mapping_reads_other_columns(workspace, strategy):
    text = "Ref,Initiative name,Stage,When\nX-1,Bank feeds,planned,2027-01-31\n"
    mapping = {"key": "Ref", "title": "Initiative name", "target": "When"}
    result = imported(workspace, text, file_format="csv", mapping=mapping)
    assert result.created == 1
    assert Initiative.objects.get(source_key="X-1").target_date == date(2027, 1, 31)


def test_a_missing_column_names_the_columns_found_and_the_way_out(workspace):
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, "Ref,Heading\nX-1,Bank feeds\n")
    assert "columns found: Ref, Heading" in failed.value.report()
    assert "--map" in failed.value.report()


def test_unmapped_statuses_are_listed_with_their_rows_and_nothing_is_saved(workspace, strategy):
    text = JPD + "IDEA-3,Payroll,Delivery,,2027-01-31,\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text)
    assert failed.value.unmapped == {"Delivery": ["line 2", "line 4"], "Discovery": ["line 3"]}
    assert '--status "Delivery=in_progress"' in failed.value.report()
    assert not workspace.initiatives.filter(source="jpd").exists()
    # Mapped once on the page, the same file then goes in.
    set_status_mapping(workspace, "delivery", "in_progress")
    set_status_mapping(workspace, "Discovery", "exploring")
    assert imported(workspace, text).created == 3


def test_statuses_given_with_the_import_are_kept_for_the_workspace(workspace, strategy):
    imported(workspace, JPD, statuses={"Delivery": "in progress", "Discovery": "exploring"})
    kept = {m.source_status: m.status for m in workspace.roadmap_status_mappings.all()}
    assert kept == {"Delivery": "in_progress", "Discovery": "exploring"}


def test_bad_rows_import_nothing_and_each_is_named(workspace, strategy):
    text = (
        "key,title,goal,status,target date,partner visible\n"
        "R-1,Bank feeds,Unknown goal,planned,2026-12-01,yes\n"
        "R-2,,1,planned,32/13/2026,maybe\n"
        "R-1,Again,1,planned,,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text)
    found = {(p.line, p.column, p.value) for p in failed.value.problems}
    assert found == {
        (2, "goal", "Unknown goal"),
        (3, "title", ""),
        (3, "target date", "32/13/2026"),
        (3, "partner visible", "maybe"),
        (4, "key", "R-1"),
    }
    assert "line 3, target date '32/13/2026': not a date" in failed.value.report()
    assert not Initiative.objects.filter(source="csv").exists()


@pytest.mark.parametrize("cell", ["maybe", "y es", "Partner only"])
def test_a_partner_visible_cell_not_read_lists_the_words_it_takes(workspace, strategy, cell):
    text = f"key,title,partner visible\nR-1,Bank feeds,yes\nR-2,Auto-match,{cell}\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text)
    assert (
        f"line 3, partner visible {cell!r}: partner-visible is not one of yes, y, true, 1, x, "
        "partner, partners, shared (shared with partners); no, n, false, 0, internal, private "
        "(internal); public (partners and customers); or leave it empty" in failed.value.report()
    )
    # Each word listed is read.
    for word in ("Partner", "SHARED", "private", "public", "0"):
        assert imported(workspace, f"key,title,partner visible\nR-1,Bank feeds,{word}\n")


def test_a_status_not_mapped_lists_the_statuses_it_may_be_mapped_to(workspace, strategy):
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, "key,title,status\nR-1,Bank feeds,Now\n")
    assert (
        "  status 'Now' is not mapped to a roadmap status (line 2): map it to one of exploring, "
        'planned, committed, in progress, shipped, dropped; e.g. --status "Now=in_progress"'
    ) in failed.value.report().splitlines()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b",,\nR-1,x,y\n", "no header row"),
        (b"key,title\n", "a header but no rows"),
        ("key,title\nR-1,Caf\u00e9\n".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_a_bad_file_is_a_clear_message(workspace, client_for, users, data, message):
    from truenorth.roadmap.imports import decode

    with pytest.raises(ImportFailed) as failed:
        imported(workspace, decode(data))
    assert message in failed.value.report()
    page = client_for("editor").post(
        "/w/acme/roadmap/import/",
        {"action": "import", "file_format": "auto", "file": SimpleUploadedFile("r.csv", data)},
    )
    assert page.status_code == 400
    if data:  # an empty upload is refused by the form itself
        assert message in page.content.decode()


def test_semicolons_and_a_byte_order_mark_are_read(workspace):
    from truenorth.roadmap.imports import decode

    text = decode("\ufeffkey;title;status\nR-1;Bank feeds;planned\n".encode())
    assert imported(workspace, text).created == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-21", date(2026, 11, 21)),
        ("21/11/2026", date(2026, 11, 21)),
        ("11/21/2026", date(2026, 11, 21)),
        ("Nov 21, 2026", date(2026, 11, 21)),
        ("21 November 2026", date(2026, 11, 21)),
        ("21/Nov/26", date(2026, 11, 21)),
        ("Q3 2026", date(2026, 9, 30)),
        ("2026-Q1", date(2026, 3, 31)),
        ("2026-02", date(2026, 2, 28)),
        ("Nov 2026", date(2026, 11, 30)),
        ("2026-10-01 - 2026-12-15", date(2026, 12, 15)),
    ],
)
def test_dates_in_the_shapes_tools_write_them(text, expected):
    assert parse_date(text) == expected


def test_past_changes_in_the_file_are_dated_and_read_by_overruns(workspace):
    text = (
        "key,title,status,target date,previous status,status changed,"
        "previous target date,target changed\n"
        "R-1,Bank feeds,committed,2025-06-01,planned,2025-01-10,2025-03-01,2025-02-15\n"
    )
    result = imported(workspace, text)
    assert result.history == 2
    initiative = Initiative.objects.get(source_key="R-1")
    changes = [
        (c.field, c.old_value, c.new_value, c.changed_at.date()) for c in initiative.changes.all()
    ]
    assert changes == [
        ("status", "planned", "committed", date(2025, 1, 10)),
        ("target_date", "2025-03-01", "2025-06-01", date(2025, 2, 15)),
    ]
    overrun = overruns.initiative_overrun(initiative, today=date(2025, 5, 1))
    assert overrun.planned_date == date(2025, 3, 1)
    assert [(m.kind, m.days) for m in overrun.slips] == [("slip", 92)]
    summary = overruns.overrun_summary(workspace, today=date(2025, 5, 1))
    assert summary["trend"][0] == ("2025-Q1", 1, 92)  # counted in the quarter it happened


HISTORY = """key,date,field,old value,new value
R-1,2025-01-10,status,exploring,committed
R-1,2025-02-15,target date,2025-03-01,2025-04-01
R-1,2025-04-20,target date,2025-04-01,2025-06-01
"""


def test_a_history_file_is_recorded_on_its_dates(workspace):
    text = "key,title,status,target date\nR-1,Bank feeds,committed,2025-06-01\n"
    assert imported(workspace, text, history=HISTORY).history == 3
    initiative = Initiative.objects.get(source_key="R-1")
    overrun = overruns.initiative_overrun(initiative, today=date(2025, 5, 1))
    assert overrun.committed and overrun.planned_date == date(2025, 3, 1)
    assert [m.days for m in overrun.slips] == [31, 61]


def test_history_of_an_initiative_imported_before_and_not_in_the_file_is_recorded(workspace):
    imported(workspace, "key,title,status,target date\nR-1,Bank feeds,committed,2025-06-01\n")
    other = "key,title\nR-2,Auto-match\n"
    assert imported(workspace, other, history=HISTORY).history == 3
    assert Initiative.objects.get(source_key="R-1").changes.count() == 3
    assert imported(workspace, other, history=HISTORY).history == 0  # each once


def test_history_for_an_unknown_key_or_a_bad_field_is_refused(workspace):
    text = "key,title\nR-1,Bank feeds\n"
    history = "key,date,field,old value,new value\nR-9,2025-01-10,status,planned,committed\n"
    history += "R-1,2025-01-11,owner,Ada,Grace\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text, history=history)
    assert {(p.file, p.line, p.column) for p in failed.value.problems} >= {("history", 3, "field")}
    assert not Initiative.objects.exists()
    history = "key,date,field,old value,new value\nR-9,2025-01-10,status,planned,committed\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text, history=history)
    assert "no initiative with this key" in failed.value.report()
    assert not Initiative.objects.exists()


def test_every_problem_of_both_files_is_named_at_once(workspace):
    text = "key,title,target date\nR-1,Bank feeds,someday\n"
    history = "key,date,field,old value,new value\nR-9,2025-01-10,status,planned,committed\n"
    history += "R-1,last year,target date,soon,2025-02-01\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text, history=history)
    found = [(p.file, p.line, p.column, p.value) for p in failed.value.problems]
    assert found == [
        ("", 2, "target date", "someday"),
        ("history", 2, "key", "R-9"),
        ("history", 3, "date", "last year"),
        ("history", 3, "old value", "soon"),
    ]
    assert not Initiative.objects.exists()


def test_the_result_names_the_columns_it_did_not_read(workspace, strategy):
    text = "Key,Summary,Goals,Votes,\nIDEA-1,Bank feeds,Faster close,12,\n"
    assert imported(workspace, text).ignored_columns == ["Votes"]


def test_reimporting_updates_in_place_and_records_only_what_changed(workspace, strategy):
    text = "key,title,status,target date\nR-1,Bank feeds,committed,2025-06-01\n"
    imported(workspace, text, history=HISTORY)
    again = imported(workspace, text, history=HISTORY)
    assert (again.created, again.updated, again.unchanged, again.history, again.changes) == (
        0,
        0,
        1,
        0,
        0,
    )
    assert InitiativeChange.objects.count() == 3
    moved = text.replace("2025-06-01", "2025-07-01")
    later = imported(workspace, moved, history=HISTORY)
    assert (later.updated, later.changes, later.history) == (1, 1, 0)
    assert Initiative.objects.filter(source_key="R-1").count() == 1
    latest = InitiativeChange.objects.order_by("-changed_at").first()
    assert (latest.old_value, latest.new_value) == ("2025-06-01", "2025-07-01")
    assert latest.changed_at.date() > date(2025, 12, 31)  # dated now: the import saw it


def test_a_change_the_file_dates_is_not_recorded_twice(workspace):
    text = "key,title,status,target date\nR-1,Bank feeds,planned,2025-03-01\n"
    imported(workspace, text)
    history = "key,date,field,old value,new value\nR-1,2025-02-15,target,2025-03-01,2025-04-01\n"
    result = imported(workspace, text.replace("2025-03-01", "2025-04-01"), history=history)
    assert (result.history, result.changes) == (1, 0)
    change = InitiativeChange.objects.get()
    assert change.changed_at.date() == date(2025, 2, 15)


def test_a_blank_cell_leaves_the_value_as_it_is(workspace, strategy):
    imported(workspace, SPREADSHEET)
    text = "key,title,goal,status,target date\nR-1,Bank feeds,,,\n"
    result = imported(workspace, text)
    feeds = Initiative.objects.get(source_key="R-1")
    assert (result.unchanged, feeds.goal, feeds.status) == (1, strategy["goals"][0], "committed")
    assert feeds.target_date == date(2026, 12, 1)


def test_a_team_column_sets_each_initiatives_team_and_overruns_count_it(workspace):
    payments = Team.objects.create(workspace=workspace, name="Payments")
    ledger = Team.objects.create(workspace=workspace, name="Ledger")
    text = (
        "Key,Title,Team,Status,Target date\n"
        "R-1,Bank feeds,payments,committed,2026-12-01\n"
        "R-2,Auto-match, LEDGER ,committed,2026-12-01\n"
        "R-3,Payroll,,committed,2026-12-01\n"
    )
    assert imported(workspace, text).ignored_columns == []
    teams = {i.source_key: i.team for i in Initiative.objects.all()}
    assert teams == {"R-1": payments, "R-2": ledger, "R-3": None}
    counted = {
        row["team"]: row["initiatives"] for row in overruns.overrun_summary(workspace)["teams"]
    }
    assert counted == {"Ledger": 1, "Payments": 1, "": 1}
    # Importing again: a new name moves it, an empty cell leaves the team it has.
    again = text.replace("payments", "Ledger").replace(" LEDGER ", "")
    result = imported(workspace, again)
    assert (result.updated, result.unchanged) == (1, 2)
    teams = {i.source_key: i.team for i in Initiative.objects.all()}
    assert teams == {"R-1": ledger, "R-2": ledger, "R-3": None}


def test_an_unknown_team_is_named_with_the_way_out_and_nothing_is_imported(
    workspace, client_for, users
):
    Team.objects.create(workspace=workspace, name="Payments")
    text = "key,title,team\nR-1,Bank feeds,Paymnets\nR-2,Auto-match,Warehouse\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text)
    found = {(p.line, p.column, p.value) for p in failed.value.problems}
    assert found == {(2, "team", "Paymnets"), (3, "team", "Warehouse")}
    report = failed.value.report()
    assert "line 2, team 'Paymnets': no team of this workspace has this name" in report
    assert "did you mean 'Payments'?" in report
    assert (
        "'Warehouse': no team of this workspace has this name (its teams: Engineering, " in report
    )
    assert "add the team under Teams first, or leave the cell empty" in report
    assert not Initiative.objects.exists()
    page = upload(client_for("editor"), text)
    assert page.status_code == 400
    assert "did you mean" in page.content.decode() and not Initiative.objects.exists()


def test_an_archived_team_takes_no_new_initiative_but_one_keeps_it(workspace):
    old = Team.objects.create(workspace=workspace, name="Old payments")
    text = "key,title,team\nR-1,Bank feeds,Old payments\n"
    imported(workspace, text)  # still a team when the roadmap first came in
    old.archived = True
    old.save()
    assert imported(workspace, text).unchanged == 1
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text + "R-2,Auto-match,old payments\n")
    [problem] = failed.value.problems
    assert (problem.line, problem.value) == (3, "Old payments")
    assert "archived" in problem.why
    assert Initiative.objects.count() == 1


def test_a_shipped_initiative_ships_on_the_day_the_history_says(workspace):
    text = "key,title,status,target date,previous status,status changed\n"
    text += "R-1,Bank feeds,shipped,2025-03-01,in progress,2025-03-20\n"
    imported(workspace, text)
    assert Initiative.objects.get().actual_date == date(2025, 3, 20)


# The page


def upload(client, text, **data):
    file = SimpleUploadedFile("roadmap.csv", text.encode())
    return client.post(
        "/w/acme/roadmap/import/",
        {"action": "import", "file_format": "auto", "file": file, **data},
    )


def test_the_roadmap_links_to_the_import_for_writers_only(client_for, strategy):
    assert (
        "/w/acme/roadmap/import/" in client_for("editor").get("/w/acme/roadmap/").content.decode()
    )
    assert (
        "/w/acme/roadmap/import/"
        not in client_for("member").get("/w/acme/roadmap/").content.decode()
    )


def test_an_editor_imports_a_file(client_for, strategy):
    response = upload(client_for("editor"), SPREADSHEET)
    assert response.status_code == 302
    assert Initiative.objects.filter(source="csv").count() == 2
    feeds = Initiative.objects.get(source_key="R-1")
    page = client_for("member").get(f"/w/acme/roadmap/{feeds.pk}/").content.decode()
    assert "Imported from" in page and "spreadsheet (R-1)" in page


def test_the_page_reports_bad_rows(client_for, strategy):
    response = upload(client_for("editor"), "key,title,target date\nR-1,Bank feeds,someday\n")
    page = response.content.decode()
    assert response.status_code == 400
    assert "line 2" in page and "someday" in page and "not a date" in page


def test_unmapped_statuses_are_mapped_on_the_page_and_the_file_imported_again(
    client_for, workspace, strategy
):
    client = client_for("editor")
    response = upload(client, JPD)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'name="map-0-source_status"' in page
    assert '<option value="in_progress" selected>' in page  # "Delivery" suggested
    form = response.context["form"]
    assert "IDEA-1" in form.initial["text"]
    retry = {
        "action": "import",
        "file_format": "auto",
        "text": form.initial["text"],
        "map-0-source_status": "Delivery",
        "map-0-status": "in_progress",
        "map-1-source_status": "Discovery",
        "map-1-status": "exploring",
    }
    response = client.post("/w/acme/roadmap/import/", retry)
    assert response.status_code == 302
    assert workspace.initiatives.filter(source="jpd").count() == 2
    assert RoadmapStatusMapping.objects.filter(workspace=workspace).count() == 2


def test_an_editor_sets_and_removes_a_status_mapping(client_for, workspace):
    client = client_for("editor")
    data = {"action": "mapping", "source_status": "Now", "status": "in_progress"}
    assert client.post("/w/acme/roadmap/import/", data).status_code == 302
    assert workspace.roadmap_status_mappings.get().status == "in_progress"
    client.post("/w/acme/roadmap/import/", {**data, "status": ""})
    assert not workspace.roadmap_status_mappings.exists()


def test_the_page_names_its_own_field_for_other_column_names(client_for, strategy):
    response = upload(client_for("editor"), "Ref,Heading\nX-1,Bank feeds\n")
    page = response.content.decode()
    assert response.status_code == 400 and "columns found: Ref, Heading" in page
    assert "Name them under “Other column names”" in page and "--map" not in page


def test_a_json_file_is_told_it_is_not_csv(client_for, strategy):
    text = '[\n  {"key": "R-1", "title": "Bank feeds"}\n]\n'
    with pytest.raises(ImportFailed) as failed:
        imported(strategy["vision"].workspace, text)
    assert "file: this is JSON, not a CSV file" in failed.value.report()
    page = upload(client_for("editor"), text).content.decode()
    assert "this is JSON, not a CSV file" in page and "columns found" not in page


def test_the_page_says_which_columns_it_ignored(client_for, strategy):
    text = "Key,Summary,Goals,Votes\nIDEA-1,Bank feeds,Faster close,12\n"
    response = upload(client_for("editor"), text)
    assert response.status_code == 302
    page = client_for("editor").get(response.url).content.decode()
    assert "Imported 1 new initiative and updated 0" in page
    assert "Ignored columns: Votes." in page


def test_the_page_takes_other_column_names(client_for, strategy):
    text = "Ref,Heading\nX-1,Bank feeds\n"
    response = upload(client_for("editor"), text, columns="key=Ref\ntitle=Heading")
    assert response.status_code == 302
    assert Initiative.objects.filter(source_key="X-1").exists()


# The command line


def test_the_cli_imports_with_statuses_and_history(workspace, strategy, tmp_path):
    (tmp_path / "ideas.csv").write_text(JPD)
    (tmp_path / "history.csv").write_text(
        "key,date,field,old value,new value\nIDEA-1,2025-01-10,status,Discovery,Delivery\n"
    )
    args = ["import", "roadmap", str(tmp_path / "ideas.csv"), "-w", "acme"]
    args += ["--history", str(tmp_path / "history.csv")]
    result = CliRunner().invoke(main, [*args, "--status", "Delivery=in_progress"])
    assert result.exit_code == 1
    assert "status 'Discovery' is not mapped" in result.output
    assert not Initiative.objects.filter(source="jpd").exists()
    statuses = ["--status", "Delivery=in_progress", "--status", "Discovery=exploring"]
    result = CliRunner().invoke(main, [*args, *statuses])
    assert result.exit_code == 0, result.output
    assert "Imported 2 new" in result.output
    assert "Recorded 1 past change on" in result.output


def test_the_cli_maps_columns_and_rejects_a_bad_file(workspace, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Ref,Heading,When\nX-1,Bank feeds,someday\n")
    args = ["import", "roadmap", str(path), "-w", "acme", "--map", "key=Ref"]
    args += ["--map", "title=Heading", "--map", "target=When"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "line 2, When 'someday': not a date" in result.output
    assert not Initiative.objects.exists()
    path.write_text("Ref,Heading,When\nX-1,Bank feeds,2026-Q4\n")
    assert CliRunner().invoke(main, args).exit_code == 0
    assert Initiative.objects.get().target_date == date(2026, 12, 31)


def test_a_slip_that_arrives_by_import_is_told_as_an_edit_tells_it(
    workspace, strategy, django_capture_on_commit_callbacks
):
    chief = Person.objects.create(
        workspace=workspace, name="Chief", email="chief@acme.test", function=Function.LEADERSHIP
    )
    imported(workspace, SPREADSHEET)
    assert not Notification.objects.exists()  # new initiatives: as when one is added by hand
    moved = SPREADSHEET.replace("2026-12-01", "2026-12-31")
    with django_capture_on_commit_callbacks() as queued:
        result = imported(workspace, moved)
    assert (result.updated, result.changes) == (1, 1)
    slip = Notification.objects.get(event=Event.COMMITTED_SLIP)
    assert "from 1 December 2026 to 31 December 2026 (30 days later)" in slip.text
    assert {p.email for p in audience.recipients(slip)} == {chief.email}
    changed = Notification.objects.get(event=Event.INITIATIVE_CHANGED)
    assert changed.data["changes"] == {"target_date": {"old": "2026-12-01", "new": "2026-12-31"}}
    assert len(queued) == 3  # each sent, and the claims re-checked, once the import committed
    with django_capture_on_commit_callbacks() as queued:
        imported(workspace, moved)  # nothing changed: nothing told
    assert queued == [] and Notification.objects.count() == 2


def test_an_import_refused_late_tells_nobody(
    workspace, strategy, django_capture_on_commit_callbacks
):
    imported(workspace, SPREADSHEET)
    moved = SPREADSHEET.replace("2026-12-01", "2026-12-31") + "R-3,Payroll,,,in progress,no,\n"
    with django_capture_on_commit_callbacks() as queued, pytest.raises(ImportFailed) as failed:
        imported(workspace, moved)
    assert "'Payroll' is in progress but has no target date" in failed.value.report()
    assert queued == [] and not Notification.objects.exists()
    assert Initiative.objects.get(source_key="R-1").target_date == date(2026, 12, 1)


def test_a_committed_initiative_needs_a_target_date_from_the_file_or_before(workspace, strategy):
    undated = "key,title,status,target date\nR-1,Bank feeds,committed,\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, undated)
    assert "line 2: 'Bank feeds' is committed but has no target date" in failed.value.report()
    assert not Initiative.objects.filter(source="csv").exists()
    imported(workspace, undated.replace(",\n", ",2027-01-31\n"))
    assert imported(workspace, undated).unchanged == 1  # a blank cell keeps the date it had


def test_a_shipped_date_that_has_not_come_is_refused(workspace):
    tomorrow = timezone.localdate() + timedelta(days=1)
    text = f"key,title,status,target date,shipped on\nR-1,Bank feeds,shipped,,{tomorrow}\n"
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text)
    assert f"line 2, shipped on '{tomorrow}': a shipped date is a day that has come" in str(
        failed.value
    )
    assert not Initiative.objects.exists()


def test_shipped_without_a_shipped_date_ships_on_its_target_at_the_latest_today(workspace):
    later = timezone.localdate() + timedelta(days=60)
    text = f"key,title,status,target date\nR-1,Bank feeds,shipped,{later}\nR-2,Ledger,shipped,2026-03-31\n"
    imported(workspace, text)
    shipped = dict(Initiative.objects.values_list("source_key", "actual_date"))
    assert shipped == {"R-1": timezone.localdate(), "R-2": date(2026, 3, 31)}


@pytest.mark.parametrize(
    "text, why",
    [
        ("2027-02-30", "there is no 30 February 2027"),
        ("2027-04-31", "there is no 31 April 2027"),
        ("2027-13-01", "there is no month 13 (use YYYY-MM-DD)"),
        ("next spring", "not a date (use YYYY-MM-DD)"),
    ],
)
def test_a_day_that_does_not_exist_is_named_as_such(workspace, text, why):
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, f"key,title,target date\nR-1,Bank feeds,{text}\n")
    assert f"line 2, target date {text!r}: {why}" in str(failed.value)


def test_a_promise_without_a_date_is_said_with_every_other_problem_at_once(workspace, strategy):
    text = (
        "key,title,status,target date\n"
        "R-1,Bank feeds,committed,\n"  # no date
        "R-2,Ledger,planned,2026-13-01\n"  # month 13
        "R-3,Payroll,Commit,\n"  # a status still to map, usually committed, and no date
        "R-4,Supplier portal,Someday,\n"  # a status still to map, and nothing promised
        "R-5,Mobile supplier onboarding,in progress,2027-02-30\n"  # its date is the problem
    )
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text)
    report = failed.value.report()
    assert "line 2: 'Bank feeds' is committed but has no target date" in report
    assert "line 3, target date '2026-13-01'" in report
    assert "line 4: 'Payroll' is 'Commit' (usually committed) but has no target date" in report
    assert set(failed.value.unmapped) == {"Commit", "Someday"}
    assert "Supplier portal" not in report and "Mobile supplier onboarding" not in report
    assert not Initiative.objects.filter(source="csv").exists()


def test_a_blank_date_keeps_the_date_imported_before_when_checked_up_front(workspace, strategy):
    imported(workspace, "key,title,status,target date\nR-1,Bank feeds,planned,2027-01-31\n")
    assert imported(workspace, "key,title,status,target date\nR-1,Bank feeds,committed,\n").updated


@pytest.mark.parametrize(
    "text, separator",
    [
        ("key,title,status\nR-1,Bank feeds,planned\nR-2,Feeds, rules and tax,planned\n", "comma"),
        ("key;title;status\nR-1;Bank feeds;planned\nR-2;Feeds; rules;planned\n", "semicolon"),
    ],
)
def test_a_row_wider_than_its_header_is_refused_not_read_shifted(workspace, text, separator):
    with pytest.raises(ImportFailed) as failed:
        imported(workspace, text)
    assert failed.value.report().endswith(
        f"line 3: the row has 4 values but the header has 3 columns: a {separator} inside a "
        "value needs the value in double quotes"
    )
    assert not Initiative.objects.filter(source="csv").exists()
