"""Does a GPU speed truenorth up, and does it change what truenorth reads? Each precision of the
engine on onnxruntime's CUDA provider against the same machine's CPU, in one run.

For int8 (the default) and fp32, this prints where the engine chooses to run (onnx_engine.
providers), what runs where on the GPU (nodes per provider, from a profiled run), the speed of
each side, and how far the GPU's readings are from the CPU's: each vector's cosine to its CPU
twin, the score (0-100) of every STS-B test pair, the relation (conveys, partly, unrelated,
contradicts) of every SICK test pair, STS-B test Spearman and SICK test entailment-vs-
contradiction AUC. Needs onnxruntime-gpu and a GPU (docs/deploy.md).

    .venv/bin/python benchmarks/gpu_engine.py [--model FOLDER]
"""

import argparse
import json
import tempfile
from collections import Counter
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np
from embedding_throughput import throughput
from evaldata import MACHINE, long_answers, sentences, sick_pairs, sts_pairs
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from truenorth.analysis import calibration, onnx_engine, relation, score
from truenorth.analysis.embed import DEFAULT_MODEL, default_store
from truenorth.analysis.onnx_engine import CPU, GPU, PRECISIONS, OnnxEmbedder, export_folder


@contextmanager
def running_on(chosen: list[str]):
    """The engine made to choose `chosen`, whatever it would choose by itself."""
    own_choice = onnx_engine.providers
    onnx_engine.providers = lambda precision: chosen
    try:
        yield
    finally:
        onnx_engine.providers = own_choice


def loaded(model: str, precision: str, chosen: list[str]) -> OnnxEmbedder:
    embedder = OnnxEmbedder(model, default_store(), precision)
    with running_on(chosen):
        embedder.encode(["load the model now"])
    return embedder


def placement(folder: Path, precision: str) -> tuple[Counter, Counter]:
    """Nodes per provider, and the operators of those the CPU runs, in one profiled GPU run."""
    import onnxruntime
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.enable_profiling = True
    options.profile_file_prefix = str(Path(tempfile.mkdtemp()) / "profile")
    name = "model.onnx" if precision == "fp32" else f"model.{precision}.onnx"
    session = onnxruntime.InferenceSession(str(folder / name), options, providers=[GPU, CPU])
    ids = Tokenizer.from_file(str(folder / "tokenizer.json")).encode("Where are we going?").ids
    inputs = {
        "input_ids": np.array([ids], dtype=np.int64),
        "token_type_ids": np.zeros((1, len(ids)), dtype=np.int64),
        "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
    }
    session.run(None, {i.name: inputs[i.name] for i in session.get_inputs()})
    events = json.loads(Path(session.end_profiling()).read_text())
    nodes = {
        e["name"].removesuffix("_kernel_time"): (e["args"]["provider"], e["args"]["op_name"])
        for e in events
        if e.get("cat") == "Node" and "provider" in e.get("args", {})
    }
    return Counter(p for p, _ in nodes.values()), Counter(
        op for p, op in nodes.values() if p == CPU
    )


def readings(embedder: OnnxEmbedder) -> dict:
    sts = sts_pairs("test")
    sick = sick_pairs("TEST")
    vectors = {
        "sts_a": embedder.encode([p[0] for p in sts]),
        "sts_b": embedder.encode([p[1] for p in sts]),
        "sick_a": embedder.encode([p[0] for p in sick]),
        "sick_b": embedder.encode([p[1] for p in sick]),
    }
    both = [p for p in sick if p[2] in ("ENTAILMENT", "CONTRADICTION")]
    kept = [i for i, p in enumerate(sick) if p in both]
    cosines = np.sum(vectors["sick_a"][kept] * vectors["sick_b"][kept], axis=1)
    return vectors | {
        "scores": score.score_rows(vectors["sts_a"], vectors["sts_b"]),
        "relations": [
            r.name
            for r in relation.relations(
                vectors["sick_a"], vectors["sick_b"], [p[0] for p in sick], [p[1] for p in sick]
            )
        ],
        "spearman": spearmanr(
            np.sum(vectors["sts_a"] * vectors["sts_b"], axis=1), [p[2] for p in sts]
        ).statistic,
        "auc": roc_auc_score([p[2] == "ENTAILMENT" for p in both], cosines),
    }


def compare_readings(gpu: dict, cpu: dict) -> None:
    twins = np.concatenate(
        [np.sum(gpu[k] * cpu[k], axis=1) for k in ("sts_a", "sts_b", "sick_a", "sick_b")]
    )
    moved = np.abs(gpu["scores"] - cpu["scores"])
    flipped = sum(g != c for g, c in zip(gpu["relations"], cpu["relations"], strict=True))
    print(f"    readings, GPU against CPU ({len(twins)} texts)")
    print(
        f"      cosine of each vector to its CPU twin: lowest {twins.min():.5f}, "
        f"median {np.median(twins):.5f}"
    )
    print(
        f"      STS-B test pair scores (0-100): largest move {moved.max():.2f} points, "
        f"mean {moved.mean():.3f}"
    )
    print(f"      SICK test relations: {flipped} of {len(gpu['relations'])} read differently")
    print(f"      STS-B test Spearman: GPU {gpu['spearman']:.4f}, CPU {cpu['spearman']:.4f}")
    print(f"      SICK test AUC:       GPU {gpu['auc']:.4f}, CPU {cpu['auc']:.4f}")


def measure(model: str, precision: str) -> None:
    folder = export_folder(model, default_store())
    print(f"  {precision}: the engine chooses {onnx_engine.providers(precision)}")
    per_provider, cpu_operators = placement(folder, precision)
    print(f"    on the GPU, nodes per provider: {dict(per_provider)}")
    print(f"    operators the CUDA provider leaves to the CPU: {dict(cpu_operators) or 'none'}")
    cpu = loaded(model, precision, [CPU])
    gpu = loaded(model, precision, [GPU, CPU])
    calibration.select(gpu.model_name)
    compare_readings(readings(gpu), readings(cpu))
    engines = {"CPU, every core": cpu, "GPU (CUDA provider)": gpu}
    print("    speed, median of 3 interleaved rounds; ratio against the CPU")
    for label, texts in (
        ("short: 5,000 sentences", sentences(5000)),
        ("long: 800 answers of 30-60 words", long_answers(800)),
    ):
        rates = throughput(engines, texts)
        print(f"      {label}")
        for name, rate in rates.items():
            ratio = rate / rates["CPU, every core"]
            print(f"        {name:22} {rate:7.0f} texts/s  {ratio:5.2f}x")


def main() -> int:
    import onnxruntime

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", default=DEFAULT_MODEL, help="a packaged model or a folder")
    args = parser.parse_args()
    print(f"The engine on a GPU, {args.model} — {date.today()}, {MACHINE}")
    print(f"  onnxruntime {onnxruntime.__version__}: {onnxruntime.get_available_providers()}")
    if GPU not in onnxruntime.get_available_providers():
        print("  onnxruntime has no CUDA provider here: install onnxruntime-gpu (docs/deploy.md)")
        return 1
    for precision in PRECISIONS:
        measure(args.model, precision)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
