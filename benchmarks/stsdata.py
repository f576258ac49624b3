"""Reading the STS Benchmark and other evaluation data from ../shared/evaldata/."""

import csv
from pathlib import Path

EVALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "evaldata"


def sts_pairs(split: str) -> list[tuple[str, str, float]]:
    """(sentence 1, sentence 2, human score 0-5) for train, dev or test."""
    path = EVALDATA / "stsbenchmark" / f"sts-{split}.csv"
    with path.open(encoding="utf-8") as stream:
        rows = csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row[5], row[6], float(row[4])) for row in rows if len(row) >= 7]
