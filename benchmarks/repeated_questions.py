"""Is a decision's question the same question raised again, or another question on its topic?

The labelled set (benchmarks/data/repeated_questions.csv) holds 72 pairs of decision questions
written for this benchmark before any cut was chosen: for each of 36 topics, the question
reworded (same = 1: "Should we move payment processing to a new vendor?" / "Should we switch
to a different payments provider?") and a different question on the same topic (same = 0:
"How should we price payment processing for enterprise customers?"). The hard negatives share
the topic's words, so a cut that passes them would flag every decision on a subject as a repeat.

The cut on the score (0-100, score.py) is chosen on the fitting half, the even-numbered topics
(the best accuracy; among equals the middle of the best run of cuts), and reported on the other
half, the odd-numbered topics, which the choice never saw. decision_reading.REPEATED_SCORE is
the chosen cut rounded to 5 points, as readers see it.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/repeated_questions.py
"""

import csv
from datetime import date
from pathlib import Path

import numpy as np
from evaldata import MACHINE

from truenorth.analysis import decision_reading
from truenorth.analysis.embed import get_embedder
from truenorth.analysis.score import cosine_to_score

DATA = Path(__file__).parent / "data" / "repeated_questions.csv"
CUTS = np.arange(0.0, 100.5, 0.5)


def read_pairs() -> list[dict]:
    with open(DATA, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows):
        row["topic"] = i // 2
        row["same"] = row["same"] == "1"
    return rows


def scores(rows: list[dict], embedder) -> np.ndarray:
    a = embedder.encode([r["question"] for r in rows])
    b = embedder.encode([r["other"] for r in rows])
    return np.asarray(cosine_to_score(np.sum(a * b, axis=1)))


def figures(score: np.ndarray, same: np.ndarray, cut: float) -> dict[str, float]:
    flagged = score >= cut
    hits = int(np.sum(flagged & same))
    return {
        "accuracy": float(np.mean(flagged == same)),
        "precision": hits / max(int(flagged.sum()), 1),
        "recall": hits / max(int(same.sum()), 1),
        "n": len(same),
    }


def best_cut(score: np.ndarray, same: np.ndarray) -> float:
    accuracy = np.array([np.mean((score >= c) == same) for c in CUTS])
    best = np.flatnonzero(accuracy == accuracy.max())
    run = best[: np.argmax(np.diff(np.append(best, 10**6)) != 1) + 1]  # the first run of equals
    return float(CUTS[run[len(run) // 2]])


def main() -> None:
    embedder = get_embedder()
    rows = read_pairs()
    score = scores(rows, embedder)
    same = np.array([r["same"] for r in rows])
    fit = np.array([r["topic"] % 2 == 0 for r in rows])
    cut = best_cut(score[fit], same[fit])
    rounded = round(cut / 5) * 5
    print(f"{date.today()}, {MACHINE}, {embedder.model_name}")
    print(f"scores: same {np.mean(score[same]):.1f} (min {np.min(score[same]):.1f}), ")
    print(f"        different {np.mean(score[~same]):.1f} (max {np.max(score[~same]):.1f})")
    print(f"cut chosen on the fitting half ({int(fit.sum())} pairs): {cut}; rounded {rounded}")
    print(f"decision_reading.REPEATED_SCORE = {decision_reading.REPEATED_SCORE}")
    print("| half | cut | pairs | accuracy | precision | recall |")
    print("|---|---|---|---|---|---|")
    for name, where in (("fitting", fit), ("held out", ~fit)):
        for c in sorted({cut, float(rounded), decision_reading.REPEATED_SCORE}):
            f = figures(score[where], same[where], c)
            print(
                f"| {name} | {c:g} | {f['n']} | {f['accuracy']:.3f} | {f['precision']:.3f} "
                f"| {f['recall']:.3f} |"
            )
    missed = [(r, s) for r, s, w in zip(rows, score, ~fit, strict=True) if w]
    for row, s in missed:
        if (s >= decision_reading.REPEATED_SCORE) != row["same"]:
            print(
                f"  wrong on held out: {s:.1f} same={row['same']} {row['question']} / {row['other']}"
            )


if __name__ == "__main__":
    main()
