"""Sort a comment on a decision into question (confusion), objection (disagreement) or support.

Seed 003: strong leaders "distinguish between disagreement and confusion". Many questions under a
decision mean it is unclear; many objections mean people understand it and disagree.

A question mark alone cannot tell them apart: "Why would we drop the only feature customers pay
for?" is an objection, "I don't see how this affects the EU launch." is a question. So each
comment becomes

- its normalised embedding (what it says), and
- a few surface cues (a question mark, an interrogative opener, words of confusion, of
  disagreement, of agreement, a negation, a "but"), which the embedding of a short text carries
  only faintly;

and a multinomial logistic regression over them gives p(question), p(objection), p(support).
It is trained on the dev third of benchmarks/data/decision_comments.csv only
(`benchmarks/comment_stance.py --train` writes stance_weights/<model key>.npz); the other two
thirds measure it. A comment that disagrees and commits is an objection whatever the model says:
committing is the person's recorded stance, not agreement. A comment that opens by stating its
stance ("I object: …", "I agree.", "+1, …") is read by those words, not by the model, unless it
goes on to qualify them with a "but".

Where the selected model has no weights, the rules of `baseline` decide, and the reason says so.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from truenorth.analysis import calibration

WEIGHTS = Path(__file__).with_name("stance_weights")
KINDS = ("question", "objection", "support")

INTERROGATIVE = re.compile(
    r"^\W*(?:who|what|what's|when|where|which|why|how|is|are|does|do|did|can|could|will|would|"
    r"should|has|have|was|were)\b",
    re.IGNORECASE,
)
CONFUSION = re.compile(
    r"\b(?:not sure|unclear|not clear|don't understand|do not understand|don't get|don't follow|"
    r"not following|confused|confusing|clarify|explain|help me understand|lost on|can't tell|"
    r"couldn't find|can't find|missing something|struggling to)\b",
    re.IGNORECASE,
)
DISAGREEMENT = re.compile(
    r"\b(?:disagree|against|mistake|wrong|bad|terrible|worse|worst|regret|hurt|kill|lose|"
    r"not convinced|won't work|instead|rather|shouldn't|should have)\b",
    re.IGNORECASE,
)
AGREEMENT = re.compile(
    r"(?:\b(?:agree|agreed|support|supportive|makes sense|good|great|right call|lgtm|on board|"
    r"in favour|in favor|overdue|sensible|happy|yes|love|convinced)\b|\+1|👍)",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:no|not|never|nobody|none|nothing|neither|nor|without|cannot|nope)\b|n't\b",
    re.IGNORECASE,
)
CONTRAST = re.compile(r"\b(?:but|however|though|although)\b", re.IGNORECASE)
# "Disagree and commit" and its plain-language forms: a recorded objection, never support.
COMMITS = re.compile(
    r"disagree(?:,)? (?:and|but) commit|\bi'll commit\b|\bi disagree, but\b",
    re.IGNORECASE,
)
# A stance stated at the start, as a clause of its own: "I object: this ignores the rollout the
# support team depends on" was read as support, 97% sure, by the model (the word "support").
# "I agree with Ana that …" or "+1 to the concern above" takes someone else's side: not stated.
_THIS = r"(?: (?:with |to )?(?:this|it)(?: decision| proposal| change| plan)?)?(?: from me)?"
_CLAUSE_ENDS = r"\s*(?:[:,.;!—–-]|$)"
_AM = r"(?:i(?:'|’)?m|i am)"
_ADVERB = r"(?:(?:strongly|fully|completely|totally|really|also) )?"
STATES_OBJECTION = re.compile(
    rf"^\W*(?:i {_ADVERB}(?:object|disagree|oppose)|{_AM} {_ADVERB}(?:against|opposed)|objection|"
    rf"-1(?!\.\d)){_THIS}{_CLAUSE_ENDS}",
    re.IGNORECASE,
)
STATES_SUPPORT = re.compile(
    rf"^\W*(?:i {_ADVERB}(?:agree|support)|{_AM} {_ADVERB}(?:in favou?r|for)|agreed|"
    rf"\+1(?!\.\d)){_THIS}{_CLAUSE_ENDS}",
    re.IGNORECASE,
)
CUES = ("question mark", "interrogative opener", "confusion", "disagreement", "agreement",
        "negation", "contrast")  # fmt: skip


class NoWeights(RuntimeError):
    """No stance weights were trained for this model and engine."""


@dataclass(frozen=True)
class Stance:
    kind: str  # one of KINDS
    confidence: float  # the probability of `kind`, 0-1 (1 where a rule decided)
    reason: str = ""  # why, where a rule rather than the model decided
    stated: bool = False  # the comment's own words said its kind; the model was not asked


def cues(texts: Sequence[str]) -> np.ndarray:
    """One row of 0/1 surface cues per text, in CUES' order."""
    return np.array([_cues(text) for text in texts], dtype=np.float32).reshape(-1, len(CUES))


def _cues(text: str) -> list[bool]:
    return [
        "?" in text,
        bool(INTERROGATIVE.search(text)),
        bool(CONFUSION.search(text)),
        bool(DISAGREEMENT.search(text)),
        bool(AGREEMENT.search(text)) and not re.search(r"\bdisagree", text, re.IGNORECASE),
        bool(NEGATION.search(text)),
        bool(CONTRAST.search(text)),
    ]


def features(vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """The classifier's input: each text's normalised embedding beside its cues."""
    return np.hstack([vectors, cues(texts)]).astype(np.float32)


def baseline(text: str) -> str:
    """The simple rule the classifier is measured against: a question mark makes a question,
    a negation or a word of disagreement an objection, anything else support."""
    if "?" in text:
        return "question"
    if NEGATION.search(text) or DISAGREEMENT.search(text):
        return "objection"
    return "support"


@dataclass(frozen=True)
class Weights:
    coef: np.ndarray  # kinds × features
    intercept: np.ndarray


@lru_cache(maxsize=4)
def weights(key: str) -> Weights:
    path = WEIGHTS / f"{key}.npz"
    if not path.exists():
        raise NoWeights(f"no stance weights for {key}: run benchmarks/comment_stance.py --train")
    data = np.load(path)
    return Weights(data["coef"], data["intercept"])


def available(dimensions: int) -> bool:
    """Whether the selected model has stance weights for vectors of this many dimensions."""
    if not (WEIGHTS / f"{calibration.selected()}.npz").exists():
        return False
    return weights(calibration.selected()).coef.shape[1] == dimensions + len(CUES)


def probabilities(vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """p(question), p(objection), p(support) per text, under the selected model's weights."""
    if len(texts) == 0:
        return np.zeros((0, len(KINDS)))
    model = weights(calibration.selected())
    logits = features(vectors, texts) @ model.coef.T + model.intercept
    logits -= logits.max(axis=1, keepdims=True)
    odds = np.exp(logits)
    return odds / odds.sum(axis=1, keepdims=True)


def classify(texts: Sequence[str], embedder) -> list[Stance]:
    """The stance of each comment, embedded with `embedder` (an embed.Encoder)."""
    texts = [text.strip() for text in texts]
    if not texts:
        return []
    vectors = embedder.encode(texts)
    if not available(vectors.shape[1]):
        reason = f"rules: no stance weights for {calibration.selected()}"
        return [_ruled(text) or Stance(baseline(text), 1.0, reason) for text in texts]
    p = probabilities(vectors, texts)
    return [
        _ruled(text) or Stance(KINDS[int(np.argmax(row))], float(np.max(row)))
        for text, row in zip(texts, p, strict=True)
    ]


def _ruled(text: str) -> Stance | None:
    if COMMITS.search(text):
        return Stance("objection", 1.0, "disagrees and commits", stated=True)
    return stated(text)


def stated(text: str) -> Stance | None:
    """The stance a comment states at its start ("I object: …", "+1."), unless a "but" or a
    "however" later qualifies it; None where it states none."""
    if CONTRAST.search(text):
        return None
    if STATES_OBJECTION.search(text):
        return Stance("objection", 1.0, "states its objection", stated=True)
    if STATES_SUPPORT.search(text):
        return Stance("support", 1.0, "states its support", stated=True)
    return None
