"""The sections of a workspace on a phone: one "Menu" button that opens them, the page never
sideways; on a desktop, the same sections as a row of links."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1440, "height": 900}


def test_the_menu_opens_on_a_phone_and_takes_you_to_a_section(
    transactional_db, live_server, page, log_in, users, strategy, output_dir
):
    page.set_viewport_size(PHONE)
    log_in("owner", "/w/acme/")
    page.wait_for_url("**/w/acme/")
    assert not page.is_visible("nav.sections.wide"), "the row of links shows on a phone"
    menu = page.locator("details.sections.phone")
    assert not page.is_visible("details.sections.phone nav a >> text=Goals")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"

    menu.locator("summary").click()
    page.screenshot(path=str(output_dir / "menu-open-360.png"))
    current = menu.locator("a[aria-current=page]")
    assert current.inner_text() == "Overview"
    box = menu.locator("nav").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "the menu leaves the screen"

    menu.locator("nav a", has_text="Goals").click()
    page.wait_for_url("**/w/acme/goals/")
    menu = page.locator("details.sections.phone")
    assert menu.get_attribute("open") is None, "a new page starts with the menu closed"
    assert menu.locator("a[aria-current=page]").text_content() == "Goals"


def test_a_desktop_shows_the_sections_as_a_row(
    transactional_db, live_server, page, log_in, users, strategy
):
    page.set_viewport_size(DESKTOP)
    log_in("member", "/w/acme/roadmap/")
    page.wait_for_url("**/w/acme/roadmap/")
    assert not page.is_visible("details.sections.phone summary")
    row = page.locator("nav.sections.wide")
    assert row.locator("a[aria-current=page]").inner_text() == "Roadmap"
    assert row.locator("a", has_text="Alignment").count() == 0  # not a member's section


def test_the_skip_link_goes_to_the_content(
    transactional_db, live_server, page, log_in, users, strategy
):
    page.set_viewport_size(PHONE)
    log_in("viewer", "/w/acme/goals/")
    page.wait_for_url("**/w/acme/goals/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.is_visible(".skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
