"""The embedder this server is configured for, and the database as its cache.

The database is the analysis package's embedding cache, shared by every process. Each process
also keeps the vectors it used last in memory (bounded), so building a page or re-analysing a
check-in does not read the same vectors back from the database every time. A vector depends
only on the model and the text, so a copy in memory is never out of date.
"""

from collections import OrderedDict

import numpy as np
from django.conf import settings

from truenorth.analysis.embed import CachedEmbedder, Encoder, get_embedder
from truenorth.embeddings.models import Embedding

BATCH = 500  # keeps IN (...) lists well under SQLite's variable limit
IN_MEMORY = 20_000  # vectors kept per process: about 30 MB with a 384-dimension model

_recent: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def configured_embedder() -> Encoder:
    """The model of TRUENORTH_EMBEDDING_MODEL, on the engine of TRUENORTH_EMBEDDING_ENGINE."""
    return get_embedder(
        settings.EMBEDDING_MODEL, settings.EMBEDDING_ENGINE, settings.EMBEDDING_STORE
    )


def cached_embedder() -> CachedEmbedder:
    """The configured embedder, embedding only texts that no process embedded before."""
    return CachedEmbedder(configured_embedder(), DatabaseCache())


def remember(model: str, vectors: dict[str, np.ndarray]) -> None:
    for text_hash, vector in vectors.items():
        _recent[(model, text_hash)] = vector
        _recent.move_to_end((model, text_hash))
    while len(_recent) > IN_MEMORY:
        _recent.popitem(last=False)


class DatabaseCache:
    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found = {h: _recent[(model, h)] for h in hashes if (model, h) in _recent}
        missing = [h for h in hashes if h not in found]
        for start in range(0, len(missing), BATCH):
            rows = Embedding.objects.filter(
                model=model, text_hash__in=missing[start : start + BATCH]
            ).values_list("text_hash", "vector")
            found.update({h: np.frombuffer(bytes(v), dtype=np.float32) for h, v in rows})
        remember(model, found)
        return found

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        Embedding.objects.bulk_create(
            [
                Embedding(model=model, text_hash=h, vector=v.astype(np.float32).tobytes())
                for h, v in vectors.items()
            ],
            ignore_conflicts=True,  # another worker may have embedded the same text meanwhile
            batch_size=BATCH,
        )
        remember(model, {h: v.astype(np.float32) for h, v in vectors.items()})
