"""A check-in's results on a phone: the part-by-part table scrolls inside its own box, so the
page itself never scrolls sideways."""

import pytest

from tests.test_part_coverage_pages import published, purpose_question, report_data, vision_question

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_results_fit_a_phone_screen(
    transactional_db, live_server, page, log_in, users, workspace, output_dir
):
    checkin = published(workspace, report_data([vision_question(), purpose_question()]))
    page.set_viewport_size(PHONE)
    log_in("viewer", f"/w/{workspace.slug}/checkins/{checkin.pk}/")
    page.wait_for_url(f"**/checkins/{checkin.pk}/")
    page.screenshot(path=str(output_dir / "results-390.png"), full_page=True)

    table = page.locator("#parts-q1 table")
    assert table.is_visible()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page scrolls sideways: {page_width}px wide"
    box = page.locator("#parts-q1 .scroll").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator(".relation-bar").first.bounding_box()["width"] <= PHONE["width"]
