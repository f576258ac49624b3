"""Uploads from the pages say what the command line says: each refused row by its line, and
nothing saved. And what the command line accepts, the pages accept: a tracker's keys in an
other CSV (--source), column names for an HR export (--map)."""

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from truenorth.claims.models import Claim
from truenorth.cli import main
from truenorth.roadmap.models import Initiative
from truenorth.work.models import ImportRun, WorkItem
from truenorth.workspaces.models import Person


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # where an uploaded tracker export waits for its run
    return tmp_path


def cli_problems(*args, file_text: str, tmp_path) -> list[str]:
    """The problem lines `truenorth import …` prints for the file, without their indent."""
    path = tmp_path / "upload.csv"
    path.write_text(file_text, encoding="utf-8")
    result = CliRunner().invoke(main, [*args, str(path), "-w", "acme"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Nothing imported:")
    return [line.strip() for line in lines[1:] if line.startswith("  ")]


def file(text: str, name="upload.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def shows_each(page: str, problems: list[str]) -> None:
    """Each CLI problem line ("line 3: why") is on the page, as its place and its reason."""
    assert problems
    for problem in problems:
        where, _, why = problem.partition(": ")
        assert escape(where) in page, where
        assert escape(why) in page, why


BAD_WORK = (
    "key,title,status,points\nW-1,Fine,To do,3\nW-2,Points are words,To do,many\n,No key,To do,1\n"
)


def test_a_refused_tracker_file_reports_the_rows_as_the_cli_does(client_for, workspace, tmp_path):
    problems = cli_problems("import", "workitems", file_text=BAD_WORK, tmp_path=tmp_path)
    client = client_for("editor")
    response = client.post(
        "/w/acme/work/import/", {"file": file(BAD_WORK), "file_format": "csv"}, follow=True
    )
    page = response.content.decode()
    assert "Nothing was imported: 2 problems" in page
    shows_each(page, problems)
    assert not WorkItem.objects.exists() and ImportRun.objects.get().state == "failed"


def test_an_other_csv_with_jira_keys_updates_the_jira_items(client_for, workspace):
    client = client_for("editor")
    jira = "Summary,Issue key,Issue id,Issue Type,Status\nApprove in Slack,FIN-1,1,Story,To Do\n"
    client.post("/w/acme/work/import/", {"file": file(jira), "file_format": "jira-csv"})
    sheet = "key,title,status\nFIN-1,Approve in Slack,Done\n"
    client.post(
        "/w/acme/work/import/", {"file": file(sheet), "file_format": "csv", "source": "jira"}
    )
    item = WorkItem.objects.get()  # updated in place, not a second item keyed "csv FIN-1"
    assert (item.source, item.status) == ("jira", "Done")
    assert ImportRun.objects.order_by("pk").last().options["source"] == "jira"
    form = client.get("/w/acme/work/import/").content.decode()
    assert 'name="source"' in form


def test_an_unknown_tracker_for_the_keys_is_a_form_error(client_for, workspace):
    response = client_for("editor").post(
        "/w/acme/work/import/", {"file": file("key,title\nA,b\n"), "source": "trello"}
    )
    assert response.status_code == 400 and not ImportRun.objects.exists()


BAD_ROADMAP = "key,title,status,target\nR-1,Bank feeds,planned,2027-01-10\nR-2,,planned,soon\n"


def test_a_refused_roadmap_file_reports_the_rows_as_the_cli_does(client_for, workspace, tmp_path):
    problems = cli_problems(
        "import", "roadmap", "--format", "csv", file_text=BAD_ROADMAP, tmp_path=tmp_path
    )
    response = client_for("editor").post(
        "/w/acme/roadmap/import/",
        {"action": "import", "file": file(BAD_ROADMAP), "file_format": "csv"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    for problem in problems:  # the page's table: place, column, value, reason
        assert escape(problem.rsplit(": ", 1)[1]) in page, problem
    assert "line 3" in page
    assert not Initiative.all_objects.exists()


BAD_CLAIMS = (
    "date,account,said_by,text,source\n2026-11-02,Northwind,Sam,It closes in a day.,call\n"
    "someday,Northwind,Sam,,call\n"
)


def test_a_refused_claims_file_reports_the_rows_as_the_cli_does(client_for, workspace, tmp_path):
    problems = cli_problems("import", "claims", file_text=BAD_CLAIMS, tmp_path=tmp_path)
    response = client_for("editor").post("/w/acme/claims/import/", {"file": file(BAD_CLAIMS)})
    assert response.status_code == 400
    shows_each(response.content.decode(), problems)
    assert not Claim.objects.exists()


BAD_PEOPLE = "name,email,function\nAda,ada@acme.test,engineering\nBob,not-an-email,sales\n"


def test_a_refused_people_file_reports_the_rows_as_the_cli_does(client_for, workspace, tmp_path):
    before = Person.objects.count()
    problems = cli_problems("people", "import", file_text=BAD_PEOPLE, tmp_path=tmp_path)
    response = client_for("editor").post("/w/acme/people/import/", {"file": file(BAD_PEOPLE)})
    assert response.status_code == 400
    shows_each(response.content.decode(), problems)
    assert Person.objects.count() == before


HR_EXPORT = "Full name,Login,Department,Squad\nAda Lovelace,ada@acme.test,engineering,Ledger\n"


def test_people_columns_are_named_on_the_page_as_with_map(client_for, workspace):
    client = client_for("editor")
    refused = client.post("/w/acme/people/import/", {"file": file(HR_EXPORT)})
    assert refused.status_code == 400 and "no email column" in refused.content.decode()
    response = client.post(
        "/w/acme/people/import/",
        {"file": file(HR_EXPORT), "columns": "email=Login\nteam=Squad"},
        follow=True,
    )
    assert "Imported 1 new person," in response.content.decode()
    ada = Person.objects.get(email="ada@acme.test")
    assert (ada.name, ada.team.name) == ("Ada Lovelace", "Ledger")


def test_a_column_name_for_no_field_is_a_form_error(client_for, workspace):
    response = client_for("editor").post(
        "/w/acme/people/import/", {"file": file(HR_EXPORT), "columns": "shoe_size=Login"}
    )
    assert response.status_code == 400 and "No field" in response.content.decode()
    assert not Person.objects.filter(email="ada@acme.test").exists()


@pytest.mark.parametrize(
    "page, upload",
    [("/w/acme/work/", "/w/acme/work/import/"), ("/w/acme/roadmap/", "/w/acme/roadmap/import/"),
     ("/w/acme/people/", "/w/acme/people/import/"), ("/w/acme/claims/", "/w/acme/claims/import/")],
)  # fmt: skip
def test_each_list_page_links_its_upload_for_editors(client_for, workspace, page, upload):
    assert f'href="{upload}"' in client_for("editor").get(page).content.decode()
    assert f'href="{upload}"' not in client_for("viewer").get(page).content.decode()
