"""A page that follows work in the background (truenorth/static/truenorth/page.js, data-poll)
updates its progress in place while the work goes on, and shows the outcome once it is done; a
form whose work runs inside the request (data-busy) says so while it waits."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.work.models import ImportRun
from truenorth.work.tasks import report_rows

pytestmark = pytest.mark.browser

DONE = {"created": 3000, "updated": 0, "changes": 0, "mapped": 0, "skipped": 0}


def test_an_import_page_follows_its_run_to_the_outcome(
    transactional_db, live_server, page, log_in, users, workspace
):
    run = ImportRun.objects.create(
        workspace=workspace, file_name="big.csv", state="running", options={"format": "auto"}
    )
    report_rows(run.pk)(100, 3000)
    path = f"/w/{workspace.slug}/work/import/{run.pk}/"
    log_in("editor", path)
    page.wait_for_selector("#import-progress")
    page.evaluate("window.stillTheSamePage = true")

    report_rows(run.pk)(2400, 3000)
    expect(page.locator("[data-poll-label]")).to_have_text(
        "Checking the rows: 2400 of 3000 rows.", timeout=20_000
    )
    assert page.evaluate("window.stillTheSamePage") is True  # updated in place, not reloaded
    assert page.locator("#import-progress progress").get_attribute("value") == "80"

    run.state, run.outcome, run.finished_at = "done", DONE, timezone.now()
    run.save()
    page.wait_for_selector("#import-done", timeout=20_000)
    assert "3000" in page.locator("#import-done").inner_text()


def test_publishing_says_it_is_under_way_and_takes_no_second_press(
    transactional_db, live_server, page, log_in, users, workspace
):
    now = timezone.now()
    checkin = create_alignment_pulse(
        workspace, "Pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    issue_links(checkin)  # sent: closed unsent, it would have nothing to publish
    path = f"/w/{workspace.slug}/checkins/{checkin.pk}/"
    log_in("editor", path)
    page.wait_for_url(f"**{path}")
    # The page is read while its request would be under way. A navigation in flight would make
    # Playwright wait for it before reading, so the window (the last to hear of a submit, after
    # page.js) notes whether each submit was still to be sent, then keeps it from leaving.
    page.evaluate(KEEP_SUBMITS)
    page.click("#close-now summary")
    expect(page.locator("#close-now")).to_contain_text(
        "Nobody has answered yet: no result could be shown"
    )
    close = page.get_by_role("button", name="Close now and publish the results")
    close.click()
    expect(page.get_by_role("status")).to_contain_text(
        "Publishing: the language model reads every answer first."
    )
    expect(close).to_be_disabled()
    page.locator("form", has=close).evaluate("form => form.requestSubmit()")  # a second press
    assert page.evaluate("window.submits") == ["to send", "held back"]


def test_publishing_needs_no_javascript(transactional_db, live_server, browser, users, workspace):
    """The busy note is page.js's; the form is a plain one, and publishes without it."""
    now = timezone.now()
    checkin = create_alignment_pulse(
        workspace, "Pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    issue_links(checkin)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    path = f"/w/{workspace.slug}/checkins/{checkin.pk}/"
    page.goto(f"{live_server.url}/login/?next={path}")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    page.click("#close-now summary")
    page.get_by_role("button", name="Close now and publish the results").click()
    expect(page.get_by_role("status").filter(has_text="Closed without results")).to_contain_text(
        "nobody answered, so nothing is shown."
    )
    context.close()
    checkin.refresh_from_db()
    assert checkin.finalised_at is not None


KEEP_SUBMITS = """() => {
    window.submits = [];
    window.addEventListener("submit", (event) => {
        window.submits.push(event.defaultPrevented ? "held back" : "to send");
        event.preventDefault();
    });
}"""
