"""Themes against BERTopic on the same embeddings of real answers and real labelled text.

Labelled sets (the labels are topics, BERTopic's home ground): Google Play reviews by label
(feature request, bug report, rating, user experience), GitHub issue titles by label (bug,
feature, question) and by repository, Jira issue titles by project. Each is split in two halves by
a fixed rule, the parity of each text's hash: `--choose` picks the cuts on the development half,
the benchmark reports the test half only. Unlabelled: every free-text question of the Dask user
surveys with 100 or more answers, where only the shape of the groups can be measured.

For each set: adjusted Rand index (ARI) against the labels, groups found, the share of answers in
groups of 5 or more (what a page shows at threshold 5), groups of one, the share left out of every
group (BERTopic's outliers, topic -1; truenorth's no-answers) and seconds. For ARI the left-out
answers count as one more group, as they would be shown. BERTopic runs its default pipeline (UMAP,
HDBSCAN, c-TF-IDF) and with min_topic_size=3, the setting issue #10 measured, on the same vectors;
its UMAP is unseeded, so its figures are the mean of several runs. "Readings alone" is what the
page grouped by before themes: cluster.interpretations' groups at the same-reading cut. Then
samples of 5 and 12 answers: groups found by each.

    .venv/bin/python benchmarks/theme_quality.py [--quick] [--choose] [--scale] [--model NAME]
        [--shown 3]   # as customer feedback is grouped: the smallest theme shown is 3, not 5

Vectors are cached in var/benchmark-vectors/, so a rerun embeds nothing.
"""

import argparse
import csv
import math
import random
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
from choose_thresholds import CUTS, accuracies
from clustering_quality import HAS_BERTOPIC, sample_rows
from evaldata import EVALDATA, MACHINE, app_reviews, github_issues, jira_issues, sts_pairs
from sklearn.metrics import adjusted_rand_score

from truenorth.analysis import themes
from truenorth.analysis.cluster import reading_labels
from truenorth.analysis.embed import (
    DEFAULT_MODEL,
    CachedEmbedder,
    Encoder,
    get_embedder,
    text_hash,
)
from truenorth.analysis.score import score_pairs, score_to_cosine

warnings.filterwarnings("ignore")
SURVEYS = EVALDATA / "surveys" / "dask-user-survey"
VECTORS = Path(__file__).resolve().parents[1] / "var" / "benchmark-vectors"
# The size a theme must reach to be shown: 5, the anonymity threshold check-in answers are read
# at; `--shown 3` reads them as customer feedback is (truenorth.feedback.themes.MIN_THEME).
SHOWN = 5
GRID_PERCENTILES = (60, 65, 70, 72.5, 75, 77.5, 80, 85, 90)
GRID_SHARES = (0.005, 0.01, 0.02)
MOST = 0.8  # "most answers": in groups a page can show, on every development set
PER_THEME = 100  # at least one shown theme per 100 answers, on every development set


class DiskCache:
    """An EmbeddingCache in one .npz file per model under var/, so a rerun embeds nothing."""

    def __init__(self, folder: Path = VECTORS):
        self.folder = folder
        self.vectors: dict[str, dict[str, np.ndarray]] = {}

    def _load(self, model: str) -> dict[str, np.ndarray]:
        if model not in self.vectors:
            path = self.folder / f"{model}.npz"
            known: dict[str, np.ndarray] = {}
            if path.exists():
                with np.load(path) as stored:
                    known = dict(zip(stored["hashes"].tolist(), stored["vectors"], strict=True))
            self.vectors[model] = known
        return self.vectors[model]

    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        known = self._load(model)
        return {h: known[h] for h in hashes if h in known}

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        known = self._load(model)
        known.update(vectors)
        self.folder.mkdir(parents=True, exist_ok=True)
        hashes = list(known)
        np.savez(
            self.folder / f"{model}.npz",
            hashes=np.array(hashes),
            vectors=np.stack([known[h] for h in hashes]),
        )


def github_by(column: str) -> list[tuple[str, str]]:
    """(title, label or repository) of the real GitHub issues."""
    with (EVALDATA / "github-issues" / "issues_train.csv").open(encoding="utf-8") as stream:
        return [(row["title"], row[column]) for row in csv.DictReader(stream)]


def survey_answers(year: int, question: str) -> list[str]:
    """The non-empty answers to one free-text question of a Dask user survey."""
    csv.field_size_limit(sys.maxsize)
    path = SURVEYS / f"{year}-user-survey-results.csv"
    with path.open(encoding="utf-8") as stream:
        return [row[question].strip() for row in csv.DictReader(stream) if row[question].strip()]


LABELLED: dict[str, Callable[[], list[tuple[str, str]]]] = {
    "app reviews by label": app_reviews,
    "GitHub issues by label": lambda: github_by("label"),
    "GitHub issues by repository": github_issues,
    "Jira issues by project": jira_issues,
}
IMPROVE = "How else can Dask improve?"
LIBRARIES = "What are some other libraries that you often use with Dask?"
SURVEY_QUESTIONS = ((2021, IMPROVE), (2019, LIBRARIES), (2020, LIBRARIES), (2021, LIBRARIES))


def half(text: str) -> str:
    """The fixed rule that splits every labelled set: the parity of the text's hash. The same text
    always lands in the same half, so no duplicate leaks from development into test."""
    return "dev" if int(text_hash(text)[-1], 16) % 2 == 0 else "test"


def labelled(name: str, part: str) -> tuple[list[str], list[str]]:
    rows = [row for row in LABELLED[name]() if half(row[0]) == part]
    return [text for text, _ in rows], [label for _, label in rows]


def ours(texts: list[str], vectors: np.ndarray) -> np.ndarray:
    """truenorth's theme of each answer; -1 for an answer that says nothing."""
    found = themes.group_answers(vectors, texts, min_size=SHOWN)
    labels = np.full(len(texts), -1)
    for number, theme in enumerate(found.themes):
        labels[theme.members] = number
    return labels


def bertopic(texts: list[str], vectors: np.ndarray, min_topic_size: int = 10) -> np.ndarray:
    from bertopic import BERTopic

    try:
        topics, _ = BERTopic(embedding_model=None, min_topic_size=min_topic_size).fit_transform(
            texts, vectors
        )
    except Exception:  # it fails outright on very small inputs: no topics
        return np.full(len(texts), -1)
    return np.asarray(topics)


def shape(labels: np.ndarray) -> dict[str, float]:
    """Groups (-1 is no group), share in groups of SHOWN or more, groups of one, share left out."""
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, dtype=int)
    sizes = sizes[sizes > 0]
    return {
        "groups": len(sizes),
        "shown": float(sizes[sizes >= SHOWN].sum() / len(labels)),
        "singletons": int((sizes == 1).sum()),
        "left out": float(np.mean(labels == -1)),
    }


def measure(method: Callable[[], np.ndarray], truth: list[str] | None, runs: int) -> dict:
    """The mean over `runs` runs of one method's ARI, shape and seconds."""
    rows = []
    for _ in range(runs):
        started = time.perf_counter()
        labels = method()
        row: dict[str, float] = {"seconds": time.perf_counter() - started, **shape(labels)}
        if truth is not None:
            row["ari"] = adjusted_rand_score(truth, labels)
        rows.append(row)
    mean = {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}
    if truth is not None:
        mean["ari range"] = (min(r["ari"] for r in rows), max(r["ari"] for r in rows))
    return mean


def header() -> str:
    shown = f"in >={SHOWN}"
    return (
        f"  {'':30} {'ARI':>6} {'groups':>7} {shown:>7} {'groups of 1':>11} "
        f"{'left out':>8} {'seconds':>8}"
    )


def line(name: str, row: dict) -> str:
    ari = f"{row['ari']:6.3f}" if "ari" in row else f"{'-':>6}"
    spread = ""
    if "ari range" in row and row["ari range"][0] != row["ari range"][1]:
        spread = f"   (ARI {row['ari range'][0]:.3f} to {row['ari range'][1]:.3f})"
    return (
        f"  {name:30} {ari} {row['groups']:7.0f} {row['shown']:7.0%} {row['singletons']:11.0f} "
        f"{row['left out']:8.0%} {row['seconds']:8.2f}{spread}"
    )


def compare(name: str, texts, truth, vectors, runs: int) -> None:
    print(f"\n{name}: {len(texts)} answers" + (f", {len(set(truth))} labels" if truth else ""))
    print(header())
    print(line("truenorth themes", measure(lambda: ours(texts, vectors), truth, 1)))
    readings = measure(lambda: reading_labels(vectors, texts), truth, 1)
    print(line("  readings alone (before)", readings))
    if not HAS_BERTOPIC:
        print("  BERTopic: not installed, left out")
        return
    for label, size in (("BERTopic default", 10), ("BERTopic topic size 3", 3)):
        row = measure(lambda size=size: bertopic(texts, vectors, size), truth, runs)
        print(line(label + (f", {runs} runs" if runs > 1 else ""), row))


def small_samples(name: str, texts, truth, vectors, repeats: int = 5) -> None:
    """Groups found on samples of 5 and 12 answers (one team's answers), mean of `repeats`."""
    for size in (5, 12):
        found: dict[str, list[float]] = {"themes": [], "readings": [], "topics": []}
        for seed in range(repeats):
            if truth is None:
                rows = random.Random(seed).sample(range(len(texts)), size)
            else:
                rows = sample_rows(truth, size, seed)
            sample = [texts[r] for r in rows]
            grouped = themes.group_answers(vectors[rows], sample, min_size=SHOWN)
            found["themes"].append(len(grouped.themes))
            found["readings"].append(sum(len(t.readings) for t in grouped.themes))
            if HAS_BERTOPIC:
                found["topics"].append(shape(bertopic(sample, vectors[rows]))["groups"])
        mean = {k: float(np.mean(v)) if v else float("nan") for k, v in found.items()}
        print(
            f"  {name[:34]:34} {size:2} answers: truenorth {mean['themes']:.1f} themes "
            f"({mean['readings']:.1f} readings)"
            + (f", BERTopic {mean['topics']:.1f} topics" if HAS_BERTOPIC else "")
        )


def choose(embedder: Encoder) -> None:
    """The cuts, chosen on development data only: STS dev for the floor, the labelled sets'
    development halves for the theme cut and the theme size."""
    pairs = sts_pairs("dev")
    scores = score_pairs([(a, b) for a, b, _ in pairs], embedder)
    truth = np.array([p[2] for p in pairs]) >= 0.5
    best = max(CUTS, key=lambda c: accuracies(scores, truth, c)[0])
    floor = 5 * round(best / 5)
    print(
        f"MERGE_FLOOR: best cut on STS dev for 'most raters say at least the same topic' "
        f"(human >= 0.5): {best:g}, accuracy {accuracies(scores, truth, best)[0]:.3f}; "
        f"rounded {floor}, accuracy {accuracies(scores, truth, floor)[0]:.3f}"
    )
    dev = {}
    for name in LABELLED:
        texts, labels = labelled(name, "dev")
        dev[name] = (labels, embedder.encode(texts))
    print(f"\nTHEME_PERCENTILE x THEME_SHARE on the development halves, MERGE_FLOOR {floor}")
    print(f"  {'pct':>5} {'share':>6} {'mean ARI':>9}   per set: ARI / shown themes / in >={SHOWN}")
    results = []
    for percentile in GRID_PERCENTILES:
        linked = {}
        for name, (_, vectors) in dev.items():
            near = themes.centred(vectors)
            cut = themes.theme_cut(near, percentile)
            linked[name] = (near, themes.first_themes(near, cut))
        for share in GRID_SHARES:
            cells, ok = [], True
            for name, (labels, vectors) in dev.items():
                near, first = linked[name]
                size = max(SHOWN, math.ceil(share * len(vectors)))
                found = themes.merge_small(vectors, first, size, score_to_cosine(floor), near)
                sizes = np.bincount(found)
                shown_themes = int((sizes >= SHOWN).sum())
                in_shown = sizes[sizes >= SHOWN].sum() / len(found)
                ok &= in_shown >= MOST and shown_themes >= len(found) / PER_THEME
                cells.append((adjusted_rand_score(labels, found), shown_themes, in_shown))
            mean = float(np.mean([c[0] for c in cells]))
            results.append((ok, mean, percentile, share))
            print(
                f"  {percentile:5g} {share:6g} {mean:9.4f} {'' if ok else '(fails)':8} "
                + "  ".join(f"{a:.3f}/{k}/{s:.0%}" for a, k, s in cells)
            )
    _, mean, percentile, share = max(r for r in results if r[0])
    print(
        f"\nChosen: THEME_PERCENTILE {percentile:g}, THEME_SHARE {share:g} (mean development ARI "
        f"{mean:.4f}: the best of those with {MOST:.0%} of answers in shown groups and a shown "
        f"theme per {PER_THEME} answers on every development set)"
    )


def scale(embedder: Encoder) -> None:
    """Every text of every set (both halves) as the answers to one question: themes, seconds."""
    texts = [text for load in LABELLED.values() for text, _ in load()]
    texts += [
        answer for year, question in SURVEY_QUESTIONS for answer in survey_answers(year, question)
    ]
    vectors = embedder.encode(texts)
    started = time.perf_counter()
    found = themes.group_answers(vectors, texts, min_size=SHOWN)
    seconds = time.perf_counter() - started
    shown = sum(t.size for t in found.themes if t.size >= SHOWN) / len(texts)
    print(
        f"{len(texts)} answers, vectors cached: {len(found.themes)} themes, {shown:.0%} of answers "
        f"in shown themes, {seconds:.1f} s with labels and readings"
    )


def main() -> None:
    global SHOWN  # read by every grouping below
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 answers a set, BERTopic once")
    parser.add_argument("--choose", action="store_true", help="choose the cuts on dev data")
    parser.add_argument("--scale", action="store_true", help="every answer of every set at once")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="the embedding model")
    parser.add_argument("--shown", type=int, default=SHOWN, help="the smallest theme shown")
    args = parser.parse_args()
    SHOWN = args.shown
    embedder = CachedEmbedder(get_embedder(args.model), DiskCache())
    print(
        f"Themes — {date.today()}, {MACHINE}, {embedder.model_name}"
        + (" (--quick)" if args.quick else "")
    )
    if args.choose:
        choose(embedder)
        return
    if args.scale:
        scale(embedder)
        return
    print(
        f"truenorth: THEME_PERCENTILE {themes.THEME_PERCENTILE:g}, "
        f"THEME_SHARE {themes.THEME_SHARE:g}, "
        f"MERGE_FLOOR {themes.MERGE_FLOOR:g}, threshold {SHOWN}"
    )
    runs = 1 if args.quick else 3
    samples = []
    for name in LABELLED:
        texts, truth = labelled(name, "test")
        if args.quick:
            rows = sorted(random.Random(0).sample(range(len(texts)), 300))
            texts, truth = [texts[r] for r in rows], [truth[r] for r in rows]
        vectors = embedder.encode(texts)
        compare(f"{name}, test half", texts, truth, vectors, runs)
        samples.append((name, texts, truth, vectors))
    for year, question in SURVEY_QUESTIONS:
        texts = survey_answers(year, question)
        vectors = embedder.encode(texts)
        compare(f'Dask survey {year}, "{question}"', texts, None, vectors, runs)
        if question == IMPROVE:
            samples.append((f"Dask {year} improve", texts, None, vectors))
    print("\nSmall samples (mean of 5):")
    for name, texts, truth, vectors in samples:
        small_samples(name, texts, truth, vectors)


if __name__ == "__main__":
    main()
