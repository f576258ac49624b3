"""`updated_since` on goals, initiatives and work items: every way each changes moves its time
(a save, a reorder or archive, an import's bulk write, a mapping or a hand link), and partners
may not ask it of the roadmap (an internal field's change would tell them of it)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api import api_request
from tests.test_import_workitems import GOOD, MAPPING
from truenorth.roadmap.actions import archive_initiative, save_initiative
from truenorth.roadmap.models import Initiative
from truenorth.strategy.actions import save_goal
from truenorth.strategy.models import Goal
from truenorth.work.actions import link_work_item
from truenorth.work.imports import import_work_items
from truenorth.work.models import WorkItem

BASE = "/api/v1/workspaces/acme"


@pytest.fixture
def since(strategy):
    """Every row changed an hour ago; the time after which nothing has changed since."""
    hour_ago = timezone.now() - timedelta(hours=1)
    for model in (Goal.all_objects, Initiative.all_objects, WorkItem.objects):
        model.update(updated_at=hour_ago)
    return (hour_ago + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def changed(client, users, since):
    """What the API lists as changed since: `changed(path)` gives the ids (or keys)."""
    client.raise_request_exception = True

    def ids(path: str, role: str = "viewer") -> list:
        answer = api_request(client, users[role], "get", f"{BASE}/{path}", None, "read")
        assert answer.status_code == 200, answer.content
        return [i.get("external_key", i["id"]) for i in answer.json()["items"]]

    return lambda path, role="viewer": ids(f"{path}?updated_since={since}", role)


def test_a_saved_goal_is_listed_and_the_others_are_not(strategy, changed):
    assert changed("goals") == []
    first = strategy["goals"][0]
    first.why = "Closing late costs our customers a week each month."
    save_goal(first)
    assert changed("goals") == [first.pk]


def test_an_initiatives_save_and_archive_move_its_time(strategy, changed):
    internal, shared = strategy["initiatives"]["internal"], strategy["initiatives"]["public"]
    internal.status = "committed"
    save_initiative(internal)
    assert changed("initiatives") == [internal.pk]
    archive_initiative(shared)  # off the list; its time moved for whoever reads it by id
    moved = Initiative.all_objects.get(pk=shared.pk).updated_at
    assert moved > timezone.now() - timedelta(minutes=1)


def test_partners_cannot_ask_what_changed_on_the_roadmap(client, users, since):
    answer = api_request(
        client, users["partner"], "get", f"{BASE}/initiatives?updated_since={since}", None, "read"
    )
    assert answer.status_code == 400 and answer.json()["field"] == "updated_since"


def test_a_hand_link_and_an_imports_bulk_write_move_a_work_items_time(workspace, strategy, changed):
    orphan = strategy["items"][1]
    link_work_item(orphan, strategy["goals"][1])
    assert changed("work_items") == [orphan.external_key]
    import_work_items(workspace, io.StringIO(GOOD), MAPPING)  # three new items
    assert len(changed("work_items")) == 4
    WorkItem.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    again = GOOD.replace("Show sync errors in the inbox,In Progress", "Show sync errors,Done")
    import_work_items(workspace, io.StringIO(again), MAPPING)  # ENG-102 changed, in bulk
    assert changed("work_items") == ["ENG-102"]
