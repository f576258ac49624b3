"""Teams in the app: the tree with counts, creating, renaming, nesting, archiving."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import ROLES
from truenorth.workspaces import people as actions
from truenorth.workspaces.models import Person, Team, Workspace

WRITERS = {"owner", "editor"}


@pytest.fixture
def engineering(team):
    return team.parent


@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_it_lets_only_writers_change_teams(client_for, users, team, role):
    client = client_for(role)
    responses = [
        client.post("/w/acme/teams/new/", {"name": "Sales", "parent": ""}),
        client.post(f"/w/acme/teams/{team.pk}/archive/", {"archived": "yes"}),
        client.get(f"/w/acme/teams/{team.pk}/edit/"),
    ]
    expected = (302, 302, 200) if role in WRITERS else (404 if role == "outsider" else 403,) * 3
    assert tuple(r.status_code for r in responses) == expected
    team.refresh_from_db()
    assert team.archived == (role in WRITERS)
    assert Team.objects.filter(name="Sales").exists() == (role in WRITERS)


def test_the_tree_nests_teams_and_counts_active_people(client_for, users, team, engineering):
    Person.objects.filter(email="viewer@acme.test").update(active=False)
    rows = actions.team_tree(team.workspace)
    assert [(r.team.name, r.depth, r.direct, r.everyone) for r in rows] == [
        ("Engineering", 0, 0, 3),  # owner, editor, member; the viewer left
        ("Platform", 1, 3, 3),
    ]
    page = client_for("member").get("/w/acme/teams/").content.decode()
    assert "↳ <a" in page and "Platform" in page
    assert "Create team" not in page and "Archive" not in page  # members read only
    assert "Create team" in client_for("editor").get("/w/acme/teams/").content.decode()


def test_the_tree_survives_a_cycle_made_in_the_admin(workspace, team, engineering):
    Team.objects.filter(pk=engineering.pk).update(parent=team)
    rows = actions.team_tree(workspace)
    assert sorted(r.team.name for r in rows) == ["Engineering", "Platform"]


def test_it_creates_renames_and_nests(client_for, users, team, engineering):
    client = client_for("editor")
    response = client.post("/w/acme/teams/new/", {"name": "  Data   Platform ", "parent": ""})
    assert response.status_code == 302
    data = Team.objects.get(name="Data Platform")
    response = client.post(
        f"/w/acme/teams/{data.pk}/edit/", {"name": "Data", "parent": engineering.pk}
    )
    assert response.status_code == 302
    data.refresh_from_db()
    assert (data.name, data.parent) == ("Data", engineering)


def test_a_team_cannot_be_its_own_ancestor(client_for, users, team, engineering):
    client = client_for("owner")
    response = client.post(
        f"/w/acme/teams/{engineering.pk}/edit/", {"name": "Engineering", "parent": team.pk}
    )
    assert response.status_code == 400
    assert "one of its sub-teams" in response.context["form"].errors["parent"][0]
    page = client.get(f"/w/acme/teams/{engineering.pk}/edit/").content.decode()
    select = page.split('name="parent"', 1)[1].split("</select>", 1)[0]
    assert f'value="{team.pk}"' not in select  # below it: never offered
    assert f'value="{engineering.pk}"' not in select
    engineering.refresh_from_db()
    assert engineering.parent is None
    # Itself is not even offered.
    response = client.post(
        f"/w/acme/teams/{engineering.pk}/edit/", {"name": "Eng", "parent": engineering.pk}
    )
    assert response.status_code == 400
    engineering.refresh_from_db()
    assert engineering.name == "Engineering"  # nothing of a refused edit is kept
    with pytest.raises(ValidationError, match="sub-teams"):
        actions.nest_team(engineering, team)


def test_duplicate_names_are_refused_whatever_their_case(client_for, users, team):
    response = client_for("owner").post("/w/acme/teams/new/", {"name": "platform", "parent": ""})
    assert response.status_code == 400
    # The existing team is named as it is written, not as it was typed.
    assert response.context["form"].errors["name"] == ["There is already a team named Platform."]
    with pytest.raises(ValidationError, match="already a team"):
        actions.rename_team(team.parent, "PLATFORM")
    team.parent.refresh_from_db()
    assert team.parent.name == "Engineering"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ""},
        {"name": "x" * 201},
        {"name": "Ok", "parent": "99999999999999999999"},
        {"name": "Ok", "parent": "not a number"},
    ],
)
def test_malformed_team_posts_are_form_errors(client_for, users, team, data):
    response = client_for("owner").post("/w/acme/teams/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors
    response = client_for("owner").post(f"/w/acme/teams/{team.pk}/edit/", data)
    assert response.status_code == 400


@pytest.mark.parametrize("data", [{}, {"archived": "perhaps"}])
def test_a_malformed_archive_changes_nothing(client_for, users, team, data):
    assert client_for("owner").post(f"/w/acme/teams/{team.pk}/archive/", data).status_code == 302
    team.refresh_from_db()
    assert not team.archived


def test_archiving_keeps_people_and_takes_no_new_teams_below(client_for, users, team, engineering):
    client = client_for("owner")
    client.post(f"/w/acme/teams/{team.pk}/archive/", {"archived": "yes"})
    team.refresh_from_db()
    assert team.archived
    assert team.people.count() == 4
    page = client.get("/w/acme/teams/").content.decode()
    assert "(archived)" in page and "Bring back" in page
    response = client.post("/w/acme/teams/new/", {"name": "Sub", "parent": team.pk})
    assert response.status_code == 400  # not offered
    with pytest.raises(ValidationError, match="archived"):
        actions.create_team(team.workspace, "Sub", parent=team)
    client.post(f"/w/acme/teams/{team.pk}/archive/", {"archived": "no"})
    team.refresh_from_db()
    assert not team.archived


def test_a_team_of_another_workspace_is_neither_found_nor_a_parent(client_for, users, team):
    other = Workspace.objects.create(name="Other", slug="other")
    theirs = Team.objects.create(workspace=other, name="Theirs")
    client = client_for("owner")
    assert client.get(f"/w/acme/teams/{theirs.pk}/edit/").status_code == 404
    response = client.post("/w/acme/teams/new/", {"name": "Mine", "parent": theirs.pk})
    assert response.status_code == 400
    with pytest.raises(ValidationError, match="not in this workspace"):
        actions.nest_team(team, theirs)
