"""Targets a finger can hit on a phone (WCAG 2.5.8): every checkbox and radio button, and the
label that names it, at least 24 × 24 px; the header's account links at least 24 px tall.
Native checkboxes were 13 × 13 px in 19 px lines stacked tight, the header's links 21 px."""

import pytest

from tests.browser.phone import fits

pytestmark = pytest.mark.browser

SMALLEST = 24  # px, WCAG 2.5.8

# The pages of lists of choices: a check-in's functions and teams, notification preferences, a
# token's scope.
PAGES = ["/w/acme/checkins/new/", "/w/acme/notifications/", "/account/tokens/"]

# Each checkbox and radio button's box, and that of the label around it or naming it.
CHOICES = """() => [...document.querySelectorAll('main input[type=checkbox], main input[type=radio]')]
  .filter((input) => input.offsetParent !== null)
  .map((input) => {
    const label = input.closest('label') || document.querySelector(`label[for="${input.id}"]`);
    const box = (element) => { const r = element.getBoundingClientRect(); return [r.width, r.height]; };
    return {name: input.name, input: box(input), label: label ? box(label) : null};
  })"""


@pytest.mark.parametrize("path", PAGES)
def test_every_choice_and_its_label_is_a_24_px_target(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy, workspace, path
):
    log_in_on_a_phone("owner", path)
    choices = page.evaluate(CHOICES)
    assert choices, f"{path} shows no choice to check"
    for choice in choices:
        assert min(choice["input"]) >= SMALLEST, choice
        assert choice["label"] is not None and choice["label"][1] >= SMALLEST, choice
    fits(page)


def test_the_headers_account_links_are_24_px_tall(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy, workspace
):
    log_in_on_a_phone("owner", "/w/acme/")
    links = page.locator("header .who a, header .who button")
    assert links.count() >= 4  # notifications, password, API tokens, log out
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["height"] >= SMALLEST, (links.nth(index).inner_text(), box)


FINGER = 44  # px, WCAG 2.5.5: a select, a button or a link standing alone, on a phone


def test_the_decisions_filters_and_links_are_44_px_tall_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy, workspace
):
    """The filter's selects were 290 × 23 px, "All decisions" 19 px tall."""
    log_in_on_a_phone("owner", "/w/acme/decisions/?status=proposed")
    targets = page.locator("main select, main button, main .toolbar > a")
    assert page.locator("main select").count() >= 4  # status, owner, team, goal
    assert page.get_by_role("link", name="All decisions").count() == 1
    for index in range(targets.count()):
        target = targets.nth(index)
        if target.is_visible():
            box = target.bounding_box()
            assert box["height"] >= FINGER, (target.evaluate("e => e.outerHTML")[:80], box)
    fits(page)
