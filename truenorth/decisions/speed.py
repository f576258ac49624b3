"""How long decisions take and what open ones hold up (seed 001: "monitor how long decisions
take and what blocks them"). Plain arithmetic on dates, so tests pin it with fixed days."""

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from truenorth.decisions.models import Decision, Status
from truenorth.roadmap.models import Status as InitiativeStatus

# The window of the dashboard's decision latency: recent enough to move when habits change.
LATENCY_WINDOW_DAYS = 90


def latency_days(decision: Decision) -> int | None:
    """Days from raised to decided; None while it is open."""
    if decision.decided_on is None:
        return None
    return (decision.decided_on - decision.raised_on).days


def timed(decision: Decision) -> bool:
    """Whether a decision tells how long deciding took: decided on a later day than it was
    raised. One raised and decided the same day was recorded as it was made (in a ritual
    session, say): its 0 days say nothing of how long deciding took, and counting them would
    make the median look faster each time a session records one."""
    return decision.decided_on is not None and decision.decided_on > decision.raised_on


def recorded_as_made(decisions: Iterable[Decision]) -> int:
    """How many decisions were raised and decided the same day, left out of every median."""
    return sum(d.decided_on is not None and not timed(d) for d in decisions)


def not_counted_why(left_out: int) -> str:
    """Why the medians leave out `left_out` decisions, in the words of the speed page and its
    JSON; '' when none is left out."""
    if not left_out:
        return ""
    one = left_out == 1
    return (
        f"{left_out} decision{'' if one else 's'} recorded as "
        f"{'it was' if one else 'they were'} made (raised and decided the same day, as in a "
        f"ritual session) {'is' if one else 'are'} not counted: the day written down says "
        "nothing of how long deciding took."
    )


def median_days(decisions: Iterable[Decision]) -> float | None:
    days = [latency_days(d) or 0 for d in decisions if timed(d)]
    return statistics.median(days) if days else None


def made_recently(decisions: Iterable[Decision], today: date) -> list[Decision]:
    """The decisions made in the LATENCY_WINDOW_DAYS to `today`."""
    since = today - timedelta(days=LATENCY_WINDOW_DAYS)
    return [d for d in decisions if d.decided_on and since < d.decided_on <= today]


def recent_latency(decisions: Iterable[Decision], today: date) -> tuple[float | None, int]:
    """(median days raised -> decided, how many it is of) for decisions made in the last 90
    days, those recorded as they were made left out (timed)."""
    recent = [d for d in made_recently(decisions, today) if timed(d)]
    return median_days(recent), len(recent)


@dataclass
class Group:
    name: str
    median: float | None
    count: int


def by_group(decisions: Iterable[Decision], key: Callable[[Decision], str]) -> list[Group]:
    """Median latency per group (owner, team, kind), slowest first; of timed decisions only."""
    groups: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        if timed(decision):
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


def held_up(decision: Decision, today: date) -> list:
    """The initiatives an open decision holds up on `today`: those it blocks that had not
    shipped (nor been dropped) by then. Every page, agenda and update that says "holds up" reads
    it from here (open_ageing), so none says that work already delivered waits on a decision."""
    return [i for i in decision.blocks.all() if not done_by(i, today)]


def done_by(initiative, today: date) -> bool:
    """Whether it waited on nothing by `today`: shipped by then, or dropped."""
    if initiative.status == InitiativeStatus.SHIPPED:
        return initiative.actual_date is None or initiative.actual_date <= today
    return initiative.status == InitiativeStatus.DROPPED


def open_on(decision: Decision, day: date) -> bool:
    """Whether it was waiting for a call on that day: raised by then, and not decided until
    later (an agenda of a past session lists what was open then, decided since or not)."""
    if decision.raised_on > day:
        return False
    if decision.decided_on is None:
        return decision.status == Status.PROPOSED
    return decision.decided_on > day


def open_ageing(decisions: Iterable[Decision], today: date) -> list[Waiting]:
    """The decisions open on `today`, oldest first, with the initiatives that wait on them
    (held_up)."""
    waiting = [
        Waiting(d, (today - d.raised_on).days, held_up(d, today))
        for d in decisions
        if open_on(d, today)
    ]
    return sorted(waiting, key=lambda w: (-w.days_open, w.decision.number))


def monthly_trend(decisions: Iterable[Decision]) -> list[tuple[str, float]]:
    """(YYYY-MM, median days) by the month decisions were made, oldest first; of timed
    decisions only."""
    months: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        if timed(decision) and decision.decided_on is not None:
            months[decision.decided_on.strftime("%Y-%m")].append(decision)
    return [(month, median_days(ds) or 0.0) for month, ds in sorted(months.items())]


# A month's median days to decide is drawn only where it rests on this many decisions or more:
# the median of one or two is one decision's wait, and the line had fallen to "2 days" on a
# single decision beside the dashboard card's 19 days.
FEWEST_DECISIONS_A_MONTH = 3


def monthly_latency(
    decisions: Iterable[Decision], last: int | None = None
) -> tuple[list[tuple[str, float]], list[int], list[tuple[str, int]]]:
    """Of the last `last` months with a timed decision (every one by default), those resting on
    at least FEWEST_DECISIONS_A_MONTH: their medians and how many decisions each rests on; and
    the others as (month, decisions), oldest first. The speed page's chart and the dashboard's
    card draw from it alike, so neither plots one decision's wait as a month's pace."""
    decisions = list(decisions)
    made = Counter(d.decided_on.strftime("%Y-%m") for d in decisions if timed(d) and d.decided_on)
    months = monthly_trend(decisions)
    trend, counts, few = [], [], []
    for month, median in months[-last:] if last else months:
        if made[month] >= FEWEST_DECISIONS_A_MONTH:
            trend.append((month, median))
            counts.append(made[month])
        else:
            few.append((month, made[month]))
    return trend, counts, few


def months_left_out_why(few: Sequence[tuple[str, int]]) -> str:
    """Why a line of days to decide leaves out the months in `few` (month, decisions), in the
    words of the speed page, its JSON and the dashboard's card; '' when it leaves out none."""
    if not few:
        return ""
    named = ", ".join(f"{month} ({decisions_in_words(n)})" for month, n in few)
    return (
        f"The line leaves out each month with fewer than {FEWEST_DECISIONS_A_MONTH} decisions, "
        f"since a median of one or two says how long one decision took: {named}."
    )


def decisions_in_words(n: int) -> str:
    """ "1 decision", "7 decisions"."""
    return "1 decision" if n == 1 else f"{n} decisions"
