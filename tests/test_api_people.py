"""People and teams through /api/v1/: the people page's readers and filters, writes through
workspaces.people's actions."""

import pytest

from tests.api import api_request
from truenorth.workspaces.models import Person, Team

BASE = "/api/v1/workspaces/acme"


@pytest.fixture
def call(client, users):
    def call(role, method, url, body=None, scope="write"):
        return api_request(client, users[role], method, url, body, scope)

    return call


def test_it_lists_the_directory_by_name_for_the_organisation(call, users):
    answer = call("member", "get", f"{BASE}/people")
    assert answer.status_code == 200
    names = [p["name"] for p in answer.json()["items"]]
    assert names == ["Editor", "Member", "Owner", "Partner", "Viewer"]
    assert call("partner", "get", f"{BASE}/people").status_code == 403


def test_it_filters_by_team_function_and_active(call, users, team):
    Person.objects.filter(name="Viewer").update(active=False)
    in_team = call("member", "get", f"{BASE}/people?team={team.pk}").json()
    assert in_team["count"] == 4
    partners = call("member", "get", f"{BASE}/people?function=partner").json()
    assert [p["name"] for p in partners["items"]] == ["Partner"]
    left = call("member", "get", f"{BASE}/people?active=false").json()
    assert [p["name"] for p in left["items"]] == ["Viewer"]
    no_team = call("member", "get", f"{BASE}/people?no_team=true").json()
    assert [p["name"] for p in no_team["items"]] == ["Partner"]
    bad = call("member", "get", f"{BASE}/people?function=astronaut")
    assert bad.status_code == 400
    assert bad.json()["field"] == "function"


def test_it_lists_the_teams_with_their_parents(call, users, team):
    teams = call("viewer", "get", f"{BASE}/teams").json()["items"]
    assert [(t["name"], t["parent_id"]) for t in teams] == [
        ("Engineering", None),
        ("Platform", team.parent_id),
    ]


def test_an_editor_adds_someone_with_a_manager_and_a_team(call, users, team):
    body = {
        "name": "Grace",
        "email": "grace@acme.test",
        "function": "engineering",
        "team": team.pk,
        "manager": "OWNER@acme.test",  # found whatever its case, as on the page
        "title": "Staff engineer",
    }
    answer = call("editor", "post", f"{BASE}/people", body)
    assert answer.status_code == 201, answer.content
    grace = Person.objects.get(email="grace@acme.test")
    assert (grace.team, grace.manager.name) == (team, "Owner")
    assert answer.json()["manager"] == "owner@acme.test"


def test_the_actions_checks_come_back_as_a_field(call, users, team):
    taken = {"name": "Ed", "email": "EDITOR@acme.test", "function": "sales"}
    answer = call("owner", "post", f"{BASE}/people", taken)
    assert answer.status_code == 400
    assert answer.json()["field"] == "email"
    owner = Person.objects.get(name="Owner")
    editor = Person.objects.get(name="Editor")
    Person.objects.filter(pk=editor.pk).update(manager=owner)
    loop = call("owner", "patch", f"{BASE}/people/{owner.pk}", {"manager": "editor@acme.test"})
    assert loop.status_code == 400
    assert loop.json()["field"] == "manager"
    archived = Team.objects.create(workspace=team.workspace, name="Old", archived=True)
    moved = call("owner", "patch", f"{BASE}/people/{owner.pk}", {"team": archived.pk})
    assert moved.status_code == 400
    assert moved.json()["field"] == "team"


def test_a_patch_changes_what_it_sends_and_deactivates(call, users, team):
    member = Person.objects.get(name="Member")
    url = f"{BASE}/people/{member.pk}"
    answer = call("editor", "patch", url, {"title": "Analyst", "active": False})
    assert answer.status_code == 200, answer.content
    member.refresh_from_db()
    assert (member.title, member.active, member.team, member.email) == (
        "Analyst",
        False,
        team,
        "member@acme.test",
    )
    # Deactivated, Member's login no longer opens the workspace at all.
    assert call("member", "get", f"{BASE}/people").status_code == 404
    assert call("viewer", "patch", url, {"title": "Boss"}).status_code == 403
    assert call("editor", "patch", url, {"title": "Boss"}, scope="read").status_code == 403
    assert call("editor", "get", f"{BASE}/people/{2**63}").status_code in (400, 404)
