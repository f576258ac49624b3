"""Importing work items from the page: upload, a run in the background, its progress and outcome."""

import io
import stat
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from truenorth.strategy.actions import archive_goal, restore_goal
from truenorth.work import runs
from truenorth.work.imports import import_work_items
from truenorth.work.models import ImportRun, WorkItem
from truenorth.work.tasks import import_work_items_file, report_rows
from truenorth.workspaces import progress

JIRA = Path("tests/data/trackers/jira.csv").read_bytes()
HEADER = "Summary,Issue key,Issue id,Issue Type,Status,Project name,Created"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def jira_rows(count: int, bad_at: int | None = None) -> bytes:
    rows = [
        f"Item {n},BIG-{n},{n},Story,To Do,Platform,"
        + ("not a date" if n == bad_at else "21/Nov/25 4:05 PM")
        for n in range(count)
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def upload(client, content: bytes, name="export.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content), "file_format": "auto", **fields}
    return client.post("/w/acme/work/import/", data)


def uploads_left(data_dir) -> list:
    folder = data_dir / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def test_it_imports_a_jira_export_and_shows_the_counts(client_for, team, data_dir):
    client = client_for("editor")
    response = upload(client, JIRA, "jira.csv", file_format="jira-csv")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/w/acme/work/import/{run.pk}/"
    assert run.state == "done" and run.finished_at is not None
    created = WorkItem.objects.filter(source="jira").count()
    assert created > 0 and run.outcome["created"] == created
    counts = {
        "created",
        "updated",
        "unchanged",
        "changes",
        "mapped",
        "unlinked",
        "skipped",
        "kept_team",
    }
    said = {"ignored_columns", "relinked", "relinked_count", "format", "no_team", "statuses"}
    assert set(run.outcome) == counts | said
    assert uploads_left(data_dir) == []

    page = client.get(response.url).content.decode()
    assert f"<strong>{created}</strong> new" in page and "/w/acme/work/" in page
    assert "data-poll" not in page
    body = client.get(f"/w/acme/work/import/{run.pk}.json").json()
    assert body["state"] == "done" and body["outcome"]["created"] == created
    assert body["progress"] is None and body["file_name"] == "jira.csv"
    assert "jira.csv" in client.get("/w/acme/work/import/").content.decode()


def test_a_bad_row_fails_the_run_and_saves_nothing(client_for, data_dir):
    client = client_for("owner")
    response = upload(client, jira_rows(5, bad_at=3), file_format="jira-csv")
    run = ImportRun.objects.get()
    assert run.state == "failed"
    assert run.outcome["errors"] == [
        {"line": 5, "message": "created 'not a date' is not a date (use YYYY-MM-DD)", "where": ""}
    ]
    assert not WorkItem.objects.filter(source="jira").exists()
    assert uploads_left(data_dir) == []
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page and "line 5" in page and "not a date" in page


def test_a_failed_run_offers_the_form_again_as_it_was_filled_in(client_for, team):
    """After a refused file, "Import a file" had opened an empty form: the format chosen and
    the column names typed had to be typed again."""
    client = client_for("editor")
    content = b"Ticket,Summary\nT-1,First\n,Second\n"  # the second row has no key
    columns = "key=Ticket\ntitle=Summary"
    response = upload(client, content, columns=columns, team=str(team.pk))
    run = ImportRun.objects.get()
    assert run.state == "failed"
    page = client.get(response.url).content.decode()
    again = f'href="/w/acme/work/import/?again={run.pk}" id="import-again"'
    assert again in page
    form = client.get(f"/w/acme/work/import/?again={run.pk}").content.decode()
    assert 'id="id_columns">\nkey=Ticket\ntitle=Summary</textarea>' in form
    assert '<option value="csv" selected>' in form
    assert f'<option value="{team.pk}" selected>' in form
    for wrong in ("x", "99999999", "1" * 40):  # a run that is not there: an empty form
        assert client.get(f"/w/acme/work/import/?again={wrong}").status_code == 200


def test_a_generic_csv_reads_the_column_names(client_for, team):
    content = b"Ticket,Summary\nT-1,First\nT-2,Second\n"
    columns = "key=Ticket\ntitle=Summary\n"
    upload(client_for("editor"), content, columns=columns)
    run = ImportRun.objects.get()
    assert run.options == {
        "format": "csv",
        "project": "",
        "mapping": {"key": "Ticket", "title": "Summary"},
        "key_from_row": False,
        "source": "",  # the format's tracker
        "team": None,  # none chosen for the items the file does not place
    }
    assert run.state == "done" and run.outcome["created"] == 2
    assert WorkItem.objects.get(external_key="T-2").title == "Second"


@pytest.mark.parametrize(
    "content, fields, problem",
    [
        (None, {}, "This field is required"),
        (JIRA, {"file_format": "xml"}, "Select a valid choice"),
        (b"\x89PNG\r\n\x1a\n\0\0" * 2_000_000, {}, "not a UTF-8 text file"),  # 20 MB
        ("Key,Title\nA-1,Caf\u00e9\n".encode("latin-1"), {}, "not a UTF-8 text file"),
        (JIRA, {"columns": "title Summary"}, "is not field=Column"),
        (JIRA, {"columns": "colour=Red"}, "No field"),
        (JIRA, {"file_format": "jira-csv", "project": "acme/app"}, "GitHub JSON only"),
    ],
)
def test_bad_input_is_a_form_error(client_for, data_dir, content, fields, problem):
    client = client_for("editor")
    if content is None:
        response = client.post("/w/acme/work/import/", {"file_format": "auto"})
    else:
        response = upload(client, content, **fields)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not ImportRun.objects.exists() and uploads_left(data_dir) == []


def test_text_that_turns_out_not_utf8_fails_the_run(client_for, data_dir):
    # The form looks at the start of the file; the import reads all of it.
    content = b"Key,Title\n" + b"A-1,plain\n" * 10_000 + "B-2,Caf\u00e9\n".encode("latin-1")
    upload(client_for("editor"), content, columns="key=Key\ntitle=Title")
    run = ImportRun.objects.get()
    assert run.state == "failed" and "not a UTF-8 text file" in run.outcome["errors"][0]["message"]
    assert uploads_left(data_dir) == []


def test_a_crash_fails_the_run_and_leaves_no_file(client_for, data_dir, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("truenorth.work.tasks.import_work_items", crash)
    response = upload(client_for("editor"), JIRA, file_format="jira-csv")
    run = ImportRun.objects.get()
    assert run.state == "failed" and "RuntimeError" in run.outcome["errors"][0]["message"]
    assert not WorkItem.objects.filter(source="jira").exists()
    assert uploads_left(data_dir) == []
    assert progress.current("import", run.pk) is None
    assert "Nothing was imported" in client_for("editor").get(response.url).content.decode()


def test_the_file_waits_privately_until_its_run(workspace, users, data_dir):
    file = SimpleUploadedFile("../../etc/jira.csv", JIRA)
    run = runs.create_run(workspace, users["editor"], file, {"format": "jira-csv"})
    [stored] = uploads_left(data_dir)
    assert stored.name == run.stored_as and len(run.stored_as) == 32
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert run.file_name == "jira.csv" and run.state == "queued"

    assert import_work_items_file.enqueue(run.pk).return_value == "done"
    assert uploads_left(data_dir) == []
    # Run once only: a second worker finds it taken.
    assert import_work_items_file.enqueue(run.pk).return_value == "taken"


def test_the_run_page_shows_progress_while_running(workspace, users, client_for):
    run = ImportRun.objects.create(workspace=workspace, file_name="big.csv", state="running")
    report_rows(run.pk)(2400, 3000)

    client = client_for("editor")
    page = client.get(f"/w/acme/work/import/{run.pk}/").content.decode()
    assert "Checking the rows: 2400 of 3000 rows" in page and 'value="80"' in page
    assert 'data-poll-state="running"' in page
    body = client.get(f"/w/acme/work/import/{run.pk}.json").json()
    assert body["state"] == "running" and body["progress"]["percent"] == 80

    report_rows(run.pk)(3000, 3000)  # every row checked: saving, without a count
    page = client.get(f"/w/acme/work/import/{run.pk}/").content.decode()
    assert "Saving 3000 items in one go." in page and "<progress aria-label" in page

    queued = ImportRun.objects.create(workspace=workspace, file_name="next.csv")
    page = client.get(f"/w/acme/work/import/{queued.pk}/").content.decode()
    assert "Waiting for a worker" in page and 'data-poll-state="queued"' in page


def test_a_run_whose_worker_went_quiet_says_it_may_have_stopped(workspace, users, client_for):
    run = ImportRun.objects.create(workspace=workspace, file_name="big.csv", state="running")
    body = client_for("editor").get(f"/w/acme/work/import/{run.pk}.json").json()
    assert body["progress"]["label"].startswith("No word from the worker")
    assert "import the file again" in body["progress"]["label"]
    page = client_for("editor").get(f"/w/acme/work/import/{run.pk}/").content.decode()
    assert '<p id="import-stopped"><a href="/w/acme/work/import/">Import the file again</a>' in page
    report_rows(run.pk)(1000, 3000)  # its worker heard from again: no way out offered
    page = client_for("editor").get(f"/w/acme/work/import/{run.pk}/").content.decode()
    assert 'id="import-stopped"' not in page


@pytest.mark.parametrize("role, status", [("member", 403), ("viewer", 403), ("outsider", 404)])
def test_only_writers_see_runs(workspace, users, client_for, role, status):
    run = ImportRun.objects.create(workspace=workspace, file_name="x.csv")
    client = client_for(role)
    assert client.get(f"/w/acme/work/import/{run.pk}/").status_code == status
    assert client.get(f"/w/acme/work/import/{run.pk}.json").status_code == status
    assert upload(client, JIRA).status_code == status
    assert ImportRun.objects.count() == 1


def test_a_run_of_another_workspace_is_not_found(workspace, users, client_for):
    other = workspace.__class__.objects.create(name="Other", slug="other")
    run = ImportRun.objects.create(workspace=other, file_name="x.csv")
    assert client_for("owner").get(f"/w/acme/work/import/{run.pk}/").status_code == 404


def test_writers_find_the_import_page_from_the_work_items(client_for):
    assert "/w/acme/work/import/" in client_for("editor").get("/w/acme/work/").content.decode()
    assert "/w/acme/work/import/" not in client_for("member").get("/w/acme/work/").content.decode()


def test_progress_counts_the_rows_checked_then_says_all_are(workspace, team):
    calls = []
    rows = 3500
    result = import_work_items(
        workspace,
        io.StringIO(jira_rows(rows).decode()),
        file_format="jira-csv",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.created == rows
    done = [d for d, _ in calls]
    assert done == [0, 1000, 2000, 3000, rows]
    assert {total for _, total in calls} == {rows}


LINEAR = Path("tests/data/trackers/linear.csv").read_bytes()


def test_the_page_advises_choosing_from_the_format_list(client_for, data_dir):
    client = client_for("editor")
    response = upload(client, LINEAR, "linear.csv", file_format="jira-csv")
    message = ImportRun.objects.get().outcome["errors"][0]["message"]
    assert "choose “Linear CSV” in the Format list" in message and "--format" not in message
    assert "choose “Linear CSV” in the Format list" in client.get(response.url).content.decode()


def test_the_run_page_counts_in_words_and_names_the_columns_it_ignored(workspace, client_for):
    outcome = {"created": 1, "updated": 0, "changes": 1, "mapped": 1, "skipped": 1}
    run = ImportRun.objects.create(
        workspace=workspace,
        file_name="x.json",
        state="done",
        outcome={**outcome, "ignored_columns": ["Sprint", "Owner"]},
    )
    page = client_for("editor").get(f"/w/acme/work/import/{run.pk}/").content.decode()
    assert "1 change of status, points or dates recorded" in page
    assert "1 item linked through the tracker mappings" in page
    assert "1 pull request skipped" in page
    assert "Ignored columns: Sprint, Owner." in page
    run.outcome = {**outcome, "mapped": 2, "skipped": 3}  # a run from before ignored columns
    run.save()
    page = client_for("editor").get(f"/w/acme/work/import/{run.pk}/").content.decode()
    assert "2 items linked" in page and "3 pull requests skipped" in page
    assert "Ignored columns" not in page


def test_recent_imports_show_their_state_first_as_a_card_on_a_phone(workspace, client_for):
    ImportRun.objects.create(workspace=workspace, file_name="x.csv", state="failed")
    page = client_for("editor").get("/w/acme/work/import/").content.decode()
    table = page[page.index('<table class="stack" id="recent-imports">') :]
    assert table.index("<th>State</th>") < table.index("<th>File</th>")
    assert '<td class="lead">Failed: nothing imported</td>' in table


def test_the_run_names_each_link_the_file_moved(client_for, strategy):
    """A goal named by rank follows today's ranks: after goal #1 is archived and restored (it
    comes back last), the same file links its item to the goal that moved up into #1."""
    faster, fewer = strategy["goals"]
    sheet = b"key,title,goal\nENG-6,Approve bills from Slack,#1\n"
    client = client_for("editor")
    upload(client, sheet, "clean.csv", file_format="csv")
    assert WorkItem.objects.get(external_key="ENG-6").goal == faster
    archive_goal(faster)
    restore_goal(faster)
    response = upload(client, sheet, "clean.csv", file_format="csv")
    assert WorkItem.objects.get(external_key="ENG-6").goal == fewer
    page = client.get(response.url).content.decode()
    assert "The file moved the link of 1 item to another goal or initiative." in page
    assert "ENG-6: from goal #2 Faster close to goal #1 Fewer manual touches" in page
    unchanged = client.get(upload(client, sheet, "clean.csv", file_format="csv").url)
    assert "moved the link" not in unchanged.content.decode()


def test_the_run_says_the_forms_words_and_what_a_file_was_recognised_as(
    client_for, workspace, team
):
    client = client_for("editor")
    upload(client, JIRA, "jira.csv")
    run = ImportRun.objects.get()
    page = client.get(f"/w/acme/work/import/{run.pk}/").content.decode()
    assert "format “Recognise it”, recognised as Jira CSV" in page
    upload(client, JIRA, "jira.csv", file_format="jira-csv")
    again = client.get(f"/w/acme/work/import/{ImportRun.objects.latest('pk').pk}/")
    assert "format “Jira CSV” ·" in again.content.decode()
    assert ">GitHub</option>" in client.get("/w/acme/work/import/").content.decode()
