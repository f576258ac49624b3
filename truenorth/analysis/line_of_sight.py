"""Line of sight: does a person's "why my work matters" link their work to an official goal?

An answer links to the goal it scores best against, when that score is at least LINK_SCORE; its
score against a goal is the best over the goal's title, title and why, metric and names
(priorities.goal_scores).
The cut is the priorities' match cut (priorities.MATCH_SCORE, chosen on STS train and dev by
benchmarks/choose_thresholds.py): an answer about one's own work shares the goal's substance
("different, but share some details" on the human scale) without restating it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from truenorth.analysis.priorities import MATCH_SCORE, Goal

LINK_SCORE = MATCH_SCORE


@dataclass(frozen=True)
class Link:
    goal: Goal | None  # None: the answer names no goal's substance
    score: float  # the best goal's score, linked or not

    @property
    def linked(self) -> bool:
        return self.goal is not None


def link(scores: np.ndarray, goals: Sequence[Goal], cut: float = LINK_SCORE) -> Link:
    """The goal one answer links to, given its row of scores against the goals."""
    if not goals:
        return Link(None, 0.0)
    best = int(np.argmax(scores))
    score = float(scores[best])
    return Link(goals[best] if score >= cut else None, score)


def links(scores: np.ndarray, goals: Sequence[Goal], cut: float = LINK_SCORE) -> list[Link]:
    """One link per answer, given the answers × goals score matrix."""
    return [link(row, goals, cut) for row in scores]
