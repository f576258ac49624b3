"""Are customer needs matched to the initiatives that would address them, and is a need nothing
on the roadmap addresses found unaddressed?

The labelled set (benchmarks/data/needs_roadmap.csv, see needs_roadmap.md) holds 174 needs as
customers voice them, each labelled by hand, before any matcher ran, with the demo roadmap's
initiatives that would address it (truenorth/demo/content.py: 25 active ones; the dropped RM-26
addresses nothing), or none. 55 % are addressed; 97 are hard on purpose (a need naming an
initiative's words but asking for something else, or asking for what one delivers in other
words).

The matcher is truenorth.analysis.needs.addressing: each need to each initiative on the better
of its title and its title with its problem, addressed at MATCH_SCORE (35, chosen on STS dev
data: nothing here is tuned on this set), at most 3 initiatives a need; for comparison, the
same with its cut chosen on the set's development half. Baselines in the same
run: "always addressed, by the nearest initiative" (the model with no cut), and TF-IDF cosine
on words with the one cut a keyword matcher has untuned (any shared word), and with its cut
chosen on the set's development half (the parity of a hash of the text, as theme_quality.py
splits). Every figure is on the test half unless it says "all".

    .venv/bin/python benchmarks/need_matching.py
"""

import csv
from datetime import date
from pathlib import Path

import numpy as np
from claim_matching import wilson
from evaldata import MACHINE
from sklearn.feature_extraction.text import TfidfVectorizer
from theme_quality import half

from truenorth.analysis.embed import get_embedder
from truenorth.analysis.matching import MATCH_SCORE
from truenorth.analysis.needs import TOP, Target, addressing
from truenorth.demo.content import INITIATIVES

DATA = Path(__file__).parent / "data"
TFIDF_CUTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
MODEL_CUTS = (20, 25, 30, 35, 40, 45, 50)


def read_needs() -> list[dict]:
    with open(DATA / "needs_roadmap.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["expected"] = set(filter(None, row["initiatives"].split(";")))
        row["half"] = half(row["text"])
        row["hard"] = row["note"].startswith(("Hard positive", "Hard negative"))
    return rows


def roadmap() -> list[Target]:
    active = [i for i in INITIATIVES if i["status"] != "dropped"]
    return [
        Target("initiative", n, i["title"], i["problem"], i["status"], i["key"])
        for n, i in enumerate(active)
    ]


def tfidf_scores(texts: list[str], targets: list[Target]) -> np.ndarray:
    sides = [text for target in targets for text in target.texts]
    vectorizer = TfidfVectorizer(stop_words="english").fit(sides + texts)
    cosine = (vectorizer.transform(texts) @ vectorizer.transform(sides).T).toarray()
    return np.maximum(cosine[:, 0::2], cosine[:, 1::2])  # title, or title with problem


def tfidf_found(scores: np.ndarray, cut: float) -> list[set[int]]:
    found = []
    for row in scores:
        order = [int(i) for i in np.argsort(-row, kind="stable") if row[i] > cut]
        found.append(set(order[:TOP]))
    return found


def judged(found: list[set[int]], rows: list[dict], targets: list[Target]) -> dict:
    """How a matcher did on `rows`: addressed or not, and which initiative."""
    keys = [[targets[n].key for n in f] for f in found]
    said = np.array([bool(k) for k in keys])
    truth = np.array([bool(r["expected"]) for r in rows])
    hits = int(np.sum(said & truth))
    unaddressed_hits = int(np.sum(~said & ~truth))
    right = [
        (not r["expected"] and not k) or bool(r["expected"] and set(k) & r["expected"])
        for k, r in zip(keys, rows, strict=True)
    ]
    which = [
        bool(set(k) & r["expected"]) for k, r in zip(keys, rows, strict=True) if r["expected"] and k
    ]
    return {
        "n": len(rows),
        "right": right,
        "addressed precision": hits / max(1, int(said.sum())),
        "addressed recall": hits / max(1, int(truth.sum())),
        "unaddressed precision": unaddressed_hits / max(1, int((~said).sum())),
        "unaddressed recall": unaddressed_hits / max(1, int((~truth).sum())),
        "which is right": sum(which) / max(1, len(which)),
        "hard right": [ok for ok, r in zip(right, rows, strict=True) if r["hard"]],
    }


def report(name: str, result: dict) -> None:
    n, right = result["n"], sum(result["right"])
    low, high = wilson(right, n)
    hard = result["hard right"]
    print(f"{name}")
    print("  right (addressed by a labelled initiative, or unaddressed and said so)")
    print(
        f"    {right / n:.3f}  ({right}/{n}; 95% {low:.2f}-{high:.2f}); hard rows "
        f"{sum(hard) / max(1, len(hard)):.3f} ({sum(hard)}/{len(hard)})"
    )
    print(
        f"  unaddressed found: precision {result['unaddressed precision']:.3f}, "
        f"recall {result['unaddressed recall']:.3f}; addressed: precision "
        f"{result['addressed precision']:.3f}, recall {result['addressed recall']:.3f}; "
        f"when both say addressed, by a labelled initiative {result['which is right']:.3f}"
    )


def main() -> None:
    rows = read_needs()
    targets = roadmap()
    test = [r for r in rows if r["half"] == "test"]
    dev = [r for r in rows if r["half"] == "dev"]
    print(
        f"Needs to the roadmap: {len(rows)} labelled needs ({len(test)} test, {len(dev)} dev), "
        f"{len(targets)} active initiatives — {date.today()}, {MACHINE}"
    )
    embedder = get_embedder()
    vectors = embedder.encode([r["text"] for r in test])
    model = addressing(vectors, targets, embedder.encode)
    print(f"  (model: {embedder.model_name}, cut MATCH_SCORE {MATCH_SCORE:g})\n")
    report("model, cut MATCH_SCORE", judged(model, test, targets))
    dev_vectors = embedder.encode([r["text"] for r in dev])
    cut = max(
        MODEL_CUTS,
        key=lambda c: sum(
            judged(addressing(dev_vectors, targets, embedder.encode, c), dev, targets)["right"]
        ),
    )
    chosen = addressing(vectors, targets, embedder.encode, cut=cut)
    report(f"model, cut {cut:g} chosen on the dev half", judged(chosen, test, targets))
    nearest = addressing(vectors, targets, embedder.encode, cut=-100.0)
    report("baseline: always addressed, by the nearest initiatives", judged(nearest, test, targets))
    test_scores = tfidf_scores([r["text"] for r in test], targets)
    report(
        "baseline: TF-IDF words, any shared word",
        judged(tfidf_found(test_scores, 0.0), test, targets),
    )
    dev_scores = tfidf_scores([r["text"] for r in dev], targets)
    best = max(
        TFIDF_CUTS, key=lambda c: sum(judged(tfidf_found(dev_scores, c), dev, targets)["right"])
    )
    report(
        f"baseline: TF-IDF words, cut {best:g} chosen on the dev half",
        judged(tfidf_found(test_scores, best), test, targets),
    )
    print("\nThe model's wrong answers on the test half (expected -> said):")
    for row, found in zip(test, model, strict=True):
        said = {targets[n].key for n in found}
        ok = (not row["expected"] and not said) or (row["expected"] & said)
        if not ok:
            expected = ";".join(sorted(row["expected"])) or "none"
            print(
                f"  {row['id']} {expected:>11} -> {';'.join(sorted(said)) or 'none':<17} {row['text'][:70]}"
            )


if __name__ == "__main__":
    main()
