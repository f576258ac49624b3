"""Which goals and initiatives address each customer need and each theme of needs, and which
themes nothing on the roadmap addresses (seed 002's market level: "understanding your customer
or end users' needs").

Each item is matched by meaning to every active initiative (on the better of its title, and its
title with its problem, as claims are: analysis.promises) and to every goal (its title, and its
title with why it matters); a target addresses the item when it scores at least MATCH_SCORE (35,
chosen on STS dev data, not here). (truenorth.feedback.roadmap
lets an editor's word override the model per item.) benchmarks/need_matching.py measures it on
needs labelled by hand: a cut, a margin or a relation veto chosen there did not beat MATCH_SCORE;
the server's model did (all-mpnet-base-v2 is right more often, at many times the cost).

A theme is addressed when at least ADDRESS_SHARE of its items are addressed by something: a
minority of a theme still makes a pattern. Its targets are those addressing two of its items or
more (one, in a theme of MIN_PATTERN), most items first, and its status is that of the
initiative addressing the most of its items (shipped, committed, planned, exploring). On a tie
the least advanced initiative gives it: a theme where a shipped and a planned initiative each
address half the items still holds requests nothing has delivered, and reading "shipped" would
hide them. For the same reason a theme is shipped only when shipped initiatives address most of
its items; when the first is shipped but they address half or fewer, it is **partly shipped**
(items_shipped says how many). A theme only goals address is "goal only" (a goal names the need,
no initiative delivers it yet); any other is **unaddressed**. Dropped and archived initiatives
and archived goals address nothing.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from truenorth.analysis.matching import MATCH_SCORE, best_matches

ADDRESS_SHARE = 1 / 3
MIN_PATTERN = 3  # MIN_THEME: in a theme this small, one item is enough to name a target
TOP = 3  # targets an item may be addressed by, best first
# A theme's status, from the furthest-along initiative that addresses it.
STATUS_OF = {
    "shipped": "shipped",
    "in_progress": "committed",
    "committed": "committed",
    "planned": "planned",
    "exploring": "exploring",
}
THEME_STATUSES = (
    "shipped",
    "partly shipped",
    "committed",
    "planned",
    "exploring",
    "goal only",
    "unaddressed",
)


@dataclass(frozen=True)
class Target:
    """A goal or an initiative as the matcher sees it."""

    kind: str  # "initiative" or "goal"
    pk: int
    title: str
    detail: str  # an initiative's problem, a goal's why
    status: str = ""  # an initiative's
    key: str = ""  # an initiative's key (RM-07), a goal's rank ("Goal 2")

    @property
    def texts(self) -> tuple[str, str]:
        full = f"{self.title}. {self.detail}" if self.detail.strip() else self.title
        return self.title, full

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.pk,
            "key": self.key,
            "title": self.title,
            "status": self.status,
        }


def addressing(
    item_vectors: np.ndarray,
    targets: list[Target],
    encode: Callable[[list[str]], np.ndarray],
    cut: float = MATCH_SCORE,
) -> list[set[int]]:
    """Per item, the targets (indices into `targets`) scoring at least `cut` on either of
    their texts, at most TOP of them."""
    if not targets or len(item_vectors) == 0:
        return [set() for _ in range(len(item_vectors))]
    text_vectors = encode([text for target in targets for text in target.texts])
    rows = best_matches(item_vectors, text_vectors, top=TOP * 2, cut=cut)
    found = []
    for matches in rows:
        picked: list[int] = []
        for match in matches:  # best first: a target's first row is its better text
            index = match.target // 2
            if index not in picked:
                picked.append(index)
        found.append(set(picked[:TOP]))
    return found


def theme_addressing(
    members: list[int], addressed: list[set[int]], targets: list[Target], words, item_ids
) -> dict:
    """A theme's status and the targets that address it, most items first."""
    covered = sum(1 for m in members if addressed[m])
    counts = Counter(n for m in members for n in addressed[m])
    least = 1 if len(members) <= MIN_PATTERN else 2  # one item of a larger theme is no pattern
    by, chosen = [], []
    if covered >= ADDRESS_SHARE * len(members):
        for n, count in sorted(counts.items(), key=lambda c: order(targets[c[0]], c[1])):
            if count >= least:
                accepted = sum(1 for m in members if words.get(item_ids[m], {}).get(n) is True)
                by.append(
                    {**targets[n].as_dict(), "items": count, "accepted": accepted * 2 > count}
                )
                chosen.append(n)
    shipping = {n for n in chosen if targets[n].status == "shipped"}  # a goal has no status
    shipped = sum(1 for m in members if addressed[m] & shipping)
    return {
        "status": status_of(by, shipped, len(members)),
        "addressed_by": by,
        "items_addressed": covered,
        "items_shipped": shipped,
    }


def order(target: Target, items: int) -> tuple[int, int]:
    """Most items first; on a tie the least advanced initiative, and goals after initiatives."""
    if target.kind != "initiative":
        return -items, len(THEME_STATUSES)
    return -items, -THEME_STATUSES.index(STATUS_OF[target.status])


def status_of(by: list[dict], shipped: int, items: int) -> str:
    """The status of the initiative that addresses the most of the theme's items (the least
    advanced on a tie); shipped only when shipped initiatives address most of the items."""
    initiatives = [t for t in by if t["kind"] == "initiative"]
    if not initiatives:
        return "goal only" if by else "unaddressed"
    status = STATUS_OF[initiatives[0]["status"]]
    if status == "shipped" and shipped * 2 <= items:
        return "partly shipped"
    return status
