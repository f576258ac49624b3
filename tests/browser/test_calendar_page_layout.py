"""The calendar page's buttons and their captions, on a desktop and on a phone: each caption
sits below its button, never under it."""

import pytest

from tests.browser.phone import PHONE

pytestmark = pytest.mark.browser

# Each "Make a feed" form with the caption under it: how far the caption's top sits above the
# bottom of the form's button (0 or less: clear of it).
OVERLAPS = """() => [...document.querySelectorAll("#make-feed form")].map((form) => [
  form.querySelector("button").innerText,
  form.querySelector("button").getBoundingClientRect().bottom
    - form.nextElementSibling.getBoundingClientRect().top,
])"""


@pytest.mark.parametrize("width", [1280, PHONE["width"]])
def test_no_caption_of_the_calendar_page_runs_under_its_button(
    transactional_db, live_server, page, log_in, users, workspace, width, output_dir
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("owner", "/w/acme/rituals/calendar/")
    page.wait_for_url("**/w/acme/rituals/calendar/")
    overlaps = page.evaluate(OVERLAPS)
    assert [button for button, _ in overlaps] == [
        "Make my calendar feed",
        "Make the workspace's calendar feed",
    ]
    assert [(button, px) for button, px in overlaps if px > 0] == []
    page.screenshot(path=str(output_dir / f"calendar-{width}.png"), full_page=True)
