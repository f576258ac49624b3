"""Say and do: the goals a team's people name in a pulse against where the team's work goes.

Seed 003: "Priorities sound agreed upon, but execution drifts." A team can name the right goals
and spend its quarter on something else; neither the answers nor the tracker shows it alone.

For each team the latest published pulse shows in its priorities breakdown (the anonymity
threshold already applied, so a smaller team is never here), and for each official goal:

- **named**: the share of the team's respondents who named the goal (the report's
  `named_goals`).
- **say**: the goal's part of everything the team named among the official goals. People name up
  to three priorities, so "named" adds up to as much as 300% across goals while effort adds up to
  100%; a team whose people all name the same three goals and split its work evenly between them
  would show three gaps of 67 points against the raw shares. Dividing each goal's share by the
  team's total makes the two comparable: those three goals have a say of 33% each.
- **do**: the goal's part of the team's effort over the period: work items of the team linked to
  the goal directly or through an initiative. The share of effort on no goal (and on goals added
  after the pulse, which it could not ask about) is shown beside the goals.
- **gap**: say − do, in points. Positive: named more than worked on; negative: worked on more
  than named.

The period is the 90 days up to the day the check-in closed: what people named is set against the
quarter they had just lived through. An item counts when it was open at any time in those days:
created on or before the last day (or with no creation date) and not resolved before the first.
Items count for their own team, not for the team above it, as orphan work does.

Effort is story points when every item the team has in the period carries points (and they add up
to more than 0), otherwise a count of items, for the whole team. Points say how big the work is,
but a team that points some items and not others would have its unpointed work count as nothing;
mixing the two units within a team would make the shares meaningless, so it falls back to items
(the same rule as orphan work, `truenorth.work.traceability`).

Say and do agree when the gap is within BAND points. 15: narrower than one person in the smallest
team ever shown (one of five is 20 points of "named"), wide enough that a few items moved from one
goal to another in a quarter's work do not flip a team's verdict.

Evidence: the team's largest items for each goal and for no goal, and a link to its work items.
The report does not quote answers by team (its quotes are the shadow priorities', for the whole
check-in), and answers are never read here: a team's "say" is shown as shares only.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from truenorth.checkins.models import CheckIn
from truenorth.workspaces.models import Workspace

BAND = 15  # points of share within which say and do agree
PERIOD_DAYS = 90
EXAMPLES = 3  # items shown as evidence per goal


@dataclass
class GoalSayDo:
    id: int
    rank: int
    title: str
    name: str  # what people call it ("ERP sync"), or its title in quotes
    named: float  # % of the team's respondents naming the goal
    say: float  # % of what the team named among the official goals
    do: float  # % of the team's effort in the period
    gap: float  # say − do, in points
    items: int
    examples: list[dict] = field(default_factory=list)  # {"key", "title", "url"}

    @property
    def agrees(self) -> bool:
        return abs(self.gap) <= BAND


@dataclass
class TeamSayDo:
    team: str
    respondents: int
    unit: str  # "points" or "items"
    effort: float  # in `unit`
    goals: list[GoalSayDo]  # by rank; goals neither named nor worked on are left out
    no_goal: float  # % of effort on no goal
    no_goal_items: int
    no_goal_examples: list[dict]
    other_goals: float  # % of effort on goals the pulse did not ask about
    work_url: str
    no_goal_url: str
    sentence: str


@dataclass
class SayDo:
    checkin: CheckIn | None
    period_from: date | None
    period_to: date | None
    teams: list[TeamSayDo]
    without_work: list[str]  # teams shown in the pulse with no work items in the period
    note: str = ""  # why nothing is shown
    evidence: str = ""  # the check-in's priorities section
    band: int = BAND

    def as_dict(self) -> dict[str, Any]:
        return {
            "checkin": {"id": self.checkin.pk, "title": self.checkin.title}
            if self.checkin
            else None,
            "period": {
                "from": self.period_from.isoformat() if self.period_from else None,
                "to": self.period_to.isoformat() if self.period_to else None,
            },
            "band": self.band,
            "teams": [
                {
                    **asdict(team),
                    "goals": [{**asdict(g), "agrees": g.agrees} for g in team.goals],
                }
                for team in self.teams
            ],
            "without_work": self.without_work,
            "note": self.note,
            "evidence": self.evidence,
        }


def say_and_do(workspace: Workspace, checkin: CheckIn | None, data: dict) -> SayDo:
    """Say and do for each team the check-in's published report (`data`, already cut to the
    threshold) shows in its priorities breakdown."""
    nothing = SayDo(checkin, None, None, [], [])
    if checkin is None:
        nothing.note = "No check-in with results yet: an Alignment pulse that enough people answer measures this."
        return nothing
    priorities = data.get("priorities", {})
    groups = priorities.get("by", {}).get("team", {}).get("groups", [])
    if priorities.get("suppressed") or not groups:
        nothing.note = f"No team is large enough to show in {checkin.title}'s priorities."
        return nothing
    if any("named_goals" not in g for g in groups):
        nothing.note = (
            f"{checkin.title} was published before the goals each team names were recorded."
        )
        return nothing
    end = timezone.localdate(checkin.closes_at)
    start = end - timedelta(days=PERIOD_DAYS - 1)
    names = [g["name"] for g in groups]
    teams = dict(workspace.teams.filter(name__in=names).values_list("name", "pk"))
    work = team_work(workspace, list(teams.values()), start, end)
    called = dict(workspace.goals.values_list("pk", "names"))  # "ERP sync" reads better
    goals = [
        {**goal, "name": called[goal["id"]][0] if called.get(goal["id"]) else f"“{goal['title']}”"}
        for goal in priorities["goals"]
    ]
    rows, without_work = [], []
    for group in groups:  # largest first, as the report orders them
        team_id = teams.get(group["name"])
        if team_id is None:  # people with no team, or a team renamed since: no work to compare
            continue
        if team_id not in work:
            without_work.append(group["name"])
            continue
        rows.append(team_say_do(workspace, group, team_id, goals, work[team_id]))
    evidence = reverse("checkin", args=[workspace.slug, checkin.pk]) + "#priorities"
    return SayDo(checkin, start, end, rows, without_work, evidence=evidence)


# --- Work: what each team's items in the period served ---

SERVED = Coalesce("goal_id", "initiative__goal_id")  # the goal, directly or through an initiative


def open_between(start: date, end: date) -> Q:
    """Items open at any time from `start` to `end`, both included."""
    created = Q(created_on__isnull=True) | Q(created_on__lte=end)
    return created & (Q(resolved_on__isnull=True) | Q(resolved_on__gte=start))


@dataclass
class Work:
    """One team's items in the period, by the goal they serve (None: no goal)."""

    items: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    points: dict[int | None, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    unpointed: int = 0
    examples: dict[int | None, list[dict]] = field(default_factory=lambda: defaultdict(list))

    @property
    def unit(self) -> str:
        return "points" if not self.unpointed and sum(self.points.values()) > 0 else "items"

    def effort(self, goal: int | None) -> float:
        return float(self.points[goal] if self.unit == "points" else self.items[goal])

    @property
    def total(self) -> float:
        return sum(self.effort(goal) for goal in list(self.items))


def team_work(workspace: Workspace, team_ids: list[int], start: date, end: date) -> dict[int, Work]:
    """The work of each team with items open in the period: two queries, whatever the number of
    items (sums by the database, and only the largest few items of each goal read)."""
    items = workspace.work_items.filter(open_between(start, end), team_id__in=team_ids)
    items = items.annotate(served=SERVED)
    work: dict[int, Work] = defaultdict(Work)
    sums = items.values("team_id", "served").annotate(
        n=Count("id"), point_sum=Sum("points"), unpointed=Count("id", filter=Q(points__isnull=True))
    )
    for row in sums.order_by():
        team = work[row["team_id"]]
        team.items[row["served"]] += row["n"]
        team.points[row["served"]] += row["point_sum"] or Decimal(0)
        team.unpointed += row["unpointed"]
    largest = items.annotate(
        place=Window(
            RowNumber(),
            partition_by=[F("team_id"), F("served")],
            order_by=[F("points").desc(nulls_last=True), F("external_key").asc()],
        )
    ).filter(place__lte=EXAMPLES)
    for team_id, served, key, title, url in largest.order_by("place").values_list(
        "team_id", "served", "external_key", "title", "url"
    ):
        work[team_id].examples[served].append({"key": key, "title": title, "url": url})
    return dict(work)


# --- One team ---


def team_say_do(
    workspace: Workspace, group: dict, team_id: int, goals: list[dict], work: Work
) -> TeamSayDo:
    named = {int(goal_id): share for goal_id, share in group["named_goals"].items()}
    total_named = sum(named.values())
    total = work.total
    rows = []
    for goal in sorted(goals, key=lambda g: g["rank"]):
        said = named.get(goal["id"], 0.0)
        say = percent(said / total_named) if total_named else 0.0
        do = percent(work.effort(goal["id"]) / total)
        if not said and not work.items[goal["id"]]:
            continue
        rows.append(
            GoalSayDo(
                id=goal["id"],
                rank=goal["rank"],
                title=goal["title"],
                name=goal["name"],
                named=percent(said),
                say=say,
                do=do,
                gap=round(say - do, 1),
                items=work.items[goal["id"]],
                examples=work.examples[goal["id"]],
            )
        )
    asked = {goal["id"] for goal in goals}
    other = sum(work.effort(g) for g in list(work.items) if g is not None and g not in asked)
    no_goal = percent(work.effort(None) / total)
    url = reverse("work_items", args=[workspace.slug]) + f"?team={team_id}"
    return TeamSayDo(
        team=group["name"],
        respondents=group["n"],
        unit=work.unit,
        effort=total,
        goals=rows,
        no_goal=no_goal,
        no_goal_items=work.items[None],
        no_goal_examples=work.examples[None],
        other_goals=percent(other / total),
        work_url=url,
        no_goal_url=f"{url}&link=unlinked",
        sentence=sentence(group["name"], rows, no_goal, work.unit),
    )


def percent(share: float) -> float:
    """A share (0-1) as a percentage with one decimal, as the dashboard shows them."""
    return round(share * 100, 1)


def largest_gap(goals: list[GoalSayDo]) -> GoalSayDo | None:
    """The goal furthest from agreement; on a tie, the higher-ranked goal."""
    return max(goals, key=lambda g: (abs(g.gap), -g.rank), default=None)


def sentence(team: str, goals: list[GoalSayDo], no_goal: float, unit: str) -> str:
    """The team's largest gap in plain words. The share on no goal names its basis: beside it the
    team table's "Work supporting no goal" is a share of items over all time."""
    basis = f"of its {unit} over the {PERIOD_DAYS} days to the check-in"
    tail = f"; {no_goal:.0f}% {basis} go to no goal." if round(no_goal) else "."
    worst = largest_gap(goals)
    if worst is None:
        return f"{team} names none of the official goals and none of its work serves one{tail}"
    if worst.agrees:
        return f"{team}'s work follows what its people name: every goal within {BAND} points{tail}"
    if worst.gap > 0:
        share = "none" if not round(worst.do) else f"{worst.do:.0f}%"
        return (
            f"{team} names {worst.name} ({people(worst.named)}) but {share} of its work goes "
            f"there{tail}"
        )
    nobody = "nobody in it names" if not round(worst.named) else f"{people(worst.named)} name"
    return f"{worst.do:.0f}% of {team}'s work goes to {worst.name}, which {nobody}{tail}"


def people(named: float) -> str:
    return "all of its people" if named >= 99.5 else f"{named:.0f}% of its people"
