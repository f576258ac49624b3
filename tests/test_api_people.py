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


def test_one_team_reads_as_the_list_gives_it(call, users, team):
    listed = call("viewer", "get", f"{BASE}/teams").json()["items"]
    one = call("viewer", "get", f"{BASE}/teams/{team.pk}")
    assert one.status_code == 200 and one.json() == next(t for t in listed if t["id"] == team.pk)
    assert call("viewer", "get", f"{BASE}/teams/999999").status_code == 404
    assert call("partner", "get", f"{BASE}/teams/{team.pk}").status_code == 403


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


def test_unknown_fields_are_a_400_naming_each_and_change_nothing(call, users, team):
    member = Person.objects.get(name="Member")
    url = f"{BASE}/people/{member.pk}"
    typo = call("editor", "patch", url, {"team_id": None, "titel": "typo", "colour": "red"})
    assert typo.status_code == 400
    assert "unknown field(s) titel, colour" in typo.json()["detail"]
    member.refresh_from_db()
    assert member.team == team
    body = {"name": "Grace", "email": "grace@acme.test", "function": "sales", "boss": 1}
    made = call("editor", "post", f"{BASE}/people", body)
    assert made.status_code == 400 and "boss" in made.json()["detail"]
    assert not Person.objects.filter(email="grace@acme.test").exists()


def test_team_id_and_manager_id_as_read_are_taken_on_a_write(call, users, team):
    owner = Person.objects.get(name="Owner")
    body = {"name": "Grace", "email": "grace@acme.test", "function": "sales"}
    made = call(
        "editor", "post", f"{BASE}/people", {**body, "team_id": team.pk, "manager_id": owner.pk}
    )
    assert made.status_code == 201, made.content
    assert (made.json()["team_id"], made.json()["manager"]) == (team.pk, "owner@acme.test")
    other = Team.objects.create(workspace=team.workspace, name="Go-to-market")
    url = f"{BASE}/people/{made.json()['id']}"
    moved = call("editor", "patch", url, {"team_id": other.pk, "manager_id": None})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["team"], moved.json()["manager_id"]) == ("Go-to-market", None)


def test_a_person_as_read_is_taken_back_unchanged_but_for_what_was_edited(call, users, team):
    member = Person.objects.get(name="Member")
    Person.objects.filter(pk=member.pk).update(manager=Person.objects.get(name="Owner"))
    url = f"{BASE}/people/{member.pk}"
    read = call("member", "get", url).json()
    answer = call("editor", "patch", url, {**read, "title": "Analyst"})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {**read, "title": "Analyst"}
    copied = {key: value for key, value in read.items() if key != "id"}
    copied.update(name="Twin", email="twin@acme.test", active=False)
    made = call("editor", "post", f"{BASE}/people", copied)
    assert made.status_code == 201, made.content
    assert {**made.json(), "id": None} == {**copied, "id": None}


def test_a_team_by_name_is_taken_when_it_names_one_team(call, users, team):
    Team.objects.create(workspace=team.workspace, name="Go-to-market")
    body = {"name": "Grace", "email": "grace@acme.test", "function": "sales"}
    made = call("editor", "post", f"{BASE}/people", {**body, "team": "go-to-market"})
    assert made.status_code == 201, made.content
    assert made.json()["team"] == "Go-to-market"
    unknown = call("editor", "patch", f"{BASE}/people/{made.json()['id']}", {"team": "Sales"})
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "team"
    assert "team_id" in unknown.json()["detail"]
    assert Person.objects.get(email="grace@acme.test").team.name == "Go-to-market"


def test_two_names_for_a_team_a_manager_or_the_person_that_disagree_are_a_400(call, users, team):
    member = Person.objects.get(name="Member")
    other = Team.objects.create(workspace=team.workspace, name="Sales")
    url = f"{BASE}/people/{member.pk}"
    cases = [
        ({"team": "Sales", "team_id": team.pk}, "team"),
        ({"team": other.pk, "team_id": team.pk}, "team"),
        ({"manager": "owner@acme.test", "manager_id": member.pk}, "manager"),
        ({"manager_id": 2**40}, "manager_id"),
        ({"id": member.pk + 1, "title": "Boss"}, "id"),
    ]
    for body, field in cases:
        answer = call("editor", "patch", url, body)
        assert answer.status_code == 400, body
        assert answer.json()["field"] == field
    member.refresh_from_db()
    assert (member.team, member.manager, member.title) == (team, None, "")
