"""Sentence embeddings on ONNX Runtime: the default engine, several times faster than torch.

The model is exported once (truenorth.analysis.onnx_export, in its own process) into a folder
named by the model and a fingerprint of its files, so a changed model is exported again and an
unchanged one never is. At run time only onnxruntime, tokenizers and numpy are loaded.

int8 moves each vector a little, so an int8 engine names itself `<model>+int8`: its vectors are
cached under that name and its scores read through their own calibration (score.py).
"""

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from truenorth.analysis.embed import (
    DEFAULT_MODEL,
    ModelUnavailable,
    Progress,
    default_store,
    encode_in_chunks,
    model_path,
)

EXPORT_FORMAT = 1  # raise when onnx_export writes something different, to export again
PRECISIONS = ("int8", "fp32")
GPU = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"
# A CPU's instructions for int8 products (x86 VNNI and AMX, Arm's dot products): they decide how
# int8 rounds, so int8 reads a little differently on CPUs with and without them.
INT8_INSTRUCTIONS = ("avx512_vnni", "avx_vnni", "amx_int8", "asimddp", "i8mm")
# Models whose int8 vectors benchmarks/engine_accuracy.py accepted: STS-B test Spearman within
# 0.005 of sentence-transformers fp32 and SICK entailment-vs-contradiction AUC within 0.01.
# Any other model runs in fp32 until it has been measured and added here.
INT8_ACCEPTED = ("all-MiniLM-L6-v2",)


def precision_for(model_name: str, engine: str) -> str:
    """int8 for the "onnx" engine where the model's int8 was accepted, else fp32."""
    accepted = model_name.removeprefix("sentence-transformers/") in INT8_ACCEPTED
    return "int8" if engine == "onnx" and accepted else "fp32"


def fingerprint(folder: Path) -> str:
    """Names, sizes and times of the model's files: cheap to read, and changes with any file."""
    digest = hashlib.sha256(f"format {EXPORT_FORMAT}\n".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def export_folder(model_name: str, store: Path) -> Path:
    """The model's exported folder under `store`, exporting it first if it is not there yet."""
    source = Path(model_path(model_name, store))
    if not (source / "modules.json").exists():
        raise ModelUnavailable(
            f"{model_name!r} is not a sentence-transformers folder on this server; models are "
            "never downloaded at run time"
        )
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name)
    out = store / f"{safe_name}-{fingerprint(source)}"
    if not (out / "engine.json").exists():
        run_export(source, out)
    return out


def run_export(source: Path, out: Path) -> None:
    """Export in a child process, so this one never imports torch."""
    done = subprocess.run(
        [sys.executable, "-m", "truenorth.analysis.onnx_export", str(source), str(out)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ModelUnavailable(
            f"could not export {source.name} to ONNX ({reason}); set "
            "TRUENORTH_EMBEDDING_ENGINE=sentence-transformers to run it under torch instead"
        )


def int8_instructions() -> list[str]:
    """Which of INT8_INSTRUCTIONS this CPU has (none where /proc/cpuinfo cannot say)."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        return []
    return [name for name in INT8_INSTRUCTIONS if name in flags]


def providers(precision: str) -> list[str]:
    """fp32 on the GPU where onnxruntime has one (onnxruntime-gpu installed); int8 on the CPU.

    The CUDA provider has no kernels for int8's quantised products: it hands them to the CPU and
    copies every layer's activations there and back. On an H200 that ran the default model at
    0.14-0.27x the speed of the same server's 16 CPU cores, and read differently (a vector's
    cosine to its CPU twin as low as 0.97, scores up to 6 points apart; benchmarks/gpu_engine.py).
    """
    import onnxruntime

    available = onnxruntime.get_available_providers()
    wanted = (GPU, CPU) if precision == "fp32" else (CPU,)
    return [p for p in wanted if p in available]


class OnnxEmbedder:
    """Texts to L2-normalised float32 rows, as sentence-transformers makes them.

    fp32 runs padded batches, each spread over the cores. int8 runs one text at a time, one per
    core: dynamic quantisation scales a batch's activations by the batch's largest value, so in a
    batch a text's vector would depend on its neighbours (a cosine of 0.96 to itself, measured);
    alone it is the same every time, and no token is padding.

    The precision never follows the hardware: int8 and fp32 are two instruments, each with its
    own projection, curve and relation classifier. Fitted alike they read the demo's answers
    nearly alike, not the same (docs/analysis.md), and a trend must not cross from one to the
    other. So a GPU never switches the default engine to fp32, and int8 stays on the CPU (see
    providers); a GPU server that chooses the `onnx-fp32` setting runs fp32 on its GPU, where it
    reads as fp32 does on a CPU.
    """

    def __init__(
        self,
        model_name: str = DEFAULT_MODEL,
        store: Path | None = None,
        precision: str = "int8",
        chunk: int = 512,
    ):
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        self.base_name = model_name
        self.store = store or default_store()
        self.precision = precision
        # int8: one text per core at a time (see above); fp32: padded batches over all cores.
        cores = len(os.sched_getaffinity(0))
        self.batch_size, self.streams = (1, cores) if self.precision == "int8" else (32, 1)
        self.chunk = chunk  # texts per progress report

    @property
    def model_name(self) -> str:
        """The name vectors are cached and calibrated under."""
        return self.base_name if self.precision == "fp32" else f"{self.base_name}+{self.precision}"

    @cached_property
    def _runtime(self) -> tuple[Any, Any, dict]:
        import onnxruntime
        from tokenizers import Tokenizer

        folder = export_folder(self.base_name, self.store)
        settings = json.loads((folder / "engine.json").read_text())
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()  # each batch is padded to its own longest text below
        tokenizer.enable_truncation(max_length=settings["max_length"])
        name = "model.onnx" if self.precision == "fp32" else f"model.{self.precision}.onnx"
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        if self.streams > 1:
            options.intra_op_num_threads = 1  # the cores run texts side by side instead
        chosen = providers(self.precision)
        if GPU in chosen:
            # The CUDA provider needs CUDA and cuDNN loaded first. Installed from pip's nvidia
            # packages (docs/deploy.md) nothing else loads them: this process never imports
            # torch. Libraries it cannot find are reported, and the CPU runs the model instead.
            onnxruntime.preload_dlls()
        session = onnxruntime.InferenceSession(str(folder / name), options, providers=chosen)
        return session, tokenizer, settings

    @property
    def loaded(self) -> bool:
        return "_runtime" in self.__dict__

    @property
    def runs_on(self) -> str:
        """Where the model runs, in words, for whoever installed a GPU (it loads the model)."""
        import onnxruntime

        if self._runtime[0].get_providers()[0] == GPU:
            return "the GPU (onnxruntime's CUDA provider)"
        cores = f"{len(os.sched_getaffinity(0))} cores"
        if self.precision == "int8":
            found = int8_instructions()
            cores += f"; int8 with {', '.join(found)}" if found else "; int8 without VNNI"
        cpu = f"the CPU ({cores})"
        if GPU in providers(self.precision):
            return f"{cpu}: the CUDA provider did not start (is a CUDA or cuDNN library missing?)"
        if GPU in onnxruntime.get_available_providers():
            return f"{cpu}: {self.precision} runs on the CPU, faster there than on a GPU"
        return cpu

    @property
    def dimensions(self) -> int:
        session = self._runtime[0]
        return int(session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return encode_in_chunks(self._encode, self.dimensions, texts, self.chunk, progress)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        session, tokenizer, settings = self._runtime
        encodings = tokenizer.encode_batch(list(texts))
        if self.batch_size == 1:
            return self._one_at_a_time(encodings)
        # Similar lengths share a batch, so little of each batch is padding.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[s : s + self.batch_size] for s in range(0, len(order), self.batch_size)]

        def run(rows: list[int]) -> np.ndarray:
            inputs = padded([encodings[i] for i in rows], settings["pad_id"] or 0)
            feed = {name: inputs[name] for name in settings["inputs"]}
            return mean_pooled(session.run(None, feed)[0], inputs["attention_mask"])

        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        # onnxruntime lets go of the GIL while it runs, so threads keep every core busy.
        with ThreadPoolExecutor(self.streams) as pool:
            for rows, rows_vectors in zip(batches, pool.map(run, batches), strict=True):
                vectors[rows] = rows_vectors
        return vectors

    def _one_at_a_time(self, encodings: list) -> np.ndarray:
        """Each text run alone, each core taking every n-th text. One task per core rather than
        per text, and no padding or mask to build: for a sentence of ten tokens that work was a
        tenth of the model's own time (benchmarks/embedding_throughput.py)."""
        session, _, settings = self._runtime
        vectors = np.zeros((len(encodings), self.dimensions), dtype=np.float32)

        def run_every_nth(first: int) -> None:
            for i in range(first, len(encodings), self.streams):
                ids = np.array([encodings[i].ids], dtype=np.int64)
                inputs = {
                    "input_ids": ids,
                    "token_type_ids": np.array([encodings[i].type_ids], dtype=np.int64),
                    "attention_mask": np.ones_like(ids),
                }
                tokens = session.run(None, {name: inputs[name] for name in settings["inputs"]})[0]
                vectors[i] = tokens[0].mean(axis=0)

        # onnxruntime lets go of the GIL while it runs, so threads keep every core busy.
        with ThreadPoolExecutor(self.streams) as pool:
            list(pool.map(run_every_nth, range(self.streams)))
        return normalised(vectors)


def padded(encodings: list, pad_id: int) -> dict[str, np.ndarray]:
    """Token ids, type ids and attention mask of a batch, padded to its longest text."""
    width = max(len(e.ids) for e in encodings)
    ids = np.full((len(encodings), width), pad_id, dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        length = len(encoding.ids)
        ids[row, :length] = encoding.ids
        types[row, :length] = encoding.type_ids
        mask[row, :length] = 1
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}


def mean_pooled(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The mean of each text's token embeddings (padding left out), scaled to length 1."""
    weights = mask[:, :, None].astype(np.float32)
    means = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return normalised(means)


def normalised(rows: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (a row of zeros stays zeros)."""
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
