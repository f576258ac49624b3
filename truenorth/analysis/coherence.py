"""How close people's answers are to each other, and how many distinct readings there are.

Coherence is the mean *score* over pairs of answers: "the typical pair of people scores 62".
For normalised vectors the mean pairwise *cosine* has an O(n) form, (|sum|^2 - n) / (n(n - 1)),
but the score is a nonlinear (piecewise-linear, increasing) curve of the cosine, and the curve
of the mean cosine is not the mean of the curve: a team split between two readings and a team
of lukewarm near-agreement can share a mean cosine and differ by several points. So pairs are
scored one by one: every pair up to EXACT_LIMIT answers (a 1,500 × 1,500 matrix: 18 MB,
milliseconds), and above it every pair among a fixed-seed random sample of EXACT_LIMIT answers.
The mean over pairs of a random subset is an unbiased estimate of the mean over all pairs, within
about half a point here, and its cost stays flat however many people answer.
"""

import math
from collections.abc import Sequence

import numpy as np

from truenorth.analysis.score import cosine_to_score, project

EXACT_LIMIT = 1500


def sample(vectors: np.ndarray, limit: int) -> np.ndarray:
    """At most `limit` rows, drawn without replacement with a fixed seed (reports repeat)."""
    if len(vectors) <= limit:
        return vectors
    rows = np.random.default_rng(0).choice(len(vectors), limit, replace=False)
    return vectors[np.sort(rows)]


def mean_pairwise_score(vectors: np.ndarray) -> float | None:
    """The mean score over all pairs of distinct answers; None for fewer than two."""
    if len(vectors) < 2:
        return None
    rows = project(sample(vectors, EXACT_LIMIT))
    n = len(rows)
    scores = cosine_to_score(rows @ rows.T)
    return float((scores.sum() - np.trace(scores)) / (n * (n - 1)))


def mean_cross_score(a: np.ndarray, b: np.ndarray) -> float | None:
    """The mean score between answers of one group and answers of another, both given in the
    score's space (score.project), so a caller comparing many groups projects its answers once."""
    if len(a) == 0 or len(b) == 0:
        return None
    return float(np.mean(cosine_to_score(sample(a, EXACT_LIMIT) @ sample(b, EXACT_LIMIT).T)))


def effective_interpretations(sizes: Sequence[int]) -> float:
    """exp(Shannon entropy) of the group sizes: 1 when everyone shares one reading, k when
    answers split evenly into k readings ("ask five people, get five answers" gives 5)."""
    total = sum(sizes)
    if total == 0:
        return 0.0
    shares = [s / total for s in sizes if s > 0]
    return math.exp(-sum(p * math.log(p) for p in shares))
