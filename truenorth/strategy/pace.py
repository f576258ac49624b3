"""Whether a goal is on track: where its metric would be by the target's date at the pace of its
measurements so far, set against the target. One judgement for every place that shows a goal:
the goals page and its JSON and CSV, the API, `truenorth goals list`, the executives' update.

- The pace is the slope of a least-squares line through every reading, not the difference
  between the first and the latest: one odd reading at either end (a bad month, a late
  correction) would then decide the verdict alone, where the line weighs each reading the same.
- The projection starts from the latest reading, so "at this pace" carries on from the value
  the reader sees as today's rather than from a point of the line they never saw.
- Which way is good is what the target sentence says ("Below 0.5%", "under 2 days", "at least
  95%", "≤ 0.5 %"); where it says neither, the target's value against the first reading: a
  target under where the goal started is one to come down to.
- The target is the goal's latest-dated target value, as its progress chart draws it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone

from truenorth.charts import Reading, day, number
from truenorth.strategy.targets import WAY, written_target

ON_TRACK, BEHIND, MET, MISSED = "on_track", "behind", "met", "missed"
TOO_FEW, NO_TARGET = "too_few_readings", "no_target"
LABELS = {
    ON_TRACK: "On track",
    BEHIND: "Behind",
    MET: "Met",
    MISSED: "Missed",
    TOO_FEW: "Not enough readings to say",
    NO_TARGET: "No target value",
}
DAYS_A_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Pace:
    verdict: str  # a key of LABELS
    detail: str  # what follows the label: "at this pace 52% by 30 Jun 2027, target …"
    unit: str = ""
    latest: Reading | None = None
    target: Reading | None = None
    lower_is_better: bool | None = None
    per_month: float | None = None  # the pace so far
    needed_per_month: float | None = None  # the pace that would reach the target in time
    projected: float | None = None  # the value at the target's date at the pace so far

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    @property
    def words(self) -> str:
        return f"{self.label}: {self.detail}"

    @property
    def against_target(self) -> str:
        """The latest reading against the target, as the verdicts word them: "41% on 7 Dec
        2026, target 70% or more by 30 Jun 2027"; "" without a reading or a target."""
        if self.latest is None or self.target is None or self.lower_is_better is None:
            return ""
        said = Said(self.unit, self.target, self.lower_is_better)
        return f"{said.value(self.latest.value)} on {day(self.latest.on)}, target {said.target_by}"

    def as_dict(self) -> dict:
        """JSON-ready: dates as ISO strings, figures rounded to what a reading can hold."""
        return {
            "verdict": self.verdict,
            "label": self.label,
            "words": self.words,
            "unit": self.unit,
            "latest": reading_dict(self.latest),
            "target": reading_dict(self.target),
            "lower_is_better": self.lower_is_better,
            "per_month": rounded(self.per_month),
            "needed_per_month": rounded(self.needed_per_month),
            "projected": rounded(self.projected),
        }


def reading_dict(reading: Reading | None) -> dict | None:
    return None if reading is None else {"value": reading.value, "on": reading.on.isoformat()}


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def of_goal(goal, today: date | None = None, channel: str = "page") -> Pace:
    """The goal's pace from its measurements (prefetch `measurements` for a list of goals);
    `channel` (a key of RECORD_TARGET) is where it is read."""
    every = list(goal.measurements.all())
    readings = [Reading(m.measured_on, m.value) for m in every if not m.is_target]
    targets = [Reading(m.measured_on, m.value) for m in every if m.is_target]
    unit = every[-1].unit if every else ""
    target = targets[-1] if targets else None
    today = today or timezone.localdate()
    return judge(readings, target, unit, goal.target, today, channel, goal.period)


# How to give a target value, in the words of where the advice is read: the goal's form (and its
# JSON and API twins), or `truenorth goals measure`. The date alone, where only it is missing.
RECORD_TARGET = {
    "page": "give it under “Target value” and “Target date” on the goal's Edit form",
    "cli": "record it with --target, and its date with --on",
}
RECORD_DATE = {
    "page": "give its day under “Target date” on the goal's Edit form",
    "cli": RECORD_TARGET["cli"],
}


def no_target_words(sentence: str, period: str = "", channel: str = "page") -> str:
    """What is missing when no measurement is the target, and how to give it. "120" had read
    "its target is written in words": the goal form records a target that is a number alone
    (strategy.targets), so what is left is more than a number, a number whose period says no
    day, or one written before the form recorded it."""
    how, written = RECORD_TARGET[channel], written_target(sentence, period)
    if not sentence.strip():
        return f"{how}, to judge the pace."
    if written is None:
        return (
            f"no value could be read from “{sentence.strip()}”, only from a number alone such "
            f"as “120” or “0.5%”: {how}, to judge the pace."
        )
    value = number(written.value, written.unit)
    if written.on is None:
        return (
            f"{value} has no day, since the period “{period.strip()}” does not say when it ends: "
            f"{RECORD_DATE[channel]}, to judge the pace."
        )
    by = f"{value} by {day(written.on)} is not recorded yet"
    if channel == "page":
        return f"{by}: saving the goal on its Edit form records it."
    return f"{by}: {how}, to judge the pace."


def judge(
    readings: Sequence[Reading],
    target: Reading | None,
    unit: str,
    sentence: str,
    today: date,
    channel: str = "page",
    period: str = "",
) -> Pace:
    """The verdict on readings (any order) against a target value by a date, as of `today`;
    `sentence` is the goal's target as people wrote it, read for which way is good, and with
    `period` for what is missing where there is no target value."""
    if target is None:
        return Pace(NO_TARGET, no_target_words(sentence, period, channel), unit)
    readings = sorted(readings, key=lambda r: r.on)
    if not readings:
        return Pace(TOO_FEW, "no measurement recorded yet; a pace needs two.", unit, None, target)
    latest = readings[-1]
    lower = aims_lower(sentence, readings[0].value, latest.value, target.value)
    said = Said(unit, target, lower)
    known = Pace(TOO_FEW, "", unit, latest, target, lower)  # what every verdict below says
    if reaches(latest.value, target.value, lower):
        detail = f"{said.value(latest.value)} on {day(latest.on)} (target {said.target_by})."
        return replace(known, verdict=MET, detail=detail)
    if today > target.on:
        detail = f"{said.value(latest.value)} on {day(latest.on)}, short of {said.target_by}."
        return replace(known, verdict=MISSED, detail=detail)
    if len(readings) < 2:
        return replace(known, detail="one measurement so far; a pace needs two.")
    per_month = slope_per_day(readings) * DAYS_A_MONTH
    months_left = max(0, (target.on - latest.on).days) / DAYS_A_MONTH
    projected = latest.value + per_month * months_left
    if min(r.value for r in [*readings, target]) >= 0:
        projected = max(0.0, projected)  # a share or a count never goes below nothing
    needed = (target.value - latest.value) / months_left if months_left else None
    verdict = ON_TRACK if reaches(projected, target.value, lower) else BEHIND
    detail = f"at this pace {said.value(projected)} by {day(target.on)}"
    if verdict == ON_TRACK:
        detail += f" (target {said.target})."
    elif needed is None:
        detail += f", target {said.target}."
    else:
        detail += f", target {said.target} ({said.needs(needed)}, {said.has_made(per_month)})."
    return Pace(verdict, detail, unit, latest, target, lower, per_month, needed, projected)


def aims_lower(sentence: str, first: float, latest: float, target: float) -> bool:
    """Whether the goal is to bring its metric down (see the module's docstring)."""
    way = WAY.search(sentence)
    if way:
        return bool(way.group("lower"))
    return target < first if target != first else target < latest


def reaches(value: float, target: float, lower: bool) -> bool:
    return value <= target if lower else value >= target


def slope_per_day(readings: Sequence[Reading]) -> float:
    """The least-squares slope of value over day; readings are on different days (one a day)."""
    xs = [r.on.toordinal() for r in readings]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(r.value for r in readings) / len(readings)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        return 0.0
    return (
        sum((x - mean_x) * (r.value - mean_y) for x, r in zip(xs, readings, strict=True)) / spread
    )


@dataclass(frozen=True)
class Said:
    """The figures of one goal in words, in its unit."""

    unit: str
    target_reading: Reading
    lower: bool

    def value(self, value: float) -> str:
        return number(value, self.unit)

    @property
    def target(self) -> str:
        """ "0.5% or less" """
        return f"{self.value(self.target_reading.value)} or {'less' if self.lower else 'more'}"

    @property
    def target_by(self) -> str:
        return f"{self.target} by {day(self.target_reading.on)}"

    def amount(self, change: float) -> str:
        """A change a month: percentage points for a percentage ("3.6 points"); a slow one keeps
        a significant digit ("0.04 days"), so it never reads as no change."""
        size = abs(change)
        shown = number(size) if size >= 0.05 or not size else f"{size:.1g}"
        if self.unit == "%":
            return f"{shown} point" + ("" if shown == "1" else "s")
        return number(size, self.unit) if shown == number(size) else f"{shown} {self.unit}".strip()

    def needs(self, change: float) -> str:
        return f"needs to {'fall' if change < 0 else 'rise'} {self.amount(change)} a month"

    def has_made(self, change: float) -> str:
        """The pace so far, a month like the pace needed beside it: "has fallen 2 points a month
        so far" (not the change since the first reading, which is not a rate)."""
        if not change:
            return "has not moved"
        return f"has {'fallen' if change < 0 else 'risen'} {self.amount(change)} a month so far"
