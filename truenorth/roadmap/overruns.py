"""Overruns: planned versus actual (or forecast) dates and effort, and slips over time.

The rules are written down once, in RULES, and shown as they stand on the overruns page and in
docs/overruns.md. The arithmetic takes plain values and needs no database; `overrun_summary`
feeds it from one.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from statistics import median
from typing import Protocol

from django.db.models import Q, Sum
from django.utils import timezone

from truenorth.roadmap.models import InitiativeMilestone
from truenorth.workspaces.figures import cached

COMMITTED_STATUSES = frozenset({"committed", "in_progress", "shipped"})
PATTERN_WINDOW = 3  # the most recent counted initiatives looked at
PATTERN_MIN_SLIPPED = 2  # how many of them must have slipped

# What good looks like (seed 002: consistent overruns are the most commonly seen lagging sign
# of misalignment earlier on, in what was defined or discovered, not only in delivery).
GOOD_LOOKS_LIKE = (
    "What good looks like: a late initiative now and then, and no team or goal marked Pattern "
    f"(at least {PATTERN_MIN_SLIPPED} of its {PATTERN_WINDOW} most recent slipped)."
)
GOOD = (
    f"{GOOD_LOOKS_LIKE} Overruns that keep coming usually trace back to misalignment before "
    "delivery: in what was defined or discovered."
)

RULES = [
    (
        "Planned date",
        "The target date in force when the initiative was first committed (its status first "
        "became committed, in progress or shipped). Before that the roadmap says “not a "
        "promise”, so moving a date is re-planning, not slipping. An initiative created "
        "already committed was committed to its first recorded target date.",
    ),
    (
        "Actual date",
        "The date it shipped. Until then, the forecast: the current target date, or today once "
        "that date has passed without shipping.",
    ),
    (
        "Slip",
        "A move of the target date to a later date after the first commitment; a move to an "
        "earlier date is a pull-in. Moves before the commitment are shown and not counted.",
    ),
    (
        "Slipped",
        "Shipped, or forecast to ship, later than planned (a delay above zero days), whether "
        "or not the date was ever moved. Median delay is over the initiatives that slipped.",
    ),
    (
        "Counted",
        "Initiatives committed, in progress or shipped now, and committed since at least "
        "their planned date: a dropped initiative delivers no date, and one moved back to "
        "planned or exploring is no longer a promise (its moves stay shown, not counted).",
    ),
    (
        "Effort",
        "Planned: the estimate as first set (every estimate change is kept in the history). "
        "Actual: the person-weeks spent, once shipped; before that the forecast is the current "
        "estimate, or the weeks already spent when that is more. Overrun: actual or forecast "
        "over planned, in percent of planned. Tracker points done / total are shown beside it.",
    ),
    (
        "Against a milestone",
        "Counted against a milestone (alpha, beta …), each initiative that has one of that name "
        "is measured by it: planned is the target of the milestone in force when the initiative "
        "was first committed, actual is the day it was marked done, and its moves after the "
        "commitment are its slips. Initiatives without it are left out.",
    ),
    (
        "Pattern",
        f"At least {PATTERN_MIN_SLIPPED} of the {PATTERN_WINDOW} most recent counted "
        "initiatives of a team or goal slipped, most recent by planned date. One late "
        "initiative is an event; two of the last three is a habit.",
    ),
]


class Change(Protocol):
    """What the arithmetic reads from an InitiativeChange."""

    field: str
    old_value: str
    new_value: str
    changed_at: datetime


@dataclass(frozen=True)
class Move:
    """One change of target date."""

    at: datetime
    old: date | None
    new: date | None
    counted: bool  # after the first commitment, so a slip or pull-in counts

    @property
    def days(self) -> int | None:
        return (self.new - self.old).days if self.old and self.new else None

    @property
    def kind(self) -> str:
        days = self.days
        if days is None:
            return "set" if self.new else "cleared"
        return "slip" if days > 0 else "pull-in" if days < 0 else "unchanged"


@dataclass
class Overrun:
    """Planned against actual or forecast, for one initiative."""

    committed: bool
    committed_at: datetime | None  # None: committed from the start, or never
    planned_date: date | None
    outcome_date: date | None
    outcome: str  # "shipped", "forecast", "overdue" (forecast moved to today) or "none"
    moves: list[Move] = field(default_factory=list)
    planned_weeks: float | None = None
    effort_weeks: float | None = None
    effort: str = "forecast"  # or "actual"
    counted: bool = False

    @property
    def delay_days(self) -> int | None:
        if self.planned_date and self.outcome_date:
            return (self.outcome_date - self.planned_date).days
        return None

    @property
    def slipped(self) -> bool:
        return self.counted and (self.delay_days or 0) > 0

    @property
    def slips(self) -> list[Move]:
        return [m for m in self.moves if m.counted and m.kind == "slip"]

    @property
    def pull_ins(self) -> list[Move]:
        return [m for m in self.moves if m.counted and m.kind == "pull-in"]

    @property
    def days_slipped(self) -> int:
        return sum(m.days or 0 for m in self.slips)

    @property
    def effort_overrun_pct(self) -> float | None:
        return overrun_pct(self.planned_weeks, self.effort_weeks)


def parse_date(text: str) -> date | None:
    """An ISO date from the history, or None for a blank (or, from old data, unreadable) one."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_weeks(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def weeks(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def overrun_pct(planned: float | None, actual: float | None) -> float | None:
    """How far actual exceeds planned, in percent of planned; None without a positive plan."""
    if planned is None or actual is None or planned <= 0:
        return None
    return round((actual - planned) / planned * 100, 1)


def first_commitment(
    changes: Sequence[Change], current_status: str
) -> tuple[bool, datetime | None]:
    """Whether the initiative was ever committed, and when (None: from its creation)."""
    statuses = [c for c in changes if c.field == "status"]
    initial = statuses[0].old_value if statuses else current_status
    if initial in COMMITTED_STATUSES:
        return True, None
    for change in statuses:
        if change.new_value in COMMITTED_STATUSES:
            return True, change.changed_at
    return False, None


Target = tuple[datetime, date | None, date | None]  # when a target moved, from, to


def target_series(changes: Sequence[Change]) -> list[Target]:
    """The target-date changes of an initiative's history as dated targets."""
    return [
        (c.changed_at, parse_date(c.old_value), parse_date(c.new_value))
        for c in changes
        if c.field == "target_date"
    ]


def target_moves(targets: Sequence[Target], committed_at: datetime | None) -> list[Move]:
    """Every move of a target; those after the first commitment count as slips or pull-ins.

    A date changed in the same save as the commitment is the date committed to, not a slip.
    """
    return [
        Move(at=at, old=old, new=new, counted=committed_at is None or at > committed_at)
        for at, old, new in targets
    ]


def planned_date(
    moves: Sequence[Move], current_target: date | None, committed: bool
) -> date | None:
    """The target date in force at the first commitment (if none was, the first one set after
    it); for an initiative never committed, its first recorded target date."""
    target = moves[0].old if moves else current_target
    if not committed:
        return target or next((m.new for m in moves if m.new), None)
    for move in moves:
        if move.counted:
            break
        target = move.new
    return target or next((m.new for m in moves if m.counted and m.new), None)


def outcome(
    status: str, target: date | None, actual: date | None, today: date
) -> tuple[date | None, str]:
    """The date it shipped, or the date it is now forecast to ship."""
    if status == "shipped" and actual:
        return actual, "shipped"
    if status == "dropped" or target is None:
        return None, "none"
    if target < today:
        return today, "overdue"
    return target, "forecast"


def planned_weeks(changes: Sequence[Change], current: float | None) -> float | None:
    """The estimate as first set: the value before the first change, or the first value given."""
    values = [c for c in changes if c.field == "estimate_weeks"]
    if not values:
        return current
    first = parse_weeks(values[0].old_value)
    if first is not None:
        return first
    return next((w for c in values if (w := parse_weeks(c.new_value)) is not None), current)


def effort(status: str, estimate: float | None, spent: float | None) -> tuple[float | None, str]:
    """Actual effort once shipped; before that the estimate, or what is spent if more."""
    if status == "shipped":
        return spent, "actual"
    known = [w for w in (estimate, spent) if w is not None]
    return (max(known) if known else None), "forecast"


def measure_dates(
    *,
    status: str,
    committed: bool,
    committed_at: datetime | None,
    targets: Sequence[Target],
    target_date: date | None,
    actual_date: date | None,
    today: date,
) -> Overrun:
    """Planned against actual or forecast date of anything with a dated series of targets: an
    initiative, or one of its milestones measured against the initiative's commitment."""
    targets = sorted(targets, key=lambda t: t[0])  # stable: same-time saves keep their order
    moves = target_moves(targets, committed_at if committed else None)
    if not committed:
        moves = [Move(m.at, m.old, m.new, counted=False) for m in moves]
    planned = planned_date(moves, target_date, committed)
    outcome_date, outcome_kind = outcome(status, target_date, actual_date, today)
    return Overrun(
        committed=committed,
        committed_at=committed_at,
        planned_date=planned,
        outcome_date=outcome_date,
        outcome=outcome_kind,
        moves=moves,
        # Taken back to planned or exploring, or dropped: no longer a promise to be late on.
        counted=committed
        and status in COMMITTED_STATUSES
        and planned is not None
        and bool(outcome_date),
    )


def measure(
    *,
    status: str,
    target_date: date | None,
    actual_date: date | None,
    estimate_weeks: float | None,
    spent_weeks: float | None,
    changes: Sequence[Change],
    today: date,
) -> Overrun:
    """Planned against actual or forecast for one initiative, from its fields and history."""
    changes = sorted(changes, key=lambda c: c.changed_at)  # stable: same-time saves keep order
    committed, committed_at = first_commitment(changes, status)
    overrun = measure_dates(
        status=status,
        committed=committed,
        committed_at=committed_at,
        targets=target_series(changes),
        target_date=target_date,
        actual_date=actual_date,
        today=today,
    )
    overrun.planned_weeks = planned_weeks(changes, estimate_weeks)
    overrun.effort_weeks, overrun.effort = effort(status, estimate_weeks, spent_weeks)
    return overrun


def measure_milestone(
    *,
    initiative_status: str,
    initiative_changes: Sequence[Change],
    target_date: date | None,
    done_on: date | None,
    targets: Sequence[Target],
    today: date,
) -> Overrun:
    """Planned against done or forecast for one milestone. Its target is a promise from the
    initiative's first commitment on, so its moves count from then, like the initiative's own."""
    changes = sorted(initiative_changes, key=lambda c: c.changed_at)
    committed, committed_at = first_commitment(changes, initiative_status)
    return measure_dates(
        # Done is the milestone's shipping; until then it is as dropped as its initiative.
        status="shipped" if done_on else initiative_status,
        committed=committed,
        committed_at=committed_at,
        targets=targets,
        target_date=target_date,
        actual_date=done_on,
        today=today,
    )


# --- Groups: teams, goals, the whole workspace ---


def whole_if_it_is(value: float) -> float | int:
    """34.0 as 34, as an odd count's median reads: a CSV gives both the same way."""
    return int(value) if float(value).is_integer() else value


def is_pattern(slipped_oldest_first: Sequence[bool]) -> bool:
    """At least PATTERN_MIN_SLIPPED of the last PATTERN_WINDOW counted initiatives slipped."""
    return sum(slipped_oldest_first[-PATTERN_WINDOW:]) >= PATTERN_MIN_SLIPPED


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarters_between(first: date, last: date) -> list[str]:
    """Every quarter from the one holding `first` to the one holding `last`, in order."""
    index = first.year * 4 + (first.month - 1) // 3
    end = last.year * 4 + (last.month - 1) // 3
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index, end + 1)]


def slip_trend(
    slips: Iterable[tuple[date, int]], quarters: Sequence[str]
) -> list[tuple[str, int, int]]:
    """(quarter, number of slips, days slipped) for each quarter, zero where nothing slipped."""
    counts = {q: [0, 0] for q in quarters}
    for day, days in slips:
        if quarter(day) in counts:
            counts[quarter(day)][0] += 1
            counts[quarter(day)][1] += days
    return [(q, n, d) for q, (n, d) in counts.items()]


def group_stats(overruns: Sequence[Overrun]) -> dict:
    """Counted, slipped, delay, effort and the pattern verdict for a group of initiatives.

    Delays: the median is over the initiatives that slipped (how late the late ones are); the
    total adds up their delays. Effort overrun compares the summed plans with the summed actual
    or forecast effort of the initiatives that have both.
    """
    # Counted initiatives always have a planned date; oldest first for the pattern.
    counted = sorted((o for o in overruns if o.counted), key=lambda o: o.planned_date or date.min)
    delays = [o.delay_days or 0 for o in counted if o.slipped]
    with_effort = [o for o in counted if o.planned_weeks is not None and o.effort_weeks is not None]
    planned = sum(o.planned_weeks or 0 for o in with_effort)
    spent = sum(o.effort_weeks or 0 for o in with_effort)
    return {
        "initiatives": len(counted),
        "slipped": len(delays),
        "share_slipped": round(len(delays) / len(counted), 3) if counted else None,
        "median_delay_days": whole_if_it_is(median(delays)) if delays else None,
        "total_delay_days": sum(delays),
        "slips": sum(len(o.slips) for o in counted),
        "days_slipped": sum(o.days_slipped for o in counted),
        "planned_weeks": round(planned, 1) if with_effort else None,
        "effort_weeks": round(spent, 1) if with_effort else None,
        "effort_overrun_pct": overrun_pct(planned, spent) if with_effort else None,
        "pattern": is_pattern([o.slipped for o in counted]),
    }


# --- From the database ---


def initiative_overrun(initiative, today: date | None = None) -> Overrun:
    """The overrun of one Initiative (its `changes` may be prefetched)."""
    return measure(
        status=initiative.status,
        target_date=initiative.target_date,
        actual_date=initiative.actual_date,
        estimate_weeks=weeks(initiative.estimate_weeks),
        spent_weeks=weeks(initiative.spent_weeks),
        changes=list(initiative.changes.all()),
        today=today or timezone.localdate(),
    )


def milestone_overrun(milestone, today: date | None = None) -> Overrun:
    """The overrun of one InitiativeMilestone (its `changes` and its initiative's may be
    prefetched)."""
    initiative = milestone.initiative
    return measure_milestone(
        initiative_status=initiative.status,
        initiative_changes=list(initiative.changes.all()),
        target_date=milestone.target_date,
        done_on=milestone.done_on,
        targets=[(c.changed_at, c.old_target, c.new_target) for c in milestone.changes.all()],
        today=today or timezone.localdate(),
    )


def milestone_names(workspace) -> list[str]:
    """The milestone names used in the workspace, one spelling of each (any case is one name)."""
    names: dict[str, str] = {}
    rows = InitiativeMilestone.objects.filter(
        initiative__workspace=workspace, initiative__archived_at__isnull=True
    )
    for name in rows.order_by("name").values_list("name", flat=True):
        names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=str.casefold)


def find_milestone(initiative, name: str):
    """The initiative's milestone of that name in any case (its `milestones` may be
    prefetched), or None."""
    return next(
        (m for m in initiative.milestones.all() if m.name.casefold() == name.casefold()), None
    )


def tracker_points(work_items) -> dict[int, tuple[float, float]]:
    """Points done (resolved in the tracker) and in total of each initiative's linked work."""
    rows = (
        work_items.filter(initiative__isnull=False, points__isnull=False)
        .values("initiative")
        .annotate(total=Sum("points"), done=Sum("points", filter=Q(resolved_on__isnull=False)))
        .order_by()
    )
    return {r["initiative"]: (float(r["done"] or 0), float(r["total"])) for r in rows}


def cached_overrun_summary(workspace, milestone: str = "") -> dict:
    """overrun_summary as of today, computed once per change of the workspace's data."""
    if not milestone:
        return cached(workspace, "overrun_summary", overrun_summary)
    return cached(
        workspace,
        f"overrun_summary:milestone:{name_digest(milestone)}",
        lambda w: overrun_summary(w, milestone=milestone),
    )


def name_digest(name: str) -> str:
    """A milestone name fit for a cache key, which should hold no spaces and stay short."""
    return hashlib.sha256(name.casefold().encode()).hexdigest()[:16]


def overrun_summary(workspace, today: date | None = None, milestone: str = "") -> dict:
    """Every initiative's planned against actual or forecast, per team, per goal and overall.

    With a milestone name, each initiative that has a milestone of that name (in any case) is
    measured by it instead of its own target date, and the others are left out.

    Shape (dates are `date` objects, effort in person-weeks as floats, None where unknown):
        {"today": date,
         "initiatives": [{"id", "key", "title", "status", "team_id", "team", "goal_id", "goal",
             "committed", "counted", "planned_date", "outcome_date",
             "outcome": "shipped" | "forecast" | "overdue" | "none", "delay_days", "slipped",
             "slips", "pull_ins", "days_slipped", "planned_weeks", "effort_weeks",
             "effort": "actual" | "forecast", "effort_overrun_pct", "points_done", "points_total",
             "moves": [{"at": datetime, "from", "to", "days", "kind", "counted"}]}, ...],
         "teams": [{"team_id" (None: no team), "team", **GROUP, "trend": [(quarter, slips)],
                    "quarters": [(quarter, slips, days slipped)]}],
         "goals": [{"goal_id" (None: no goal), "goal", "rank", **GROUP, "trend": [...]}],
         "overall": {**GROUP},
         "trend": [("2026-Q3", slips, days slipped), ...],
         "milestone": the name counted against ("" for the initiatives' target dates),
         "left_out": how many initiatives have no such milestone,
         "milestones": [every milestone name used in the workspace]}
    GROUP is `group_stats`: initiatives (counted), slipped, share_slipped (0–1), median_delay_days,
    total_delay_days, slips, days_slipped, planned_weeks, effort_weeks, effort_overrun_pct,
    pattern. Trends run from the quarter of the first counted slip to today's, oldest first.
    """
    today = today or timezone.localdate()
    rows = workspace.initiatives.select_related("team", "goal").prefetch_related("changes")
    initiatives = list(rows.prefetch_related("milestones__changes") if milestone else rows)
    points = tracker_points(workspace.work_items)
    if milestone:
        found = [(i, find_milestone(i, milestone)) for i in initiatives]
        measured = [(i, milestone_overrun(m, today)) for i, m in found if m is not None]
    else:
        measured = [(i, initiative_overrun(i, today)) for i in initiatives]
    all_slips = dated_slips(o for _, o in measured)
    quarters = quarters_between(
        min([today, *(day for day, _ in all_slips)]), max([today, *(d for d, _ in all_slips)])
    )

    def grouped(key) -> list[dict]:
        groups: dict = {}
        for initiative, overrun in measured:
            groups.setdefault(key(initiative), []).append(overrun)
        rows = []
        for group_key, overruns in groups.items():
            by_quarter = slip_trend(dated_slips(overruns), quarters)
            trend = [(q, n) for q, n, _ in by_quarter]
            rows.append(
                {**dict(group_key), **group_stats(overruns), "trend": trend, "quarters": by_quarter}
            )
        return rows

    teams = grouped(lambda i: (("team_id", i.team_id), ("team", i.team.name if i.team else "")))
    goals = grouped(
        lambda i: (
            ("goal_id", i.goal_id),
            ("goal", i.goal.title if i.goal else ""),
            ("rank", i.goal.rank if i.goal else None),
        )
    )
    return {
        "today": today,
        "initiatives": [initiative_row(i, o, points.get(i.pk)) for i, o in measured],
        "teams": sorted(teams, key=lambda r: (r["team_id"] is None, r["team"].lower())),
        "goals": sorted(goals, key=lambda r: (r["goal_id"] is None, r["rank"] or 0)),
        "overall": group_stats([o for _, o in measured]),
        "trend": slip_trend(all_slips, quarters),
        "milestone": milestone,
        "left_out": len(initiatives) - len(measured),
        "milestones": milestone_names(workspace),
    }


def patterns_now(summary: dict) -> str:
    """Where the summary stands against GOOD, in one sentence, so that the page's target is
    not read as its verdict."""
    teams = [g["team"] or "no team" for g in summary["teams"] if g["pattern"]]
    goals = [g["goal"] or "no goal" for g in summary["goals"] if g["pattern"]]
    if not teams and not goals:
        return "Now: no team or goal is marked Pattern."
    named = [
        f"{len(names)} {kind}{'' if len(names) == 1 else 's'} ({', '.join(names)})"
        for kind, names in (("team", teams), ("goal", goals))
        if names
    ]
    return f"Now: Pattern in {' and '.join(named)}: their overruns keep coming."


def dated_slips(overruns: Iterable[Overrun]) -> list[tuple[date, int]]:
    """(day, days slipped) of each slip of the counted initiatives, on the workspace's calendar."""
    return [
        (timezone.localtime(m.at).date(), m.days or 0)
        for o in overruns
        if o.counted
        for m in o.slips
    ]


def initiative_row(initiative, overrun: Overrun, points: tuple[float, float] | None) -> dict:
    return {
        "id": initiative.pk,
        "key": initiative.key,
        "title": initiative.title,
        "status": initiative.status,
        "team_id": initiative.team_id,
        "team": initiative.team.name if initiative.team else "",
        "goal_id": initiative.goal_id,
        "goal": initiative.goal.title if initiative.goal else "",
        "committed": overrun.committed,
        "counted": overrun.counted,
        "planned_date": overrun.planned_date,
        "outcome_date": overrun.outcome_date,
        "outcome": overrun.outcome,
        "delay_days": overrun.delay_days,
        "slipped": overrun.slipped,
        "slips": len(overrun.slips),
        "pull_ins": len(overrun.pull_ins),
        "days_slipped": overrun.days_slipped,
        "planned_weeks": overrun.planned_weeks,
        "effort_weeks": overrun.effort_weeks,
        "effort": overrun.effort,
        "effort_overrun_pct": overrun.effort_overrun_pct,
        "points_done": points[0] if points else None,
        "points_total": points[1] if points else None,
        "moves": [
            {
                "at": m.at,
                "from": m.old,
                "to": m.new,
                "days": m.days,
                "kind": m.kind,
                "counted": m.counted,
            }
            for m in overrun.moves
        ],
    }


CSV_COLUMNS = {
    "initiatives": [
        "key", "title", "team", "goal", "status", "committed", "counted", "planned_date",
        "outcome", "outcome_date", "delay_days", "slipped", "slips", "pull_ins", "days_slipped",
        "planned_weeks", "effort", "effort_weeks", "effort_overrun_pct", "points_done",
        "points_total",
    ],
    "groups": [
        "initiatives", "slipped", "share_slipped", "median_delay_days", "total_delay_days",
        "slips", "days_slipped", "planned_weeks", "effort_weeks", "effort_overrun_pct", "pattern",
    ],
}  # fmt: skip


def csv_table(summary: dict, table: str) -> tuple[list[str], list[list]]:
    """One table of the summary as a header and rows, for the CSV export."""
    if table == "initiatives":
        header = CSV_COLUMNS["initiatives"]
        return header, [[r[c] for c in header] for r in summary["initiatives"]]
    if table in ("teams", "goals"):
        name = table[:-1]
        header = [name, *CSV_COLUMNS["groups"]]
        rows = [[r[name] or f"No {name}"] + [r[c] for c in header[1:]] for r in summary[table]]
        return header, rows
    if table == "trend":
        rows = [[q, "All", n, d] for q, n, d in summary["trend"]]
        for team in summary["teams"]:
            rows += [[q, team["team"] or "No team", n, d] for q, n, d in team["quarters"]]
        return ["quarter", "team", "slips", "days_slipped"], rows
    raise ValueError(f"unknown table {table!r}")
