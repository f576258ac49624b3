"""The overview on a phone: its JSON link, under the workspace's name, is in sight and leads to
the twin, each goal's verdict wraps within its card, and nothing scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.accessibility import axe_violations
from tests.browser.phone import PHONE, fits, in_sight
from truenorth.strategy.models import GoalMeasurement

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


def test_each_goals_verdict_and_value_against_its_target_read_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy
):
    """The line under each goal wraps within its card, the longest too (a goal with no target
    value gives the goals page's reason): none widens the page or runs off it."""
    today, faster = timezone.localdate(), strategy["goals"][0]
    # A point a month, with 29 to go in four months; the target, last, gives the unit.
    readings = [(-60, 40, False), (-30, 41, False), (90, 70, True)]
    GoalMeasurement.objects.bulk_create(
        GoalMeasurement(
            goal=faster, measured_on=today + timedelta(days=days), value=v, unit="%", is_target=t
        )
        for days, v, t in readings
    )
    log_in_on_a_phone("member", "/w/acme/")
    fits(page)
    lines = page.locator(".overview-goals .pace")
    assert lines.count() == 2
    assert lines.first.inner_text().startswith("Behind: 41% on ")
    assert lines.nth(1).inner_text().startswith("No target value: ")
    for n in range(2):
        box = lines.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # Wrapped, not cut: the line holds all its words within its own width.
        assert lines.nth(n).evaluate("line => line.scrollWidth <= line.clientWidth")
    in_sight(page, '.overview-goals + p > a[href="/w/acme/goals/"]')
    assert axe_violations(page) == []
