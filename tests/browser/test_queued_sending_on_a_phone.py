"""Invitations queued for a `truenorth worker`, on a phone: the check-in page says they wait
for one, and follows them by itself (page.js, data-poll-key) until they have gone out."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.browser.phone import fits
from tests.conftest import PASSWORD
from tests.test_worker import DATABASE_QUEUE
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.workspaces import progress
from truenorth.workspaces.models import WorkerBeat

pytestmark = pytest.mark.browser


def test_queued_invitations_are_followed_until_a_worker_has_sent_them(
    transactional_db, live_server, page, log_in_on_a_phone, users, workspace, settings
):
    settings.TASKS = DATABASE_QUEUE
    now = timezone.now()
    checkin = create_alignment_pulse(
        workspace, "Pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    progress.started("sending", checkin.pk, "Sending the invitations", waiting=True)
    path = f"/w/{workspace.slug}/checkins/{checkin.pk}/"
    log_in_on_a_phone("editor", path)
    expect(page.locator("#sending")).to_contain_text(
        "Invitations queued: none goes out until a worker runs."
    )
    expect(page.locator("#no-worker-sending")).to_contain_text("No worker has ever run")
    assert page.locator("#delivery").inner_text() == "No links sent yet."
    fits(page)
    assert axe_violations(page) == []
    page.evaluate("window.stillTheSamePage = true")
    page.wait_for_timeout(4_000)  # past the first question to the twin, still queued
    assert page.evaluate("window.stillTheSamePage") is True  # no reload while nothing moved

    # A worker starts and takes the sending: the page says so without a reload by hand.
    WorkerBeat.objects.create(name="host:1", started_at=timezone.now(), last_seen=timezone.now())
    progress.started("sending", checkin.pk, "Sending the invitations")
    expect(page.locator("#sending")).to_contain_text("a worker is sending them now", timeout=20_000)
    expect(page.locator("#no-worker-sending")).to_have_count(0)

    issue_links(checkin)  # the links went out
    progress.finished("sending", checkin.pk)
    expect(page.locator("#delivery")).to_contain_text("Links:", timeout=20_000)
    expect(page.locator("#sending")).to_have_count(0)
    fits(page)


def test_the_mail_server_page_heads_its_workers_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, settings, django_user_model
):
    settings.TASKS = DATABASE_QUEUE
    django_user_model.objects.create_user("root", "it@acme.test", PASSWORD, is_staff=True)
    log_in_on_a_phone("root", "/server/mail/")
    workers = page.locator("#workers")
    expect(workers.get_by_role("heading", name="Workers")).to_be_visible()
    expect(workers).to_contain_text("Workers: none seen. No worker has ever run on this server")
    fits(page)
    assert axe_violations(page) == []
