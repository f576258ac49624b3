"""The demo's decision log (content.DECISIONS): each speed, blockage and comment signal once.

Comments are saved unsorted: the classifier runs the model, and the model never runs inside the
build's transaction; cli.build_and_analyze_demo sorts them afterwards."""

from datetime import date, timedelta

from truenorth.decisions import actions
from truenorth.decisions.models import Comment, Decision
from truenorth.demo import content
from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.workspaces.models import Person, Workspace


def build_decisions(
    workspace: Workspace,
    people: dict[str, Person],
    goals: dict[int, Goal],
    initiatives: dict[str, Initiative],
    today: date,
) -> list[Decision]:
    made: list[Decision] = []
    for spec in content.DECISIONS:
        decision = build_one(workspace, people, spec, today)
        link(decision, spec, goals, initiatives)
        if "supersedes" in spec:
            earlier = made[spec["supersedes"]]
            actions.supersede(earlier, decision, decision.raised_on)
        if "decided_days_ago" in spec:
            on = today - timedelta(days=spec["decided_days_ago"])
            actions.decide(decision, on, spec["outcome"], spec["rationale"])
        build_comments(decision, people, spec["comments"])
        made.append(decision)
    return made


def build_reversed(
    workspace: Workspace,
    people: dict[str, Person],
    goals: dict[int, Goal],
    initiatives: dict[str, Initiative],
    today: date,
) -> Decision:
    """A decision made, then taken back with its reason (content.REVERSED_DECISION)."""
    spec = content.REVERSED_DECISION
    decision = build_one(workspace, people, spec, today)
    link(decision, spec, goals, initiatives)
    decided = today - timedelta(days=spec["decided_days_ago"])
    actions.decide(decision, decided, spec["outcome"], spec["rationale"])
    reversed_on = today - timedelta(days=spec["reversed_days_ago"])
    actions.reverse(decision, spec["reversed_because"], reversed_on)
    build_comments(decision, people, spec["comments"])
    return decision


def build_routine(
    workspace: Workspace,
    people: dict[str, Person],
    goals: dict[int, Goal],
    initiatives: dict[str, Initiative],
    today: date,
) -> None:
    """The decisions of two earlier months (content.ROUTINE_DECISIONS), each dated by its month
    and day there, so that each month holds its decisions whatever day the demo is built."""
    for spec in content.ROUTINE_DECISIONS:
        months_back, day = spec["decided_in"]
        decided = day_of_month_back(today, months_back, day)
        raised_days_ago = (today - decided).days + spec["took_days"]
        decision = build_one(workspace, people, {**spec, "raised_days_ago": raised_days_ago}, today)
        link(decision, spec, goals, initiatives)
        actions.decide(decision, decided, spec["outcome"], spec["rationale"])


def day_of_month_back(today: date, months_back: int, day: int) -> date:
    """That day of the month `months_back` before today's: (2, 5) on 7 Dec 2026 is 5 Oct 2026."""
    year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    return date(year, month + 1, day)


def link(decision: Decision, spec: dict, goals: dict, initiatives: dict) -> None:
    decision.goals.set([goals[rank] for rank in spec["goal_ranks"]])
    decision.initiatives.set([initiatives[key] for key in spec["initiatives"]])
    decision.blocks.set([initiatives[key] for key in spec["blocks"]])


def build_one(workspace, people, spec: dict, today: date) -> Decision:
    decision = Decision(
        workspace=workspace,
        raised_on=today - timedelta(days=spec["raised_days_ago"]),
        owner=people[person_email(spec["owner"])],
        shared_with_partners=spec.get("shared_with_partners", False),
        options=spec["options"],
        consequences=spec.get("consequences", ""),
        **{k: spec[k] for k in ("title", "question", "context", "category")},
    )
    actions.add_decision(decision)
    decision.deciders.set([people[person_email(who)] for who in spec["deciders"]])
    return decision


def person_email(local: str) -> str:
    return f"{local}@{content.DOMAIN}"


def build_comments(decision: Decision, people: dict[str, Person], comments: list[dict]) -> None:
    Comment.objects.bulk_create(
        Comment(
            decision=decision,
            author=people[c["author"]],
            text=c["text"],
            disagree_and_commit=c["commits"],
        )
        for c in comments
    )
