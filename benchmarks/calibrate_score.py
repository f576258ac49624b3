"""Fit the cosine → 0-100 score mapping on the STS Benchmark TRAIN split and print its knots.

The mapping is isotonic regression of the human score (0-5, times 20) on the model's cosine,
sampled at cosine quantiles and made strictly increasing, so ranking is unchanged and the test
split, never seen here, measures it honestly. Where the model has a score projection
(benchmarks/train_score_projection.py), the cosine is the projected one and the output goes into
SCORE_CURVES; otherwise into MODEL_CURVES, in truenorth/analysis/calibration.py. Each engine has
its own curve (int8 moves vectors a little):

    .venv/bin/python benchmarks/calibrate_score.py [onnx|onnx-fp32|sentence-transformers] [MODEL]
"""

import sys

import numpy as np
from evaldata import sts_pairs
from sklearn.isotonic import IsotonicRegression

from truenorth.analysis import calibration
from truenorth.analysis.embed import DEFAULT_MODEL, get_embedder

KNOTS = 21


def main() -> None:
    pairs = sts_pairs("train")
    engine = sys.argv[1] if len(sys.argv) > 1 else "onnx"
    embedder = get_embedder(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_MODEL, engine)
    a = embedder.encode([p[0] for p in pairs])
    b = embedder.encode([p[1] for p in pairs])
    projection = calibration.projection_of(embedder.model_name)
    if projection is not None:
        a, b = a @ projection, b @ projection
        a /= np.linalg.norm(a, axis=1, keepdims=True)
        b /= np.linalg.norm(b, axis=1, keepdims=True)
    cosine = np.sum(a * b, axis=1)
    human = np.array([p[2] * 20 for p in pairs])
    fit = IsotonicRegression(y_min=0, y_max=100, out_of_bounds="clip").fit(cosine, human)
    xs = np.quantile(cosine, np.linspace(0, 1, KNOTS))
    xs[0], xs[-1] = -1.0, 1.0
    ys = fit.predict(xs)
    ys[0], ys[-1] = 0.0, 100.0
    ys = np.maximum.accumulate(ys + np.arange(KNOTS) * 1e-3)  # strictly increasing
    ys[-1] = 100.0  # identical texts score exactly 100
    space = "projected cosine (SCORE_CURVES)" if projection is not None else "own cosine"
    print(f"# {len(pairs)} STS train pairs, {embedder.model_name}, {space}")
    print(f'"{embedder.model_name}": (')
    print("    (" + ", ".join(f"{x:.4f}" for x in xs) + "),")
    print("    (" + ", ".join(f"{y:.3f}" for y in ys) + "),")
    print("),")


if __name__ == "__main__":
    main()
