"""Sending a published update on a phone, as an editor would: "Send…" says first how many people
in which audiences get an email, and only the button under it sends."""

from datetime import date

import pytest

from tests.browser.phone import PHONE, fits
from tests.smtp import mail_server_fixture  # noqa: F401
from truenorth.updates import actions, delivery

pytestmark = pytest.mark.browser


def test_an_editor_is_told_who_gets_the_email_before_sending_on_a_phone(
    transactional_db, live_server, page, log_in, users, workspace, mail_server, output_dir
):
    update = actions.open_draft(workspace, date(2026, 11, 1), date(2026, 11, 30), "November")
    actions.save_texts(update, "A quiet month: the close got faster.", "A quiet month.")
    actions.publish(update)
    mail_server.refuse = ""
    reach = dict(delivery.email_reach(update))
    everyone = sum(reach.values())
    page.set_viewport_size(PHONE)
    log_in("editor", f"/w/acme/updates/{update.number}/")
    page.wait_for_url(f"**/updates/{update.number}/")
    confirm = page.locator("#send-confirm")
    assert not confirm.get_by_role("button", name="Send").is_visible()  # asked first
    confirm.locator("summary").click()
    said = confirm.locator("#send-reach").inner_text()
    # The shared users: every role but the partner is an engineer; the partner reads partners'.
    assert f"this emails {everyone} people in 2 audiences" in said, said
    assert f"Engineering {reach['engineering']}, Partners {reach['partners']}" in said, said
    page.screenshot(path=str(output_dir / "send-confirm-390.png"), full_page=True)
    fits(page)
    confirm.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert f"Sent to {everyone} of {everyone} people in 2 audiences" in page.content()
    assert sum(row.delivered for row in update.sendings.all()) == everyone
