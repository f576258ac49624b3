"""Numbers in a restatement checked against its source, without any model.

An embedding model scores "close the books in 3 days" and "close the books in 3 weeks" as nearly
the same sentence, so a wrong number slips through any score of meaning. This module reads the
numbers itself, with patterns and small tables: `extract` finds the quantities in a text and
`conflicts` lists where a restatement gives a different number for the same thing.

    for conflict in conflicts("Close the books in 3 days.", "We close in three weeks."):
        print(conflict.reason)  # the source says 3 days, this says three weeks

Kinds, what they read, and the value kept (``low`` to ``high``: equal unless a range or period):

    percent   "30%", "30 percent", "30 per cent", "half of", "two thirds of", "in half"  the number
    duration  "3 days", "two weeks", "2 business days", "half a year", "3-5 days"        in days
              "this week", "the past month", "last year": one unit, a window named in words
    money     "$2M", "€300k", "USD 1.5bn", "2 million dollars"             amount; unit: currency
    date      "2028", "Q3 2027", "H2 2026", "end of 2027", "March 2027", "FY27"   months since 0 AD
    ratio     "3x", "twice", "ten times faster", "10-fold"                              the factor
    count     "3 teams", "five markets", "2 million customers"       the number; unit: its noun

Digits may carry thousands separators and decimals; number words run from "one" to "twenty",
the tens, "dozen", "hundred", "thousand", "million", "billion" ("two hundred and fifty"); "k",
"m", "bn", "mil", "bil" scale a figure. The comparator written with a figure is kept as its ``bound``:
MAX (under, below, less than, within, up to, at most, "or less"; for dates by, before, until),
MIN (at least, more than, over, above, "or more", "50+"; for dates after, since, from), or as
``approx`` (about, around, roughly, nearly, almost, ~).

Not quantities: labels ("v2", "GPT-4", "phase 2", "ISO 9001"), ranks ("#1", "No. 1", "number
one", "1st"), list markers at the start of a line ("1.", "2)"), times of day ("9am", "9:30",
"1000 GMT"), "24/7", ages ("16-year-old") and a bare number with no unit and no noun right after
it. A rank orders, it does not measure: "our #1 goal" and "our top goal" say the same. A plain
four-digit number from 1900 to 2199 is a year: counts that large are written "2,000 people".
"a" and "an" are numbers only before a unit ("a week", "a million"), "one" also before a noun
("one platform") unless it is a pronoun ("no one", "the one that").

`conflicts` compares each restated quantity with the source's:

- Comparable: the same kind, the same currency for money, the same noun for counts that name
  one ("3 teams" is not "5 markets").
- The same thing: comparable, and the subjects (up to four content words each side of the
  figure, within its clause) share a word, stemmed. Failing that, a lone quantity of its kind on
  each side is the same thing if one of them has no subject, or if it is a date: a plan has one
  horizon, and "By 2028," often stands in a clause of its own. "30% of customers" and "50% fewer
  errors" are not the same thing; nor, for want of a shared word, are "close the books in 3
  days" and "finish month-end within 3 weeks" (a miss we prefer to a false alarm).
- Agreement: two figures agree when their values are close (below). A restated figure that
  agrees with any comparable source figure is never flagged: when the same number appears, a
  mismatch of subjects is more likely our reading than theirs. A source figure the restatement
  gives right is not contradicted by another figure of it ("at least $3M of the $5M needed"
  against "$3M pledged").
- A conflict: a restated figure that agrees with none of them, against a source figure of the
  same thing; the one with the most subject words in common, then the nearest, is named. A
  restatement without a number has no conflict (the missing part is another check's business),
  nor has a number the source does not give.
- Comparators: the figure is compared, not the claim, because the issue is a different number.
  "under 2 days" and "within two days" agree, and so do "at least 70%" and "70%"; "more than 50%"
  and "30%" conflict, and so do "in 3 days" and "within 3 weeks", though 3 days is within 3
  weeks: the restatement gives another number. Opposite comparators on one figure ("under 2
  days", "more than 2 days") are not flagged: a flipped direction is a matter of meaning, and a
  sentence about a threshold names both sides ("below 50 is contraction, above that growth").

Close, per kind (``TOLERANCE``; a comparator like "about" on either side adds the second value):

- counts, money, ratios: within 5% (log difference 0.05): "1,000" and "1,049" are rounding, "3"
  and "4" are not;
- durations: within 10%: a month is 28 to 31 days, a year 12 months or 52 weeks. A business day
  is 7/5 of a day ("10 business days" is two weeks) or a day, whichever agrees: people drop
  "business" when they restate;
- percentages: within 0.1 in log-odds, so that a step near 0% or 100% counts for what it is:
  99.9% against 99.5% uptime is five times the downtime, 0.5% against 0.6% failures a fifth
  more, while 50% and 52%, or two thirds and 66%, are rounding ("about 70%" and "two thirds" too,
  with the extra 0.1; plain "70%" and "two thirds" are not);
- dates: the periods overlap: "2028" and "Q3 2028"; "Q4 2027" and "end of 2027" (October to
  January: a deadline at the end of one year and one "by" the next are the same deadline);
  "by 2028" and "by end of 2027"; never "Q3 2027" and "Q4 2027". "Q3" without a year is read in
  the year of the date it is compared with. "about" widens a date by three months.

Left out: decimal commas ("0,5%"), spelled-out decimals, Roman numerals, frequencies ("three
times a week"), exchange rates (amounts in different currencies are not compared), month and
day without a year ("Aug. 15"), and which of "from 9 days to 3" is the target: a restatement
that gives either one agrees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

__all__ = [
    "COUNT",
    "DATE",
    "DURATION",
    "MAX",
    "MIN",
    "MONEY",
    "NO_YEAR",
    "PERCENT",
    "RATIO",
    "TOLERANCE",
    "Conflict",
    "Quantity",
    "conflicts",
    "extract",
]

PERCENT = "percent"
DURATION = "duration"
MONEY = "money"
DATE = "date"
RATIO = "ratio"
COUNT = "count"
MAX, MIN = "max", "min"  # the bound a comparator sets: "under 2 days", "at least 70%"
NO_YEAR = "no year"  # the unit of a date like "Q3" that does not say its year

# kind -> (how far apart two figures may be and still be the same, extra when one says "about").
# On the scale each kind is compared on: log for counts, money, ratios and durations (0.05 is
# about 5%), log-odds for percentages, months for dates.
TOLERANCE: dict[str, tuple[float, float]] = {
    COUNT: (0.05, 0.1),
    MONEY: (0.05, 0.1),
    RATIO: (0.05, 0.1),
    DURATION: (0.1, 0.1),
    PERCENT: (0.1, 0.1),
    DATE: (0.0, 3.0),
}


@dataclass(frozen=True)
class Quantity:
    """A number in a text, normalised so that two ways of writing it compare equal."""

    kind: str
    low: float
    high: float  # equal to low unless the text gives a range or a period ("3-5 days", "2028")
    unit: str = ""  # money: currency; count: the noun's stem; duration: unit; date: precision
    bound: str = ""  # "", MAX ("under 2 days", "by 2028") or MIN ("at least 70%")
    approx: bool = False  # "about 70%"
    text: str = ""  # the words as written, comparator included
    span: tuple[int, int] = (0, 0)
    subject: tuple[str, ...] = ()  # content words around it: what the number is about

    @property
    def value(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Conflict:
    """A restated quantity that gives another number than the source for the same thing."""

    source: Quantity
    restated: Quantity
    reason: str  # "the source says 3 days, this says 3 weeks"


def conflicts(source: str, restatement: str) -> list[Conflict]:
    """The restatement's numbers that differ from the source's number for the same thing.

    >>> [c.reason for c in conflicts("Close in 3 days.", "Close in 3 weeks.")]
    ['the source says 3 days, this says 3 weeks']
    """
    said, restated = extracted(source), extracted(restatement)
    pairs = [(s, r) for r in restated for s in said if _comparable(s, r)]
    given = {s for s, r in pairs if _agree(s, r)}
    found = []
    for quantity in restated:
        if any(_agree(s, r) for s, r in pairs if r is quantity):
            continue  # the source has this figure, whatever words we read around it
        # A source figure the restatement gives right elsewhere is not contradicted by another
        # number: "at least $3M of the $5M needed" restates "$3M" and adds a figure.
        same = [
            s
            for s, r in pairs
            if r is quantity and s not in given and _same_thing(s, r, said, restated)
        ]
        if same:
            closest = max(same, key=lambda other: _likeness(other, quantity))
            reason = f"the source says {closest.text}, this says {quantity.text}"
            found.append(Conflict(closest, quantity, reason))
    return found


@lru_cache(maxsize=65536)
def extracted(text: str) -> tuple[Quantity, ...]:
    """extract(), remembered: a source's few clauses are read against every answer."""
    return tuple(extract(text))


def extract(text: str) -> list[Quantity]:
    """The quantities in a text, in order.

    >>> [(q.kind, q.value, q.subject) for q in extract("30% of customers pay by card")]
    [('percent', 30.0, ('customers', 'pay', 'card'))]
    """
    found: list[Quantity] = []
    for finder in (_dates, _fractions, _twice, _windows, _numbers):
        found.extend(finder(text, [q.span for q in found]))
    found = _without_rates(_resolve_bare(sorted(found, key=lambda q: q.span), text), text)
    found = [_with_comparator(q, text) for q in found]
    spans = [q.span for q in found]
    return [replace(q, subject=_subject(text, q.span, spans)) for q in found]


# --- dates -------------------------------------------------------------------------------------

_YEAR = r"(?:(?:FY|CY)\s?)?(?:19|20|21)\d\d|(?:FY|CY)\s?'?\d\d|'\d\d"
_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES.split())}  # 0 = January
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Months of a year (0 = January) that a qualified year stands for. "end of 2027" runs into
# January: a deadline at the end of a year and one "by" the next are the same deadline.
_EDGES = {
    "end": (9, 12),
    "close": (9, 12),
    "start": (-1, 2),
    "beginning": (-1, 2),
    "early": (0, 3),
    "mid": (4, 7),
    "middle": (4, 7),
    "late": (8, 11),
}
_PERIOD_RE = re.compile(
    r"\b(?:(?P<qh>(?-i:Q[1-4]|H[12]))|(?P<ord>first|second|third|fourth|last|1st|2nd|3rd|4th)"
    r"\s+(?P<part>quarter|half)(?=\s+of\b))"
    rf"(?:(?:\s+of(?:\s+the\s+year)?|\s*[-/,]|\s)?\s*(?P<year>{_YEAR}))?\b"
    rf"|\b(?P<year_first>{_YEAR})[\s-]+(?P<qh_after>(?-i:Q[1-4]|H[12]))\b",
    re.IGNORECASE,
)
_MONTH_RE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?"
    rf"\s+(?:of\s+)?(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)
_EDGE_RE = re.compile(
    r"\b(?:the\s+)?(?:year[\s-])?(?P<edge>end|close|start|beginning|middle|early|mid|late)"
    rf"(?:\s+of)?(?:\s+the)?(?:\s+year)?[\s-]+(?P<year>{_YEAR})\b"
    rf"|\b(?P<fiscal>(?:FY|CY)\s?'?\d\d(?:\d\d)?)\b"
    r"|\b(?P<first_year>(?:19|20|21)\d\d)[-–/](?P<last_year>\d\d(?:\d\d)?)\b",  # "2012-13"
    re.IGNORECASE,
)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}


def _dates(text: str, taken: Sequence[tuple[int, int]]) -> Iterator[Quantity]:
    """Quarters, halves, months and qualified years; plain years come with the numbers."""
    claimed = list(taken)
    for pattern in (_PERIOD_RE, _MONTH_RE, _EDGE_RE):
        for match in pattern.finditer(text):
            months = _months(match)
            if months is None or _overlaps(match.span(), claimed):
                continue
            (low, high), unit = months
            claimed.append(match.span())
            yield Quantity(
                DATE, float(low), float(high), unit, text=match.group(), span=match.span()
            )


def _months(match: re.Match[str]) -> tuple[tuple[int, int], str] | None:
    """The months (since year 0) a date match covers, and its precision; None if it is none."""
    found = {name: value.lower() for name, value in match.groupdict().items() if value}
    if "first_year" in found:  # "2012-13"
        first, last = int(found["first_year"]), _year(found["last_year"])
        return ((12 * first, 12 * last + 11), "year") if first < last else None
    year_text = found.get("year") or found.get("year_first") or found.get("fiscal")
    base = 12 * _year(year_text) if year_text else None
    if "month" in found and base is not None:
        month = base + _MONTHS[found["month"][:3]]
        return (month, month), "month"
    if {"qh", "qh_after", "ord"} & found.keys():
        return _quarter_or_half(found, base)
    first, last = _EDGES.get(found.get("edge", ""), (0, 11))
    return ((base + first, base + last), "year") if base is not None else None


def _quarter_or_half(found: dict[str, str], base: int | None) -> tuple[tuple[int, int], str] | None:
    period = found.get("qh") or found.get("qh_after")
    if period:  # "q3", "h2"
        size, part = (3 if period[0] == "q" else 6), int(period[1])
    elif base is not None:  # "the second half of 2027", "the last quarter of 2027"
        size = 3 if found["part"] == "quarter" else 6
        part = 12 // size if found["ord"] == "last" else _ORDINALS[found["ord"]]
        if part > 12 // size:
            return None  # "the third half"
    else:
        return None  # "the first quarter" of what?
    first = (base or 0) + (part - 1) * size
    precision = "quarter" if size == 3 else "half"
    return (first, first + size - 1), precision if base is not None else NO_YEAR


def _year(text: str) -> int:
    digits = re.sub(r"\D", "", text)
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


# --- fractions and "twice" ---------------------------------------------------------------------

_DURATION_UNITS = {
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "day": 1.0,
    "business day": 7 / 5,
    "working day": 7 / 5,
    "week": 7.0,
    "wk": 7.0,
    "month": 365.25 / 12,
    "quarter": 365.25 / 4,
    "year": 365.25,
    "yr": 365.25,
    "decade": 3652.5,
}
_DURATION = (
    r"(?:business|working)[\s-]days?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?"
    r"|quarters?|years?|yrs?|decades?"
)
_FRACTION_RE = re.compile(
    r"\b(?:(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+"
    r"(?P<part>halves|half|thirds?|quarters?|fifths?|tenths?)|(?P<half>half))\b",
    re.IGNORECASE,
)
_PARTS = {"half": 2, "halve": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}  # "halves"
_OF_AFTER = re.compile(r"\s+of\b", re.IGNORECASE)
_IN_BY_BEFORE = re.compile(r"\b(?:in|by)\s+$", re.IGNORECASE)
_UNIT_AFTER = re.compile(rf"[\s-]+(?:an?\s+)?(?P<unit>{_DURATION})\b", re.IGNORECASE)


def _fractions(text: str, taken: Sequence[tuple[int, int]]) -> Iterator[Quantity]:
    """ "half of", "two thirds of", "cut in half" as percentages; "half a day" as a duration."""
    for match in _FRACTION_RE.finditer(text):
        start, end = match.span()
        if _overlaps(match.span(), taken) or re.search(r"\band\s+$", text[:start]):
            continue  # "two and a half years" is read with the number
        count = _word_value(match.group("count") or "one")
        part = (match.group("part") or "half").lower().rstrip("s")
        share = count / _PARTS[part]
        unit = _UNIT_AFTER.match(text, end)
        if _OF_AFTER.match(text, end) or _IN_BY_BEFORE.search(text[max(0, start - 4) : start]):
            yield _quantity(PERCENT, 100 * share, "", text, (start, end))
        elif unit and part == "half":
            name = _unit_name(unit["unit"])
            days = share * _DURATION_UNITS[name]
            yield _quantity(DURATION, days, name, text, (start, unit.end()))


def _twice(text: str, taken: Sequence[tuple[int, int]]) -> Iterator[Quantity]:
    for match in re.finditer(r"\btwice\b(?!\s+(?:a|an|per|each|every)\b)", text, re.I):
        if not _overlaps(match.span(), taken):
            yield Quantity(RATIO, 2.0, 2.0, text=match.group(), span=match.span())


# A window of time named without a number: "this week", "the past month", "last year". Read as
# one unit, so "logged in this week" and "logged in this month" give different numbers for the
# same thing, as "in 7 days" and "in 30 days" do. "day" is left out: "the last day of the
# quarter" is a date, not a window.
_WINDOW_RE = re.compile(
    r"\b(?:this|last|past|previous)\s+(?P<unit>week|fortnight|month|quarter|year)\b(?!\s+of\b)",
    re.IGNORECASE,
)


def _windows(text: str, taken: Sequence[tuple[int, int]]) -> Iterator[Quantity]:
    for match in _WINDOW_RE.finditer(text):
        if not _overlaps(match.span(), taken):
            name = match["unit"].lower()
            days = 14.0 if name == "fortnight" else _DURATION_UNITS[name]
            yield _quantity(DURATION, days, name, text, match.span())


# --- numbers with their units ------------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_TENS = "thirty forty fifty sixty seventy eighty ninety"
_SMALL = {word: value for value, word in enumerate(_ONES.split())}
_SMALL |= {word: 10 * (i + 3) for i, word in enumerate(_TENS.split())}
_LARGE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_MULTIPLIER = "hundred|thousand|million|billion|trillion|dozen"
_WORD_SCALE = "mn|bn|mil|mln|bil|bln|thousand|million|billion|trillion"  # "$5.55 bil", "3 mn"
_NUMBER_WORD = "|".join(sorted([*_SMALL, *_LARGE, "hundred", "dozen"], key=len, reverse=True))
_NUMBER_RE = re.compile(
    # Digits not glued to a word, a label or a time: "v2", "B2B", "COVID-19", "#1", "24/7", "9:30".
    r"(?<![\w.,/:#])(?<![A-Za-z]-)(?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(?![\d/:]|\.\d|,\d{3})"
    rf"|\b(?P<words>an?\b(?![\s-]+(?:{_MULTIPLIER})\b)|(?:an?[\s-]+)?(?:{_NUMBER_WORD})"
    rf"(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)(?:{_NUMBER_WORD}))*)\b",
    re.IGNORECASE,
)
_TAIL_RE = re.compile(
    r"(?P<half>\s+and\s+a\s+half\b)?"
    rf"(?P<scale>(?<=\d)-?(?:[kmb]|mn|bn)\b|[\s-]+(?:{_WORD_SCALE})\b\.?)?"
    r"(?:\s?(?P<percent>%|per\s?cent\b|pct\b|percentage\s+points?\b)"
    rf"|[\s-]?(?P<duration>{_DURATION})\b(?![\s-]old\b)"  # "16-year-old" is an age
    r"|\s?(?P<currency>dollars?|euros?|pounds?|usd|eur|gbp)\b"
    r"|\s?(?P<ratio>x\b|×|-?fold\b|times\b(?!\s+(?:a|an|per|each|every)\b)))?",
    re.IGNORECASE,
)
_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "mln": 1e6, **_LARGE}
_SCALES |= {"b": 1e9, "bn": 1e9, "bil": 1e9, "bln": 1e9}
_CURRENCY_BEFORE = re.compile(r"(?:(?P<symbol>US\$|[$€£])|\b(?P<code>USD|EUR|GBP))\s?$", re.I)
_CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "dollar": "USD", "euro": "EUR"}
_CURRENCIES |= {"pound": "GBP", "usd": "USD", "eur": "EUR", "gbp": "GBP"}
_LABEL_BEFORE = re.compile(
    r"(?:#|\bno\.\s?|\bnumber\s+|\b(?:version|release|phase|step|stage|tier|level|page|chapter"
    r"|section|item|iso|gen|generation|model|series|windows|ios|android|iphone|route|room)\s+)$",
    re.IGNORECASE,
)
_NOT_AFTER_DIGITS = re.compile(
    r"[A-Za-z]|\s?(?:[ap]\.m\.|[ap]m|gmt|utc|cet|bst|[ecmp][sd]t)\b", re.IGNORECASE
)
_PRONOUN_ONE = re.compile(r"\b(?:no|any|every|some|this|that|the|which|each)\s+$", re.IGNORECASE)


def _numbers(text: str, taken: Sequence[tuple[int, int]]) -> Iterator[Quantity]:
    claimed = list(taken)
    for match in _NUMBER_RE.finditer(text):
        if _overlaps(match.span(), claimed) or _is_label(text, match):
            continue
        quantity = _classify(text, match)
        if quantity is not None:
            claimed.append(quantity.span)  # "2 million dollars" holds its "million"
            yield quantity


def _classify(text: str, match: re.Match[str]) -> Quantity | None:
    """The quantity a figure and the words around it make, or None when they make none."""
    tail = _TAIL_RE.match(text, match.end())
    assert tail is not None  # every part of the tail is optional
    digits, words = match["digits"], (match["words"] or "").lower()
    if digits and tail.end() == match.end() and _NOT_AFTER_DIGITS.match(text, match.end()):
        return None  # "3D", "1st", "9am", "1000 GMT": a name, a rank or a time
    figure = float(digits.replace(",", "")) if digits else _word_value(words)
    figure += 0.5 if tail["half"] else 0.0
    figure *= _SCALES[tail["scale"].strip(" -.").lower()] if tail["scale"] else 1.0
    before = _CURRENCY_BEFORE.search(text[max(0, match.start() - 4) : match.start()])
    span = (match.start() - (len(before.group()) if before else 0), tail.end())
    currency = _currency(before, tail)
    if currency:
        return _quantity(MONEY, figure, currency, text, span)
    span = (match.start(), tail.end())
    if tail["percent"]:
        return _quantity(PERCENT, figure, "", text, span)
    if tail["duration"]:
        unit = _unit_name(tail["duration"])
        return _quantity(DURATION, figure * _DURATION_UNITS[unit], unit, text, span)
    if tail["ratio"]:
        return _quantity(RATIO, figure, "", text, span)
    if _is_year(digits, tail):
        return replace(_quantity(DATE, 12 * figure, "year", text, span), high=12 * figure + 11)
    if words in ("a", "an"):
        return None  # "a" is a number only before a unit
    number = _quantity("", figure, "", text, span)
    if tail["scale"] or " " in words.strip():
        return _counted(number, text) or replace(number, kind=COUNT)  # "2 million", "two hundred"
    return number  # bare: its range, a "to" or a noun decides (see _resolve_bare)


def _quantity(kind: str, value: float, unit: str, text: str, span: tuple[int, int]) -> Quantity:
    return Quantity(kind, value, value, unit, text=text[span[0] : span[1]], span=span)


def _currency(before: re.Match[str] | None, tail: re.Match[str]) -> str:
    written = (before and (before["symbol"] or before["code"])) or tail["currency"] or ""
    return _CURRENCIES.get(written.lower().rstrip("s"), "")


def _is_label(text: str, match: re.Match[str]) -> bool:
    """ "v2" is excluded by the pattern; "phase 2", "#1" and a list's "1." here."""
    start, end = match.span()
    if _LABEL_BEFORE.search(text[max(0, start - 12) : start]):
        return True
    line_start = re.search(r"(?:^|\n)[ \t]*$", text[:start]) is not None
    list_marker = re.match(r"[.)]\s", text[end : end + 2]) is not None
    return bool(match["digits"]) and line_start and list_marker


def _is_year(digits: str | None, tail: re.Match[str]) -> bool:
    # Business text writes counts this large with a separator ("2,000 people"); without one,
    # "2012 growth" and "our 2028 vision" are years.
    plain_year = re.fullmatch(r"(?:19|20|21)\d\d", digits or "") is not None
    return plain_year and tail.end() == tail.start()


def _unit_name(written: str) -> str:
    return re.sub(r"[\s-]+", " ", written.lower()).rstrip("s")


def _word_value(words: str) -> float:
    """ "two hundred and fifty" -> 250; "a dozen" -> 12."""
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("a", "an"):
            current = current or 1
        elif word in ("hundred", "dozen"):
            current = (current or 1) * (100 if word == "hundred" else 12)
        elif word in _LARGE:
            total, current = total + (current or 1) * _LARGE[word], 0.0
        elif word in _SMALL:
            current += _SMALL[word]
    return total + current


# --- bare numbers: ranges, "from 9 days to 3", counted nouns -----------------------------------

_RANGE_BETWEEN = re.compile(r"\s*(?:-|–|to|and)\s*", re.IGNORECASE)
_TO_BETWEEN = re.compile(r"\s*to\s*", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_INHERITED = (PERCENT, DURATION, RATIO, COUNT)  # units that scale a figure by a fixed factor


def _resolve_bare(found: list[Quantity], text: str) -> list[Quantity]:
    """Give each bare number the unit of its range or "to" partner, or its noun, or drop it."""
    resolved: list[Quantity] = []
    skip = -1
    for i, quantity in enumerate(found):
        if i == skip:
            continue
        if quantity.kind:
            resolved.append(quantity)
            continue
        before = found[i - 1] if i else None
        after = found[i + 1] if i + 1 < len(found) else None
        if after and after.kind in _INHERITED and _between(_RANGE_BETWEEN, quantity, after, text):
            if _FROM_BEFORE.search(text[max(0, quantity.span[0] - 6) : quantity.span[0]]):
                resolved.append(_inherit(quantity, after))  # "from 9 to 3 days": two figures
            else:
                resolved.append(_range(quantity, after, text))  # "3-5 days": one range
                skip = i + 1
        elif before and before.kind in _INHERITED and _between(_TO_BETWEEN, before, quantity, text):
            resolved.append(_inherit(quantity, before))  # "from 9 days to 3"
        else:
            counted = _counted(quantity, text)
            if counted is not None:
                resolved.append(counted)
    return resolved


def _without_rates(found: list[Quantity], text: str) -> list[Quantity]:
    return [q for i, q in enumerate(found) if not (i and _is_rate(found[i - 1], q, text))]


def _is_rate(previous: Quantity, quantity: Quantity, text: str) -> bool:
    """ "a year" in "€300k a year", "10,000 invoices a day": a rate's "per", not a duration."""
    if quantity.kind != DURATION or not re.match(r"an?\s", quantity.text, re.IGNORECASE):
        return False
    between = text[previous.span[1] : quantity.span[0]]
    return re.fullmatch(r"\s+(?:[A-Za-z]+\s+)?", between) is not None


def _between(pattern: re.Pattern[str], first: Quantity, second: Quantity, text: str) -> bool:
    return pattern.fullmatch(text[first.span[1] : second.span[0]]) is not None


def _factor(quantity: Quantity) -> float:
    return _DURATION_UNITS[quantity.unit] if quantity.kind == DURATION else 1.0


def _inherit(bare: Quantity, partner: Quantity) -> Quantity:
    value = bare.low * _factor(partner)
    return replace(bare, kind=partner.kind, low=value, high=value, unit=partner.unit)


def _range(bare: Quantity, partner: Quantity, text: str) -> Quantity:
    span = (bare.span[0], partner.span[1])
    low = bare.low * _factor(partner)
    return replace(partner, low=min(low, partner.low), text=text[span[0] : span[1]], span=span)


# The word right after a figure, past one adjective ("3 new markets"): what it counts.
_NOUN_AFTER = re.compile(
    r"(?P<plus>\+)?\s+(?:(?:new|more|other|additional|extra|different|big|small|large|major"
    r"|key)\s+)?(?P<noun>[A-Za-z][A-Za-z']+)"
)


def _counted(number: Quantity, text: str) -> Quantity | None:
    """A number followed by a noun counts it ("3 teams", "50+ customers"), or None."""
    start, end = number.span
    found = _NOUN_AFTER.match(text, end)
    if found is None or found["noun"].lower() in _STOPWORDS:
        return None
    if number.text.lower() == "one" and _PRONOUN_ONE.search(text[max(0, start - 8) : start]):
        return None  # "no one", "the one that"
    bound = MIN if found["plus"] else number.bound
    unit, span = _stem(found["noun"]), (start, found.end())
    return replace(
        number, kind=COUNT, unit=unit, bound=bound, text=text[start : span[1]], span=span
    )


# --- comparators -------------------------------------------------------------------------------

_APPROX = r"about|around|roughly|approximately|approx\.?|nearly|almost|some|circa|close\s+to"
_BOUND_RE = re.compile(
    rf"(?:\b(?P<approx>{_APPROX}|just\s+(?:over|under|below|above))|(?P<tilde>~)"
    r"|\b(?P<min>at\s+least|more\s+than|greater\s+than|no\s+(?:less|fewer)\s+than|upwards\s+of"
    r"|above|over|exceeding|min(?:imum)?(?:\s+of)?)|(?P<min_symbol>≥|>=|>)"
    r"|\b(?P<max>at\s+most|less\s+than|fewer\s+than|no\s+more\s+than|up\s+to|under|below|within"
    r"|max(?:imum)?(?:\s+of)?)|(?P<max_symbol>≤|<=|<))\s*$",
    re.IGNORECASE,
)
_DATE_BOUND_RE = re.compile(
    rf"(?:\b(?P<approx>{_APPROX})"
    r"|\b(?P<min>after|since|from|starting(?:\s+(?:in|from))?|beyond)"
    r"|\b(?P<max>by|before|until|till|no\s+later\s+than|not\s+later\s+than))"
    r"(?:\s+the)?\s*$",
    re.IGNORECASE,
)
_BOUND_AFTER = re.compile(
    r"(?P<min>\+|\s+or\s+(?:more|above|over|higher|greater)\b)"
    r"|(?P<max>\s+or\s+(?:less|fewer|below|under|lower|sooner|earlier)\b)"
    r"|(?P<approx>\s+or\s+so\b)",
    re.IGNORECASE,
)


def _with_comparator(quantity: Quantity, text: str) -> Quantity:
    """The quantity with the comparator written around it, its span and text widened to it."""
    start, end = quantity.span
    pattern = _DATE_BOUND_RE if quantity.kind == DATE else _BOUND_RE
    before = pattern.search(text[max(0, start - 24) : start])
    after = _BOUND_AFTER.match(text, end)
    bound, approx = quantity.bound, quantity.approx
    for found in (before, after):
        if found is None:
            continue
        groups = {name for name, value in found.groupdict().items() if value}
        if groups & {"min", "min_symbol"} and not (quantity.kind == DURATION and _is_over(found)):
            bound = MIN
        elif groups & {"max", "max_symbol"}:
            bound = MAX
        elif groups & {"approx", "tilde"}:
            approx = True
        else:
            continue
        start = start - len(found.group()) if found is before else start
        end = found.end() if found is after else end
    span = (start, end)
    return replace(quantity, bound=bound, approx=approx, text=text[start:end].strip(), span=span)


def _is_over(found: re.Match[str]) -> bool:
    # "over 3 years" is more often "during" than "more than" when it is said of a plan.
    return found.group().strip().lower() == "over"


# --- subjects ----------------------------------------------------------------------------------

_WINDOW = 4  # content words on each side of a figure that say what it is about
_CLAUSE_BREAK = re.compile(r"[;:!?()\n]|[.,](?!\d)|\b(?:and|but|while|whereas|or)\b", re.I)
# Words that say nothing about what a number is about: function words, units, number words,
# and the verbs of change ("cut", "grow") that any two targets share.
_STOPWORD_TEXT = """
a an the and or but of to in on at by for from with without into onto through over under
above below within about around than then as so such per via vs is are was were be been
being am pm do does did has have had having will would shall should can could may might must
it its this that these those there here we our us you your they their them he she his her
i me my who whom which what when where why how all any each every some no not only just also
more less most least fewer many much few new next old last first second year years month
months week weeks day days hour hours quarter quarters percent cent cents pct point points
times time fold half dollars dollar euros euro pounds usd eur gbp million billion thousand
hundred dozen k m bn end start early late mid get gets got go goes going make makes made reach
hit cut cuts reduce reduced reduces increase increases increased grow grows growing raise
lower drop drops rise rises fall falls improve improves boost halve double triple achieve
become becomes bring take takes keep stay said says say told up down out back still even
nearly almost roughly approximately once again today now very between
if because though although unless whether whilst since until till after before during ago
yet both either neither nor other others another same
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split()) | frozenset(_SMALL) | frozenset(_MONTHS)


def _subject(text: str, span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    start, end = _clause(text, span)
    before = list(_content_words(text, start, span[0], spans))[-_WINDOW:]
    after = list(_content_words(text, span[1], end, spans))[:_WINDOW]
    return tuple(before + after)


def _clause(text: str, span: tuple[int, int]) -> tuple[int, int]:
    breaks = [m for m in _CLAUSE_BREAK.finditer(text) if not _overlaps(m.span(), [span])]
    start = max((m.end() for m in breaks if m.end() <= span[0]), default=0)
    end = min((m.start() for m in breaks if m.start() >= span[1]), default=len(text))
    return start, end


def _content_words(
    text: str, start: int, end: int, spans: Sequence[tuple[int, int]]
) -> Iterator[str]:
    # "month-end" and "go-live" are one word: their parts alone say little.
    for match in re.finditer(r"[A-Za-z][A-Za-z']*(?:-[A-Za-z]+)*", text[start:end]):
        word = match.group().lower().removesuffix("'s")
        where = (start + match.start(), start + match.end())
        if word not in _STOPWORDS and len(word) > 1 and not _overlaps(where, spans):
            yield word


def _stem(word: str) -> str:
    """A crude stem, enough to match "customers" with "customer" and "paying" with "pays"."""
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.rstrip("e") if len(word) > 3 else word


# --- the same thing, and agreement -------------------------------------------------------------


def _comparable(said: Quantity, restated: Quantity) -> bool:
    """The same kind, the same currency, and for counts the same noun when both name one."""
    if said.kind != restated.kind or (said.kind == MONEY and said.unit != restated.unit):
        return False
    return said.kind != COUNT or not (said.unit and restated.unit) or said.unit == restated.unit


def _same_thing(
    said: Quantity, restated: Quantity, source: Sequence[Quantity], restatement: Sequence[Quantity]
) -> bool:
    if said.kind == COUNT and said.unit and restated.unit:
        return True  # _comparable checked the nouns
    if _shared_subject(said, restated):
        return True
    alone = _of_its_kind(source, said) == 1 == _of_its_kind(restatement, restated)
    return alone and (said.kind == DATE or not said.subject or not restated.subject)


def _shared_subject(first: Quantity, second: Quantity) -> set[str]:
    return {_stem(w) for w in first.subject} & {_stem(w) for w in second.subject}


def _likeness(said: Quantity, restated: Quantity) -> tuple[int, float]:
    """More subject words in common first, then the nearer figure: the one it was meant to be."""
    (a_low, a_high), (b_low, b_high) = _on_scale(*_same_year(said, restated))
    return len(_shared_subject(said, restated)), -abs(a_low + a_high - b_low - b_high)


def _of_its_kind(found: Sequence[Quantity], quantity: Quantity) -> int:
    return sum(_comparable(q, quantity) for q in found)


def _agree(first: Quantity, second: Quantity) -> bool:
    return any(_agree_once(a, b) for a in _readings(first) for b in _readings(second))


def _readings(quantity: Quantity) -> list[Quantity]:
    """A business day read both as 7/5 of a day and, as people restate it, as a day."""
    if quantity.unit not in ("business day", "working day"):
        return [quantity]
    factor = 5 / 7
    return [quantity, replace(quantity, low=quantity.low * factor, high=quantity.high * factor)]


def _agree_once(first: Quantity, second: Quantity) -> bool:
    first, second = _same_year(first, second)
    (a_low, a_high), (b_low, b_high) = _on_scale(first, second)
    exact, approx = TOLERANCE[first.kind]
    slack = exact + (approx if first.approx or second.approx else 0.0)
    return a_low <= b_high + slack and b_low <= a_high + slack


def _same_year(first: Quantity, second: Quantity) -> tuple[Quantity, Quantity]:
    """A date without a year ("Q3") is read in the year of the date it is compared with."""
    if first.kind != DATE or (first.unit == NO_YEAR) == (second.unit == NO_YEAR):
        return first, second
    yearless, dated = (first, second) if first.unit == NO_YEAR else (second, first)
    year = dated.low // 12 if dated.low // 12 == dated.high // 12 else None
    if year is None:  # "end of 2027" spans two years: no single year to read "Q3" in
        yearless = replace(yearless, low=dated.low, high=dated.high)
    else:
        yearless = replace(yearless, low=yearless.low + 12 * year, high=yearless.high + 12 * year)
    return (yearless, dated) if first.unit == NO_YEAR else (dated, yearless)


def _on_scale(first: Quantity, second: Quantity) -> tuple[tuple[float, float], ...]:
    """Both intervals on the scale where TOLERANCE applies: months, log-odds or log."""
    values: tuple[float, ...] = (first.low, first.high, second.low, second.high)
    if first.kind == DATE:
        scaled = values
    elif first.kind == PERCENT and all(0 <= v <= 100 for v in values):
        scaled = tuple(_log_odds(v) for v in values)
    else:
        scaled = tuple(math.log(max(abs(v), 1e-9)) for v in values)
    return (scaled[0], scaled[1]), (scaled[2], scaled[3])


def _log_odds(percent: float) -> float:
    share = min(max(percent / 100, 1e-4), 1 - 1e-4)  # 0% and 100% as 0.01% and 99.99%
    return math.log(share / (1 - share))


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)
