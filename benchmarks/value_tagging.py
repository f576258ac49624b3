"""How well customer needs are tagged functional or psychological (truenorth/analysis/value.py).

Reads benchmarks/data/value_needs.csv (289 needs labelled by hand before any classifier existed;
benchmarks/data/value_needs.md says how, and lists the hard cases by kind). The set is split in
two halves by a fixed rule, the parity of each text's hash (theme_quality.half, as every labelled
set here): the development half is the only one anything is chosen or trained on, the test half
is what is reported. The dev half's figures are printed too, labelled as such; they flatter.

In the same run, on the same rows: the classifier; the majority class of dev; a list of feeling
words (psychological when the text has one; written from value_needs.md's definitions before any
result was seen); TF-IDF of words and word pairs with a logistic regression trained on the dev
half; and, for comparison, a logistic regression on the same embeddings trained on the dev half.
For each: accuracy, macro-F1, per-class precision and recall; for the classifier, the share it
marks unsure and its accuracy on the rest (a method without "unsure" is scored on every row).
Then accuracy on the hard cases by kind and per domain, and the test rows the classifier gets
wrong with the most confidence.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/value_tagging.py            # about 10 s
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/value_tagging.py --choose   # dev half only

--choose fits value.py's TOP, SLOPE and OFFSET on the dev half (it reads no test row) and prints
them, for value.py's constants.
"""

import argparse
import csv
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
from evaldata import MACHINE
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from theme_quality import half

from truenorth.analysis import value
from truenorth.analysis.embed import get_embedder

DATA = Path(__file__).with_name("data") / "value_needs.csv"
NOTES = DATA.with_suffix(".md")
KINDS = value.KINDS

# Written from value_needs.md's definition of psychological value and everyday words for a
# feeling, before any result was seen; never changed after.
FEELING = re.compile(
    r"\b(?:feel|feels|feeling|felt|safe|safety|secure|trust|trusted|confident|confidence|"
    r"in control|reassur\w*|seen|heard|respect\w*|valued|anxious|anxiety|worr\w*|stress\w*|"
    r"nervous|afraid|scared|fear|panic\w*|dread\w*|calm|peace of mind|proud|pride|"
    r"embarrass\w*|ashamed|humiliat\w*|guilty|lonely|overwhelmed|relie\w*|comfortable|"
    r"happy|upset|frustrat\w*|angry|annoyed|love|hate)\b",
    re.IGNORECASE,
)


def read_needs() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def hard_cases() -> dict[str, set[str]]:
    """The hard ids by kind, as value_needs.md's "Hard cases" section lists them."""
    section = NOTES.read_text(encoding="utf-8").split("## Hard cases", 1)[1].split("\n## ", 1)[0]
    kinds: dict[str, set[str]] = {}
    for bullet in re.split(r"\n- ", section)[1:]:
        name = re.split(r"\s*\(", bullet, maxsplit=1)[0].strip()
        kinds[name] = set(re.findall(r"\bv\d{3}\b", bullet))
    return kinds


def scores(truth: list[str], predicted: list[str]) -> dict[str, float]:
    """Accuracy, macro-F1 and per-kind precision and recall over rows not marked unsure."""
    pairs = [(t, p) for t, p in zip(truth, predicted, strict=True) if p != value.UNSURE_KIND]
    out = {"accuracy": sum(t == p for t, p in pairs) / max(1, len(pairs))}
    f1s = []
    for kind in KINDS:
        hits = sum(t == p == kind for t, p in pairs)
        precision = hits / max(1, sum(p == kind for _, p in pairs))
        recall = hits / max(1, sum(t == kind for t, _ in pairs))
        out[f"{kind} P"], out[f"{kind} R"] = precision, recall
        f1s.append(2 * precision * recall / max(1e-9, precision + recall))
    out["macro-F1"] = float(np.mean(f1s))
    return out


def accuracy(truth: list[str], predicted: list[str]) -> float:
    """Right answers over all rows: an unsure one counts as wrong."""
    return sum(t == p for t, p in zip(truth, predicted, strict=True)) / max(1, len(truth))


def choose(dev: list[dict[str, str]], vectors: np.ndarray, embedder) -> None:
    """Fit TOP, SLOPE and OFFSET on the dev half and print them."""
    truth = np.array([row["label"] == "psychological" for row in dev])
    prototypes = value.prototype_vectors(embedder)
    print(f"dev half: {len(dev)} needs, {truth.mean():.1%} psychological\n")
    print("  top   slope  offset   accuracy  log-loss  unsure  accuracy on the rest")
    best = None
    for top in (1, 2, 3, 5, 100):
        d = value.differences(vectors, prototypes, top=top)
        fit = LogisticRegression(C=1e4, max_iter=5000).fit(d.reshape(-1, 1), truth)
        slope, offset = float(fit.coef_[0, 0]), float(fit.intercept_[0])
        p = value.probabilities(d, slope, offset)
        loss = -np.mean(np.log(np.where(truth, p, 1 - p)))
        right = (p >= 0.5) == truth
        sure = np.maximum(p, 1 - p) >= value.UNSURE
        print(
            f"  {top:>3} {slope:7.2f} {offset:7.3f}   {right.mean():8.3f}  {loss:8.3f}"
            f"  {1 - sure.mean():5.1%}  {right[sure].mean():.3f}"
        )
        if best is None or loss < best[0]:
            best = (loss, top, slope, offset)
    assert best
    _, top, slope, offset = best
    print(f"\nlowest log-loss: TOP = {top}, SLOPE = {slope:.1f}, OFFSET = {offset:.2f}")
    p = value.probabilities(value.differences(vectors, prototypes, top=top), slope, offset)
    print("\ndev rows it gets wrong (for revising the prototypes on this half only):")
    for row, p_row in zip(dev, p, strict=True):
        if (p_row >= 0.5) != (row["label"] == "psychological"):
            print(f"  {row['id']} {row['label']:<13} p(psychological) {p_row:.2f} {row['text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--choose", action="store_true", help="fit value.py's constants on dev")
    args = parser.parse_args()

    rows = read_needs()
    parts = {name: [row for row in rows if half(row["text"]) == name] for name in ("dev", "test")}
    embedder = get_embedder()
    vectors = {name: embedder.encode([row["text"] for row in part]) for name, part in parts.items()}
    dev = parts["dev"]
    if args.choose:
        choose(dev, vectors["dev"], embedder)
        return

    dev_texts = [row["text"] for row in dev]
    dev_labels = [row["label"] for row in dev]
    majority = Counter(dev_labels).most_common(1)[0][0]
    tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    words = LogisticRegression(C=10.0, max_iter=5000).fit(
        tfidf.fit_transform(dev_texts), dev_labels
    )
    embedded = LogisticRegression(C=1.0, max_iter=5000).fit(vectors["dev"], dev_labels)

    methods: dict[str, Callable[[list[str], np.ndarray], list[str]]] = {
        "truenorth (prototypes)": lambda texts, v: [
            found.kind for found in value.classify_vectors(v, embedder)
        ],
        "  its leaning, never unsure": lambda texts, v: [
            found.leaning for found in value.classify_vectors(v, embedder)
        ],
        f"majority of dev ({majority})": lambda texts, v: [majority] * len(texts),
        "feeling words": lambda texts, v: [
            "psychological" if FEELING.search(text) else "functional" for text in texts
        ],
        "TF-IDF + LR trained on dev": lambda texts, v: list(words.predict(tfidf.transform(texts))),
        "embeddings + LR trained on dev": lambda texts, v: list(embedded.predict(v)),
    }

    print(
        f"Functional or psychological value — {date.today()}, {MACHINE}, {embedder.model_name}\n"
        f"value.py: {sum(map(len, value.PROTOTYPES.values()))} prototypes, TOP {value.TOP}, "
        f"SLOPE {value.SLOPE}, OFFSET {value.OFFSET}, UNSURE {value.UNSURE}"
    )
    names, weights = tfidf.get_feature_names_out(), words.coef_[0]  # > 0: psychological
    order = np.argsort(weights)
    print(f"TF-IDF's heaviest terms, functional: {', '.join(names[order[:8]])}")
    print(f"TF-IDF's heaviest terms, psychological: {', '.join(names[order[::-1][:8]])}")
    hard = hard_cases()
    for name in ("test", "dev"):
        part = parts[name]
        texts = [row["text"] for row in part]
        truth = [row["label"] for row in part]
        counts = Counter(truth)
        print(
            f"\n{name} half{' (chosen and trained on: flatters)' if name == 'dev' else ''}: "
            f"{len(part)} needs, {counts['functional']} functional, "
            f"{counts['psychological']} psychological"
        )
        print(
            "                                    all   unsure  accuracy  macro-F1"
            "  functional P/R  psychological P/R"
        )
        predicted = {method: run(texts, vectors[name]) for method, run in methods.items()}
        for method, guess in predicted.items():
            s = scores(truth, guess)
            unsure = guess.count(value.UNSURE_KIND) / len(guess)
            print(
                f"  {method:<32} {accuracy(truth, guess):.3f}  {unsure:6.1%}    {s['accuracy']:.3f}"
                f"     {s['macro-F1']:.3f}     {s['functional P']:.2f} / {s['functional R']:.2f}"
                f"        {s['psychological P']:.2f} / {s['psychological R']:.2f}"
            )
        print(
            "  (all: right over every row, unsure counted wrong; accuracy, F1, P/R: over the rows"
            " not marked unsure)"
        )
        if name == "dev":
            continue
        shown = ["truenorth (prototypes)", "  its leaning, never unsure", "feeling words",
                 "TF-IDF + LR trained on dev", "embeddings + LR trained on dev"]  # fmt: skip
        print("\n  accuracy over all rows (unsure counted wrong), by kind of row:")
        print(f"  {'':<50}{'n':>4}  " + "  ".join(f"{m.strip()[:12]:>12}" for m in shown))
        groups = {f"hard: {kind}": ids for kind, ids in hard.items()}
        groups["not hard"] = {row["id"] for row in part} - set().union(*hard.values())
        groups |= {f"domain: {d}": {r["id"] for r in part if r["domain"] == d}
                   for d in sorted({row["domain"] for row in part})}  # fmt: skip
        for group, ids in groups.items():
            at = [i for i, row in enumerate(part) if row["id"] in ids]
            cells = [accuracy([truth[i] for i in at], [predicted[m][i] for i in at]) for m in shown]
            print(f"  {group[:50]:<50}{len(at):>4}  " + "  ".join(f"{c:12.2f}" for c in cells))

        found = value.classify_vectors(vectors[name], embedder)
        print("\n  the classifier's confidence against how often its leaning is right:")
        for low, high in ((0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)):
            at = [i for i, f in enumerate(found) if low <= f.confidence < high]
            right = sum(found[i].leaning == truth[i] for i in at) / max(1, len(at))
            print(f"  {low:.1f} to {min(high, 1.0):.1f}: {len(at):>3} rows, {right:.2f} right")
        wrong = [
            (f.confidence, row)
            for f, row in zip(found, part, strict=True)
            if f.kind not in (value.UNSURE_KIND, row["label"])
        ]
        print(f"\n  the {min(8, len(wrong))} test rows it gets wrong most confidently:")
        for confidence, row in sorted(wrong, key=lambda pair: -pair[0])[:8]:
            print(f"  {row['id']} {row['label']:<13} ({confidence:.2f} the other) {row['text']}")


if __name__ == "__main__":
    sys.exit(main())
