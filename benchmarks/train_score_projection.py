"""Fit the score's projection: a linear map of the model's vectors under which cosine follows
human similarity ratings more closely, on the STS Benchmark TRAIN split; choose its
regularisation on the DEV split; write it to truenorth/analysis/score_projection/<key>.npy.

all-MiniLM-L6-v2's own cosine reaches a Spearman correlation of 0.819 with STS-B test ratings; no
monotonic curve of it can do better. A 384 × 384 map W, started at the identity and held near it
(penalty λ‖W − I‖²), is fitted so that 5 · cos(uW, vW) · scale + offset predicts the rating (mean
squared error, Adam, full batch, a fixed number of steps). It is a new inner product, so the
score stays symmetric, a text still scores 100 against itself, and a matrix of scores is still
one matrix product. Only the score uses it: grouping answers and the relation classifier keep the
model's own vectors. After writing it, fit the score's curve through it and choose the cuts again:

    .venv/bin/python benchmarks/train_score_projection.py [onnx|onnx-fp32]
    .venv/bin/python benchmarks/calibrate_score.py [onnx|onnx-fp32]
    .venv/bin/python benchmarks/choose_thresholds.py [onnx|onnx-fp32]

The test split is not read here; benchmarks/sts_validation.py and relation_quality.py report it.
"""

import sys

import numpy as np
import torch
from evaldata import MACHINE, sts_pairs
from scipy.stats import spearmanr

from truenorth.analysis import calibration
from truenorth.analysis.embed import DEFAULT_MODEL, get_embedder

PENALTIES = (0.1, 0.01, 0.001)  # λ, chosen on dev
STEPS = 300
LEARNING_RATE = 1e-3


def embedded(embedder, split: str) -> tuple[torch.Tensor, torch.Tensor, np.ndarray]:
    pairs = sts_pairs(split)
    a = embedder.encode([p[0] for p in pairs])
    b = embedder.encode([p[1] for p in pairs])
    return torch.tensor(a), torch.tensor(b), np.array([p[2] for p in pairs])


def cosines(w: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    normalise = torch.nn.functional.normalize
    return (normalise(a @ w, dim=1) * normalise(b @ w, dim=1)).sum(1)


def fit(train, penalty: float) -> torch.Tensor:
    torch.manual_seed(0)
    a, b, ratings = train
    target = torch.tensor(ratings, dtype=torch.float32)
    identity = torch.eye(a.shape[1])
    w = identity.clone().requires_grad_(True)
    scale_offset = torch.zeros(2, requires_grad=True)
    optimiser = torch.optim.Adam([w, scale_offset], lr=LEARNING_RATE)
    for _ in range(STEPS):
        predicted = scale_offset[0].exp() * 5 * cosines(w, a, b) + scale_offset[1]
        loss = ((predicted - target) ** 2).mean() + penalty * ((w - identity) ** 2).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return w.detach()


def spearman(w: torch.Tensor, split) -> float:
    a, b, ratings = split
    with torch.no_grad():
        return float(spearmanr(cosines(w, a, b).numpy(), ratings).statistic)


def main() -> None:
    engine = sys.argv[1] if len(sys.argv) > 1 else "onnx"
    embedder = get_embedder(DEFAULT_MODEL, engine)
    train, dev = embedded(embedder, "train"), embedded(embedder, "dev")
    identity = torch.eye(train[0].shape[1])
    print(f"{embedder.model_name} — {MACHINE}")
    print(
        f"  own cosine: STS train {spearman(identity, train):.4f}, dev {spearman(identity, dev):.4f}"
    )
    fitted = {penalty: fit(train, penalty) for penalty in PENALTIES}
    for penalty, w in fitted.items():
        print(f"  λ={penalty:<6} STS train {spearman(w, train):.4f}, dev {spearman(w, dev):.4f}")
    best = max(fitted, key=lambda penalty: spearman(fitted[penalty], dev))
    path = calibration.PROJECTIONS / f"{embedder.model_name}.npy"
    path.parent.mkdir(exist_ok=True)
    np.save(path, fitted[best].numpy().astype(np.float32))
    print(f"  chosen on dev: λ={best}; written to {path}")


if __name__ == "__main__":
    main()
