"""The verdict rule on a claim's matches, and the matcher with the real model."""

from datetime import date

import numpy as np
import pytest

from truenorth.analysis.promises import (
    AVAILABLE,
    COMMITTED,
    NO_CAPABILITY,
    OVER_PROMISE,
    Capability,
    Evidence,
    capability_vectors,
    check_claims,
    judge,
    rank_capabilities,
)

ROADMAP = [
    Capability("Approve invoices from Slack", "Approvers never open the app.", "shipped"),
    Capability("Bank feeds", "Payments are matched by hand.", "in_progress", date(2027, 3, 1)),
    Capability("Mobile approvals app", "Approvers are on the road.", "planned"),
    Capability("Supplier portal", "Suppliers email invoices.", "exploring"),
    Capability("Expense reimbursements", "Employees want refunds.", "dropped"),
    Capability(
        "Bank details check", "Fraud via changed bank details.", "committed", date(2027, 1, 5)
    ),
]


def evidence(index: int, score: float) -> Evidence:
    return Evidence(index, score, ROADMAP[index].status)


@pytest.mark.parametrize(
    ("index", "verdict"),
    [(0, AVAILABLE), (1, COMMITTED), (5, COMMITTED), (2, OVER_PROMISE), (3, OVER_PROMISE)],
)
def test_the_best_match_above_the_cut_decides_by_its_status(index, verdict):
    judged = judge([evidence(index, 60.0), evidence(4, 40.0)], ROADMAP)
    assert judged.verdict == verdict
    assert judged.evidence == evidence(index, 60.0)
    assert judged.runners_up == [evidence(4, 40.0)]


def test_a_committed_verdict_carries_the_target_date_and_others_do_not():
    assert judge([evidence(1, 50.0)], ROADMAP).target_date == date(2027, 3, 1)
    assert judge([evidence(0, 50.0)], ROADMAP).target_date is None


def test_a_dropped_initiative_means_no_such_capability_with_the_evidence_kept():
    judged = judge([evidence(4, 70.0), evidence(0, 36.0)], ROADMAP)
    assert judged.verdict == NO_CAPABILITY
    assert judged.evidence == evidence(4, 70.0)
    assert judged.runners_up == [evidence(0, 36.0)]


def test_nothing_at_the_cut_means_no_such_capability_with_the_nearest_shown():
    judged = judge([evidence(2, 34.9), evidence(0, 20.0)], ROADMAP, cut=35.0)
    assert judged.verdict == NO_CAPABILITY
    assert judged.evidence is None and judged.runners_up == []
    assert judged.nearest == evidence(2, 34.9)
    assert judge([], ROADMAP).nearest is None


def test_runners_up_below_the_cut_are_not_shown():
    judged = judge([evidence(0, 50.0), evidence(2, 30.0)], ROADMAP, cut=35.0)
    assert judged.runners_up == []


def test_an_unknown_status_is_an_error():
    with pytest.raises(ValueError, match="unknown initiative status 'someday'"):
        Capability("x", "", "someday")


def test_each_capability_is_ranked_once_by_its_better_text():
    # Two rows per capability (title; title with problem); the claim is closest to row 3.
    rows = np.eye(4)
    claim = np.array([[0.0, 0.6, 0.0, 0.8]])
    ranked = rank_capabilities(claim, rows, ROADMAP[:2], top=3)[0]
    assert [e.capability for e in ranked] == [1, 0]
    assert ranked[0].score > ranked[1].score


def test_the_vectors_must_be_two_per_capability():
    with pytest.raises(ValueError, match="two rows per capability"):
        check_claims(np.eye(2), np.eye(3), ROADMAP[:2])


def test_it_judges_claims_with_the_real_model(embedder):
    claims = [
        "Told the customer their approvers can approve invoices right inside Slack.",
        "Promised they could submit their invoices through a portal for suppliers.",
        "Said we will reimburse their employees' expenses through us.",
        "Told them we run their payroll and file their taxes.",
    ]
    judged = check_claims(
        embedder.encode(claims), capability_vectors(ROADMAP, embedder.encode), ROADMAP
    )
    assert [v.verdict for v in judged] == [AVAILABLE, OVER_PROMISE, NO_CAPABILITY, NO_CAPABILITY]
    assert [v.evidence.capability if v.evidence else None for v in judged] == [0, 3, 4, None]
