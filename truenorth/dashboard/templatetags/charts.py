"""The charts of truenorth/charts.py as template tags: {% goal_progress goal %}, {% trend … %} …

Each tag turns what a page already has (a goal with its measurements prefetched, a roadmap's
initiatives, an overrun summary, a report's priorities) into the plain values a chart takes, so
the pages ask the database for nothing more.
"""

from datetime import date

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from truenorth import charts
from truenorth.roadmap import overruns
from truenorth.roadmap.models import NOT_PROMISED, Status

register = template.Library()


@register.simple_tag
def goal_progress(goal) -> SafeString:
    """The goal's measurements (prefetched as `goal.measurements`) from start to the latest and
    on to its target; the latest is called "today" only where it is today's."""
    every = list(goal.measurements.all())
    readings = [charts.Reading(m.measured_on, m.value) for m in every if not m.is_target]
    targets = [charts.Reading(m.measured_on, m.value) for m in every if m.is_target]
    unit = every[-1].unit if every else ""
    return charts.goal_progress(
        readings,
        targets[-1] if targets else None,
        title=goal.title,
        unit=unit,
        today=timezone.localdate(),
    )


@register.simple_tag
def trend(
    points,
    title: str = "Trend",
    unit: str = "",
    higher_is_better=True,
    evidence: str = "",
    ticks=None,
) -> SafeString:
    """A line with every point labelled, for (label, value) points oldest first; `ticks`, one a
    point, are the labels under its axis where they are not the points' own."""
    unit = "%" if unit == "%" else unit
    return charts.trend(
        [(str(label), float(value)) for label, value in points],
        title=title,
        unit=unit,
        higher_is_better=higher_is_better,
        evidence=evidence,
        width=charts.NARROW,
        ticks=ticks,
    )


@register.simple_tag
def roadmap_timeline(initiatives, workspace, partner_view: bool, today: date | None = None):
    """The roadmap by quarter. A partner sees no date on an item that is not a promise, so it
    sits in the "no date" lane rather than in a quarter that would give its date away; the
    organisation sees such an item in its quarter, without its day. A shipped item sits where
    it shipped: its target no longer says anything. Within a lane, items keep the order of the
    lists below it (roadmap.views.visible_initiatives). A partner reads titles only, as in their
    CSV and the API: keys are the organisation's own numbering, whose gaps count what is not
    shared. The organisation reads how late each commitment is, from the overruns page's own
    figures (roadmap.overruns), so both say the same."""
    against_plan = {} if partner_view else overrun_rows(workspace)
    items = [
        timeline_item(i, workspace, partner_view, against_plan.get(i.pk))
        for i in initiatives
        if i.status != "dropped"
    ]
    return charts.timeline(items, today=today or timezone.localdate())


def timeline_item(initiative, workspace, partner_view: bool, overrun: dict | None) -> charts.Item:
    """An initiative as the timeline draws it; `overrun` is its row on the overruns page, or
    None where that page does not count it (or the reader is a partner)."""
    not_promised = initiative.status in NOT_PROMISED
    return charts.Item(
        label=initiative.title if partner_view else f"{initiative.key} {initiative.title}".strip(),
        status=initiative.status,
        status_label=initiative.get_status_display(),
        when=None if partner_view and not_promised else shown_day(initiative),
        link=reverse("initiative", args=[workspace.slug, initiative.pk]),
        quarter_only=not_promised,
        late_days=overrun["delay_days"] if overrun and overrun["slipped"] else 0,
        moved=overrun["slips"] if overrun else 0,
    )


def overrun_rows(workspace) -> dict[int, dict]:
    """The overruns page's row of each initiative it counts (committed, in progress or shipped,
    and committed since its planned date), by id."""
    summary = overruns.cached_overrun_summary(workspace)
    return {row["id"]: row for row in summary["initiatives"] if row["counted"]}


@register.filter
def plan_quarter(initiative) -> str:
    """The quarter of a plan's target date ("2027-Q2, not a promise"): all the roadmap shows of
    a date that is not a promise, as its timeline does; '' for a promise, or for no date."""
    if initiative.status not in NOT_PROMISED or not initiative.target_date:
        return ""
    return charts.not_promised_words(initiative.target_date)


def shown_day(initiative) -> date | None:
    """The day it shipped, once shipped; else its target date."""
    if initiative.status == Status.SHIPPED and initiative.actual_date:
        return initiative.actual_date
    return initiative.target_date


@register.simple_tag
def planned_vs_actual(rows, workspace, today: date) -> SafeString:
    """Planned against actual or forecast dates of the counted initiatives of an overrun page."""
    spans = [
        charts.Span(
            label=f"{r['key']} {r['title']}".strip(),
            planned=r["planned_date"],
            actual=r["outcome_date"],
            outcome=r["outcome"],
            link=reverse("initiative", args=[workspace.slug, r["id"]]),
        )
        for r in rows
        if r["counted"] and r["planned_date"] and r["outcome_date"]
    ]
    return charts.planned_vs_actual(spans, today=today)


@register.simple_tag
def slips_over_time(trend_rows) -> SafeString:
    """Days slipped in each quarter, from an overrun summary's (quarter, slips, days) rows."""
    points = [(f"{q} ({n} slip{'s' if n != 1 else ''})", days) for q, n, days in trend_rows]
    return charts.trend(points, title="Days slipped", unit="days", higher_is_better=False)


@register.simple_tag
def priority_bars(priorities, workspace) -> SafeString:
    """How many name each goal, in the official ranking's order, each bar saying where people
    put it: a goal named less than one ranked below it is out of order."""
    goals = priorities.get("goals") or []
    by_naming = sorted(goals, key=lambda g: -(g["named_by"] or 0))
    place = {g["id"]: n for n, g in enumerate(by_naming, start=1)}
    goals_page = reverse("goals", args=[workspace.slug])
    items = [
        charts.Bar(
            label=f"#{g['rank']} {g['title']}",
            value=g["named_by"],
            link=f"{goals_page}#goal-{g['id']}",
            note=naming_note(g["rank"], place[g["id"]], len(goals)),
            cls="out-of-order" if place[g["id"]] > g["rank"] else "",
        )
        for g in goals
    ]
    return charts.bars(
        items,
        title="Share of people naming each official goal, in ranking order",
        maximum=1.0,
        header=("Official goal", "Named by", "Where people put it"),
        empty_message="No official goals to compare with yet.",
        caption=OUT_OF_ORDER if any(i.cls for i in items) else "",
    )


OUT_OF_ORDER = "Amber: named by fewer people than a goal ranked below it."


def naming_note(rank: int, place: int, count: int) -> str:
    if place == rank:
        return "named in its place"
    return f"named {ordinal(place)} most of {count}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@register.filter
def as_number(value) -> str:
    """A number as people read it (charts.number): "19", not "19.0"; a dash for none."""
    return charts.number(value)


@register.filter
def heat_class(value, scale=100) -> str:
    return charts.heat_class(None if value is None else float(value), float(scale))


@register.simple_tag
def heat_legend() -> SafeString:
    return charts.heat_legend()
