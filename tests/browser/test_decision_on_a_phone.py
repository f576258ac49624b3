"""A decision on a phone: a member reads the record and comments with "disagree and commit",
an editor records the decision; nothing scrolls sideways, axe finds nothing serious."""

from datetime import date

import pytest

from tests.browser.accessibility import axe_violations, serve_axe
from tests.browser.conftest import watch_for_csp_violations
from tests.browser.phone import PHONE, fits, reads_as_cards
from truenorth.decisions import actions
from truenorth.decisions.models import Decision, Status
from truenorth.roadmap.models import Visibility

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    serve_axe(context, live_server.url)
    page = context.new_page()
    violations = watch_for_csp_violations(page)
    yield page
    context.close()
    assert violations == [], "content security policy violations"


def log_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_a_decision_reads_comments_and_is_decided_on_a_phone(
    transactional_db, live_server, phone, users, strategy, workspace, output_dir
):
    decision = actions.add_decision(
        Decision(
            workspace=workspace,
            title="Which ledger do we close the month on, for every entity in the group?",
            question="Do we close on the general ledger or on each entity's sub-ledgers?",
            context="Close takes nine days; auditors ask for one source.",
            raised_on=date(2026, 1, 5),
            options=[
                {"name": "General ledger", "pros": "One source\nAuditors know it", "cons": "Slow"},
                {"name": "Sub-ledgers", "pros": "Fast", "cons": "Two truths"},
            ],
        )
    )
    decision.blocks.add(strategy["initiatives"][Visibility.INTERNAL])
    log_in(phone, live_server, "member", "/w/acme/decisions/1/")
    assert "General ledger" in phone.content()
    fits(phone)
    assert axe_violations(phone) == []
    phone.fill("#id_text", "I'd pick sub-ledgers, but I'll go with this.")
    phone.check("#id_disagree_and_commit")
    phone.get_by_role("button", name="Comment").tap()
    phone.wait_for_selector("#disagree-and-commit")
    fits(phone)
    phone.screenshot(path=str(output_dir / "member-390.png"), full_page=True)

    phone.context.clear_cookies()
    log_in(phone, live_server, "editor", "/w/acme/decisions/1/")
    phone.fill("#id_outcome", "We close on the general ledger.")
    phone.get_by_role("button", name="Decide").tap()
    phone.wait_for_selector("#outcome")
    assert "We close on the general ledger." in phone.locator("#outcome").inner_text()
    decision.refresh_from_db()
    assert decision.status == Status.DECIDED
    fits(phone)
    assert axe_violations(phone) == []
    phone.screenshot(path=str(output_dir / "decided-390.png"), full_page=True)
    for path in ("/w/acme/decisions/", "/w/acme/decisions/speed/", "/w/acme/decisions/new/"):
        phone.goto(f"{live_server.url}{path}")
        fits(phone)
        assert axe_violations(phone) == [], path
    phone.goto(f"{live_server.url}/w/acme/decisions/")
    # The log reads as one card per decision, a line for each of its fields, and each filter's
    # label sits beside its field.
    reads_as_cards(phone, "#decision-log", "Raised")
    for field in ("status", "owner", "team", "goal"):
        label = phone.locator(f"label[for=f-{field}]").bounding_box()
        select = phone.locator(f"#f-{field}").bounding_box()
        assert abs(label["y"] - select["y"]) < label["height"], field
        assert select["x"] > label["x"] + label["width"], field
