"""The cosine → 0-100 score curve of each model and engine, and the one this process uses.

Each curve is fitted on the STS Benchmark train split by benchmarks/calibrate_score.py (whose
output is pasted here) for vectors as one engine makes them: int8 moves vectors a little, so it
has its own curve, and the decision cuts on the score (chosen on STS dev) mean the same under it.
A process embeds with one engine; making it (embed.get_embedder) selects its curve here.
A model with no curve of its own reads through the default model's, which is only approximate.
"""

from functools import lru_cache

import numpy as np

Curve = tuple[tuple[float, ...], tuple[float, ...]]  # (cosines, scores), both increasing

# fmt: off
CURVES: dict[str, Curve] = {
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
# fmt: on
DEFAULT = "all-MiniLM-L6-v2"

_selected = DEFAULT  # the model (and engine) this process embeds with, curve or not


def select(model_name: str) -> None:
    """Score through `model_name`'s curve (an Encoder's model_name) from now on."""
    global _selected
    _selected = model_name


def selected() -> str:
    """The model key this process embeds with (also the key of its relation classifier)."""
    return _selected


def curve() -> Curve:
    return CURVES.get(_selected, CURVES[DEFAULT])


def table() -> np.ndarray:
    """The selected curve at 65,537 evenly spaced cosines from -1 to 1."""
    return _table(_selected if _selected in CURVES else DEFAULT)


@lru_cache(maxsize=8)
def _table(model_name: str) -> np.ndarray:
    cosines, scores = CURVES[model_name]
    return np.interp(np.linspace(-1.0, 1.0, 2**16 + 1), cosines, scores)
