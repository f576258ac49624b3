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
  reads differently           a pair whose divergence reaches READS_DIFFERENTLY
  against the canonical       each function's centroid scored against the canonical definition,
                              with the relation of relation.py (conveys / partly / contradicts /
                              unrelated): the classifier's contradiction flag is read on the
                              function's representative quote, the strength on its centroid

A function's representative quote is its definition closest to its centroid: the one that says
best what the function as a whole says. Everything is a fixed computation on the vectors, so the
same texts always give the same figures.

READS_DIFFERENTLY was chosen by benchmarks/term_divergence.py on WordNet 3.0 glosses: pairs of
definitions of the same sense against definitions of different but related senses of one word,
fitted on half of the words and reported on the other half (docs/glossary.md).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from truenorth.analysis import relation
from truenorth.analysis.embed import Encoder
from truenorth.analysis.score import score_rows

# The pair divergence at or above which two readings count as different senses of the word:
# the cut of benchmarks/term_divergence.py on its fitting half (the words it does not report on)
# of related senses, the glossary's case (finance's and support's "customer" are both people).
READS_DIFFERENTLY = 84.6


@dataclass(frozen=True)
class FunctionReading:
    """One function's reading of the term, against the canonical definition."""

    function: str
    definitions: int
    quote: str  # the definition closest to the function's centroid
    score: float | None  # 0-100 against the canonical; None without a canonical definition
    relation: str  # one of relation.RELATIONS, "" without a canonical definition


@dataclass(frozen=True)
class PairReading:
    """How far two functions' readings are apart."""

    first: str
    second: str
    agreement: float  # 0-100
    first_quote: str
    second_quote: str

    @property
    def divergence(self) -> float:
        return 100.0 - self.agreement

    @property
    def reads_differently(self) -> bool:
        return self.divergence >= READS_DIFFERENTLY


@dataclass(frozen=True)
class Divergence:
    term: str
    functions: list[FunctionReading]
    pairs: list[PairReading] = field(default_factory=list)  # furthest apart first

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
        if pair.reads_differently:
            return f"{pair.first} and {pair.second} read '{self.term}' differently."
        # Not "they read it the same": between related senses the cut flags 29% of the pairs
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
    pairs = [
        PairReading(a, b, agreement(centroids[a], centroids[b]), quotes[a], quotes[b])
        for a, b in combinations(texts, 2)
    ]
    pairs.sort(key=lambda p: (p.agreement, p.first, p.second))
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
    """How differently two single definitions read (100 − their score): the element the term's
    divergence is built from, and what the benchmark validates."""
    vectors = embedder.encode([a, b])
    return 100.0 - agreement(vectors[0], vectors[1])


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
    scores = [agreement(centroids[n], source) for n in names]
    flags = contradiction_flags(canonical, [quotes[n] for n in names], source, embedder)
    classified = relation.available(len(source))
    return [
        FunctionReading(
            n, len(texts[n]), quotes[n], score, relation.decide(score, p, why, classified)
        )
        for n, score, (p, why) in zip(names, scores, flags, strict=True)
    ]


def contradiction_flags(
    canonical: str, quotes: Sequence[str], source: np.ndarray, embedder: Encoder
) -> list[tuple[float, str]]:
    """(p(contradiction), a rule's reason) of each quote against the canonical definition."""
    if not relation.available(len(source)):
        return [(0.0, "") for _ in quotes]
    vectors = embedder.encode(list(quotes))
    sources = np.repeat(source[None, :], len(quotes), axis=0)
    found = relation.relations(vectors, sources, list(quotes), [canonical] * len(quotes))
    return [(r.p_contradiction, r.reason) for r in found]
