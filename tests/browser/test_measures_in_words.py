"""The demo's measures read the same on the check-in's page and on the alignment dashboard, in
words and colours, on a laptop and on a phone; an editor pins which check-in feeds the dashboard."""

import pytest
from playwright.sync_api import expect

from truenorth.checkins.measure import analyze
from truenorth.demo.build import build_demo
from truenorth.demo.content import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SLUG = "larkspur"


@pytest.fixture
def analysed_live_demo(transactional_db):
    """The demo with its latest pulse published (the earlier one too, for the trend); built per
    test, since a live-server test's database is flushed afterwards."""
    demo = build_demo(fresh=True)
    analyze(demo.checkins.filter(template="alignment_pulse").order_by("-opens_at").first())
    return demo


@pytest.fixture
def demo_log_in(log_in):
    return lambda username, next_path="": log_in(username, next_path, DEMO_PASSWORD)


SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}


def change_of(locator) -> tuple[str, str]:
    """The verdict word a change says, and the colour it is drawn in."""
    change = locator.locator(".change").first
    colour = change.evaluate("element => getComputedStyle(element).color")
    return change.locator(".change-word").inner_text(), colour


def test_a_change_reads_and_colours_alike_on_both_pages(
    live_server, page, demo_log_in, analysed_live_demo, output_dir
):
    pulses = analysed_live_demo.checkins.filter(template="alignment_pulse")
    latest, earlier = pulses.order_by("-opens_at")[:2]
    demo_log_in("pm")
    page.wait_for_url(f"{live_server.url}/w/{SLUG}/")
    checkin_url = f"{live_server.url}/w/{SLUG}/checkins/{latest.pk}/"
    page.goto(checkin_url)
    # A figure compared across the demo's two versions of the vision (line of sight is not read
    # against it); "Agree without understanding" is, and says it is not compared on both pages.
    row = page.locator("table.trend tr", has_text="People who see how their work serves a goal")
    on_checkin = change_of(row)
    faux = page.locator("table.trend tr", has_text="Agree without understanding")
    assert "not compared: the earlier answers restated" in faux.inner_text()
    page.locator("table.trend").first.screenshot(path=str(output_dir / "checkin-since-1440.png"))
    page.locator(".headlines").screenshot(path=str(output_dir / "checkin-headlines-1440.png"))
    assert "Quadrant." not in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/w/{SLUG}/alignment/")
    signal = page.locator(
        "#individual .signal", has_text="People who see how their work serves a goal"
    )
    assert change_of(signal) == on_checkin
    assert on_checkin[0] in ("better", "worse")
    words = signal.locator(".signal-words").inner_text()
    assert words.endswith(
        "higher is better; no healthy range has been measured for it, so none is given"
    )
    assert "%" in words
    faux = page.locator("#individual .signal", has_text="Agree without understanding")
    assert "not compared" in faux.inner_text() and faux.locator(".change").count() == 0
    understand = page.locator("#individual .signal", has_text="Understand the vision")
    assert "good is 60 or more" in understand.locator(".signal-words").inner_text()
    assert latest.title in page.locator("#source").inner_text()
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(output_dir / f"alignment-{name}.png"), full_page=True)
        page.goto(checkin_url)
        page.screenshot(path=str(output_dir / f"checkin-{name}.png"), full_page=True)
        page.goto(f"{live_server.url}/w/{SLUG}/alignment/")

    # The editor pins the earlier pulse: the dashboard says whose figures it shows, and why.
    page.set_viewport_size(SIZES["1440"])
    page.goto(f"{live_server.url}/w/{SLUG}/checkins/{earlier.pk}/")
    page.click("text=Show on the alignment dashboard")
    expect(page.locator("text=Stop pinning to the alignment dashboard")).to_be_visible()
    page.goto(f"{live_server.url}/w/{SLUG}/alignment/")
    source = page.locator("#source").inner_text()
    assert earlier.title in source and "pinned by an editor" in source
    page.screenshot(path=str(output_dir / "alignment-pinned-1440.png"), full_page=True)
