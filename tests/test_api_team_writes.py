"""Teams through /api/v1/ as on the teams page: add one at the top or within another, rename
and move it, archive it and bring it back; the page's form and checks refuse the same things."""

import pytest

from tests.api import caller
from truenorth.workspaces.models import Team

API = "/api/v1/workspaces/acme/teams"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


def test_a_team_is_added_moved_renamed_and_archived(workspace, team, users, call):
    engineering = team.parent
    made = call("post", body={"name": "  Payments  ", "parent": engineering.pk})
    assert made.status_code == 201, made.json()
    assert (made.json()["name"], made.json()["parent_id"]) == ("Payments", engineering.pk)
    path = f"/{made.json()['id']}"
    moved = call("patch", path, {"parent": None, "name": "Payments squad"}).json()
    assert (moved["name"], moved["parent_id"], moved["archived"]) == ("Payments squad", None, False)
    assert call("patch", path, {"archived": True}).json()["archived"] is True
    # An archived team is offered for no new assignment: nothing goes within it.
    within = call("post", body={"name": "Cards", "parent": made.json()["id"]})
    assert (within.status_code, within.json()["field"]) == (400, "parent")
    assert call("patch", path, {"archived": False}).json()["archived"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "platform"}, "name"),  # another team's name, in any case
        ({"name": "Cards", "parent": 999}, "parent"),
        ({"name": ""}, "name"),
    ],
)
def test_what_the_page_refuses_is_a_400(workspace, team, users, call, body, field):
    answer = call("post", body=body)
    assert (answer.status_code, answer.json()["field"]) == (400, field), answer.json()
    assert Team.objects.count() == 2


def test_a_team_cannot_sit_within_itself_or_below_it(workspace, team, users, call):
    engineering = team.parent
    itself = call("patch", f"/{engineering.pk}", {"parent": engineering.pk})
    assert (itself.status_code, itself.json()["field"]) == (400, "parent")
    below = call("patch", f"/{engineering.pk}", {"parent": team.pk})
    assert (below.status_code, below.json()["field"]) == (400, "parent")
    assert "Platform is Engineering or one of its sub-teams." in below.json()["detail"]
    engineering.refresh_from_db()
    assert engineering.parent is None
    assert call("patch", "/999", {"name": "x"}).status_code == 404


def test_only_owners_and_editors_with_a_write_token_change_teams(workspace, team, users, call):
    for role in ("member", "viewer", "partner"):
        assert call("post", body={"name": "Cards"}, role=role).status_code == 403
    assert call("post", body={"name": "Cards"}, scope="read").status_code == 403
    assert not Team.objects.filter(name="Cards").exists()
