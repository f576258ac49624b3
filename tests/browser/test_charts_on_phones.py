"""The charts in Chromium on a 360 px phone and a desktop: inside the screen, text readable,
and no serious or critical axe-core violation inside a chart or a heat map.

Screenshots: test-output/<this test, with its width>/<page>-<width>.png."""

import pytest

from tests.browser.accessibility import AXE_PATH, FAILING_IMPACTS, serve_axe
from tests.browser.phone import reads_as_cards
from truenorth.checkins.measure import analyze
from truenorth.demo.build import build_demo
from truenorth.demo.content import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SLUG = "larkspur"
SMALLEST_TEXT_PX = 9.5  # the height of a chart's smallest label as the browser draws it

# Each chart's page and the kinds of chart it must show (an SVG's data-chart).
PAGES = {
    "goals": ("goals/", ["goal"]),
    "roadmap": ("roadmap/", ["timeline"]),
    "overruns": ("roadmap/overruns/", ["planned"]),
    "alignment": ("alignment/", ["trend"]),
    "one-team": ("alignment/?team=Integrations", ["trend"]),
}
# A check-in's results: the priorities' bars, and the histograms and the quadrant drawn by the
# page's own template (sized for the narrowest phones too: see the test at 320 px below).
RESULTS = ["bars", "histogram", "quadrant"]
NARROWEST = 320

MEASURE = """(kind) => {
  const svgs = [...document.querySelectorAll(`svg[data-chart=${kind}]`)];
  const texts = svgs.flatMap((svg) => [...svg.querySelectorAll("text")])
    .filter((t) => t.textContent.trim());
  const heights = texts.map((t) => t.getBoundingClientRect().height);
  return {
    charts: svgs.length,
    // a chart in a table cell scrolls with its table, inside the table's own box
    widest: Math.max(0, ...svgs.filter((s) => !s.closest("table"))
      .map((s) => s.getBoundingClientRect().right)),
    smallest: Math.min(...heights),
    smallestText: texts[heights.indexOf(Math.min(...heights))]?.textContent,
    screen: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""


# axe-core over the charts only: the rest of each page is the every-page screen test's.
AXE_ON_CHARTS = """async () => {
  const include = [...document.querySelectorAll(
    "figure.chart, figure.histogram, .quadrant, table.heatmap, .heat-legend")]
    .map((element) => [element]);
  const results = await axe.run({include}, {resultTypes: ["violations"]});
  return {
    checked: results.passes.length,
    violations: results.violations.map((v) => [v.impact, v.id, v.nodes[0].target.join(" ")]),
  };
}"""


def chart_violations(page) -> list[list[str]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
    found = page.evaluate(AXE_ON_CHARTS)
    assert found["checked"] > 0  # axe found the charts and ran its rules on them
    return [v for v in found["violations"] if v[0] in FAILING_IMPACTS]


@pytest.fixture
def demo(transactional_db):
    workspace = build_demo(fresh=True)
    analyze(workspace.checkins.order_by("-opens_at").first())
    return workspace


@pytest.mark.parametrize("width", [360, 1440])
def test_every_chart_fits_the_screen_and_its_text_stays_readable(
    live_server, page, log_in, demo, output_dir, width
):
    page.set_viewport_size({"width": width, "height": 800})
    serve_axe(page.context, live_server.url)
    log_in("demo", "", DEMO_PASSWORD)
    checkin = demo.checkins.order_by("-opens_at").first()
    pages = {**PAGES, "results": (f"checkins/{checkin.pk}/", RESULTS)}
    for name, (path, kinds) in pages.items():
        response = page.goto(f"{live_server.url}/w/{SLUG}/{path}")
        assert response.status == 200, path
        for kind in kinds:
            found = page.evaluate(MEASURE, kind)
            assert found["charts"] >= 1, (name, kind)
            assert found["widest"] <= found["screen"] + 0.5, (name, kind, found)
            assert found["smallest"] >= SMALLEST_TEXT_PX, (name, kind, found)
        assert chart_violations(page) == [], name
        if name == "alignment" and width < 600:
            # Each team on one line reads as a card per team, each figure named.
            orphans = "Work supporting no goal (good is under 15%, a rule of thumb)"
            reads_as_cards(page, "table.team-summary", orphans)
            # The header row is hidden: each cell's label keeps what good looks like in sight.
            label = page.locator("table.team-summary td[data-label]").first.evaluate(
                "td => getComputedStyle(td, '::before').content"
            )
            assert "(good is " in label
        if name == "one-team" and width < 600:
            # The team's signals read as one card, each signal naming itself.
            reads_as_cards(page, "table.team-signals", "Work supporting no goal")
            card = page.locator("table.team-signals tr").nth(1)
            assert card.locator(".signal-name", has_text="Initiatives slipped").is_visible()
        page.screenshot(path=str(output_dir / f"{name}-{width}.png"), full_page=True)
        for kind in kinds:
            chart = page.locator(f"svg[data-chart={kind}]").first
            chart.screenshot(path=str(output_dir / f"{name}-{kind}-{width}-chart.png"))


def test_the_check_in_histograms_and_quadrant_stay_readable_on_the_narrowest_phone(
    live_server, page, log_in, demo
):
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    log_in("demo", "", DEMO_PASSWORD)
    checkin = demo.checkins.order_by("-opens_at").first()
    response = page.goto(f"{live_server.url}/w/{SLUG}/checkins/{checkin.pk}/")
    assert response.status == 200
    for kind in ("histogram", "quadrant"):
        found = page.evaluate(MEASURE, kind)
        assert found["charts"] >= 1, kind
        assert found["widest"] <= found["screen"] + 0.5, (kind, found)
        assert found["smallest"] >= SMALLEST_TEXT_PX, (kind, found)
