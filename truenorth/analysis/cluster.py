"""Answers grouped into interpretations, for 5 answers as for 10,000.

Two groups of answers are one interpretation while the average score between them is at least
SAME_READING = 50: halfway between "share some details" (40) and "roughly the same" (60) on the
human scale. Average linkage compares every pair across two groups, and people restating one
idea in their own words rarely score "roughly the same" on every pair, so the cut sits below 60.
Average-linkage agglomerative clustering with that cut needs no number of clusters and no
minimum cluster size, so 5 answers give sensible groups (density-based topic models give none
below a few dozen). Above DIRECT_LIMIT answers, k-means first cuts the answers into a few hundred
tight pieces, and the same linkage merges the pieces, which keeps time and memory near linear.

Close in meaning is not saying the same: "logged in this week" and "logged in this month", or
"OCR stays on Scanly" and "we are switching OCR to Docuread", sit as close as two wordings of one
answer. So each interpretation is then split where its answers contradict each other (see
`apart`): a different number for the same thing (quantities.py), a negation the relation
classifier reads as a contradiction (relation.py), or the opposite stance on a change
(decision_reading.stance, clause by clause). Only answers whose cheap signs differ (their
numbers, whether they negate, their stance) are compared, a few of each kind, so a reading of
thousands costs little. The classifier errs on the side of splitting: it reads "replacing the
clerk, so no clerk is needed" as contradicting "replaces the clerk". A reading split wrongly is
quoted less; one merged wrongly quotes a person nobody else agrees with.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from truenorth.analysis import decision_reading, quantities, relation
from truenorth.analysis.score import score_rows, score_to_cosine

SAME_READING = 50.0
DIRECT_LIMIT = 2000
PIECES = 300
REPRESENTATIVES = 3  # answers of each kind compared for a contradiction: the closest first
PHRASE_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*|[,;:.!?()\u2013\u2014]")
# Where a negation's phrase ends: "do not go from inbox to paid" negates going, not the inbox.
PHRASE_END = {
    "and", "but", "so", "because", "while", "although", "though", "which", "that", "then", "as",
    "from", "to", "in", "at", "with", "by", "of", "on", "into", "onto", "for", "after", "before",
}  # fmt: skip
NOT_NEGATING = {"matter", "only", "doubt", "wonder"}  # "no matter", "not only": no negation
NEGATION_GOES_ON = {"longer"}  # "no longer retyped" negates retyping, not "longer"


@dataclass
class Interpretation:
    members: list[int]
    centroid: np.ndarray
    quotes: list[int] = field(default_factory=list)  # members closest to the centroid
    words: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


def distance_cut(score: float = SAME_READING) -> float:
    return 1.0 - score_to_cosine(score)


def cluster_labels(vectors: np.ndarray, score: float = SAME_READING) -> np.ndarray:
    """A label per answer; equal labels share an interpretation."""
    return linkage_labels(vectors, score_to_cosine(score))


def linkage_labels(vectors: np.ndarray, cosine: float) -> np.ndarray:
    """A label per vector: average linkage, cut where the mean cosine between two groups falls
    below `cosine`."""
    n = len(vectors)
    if n < 2:
        return np.zeros(n, dtype=int)
    if n <= DIRECT_LIMIT:
        return _link(vectors, cosine)
    piece_of, centres = pieces(vectors)
    return np.asarray(_link(centres, cosine)[piece_of])


def pieces(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of PIECES tight pieces each vector falls in, and the pieces' unit-length centres."""
    # The pieces only need to be tight; the merge decides. Random centres and three passes
    # instead of k-means++ and up to a hundred take a sixth of the time, and the groups agree
    # with k-means++'s nearly as well as k-means++ agrees with itself under another seed
    # (adjusted Rand 0.43 and 0.47 on 10,000 sentences: benchmarks/analysis_work.py).
    kmeans = MiniBatchKMeans(
        n_clusters=PIECES, random_state=0, n_init=1, batch_size=2048, init="random", max_iter=3
    )
    piece_of = kmeans.fit_predict(vectors)
    centres = kmeans.cluster_centers_
    return piece_of, centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)


def _agglomerate(vectors: np.ndarray, score: float) -> np.ndarray:
    return _link(vectors, score_to_cosine(score))


def _link(vectors: np.ndarray, cosine: float) -> np.ndarray:
    # Cosine distances from one matrix product: scipy's pairwise loop took most of the time of
    # linking 2,000 answers, and a check-in links dozens of groups (each theme's readings).
    unit = np.asarray(vectors, dtype=np.float64)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    distances = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - cosine
    )
    return np.asarray(model.fit_predict(distances))


def reading_labels(
    vectors: np.ndarray, texts: Sequence[str], denying: Collection[int] = ()
) -> np.ndarray:
    """A label per answer, as cluster_labels, with each group split where its answers
    contradict each other, and where some of them deny the source the others restate
    (`denying`, by index: fidelity.denies against the vision). Two answers can deny each other
    in different words ("not trying to automate invoices" against "never have to key them in")
    that no rule here compares; each read against the vision, one denies it and one does not."""
    labels = cluster_labels(vectors)
    split = np.array(labels, copy=True)
    fresh = int(labels.max()) + 1 if len(labels) else 0
    flagged = np.isin(np.arange(len(labels)), list(denying))
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        for part in apart(members, vectors, texts)[1:]:
            split[part] = fresh
            fresh += 1
    for label in np.unique(split):
        members = split == label
        if flagged[members].any() and not flagged[members].all():
            split[members & flagged] = fresh
            fresh += 1
    return split


def apart(members: np.ndarray, vectors: np.ndarray, texts: Sequence[str]) -> list[list[int]]:
    """One group's answers in parts no two answers of which contradict each other, largest
    first. Answers alike in their signs (see `signs`) cannot contradict each other by any rule
    used here, so they stay together as one kind; kinds are placed largest first, each in the
    first part holding no kind it contradicts (by `contradicting_kinds`, or by negating what an
    answer of the part says: see `negated_words`), else in a part of its own."""
    centroid = vectors[members].mean(axis=0)
    closest_first = members[np.argsort(-(vectors[members] @ centroid), kind="stable")]
    kinds: dict[tuple, list[int]] = {}
    for m in closest_first:
        kinds.setdefault(signs(texts[m]) + (negated_words(texts[m])[0],), []).append(int(m))
    if len(kinds) == 1:
        return [[int(m) for m in members]]
    found = list(kinds.values())
    clashes = contradicting_kinds(found, vectors, texts)
    parts: list[Part] = []
    for kind in sorted(range(len(found)), key=lambda k: -len(found[k])):
        negated, said = words_of(found[kind], texts)
        home = next(
            (
                part
                for part in parts
                if not any((k, kind) in clashes for k in part.kinds)
                and not (negated & part.said or said & part.negated)
            ),
            None,
        )
        if home is None:
            home = Part()
            parts.append(home)
        home.kinds.append(kind)
        home.negated |= negated
        home.said |= said
    return [sorted(m for k in part.kinds for m in found[k]) for part in parts]


@dataclass
class Part:
    """Kinds of answers placed in one reading, and the words its answers negate or say."""

    kinds: list[int] = field(default_factory=list)
    negated: set[str] = field(default_factory=set)
    said: set[str] = field(default_factory=set)


def words_of(kind: list[int], texts: Sequence[str]) -> tuple[set[str], set[str]]:
    """The words a kind's REPRESENTATIVES closest answers negate, and those they say."""
    negated: set[str] = set()
    said: set[str] = set()
    for m in kind[:REPRESENTATIVES]:
        no, yes = negated_words(texts[m])
        negated |= no
        said |= yes
    return negated, said


@lru_cache(maxsize=65536)
def negated_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words an answer only negates, and those it only says, cut to a rough stem ("retyping"
    and "retyped" are one word). A negation ("not", "without", "no more": relation.negations)
    negates the first word of substance after it, and after each "or" up to the end of its
    phrase (a punctuation mark, a conjunction, a preposition): "without anyone retyping it or
    chasing an approver" negates retyping and chasing; the other words of the phrase (it, an
    approver) are neither; "no longer retyped" negates retyping. An answer that negates a word
    another says contradicts it: "do not go from inbox to paid" against "goes from inbox to
    paid", "not for mid-market teams" against "a mid-market team", "will still be retyped" or
    "keep retyping" against "without anyone retyping it" or "no longer retyped". The relation
    classifier had read those pairs as alike, and had never been asked of the first two: a
    "without" in one and a "not" in the other looked the same."""
    negated, said = set(), set()
    inside = expecting = False
    tokens = PHRASE_TOKEN.findall(text.casefold().replace("\u2019", "'"))
    for before, token in zip([""] + tokens[:-1], tokens, strict=True):
        if not token[0].isalnum() or (inside and not expecting and token in PHRASE_END):
            inside = expecting = False
        elif relation.negations(token):
            inside = expecting = True
        elif inside and token == "or":
            expecting = True
        elif expecting and token in NOT_NEGATING and relation.negations(before):
            inside = expecting = False  # "no matter how fast the company grows" says it grows
        elif expecting and token in NEGATION_GOES_ON:
            continue
        elif token not in ENGLISH_STOP_WORDS and len(token) > 1:
            if not inside:
                said.add(stem(token))
            elif expecting:
                negated.add(stem(token))
                expecting = False
    return frozenset(negated - said), frozenset(said - negated)


def stem(word: str) -> str:
    """A word without its hyphens and its commonest ending: "re-typing", "retyped" and "retype"
    are "retyp"."""
    word = word.replace("-", "")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def signs(text: str) -> tuple:
    """What two answers must differ in to contradict each other by the rules of `contradict`:
    the numbers they give, whether they negate, and their stance on a change."""
    numbers = tuple(sorted((q.kind, q.unit, q.low, q.high) for q in quantities.extracted(text)))
    return numbers, relation.negations(text) > 0, stance(text)


def stance(text: str) -> int:
    """The stance its clauses take on a change (decision_reading.stance), where they agree: read
    whole, "replacing the clerk, so no clerk is needed" would keep, for its "no"."""
    taken = {decision_reading.stance(c) for c in decision_reading.stance_clauses(text)} - {0}
    return taken.pop() if len(taken) == 1 else 0


def contradicting_kinds(
    kinds: list[list[int]], vectors: np.ndarray, texts: Sequence[str]
) -> set[tuple[int, int]]:
    """The pairs of kinds (both orders) where one of the REPRESENTATIVES closest answers of
    one contradicts one of the other's: only kinds whose signs differ where a rule reads them."""
    pairs, of = [], []
    for i, j in combinations(range(len(kinds)), 2):
        a, b = signs(texts[kinds[i][0]]), signs(texts[kinds[j][0]])
        numbers_differ = bool(a[0] and b[0])  # both give numbers, and not the same ones
        if numbers_differ or a[1] != b[1] or a[2] * b[2] < 0:
            for x in kinds[i][:REPRESENTATIVES]:
                for y in kinds[j][:REPRESENTATIVES]:
                    pairs.append((x, y))
                    of.append((i, j))
    found = contradict(pairs, vectors, texts)
    return {p for p, yes in zip(of, found, strict=True) if yes} | {
        (j, i) for (i, j), yes in zip(of, found, strict=True) if yes
    }


def contradict(
    pairs: list[tuple[int, int]], vectors: np.ndarray, texts: Sequence[str]
) -> list[bool]:
    """Whether each pair of answers contradicts: relation.py's reading of the pair (a number
    conflict either way, or the classifier's flag), or, on one topic (a score of at least
    relation.SHARES_DETAILS), one answer changing what the other keeps."""
    if not pairs:
        return []
    first, second = [x for x, _ in pairs], [y for _, y in pairs]
    a, b = [texts[x] for x in first], [texts[y] for y in second]
    read = relation.relations(vectors[first], vectors[second], a, b)
    scores = score_rows(vectors[first], vectors[second])
    return [
        r.name == "contradicts"
        or bool(relation.number_conflict(y, x))
        or (stance(x) * stance(y) < 0 and score >= relation.SHARES_DETAILS)
        for r, x, y, score in zip(read, a, b, scores, strict=True)
    ]


def interpretations(
    vectors: np.ndarray,
    texts: list[str],
    quotes: int = 3,
    words: "WordCounts | None" = None,
    min_answers: int = 1,
    authors: Sequence[object] | None = None,
    denying: Collection[int] = (),
) -> list[Interpretation]:
    """Interpretations, largest first, each with its closest quotes and distinctive words.
    `words`, the texts' WordCounts, saves reading them again when the caller has them; a word
    is an interpretation's only when at least `min_answers` of its answers use it (the
    anonymity threshold, so that no word of one person's answer names a group), or, with
    `authors` (who wrote each text, where one person writes several), that many people.
    Answers in `denying` (by index) share no interpretation with the others (reading_labels)."""
    labels = reading_labels(vectors, texts, denying)
    groups = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        centroid = vectors[members].mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        closest = members[np.argsort(-(vectors[members] @ centroid))]
        chosen = distinct_quotes([int(m) for m in closest], texts, authors)[:quotes]
        groups.append(Interpretation([int(m) for m in members], centroid, chosen))
    groups.sort(key=lambda g: (-g.size, g.members[0]))
    words = words if words is not None else WordCounts(texts)
    found = distinctive_words(
        words, [g.members for g in groups], min_answers=min_answers, authors=authors
    )
    for group, distinctive in zip(groups, found, strict=True):
        group.words = distinctive
    return groups


def distinct_quotes(
    closest_first: list[int], texts: list[str], authors: Sequence[object] | None
) -> list[int]:
    """The members closest first, each text once and each author once: three quotes of
    "win the big deal", or three of one person's priorities, say less than three voices."""
    seen_texts: set[str] = set()
    seen_authors: set[object] = set()
    chosen = []
    for m in closest_first:
        text, author = texts[m].strip().casefold(), authors[m] if authors is not None else m
        if text not in seen_texts and author not in seen_authors:
            chosen.append(m)
            seen_texts.add(text)
            seen_authors.add(author)
    return chosen


class WordCounts:
    """Each text's words and word pairs, English stop words left out: read once, then summed for
    any grouping of the same texts. A check-in groups one question's answers many ways (its
    interpretations, its themes, each theme's readings), and reading 10,000 answers again for
    each grouping cost more than the grouping itself."""

    def __init__(self, texts: list[str]):
        # Each distinct text read once: priorities repeat ("ERP sync" named by hundreds).
        distinct, row_of = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2))
        try:
            counts = csr_matrix(vectorizer.fit_transform(list(distinct)), dtype=float)
            self.counts, self.terms = counts[row_of], vectorizer.get_feature_names_out()
        except ValueError:  # nothing but stop words
            self.counts = csr_matrix((len(texts), 0), dtype=float)
            self.terms = np.array([], dtype=object)

    def of(self, rows: Sequence[int]) -> "WordCounts":
        """The counts of some of the texts, in the order given."""
        subset = WordCounts.__new__(WordCounts)
        subset.counts, subset.terms = self.counts[np.asarray(rows, dtype=int)], self.terms
        return subset

    def of_groups(self, groups: list[list[int]], users: bool = False) -> csr_matrix:
        """groups x terms: each group's counts summed over its texts; with `users`, how many of
        its texts use each term."""
        rows = [m for members in groups for m in members]
        counts = self.counts[rows]
        indicator = summing(np.repeat(np.arange(len(groups)), [len(g) for g in groups]))
        return csr_matrix(indicator @ (counts > 0).astype(float) if users else indicator @ counts)

    def authors_of_groups(self, groups: list[list[int]], authors: Sequence[object]) -> csr_matrix:
        """groups x terms: how many different authors of each group's texts use each term."""
        units: dict[tuple[int, object], int] = {}  # (group, author): one row each
        rows, unit_of = [], []
        for g, members in enumerate(groups):
            for m in members:
                rows.append(m)
                unit_of.append(units.setdefault((g, authors[m]), len(units)))
        uses = summing(np.array(unit_of, dtype=int)) @ (self.counts[rows] > 0).astype(float) > 0
        group_of_unit = np.array([g for g, _ in units], dtype=int)
        return csr_matrix(summing(group_of_unit) @ uses.astype(float))


def summing(row_of: np.ndarray) -> csr_matrix:
    """The matrix that sums rows into their groups: (groups x rows), one 1 per row."""
    n = len(row_of)
    groups = int(row_of.max()) + 1 if n else 0
    return csr_matrix((np.ones(n), (row_of, np.arange(n))), shape=(groups, n))


def distinctive_words(
    words: WordCounts,
    groups: list[list[int]],
    top: int = 5,
    min_answers: int = 1,
    authors: Sequence[object] | None = None,
) -> list[list[str]]:
    """Class-based TF-IDF: words frequent in a group and rare in the others, each used by at
    least `min_answers` of the group's texts (of its authors, where `authors` says whose each
    text is)."""
    if not groups:
        return []
    counts = words.of_groups(groups)  # sparse: groups x terms
    if min_answers > 1:
        users = (
            words.of_groups(groups, users=True)
            if authors is None
            else words.authors_of_groups(groups, authors)
        )
        counts = counts.multiply(users >= min_answers).tocsr()
    words_per_group = np.asarray(counts.sum(axis=1)).ravel()
    average_words = words_per_group.sum() / len(groups)
    idf = np.log(1 + average_words / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1))
    # Kept sparse: ten thousand answers have a hundred thousand distinct word pairs.
    weights = csr_matrix(counts.multiply(1 / np.maximum(words_per_group, 1)[:, None]).multiply(idf))
    return [top_terms(weights, row, words.terms, top) for row in range(len(groups))]


def top_terms(weights: csr_matrix, row: int, terms: np.ndarray, top: int) -> list[str]:
    start, end = weights.indptr[row], weights.indptr[row + 1]
    values, columns = weights.data[start:end], weights.indices[start:end]
    best = np.lexsort((columns, -values))[:top]  # ties alphabetically: the same words every run
    return [str(terms[columns[i]]) for i in best if values[i] > 0]
