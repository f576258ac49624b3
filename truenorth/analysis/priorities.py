"""The priorities people name, matched to the official goals or marked as shadow priorities.

People write a priority as a word or two ("payments", "ERP sync") as often as a sentence, and a
word rarely scores high against a goal's full title. So a goal is compared in several forms: its
title, its title and why, its metric, and each of its names (the short names and synonyms its
team uses); an item's score against a goal is the best of those (the metric's target is left
out: with it, dev accuracy was 0.800 against 0.811). On top, an item that is one of a goal's
names, ignoring case, spaces and punctuation ("erp-sync" is "ERP sync"), scores 100 against that
goal whatever the model says: the editor said so.

A name inside a longer item ("Slack approvals", "launch payments") is left to the embedding score
against the name, not made a rule: whole-word containment changed no answer on the labelled dev
split, and it would let a generic name ("quality", "pricing") claim any item with the word in it
("code quality", "pricing page").

An item names a goal when its score is at least GOAL_MATCH_SCORE; below it for every goal, the
item is a shadow priority: something people treat as a priority that no official goal says.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from truenorth.analysis.score import score_matrix

# A text names a goal's details, not just its topic: the score that best predicts a human STS
# rating of 2 or more ("not equivalent, but share some details"; 1 is "on the same topic") on the
# STS Benchmark dev split, rounded to 5 (benchmarks/choose_thresholds.py; accuracy 0.88). Work
# items, claims (matching.py) and line of sight (a "why my work matters" answer) use it.
MATCH_SCORE = 35.0
# A named priority (a word to a sentence) names a goal: the cut with the best accuracy on the dev
# split of the labelled priorities, scored against title, title and why, metric and names, on the
# score through its projection. Chosen for all-MiniLM-L6-v2+int8 (onnx), the default engine;
# `HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/priority_matching.py` chooses it again for the
# model it runs with, and reports it on the test split only (docs/analysis.md).
GOAL_MATCH_SCORE = 26.5
NAME_SCORE = 100.0  # an item that is one of a goal's names
ITEM_SPLIT = re.compile(r"(?:^|\n|;|\s)(?:\d{1,2}[.)]|[-*•])\s+|\n+|;\s*")
WORD = re.compile(r"[^\W_]+")


@dataclass
class Goal:
    id: int
    title: str
    why: str
    rank: int
    metric: str = ""
    names: tuple[str, ...] = ()

    @property
    def texts(self) -> list[str]:
        """What an answer is compared with: a short one may match only the title, the metric or
        a name; a long one, the title and why."""
        texts = [self.title, f"{self.title}. {self.why}"]
        return texts + [text for text in (self.metric, *self.names) if text.strip()]


def goal_scores(
    vectors: np.ndarray, goals: Sequence[Goal], embed: Callable[[Sequence[str]], np.ndarray]
) -> np.ndarray:
    """Score of each text against each goal: the best over the goal's texts."""
    if not goals:
        return np.zeros((len(vectors), 0))
    texts = [goal.texts for goal in goals]
    scores = score_matrix(vectors, embed([t for each in texts for t in each]))
    starts = np.cumsum([0] + [len(each) for each in texts[:-1]])
    return np.asarray(np.maximum.reduceat(scores, starts, axis=1))


def plain(text: str) -> str:
    """A name as compared: letters and digits only, case folded ("ERP-sync" → "erpsync")."""
    return "".join(WORD.findall(text.casefold()))


def with_names(items: Sequence[str], scores: np.ndarray, goals: Sequence[Goal]) -> np.ndarray:
    """The items × goals scores, with NAME_SCORE where an item is one of the goal's names."""
    named = np.array(scores, dtype=float, copy=True)
    names = [{plain(name) for name in goal.names} - {""} for goal in goals]
    for i, item in enumerate(map(plain, items)):
        for j, goal_names in enumerate(names):
            if item in goal_names:
                named[i, j] = NAME_SCORE
    return named


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
    """Each item's best goal, given the items × goals score matrix (goal_scores), its names
    applied."""
    if not goals:
        return [NamedPriority(t, None, 0.0) for t in items]
    named = []
    for text, row in zip(items, with_names(items, scores, goals), strict=True):
        best = int(np.argmax(row))
        goal = goals[best] if row[best] >= GOAL_MATCH_SCORE else None
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
