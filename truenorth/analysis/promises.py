"""What a claim made to a customer amounts to, read against the roadmap.

A claim ("told Acme they can approve invoices from Slack") is matched by meaning to the roadmap's
initiatives; the best match above the cut decides the verdict from that initiative's status:

    shipped                 -> available
    committed, in progress  -> committed (by the initiative's target date)
    planned, exploring      -> over-promise: the roadmap read as a promise
    dropped, or no match    -> no such capability (a dropped match is kept as evidence)

The runners-up (the next matches above the cut) are returned as well, so a reader can see when
a claim could have meant something else. An initiative is matched on the better of its title and
its title with its problem: a claim naming a feature matches the title, one describing the pain
matches the problem. The cut is MATCH_SCORE, chosen on STS dev data, not on claims.

    capabilities = [Capability("Approve from Slack", "Approvers never open the app", "shipped")]
    verdicts = check_claims(claim_vectors, capability_vectors(capabilities, embedder.encode),
                            capabilities)
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from truenorth.analysis.matching import MATCH_SCORE, best_matches

AVAILABLE = "available"
COMMITTED = "committed"
OVER_PROMISE = "over_promise"
NO_CAPABILITY = "no_capability"
VERDICTS = (AVAILABLE, COMMITTED, OVER_PROMISE, NO_CAPABILITY)

VERDICT_OF_STATUS = {
    "shipped": AVAILABLE,
    "committed": COMMITTED,
    "in_progress": COMMITTED,
    "planned": OVER_PROMISE,
    "exploring": OVER_PROMISE,
    "dropped": NO_CAPABILITY,
}
TEXTS_PER_CAPABILITY = 2  # the title; the title with the problem


@dataclass(frozen=True)
class Capability:
    """An initiative as the matcher sees it: its words, its status and its date."""

    title: str
    problem: str
    status: str
    target_date: date | None = None

    def __post_init__(self) -> None:
        if self.status not in VERDICT_OF_STATUS:
            raise ValueError(f"unknown initiative status {self.status!r}")

    @property
    def texts(self) -> tuple[str, str]:
        full = f"{self.title}. {self.problem}" if self.problem.strip() else self.title
        return self.title, full


@dataclass(frozen=True)
class Evidence:
    """Capability number `capability` (an index into the list given) matched with `score`."""

    capability: int
    score: float
    status: str


@dataclass(frozen=True)
class Verdict:
    verdict: str
    evidence: Evidence | None  # the best match at or above the cut, dropped ones included
    runners_up: list[Evidence] = field(default_factory=list)
    target_date: date | None = None  # for a committed verdict: when it was promised
    nearest: Evidence | None = None  # with no match: the closest below the cut, for a reviewer


def verdict_for_status(status: str) -> str:
    try:
        return VERDICT_OF_STATUS[status]
    except KeyError:
        raise ValueError(f"unknown initiative status {status!r}") from None


def judge(
    ranked: Sequence[Evidence], capabilities: Sequence[Capability], cut: float = MATCH_SCORE
) -> Verdict:
    """The verdict from one claim's closest capabilities, best first; only those scoring at
    least `cut` count as matches."""
    matches = [m for m in ranked if m.score >= cut]
    if not matches:
        return Verdict(NO_CAPABILITY, None, nearest=ranked[0] if ranked else None)
    best = matches[0]
    verdict = verdict_for_status(best.status)
    target = capabilities[best.capability].target_date if verdict == COMMITTED else None
    return Verdict(verdict, best, list(matches[1:]), target)


def capability_vectors(
    capabilities: Sequence[Capability], encode: Callable[[list[str]], np.ndarray]
) -> np.ndarray:
    """Rows 2i and 2i+1 embed capability i's title and its title with the problem."""
    return encode([text for c in capabilities for text in c.texts])


def rank_capabilities(
    claim_vectors: np.ndarray,
    text_vectors: np.ndarray,
    capabilities: Sequence[Capability],
    top: int = 3,
) -> list[list[Evidence]]:
    """Per claim, the `top` closest distinct capabilities, best first, whatever their score."""
    rows = best_matches(claim_vectors, text_vectors, top=max(1, len(text_vectors)), cut=-1.0)
    ranked = []
    for matches in rows:
        found: dict[int, Evidence] = {}
        for match in matches:  # best first, so a capability's first row is its better text
            index = match.target // TEXTS_PER_CAPABILITY
            if index not in found:
                found[index] = Evidence(index, match.score, capabilities[index].status)
        ranked.append(list(found.values())[:top])
    return ranked


def check_claims(
    claim_vectors: np.ndarray,
    text_vectors: np.ndarray,
    capabilities: Sequence[Capability],
    top: int = 3,
    cut: float = MATCH_SCORE,
) -> list[Verdict]:
    """One verdict per claim row; `text_vectors` as capability_vectors returns them."""
    if len(text_vectors) != TEXTS_PER_CAPABILITY * len(capabilities):
        raise ValueError("text_vectors must hold two rows per capability (capability_vectors)")
    ranked = rank_capabilities(claim_vectors, text_vectors, capabilities, top)
    return [judge(closest, capabilities, cut) for closest in ranked]
