"""Each chart on its demo page, with its text equivalent; a partner's timeline keeps its limits."""

import re

import pytest

from truenorth.roadmap.models import Initiative, Visibility
from truenorth.roadmap.overruns import overrun_summary

NOT_A_PROMISE = ("exploring", "planned")


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def page(demo_client, demo, role: str, path: str) -> str:
    response = demo_client(demo, role).get(f"/w/{demo.slug}/{path}")
    assert response.status_code == 200, path
    return response.content.decode()


def figures(html: str, kind: str) -> list[str]:
    """Each <figure> of one kind of chart, its SVG and its table."""
    return re.findall(rf'<figure class="chart chart-{kind}">.*?</figure>', html, re.S)


def test_each_goal_shows_its_progress_from_start_through_today_to_target(db, demo_client, demo):
    html = page(demo_client, demo, "owner", "goals/")
    charts = figures(html, "goal")
    assert len(charts) == demo.goals.count()
    touchless = next(c for c in charts if "touchless" in c)
    assert "Started at 33%" in touchless and "target 70% by 30 Jun 2027" in touchless
    assert "<summary>The measurements</summary>" in touchless
    goal = demo.goals.get(rank=1)
    assert f'aria-label="Progress of {goal.title}"' in touchless  # named for its goal
    assert f'id="goal-{goal.pk}"' in html


def test_the_roadmap_shows_its_initiatives_by_quarter_above_the_lists(db, demo_client, demo):
    html = page(demo_client, demo, "owner", "roadmap/")
    [timeline] = figures(html, "timeline")
    assert html.index("chart-timeline") < html.index('id="status-exploring"')
    assert "· now (" in timeline and "<summary>The initiatives</summary>" in timeline
    shown = demo.initiatives.exclude(status="dropped")
    for initiative in shown:
        assert f'href="/w/{demo.slug}/roadmap/{initiative.pk}/"' in timeline


def test_a_partner_timeline_holds_no_internal_item_and_no_date_on_what_is_not_a_promise(
    db, demo_client, demo
):
    html = page(demo_client, demo, "partner", "roadmap/")
    [timeline] = figures(html, "timeline")
    internal = Initiative.objects.filter(workspace=demo, visibility=Visibility.INTERNAL)
    assert internal.exists()
    for initiative in internal:
        assert f"/roadmap/{initiative.pk}/" not in timeline
        assert initiative.title not in timeline
    shared = demo.initiatives.exclude(visibility=Visibility.INTERNAL)
    hidden = [i for i in shared if i.status in NOT_A_PROMISE and i.target_date]
    assert hidden, "the demo shares a planned item with a date with partners"
    for initiative in hidden:
        row = re.search(
            rf'<tr><td>([^<]*)</td><td><a href="[^"]*/roadmap/{initiative.pk}/">.*?</tr>',
            timeline,
        )
        assert row and row.group(1) == "later · no date"
        assert row.group().endswith("<td>—</td></tr>")
        date = initiative.target_date
        assert f"{date.day} {date:%b %Y}" not in row.group()


def row_of(timeline: str, initiative_id: int) -> str:
    """The initiative's row in the timeline's table of figures."""
    row = re.search(
        rf'<tr><td>[^<]*</td><td><a href="[^"]*/roadmap/{initiative_id}/">.*?</tr>', timeline
    )
    assert row, initiative_id
    return row.group()


def test_the_organisation_s_timeline_gives_a_plan_its_quarter_only(db, demo_client, demo):
    """ "exploring · 16 Apr" read as a date to the whole company: a plan is in its quarter's lane
    with no day, in the chart and in its table."""
    html = page(demo_client, demo, "viewer", "roadmap/")
    [timeline] = figures(html, "timeline")
    lists = html[html.index('id="status-exploring"') :]
    plans = demo.initiatives.filter(status__in=NOT_A_PROMISE, target_date__isnull=False)
    assert plans, "the demo has planned and exploring items with a date"
    for plan in plans:
        row = row_of(timeline, plan.pk)
        when = plan.target_date
        quarter = f"{when.year}-Q{(when.month - 1) // 3 + 1}, not a promise"
        assert f"<td>{quarter}</td>" in row
        assert f"{when.day} {when:%b}" not in row
        listed = re.search(rf'<li><a href="[^"]*/roadmap/{plan.pk}/">.*?</li>', lists, re.S)
        assert listed and f"<small>{quarter}</small>" in listed.group()  # the list below too
        assert f"{when.day} {when:%b}" not in listed.group()
    assert not re.search(r">(planned|exploring) · ", timeline[: timeline.index("</svg>")])


def test_the_organisation_s_timeline_marks_late_commitments_as_the_overruns_page_counts(
    db, demo_client, demo
):
    """RM-07 read "in progress · 21 Jan" while the overruns page had it 65 days late after 2
    slips: each counted initiative now carries the overruns page's delay and slips."""
    [timeline] = figures(page(demo_client, demo, "viewer", "roadmap/"), "timeline")
    rows = [r for r in overrun_summary(demo)["initiatives"] if r["status"] != "dropped"]
    assert any(r["slipped"] for r in rows) and any(r["counted"] and r["slips"] for r in rows)
    for r in rows:
        row = row_of(timeline, r["id"])
        assert (f"({r['delay_days']} days late" in row) == r["slipped"], r["key"]
        assert (f"moved ×{r['slips']}" in row) == bool(r["counted"] and r["slips"]), r["key"]
    late = sum(1 for r in rows if r["slipped"])
    assert timeline.count('class="value late"') >= late
    [partners] = figures(page(demo_client, demo, "partner", "roadmap/"), "timeline")
    assert "days late" not in partners and "moved ×" not in partners  # as it was


def test_the_overruns_page_draws_planned_against_actual_and_slips_over_time(db, demo_client, demo):
    html = page(demo_client, demo, "owner", "roadmap/overruns/")
    [planned] = figures(html, "planned")
    assert "days late" in planned and "<summary>The dates</summary>" in planned
    assert re.search(rf'href="/w/{demo.slug}/roadmap/\d+/"', planned)
    slips = [f for f in figures(html, "trend") if 'aria-label="Days slipped"' in f]
    assert len(slips) == 1 and re.search(r"\d{4}-Q\d \(\d+ slips?\)", slips[0])


def test_the_results_draw_priorities_as_bars_in_the_official_order(db, demo_client, demo):
    checkin = demo.checkins.order_by("-opens_at").first()
    html = page(demo_client, demo, "owner", f"checkins/{checkin.pk}/")
    priorities = html[html.index('id="priorities"') :]
    [bars] = figures(priorities, "bars")[:1]
    ranks = re.findall(r"<td><a href=\"[^\"]*#goal-\d+\">#(\d+) ", bars)
    assert ranks and ranks == sorted(ranks, key=int)
    assert "<th>Named by</th>" in bars and "%</td>" in bars


def test_the_heatmaps_stay_tables_coloured_by_value_with_a_legend(db, demo_client, demo):
    checkin = demo.checkins.order_by("-opens_at").first()
    html = page(demo_client, demo, "owner", f"checkins/{checkin.pk}/")
    assert '<table class="heatmap compare"' in html
    assert re.search(r'<td class="heat-[0-4]">', html)
    assert 'style="background' not in html
    assert html.count('class="legend heat-legend"') >= html.count('<table class="heatmap compare"')


def test_the_alignment_signals_draw_their_trend_with_every_point_labelled(db, demo_client, demo):
    html = page(demo_client, demo, "owner", "alignment/")
    trends = figures(html, "trend")
    assert trends
    for trend in trends:
        points = trend.count('class="trend-point"')
        values = len(re.findall(r'<text [^>]*class="value"', trend))
        assert points == values >= 1


def test_the_groups_too_small_to_show_are_said_below_their_table_not_in_it(db, demo_client, demo):
    """In the table, the sentence sat in a row that scrolls sideways, cut off on a phone."""
    checkin = demo.checkins.order_by("-opens_at").first()
    html = page(demo_client, demo, "owner", f"checkins/{checkin.pk}/")
    notes = [m.start() for m in re.finditer(r'<p class="hidden-groups"', html)]
    assert notes  # the demo's smaller teams
    for start in notes:
        before = html[:start]
        assert before.rfind("<table") < before.rfind("</table>")  # every table closed before
    assert 'hidden-groups"><td' not in html
