"""What a goal's written words say in figures: a number as people type it, the unit it is in, the
value a target such as "120", "≤ 0.5 %" or "from 600 to 60" states, the day a period such as
"2027-H1" or "Q2 2027" ends, and which way the target says is good.

The goal form (the page, the API and `truenorth goals add` alike) records a target read here as
the goal's target value; the measurement form reads its values with `written_number`; the pace
reads the same words for which way is good and, where no value could be read, for what to say.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

# "1,200" and "12,000.5": commas between groups of three digits. Any other comma is a decimal one.
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def written_number(text: str) -> str:
    """A number as people type it ("12,5", "1,200", "1 200", "15%") as Python reads one."""
    number = re.sub(r"\s", "", text).removesuffix("%")
    if THOUSANDS.fullmatch(number):
        return number.replace(",", "")
    if DECIMAL_COMMA.fullmatch(number):
        return number.replace(",", ".")
    return number


PERCENT = re.compile(r"%|percent|per ?cent", re.IGNORECASE)
TIME_WORDS = {
    "second": "seconds?|secs?|s",
    "minute": "minutes?|mins?",
    "hour": "hours?|hrs?|h",
    "day": "days?|d",
    "week": "weeks?|wks?",
    "month": "months?",
    "year": "years?|yrs?",
}


def unit_kind(unit: str) -> str:
    """The unit as compared: "%" for any way of writing a percentage, "day" for "days" or "d",
    otherwise the unit itself without case or surrounding spaces."""
    unit = unit.strip()
    if PERCENT.fullmatch(unit):
        return "%"
    for name, words in TIME_WORDS.items():
        if re.fullmatch(words, unit, re.IGNORECASE):
            return name
    return unit.casefold()


# Which way is good, as a target says it: a ceiling or a floor, in words or as a sign. "no more
# than" comes before "more than" at the same place, so it reads as a ceiling; "->" is an arrow.
CEILING = r"\b(?:no more than|below|under|less than|fewer than|at most|or less|or fewer)\b|≤|<"
FLOOR = r"\b(?:no less than|above|at least|more than|or more)\b|≥|(?<!-)>"
WAY = re.compile(rf"(?P<lower>{CEILING})|(?P<higher>{FLOOR})", re.IGNORECASE)

# A number alone, as written_number reads it, with the unit after it if any: "120", "0.5 %",
# "1,200 customers", "3 days". One letter is a unit only where it is a length of time ("3 d");
# "40k" is not 40 of anything. "down to" and "up to" join two values, and are no unit.
QUANTITY = (
    r"(?P<number{n}>[+-]?\d(?:[\d ,.]*\d)?)\s*"
    r"(?P<unit{n}>%|per ?cent|(?!(?:down|up|to)\b)[^\W\d_]+)?"
)
BARE = re.compile(
    rf"(?:(?:{CEILING}|{FLOOR})\s*)?{QUANTITY.format(n=1)}(?:\s*(?:{CEILING}|{FLOOR}))?",
    re.IGNORECASE,
)
FROM_TO = re.compile(
    rf"(?:from\s+)?{QUANTITY.format(n=1)}\s*(?:(?:down |up )?to|→|->)\s*{QUANTITY.format(n=2)}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Target:
    """A value the goal aims for, in its unit ("" for none), by a day (None: no day known)."""

    value: float
    unit: str = ""
    on: date | None = None


def quantity(found: re.Match, n: int) -> Target | None:
    """The value and unit of a QUANTITY matched as group `n`, or None where it is not one."""
    try:
        value = float(written_number(found.group(f"number{n}")))
    except ValueError:
        return None
    unit = (found.group(f"unit{n}") or "").strip()
    if PERCENT.fullmatch(unit):
        unit = "%"
    elif len(unit) == 1 and unit_kind(unit) not in TIME_WORDS:
        return None
    return Target(value, unit)


def written_value(text: str) -> Target | None:
    """The value a target written as a number alone states ("120", "≤ 0.5 %", "at least 95%",
    "from 600 to 60": 60), with no day; None for anything more ("70% by June", "3 days by 30
    June 2027"), which only a person can read right."""
    text = text.strip().removesuffix(".")
    if bare := BARE.fullmatch(text):
        return quantity(bare, 1)
    ranged = FROM_TO.fullmatch(text)
    if not ranged:
        return None
    start, end = quantity(ranged, 1), quantity(ranged, 2)
    if start is None or end is None:
        return None
    if start.unit and end.unit and unit_kind(start.unit) != unit_kind(end.unit):
        return None  # "from 3 days to 2 weeks" is not one unit
    return Target(end.value, end.unit or start.unit)


# A period written as a year and its half or quarter, either way round ("2026-H2", "2027 Q1",
# "Q2 2027"), or a whole year ("2027"). Any other wording ("FY27", "Spring") is the
# organisation's own, kept as written, and says no day.
YEAR_FIRST = re.compile(r"(?P<year>\d{4})[-\s]?(?P<part>[HQ])(?P<number>\d+)", re.IGNORECASE)
PART_FIRST = re.compile(r"(?P<part>[HQ])(?P<number>\d+)[-\s]?(?P<year>\d{4})", re.IGNORECASE)
WHOLE_YEAR = re.compile(r"\d{4}")
PARTS_OF_A_YEAR = {"H": 2, "Q": 4}


def half_or_quarter(period: str) -> tuple[int, str, int] | None:
    """(2027, "H", 1) for "2027-H1" or "H1 2027"; None for any other wording."""
    written = YEAR_FIRST.fullmatch(period.strip()) or PART_FIRST.fullmatch(period.strip())
    if not written:
        return None
    return int(written["year"]), written["part"].upper(), int(written["number"])


def period_end(period: str) -> date | None:
    """The last day of a period ("2027-H1": 30 June 2027; "2027": 31 December 2027); None where
    the period does not say (its own wording, or a half or quarter no year has)."""
    if WHOLE_YEAR.fullmatch(period.strip()):
        year, part, number = int(period), "H", 2
    elif parts := half_or_quarter(period):
        year, part, number = parts
    else:
        return None
    if not 1 <= number <= PARTS_OF_A_YEAR[part] or year < 1:
        return None
    month = number * 12 // PARTS_OF_A_YEAR[part]
    return date(year, month, calendar.monthrange(year, month)[1])


def written_target(sentence: str, period: str) -> Target | None:
    """The value the goal's target words state, dated the end of its period where that says
    one; None where the words are more than a number alone."""
    value = written_value(sentence)
    return None if value is None else Target(value.value, value.unit, period_end(period))
