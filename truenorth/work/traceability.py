"""Traceability: which work serves a goal, which mapping links it, and how much work is orphaned.

Read-only questions about a workspace's work items; `truenorth.work.actions` changes them.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import BooleanField, Case, Q, Value, When

from truenorth.analysis.embed import Encoder
from truenorth.analysis.score import score_matrix
from truenorth.roadmap.models import Initiative, Status
from truenorth.strategy.models import Goal
from truenorth.work.models import TrackerMapping, WorkItem
from truenorth.workspaces.models import Workspace

SUPPORTS_A_GOAL = Q(goal__isnull=False) | Q(initiative__goal__isnull=False)

# When several mappings match an item, the most specific tracker field wins: an epic is chosen
# for one piece of work, a label is shared by a few, a project holds everything a team does.
PRECEDENCE = (TrackerMapping.Field.PARENT, TrackerMapping.Field.LABEL, TrackerMapping.Field.PROJECT)
NO_TEAM = "No team"


# --- Tracker mappings ---


def item_values(item: WorkItem, field: str) -> list[str]:
    """The item's values for a mapping field (labels in the tracker's order)."""
    if field == TrackerMapping.Field.PARENT:
        return [item.parent_key] if item.parent_key else []
    if field == TrackerMapping.Field.LABEL:
        return [str(label) for label in item.labels or [] if str(label)]
    return [item.project] if item.project else []


class MappingIndex:
    """The workspace's mappings, looked up by (field, value, source)."""

    def __init__(self, mappings: Iterable[TrackerMapping]):
        self.by_key = {(m.field, m.value, m.source): m for m in mappings}

    def winner(self, item: WorkItem) -> TrackerMapping | None:
        """The mapping that decides what the item serves, or None.

        Epic/parent beats label beats project; within a field a mapping for the item's own
        tracker beats one for any tracker; among several mapped labels, the item's first wins.
        """
        for field in PRECEDENCE:
            for value in item_values(item, field):
                for source in (item.source, ""):
                    mapping = self.by_key.get((field, value, source))
                    if mapping is not None:
                        return mapping
        return None


def mapping_index(workspace: Workspace) -> MappingIndex:
    return MappingIndex(workspace.tracker_mappings.select_related("initiative", "goal"))


def items_per_mapping(workspace: Workspace) -> dict[int, int]:
    """How many items each mapping links now."""
    index = mapping_index(workspace)
    linked = workspace.work_items.filter(linked_by="mapping").only(
        "source", "parent_key", "labels", "project"
    )
    return dict(Counter(m.pk for item in linked if (m := index.winner(item)) is not None))


def unmapped_values(workspace: Workspace) -> list[dict]:
    """Parents, labels and projects found on items that no mapping names, with counts.

    Each row: {"field", "value", "items", "orphans"}; the values on the most orphan work first
    (mapping them links work that serves nothing now), then the most items.
    """
    mapped = set(workspace.tracker_mappings.values_list("field", "value"))
    items: Counter = Counter()
    orphans: Counter = Counter()
    rows = workspace.work_items.annotate(supports=supports_a_goal()).only(
        "parent_key", "labels", "project"
    )
    for item in rows:
        for field in PRECEDENCE:
            for value in set(item_values(item, field)):
                if (field, value) not in mapped:
                    items[field, value] += 1
                    orphans[field, value] += not item.supports
    return [
        {"field": field, "value": value, "items": count, "orphans": orphans[field, value]}
        for (field, value), count in sorted(
            items.items(),
            key=lambda row: (-orphans[row[0]], -row[1], PRECEDENCE.index(row[0][0]), row[0][1]),
        )
    ]


def supports_a_goal() -> Case:
    return Case(When(SUPPORTS_A_GOAL, then=Value(True)), default=False, output_field=BooleanField())


# --- Link suggestions ---


@dataclass(frozen=True)
class Target:
    """A goal or initiative work can serve, with the texts an item title is compared with."""

    target: Initiative | Goal
    short_text: str
    long_text: str


def suggestion_targets(workspace: Workspace) -> list[Target]:
    """Every goal, and every initiative that serves a goal and is not dropped.

    An initiative without a goal is left out: linking work to it would leave the work orphaned.
    A short item title often restates only a target's title, a longer one its purpose too, so
    each target has both texts and the better score counts (as priorities.Goal.texts does).
    """
    goals = [
        Target(goal, goal.title, f"{goal.title}. {goal.why} Measured by: {goal.metric}")
        for goal in workspace.goals.all()
    ]
    initiatives = [
        Target(i, i.title, f"{i.title}. {i.problem}".strip())
        for i in workspace.initiatives.filter(goal__isnull=False).exclude(status=Status.DROPPED)
    ]
    return goals + initiatives


def target_scores(titles: list[str], targets: list[Target], embedder: Encoder) -> np.ndarray:
    """0-100 scores (titles × targets): each title against a target's short and long text, the
    better of the two."""
    vectors = embedder.encode(titles)
    return np.maximum(
        score_matrix(vectors, embedder.encode([t.short_text for t in targets])),
        score_matrix(vectors, embedder.encode([t.long_text for t in targets])),
    )


def suggestion_candidates(workspace: Workspace):
    """Items worth a suggestion: they support no goal and no editor has decided their link."""
    return workspace.work_items.exclude(SUPPORTS_A_GOAL).exclude(linked_by="hand")


# --- Orphan work ---


def orphan_summary(workspace: Workspace) -> dict:
    """How much of the workspace's work supports no goal, overall, per team and per month.

    An item is an orphan when it has no goal, directly or through its initiative. A share is
    measured in points when every item counted has points (and they add up to more than 0),
    otherwise in items; "unit" says which ("points" or "items"). A month's share in a trend uses
    its group's unit (items when that month's points add up to 0). Months come from created_on
    (items without it count in the totals only) and only months with items are listed.
    Items count for their own team, not for its parent team; items with no team form a last
    row with team_id None and team "No team", present only when there are such items.

    Returns:
        {
          "overall": {"items": int, "orphans": int, "points": float, "orphan_points": float,
                      "share": float 0-1 | None (no items), "unit": "points" | "items"},
          "teams": [{"team_id": int | None, "team": str, "items", "orphans", "points",
                     "orphan_points", "share", "unit", "trend": [("YYYY-MM", share 0-1), ...],
                     "trend_to_date": [...]},
                    ...],  # by team name, teams with no items left out
          "trend": [("YYYY-MM", share 0-1), ...],  # of each month's new work, oldest first
          "trend_to_date": [("YYYY-MM", share 0-1), ...],  # of all work up to each month's end
        }
    """
    rows = list(
        workspace.work_items.annotate(supports=supports_a_goal()).values_list(
            "team_id", "team__name", "points", "created_on", "supports"
        )
    )
    overall = tally(rows)
    by_team: dict[int | None, list] = defaultdict(list)
    for row in rows:
        by_team[row[0]].append(row)
    teams = [
        {"team_id": team_id, "team": team_rows[0][1] or NO_TEAM, **tally(team_rows)}
        for team_id, team_rows in by_team.items()
    ]
    teams.sort(key=lambda t: (t["team_id"] is None, t["team"].lower()))
    for team in teams:
        team["trend"] = trend(by_team[team["team_id"]], team["unit"])
        team["trend_to_date"] = trend_to_date(by_team[team["team_id"]], team["unit"])
    return {
        "overall": overall,
        "teams": teams,
        "trend": trend(rows, overall["unit"]),
        "trend_to_date": trend_to_date(rows, overall["unit"]),
    }


def tally(rows: list) -> dict:
    points = [row[2] for row in rows]
    total = sum(points, Decimal(0)) if None not in points else None
    unit = "points" if rows and total else "items"
    orphan_rows = [row for row in rows if not row[4]]
    return {
        "items": len(rows),
        "orphans": len(orphan_rows),
        "points": float(sum((p for p in points if p is not None), Decimal(0))),
        "orphan_points": float(sum((row[2] or 0 for row in orphan_rows), Decimal(0))),
        "share": share(rows, unit),
        "unit": unit,
    }


def share(rows: list, unit: str) -> float | None:
    """The orphans' part of the rows, in points or in items (None when there are no rows)."""
    if not rows:
        return None
    if unit == "points":
        total = sum((row[2] or 0 for row in rows), Decimal(0))
        if total > 0:
            orphaned = sum((row[2] or 0 for row in rows if not row[4]), Decimal(0))
            return round(float(orphaned / total), 4)
    return round(sum(not row[4] for row in rows) / len(rows), 4)


def by_month(rows: list) -> dict[str, list]:
    months: dict[str, list] = defaultdict(list)
    for row in rows:
        if row[3] is not None:
            months[row[3].strftime("%Y-%m")].append(row)
    return dict(sorted(months.items()))


def trend(rows: list, unit: str) -> list[tuple[str, float]]:
    return [(month, share(rows, unit) or 0.0) for month, rows in by_month(rows).items()]


def trend_to_date(rows: list, unit: str) -> list[tuple[str, float]]:
    """The orphans' share of all work created up to the end of each month, oldest first."""
    so_far: list = []
    shares = []
    for month, month_rows in by_month(rows).items():
        so_far += month_rows
        shares.append((month, share(so_far, unit) or 0.0))
    return shares
