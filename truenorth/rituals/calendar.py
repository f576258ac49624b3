"""The iCalendar feed (RFC 5545) a calendar application subscribes to by its secret URL.

One VEVENT per ritual, repeating by its own rule from its first session in its own time zone
(with the zone's VTIMEZONE, so a 09:30 meeting stays at 09:30 across a daylight-saving change),
an EXDATE for each skipped occurrence, UNTIL once the ritual ended, and an RDATE for each session
held on a day the rule no longer gives. A person's feed carries the rituals they attend or own;
the workspace's, all of them. Calendar applications poll: the feed asks for once an hour
(REFRESH-INTERVAL, and X-PUBLISHED-TTL for Outlook).
"""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from truenorth.rituals import actions, recurrence
from truenorth.rituals.models import CalendarFeed, Occurrence, Ritual, feed_digest
from truenorth.workspaces.actions import host_of

PRODUCT_ID = "-//truenorth//rituals//EN"


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed the token opens, unless revoked; records when it was last read."""
    feed = (
        CalendarFeed.objects.filter(token_digest=feed_digest(token), revoked_at__isnull=True)
        .select_related("workspace", "person")
        .first()
    )
    if feed is not None:
        feed.last_read_at = timezone.now()
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=feed.last_read_at)
    return feed


def revoke(feed: CalendarFeed) -> CalendarFeed:
    """Its URL answers 404 from now on."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_url(token: str) -> str:
    return reverse("calendar_feed", args=[token])


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def ritual_path(ritual: Ritual) -> str:
    return reverse("ritual", args=[ritual.workspace.slug, ritual.number])


def rituals_of(feed: CalendarFeed):
    found = Ritual.objects.filter(workspace=feed.workspace_id).select_related("workspace")
    if feed.person_id is None:
        return found
    return attended_by(found, feed.person)


def attended_by(rituals, person) -> list[Ritual]:
    """The rituals the person attends or owns: what their feed carries."""
    # A workspace holds a handful of rituals: who attends is read the one way it is defined.
    return [ritual for ritual in rituals if in_ritual(ritual, person)]


def in_ritual(ritual: Ritual, person) -> bool:
    if ritual.owner_id == person.pk:
        return True
    return person.active and person.pk in {p.pk for p in actions.attendees(ritual)}


def uid(ritual: Ritual) -> str:
    host = host_of(settings.SITE_URL) or ritual.workspace.slug
    return f"ritual-{ritual.pk}@{host}"


def until(ritual: Ritual, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """The rule's last instant, in UTC as RFC 5545 asks of a zoned DTSTART: its own UNTIL, or
    the second before the start time on the day it ended, whichever comes first."""
    ends = []
    if (own := recurrence.until_of(ritual.rrule, ritual.time_zone)) is not None:
        ends.append(own)
    if ritual.ended_on:
        ended = datetime.combine(ritual.ended_on, ritual.start_time, tzinfo=zone)
        ends.append(ended.astimezone(UTC) - timedelta(seconds=1))
    return min(ends) if ends else None


def off_the_rule(ritual: Ritual) -> tuple[list[datetime], list[datetime]]:
    """(sessions recorded where the rule no longer puts them, as RDATEs; the rule's starts on
    those days, as EXDATEs): the app keeps a session held before the ritual's rule, first date,
    start time or end changed, one a day, so calendars do too."""
    recorded = actions.recorded_starts(ritual)
    if not recorded:
        return [], []
    by_rule = recurrence.starts(ritual, before=recorded[-1] + timedelta(days=1))
    on_rule = set(by_rule)
    extra = [starts_at for starts_at in recorded if starts_at not in on_rule]
    days = {recurrence.local(ritual, starts_at).date() for starts_at in extra}
    replaced = [s for s in by_rule if recurrence.local(ritual, s).date() in days]
    return extra, replaced


def event(ritual: Ritual) -> Event | None:
    """The ritual's sessions as one repeating event; None when it has none at all. DTSTART is
    its first session by the rule, not its first date: a calendar counts DTSTART as a session
    even where the rule gives none."""
    zone = zoneinfo.ZoneInfo(ritual.time_zone)
    first = recurrence.first_start(ritual)
    extra, replaced = off_the_rule(ritual)
    if first is None and not extra:
        return None
    found = Event()
    found.add("uid", uid(ritual))
    found.add("dtstamp", ritual.created_at.astimezone(UTC))
    found.add("dtstart", (first or extra.pop(0)).astimezone(zone))
    found.add("duration", timedelta(minutes=ritual.duration_minutes))
    if first is not None:
        rule = vRecur.from_ical(recurrence.without_until(ritual.rrule))
        last = until(ritual, zone)
        if last is not None:
            rule["UNTIL"] = [last]
            rule.pop("COUNT", None)  # RFC 5545 allows one of the two
        found.add("rrule", rule)
    for starts_at in extra:
        found.add("rdate", starts_at.astimezone(zone))
    skipped = ritual.occurrences.filter(status=Occurrence.Status.SKIPPED)
    for starts_at in [*skipped.values_list("starts_at", flat=True), *replaced]:
        found.add("exdate", starts_at.astimezone(zone))
    found.add("summary", ritual.name)
    page = absolute(ritual_path(ritual))
    found.add("description", f"{ritual.purpose}\n\n{page}".strip())
    found.add("url", page)
    if ritual.location:
        found.add("location", ritual.location)
    return found


def ics(feed: CalendarFeed) -> bytes:
    """The feed as text/calendar."""
    name = feed.workspace.name if feed.person is None else f"{feed.workspace.name}: {feed.person}"
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{name} rituals")
    calendar.add("x-wr-timezone", feed.workspace.time_zone)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for ritual in rituals_of(feed):
        if (found := event(ritual)) is not None:
            calendar.add_component(found)
    calendar.add_missing_timezones()
    return calendar.to_ical()
