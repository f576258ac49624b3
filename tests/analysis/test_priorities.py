import pytest

from truenorth.analysis.priorities import (
    Goal,
    goal_scores,
    match_items,
    ranking_agreement,
    split_items,
)

GOALS = [
    Goal(1, "Raise the touchless invoice rate to 70%", "Fewer invoices typed by hand", 1),
    Goal(2, "Make NetSuite sync reliable", "Failed syncs cost customers their close", 2),
    Goal(3, "Cut approval time to under two days", "Late approvals mean late fees", 3),
]


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
