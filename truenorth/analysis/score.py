"""A readable 0-100 score for how close two texts are in meaning.

Raw cosine similarity is not a scale people can read (two unrelated sentences often score 0.3).
The score maps cosine onto the STS Benchmark's human scale (0-5, times 20), by a monotonic curve
fitted on the STS *train* split for each model and engine (calibration.py holds the curves).
Because the curve is strictly increasing it never changes a ranking, so it loses nothing the
model knows.

What a score means, from the human scale it was calibrated on:
  100  the same meaning           60  roughly the same, important parts differ
   80  the same, details differ   40  different, but share some details
                                   20  different, same topic;   0  unrelated
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

from truenorth.analysis import calibration
from truenorth.analysis.embed import Encoder

# Bands named after the human scale, used wherever a score is put in words.
SAME_MEANING = 80.0  # "the same, details differ" or better
ROUGHLY_SAME = 60.0  # "roughly the same, important parts differ"
SAME_TOPIC = 20.0


TABLE_ABOVE = 4096  # arrays larger than this read the curve from a table


def cosine_to_score(cosine: Any) -> Any:
    """Cosine similarity (scalar or array) to the 0-100 score."""
    clipped = np.clip(cosine, -1.0, 1.0)
    if np.size(clipped) > TABLE_ABOVE:
        # Coherence scores millions of pairs: a 65,537-step table is 3x faster than
        # interpolating each one, and within 0.01 of a point of it.
        table = calibration.table()
        return table[np.rint((clipped + 1.0) * ((len(table) - 1) / 2)).astype(np.intp)]
    cosines, scores = calibration.curve()
    return np.interp(clipped, cosines, scores)


def score_to_cosine(score: float) -> float:
    """The cosine at which the score reaches `score` (the inverse of the curve)."""
    cosines, scores = calibration.curve()
    return float(np.interp(score, scores, cosines))


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
