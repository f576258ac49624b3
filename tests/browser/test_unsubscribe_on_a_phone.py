"""An email's unsubscribe link opened on a phone, with no login: a page with its button in
sight, nothing scrolling sideways; pressing it stops the emails of that event."""

import pytest

from tests.browser.phone import PHONE, fits, in_sight
from truenorth.notifications import unsubscribe
from truenorth.notifications.models import Preference
from truenorth.workspaces.models import Function, Person

pytestmark = pytest.mark.browser


def test_a_person_with_no_login_unsubscribes_on_a_phone(
    transactional_db, live_server, page, workspace
):
    rosa = Person.objects.create(
        workspace=workspace, name="Rosa Delgado", email="rosa@acme.test", function=Function.SALES
    )
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + f"/unsubscribe/{unsubscribe.token(rosa, 'decision_made')}/")
    fits(page)
    in_sight(page, "#stop-one button")
    page.get_by_role("button", name="Stop “Decision made” emails").click()
    page.wait_for_load_state()
    assert "no more emails of “Decision made” from Acme" in page.content()
    fits(page)
    assert not Preference.objects.get(person=rosa, event="decision_made").by_email
