"""Reading the public evaluation data in ../shared/evaldata/ (never copied into the project)."""

import csv
import random
import sys
from pathlib import Path

EVALDATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
csv.field_size_limit(sys.maxsize)  # issue bodies can be long
MACHINE = "2-core x86_64 CPU, 24 GiB, no GPU"


def sts_pairs(split: str) -> list[tuple[str, str, float]]:
    """(sentence 1, sentence 2, human score 0-5) of the STS Benchmark's train, dev or test."""
    path = EVALDATA / "stsbenchmark" / f"sts-{split}.csv"
    with path.open(encoding="utf-8") as stream:
        rows = csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row[5], row[6], float(row[4])) for row in rows if len(row) >= 7]


def github_issues() -> list[tuple[str, str]]:
    """(title, repository) of real GitHub issues from react, tensorflow, vscode, bitcoin, opencv."""
    with (EVALDATA / "github-issues" / "issues_train.csv").open(encoding="utf-8") as stream:
        return [(row["title"], row["repo"]) for row in csv.DictReader(stream)]


def jira_issues() -> list[tuple[str, str]]:
    """(title, project) of real Jira issues from three projects."""
    rows = []
    for project in ("jirasoftware", "mesos", "moodle"):
        path = EVALDATA / "jira-storypoints" / f"{project}.csv"
        with path.open(encoding="utf-8", errors="replace") as stream:
            rows += [(row["title"], project) for row in csv.DictReader(stream) if row["title"]]
    return rows


def app_reviews() -> list[tuple[str, str]]:
    """(review, label) of Google Play reviews: feature request, bug report, rating, experience."""
    path = EVALDATA / "app-reviews" / "dataset_unbalanced_4000.csv"
    with path.open(encoding="utf-8", errors="replace") as stream:
        return [(row["review"], row["label"]) for row in csv.DictReader(stream) if row["review"]]


def sick_sentences() -> list[str]:
    with (EVALDATA / "sick" / "SICK_full.txt").open(encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream, delimiter="\t")
        return [s.strip() for row in rows for s in (row["sentence_A"], row["sentence_B"])]


def sentences(limit: int, seed: int = 0) -> list[str]:
    """Distinct real sentences from the STS Benchmark and SICK, shuffled."""
    sts = (s for split in ("train", "dev", "test") for a, b, _ in sts_pairs(split) for s in (a, b))
    pool = list(dict.fromkeys([*sts, *sick_sentences()]))
    random.Random(seed).shuffle(pool)
    return pool[:limit]


def sick_pairs(split: str) -> list[tuple[str, str, str]]:
    """(sentence A, sentence B, ENTAILMENT / NEUTRAL / CONTRADICTION) of SICK's TRAIN/TRIAL/TEST."""
    with (EVALDATA / "sick" / "SICK_full.txt").open(encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream, delimiter="\t")
        return [
            (row["sentence_A"].strip(), row["sentence_B"].strip(), row["entailment_label"])
            for row in rows
            if row["SemEval_set"].strip() == split
        ]


def long_answers(limit: int, seed: int = 0) -> list[str]:
    """Distinct real app reviews of 30-60 words: free text as long as a check-in answer."""
    texts = [" ".join(text.split()) for text, _ in app_reviews()]
    pool = list(dict.fromkeys(t for t in texts if 30 <= len(t.split()) <= 60))
    random.Random(seed).shuffle(pool)
    return pool[:limit]
