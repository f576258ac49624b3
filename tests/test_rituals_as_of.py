"""A past session's agenda reads as of its day: a slip of work committed then stays a slip after
the work shipped, and the signals come from the pulses closed before it, not today's."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.rituals import weekly_ritual
from truenorth.analysis import measures
from truenorth.rituals import agenda, recurrence
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, Status, Visibility
from truenorth.updates import facts


def session_day(ritual, instant):
    return recurrence.local(ritual, instant).date()


def noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def ritual(workspace, team):
    return weekly_ritual(workspace, team)


@pytest.fixture
def sessions(ritual):
    """The session three weeks ago and the one before it."""
    before, session = recurrence.previous_starts(ritual, timezone.now(), 4)[:2]
    return before, session


def initiative(workspace, team, title, status, target):
    return Initiative.objects.create(
        workspace=workspace,
        title=title,
        team=team,
        status=status,
        visibility=Visibility.INTERNAL,
        target_date=target,
    )


def ship(item, on):
    item.status, item.actual_date = Status.SHIPPED, on
    save_initiative(item, at=noon(on))


def section(found, key):
    return next(s for s in found["sections"] if s["key"] == key)


def texts(found, key):
    return [item["text"] for item in section(found, key)["items"]]


def test_a_slip_of_work_committed_then_stays_a_slip_after_it_shipped(
    workspace, team, ritual, sessions
):
    before, session = sessions
    day = session_day(ritual, session)
    moved_on = day - timedelta(days=2)
    item = initiative(
        workspace, team, "Line-item extraction", Status.COMMITTED, day + timedelta(10)
    )
    item.target_date = day + timedelta(days=31)
    save_initiative(item, at=noon(moved_on))
    ship(item, timezone.localdate() - timedelta(days=1))

    found = agenda.build(ritual, session, results=True)
    assert texts(found, "slips") == [
        f"Line-item extraction slipped 21 days, to {item.target_date.isoformat()}"
    ]
    assert not any("target moved" in text for text in texts(found, "changed"))
    # An update of that week says the same: committed when its date moved.
    entries = {item.pk: facts.initiative_entry(item)}
    moves = facts.date_changes(workspace, entries, session_day(ritual, before), day)
    assert [(m["kind"], m["committed"]) for m in moves] == [("slip", True)]


def test_a_date_moved_while_planned_is_no_slip_of_committed_work(workspace, team, ritual, sessions):
    before, session = sessions
    day = session_day(ritual, session)
    item = initiative(workspace, team, "Mobile approvals", Status.PLANNED, day + timedelta(10))
    item.target_date = day + timedelta(days=20)
    save_initiative(item, at=noon(day - timedelta(days=3)))
    # Committed with a later date in one save: the date it had was only intended.
    item.status, item.target_date = Status.COMMITTED, day + timedelta(days=40)
    save_initiative(item, at=noon(day - timedelta(days=2)))

    entries = {item.pk: facts.initiative_entry(item)}
    moves = facts.date_changes(workspace, entries, session_day(ritual, before), day)
    assert [m["committed"] for m in moves] == [False, False]
    found = agenda.build(ritual, session, results=True)
    assert texts(found, "slips") == []
    assert "Mobile approvals: Planned → Committed (commitment gained)" in texts(found, "changed")


def test_work_overdue_then_is_overdue_in_that_sessions_agenda(workspace, team, ritual, sessions):
    _, session = sessions
    day = session_day(ritual, session)
    item = initiative(workspace, team, "Bank feeds", Status.COMMITTED, day - timedelta(days=5))
    ship(item, timezone.localdate() - timedelta(days=1))
    found = agenda.build(ritual, session, results=True)
    assert texts(found, "slips") == [
        f"Bank feeds is 5 days past its target of {(day - timedelta(days=5)).isoformat()}"
    ]


def test_status_changes_are_said_with_their_labels(workspace, team, ritual, sessions):
    _, session = sessions
    day = session_day(ritual, session)
    item = initiative(workspace, team, "Approvals", Status.COMMITTED, day + timedelta(days=30))
    item.status = Status.IN_PROGRESS
    save_initiative(item, at=noon(day - timedelta(days=1)))
    changed = texts(agenda.build(ritual, session, results=True), "changed")
    assert "Approvals: Committed → In progress" in changed
    assert not any("in_progress" in text for text in changed)


def test_a_past_sessions_signals_come_from_the_pulse_closed_before_it(db, analysed_demo):
    workspace = analysed_demo
    pulses = list(workspace.checkins.filter(finalised_at__isnull=False).order_by("closes_at"))
    earlier, latest = pulses[-2], pulses[-1]
    ritual = weekly_ritual(workspace, workspace.teams.first())
    between = [
        s
        for s in recurrence.previous_starts(ritual, timezone.now(), 10)
        if earlier.closes_at < s < latest.closes_at
    ]
    session = between[-1]
    day = session_day(ritual, session)
    found = agenda.build(ritual, session, results=True)

    pulse = texts(found, "pulse")[0]
    assert pulse.startswith(earlier.title)
    items = section(found, "signals")["items"]
    latest_page = reverse("checkin", args=[workspace.slug, latest.pk])
    assert not any(item.get("path", "").startswith(latest_page) for item in items)
    # Functions' reading of the vision, as the earlier pulse's report has it.
    across = [
        pair["coherence"]
        for question in earlier.report.data["questions"]
        if question["role"] == "vision" and not question.get("suppressed")
        for pair in question.get("across", [])
        if pair["coherence"] is not None
    ]
    mean = round(sum(across) / len(across))
    name = measures.measure("functions.vision_coherence").name
    functions = [item for item in items if item["text"].startswith(name)]
    assert functions and f"{mean} / 100" in functions[0]["text"]
    assert functions[0]["path"].startswith(reverse("checkin", args=[workspace.slug, earlier.pk]))
    # Windows end on the session's day; what is measured only today is left out, saying so.
    for item in items:
        assert "last 90 days" not in (item.get("note") or "")
    assert agenda.NOT_DATED in [item["text"] for item in items]
    assert not any(item["text"].startswith("Vision clarity") for item in items)
    assert day < timezone.localdate()


def test_todays_session_reads_the_dashboard_as_it_is(db, analysed_demo):
    ritual = analysed_demo.rituals.get(name="Weekly product update")
    coming = recurrence.next_start(ritual, timezone.now())
    found = agenda.build(ritual, coming, results=True)
    assert agenda.NOT_DATED not in texts(found, "signals")


def test_a_past_sessions_decisions_are_those_open_and_made_as_of_its_day(
    workspace, ritual, sessions
):
    """The agenda of a session three weeks ago said "No decision is waiting" of one open then and
    decided since, and left out one decided before it and reversed since."""
    from truenorth.decisions import actions as decisions
    from truenorth.decisions.models import Decision

    before, session = sessions
    day = session_day(ritual, session)
    since = session_day(ritual, before)

    def raised(title, on):
        return decisions.add_decision(
            Decision(workspace=workspace, title=title, context="Why it matters.", raised_on=on)
        )

    waiting_then = raised("Do we drop the old importer?", day - timedelta(days=9))
    decisions.decide(waiting_then, day + timedelta(days=3), "Yes.", "Nobody uses it.")
    made_then = raised("Do we price per seat?", since - timedelta(days=5))
    decisions.decide(made_then, day - timedelta(days=1), "Yes, per seat.", "Buyers expect it.")
    decisions.reverse(made_then, "Usage pricing won after all.", day + timedelta(days=4))

    found = agenda.build(ritual, session, results=True)
    assert texts(found, "decisions") == [
        f"Do we drop the old importer? (decision {waiting_then.number}): open 9 days"
    ]
    assert f"Decided: Do we price per seat? (decision {made_then.number})" in texts(
        found, "changed"
    )
