import itertools

import numpy as np
import pytest

from truenorth.analysis.matching import (
    MATCH_SCORE,
    Match,
    best_matches,
    match_texts,
    rank_scores,
)
from truenorth.analysis.score import cosine_to_score

GOALS = [
    "Close the books in three days at month end.",
    "Every supplier invoice is paid without retyping it.",
    "Win mid-market customers in Germany.",
]


def unit(*rows):
    vectors = np.asarray(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_it_ranks_targets_best_first_and_keeps_at_most_top():
    query = unit([1.0, 0.0, 0.0])
    targets = unit([0.6, 0.8, 0.0], [1.0, 0.1, 0.0], [0.8, 0.6, 0.0], [0.0, 0.0, 1.0])
    [found] = best_matches(query, targets, top=2, cut=0)
    assert [m.target for m in found] == [1, 2]
    assert found[0].score == pytest.approx(float(cosine_to_score(targets[1] @ query[0])))


def test_it_drops_targets_below_the_cut():
    query = unit([1.0, 0.0])
    targets = unit([1.0, 0.05], [0.0, 1.0])  # the same direction, and an orthogonal one
    [found] = best_matches(query, targets, top=3)
    assert [m.target for m in found] == [0]
    assert found[0].score >= MATCH_SCORE
    assert cosine_to_score(0.0) < MATCH_SCORE


def test_an_excluded_pair_gives_its_place_to_the_next_best():
    queries = unit([1.0, 0.0], [0.0, 1.0])
    targets = unit([1.0, 0.0], [0.9, 0.3], [0.0, 1.0])
    found = best_matches(queries, targets, top=1, cut=0, exclude={(0, 0)})
    assert found == [[Match(1, found[0][0].score)], [Match(2, found[1][0].score)]]


def test_ready_scores_are_ranked_the_same_way_and_left_unchanged():
    scores = np.array([[20.0, 90.0, 50.0], [10.0, 10.0, 10.0]])
    found = rank_scores(scores, top=2, cut=40, exclude=[(0, 1)])
    assert found == [[Match(2, 50.0)], []]
    assert scores[0, 1] == 90.0


def test_it_handles_no_queries_or_no_targets():
    assert best_matches(np.zeros((0, 3)), unit([1.0, 0.0, 0.0])) == []
    assert best_matches(unit([1.0, 0.0]), np.zeros((0, 2))) == [[]]
    with pytest.raises(ValueError, match="top"):
        best_matches(unit([1.0]), unit([1.0]), top=0)


def test_the_real_model_matches_work_to_the_goal_it_serves(embedder):
    items = [
        "Read the supplier invoice PDF so nobody types in amounts by hand",
        "Speed up the month-end close checklist",
        "Fix the office coffee machine rota",
    ]
    found = match_texts(items, GOALS, embedder)
    assert found[0][0].target == 1
    assert found[1][0].target == 0
    assert found[2] == []  # about none of the goals
    assert all(a.score >= b.score for matches in found for a, b in itertools.pairwise(matches))
