"""Does the term divergence tell different senses of a word from the same sense? On WordNet 3.0.

Definitions nobody here wrote: Princeton WordNet 3.0's noun glosses, as Debian's wordnet-base
installs them (/usr/share/wordnet; `make bench` installs it). For every noun with two or more
senses, two kinds of pair, each built in two ways the data offers:

  same sense       the two definitions of one synset whose gloss gives two, separated by ";"
                   ("the quality of being fluent; ..."), which WordNet's editors wrote as two
                   wordings of one meaning; or the definition and an example sentence of it
  different sense  the same first definition against the definition (or example) of another
                   sense of the same word, chosen with a fixed seed

so each same-sense pair has a different-sense partner from the same word and in the same format.
A pair's divergence is divergence.pair_divergence (100 − the calibrated score), the element each
term's divergence is built from. In the same run: two candidates that were measured and not
adopted ("own words": 100 − the score between what each definition says that the other does not,
the word's own direction taken out; "genus": the larger of the divergence and the divergence of
what each definition says the thing is, its leading noun phrase; docs/glossary.md says why), and
the baselines 1 − word-overlap Jaccard and 1 − TF-IDF cosine.

"with contradictions" is the product's pair divergence (divergence.pair_divergences: discounted
where the two definitions contradict each other); under the table, the product's flag at its fixed
cut (or a contradiction, whatever the distance) and the contradiction reading's flags alone, on
the reported half.

The words are split in two by a hash of the word: the cut for "reads differently" is the one that
best separates the kinds (Youden's J) on the FIT half only; every figure printed is on the other
half. divergence.READS_DIFFERENTLY holds the cut so chosen.

    .venv/bin/python benchmarks/term_divergence.py [--pairs 1500]
"""

import argparse
import hashlib
import random
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from evaldata import MACHINE
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score, roc_curve

from truenorth.analysis import divergence
from truenorth.analysis.embed import CachedEmbedder, MemoryCache, get_embedder
from truenorth.analysis.score import cosine_to_score

WORDNET = Path("/usr/share/wordnet")
SEED = 14
SHORTEST = 4  # words: "a set of" is not a definition
# (kind of same-sense pair, different senses from the same broad class only)
DESIGNS = [
    ("two definitions", False),
    ("two definitions", True),
    ("definition and example", False),
]
# What the glossary faces: functions' readings of one word are related senses ("who pays" and
# "who uses" are both people), not a town and a liquid measure (two senses of "bath").
CHOSEN = ("two definitions", True)
WORD = re.compile(r"[a-z0-9]+")
OWN_WORD = re.compile(r"[\w'-]+")
DEFINITION = re.compile(r"(?:a|an|the|any|one|someone|something|anything|a person)\s", re.I)
# A definition's genus, what it says the thing is ("the legal entity", "sloping land"): its words
# after a leading "(domain)" and articles, up to the first relative pronoun, preposition or
# punctuation that starts the differentia.
DOMAIN = re.compile(r"^\([^)]*\)\s*")
ARTICLES = re.compile(r"^(?:(?:a|an|the|any|one|some|our|their|its)\s+)+", re.I)
DIFFERENTIA = re.compile(
    r"\b(?:that|who|whom|which|whose|where|when|of|for|in|on|with|by|to|from|at|as|into|or"
    r"|used|having|especially|usually|often)\b|[:,;(]",
    re.I,
)


@dataclass(frozen=True)
class Sense:
    definitions: tuple[str, ...]
    examples: tuple[str, ...]
    lexfile: str  # WordNet's broad class of the sense: noun.person, noun.artifact, ...


@dataclass(frozen=True)
class Pair:
    word: str
    a: str
    b: str
    same: bool


def glosses() -> dict[str, Sense]:
    """Synset offset → its definitions and examples, from data.noun."""
    senses = {}
    for line in (WORDNET / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" ") or " | " not in line:
            continue  # the licence header
        offset, lexfile = line.split(" ", 2)[:2]
        gloss = line.split(" | ", 1)[1]
        parts = [p.strip() for p in gloss.split(";") if p.strip()]
        examples = tuple(p.strip('"') for p in parts if p.startswith('"'))
        definitions = tuple(
            p for p in parts if not p.startswith('"') and len(p.split()) >= SHORTEST
        )
        # A further definition is a second wording only when it reads as one ("a source of
        # unhappiness"), not as a remark on the first ("has shelves and drawers").
        definitions = definitions[:1] + tuple(d for d in definitions[1:] if DEFINITION.match(d))
        senses[offset] = Sense(definitions, examples, lexfile)
    return senses


def polysemous_words() -> dict[str, list[str]]:
    """Noun → its synset offsets (most frequent sense first), for nouns with two or more."""
    words = {}
    for line in (WORDNET / "index.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        senses = int(fields[2])
        if senses >= 2:
            words[fields[0].replace("_", " ")] = fields[-senses:]
    return words


def build_pairs(kind: str, related: bool, limit: int, rng: random.Random) -> list[Pair]:
    """Same-sense pairs of one kind ("two definitions" or "definition and example"), each with a
    different-sense partner from the same word; a related one (the same broad class, such as
    two senses that are both people) when `related`."""
    senses, pairs = glosses(), []
    for word, offsets in sorted(polysemous_words().items()):
        for offset in offsets:
            mine = senses[offset]
            if not mine.definitions:
                continue
            second = mine.definitions[1:2] if kind == "two definitions" else mine.examples[:1]
            others = [
                other
                for o in offsets
                if o != offset and (not related or senses[o].lexfile == mine.lexfile)
                for other in (
                    senses[o].definitions[:1]
                    if kind == "two definitions"
                    else senses[o].examples[:1]
                )
            ]
            if second and others:
                pairs.append(Pair(word, mine.definitions[0], second[0], True))
                pairs.append(Pair(word, mine.definitions[0], rng.choice(others), False))
                break  # one sense per word, so no word dominates
    rng.shuffle(pairs)
    return balanced(pairs, limit)


def balanced(pairs: list[Pair], limit: int) -> list[Pair]:
    """At most `limit` words, with both of each word's pairs."""
    words = list(dict.fromkeys(p.word for p in pairs))[:limit]
    keep = set(words)
    return [p for p in pairs if p.word in keep]


def fitting(word: str) -> bool:
    """The half of the words the cut is chosen on (the other half is reported)."""
    return hashlib.sha256(word.encode()).digest()[0] % 2 == 0


def jaccard_divergence(a: str, b: str) -> float:
    x, y = set(WORD.findall(a.lower())), set(WORD.findall(b.lower()))
    return 100.0 * (1.0 - len(x & y) / (len(x | y) or 1))


def stem(word: str) -> str:
    word = word.lower()
    for ending in ("ies", "es", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


def own_words(text: str, other: str) -> str:
    """The words of `text` that `other` does not use (case and a plural's ending aside), or the
    whole text where it has none of its own."""
    shared = {stem(w) for w in OWN_WORD.findall(other)}
    return " ".join(w for w in OWN_WORD.findall(text) if stem(w) not in shared) or text


def own_words_divergences(pairs: list[Pair], embedder) -> np.ndarray:
    """The candidate: 100 − the score between each definition's own words, each vector with the
    direction of the word's name taken out and re-normalised."""
    found = []
    for p in pairs:
        a, b, topic = embedder.encode([own_words(p.a, p.b), own_words(p.b, p.a), p.word])
        a, b = (v - float(v @ topic) * topic for v in (a, b))
        cosine = float(a @ b) / float(np.linalg.norm(a) * np.linalg.norm(b) or 1.0)
        found.append(100.0 - float(cosine_to_score(cosine)))
    return np.array(found)


def genus(text: str) -> str:
    """The leading noun phrase of a definition, or the whole text where that leaves nothing."""
    head = ARTICLES.sub("", DOMAIN.sub("", text.strip()))
    found = DIFFERENTIA.search(head)
    return (head[: found.start()] if found else head).strip(" .") or text


def genus_divergences(pairs: list[Pair], embedder, whole: np.ndarray) -> np.ndarray:
    """The candidate: the larger of each pair's divergence (`whole`) and the divergence of the
    two genera alone (the larger rather than the mean, and this stop list rather than the bare
    relative pronouns, "of", "for" and punctuation, were chosen on the fitting half)."""
    texts = list(dict.fromkeys(genus(t) for p in pairs for t in (p.a, p.b)))
    vectors = dict(zip(texts, embedder.encode(texts), strict=True))
    apart = [100.0 - divergence.agreement(vectors[genus(p.a)], vectors[genus(p.b)]) for p in pairs]
    return np.maximum(whole, np.array(apart))


def model_divergences(pairs: list[Pair], embedder) -> np.ndarray:
    texts = list(dict.fromkeys(t for p in pairs for t in (p.a, p.b)))
    vectors = dict(zip(texts, embedder.encode(texts), strict=True))
    return np.array([100.0 - divergence.agreement(vectors[p.a], vectors[p.b]) for p in pairs])


def product_divergences(pairs: list[Pair], embedder) -> tuple[np.ndarray, np.ndarray]:
    """The product's pair divergence (discounted where the two contradict each other) and
    whether the contradiction reading flags the pair, whatever the distance."""
    apart, found = divergence.pair_divergences([p.a for p in pairs], [p.b for p in pairs], embedder)
    return np.array(apart), np.array([bool(c.reason) for c in found])


def tfidf_divergences(pairs: list[Pair]) -> np.ndarray:
    tfidf = TfidfVectorizer().fit([t for p in pairs for t in (p.a, p.b)])
    a, b = tfidf.transform([p.a for p in pairs]), tfidf.transform([p.b for p in pairs])
    return 100.0 * (1.0 - np.asarray(a.multiply(b).sum(axis=1)).ravel())


def best_cut(different: np.ndarray, scores: np.ndarray) -> float:
    """The divergence that best separates the kinds (Youden's J) on the fitting half."""
    false_alarms, hits, cuts = roc_curve(different, scores)
    return float(cuts[int(np.argmax(hits - false_alarms))])


def report(kind: str, pairs: list[Pair], embedder) -> dict[str, float]:
    different = np.array([not p.same for p in pairs])
    fit = np.array([fitting(p.word) for p in pairs])
    model = model_divergences(pairs, embedder)
    discounted, contradicting = product_divergences(pairs, embedder)
    methods = {
        "divergence (model)": model,
        "with contradictions": discounted,
        "own words (candidate)": own_words_divergences(pairs, embedder),
        "genus (candidate)": genus_divergences(pairs, embedder, model),
        "1 - word Jaccard": np.array([jaccard_divergence(p.a, p.b) for p in pairs]),
        "1 - TF-IDF cosine": tfidf_divergences(pairs),
    }
    words = len({p.word for p in pairs if not fitting(p.word)})
    print(f"\n{kind}: {words} words reported ({int((~fit).sum())} pairs), cut fitted on the rest")
    print(f"{'method':22} {'AUC':>6} {'cut':>6} {'diff. flagged':>14} {'same flagged':>13}")
    found = {}
    for name, scores in methods.items():
        cut = best_cut(different[fit], scores[fit])
        test, flagged = ~fit, scores >= cut
        auc = roc_auc_score(different[test], scores[test])
        hits = flagged[test & different].mean()
        alarms = flagged[test & ~different].mean()
        print(f"{name:22} {auc:6.3f} {cut:6.1f} {hits:14.0%} {alarms:13.0%}")
        found[name] = cut
    # The product's flag as it stands: its fixed cut, or a contradiction whatever the distance.
    test = ~fit
    flagged = (discounted >= divergence.READS_DIFFERENTLY) | contradicting
    for name, flags in (("product's flag", flagged), ("contradiction alone", contradicting)):
        hits, alarms = flags[test & different].mean(), flags[test & ~different].mean()
        cut = f"{divergence.READS_DIFFERENTLY:.1f}" if flags is flagged else "—"
        print(f"{name:22} {'':>6} {cut:>6} {hits:14.0%} {alarms:13.0%}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=1500, help="words per kind of pair")
    args = parser.parse_args()
    if not (WORDNET / "data.noun").exists():
        raise SystemExit("WordNet is not installed: apt-get install wordnet-base (make bench)")
    embedder = CachedEmbedder(get_embedder(), MemoryCache())  # each text is embedded once
    print(f"term divergence on WordNet 3.0 nouns; {embedder.model_name}; {MACHINE}; {date.today()}")
    cuts = {}
    for kind, related in DESIGNS:
        name = f"{kind}, {'related senses' if related else 'any other sense'}"
        pairs = build_pairs(kind, related, args.pairs, random.Random(SEED))
        cuts[kind, related] = report(name, pairs, embedder)
    chosen = cuts[CHOSEN]["divergence (model)"]
    print(f"\nREADS_DIFFERENTLY fitted on two definitions, related senses: {chosen:.1f}")
    print(f"(divergence.READS_DIFFERENTLY is {divergence.READS_DIFFERENTLY:.1f})")


if __name__ == "__main__":
    main()
