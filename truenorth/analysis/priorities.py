"""The priorities people name, matched to the official goals or marked as shadow priorities.

A named priority matches a goal when their score is at least MATCH_SCORE: a person's few words
("get touchless up") rarely restate a goal fully, but they must share its details, not just its
topic. The cut is the score that best predicts a human STS rating of 2 or more ("not equivalent,
but share some details"; 1 is "on the same topic") on the STS Benchmark dev split, rounded to 5
(benchmarks/choose_thresholds.py; accuracy 0.87). Below it for every goal, the item is a shadow
priority: something people treat as a priority that no official goal says.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from truenorth.analysis.score import score_matrix

MATCH_SCORE = 35.0
ITEM_SPLIT = re.compile(r"(?:^|\n|;|\s)(?:\d{1,2}[.)]|[-*•])\s+|\n+|;\s*")


@dataclass
class Goal:
    id: int
    title: str
    why: str
    rank: int

    @property
    def texts(self) -> tuple[str, str]:
        """A short answer is compared with the title, a long one may match the title and why."""
        return self.title, f"{self.title}. {self.why}"


def goal_scores(
    vectors: np.ndarray, goals: Sequence[Goal], embed: Callable[[Sequence[str]], np.ndarray]
) -> np.ndarray:
    """Score of each text against each goal: the better of its title and its title and why."""
    titles = embed([g.texts[0] for g in goals])
    full = embed([g.texts[1] for g in goals])
    return np.asarray(np.maximum(score_matrix(vectors, titles), score_matrix(vectors, full)))


def split_items(answer: str, limit: int = 5) -> list[str]:
    """'1. X 2. Y', bullets, lines or semicolons → ['X', 'Y']; else commas; else the whole."""
    items = [i.strip(" .,-") for i in ITEM_SPLIT.split(answer) if i and i.strip(" .,-")]
    if len(items) < 2 and answer.count(",") >= 2:
        items = [i.strip(" .") for i in answer.split(",") if i.strip(" .")]
    return items[:limit] or ([answer.strip()] if answer.strip() else [])


@dataclass
class NamedPriority:
    text: str
    goal: Goal | None  # None: a shadow priority
    score: float


def match_items(items: list[str], scores: np.ndarray, goals: Sequence[Goal]) -> list[NamedPriority]:
    """Each item's best goal, given the items × goals score matrix."""
    if not goals:
        return [NamedPriority(t, None, 0.0) for t in items]
    named = []
    for text, row in zip(items, scores, strict=True):
        best = int(np.argmax(row))
        goal = goals[best] if row[best] >= MATCH_SCORE else None
        named.append(NamedPriority(text, goal, float(row[best])))
    return named


def ranking_agreement(named: list[NamedPriority]) -> float | None:
    """Spearman between the order a person names goals and their official rank (needs two)."""
    ranks = []
    for priority in named:
        if priority.goal and priority.goal.rank not in ranks:
            ranks.append(priority.goal.rank)
    n = len(ranks)
    if n < 2:
        return None
    # The ranks are distinct, so Spearman's rho is the closed form without ties (and 30,000 of
    # these take milliseconds, not the seconds scipy's general version takes).
    order = np.argsort(np.argsort(ranks))
    return float(1 - 6 * np.sum((order - np.arange(n)) ** 2) / (n * (n * n - 1)))
