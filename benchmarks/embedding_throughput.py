"""Embedding throughput: the analysis path against plain SentenceTransformer.encode.

Both embed the same 5,000 real sentences with the same model in this run; the analysis path
(hashing, cache look-up, chunking, the cache write) must add no measurable overhead.

    .venv/bin/python benchmarks/embedding_throughput.py
"""

import time
from datetime import date

from evaldata import MACHINE, sentences

from truenorth.analysis.embed import CachedEmbedder, Embedder, MemoryCache

COUNT = 5000


def best_of(runs: int, function) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    texts = sentences(COUNT)
    embedder = Embedder()
    model = embedder.model
    model.encode(texts[:64])  # warm up both paths alike

    def plain():
        model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)

    def analysis():
        CachedEmbedder(embedder, MemoryCache()).encode(texts)  # a cold cache: every text embedded

    plain_seconds, analysis_seconds = best_of(2, plain), best_of(2, analysis)
    print(f"Embedding {len(texts)} texts — {date.today()}, {MACHINE} (best of 2)")
    print(
        f"  SentenceTransformer.encode: {plain_seconds:6.2f} s  ({len(texts) / plain_seconds:.0f} texts/s)"
    )
    print(
        f"  truenorth analysis path:    {analysis_seconds:6.2f} s  ({len(texts) / analysis_seconds:.0f} texts/s)"
    )
    print(f"  ratio analysis / plain: {analysis_seconds / plain_seconds:.3f}")


if __name__ == "__main__":
    main()
