"""Charts drawn on the server as SVG, each with its figures as a table beside it.

Why on the server: the pages work without scripts and the content security policy allows no
inline script, so a charting library would need its own files, a build and a JSON twin of every
page; one SVG string is a file to test. Every chart comes back as one <figure>: the SVG (it scales
to its container through its viewBox; role="img" with a label, <title> and <desc>) and a
<details> holding the same figures as a table with links to their evidence. Links live in that
table, not in the SVG: a link inside an image is never announced by a screen reader.

Colours come from classes (`.s-committed`, `.late` …) that style.css maps to its variables, so
a chart is coloured like the rest of the page. Every text put into a chart is escaped here; the
result is marked safe only because of that. Charts are drawn about 400 units wide so that, shown
at full width on a 360 px phone, their text is still about 11 px high.
"""

import itertools
import math
import re
import textwrap
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from truenorth.analysis.measures import rounded

WIDTH = 400  # viewBox units; see the module's docstring
NARROW = 280  # for a chart inside a small card


# --- Numbers, scales and text ---


def number(value: float | None, unit: str = "") -> str:
    """A value as people read it: at most one decimal, the unit after it ("41%", "6.5 days")."""
    if value is None:
        return "—"
    # Thousands grouped and no exponent: 1234567 is "1,234,567", not "1.23457e+06".
    shown = f"{value:,.1f}".removesuffix(".0")
    shown = "0" if shown == "-0" else shown  # -0.04 rounds to nothing, not to "-0"
    if unit in ("%", ""):
        return shown + unit
    if shown == "1" and unit.endswith("s"):  # "1 day", not "1 days"
        unit = unit.removesuffix("s")
    return f"{shown} {unit}" if unit[0].isalpha() else shown + unit


def share(value: float | None) -> str:
    """A 0–1 share as a whole percentage."""
    return "—" if value is None else f"{rounded(value * 100):.0f}%"


def day(value: date | None) -> str:
    return "—" if value is None else f"{value.day} {value:%b %Y}"


def short(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, to fit a chart's width; the whole text
    stays in the table beside it."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Scale:
    """Maps the domain low…high onto low_out…high_out; an empty domain maps to the middle."""

    low: float
    high: float
    low_out: float
    high_out: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return round((self.low_out + self.high_out) / 2, 1)
        ratio = (value - self.low) / (self.high - self.low)
        return round(self.low_out + ratio * (self.high_out - self.low_out), 1)


def padded(values: Iterable[float]) -> tuple[float, float]:
    """A domain around `values` with a little room, so no point sits on the chart's edge; a
    single value (or several equal ones) gets a domain around it rather than none."""
    found = list(values)
    low, high = min(found), max(found)
    if low == high:
        room = abs(low) * 0.1 or 1.0
        return low - room, high + room
    room = (high - low) * 0.1
    return low - room, high + room


# Units whose figures lie on a fixed scale: a share in percent and a score out of 100 are drawn
# from 0 to 100, so a change is as tall as it is large. A scale from the lowest point to the
# highest had drawn +4 and +54 as the same climb from the bottom of a card to its top.
FIXED_SCALES = {"%": (0.0, 100.0), "/100": (0.0, 100.0)}
ROUND_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def trend_domain(values: Sequence[float], unit: str) -> tuple[float, float]:
    """The scale a trend is drawn on: 0 to 100 for a share or a score (wider only where a value
    falls outside it); from zero to a round number at or above the highest value for any other
    unit (days, counts), so a point's height is its size, not its place between the others."""
    low, high = FIXED_SCALES.get(unit, (0.0, 0.0))
    low, high = min(low, *values), max(high, *values)
    return -round_up(-low), round_up(high) or 1.0


def round_up(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or
    above `value`, so an axis ends on a figure a reader takes in at a glance; 0 for none."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    return next(r for step in ROUND_STEPS if (r := round(step * power, 10)) >= value)


def axis_number(value: float, unit: str) -> str:
    """An end of a trend's scale as its axis names it: "100%", or a bare "20" (the unit of days
    or of a score would not fit beside a narrow card; every point's label carries it)."""
    return number(value, unit if unit == "%" else "")


# --- SVG and its text equivalent ---


def text(x: float, y: float, content: str, cls: str = "", anchor: str = "start") -> str:
    return format_html(
        '<text x="{}" y="{}" class="{}" text-anchor="{}">{}</text>', x, y, cls, anchor, content
    )


def svg(
    height: float, label: str, description: str, body: Sequence[str], kind: str, width: int = WIDTH
) -> str:
    """The SVG root: scales with its container's width, named for assistive technology."""
    uid = f"chart-{uuid.uuid4().hex[:10]}"  # unique on a page mixing cached parts
    return format_html(
        '<svg class="chart-svg" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'aria-describedby="{}-desc" data-chart="{}"><title>{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        width,
        round(height),
        label,
        uid,
        kind,
        label,
        uid,
        description,
        mark_safe("".join(body)),  # noqa: S308 -- every part was built with format_html
    )


@dataclass
class Table:
    """The chart's figures as a table: cells are text, or (text, link to the evidence)."""

    summary: str
    header: Sequence[str]
    rows: Sequence[Sequence[str | tuple[str, str]]] = field(default_factory=list)

    def html(self, title: str) -> str:
        """The table in a box that scrolls sideways on a phone: a region named for the chart
        (`title`), focusable, so a keyboard can scroll it and a screen reader says whose
        figures these are among the page's other tables."""
        head = "".join(format_html("<th>{}</th>", h) for h in self.header)
        body = "".join("<tr>" + "".join(cell_html(c) for c in row) + "</tr>" for row in self.rows)
        return format_html(
            '<details class="chart-data"><summary>{}</summary><div class="scroll" role="region" '
            'aria-label="Data of: {}" tabindex="0"><table><tr>{}</tr>{}</table></div></details>',
            self.summary,
            title,
            mark_safe(head),  # noqa: S308 -- built with format_html
            mark_safe(body),  # noqa: S308 -- built with format_html
        )


def cell_html(cell: str | tuple[str, str]) -> str:
    if isinstance(cell, tuple):
        return format_html('<td><a href="{}">{}</a></td>', cell[1], cell[0])
    return format_html("<td>{}</td>", cell)


def figure(kind: str, title: str, chart: str, table: Table, caption: str = "") -> SafeString:
    """The chart, its caption and its figures; `title` is the chart's, which names the table."""
    return format_html(
        '<figure class="chart chart-{}">{}{}{}</figure>',
        kind,
        chart,
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
        table.html(title),
    )


def empty(kind: str, message: str) -> SafeString:
    """What a chart shows without data: a sentence, never a blank box or an error."""
    return format_html('<p class="chart-empty chart-{}">{}</p>', kind, message)


# --- Trend: a line with every point labelled ---


def trend(
    points: Sequence[tuple[str, float]],
    *,
    title: str = "Trend",
    unit: str = "",
    higher_is_better: bool | None = True,
    evidence: str = "",
    width: int = WIDTH,
    ticks: Sequence[str] | None = None,
) -> SafeString:
    """A line through (label, value) points, oldest first, each point with its value and label,
    on a scale chosen by the unit (trend_domain) whose two ends its left axis names.
    `ticks`, one a point, replace the labels under the axis where they would not fit (an empty
    one leaves its point unlabelled there); the table keeps the labels whole.

    Used for measures with a history (the dashboard's signals, slips by quarter)."""
    if not points:
        return empty("trend", f"{title}: nothing measured yet.")
    height, top, bottom = 150, 24, 112
    low, high = trend_domain([v for _, v in points], unit)
    y = Scale(low, high, bottom, top)
    ends = (axis_number(high, unit), axis_number(low, unit))
    axis = 8 + AXIS_LETTER * max(map(len, ends))  # the scale's line, its figures left of it
    left, right = axis + 24, width - 30
    places = calendar_places([label for label, _ in points]) or list(range(len(points)))
    step = (right - left) / max(places[-1], 1)
    xs = [left + place * step for place in places] if len(points) > 1 else [width / 2]
    coords = [(x, y(v)) for x, (_, v) in zip(xs, points, strict=True)]
    body = scale_axis(ends, axis, (top, bottom), width - 10)
    if len(coords) > 1:
        line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
        body.append(format_html('<polyline points="{}" class="trend-line"/>', line))
    if ticks is None:
        labels = distinct([label for label, _ in points])
        ticks = calendar_ticks(labels, step, width) or labels
    values = [number(value, unit) for _, value in points]
    body.extend(point_marks(coords, values, list(ticks), step, width, bottom))
    description = "; ".join(f"{label}: {number(v, unit)}" for label, v in points)
    scale = f"Scale: {number(low)} to {number(high, '' if unit == '/100' else unit)}."
    direction = {True: "Higher is better.", False: "Lower is better.", None: ""}[higher_is_better]
    table = Table(
        "The figures",
        ["When", title],
        [[label, number(v, unit)] for label, v in points],
    )
    chart = svg(height, title, f"{description}. {scale} {direction}".strip(), body, "trend", width)
    caption = format_html('<a href="{}">Evidence</a>', evidence) if evidence else ""
    return figure("trend", title, chart, table, caption)


def point_marks(
    coords: Sequence[tuple[float, float]],
    values: Sequence[str],
    ticks: Sequence[str],
    step: float,
    width: int,
    bottom: float,
) -> list[str]:
    """Each point's circle, its value by it (value_baselines) and its tick under the axis, the
    end ones leaning inwards (tick_room)."""
    rooms = [tick_room(n, len(coords), step, width) for n in range(len(coords))]
    ats = [
        x - 20 if anchor == "start" else x + 20 if anchor == "end" else x
        for (x, _), (anchor, _) in zip(coords, rooms, strict=True)
    ]
    labels = list(zip(ats, [anchor for anchor, _ in rooms], values, strict=True))
    heights = value_baselines(labels, [yy for _, yy in coords], bottom)
    marks = []
    for n, (x, yy) in enumerate(coords):
        (anchor, room), at = rooms[n], ats[n]
        marks.append(format_html('<circle cx="{}" cy="{}" r="4" class="trend-point"/>', x, yy))
        marks.append(text(at, heights[n], values[n], "value", anchor))
        if ticks[n]:
            tick = short(ticks[n], max(4, int(room / LETTER)))
            marks.append(text(at, bottom + 22, tick, "tick", anchor))
    return marks


VALUE_LETTER = 9  # viewBox units a letter of a point's value (bold, larger than a tick) may take


def value_baselines(
    labels: Sequence[tuple[float, str, str]], ys: Sequence[float], bottom: float
) -> list[float]:
    """Where each point's value is written, from its label's (x, anchor, words) and its point's
    height: just above its point; where that would cover a value already placed (the latest
    first), a line higher, or else below its point. On a 0–100 scale nearby points lie level,
    and their values, each wider than the room between two points, ran into one another."""
    placed: list[tuple[float, float, float, float]] = []
    baselines = [0.0] * len(ys)
    for n in reversed(range(len(ys))):
        x, anchor, words = labels[n]
        width = len(words) * VALUE_LETTER
        left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        inside = [b for b in (ys[n] - 8, ys[n] - 22, ys[n] + 20) if 11 <= b <= bottom - 2]
        boxes = [(left, left + width, b - 11, b + 3) for b in inside or [ys[n] - 8]]
        free = (box for box in boxes if not any(overlapping(box, other) for other in placed))
        box = next(free, boxes[0])
        placed.append(box)
        baselines[n] = box[2] + 11
    return baselines


def overlapping(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes (left, right, top, bottom) overlap, or come within 2 units sideways."""
    return a[0] < b[1] + 2 and b[0] < a[1] + 2 and a[2] < b[3] and b[2] < a[3]


def scale_axis(
    ends: tuple[str, str], x: float, span: tuple[float, float], right: float
) -> list[str]:
    """A trend's axes: a line up its left side at `x` from the top of its scale to the bottom
    (`span`), both ends named left of it ("100%", "0%"), so a reader sees what a rise is out of;
    and its base line, on to `right`."""
    top, bottom = span
    return [
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis-line"/>', x, top, x, bottom),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis-line"/>', x, bottom, right, bottom
        ),
        text(x - 4, top + 4, ends[0], "tick scale", "end"),
        text(x - 4, bottom + 4, ends[1], "tick scale", "end"),
    ]


def distinct(labels: Sequence[str]) -> list[str]:
    """The labels without the words they all begin with ("Alignment pulse — Q3 2026" and
    "Alignment pulse — Q4 2026" become "Q3 2026" and "Q4 2026"), so a narrow chart shows what
    tells them apart; the table beside it keeps them whole."""
    words = [label.split() for label in labels]
    if len(words) < 2:
        return list(labels)
    shared = 0
    while all(len(w) > shared + 1 and w[shared] == words[0][shared] for w in words):
        shared += 1
    if not shared:
        return list(labels)
    return [" ".join(w[shared:]).lstrip("—–-:· ") or " ".join(w) for w in words]


MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH = re.compile(r"^\d{4}-(\d{2})\b")  # "2026-05", "2026-05 (of vision v2)"
QUARTER = re.compile(r"^\d{4}-(Q[1-4])\b")  # "2026-Q2"
LETTER = 6.6  # viewBox units a tick's letter takes, as `short` counts them
# The widest a letter of a scale's figure may take (a "%" is wider than a digit, and some phones'
# digits wider than others'): "100%" at 6.6 units a letter ran off the chart's left edge.
AXIS_LETTER = 9


def calendar_places(labels: Sequence[str]) -> list[int] | None:
    """Each point's place on a time axis, counted in months (or quarters) from the first, where
    every label is a month ("2026-07") or every one a quarter ("2026-Q3"), oldest first: July and
    September lie two months apart, with room for the August that has no point; spaced evenly,
    they read as one month apart. None for other labels."""
    found = [MONTH.match(label) for label in labels]
    per_year = 12
    if not all(found):
        found, per_year = [QUARTER.match(label) for label in labels], 4
    if len(labels) < 2 or not all(found):
        return None
    counts = [
        int(label[:4]) * per_year + int(m.group(1).lstrip("Q"))
        for label, m in zip(labels, found, strict=True)
        if m
    ]
    places = [count - counts[0] for count in counts]
    ascending = all(a < b for a, b in itertools.pairwise(places))
    return places if ascending else None


def calendar_ticks(labels: Sequence[str], step: float, width: int = WIDTH) -> list[str] | None:
    """Months ("2026-05") and quarters ("2026-Q2") too long for the room their labels get, as
    their short names ("May", "Q2"), on every point where those fit and on every second or third
    where they do not, counted back from the latest, which is always named: eight "2026-05"s cut to
    "202…" said nothing. None for other labels, or where the whole labels fit under every point;
    the table under the chart keeps them whole.

    Whole or short is decided by the narrowest room any label gets (`narrowest_room`): a middle
    point's room had decided it, and the end labels, which get less, were cut to "2026-…"."""
    found = [MONTH.match(label) or QUARTER.match(label) for label in labels]
    if len(labels) < 2 or not all(found):
        return None
    if narrowest_room(len(labels), step, width) / LETTER >= max(map(len, labels)):
        return None
    names = [MONTH_NAMES[int(m.group(1)) - 1] if m.re is MONTH else m.group(1) for m in found if m]
    return every_nth_from_latest(names, math.ceil((LETTER * 3 + 6) / step))


def every_nth_from_latest(names: Sequence[str], every: int) -> list[str]:
    """The names of the latest point and of every `every`-th before it; "" for the others."""
    latest = len(names) - 1
    return [name if (latest - n) % every == 0 else "" for n, name in enumerate(names)]


def narrowest_room(count: int, step: float, width: int) -> float:
    """The least room any of `count` labels gets under its point (tick_room)."""
    return min(tick_room(n, count, step, width)[1] for n in range(count))


def tick_room(n: int, count: int, step: float, width: int) -> tuple[str, float]:
    """How to anchor the label of point n of count, and how wide it may be without meeting
    its neighbour's: the end labels lean inwards from the chart's edges."""
    if count == 1:
        return "middle", width - 20
    anchor = "start" if n == 0 else "end" if n == count - 1 else "middle"
    if count == 2:
        return anchor, width / 2 - 18
    return anchor, (step / 2 + 14 if anchor != "middle" else step - 6)


# --- Goal progress: start, today and target on one time line ---


@dataclass(frozen=True)
class Reading:
    on: date
    value: float


def goal_progress(
    readings: Sequence[Reading],
    target: Reading | None,
    *,
    title: str,
    unit: str = "",
    today: date | None = None,
) -> SafeString:
    """A goal's measurements over time (start → latest) and a dashed line on to its target, a
    value by a date. The target's label sits by its point, so it never meets the latest's below.
    No caption links back to the goal: the chart is drawn in the goal's own card."""
    readings = sorted(readings, key=lambda r: r.on)
    if not readings and target is None:
        return empty("goal", "No measurements recorded for this goal yet: no progress to draw.")
    height = 150
    top, bottom, left, right = 26, height - 34, 34, WIDTH - 40
    every = [*readings, *([target] if target else [])]
    days = [r.on.toordinal() for r in every]
    x = Scale(min(days), max(days), left, right)
    y = Scale(*padded(r.value for r in every), bottom, top)
    body = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis-line"/>',
            left - 10,
            bottom + 6,
            right + 10,
            bottom + 6,
        )
    ]
    if target:
        body.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="target-line"/>',
                left - 10,
                y(target.value),
                right + 10,
                y(target.value),
            )
        )
    coords = [(x(r.on.toordinal()), y(r.value)) for r in readings]
    if len(coords) > 1:
        line = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
        body.append(format_html('<polyline points="{}" class="trend-line"/>', line))
    if readings and target:
        (a, b), t = coords[-1], target
        body.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="to-target"/>',
                a,
                b,
                x(t.on.toordinal()),
                y(t.value),
            )
        )
    # Every value where the points are far enough apart; else the start and the latest (the
    # table beside the chart holds them all).
    roomy = all(b[0] - a[0] >= 40 for a, b in itertools.pairwise(coords))
    for n, ((a, b), r) in enumerate(zip(coords, readings, strict=True)):
        body.append(format_html('<circle cx="{}" cy="{}" r="4" class="trend-point"/>', a, b))
        if roomy or n in (0, len(readings) - 1):
            body.append(text(a, b - 8, number(r.value, unit), "value", anchor_at(a)))
    body.extend(time_ticks(readings, coords, bottom + 22, today))
    if target:
        tx, ty = x(target.on.toordinal()), y(target.value)
        body.append(format_html('<circle cx="{}" cy="{}" r="5" class="target-point"/>', tx, ty))
        words = f"target {number(target.value, unit)} · {target.on:%b %Y}"
        body.append(text(tx, ty - 9, words, "value target", anchor_at(tx)))
    rows = [[day(r.on), number(r.value, unit), "measured"] for r in readings]
    if target:
        rows.append([day(target.on), number(target.value, unit), "target"])
    table = Table("The measurements", ["Date", "Value", "Measured or target"], rows)
    name = f"Progress of {title}"
    chart = svg(height, name, progress_sentence(readings, target, unit), body, "goal")
    return figure("goal", name, chart, table)


def time_ticks(
    readings: Sequence[Reading],
    coords: Sequence[tuple[float, float]],
    y: float,
    today: date | None = None,
):
    """ "start · 1 Feb 2026" under the first measurement and the last one's date under it
    ("15 Nov 2026"), or both in one label when they would overlap. "today" only where the last
    measurement is today's: one from three weeks ago is not today's value."""
    if not readings:
        return []
    (start_x, _), (last_x, _) = coords[0], coords[-1]
    start, last = readings[0].on, readings[-1].on
    first_words = f"start · {day(start)}"
    if len(readings) == 1:
        return [text(start_x, y, first_words, "tick", anchor_at(start_x))]
    last_words = f"today · {day(last)}" if last == today else day(last)
    if overlap((start_x, first_words), (last_x, last_words)):
        words = f"{day(start)} → " + ("today" if last == today else day(last))
        return [text(start_x - 10, y, words, "tick", "start")]
    return [
        text(start_x, y, first_words, "tick", anchor_at(start_x)),
        text(last_x, y, last_words, "tick", anchor_at(last_x)),
    ]


TICK_CHAR = 6.5  # about how wide a character of a 12 px tick label is, in viewBox units


def overlap(*labels: tuple[float, str]) -> bool:
    """Whether tick labels (x, words), left to right, anchored by anchor_at, would overlap."""
    spans = []
    for x, words in labels:
        width = len(words) * TICK_CHAR
        anchor = anchor_at(x)
        left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        spans.append((left, left + width))
    return any(b[0] - a[1] < 8 for a, b in itertools.pairwise(spans))


def anchor_at(x: float, width: int = WIDTH) -> str:
    """How to anchor a label at x so that it stays inside the chart."""
    return "start" if x < 80 else "end" if x > width - 80 else "middle"


def progress_sentence(readings: Sequence[Reading], target: Reading | None, unit: str) -> str:
    parts = []
    if readings:
        start, now = readings[0], readings[-1]
        parts.append(f"Started at {number(start.value, unit)} on {day(start.on)}")
        if len(readings) > 1:
            parts.append(f"{number(now.value, unit)} on {day(now.on)}")
    if target:
        parts.append(f"target {number(target.value, unit)} by {day(target.on)}")
    return ", ".join(parts) + "."


# --- Bars: one row per item, its label above its bar (fits a phone) ---


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    link: str = ""
    note: str = ""  # said after the value, e.g. "named 3rd most"
    cls: str = ""


def bars(
    items: Sequence[Bar],
    *,
    title: str,
    maximum: float | None = None,
    unit: str = "%",
    header: Sequence[str] = ("Item", "Value", "Note"),
    empty_message: str = "Nothing to show yet.",
    caption: str = "",
) -> SafeString:
    """Horizontal bars, one per item in the given order; values are 0–1 shares when unit is
    "%", otherwise plain numbers (negative ones are drawn as zero-length with their value)."""
    if not items:
        return empty("bars", empty_message)
    fmt = share if unit == "%" else (lambda v: number(v, unit))
    known = [i.value for i in items if i.value is not None]
    top = maximum if maximum is not None else max([*known, 0.0]) or 1.0
    x = Scale(0, top, 0, WIDTH - 70)
    row_height = 40
    body = []
    for n, item in enumerate(items):
        y0 = n * row_height
        body.append(text(0, y0 + 14, short(item.label, 52), "tick"))
        width = x(min(max(0.0, item.value or 0.0), top))  # within 0 … the chart's top
        body.append(
            format_html(
                '<rect x="0" y="{}" width="{}" height="14" rx="2" class="bar {}"/>',
                y0 + 20,
                width,
                item.cls,
            )
        )
        body.append(text(width + 6, y0 + 32, fmt(item.value), "value"))
    description = "; ".join(f"{i.label}: {fmt(i.value)} {i.note}".strip() for i in items)
    rows = [[(i.label, i.link) if i.link else i.label, fmt(i.value), i.note] for i in items]
    table = Table("The figures", header, rows)
    chart = svg(len(items) * row_height + 4, title, description, body, "bars")
    return figure("bars", title, chart, table, caption)


# --- Planned against actual: a dumbbell per initiative on one date axis ---


@dataclass(frozen=True)
class Span:
    label: str
    planned: date
    actual: date
    outcome: str  # "shipped", "forecast" or "overdue"
    link: str = ""


def planned_vs_actual(spans: Sequence[Span], *, today: date) -> SafeString:
    """Each initiative's planned date and its actual (or forecast) date, joined: red when late,
    green when early or on time. Sorted by planned date."""
    if not spans:
        return empty("planned", "No committed initiative with a planned date yet.")
    spans = sorted(spans, key=lambda s: (s.planned, s.label))
    days = [d.toordinal() for s in spans for d in (s.planned, s.actual)] + [today.toordinal()]
    x = Scale(min(days), max(days), 8, WIDTH - 8)
    row_height, top = 36, 22
    body = [
        text(8, 12, day_label(min(days)), "tick"),
        text(WIDTH - 8, 12, day_label(max(days)), "tick", "end"),
        format_html(
            '<line x1="{}" y1="16" x2="{}" y2="{}" class="today-line"/>',
            x(today.toordinal()),
            x(today.toordinal()),
            top + len(spans) * row_height,
        ),
        text(x(today.toordinal()), top + len(spans) * row_height + 12, "today", "tick", "middle"),
    ]
    rows = []
    for n, s in enumerate(spans):
        y0 = top + n * row_height
        delay = (s.actual - s.planned).days
        late = "late" if delay > 0 else "on-time"
        body.append(text(8, y0 + 12, f"{short(s.label, 40)} · {delay_words(delay)}", "tick"))
        a, b = x(s.planned.toordinal()), x(s.actual.toordinal())
        body.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="span {}"/>',
                a,
                y0 + 24,
                b,
                y0 + 24,
                late,
            )
        )
        body.append(format_html('<circle cx="{}" cy="{}" r="4" class="planned"/>', a, y0 + 24))
        body.append(
            format_html(
                '<circle cx="{}" cy="{}" r="4" class="actual {} {}"/>', b, y0 + 24, late, s.outcome
            )
        )
        label = (s.label, s.link) if s.link else s.label
        rows.append([label, day(s.planned), f"{day(s.actual)} ({s.outcome})", delay_words(delay)])
    late_count = sum(1 for s in spans if s.actual > s.planned)
    description = (
        f"{late_count} of {len(spans)} initiatives shipped or are forecast later than planned. "
        + "; ".join(
            f"{s.label}: planned {day(s.planned)}, {s.outcome} {day(s.actual)}" for s in spans
        )
    )
    table = Table("The dates", ["Initiative", "Planned", "Actual / forecast", "Delay"], rows)
    name = "Planned against actual"
    chart = svg(top + len(spans) * row_height + 18, name, description, body, "planned")
    caption = "Open dot: planned. Filled dot: shipped or forecast. Red line: late."
    return figure("planned", name, chart, table, caption)


def day_label(ordinal: int) -> str:
    return f"{date.fromordinal(ordinal):%b %Y}"


def delay_words(days: int) -> str:
    if days > 0:
        return f"{days} days late"
    return "on time" if days == 0 else f"{-days} days early"


# --- Roadmap timeline: a lane per quarter, now / next / later ---


@dataclass(frozen=True)
class Item:
    label: str
    status: str  # the commitment level: a class s-<status> colours it
    status_label: str
    when: date | None  # None: no date, or one not shown to this reader; shipped: the day it did
    link: str = ""
    # Only the quarter of `when` is shown: a plan is not a promise, and a day beside it read as
    # one ("planned · 16 May", for a date the executives asked nobody to give customers).
    quarter_only: bool = False
    # Against the date first committed to, as the overruns page counts it: days shipped or
    # forecast after it, and how many times the date moved later since.
    late_days: int = 0
    moved: int = 0

    @property
    def against_plan(self) -> str:
        """ "65 days late · moved ×2", "moved ×1", or '' for an item on time and never moved."""
        words = [delay_words(self.late_days)] if self.late_days > 0 else []
        if self.moved:
            words.append(f"moved ×{self.moved}")
        return " · ".join(words)


def quarter_of(when: date) -> tuple[int, int]:
    return when.year, (when.month - 1) // 3 + 1


def not_promised_words(when: date) -> str:
    """A plan's date as the roadmap gives it: its quarter, "2027-Q2, not a promise"."""
    year, quarter = quarter_of(when)
    return f"{year}-Q{quarter}, not a promise"


def lane_name(quarter: tuple[int, int], now: tuple[int, int]) -> str:
    index = quarter[0] * 4 + quarter[1]
    current = now[0] * 4 + now[1]
    when = "now" if index == current else "next" if index == current + 1 else "later"
    if index < current:
        when = "earlier"
    return f"{quarter[0]}-Q{quarter[1]} · {when}"


def timeline(items: Sequence[Item], *, today: date) -> SafeString:
    """Initiatives in a lane per quarter of their date, coloured and labelled by commitment
    level; those without a (shown) date in a last "later / no date" lane. Within a lane, by
    date, then in the order given. Lanes run down the page, so a phone shows them as wide as a
    desktop does. An item shown by its quarter only says no day; one late against the date
    first committed to says so under its title ("65 days late · moved ×2")."""
    if not items:
        return empty("timeline", "Nothing on the roadmap yet.")
    lanes = in_lanes(items, today)
    body, rows, y0 = [], [], 0
    for name, lane in lanes.items():
        body.append(
            format_html('<rect x="0" y="{}" width="{}" height="22" class="lane"/>', y0, WIDTH)
        )
        body.append(text(6, y0 + 16, f"{name} ({len(lane)})", "lane-name"))
        y0 += 28
        for item in lane:
            drawn, height = timeline_row(item, y0)
            body.extend(drawn)
            rows.append(timeline_cells(name, item))
            y0 += height
        y0 += 6
    description = ", ".join(lane_words(name, lane) for name, lane in lanes.items())
    table = Table("The initiatives", ["When", "Initiative", "Commitment", "Date"], rows)
    name = "Roadmap by quarter"
    chart = svg(y0, name, description + ".", body, "timeline")
    key = legend(
        sorted({(i.status, i.status_label) for i in items}, key=lambda s: status_order(s[0]))
    )
    return figure("timeline", name, chart, table, key)


def in_lanes(items: Sequence[Item], today: date) -> dict[str, list[Item]]:
    """The items in a lane per quarter, earliest first, and the undated in a last lane."""
    now = quarter_of(today)
    lanes: dict[str, list[Item]] = {}
    for item in sorted(items, key=place_in_lane):
        key = lane_name(quarter_of(item.when), now) if item.when else "later · no date"
        lanes.setdefault(key, []).append(item)
    return lanes


def place_in_lane(item: Item) -> tuple:
    """Where an item sorts: by quarter; within one, those with a day by their day, then those
    shown by quarter only, and the undated last, each in the order given (the roadmap's own
    lists' order: sorting by the label would put "RM-10 …" before "RM-2 …"). A plan placed by
    its day among the promised ones would tell that day by its neighbours'."""
    if item.when is None:
        return (True,)
    day = 0 if item.quarter_only else item.when.toordinal()
    return (False, quarter_of(item.when), item.quarter_only, day)


def timeline_row(item: Item, y0: float) -> tuple[list[str], float]:
    """An item's mark, title, commitment and how it stands against its plan, from y0 down; and
    the height they take."""
    drawn = [
        format_html(
            '<rect x="6" y="{}" width="10" height="14" rx="2" class="mark s-{}"/>',
            y0 + 1,
            item.status,
        )
    ]
    # The commitment level in words beside the day: its colour alone does not tell committed
    # from in progress, nor anything to a reader who cannot see it.
    when = status_and_day(item)
    drawn.append(text(WIDTH - 4, y0 + 13, when, "tick muted", "end"))
    # A long title wraps onto more lines rather than being cut: the chart scales with the page,
    # so a wider screen would never show more of a cut one.
    lines = textwrap.wrap(item.label, 50 - len(when)) or [""]
    if item.against_plan:  # a line of its own, so a late item's title keeps its width
        lines.append(item.against_plan)
    for n, line in enumerate(lines):
        late = n == len(lines) - 1 and bool(item.against_plan)
        drawn.append(text(22, y0 + 13 + n * 15, line, "value late" if late else "tick"))
    return drawn, 22 + 15 * (len(lines) - 1)


def timeline_cells(lane: str, item: Item) -> list[str | tuple[str, str]]:
    """The item's row in the table beside the timeline."""
    label = (item.label, item.link) if item.link else item.label
    return [lane, label, item.status_label, date_words(item)]


def date_words(item: Item) -> str:
    """ "21 Jan 2027 (65 days late · moved ×2)", "shipped 7 Nov 2026", "2027-Q2, not a promise"."""
    if item.quarter_only and item.when:
        return not_promised_words(item.when)
    shipped = "shipped " if item.status == "shipped" and item.when else ""
    against = f" ({item.against_plan})" if item.against_plan else ""
    return shipped + day(item.when) + against


def lane_words(name: str, lane: Sequence[Item]) -> str:
    """A lane as the chart's description says it: "2026-Q4 · now: 5, 2 of them late"."""
    late = sum(1 for item in lane if item.late_days > 0)
    return f"{name}: {len(lane)}" + (f", {late} of them late" if late else "")


def status_and_day(item: Item) -> str:
    """ "committed · 5 Mar", "shipped · 3 Feb" (the day it shipped), or the level alone: for an
    item without a date, or shown by quarter only (its lane names the quarter)."""
    level = item.status_label.lower()
    if item.when is None or item.quarter_only:
        return level
    return f"{level} · {item.when.day} {item.when:%b}"


STATUSES = ["exploring", "planned", "committed", "in_progress", "shipped", "dropped"]


def status_order(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)


def legend(levels: Iterable[tuple[str, str]]) -> str:
    keys = "".join(
        format_html('<span class="key"><i class="swatch s-{}"></i>{}</span>', status, label)
        for status, label in levels
    )
    return format_html('<span class="legend">{}</span>', mark_safe(keys))  # noqa: S308


# --- Heat maps: a colour class per fifth of the scale, and its legend ---

HEAT_STEPS = 5


def heat_class(value: float | None, scale: float = 100) -> str:
    """heat-0 (lowest fifth) … heat-4 (highest), or heat-none; the value is printed anyway."""
    if value is None:
        return "heat-none"
    ratio = max(0.0, min(1.0, float(value) / float(scale or 1)))
    return f"heat-{min(HEAT_STEPS - 1, math.floor(ratio * HEAT_STEPS))}"


def heat_legend() -> SafeString:
    """The colours of a heat map and the range each stands for: scores out of 100, and shares
    in percent, fall in the same fifths."""
    step = 100 // HEAT_STEPS
    keys = [
        format_html(
            '<span class="key"><i class="swatch heat-{}"></i>{}–{}</span>',
            n,
            n * step,
            (n + 1) * step,
        )
        for n in range(HEAT_STEPS)
    ]
    keys.append(
        format_html('<span class="key"><i class="swatch heat-none"></i>{}</span>', "not shown")
    )
    return format_html(
        '<p class="legend heat-legend"><span>Colour, score out of 100 or share in %:</span> {}</p>',
        mark_safe("".join(keys)),  # noqa: S308 -- built with format_html
    )
