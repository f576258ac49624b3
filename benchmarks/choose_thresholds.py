"""Choose the decision cuts on the 0-100 score on STS Benchmark DEV (never on test).

Two decisions in the analysis are yes/no questions about a pair of texts:

- does a named priority (or a "why my work matters") name an official goal? Yes when a person
  would say the two share details, not just a topic: human STS >= 2 ("not equivalent, but share
  some details"; 1 is "on the same topic"). Used by priorities.MATCH_SCORE and
  line_of_sight.LINK_SCORE.
- does a restatement of the vision show understanding? Yes when a person would call it roughly
  equivalent: human STS >= 3. Used by quadrant.UNDERSTANDS.

For each, the cut is the score with the best accuracy at predicting the human yes/no on the dev
split (the score's curve was fitted on train, so dev is unseen by both), rounded to 5 points,
since a reader will see the cut. Balanced accuracy is printed alongside: the two agree closely.

    .venv/bin/python benchmarks/choose_thresholds.py [onnx|onnx-fp32|sentence-transformers]
"""

import sys
from datetime import date

import numpy as np
from evaldata import MACHINE, sts_pairs

from truenorth.analysis.cluster import SAME_READING
from truenorth.analysis.embed import get_embedder
from truenorth.analysis.priorities import MATCH_SCORE
from truenorth.analysis.quadrant import UNDERSTANDS
from truenorth.analysis.score import score_pairs

DECISIONS = (("names a goal", 2.0, MATCH_SCORE), ("understands", 3.0, UNDERSTANDS))
CUTS = np.arange(0.0, 100.5, 0.5)


def accuracies(scores: np.ndarray, truth: np.ndarray, cut: float) -> tuple[float, float]:
    said = scores >= cut
    plain = float(np.mean(said == truth))
    balanced = float((np.mean(said[truth]) + np.mean(~said[~truth])) / 2)
    return plain, balanced


def main() -> None:
    pairs = sts_pairs("dev")
    embedder = get_embedder(engine=sys.argv[1] if len(sys.argv) > 1 else "onnx")
    scores = score_pairs([(a, b) for a, b, _ in pairs], embedder)
    human = np.array([p[2] for p in pairs])
    print(
        f"Decision cuts chosen on STS dev, {len(pairs)} pairs, {embedder.model_name} — "
        f"{date.today()}, {MACHINE}"
    )
    print(
        f"  {'decision':14} {'human':>6} {'best cut':>9} {'acc':>6} {'bal.acc':>8} "
        f"{'rounded':>8} {'acc':>6} {'in code':>8} {'acc':>6}"
    )
    for name, level, in_code in DECISIONS:
        truth = human >= level
        best = max(CUTS, key=lambda c: accuracies(scores, truth, c)[0])
        chosen = 5 * round(best / 5)
        acc, bal = accuracies(scores, truth, best)
        print(
            f"  {name:14} {level:>6.1f} {best:9.1f} {acc:6.3f} {bal:8.3f} {chosen:8d} "
            f"{accuracies(scores, truth, chosen)[0]:6.3f} {in_code:8g} "
            f"{accuracies(scores, truth, in_code)[0]:6.3f}"
        )
    # The interpretation cut is a linkage cut, not a pair decision; shown for reference only.
    truth = human >= 2.5
    print(
        f"  interpretation cut {SAME_READING:g}: accuracy for human >= 2.5 "
        f"{accuracies(scores, truth, SAME_READING)[0]:.3f}"
    )


if __name__ == "__main__":
    main()
