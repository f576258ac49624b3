"""A readable 0-100 score for how close two texts are in meaning.

Raw cosine similarity is not a scale people can read (two unrelated sentences often score 0.3).
The score maps cosine onto the STS Benchmark's human scale (0-5, times 20), by a monotonic curve
fitted on the STS *train* split for each model and engine (calibration.py holds the curves).
Where the model has a score projection (a linear map fitted on the same split), the cosine is
taken between the projected vectors: an inner product that follows human ratings more closely
than the model's own. The curve is strictly increasing, so it never changes a ranking.

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


def project(vectors: np.ndarray) -> np.ndarray:
    """Normalised vectors into the space the score's cosine is taken in (unchanged where the
    selected model has no projection)."""
    projection = calibration.projection()
    if projection is None or np.shape(vectors)[-1] != projection.shape[0]:
        return vectors  # no projection, or vectors not of the selected model (made-up ones)
    projected = np.asarray(vectors, dtype=np.float32) @ projection
    norms = np.linalg.norm(projected, axis=-1, keepdims=True)
    return projected / np.maximum(norms, 1e-12)


def cosine_to_score(cosine: Any) -> Any:
    """Cosine similarity in the score's space (scalar or array; see project) to the 0-100 score."""
    clipped = np.clip(cosine, -1.0, 1.0)
    if np.size(clipped) > TABLE_ABOVE:
        # Coherence scores millions of pairs: a 65,537-step table is 3x faster than
        # interpolating each one, and within 0.01 of a point of it.
        table = calibration.table()
        return table[np.rint((clipped + 1.0) * ((len(table) - 1) / 2)).astype(np.intp)]
    cosines, scores = calibration.curve()
    return np.interp(clipped, cosines, scores)


def score_to_cosine(score: float) -> float:
    """The model's own cosine at which its curve reaches `score`: a cut written as a score, for
    grouping, which works on the model's own vectors."""
    cosines, scores = calibration.model_curve()
    return float(np.interp(score, scores, cosines))


def score_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Scores between every row of a and every row of b (normalised embeddings)."""
    return np.asarray(cosine_to_score(project(a) @ project(b).T))


def score_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The score of each row of a with the same row of b."""
    return np.asarray(cosine_to_score(np.sum(project(a) * project(b), axis=1)))


def score_pairs(pairs: Sequence[tuple[str, str]], embedder: Encoder) -> np.ndarray:
    """One score per (text a, text b) pair."""
    if not pairs:
        return np.zeros(0)
    return score_rows(
        embedder.encode([p[0] for p in pairs]), embedder.encode([p[1] for p in pairs])
    )


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
