"""The answer page on a phone, answered with a finger: the numbers of the scale are big labels,
each priority has its own box, and axe-core finds nothing serious on the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.accessibility import axe_violations, serve_axe
from tests.browser.conftest import watch_for_csp_violations
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.checkins.forms import AT_LEAST_ONE_PRIORITY
from truenorth.checkins.models import Answer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALLEST_TARGET = 44  # px, WCAG 2.5.5
PRIORITIES = ["Faster month-end close", "Fewer manual touches", "SOC 2 for enterprise"]


@pytest.fixture
def phone(browser, live_server):
    """A touch screen 390 px wide, the content security policy watched as everywhere."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    serve_axe(context, live_server.url)
    page = context.new_page()
    violations = watch_for_csp_violations(page)
    yield page
    context.close()
    assert violations == [], "content security policy violations"


@pytest.fixture
def link(transactional_db, workspace, users):
    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    return f"/c/#{issue_links(pulse)[0].token}"


def test_a_person_answers_on_a_phone_by_tapping_and_typing(live_server, phone, link, output_dir):
    phone.goto(live_server.url + link)
    phone.wait_for_selector("#id_q1")
    assert "About 5 minutes" in phone.locator(".answer-time").inner_text()
    assert axe_violations(phone) == []
    scale = phone.get_by_role("group", name="“I believe this is the right direction.”")
    choices = scale.locator("label.scale-choice")
    assert choices.count() == 5
    for box in (choices.nth(i).bounding_box() for i in range(5)):
        assert box["width"] >= SMALLEST_TARGET and box["height"] >= SMALLEST_TARGET, box
    # Screen readers hear each end of the scale with its number.
    assert scale.get_by_label("1 — strongly disagree").count() == 1
    assert scale.get_by_label("5 — strongly agree").count() == 1

    phone.get_by_label("In your own words, what is our product vision?").fill(
        "Finance teams close their books in three days."
    )
    priorities = phone.get_by_role("group", name="What are our top three priorities right now?")
    for number, text in enumerate(PRIORITIES, start=1):
        priorities.get_by_label(f"Priority {number}").fill(text)
    phone.get_by_label("Why does your current work matter?").fill("Sync makes the close fast.")
    scale.locator(".scale-number", has_text="4").tap()  # the number, not the little button
    assert scale.get_by_label("4").is_checked()
    phone.screenshot(path=str(output_dir / "answer-390.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"

    phone.get_by_role("button", name="Save my answers").tap()
    phone.wait_for_selector("text=your answers are saved")
    saved = Answer.objects.get(question__role="priorities").text
    assert saved.splitlines() == PRIORITIES
    assert Answer.objects.get(question__role="direction").value == 4


def test_a_missing_answer_is_announced_and_leads_to_its_question(live_server, phone, link):
    phone.goto(live_server.url + link)
    phone.wait_for_selector("#id_q1")
    phone.get_by_role("button", name="Save my answers").tap()
    alert = phone.get_by_role("alert")
    assert "answers need a look" in alert.inner_text()
    assert axe_violations(phone) == []
    alert.get_by_role("link", name="What are our top three priorities right now?").tap()
    assert phone.url.endswith("#id_q2-question")
    priorities = phone.get_by_role("group", name="What are our top three priorities right now?")
    assert priorities.get_attribute("aria-describedby") == "id_q2_hint id_q2_error"
    assert "At least one priority" in phone.locator("#id_q2_hint").inner_text()
    assert phone.locator("#id_q2_error").inner_text() == AT_LEAST_ONE_PRIORITY
    assert priorities.locator(".error").count() == 1  # told once, for the question
    assert priorities.locator("[aria-invalid]").count() == 1
