"""On a 390 px phone: the decision speed page's line of months names its months and says which
it leaves out, and a ritual's "worth it" bars name their sessions by their day as a date, each
label whole inside its chart; nothing scrolls sideways, axe finds nothing serious."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.browser.accessibility import axe_violations, serve_axe
from tests.browser.phone import PHONE, fits
from tests.rituals import weekly_ritual
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.rituals import actions as rituals
from truenorth.rituals import recurrence
from truenorth.workspaces.models import Person

pytestmark = pytest.mark.browser

# The chart's labels, with each one's box and its chart's.
LABELS = """(selector) => [...document.querySelectorAll(`${selector} svg text.tick`)].map((t) => {
  const box = t.getBoundingClientRect(), chart = t.closest("svg").getBoundingClientRect();
  return {text: t.textContent, left: box.left - chart.left, right: chart.right - box.right};
})"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    serve_axe(context, live_server.url)
    yield context.new_page()
    context.close()


def log_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.fill("#id_username", "member")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def decided(workspace, on: date, days: int) -> None:
    raised = on - timedelta(days=days)
    made = Decision(
        workspace=workspace, title=f"Made {on} after {days}", question="?", raised_on=raised
    )
    decisions.decide(decisions.add_decision(made), on, "Yes.")


def whole_inside(labels: list[dict]) -> None:
    for label in labels:
        assert label["left"] >= -0.5 and label["right"] >= -0.5, label
        assert not label["text"].endswith("…"), label


def test_the_line_of_months_and_the_worth_it_bars_read_on_a_phone(
    transactional_db, live_server, phone, users, workspace, team, output_dir
):
    for on, waits in ((date(2025, 1, 20), (4, 10, 20)), (date(2025, 3, 20), (2, 6, 8, 30))):
        for days in waits:
            decided(workspace, on, days)
    decided(workspace, date(2025, 2, 20), 6)
    log_in(phone, live_server, "/w/acme/decisions/speed/")
    fits(phone)
    assert axe_violations(phone) == []
    months = phone.evaluate(LABELS, "figure.chart-trend")
    named = [label["text"] for label in months if not label["text"].isdigit()]  # not the scale
    assert named == ["2025-01 (3 decisions)", "2025-03 (4 decisions)"]
    whole_inside(months)
    left_out = phone.locator("#months-left-out")
    assert left_out.is_visible() and "2025-02 (1 decision)" in left_out.inner_text()
    phone.screenshot(path=str(output_dir / "speed-390.png"), full_page=True)

    workspace.anonymity_threshold = 3
    workspace.save(update_fields=["anonymity_threshold"])
    ritual = weekly_ritual(workspace, team, owner=Person.objects.get(email="owner@acme.test"))
    people = rituals.attendees(ritual)
    for instant in recurrence.previous_starts(ritual, timezone.now(), 6)[:4]:  # ratings closed
        row = rituals.occurrence(ritual, instant, create=True)
        rituals.record_notes(row, "Held.", people)
        for n, person in enumerate(people):
            rituals.rate(row, person, n % 2 == 0, at=instant + timedelta(hours=1))
    phone.goto(f"{live_server.url}/w/acme/rituals/{ritual.number}/")
    fits(phone)
    assert axe_violations(phone) == []
    bars = phone.evaluate(LABELS, "figure.chart-bars")
    assert len(bars) == 4
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", label["text"]) for label in bars)
    whole_inside(bars)
    phone.locator("figure.chart-bars").screenshot(path=str(output_dir / "worth-it-390.png"))
