"""Does the ONNX engine keep the model's accuracy? The gate for running a model in int8.

For each model the project offers, on data no curve or cut was fitted on:
  - STS Benchmark TEST: Spearman of cosine against the human similarity score;
  - SICK TEST: AUC of cosine at telling ENTAILMENT pairs from CONTRADICTION pairs.
sentence-transformers fp32 is the reference. int8 is accepted for a model only when Spearman
stays within 0.005 and AUC within 0.01 of the reference; accepted models are listed in
onnx_engine.INT8_ACCEPTED, and the script fails when that list and this verdict disagree.

    .venv/bin/python benchmarks/engine_accuracy.py
"""

import sys
from datetime import date

import numpy as np
from evaldata import MACHINE, sick_pairs, sts_pairs
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from truenorth.analysis.embed import Embedder, default_store
from truenorth.analysis.onnx_engine import INT8_ACCEPTED, OnnxEmbedder

MODELS = ("all-MiniLM-L6-v2", "all-mpnet-base-v2")
SPEARMAN_TOLERANCE = 0.005
AUC_TOLERANCE = 0.01


def cosines(encoder, pairs) -> np.ndarray:
    a = encoder.encode([p[0] for p in pairs])
    b = encoder.encode([p[1] for p in pairs])
    return np.sum(a * b, axis=1)


def measures(encoder) -> tuple[float, float]:
    sts = sts_pairs("test")
    spearman = spearmanr(cosines(encoder, sts), [p[2] for p in sts]).statistic
    sick = [p for p in sick_pairs("TEST") if p[2] in ("ENTAILMENT", "CONTRADICTION")]
    auc = roc_auc_score([p[2] == "ENTAILMENT" for p in sick], cosines(encoder, sick))
    return float(spearman), float(auc)


def main() -> int:
    print(f"Engine accuracy on STS-B test and SICK test — {date.today()}, {MACHINE}")
    print(f"  {'model':22} {'engine':24} {'STS Spearman':>12} {'Δ':>7} {'SICK AUC':>9} {'Δ':>7}")
    disagreements = 0
    for model in MODELS:
        engines = {
            "sentence-transformers fp32": Embedder(model),
            "onnx fp32": OnnxEmbedder(model, default_store(), "fp32"),
            "onnx int8": OnnxEmbedder(model, default_store(), "int8"),
        }
        results = {name: measures(engine) for name, engine in engines.items()}
        spearman0, auc0 = results["sentence-transformers fp32"]
        for name, (spearman, auc) in results.items():
            print(
                f"  {model:22} {name:24} {spearman:12.4f} {spearman - spearman0:+7.4f} "
                f"{auc:9.4f} {auc - auc0:+7.4f}"
            )
        spearman, auc = results["onnx int8"]
        accepted = spearman >= spearman0 - SPEARMAN_TOLERANCE and auc >= auc0 - AUC_TOLERANCE
        listed = model in INT8_ACCEPTED
        print(f"  {model}: int8 {'accepted' if accepted else 'rejected'}", end="")
        print("" if accepted == listed else f", but INT8_ACCEPTED says {listed}: update it")
        disagreements += accepted != listed
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
