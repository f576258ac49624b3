"""Answers to one question grouped twice: themes (what people talk about), then readings.

Answers that say nothing ("n/a", "nothing", "-": see `no_answer`) are set apart first. The rest
are centred: the mean of the question's answers is taken off each, and the rest scaled back to
unit length, so what every answer shares (the question's own subject: "Dask", "the app") no
longer makes unrelated answers look alike. Average linkage on the centred answers joins two
groups while the mean cosine between them is above THEME_PERCENTILE % of all pairs of this
question's answers (and above 0, as close as two answers picked at random): a cut relative to
the question, so it needs no number of themes and reads the same under another model. Then each
theme too small to be shown (under the anonymity threshold, or THEME_SHARE of the answers when
that is more) joins, smallest first, the theme its answers are closest to, unless the two average
under MERGE_FLOOR on the 0-100 score: a topic nobody else raised stays a small theme of its own,
hidden, rather than being filed under another. Above DIRECT_LIMIT answers, cluster.py's k-means
pieces are linked instead of answers, by the mean cosine between their answers, so time and
memory stay near linear. Answers that say the same thing (a chain of pairs scoring SAME_ANSWER or
more) are one theme whatever the cut: centred, copies of one sentence are rounding noise. Within
each theme, its readings are cluster.interpretations() of its answers, at the same-reading cut
(cluster.SAME_READING), and its quotes are each text once. A theme's label is its best distinctive
word or phrase and the next one that adds words (see `theme_words`).

Every cut is chosen on development data only, by `benchmarks/theme_quality.py --choose`, and
the figures are in docs/analysis.md:

- THEME_PERCENTILE = 72.5, THEME_SHARE = 0.01: on the development halves of four labelled sets
  (app reviews by label, GitHub issues by label and by repository, Jira issues by project), the
  best mean adjusted Rand index of the settings that keep 80 % of the answers in themes a page can
  show and give at least one shown theme per 100 answers on every set. Without that last
  condition the coarsest setting always wins: a handful of labels rewards a handful of themes.
- MERGE_FLOOR = 10: the score that best tells STS dev pairs most raters put on at least the same
  topic (human rating 0.5 or more) from the rest: 12.5, rounded to 5 points as the other cuts
  are (accuracy 0.925 and 0.922).
- SAME_ANSWER = 90 is not tuned: the middle of the scale's top band ("mostly equivalent" to
  "the same"), above which a reworded copy ("…the touchless rate…" for "…the touchless invoice
  rate…", 93) still sits.
"""

import heapq
import math
import re
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from truenorth.analysis.cluster import (
    DIRECT_LIMIT,
    Interpretation,
    WordCounts,
    distinct_quotes,
    interpretations,
    linkage_labels,
    pieces,
)
from truenorth.analysis.coherence import EXACT_LIMIT, sample
from truenorth.analysis.score import score_to_cosine

THEME_PERCENTILE = 72.5  # the cut between themes, as a percentile of the question's pairs
THEME_SHARE = 0.01  # the smallest theme left alone, as a share of the answers
MERGE_FLOOR = 10.0  # the score under which a small theme stays apart: different topics
SAME_ANSWER = 90.0  # the score at which two answers say the same thing: one theme, always
SAME_ANSWER_CHUNK = 1024  # answers compared with all the others at once
QUOTES = 3
LABEL_WORDS = 4
QUOTE_PHRASE_END = re.compile(r"[:;,.?!()\u2013\u2014]|\s-\s")

# What a no-answer is made of: refusals, and the words people wrap them in ("nothing to add at
# this time", "I don't know", "n/a"). A no-answer has no other word; one word of substance
# ("nothing works", "no dark mode") makes it an answer.
REFUSALS = {"n/a", "na", "nothing", "none", "no", "nope", "nah", "nil", "null", "idk", "dunno"}
WRAPPING = {
    "i", "me", "my", "a", "an", "the", "to", "of", "at", "in", "for", "from", "all", "this", "that",
    "it", "is", "am", "are", "have", "has", "do", "don't", "dont", "can't", "cant", "not", "sure",
    "know", "think", "really", "so", "far", "yet", "else", "more", "much", "here", "now", "moment",
    "time", "currently", "any", "anything", "particular", "specific", "other", "than", "thing",
    "things", "comment", "comments", "add", "say", "idea", "answer", "applicable", "that's",
    "it's", "i'm",
}  # fmt: skip
# Letters and digits of any script: an answer in Japanese says something ("承認アプリはいつ"),
# and read with a-z alone it had been taken for saying nothing, and left out of every theme.
WORD = re.compile(r"[^\W_](?:[^\W_]|['/])*")

# Words a label never is: scikit-learn's English list, less the words in it that name something
# a person could ask for ("system", "detail", "interest", "call", "fire"...), and the wrapping of
# a no-answer ("think", "sure", "really").
LABEL_STOP_WORDS = sorted(
    ENGLISH_STOP_WORDS
    - {"system", "computer", "detail", "interest", "call", "fire", "bill", "empty", "full", "top"}
    - {"front", "side", "name", "part", "move", "show", "find", "describe", "amount", "back"}
    | {token for word in WRAPPING for token in re.findall(r"\b\w\w+\b", word)}
)


@dataclass
class Theme:
    members: list[int]
    centroid: np.ndarray
    label: str = ""  # 1-4 words a product manager reads at a glance
    words: list[str] = field(default_factory=list)  # distinctive words, best first
    quotes: list[int] = field(default_factory=list)  # closest to the centroid, each text once
    readings: list[Interpretation] = field(default_factory=list)  # members are answer indices

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class Themes:
    themes: list[Theme]  # largest first
    no_answers: list[int]  # answers that say nothing ("n/a", "nothing", "-")


def no_answer(text: str) -> bool:
    """Whether an answer says nothing: empty, punctuation, or only refusals and their wrapping."""
    words = WORD.findall(text.lower().replace(".", "").replace("\u2019", "'"))
    return all(w.strip("'") in REFUSALS or w.strip("'") in WRAPPING for w in words)


def centred(vectors: np.ndarray) -> np.ndarray:
    """The answers less what they all share (the question's own subject), at unit length. An
    answer with nothing left (every answer the same) keeps its own vector."""
    centred = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return np.where(norms > 1e-6, centred / np.maximum(norms, 1e-6), vectors)


def theme_labels(
    vectors: np.ndarray,
    min_size: int,
    percentile: float = THEME_PERCENTILE,
    share: float = THEME_SHARE,
    floor: float = MERGE_FLOOR,
    cut: float | None = None,
) -> np.ndarray:
    """A label per answer; equal labels share a theme (see the module's docstring). With `cut`
    (a score), groups join while their answers' mean score is at least `cut`, on the answers as
    they are, and no theme is too small for its share: customer feedback's themes, whose number
    grows with the number and spread of the items (see truenorth.feedback.themes)."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=int)
    if cut is not None:
        near, share = vectors, 0.0
        first = joined(linkage_labels(vectors, score_to_cosine(cut)), same_answers(vectors))
    else:
        near = centred(vectors)
        first = joined(first_themes(near, theme_cut(near, percentile)), same_answers(vectors))
    size = max(min_size, math.ceil(share * len(vectors)))
    return merge_small(vectors, first, size, score_to_cosine(floor), near)


def same_answers(vectors: np.ndarray, score: float = SAME_ANSWER) -> np.ndarray:
    """A label per answer: answers linked by a chain of pairs scoring at least `score` share
    one. Centring cannot tell such answers apart from each other: when most answers are one
    sentence, what is left of each is rounding noise, and the cut, taken among pairs that are
    all alike, sits at 1, so 33 copies of one sentence had come out as five themes."""
    cosine = score_to_cosine(score)
    rows, columns = [], []
    for start in range(0, len(vectors), SAME_ANSWER_CHUNK):
        close = np.argwhere(vectors[start : start + SAME_ANSWER_CHUNK] @ vectors.T >= cosine)
        rows.append(close[:, 0] + start)
        columns.append(close[:, 1])
    row, column = np.concatenate(rows), np.concatenate(columns)
    pairs = csr_matrix((np.ones(len(row)), (row, column)), shape=(len(vectors), len(vectors)))
    return np.asarray(connected_components(pairs, directed=False)[1])


def joined(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A label per answer: the finest grouping that keeps together what either keeps together."""
    a = np.unique(first, return_inverse=True)[1]
    b = np.unique(second, return_inverse=True)[1] + a.max() + 1
    nodes = int(b.max()) + 1
    links = csr_matrix((np.ones(len(a)), (a, b)), shape=(nodes, nodes))
    return np.asarray(connected_components(links, directed=False)[1][a])


def theme_cut(near: np.ndarray, percentile: float) -> float:
    """The centred cosine that `percentile` % of pairs of these answers fall below (pairs among
    coherence.py's fixed-seed sample of answers, above its size), and never below 0: two groups
    no closer than two answers picked at random are never one theme."""
    near = sample(near, EXACT_LIMIT)
    pairs = (near @ near.T)[np.triu_indices(len(near), 1)]
    return min(1.0, max(0.0, float(np.percentile(pairs, percentile)))) if len(pairs) else 0.0


def first_themes(near: np.ndarray, cut: float) -> np.ndarray:
    """Average linkage on the centred answers, cut where two groups' mean cosine falls below
    `cut`. Above DIRECT_LIMIT answers the k-means pieces of cluster.py are linked instead, by
    the mean cosine between their answers (not between their centres, which sit closer)."""
    if len(near) <= DIRECT_LIMIT:
        return linkage_labels(near, cut)
    groups = Linkage(pieces(near)[0], near)
    while True:
        means = groups.means(0)
        a, b = np.unravel_index(np.argmax(means), means.shape)
        if means[a, b] < cut:
            return groups.labels()
        groups.join(int(a), int(b))


def merge_small(
    vectors: np.ndarray, labels: np.ndarray, min_size: int, floor: float, near: np.ndarray
) -> np.ndarray:
    """Themes under `min_size` answers joined, smallest first, to their nearest theme in `near`,
    unless the two average under `floor` in `vectors` (a cosine): a small theme of a topic
    nobody else raised stays apart, and is not shown."""
    groups = Linkage(labels, near, vectors)
    small = [(size, theme) for theme, size in enumerate(groups.sizes) if size < min_size]
    heapq.heapify(small)
    while small:
        size, theme = heapq.heappop(small)
        if not groups.alive[theme] or size != groups.sizes[theme]:
            continue  # joined to another, or grown since it was queued
        nearest = int(np.argmax(groups.means(0, theme)))
        if groups.means(1, theme)[nearest] < floor:
            continue
        groups.join(theme, nearest)
        if groups.sizes[nearest] < min_size:
            heapq.heappush(small, (groups.sizes[nearest], nearest))
    return groups.labels()


class Linkage:
    """Groups of unit vectors under average linkage, in one or more spaces at once. The mean
    cosine between two groups is the dot product of their sums over the product of their sizes,
    so joining two groups costs one row and one column of a groups x groups matrix."""

    def __init__(self, labels: np.ndarray, *spaces: np.ndarray):
        names, self.group = np.unique(labels, return_inverse=True)
        indicator = csr_matrix((np.ones(len(labels)), (self.group, np.arange(len(labels)))))
        self.dots = []
        for vectors in spaces:
            sums = indicator @ vectors
            self.dots.append(sums @ sums.T)
        self.sizes = np.bincount(self.group).astype(float)
        self.alive = np.ones(len(names), dtype=bool)
        self.into = np.arange(len(names))

    def means(self, space: int, group: int | None = None) -> np.ndarray:
        """Mean cosines from `group` (or from every group) to every other living group."""
        if group is None:
            means = self.dots[space] / np.outer(self.sizes, self.sizes)
            means[~self.alive] = -np.inf
            np.fill_diagonal(means, -np.inf)
        else:
            means = self.dots[space][group] / (self.sizes[group] * self.sizes)
            means[group] = -np.inf
        means[..., ~self.alive] = -np.inf
        return means

    def join(self, group: int, into: int) -> None:
        for dots in self.dots:
            dots[into] += dots[group]
            dots[:, into] += dots[:, group]
        self.sizes[into] += self.sizes[group]
        self.alive[group] = False
        self.into[group] = into

    def labels(self) -> np.ndarray:
        """A label per vector: the group it ended up in."""
        for group in range(len(self.into)):
            while self.into[self.into[group]] != self.into[group]:
                self.into[group] = self.into[self.into[group]]
        return np.asarray(self.into[self.group])


def group_answers(
    vectors: np.ndarray,
    texts: list[str],
    min_size: int = 5,
    words: WordCounts | None = None,
    cut: float | None = None,
) -> Themes:
    """Themes of one question's answers, largest first, each with its label, distinctive words,
    quotes and readings; `min_size` is the size a group must reach to be shown (the anonymity
    threshold); `words`, the answers' WordCounts where the caller has them; `cut`, a fixed score
    instead of the question's own percentile (see `theme_labels`). Answers that say nothing are
    set apart, not themed."""
    counts = words if words is not None else WordCounts(texts)
    silent = [i for i, text in enumerate(texts) if no_answer(text)]
    said = np.array(sorted(set(range(len(texts))) - set(silent)), dtype=int)
    labels = theme_labels(vectors[said], min_size, cut=cut)
    themes = []
    for label in np.unique(labels):
        members = said[labels == label]
        centroid = vectors[members].mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        closest = members[np.argsort(-(vectors[members] @ centroid), kind="stable")]
        quotes = distinct_quotes([int(m) for m in closest], texts, None)[:QUOTES]
        themes.append(Theme([int(m) for m in members], centroid, quotes=quotes))
    themes.sort(key=lambda t: (-t.size, t.members[0]))
    named = theme_words(texts, [t.members for t in themes], min_users=min_size)
    for theme, theme_words_ in zip(themes, named, strict=True):
        theme.words = theme_words_
        theme.label = label_of(theme_words_, texts[theme.quotes[0]])
        theme.readings = readings(vectors, texts, theme.members, counts, min_size)
    return Themes(themes, silent)


def readings(
    vectors: np.ndarray, texts: list[str], members: list[int], words: WordCounts, min_answers: int
) -> list[Interpretation]:
    """The theme's interpretations (cluster.py, at its same-reading cut), by answer index, each
    word used by at least `min_answers` of a reading's answers."""
    theirs = [texts[m] for m in members]
    groups = interpretations(
        vectors[members], theirs, words=words.of(members), min_answers=min_answers
    )
    for group in groups:
        group.members = [members[m] for m in group.members]
        group.quotes = [members[q] for q in group.quotes]
    return groups


def theme_words(
    texts: list[str], groups: list[list[int]], top: int = 5, min_users: int = 2
) -> list[list[str]]:
    """Words and word pairs many of a theme's answers use and the rest use less, best first (see
    `theme_terms`)."""
    found = theme_terms(texts, groups, top, min_users)
    return [[term for term, _ in terms] for terms in found]


def theme_terms(
    texts: list[str], groups: list[list[int]], top: int = 5, min_users: int = 2
) -> list[list[tuple[str, float]]]:
    """Each theme's `top` terms and their weights: words and word pairs many of a theme's answers
    use and the rest use less, the share of the theme's answers using a term times the log of
    how many times likelier they are to use it than all the answers are (the share alone when
    there is one theme). Counted once an answer, so one long answer cannot name a theme; a term
    must be used by `min_users` of the theme's answers (the anonymity threshold for a
    check-in's: two who share a word are not a group to show), or by all where it has fewer."""
    if not groups:
        return []
    vectorizer = CountVectorizer(stop_words=LABEL_STOP_WORDS, ngram_range=(1, 2), binary=True)
    rows = [m for members in groups for m in members]
    try:
        used = vectorizer.fit_transform([texts[m] for m in rows])  # answers x terms, 0 or 1
    except ValueError:  # nothing but stop words
        return [[] for _ in groups]
    terms = vectorizer.get_feature_names_out()
    theme_of = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    indicator = csr_matrix((np.ones(len(rows)), (theme_of, np.arange(len(rows)))))
    counts = csr_matrix(indicator @ used)  # themes x terms, kept sparse as distinctive_words does
    overall = np.asarray(counts.sum(axis=0)).ravel() / len(rows)
    result = []
    for theme, members in enumerate(groups):
        start, end = counts.indptr[theme], counts.indptr[theme + 1]
        columns, used_by = counts.indices[start:end], counts.data[start:end]
        coverage = used_by / len(members)
        weight = coverage * np.log(np.maximum(coverage / overall[columns], 1))
        if len(groups) == 1:
            weight = coverage
        weight = np.where(used_by >= min(min_users, len(members)), weight, 0)
        best = np.lexsort((terms[columns], -weight))[:top]  # ties alphabetically, every run
        result.append([(str(terms[columns[i]]), float(weight[i])) for i in best if weight[i] > 0])
    return result


def quote_label(quote: str) -> str:
    """The start of a quote as a label: its first phrase when that is short ("Case study call"
    of "Case study call: the customer…"), else its first words, cut where a sentence could not
    end ("Rewrite it in Rust…", never "…the")."""
    phrase = QUOTE_PHRASE_END.split(quote.strip(), maxsplit=1)[0].split()
    if 0 < len(phrase) <= LABEL_WORDS:
        return " ".join(phrase)
    words = quote.split()[:LABEL_WORDS]
    while len(words) > 1 and words[-1].casefold() in ENGLISH_STOP_WORDS:
        words.pop()
    return " ".join(words) + "…" if words else ""


def label_of(words: list[str], quote: str) -> str:
    """A few words a product manager reads at a glance: the best term (a phrase in the top words
    that holds it, if there is one), then the next term that adds only new words, up to
    LABEL_WORDS words. A bare number ("200", "2026") is left out: it is a detail the answers
    share, never what they are about. With no words at all, the start of the closest quote."""
    words = [term for term in words if not all(word.isdigit() for word in term.split())]
    if not words:
        return quote_label(quote)
    first = words[0]
    if " " not in first:
        first = next((t for t in words if " " in t and first in t.split()), first)
    label, used = [first], set(first.split())
    for term in words:
        if not used & set(term.split()) and len(used) + len(term.split()) <= LABEL_WORDS:
            label.append(term)
            break
    return ", ".join(label)
