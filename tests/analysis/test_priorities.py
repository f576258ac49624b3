import numpy as np
import pytest

from truenorth.analysis.priorities import (
    NAME_SCORE,
    Goal,
    goal_scores,
    match_items,
    ranking_agreement,
    split_items,
    with_names,
)

GOALS = [
    Goal(
        1,
        "Raise the touchless invoice rate to 70%",
        "Fewer invoices typed by hand",
        1,
        "Share of invoices posted with no human edit",
        ("touchless", "no-touch rate"),
    ),
    Goal(
        2,
        "Make NetSuite sync reliable",
        "Failed syncs cost customers their close",
        2,
        "Share of postings that fail on the first attempt",
        ("ERP sync", "sync failures"),
    ),
    Goal(
        3,
        "Cut approval time to under two days",
        "Late approvals mean late fees",
        3,
        "Median time from invoice received to final approval",
        ("approvals",),
    ),
    Goal(
        4,
        "Get 30% of customers paying suppliers through us",
        "Payments close the loop from inbox to paid",
        4,
        "Share of customers with a payment run in the last 30 days",
        ("payments", "payments attach"),
    ),
]


def ranks(named):
    return [p.goal.rank if p.goal else None for p in named]


@pytest.mark.parametrize(
    "answer, items",
    [
        (
            "1. Touchless rate 2. NetSuite sync 3. Approvals",
            ["Touchless rate", "NetSuite sync", "Approvals"],
        ),
        ("- SOC 2\n- payments\n- onboarding", ["SOC 2", "payments", "onboarding"]),
        ("sync; approvals; touchless", ["sync", "approvals", "touchless"]),
        ("touchless, sync, approvals", ["touchless", "sync", "approvals"]),
        ("Just ship the thing", ["Just ship the thing"]),
        ("", []),
    ],
)
def test_it_splits_a_list_of_priorities(answer, items):
    assert split_items(answer) == items


def test_it_matches_goals_and_spots_a_shadow_priority(embedder):
    items = [
        "more invoices processed touchless",
        "fix the NetSuite sync failures",
        "SOC 2 Type II audit",
    ]
    scores = goal_scores(embedder.encode(items), GOALS, embedder.encode)
    named = match_items(items, scores, GOALS)
    assert [p.goal.rank if p.goal else None for p in named] == [1, 2, None]
    assert ranking_agreement(named) == pytest.approx(1.0)
    assert ranking_agreement(list(reversed(named))) == pytest.approx(-1.0)


def test_an_item_that_is_a_goals_name_names_it_whatever_its_case_or_punctuation():
    items = ["ERP sync", "erp-sync", " Erp Sync! ", "ERPsync", "ERP sync fixes"]
    named = with_names(items, np.zeros((len(items), len(GOALS))), GOALS)
    assert named[:, 1].tolist() == [NAME_SCORE] * 4 + [0.0]
    assert not np.delete(named, 1, axis=1).any()
    # A name inside a longer item is left to the score: with every score 0, it names nothing.
    assert ranks(match_items(items, np.zeros((5, 4)), GOALS)) == [2, 2, 2, 2, None]


def test_a_priority_of_a_word_or_two_lands_on_the_goal_it_abbreviates(embedder):
    items = ["payments", "Payments attach!", "Slack approvals", "ACH payment runs", "no-touch"]
    scores = goal_scores(embedder.encode(items), GOALS, embedder.encode)
    named = match_items(items, scores, GOALS)
    assert ranks(named) == [4, 4, 3, 4, 1]
    assert [p.score for p in named[:2]] == [NAME_SCORE, NAME_SCORE]


def test_a_hard_negative_stays_a_shadow_priority(embedder):
    # A new connector is not sync reliability; an audit and a hiring plan are no goal at all.
    items = ["Sage Intacct connector", "SOC 2 Type II audit", "hiring", "dark mode"]
    scores = goal_scores(embedder.encode(items), GOALS, embedder.encode)
    assert ranks(match_items(items, scores, GOALS)) == [None] * 4


def test_no_goals_means_no_scores_and_every_item_a_shadow():
    assert goal_scores(np.zeros((2, 384)), [], lambda texts: np.zeros((0, 384))).shape == (2, 0)
    assert ranks(match_items(["payments"], np.zeros((1, 0)), [])) == [None]
