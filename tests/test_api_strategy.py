"""The vision and the goals through /api/v1/: read by the organisation, goals written through
the goals page's form and strategy.actions."""

import pytest

from tests.api import api_request
from truenorth.strategy.actions import archive_goal, publish_vision
from truenorth.strategy.models import Goal, GoalMeasurement, Vision

BASE = "/api/v1/workspaces/acme"


@pytest.fixture
def call(client, users):
    def call(role, method, url, body=None, scope="write"):
        return api_request(client, users[role], method, url, body, scope)

    return call


def new_version(workspace, statement: str) -> Vision:
    fields = {part: "x" for part in Vision.PARTS}
    return publish_vision(Vision(workspace=workspace, statement=statement, **fields))


def test_it_reads_the_vision_in_force_and_every_version(call, strategy, workspace):
    new_version(workspace, "Books closed in a day.")
    current = call("member", "get", f"{BASE}/vision")
    assert current.status_code == 200
    assert (current.json()["number"], current.json()["statement"]) == (2, "Books closed in a day.")
    versions = call("member", "get", f"{BASE}/vision/versions").json()
    assert [v["number"] for v in versions["items"]] == [2, 1]
    first = call("member", "get", f"{BASE}/vision/versions/1").json()
    assert first["statement"] == strategy["vision"].statement
    assert call("member", "get", f"{BASE}/vision/versions/9").status_code == 404


def test_a_workspace_without_a_vision_answers_404_and_partners_403(call, workspace, users):
    assert call("owner", "get", f"{BASE}/vision").status_code == 404
    assert call("partner", "get", f"{BASE}/vision/versions").status_code == 403
    assert call("outsider", "get", f"{BASE}/vision").status_code == 404


def test_a_goal_comes_with_its_measurements(call, strategy):
    goal = strategy["goals"][0]
    GoalMeasurement.objects.create(goal=goal, measured_on="2026-01-31", value=9, unit="days")
    GoalMeasurement.objects.create(
        goal=goal, measured_on="2026-12-31", value=3, unit="days", is_target=True
    )
    answer = call("viewer", "get", f"{BASE}/goals/{goal.pk}")
    assert answer.status_code == 200
    assert [(m["value"], m["is_target"]) for m in answer.json()["measurements"]] == [
        (9.0, False),
        (3.0, True),
    ]


def test_an_archived_goal_is_read_but_not_changed(call, strategy):
    goal = strategy["goals"][1]
    archive_goal(goal)
    assert call("viewer", "get", f"{BASE}/goals/{goal.pk}").json()["archived"] is True
    listed = call("viewer", "get", f"{BASE}/goals?archived=true").json()
    assert [g["id"] for g in listed["items"]] == [goal.pk]
    assert call("editor", "patch", f"{BASE}/goals/{goal.pk}", {"title": "Y"}).status_code == 404


def test_a_new_goal_goes_to_the_bottom_of_the_ranking(call, strategy):
    body = {
        "title": "Close in a day",
        "why": "Controllers want their evenings back",
        "why_now": "Two customers asked",
        "metric": "Median close time",
        "target": "1 day by 2027",
        "period": "2027-H1",
        "names": ["fast close", "one-day close"],
    }
    answer = call("editor", "post", f"{BASE}/goals", body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["rank"] == 3
    saved = Goal.objects.get(pk=answer.json()["id"])
    assert saved.names == ["fast close", "one-day close"]


def test_a_patch_changes_only_what_it_sends(call, strategy):
    goal = strategy["goals"][0]
    answer = call("owner", "patch", f"{BASE}/goals/{goal.pk}", {"target": "2 days"})
    assert answer.status_code == 200, answer.content
    goal.refresh_from_db()
    assert (goal.target, goal.title, goal.rank) == ("2 days", "Faster close", 1)


def test_a_name_of_another_goal_is_refused_with_its_field(call, strategy):
    first, second = strategy["goals"]
    call("editor", "patch", f"{BASE}/goals/{first.pk}", {"names": ["fast close"]})
    answer = call("editor", "patch", f"{BASE}/goals/{second.pk}", {"names": ["Fast-close"]})
    assert answer.status_code == 400 and answer.json()["field"] == "names"


def test_a_bad_goal_is_refused_with_its_field(call, strategy):
    goal = strategy["goals"][0]
    empty = call("owner", "patch", f"{BASE}/goals/{goal.pk}", {"title": ""})
    assert empty.status_code == 400
    assert empty.json()["field"] == "title"
    missing = call("owner", "post", f"{BASE}/goals", {"title": "Only a title"})
    assert missing.status_code == 400
    assert missing.json()["field"] == "why"
    too_long = call("owner", "patch", f"{BASE}/goals/{goal.pk}", {"period": "x" * 51})
    assert too_long.status_code == 400
    assert too_long.json()["field"] == "period"


def test_members_and_read_tokens_cannot_write_goals(call, strategy):
    goal = strategy["goals"][0]
    url = f"{BASE}/goals/{goal.pk}"
    assert call("member", "patch", url, {"title": "No"}).status_code == 403
    assert call("viewer", "patch", url, {"title": "No"}).status_code == 403
    assert call("owner", "patch", url, {"title": "No"}, scope="read").status_code == 403
    assert call("owner", "get", f"{BASE}/goals/{2**63}").status_code in (400, 404)
    goal.refresh_from_db()
    assert goal.title == "Faster close"


def test_a_goal_is_archived_and_restored_as_on_its_page(call, strategy):
    first, second = strategy["goals"]
    archived = call("editor", "post", f"{BASE}/goals/{first.pk}/archive")
    assert archived.status_code == 200, archived.content
    assert (archived.json()["archived"], archived.json()["rank"]) == (True, 1)  # "was #1"
    second.refresh_from_db()
    assert second.rank == 1  # the ranking closed up
    again = call("editor", "post", f"{BASE}/goals/{first.pk}/archive")
    assert again.status_code == 409 and "archived already" in again.json()["detail"]
    restored = call("owner", "post", f"{BASE}/goals/{first.pk}/restore")
    assert restored.status_code == 200, restored.content
    assert (restored.json()["archived"], restored.json()["rank"]) == (False, 2)  # last
    assert call("owner", "post", f"{BASE}/goals/{first.pk}/restore").status_code == 409


def test_a_goal_moves_one_place_and_the_ranking_comes_back(call, strategy):
    first, second = strategy["goals"]
    moved = call("editor", "post", f"{BASE}/goals/{second.pk}/move", {"direction": "up"})
    assert moved.status_code == 200, moved.content
    assert [(g["id"], g["rank"]) for g in moved.json()] == [(second.pk, 1), (first.pk, 2)]
    sideways = call("editor", "post", f"{BASE}/goals/{second.pk}/move", {"direction": "left"})
    assert sideways.status_code == 400
    archive_goal(first)
    gone = call("editor", "post", f"{BASE}/goals/{first.pk}/move", {"direction": "up"})
    assert gone.status_code == 404


def test_archiving_and_moving_need_a_role_that_writes_and_a_write_token(call, strategy):
    goal = strategy["goals"][1]
    for role, scope in (("member", "write"), ("partner", "write"), ("editor", "read")):
        for action, body in (("archive", None), ("move", {"direction": "up"})):
            url = f"{BASE}/goals/{goal.pk}/{action}"
            assert call(role, "post", url, body, scope=scope).status_code == 403, (role, action)
    goal.refresh_from_db()
    assert (goal.archived_at, goal.rank) == (None, 2)


def test_a_misspelt_goal_field_is_a_400_naming_it(call, strategy):
    goal = strategy["goals"][0]
    answer = call("editor", "patch", f"{BASE}/goals/{goal.pk}", {"titel": "Faster, faster"})
    assert answer.status_code == 400
    assert "titel" in answer.json()["detail"]
    goal.refresh_from_db()
    assert goal.title == "Faster close"
    draft = call("editor", "post", f"{BASE}/vision/clarity", {"statement": "x", "horizn": "2030"})
    assert draft.status_code == 400 and "horizn" in draft.json()["detail"]


def test_a_vision_part_or_goal_reason_past_the_limit_is_a_400(call, strategy):
    long = "We will win. " * 500
    answer = call("editor", "post", f"{BASE}/vision/versions", {"statement": long})
    assert (answer.status_code, answer.json()["field"]) == (400, "statement")
    goal = strategy["goals"][0]
    answer = call("editor", "patch", f"{BASE}/goals/{goal.pk}", {"why": long})
    assert (answer.status_code, answer.json()["field"]) == (400, "why")
    assert Vision.objects.count() == 1
