"""Does the score tell understanding from contradiction? Before and after, on test splits only.

For each model (the previous default, all-MiniLM-L6-v2, and the current one), in one run:

- STS-B test: Spearman of the score with the human similarity rating (the score's own scale).
- SICK test, entailment vs contradiction: ROC AUC of the raw cosine, and of the relation
  classifier's p(entailment) − p(contradiction) where the model has one (relation.py).
- Paraphrase, MRPC-style, on STS-B test (a pair is a paraphrase when people rated it 4 or more):
  ROC AUC of the score, and precision / recall / F1 of the relation "conveys".
- Contradictions read as understanding: the share of SICK test contradictions at or above the old
  "understands" cut (score ≥ 55), against the share whose relation is conveys or partly.
- Restatements of multi-part sources, the text the product compares: each test pair's first
  sentence becomes one part of a four-part source, with three parts drawn from other test pairs
  (fixed seed), and the second sentence restates it. Whole-text score (what truenorth did) against
  fidelity part by part (fidelity.py): SICK E-vs-C AUC, STS Spearman, and the share of faithful
  restatements (STS ≥ 4) and of contradictions that read as understanding (fidelity ≥ 55).

The classifier was trained on SICK TRAIN and TRIAL only (benchmarks/train_relation.py); nothing
here is tuned.

    .venv/bin/python benchmarks/relation_quality.py [--engine onnx] [--models A,B] [--quick]
"""

import argparse
import random
from datetime import date

import numpy as np
from evaldata import MACHINE, sick_pairs, sts_pairs
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from truenorth.analysis import calibration, fidelity, relation
from truenorth.analysis.embed import DEFAULT_ENGINE, DEFAULT_MODEL, get_embedder
from truenorth.analysis.score import score_rows

BEFORE = "all-MiniLM-L6-v2"
OLD_UNDERSTANDS = 55.0
PARTS = 4


class Vectors:
    def __init__(self, embedder, texts):
        unique = list(dict.fromkeys(texts))
        self.index = {t: i for i, t in enumerate(unique)}
        self.vectors = embedder.encode(unique)

    def __call__(self, texts):
        return self.vectors[[self.index[t] for t in texts]]


def multipart(pairs, seed=0):
    """(parts, restatement, label): the pair's first sentence among PARTS - 1 others."""
    rng = random.Random(seed)
    others = [p[0] for p in pairs]
    built = []
    for a, b, label in pairs:
        parts = [a, *rng.sample([o for o in others if o != a], PARTS - 1)]
        rng.shuffle(parts)
        built.append((parts, b, label))
    return built


def part_fidelity(vec, built) -> np.ndarray:
    values = []
    for parts, restated, _ in built:
        named = {f"part {i}": p for i, p in enumerate(parts)}
        values.append(fidelity.read(restated, named, vec).fidelity)
    return np.array(values)


def whole_score(vec, built) -> np.ndarray:
    wholes = [" ".join(parts) for parts, _, _ in built]
    a, b = vec([r for _, r, _ in built]), vec(wholes)
    return score_rows(a, b)


def measure(model: str, engine: str, sts, sick) -> dict:
    embedder = get_embedder(model, engine)
    has_classifier = relation.available(embedder.dimensions)
    built_sts, built_sick = multipart(sts), multipart(sick)
    texts = [t for a, b, _ in sts + sick for t in (a, b)]
    texts += [" ".join(p) for p, _, _ in built_sts + built_sick]
    texts += [p for a, b, _ in sts + sick for t in (a, b) for p in fidelity.pieces(t)]
    vec = Vectors(embedder, texts)
    row = {"model": calibration.selected()}
    human = np.array([p[2] for p in sts])
    sts_a, sts_b = vec([p[0] for p in sts]), vec([p[1] for p in sts])
    sts_score = score_rows(sts_a, sts_b)
    row["STS-B Spearman"] = spearmanr(sts_score, human).statistic
    paraphrase = human >= 4
    row["paraphrase AUC (score)"] = roc_auc_score(paraphrase, sts_score)
    labels = np.array([p[2] for p in sick])
    ec = labels != "NEUTRAL"
    entails = labels[ec] == "ENTAILMENT"
    sick_a, sick_b = vec([p[0] for p in sick]), vec([p[1] for p in sick])
    sick_score = score_rows(sick_a, sick_b)
    row["SICK E-vs-C AUC (cosine)"] = roc_auc_score(entails, sick_score[ec])
    contradiction = labels == "CONTRADICTION"
    row["contradictions ≥ 55 (score)"] = np.mean(sick_score[contradiction] >= OLD_UNDERSTANDS)
    whole_sick, whole_sts = whole_score(vec, built_sick), whole_score(vec, built_sts)
    row["multi-part SICK AUC (whole text)"] = roc_auc_score(entails, whole_sick[ec])
    row["multi-part STS Spearman (whole text)"] = spearmanr(whole_sts, human).statistic
    row["multi-part faithful ≥ 55 (whole text)"] = np.mean(whole_sts[paraphrase] >= 55)
    if has_classifier:
        found = relation.relations(sick_b, sick_a, [p[1] for p in sick], [p[0] for p in sick])
        p_e = np.array([r.p_entailment for r in found])
        p_c = np.array([r.p_contradiction for r in found])
        row["SICK E-vs-C AUC (relation)"] = roc_auc_score(entails, (p_e - p_c)[ec])
        names = np.array([r.name for r in found])
        read_as_understood = np.isin(names, ("conveys", "partly"))
        row["contradictions read conveys/partly"] = np.mean(read_as_understood[contradiction])
        row["contradictions found (recall)"] = np.mean(names[contradiction] == "contradicts")
        sts_found = relation.relations(sts_b, sts_a, [p[1] for p in sts], [p[0] for p in sts])
        conveys = np.array([r.name == "conveys" for r in sts_found])
        precision = np.mean(paraphrase[conveys]) if conveys.any() else 0.0
        recall = np.mean(conveys[paraphrase])
        row["paraphrase F1 (conveys)"] = 2 * precision * recall / max(precision + recall, 1e-9)
        part_sick, part_sts = part_fidelity(vec, built_sick), part_fidelity(vec, built_sts)
        row["multi-part SICK AUC (parts)"] = roc_auc_score(entails, part_sick[ec])
        row["multi-part STS Spearman (parts)"] = spearmanr(part_sts, human).statistic
        row[f"multi-part faithful ≥ {fidelity.UNDERSTANDS:g} (parts)"] = np.mean(
            part_sts[paraphrase] >= fidelity.UNDERSTANDS
        )
        row[f"multi-part contradictions ≥ {fidelity.UNDERSTANDS:g} (parts)"] = np.mean(
            part_sick[contradiction] >= fidelity.UNDERSTANDS
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    parser.add_argument("--models", default=f"{BEFORE},{DEFAULT_MODEL}")
    parser.add_argument("--quick", action="store_true", help="500 pairs of each test split")
    args = parser.parse_args()
    sts, sick = sts_pairs("test"), sick_pairs("TEST")
    if args.quick:
        sts, sick = random.Random(1).sample(sts, 500), random.Random(1).sample(sick, 500)
    models = list(dict.fromkeys(args.models.split(",")))
    rows = [measure(model, args.engine, sts, sick) for model in models]
    print(f"{len(sts)} STS-B test pairs, {len(sick)} SICK test pairs; engine {args.engine}")
    print(f"{MACHINE}, {date.today()}\n")
    print("| measure | " + " | ".join(r["model"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for name in dict.fromkeys(k for r in rows for k in r if k != "model"):
        cells = [f"{r[name]:.3f}" if name in r else "—" for r in rows]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
