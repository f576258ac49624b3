"""Publishing an update on a phone, as an editor would: a fix typed into the narrative and not
saved yet is published with it, once the confirmation is opened and pressed."""

from datetime import date

import pytest

from tests.browser.phone import PHONE, fits
from truenorth.updates import actions

pytestmark = pytest.mark.browser


def test_an_editor_publishes_the_narrative_as_typed_on_a_phone(
    transactional_db, live_server, page, log_in, users, workspace, strategy, output_dir
):
    update = actions.open_draft(workspace, date(2026, 11, 1), date(2026, 11, 30), "November")
    page.set_viewport_size(PHONE)
    log_in("editor", f"/w/acme/updates/{update.number}/")
    page.wait_for_url(f"**/updates/{update.number}/")
    typed = "A quiet month: the close got faster."
    page.fill("textarea[name=narrative]", typed)  # and no "Save texts"
    confirm = page.locator("#publish-confirm")
    confirm.locator("summary").click()
    assert "cannot be undone" in confirm.locator("p").inner_text()
    page.screenshot(path=str(output_dir / "confirm-390.png"), full_page=True)
    fits(page)
    confirm.get_by_role("button", name="Publish to every audience").click()
    page.wait_for_load_state()
    assert f"Update {update.number} published to every audience." in page.content()
    update.refresh_from_db()
    assert update.is_published and update.narrative == typed
