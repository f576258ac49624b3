"""Interpretations against BERTopic on the same embeddings of real labelled text.

Two kinds of labels, because the two methods answer different questions:

- meaning: sentence pairs of the STS Benchmark test split that people rated 4 or more ("mostly
  equivalent" to "the same"); each pair is one meaning. This is what an interpretation is: answers
  that say the same thing in other words. The test split is only measured here, never tuned on.
- topic: the repository of a real GitHub issue, the project of a real Jira issue. Titles in one
  project share a topic, rarely a meaning; this is BERTopic's home ground.

truenorth clusters at two cuts of the human scale, fixed by the scale's words and not tuned here:
its default, 50 (between "share some details" and "roughly the same"), and 20 ("different, on
the same topic"). For each data set: the adjusted Rand index (ARI) against the labels, clusters
found and seconds for both cuts and for BERTopic's default pipeline (UMAP, HDBSCAN, c-TF-IDF) on
the same embeddings; then samples of 5 and 25 texts (one team's answers): groups found by each and
ARI. BERTopic's outliers (topic -1) count as one more cluster, as they would be shown. "truenorth
readings" is the default cut with each group split where its answers contradict each other
(cluster.reading_labels), the groups a report quotes. Without BERTopic installed its rows are left
out.

    .venv/bin/python benchmarks/clustering_quality.py [--quick]
"""

import importlib.util
import random
import sys
import time
import warnings
from datetime import date

import numpy as np
from evaldata import MACHINE, github_issues, jira_issues, sts_pairs
from sklearn.metrics import adjusted_rand_score

from truenorth.analysis.cluster import SAME_READING, cluster_labels, reading_labels
from truenorth.analysis.embed import get_embedder
from truenorth.analysis.score import SAME_TOPIC

warnings.filterwarnings("ignore")
HAS_BERTOPIC = importlib.util.find_spec("bertopic") is not None


def bertopic_labels(texts: list[str], vectors: np.ndarray) -> np.ndarray:
    from bertopic import BERTopic

    topics, _ = BERTopic(embedding_model=None).fit_transform(texts, vectors)
    return np.asarray(topics)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def small_samples(texts, truth, vectors, size: int, repeats: int = 5):
    """Mean groups found and mean ARI (ours, BERTopic's) over small samples of the texts."""
    found: dict[str, list[float]] = {"ours": [], "theirs": []}
    scores: dict[str, list[float]] = {"ours": [], "theirs": []}
    for seed in range(repeats):
        rows = sample_rows(truth, size, seed)
        ours = cluster_labels(vectors[rows])
        try:
            theirs = bertopic_labels([texts[r] for r in rows], vectors[rows])
        except Exception:  # BERTopic fails outright on very small inputs: no topics
            theirs = np.full(len(rows), -1)
        labels = [truth[r] for r in rows]
        for name, found_labels in (("ours", ours), ("theirs", theirs)):
            found[name].append(len(set(found_labels) - {-1}))
            scores[name].append(adjusted_rand_score(labels, found_labels))
    return {k: (float(np.mean(found[k])), float(np.mean(scores[k]))) for k in found}


def sample_rows(truth: list[str], size: int, seed: int) -> list[int]:
    """A few labels' texts, as one team's answers hold a few readings: pick labels at random
    and take up to 3 texts of each (5 for bigger samples) until `size` texts are drawn, so even
    5 texts hold at least two labels."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(truth):
        by_label.setdefault(label, []).append(i)
    labels = list(by_label)
    rng.shuffle(labels)
    rows: list[int] = []
    for label in labels:
        members = by_label[label]
        rows += rng.sample(members, min(max(3, size // 5), len(members), size - len(rows)))
        if len(rows) == size:
            return rows
    return rows


def evaluate(name: str, rows: list[tuple[str, str]], embedder, runs: int) -> None:
    texts, truth = [r[0] for r in rows], [r[1] for r in rows]
    vectors = embedder.encode(texts)
    print(f"\n{name}: {len(texts)} texts, {len(set(truth))} labels")
    print(
        f"  {'':22} {'ARI':>7} {'clusters':>9} {'seconds':>8} {'ARI ratio':>10} {'time ratio':>10}"
    )
    their_ari, their_seconds = float("nan"), float("nan")
    if HAS_BERTOPIC:
        # BERTopic's default UMAP has no seed, so its result changes from run to run: the mean
        # of `runs` runs is its figure, with the range beside it.
        results = [timed(bertopic_labels, texts, vectors) for _ in range(runs)]
        aris = [adjusted_rand_score(truth, labels) for labels, _ in results]
        their_ari = float(np.mean(aris))
        their_seconds = float(np.mean([seconds for _, seconds in results]))
        clusters = float(np.mean([len(set(labels)) for labels, _ in results]))
        print(
            f"  {'BERTopic':22} {their_ari:7.3f} {clusters:9.0f} {their_seconds:8.2f}"
            f"   (mean of {runs} runs; ARI {min(aris):.3f} to {max(aris):.3f})"
        )
    else:
        print("  BERTopic: not installed, left out")
    ways = [(f"truenorth, cut {cut:g}", cluster_labels, cut) for cut in (SAME_READING, SAME_TOPIC)]
    ways.insert(1, ("truenorth readings", reading_labels, texts))
    for label, method, argument in ways:
        ours, seconds = timed(method, vectors, argument)
        ari = adjusted_rand_score(truth, ours)
        ratios = (
            f"{ari / their_ari if their_ari > 0 else float('inf'):10.2f} "
            f"{seconds / their_seconds:10.2f}"
            if HAS_BERTOPIC
            else f"{'-':>10} {'-':>10}"
        )
        print(f"  {label:22} {ari:7.3f} {len(set(ours)):9d} {seconds:8.2f} {ratios}")
    for size in (5, 25):
        result = small_samples(texts, truth, vectors, size)
        (mine, mine_ari), (bert, bert_ari) = result["ours"], result["theirs"]
        print(
            f"  samples of {size:2}: truenorth {mine:4.1f} groups (ARI {mine_ari:5.2f}), "
            f"BERTopic {bert:4.1f} topics (ARI {bert_ari:5.2f})"
        )


def sts_meanings() -> list[tuple[str, str]]:
    """(sentence, pair number) for STS test pairs people rated 4 or more: one meaning a pair."""
    rows, seen = [], set()
    for number, (a, b, human) in enumerate(sts_pairs("test")):
        if human >= 4.0 and a not in seen and b not in seen and a != b:
            rows += [(a, str(number)), (b, str(number))]
            seen |= {a, b}
    return rows


def main() -> None:
    quick = "--quick" in sys.argv
    embedder = get_embedder()
    print(f"Clustering quality — {date.today()}, {MACHINE}" + (" (--quick)" if quick else ""))
    runs = 1 if quick else 3
    evaluate("STS test pairs rated >= 4, one meaning a pair", sts_meanings(), embedder, runs)
    evaluate("GitHub issue titles by repository", github_issues(), embedder, runs)
    jira = jira_issues()
    if quick:
        jira = random.Random(0).sample(jira, 1000)
    evaluate("Jira issue titles by project", jira, embedder, runs)


if __name__ == "__main__":
    main()
