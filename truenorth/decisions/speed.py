"""How long decisions take and what open ones hold up (seed 001: "monitor how long decisions
take and what blocks them"). Plain arithmetic on dates, so tests pin it with fixed days."""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from truenorth.decisions.models import Decision, Status

# The window of the dashboard's decision latency: recent enough to move when habits change.
LATENCY_WINDOW_DAYS = 90


def latency_days(decision: Decision) -> int | None:
    """Days from raised to decided; None while it is open."""
    if decision.decided_on is None:
        return None
    return (decision.decided_on - decision.raised_on).days


def median_days(decisions: Iterable[Decision]) -> float | None:
    days = [d for d in map(latency_days, decisions) if d is not None]
    return statistics.median(days) if days else None


def recent_latency(decisions: Iterable[Decision], today: date) -> tuple[float | None, int]:
    """(median days raised -> decided, how many) for decisions made in the last 90 days."""
    since = today - timedelta(days=LATENCY_WINDOW_DAYS)
    recent = [d for d in decisions if d.decided_on and since < d.decided_on <= today]
    return median_days(recent), len(recent)


@dataclass
class Group:
    name: str
    median: float | None
    count: int


def by_group(decisions: Iterable[Decision], key: Callable[[Decision], str]) -> list[Group]:
    """Median latency per group (owner, team, kind), slowest first."""
    groups: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        if decision.decided_on is not None:
            groups[key(decision) or "—"].append(decision)
    rows = [Group(name, median_days(ds), len(ds)) for name, ds in groups.items()]
    return sorted(rows, key=lambda g: (-(g.median or 0), g.name))


def owner_name(decision: Decision) -> str:
    return decision.owner.name if decision.owner_id else "no owner"


def team_name(decision: Decision) -> str:
    owner = decision.owner
    return owner.team.name if owner is not None and owner.team_id else "no team"


def kind_name(decision: Decision) -> str:
    return decision.category or "no kind"


@dataclass
class Waiting:
    decision: Decision
    days_open: int
    blocks: list  # the initiatives waiting on it


def open_ageing(decisions: Iterable[Decision], today: date) -> list[Waiting]:
    """Open decisions, oldest first, with the initiatives that wait on them."""
    waiting = [
        Waiting(d, (today - d.raised_on).days, list(d.blocks.all()))
        for d in decisions
        if d.status == Status.PROPOSED
    ]
    return sorted(waiting, key=lambda w: (-w.days_open, w.decision.number))


def monthly_trend(decisions: Iterable[Decision]) -> list[tuple[str, float]]:
    """(YYYY-MM, median days) by the month decisions were made, oldest first."""
    months: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        if decision.decided_on is not None:
            months[decision.decided_on.strftime("%Y-%m")].append(decision)
    return [(month, median_days(ds) or 0.0) for month, ds in sorted(months.items())]
