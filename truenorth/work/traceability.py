"""Traceability: which work serves a goal, which mapping links it, and how much work is orphaned.

Read-only questions about a workspace's work items; `truenorth.work.actions` changes them.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np
from django.db.models import BooleanField, Case, CharField, Count, F, Func, Q, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from truenorth.analysis.embed import Encoder
from truenorth.analysis.score import SAME_TOPIC, score_matrix
from truenorth.analysis.themes import LABEL_STOP_WORDS
from truenorth.roadmap.models import Initiative, Status
from truenorth.strategy.models import Goal
from truenorth.work.models import TrackerMapping, WorkItem
from truenorth.workspaces.figures import cached
from truenorth.workspaces.models import Workspace


def _standing_for(path: str) -> Q:
    """The goal or initiative at `path` counts for the item: it is active, or the item was
    finished by the day it was archived (work done for a goal stays aligned work; open work on an
    archived goal serves nothing now, and is orphan work until someone links it again)."""
    return Q(**{f"{path}__archived_at__isnull": True}) | Q(
        resolved_on__isnull=False, resolved_on__lte=TruncDate(f"{path}__archived_at")
    )


SUPPORTS_A_GOAL = (Q(goal__isnull=False) & _standing_for("goal")) | (
    Q(initiative__goal__isnull=False)
    & _standing_for("initiative")
    & _standing_for("initiative__goal")
)

# Statuses a tracker closes an item with when the team decided not to do it. Such an item is no
# work at all, aligned or not: orphan work counts it neither way (docs/traceability.md).
DECIDED_AGAINST = (
    "won't do",
    "won’t do",
    "wont do",
    "won't fix",
    "won’t fix",
    "wontfix",
    "will not do",
    "will not fix",
    "will not implement",
    "not doing",
    "cancelled",
    "canceled",
    "declined",
    "rejected",
    "duplicate",
)
WORK = ~Q(status__iregex=r"^\s*(" + "|".join(DECIDED_AGAINST) + r")\s*$")
ORPHAN_WORK = WORK & ~SUPPORTS_A_GOAL

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
        "workspace", "source", "parent_key", "labels", "project"
    )
    return dict(Counter(m.pk for item in linked if (m := index.winner(item)) is not None))


def unmapped_values(workspace: Workspace) -> list[dict]:
    """Parents, labels and projects found on items that no mapping names, with counts.

    Each row: {"field", "value", "items", "unlinked"}: "unlinked" counts the items with no link
    at all, which are those a mapping of the value would link (it never overrides a link from an
    editor, the file or another mapping). The values that would link the most come first, then
    those on the most items.
    """
    mapped = set(workspace.tracker_mappings.values_list("field", "value"))
    items: Counter = Counter()
    unlinked: Counter = Counter()
    # `workspace` too: Django reads each row's workspace_id from workspace.work_items, and a
    # deferred one costs a query per item (27 s on the mappings page of 50,000 items).
    rows = workspace.work_items.annotate(open=NO_LINK).only(
        "workspace", "parent_key", "labels", "project"
    )
    for item in rows:
        for field in PRECEDENCE:
            for value in set(item_values(item, field)):
                if (field, value) not in mapped:
                    items[field, value] += 1
                    unlinked[field, value] += item.open
    return [
        {"field": field, "value": value, "items": count, "unlinked": unlinked[field, value]}
        for (field, value), count in sorted(
            items.items(),
            key=lambda row: (-unlinked[row[0]], -row[1], PRECEDENCE.index(row[0][0]), row[0][1]),
        )
    ]


# Linked to nothing, and nobody decided so: what a new mapping would link.
NO_LINK = Case(
    When(Q(linked_by="", initiative__isnull=True, goal__isnull=True), then=Value(True)),
    default=False,
    output_field=BooleanField(),
)


def supports_a_goal() -> Case:
    return Case(When(SUPPORTS_A_GOAL, then=Value(True)), default=False, output_field=BooleanField())


DECIDED = "decided against"


def goal_support() -> Case:
    """ "yes", "no" or "decided against": what the work list and its exports say of an item, as
    the orphan figures count it (a decided-against item is counted neither way, even linked)."""
    return Case(
        When(~WORK, then=Value(DECIDED)),
        When(SUPPORTS_A_GOAL, then=Value("yes")),
        default=Value("no"),
        output_field=CharField(),
    )


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


# A title that shares one word with a target must still be on the target's topic without it
# ("different, on the same topic" on the score's scale): the model reads a shared word as shared
# meaning, so "Log retention settings" scores 42 for "Grow customer retention" on "retention"
# alone, and "Log settings" scores 7.
REST_ON_TOPIC = SAME_TOPIC


def resting_on_one_word(
    titles: list[str], targets: list[Target], scores: np.ndarray, encoder: Encoder, cut: float
) -> list[tuple[int, int]]:
    """The (title, target) pairs scoring at least `cut` (scores: titles × targets, as
    target_scores gives them) only through their one word in common: the rest of the title
    scores under REST_ON_TOPIC for that target. A pair with no word in common is a match of
    meaning alone, and two or more words in common are a shared subject."""
    rests: dict[tuple[int, int], str] = {}
    for row, column in zip(*np.nonzero(scores >= cut), strict=True):
        shared = words_in_common(titles[row], targets[column].target)
        if len(shared) == 1:
            rests[int(row), int(column)] = without_word(titles[row], shared[0])
    texts = sorted({rest for rest in rests.values() if rest})
    rest_scores = target_scores(texts, targets, encoder) if texts else None
    row_of = {text: index for index, text in enumerate(texts)}
    return [
        (row, column)
        for (row, column), rest in rests.items()
        if rest_scores is None or not rest or rest_scores[row_of[rest], column] < REST_ON_TOPIC
    ]


def without_word(title: str, word: str) -> str:
    """The title without each form of `word` (a word as words_in_common gives it), or "" where
    no word is left: "Log settings" of "Log retention settings"."""
    rest = WORD.sub(lambda found: "" if stem(found[0].lower()) == word else found[0], title)
    return " ".join(rest.split()) if WORD.search(rest) else ""


def suggestion_candidates(workspace: Workspace):
    """Items worth a suggestion: orphan work (work decided against needs no link) whose link no
    editor has decided."""
    return workspace.work_items.filter(ORPHAN_WORK).exclude(linked_by="hand")


# --- Orphan work ---


def archiving_leaves_orphan_work(workspace: Workspace) -> dict[int, str]:
    """For each active goal that work serves, what archiving it does to orphan work, in words."""
    overall = cached_orphan_summary(workspace)["overall"]
    total, orphans = overall["items"], overall["orphans"]
    said = {}
    for goal_id, lost in left_without_a_goal(workspace).items():
        before, after = percent(orphans, total), percent(orphans + lost, total)
        said[goal_id] = (
            f"{lost} open work item{'s' if lost != 1 else ''} linked to it would then serve no "
            f"live goal: orphan work goes from {orphans} to {orphans + lost} of {total} items "
            f"({before}% → {after}%)"
        )
    return said


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def left_without_a_goal(workspace: Workspace) -> dict[int, int]:
    """For each active goal, how many items of work would support no goal once it is archived:
    the open items it is the only live goal of, directly or through their initiative (work
    finished by the day a goal is archived stays aligned work)."""
    direct = Case(When(Q(goal__archived_at__isnull=True), then=F("goal_id")))
    through = Case(
        When(
            Q(initiative__archived_at__isnull=True, initiative__goal__archived_at__isnull=True),
            then=F("initiative__goal_id"),
        )
    )
    only = Case(
        When(Q(through__isnull=True) | Q(through=F("direct")), then=F("direct")),
        When(direct__isnull=True, then=F("through")),
    )
    open_work = Q(resolved_on__isnull=True) | Q(resolved_on__gt=timezone.localdate())
    rows = (
        workspace.work_items.filter(WORK & open_work)
        .annotate(direct=direct, through=through)
        .annotate(only=only)
        .filter(only__isnull=False)
        .values("only")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["only"]: row["n"] for row in rows}


def cached_orphan_summary(workspace: Workspace) -> dict:
    """orphan_summary, computed once per change of the workspace's data (figures.py)."""
    return cached(workspace, "orphan_summary", orphan_summary)


def orphan_summary(workspace: Workspace) -> dict:
    """How much of the workspace's work supports no goal, overall, per team and per month.

    An item is an orphan when it has no goal, directly or through its initiative. An item closed
    as decided against (Won't Do, Cancelled, Duplicate…: DECIDED_AGAINST) is left out: it is no
    work, aligned or not. Every share is of items, never of points, so that one item without
    points cannot switch a team to another unit; "unit" says so ("items") and the points are
    given beside. Months come from created_on (items without it count in the totals only) and
    only months with items are listed. Items count for their own team, not for its parent team;
    items with no team form a last row with team_id None and team "No team", present only when
    there are such items.

    Returns:
        {
          "overall": {"items": int, "orphans": int, "points": float, "orphan_points": float,
                      "share": float 0-1 | None (no items), "unit": "items"},
          "teams": [{"team_id": int | None, "team": str, "items", "orphans", "points",
                     "orphan_points", "share", "unit", "trend": [("YYYY-MM", share 0-1), ...],
                     "trend_to_date": [...]},
                    ...],  # by team name, teams with no items left out
          "trend": [("YYYY-MM", share 0-1), ...],  # of each month's new work, oldest first
          "trend_to_date": [("YYYY-MM", share 0-1), ...],  # of all work up to each month's end
        }
    """
    buckets = list(
        workspace.work_items.filter(WORK)
        .annotate(supports=supports_a_goal(), month=Month("created_on"))
        .values("team_id", "team__name", "month", "supports")
        .annotate(n=Count("id"), point_sum=Sum("points"))
        .order_by()
        .values_list(*Bucket._fields, named=True)
    )
    overall = tally(buckets)
    by_team: dict[int | None, list] = defaultdict(list)
    for bucket in buckets:
        by_team[bucket.team_id].append(bucket)
    teams = [
        {"team_id": team_id, "team": team_buckets[0].team__name or NO_TEAM, **tally(team_buckets)}
        for team_id, team_buckets in by_team.items()
    ]
    teams.sort(key=lambda t: (t["team_id"] is None, t["team"].lower()))
    for team in teams:
        team["trend"] = trend(by_team[team["team_id"]])
        team["trend_to_date"] = trend_to_date(by_team[team["team_id"]])
    return {
        "overall": overall,
        "teams": teams,
        "trend": trend(buckets),
        "trend_to_date": trend_to_date(buckets),
    }


class Bucket(NamedTuple):
    """The items of one team created in one month that support a goal, or that support none:
    the database adds them up, so a summary reads hundreds of rows, not every item."""

    team_id: int | None
    team__name: str | None
    month: str | None  # YYYY-MM
    supports: bool
    n: int
    point_sum: Decimal | None  # of the items with points


class Month(Func):
    """A date's month as "YYYY-MM", worked out by the database. (On SQLite, Django's TruncMonth
    is a Python function called once per row: most of the time of a summary of 50,000 items.)"""

    output_field = CharField()

    def __init__(self, field: str):
        super().__init__(F(field))

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        month = Func(*self.source_expressions, Value("YYYY-MM"), function="to_char")
        return month.as_sql(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        month = Func(Value("%Y-%m"), *self.source_expressions, function="strftime")
        return month.as_sql(compiler, connection, **extra)


def tally(buckets: list[Bucket]) -> dict:
    orphans = [b for b in buckets if not b.supports]
    return {
        "items": sum(b.n for b in buckets),
        "orphans": sum(b.n for b in orphans),
        "points": float(sum(points(buckets), Decimal(0))),
        "orphan_points": float(sum(points(orphans), Decimal(0))),
        "share": share(buckets),
        "unit": "items",
    }


def points(buckets: Iterable[Bucket]) -> Iterable[Decimal]:
    return (b.point_sum or Decimal(0) for b in buckets)


def share(buckets: list[Bucket]) -> float | None:
    """The orphans' part of the items (None when there are none)."""
    if not buckets:
        return None
    orphans = sum(b.n for b in buckets if not b.supports)
    return round(orphans / sum(b.n for b in buckets), 4)


def by_month(buckets: list[Bucket]) -> dict[str, list[Bucket]]:
    months: dict[str, list[Bucket]] = defaultdict(list)
    for bucket in buckets:
        if bucket.month is not None:
            months[bucket.month].append(bucket)
    return dict(sorted(months.items()))


def trend(buckets: list[Bucket]) -> list[tuple[str, float]]:
    return [
        (month, share(month_buckets) or 0.0) for month, month_buckets in by_month(buckets).items()
    ]


def trend_to_date(buckets: list[Bucket]) -> list[tuple[str, float]]:
    """The orphans' share of all work created up to the end of each month, oldest first."""
    so_far: list[Bucket] = []
    shares = []
    for month, month_buckets in by_month(buckets).items():
        so_far += month_buckets
        shares.append((month, share(so_far) or 0.0))
    return shares


WORD = re.compile(r"[^\W\d_]{3,}")
NOT_A_SUBJECT = frozenset(LABEL_STOP_WORDS)


def words_in_common(title: str, target: Initiative | Goal) -> list[str]:
    """The words an item's title shares with what it was compared with (a target's title and
    purpose, Target.long_text), as an editor weighs a suggestion: "Bulk select invoices" shares
    only "invoice" with "Line-item extraction for multi-page invoices", so its score is the
    model's reading of meaning, not of a shared subject. Plural and singular count as one."""
    if isinstance(target, Goal):
        said = f"{target.title} {target.why} {target.metric}"
    else:
        said = f"{target.title} {target.problem}"
    theirs = {stem(w) for w in WORD.findall(said.lower())}
    shared = (stem(w) for w in WORD.findall(title.lower()) if w not in NOT_A_SUBJECT)
    return list(dict.fromkeys(w for w in shared if w in theirs))


def stem(word: str) -> str:
    """ "invoices" and "invoice" as one; "process" and "status" left alone."""
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "us", "is")) else word
