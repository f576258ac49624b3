"""On a 390 px phone, by keyboard: a refused form comes back focused on what is wrong, however
far down the page the form is, and the "Menu" closes as a keyboard leaves it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.phone import PHONE
from truenorth.decisions.models import Decision

pytestmark = pytest.mark.browser

FOCUSED = "document.activeElement"


def focused_problems(page) -> dict:
    """What has focus: its role, its classes, whether it sits within the screen, its links."""
    return page.evaluate(
        f"""() => {{
        const box = {FOCUSED}.getBoundingClientRect();
        return {{
            role: {FOCUSED}.getAttribute("role"),
            classes: [...{FOCUSED}.classList],
            in_sight: box.top >= 0 && box.top < window.innerHeight,
            links: [...{FOCUSED}.querySelectorAll("a")].map((a) => a.getAttribute("href")),
        }};
    }}"""
    )


def test_a_check_in_closing_before_it_opens_comes_back_focused_on_why(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy
):
    log_in_on_a_phone("owner", "/w/acme/checkins/new/")
    opens = timezone.localtime() + timedelta(days=7)
    page.fill("#id_title", "Pulse")
    page.fill("#id_opens_at", opens.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_closes_at", (opens - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.click("button[type=submit]")
    expect(page.locator(".form-problems")).to_be_focused()  # autofocus lands as the page renders
    focused = focused_problems(page)
    assert focused["role"] == "alert" and "form-problems" in focused["classes"]
    assert "#id_closes_at" in focused["links"]
    said = page.get_attribute("#id_closes_at", "aria-describedby").split()
    assert "id_closes_at_error" in said
    assert all(page.locator(f"#{each}").inner_text() for each in said)  # and they are there


def test_a_decision_refused_far_down_the_page_is_focused_where_it_was_refused(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy, workspace
):
    raised = timezone.localdate() - timedelta(days=2)
    Decision.objects.create(
        workspace=workspace, number=3, title="Ledger", question="Which?", raised_on=raised
    )
    log_in_on_a_phone("editor", "/w/acme/decisions/3/")
    page.fill("#decide-form [name=decided_on]", (raised - timedelta(days=9)).isoformat())
    page.fill("#decide-form [name=outcome]", "Per entity.")
    page.click("#decide-form button[type=submit]")
    expect(page.locator("#decide-form .form-problems")).to_be_focused()
    focused = focused_problems(page)
    assert focused["role"] == "alert" and focused["in_sight"]
    assert "cannot be made before it was raised" in page.inner_text("#decide-form .form-problems")


def test_the_phone_menu_closes_on_escape_and_as_focus_leaves_it(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy
):
    log_in_on_a_phone("owner", "/w/acme/goals/")
    assert page.viewport_size == PHONE
    menu = page.locator("details.sections.phone")
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("open") is not None
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert menu.get_attribute("open") is None, "Escape leaves the menu open"
    assert page.evaluate(f"{FOCUSED}.tagName") == "SUMMARY"

    page.keyboard.press("Enter")
    links = menu.locator("nav a").count()
    for _ in range(links + 1):  # every link, then one more: out of the menu
        page.keyboard.press("Tab")
    assert menu.get_attribute("open") is None, "focus moved on under the open menu"
    assert page.evaluate(f"{FOCUSED}.closest('details.sections')") is None

    menu.locator("summary").click()
    page.mouse.click(10, PHONE["height"] - 10)  # beside the menu, on the page
    assert menu.get_attribute("open") is None, "a tap beside the menu leaves it open"
