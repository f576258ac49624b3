"""Which kind of value a customer need (or a goal, or a theme) is about: functional or
psychological.

Seed 002: "there's a psychological value, and there's a functional value to that product, we have
to be aware of both"; Volvo sells safety, Toyota reliability, and functionally the cars are much
the same. Functional value is what the product lets someone do (a task, a capability, speed, an
integration, a format, a price); psychological value is how it makes them feel or the state it
leaves them in (safe, confident, in control, reassured, seen, trusted, respected, less anxious,
proud).

Each kind has a few prototypes: short needs written from those definitions and the seed, never
taken from the labelled set. A text is embedded, its cosine to every prototype taken, and each
kind scored by the mean of its TOP nearest prototypes; the difference (psychological minus
functional) goes through a logistic curve, p(psychological) = 1 / (1 + exp(-(SLOPE * d +
OFFSET))). The nearer kind is suggested with that probability as its confidence; below UNSURE
the suggestion is "unsure", for an editor to decide.

How the parameters were chosen: TOP, SLOPE and OFFSET on the development half of
benchmarks/data/value_needs.csv only (the rows whose text hash is even, the split every labelled
set here uses), by `HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/value_tagging.py --choose`,
for all-MiniLM-L6-v2+int8 (the default engine); the prototypes were revised on that half only
too. UNSURE was fixed before any run: a suggestion right fewer than three times in five is not
one. The figures, on the test half, are in docs/analysis.md ("Functional or psychological value"):
with every need answered, 0.755 right against 0.550 for the majority class and 0.623 for a list of
feeling words, but below TF-IDF with a logistic regression trained on the dev half (0.854); a
psychological need phrased as a feature is its usual miss. An editor confirms every tag.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from truenorth.analysis.embed import Encoder

FUNCTIONAL, PSYCHOLOGICAL = "functional", "psychological"
KINDS = (FUNCTIONAL, PSYCHOLOGICAL)
UNSURE_KIND = "unsure"

PROTOTYPES = {
    "functional": (
        "Please add a feature that lets me do this task in the product.",
        "I need to export my data in another file format.",
        "It should integrate with the other tools we already use.",
        "The app is too slow, every page takes ages to load.",
        "This is broken: it shows the wrong number and the sync keeps failing.",
        "It costs too much for a team our size, the pricing doesn't work for us.",
        "Let me do it in bulk in fewer clicks instead of one at a time.",
        "I want to search, filter and schedule things so I can get my work done.",
        "It doesn't support the option we need, so we can't use it for this job.",
        "I'm annoyed it's missing, but I just need the capability to be there and work.",
        "Add a setting to change how it looks and what it shows on the screen.",
    ),
    "psychological": (
        "I want to feel safe and know that my family is protected.",
        "I need peace of mind, to stop worrying that something will go wrong.",
        "I want to feel confident that I made the right decision.",
        "I want to feel in control instead of at the mercy of the system.",
        "I want to be reassured nothing slipped through without checking everything myself.",
        "I want to feel seen and valued, not treated like just another number.",
        "I want to be trusted and treated with respect.",
        "It leaves me anxious and stressed; I want to feel calm.",
        "I want to feel proud of my work and of how far I've come.",
        "I don't want to look bad or be embarrassed in front of other people.",
        "The feature itself matters less than how it makes me feel.",
        "I want someone to notice the effort I put in and recognise it.",
        "I want to feel I belong and that it was made for people like me too.",
        "I just want to know that someone cares and hasn't forgotten about me.",
    ),
}

# Chosen on the development half (see the module's docstring); set from `--choose`'s output.
TOP = 5  # a kind's score: the mean cosine of its TOP nearest prototypes
SLOPE = 23.5  # p(psychological) = 1 / (1 + exp(-(SLOPE * d + OFFSET)))
OFFSET = -0.28
UNSURE = 0.6  # below this confidence the suggestion is "unsure"


@dataclass(frozen=True)
class Value:
    kind: str  # "functional", "psychological" or "unsure"
    confidence: float  # the probability of `leaning`, 0.5 to 1
    leaning: str  # the nearer kind, also when `kind` is "unsure"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "confidence": self.confidence, "leaning": self.leaning}


def prototype_vectors(embedder: Encoder) -> dict[str, np.ndarray]:
    """Each kind's prototypes embedded, once per model."""
    key = embedder.model_name
    if key not in _PROTOTYPES:
        _PROTOTYPES[key] = {kind: embedder.encode(list(PROTOTYPES[kind])) for kind in KINDS}
    return _PROTOTYPES[key]


_PROTOTYPES: dict[str, dict[str, np.ndarray]] = {}


def differences(
    vectors: np.ndarray, prototypes: dict[str, np.ndarray], top: int = TOP
) -> np.ndarray:
    """Per vector, its psychological score minus its functional score (cosines, -2 to 2)."""
    scores = []
    for kind in KINDS:
        similarities = vectors @ prototypes[kind].T
        nearest = -np.sort(-similarities, axis=1)[:, :top]
        scores.append(nearest.mean(axis=1))
    return np.asarray(scores[1] - scores[0], dtype=np.float64)


def probabilities(d: np.ndarray, slope: float = SLOPE, offset: float = OFFSET) -> np.ndarray:
    """p(psychological) of each difference."""
    return 1.0 / (1.0 + np.exp(-(slope * d + offset)))


def suggest(p_psychological: float, unsure: float = UNSURE) -> Value:
    leaning = "psychological" if p_psychological >= 0.5 else "functional"
    confidence = max(p_psychological, 1.0 - p_psychological)
    return Value(leaning if confidence >= unsure else UNSURE_KIND, confidence, leaning)


def classify_vectors(vectors: np.ndarray, embedder: Encoder) -> list[Value]:
    """The kind of value of each already-embedded text (rows normalised, from `embedder`)."""
    if len(vectors) == 0:
        return []
    p = probabilities(differences(vectors, prototype_vectors(embedder)))
    return [suggest(float(row)) for row in p]


def classify(texts: Sequence[str], embedder: Encoder) -> list[Value]:
    """The kind of value each text is about, embedded with `embedder`. An empty text is unsure."""
    texts = [" ".join(text.split()) for text in texts]
    said = [i for i, text in enumerate(texts) if text]
    values = [Value(UNSURE_KIND, 0.5, KINDS[0]) for _ in texts]
    if said:
        found = classify_vectors(embedder.encode([texts[i] for i in said]), embedder)
        for i, value in zip(said, found, strict=True):
            values[i] = value
    return values
