import pytest

from truenorth.analysis.embed import CachedEmbedder, MemoryCache, ModelUnavailable, load_model


class Counting:
    def __init__(self, embedder):
        self.embedder, self.embedded = embedder, []
        self.model_name, self.dimensions = embedder.model_name, embedder.dimensions

    def encode(self, texts):
        self.embedded += list(texts)
        return self.embedder.encode(texts)


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
