"""Does `truenorth compare` agree with people? Spearman against the STS Benchmark test split.

Runs the real command (`truenorth compare --pairs FILE`) on the 1,379 test pairs, which the
score's calibration (on the train split) never saw, and compares its Spearman correlation with
human scores against the raw model's cosine in the same run: the scoring layer must lose nothing.
Both run on the engine the command is configured with (TRUENORTH_EMBEDDING_ENGINE, onnx when
unset):

    .venv/bin/python benchmarks/sts_validation.py
    TRUENORTH_EMBEDDING_ENGINE=onnx-fp32 .venv/bin/python benchmarks/sts_validation.py
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from evaldata import MACHINE, sts_pairs
from scipy.stats import spearmanr

from truenorth.analysis.embed import DEFAULT_ENGINE, get_embedder

TARGET = 0.82


def main() -> None:
    pairs = sts_pairs("test")
    human = [p[2] for p in pairs]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
        f.writelines(f"{a}\t{b}\n" for a, b, _ in pairs)
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "truenorth"), "compare", "--pairs", f.name]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    scores = [float(line) for line in output.split()]
    embedder = get_embedder(engine=os.environ.get("TRUENORTH_EMBEDDING_ENGINE", DEFAULT_ENGINE))
    a, b = embedder.encode([p[0] for p in pairs]), embedder.encode([p[1] for p in pairs])
    cosine = np.sum(a * b, axis=1)
    ours, raw = spearmanr(scores, human).statistic, spearmanr(cosine, human).statistic
    print(
        f"STS Benchmark test split, {len(pairs)} pairs, {embedder.model_name} — "
        f"{date.today()}, {MACHINE}"
    )
    print(f"  Spearman, truenorth compare (0-100 score): {ours:.4f}")
    print(f"  Spearman, raw cosine of the same model:    {raw:.4f}")
    print(
        f"  ratio score / raw: {ours / raw:.4f}; target >= {TARGET}: {'met' if ours >= TARGET else 'NOT met'}"
    )
    print(f"  `truenorth compare --pairs` took {seconds:.1f} s, model load included")


if __name__ == "__main__":
    main()
