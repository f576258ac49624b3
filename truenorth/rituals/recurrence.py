"""A ritual's dates: its RFC 5545 recurrence rule expanded in its own time zone.

The rule runs over naive wall-clock times and each is then placed in the ritual's zone, so a
weekly 09:30 stays 09:30 local when the clocks change; in UTC it moves by the hour, as a
calendar application shows it. A time that does not exist that day (inside a spring-forward
gap) is read with fold=0, which zoneinfo places an hour later, as calendar applications do.

UNTIL is an instant. People write it three ways: in UTC (20270601T000000Z, the form RFC 5545
asks for beside a zoned start, and the one a ritual keeps), as a wall-clock time in the
ritual's zone (20270601T000000), or as a day (20270601, that whole day in the ritual's zone).
"""

import re
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil.rrule import rrulestr

# Enough for any sensible cadence; a rule that would give more is cut here.
MAX_OCCURRENCES = 2000

# The calendar repeats every 400 years, weekdays included (146,097 days are 20,871 weeks), and
# dateutil looks for a rule's next date up to the year 9999 before it gives up. A rule with no
# date in the last 400 years it knows has none at all, and is found out in a blink, not the
# seconds it takes from the year 2000.
LAST_CYCLE = datetime(9599, 1, 1)


class BadRule(ValueError):
    """A recurrence rule that cannot be read: the message says why, for the form."""


def check_rule(rule: str) -> str:
    """The rule, stripped of an "RRULE:" prefix and spaces, or BadRule."""
    text = rule.strip().replace(" ", "").upper().removeprefix("RRULE:")
    if not text:
        raise BadRule("Give a recurrence, e.g. FREQ=WEEKLY;BYDAY=MO.")
    if "FREQ=" not in text:
        raise BadRule("A recurrence needs FREQ= (DAILY, WEEKLY, MONTHLY or YEARLY).")
    try:
        until = until_text(text)
        if until is not None:
            read_until(until, UTC)
        rrulestr(without_until(text), dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as error:
        raise BadRule(f"Not a recurrence rule: {str(error).rstrip('.')}.") from error
    # A session is known by its local day, at the start time the ritual gives, and its dates are
    # counted from the first: more than one a day would clash, and by the minute, from years
    # back, a page would count for minutes.
    if set(re.findall(r"FREQ=(\w+)", text)) - {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}:
        raise BadRule("A ritual meets at most daily: FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
    if re.search(r"BY(HOUR|MINUTE|SECOND)=", text):
        raise BadRule("The start time says when it meets: leave out BYHOUR, BYMINUTE, BYSECOND.")
    if until is not None and "COUNT=" in text:
        raise BadRule("Give COUNT or UNTIL, not both: RFC 5545 allows one.")
    if never_meets(text):
        raise BadRule(
            "This rule never meets: it gives no day at all (COUNT=0, or a day no month has, "
            "such as 30 February)."
        )
    return text


def never_meets(text: str) -> bool:
    """Whatever the first date: INTERVAL and UNTIL are left out, as they only thin the days."""
    kept = ";".join(p for p in text.split(";") if not p.startswith(("UNTIL=", "INTERVAL=")))
    return next(iter(rrulestr(kept, dtstart=LAST_CYCLE)), None) is None


def until_text(rule: str) -> str | None:
    found = re.search(r"(?:^|;)UNTIL=([^;]*)", rule)
    return found.group(1) if found else None


def without_until(rule: str) -> str:
    return ";".join(part for part in rule.split(";") if not part.startswith("UNTIL="))


def read_until(value: str, zone: tzinfo) -> datetime:
    """An UNTIL value as an instant (aware, UTC), in any of the three forms people write; a day
    counts whole, as its last session may start at any time in it."""
    try:
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if "T" in value:
            return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone).astimezone(UTC)
        next_day = datetime.strptime(value, "%Y%m%d") + timedelta(days=1)
        return next_day.replace(tzinfo=zone).astimezone(UTC) - timedelta(seconds=1)
    except (ValueError, OverflowError):
        raise ValueError(
            f"UNTIL={value} is not a date; write it as 20270601, 20270601T000000 or "
            "20270601T000000Z"
        ) from None


def until_of(rule: str, zone_name: str) -> datetime | None:
    """The rule's UNTIL as an instant, read in the ritual's zone; None without one."""
    value = until_text(rule)
    return read_until(value, zoneinfo.ZoneInfo(zone_name)) if value else None


def utc_form(until: datetime) -> str:
    return until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def with_utc_until(rule: str, zone_name: str) -> str:
    """The rule as it is kept and written to calendars: its UNTIL in UTC."""
    until = until_of(rule, zone_name)
    if until is None:
        return rule
    return re.sub(r"(^|;)UNTIL=[^;]*", rf"\g<1>UNTIL={utc_form(until)}", rule)


def expand(rule: str, first_date: date, start_time: time, zone_name: str) -> Iterator[datetime]:
    """The instants (aware, UTC) the rule gives from the first date, in order, up to UNTIL."""
    zone = zoneinfo.ZoneInfo(zone_name)
    until = until_of(rule, zone_name)
    walls = rrulestr(without_until(rule), dtstart=datetime.combine(first_date, start_time))
    for wall in walls:
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
        if until is not None and instant > until:
            return
        yield instant


def check_first(rule: str, first_date: date, start_time: time, zone_name: str) -> None:
    """BadRule when the rule gives no session from the first date (its UNTIL is before it, or
    its INTERVAL steps over every day it names)."""
    if next(expand(rule, first_date, start_time, zone_name), None) is None:
        raise BadRule(
            f"This rule gives no session on or after the first date, {first_date:%-d %B %Y}: "
            "check its UNTIL, its INTERVAL and the first date."
        )


def starts(ritual, after: datetime | None = None, before: datetime | None = None) -> list[datetime]:
    """The instants (aware, UTC) the ritual's occurrences start, from `after` (inclusive) to
    `before` (exclusive), at most MAX_OCCURRENCES; none from the day it ended on."""
    found = []
    for instant in expand(ritual.rrule, ritual.first_date, ritual.start_time, ritual.time_zone):
        if ritual.ended_on and local(ritual, instant).date() >= ritual.ended_on:
            break
        if before is not None and instant >= before:
            break
        if after is None or instant >= after:
            found.append(instant)
            if len(found) >= MAX_OCCURRENCES:
                break
    return found


def next_start(ritual, now: datetime) -> datetime | None:
    """The first start at or after now, or None when the ritual has no more."""
    upcoming = starts(ritual, after=now, before=now + timedelta(days=800))
    return upcoming[0] if upcoming else None


def previous_starts(ritual, now: datetime, count: int) -> list[datetime]:
    """The last `count` starts before now, oldest first."""
    return starts(ritual, before=now)[-count:]


def local(ritual, instant: datetime) -> datetime:
    return instant.astimezone(zoneinfo.ZoneInfo(ritual.time_zone))


def on_day(ritual, day: date) -> datetime | None:
    """The start on that local day, if the rule has one."""
    zone = zoneinfo.ZoneInfo(ritual.time_zone)
    begin = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    found = starts(ritual, after=begin, before=begin + timedelta(days=1, hours=2))
    return next((instant for instant in found if local(ritual, instant).date() == day), None)


def first_start(ritual) -> datetime | None:
    """The rule's first session, unless the ritual ended before it."""
    first = next(expand(ritual.rrule, ritual.first_date, ritual.start_time, ritual.time_zone), None)
    if first is None or (ritual.ended_on and local(ritual, first).date() >= ritual.ended_on):
        return None
    return first
