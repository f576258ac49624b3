"""For each query text, the few targets closest in meaning, scored 0-100, above a cut.

Used wherever one set of texts is matched to another: work items to the goals and initiatives
they may serve, claims to the roadmap. The caller embeds both sides (normalised rows, as every
embedder in `truenorth.analysis.embed` returns) and keeps its own objects; matches refer to them
by row index.

    matches = best_matches(embedder.encode(items), embedder.encode(goals), top=3)
    for item, found in zip(items, matches):
        for match in found:  # best first
            print(item, "->", goals[match.target], round(match.score))

The default cut is MATCH_SCORE (35): the score that best predicts "not equivalent, but share some
details" on the STS dev split (see `truenorth.analysis.priorities`). A pair on the same topic only
scores lower and is not a match.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from truenorth.analysis.embed import Encoder
from truenorth.analysis.priorities import MATCH_SCORE
from truenorth.analysis.score import score_matrix

__all__ = ["MATCH_SCORE", "Match", "best_matches", "match_texts", "rank_scores"]


@dataclass(frozen=True)
class Match:
    """Target row `target` matches the query with `score` (0-100)."""

    target: int
    score: float


def best_matches(
    query_vectors: np.ndarray,
    target_vectors: np.ndarray,
    top: int = 3,
    cut: float = MATCH_SCORE,
    exclude: Collection[tuple[int, int]] = (),
) -> list[list[Match]]:
    """One list per query row: at most `top` targets scoring at least `cut`, best first.

    `exclude` holds (query row, target row) pairs never to return (a suggestion someone
    rejected); the next best target takes an excluded one's place. Equal scores keep target
    order, so the result does not depend on the sort's whims.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    if len(query_vectors) == 0 or len(target_vectors) == 0:
        return [[] for _ in range(len(query_vectors))]
    scores = score_matrix(np.asarray(query_vectors), np.asarray(target_vectors))
    return rank_scores(scores, top, cut, exclude)


def rank_scores(
    scores: np.ndarray,
    top: int = 3,
    cut: float = MATCH_SCORE,
    exclude: Collection[tuple[int, int]] = (),
) -> list[list[Match]]:
    """best_matches on a ready (queries × targets) score matrix, for callers that combine
    scores themselves (e.g. the best of a target's short and long texts)."""
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    scores = np.array(scores, dtype=float)  # a copy: excluded pairs are blanked below
    queries, targets = scores.shape
    for query, target in exclude:
        if 0 <= query < queries and 0 <= target < targets:
            scores[query, target] = -np.inf
    order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    return [
        [Match(int(t), float(scores[q, t])) for t in order[q] if scores[q, t] >= cut]
        for q in range(queries)
    ]


def match_texts(
    queries: Sequence[str],
    targets: Sequence[str],
    embedder: Encoder,
    top: int = 3,
    cut: float = MATCH_SCORE,
    exclude: Collection[tuple[int, int]] = (),
) -> list[list[Match]]:
    """best_matches on texts: embeds both sides with `embedder` (cached or not)."""
    if not queries or not targets:
        return [[] for _ in queries]
    return best_matches(
        embedder.encode(list(queries)), embedder.encode(list(targets)), top, cut, exclude
    )
