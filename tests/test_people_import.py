"""Importing people from an HR export: all or nothing, updates in place, from the page and the CLI."""

import io
import json

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile

from truenorth.cli import main
from truenorth.work.imports import ImportFailed
from truenorth.workspaces import people as actions
from truenorth.workspaces.models import Membership, Person, Team, Workspace
from truenorth.workspaces.people_import import import_people

# As a BambooHR-like system exports it: its own headers, a manager who comes later in the file.
HR = (
    "Employee ID,Full Name,Work Email,Department,Team,Manager Email,Job Title,Role\n"
    "1,Ada Lovelace,Ada@Acme.test,Engineering,Platform,grace@acme.test,Staff engineer,\n"
    "2,Grace Hopper,grace@acme.test,Leadership,,,CTO,owner\n"
    "3,Linus Pauling,linus@acme.test,Customer Success,Support Desk,ada@acme.test,,viewer\n"
)


def run(workspace, text, mapping=None):
    return import_people(workspace, io.StringIO(text), mapping)


def test_it_imports_an_hr_export(workspace, team):
    result = run(workspace, HR)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.teams_created == ["Support Desk"]
    assert result.ignored_columns == ["Employee ID"]
    ada = Person.objects.get(email="ada@acme.test")
    grace = Person.objects.get(email="grace@acme.test")
    linus = Person.objects.get(email="linus@acme.test")
    assert (ada.name, ada.function, ada.team, ada.manager, ada.title) == (
        "Ada Lovelace",
        "engineering",
        team,
        grace,
        "Staff engineer",
    )
    assert (grace.function, grace.team, grace.role) == ("leadership", None, "owner")
    assert (linus.function, linus.team.name, linus.manager, linus.role) == (
        "customer_success",
        "Support Desk",
        ada,
        "viewer",
    )


def test_a_file_excel_saved_with_semicolons_reads_the_same(workspace, team):
    """Where a comma is the decimal point, Excel separates a CSV's columns with semicolons."""
    result = run(workspace, HR.replace(",", ";"))
    assert (result.created, result.teams_created) == (3, ["Support Desk"])
    assert Person.objects.get(email="linus@acme.test").manager.email == "ada@acme.test"


def test_importing_again_updates_in_place_by_email(workspace, team):
    run(workspace, HR)
    again = (
        "Name,Email,Function,Team,Manager\n"
        "Ada King,ADA@acme.test,engineering,Support Desk,\n"  # renamed, moved
        "Grace Hopper,GRACE@ACME.TEST,,,\n"  # empty cells change nothing
    )
    result = run(workspace, again)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Person.objects.filter(workspace=workspace).count() == 3
    ada = Person.objects.get(email="ada@acme.test")
    assert (ada.name, ada.team.name, ada.manager.email) == (
        "Ada King",
        "Support Desk",
        "grace@acme.test",
    )
    assert Person.objects.get(email="grace@acme.test").function == "leadership"


def test_a_bad_row_means_nothing_changes(workspace, team):
    run(workspace, "Name,Email,Function\nAda,ada@acme.test,engineering\n")
    bad = (
        "Name,Email,Function,Team,Manager,Role\n"
        "Ada King,ada@acme.test,engineering,New team,,\n"  # fine, but must not be kept
        "Bob,bob@,sales,,,\n"
        "Cy,cy@acme.test,wizardry,,,\n"
        "Di,di@acme.test,sales,,nobody@acme.test,\n"
        "Ed,ed@acme.test,sales,,,king\n"
        ",fay@acme.test,sales,,,\n"
        "Gus,cy@acme.test,sales,,,\n"
        "Hal,hal@acme.test,sales,,Hal's boss,\n"
        f"{'x' * 201},ian@acme.test,sales,,,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        run(workspace, bad)
    report = failed.value.report()
    assert "Nothing imported: 8 problem(s)." in report
    assert "line 3: column 'Email', value 'bob@': not an email address" in report
    assert (
        "line 4: column 'Function', value 'wizardry': not a function; functions: engineering"
        in report
    )
    assert "line 5: manager 'nobody@acme.test': nobody here or in the file has this email" in report
    assert "line 6: column 'Role', value 'king': not a role" in report
    assert "line 7: a new person needs 'Name', empty here" in report
    assert "line 8: column 'Email', value 'cy@acme.test': repeats line 4" in report
    assert "line 9: column 'Manager', value \"Hal's boss\": give the manager's email" in report
    assert "line 10: column 'Name', value 'xxx" in report and "longer than 200" in report
    assert Person.objects.get(email="ada@acme.test").name == "Ada"
    assert not Person.objects.filter(email="di@acme.test").exists()
    assert not Team.objects.filter(name="New team").exists()


def test_managers_never_form_a_loop(workspace):
    text = (
        "Name,Email,Function,Manager\n"
        "A,a@acme.test,sales,b@acme.test\n"
        "B,b@acme.test,sales,a@acme.test\n"
        "C,c@acme.test,sales,c@acme.test\n"
    )
    with pytest.raises(ImportFailed) as failed:
        run(workspace, text)
    report = failed.value.report()
    assert (
        "line 2: manager 'b@acme.test': a@acme.test and b@acme.test would manage each other"
        in report
    )
    assert "line 4: column 'Manager', value 'c@acme.test': nobody is their own manager" in report
    assert not Person.objects.filter(workspace=workspace).exists()


def test_a_longer_loop_of_managers_is_spelled_out(workspace):
    text = (
        "Name,Email,Function,Manager\n"
        "A,a@acme.test,sales,b@acme.test\n"
        "B,b@acme.test,sales,c@acme.test\n"
        "C,c@acme.test,sales,a@acme.test\n"
        "D,d@acme.test,sales,a@acme.test\n"
    )
    with pytest.raises(ImportFailed) as failed:
        run(workspace, text)
    report = failed.value.report()
    loop = (
        "managers would go round in a loop: a@acme.test → b@acme.test → c@acme.test → a@acme.test"
    )
    assert f"line 2: manager 'b@acme.test': {loop}" in report
    assert "line 5" not in report  # D reports into the loop, but is not part of it


def test_it_reads_first_and_last_names_and_a_mapping(workspace):
    text = "First Name,Last Name,Login,Dept,Squad\nAda,Lovelace,ada@acme.test,Design,Blue\n"
    result = run(workspace, text, {"email": "Login", "function": "Dept", "team": "Squad"})
    assert result.created == 1
    ada = Person.objects.get(email="ada@acme.test")
    assert (ada.name, ada.function, ada.team.name) == ("Ada Lovelace", "design", "Blue")


@pytest.mark.parametrize(
    "text, message",
    [
        ("Name,Function\nAda,design\n", "no email column; columns found: Name, Function"),
        ("Email\nada@acme.test\n", "line 2: a new person needs a name column and a function"),
        ("Name,Email\n", "the file has no people"),
        ('[{"name": "Ada"}]', "this is JSON, not a CSV file"),
        ("", "no email column; columns found: none"),
    ],
)
def test_it_names_what_is_wrong_with_the_file(workspace, text, message):
    with pytest.raises(ImportFailed, match=message):
        run(workspace, text)


def test_a_file_that_only_updates_people_here_needs_no_name(workspace):
    run(workspace, "Name,Email,Function\nAda,ada@acme.test,design\nBo,bo@acme.test,sales\n")
    result = run(workspace, "Email,Manager email,Title\nada@acme.test,bo@acme.test,Designer\n")
    assert (result.created, result.updated) == (0, 1)
    ada = Person.objects.get(email="ada@acme.test")
    assert (ada.name, ada.title, ada.manager.name) == ("Ada", "Designer", "Bo")


def test_an_archived_team_takes_nobody_new(workspace, team):
    run(workspace, "Name,Email,Function,Team\nAda,ada@acme.test,design,Platform\n")
    actions.archive_team(team)
    again = "Name,Email,Function,Team\nAda,ada@acme.test,design,Platform\nBo,bo@acme.test,sales,platform\n"
    with pytest.raises(
        ImportFailed, match="line 3: column 'Team', value 'platform': this team is archived"
    ):
        run(workspace, again)


# --- The page ---


def upload(client, text):
    file = SimpleUploadedFile("hr.csv", text.encode(), content_type="text/csv")
    return client.post("/w/acme/people/import/", {"file": file})


def test_the_page_imports_and_reports(client_for, users, team):
    client = client_for("editor")
    page = client.get("/w/acme/people/import/").content.decode()
    for header in ("Work email", "E-mail", "Reports to", "Position", "Team name", "Surname"):
        assert header in page  # every header the import recognises is listed
    # A manager named by a full name only one person has is found too, and the page says so.
    assert "or their full name, when exactly one person here or in the file has it" in page
    response = upload(client, "Name,Email,Function\nBob,bob@,sales\n")
    assert response.status_code == 400
    assert "line 2: column &#x27;Email&#x27;, value &#x27;bob@&#x27;: not an email address" in (
        response.content.decode()
    )
    response = upload(client, HR)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Imported 3 new people, updated 0, 0 unchanged. Created teams: Support Desk." in page


def test_the_people_export_imports_back_as_it_was(client_for, users, team):
    """The export's columns are the import's: roles go with the people to another workspace,
    and the same workspace, importing its own export, changes nothing."""
    Person.objects.filter(name="Member").update(role="editor", title="Analyst")
    Person.objects.filter(name="Viewer").update(manager=Person.objects.get(name="Owner"))
    client = client_for("owner")
    exported = client.get("/w/acme/people.csv").content.decode()
    assert exported.splitlines()[0] == "name,email,function,team,manager,role,title,active"
    response = upload(client, exported)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Imported 0 new people, updated 0, 5 unchanged. Ignored columns: active." in page

    globex = Workspace.objects.create(name="Globex", slug="globex")
    Membership.objects.create(workspace=globex, user=users["owner"], role="owner")
    file = SimpleUploadedFile("people.csv", exported.encode(), content_type="text/csv")
    assert client.post("/w/globex/people/import/", {"file": file}).status_code == 302
    fields = ("name", "email", "function", "team__name", "manager__email", "role", "title")
    acme = Person.objects.filter(workspace__slug="acme").order_by("email").values_list(*fields)
    copied = globex.people.order_by("email").values_list(*fields)
    assert list(copied) == list(acme)
    assert ("Member", "editor") in {(name, role) for name, _, _, _, _, role, _ in copied}


def test_the_page_refuses_a_file_that_is_not_text(client_for, users):
    response = upload(client_for("owner"), "")
    assert response.status_code == 400
    file = SimpleUploadedFile("hr.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    response = client_for("owner").post("/w/acme/people/import/", {"file": file})
    assert response.status_code == 400
    assert "not a UTF-8 text file" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "viewer", "partner"])
def test_only_writers_import(client_for, users, role):
    assert upload(client_for(role), HR).status_code == 403
    assert not Person.objects.filter(email="linus@acme.test").exists()


# --- The command line ---


def test_the_cli_imports_and_lists(workspace, team, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(HR)
    result = CliRunner().invoke(main, ["people", "import", str(path), "-w", "acme"])
    assert result.exit_code == 0, result.output
    assert "Imported 3 new people and updated 0 (0 unchanged)." in result.output
    assert "Created teams: Support Desk." in result.output
    result = CliRunner().invoke(main, ["people", "import", str(path), "-w", "acme"])
    assert "Imported 0 new people and updated 0 (3 unchanged)." in result.output
    result = CliRunner().invoke(main, ["people", "list", "-w", "acme", "--json"])
    assert result.exit_code == 0
    people = {row["email"]: row for row in json.loads(result.output)["people"]}
    assert people["linus@acme.test"]["manager"] == "ada@acme.test"
    actions.deactivate(Person.objects.get(email="linus@acme.test"))
    result = CliRunner().invoke(main, ["people", "list", "-w", "acme"])
    assert "Grace Hopper · grace@acme.test · leadership · no team" in result.output
    assert "linus" not in result.output
    result = CliRunner().invoke(main, ["people", "list", "-w", "acme", "--all"])
    assert "deactivated" in result.output


def test_the_cli_reports_bad_rows_and_changes_nothing(workspace, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(HR.replace("Customer Success", "Wizards"))
    result = CliRunner().invoke(main, ["people", "import", str(path), "-w", "acme"])
    assert result.exit_code == 1
    assert "Nothing imported: 1 problem(s)." in result.output
    assert "line 4: column 'Department', value 'Wizards': not a function" in result.output
    assert not Person.objects.filter(workspace=workspace).exists()


def test_the_cli_rejects_a_bad_mapping(workspace, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(HR)
    args = ["people", "import", str(path), "-w", "acme"]
    assert CliRunner().invoke(main, [*args, "--map", "email"]).exit_code == 2
    result = CliRunner().invoke(main, [*args, "--map", "colour=Team"])
    assert result.exit_code == 1
    assert "unknown field(s) in mapping: colour" in result.output
    result = CliRunner().invoke(main, [*args, "--map", "email=Login"])
    assert "no column 'Login' for email" in result.output


def test_every_command_has_an_example():
    for name in ("import", "list"):
        result = CliRunner().invoke(main, ["people", name, "--help"])
        assert "Example: truenorth people " + name in result.output


def test_every_problem_of_every_row_is_in_one_report(workspace, team):
    """A row with a department that is no function and a manager no one has: both, at once."""
    bad = (
        "Full Name,Work Email,Department,Reports To\n"
        "Raj Mehta,raj@acme.test,Leadership,\n"
        "Ana Moss,ana@acme.test,People Ops,Ravi Menon\n"
        "Bo Lind,bo@,Sales,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        run(workspace, bad)
    report = failed.value.report()
    assert "Nothing imported: 3 problem(s)." in report
    assert "line 3: column 'Department', value 'People Ops': not a function" in report
    assert (
        "line 3: column 'Reports To', value 'Ravi Menon': give the manager's email address "
        "(nobody here or in the file has this name)" in report
    )
    assert "line 4: column 'Work Email', value 'bo@': not an email address" in report
    assert not Person.objects.filter(workspace=workspace).exists()


def test_a_manager_named_by_a_full_name_only_one_person_has(workspace, team):
    actions.create_person(workspace, name="Raj Mehta", email="raj@acme.test", function="leadership")
    hr = (
        "Full Name,Work Email,Department,Reports To\n"
        "Ana Moss,ana@acme.test,Engineering,raj mehta\n"  # in the workspace, any case
        "Bo Lind,bo@acme.test,Sales,Cy Diaz\n"  # further down the file
        "Cy Diaz,cy@acme.test,Sales,\n"
    )
    run(workspace, hr)
    managers = dict(workspace.people.values_list("email", "manager__email"))
    assert managers["ana@acme.test"] == "raj@acme.test"
    assert managers["bo@acme.test"] == "cy@acme.test"


def test_a_manager_name_two_people_have_is_refused(workspace, team):
    actions.create_person(workspace, name="Sam Lee", email="sam1@acme.test", function="sales")
    actions.create_person(workspace, name="Sam Lee", email="sam2@acme.test", function="sales")
    with pytest.raises(ImportFailed, match=r"'Sam Lee': give the manager's email address \(2 "):
        run(workspace, "Name,Email,Function,Manager\nAna,ana@acme.test,sales,Sam Lee\n")


def test_emails_are_saved_in_lower_case(workspace, team):
    run(workspace, "Name,Email,Function\nAna Moss,ANA.MOSS@NORTHWIND-LABS.TEST,sales\n")
    assert workspace.people.get().email == "ana.moss@northwind-labs.test"


def test_a_team_made_by_a_typo_is_named_beside_the_team_it_is_close_to(workspace, team):
    """An HR export's "Suport" beside the workspace's "Support" made a new team, said only as
    "Created teams: Suport."."""
    Team.objects.create(workspace=workspace, name="Support")
    csv = (
        "name,email,function,team\n"
        "Ana,ana@acme.test,support,Suport\n"
        "Bo,bo@acme.test,sales,Sales EMEA\n"
    )
    result = import_people(workspace, io.StringIO(csv))
    assert result.teams_created == ["Suport", "Sales EMEA"]
    assert result.teams_in_words == (
        "Created teams: Suport (close to Support: if a typo, move its people to Support on "
        "People and archive it on Teams), Sales EMEA."
    )
