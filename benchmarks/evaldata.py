"""Reading the public evaluation data in ../shared/evaldata/ (never copied into the project)."""

import csv
import os
import platform
import random
import sys
from pathlib import Path

EVALDATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
csv.field_size_limit(sys.maxsize)  # issue bodies can be long


def describe_machine() -> str:
    """What a figure was measured on: cores this process may use, the CPU, its int8 instructions
    (they decide how much faster int8 runs), memory, and whether a GPU is visible."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    fields = dict(
        line.split(":", 1) for line in cpuinfo.splitlines() if ":" in line and "\t" in line
    )
    model = " ".join(fields.get("model name\t", platform.processor() or "unknown CPU").split())
    flags = fields.get("flags\t\t", "").split()
    int8 = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    gpu = "a GPU visible" if Path("/dev/nvidia0").exists() else "no GPU"
    return (
        f"{len(os.sched_getaffinity(0))}-core {platform.machine()} CPU ({model}; "
        f"{', '.join(int8) or 'no AVX2'}), {memory:.0f} GiB, {gpu}"
    )


MACHINE = describe_machine()


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
