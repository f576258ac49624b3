"""Theme labels: do they tell the themes apart, and say what each is about?

A label is read at a glance, beside the other themes' labels, so it is measured against them. On
the sets benchmarks/theme_quality.py uses (app reviews, GitHub issue titles and Jira issue
titles, split by its `half` rule, and the answers to two Dask survey questions split by the same
rule; labels of the sets are not needed, only their texts), the answers are grouped as the product
groups them (`themes.group_answers`, the smallest theme shown 5 as theme_quality.py reads them),
and each shown theme's label is embedded with the same embedder as the answers. Two figures a set,
fixed before any candidate was run:

- identification: the share of shown themes whose label's embedding is nearest (cosine) to its
  own theme's centroid among the centroids of all shown themes: a reader told the label would
  pick the right theme.
- coverage: for each shown theme, the share of its answers whose own vector is closer to its
  label than to any other shown theme's label, averaged over the themes (each theme counts once,
  as it is one line on the page): the label says what the answers say, not what one of them does.

Candidates, each picking from a theme's LABEL_TERMS best distinctive terms (`themes.theme_terms`:
share x log lift) and then keeping today's rule (`themes.label_of`: the best term, a phrase of the
top five that holds it, then the next term adding only new words, LABEL_WORDS words at most):

0. today: the terms by weight.
1. weight x cosine: the terms by weight x max(0, cosine of the term's embedding to the theme's
   centroid), as KeyBERT reranks; a term nobody would say the theme is about (a bare verb, the
   product's own name) sits far from the centroid and goes down.
2. cosine: the terms by cosine to the centroid alone.
3. MMR: the first of (1), then the rest by maximal marginal relevance, 0.5 x cosine to the
   centroid - 0.5 x cosine to the first term, so the second term says something else.
4. contrast: the terms by weight x max(0, cosine to the own centroid - the largest cosine to any
   other theme's centroid): a term nearer its own theme than any other.

The rule, written before the first run: taken in the order above (simplest first), a candidate
replaces the one chosen so far when its mean identification over the development halves is at
least 0.01 higher and its mean coverage is not below today's: a smaller gain is a tie, and a tie
goes to the simpler. The test halves are reported for all candidates, never used to choose.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/theme_labels.py [--dev]   # --dev: dev halves only

Vectors of the answers come from theme_quality.py's cache; terms and labels are cached beside it.
"""

import argparse
from collections.abc import Callable
from datetime import date

import numpy as np
from evaldata import MACHINE
from theme_quality import IMPROVE, LABELLED, LIBRARIES, VECTORS, DiskCache, half, survey_answers

from truenorth.analysis import themes
from truenorth.analysis.embed import DEFAULT_MODEL, CachedEmbedder, Encoder, get_embedder

SHOWN = 5
LABEL_TERMS = 20
SETS = ("app reviews by label", "GitHub issues by repository", "Jira issues by project")
SURVEYS = ((2021, IMPROVE), (2021, LIBRARIES))
SHOW = 6  # labels printed per set

# (terms with weights, their unit vectors, every theme's centroid, this theme's index) -> order
Ranking = Callable[[list[tuple[str, float]], np.ndarray, np.ndarray, int], list[str]]


def by_weight(terms, vectors, centroids, own) -> list[str]:
    return [term for term, _ in terms]


def ranked(terms: list[tuple[str, float]], score: np.ndarray) -> list[str]:
    """The terms by score, best first; equal scores (all 0) keep the weight order."""
    return [terms[i][0] for i in np.argsort(-score, kind="stable")]


def weight_cosine(terms, vectors, centroids, own) -> list[str]:
    weights = np.array([w for _, w in terms])
    return ranked(terms, weights * np.maximum(0, vectors @ centroids[own]))


def cosine(terms, vectors, centroids, own) -> list[str]:
    return ranked(terms, vectors @ centroids[own])


def mmr(terms, vectors, centroids, own) -> list[str]:
    order = weight_cosine(terms, vectors, centroids, own)
    first = [term for term, _ in terms].index(order[0])
    score = 0.5 * (vectors @ centroids[own]) - 0.5 * (vectors @ vectors[first])
    score[first] = np.inf
    return ranked(terms, score)


def contrast(terms, vectors, centroids, own) -> list[str]:
    weights = np.array([w for _, w in terms])
    cosines = vectors @ centroids.T
    others = np.delete(cosines, own, axis=1)
    nearest_other = others.max(axis=1) if others.shape[1] else np.zeros(len(terms))
    return ranked(terms, weights * np.maximum(0, cosines[:, own] - nearest_other))


CANDIDATES: dict[str, Ranking] = {
    "0 today": by_weight,
    "1 weight x cosine": weight_cosine,
    "2 cosine": cosine,
    "3 MMR": mmr,
    "4 contrast": contrast,
}


def label_scores(
    found: list[themes.Theme], labels: list[str], vectors: np.ndarray, embed: Encoder
) -> tuple[float, float]:
    """Identification and coverage (see the module's docstring) of the shown themes' labels."""
    label_vectors = embed.encode(labels)
    centroids = np.stack([t.centroid for t in found])
    identified = np.argmax(label_vectors @ centroids.T, axis=1) == np.arange(len(found))
    covered = [
        float(np.mean(np.argmax(vectors[t.members] @ label_vectors.T, axis=1) == n))
        for n, t in enumerate(found)
    ]
    return float(np.mean(identified)), float(np.mean(covered))


def sets(part: str, embedder: Encoder) -> list[tuple[str, list[str], np.ndarray]]:
    result = []
    for name in SETS:
        texts = [text for text, _ in LABELLED[name]() if half(text) == part]
        result.append((name, texts, embedder.encode(texts)))
    for year, question in SURVEYS:
        texts = [text for text in survey_answers(year, question) if half(text) == part]
        result.append((f'Dask {year}, "{question}"', texts, embedder.encode(texts)))
    return result


def compare(part: str, embedder: Encoder, terms_embedder: Encoder) -> dict[str, list[float]]:
    """Each candidate's identification and coverage on every set of one half; the means."""
    means: dict[str, list[tuple[float, float]]] = {name: [] for name in CANDIDATES}
    for name, texts, vectors in sets(part, embedder):
        grouped = themes.group_answers(vectors, texts, min_size=SHOWN).themes
        shown = [t for t in grouped if t.size >= SHOWN]
        weighted = themes.theme_terms(texts, [t.members for t in grouped], LABEL_TERMS)
        unique = sorted({term for terms in weighted for term, _ in terms})
        term_vectors = dict(zip(unique, terms_embedder.encode(unique), strict=True))
        centroids = np.stack([t.centroid for t in grouped])
        print(f"\n{name}, {part} half: {len(texts)} answers, {len(shown)} shown themes")
        print(f"  {'':22} {'identification':>14} {'coverage':>9}   labels of the largest")
        rows: dict[str, list[str]] = {}
        for candidate, ranking in CANDIDATES.items():
            labels = []
            for n, (theme, terms) in enumerate(zip(grouped, weighted, strict=True)):
                if not terms:
                    labels.append(themes.label_of([], texts[theme.quotes[0]]))
                    continue
                vecs = np.stack([term_vectors[term] for term, _ in terms])
                order = ranking(terms, vecs, centroids, n)
                labels.append(themes.label_of(order[:5], texts[theme.quotes[0]]))
            rows[candidate] = [
                label for t, label in zip(grouped, labels, strict=True) if t in shown
            ]
        assert rows["0 today"] == [t.label for t in shown], "today's must be the product's"
        for candidate, labels in rows.items():
            identification, coverage = label_scores(shown, labels, vectors, terms_embedder)
            means[candidate].append((identification, coverage))
            print(
                f"  {candidate:22} {identification:14.2f} {coverage:9.2f}   "
                + " | ".join(labels[:SHOW])
            )
    print(f"\nMean over the {part} halves:")
    result = {}
    for candidate, scores in means.items():
        result[candidate] = [
            float(np.mean([s[0] for s in scores])),
            float(np.mean([s[1] for s in scores])),
        ]
        print(f"  {candidate:22} {result[candidate][0]:14.4f} {result[candidate][1]:9.4f}")
    return result


def chosen(dev: dict[str, list[float]]) -> str:
    """The rule of the module's docstring, on the development means."""
    today = dev["0 today"]
    best = "0 today"
    for candidate in CANDIDATES:  # simplest first: a later one must beat the best by 0.01
        identification, coverage = dev[candidate]
        if coverage >= today[1] and identification >= dev[best][0] + 0.01:
            best = candidate
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", action="store_true", help="development halves only")
    args = parser.parse_args()
    embedder = CachedEmbedder(get_embedder(DEFAULT_MODEL), DiskCache())
    terms_embedder = CachedEmbedder(embedder.embedder, DiskCache(VECTORS / "theme-labels"))
    print(
        f"Theme labels — {date.today()}, {MACHINE}, {embedder.model_name}; "
        f"smallest theme shown {SHOWN}, {LABEL_TERMS} terms a theme"
    )
    dev = compare("dev", embedder, terms_embedder)
    print(f"\nChosen on the development halves: {chosen(dev)}")
    if not args.dev:
        compare("test", embedder, terms_embedder)


if __name__ == "__main__":
    main()
