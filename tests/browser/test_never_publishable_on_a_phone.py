"""A round that can never be published, on a phone: its send button waits for "Send anyway" to be
ticked, and once sent, "Close now without publishing" ends it; a decision's back-brief that could
never be published is sent on the same tick. Nothing scrolls sideways, and axe-core finds nothing
serious. A real Chromium against the live server, the real model for the published round beside
it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.phone import fits
from tests.conftest import team_of
from tests.test_subtraction_between_checkins import answered_pulse
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.measure import analyze
from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.workspaces.models import Function

pytestmark = pytest.mark.browser

SEND_ANYWAY = "Send anyway: its results will never be shown"


def test_a_round_that_can_never_be_published_is_sent_on_a_tick_and_closed_unpublished(
    transactional_db, live_server, page, log_in_on_a_phone, users, workspace
):
    tiger, _ = team_of(workspace, "Tiger", Function.SUPPORT, 3)
    sales, _ = team_of(workspace, "Sales", Function.SALES, 5)
    analyze(answered_pulse(workspace, "Sales pulse", [sales]))
    opens = timezone.now() - timedelta(minutes=1)
    checkin = create_alignment_pulse(
        workspace, "Tiger pulse", opens, opens + timedelta(days=7), teams=[tiger, sales]
    )
    path = f"/w/{workspace.slug}/checkins/{checkin.pk}/"
    log_in_on_a_phone("editor", path)
    expect(page.locator(".before-sending").first).to_contain_text(
        "Sent as it is, its results could never be shown: its audience differs from “Sales "
        "pulse” by 3 people"
    )
    fits(page)
    assert axe_violations(page) == []

    send = page.get_by_role("button", name="Send invitations")
    send.click()  # unticked: the browser holds the form back, and the server would refuse it
    anyway = page.get_by_label(SEND_ANYWAY)
    assert anyway.evaluate("box => box.validity.valueMissing") is True
    assert page.url.endswith(path) and not checkin.invitations.exists()
    anyway.check()
    send.click()
    expect(page.get_by_role("status").filter(has_text="Sent 8 invitations.")).to_be_visible()
    assert checkin.invitations.count() == 8

    expect(page.locator("#publication-refused")).to_contain_text(
        "If it closed now, its results could not be published"
    )
    page.click("#close-now summary")
    expect(page.locator("#close-now")).to_contain_text("Its results can never be published")
    fits(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Close now without publishing").click()
    expect(page.get_by_role("status").filter(has_text="without publishing")).to_contain_text(
        "Closed “Tiger pulse” without publishing: no more answers are taken"
    )
    expect(page.locator("#publication-refused")).to_contain_text(
        "“Tiger pulse” cannot be published"
    )
    expect(page.locator("#close-now")).to_have_count(0)
    fits(page)
    checkin.refresh_from_db()
    assert not checkin.is_open() and checkin.finalised_at is None


def test_a_back_brief_that_could_never_be_published_is_sent_on_a_tick(
    transactional_db, live_server, page, log_in_on_a_phone, users, workspace
):
    sales, people = team_of(workspace, "Sales", Function.SALES, 6)
    analyze(answered_pulse(workspace, "Sales pulse", [sales]))
    decision = actions.add_decision(
        Decision(workspace=workspace, title="Pricing", question="How?", raised_on=date.today())
    )
    actions.decide(decision, date.today(), "Per entity.", "Seats stopped matching usage.")
    decision.informed.add(*people[:5])  # one fewer than the pulse asked
    path = f"/w/{workspace.slug}/decisions/{decision.number}/"
    log_in_on_a_phone("editor", path)
    expect(page.locator("#back-brief-never-published")).to_contain_text(
        "Sent as it is, its results could never be shown: its audience differs from “Sales "
        "pulse” by 1 person"
    )
    fits(page)
    assert axe_violations(page) == []

    send = page.get_by_role("button", name="Send a back-brief")
    send.click()  # unticked: the browser holds the form back, and the server would refuse it
    anyway = page.get_by_label(SEND_ANYWAY)
    assert anyway.evaluate("box => box.validity.valueMissing") is True
    assert page.url.endswith(path) and not decision.backbriefs.exists()
    anyway.check()
    send.click()
    expect(page.locator("#back-brief-never-shown")).to_contain_text("cannot be published")
    assert decision.backbriefs.get().checkin.invitations.count() == 5
    fits(page)
