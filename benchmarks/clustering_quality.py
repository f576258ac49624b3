"""Interpretations against BERTopic on the same embeddings of real labelled text.

The labels are the project each real issue was filed in, so a good clustering finds topics.
truenorth's clustering runs at two cuts of the human scale, both fixed by the scale's words and
not tuned here: its default, 50 (between "share some details" and "roughly the same", the cut
for interpretations of one question), and 20 ("different, on the same topic"), the topic level
these labels describe. For each data set: the adjusted Rand index (ARI) against the labels for
both cuts and for BERTopic's default pipeline (UMAP, HDBSCAN, c-TF-IDF) on the same embeddings,
each method's time, and the groups each finds in samples of 5 and 25 texts (one team's answers).
BERTopic's outliers (topic -1) count as one more cluster for the ARI, as they would be shown.

    .venv/bin/python benchmarks/clustering_quality.py [--quick]
"""

import random
import sys
import time
import warnings
from datetime import date

import numpy as np
from evaldata import MACHINE, github_issues, jira_issues
from sklearn.metrics import adjusted_rand_score

from truenorth.analysis.cluster import SAME_READING, cluster_labels
from truenorth.analysis.embed import get_embedder
from truenorth.analysis.score import SAME_TOPIC

warnings.filterwarnings("ignore")


def bertopic_labels(texts: list[str], vectors: np.ndarray) -> np.ndarray:
    from bertopic import BERTopic

    topics, _ = BERTopic(embedding_model=None).fit_transform(texts, vectors)
    return np.asarray(topics)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def small_samples(texts, vectors, size: int, repeats: int = 5) -> tuple[float, float]:
    """Mean number of groups found (ours, BERTopic's non-outlier topics) for small samples."""
    ours, theirs = [], []
    for seed in range(repeats):
        rows = random.Random(seed).sample(range(len(texts)), size)
        ours.append(len(set(cluster_labels(vectors[rows]))))
        try:
            labels = bertopic_labels([texts[r] for r in rows], vectors[rows])
            theirs.append(len(set(labels) - {-1}))
        except Exception:  # BERTopic fails outright on very small inputs
            theirs.append(0)
    return float(np.mean(ours)), float(np.mean(theirs))


def evaluate(name: str, rows: list[tuple[str, str]], embedder) -> None:
    texts, truth = [r[0] for r in rows], [r[1] for r in rows]
    vectors = embedder.encode(texts)
    theirs, their_seconds = timed(bertopic_labels, texts, vectors)
    their_ari = adjusted_rand_score(truth, theirs)
    print(f"\n{name}: {len(texts)} texts, {len(set(truth))} labels")
    print(
        f"  {'':22} {'ARI':>7} {'clusters':>9} {'seconds':>8} {'ARI ratio':>10} {'time ratio':>10}"
    )
    print(f"  {'BERTopic':22} {their_ari:7.3f} {len(set(theirs)):9d} {their_seconds:8.2f}")
    for cut in (SAME_READING, SAME_TOPIC):
        ours, seconds = timed(cluster_labels, vectors, cut)
        ari = adjusted_rand_score(truth, ours)
        print(
            f"  {f'truenorth, cut {cut:g}':22} {ari:7.3f} {len(set(ours)):9d} {seconds:8.2f} "
            f"{ari / their_ari:10.2f} {seconds / their_seconds:10.2f}"
        )
    for size in (5, 25):
        mine, bert = small_samples(texts, vectors, size)
        print(
            f"  samples of {size:2}: truenorth finds {mine:.1f} groups, BERTopic {bert:.1f} topics"
        )


def main() -> None:
    quick = "--quick" in sys.argv
    embedder = get_embedder()
    print(f"Clustering quality — {date.today()}, {MACHINE}")
    evaluate("GitHub issue titles by repository", github_issues(), embedder)
    jira = jira_issues()
    if quick:
        jira = random.Random(0).sample(jira, 1000)
    evaluate("Jira issue titles by project", jira, embedder)


if __name__ == "__main__":
    main()
