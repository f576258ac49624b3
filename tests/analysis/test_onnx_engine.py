import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from truenorth.analysis.embed import (
    DEFAULT_MODEL,
    CachedEmbedder,
    Embedder,
    MemoryCache,
    ModelUnavailable,
    model_path,
    text_hash,
)
from truenorth.analysis.onnx_engine import (
    CPU,
    GPU,
    INT8_INSTRUCTIONS,
    OnnxEmbedder,
    export_folder,
    fingerprint,
    int8_instructions,
    precision_for,
    providers,
)

TEXTS = [
    "Every supplier invoice goes from inbox to paid without anyone retyping it.",
    "Close the books in three days.",
    "ok",
    "We are building an ERP connector so that failed syncs stop breaking the month-end close, "
    "which today costs the finance team two extra days every month.",
]


@pytest.fixture(scope="module")
def under_torch():
    return Embedder()


@pytest.fixture(scope="module")
def reference(under_torch):
    """sentence-transformers under torch: what the ONNX engine must reproduce."""
    return under_torch.encode(TEXTS)


def test_it_gives_the_vectors_sentence_transformers_gives(embedder, reference):
    fp32 = OnnxEmbedder(precision="fp32", store=embedder.store)
    vectors = fp32.encode(TEXTS)
    assert fp32.model_name == DEFAULT_MODEL  # the same vectors, so the same cache entries
    assert np.allclose(np.sum(vectors * reference, axis=1), 1.0, atol=1e-5)


def test_int8_stays_close_and_is_cached_under_its_own_name(embedder, reference):
    assert embedder.model_name == f"{DEFAULT_MODEL}+int8"
    cosines = np.sum(embedder.encode(TEXTS) * reference, axis=1)
    assert cosines.min() > 0.95 and cosines.min() < 1 - 1e-6  # close, but not the same vectors


def test_a_batch_gives_each_text_the_vector_it_gets_alone(embedder):
    together = embedder.encode(TEXTS)
    alone = np.stack([embedder.encode([text])[0] for text in TEXTS])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_only_measured_models_run_in_int8():
    assert precision_for(DEFAULT_MODEL, "onnx") == "int8"
    assert precision_for("/models/some-other-model", "onnx") == "fp32"
    assert precision_for(DEFAULT_MODEL, "onnx-fp32") == "fp32"


@pytest.mark.filterwarnings("ignore:Specified provider .CUDAExecutionProvider")
def test_a_gpu_runs_fp32_and_leaves_int8_on_the_cpu(monkeypatch, embedder):
    # No GPU here: onnxruntime says it has one, as onnxruntime-gpu does on a server whose CUDA
    # libraries are missing. fp32 asks for it first, and the CPU runs the model instead; int8
    # never asks, so its vectors (and its curve) are the CPU's wherever it runs.
    import onnxruntime

    monkeypatch.setattr(
        onnxruntime, "get_available_providers", lambda: ["CPUExecutionProvider", GPU]
    )
    assert providers("fp32") == [GPU, CPU]
    assert providers("int8") == [CPU]
    engine = OnnxEmbedder()
    assert engine.model_name == embedder.model_name == f"{DEFAULT_MODEL}+int8"  # one curve
    assert engine._runtime[0].get_providers() == [CPU]
    assert np.allclose(engine.encode(TEXTS), embedder.encode(TEXTS), atol=1e-6)
    assert engine.runs_on.endswith("int8 runs on the CPU, faster there than on a GPU")
    fp32 = OnnxEmbedder(precision="fp32")
    assert fp32.encode(TEXTS).shape == (len(TEXTS), embedder.dimensions)
    assert fp32._runtime[0].get_providers() == [CPU]  # the CUDA provider could not start
    assert "the CUDA provider did not start" in fp32.runs_on


def test_without_a_gpu_each_engine_says_it_runs_on_the_cpu(embedder, under_torch):
    cores = f"the CPU ({len(os.sched_getaffinity(0))} cores"
    found = int8_instructions()
    assert set(found) <= set(INT8_INSTRUCTIONS)
    int8 = f"; int8 with {', '.join(found)})" if found else "; int8 without VNNI)"
    assert embedder.runs_on == cores + int8  # where int8 rounds as it does on this CPU
    assert OnnxEmbedder(precision="fp32", store=embedder.store).runs_on == cores + ")"
    assert under_torch.runs_on == "the CPU (torch)"


def test_a_fully_cached_analysis_loads_no_onnx_model(tmp_path):
    cache = MemoryCache()
    engine = OnnxEmbedder(store=tmp_path)
    cache.put_many(engine.model_name, {text_hash("alpha"): np.ones(3, dtype=np.float32)})
    assert CachedEmbedder(engine, cache).encode(["alpha"]).shape == (1, 3)
    assert not engine.loaded and not any(tmp_path.iterdir())  # nothing exported either


def test_the_export_is_reused_until_a_model_file_changes(embedder, tmp_path):
    folder = export_folder(DEFAULT_MODEL, embedder.store)
    assert export_folder(DEFAULT_MODEL, embedder.store) == folder
    copy = tmp_path / "model"
    shutil.copytree(model_path(DEFAULT_MODEL), copy)
    before = fingerprint(copy)
    os.utime(copy / "model.safetensors", ns=(1, 1))
    assert fingerprint(copy) != before


def test_a_model_it_cannot_run_says_how_to_run_it_instead(tmp_path):
    model = tmp_path / "cls-model"
    shutil.copytree(model_path(DEFAULT_MODEL), model)
    pooling = model / "1_Pooling" / "config.json"
    settings = json.loads(pooling.read_text())
    pooling.write_text(json.dumps(settings | {"pooling_mode_mean_tokens": False}))
    with pytest.raises(ModelUnavailable, match="TRUENORTH_EMBEDDING_ENGINE=sentence-transformers"):
        OnnxEmbedder(str(model), store=tmp_path / "store").encode(["alpha"])


def test_an_unknown_model_fails_clearly(tmp_path):
    with pytest.raises(ModelUnavailable, match="never downloaded at run time"):
        OnnxEmbedder("someone/some-model", store=tmp_path).encode(["alpha"])


RUN_TIME_WITHOUT_TORCH = """
import importlib, pkgutil, sys
import django
django.setup()
import truenorth
from truenorth.wsgi import application
from truenorth.embeddings.cache import configured_embedder
for module in pkgutil.walk_packages(truenorth.__path__, "truenorth."):
    importlib.import_module(module.name)
configured_embedder().encode(["Close the books in three days."])
print("torch" in sys.modules, "sentence_transformers" in sys.modules)
"""


def test_the_web_app_and_the_analysis_never_import_torch(embedder):
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "truenorth.settings"}
    env["TRUENORTH_DATA_DIR"] = str(embedder.store.parent)
    env["TRUENORTH_SECRET_KEY"] = "a-secret-of-this-test-only-" + "t" * 30  # wsgi asks for one
    done = subprocess.run(
        [sys.executable, "-c", RUN_TIME_WITHOUT_TORCH], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
