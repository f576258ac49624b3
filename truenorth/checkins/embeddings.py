"""The database as the analysis package's embedding cache, shared by every process."""

import numpy as np

from truenorth.checkins.models import Embedding

BATCH = 500  # keeps IN (...) lists well under SQLite's variable limit


class DatabaseCache:
    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found = {}
        for start in range(0, len(hashes), BATCH):
            rows = Embedding.objects.filter(
                model=model, text_hash__in=hashes[start : start + BATCH]
            ).values_list("text_hash", "vector")
            found.update({h: np.frombuffer(bytes(v), dtype=np.float32) for h, v in rows})
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
