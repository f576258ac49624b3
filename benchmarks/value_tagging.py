"""How well customer needs are tagged functional or psychological (truenorth/analysis/value.py).

Reads benchmarks/data/value_needs.csv (289 needs labelled by hand before any classifier existed;
benchmarks/data/value_needs.md says how, and lists the hard cases by kind). The set is split in
two halves by a fixed rule, the parity of each text's hash (theme_quality.half, as every labelled
set here): the development half is the only one anything is chosen or trained on, the test half
is what is reported. The dev half's figures are printed too, labelled as such; they flatter.

In the same run, on the same rows: the classifier (value.py's prototypes averaged with its words
model, which is trained on the dev half as the package ships it); the prototypes alone, as
value.py suggested until the comparison below; the majority class of dev; a list of feeling
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

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/value_tagging.py --compare  # dev half only
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/value_tagging.py --write-examples

--write-examples writes the dev half's rows (text and label, nothing else) to
truenorth/analysis/data/value_examples.csv, the examples value.py ships and trains its words
model on; the normal run refuses to start when that file is not exactly the dev half.

--compare reads the dev half only and scores each candidate suggestion by cross-validation inside
it: 5-fold stratified, repeated with seeds 0 to 4; a trained candidate is fitted on four folds
and scored on the fifth, an untrained one is scored on each fold as it is. Each row's leaning
(every row answered) gives accuracy, macro-F1 and psychological recall, pooled over the folds of
a repeat, then averaged over the repeats; the unsure share at value.UNSURE is printed beside.
The candidates:

  (a) value.py's prototypes as they are (their TOP, SLOPE and OFFSET were chosen on the whole
      dev half, so this row flatters them);
  (b) the prototypes plus the training folds' needs as more prototypes of their label (the same
      TOP nearest per kind), SLOPE and OFFSET refitted on the training folds, each training row
      scored without itself;
  (c) a logistic regression on the embedding and the prototypes' logit (SLOPE * d + OFFSET),
      class_weight "balanced", C chosen by an inner 5-fold CV of the training folds;
  (d) the mean of the prototypes' p(psychological) and TF-IDF + LR's (the baseline's settings);
  (e) TF-IDF + LR alone (the baseline's settings: words and word pairs, C = 10).

The rule, written before the first run: the highest mean macro-F1 wins; a candidate within 0.01
of it counts as equal, and among equals the one earliest in the order (a) to (e) is taken. The
order is how much a candidate leans on the one writer of the labelled set: none of it (a); its
needs only through the embedding, as neighbours (b) or as a direction (c); its words (d, e).
Needs other people write, goals and theme labels will not share that writer's habits.
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
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
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


def with_examples(
    vectors: np.ndarray, labels: np.ndarray, prototypes: dict[str, np.ndarray]
) -> Callable[[np.ndarray], np.ndarray]:
    """Candidate (b): the labelled needs as more prototypes of their kind, the curve refitted on
    them with each one scored without itself."""
    psychological = labels == value.PSYCHOLOGICAL
    extended = {
        kind: np.vstack([prototypes[kind], vectors[psychological == (kind == value.PSYCHOLOGICAL)]])
        for kind in KINDS
    }
    own = []
    for i in range(len(vectors)):
        others = np.arange(len(vectors)) != i
        held = {
            kind: np.vstack(
                [
                    prototypes[kind],
                    vectors[others & (psychological == (kind == value.PSYCHOLOGICAL))],
                ]
            )
            for kind in KINDS
        }
        own.append(value.differences(vectors[i : i + 1], held)[0])
    curve = LogisticRegression(C=1e4, max_iter=5000).fit(np.reshape(own, (-1, 1)), psychological)
    slope, offset = float(curve.coef_[0, 0]), float(curve.intercept_[0])
    return lambda new: value.probabilities(value.differences(new, extended), slope, offset)


def embedding_lr(
    vectors: np.ndarray, labels: np.ndarray, prototypes: dict[str, np.ndarray]
) -> Callable[[np.ndarray], np.ndarray]:
    """Candidate (c): a balanced logistic regression on the embedding and the prototypes' logit."""

    def features(v: np.ndarray) -> np.ndarray:
        logit = value.SLOPE * value.differences(v, prototypes) + value.OFFSET
        return np.hstack([v, logit.reshape(-1, 1)])

    fit = LogisticRegressionCV(
        Cs=(0.1, 1.0, 10.0, 100.0), cv=5, class_weight="balanced", scoring="neg_log_loss",
        max_iter=5000,
    ).fit(features(vectors), labels == value.PSYCHOLOGICAL)  # fmt: skip
    return lambda new: fit.predict_proba(features(new))[:, 1]


def compare(dev: list[dict[str, str]], vectors: np.ndarray, embedder) -> None:
    """Each candidate's cross-validated figures inside the dev half (see the module's docstring)."""
    texts = [row["text"] for row in dev]
    labels = np.array([row["label"] for row in dev])
    prototypes = value.prototype_vectors(embedder)
    own = value.probabilities(value.differences(vectors, prototypes))

    def candidates(train: np.ndarray, held: np.ndarray) -> dict[str, np.ndarray]:
        words = value.fit_words([texts[i] for i in train], list(labels[train]))(
            [texts[i] for i in held]
        )
        return {
            "(a) prototypes": own[held],
            "(b) prototypes + dev needs": with_examples(vectors[train], labels[train], prototypes)(
                vectors[held]
            ),
            "(c) embeddings + logit, LR": embedding_lr(vectors[train], labels[train], prototypes)(
                vectors[held]
            ),
            "(d) mean of (a) and (e)": (own[held] + words) / 2,
            "(e) TF-IDF + LR": words,
        }

    repeats = range(5)
    figures: dict[str, list[tuple[float, ...]]] = {}
    for seed in repeats:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        p: dict[str, np.ndarray] = {}
        for train, held in folds.split(texts, labels):
            for name, found in candidates(train, held).items():
                p.setdefault(name, np.zeros(len(dev)))[held] = found
        for name, found in p.items():
            leaning = [value.suggest(float(x)).leaning for x in found]
            s = scores(list(labels), leaning)
            unsure = np.mean([value.suggest(float(x)).kind == value.UNSURE_KIND for x in found])
            figures.setdefault(name, []).append(
                (s["accuracy"], s["macro-F1"], s["psychological R"], s["functional R"], unsure)
            )

    counts = Counter(labels)
    print(
        f"Functional or psychological value, candidates — {date.today()}, {MACHINE}, "
        f"{embedder.model_name}\ndev half only: {len(dev)} needs, {counts['functional']} "
        f"functional, {counts['psychological']} psychological; 5-fold stratified CV, seeds "
        f"{repeats.start} to {repeats.stop - 1}; every row answered (its leaning)\n"
    )
    print(
        "                                accuracy  macro-F1 (sd over seeds)  psychological R"
        "  functional R  unsure at 0.6"
    )
    mean_f1 = {}
    for name, rows in figures.items():
        a = np.array(rows)
        mean_f1[name] = a[:, 1].mean()
        print(
            f"  {name:<30} {a[:, 0].mean():.3f}     {a[:, 1].mean():.3f} ({a[:, 1].std():.3f})"
            f"              {a[:, 2].mean():.2f}           {a[:, 3].mean():.2f}        "
            f"{a[:, 4].mean():5.1%}"
        )
    best = max(mean_f1.values())
    chosen = next(name for name in mean_f1 if mean_f1[name] >= best - 0.01)
    print(
        f"\nthe rule (highest mean macro-F1; within 0.01 counts as equal, the earliest of (a) to "
        f"(e) among equals): {chosen}"
    )


def write_examples(dev: list[dict[str, str]]) -> None:
    """The dev half's needs (text and label only, in id order) as the examples value.py ships and
    trains its words model on. No test row goes in: the benchmark refuses to run otherwise."""
    value.EXAMPLES.parent.mkdir(exist_ok=True)
    with value.EXAMPLES.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows((row["text"], row["label"]) for row in dev)
    print(f"{len(dev)} dev needs written to {value.EXAMPLES}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--choose", action="store_true", help="fit value.py's constants on dev")
    parser.add_argument("--compare", action="store_true", help="candidates' CV on dev only")
    parser.add_argument(
        "--write-examples", action="store_true", help="write the dev half for value.py to ship"
    )
    args = parser.parse_args()

    rows = read_needs()
    parts = {name: [row for row in rows if half(row["text"]) == name] for name in ("dev", "test")}
    if args.write_examples:
        write_examples(parts["dev"])
        return
    embedder = get_embedder()
    dev = parts["dev"]
    vectors = {"dev": embedder.encode([row["text"] for row in dev])}
    if args.choose:
        choose(dev, vectors["dev"], embedder)
        return
    if args.compare:
        compare(dev, vectors["dev"], embedder)
        return
    vectors["test"] = embedder.encode([row["text"] for row in parts["test"]])
    if sorted(zip(*value.examples(), strict=True)) != sorted((r["text"], r["label"]) for r in dev):
        sys.exit(f"{value.EXAMPLES} is not the dev half: write it with --write-examples")

    dev_texts = [row["text"] for row in dev]
    dev_labels = [row["label"] for row in dev]
    majority = Counter(dev_labels).most_common(1)[0][0]
    tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    words = LogisticRegression(C=10.0, max_iter=5000).fit(
        tfidf.fit_transform(dev_texts), dev_labels
    )
    embedded = LogisticRegression(C=1.0, max_iter=5000).fit(vectors["dev"], dev_labels)

    methods: dict[str, Callable[[list[str], np.ndarray], list[str]]] = {
        "truenorth (prototypes + words)": lambda texts, v: [
            found.kind for found in value.classify_vectors(v, embedder, texts)
        ],
        "  its leaning, never unsure": lambda texts, v: [
            found.leaning for found in value.classify_vectors(v, embedder, texts)
        ],
        "prototypes alone (until now)": lambda texts, v: [
            found.kind for found in value.classify_vectors(v, embedder)
        ],
        "  their leaning, never unsure": lambda texts, v: [
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
        f"SLOPE {value.SLOPE}, OFFSET {value.OFFSET}, UNSURE {value.UNSURE}; averaged with "
        f"TF-IDF + LR (C {value.WORDS_C}) on the {len(value.examples()[0])} shipped examples"
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
        shown = ["truenorth (prototypes + words)", "  its leaning, never unsure",
                 "  their leaning, never unsure", "feeling words",
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

        found = value.classify_vectors(vectors[name], embedder, texts)
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
