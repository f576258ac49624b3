"""How a restatement relates to its source: it conveys it, partly, contradicts it, or is unrelated.

Distance alone cannot tell agreement from contradiction: "the top of the stairs" and "the bottom
of the stairs" are close in meaning-space, and so are "we will grow revenue" and "we will cut
costs". Faux alignment (seed 004: agreeing, having understood something else) is exactly that
case, so each comparison also asks a small classifier whether the pair contradicts:

- features of the two normalised embeddings u and v: their cosine, |u − v| and u ⊙ v (the pair
  features of sentence-embedding inference models), and whether one is negated and the other not;
- multinomial logistic regression to entailment / neutral / contradiction, trained on SICK's
  TRAIN pairs only (benchmarks/train_relation.py writes one weights file per model and engine
  into relation_weights/; SICK's TEST split measures it in benchmarks/relation_quality.py).

The relation, in this order:

  contradicts  the two give different numbers for the same thing (quantities.conflicts), whatever
               the model says; or p(contradiction) reaches the classifier's cut, chosen on SICK
               TRIAL as the lowest at which 9 flags in 10 are right (telling a team it contradicts
               the vision when it does not costs more than a missed flag), and saved with it
  conveys      score ≥ CONVEYS: roughly the same meaning
  partly       score ≥ SHARES_DETAILS: shares details
  unrelated    anything else

Trained on image captions, the classifier's p(entailment) does not carry over to restatements of
a vision (faithful ones get far less than one half), so how much a restatement conveys is read from the score,
whose scale is human judgement of similarity; the classifier only flags contradictions.
The features are symmetric, so the classifier does not care which text is the source.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from truenorth.analysis import calibration, quantities
from truenorth.analysis.score import score_rows

WEIGHTS = Path(__file__).with_name("relation_weights")
CLASSES = ("entailment", "neutral", "contradiction")
RELATIONS = ("conveys", "partly", "contradicts", "unrelated")
# Both chosen on STS dev by benchmarks/choose_thresholds.py: the scores that best predict a human
# rating of 3 or more ("roughly equivalent") and of 2 or more ("share some details").
CONVEYS = 60.0
SHARES_DETAILS = 35.0
CHUNK = 4096  # pairs classified at once: their features are 2 × dimensions wide

NEGATION = re.compile(
    r"\b(?:no|not|never|nobody|none|nothing|nowhere|neither|nor|without|cannot)\b|n't\b",
    re.IGNORECASE,
)


class NoClassifier(RuntimeError):
    """No relation weights were trained for this model and engine."""


@dataclass(frozen=True)
class Relation:
    name: str  # one of RELATIONS
    score: float  # 0-100 on the human scale
    p_entailment: float
    p_contradiction: float
    reason: str = ""  # why, where a rule rather than the classifier decided
    classified: bool = True  # False where the model has no classifier: p's are 0, not measured


@lru_cache(maxsize=65536)
def negations(text: str) -> int:
    return len(NEGATION.findall(text))


def pair_features(a: np.ndarray, b: np.ndarray, texts_a: Sequence[str], texts_b: Sequence[str]):
    """One row of features per pair (rows of a and b are normalised embeddings)."""
    cosine = np.sum(a * b, axis=1, keepdims=True)
    # One negated, the other not ("is playing" / "is not playing"); two ways of saying "no"
    # ("no retyping" / "without retyping") are not a difference.
    negated = np.array(
        [[(negations(x) > 0) != (negations(y) > 0)] for x, y in zip(texts_a, texts_b, strict=True)],
        float,
    )
    return np.hstack([cosine, np.abs(a - b), a * b, negated]).astype(np.float32)


@dataclass(frozen=True)
class Classifier:
    coef: np.ndarray  # classes × features
    intercept: np.ndarray
    contradicts: float  # the p(contradiction) cut


@lru_cache(maxsize=4)
def classifier(key: str) -> Classifier:
    path = WEIGHTS / f"{key}.npz"
    if not path.exists():
        raise NoClassifier(f"no relation classifier for {key}: run benchmarks/train_relation.py")
    data = np.load(path)
    return Classifier(data["coef"], data["intercept"], float(data["cuts"][0]))


def available(dimensions: int) -> bool:
    """Whether the selected model has a classifier for vectors of this many dimensions."""
    if not (WEIGHTS / f"{calibration.selected()}.npz").exists():
        return False
    return classifier(calibration.selected()).coef.shape[1] == 2 * dimensions + 2


def probabilities(
    a: np.ndarray, b: np.ndarray, texts_a: Sequence[str], texts_b: Sequence[str]
) -> np.ndarray:
    """p(entailment), p(neutral), p(contradiction) per pair, under the selected model's weights."""
    if len(a) == 0:
        return np.zeros((0, len(CLASSES)))
    model = classifier(calibration.selected())
    logits = pair_features(a, b, texts_a, texts_b) @ model.coef.T + model.intercept
    logits -= logits.max(axis=1, keepdims=True)
    odds = np.exp(logits)
    return odds / odds.sum(axis=1, keepdims=True)


def decide(score: float, p_contradiction: float, reason: str = "", classified: bool = True) -> str:
    if reason or (classified and p_contradiction >= classifier(calibration.selected()).contradicts):
        return "contradicts"
    if score >= CONVEYS:
        return "conveys"
    return "partly" if score >= SHARES_DETAILS else "unrelated"


def relations(
    a: np.ndarray, b: np.ndarray, texts_a: Sequence[str], texts_b: Sequence[str]
) -> list[Relation]:
    """The relation of each pair (text a[i] restating source b[i])."""
    found: list[Relation] = []
    for start in range(0, len(a), CHUNK):
        end = start + CHUNK
        found += _relations(a[start:end], b[start:end], texts_a[start:end], texts_b[start:end])
    return found


def _relations(a, b, texts_a, texts_b) -> list[Relation]:
    scores = score_rows(a, b)
    # A model without a classifier (sentence-transformers fp32, say) still gets the score's band
    # and the numbers rule; only the classifier's contradiction flag is missing.
    classified = available(a.shape[1])
    p = probabilities(a, b, texts_a, texts_b) if classified else np.zeros((len(a), len(CLASSES)))
    found = []
    for i, (restated, source) in enumerate(zip(texts_a, texts_b, strict=True)):
        reason = number_conflict(source, restated)
        pe, pc = float(p[i, 0]), float(p[i, 2])
        name = decide(scores[i], pc, reason, classified)
        found.append(Relation(name, float(scores[i]), pe, pc, reason, classified))
    return found


def number_conflict(source: str, restated: str) -> str:
    """Why the restatement gives another number for something the source counts, or ''."""
    if not (has_numbers(source) and has_numbers(restated)):
        return ""
    found = quantities.conflicts(source, restated)
    return found[0].reason if found else ""


@lru_cache(maxsize=65536)
def has_numbers(text: str) -> bool:
    return bool(quantities.extracted(text))
