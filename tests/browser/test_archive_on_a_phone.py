"""Archiving a goal on a phone, as an editor would: open "Archive…", read the sentence, confirm;
the goal leaves the list, shows under Archived, and comes back with Restore."""

import pytest

from tests.browser.phone import PHONE, fits
from truenorth.strategy.models import Goal

pytestmark = pytest.mark.browser


def test_an_editor_archives_and_restores_a_goal_on_a_phone(
    transactional_db, live_server, page, log_in, users, strategy, output_dir
):
    page.set_viewport_size(PHONE)
    log_in("editor", "/w/acme/goals/")
    page.wait_for_url("**/goals/")
    card = page.locator("li.card", has_text="Faster close")
    card.locator("details.archive summary").click()
    sentence = card.locator("details.archive p").first
    assert sentence.is_visible() and "can be restored from Archived" in sentence.inner_text()
    # And what archiving it would leave serving no live goal, said before it is done.
    leaves = card.locator("details.archive p.archive-leaves")
    assert leaves.is_visible() and "would serve no live goal" in leaves.inner_text()
    page.screenshot(path=str(output_dir / "confirm-390.png"), full_page=True)
    fits(page)
    card.get_by_role("button", name="Archive this goal").click()
    page.wait_for_url("**/goals/")
    assert "Archived “Faster close”" in page.content()
    assert page.locator("li.card", has_text="Faster close").count() == 0
    assert Goal.all_objects.get(title="Faster close").archived_at is not None

    page.get_by_role("link", name="Archived (1)").click()
    page.wait_for_url("**/archived/")
    page.screenshot(path=str(output_dir / "archived-390.png"), full_page=True)
    fits(page)
    page.locator("table.archived-goals").get_by_role("button", name="Restore").click()
    page.wait_for_url("**/goals/")
    assert "Restored “Faster close” as goal #2" in page.content()
