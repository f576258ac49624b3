"""The API tokens page on a phone: each token a card; Revoke asks first, as removing a login
does, its question and button in sight, nothing scrolling sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.phone import fits, in_sight, reads_as_cards
from truenorth.api.models import ApiToken

pytestmark = pytest.mark.browser


def test_revoking_a_token_asks_first_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, output_dir
):
    row, _ = ApiToken.issue(users["editor"], "HR sync 2")
    log_in_on_a_phone("editor", "/account/tokens/")
    reads_as_cards(page, "#tokens", "Expires")
    page.get_by_text("Revoke…").click()
    button = page.get_by_role("button", name="Revoke “HR sync 2”")
    button.wait_for()
    fits(page)
    in_sight(page, "#tokens button.danger")
    page.screenshot(path=str(output_dir / "tokens-revoke-390.png"), full_page=True)
    button.click()
    page.wait_for_load_state()
    assert "Revoked “HR sync 2”: it no longer works." in page.content()
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_a_new_token_is_copied_by_its_button_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users
):
    """Shown only once, in a box a phone's thumb must select by hand: its Copy button puts it
    on the clipboard."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in_on_a_phone("editor", "/account/tokens/")
    page.get_by_label("Name").fill("Copied on a phone")
    page.get_by_role("button", name="Make the token").click()
    shown = page.get_by_label("The token").input_value()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == shown
    fits(page)
