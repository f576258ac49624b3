"""/api/v1/ work items, their links and history, tracker mappings and link suggestions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api import api_request
from truenorth.roadmap.models import Visibility
from truenorth.work.actions import add_mapping
from truenorth.work.models import LinkedBy, LinkSuggestion, TrackerMapping, WorkItem, WorkItemChange

BASE = "/api/v1/workspaces/acme"
HUGE = "99999999999999999999"


@pytest.fixture
def api(client, users):
    """call(method, path, role, scope="read", body=None): the response, a 500 failing the test."""
    client.raise_request_exception = True

    def call(method, path, role, scope="read", body=None):
        return api_request(client, users[role], method, BASE + path, body, scope)

    return call


def test_it_lists_items_with_their_links_in_a_stable_order(api, strategy):
    response = api("get", "/work_items", "viewer")
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2 and page["pages"] == 1
    linked, orphan = page["items"]
    assert linked["external_key"] == "ENG-1" and linked["supports_a_goal"] is True
    assert linked["initiative"]["title"] == "Internal initiative"
    assert linked["supported_goal"]["title"] == "Faster close"
    assert orphan["supports_a_goal"] is False and orphan["supported_goal"] is None


def test_it_filters_items(api, strategy, team):
    goal = strategy["goals"][0]
    WorkItem.objects.filter(external_key="ENG-2").update(team=team, status="Done")

    def keys(query):
        return [item["external_key"] for item in api("get", query, "member").json()["items"]]

    assert keys("/work_items?link=unlinked") == ["ENG-2"]
    assert keys("/work_items?link=linked") == ["ENG-1"]
    assert keys(f"/work_items?goal={goal.pk}") == ["ENG-1"]  # through its initiative
    assert keys(f"/work_items?team={team.pk}") == ["ENG-2"]
    assert keys("/work_items?team=none") == ["ENG-1"]
    assert keys("/work_items?status=Done") == ["ENG-2"]
    assert keys(f"/work_items?team={HUGE}") == []


@pytest.mark.parametrize(
    "query", ["link=maybe", "source=trello", "team=some", "page=0", "per_page=100000"]
)
def test_a_bad_filter_is_a_400_naming_it(api, strategy, query):
    response = api("get", f"/work_items?{query}", "owner")
    assert response.status_code == 400
    assert response.json()["field"] == query.split("=")[0]


@pytest.mark.parametrize("role, status", [("member", 200), ("partner", 403), ("outsider", 404)])
def test_work_is_for_the_organisation(api, strategy, role, status):
    for path in ("/work_items", "/tracker_mappings", "/link_suggestions"):
        assert api("get", path, role).status_code == status


def test_one_item_with_its_suggestions_and_history(api, strategy):
    orphan = strategy["items"][1]
    goal = strategy["goals"][1]
    LinkSuggestion.objects.create(item=orphan, goal=goal, score=71.5)
    WorkItemChange.objects.create(
        item=orphan, field="status", old_value="To do", new_value="Doing", changed_at=timezone.now()
    )
    found = api("get", f"/work_items/{orphan.pk}", "viewer").json()
    assert [s["goal"]["id"] for s in found["suggestions"]] == [goal.pk]
    history = api("get", f"/work_items/{orphan.pk}/history", "viewer").json()
    assert [(c["old_value"], c["new_value"]) for c in history["items"]] == [("To do", "Doing")]


@pytest.mark.parametrize("item_id", ["0", HUGE, "x"])
def test_an_id_no_item_can_have_is_a_4xx(api, strategy, item_id):
    assert api("get", f"/work_items/{item_id}", "owner").status_code in (400, 404)
    assert api("get", f"/work_items/{item_id}/history", "owner").status_code in (400, 404)


def test_an_item_of_no_such_id_is_not_found(api, strategy):
    assert api("get", f"/work_items/{2**62}", "owner").status_code == 404


def test_an_editor_links_an_item_by_hand(api, strategy):
    orphan, goal = strategy["items"][1], strategy["goals"][1]
    LinkSuggestion.objects.create(item=orphan, goal=strategy["goals"][0], score=60)
    response = api("patch", f"/work_items/{orphan.pk}/link", "editor", "write", {"goal": goal.pk})
    assert response.status_code == 200
    assert response.json()["goal"]["id"] == goal.pk and response.json()["linked_by"] == "hand"
    orphan.refresh_from_db()
    assert orphan.goal == goal and orphan.linked_by == LinkedBy.HAND
    assert not orphan.suggestions.exists()  # the action drops the pending ones
    # and unlinks it again with neither
    response = api("patch", f"/work_items/{orphan.pk}/link", "editor", "write", {})
    assert response.json()["goal"] is None and response.json()["supports_a_goal"] is False


@pytest.mark.parametrize(
    "body, field",
    [
        ({"goal": 10**30}, "goal"),
        ({"initiative": 2**62}, "initiative"),
        ({"goal": 1, "initiative": 1}, "goal"),
        ({"goal": "first"}, "goal"),
    ],
)
def test_a_bad_link_is_a_400_naming_the_field(api, strategy, body, field):
    item = strategy["items"][1]
    response = api("patch", f"/work_items/{item.pk}/link", "owner", "write", body)
    assert response.status_code == 400
    assert response.json()["field"] == field
    item.refresh_from_db()
    assert item.goal_id is None and item.initiative_id is None


def test_readers_and_read_tokens_cannot_link(api, strategy):
    item, goal = strategy["items"][1], strategy["goals"][0]
    path = f"/work_items/{item.pk}/link"
    assert api("patch", path, "member", "write", {"goal": goal.pk}).status_code == 403
    assert api("patch", path, "owner", "read", {"goal": goal.pk}).status_code == 403
    item.refresh_from_db()
    assert item.goal_id is None


def test_mappings_list_what_each_value_serves(api, strategy, workspace):
    initiative = strategy["initiatives"][Visibility.PARTNER]
    add_mapping(workspace, TrackerMapping.Field.LABEL, "close", initiative)
    found = api("get", "/tracker_mappings", "viewer").json()["items"]
    assert [(m["field"], m["value"], m["initiative"]["id"]) for m in found] == [
        ("label", "close", initiative.pk)
    ]


@pytest.fixture
def suggestions(strategy):
    orphan = strategy["items"][1]
    goals = strategy["goals"]
    return [
        LinkSuggestion.objects.create(item=orphan, goal=goals[0], score=80),
        LinkSuggestion.objects.create(item=orphan, goal=goals[1], score=55),
    ]


def test_suggestions_strongest_first_and_by_decision(api, suggestions):
    found = api("get", "/link_suggestions?decision=pending", "member").json()["items"]
    assert [s["score"] for s in found] == [80, 55]
    assert api("get", "/link_suggestions?decision=accepted", "member").json()["count"] == 0
    response = api("get", "/link_suggestions?decision=maybe", "member")
    assert response.status_code == 400 and response.json()["field"] == "decision"


def test_accepting_links_the_item_through_the_action(api, suggestions, users):
    best, other = suggestions
    response = api("post", f"/link_suggestions/{best.pk}/accept", "editor", "write")
    assert response.status_code == 200 and response.json()["decision"] == "accepted"
    item = WorkItem.objects.get(pk=best.item_id)
    assert item.goal_id == best.goal_id and item.linked_by == LinkedBy.SUGGESTION
    best.refresh_from_db()
    assert best.decided_by == users["editor"]
    assert not LinkSuggestion.objects.filter(pk=other.pk).exists()  # the item's others go
    again = api("post", f"/link_suggestions/{best.pk}/accept", "editor", "write")
    assert again.status_code == 409


def test_rejecting_remembers_the_pair(api, suggestions):
    best, _ = suggestions
    response = api("post", f"/link_suggestions/{best.pk}/reject", "owner", "write")
    assert response.status_code == 200 and response.json()["decision"] == "rejected"
    assert WorkItem.objects.get(pk=best.item_id).goal_id is None
    assert api("get", "/link_suggestions?decision=rejected", "viewer").json()["count"] == 1


def test_readers_cannot_decide(api, suggestions):
    best, _ = suggestions
    assert api("post", f"/link_suggestions/{best.pk}/accept", "viewer", "write").status_code == 403
    assert api("post", f"/link_suggestions/{HUGE}/reject", "owner", "write").status_code == 400
    best.refresh_from_db()
    assert best.decision == LinkSuggestion.Decision.PENDING


def test_a_suggestion_to_an_archived_goal_is_not_offered(api, suggestions):
    best, _ = suggestions
    best.goal.archived_at = timezone.now() - timedelta(days=1)
    best.goal.save()
    found = api("get", "/link_suggestions?decision=pending", "member").json()["items"]
    assert best.pk not in [s["id"] for s in found]
    assert api("post", f"/link_suggestions/{best.pk}/accept", "owner", "write").status_code == 404
