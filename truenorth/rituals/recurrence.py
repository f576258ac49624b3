"""A ritual's dates: its RFC 5545 recurrence rule expanded in its own time zone.

The rule runs over naive wall-clock times and each is then placed in the ritual's zone, so a
weekly 09:30 stays 09:30 local when the clocks change; in UTC it moves by the hour, as a
calendar application shows it. A time that does not exist that day (inside a spring-forward
gap) is read with fold=0, which zoneinfo places an hour later, as calendar applications do.
"""

import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import rrulestr

# Enough for any sensible cadence; a rule that would give more is cut here.
MAX_OCCURRENCES = 2000


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
        rrulestr(text, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as error:
        raise BadRule(f"Not a recurrence rule: {error}.") from error
    # A session is known by its local day, at the start time the ritual gives, and its dates are
    # counted from the first: more than one a day would clash, and by the minute, from years
    # back, a page would count for minutes.
    if set(re.findall(r"FREQ=(\w+)", text)) - {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}:
        raise BadRule("A ritual meets at most daily: FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
    if re.search(r"BY(HOUR|MINUTE|SECOND)=", text):
        raise BadRule("The start time says when it meets: leave out BYHOUR, BYMINUTE, BYSECOND.")
    return text


def starts(ritual, after: datetime | None = None, before: datetime | None = None) -> list[datetime]:
    """The instants (aware, UTC) the ritual's occurrences start, from `after` (inclusive) to
    `before` (exclusive), at most MAX_OCCURRENCES; none from the day it ended on."""
    zone = zoneinfo.ZoneInfo(ritual.time_zone)
    first = datetime.combine(ritual.first_date, ritual.start_time)
    rule = rrulestr(ritual.rrule, dtstart=first)
    found = []
    for wall in rule:
        if ritual.ended_on and wall.date() >= ritual.ended_on:
            break
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
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
