"""Would reading denials apart from "without" phrases find reversals of a vision? A measured
attempt, before and after in one run, on held-out data only.

The relation classifier's one feature beyond the embeddings says whether one text of the pair is
negated and the other not (relation.negations). Counted word by word, "goes from inbox to paid
without anyone retyping it" and "does not go from inbox to paid" are both negated, so the feature
cannot tell them apart. The attempt: count denials instead (DENIAL below: "not", "never", "no
longer", "away from", a clause opening "No invoice …"), so that "without retyping", "no
retyping" and "with nobody retyping" deny nothing. Both are fitted the same way
(train_relation.fit: SICK TRAIN, regularisation by 5-fold cross-validation, the contradiction cut
on SICK TRIAL), differing only in that feature, and measured on:

- SICK TEST: contradictions flagged (recall), flags that are contradictions (precision),
  entailments and neutral pairs flagged, contradictions read as conveys or partly.
- STS-B test: faithful pairs (rated 4 or more) flagged as contradicting.
- Multi-part texts (relation_quality.multipart, the text the product compares): faithful
  restatements and contradictions reading as understanding (fidelity part by part ≥ 60).
- The decision back-briefs (benchmarks/data/decision_backbriefs.csv, labelled before either was
  measured on them): answers reversing the decision that the relation alone flags.

It did not help on held-out data (docs/measures.md, "What a contradiction flag misses"), so
relation.py keeps its negation feature.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/relation_denials.py
"""

import csv
import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np
from decision_reversals import DECISIONS
from evaldata import MACHINE, sick_pairs, sts_pairs
from relation_quality import Vectors, multipart, part_fidelity
from train_relation import fit

from truenorth.analysis import calibration, fidelity, relation
from truenorth.analysis.embed import get_embedder

BACKBRIEFS = Path(__file__).parent / "data" / "decision_backbriefs.csv"


CLAUSE_START = r"(?:^|[.!?;:]\s+|\s[—–-]\s+)"
DENIAL = re.compile(
    r"\b(?:not|never|cannot|no longer|away from)\b|n't\b"
    rf"|{CLAUSE_START}(?:no|none|nothing|nobody|neither)\b(?=\s+\w)(?!\s+\w+ing\b)"
    r"|\bthere (?:is|are|was|were|will be) (?:no|nobody|none|nothing)\b",
    re.IGNORECASE,
)


def denials(text: str) -> int:
    return len(DENIAL.findall(text))


VARIANTS = {"before: negated": relation.negations, "after: denies": denials}


@contextmanager
def negation_feature(count):
    """relation.py with `count` as the negation feature of its pairs."""
    saved = relation.negations, relation.classifier
    relation.negations = count
    try:
        yield
    finally:
        relation.negations, relation.classifier = saved


def flags(found: list[relation.Relation]) -> np.ndarray:
    return np.array([r.name == "contradicts" for r in found])


def measure(embedder, vec, sick, sts, built_sick, built_sts, backbriefs) -> dict[str, str]:
    row = {}
    labels = np.array([p[2] for p in sick])
    contradiction = labels == "CONTRADICTION"
    found = relation.relations(
        vec([p[1] for p in sick]), vec([p[0] for p in sick]),
        [p[1] for p in sick], [p[0] for p in sick],
    )  # fmt: skip
    flagged = flags(found)
    names = np.array([r.name for r in found])
    row["SICK test: contradictions flagged (recall)"] = np.mean(flagged[contradiction])
    row["SICK test: flags that are contradictions (precision)"] = np.mean(contradiction[flagged])
    row["SICK test: entailments flagged"] = np.mean(flagged[labels == "ENTAILMENT"])
    row["SICK test: neutral pairs flagged"] = np.mean(flagged[labels == "NEUTRAL"])
    row["SICK test: contradictions read conveys/partly"] = np.mean(
        np.isin(names[contradiction], ("conveys", "partly"))
    )
    faithful = np.array([p[2] >= 4 for p in sts])
    sts_found = relation.relations(
        vec([p[1] for p in sts]), vec([p[0] for p in sts]),
        [p[1] for p in sts], [p[0] for p in sts],
    )  # fmt: skip
    row[f"STS-B test: faithful pairs flagged (of {faithful.sum()})"] = np.mean(
        flags(sts_found)[faithful]
    )
    part_sick, part_sts = part_fidelity(vec, built_sick), part_fidelity(vec, built_sts)
    understands = fidelity.UNDERSTANDS
    row[f"multi-part: faithful ≥ {understands:g}"] = np.mean(part_sts[faithful] >= understands)
    row[f"multi-part: contradictions ≥ {understands:g}"] = np.mean(
        part_sick[contradiction] >= understands
    )
    reverses = np.array([r for _, _, r in backbriefs])
    readings = [
        fidelity.read(answer, {"outcome": DECISIONS[d][0]}, embedder.encode)
        for d, answer, _ in backbriefs
    ]
    read_flags = np.array([r.parts["outcome"].name == "contradicts" for r in readings])
    hits = int(np.sum(read_flags & reverses))
    row["back-briefs: reversals flagged"] = f"{hits}/{reverses.sum()}"
    row["back-briefs: restatements flagged"] = (
        f"{int(np.sum(read_flags & ~reverses))}/{np.sum(~reverses)}"
    )
    return row


def main() -> None:
    embedder = get_embedder()
    train, trial, sick, sts = (
        sick_pairs("TRAIN"), sick_pairs("TRIAL"), sick_pairs("TEST"), sts_pairs("test")
    )  # fmt: skip
    with BACKBRIEFS.open(encoding="utf-8") as stream:
        backbriefs = [
            (r["decision"], r["answer"], r["reverses"] == "1") for r in csv.DictReader(stream)
        ]
    built_sick, built_sts = multipart(sick), multipart(sts)
    texts = [t for a, b, _ in sts + sick for t in (a, b)]
    texts += [p for a, b, _ in sts + sick for t in (a, b) for p in fidelity.pieces(t)]
    vec = Vectors(embedder, texts)
    rows = {}
    for name, count in VARIANTS.items():
        with negation_feature(count):
            fitted, c, _ = fit(embedder, train, trial)
            relation.classifier = lambda key, fitted=fitted: fitted
            rows[f"{name} (C={c:g}, cut {fitted.contradicts:g})"] = measure(
                embedder, vec, sick, sts, built_sick, built_sts, backbriefs
            )
    print(f"\n{calibration.selected()}; {len(sick)} SICK test, {len(sts)} STS-B test pairs")
    print(f"{MACHINE}, {date.today()}\n")
    print("| measure | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for measure_name in next(iter(rows.values())):
        cells = [
            v if isinstance(v := row[measure_name], str) else f"{v:.3f}" for row in rows.values()
        ]
        print(f"| {measure_name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
