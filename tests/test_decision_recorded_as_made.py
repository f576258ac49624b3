"""A decision raised and decided the same day (recorded in a ritual session as it was made) says
nothing of how long deciding took: the days-to-decide medians leave it out and say so; the
headline and the trend say which median each is; and a decision's advice follows its status."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.rituals import weekly_ritual
from truenorth.decisions import actions, speed
from truenorth.decisions.models import Comment, Decision, Kind, Status
from truenorth.rituals import actions as rituals
from truenorth.rituals import recurrence


def d(raised, decided=None, status=Status.DECIDED):
    return Decision(raised_on=raised, decided_on=decided, status=status)


def test_same_day_decisions_are_left_out_of_every_median():
    decisions = [
        d(date(2026, 5, 1), date(2026, 5, 21)),  # 20 days
        d(date(2026, 5, 10), date(2026, 5, 12)),  # 2 days
        d(date(2026, 5, 25), date(2026, 5, 25)),  # recorded as made
        d(date(2026, 5, 26), date(2026, 5, 26)),  # recorded as made
    ]
    assert speed.median_days(decisions) == 11  # not 1, the median with the two zeros
    assert speed.recent_latency(decisions, date(2026, 6, 1)) == (11, 2)
    assert speed.monthly_trend(decisions) == [("2026-05", 11)]
    assert speed.recorded_as_made(decisions) == 2
    assert [g.count for g in speed.by_group(decisions, lambda _: "all")] == [2]


def new(workspace, title, raised, decided) -> Decision:
    decision = actions.add_decision(
        Decision(workspace=workspace, title=title, question=f"{title}?", raised_on=raised)
    )
    return actions.decide(decision, decided, "Yes.")


@pytest.fixture
def log(workspace):
    today = timezone.localdate()
    new(workspace, "Ledger", today - timedelta(days=30), today - timedelta(days=10))
    return new(workspace, "Beta first", today - timedelta(days=5), today - timedelta(days=5))


def test_the_dashboard_says_what_its_median_leaves_out(log, client_for):
    board = client_for("viewer").get("/w/acme/alignment.json").json()
    latency = next(s for s in board["organisation"] if s["key"] == "decisions.latency")
    assert latency["value"] == 20  # not 10, the median of 20 and 0
    assert "Median of 1 decision made in the last 90 days." in latency["note"]
    assert (
        "1 decision recorded as it was made (raised and decided the same day) is not counted"
        in (latency["note"])
    )
    assert latency["basis"] == "median of the last 90 days"
    assert latency["trend_of"].startswith("each month's own median")


def test_the_speed_page_says_what_its_medians_leave_out(log, client_for):
    viewer = client_for("viewer")
    page = viewer.get("/w/acme/decisions/speed/").content.decode()
    assert 'id="recorded-as-made"' in page
    assert "1 decision recorded as it was made" in page and "is not counted" in page
    assert "Median days to decide, last 90 days" in page and "month by month" in page
    assert "Median of 1 of the 2 decisions made so far" in page
    assert "Median of 1 decision made in the last 90 days" in page
    data = viewer.get("/w/acme/decisions/speed.json").json()
    assert (data["recent_median_days"], data["recent_count"], data["recorded_as_made"]) == (
        20,
        1,
        1,
    )
    # The median says how many it is of: "decided" counts both.
    assert (data["median_days"], data["decided"], data["counted"], data["not_counted"]) == (
        20,
        2,
        1,
        1,
    )
    assert data["not_counted_why"].startswith("1 decision recorded as it was made")


def test_the_record_does_not_say_it_took_0_days(log, client_for):
    page = client_for("viewer").get(f"/w/acme/decisions/{log.number}/").content.decode()
    assert "Took 0 days" not in page and "recorded as it was made" in page
    listed = client_for("viewer").get("/w/acme/decisions/").content.decode()
    assert "Took 0 days" not in listed and "Recorded as it was made" in listed


def test_a_decision_recorded_in_a_session_is_dated_without_a_leading_zero(workspace, team):
    ritual = weekly_ritual(workspace, team)
    starts = recurrence.previous_starts(ritual, timezone.now(), 10)
    held = next(s for s in starts if recurrence.local(ritual, s).day < 10)
    row = rituals.occurrence(ritual, held, create=True)
    decision = rituals.record_decision(row, "Beta first", "Release to all?", "Beta first.")
    when = recurrence.local(ritual, held)
    assert decision.context == f"Decided in {ritual.name} on {when.day} {when:%B %Y}."
    assert " on 0" not in decision.context
    assert speed.recorded_as_made([decision]) == 1


def objections(decision, n=3):
    for i in range(n):
        Comment.objects.create(decision=decision, text=f"No {i}.", kind=Kind.OBJECTION)


def test_the_advice_on_objections_follows_the_status(workspace, client_for):
    today = timezone.localdate()
    open_one = actions.add_decision(
        Decision(workspace=workspace, title="Office", question="Berlin?", raised_on=today)
    )
    objections(open_one)
    url = f"/w/acme/decisions/{open_one.number}/"
    assert "Hear them out" not in client_for("viewer").get(url).content.decode()  # not theirs
    page = client_for("editor").get(url).content.decode()
    assert "Hear them out, then decide and explain." in page
    actions.decide(open_one, today, "Berlin in May.")
    page = client_for("editor").get(url).content.decode()
    assert "then decide" not in page and "It is decided: explain why" in page
