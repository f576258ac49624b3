"""How each model and engine's vectors become the 0-100 score, and which one this process uses.

Two fitted parts, both on the STS Benchmark train split:
- a projection (score_projection/<key>.npy, written by benchmarks/train_score_projection.py): a
  linear map of the model's vectors under which cosine follows human ratings more closely
  (all-MiniLM-L6-v2: STS-B dev Spearman 0.866 → 0.878 in int8, 0.867 → 0.878 in fp32). A model
  without one (all-mpnet-base-v2) scores on its own cosine;
- a curve from that cosine to the 0-100 human scale (benchmarks/calibrate_score.py, whose output
  is pasted below). int8 moves vectors a little, so it has its own projection and curve, and the
  decision cuts on the score (chosen on STS dev) mean the same under it: chosen again for each,
  they round to the same 35 and 60.
Grouping answers cuts on the model's own cosine (MODEL_CURVES), so its cuts, written as scores,
read through the curve of the model's own cosine.
A process embeds with one engine; making it (embed.get_embedder) selects its key here.
A model with no curve of its own reads through the default model's, which is only approximate.
"""

from functools import lru_cache
from pathlib import Path

import numpy as np

PROJECTIONS = Path(__file__).with_name("score_projection")

Curve = tuple[tuple[float, ...], tuple[float, ...]]  # (cosines, scores), both increasing

# fmt: off
# The model's own cosine → score. The score of a model with a projection uses SCORE_CURVES.
MODEL_CURVES: dict[str, Curve] = {
    # 5,749 STS train pairs, sentence-transformers fp32 (ONNX fp32 gives the same vectors).
    "all-MiniLM-L6-v2": (
        (-1.0000, 0.1137, 0.2536, 0.3587, 0.4449, 0.5165, 0.5662, 0.6089, 0.6476, 0.6804, 0.7123, 0.7413, 0.7705, 0.7986, 0.8205, 0.8431, 0.8701, 0.8946, 0.9202, 0.9479, 1.0000),
        (0.00, 6.11, 12.84, 22.58, 29.44, 38.92, 42.42, 48.12, 53.06, 57.09, 57.89, 60.59, 67.34, 69.04, 70.99, 73.16, 76.88, 80.09, 81.91, 82.89, 100.00),
    ),
    # The same pairs, ONNX Runtime int8, one text at a time (the default engine).
    "all-MiniLM-L6-v2+int8": (
        (-1.0000, 0.1198, 0.2579, 0.3635, 0.4504, 0.5173, 0.5674, 0.6083, 0.6463, 0.6766, 0.7109, 0.7383, 0.7653, 0.7947, 0.8162, 0.8393, 0.8634, 0.8886, 0.9135, 0.9411, 1.0000),
        (0.000, 6.282, 14.202, 23.997, 30.818, 41.030, 42.582, 46.766, 55.557, 55.726, 57.194, 61.049, 67.687, 70.101, 70.102, 73.721, 76.787, 79.956, 82.469, 82.470, 100.000),
    ),
    # all-mpnet-base-v2 (the model the measures' targets need for STS-B ≥ 0.83), fp32: ONNX
    # Runtime and sentence-transformers give the same vectors. It runs fp32: its int8 is not in
    # onnx_engine.INT8_ACCEPTED until benchmarks/engine_accuracy.py accepts it.
    "all-mpnet-base-v2": (
        (-1.0000, 0.1020, 0.2293, 0.3400, 0.4289, 0.5002, 0.5495, 0.5938, 0.6394, 0.6771, 0.7089, 0.7405, 0.7684, 0.7967, 0.8232, 0.8483, 0.8735, 0.8972, 0.9256, 0.9544, 1.0000),
        (0.000, 4.205, 11.566, 24.328, 28.085, 39.554, 42.862, 45.351, 52.212, 56.982, 60.983, 62.440, 66.236, 70.004, 72.952, 75.702, 77.129, 80.862, 82.821, 86.695, 100.000),
    ),
}
# The projected cosine → score, for the keys with a projection.
SCORE_CURVES: dict[str, Curve] = {
    # 5,749 STS train pairs, fp32 (ONNX Runtime or sentence-transformers), through its projection.
    "all-MiniLM-L6-v2": (
        (-1.0000, 0.0690, 0.1720, 0.2549, 0.3467, 0.4265, 0.4915, 0.5494, 0.5972, 0.6408, 0.6744, 0.7070, 0.7372, 0.7700, 0.7992, 0.8260, 0.8537, 0.8807, 0.9112, 0.9430, 1.0000),
        (0.000, 3.251, 11.869, 17.336, 26.658, 33.244, 40.102, 48.532, 53.230, 57.813, 60.527, 64.397, 67.761, 72.421, 74.894, 75.331, 77.686, 81.801, 82.551, 87.976, 100.000),
    ),
    # 5,749 STS train pairs, ONNX Runtime int8 (the default engine), through its projection.
    "all-MiniLM-L6-v2+int8": (
        (-1.0000, 0.0708, 0.1678, 0.2536, 0.3432, 0.4223, 0.4893, 0.5460, 0.5941, 0.6342, 0.6692, 0.7015, 0.7317, 0.7657, 0.7934, 0.8198, 0.8459, 0.8739, 0.9014, 0.9337, 1.0000),
        (0.000, 3.513, 11.295, 17.962, 25.806, 31.372, 41.932, 47.210, 53.372, 57.327, 62.488, 64.193, 67.208, 73.188, 73.189, 76.833, 77.126, 79.779, 81.590, 88.850, 100.000),
    ),
}
# fmt: on
DEFAULT = "all-MiniLM-L6-v2"

# The keys whose projection or curve was fitted again after reports began naming what scored them
# (2026-12-03), with the day: the same model then reads the same answers differently, so a
# report names the fitting too (scorer) and no trend joins reports from either side of it.
# tests/analysis/test_score.py keeps a fingerprint of each key's fitting, so none lands unnamed.
REFITTED = {"all-MiniLM-L6-v2": "2026-12-04"}  # fp32 got its own projection

_selected = DEFAULT  # the model (and engine) this process embeds with, curve or not


def select(model_name: str) -> None:
    """Score through `model_name`'s curve (an Encoder's model_name) from now on."""
    global _selected
    _selected = model_name


def scorer(model_name: str) -> str:
    """What a report names as having scored it: the model and precision, and the day its score
    was last fitted again where that was after reports began naming it."""
    refitted = REFITTED.get(model_name)
    return f"{model_name} (score fitted {refitted})" if refitted else model_name


def selected() -> str:
    """The model key this process embeds with (also the key of its relation classifier)."""
    return _selected


def curve() -> Curve:
    """The selected score curve (over projected cosines where the model has a projection)."""
    if projection() is not None:
        return SCORE_CURVES[_selected]
    return model_curve()


def model_curve() -> Curve:
    """The curve over the model's own cosine, for cuts applied to the model's own vectors."""
    return MODEL_CURVES.get(_selected, MODEL_CURVES[DEFAULT])


def projection() -> np.ndarray | None:
    """The selected key's score projection, or None (score on the model's own cosine). A
    projection counts only with its curve, so fitting one changes nothing until it is calibrated."""
    return projection_of(_selected) if _selected in SCORE_CURVES else None


@lru_cache(maxsize=8)
def projection_of(key: str) -> np.ndarray | None:
    path = PROJECTIONS / f"{key}.npy"
    return np.load(path) if path.exists() else None


def table() -> np.ndarray:
    """The selected curve at 65,537 evenly spaced cosines from -1 to 1."""
    return _table(curve())


@lru_cache(maxsize=8)
def _table(selected_curve: Curve) -> np.ndarray:
    cosines, scores = selected_curve
    return np.interp(np.linspace(-1.0, 1.0, 2**16 + 1), cosines, scores)
