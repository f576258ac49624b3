"""Save rituals and what happens to their occurrences; what views, the CLI and the demo call.

Each action runs in one transaction. Numbers are given under the workspace's row lock
(strategy.actions.lock_workspace), as decisions and updates are. Sending the summary is not an
action on the database alone: it writes to a mail server, outside any transaction, and then
marks the occurrence once (rituals.summary)."""

import hashlib
import json
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.rituals import agenda, health, recurrence
from truenorth.rituals.models import Attendance, Occurrence, Ritual
from truenorth.strategy.actions import lock_workspace
from truenorth.workspaces.models import Person


class BadEnd(ValueError):
    """An end day a ritual cannot have: the message says why."""


class NotStarted(ValueError):
    """A session that has not started yet: nothing happened in it to record."""


def check_rule(ritual: Ritual) -> None:
    """Its rule read and kept with its UNTIL in UTC, and meeting from its first date; BadRule
    otherwise."""
    rule = recurrence.check_rule(ritual.rrule)
    ritual.rrule = recurrence.with_utc_until(rule, ritual.time_zone)
    recurrence.check_first(ritual.rrule, ritual.first_date, ritual.start_time, ritual.time_zone)


def check_end(first_date: date, ended_on: date | None) -> None:
    """An end before the first date would leave a ritual that never was; ending it on its
    first date is how one is called off before it met."""
    if ended_on is not None and ended_on < first_date:
        raise BadEnd(
            f"It cannot end on {ended_on:%-d %B %Y}, before its first date "
            f"({first_date:%-d %B %Y}); to call it off before it meets, end it on its first date."
        )


@transaction.atomic
def create_ritual(ritual: Ritual, people=(), teams=(), by=None) -> Ritual:
    """Save an unsaved ritual as the workspace's next number, with its attendees."""
    check_rule(ritual)
    check_end(ritual.first_date, ritual.ended_on)
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
    """Save an edited ritual; attendees change only when given. Sessions already held stay
    its sessions whatever its rule, first date or end say now (sessions_on, past_sessions)."""
    check_rule(ritual)
    check_end(ritual.first_date, ritual.ended_on)
    ritual.save()
    if people is not None:
        ritual.people.set(people)
    if teams is not None:
        ritual.teams.set(teams)
    return ritual


def end_ritual(ritual: Ritual, on: date | None) -> Ritual:
    """Cancel the ritual from `on`: no session on that day or after it; the sessions held
    before stay. None takes the end back: it meets by its rule again."""
    check_end(ritual.first_date, on)
    ritual.ended_on = on
    ritual.save(update_fields=["ended_on"])
    return ritual


def attendees(ritual: Ritual) -> list[Person]:
    """Active people named, in its teams, or of its functions, and its owner; by name. The
    owner attends the sessions they run: they are marked as having come or not, rate them, and
    count in its attendance and in how many may rate (the anonymity threshold)."""
    invited = Q(rituals=ritual) | Q(team__rituals=ritual) | Q(function__in=ritual.functions or [])
    if ritual.owner_id is not None:
        invited |= Q(pk=ritual.owner_id)
    found = Person.objects.filter(workspace=ritual.workspace_id, active=True).filter(invited)
    return list(found.distinct().order_by("name", "pk"))


def recorded(ritual: Ritual):
    """Its sessions something was recorded in (held, notes, who came, a rating, a decision):
    they stay its sessions whatever its rule, first date or end say now. A session only
    skipped is not among them: a changed rule drops it with its date."""
    kept = (
        Q(status=Occurrence.Status.HELD)
        | ~Q(notes="")
        | Q(attendances__isnull=False)
        | Q(decisions__isnull=False)
    )
    return Occurrence.objects.filter(ritual=ritual).filter(kept).distinct()


def recorded_starts(ritual: Ritual, before: datetime | None = None) -> list[datetime]:
    found = recorded(ritual)
    if before is not None:
        found = found.filter(starts_at__lt=before)
    return list(found.order_by("starts_at").values_list("starts_at", flat=True))


def session_on(ritual: Ritual, day: date) -> datetime | None:
    """The start of its session on that local day: the one recorded, else the rule's."""
    zone = zoneinfo.ZoneInfo(ritual.time_zone)
    begin = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    kept = recorded(ritual).filter(starts_at__gte=begin, starts_at__lt=end)
    held = kept.order_by("starts_at").values_list("starts_at", flat=True).first()
    return held or recurrence.on_day(ritual, day)


def coming_sessions(ritual: Ritual, now: datetime, days: int) -> list[datetime]:
    """Its sessions from now over the next `days` days, by its rule, leaving out a day that keeps
    a session recorded already: a ritual meets once a day, and a start time moved later on a day
    held at the old time does not give that day a second session (session_on)."""
    # A session is recorded once it has started: only today's (local) can share a day ahead.
    kept = recorded(ritual).filter(starts_at__gte=now - timedelta(days=2))
    taken = {recurrence.local(ritual, s).date() for s in kept.values_list("starts_at", flat=True)}
    by_rule = recurrence.starts(ritual, after=now, before=now + timedelta(days=days))
    return [s for s in by_rule if recurrence.local(ritual, s).date() not in taken]


def next_session(ritual: Ritual, now: datetime) -> datetime | None:
    """Its next session at or after now (as the calendar feed has it), or None when it has no
    more."""
    coming = coming_sessions(ritual, now, 800)
    return coming[0] if coming else None


def past_sessions(ritual: Ritual, now: datetime, count: int) -> list[datetime]:
    """The last `count` sessions before now, oldest first: the rule's and those recorded."""
    by_rule = recurrence.previous_starts(ritual, now, count)
    return with_recorded(ritual, by_rule, recorded_starts(ritual, before=now))[-count:]


def with_recorded(ritual: Ritual, by_rule: list[datetime], kept: list[datetime]) -> list[datetime]:
    """The rule's starts and the recorded ones, in order, one a day as a session is known by its
    day: where the start time changed, the one recorded that day, not the rule's new time."""
    days = {recurrence.local(ritual, instant).date() for instant in kept}
    others = [s for s in by_rule if recurrence.local(ritual, s).date() not in days]
    return sorted(set(kept) | set(others))


def is_start(ritual: Ritual, starts_at: datetime) -> bool:
    window = recurrence.starts(ritual, after=starts_at, before=starts_at + timedelta(days=1))
    if window and window[0] == starts_at:
        return True
    return recorded(ritual).filter(starts_at=starts_at).exists()


def check_started(ritual: Ritual, starts_at: datetime) -> None:
    """NotStarted until the session's start time has come (in its own zone: an instant)."""
    if starts_at > timezone.now():
        when = recurrence.local(ritual, starts_at)
        raise NotStarted(
            f"This session starts on {when:%-d %B %Y at %H:%M} ({ritual.time_zone}): its notes, "
            "who came, ratings and decisions are recorded once it has started."
        )


def occurrence(ritual: Ritual, starts_at: datetime, create: bool = False) -> Occurrence | None:
    """The row for that instant (one of the ritual's starts, else ValueError); made on request."""
    if not is_start(ritual, starts_at):
        raise ValueError(f"{ritual} has no occurrence starting at {starts_at:%Y-%m-%d %H:%M}.")
    if create:
        row, _ = Occurrence.objects.get_or_create(ritual=ritual, starts_at=starts_at)
        return row
    return Occurrence.objects.filter(ritual=ritual, starts_at=starts_at).first()


class ChangedSince(ValueError):
    """Notes saved from a page opened before someone else recorded the session's notes or who
    came: saving would silently replace what they recorded."""


def notes_stamp(occurrence: Occurrence | None) -> str:
    """What a notes form is opened on, as a short digest: whether the session was held, its
    notes and who came (never a rating). The form posts it back with what was typed."""
    if occurrence is None:
        opened_on: list = [Occurrence.Status.SCHEDULED, "", []]
    else:
        came = sorted((a.person_id, a.attended) for a in occurrence.attendances.all())
        opened_on = [occurrence.status, occurrence.notes, came]
    return hashlib.sha256(json.dumps(opened_on).encode()).hexdigest()[:16]


@transaction.atomic
def record_notes(
    occurrence: Occurrence, notes: str, attended: list[Person], opened_on: str | None = None
) -> Occurrence:
    """The session was held: its notes, who came (every other attendee was absent) and the
    agenda frozen as it stood, so it reads the same whatever changes afterwards. Given the
    stamp of what a form was opened on (notes_stamp), a session recorded differently since is
    left as it is (ChangedSince)."""
    check_started(occurrence.ritual, occurrence.starts_at)
    if opened_on is not None and opened_on != notes_stamp(occurrence):
        raise ChangedSince("This session was recorded since the page was opened.")
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
    """A decision made in the session, raised and decided in the decision log on the session's
    day (its local day, as its page and context name it) and linked to it."""
    ritual = occurrence.ritual
    check_started(ritual, occurrence.starts_at)
    day = occurrence_day(occurrence)
    decision = Decision(
        workspace=ritual.workspace,
        title=title,
        question=question,
        context=f"Decided in {ritual.name} on {day:%-d %B %Y}.",
        owner=owner,
        raised_on=day,
    )
    # The log takes only a day that has come. The session has started, so its day has come
    # where it meets, though perhaps not yet where the workspace is: a session at 01:00 in
    # Kiritimati on the 7th starts on the 6th in Los Angeles. Judged there, the log read "6
    # Dec" beside "Decided in … on 7 December".
    with timezone.override(zoneinfo.ZoneInfo(ritual.time_zone)):
        decisions.add_decision(decision, by=by)
        decisions.decide(decision, on=day, outcome=outcome, rationale=rationale)
    occurrence.decisions.add(decision)
    return decision


class RatingsClosed(ValueError):
    """A session whose ratings have closed (health.RATINGS_OPEN_FOR after it started)."""


class RatedBeforeLink(ValueError):
    """The login's person rated this session before the login was linked to them."""


def rated_before_link(membership, attendance: Attendance | None) -> bool:
    """Whether the person's rating of a session was given before the login was linked to them
    (people.link_logins): it is theirs, not the login's, which neither reads nor changes it. A
    login given someone's address for a moment read their hidden ratings this way."""
    linked_at, rated_at = membership.linked_at, attendance and attendance.rated_at
    return bool(linked_at and rated_at and rated_at < linked_at)


@transaction.atomic
def rate(
    occurrence: Occurrence, person: Person, worth_it: bool, by=None, at: datetime | None = None
) -> Attendance:
    """One click: was it worth it? Rating says the person came; rating again changes it, but
    not through a login (the membership `by`) linked to them after they rated (RatedBeforeLink),
    nor once the session's ratings have closed (RatingsClosed). `at`: when it was given, now
    unless the demo tells a story."""
    check_started(occurrence.ritual, occurrence.starts_at)
    check_ratings_open(occurrence, at or timezone.now())
    mine = occurrence.attendances.filter(person=person).first() if by else None
    if by and rated_before_link(by, mine):
        raise RatedBeforeLink(
            f"{person.name} rated this session before your login was linked to them: that "
            "rating stays theirs."
        )
    row, _ = Attendance.objects.update_or_create(
        occurrence=occurrence,
        person=person,
        defaults={"attended": True, "worth_it": worth_it, "rated_at": at or timezone.now()},
    )
    return row


def check_ratings_open(occurrence: Occurrence, now: datetime) -> None:
    if health.ratings_closed(occurrence.starts_at, now):
        ritual = occurrence.ritual
        closed = recurrence.local(ritual, health.ratings_close(occurrence.starts_at))
        raise RatingsClosed(
            f"Ratings of this session closed on {closed:%-d %B %Y at %H:%M} ({ritual.time_zone}), "
            "a week after it started: each session's share is shown once, when its ratings "
            "close, so that none moves by one rating while others watch."
        )


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
