"""A catch-all theme in one product's feedback: why it forms, and three changes measured.

The walk: the demo's feedback plus the 25 field notes of data/catch_all_field_notes.csv (SSO,
QuickBooks, mobile approvals, double payments, misread totals, auditors, onboarding, dark mode),
imported as `truenorth import feedback --format field` imports them, into the demo built in a
scratch database. The notes were written by truenorth's own tester: a counter-example that
shows the problem, not validation data, and no setting is chosen on them.

The diagnosis groups the walk's asks as `truenorth themes` does (feedback.themes.themes_of: the
items' `words`, cut at THEME_SCORE) and prints the largest theme, its items' mean pair score (the
score of their mean cosine, as the linkage averages), its weakest pair, the last join of the
average-linkage tree inside it, the groups too small to show that joined a theme, and the median
pair score of all the asks.

`--variants` measures today's grouping and three changes on benchmarks/feedback_themes.py's
labelled set and figures, each setting chosen on the development half by the issues' adjusted
Rand index as that script chooses THEME_SCORE, the figures of the other half: a spread limit (a
theme whose items average under the limit with each other splits where it joined last), the
items centred as check-in answers are (in the linkage and in joining small themes), and the cut
at 17.5. Under each, the walk's three largest themes.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/feedback_catch_all.py [--variants]   # under a minute each here
"""

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import feedback_themes as fb
import numpy as np
from evaldata import MACHINE
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score
from theme_quality import DiskCache

from truenorth.analysis import calibration, themes
from truenorth.analysis.cluster import linkage_labels
from truenorth.analysis.embed import CachedEmbedder, get_embedder
from truenorth.analysis.score import score_to_cosine

NOTES = Path(__file__).resolve().parent / "data" / "catch_all_field_notes.csv"
SPREADS = (17.5, 20, 22.5, 25, 30)
CENTRED_CUTS = (5, 7.5, *fb.GRID)
Link = Callable[[np.ndarray, float], np.ndarray]


def score(cosine):
    """The model's own cosine as a 0-100 score (the curve score_to_cosine inverts)."""
    return np.interp(cosine, *calibration.model_curve())


def unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def tree(vectors: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    """The average-linkage tree (scipy's rows) and each node's items, leaves first."""
    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    joins = linkage(squareform(distances, checks=False), "average")
    members = [[n] for n in range(len(vectors))]
    for a, b, *_ in joins:
        members.append(members[int(a)] + members[int(b)])
    return joins, members


def mean_pair(vectors: np.ndarray) -> float:
    """The mean cosine of the distinct pairs of these unit vectors."""
    total, n = vectors.sum(axis=0), len(vectors)
    return float((total @ total - n) / (n * (n - 1))) if n > 1 else 1.0


def spread_linkage(spread: float) -> Link:
    """Average linkage cut at `cosine`, where a group also splits into the two it joined last
    while its items average under `spread` (a score) with each other."""
    limit = score_to_cosine(spread)

    def link(vectors: np.ndarray, cosine: float) -> np.ndarray:
        today = linkage_labels(vectors, cosine)
        vectors = unit(vectors)
        joins, members = tree(vectors)
        n, labels, nodes = len(vectors), today.copy(), [len(members) - 1]
        taken, spare = set(), int(today.max()) + 1
        while nodes:
            node = nodes.pop()
            inside = members[node]
            if node < n or (
                1 - joins[node - n, 2] >= cosine and mean_pair(vectors[inside]) >= limit
            ):
                # A theme that did not split keeps today's label: merge_small breaks ties
                # between small themes by label, so any other numbering moves other items.
                if today[inside[0]] in taken:
                    labels[inside], spare = spare, spare + 1
                taken.add(today[inside[0]])
            else:
                nodes.extend(int(child) for child in joins[node - n, :2])
        return labels

    return link


def grouped(
    vectors: np.ndarray, texts: list[str], cut: float, link: Link = linkage_labels, centre=False
) -> np.ndarray:
    """A theme per item (-1: words that say nothing): themes.theme_labels with a fixed cut, the
    linkage and the space it links in swapped. With the defaults, today's grouping."""
    from truenorth.feedback.themes import MIN_THEME

    said = np.array([not themes.no_answer(text) for text in texts], dtype=bool)
    kept = vectors[said]
    near = themes.centred(kept) if centre else kept
    first = themes.joined(link(near, score_to_cosine(cut)), themes.same_answers(kept))
    floor = score_to_cosine(themes.MERGE_FLOOR)
    labels = np.full(len(texts), -1)
    labels[said] = themes.merge_small(kept, first, MIN_THEME, floor, near)
    return labels


def walk() -> tuple[np.ndarray, list[str]]:
    """The vectors and words of the walk's asks: the demo's feedback and the field notes."""
    from truenorth.demo.build import build_demo
    from truenorth.embeddings.cache import cached_embedder
    from truenorth.feedback.imports import import_feedback
    from truenorth.feedback.themes import items_of

    workspace = build_demo(fresh=True)
    import_feedback(workspace, [(NOTES.name, NOTES.read_bytes())], "field")
    words = [item.words for item in items_of(workspace) if item.asks]
    return cached_embedder().encode(words), words


def short(text: str, chars: int = 40) -> str:
    return f'"{text[:chars]}{"…" if len(text) > chars else ""}"'


def diagnose(vectors: np.ndarray, words: list[str]) -> None:
    from truenorth.feedback.themes import MIN_THEME, THEME_SCORE

    labels = fb.labels_of(vectors, words, THEME_SCORE)  # as feedback.themes.themes_of groups
    vectors = unit(vectors)
    sizes = np.bincount(labels[labels >= 0])
    big = int(np.argmax(sizes))
    inside = np.flatnonzero(labels == big)
    others = [mean_pair(vectors[labels == t]) for t in range(len(sizes)) if t != big]
    others = [m for m, size in zip(others, np.delete(sizes, big), strict=True) if size >= 5]
    print(f"{len(words)} asks in {len(sizes)} themes; the largest holds {len(inside)} items")
    print(
        f"  its items' mean pair score: {score(mean_pair(vectors[inside])):.1f} (the other "
        f"themes of 5 items or more: {score(min(others)):.1f} to {score(max(others)):.1f})"
    )
    pairs = vectors[inside] @ vectors[inside].T + 2 * np.eye(len(inside))
    a, b = np.unravel_index(np.argmin(pairs), pairs.shape)
    print(
        f"  its weakest pair: {score(pairs[a, b]):.1f}, {short(words[inside[a]])} and {short(words[inside[b]])}"
    )
    joins, members = tree(vectors)
    n, held = len(vectors), set(inside.tolist())
    last = max(k for k in range(len(joins)) if set(members[n + k]) <= held)
    sides = [members[int(child)] for child in joins[last, :2]]
    print(
        f"  its last join: score {score(1 - joins[last, 2]):.3f} (cut {THEME_SCORE}), "
        f"{len(sides[0])} items with {len(sides[1])}:"
    )
    for side in sides:
        print("    " + "; ".join(short(words[m], 30) for m in side))
    first = themes.joined(
        linkage_labels(vectors, score_to_cosine(THEME_SCORE)), themes.same_answers(vectors)
    )
    print(
        f"  groups under {MIN_THEME} items joined to the theme they are nearest (a ✱: the largest):"
    )
    for group in np.unique(first):
        rows = np.flatnonzero(first == group)
        theme = np.flatnonzero(labels == labels[rows[0]])
        if len(rows) < MIN_THEME and len(theme) > len(rows):
            rest = np.setdiff1d(theme, rows)
            mean = float((vectors[rows] @ vectors[rest].T).mean())
            mark = " ✱" if labels[rows[0]] == big else ""
            print(
                f"    {'; '.join(short(words[m], 30) for m in rows)}: {score(mean):.1f} with the "
                f"rest of its theme ({len(rest)}){mark}"
            )
    scores = score(vectors @ vectors.T)[np.triu_indices(n, 1)]
    print(
        f"  all {n} asks: median pair score {np.median(scores):.1f}; "
        f"{(scores >= THEME_SCORE).mean():.0%} of pairs reach {THEME_SCORE}"
    )


def variants(walk_vectors: np.ndarray, walk_words: list[str]) -> None:
    reviews, issues = fb.labelled_items()
    demo = fb.demo_items()
    added = [fb.facts(r).words for r in reviews[fb.REVIEWS :]]
    items = (
        [{**i, "kind": "demo"} for i in demo]
        + [{**r, "kind": "review"} for r in reviews[: fb.REVIEWS]]
        + [{**i, "kind": "issue"} for i in issues]
    )
    embedder = CachedEmbedder(get_embedder(), DiskCache())
    texts = [fb.facts(i).words for i in items]
    vectors, more = embedder.encode(texts), embedder.encode(added)
    alone = [i["text"][:2000] for i in demo]
    demo_alone = fb.labels_of(embedder.encode(alone), alone, None)
    today = grouped(vectors, texts, 15.0)
    assert adjusted_rand_score(today, fb.labels_of(vectors, texts, 15.0)) == 1.0, "not today's"

    def chosen(name: str, settings, make) -> list[tuple[str, dict]]:
        """The settings with the best ARI by repository on the development half (all, if tied)."""
        found = {
            s: fb.figures(items, grouped(vectors, texts, **make(s)), demo_alone, 0)
            for s in settings
        }
        print(f"{name}, development half, issues by repository (ARI): ", end="")
        print(", ".join(f"{s}: {f['issues/repo']:.3f}" for s, f in found.items()))
        best = max(f["issues/repo"] for f in found.values())
        return [(f"{name} {s}", make(s)) for s in settings if found[s]["issues/repo"] == best]

    dev = fb.figures(items, today, demo_alone, 0)["issues/repo"]
    print(f"today, development half, issues by repository (ARI): {dev:.3f}")
    runs = [
        ("today: score 15", {"cut": 15.0}),
        *chosen("spread limit", SPREADS, lambda s: {"cut": 15.0, "link": spread_linkage(s)}),
        *chosen("centred, score", CENTRED_CUTS, lambda s: {"cut": s, "centre": True}),
        ("score 17.5", {"cut": 17.5}),
    ]
    today_walk = grouped(walk_vectors, walk_words, 15.0)
    catch_all = today_walk == np.bincount(today_walk[today_walk >= 0]).argmax()
    print("half: report")
    for name, how in runs:
        labels = grouped(vectors, texts, **how)
        grown = grouped(np.vstack([vectors, more]), texts + added, **how)[: len(texts)]
        found = fb.figures(items, labels, demo_alone, 1)
        walked = grouped(walk_vectors, walk_words, **how)
        largest = np.argsort(-np.bincount(walked[walked >= 0]))[:3]
        print(
            f"{name}: issues/repo {found['issues/repo']:.3f}, reviews/label "
            f"{found['reviews/label']:.3f}, demo {found['demo']:.3f}, auditors "
            f"{found['auditors']}, stability with {len(added)} reviews added "
            f"{adjusted_rand_score(labels, grown):.3f}, themes shown {found['shown']}"
        )
        held = Counter(walked[catch_all].tolist()).most_common()
        print(
            f"    walk: today's largest theme's {catch_all.sum()} items: "
            + ", ".join(f"{n} in a theme of {(walked == t).sum()}" for t, n in held)
        )
        for theme in largest:
            rows = np.flatnonzero(walked == theme)
            print(
                f"    walk: {len(rows)} items: "
                + "; ".join(short(walk_words[m], 24) for m in rows[:4])
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", action="store_true", help="three changes, measured")
    args = parser.parse_args()
    from scratch_database import fresh_database

    fresh_database()
    print(f"{MACHINE}; {date.today()}")
    walk_vectors, walk_words = walk()
    if args.variants:
        variants(walk_vectors, walk_words)
    else:
        diagnose(walk_vectors, walk_words)


if __name__ == "__main__":
    sys.exit(main())
