"""How differently the functions of a business read one term (seed 002: "every function of the
business has a different lens on who their customer is"; seed 004: "the same words, but those
words represent different ideas").

Each function's reading of a term is its definitions (an editor's, or people's own words from a
check-in). The measure, all on the 0-100 human scale of score.py:

  agreement of two functions  the score between their average readings: each function's
                              definitions are embedded, averaged and re-normalised (its
                              centroid), so one odd answer moves its function's reading a little
                              rather than deciding it
  divergence of two functions 100 − their agreement
  a term's divergence         100 − the mean agreement over every pair of functions (0: every
                              function reads it the same; 100: no two share anything). It needs
                              at least two functions.
  contradicting readings      two texts that say opposite things, read on the functions'
                              representative quotes: they give different numbers for the same
                              thing (quantities.py: "7 days" against "30 days"; between two
                              readings of one term, a figure alone of its kind on each side is
                              compared whatever words surround it), or one says "no" or "not"
                              where the other does not and the rest matches (without its "not",
                              the text scores at least relation.CONVEYS against the other: two
                              readings of a term always share its topic), or relation.py's
                              classifier flags them
  agreement, discounted       as fidelity.py discounts a restatement: the agreement × (1 − p),
                              p being 1 for a rule (numbers, "not"), the classifier's
                              p(contradiction) where it flags, else 0. Embeddings put "7 days"
                              and "30 days" close, so without it a contradiction reads as the
                              closest pair of all
  reads differently           a pair whose divergence reaches READS_DIFFERENTLY, or whose
                              readings contradict each other, whatever the distance
  against the canonical       each function's centroid scored against the canonical definition,
                              discounted when its quote contradicts it, so the band and the
                              relation (conveys / partly / contradicts / unrelated) give one
                              verdict: a contradiction is never "shared", since the classifier's
                              cut (0.65) leaves at most 35

A function's representative quote is its definition closest to its centroid: the one that says
best what the function as a whole says. Everything is a fixed computation on the vectors, so the
same texts always give the same figures.

READS_DIFFERENTLY was chosen by benchmarks/term_divergence.py on WordNet 3.0 glosses: pairs of
definitions of the same sense against definitions of different but related senses of one word,
fitted on half of the words and reported on the other half (docs/glossary.md).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from truenorth.analysis import calibration, quantities, relation
from truenorth.analysis.embed import Encoder
from truenorth.analysis.score import score_rows

# The pair divergence at or above which two readings count as different senses of the word:
# the cut of benchmarks/term_divergence.py on its fitting half (the words it does not report on)
# of related senses, the glossary's case (finance's and support's "customer" are both people).
READS_DIFFERENTLY = 84.6

# Why two readings contradict, in plain words that quote neither: a quote may be one that the
# anonymity threshold keeps off the page.
NUMBERS = "{a} and {b} give different numbers for the same thing"
NEGATED = "{a} and {b} say the same thing, but one of them with a “no” or “not”"
# The same rule where the two use mostly different words: "say the same thing" would be untrue
# of "a prospect marketing has not yet handed over" against "a prospect ready to buy".
NEGATED_IN_OTHER_WORDS = (
    "{a} and {b} say opposite things in different words, one with a “no” or “not”"
)
OPPOSITE = "{a} and {b} say opposite things"


@dataclass(frozen=True)
class Contradiction:
    """Whether two texts say opposite things, and how sure: `chance` is 1 for a rule (numbers,
    a negation), the classifier's p(contradiction) where it flags, else 0."""

    chance: float = 0.0
    reason: str = ""  # NUMBERS, NEGATED, NEGATED_IN_OTHER_WORDS or OPPOSITE; "" for none

    def why(self, a: str, b: str) -> str:
        return self.reason.format(a=a, b=b)


@dataclass(frozen=True)
class FunctionReading:
    """One function's reading of the term, against the canonical definition."""

    function: str
    definitions: int
    quote: str  # the definition closest to the function's centroid
    # 0-100 against the canonical, discounted by the chance that it contradicts it; None
    # without a canonical definition
    score: float | None
    relation: str  # one of relation.RELATIONS, "" without a canonical definition
    contradiction: str = ""  # why it contradicts the canonical definition, in plain words


@dataclass(frozen=True)
class PairReading:
    """How far two functions' readings are apart."""

    first: str
    second: str
    agreement: float  # 0-100, discounted by the chance that the two contradict each other
    first_quote: str
    second_quote: str
    contradiction: str = ""  # why the two readings contradict each other, in plain words

    @property
    def divergence(self) -> float:
        return 100.0 - self.agreement

    @property
    def reads_differently(self) -> bool:
        return self.divergence >= READS_DIFFERENTLY or bool(self.contradiction)


@dataclass(frozen=True)
class Divergence:
    term: str
    functions: list[FunctionReading]
    pairs: list[PairReading] = field(default_factory=list)  # flagged, then furthest apart first

    @property
    def divergence(self) -> float | None:
        """100 − the mean agreement of every pair of functions; None below two functions."""
        if not self.pairs:
            return None
        return 100.0 - float(np.mean([p.agreement for p in self.pairs]))

    @property
    def furthest(self) -> PairReading | None:
        return self.pairs[0] if self.pairs else None

    @property
    def read_differently(self) -> list[PairReading]:
        return [p for p in self.pairs if p.reads_differently]

    def sentence(self) -> str:
        """The finding in plain words."""
        if self.furthest is None:
            return f"'{self.term}' needs definitions from two functions to compare."
        pair = self.furthest
        if pair.contradiction:
            return f"{pair.first} and {pair.second} contradict each other on '{self.term}'."
        if pair.reads_differently:
            return f"{pair.first} and {pair.second} read '{self.term}' differently."
        # Not "they read it the same": between related senses the cut flags 30% of the pairs
        # that differ (docs/glossary.md), so no flag is no proof of a shared meaning.
        return (
            f"No two functions read '{self.term}' far enough apart to flag; {pair.first} and "
            f"{pair.second} are furthest apart."
        )


def measure(
    term: str,
    canonical: str,
    readings: Mapping[str, Sequence[str]],
    embedder: Encoder,
) -> Divergence:
    """Each function's reading against `canonical` and against each other function's.
    `readings` maps a function's name to its definitions; functions with none are left out."""
    texts = {name: [t for t in found if t.strip()] for name, found in readings.items()}
    texts = {name: found for name, found in sorted(texts.items()) if found}
    centroids, quotes = {}, {}
    for name, found in texts.items():
        centroids[name], quotes[name] = centroid_and_quote(found, embedder.encode(found))
    functions = against_canonical(canonical, texts, centroids, quotes, embedder)
    together = list(combinations(texts, 2))
    clashes = contradictions(
        [quotes[a] for a, _ in together], [quotes[b] for _, b in together], embedder
    )
    pairs = [
        PairReading(
            a,
            b,
            agreement(centroids[a], centroids[b]) * (1.0 - clash.chance),
            quotes[a],
            quotes[b],
            clash.why(a, b),
        )
        for (a, b), clash in zip(together, clashes, strict=True)
    ]
    # Flagged pairs first: a contradiction the classifier discounts to 30 is flagged, a pair 80
    # apart is not, and the first pair is the one the list and the dashboard name.
    pairs.sort(key=lambda p: (not p.reads_differently, p.agreement, p.first, p.second))
    return Divergence(term, functions, pairs)


def centroid_and_quote(texts: Sequence[str], vectors: np.ndarray) -> tuple[np.ndarray, str]:
    """The normalised mean of a function's vectors, and its text closest to that mean (the first
    such text on a tie, so the choice does not depend on chance)."""
    mean = vectors.mean(axis=0)
    centroid = mean / (np.linalg.norm(mean) or 1.0)
    closest = int(np.argmax(vectors @ centroid))
    return centroid.astype(np.float32), texts[closest]


def agreement(a: np.ndarray, b: np.ndarray) -> float:
    """The 0-100 score of two normalised vectors."""
    return float(score_rows(a[np.newaxis], b[np.newaxis])[0])


def pair_divergence(a: str, b: str, embedder: Encoder) -> float:
    """How differently two single definitions read (see pair_divergences)."""
    return pair_divergences([a], [b], embedder)[0][0]


def pair_divergences(
    firsts: Sequence[str], seconds: Sequence[str], embedder: Encoder
) -> tuple[list[float], list[Contradiction]]:
    """How differently each pair of single definitions reads (100 − their score, discounted
    when they contradict each other), and the contradiction read: the element the term's
    divergence is built from, and what the benchmark validates."""
    found = contradictions(firsts, seconds, embedder)
    if not found:
        return [], []
    scores = score_rows(embedder.encode(list(firsts)), embedder.encode(list(seconds)))
    apart = [100.0 - float(s) * (1.0 - c.chance) for s, c in zip(scores, found, strict=True)]
    return apart, found


def contradictions(
    firsts: Sequence[str], seconds: Sequence[str], embedder: Encoder
) -> list[Contradiction]:
    """Whether each first text and its second say opposite things (the module's docstring)."""
    if not firsts:
        return []
    a, b = embedder.encode(list(firsts)), embedder.encode(list(seconds))
    classified = relation.available(a.shape[1])
    p = relation.probabilities(a, b, firsts, seconds)[:, 2] if classified else np.zeros(len(a))
    cut = relation.classifier(calibration.selected()).contradicts if classified else 1.0
    found = []
    for x, y, chance in zip(firsts, seconds, p, strict=True):
        if different_numbers(x, y):
            found.append(Contradiction(1.0, NUMBERS))
        elif negated_on_one_side(x, y) and same_but_for_negation(x, y, embedder):
            found.append(
                Contradiction(1.0, NEGATED if most_words_shared(x, y) else NEGATED_IN_OTHER_WORDS)
            )
        elif chance >= cut:
            found.append(Contradiction(float(chance), OPPOSITE))
        else:
            found.append(Contradiction())
    return found


def different_numbers(a: str, b: str) -> bool:
    """Whether either text gives another number than the other for the same thing. Two
    readings of one term are about the same thing whatever words stand around their figures
    ("active in the last 30 days", "used it within a week"), so a figure alone of its kind on
    each side is also compared alone."""
    if relation.number_conflict(a, b) or relation.number_conflict(b, a):
        return True
    mine, theirs = lone_figures(a), lone_figures(b)
    return any(
        quantities.conflicts(mine[kind].text, theirs[kind].text) for kind in mine.keys() & theirs
    )


def lone_figures(text: str) -> dict[str, quantities.Quantity]:
    """Each kind of quantity the text gives exactly one of."""
    found = quantities.extracted(text)
    kinds = [q.kind for q in found]
    return {q.kind: q for q in found if kinds.count(q.kind) == 1}


def negated_on_one_side(a: str, b: str) -> bool:
    """One says "no" or "not" and the other does not ("has not used" against "used")."""
    return (relation.negations(a) > 0) != (relation.negations(b) > 0)


def same_but_for_negation(a: str, b: str, embedder: Encoder) -> bool:
    """Whether the rest matches: with its "no" and "not" taken out, the negated text says
    roughly what the other says (relation.CONVEYS). Sharing the topic is not enough: two
    readings of one term always share it, and a "not" anywhere in one ("whoever opens a ticket
    because an invoice did not capture", against "the legal entity that pays our invoice", 35)
    had read as contradicting."""
    negated, other = (a, b) if relation.negations(a) else (b, a)
    rest = " ".join(relation.NEGATION.sub(" ", negated).split())
    vectors = embedder.encode([rest, other])
    return agreement(vectors[0], vectors[1]) >= relation.CONVEYS


WORD = re.compile(r"\w+")


def most_words_shared(a: str, b: str) -> bool:
    """Whether, their "no" and "not" aside, at least half of the words either text uses are in
    both: only then does "the same thing, but with a 'not'" describe the two."""
    mine, theirs = (set(WORD.findall(relation.NEGATION.sub(" ", t).lower())) for t in (a, b))
    return len(mine & theirs) >= len(mine | theirs) / 2


def against_canonical(
    canonical: str,
    texts: Mapping[str, Sequence[str]],
    centroids: Mapping[str, np.ndarray],
    quotes: Mapping[str, str],
    embedder: Encoder,
) -> list[FunctionReading]:
    names = list(texts)
    if not canonical.strip() or not names:
        return [FunctionReading(n, len(texts[n]), quotes[n], None, "") for n in names]
    source = embedder.encode([canonical])[0]
    found = contradictions([quotes[n] for n in names], [canonical] * len(names), embedder)
    readings = []
    for name, clash in zip(names, found, strict=True):
        score = agreement(centroids[name], source)
        # One verdict: a contradiction discounts the score as fidelity.py's does, so the band
        # cannot call "shared" what the relation calls "contradicts".
        said = "contradicts" if clash.reason else relation.decide(score, 0.0, classified=False)
        why = clash.why(name, "the canonical definition")
        discounted = score * (1.0 - clash.chance)
        readings.append(
            FunctionReading(name, len(texts[name]), quotes[name], discounted, said, why)
        )
    return readings
