"""Do claims made to customers get the right verdict against the roadmap?

The labelled set (benchmarks/data/claims_labelled.csv) holds 105 claims as a salesperson writes
them, about a made-up product analytics tool whose roadmap of 22 initiatives is in
benchmarks/data/claims_roadmap.csv. Each claim names the initiative it refers to (several,
separated by "|", when it names several; empty when nothing on the roadmap is that capability)
and its expected verdict. The labels were written before any matcher ran.

Two matchers, the same verdict rule (truenorth.analysis.promises.judge):
  - model: the real all-MiniLM-L6-v2 embeddings, score 0-100, cut MATCH_SCORE (chosen on STS dev);
  - baseline: TF-IDF cosine on words (English stop words removed), cut "shares any word" (> 0),
    the one cut a keyword matcher has without tuning.
Both match a claim to the better of an initiative's title and its title with its problem.
Nothing here is tuned on this set. A third row is the model's verdict read with the claim's
words as truenorth reads them (truenorth.claims.wording.reread: "not promised", "live now"),
with the claims whose verdict those words changed listed.

    .venv/bin/python benchmarks/claim_matching.py
"""

import csv
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
from evaldata import MACHINE
from sklearn.feature_extraction.text import TfidfVectorizer

from truenorth.analysis.embed import get_embedder
from truenorth.analysis.matching import MATCH_SCORE
from truenorth.analysis.promises import (
    VERDICTS,
    Capability,
    Evidence,
    Verdict,
    capability_vectors,
    check_claims,
    judge,
)
from truenorth.claims.wording import reread

DATA = Path(__file__).parent / "data"
SHORT = {
    "available": "avail",
    "committed": "commit",
    "over_promise": "over",
    "no_capability": "none",
}


def read_roadmap() -> tuple[list[str], list[Capability]]:
    with open(DATA / "claims_roadmap.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    capabilities = [
        Capability(
            r["title"],
            r["problem"],
            r["status"],
            date.fromisoformat(r["target_date"]) if r["target_date"] else None,
        )
        for r in rows
    ]
    return [r["key"] for r in rows], capabilities


def read_claims() -> list[dict]:
    with open(DATA / "claims_labelled.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def model_verdicts(claims: list[str], capabilities: list[Capability]) -> list[Verdict]:
    encode = get_embedder().encode
    return check_claims(encode(claims), capability_vectors(capabilities, encode), capabilities)


def tfidf_verdicts(claims: list[str], capabilities: list[Capability]) -> list[Verdict]:
    texts = [text for c in capabilities for text in c.texts]
    vectorizer = TfidfVectorizer(stop_words="english").fit(texts + claims)
    cosine = (vectorizer.transform(claims) @ vectorizer.transform(texts).T).toarray()
    best_text = np.maximum(cosine[:, 0::2], cosine[:, 1::2])  # title or title with problem
    verdicts = []
    for row in best_text:
        order = [int(i) for i in np.argsort(-row, kind="stable") if row[i] > 0][:3]
        matches = [Evidence(i, float(row[i]), capabilities[i].status) for i in order]
        verdicts.append(judge(matches, capabilities, cut=0.0))  # kept: only scores > 0
    return verdicts


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% interval for a proportion, sound at small n."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def evaluate(name: str, verdicts: Sequence[Verdict], claims: list[dict], keys: list[str]) -> dict:
    n = len(claims)
    verdict_right = [v.verdict == c["verdict"] for v, c in zip(verdicts, claims, strict=True)]
    matched = [keys[v.evidence.capability] if v.evidence else "" for v in verdicts]
    initiative_right = [
        m in (c["initiative"].split("|") if c["initiative"] else [""])
        for m, c in zip(matched, claims, strict=True)
    ]
    risky_said = np.array([v.verdict in ("over_promise", "no_capability") for v in verdicts])
    risky_true = np.array([c["verdict"] in ("over_promise", "no_capability") for c in claims])
    hits = int(np.sum(risky_said & risky_true))
    return {
        "name": name,
        "verdict": verdict_right,
        "initiative": initiative_right,
        "precision": hits / max(1, int(risky_said.sum())),
        "recall": hits / max(1, int(risky_true.sum())),
        "n": n,
        "said": [v.verdict for v in verdicts],
    }


def print_result(result: dict) -> None:
    n = result["n"]
    for what in ("verdict", "initiative"):
        right = sum(result[what])
        low, high = wilson(right, n)
        print(
            f"  {what + ' accuracy':22} {right / n:6.3f}  ({right}/{n}; 95% {low:.2f}-{high:.2f})"
        )
    print(
        f"  {'risky claims found':22} precision {result['precision']:.3f}, "
        f"recall {result['recall']:.3f}  (over-promise or no such capability)"
    )


def print_confusion(result: dict, claims: list[dict]) -> None:
    print(f"  {result['name']}: expected (rows) x verdict given (columns)")
    print("    " + f"{'':8}" + "".join(f"{SHORT[v]:>8}" for v in VERDICTS))
    for expected in VERDICTS:
        counts = [
            sum(
                1
                for s, c in zip(result["said"], claims, strict=True)
                if c["verdict"] == expected and s == said
            )
            for said in VERDICTS
        ]
        print("    " + f"{SHORT[expected]:8}" + "".join(f"{n:>8}" for n in counts))


def paired(model: dict, baseline: dict) -> str:
    pairs = list(zip(model["verdict"], baseline["verdict"], strict=True))
    both = sum(a and b for a, b in pairs)
    only_model = sum(a and not b for a, b in pairs)
    only_base = sum(b and not a for a, b in pairs)
    return f"both right {both}, only model {only_model}, only baseline {only_base}"


def main() -> None:
    keys, capabilities = read_roadmap()
    claims = read_claims()
    texts = [c["claim"] for c in claims]
    print(
        f"Claim verdicts: {len(claims)} labelled claims, {len(capabilities)} initiatives — "
        f"{date.today()}, {MACHINE}"
    )
    model_said = model_verdicts(texts, capabilities)
    model = evaluate(f"model (all-MiniLM-L6-v2, cut {MATCH_SCORE:g})", model_said, claims, keys)
    baseline_said = tfidf_verdicts(texts, capabilities)
    baseline = evaluate(
        "baseline (TF-IDF words, cut: any shared word)", baseline_said, claims, keys
    )
    worded_said = [reread(text, v) for text, v in zip(texts, model_said, strict=True)]
    worded = evaluate("model, read with the claim's words", worded_said, claims, keys)
    for result in (model, baseline, worded):
        print(result["name"])
        print_result(result)
    print_reread(model_said, worded_said, claims)
    for result in (model, baseline):
        print_confusion(result, claims)
    ratio = sum(model["verdict"]) / max(1, sum(baseline["verdict"]))
    print(f"Verdict accuracy, model / baseline: {ratio:.2f}  ({paired(model, baseline)})")
    print_misses(model_said, claims, keys)
    print("The model's wrong verdicts (expected -> given, score, matched or ~nearest initiative):")
    for claim, verdict, right in zip(claims, model_said, model["verdict"], strict=True):
        if not right:
            shown = verdict.evidence or verdict.nearest
            where = ("" if verdict.evidence else "~") + keys[shown.capability] if shown else "-"
            score = f"{shown.score:5.1f}" if shown else "    -"
            print(
                f"  #{claim['id']:>3} {SHORT[claim['verdict']]:>6} -> {SHORT[verdict.verdict]:6}"
                f" {score} {where:7} {claim['claim'][:70]}"
            )


def print_reread(said: Sequence[Verdict], worded: Sequence[Verdict], claims: list[dict]) -> None:
    """The claims whose verdict their words changed, with what each was labelled."""
    changed = [
        (claim, before.verdict, after.verdict)
        for claim, before, after in zip(claims, said, worded, strict=True)
        if before.verdict != after.verdict
    ]
    print(f"  the claim's words changed {len(changed)} verdicts (labelled: model -> read):")
    for claim, before, after in changed:
        print(
            f"    #{claim['id']:>3} {SHORT[claim['verdict']]:>6}: {before} -> {after}  "
            f"{claim['claim'][:60]}"
        )


def print_misses(verdicts: Sequence[Verdict], claims: list[dict], keys: list[str]) -> None:
    """Claims about a real initiative that fell below the cut: is the nearest one shown right?"""
    missed = [
        (v, c)
        for v, c in zip(verdicts, claims, strict=True)
        if v.evidence is None and c["initiative"] and c["verdict"] != "no_capability"
    ]
    if missed:
        right = sum(
            1
            for v, c in missed
            if v.nearest and keys[v.nearest.capability] in c["initiative"].split("|")
        )
        print(
            f"Model: {len(missed)} claims about a live initiative fell below the cut; the nearest "
            f"initiative shown with them is the labelled one for {right}."
        )


if __name__ == "__main__":
    main()
