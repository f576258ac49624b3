"""A decision's "Informed" names whole teams: on the decision form, in the API's body and on the
command line, a team's active people, and those of the teams within it, join those informed as
the team is then. Partners, people who left and erased people never do; a team that is not the
workspace's is refused, saving nothing."""

import html

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import caller
from truenorth.cli import main
from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.notifications.audience import recipients
from truenorth.notifications.models import Event, Notification
from truenorth.workspaces.models import Function, Person, Role, Team, Workspace
from truenorth.workspaces.people import create_person, deactivate, erase

CHOOSE_SEVERAL = (
    "Choose several: on a computer hold Ctrl (⌘ on a Mac) while you click; on a phone, tap each."
)
TYPED = {"title": "Per seat or per entity?", "question": "How do we price?"}


def person(workspace, name: str, team: Team, **fields) -> Person:
    address = name.lower().replace(" ", ".")
    fields.setdefault("function", Function.SALES)
    return create_person(workspace, name=name, email=f"{address}@acme.test", team=team, **fields)


@pytest.fixture
def sales(workspace, users):
    """Sales, with EMEA within it: three active people who count, and four who never do."""
    sales = Team.objects.create(workspace=workspace, name="Sales")
    emea = Team.objects.create(workspace=workspace, name="Sales EMEA", parent=sales)
    person(workspace, "Ana Seller", sales)
    person(workspace, "Bo Seller", sales)
    person(workspace, "Cy Emea", emea)
    deactivate(person(workspace, "Left Seller", sales))
    erase(person(workspace, "Erased Seller", sales))
    person(workspace, "Reseller Partner", sales, function=Function.PARTNER)
    person(workspace, "Partner By Role", emea, role=Role.PARTNER)
    return sales


@pytest.fixture
def support(workspace, users):
    support = Team.objects.create(workspace=workspace, name="Support")
    person(workspace, "Di Support", support, function=Function.SUPPORT)
    return support


# Whom the Sales team adds: its active people and EMEA's, never a partner, leaver or erased one.
COUNTED = {"Ana Seller", "Bo Seller", "Cy Emea"}


def informed(decision: Decision) -> set[str]:
    return set(decision.informed.values_list("name", flat=True))


def member(users) -> Person:
    return users["member"].memberships.get().person


def page_of(response) -> str:
    return html.unescape(response.content.decode())


# --- The page's form ---


def test_the_form_offers_the_teams_with_the_hint_of_a_list_of_several(client_for, sales):
    page = page_of(client_for("editor").get("/w/acme/decisions/new/"))
    assert "Inform whole teams" in page and ">Sales EMEA</option>" in page
    assert f"who joins a team later is not. {CHOOSE_SEVERAL}" in page


def test_a_new_decision_informs_the_teams_active_people_besides_those_ticked(
    client_for, workspace, users, sales, support
):
    typed = {
        **TYPED,
        "raised_on": timezone.localdate().isoformat(),
        "informed": [member(users).pk],
        "informed_teams": [sales.pk, support.pk],
    }
    response = client_for("editor").post("/w/acme/decisions/new/", typed, follow=True)
    made = workspace.decisions.get()
    assert informed(made) == {"Member", "Di Support", *COUNTED}
    assert "Decision 1 saved. Informed: 4 people (Sales: 3, Support: 1)." in page_of(response)


def test_editing_keeps_those_informed_and_adds_the_team_as_it_is_now(
    client_for, workspace, users, sales
):
    decision = actions.add_decision(Decision(workspace=workspace, **TYPED))
    decision.informed.add(member(users))
    edit = f"/w/acme/decisions/{decision.number}/edit/"
    client = client_for("editor")
    form = client.get(edit).context["form"]
    posted = {
        name: value
        for name, value in form.initial.items()
        if name in ("title", "question", "raised_on")
    }
    posted["informed"] = [p.pk for p in form.initial["informed"]]
    posted["informed_teams"] = [sales.pk]
    response = client.post(edit, posted, follow=True)
    assert "Informed: 3 people (Sales: 3)." in page_of(response)
    assert informed(decision) == {"Member", *COUNTED}
    person(workspace, "New Seller", sales)  # joined later: a snapshot is not kept up
    assert "New Seller" not in informed(decision)


def test_another_workspaces_team_is_refused_with_a_message_saving_nothing(client_for, users):
    other = Workspace.objects.create(name="Other", slug="other")
    theirs = Team.objects.create(workspace=other, name="Sales")
    typed = {**TYPED, "raised_on": timezone.localdate().isoformat(), "informed_teams": [theirs.pk]}
    response = client_for("editor").post("/w/acme/decisions/new/", typed)
    assert response.status_code == 400
    assert f"Team {theirs.pk} cannot be informed" in page_of(response)
    assert not Decision.objects.exists()


def test_a_teams_people_are_told_when_the_decision_is_made(client_for, workspace, sales):
    typed = {
        **TYPED,
        "raised_on": timezone.localdate().isoformat(),
        "outcome": "Per entity.",
        "informed_teams": [sales.pk],
    }
    client_for("editor").post("/w/acme/decisions/new/", typed)
    told = Notification.objects.get(event=Event.DECISION_MADE)
    assert {p.name for p in recipients(told)} >= COUNTED
    heard = {p.name for p in recipients(told)}
    assert not heard & {"Left Seller", "Reseller Partner", "Partner By Role"}


# --- The API ---


@pytest.fixture
def call(client, users):
    return caller(client, users, "/api/v1/workspaces/acme/decisions")


def test_the_api_informs_teams_by_name_or_id(call, workspace, sales, support):
    body = {**TYPED, "informed_teams": ["sales", support.pk]}
    answer = call("post", body=body)
    assert answer.status_code == 201, answer.json()
    assert set(answer.json()["informed"]) == {"Di Support", *COUNTED}


def test_a_patch_adds_a_team_and_keeps_those_informed(call, workspace, users, sales):
    decision = actions.add_decision(Decision(workspace=workspace, **TYPED))
    decision.informed.add(member(users))
    answer = call("patch", f"/{decision.number}", body={"informed_teams": ["Sales"]})
    assert answer.status_code == 200, answer.json()
    assert set(answer.json()["informed"]) == {"Member", *COUNTED}


def test_the_api_refuses_a_team_it_does_not_know_naming_the_field(call, users):
    answer = call("post", body={**TYPED, "informed_teams": ["Marketing"]})
    assert answer.status_code == 400, answer.json()
    assert answer.json()["field"] == "informed_teams"
    assert "No team is named Marketing" in answer.json()["detail"]
    assert not Decision.objects.exists()


def test_the_api_refuses_another_workspaces_team(call, users):
    other = Workspace.objects.create(name="Other", slug="other")
    theirs = Team.objects.create(workspace=other, name="Sales")
    answer = call("post", body={**TYPED, "informed_teams": [theirs.pk]})
    assert answer.status_code == 400, answer.json()
    assert answer.json()["field"] == "informed_teams"
    assert f"No team {theirs.pk} in this workspace." in answer.json()["detail"]
    assert not Decision.objects.exists()


# --- The command line ---


def run(*args):
    return CliRunner().invoke(main, ["decisions", *args, "-w", "acme"])


def test_the_cli_adds_a_decision_informing_a_team(workspace, sales, support):
    result = run("add", "Vendor?", "--question", "Which?", "--inform-team", "sales")
    assert result.exit_code == 0, result.output
    assert "Informed: 3 people (Sales: 3)." in result.output
    assert informed(workspace.decisions.get()) == COUNTED


def test_the_cli_edit_keeps_those_informed(workspace, users, sales, support):
    decision = actions.add_decision(Decision(workspace=workspace, **TYPED))
    decision.informed.add(member(users))
    result = run("edit", str(decision.number), "--inform-team", "Sales", "--inform-team", "SUPPORT")
    assert result.exit_code == 0, result.output
    assert "Informed: 4 people (Sales: 3, Support: 1)." in result.output
    assert informed(decision) == {"Member", "Di Support", *COUNTED}
    decision.refresh_from_db()
    assert (decision.title, decision.question) == (TYPED["title"], TYPED["question"])


@pytest.mark.parametrize(
    ("name", "said"),
    [("Marketing", "no team named 'Marketing'"), ("Old", "the team Old is archived")],
)
def test_the_cli_refuses_an_unknown_or_archived_team_saving_nothing(workspace, name, said):
    Team.objects.create(workspace=workspace, name="Old", archived=True)
    result = run("add", "Vendor?", "--question", "Which?", "--inform-team", name)
    assert result.exit_code == 1
    assert said in result.output
    assert not Decision.objects.exists()


def test_the_cli_edit_changes_only_what_is_given(workspace):
    options = [{"name": "Per seat", "pros": "Simple", "cons": ""}, {"name": "Per entity"}]
    decision = actions.add_decision(Decision(workspace=workspace, options=options, **TYPED))
    result = run("edit", str(decision.number), "--title", "Seats or entities?")
    assert result.exit_code == 0, result.output
    assert result.output == f"Saved decision {decision.number}: Seats or entities?\n"
    decision.refresh_from_db()
    assert (decision.title, decision.question) == ("Seats or entities?", TYPED["question"])
    assert [option["name"] for option in decision.options] == ["Per seat", "Per entity"]


def test_the_cli_refuses_a_partner_as_owner_as_the_page_does(workspace, users):
    result = run("add", "Vendor?", "--question", "Which?", "--owner", "partner@acme.test")
    assert result.exit_code == 1 and "nothing recorded: --owner: " in result.output
    assert not Decision.objects.exists()
