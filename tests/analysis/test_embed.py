import numpy as np
import pytest

from truenorth.analysis.embed import (
    DEFAULT_MODEL,
    CachedEmbedder,
    Embedder,
    MemoryCache,
    ModelUnavailable,
    load_model,
    text_hash,
)


class Counting:
    def __init__(self, embedder):
        self.embedder, self.embedded = embedder, []
        self.model_name, self.dimensions = embedder.model_name, embedder.dimensions

    def encode(self, texts, progress=None):
        self.embedded += list(texts)
        return self.embedder.encode(texts, progress)


def test_the_cache_embeds_only_new_text(embedder):
    counting = Counting(embedder)
    cached = CachedEmbedder(counting, MemoryCache())
    first = cached.encode(["alpha", "beta", "alpha"])
    assert counting.embedded == ["alpha", "beta"]
    second = cached.encode(["beta", "gamma"])
    assert counting.embedded == ["alpha", "beta", "gamma"]
    assert (first[1] == second[0]).all()
    assert first.shape == (3, embedder.dimensions)


def test_an_unknown_model_fails_clearly():
    with pytest.raises(ModelUnavailable, match="never downloaded at run time"):
        load_model("someone/some-model")


def test_rows_are_normalised_float32_and_progress_is_reported(embedder):
    calls = []
    vectors = embedder.encode(["one", "two", "three"], progress=lambda *a: calls.append(a))
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert calls[-1] == (3, 3)


def test_the_hash_ignores_spacing_only():
    assert text_hash("close  the books\n") == text_hash("close the books")
    assert text_hash("close the books") != text_hash("Close the books")


def test_a_fully_cached_analysis_starts_no_model():
    cache = MemoryCache()
    cache.put_many(DEFAULT_MODEL, {text_hash("alpha"): np.ones(3, dtype=np.float32)})
    embedder = Embedder()
    vectors = CachedEmbedder(embedder, cache).encode(["alpha", "alpha"])
    assert vectors.shape == (2, 3) and not embedder.loaded


def test_an_unknown_model_fails_clearly_on_first_use():
    embedder = Embedder("someone/some-model")  # making it loads nothing yet
    with pytest.raises(ModelUnavailable, match="never downloaded at run time"):
        embedder.encode(["alpha"])
