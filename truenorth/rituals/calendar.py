"""The iCalendar feed (RFC 5545) a calendar application subscribes to by its secret URL.

One VEVENT per ritual, repeating by its own rule from its first date in its own time zone (with
the zone's VTIMEZONE, so a 09:30 meeting stays at 09:30 across a daylight-saving change), an
EXDATE for each skipped occurrence and UNTIL once the ritual ended. A person's feed carries the
rituals they attend or own; the workspace's, all of them. Calendar applications poll: the feed
asks for once an hour (REFRESH-INTERVAL, and X-PUBLISHED-TTL for Outlook).
"""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from truenorth.rituals import actions
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
    # A workspace holds a handful of rituals: who attends is read the one way it is defined.
    return [ritual for ritual in found if in_ritual(ritual, feed.person)]


def in_ritual(ritual: Ritual, person) -> bool:
    if ritual.owner_id == person.pk:
        return True
    return person.active and person.pk in {p.pk for p in actions.attendees(ritual)}


def uid(ritual: Ritual) -> str:
    host = host_of(settings.SITE_URL) or ritual.workspace.slug
    return f"ritual-{ritual.pk}@{host}"


def event(ritual: Ritual) -> Event:
    zone = zoneinfo.ZoneInfo(ritual.time_zone)
    start = datetime.combine(ritual.first_date, ritual.start_time, tzinfo=zone)
    found = Event()
    found.add("uid", uid(ritual))
    found.add("dtstamp", ritual.created_at.astimezone(UTC))
    found.add("dtstart", start)
    found.add("duration", timedelta(minutes=ritual.duration_minutes))
    rule = vRecur.from_ical(ritual.rrule)
    if ritual.ended_on:
        # Inclusive: the last start before the day it ended on (UTC, as RFC 5545 asks of a
        # zoned DTSTART); none at all if it ended before it began.
        rule["UNTIL"] = [
            datetime.combine(ritual.ended_on, ritual.start_time, tzinfo=zone).astimezone(UTC)
            - timedelta(seconds=1)
        ]
        rule.pop("COUNT", None)
    found.add("rrule", rule)
    skipped = ritual.occurrences.filter(status=Occurrence.Status.SKIPPED)
    for starts_at in skipped.values_list("starts_at", flat=True):
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
        calendar.add_component(event(ritual))
    calendar.add_missing_timezones()
    return calendar.to_ical()
