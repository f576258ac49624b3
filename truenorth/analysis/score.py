"""A readable 0-100 score for how close two texts are in meaning.

Raw cosine similarity is not a scale people can read (two unrelated sentences often score 0.3).
The score maps cosine onto the STS Benchmark's human scale (0-5, times 20), by a monotonic curve
fitted on the STS *train* split (benchmarks/calibrate_score.py prints these knots). Because the
curve is strictly increasing it never changes a ranking, so it loses nothing the model knows.

What a score means, from the human scale it was calibrated on:
  100  the same meaning           60  roughly the same, important parts differ
   80  the same, details differ   40  different, but share some details
                                   20  different, same topic;   0  unrelated
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

from truenorth.analysis.embed import Encoder

# Fitted on 5,749 STS train pairs with all-MiniLM-L6-v2.
COSINE_KNOTS = (
    -1.0000,
    0.1137,
    0.2536,
    0.3587,
    0.4449,
    0.5165,
    0.5662,
    0.6089,
    0.6476,
    0.6804,
    0.7123,
    0.7413,
    0.7705,
    0.7986,
    0.8205,
    0.8431,
    0.8701,
    0.8946,
    0.9202,
    0.9479,
    1.0000,
)
SCORE_KNOTS = (
    0.00,
    6.11,
    12.84,
    22.58,
    29.44,
    38.92,
    42.42,
    48.12,
    53.06,
    57.09,
    57.89,
    60.59,
    67.34,
    69.04,
    70.99,
    73.16,
    76.88,
    80.09,
    81.91,
    82.89,
    100.00,
)

# Bands named after the human scale, used wherever a score is put in words.
SAME_MEANING = 80.0  # "the same, details differ" or better
ROUGHLY_SAME = 60.0  # "roughly the same, important parts differ"
SAME_TOPIC = 20.0


def cosine_to_score(cosine: Any) -> Any:
    """Cosine similarity (scalar or array) to the 0-100 score."""
    return np.interp(np.clip(cosine, -1.0, 1.0), COSINE_KNOTS, SCORE_KNOTS)


def score_to_cosine(score: float) -> float:
    """The cosine at which the score reaches `score` (the inverse of the curve)."""
    return float(np.interp(score, SCORE_KNOTS, COSINE_KNOTS))


def score_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Scores between every row of a and every row of b (normalised embeddings)."""
    return np.asarray(cosine_to_score(a @ b.T))


def score_pairs(pairs: Sequence[tuple[str, str]], embedder: Encoder) -> np.ndarray:
    """One score per (text a, text b) pair."""
    if not pairs:
        return np.zeros(0)
    a = embedder.encode([p[0] for p in pairs])
    b = embedder.encode([p[1] for p in pairs])
    return np.asarray(cosine_to_score(np.sum(a * b, axis=1)))


def compare(a: str, b: str, embedder: Encoder) -> float:
    """The 0-100 score of two texts (100: the same meaning; see the bands above)."""
    return float(score_pairs([(a, b)], embedder)[0])


def band(score: float) -> str:
    """The human-scale words for a score."""
    for floor, words in (
        (90, "the same meaning"),
        (SAME_MEANING, "the same, details differ"),
        (ROUGHLY_SAME, "roughly the same, important parts differ"),
        (40, "different, sharing some details"),
        (SAME_TOPIC, "different, on the same topic"),
    ):
        if score >= floor:
            return words
    return "unrelated"
