"""Does a back-brief that reverses the decision read as contradicting it?

27 back-brief answers to four decisions (benchmarks/data/decision_backbriefs.csv), labelled
before the reversal rule was measured on them: 13 reverse the decision ("we are keeping the old
vendor" against "we are moving to the new vendor"), 14 restate it, some in other words than the
decision's own ("the old vendor is out"). Each answer's outcome part is read two ways in the
same run: with the vision's relation alone (fidelity.read_all: the classifier's contradiction
cut and different numbers), and with decision_reading's reversal rule added.

A second set, reported apart (benchmarks/data/decision_swaps.csv): 24 answers to three
decisions that move something from one thing to another, 12 of them moving it the other way or
keeping it ("from Docuread to Scanly" against "from Scanly to Docuread"), 12 restating it in
other words ("Scanly gets replaced by Docuread"). The team wrote and labelled them after the
rule for swapped directions was written, with it in view, and ran them once: they show what that
rule does, they do not validate it.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/decision_reversals.py
"""

import csv
from datetime import date
from pathlib import Path

from evaldata import MACHINE

from truenorth.analysis import decision_reading, fidelity
from truenorth.analysis.embed import get_embedder

DATA = Path(__file__).parent / "data"
SETS = {"answers": DATA / "decision_backbriefs.csv", "swaps": DATA / "decision_swaps.csv"}
DECISIONS = {
    "vendor": (
        "We are moving our payment processing from the old vendor to the new vendor by June.",
        "The old vendor charges twice the fees, and its outages broke supplier payouts.",
    ),
    "erp": (
        "We will support SAP and Microsoft Dynamics only this year and drop the Oracle connector.",
        "Nine in ten of our customers run SAP or Dynamics.",
    ),
    "plan": (
        "We are retiring the legacy reporting module at the end of March.",
        "Fewer than one customer in twenty opens it, and it holds back the upgrade of the database.",
    ),
    "hiring": (
        "We continue hiring two engineers for the Platform team this quarter.",
        "On-call is stretched across three people.",
    ),
    "ocr": (
        "We are moving invoice OCR from Scanly to Docuread by March.",
        "Docuread reads handwritten totals, which Scanly misses.",
    ),
    "warehouse": (
        "We are replacing Redshift with Snowflake for the data warehouse this summer.",
        "Snowflake costs less at our query volume.",
    ),
    "support": (
        "Enterprise support moves from email to a shared Slack channel next quarter.",
        "Enterprise customers get answers faster in Slack.",
    ),
}


def figures(flags: list[bool], truth: list[bool]) -> str:
    hits = sum(f and t for f, t in zip(flags, truth, strict=True))
    flagged, actual = sum(flags), sum(truth)
    right = sum(f == t for f, t in zip(flags, truth, strict=True))
    return (
        f"| {right / len(truth):.3f} | {hits / max(flagged, 1):.3f} ({hits}/{flagged}) "
        f"| {hits / max(actual, 1):.3f} ({hits}/{actual}) |"
    )


def main() -> None:
    embedder = get_embedder()
    print(f"{date.today()}, {MACHINE}, {embedder.model_name}")
    print("| set | outcome read by | accuracy | precision | recall |")
    print("|---|---|---|---|---|")
    for name, path in SETS.items():
        for line in rows_of(name, path, embedder):
            print(line)


def rows_of(name: str, path: Path, embedder) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    alone, ruled, truth = [], [], []
    for row in rows:
        parts = decision_reading.decision_parts(*DECISIONS[row["decision"]])
        summary = decision_reading.summary_of(parts)
        (before,) = fidelity.read_all([row["answer"]], parts, embedder.encode, summary)
        (after,) = decision_reading.read_back_briefs([row["answer"]], parts, embedder.encode)
        alone.append(before.parts["outcome"].name == "contradicts")
        ruled.append(after.contradicts)
        truth.append(row["reverses"] == "1")
        if ruled[-1] != truth[-1]:
            print(f"  {name}, wrong: reverses={row['reverses']} {row['answer']}")
    return [
        f"| {name} | the vision's relation alone {figures(alone, truth)}",
        f"| {name} | with the reversal rule {figures(ruled, truth)}",
    ]


if __name__ == "__main__":
    main()
