"""The demo's rituals: Larkspur's weekly product update, monthly roadmap review and quarterly
strategy session, in the workspace's time zone.

The weekly update was held on the last four Mondays up to the moment the demo is built (on a
Monday, that morning's too once it has started), with notes, who came and their one-click
ratings. Fewer found it worth it each week (4 of 6, then 2 of 6, then 1 of 6: 7 of 18 over the
three, under half), so its health suggests reshaping it; the latest session began less than a
week ago, so its ratings are still open and its share is not shown yet, whatever the day and
hour. (Counting only the Mondays before the day it is built left a Monday's demo with a latest
session a week old, its ratings closed by the time of day.)
The latest session recorded a decision in the decision log (with a question on it), and its summary was sent to those
who missed it (marked sent here: the demo sends no mail). No calendar feed is made: a feed's
token is a secret shown once.

The sessions are held while the demo is built, before its pulses are analysed; once they are,
`truenorth demo` freezes their agendas again (freeze_again): in a real workspace the Q3 pulse's
results were published long before November's sessions, and an agenda frozen without them would
say that no pulse had published results yet.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from truenorth.decisions.models import Comment
from truenorth.rituals import actions, agenda, recurrence
from truenorth.rituals.models import Kind, Occurrence, Ritual
from truenorth.workspaces.models import Function, Person, Team, Workspace

WEEKLY_NOTES = [
    "Walked through the quarter's roadmap. Design showed the approver inbox prototype and the "
    "questions ran ten minutes over; nobody minded.",
    "Approvals from Slack are in beta with twelve customers; Teams follows. Capture walked "
    "through the new line-item model. No blockers raised.",
    "Mostly status reading: each team read its board aloud. The NetSuite sync rewrite moved "
    "again; we ran out of time before discussing what that means for the ERP wizard.",
    "The ERP sync slip took the whole session. Agreed the wizard waits for the retry queue. "
    "Several people said this could have been an email: next time, send the status ahead and "
    "keep the hour for the open decisions.",
]
# The initiatives the latest session's decision is about: the wizard waits for the retry queue.
WAITS_ON = ("RM-07", "RM-20")
# (said worth it, rated) per session, oldest first: falling; the latest's ratings still open.
RATINGS = [(4, 6), (2, 6), (1, 6), (1, 5)]
ABSENT = [2, 3, 4, 6]  # expected attendees who did not come, per session


def first_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def build_rituals(workspace: Workspace, people: dict[str, Person], today: date) -> None:
    def person(name: str) -> Person:
        return next(p for p in people.values() if p.name == name)

    teams = {t.name: t for t in Team.objects.filter(workspace=workspace)}
    zone = workspace.time_zone
    owner = person("Nadia Karimi")
    weekly = actions.create_ritual(
        Ritual(
            workspace=workspace,
            name="Weekly product update",
            kind=Kind.WEEKLY_UPDATE,
            purpose="What shipped, what moved and what needs deciding this week, so product, "
            "design and engineering leave with the same picture.",
            owner=owner,
            functions=[Function.PRODUCT, Function.DESIGN],
            first_date=first_on_or_before(today - timedelta(days=28), 0),
            start_time=time(9, 30),
            duration_minutes=45,
            time_zone=zone,
            rrule="FREQ=WEEKLY;BYDAY=MO",
            location="Video call",
        ),
        people=[person("Tanya Ivanova"), person("Mei Tanaka"), person("Rosa Delgado")],
        teams=[teams["Integrations"]],
    )
    actions.create_ritual(
        Ritual(
            workspace=workspace,
            name="Monthly roadmap review",
            kind=Kind.ROADMAP_REVIEW,
            purpose="Check the roadmap against the goals: what we promised, what slipped, "
            "what we stop.",
            owner=owner,
            functions=[Function.LEADERSHIP, Function.PRODUCT],
            first_date=first_on_or_before(today - timedelta(days=90), 1),
            start_time=time(10, 0),
            duration_minutes=90,
            time_zone=zone,
            rrule="FREQ=MONTHLY;BYDAY=1TU",
            location="Board room",
        ),
        teams=[teams["Design"]],
    )
    actions.create_ritual(
        Ritual(
            workspace=workspace,
            name="Quarterly strategy session",
            kind=Kind.STRATEGY_SESSION,
            purpose="Revisit the vision and the goals with what the pulses and the market say.",
            owner=person("Maya Lindqvist"),
            functions=[Function.LEADERSHIP],
            first_date=first_on_or_before(today - timedelta(days=200), 2),
            start_time=time(13, 0),
            duration_minutes=180,
            time_zone=zone,
            rrule="FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1WE",
        ),
        people=[person("Nadia Karimi"), person("Tanya Ivanova"), person("Natalie Brooks")],
    )
    hold_weekly(weekly, today, owner)


def hold_weekly(ritual: Ritual, today: date, owner: Person) -> None:
    """The last four Mondays' sessions: notes, who came, ratings (each an hour after its
    session, or now for one that began within the hour: the older ones' ratings have closed
    since), a decision, a summary."""
    tomorrow = datetime.combine(
        today + timedelta(days=1), time.min, tzinfo=zoneinfo.ZoneInfo(ritual.time_zone)
    )
    until = min(timezone.now(), tomorrow)
    held = recurrence.previous_starts(ritual, until, len(WEEKLY_NOTES))
    expected = actions.attendees(ritual)
    # Each agenda frozen before anything is written, so the dashboard it quotes is read once.
    agendas = [agenda.build(ritual, starts_at, results=True) for starts_at in held]
    for number, (starts_at, notes, (yes, rated), absent) in enumerate(
        zip(held, WEEKLY_NOTES, RATINGS, ABSENT, strict=True)
    ):
        # Who missed it changes from week to week: a different slice of the list each time.
        start = (number * 5) % len(expected)
        missed = {p.pk for p in (expected[start:] + expected[:start])[:absent]}
        came = [p for p in expected if p.pk not in missed]
        occurrence = actions.occurrence(ritual, starts_at, create=True)
        occurrence.agenda = agendas[number]
        actions.record_notes(occurrence, notes, came)
        for index, person in enumerate(came[:rated]):
            rated_at = min(starts_at + timedelta(hours=1), until)
            actions.rate(occurrence, person, worth_it=index < yes, at=rated_at)
        if number == len(held) - 1:
            decision = actions.record_decision(
                occurrence,
                "ERP connection wizard waits for the retry queue",
                "Do we ship the ERP connection wizard before the sync retry queue is done?",
                "No: the wizard ships after the retry queue, so a failed posting is retried "
                "rather than lost.",
                "A wizard that connects to a sync that fails quietly costs every NetSuite "
                "customer; reliability is the goal both serve.",
                owner=owner,
            )
            # What it decides the order of: the sync rewrite that brings the retry queue (RM-07),
            # and the wizard, now due after it (RM-20).
            decision.initiatives.set(ritual.workspace.initiatives.filter(key__in=WAITS_ON))
            # Saved unsorted, as the demo's other comments: the classifier runs after the build.
            Comment.objects.create(
                decision=decision,
                author=next(p for p in expected if p.name == "Kwame Mensah"),
                text="Who tells the NetSuite customers already waiting for the wizard, and "
                "which date do we give them now?",
            )
            occurrence.summary_sent_at = min(starts_at + timedelta(hours=2), until)
            occurrence.save(update_fields=["summary_sent_at"])


def freeze_again(workspace: Workspace) -> None:
    """The held sessions' agendas as they stood on their days, now that the pulses that closed
    before them have their results."""
    held = Occurrence.objects.filter(ritual__workspace=workspace, status=Occurrence.Status.HELD)
    for occurrence in held.select_related("ritual__workspace"):
        occurrence.agenda = agenda.build(occurrence.ritual, occurrence.starts_at, results=True)
        occurrence.save(update_fields=["agenda"])
