"""How well comments on a decision are sorted into question / objection / support.

Reads benchmarks/data/decision_comments.csv (written, and its sha256 recorded in docs/decisions.md,
before the classifier existed). Rows with id % 3 == 0 are the dev part, the only rows the
classifier is trained on; the other two thirds are the held-out test part every figure is
reported on. In the same run, on the same test rows: the classifier (truenorth/analysis/stance.py),
the rule baseline (stance.baseline) and the majority class of dev.

Public data: nothing packaged on PyPI, Debian or npm labels stance or dialogue acts (see
docs/decisions.md for what was searched), so the one public check is question detection on the
real GitHub issue titles in ../shared/evaldata/github-issues (label question versus bug or
feature): question (confusion) against anything else, the only honest mapping of those labels.

    .venv/bin/python benchmarks/comment_stance.py [--train]

--train first fits the weights on dev (regularisation by 5-fold cross-validation on dev, fixed
folds) and writes truenorth/analysis/stance_weights/<model key>.npz.
"""

import argparse
import csv
import hashlib
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from evaldata import EVALDATA, MACHINE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from truenorth.analysis import calibration, stance
from truenorth.analysis.embed import get_embedder

DATA = Path(__file__).with_name("data") / "decision_comments.csv"
SEED = 14


def read_comments() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def split(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(dev, test): dev is every row whose id is a multiple of 3."""
    dev = [row for row in rows if int(row["id"]) % 3 == 0]
    test = [row for row in rows if int(row["id"]) % 3 != 0]
    return dev, test


def train(embedder, dev: list[dict[str, str]]) -> None:
    texts = [row["comment"] for row in dev]
    x = stance.features(embedder.encode(texts), texts)
    y = np.array([stance.KINDS.index(row["label"]) for row in dev])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    scores = {}
    for c in (0.3, 1.0, 3.0, 10.0, 30.0):
        model = LogisticRegression(C=c, max_iter=5000)
        scores[c] = float(np.mean(cross_val_score(model, x, y, cv=folds, scoring="f1_macro")))
        print(f"C={c:<4} 5-fold macro-F1 on dev {scores[c]:.3f}")
    c = max(scores, key=lambda k: scores[k])
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    stance.WEIGHTS.mkdir(exist_ok=True)
    out = stance.WEIGHTS / f"{calibration.selected()}.npz"
    np.savez_compressed(
        out, coef=model.coef_.astype(np.float32), intercept=model.intercept_.astype(np.float32)
    )
    stance.weights.cache_clear()
    print(f"wrote {out.name}: C={c}, {len(dev)} dev comments, {x.shape[1]} features\n")


def report(name: str, truth: list[str], predicted: list[str], kinds=stance.KINDS) -> float:
    """Print accuracy, per-kind precision / recall / F1 and the confusion matrix; macro-F1."""
    accuracy = np.mean([t == p for t, p in zip(truth, predicted, strict=True)])
    print(f"{name}: accuracy {accuracy:.3f} on {len(truth)}")
    f1s = []
    for kind in kinds:
        hits = sum(t == p == kind for t, p in zip(truth, predicted, strict=True))
        precision = hits / max(1, predicted.count(kind))
        recall = hits / max(1, truth.count(kind))
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        f1s.append(f1)
        n = truth.count(kind)
        print(f"  {kind:<10} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (n={n})")
    print(f"  macro-F1 {np.mean(f1s):.3f}")
    print("  confusion, rows true, columns predicted:")
    print("  " + " " * 10 + "".join(f"{k:>11}" for k in kinds))
    for kind in kinds:
        counts = Counter(p for t, p in zip(truth, predicted, strict=True) if t == kind)
        print(f"  {kind:<10}" + "".join(f"{counts[k]:>11}" for k in kinds))
    return float(np.mean(f1s))


def github_issue_labels() -> list[tuple[str, str]]:
    """(title, label) of the real GitHub issues: bug, feature or question."""
    with (EVALDATA / "github-issues" / "issues_train.csv").open(encoding="utf-8") as stream:
        return [(row["title"], row["label"]) for row in csv.DictReader(stream) if row["title"]]


def public_questions(embedder) -> None:
    issues = github_issue_labels()
    titles = [title for title, _ in issues]
    truth = ["question" if label == "question" else "other" for _, label in issues]
    print(f"\nPublic: {len(issues)} real GitHub issue titles, question versus bug or feature")

    def as_question(kinds: list[str]) -> list[str]:
        return ["question" if k == "question" else "other" for k in kinds]

    found = [s.kind for s in stance.classify(titles, embedder)]
    report("classifier", truth, as_question(found), kinds=("question", "other"))
    report(
        "baseline", truth, as_question([stance.baseline(t) for t in titles]), ("question", "other")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="refit the weights on dev first")
    args = parser.parse_args()
    embedder = get_embedder()
    rows = read_comments()
    dev, test = split(rows)
    print(
        f"{DATA.name}: {len(rows)} comments, sha256 {hashlib.sha256(DATA.read_bytes()).hexdigest()}"
    )
    print(f"dev {len(dev)} / test {len(test)}; model {calibration.selected()}; {MACHINE}\n")
    if args.train:
        train(embedder, dev)
    texts = [row["comment"] for row in test]
    truth = [row["label"] for row in test]
    report("classifier", truth, [s.kind for s in stance.classify(texts, embedder)])
    report("baseline (rules)", truth, [stance.baseline(text) for text in texts])
    majority = Counter(row["label"] for row in dev).most_common(1)[0][0]
    report(f"majority of dev ({majority})", truth, [majority] * len(texts))
    public_questions(embedder)


if __name__ == "__main__":
    sys.exit(main())
