"""A back-brief's reading on the decision page agrees with its check-in's report: an answer that
contradicts the decision only as a whole ("We keep per-seat pricing" against "Per entity.") is
counted and quoted on both (real model)."""

from datetime import date

import pytest

from tests.conftest import team_of
from truenorth.checkins.actions import issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.decisions import actions, backbrief
from truenorth.decisions.models import Decision
from truenorth.workspaces.models import Function

ANSWERS = [
    "We now price approvals per entity instead of per seat, because per-seat pricing punished "
    "customers who invite more approvers.",
    "Approvals are priced per entity, not per seat, so customers are not punished for adding "
    "approvers; sales quotes this way from January.",
    "We keep per-seat pricing for approvals.",
    "Approvals are now free for all customers.",
    "Pricing goes per entity from January, but I think it is wrong: it will cost us the big "
    "single-entity accounts.",
    "No idea, something about pricing? I didn't follow.",
    "Customers pay for each entity they run approvals in, rather than for each user, so "
    "inviting more approvers costs nothing extra.",
]
CONSEQUENCES = (
    "Sales quotes per entity from January; existing per-seat contracts keep their price until "
    "renewal."
)


@pytest.fixture
def read(workspace):
    """Decision 14 of the demo, an attributed back-brief of it answered by seven people."""
    workspace.anonymity_threshold = 3
    workspace.save()
    _, people = team_of(workspace, "Finance", Function.FINANCE, 7)
    d = actions.add_decision(
        Decision(
            workspace=workspace,
            title="Per-entity pricing for approvals",
            question="How do we price approvals?",
            raised_on=date(2026, 11, 1),
        )
    )
    rationale = "Seats punished customers who invite approvers."
    d.consequences = CONSEQUENCES
    actions.decide(d, date(2026, 11, 15), "Per entity.", rationale)
    d.informed.add(*people)
    found = backbrief.create_back_brief(d, anonymous=False)
    checkin = found.checkin
    question = checkin.questions.get()
    for link, text in zip(issue_links(checkin), ANSWERS, strict=True):
        submit_response(link.invitation, link.token, {question: text})
    close_checkin(checkin)
    analyze(checkin)
    return d, checkin


def test_the_decision_page_counts_whole_source_contradictions_as_the_report(read, client_for):
    decision, checkin = read
    data = client_for("editor").get(f"/w/acme/decisions/{decision.number}.json").json()
    shown = data["back_brief"]
    assert shown["state"] == "shown"
    whole = next(p for p in shown["parts"] if p["key"] == "statement")
    report = checkin.report.data["questions"][0]["part_coverage"]["statement"]
    assert whole["contradicts"] == report["contradicts"] > 0
    assert shown["contradicting_count"] == round(report["contradicts"] * 7) >= 1
    assert len(shown["contradicting"]) == shown["contradicting_count"]  # attributed: quoted
    page = client_for("editor").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert 'id="part-statement"' in page and "The decision as a whole" in page
