"""How close people's answers are to each other, and how many distinct readings there are."""

import math
from collections.abc import Sequence

import numpy as np

from truenorth.analysis.score import cosine_to_score

# Above this many answers, pairs are sampled: the mean of 200,000 random pairs is within a
# fraction of a point of the exact mean, and costs the same for 10,000 answers as for 1,000.
EXACT_LIMIT = 1500
SAMPLED_PAIRS = 200_000


def mean_pairwise_score(vectors: np.ndarray) -> float | None:
    """The mean score over all pairs of distinct answers; None for fewer than two."""
    n = len(vectors)
    if n < 2:
        return None
    if n <= EXACT_LIMIT:
        scores = cosine_to_score(vectors @ vectors.T)
        return float((scores.sum() - np.trace(scores)) / (n * (n - 1)))
    rng = np.random.default_rng(0)
    i = rng.integers(0, n, SAMPLED_PAIRS)
    j = (i + rng.integers(1, n, SAMPLED_PAIRS)) % n  # never i itself
    return float(np.mean(cosine_to_score(np.sum(vectors[i] * vectors[j], axis=1))))


def mean_cross_score(a: np.ndarray, b: np.ndarray) -> float | None:
    """The mean score between answers of one group and answers of another."""
    if len(a) == 0 or len(b) == 0:
        return None
    if len(a) * len(b) <= SAMPLED_PAIRS:
        return float(np.mean(cosine_to_score(a @ b.T)))
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, len(a), SAMPLED_PAIRS), rng.integers(0, len(b), SAMPLED_PAIRS)
    return float(np.mean(cosine_to_score(np.sum(a[i] * b[j], axis=1))))


def effective_interpretations(sizes: Sequence[int]) -> float:
    """exp(Shannon entropy) of the group sizes: 1 when everyone shares one reading, k when
    answers split evenly into k readings ("ask five people, get five answers" gives 5)."""
    total = sum(sizes)
    if total == 0:
        return 0.0
    shares = [s / total for s in sizes if s > 0]
    return math.exp(-sum(p * math.log(p) for p in shares))
