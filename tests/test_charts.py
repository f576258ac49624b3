"""truenorth/charts.py: scales, escaping, empty and one-point data, odd ranges."""

import itertools
import re
from datetime import date
from xml.etree import ElementTree

import pytest

from truenorth import charts

HOSTILE = '<script>alert("x")</script> & "quoted"'


def svg_of(html: str) -> ElementTree.Element:
    """The chart's SVG parsed as XML: it fails on anything a browser would have to guess at."""
    found = re.search(r"<svg.*?</svg>", str(html), re.S)
    assert found, html
    return ElementTree.fromstring(found.group())


def numbers(element: ElementTree.Element, attribute: str) -> list[float]:
    return [float(e.get(attribute)) for e in element.iter() if e.get(attribute) is not None]


def every_chart(label: str) -> list[str]:
    """One of each chart with `label` as every text it shows."""
    today = date(2026, 12, 1)
    return [
        charts.trend([(label, 1), ("b", 2)], title=label),
        charts.goal_progress(
            [charts.Reading(date(2026, 1, 1), 3)], charts.Reading(date(2027, 1, 1), 9), title=label
        ),
        charts.bars([charts.Bar(label, 0.5, link="/goals/#x", note=label)], title=label),
        charts.planned_vs_actual(
            [charts.Span(label, date(2026, 1, 1), date(2026, 2, 1), "shipped", "/i/1/")],
            today=today,
        ),
        charts.timeline(
            [charts.Item(label, "committed", label, date(2026, 12, 5), "/i/1/")], today=today
        ),
    ]


def test_it_scales_a_domain_onto_the_chart_and_a_flat_domain_to_its_middle():
    scale = charts.Scale(0, 10, 100, 0)  # y grows downwards: high values at the top
    assert (scale(0), scale(5), scale(10)) == (100, 50, 0)
    assert charts.Scale(3, 3, 0, 40)(3) == 20


@pytest.mark.parametrize(
    "values, inside",
    [([5.0], 5.0), ([0.0, 0.0], 0.0), ([-4.0, -1.0], -2.0), ([-3.0, 7.0], 0.0)],
)
def test_it_pads_every_domain_around_its_values(values, inside):
    low, high = charts.padded(values)
    assert low < min(values) and high > max(values) and low < inside < high


@pytest.mark.parametrize("chart", range(5))
def test_it_escapes_every_label_it_draws(chart):
    html = str(every_chart(HOSTILE)[chart])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    svg_of(html)  # still well-formed: nothing broke out of an attribute or a text


@pytest.mark.parametrize("chart", range(5))
def test_each_chart_has_a_name_a_description_and_its_figures_as_a_table(chart):
    html = str(every_chart("Payments")[chart])
    svg = svg_of(html)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img" and svg.get("aria-label")
    assert svg.find("title") is not None or svg.find(f"{ns}title") is not None
    assert svg.get("viewBox").startswith("0 0 ") and svg.get("width") == "100%"
    assert '<details class="chart-data">' in html and "<table>" in html
    assert "<a " not in html[: html.index("</svg>")]  # links live in the table, not the image


@pytest.mark.parametrize(
    "empty",
    [
        charts.trend([], title="Coherence"),
        charts.goal_progress([], None, title="Touchless"),
        charts.bars([], title="Priorities"),
        charts.planned_vs_actual([], today=date(2026, 12, 1)),
        charts.timeline([], today=date(2026, 12, 1)),
    ],
)
def test_no_data_gives_a_sentence_not_an_empty_box(empty):
    assert str(empty).startswith('<p class="chart-empty')
    assert "<svg" not in str(empty)


def test_a_single_point_is_drawn_in_the_middle_with_its_label():
    svg = svg_of(charts.trend([("Q3 pulse", 46)], title="Coherence", unit="/100"))
    assert numbers(svg, "cx") == [200.0]
    texts = [t.text for t in svg.iter() if t.tag.endswith("text")]
    assert "46/100" in texts and "Q3 pulse" in texts


def test_every_point_of_a_trend_is_labelled_with_its_value():
    points = [("Jan", -3.0), ("Feb", 0.0), ("Mar", 12.5), ("Apr", 12.5)]
    svg = svg_of(charts.trend(points, title="Days slipped", unit="days"))
    texts = [t.text for t in svg.iter() if t.tag.endswith("text")]
    for value in ("-3 days", "0 days", "12.5 days"):
        assert value in texts
    ys = numbers(svg, "cy")
    assert ys[0] > ys[1] > ys[2] == ys[3]  # higher values are drawn higher
    assert all(0 <= y <= 150 for y in ys)


def test_a_goal_runs_from_its_start_through_today_to_its_target():
    readings = [charts.Reading(date(2026, 1, 1), 33), charts.Reading(date(2026, 12, 1), 41)]
    html = str(
        charts.goal_progress(
            readings,
            charts.Reading(date(2027, 6, 30), 70),
            title="Touchless",
            unit="%",
            today=date(2026, 12, 1),
        )
    )
    svg = svg_of(html)
    texts = [t.text for t in svg.iter() if t.tag.endswith("text")]
    assert "start · 1 Jan 2026" in texts and "today · 1 Dec 2026" in texts
    assert "target 70% · Jun 2027" in texts
    assert "Started at 33% on 1 Jan 2026, 41% on 1 Dec 2026, target 70% by 30 Jun 2027." in html
    xs = numbers(svg, "cx")
    assert xs == sorted(xs)  # start, today, target from left to right


def test_a_goal_whose_target_is_lower_draws_it_below():
    svg = svg_of(
        charts.goal_progress(
            [charts.Reading(date(2026, 1, 1), 6.1)],
            charts.Reading(date(2026, 12, 31), 0.5),
            title="Sync failures",
            unit="%",
        )
    )
    start_y, target_y = numbers(svg, "cy")
    assert target_y > start_y


def test_bars_draw_zero_and_negative_values_as_empty_and_keep_their_figures():
    html = str(charts.bars([charts.Bar("a", 0.0), charts.Bar("b", -2.0)], title="t", unit=""))
    widths = [float(r.get("width")) for r in svg_of(html).iter() if r.tag.endswith("rect")]
    assert widths == [0.0, 0.0]
    assert "<td>-2</td>" in html


def test_bars_are_as_long_as_their_share():
    html = charts.bars([charts.Bar("a", 1.0), charts.Bar("b", 0.25)], title="t", maximum=1.0)
    widths = [float(r.get("width")) for r in svg_of(html).iter() if r.tag.endswith("rect")]
    assert widths[1] == pytest.approx(widths[0] / 4, abs=0.1)
    assert ">25%<" in str(html)


def test_planned_against_actual_marks_late_and_early_and_links_each_initiative():
    html = str(
        charts.planned_vs_actual(
            [
                charts.Span("Late one", date(2026, 3, 1), date(2026, 4, 1), "shipped", "/i/1/"),
                charts.Span("Early one", date(2026, 5, 1), date(2026, 4, 20), "shipped", "/i/2/"),
            ],
            today=date(2026, 12, 1),
        )
    )
    assert 'class="span late"' in html and 'class="span on-time"' in html
    assert "31 days late" in html and "11 days early" in html
    assert '<a href="/i/1/">Late one</a>' in html and '<a href="/i/2/">Early one</a>' in html
    assert "1 of 2 initiatives shipped or are forecast later than planned" in html


def test_the_timeline_puts_items_in_now_next_later_and_undated_lanes():
    today = date(2026, 11, 15)
    items = [
        charts.Item("Undated", "exploring", "Exploring", None),
        charts.Item("Later", "planned", "Planned", date(2027, 5, 1)),
        charts.Item("Next", "committed", "Committed", date(2027, 2, 1)),
        charts.Item("Now", "in_progress", "In progress", date(2026, 12, 20)),
        charts.Item("Done", "shipped", "Shipped", date(2026, 8, 1)),
    ]
    html = str(charts.timeline(items, today=today))
    lanes = re.findall(r'class="lane-name"[^>]*>([^<]+)<', html)
    assert lanes == [
        "2026-Q3 · earlier (1)",
        "2026-Q4 · now (1)",
        "2027-Q1 · next (1)",
        "2027-Q2 · later (1)",
        "later · no date (1)",
    ]
    assert 'class="mark s-in_progress"' in html and "swatch s-exploring" in html


@pytest.mark.parametrize(
    "value, scale, cls",
    [(None, 100, "heat-none"), (0, 100, "heat-0"), (19.9, 100, "heat-0"), (46, 100, "heat-2"),
     (100, 100, "heat-4"), (150, 100, "heat-4"), (-5, 100, "heat-0"), (0.47, 1, "heat-2"),
     (3, 0, "heat-4")],
)  # fmt: skip
def test_heat_classes_cut_the_scale_in_fifths(value, scale, cls):
    assert charts.heat_class(value, scale) == cls


def test_numbers_read_as_people_write_them():
    assert charts.number(41.0, "%") == "41%"
    assert charts.number(6.54, "days") == "6.5 days"
    assert charts.number(1, "days") == "1 day" and charts.number(1.5, "days") == "1.5 days"
    assert charts.number(46, "/100") == "46/100"
    assert charts.number(None) == "—"
    assert charts.number(1234567, "EUR") == "1,234,567 EUR"  # not "1.23457e+06 EUR"
    assert charts.number(-0.04) == "0" and charts.number(-0.5) == "-0.5"
    assert charts.share(0.471) == "47%"


def test_a_start_close_to_today_shares_one_label_rather_than_overlapping_it():
    readings = [charts.Reading(date(2026, 11, 1), 9), charts.Reading(date(2026, 12, 1), 12)]
    target = charts.Reading(date(2028, 6, 30), 30)
    svg = svg_of(
        charts.goal_progress(readings, target, title="t", unit="%", today=date(2026, 12, 1))
    )
    texts = [t.text for t in svg.iter() if t.tag.endswith("text")]
    assert "1 Nov 2026 → today" in texts
    assert not any(t.startswith("start ·") for t in texts)


def ticks(readings, target, today):
    svg = svg_of(charts.goal_progress(readings, target, title="t", unit="%", today=today))
    return [t.text for t in svg.iter() if t.tag.endswith("text") and t.get("class") == "tick"]


def test_a_latest_reading_before_today_is_labelled_by_its_date_not_today():
    """Read on 15 Nov, looked at on 6 Dec: the axis ends at 15 Nov, so it never says today."""
    readings = [charts.Reading(date(2026, 10, 1), 18), charts.Reading(date(2026, 11, 15), 15)]
    target = charts.Reading(date(2027, 3, 31), 5)
    assert ticks(readings, target, date(2026, 12, 6)) == ["1 Oct 2026 → 15 Nov 2026"]
    assert ticks(readings, target, date(2026, 11, 15)) == ["1 Oct 2026 → today"]
    apart = [charts.Reading(date(2026, 1, 1), 30), charts.Reading(date(2026, 11, 15), 15)]
    assert ticks(apart, target, date(2026, 12, 6)) == ["start · 1 Jan 2026", "15 Nov 2026"]
    assert ticks(apart, target, None) == ["start · 1 Jan 2026", "15 Nov 2026"]
    assert ticks(apart, target, date(2026, 11, 15)) == ["start · 1 Jan 2026", "today · 15 Nov 2026"]


def test_two_tick_labels_are_kept_apart_wherever_they_fall():
    """The two labels stand apart only where their estimated widths leave a gap; else one."""
    target = charts.Reading(date(2027, 12, 31), 5)
    start = charts.Reading(date(2026, 1, 1), 30)
    for days in range(20, 700, 10):
        latest = charts.Reading(date.fromordinal(start.on.toordinal() + days), 15)
        svg = svg_of(charts.goal_progress([start, latest], target, title="t", unit="%"))
        found = [t for t in svg.iter() if t.tag.endswith("text") and t.get("class") == "tick"]
        if len(found) == 2:
            first, last = (float(t.get("x")) for t in found)
            width = len(found[1].text) * charts.TICK_CHAR
            left = last - (width if found[1].get("text-anchor") == "end" else width / 2)
            assert first + len(found[0].text) * charts.TICK_CHAR <= left, days


def test_a_narrow_trend_drops_the_words_its_labels_share_and_its_table_keeps_them():
    points = [("Alignment pulse — Q3 2026", 27), ("Alignment pulse — Q4 2026", 46)]
    html = str(charts.trend(points, title="Line of sight", unit="%", width=charts.NARROW))
    texts = [t.text for t in svg_of(html).iter() if t.tag.endswith("text")]
    assert "Q3 2026" in texts and "Q4 2026" in texts
    assert "<td>Alignment pulse — Q3 2026</td>" in html
    assert charts.distinct(["Q3", "Q3"]) == ["Q3", "Q3"]  # nothing would be left: kept whole


def tick_texts(html: str) -> list[str]:
    return [t.text for t in svg_of(html).iter() if t.get("class") == "tick"]


def test_months_too_long_for_a_narrow_trend_read_as_month_names():
    """Eight months in a card were eight "202…"s; now "May" … "Dec", each on its own point
    where they fit, and the table keeps the months whole."""
    months = [f"2026-{m:02}" for m in range(5, 13)]
    html = str(charts.trend([(m, 29.0) for m in months], title="No goal", width=charts.NARROW))
    ticks = tick_texts(html)
    assert ticks == ["May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert "<td>2026-05</td>" in html
    quarters = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    ticks = tick_texts(str(charts.trend([(q, 1.0) for q in quarters], width=charts.NARROW)))
    assert ticks == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]  # whole labels fit: kept


def test_months_too_many_for_their_names_are_named_every_second_or_third_counting_back():
    months = [f"{2025 + m // 12}-{m % 12 + 1:02}" for m in range(6, 30)]  # Jul 2025 … Jun 2027
    html = str(charts.trend([(m, 3.0) for m in months], width=charts.NARROW))
    ticks = tick_texts(html)
    assert ticks[-1] == "Jun" and 6 <= len(ticks) < len(months)
    texts = [t.text for t in svg_of(html).iter() if t.tag.endswith("text")]
    assert not any(t and "…" in t for t in texts)
    assert charts.calendar_ticks(["2026-05", "Q3 pulse"], 10) is None  # not all dates: unchanged


def test_the_timeline_says_each_items_commitment_in_words_not_by_colour_alone():
    today = date(2026, 11, 15)
    items = [
        charts.Item("Undated", "exploring", "Exploring", None),
        charts.Item("Later", "planned", "Planned", date(2027, 5, 1)),
        charts.Item("Next", "committed", "Committed", date(2027, 2, 1)),
        charts.Item("Now", "in_progress", "In progress", date(2026, 12, 20)),
        charts.Item("Done", "shipped", "Shipped", date(2026, 8, 1)),
    ]
    html = str(charts.timeline(items, today=today))
    texts = [t.text for t in svg_of(html).iter() if t.tag.endswith("text")]
    for words in ("exploring", "planned · 1 May", "committed · 1 Feb", "in progress · 20 Dec"):
        assert words in texts
    assert "shipped · 1 Aug" in texts
    legend = html[html.index('class="legend"') :]
    for label in ("Exploring", "Planned", "Committed", "In progress", "Shipped"):
        assert f"</i>{label}</span>" in legend


def test_a_goal_chart_names_every_column_and_links_nowhere_but_its_table():
    html = str(
        charts.goal_progress(
            [charts.Reading(date(2026, 1, 1), 33)], charts.Reading(date(2027, 6, 30), 70), title="T"
        )
    )
    assert "<th></th>" not in html and "<th>Measured or target</th>" in html
    assert "<figcaption>" not in html and "<a " not in html


def test_months_lie_on_a_time_axis_with_room_for_a_month_without_a_point():
    """Days to decide had points for July, September, October and November spaced evenly, as if
    August were not missing: now September lies two months from July, one from October."""
    points = [("2026-07", 17.0), ("2026-09", 15.0), ("2026-10", 20.5), ("2026-11", 2.0)]
    xs = [
        float(c.get("cx")) for c in svg_of(charts.trend(points)).iter() if c.tag.endswith("circle")
    ]
    gaps = [round(b - a, 1) for a, b in itertools.pairwise(xs)]
    assert gaps[0] == 2 * gaps[1] == 2 * gaps[2]
    assert charts.calendar_places(["2026-Q3 (3 slips)", "2027-Q1 (1 slip)"]) == [0, 2]
    assert charts.calendar_places(["Q3 pulse", "Q4 pulse"]) is None  # not dates: evenly spaced
    assert charts.calendar_places(["2026-11", "2026-07"]) is None  # not oldest first


def rise_of(html: str) -> float:
    """How far a trend's last point is drawn above its first, as a share of the height of its
    scale (its left axis, from the scale's top to its bottom)."""
    svg = svg_of(html)
    lines = [e for e in svg.iter() if e.tag.split("}")[-1] == "line"]
    [axis] = [e for e in lines if e.get("x1") == e.get("x2")]
    height = float(axis.get("y2")) - float(axis.get("y1"))
    ys = numbers(svg, "cy")
    return (ys[0] - ys[-1]) / height


def scale_ends(html: str) -> list[str]:
    return [t.text for t in svg_of(html).iter() if t.get("class") == "tick scale"]


def test_a_share_or_a_score_is_drawn_on_a_scale_of_0_to_100_so_a_change_is_as_tall_as_it_is():
    """+4 (32 → 36) and +54 (40 → 94) were drawn as the same line from the bottom of the card to
    its top; on 0–100, the first rises a twenty-fifth of the height, the second over half."""
    small = charts.trend([("Q3", 32), ("Q4", 36)], unit="/100", width=charts.NARROW)
    large = charts.trend([("v2", 40), ("v3", 94)], unit="/100", width=charts.NARROW)
    assert rise_of(small) == pytest.approx(0.04, abs=0.005)
    assert rise_of(large) == pytest.approx(0.54, abs=0.005)
    assert scale_ends(small) == ["100", "0"]
    share = charts.trend([("Q3", 35), ("Q4", 49)], unit="%", width=charts.NARROW)
    assert rise_of(share) == pytest.approx(0.14, abs=0.005)
    assert scale_ends(share) == ["100%", "0%"]
    assert "Scale: 0 to 100%." in str(share) and "Scale: 0 to 100." in str(small)


def test_days_and_counts_are_drawn_from_zero_to_a_round_figure_above_the_highest():
    points = [("2026-09", 15.0), ("2026-10", 20.5), ("2026-11", 12.0)]
    html = charts.trend(points, unit="days", higher_is_better=False, width=charts.NARROW)
    assert scale_ends(html) == ["25", "0"]
    assert rise_of(html) == pytest.approx((12 - 15) / 25, abs=0.005)  # a fall of 3 in 25
    assert "Scale: 0 to 25 days." in str(html)
    assert scale_ends(charts.trend([("a", 0.0), ("b", 0.0)], unit="days")) == ["1", "0"]
    assert scale_ends(charts.trend([("a", -3.0), ("b", 12.5)])) == ["15", "-3"]
    assert scale_ends(charts.trend([("a", 80.0), ("b", 120.0)], unit="%")) == ["150%", "0%"]


@pytest.mark.parametrize(
    "value, rounded",
    [(0, 0), (-2, 0), (0.3, 0.3), (1, 1), (12, 15), (19, 20), (20.5, 25), (54, 60), (99.9, 100),
     (100, 100), (101, 150), (1234, 1500)],
)  # fmt: skip
def test_a_scale_ends_on_a_round_figure(value, rounded):
    assert charts.round_up(value) == rounded


MONTHS_WITH_GAPS = [
    ["2026-07", "2026-09", "2026-10", "2026-11"],  # the Days to decide card: August missing
    ["2026-01", "2026-02", "2026-06"],
    ["2025-11", "2026-03", "2026-04", "2026-05", "2026-11"],
    ["2026-05", "2026-06"],
]


@pytest.mark.parametrize("months", MONTHS_WITH_GAPS)
@pytest.mark.parametrize("counted", [False, True])
def test_no_month_under_a_trend_is_cut_whatever_its_width_and_spacing(months, counted):
    """A middle point's room had decided between "2026-09" and "Sep", and the end points, which
    get less, were cut to "2026-…": now the narrowest room decides, so no label is ever cut."""
    labels = [f"{m} (3 decisions)" if counted else m for m in months]
    for width in range(200, 801, 5):
        html = charts.trend([(label, 12.0) for label in labels], unit="days", width=width)
        ticks = tick_texts(str(html))
        assert ticks, width
        assert not any("…" in tick for tick in ticks), (width, ticks)
        assert set(ticks) <= {*labels, *charts.MONTH_NAMES}, (width, ticks)


def test_the_days_to_decide_card_names_its_first_and_latest_month():
    points = [("2026-07", 17.0), ("2026-09", 15.0), ("2026-10", 20.5), ("2026-11", 12.0)]
    html = str(charts.trend(points, unit="days", width=charts.NARROW))
    assert tick_texts(html) == ["Jul", "Sep", "Oct", "Nov"]
    assert "<td>2026-07</td>" in html and "<td>2026-11</td>" in html


def test_the_timeline_gives_a_plan_its_quarter_and_no_day():
    """ "planned · 16 May" handed everyone a date the executives asked nobody to give customers:
    a plan now reads "planned" in its quarter's lane, and "2027-Q2, not a promise" in the table,
    after the promised items of that quarter, whatever its day."""
    items = [
        charts.Item("Mobile approvals", "planned", "Planned", date(2027, 5, 16), quarter_only=True),
        charts.Item("Checklist", "exploring", "Exploring", date(2027, 4, 2), quarter_only=True),
        charts.Item("Payments", "committed", "Committed", date(2027, 6, 20)),
    ]
    html = str(charts.timeline(items, today=date(2026, 11, 15)))
    texts = [t.text for t in svg_of(html).iter() if t.tag.endswith("text")]
    assert "planned" in texts and "exploring" in texts and "committed · 20 Jun" in texts
    assert "16 May" not in html and "2 Apr" not in html
    assert "<td>2027-Q2, not a promise</td>" in html
    lane = re.findall(r"<td>2027-Q2 · later</td><td>([^<]+)</td>", html)
    assert lane == ["Payments", "Mobile approvals", "Checklist"]  # the plans in the order given


def test_the_timeline_marks_a_late_commitment_with_its_delay_and_its_moves():
    items = [
        charts.Item("RM-07 Sync", "in_progress", "In progress", date(2027, 1, 21), late_days=65,
                    moved=2),
        charts.Item("RM-08 Moved back", "committed", "Committed", date(2027, 1, 28), moved=1),
        charts.Item("RM-09 On time", "committed", "Committed", date(2027, 2, 5)),
    ]  # fmt: skip
    html = str(charts.timeline(items, today=date(2026, 12, 7)))
    marks = [t.text for t in svg_of(html).iter() if t.get("class") == "value late"]
    assert marks == ["65 days late · moved ×2", "moved ×1"]
    assert "<td>21 Jan 2027 (65 days late · moved ×2)</td>" in html
    assert "<td>5 Feb 2027</td>" in html
    assert "2027-Q1 · next: 3, 1 of them late." in html  # the chart's description


def test_the_values_of_level_points_do_not_run_into_one_another():
    """On 0–100, eight months between 69% and 77% lie almost level, and each value is wider than
    the room between two points: a value that would cover another goes a line higher or below
    its point, and every point keeps its value."""
    values = [76.7, 74.0, 73.0, 72.0, 70.0, 71.0, 76.7, 69.4]
    points = [(f"2026-{m:02}", v) for m, v in zip(range(4, 12), values, strict=True)]
    svg = svg_of(charts.trend(points, unit="%", width=charts.NARROW))
    boxes = []
    for label in (t for t in svg.iter() if t.get("class") == "value"):
        width = len(label.text) * charts.VALUE_LETTER
        x, baseline = float(label.get("x")), float(label.get("y"))
        left = {"start": x, "end": x - width, "middle": x - width / 2}[label.get("text-anchor")]
        boxes.append((left, left + width, baseline - 11, baseline + 3))
    assert len(boxes) == len(values)
    assert not any(charts.overlapping(a, b) for a, b in itertools.combinations(boxes, 2))
    assert all(box[2] >= 0 and box[3] <= 120 for box in boxes)  # inside, above the ticks
