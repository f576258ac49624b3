"""A decision's back-brief check-in, read as its decision page reads it: the same reversal rule,
and no trend against the back-brief of another decision (real model, real database)."""

from datetime import date

import pytest

from truenorth.checkins.actions import issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.decisions import actions, backbrief
from truenorth.decisions.models import Decision

pytestmark = pytest.mark.usefixtures("no_notifications")

OUTCOME = "We are moving our payment processing from the old vendor to the new vendor by June."
RATIONALE = "The old vendor charges twice the fees, and its outages broke supplier payouts."
HEARD = [
    "We're moving payments to the new vendor by June. The old one costs twice as much.",
    "We are moving payment processing to the new vendor.",
    "We are keeping the old vendor for payments.",
    "We will NOT switch payments to the new vendor.",
]


def decided(workspace, users, question: str) -> Decision:
    decision = actions.add_decision(
        Decision(
            workspace=workspace,
            title=question.rstrip("?"),
            question=question,
            raised_on=date(2026, 3, 1),
        )
    )
    actions.decide(decision, date(2026, 3, 3), OUTCOME, RATIONALE)
    roles = ("owner", "editor", "member", "viewer")
    decision.informed.add(*(users[r].memberships.get().person for r in roles))
    return decision


def answered(decision: Decision, texts: list[str]):
    checkin = backbrief.create_back_brief(decision).checkin
    question = checkin.questions.get()
    for link, text in zip(issue_links(checkin), texts, strict=True):
        submit_response(link.invitation, link.token, {question: text})
    close_checkin(checkin)
    analyze(checkin)
    return checkin


@pytest.fixture
def workspace_of_three(workspace):
    workspace.anonymity_threshold = 3
    workspace.save()
    return workspace


def test_the_check_ins_report_counts_a_reversal_as_contradicting_as_the_decision_page_does(
    workspace_of_three, users, client_for
):
    decision = decided(workspace_of_three, users, "Should we move payments to a new vendor?")
    checkin = answered(decision, HEARD)
    page = client_for("editor").get(f"/w/acme/decisions/{decision.number}.json").json()
    on_the_decision = {p["key"]: p for p in page["back_brief"]["parts"]}["outcome"]
    report = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/report.json").json()
    question = report["report"]["questions"][0]
    on_the_check_in = question["part_coverage"]["outcome"]
    assert on_the_decision["contradicts"] == 0.5
    assert on_the_check_in["contradicts"] == on_the_decision["contradicts"]
    assert on_the_check_in["conveys"] == on_the_decision["conveys"]
    # Four answers under a threshold of three make one bar, "0–100: 4", which says nothing.
    assert len(question["fidelity_histogram"]) == 1
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert 'class="histogram"' not in page


def test_a_back_brief_is_not_trended_against_another_decisions(
    workspace_of_three, users, client_for
):
    first = decided(workspace_of_three, users, "Should we move payments to a new vendor?")
    answered(first, HEARD[:2] * 2)
    second = decided(workspace_of_three, users, "Should we move payouts to a new vendor?")
    checkin = answered(second, HEARD)
    report = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/report.json").json()
    assert "trend" not in report["report"] and "previous" not in report["report"]
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert first.title not in page
    assert "never on the alignment dashboard, and never compared with another" in page
    assert f'href="/w/acme/decisions/{second.number}/">the decision' in page
    assert "<summary>1 question</summary>" in page
