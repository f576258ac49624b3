"""Could the denial rule (fidelity.denies) count as a contradiction? Measured on held-out data only.

A restatement denies its source when, on one topic (score ≥ relation.SHARES_DETAILS), it negates
a word the source says or says one the source negates (cluster.negated_words): "invoices are
still retyped" against "without anyone retyping it". Nothing in the rule was fitted to these
sets. It would count as a contradiction (reason "denies", like a different number) only if, on
held-out pairs, 9 of its 10 flags are right on SICK TEST and it flags no more faithful STS-B pairs
than the classifier does. Measured beside the classifier (relation.py) on:

- SICK TEST, the restated sentence against its source: precision and recall against the
  CONTRADICTION label, and what the rule adds to the classifier's flags.
- STS-B test pairs rated 4 or more ("mostly equivalent"): the share flagged.
- Multi-part texts (relation_quality.multipart, the text the product compares), read part by part
  (fidelity.read): faithful STS restatements flagged, SICK contradictions flagged, and SICK
  contradictions that read as understanding (fidelity ≥ 60) that the rule flags.
- The decision back-briefs (benchmarks/data/decision_backbriefs.csv): reversals and faithful
  restatements flagged.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/denial_rule.py
"""

import csv
from datetime import date

import numpy as np
from decision_reversals import DECISIONS
from evaldata import MACHINE, sick_pairs, sts_pairs
from relation_denials import BACKBRIEFS
from relation_quality import Vectors, multipart

from truenorth.analysis import calibration, fidelity, relation
from truenorth.analysis.embed import get_embedder

PRECISION_TO_COUNT = 0.9


def pair_flags(vec, pairs) -> tuple[np.ndarray, np.ndarray]:
    """The rule's flags and the classifier's, each pair's second text restating its first."""
    sources, restated = [p[0] for p in pairs], [p[1] for p in pairs]
    found = relation.relations(vec(restated), vec(sources), restated, sources)
    rule = np.array(
        [
            r.score >= relation.SHARES_DETAILS and fidelity.denies(b, a)
            for r, a, b in zip(found, sources, restated, strict=True)
        ]
    )
    return rule, np.array([r.name == "contradicts" for r in found])


def precision(flags: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean(truth[flags])) if flags.any() else float("nan")


def part_readings(vec, built) -> list[fidelity.Reading]:
    return [
        fidelity.read(restated, {f"part {i}": p for i, p in enumerate(parts)}, vec)
        for parts, restated, _ in built
    ]


def main() -> None:
    embedder = get_embedder()
    sick, sts = sick_pairs("TEST"), sts_pairs("test")
    built_sick, built_sts = multipart(sick), multipart(sts)
    texts = [t for a, b, _ in sts + sick for t in (a, b)]
    texts += [p for a, b, _ in sts + sick for t in (a, b) for p in fidelity.pieces(t)]
    vec = Vectors(embedder, texts)
    rows: dict[str, tuple[str, str]] = {}

    contradiction = np.array([p[2] == "CONTRADICTION" for p in sick])
    rule, classifier = pair_flags(vec, sick)
    rows["SICK test: precision (flags that are contradictions)"] = (
        f"{precision(rule, contradiction):.3f} ({rule.sum()} flags)",
        f"{precision(classifier, contradiction):.3f} ({classifier.sum()} flags)",
    )
    rows["SICK test: recall (contradictions flagged)"] = (
        f"{np.mean(rule[contradiction]):.3f}",
        f"{np.mean(classifier[contradiction]):.3f}",
    )
    added = rule & ~classifier
    rows["SICK test: flags the classifier lacks, precision"] = (
        f"{precision(added, contradiction):.3f} ({added.sum()} flags)",
        "—",
    )
    faithful = np.array([p[2] >= 4 for p in sts])
    rule_sts, classifier_sts = pair_flags(vec, sts)
    rows[f"STS-B test: faithful pairs flagged (of {faithful.sum()})"] = (
        f"{np.mean(rule_sts[faithful]):.3f}",
        f"{np.mean(classifier_sts[faithful]):.3f}",
    )

    read_sick, read_sts = part_readings(vec, built_sick), part_readings(vec, built_sts)
    denied_sts = np.array([r.denies for r in read_sts])
    flagged_sts = np.array([r.relation == "contradicts" for r in read_sts])
    rows["multi-part: faithful STS restatements flagged"] = (
        f"{np.mean(denied_sts[faithful]):.3f}",
        f"{np.mean(flagged_sts[faithful]):.3f}",
    )
    denied_sick = np.array([r.denies for r in read_sick])
    flagged_sick = np.array([r.relation == "contradicts" for r in read_sick])
    rows["multi-part: SICK contradictions flagged"] = (
        f"{np.mean(denied_sick[contradiction]):.3f}",
        f"{np.mean(flagged_sick[contradiction]):.3f}",
    )
    understood = np.array([r.fidelity >= fidelity.UNDERSTANDS for r in read_sick]) & contradiction
    rows[
        f"multi-part: contradictions read ≥ {fidelity.UNDERSTANDS:g} ({understood.sum()}), flagged"
    ] = (
        f"{np.mean(denied_sick[understood]):.3f}",
        "0 (by definition)",
    )
    rows["multi-part: SICK precision"] = (
        f"{precision(denied_sick, contradiction):.3f}",
        f"{precision(flagged_sick, contradiction):.3f}",
    )

    with BACKBRIEFS.open(encoding="utf-8") as stream:
        briefs = [
            (r["decision"], r["answer"], r["reverses"] == "1") for r in csv.DictReader(stream)
        ]
    reverses = np.array([r for _, _, r in briefs])
    read = [fidelity.read(a, {"outcome": DECISIONS[d][0]}, embedder.encode) for d, a, _ in briefs]
    denied = np.array([r.denies for r in read])
    flagged = np.array([r.parts["outcome"].name == "contradicts" for r in read])
    rows["back-briefs: reversals flagged"] = (
        f"{np.sum(denied & reverses)}/{reverses.sum()}",
        f"{np.sum(flagged & reverses)}/{reverses.sum()}",
    )
    rows["back-briefs: restatements flagged"] = (
        f"{np.sum(denied & ~reverses)}/{np.sum(~reverses)}",
        f"{np.sum(flagged & ~reverses)}/{np.sum(~reverses)}",
    )

    counts = precision(rule, contradiction) >= PRECISION_TO_COUNT and np.mean(
        rule_sts[faithful]
    ) <= np.mean(classifier_sts[faithful])
    print(f"\n{calibration.selected()}; {len(sick)} SICK test, {len(sts)} STS-B test pairs")
    print(f"{MACHINE}, {date.today()}\n")
    print("| measure | denial rule | classifier |")
    print("|---|---|---|")
    for name, (ours, theirs) in rows.items():
        print(f"| {name} | {ours} | {theirs} |")
    print(f"\nCounts as a contradiction: {'yes' if counts else 'no'}")


if __name__ == "__main__":
    main()
