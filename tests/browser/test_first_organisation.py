"""A new organisation from an empty server to its first analysed pulse, in a real browser,
with no admin pages and no shell: the administrator, chosen with the link the server printed,
creates the workspace, imports the people from an HR export, invites a colleague who sets her
password; she sends the first pulse, the five people answer through their emailed links, and she
publishes the results."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import watch_for_csp_violations
from truenorth.workspaces.first_run import setup_key
from truenorth.workspaces.models import Membership, Person

pytestmark = pytest.mark.browser

HR_EXPORT = """Full Name,Work Email,Department,Team,Manager Email,Job Title
Grace Hopper,grace@globex.test,Engineering,Platform,,VP Engineering
Alan Turing,alan@globex.test,Engineering,Platform,grace@globex.test,Engineer
Ada Lovelace,ada@globex.test,Product,Platform,grace@globex.test,Product manager
Joan Clarke,joan@globex.test,Sales,Deals,,Account executive
Tommy Flowers,tommy@globex.test,Support,,joan@globex.test,Support lead
"""
NEW_PASSWORD = "a-long-enough-passphrase"
VISIONS = [
    "Finance teams close the month in three days because invoices approve themselves.",
    "Mid-market finance teams close faster, with no invoice typed in by hand.",
    "Invoices approve themselves so the books close in three days.",
    "We help finance teams close the books quickly without manual invoice work.",
    "Close in three days: invoices flow from inbox to ledger with nobody retyping them.",
]


def local(link: str, server: str) -> str:
    """An emailed link (made with the configured site address) on the test server."""
    parts = urlparse(link)
    return f"{server}{parts.path}"


def test_a_new_organisation_reaches_its_first_pulse(
    transactional_db, live_server, page, log_in, output_dir, tmp_path
):
    # The server printed its setup link on starting (`truenorth serve`); an empty server's
    # login page says so.
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("#first-login")).to_contain_text("no login yet")
    page.goto(f"{live_server.url}/setup/#{setup_key()}")
    assert "#" not in page.url  # the key leaves the address bar (and the history)
    page.fill("#id_username", "root")
    page.fill("#id_email", "it@globex.test")
    page.fill("#id_password1", "correct-horse-battery")
    page.fill("#id_password2", "correct-horse-battery")
    page.click("button[type=submit]")
    expect(page.locator("#first-steps")).to_contain_text("Set the mail server")
    assert get_user_model().objects.get(username="root").is_staff
    page.get_by_role("link", name="Create a workspace").click()
    page.fill("#id_name", "Globex")
    page.fill("#id_slug", "globex")
    page.click("button[type=submit]")
    page.wait_for_url("**/w/globex/")

    export = tmp_path / "people.csv"
    export.write_text(HR_EXPORT)
    page.goto(f"{live_server.url}/w/globex/people/import/")
    page.set_input_files("#id_file", str(export))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert Person.objects.filter(workspace__slug="globex").count() == 5
    assert Person.objects.get(email="alan@globex.test").manager.name == "Grace Hopper"

    page.goto(f"{live_server.url}/w/globex/logins/invite/")
    page.fill("#id_email", "ada@globex.test")
    page.select_option("#id_role", "editor")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    [invitation] = mail.outbox
    link = re.search(r"https?://\S+/password/set/\S+", invitation.body).group(0)

    page.click("text=Log out")
    page.goto(local(link, live_server.url))
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    ada = Membership.objects.get(workspace__slug="globex", user__username="ada@globex.test")
    assert ada.role == "editor" and ada.user.has_usable_password()
    assert ada.person.name == "Ada Lovelace"

    # Ada, now an editor, opens the first pulse and sends it.
    page.context.clear_cookies()
    log_in("ada@globex.test", "/w/globex/checkins/new/", password=NEW_PASSWORD)
    page.wait_for_url("**/checkins/new/")
    now = timezone.localtime()
    page.fill("#id_title", "First pulse")
    page.fill("#id_opens_at", f"{now - timedelta(minutes=5):%Y-%m-%dT%H:%M}")
    page.fill("#id_closes_at", f"{now + timedelta(days=7):%Y-%m-%dT%H:%M}")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/checkins/\d+/$"))
    page.click("button:has-text('Send invitations')")
    page.wait_for_load_state()
    page.screenshot(path=str(output_dir / "first-pulse.png"), full_page=True)
    assert "5</strong> sent" in page.content()
    # The invitations, not the notice that the check-in opened (notifications) to its editors.
    invitations = [m for m in mail.outbox[1:] if "/c/#" in m.body]
    assert sorted(m.to[0].split("<")[-1].rstrip(">") for m in invitations) == sorted(
        Person.objects.filter(workspace__slug="globex").values_list("email", flat=True)
    )
    pulse_page = page.url

    for email, vision in zip(invitations, VISIONS, strict=True):
        answer(page.context.browser, email.body, live_server.url, vision)

    page.goto(pulse_page)
    page.click("#close-now summary")  # behind its confirmation: it cannot be undone
    page.get_by_role("button", name="Close now and publish the results").click()
    page.wait_for_load_state()
    page.screenshot(path=str(output_dir / "first-results.png"), full_page=True)
    shown = page.locator("main").inner_text()
    assert "5 answered of 5 invited" in shown.replace("\n", " ")
    # No vision was written yet, so no fidelity: the themes and coherence of what people said.
    assert "Final results, published" in shown and "Read the vision alike" in shown
    assert "— 5 people (100%)" in shown  # one theme holds every answer


def answer(browser, email_body: str, server: str, vision: str) -> None:
    """One person answers through the personal link in their email, in their own browser."""
    link = re.search(r"https?://\S+?(/c/#\S+)", email_body).group(1)
    context = browser.new_context()
    person = context.new_page()
    violations = watch_for_csp_violations(person)
    person.goto(f"{server}{link}")
    person.wait_for_selector("#id_q1")
    person.fill("#id_q1", vision)
    person.fill("#id_q2_0", "Faster close")  # a box for each priority
    person.fill("#id_q2_1", "Fewer manual touches")
    person.fill("#id_q2_2", "Payments")
    person.fill("#id_q3", "My work takes a manual step out of closing the books.")
    person.check("input[name=q4][value='4']")
    person.click("text=Save my answers")
    expect(person.locator("main")).to_contain_text("your answers are saved")
    context.close()
    assert violations == [], "content security policy violations"
