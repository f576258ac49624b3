"""What a real tracker export taught the work item import: Jira's plain points columns, a team
for items the file does not place, impossible dates with a time, statuses nobody recognises, and
a page that says which format a refused file looks like."""

import io
import json

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api import api_request
from truenorth.cli import main
from truenorth.tabular import parse_date
from truenorth.work.imports import ImportFailed, import_work_items, kept_team_note
from truenorth.work.models import ImportRun, WorkItem, WorkItemChange
from truenorth.workspaces.models import Team

JIRA_HEADER = (
    "Summary,Issue key,Issue id,Issue Type,Status,Project key,Project name,Resolved,{points}"
)


def jira(points_column: str, rows: list[tuple], project="Platform") -> str:
    """rows: (key, status, points, resolved)."""
    lines = [JIRA_HEADER.format(points=points_column)]
    for n, (key, status, points, resolved) in enumerate(rows):
        lines.append(
            f"Item {key},{key},{100 + n},Story,{status},PLAT,{project},{resolved},{points}"
        )
    return "\n".join(lines) + "\n"


def github(count: int, states=("OPEN",)) -> str:
    issues = [
        {
            "number": n,
            "title": f"Issue {n}",
            "state": states[n % len(states)],
            "url": f"https://github.com/acme/web/issues/{n}",
            "createdAt": "2026-11-01T10:00:00Z",
            "closedAt": None,
        }
        for n in range(1, count + 1)
    ]
    return json.dumps(issues)


def load(workspace, content: str, file_format: str, **options):
    return import_work_items(workspace, io.StringIO(content), file_format=file_format, **options)


@pytest.mark.parametrize(
    "column", ["Story Points", "Story point estimate", "Custom field (Story Points)"]
)
def test_each_jira_points_column_is_read_and_a_reexport_updates_them(workspace, team, column):
    result = load(workspace, jira(column, [("PLAT-1", "To Do", "3", "")]), "jira-csv")
    assert WorkItem.objects.get().points == 3
    assert column not in result.ignored_columns
    load(workspace, jira(column, [("PLAT-1", "To Do", "5", "")]), "jira-csv")
    assert WorkItem.objects.get().points == 5
    change = WorkItemChange.objects.get()
    assert (change.field, change.old_value, change.new_value) == ("points", "3", "5")


def test_a_question_mark_in_jira_story_points_is_named(workspace, team):
    content = jira("Story Points", [("PLAT-1", "To Do", "2", ""), ("PLAT-2", "To Do", "?", "")])
    with pytest.raises(ImportFailed) as failure:
        load(workspace, content, "jira-csv")
    assert "line 3: points '?' is not a number" in failure.value.report()
    assert not WorkItem.objects.exists()


def test_github_issues_take_the_team_chosen(workspace, team):
    result = load(workspace, github(3), "github-json", team=team)
    assert set(WorkItem.objects.values_list("team", flat=True)) == {team.pk}
    assert result.no_team == {}


def test_github_issues_without_a_team_are_said_to_have_none(workspace, team):
    result = load(workspace, github(24), "github-json")
    assert result.no_team == {"": 24}
    from truenorth.work.imports import no_team_note

    assert no_team_note(result.no_team) == (
        "24 items have no team: the file names none. Choose a team for them when importing."
    )


def test_a_jira_project_no_team_is_called_is_named(workspace, team):
    rows = [(f"PE-{n}", "To Do", "1", "") for n in range(30)]
    result = load(workspace, jira("Story Points", rows, "Platform Engineering"), "jira-csv")
    from truenorth.work.imports import no_team_note

    assert no_team_note(result.no_team) == (
        "30 items have no team: no team is called “Platform Engineering”. Choose a team for them "
        "when importing, or name the team in the file."
    )
    web = Team.objects.create(workspace=workspace, name="Web")
    again = load(
        workspace, jira("Story Points", rows, "Platform Engineering"), "jira-csv", team=web
    )
    assert again.no_team == {} and set(WorkItem.objects.values_list("team", flat=True)) == {web.pk}
    # A project named like a team still goes to that team, whatever the choice.
    load(workspace, jira("Story Points", rows[:1], "Platform"), "jira-csv", team=web)
    assert WorkItem.objects.get(external_key="PE-0").team == team


def test_the_team_chosen_goes_to_items_with_none_and_moves_no_item_placed_before(workspace, team):
    """Choosing a team for an import used to move every item the file does not place into it,
    undoing where an editor, or an earlier import, had put it."""
    web = Team.objects.create(workspace=workspace, name="Web")
    payments = Team.objects.create(workspace=workspace, name="Payments")
    rows = [(f"PE-{n}", "To Do", "1", "") for n in range(3)]
    load(workspace, jira("Story Points", rows, "Platform Engineering"), "jira-csv", team=web)
    by_hand = WorkItem.objects.get(external_key="PE-1")
    by_hand.team = team  # an editor places it in Platform
    by_hand.save()
    WorkItem.objects.filter(external_key="PE-2").update(team=None)  # and takes PE-2 out

    rows.append(("PE-3", "To Do", "1", ""))  # new in the tracker
    again = jira("Story Points", rows, "Platform Engineering")
    result = load(workspace, again, "jira-csv", team=payments)
    teams = dict(WorkItem.objects.values_list("external_key", "team__name"))
    assert teams == {"PE-0": "Web", "PE-1": "Platform", "PE-2": "Payments", "PE-3": "Payments"}
    assert result.kept_team == 2 and result.unchanged == 2
    assert kept_team_note(result.kept_team) == (
        "2 items kept the team they were in (placed by hand or by an earlier import): the file "
        "does not place them, and a team chosen for the import goes only to items with none."
    )
    # Without a choice, a project no team is called does not take them out of their teams.
    assert load(workspace, again, "jira-csv").kept_team == 4
    assert dict(WorkItem.objects.values_list("external_key", "team__name")) == teams


def test_a_file_that_places_an_item_still_moves_it_whatever_the_choice(workspace, team):
    web = Team.objects.create(workspace=workspace, name="Web")
    load(workspace, "key,title,team\nA-1,One,Web\nA-2,Two,\n", "csv")
    result = load(workspace, "key,title,team\nA-1,One,Platform\nA-2,Two,\n", "csv", team=web)
    assert dict(WorkItem.objects.values_list("external_key", "team")) == {
        "A-1": team.pk,
        "A-2": web.pk,
    }
    assert result.kept_team == 0 and kept_team_note(0) == ""
    # With no team chosen, the generic CSV's empty cell empties the team, as the API's does.
    load(workspace, "key,title,team\nA-1,One,\n", "csv")
    assert WorkItem.objects.get(external_key="A-1").team is None


def test_a_generic_csv_naming_no_team_is_still_refused(workspace, team):
    with pytest.raises(ImportFailed):
        load(workspace, "key,title,team\nA-1,One,Nobody\n", "csv", team=team)
    load(workspace, "key,title,team\nA-1,One,\n", "csv", team=team)
    assert WorkItem.objects.get().team == team


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30T10:00:00Z",
        "2026-02-30T10:00:00.000+0000",
        "2026-02-30 10:00",
        "2026-02-30",
    ],
)
def test_an_impossible_day_with_a_time_is_named(text):
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == f"{text!r}: there is no 30 February 2026"


def test_github_created_at_on_a_day_that_is_none(workspace):
    content = json.dumps(
        [{"number": 1, "title": "A", "state": "OPEN", "createdAt": "2026-11-31T10:00:00Z"}]
    )
    with pytest.raises(ImportFailed) as failure:
        load(workspace, content, "github-json")
    assert "created '2026-11-31T10:00:00Z': there is no 31 November 2026" in failure.value.report()


def test_statuses_not_recognised_are_listed_with_their_open_items(workspace, team):
    rows = [
        ("PLAT-1", "Parked", "1", ""),
        ("PLAT-2", "Parked", "1", ""),
        ("PLAT-3", "Parked", "1", "05/Nov/26 3:14 PM"),  # resolved: counted done, not open
        ("PLAT-4", "In Progress", "1", ""),
        ("PLAT-5", "Won't Do", "1", ""),
    ]
    assert load(workspace, jira("Story Points", rows), "jira-csv").statuses == {"Parked": 2}
    result = load(workspace, github(6, ("OPEN", "MERGED", "DRAFT", "MERGED")), "github-json")
    assert result.statuses == {"merged": 3, "draft": 2}
    from truenorth.work.imports import statuses_note

    assert statuses_note(result.statuses).startswith(
        "Statuses not recognised, counted as open work: merged (3 items), draft (2)."
    )


def test_the_cli_takes_a_team_and_reports_what_has_none(workspace, team, tmp_path):
    issues = tmp_path / "issues.json"
    issues.write_text(github(4, ("OPEN", "MERGED")))
    args = ["import", "workitems", str(issues), "--format", "github-json", "-w", "acme"]
    without = CliRunner().invoke(main, args)
    assert without.exit_code == 0, without.output
    assert "4 items have no team: the file names none." in without.output
    assert "Statuses not recognised, counted as open work: merged (2 items)." in without.output
    chosen = CliRunner().invoke(main, [*args, "--team", "platform"])
    assert chosen.exit_code == 0, chosen.output
    assert "no team" not in chosen.output
    assert set(WorkItem.objects.values_list("team", flat=True)) == {team.pk}
    unknown = CliRunner().invoke(main, [*args, "--team", "Nobody"])
    assert unknown.exit_code == 2
    assert (
        "no team called 'Nobody' in this workspace; teams: Engineering, Platform" in unknown.output
    )


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def upload(client, content: str, name="export.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content.encode()), "file_format": "auto", **fields}
    return client.post("/w/acme/work/import/", data)


def test_the_page_takes_a_team_and_says_what_has_none(client_for, workspace, team):
    client = client_for("editor")
    form = client.get("/w/acme/work/import/").content.decode()
    assert "Team for items the file does not place" in form and ">Platform</option>" in form
    response = upload(client, github(3, ("OPEN", "DRAFT", "OPEN")), "issues.json")
    page = client.get(response.url).content.decode()
    assert "3 items have no team: the file names none." in page
    assert "Statuses not recognised, counted as open work: draft (1 item)." in page
    notes = client.get(f"{response.url.rstrip('/')}.json").json()["notes"]
    assert notes[0].startswith("3 items have no team")
    chosen = upload(client, github(3), "issues.json", team=team.pk)
    assert ImportRun.objects.latest("pk").options["team"] == team.pk
    assert "no team" not in client.get(chosen.url).content.decode()
    assert set(WorkItem.objects.values_list("team", flat=True)) == {team.pk}


def test_the_run_page_says_how_many_items_kept_their_team(client_for, workspace, team):
    client = client_for("editor")
    upload(client, github(2), "issues.json", team=team.pk)
    web = Team.objects.create(workspace=workspace, name="Web")
    response = upload(client, github(3), "issues.json", team=web.pk)
    page = client.get(response.url).content.decode()
    said = "2 items kept the team they were in (placed by hand or by an earlier import)"
    assert f'<li class="import-note">{said}' in page
    run = client.get(f"{response.url.rstrip('/')}.json").json()
    assert run["outcome"]["kept_team"] == 2 and run["notes"][0].startswith(said)
    teams = dict(WorkItem.objects.values_list("external_key", "team"))
    assert teams == {"acme/web#1": team.pk, "acme/web#2": team.pk, "acme/web#3": web.pk}


def test_the_page_refuses_a_team_of_another_workspace(client_for, workspace, team):
    from truenorth.workspaces.models import Workspace

    other = Team.objects.create(workspace=Workspace.objects.create(name="O", slug="o"), name="X")
    response = upload(client_for("editor"), github(1), "issues.json", team=other.pk)
    assert response.status_code == 400 and not ImportRun.objects.exists()


LINEAR = "ID,Team,Title,Status,Estimate,Created\nCAP-1,Capture,One,Todo,1,2026-11-01\n"


def test_a_file_recognise_it_cannot_read_says_why_and_lists_the_formats(client_for, workspace):
    client = client_for("editor")
    response = upload(client, "Ticket,Name\nT-1,One\n")
    run = ImportRun.objects.get()
    page = client.get(response.url).content.decode()
    assert "format “Recognise it”, which recognised no format" in page
    assert "could not recognise the file&#x27;s format" in page
    assert (
        "Formats: Jira CSV, Linear CSV, GitHub issues (JSON), Other CSV with a header row" in page
    )
    assert "columns found: Ticket, Name" in page
    assert "Choose its format in the Format list and import it again." in page
    assert run.outcome["recognised"] == ""


def test_a_file_in_another_format_says_which_to_choose(client_for, workspace):
    client = client_for("editor")
    page = client.get(upload(client, LINEAR, file_format="jira-csv").url).content.decode()
    assert (
        "This file looks like a Linear CSV export: choose that format, or “Recognise it”." in page
    )
    assert "Correct the file and import it again." not in page
    run = ImportRun.objects.get()
    assert (
        client.get(f"/w/acme/work/import/{run.pk}.json")
        .json()["advice"]
        .startswith("This file looks like a Linear CSV export")
    )
    # In the right format, a bad row is the file's to correct.
    bad = LINEAR.replace("2026-11-01", "2026-02-30T10:00:00Z")
    page = client.get(upload(client, bad, file_format="linear-csv").url).content.decode()
    assert "Correct the file and import it again." in page
    assert "there is no 30 February 2026" in page


def test_the_api_takes_a_team_for_items_sent_with_none(client, users, team):
    body = {"source": "github", "team": "platform", "items": [{"key": "#1", "title": "One"}]}
    answer = api_request(
        client, users["editor"], "post", "/api/v1/workspaces/acme/work_items", body, scope="write"
    )
    assert answer.status_code == 200, answer.json()
    assert WorkItem.objects.get().team == team
    body["team"] = "Nobody"
    refused = api_request(
        client, users["editor"], "post", "/api/v1/workspaces/acme/work_items", body, scope="write"
    )
    assert refused.status_code == 400 and "No team is called 'Nobody'" in refused.json()["detail"]


def test_the_api_gives_its_team_only_to_items_with_none_and_says_which_kept_theirs(
    client, users, workspace, team
):
    """The API's `team` used to fill every item sent with none, moving items an editor or an
    earlier import had placed: it follows the file import's rule (settle_team) now."""
    web = Team.objects.create(workspace=workspace, name="Web")

    def send(body: dict) -> dict:
        path = "/api/v1/workspaces/acme/work_items"
        answer = api_request(client, users["editor"], "post", path, body, scope="write")
        assert answer.status_code == 200, answer.json()
        return answer.json()

    items = [{"key": f"#{n}", "title": f"Issue {n}"} for n in (1, 2, 3)]
    first = send({"source": "github", "team": "platform", "items": items[:2]})
    assert (first["kept_team"], first["kept_team_note"]) == (0, "")
    WorkItem.objects.filter(external_key="#2").update(team=None)  # taken out by hand

    again = send({"source": "github", "team": "web", "items": items})
    teams = dict(WorkItem.objects.values_list("external_key", "team"))
    assert teams == {"#1": team.pk, "#2": web.pk, "#3": web.pk}
    assert again["kept_team"] == 1 and again["emptied"] == {}
    assert again["kept_team_note"] == (
        "1 item kept the team it was in (placed by hand or by an earlier import): it was sent "
        "with no team, and the body's team goes only to items with none."
    )
    # An item sent with its own team goes to it, whatever the body's team.
    placed = send({"source": "github", "team": "web", "items": [{**items[0], "team": "Web"}]})
    assert placed["kept_team"] == 0 and WorkItem.objects.get(external_key="#1").team == web


def test_the_cli_says_how_many_items_kept_their_team(workspace, team, tmp_path):
    issues = tmp_path / "issues.json"
    issues.write_text(github(2))
    args = ["import", "workitems", str(issues), "--format", "github-json", "-w", "acme"]
    first = CliRunner().invoke(main, [*args, "--team", "platform"])
    assert first.exit_code == 0, first.output
    assert "kept the team" not in first.output
    Team.objects.create(workspace=workspace, name="Web")
    issues.write_text(github(3, ("OPEN", "DRAFT")))
    again = CliRunner().invoke(main, [*args, "--team", "web"])
    assert again.exit_code == 0, again.output
    kept = (
        "2 items kept the team they were in (placed by hand or by an earlier import): the file "
        "does not place them, and a team chosen for the import goes only to items with none."
    )
    # As the run's page lists its notes: this one before the statuses not recognised.
    notes = again.output.splitlines()[-2:]
    assert notes[0] == kept and notes[1].startswith("Statuses not recognised")
