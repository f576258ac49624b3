"""The overview on a phone: its JSON link, under the workspace's name, is in sight and leads to
the twin, and nothing scrolls sideways."""

import pytest

from tests.browser.accessibility import axe_violations
from tests.browser.phone import fits, in_sight

pytestmark = pytest.mark.browser


def test_the_overviews_json_link_is_in_sight_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy
):
    log_in_on_a_phone("viewer", "/w/acme/")
    fits(page)
    in_sight(page, 'a[href="/w/acme/overview.json"]')
    assert axe_violations(page) == []
    cards = page.locator(".headlines-row > section").evaluate_all("all => all.map(c => c.id)")
    page.get_by_role("link", name="JSON", exact=True).click()
    page.wait_for_url("**/w/acme/overview.json")
    twin = page.request.get(page.url).json()
    assert [f"headline-{card['name']}" for card in twin["headlines"]] == cards
    assert "headline-orphans" in cards
    assert twin["vision"]["statement"] == strategy["vision"].statement
