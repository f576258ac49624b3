"""Does an update back-brief that reverses what the update said read as contradicting it?

Answers to update narratives, each labelled before the rule was run on it: does it reverse
something the narrative states ("we stayed with the old vendor" against "we moved supplier
payments to the new vendor")? The narratives are what update back-briefs are read against: a
few paragraphs stating several changes and several things kept, so a rule that reads each clause
has more chances to misfire than on a one-sentence decision. Each answer is read against the
narrative two ways in the same run: the vision's relation alone (fidelity.read_all), and with
decision_reading's reversal rule on the narrative (read_back_briefs).

Two sets, reported apart:
- first (benchmarks/data/update_backbriefs.csv): 34 answers to four narratives, 16 reversals.
  The rule was changed after reading its errors here (an answer's clause is compared with the
  narrative clause it restates, and a text of several clauses takes no stance as a whole), so
  this set shows what the rule does; it does not validate it.
- held-out (benchmarks/data/update_backbriefs_heldout.csv): 33 answers to four other
  narratives, 16 reversals, written and labelled after those changes and run once.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/update_reversals.py
"""

import csv
from datetime import date
from pathlib import Path

import numpy as np
from decision_reversals import figures
from evaldata import MACHINE

from truenorth.analysis import decision_reading, fidelity
from truenorth.analysis.embed import get_embedder

DATA = Path(__file__).parent / "data"
SETS = {"first": DATA / "update_backbriefs.csv", "held-out": DATA / "update_backbriefs_heldout.csv"}
NARRATIVES = {
    "payments": (
        "This month we moved supplier payments to the new payment vendor, and payouts stopped "
        "failing. We kept the old vendor for refunds until its contract ends in March. The "
        "mobile app is still being explored; there is no date for it. Next month the team turns "
        "to bank reconciliation."
    ),
    "erp": (
        "The NetSuite sync rewrite moved again, and the ERP connection wizard moved with it, "
        "because both wait on the same retry queue. We chose to move the dates rather than ship "
        "a sync that fails quietly. Approvers can now approve from Slack and Microsoft Teams. "
        "Mobile approvals is planned, not promised."
    ),
    "reporting": (
        "We are retiring the legacy reporting module at the end of March, because fewer than one "
        "customer in twenty opens it. Customers who still use it will get the new dashboards, "
        "which keep every report they rely on. The data warehouse stays on PostgreSQL this "
        "year. Support will contact the heavy users first."
    ),
    "hiring": (
        "We continue hiring two engineers for the Platform team this quarter, since on-call is "
        "stretched across three people. Design hiring is paused until the spring. The office "
        "move to Leith is cancelled; we stay in the current building. Engineering onboarding "
        "now starts with a week on support."
    ),
    "pricing": (
        "We moved the Starter plan to per-seat pricing this month, after a quarter of tests "
        "showed it converts better. Annual prices for existing customers stay as they are until "
        "renewal. The free trial is now 21 days instead of 14. We dropped the plan to bundle the "
        "analytics add-on."
    ),
    "support": (
        "Support moved to a follow-the-sun rota, so customers in Asia get answers within four "
        "hours. We kept phone support for Enterprise accounts only. The old help centre was "
        "replaced by the new docs site. Chat remains in beta for Pro accounts."
    ),
    "infra": (
        "We migrated the main database to PostgreSQL 17 over the weekend without downtime. The "
        "search cluster stays on Elasticsearch for now; the move to OpenSearch waits until the "
        "summer. We stopped the nightly full backups and replaced them with continuous archiving."
    ),
    "partners": (
        "We ended the reseller agreement with Northwind at the end of the quarter. Contoso stays "
        "our implementation partner in the Nordics. Partners now get roadmap previews each month "
        "instead of each quarter."
    ),
}


def main() -> None:
    embedder = get_embedder()
    print(f"{date.today()}, {MACHINE}, {embedder.model_name}")
    print(
        "| set | narrative read by | accuracy | precision | recall | fidelity: reversals / others |"
    )
    print("|---|---|---|---|---|---|")
    for name, path in SETS.items():
        for line in rows_of(name, path, embedder.encode):
            print(line)


def rows_of(name: str, path: Path, embed) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    alone, ruled, truth, before_scores, after_scores = [], [], [], [], []
    for row in rows:
        parts = {"narrative": NARRATIVES[row["update"]]}
        (before,) = fidelity.read_all([row["answer"]], parts, embed, parts["narrative"])
        (after,) = decision_reading.read_back_briefs([row["answer"]], parts, embed)
        alone.append(before.parts["narrative"].name == "contradicts")
        ruled.append(after.contradicts)
        truth.append(row["reverses"] == "1")
        before_scores.append(before.fidelity)
        after_scores.append(after.fidelity)
        if ruled[-1] != truth[-1]:
            print(f"  {name}, wrong: reverses={row['reverses']} {row['answer']}")
    lines = []
    for read_by, flags, scores in (
        ("the vision's relation alone", alone, before_scores),
        ("with the reversal rule", ruled, after_scores),
    ):
        means = [np.mean([s for s, t in zip(scores, truth, strict=True) if t == w]) for w in (1, 0)]
        lines.append(
            f"| {name} | {read_by} {figures(flags, truth)} {means[0]:.1f} / {means[1]:.1f} |"
        )
    return lines


if __name__ == "__main__":
    main()
