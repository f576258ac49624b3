"""A place on the answer page ("#content", "#id_q1-question") is not a personal link: reloading
after "Skip to content" or an error link had posted it as one, and the page then said "This
link is not valid" and forgot the link the browser held."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.phone import PHONE
from truenorth.checkins.actions import create_alignment_pulse, issue_links, response_for

pytestmark = pytest.mark.browser


@pytest.fixture
def link(transactional_db, workspace, users):
    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    return f"/c/#{issue_links(pulse)[0].token}"


def test_reloading_after_skip_to_content_keeps_the_form(live_server, page, link):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + link)
    page.wait_for_selector("#id_q1")
    assert page.url == f"{live_server.url}/c/"  # the token left the address bar
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.wait_for_url("**/c/#content")
    page.reload()
    page.wait_for_selector("#id_q1")
    assert "This link is not valid" not in page.locator("main").inner_text()
    assert page.url == f"{live_server.url}/c/#content"  # a place on the page, left as it is
    page.goto(f"{live_server.url}/c/")  # and the link is still remembered
    page.wait_for_selector("#id_q1")


def test_an_error_link_focuses_its_field_and_a_reload_keeps_the_form(live_server, page, link):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + link)
    page.wait_for_selector("#id_q1")
    page.get_by_role("button", name="Save my answers").click()
    alert = page.get_by_role("alert")
    alert.get_by_role("link", name="In your own words, what is our product vision?").click()
    page.wait_for_url("**/c/#id_q1-question")
    expect(page.locator("#id_q1")).to_be_focused()
    page.keyboard.type("Finance")  # typing goes to the field, not nowhere
    assert page.input_value("#id_q1") == "Finance"
    priorities = "What are our top three priorities right now?"
    alert.get_by_role("link", name=priorities).click()
    expect(page.locator("#id_q2_0")).to_be_focused()  # its first box
    # The comment box points only to a hint that is there.
    described = page.get_attribute("#id_q5", "aria-describedby")
    assert described is None or page.locator(f"#{described}").count() == 1
    page.goto(f"{live_server.url}/c/#id_q1-question")  # as a reload of that address loads it
    page.wait_for_selector("#id_q1")
    assert "This link is not valid" not in page.locator("main").inner_text()


@pytest.fixture
def pulse_and_links(transactional_db, workspace, users):
    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    return pulse, [link.token for link in issue_links(pulse)]


def test_a_second_link_opened_in_the_same_tab_saves_to_that_link(
    live_server, page, pulse_and_links
):
    """Only the hash changes, so the browser loads nothing: the page had kept the first link's
    questions, and the answers typed were saved to the first link."""
    pulse, (first, second, *_) = pulse_and_links
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/c/#{first}")
    page.wait_for_selector("#id_q1")
    with page.expect_navigation():
        page.goto(f"{live_server.url}/c/#{second}")  # as typed into the address bar
    page.wait_for_selector("#id_q1")
    assert page.url == f"{live_server.url}/c/"  # the second token left the address bar too
    answer_every_question(page, "Typed after opening the second link")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_selector("text=your answers are saved")
    assert response_for(pulse, first) is None
    assert response_for(pulse, second).answers.get(question__position=1).text == (
        "Typed after opening the second link"
    )


def answer_every_question(page, vision: str) -> None:
    page.get_by_label("In your own words, what is our product vision?").fill(vision)
    priorities = page.get_by_role("group", name="What are our top three priorities right now?")
    for number in (1, 2, 3):
        priorities.get_by_label(f"Priority {number}").fill(f"Priority {number}")
    page.get_by_label("Why does your current work matter?").fill("It makes the close faster.")
    scale = page.get_by_role("group", name="“I believe this is the right direction.”")
    scale.locator(".scale-number", has_text="4").click()


def test_a_link_cut_short_is_said_to_be_incomplete(live_server, page, pulse_and_links):
    _, (first, *_) = pulse_and_links
    page.set_viewport_size(PHONE)
    with page.expect_navigation():
        page.goto(f"{live_server.url}/c/#{first[:-9]}")  # as a mail client breaks a line
    expect(page.locator("main")).to_contain_text("This link is incomplete")
    page.goto(f"{live_server.url}/c/#{first[:-1]}x")  # whole, but wrong: not valid
    expect(page.locator("main")).to_contain_text("This link is not valid")
