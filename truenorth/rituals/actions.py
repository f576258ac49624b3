"""Save rituals and what happens to their occurrences; what views, the CLI and the demo call.

Each action runs in one transaction. Numbers are given under the workspace's row lock
(strategy.actions.lock_workspace), as decisions and updates are. Sending the summary is not an
action on the database alone: it writes to a mail server, outside any transaction, and then
marks the occurrence once (rituals.summary)."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.rituals import agenda, recurrence
from truenorth.rituals.models import Attendance, Occurrence, Ritual
from truenorth.strategy.actions import lock_workspace
from truenorth.workspaces.models import Person


@transaction.atomic
def create_ritual(ritual: Ritual, people=(), teams=(), by=None) -> Ritual:
    """Save an unsaved ritual as the workspace's next number, with its attendees."""
    ritual.rrule = recurrence.check_rule(ritual.rrule)
    lock_workspace(ritual.workspace)
    latest = Ritual.objects.filter(workspace=ritual.workspace).aggregate(n=Max("number"))["n"]
    ritual.number = (latest or 0) + 1
    if by is not None and getattr(by, "is_authenticated", False):
        ritual.created_by = by
    ritual.save()
    ritual.people.set(people)
    ritual.teams.set(teams)
    return ritual


@transaction.atomic
def save_ritual(ritual: Ritual, people=None, teams=None) -> Ritual:
    """Save an edited ritual; attendees change only when given."""
    ritual.rrule = recurrence.check_rule(ritual.rrule)
    ritual.save()
    if people is not None:
        ritual.people.set(people)
    if teams is not None:
        ritual.teams.set(teams)
    return ritual


def end_ritual(ritual: Ritual, on: date) -> Ritual:
    """Cancel the ritual from `on` (no occurrence on or after that day)."""
    ritual.ended_on = on
    ritual.save(update_fields=["ended_on"])
    return ritual


def attendees(ritual: Ritual) -> list[Person]:
    """Active people named, in its teams, or of its functions; by name."""
    found = Person.objects.filter(workspace=ritual.workspace_id, active=True).filter(
        Q(rituals=ritual) | Q(team__rituals=ritual) | Q(function__in=ritual.functions or [])
    )
    return list(found.distinct().order_by("name", "pk"))


def is_start(ritual: Ritual, starts_at: datetime) -> bool:
    window = recurrence.starts(ritual, after=starts_at, before=starts_at + timedelta(days=1))
    return bool(window) and window[0] == starts_at


def occurrence(ritual: Ritual, starts_at: datetime, create: bool = False) -> Occurrence | None:
    """The row for that instant (one of the ritual's starts, else ValueError); made on request."""
    if not is_start(ritual, starts_at):
        raise ValueError(f"{ritual} has no occurrence starting at {starts_at:%Y-%m-%d %H:%M}.")
    if create:
        row, _ = Occurrence.objects.get_or_create(ritual=ritual, starts_at=starts_at)
        return row
    return Occurrence.objects.filter(ritual=ritual, starts_at=starts_at).first()


@transaction.atomic
def record_notes(occurrence: Occurrence, notes: str, attended: list[Person]) -> Occurrence:
    """The session was held: its notes, who came (every other attendee was absent) and the
    agenda frozen as it stood, so it reads the same whatever changes afterwards."""
    occurrence.notes = notes
    occurrence.status = Occurrence.Status.HELD
    if not occurrence.agenda:
        occurrence.agenda = agenda.build(occurrence.ritual, occurrence.starts_at, results=True)
    occurrence.save()
    came = {person.pk for person in attended}
    expected = {person.pk for person in attendees(occurrence.ritual)} | came
    for person_id in expected:
        Attendance.objects.update_or_create(
            occurrence=occurrence, person_id=person_id, defaults={"attended": person_id in came}
        )
    return occurrence


def occurrence_day(occurrence: Occurrence) -> date:
    return recurrence.local(occurrence.ritual, occurrence.starts_at).date()


@transaction.atomic
def record_decision(
    occurrence: Occurrence, title, question, outcome, rationale="", owner=None, by=None
) -> Decision:
    """A decision made in the session, decided in the decision log and linked to it."""
    ritual = occurrence.ritual
    day = min(occurrence_day(occurrence), timezone.localdate())
    decision = Decision(
        workspace=ritual.workspace,
        title=title,
        question=question,
        context=f"Decided in {ritual.name} on {day:%d %B %Y}.",
        owner=owner,
        raised_on=day,
    )
    decisions.add_decision(decision, by=by)
    decisions.decide(decision, on=day, outcome=outcome, rationale=rationale)
    occurrence.decisions.add(decision)
    return decision


@transaction.atomic
def rate(occurrence: Occurrence, person: Person, worth_it: bool) -> Attendance:
    """One click: was it worth it? Rating says the person came; rating again changes it."""
    row, _ = Attendance.objects.update_or_create(
        occurrence=occurrence,
        person=person,
        defaults={"attended": True, "worth_it": worth_it, "rated_at": timezone.now()},
    )
    return row


class HeldAlready(ValueError):
    """A session whose notes are recorded happened: it cannot be skipped."""


@transaction.atomic
def skip(ritual: Ritual, starts_at: datetime) -> Occurrence:
    """Not held this time: the calendar feed leaves that date out (EXDATE). A session held
    already, perhaps by another editor a moment ago, stays held (HeldAlready)."""
    row = occurrence(ritual, starts_at, create=True)
    not_held = Occurrence.objects.filter(pk=row.pk).exclude(status=Occurrence.Status.HELD)
    if not not_held.update(status=Occurrence.Status.SKIPPED):
        raise HeldAlready("This session was held: its notes are recorded, so it cannot be skipped.")
    row.status = Occurrence.Status.SKIPPED
    return row


def send_summary(occurrence: Occurrence) -> dict:
    """Email the summary to the attendees who did not come, once (rituals.summary)."""
    from truenorth.rituals import summary

    return summary.send(occurrence)
