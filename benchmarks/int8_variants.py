"""Which int8 could reach the 4x target on this CPU? Quantisation variants side by side.

Each variant quantises the exported fp32 model of the default model its own way and embeds the
same 2,000 real sentences as sentence-transformers fp32 does, in interleaved rounds; the ratio is
against torch in the same run. "one at a time" is how the engine runs int8 (a text's vector
must not depend on its batch); "batches of 32" is the fastest way, shown for what it would gain,
with how far a text's vector moves between being embedded alone and in a batch (the lowest cosine
over 256 sentences: 1.000 means the batch does not matter).

Two kinds of variant are not dynamic quantisation, and a text's vector should not depend on its
batch under either. onnxruntime's MatMulNBits with 8-bit weights (symmetric, blocks of 32) and
accuracy level 4 quantises the activations block by block along each token's row; it needs the
`onnx-ir` package (`pip install -e .[bench]`). "Per-token activations" rewrites each MatMul by
hand (per_token_int8): int8 weights per output channel as in the engine, each token's
activations scaled by their own largest value.

    .venv/bin/python benchmarks/int8_variants.py
"""

import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from evaldata import MACHINE, sentences
from onnxruntime.quantization import QuantType, quantize_dynamic

from truenorth.analysis.embed import DEFAULT_MODEL, Embedder, default_store
from truenorth.analysis.onnx_engine import OnnxEmbedder, export_folder

VARIANTS = {
    "per channel, signed (the engine's)": {"per_channel": True, "weight_type": QuantType.QInt8},
    "per tensor, signed": {"per_channel": False, "weight_type": QuantType.QInt8},
    "per tensor, unsigned": {"per_channel": False, "weight_type": QuantType.QUInt8},
    "per channel, 7-bit (reduce range)": {
        "per_channel": True,
        "weight_type": QuantType.QInt8,
        "reduce_range": True,
    },
}


def engine_on(model: Path, batch_size: int, streams: int) -> OnnxEmbedder:
    """The int8 engine, running `model` with the given batching."""
    import onnxruntime

    engine = OnnxEmbedder(DEFAULT_MODEL, default_store(), "int8")
    _, tokenizer, settings = engine._runtime
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    if streams > 1:
        options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    engine.__dict__["_runtime"] = (session, tokenizer, settings)
    engine.batch_size, engine.streams = batch_size, streams
    return engine


def weight_only_int8(source: Path, target: Path) -> None:
    """8-bit weights with activations quantised per block of each row (MatMulNBits)."""
    import onnx
    from onnxruntime.quantization import matmul_nbits_quantizer as nbits

    config = nbits.DefaultWeightOnlyQuantConfig(
        block_size=32, is_symmetric=True, accuracy_level=4, bits=8
    )
    quantizer = nbits.MatMulNBitsQuantizer(onnx.load(str(source)), algo_config=config)
    quantizer.process()
    quantizer.model.save_model_to_file(str(target), use_external_data_format=False)


def per_token_int8(source: Path, target: Path) -> None:
    """Every MatMul with constant weights in int8: weights scaled per output channel, activations
    per token (each row by its own largest value, around a zero point of 128), so a token's result
    depends on nothing else in the batch. MatMulIntegerToFloat applies the weights' scales; a Mul
    the token's."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}

    def constant(name: str, value: np.ndarray) -> str:
        graph.initializer.append(numpy_helper.from_array(value, name))
        return name

    zero_point = constant("token_zero_point", np.array(128, dtype=np.uint8))
    floor, levels = (
        constant("token_floor", np.float32(1e-8)),
        constant("token_levels", np.float32(127)),
    )
    middle, one = constant("token_middle", np.float32(128)), constant("token_one", np.float32(1))
    nodes = []
    for n, node in enumerate(graph.node):
        w = weights.get(node.input[1]) if node.op_type == "MatMul" else None
        if w is None or w.ndim != 2:
            nodes.append(node)
            continue
        p = f"token{n}_"
        scale = np.maximum(np.abs(w).max(axis=0), 1e-12).astype(np.float32) / 127
        quantised = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
        nodes += [
            helper.make_node("Abs", [node.input[0]], [p + "abs"]),
            helper.make_node("ReduceMax", [p + "abs"], [p + "max"], axes=[-1], keepdims=1),
            helper.make_node("Max", [p + "max", floor], [p + "largest"]),
            helper.make_node("Div", [p + "largest", levels], [p + "scale"]),
            helper.make_node("Div", [node.input[0], p + "scale"], [p + "scaled"]),
            helper.make_node("Round", [p + "scaled"], [p + "rounded"]),
            helper.make_node("Add", [p + "rounded", middle], [p + "shifted"]),  # 1..255
            helper.make_node("Cast", [p + "shifted"], [p + "q"], to=TensorProto.UINT8),
            helper.make_node(
                "MatMulIntegerToFloat",
                [p + "q", constant(p + "w", quantised), one, constant(p + "ws", scale), zero_point],
                [p + "product"],
                domain="com.microsoft",
            ),
            helper.make_node("Mul", [p + "product", p + "scale"], [node.output[0]]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(target))


def batch_dependence(engine: OnnxEmbedder, texts: list[str]) -> float:
    """The lowest cosine between a text's vector in a batch of 32 and its vector alone."""
    batched = engine.encode(texts)
    engine.batch_size, streams = 1, engine.streams
    alone = engine.encode(texts)
    engine.batch_size, engine.streams = 32, streams
    return float(np.min(np.sum(batched * alone, axis=1)))


def main() -> None:
    folder = export_folder(DEFAULT_MODEL, default_store())
    texts = sentences(2000)
    cores = len(os.sched_getaffinity(0))
    engines = {"sentence-transformers fp32": Embedder(DEFAULT_MODEL)}
    with tempfile.TemporaryDirectory() as scratch:
        for name, options in VARIANTS.items():
            target = Path(scratch) / f"{len(engines)}.onnx"
            quantize_dynamic(
                str(folder / "model.onnx"), str(target), op_types_to_quantize=["MatMul"], **options
            )
            engines[f"{name}, one at a time"] = engine_on(target, 1, cores)
        engines["per channel, signed, batches of 32"] = engine_on(folder / "model.int8.onnx", 32, 1)
        weight_only = Path(scratch) / "weight-only.onnx"
        weight_only_int8(folder / "model.onnx", weight_only)
        engines["8-bit weights, per-row blocks, one at a time"] = engine_on(weight_only, 1, cores)
        engines["8-bit weights, per-row blocks, batches of 32"] = engine_on(weight_only, 32, 1)
        per_token = Path(scratch) / "per-token.onnx"
        per_token_int8(folder / "model.onnx", per_token)
        engines["per channel, per-token activations, one at a time"] = engine_on(
            per_token, 1, cores
        )
        engines["per channel, per-token activations, batches of 32"] = engine_on(per_token, 32, 1)
        moved = {
            name: batch_dependence(engine, texts[:256])
            for name, engine in engines.items()
            if name.endswith("batches of 32")
        }
        for engine in engines.values():
            engine.encode(texts[:32])
        rates: dict[str, list[float]] = {name: [] for name in engines}
        for _ in range(3):
            for name, engine in engines.items():
                started = time.perf_counter()
                engine.encode(texts)
                rates[name].append(len(texts) / (time.perf_counter() - started))
    print(f"int8 variants, {len(texts)} sentences — {date.today()}, {MACHINE}")
    reference = statistics.median(rates["sentence-transformers fp32"])
    for name, values in rates.items():
        rate = statistics.median(values)
        print(f"  {name:52} {rate:6.0f} texts/s  {rate / reference:5.2f}x")
    for name, cosine in moved.items():
        print(f"  {name}: lowest cosine, batched against alone: {cosine:.6f}")


if __name__ == "__main__":
    main()
