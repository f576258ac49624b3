"""A recurrence rule in plain words ("Every Monday at 09:30 (Europe/Berlin)", "The first Tuesday
of every month"), and the rules the New ritual form builds from simple choices.

Only the rules people write by hand are put into words; anything else is shown as "Repeats by
the rule …" rather than described wrongly.
"""

import zoneinfo
from datetime import UTC, time

from truenorth.rituals import recurrence
from truenorth.rituals.models import Kind

WEEKDAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
EVERY_NTH = {2: "other", 3: "third", 4: "fourth", 6: "sixth"}
QUARTER_MONTHS = "1,4,7,10"

# What each kind of ritual usually is: (cadence, weekday, nth) for the form's simple choices.
SUGGESTED = {
    Kind.WEEKLY_UPDATE: ("weekly", "MO", 1),
    Kind.ROADMAP_REVIEW: ("monthly", "TU", 1),
    Kind.STRATEGY_SESSION: ("quarterly", "WE", 1),
    Kind.OTHER: ("weekly", "MO", 1),
}


def rule_for(cadence: str, weekday: str, nth: int) -> str:
    """The RRULE of the form's simple choices: weekly on a day, monthly on the nth weekday, or
    quarterly on the nth weekday of January, April, July and October."""
    if cadence == "weekly":
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if cadence == "monthly":
        return f"FREQ=MONTHLY;BYDAY={nth}{weekday}"
    if cadence == "quarterly":
        return f"FREQ=YEARLY;BYMONTH={QUARTER_MONTHS};BYDAY={nth}{weekday}"
    raise ValueError(f"unknown cadence {cadence!r}")


def parts_of(rule: str) -> dict[str, str]:
    text = rule.strip().removeprefix("RRULE:").upper()
    parts = {}
    for item in text.split(";"):
        key, _, value = item.partition("=")
        if key:
            parts[key.strip()] = value.strip()
    return parts


def ordinal_day(day: int) -> str:
    if day < 0:
        return "last day" if day == -1 else f"{ordinal_day(-day)} last day"
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def weekday_words(byday: str, setpos: str = "") -> tuple[list[str], list[str]] | None:
    """(ordinal phrases like "first Tuesday", plain days like "Monday"), or None if unreadable."""
    nth, plain = [], []
    for entry in byday.split(","):
        code, number = entry[-2:], entry[:-2]
        if code not in WEEKDAYS:
            return None
        if not number and setpos:
            number = setpos
        if number:
            try:
                count = int(number)
            except ValueError:
                return None
            if count not in ORDINALS:
                return None
            nth.append(f"{ORDINALS[count]} {WEEKDAYS[code]}")
        else:
            plain.append(WEEKDAYS[code])
    return nth, plain


def every(interval: int, unit: str) -> str:
    if interval == 1:
        return f"every {unit}"
    if interval in EVERY_NTH:
        return f"every {EVERY_NTH[interval]} {unit}"
    return f"every {interval} {unit}s"


def frequency_words(parts: dict[str, str]) -> str | None:
    freq = parts.get("FREQ")
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return None
    if interval < 1:
        return None
    days = weekday_words(parts["BYDAY"], parts.get("BYSETPOS", "")) if "BYDAY" in parts else None
    if "BYDAY" in parts and days is None:
        return None
    nth, plain = days or ([], [])
    months = parts.get("BYMONTH", "")
    if freq == "DAILY" and not parts.keys() - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}:
        return every(interval, "day").capitalize()
    if freq == "WEEKLY" and not nth:
        if not plain:
            return every(interval, "week").capitalize()
        if sorted(plain) == sorted(WEEKDAYS[d] for d in ("MO", "TU", "WE", "TH", "FR")):
            return (
                "Every weekday"
                if interval == 1
                else f"{every(interval, 'week').capitalize()} on weekdays"
            )
        if interval == 1:
            return f"Every {listed(plain)}"
        if interval == 2:
            return f"Every other {listed(plain)}"
        return f"{every(interval, 'week').capitalize()} on {listed(plain)}"
    if freq == "MONTHLY" and not months:
        when = every(interval, "month")
        if nth and not plain:
            return f"The {listed(nth)} of {when}"
        if not days and "BYMONTHDAY" in parts:
            try:
                numbers = [int(d) for d in parts["BYMONTHDAY"].split(",")]
            except ValueError:
                return None
            return f"The {listed([ordinal_day(n) for n in numbers])} of {when}"
        if not days and "BYMONTHDAY" not in parts:
            return when.capitalize()
    if freq == "YEARLY" and months and nth and not plain and interval == 1:
        try:
            names = [MONTHS[int(m) - 1] for m in months.split(",")]
        except (ValueError, IndexError):
            return None
        return f"The {listed(nth)} of {listed(names)}"
    return None


def until_words(parts: dict[str, str], zone: str = "") -> str:
    if "COUNT" in parts:
        return ", once" if parts["COUNT"] == "1" else f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        # Kept in UTC: the day is the one in the ritual's zone, where its sessions are.
        where = zoneinfo.ZoneInfo(zone) if zone else UTC
        try:
            last = recurrence.read_until(parts["UNTIL"], where).astimezone(where).date()
        except ValueError:
            return ""
        return f", until {last.day} {last:%B %Y}"
    return ""


def describe(rule: str, at: time | None = None, zone: str = "") -> str:
    """The rule in plain words, with the time and its zone when given."""
    parts = parts_of(rule)
    words = frequency_words(parts)
    if words is None:
        return f"Repeats by the rule {rule.strip().removeprefix('RRULE:')}"
    if at is not None:
        words += f" at {at:%H:%M}"
        if zone:
            words += f" ({zone})"
    return words + until_words(parts, zone)


def of(ritual) -> str:
    """A ritual's cadence in plain words: "Every Monday at 09:30 (Europe/Berlin)"."""
    return describe(ritual.rrule, ritual.start_time, ritual.time_zone)


def simple_choices(rule: str) -> tuple[str, str, int] | None:
    """(cadence, weekday, nth) when the rule is one the form's simple choices make, else None
    (the edit form then shows it in the advanced field)."""
    parts = parts_of(rule)
    byday = parts.get("BYDAY", "")
    code, number = byday[-2:], byday[:-2]
    if code not in WEEKDAYS or "," in byday:
        return None
    freq, keys = parts.get("FREQ"), set(parts)
    if freq == "WEEKLY" and keys == {"FREQ", "BYDAY"} and not number:
        return "weekly", code, 1
    nth = int(number) if number.lstrip("-").isdigit() else None
    if nth is None or nth not in ORDINALS:
        return None
    if freq == "MONTHLY" and keys == {"FREQ", "BYDAY"}:
        return "monthly", code, nth
    quarterly = parts.get("BYMONTH") == QUARTER_MONTHS
    if freq == "YEARLY" and keys == {"FREQ", "BYMONTH", "BYDAY"} and quarterly:
        return "quarterly", code, nth
    return None
