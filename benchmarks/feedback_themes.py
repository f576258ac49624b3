"""Customer feedback themes on real labelled feedback: before and after the fixed cut.

The set is what a customer-success lead imported into the demo: 300 Google Play reviews
(labelled bug report, feature request, rating, user experience), 210 GitHub issues (title and
body, labelled by repository: React, TensorFlow, VS Code, Bitcoin, OpenCV) and the demo's own
feedback (tickets, reviews, field notes). Before: each item's text alone, cut at the percentile
of all pairs that check-in answers are cut at. After: subject and text less markup
(feedback.themes.ItemFacts.said), cut at feedback.themes.THEME_SCORE.

Figures: adjusted Rand index (ARI) of the issues against their repository, of the reviews
against their label, of the demo's items against their themes when grouped alone (as the demo
shows them); the themes shown (MIN_THEME items or more); the theme holding the most of the
demo's auditor requests, and how many of its items are theirs. Each labelled text falls in one
half by the parity of its hash: `--choose` prints the grid on the development half, the figures
are of the other half. Stability: the ARI between the themes of the set and of the set with 1 %
more reviews added (the original items only), and with the items in another order.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/feedback_themes.py [--choose]   # ~2 min
"""

import argparse
import csv
import random
import sys
import zlib
from collections import Counter

import numpy as np
from evaldata import EVALDATA, MACHINE
from sklearn.metrics import adjusted_rand_score
from theme_quality import DiskCache

from truenorth.analysis import themes
from truenorth.analysis.embed import CachedEmbedder, get_embedder

REVIEWS, ISSUES, ADDED = 300, 210, 6
GRID = (10, 12.5, 15, 17.5, 20, 25, 30)


def demo_items() -> list[dict]:
    from truenorth.demo.feedback import FIELD_NOTES, REVIEWS, TICKETS

    return [{**item, "label": "demo"} for item in TICKETS + REVIEWS + FIELD_NOTES]


def labelled_items() -> list[dict]:
    with (EVALDATA / "app-reviews" / "dataset_unbalanced_4000.csv").open(errors="replace") as f:
        reviews = [{"text": r["review"], "label": r["label"]} for r in csv.DictReader(f)]
    with (EVALDATA / "github-issues" / "issues_train.csv").open(encoding="utf-8") as f:
        issues = [
            {"title": r["title"], "text": r["body"] or r["title"], "label": r["repo"]}
            for r in csv.DictReader(f)
        ]
    random.Random(0).shuffle(reviews)
    random.Random(0).shuffle(issues)
    return reviews[: REVIEWS + ADDED], issues[:ISSUES]


def facts(item: dict):
    from truenorth.feedback.themes import ItemFacts

    return ItemFacts(0, item.get("title", ""), item["text"], "", "", None, None, "", "", "")


def labels_of(vectors: np.ndarray, texts: list[str], cut: float | None) -> np.ndarray:
    from truenorth.feedback.themes import MIN_THEME

    found = themes.group_answers(vectors, texts, min_size=MIN_THEME, cut=cut).themes
    labels = np.full(len(texts), -1)  # answers that say nothing: one group of their own
    for n, theme in enumerate(found):
        labels[theme.members] = n
    return labels


def half(text: str) -> int:
    return zlib.crc32(text.encode()) % 2


def figures(items, labels, demo_alone, part: int) -> dict:
    from truenorth.demo.feedback import asks_for_audit_evidence
    from truenorth.feedback.themes import MIN_THEME

    def ari(kind):
        rows = [n for n, i in enumerate(items) if i["kind"] == kind and half(i["text"]) == part]
        return adjusted_rand_score([items[n]["label"] for n in rows], labels[rows])

    demo = [n for n, i in enumerate(items) if i["kind"] == "demo"]
    sizes = Counter(labels.tolist())
    audit = [n for n in demo if asks_for_audit_evidence(items[n]["text"])]
    theirs, held = Counter(labels[audit].tolist()).most_common(1)[0]
    return {
        "shown": sum(1 for size in sizes.values() if size >= MIN_THEME),
        "issues/repo": ari("issue"),
        "reviews/label": ari("review"),
        "demo": adjusted_rand_score(demo_alone, labels[demo]),
        "auditors": f"{held} of {len(audit)} in a theme of {sizes[theirs]}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choose", action="store_true", help="the grid, on the development half")
    args = parser.parse_args()
    from scratch_database import fresh_database

    fresh_database()
    from truenorth.feedback.themes import THEME_SCORE

    reviews, issues = labelled_items()
    demo = demo_items()
    added = [{**r, "kind": "review"} for r in reviews[REVIEWS:]]
    items = (
        [{**i, "kind": "demo"} for i in demo]
        + [{**r, "kind": "review"} for r in reviews[:REVIEWS]]
        + [{**i, "kind": "issue"} for i in issues]
    )
    embedder = CachedEmbedder(get_embedder(), DiskCache())
    old = [i["text"][:2000] for i in items]
    new = [facts(i).words for i in items]
    old_vectors, new_vectors = embedder.encode(old), embedder.encode(new)
    demo_rows = list(range(len(demo)))
    demo_alone = labels_of(old_vectors[demo_rows], [old[n] for n in demo_rows], None)
    print(f"{MACHINE}; {len(items)} items ({len(demo)} demo, {REVIEWS} reviews, {ISSUES} issues)")
    runs = [("before: text, percentile cut", old_vectors, old, None)]
    runs.append(
        (f"after: subject + text less markup, score {THEME_SCORE}", new_vectors, new, THEME_SCORE)
    )
    if args.choose:
        runs = [(f"score {s}", new_vectors, new, s) for s in GRID]
    part = 0 if args.choose else 1
    print(f"half: {'development' if args.choose else 'report'}")
    for name, vectors, texts, cut in runs:
        labels = labels_of(vectors, texts, cut)
        print(f"{name}: {figures(items, labels, demo_alone, part)}")
        if args.choose:
            continue
        more = [facts(i).words if cut is not None else i["text"][:2000] for i in added]
        grown = labels_of(np.vstack([vectors, embedder.encode(more)]), texts + more, cut)
        order = np.random.default_rng(0).permutation(len(texts))
        shuffled = np.empty(len(texts), dtype=int)
        shuffled[order] = labels_of(vectors[order], [texts[n] for n in order], cut)
        print(
            f"  stability: ARI {adjusted_rand_score(labels, grown[: len(texts)]):.3f} with "
            f"{len(added)} reviews added, {adjusted_rand_score(labels, shuffled):.3f} in "
            "another order",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
