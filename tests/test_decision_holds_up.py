"""An open decision holds up only initiatives still to be delivered: one that shipped (or was
dropped) waits on nothing, and the dashboard, the speed page, the update's facts and a ritual's
agenda all read that from decisions.speed.held_up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.decisions import actions, speed
from truenorth.decisions.models import Decision
from truenorth.roadmap.models import Status, Visibility
from truenorth.updates import facts


@pytest.fixture
def waiting(workspace, strategy):
    """Decision 1, open for 30 days, blocking two initiatives: one shipped 35 days ago (before
    it was raised), one still planned."""
    today = timezone.localdate()
    decision = actions.add_decision(
        Decision(
            workspace=workspace,
            title="Subsidiaries mapping",
            question="How do we map subsidiaries?",
            raised_on=today - timedelta(days=30),
        )
    )
    shipped = strategy["initiatives"][Visibility.INTERNAL]
    shipped.status, shipped.actual_date = Status.SHIPPED, today - timedelta(days=35)
    shipped.save()
    planned = strategy["initiatives"][Visibility.PARTNER]
    decision.blocks.add(shipped, planned)
    return decision, shipped, planned


def test_a_shipped_initiative_is_held_up_nowhere(waiting, client_for):
    decision, shipped, planned = waiting
    viewer = client_for("viewer")
    board = viewer.get("/w/acme/alignment.json").json()
    assert board["open_decisions"][0]["blocks"] == [planned.title]
    page = viewer.get("/w/acme/alignment/").content.decode()
    assert f"holds up {planned.title}" in page and shipped.title not in page
    speed = viewer.get("/w/acme/decisions/speed.json").json()
    assert speed["open"][0]["blocks"] == [planned.title]
    (fact,) = facts.open_decisions(decision.workspace, timezone.localdate())
    assert fact["blocks"] == [planned.title]


def test_nothing_is_held_up_once_every_initiative_shipped_or_dropped(waiting, client_for):
    decision, _, planned = waiting
    planned.status = Status.DROPPED
    planned.save()
    board = client_for("viewer").get("/w/acme/alignment.json").json()
    assert board["open_decisions"][0]["blocks"] == []
    (fact,) = facts.open_decisions(decision.workspace, timezone.localdate())
    assert fact["blocks"] == []


def test_the_decision_page_says_it_shipped_without_it(waiting, client_for):
    decision, shipped, planned = waiting
    page = client_for("viewer").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    day = shipped.actual_date
    assert f"{shipped.title} (shipped on {day:%-d %b %Y} without it)" in page
    assert f"{planned.title}</dd>" in page  # still waiting: nothing said


def test_one_that_shipped_after_the_decision_was_made_waited_for_it(waiting, client_for):
    decision, shipped, planned = waiting
    today = timezone.localdate()
    actions.decide(decision, today - timedelta(days=20), "Map them one to one.")
    planned.status, planned.actual_date = Status.SHIPPED, today - timedelta(days=10)
    planned.save()
    page = client_for("viewer").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert f"{shipped.title} (shipped on" in page and f"{planned.title}</dd>" in page


def test_a_ritual_agenda_lists_only_what_still_waits(waiting, workspace):
    from truenorth.rituals import agenda

    _, shipped, planned = waiting
    (line,) = agenda.waiting(workspace, timezone.localdate())["items"]
    assert line["text"].endswith(f"; blocks {planned.title}") and shipped.title not in line["text"]


def test_before_it_shipped_it_was_held_up(waiting):
    decision, shipped, planned = waiting
    before = speed.held_up(decision, shipped.actual_date - timedelta(days=1))
    assert sorted(i.title for i in before) == sorted([shipped.title, planned.title])
