"""Answers grouped into interpretations, for 5 answers as for 10,000.

Two groups of answers are one interpretation while the average score between them is at least
SAME_READING = 50: halfway between "share some details" (40) and "roughly the same" (60) on the
human scale. Average linkage compares every pair across two groups, and people restating one
idea in their own words rarely score "roughly the same" on every pair, so the cut sits below 60.
Average-linkage agglomerative clustering with that cut needs no number of clusters and no
minimum cluster size, so 5 answers give sensible groups (density-based topic models give none
below a few dozen). Above DIRECT_LIMIT answers, k-means first cuts the answers into a few hundred
tight pieces, and the same linkage merges the pieces, which keeps time and memory near linear.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.feature_extraction.text import CountVectorizer

from truenorth.analysis.score import score_to_cosine

SAME_READING = 50.0
DIRECT_LIMIT = 2000
PIECES = 300


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
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1.0 - cosine
    )
    return np.asarray(model.fit_predict(vectors))


def interpretations(vectors: np.ndarray, texts: list[str], quotes: int = 3) -> list[Interpretation]:
    """Interpretations, largest first, each with its closest quotes and distinctive words."""
    labels = cluster_labels(vectors)
    groups = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        centroid = vectors[members].mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        closest = members[np.argsort(-(vectors[members] @ centroid))][:quotes]
        groups.append(
            Interpretation([int(m) for m in members], centroid, [int(q) for q in closest])
        )
    groups.sort(key=lambda g: (-g.size, g.members[0]))
    for group, words in zip(
        groups, distinctive_words(texts, [g.members for g in groups]), strict=True
    ):
        group.words = words
    return groups


def distinctive_words(texts: list[str], groups: list[list[int]], top: int = 5) -> list[list[str]]:
    """Class-based TF-IDF: words frequent in a group and rare in the others."""
    documents = [" ".join(texts[i] for i in members) for members in groups]
    try:
        vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=1)
        counts = vectorizer.fit_transform(documents).astype(float)  # sparse: groups x terms
    except ValueError:  # nothing but stop words
        return [[] for _ in groups]
    terms = vectorizer.get_feature_names_out()
    words_per_group = np.asarray(counts.sum(axis=1)).ravel()
    average_words = words_per_group.sum() / len(groups)
    idf = np.log(1 + average_words / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1))
    # Kept sparse: ten thousand answers have a hundred thousand distinct word pairs.
    weights = csr_matrix(counts.multiply(1 / np.maximum(words_per_group, 1)[:, None]).multiply(idf))
    return [top_terms(weights, row, terms, top) for row in range(len(groups))]


def top_terms(weights: csr_matrix, row: int, terms: np.ndarray, top: int) -> list[str]:
    start, end = weights.indptr[row], weights.indptr[row + 1]
    values, columns = weights.data[start:end], weights.indices[start:end]
    best = np.lexsort((columns, -values))[:top]  # ties alphabetically: the same words every run
    return [str(terms[columns[i]]) for i in best if values[i] > 0]
