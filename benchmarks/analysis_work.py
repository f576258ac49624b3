"""The work of an analysis after embedding, and how stable its k-means pieces are.

The 10,000-answer check-in of warm_reanalysis.py is embedded once (default engine); then the
analysis runs three times with every vector cached, so what is timed is clustering, scoring and
breakdowns alone (median of 3). To compare with an older commit, run this file there too.

The pieces: the 10,000 vision answers grouped as the analysis groups them (random centres, three
passes), against k-means++ with up to a hundred passes, and k-means++ against itself under
another seed, by adjusted Rand index of the final interpretations.

    .venv/bin/python benchmarks/analysis_work.py
"""

import statistics
import time
from datetime import date

import numpy as np
from evaldata import MACHINE, sentences
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score
from warm_reanalysis import CHANGED, GOALS, PEOPLE, checkin

from truenorth.analysis import cluster
from truenorth.analysis.embed import CachedEmbedder, MemoryCache, get_embedder
from truenorth.analysis.report import analyze_checkin


def merged(vectors: np.ndarray, pieces: MiniBatchKMeans) -> np.ndarray:
    piece_of = pieces.fit_predict(vectors)
    centres = pieces.cluster_centers_ / np.linalg.norm(pieces.cluster_centers_, axis=1)[:, None]
    return cluster._agglomerate(centres, cluster.SAME_READING)[piece_of]


def main() -> None:
    pool = sentences(2 * PEOPLE + 300 + CHANGED)
    people, questions, direction = checkin(pool)
    embedder = CachedEmbedder(get_embedder(), MemoryCache())
    analyze_checkin(people, questions, GOALS, direction, 5, embedder)  # fills the cache
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        analyze_checkin(people, questions, GOALS, direction, 5, embedder)
        runs.append(time.perf_counter() - started)
    print(f"Analysis work, {PEOPLE} answers, every vector cached — {date.today()}, {MACHINE}")
    print(
        f"  median of 3: {statistics.median(runs):.2f} s  ({', '.join(f'{r:.2f}' for r in runs)})"
    )
    vectors = embedder.encode(pool[:PEOPLE])
    ours = cluster.cluster_labels(vectors)
    kmeans_pp = {
        seed: merged(
            vectors, MiniBatchKMeans(cluster.PIECES, random_state=seed, n_init=1, batch_size=2048)
        )
        for seed in (0, 1)
    }
    print(
        f"  adjusted Rand, the analysis's pieces vs k-means++:      {adjusted_rand_score(ours, kmeans_pp[0]):.3f}"
    )
    print(
        f"  adjusted Rand, k-means++ vs k-means++ (another seed):   {adjusted_rand_score(kmeans_pp[1], kmeans_pp[0]):.3f}"
    )


if __name__ == "__main__":
    main()
