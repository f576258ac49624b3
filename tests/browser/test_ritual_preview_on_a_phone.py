"""A session after the next one on a phone: its agenda's preview line, and the calendar page of
someone who attends no ritual, read without scrolling sideways."""

import pytest
from django.utils import timezone

from tests.browser.phone import fits
from tests.rituals import weekly_ritual
from truenorth.rituals import actions, recurrence
from truenorth.workspaces.models import Person

pytestmark = pytest.mark.browser


def test_a_preview_and_an_empty_feed_read_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, workspace, team, output_dir
):
    ritual = weekly_ritual(workspace, team)
    after_next = actions.coming_sessions(ritual, timezone.now(), 30)[1]
    day = recurrence.local(ritual, after_next).date().isoformat()
    log_in_on_a_phone("member", f"/w/acme/rituals/{ritual.number}/{day}/")
    assert "Here is what it would say today" in page.locator("#agenda-preview").inner_text()
    fits(page)
    page.screenshot(path=str(output_dir / "preview-390.png"), full_page=True)
    Person.objects.filter(email="member@acme.test").update(team=None)
    page.goto(f"{live_server.url}/w/acme/rituals/calendar/")
    assert page.locator("#attends-none").is_visible()
    fits(page)
    page.screenshot(path=str(output_dir / "calendar-390.png"), full_page=True)
