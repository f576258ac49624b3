"""Embedding engines side by side: throughput, and the cold start of `truenorth compare`.

Throughput: the same model embeds the same real texts on each engine in this run, in
interleaved rounds (so a busy moment on the machine hits every engine alike); the median round
counts. Short texts are STS Benchmark and SICK sentences; long ones are app reviews of 30-60
words, as long as a check-in answer. The reference is sentence-transformers fp32 under torch.

Cold start: `truenorth compare "a" "b"` as a new process, wall time and peak resident memory,
on the default engine (ONNX) and on sentence-transformers. The ONNX model is exported before
timing (the export happens once per model, at first use).

Targets (issue #9): the default engine >= 4x sentence-transformers on both kinds of text; cold
start <= 1 s and <= 300 MB.

    .venv/bin/python benchmarks/embedding_throughput.py
    .venv/bin/python benchmarks/embedding_throughput.py --model FOLDER --no-cold-start

The second form measures throughput alone, for a model folder on another machine (where the
`truenorth` command may not be installed): the ratio depends on the CPU's int8 instructions.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from evaldata import MACHINE, long_answers, sentences

from truenorth.analysis.embed import DEFAULT_MODEL, Embedder, default_store
from truenorth.analysis.onnx_engine import OnnxEmbedder, export_folder

ROUNDS = 3
TRUENORTH = str(Path(sys.executable).with_name("truenorth"))
QUIET = (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)
COMPARE = [TRUENORTH, "compare", "Close the books in 3 days", "Month-end close takes three days"]


def throughput(engines: dict, texts: list[str]) -> dict[str, float]:
    """Median texts per second of each engine over interleaved rounds."""
    for engine in engines.values():
        engine.encode(texts[:32])  # load and warm up outside the timing
    rounds: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(ROUNDS):
        for name, engine in engines.items():
            started = time.perf_counter()
            engine.encode(texts)
            rounds[name].append(len(texts) / (time.perf_counter() - started))
    return {name: statistics.median(rates) for name, rates in rounds.items()}


def cold_start(model: str, engine: str) -> tuple[float, float]:
    """Median wall seconds and peak resident MB of `truenorth compare` in a new process."""
    env = os.environ | {
        "TRUENORTH_EMBEDDING_MODEL": model,
        "TRUENORTH_EMBEDDING_ENGINE": engine,
        "HF_HUB_OFFLINE": "1",
    }
    runs = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        pid = os.posix_spawn(COMPARE[0], COMPARE, env, file_actions=[QUIET])
        _, status, usage = os.wait4(pid, 0)
        if status != 0:
            raise SystemExit(f"truenorth compare failed on {engine}")
        runs.append((time.perf_counter() - started, usage.ru_maxrss / 1024))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", default=DEFAULT_MODEL, help="a packaged model or a folder")
    parser.add_argument("--no-cold-start", action="store_true", help="throughput only")
    args = parser.parse_args()
    print(f"Embedding throughput, {args.model} — {date.today()}, {MACHINE}")
    # First, while this process is small: a child's peak memory counts its parent's at birth.
    export_folder(args.model, default_store())  # once per model, in a child process
    if not args.no_cold_start:
        print("  cold start of `truenorth compare` (median of 3 new processes)")
        for engine in ("onnx", "sentence-transformers"):
            seconds, megabytes = cold_start(args.model, engine)
            print(f"    {engine:28} {seconds:5.2f} s  {megabytes:5.0f} MB peak resident")
    engines = {
        "sentence-transformers fp32": Embedder(args.model),
        "onnx fp32": OnnxEmbedder(args.model, default_store(), "fp32"),
        "onnx int8 (default)": OnnxEmbedder(args.model, default_store(), "int8"),
    }
    print(f"  median of {ROUNDS} interleaved rounds; ratio against sentence-transformers fp32")
    for label, texts in (
        ("short: 5,000 sentences", sentences(5000)),
        ("long: 800 answers of 30-60 words", long_answers(800)),
    ):
        rates = throughput(engines, texts)
        reference = rates["sentence-transformers fp32"]
        print(f"  {label}")
        for name, rate in rates.items():
            print(f"    {name:28} {rate:7.0f} texts/s  {rate / reference:5.2f}x")


if __name__ == "__main__":
    main()
