"""A whole workspace as JSON and back: export, then import, gives the same workspace.

Check-in answers are left out on purpose: they never leave the server. Pending link suggestions
are left out too: `truenorth suggest-links` recomputes them, while the decided ones (accepted or
rejected) are an editor's work and travel, so a rejected pair is never suggested again.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from truenorth.claims.models import Claim, Verdict
from truenorth.roadmap.models import (
    Initiative,
    InitiativeChange,
    InitiativeMilestone,
    MilestoneChange,
    RoadmapStatusMapping,
    Status,
    Visibility,
)
from truenorth.roadmap.models import Source as RoadmapSource
from truenorth.strategy.models import Goal, Vision
from truenorth.work.models import (
    LinkedBy,
    LinkSuggestion,
    Source,
    TrackerMapping,
    WorkItem,
    WorkItemChange,
)
from truenorth.workspaces.models import (
    Function,
    Membership,
    Person,
    Role,
    Team,
    Workspace,
    server_time_zone,
)

FORMAT = "truenorth.workspace"
# Version 2 adds work items' tracker fields, history and decided suggestions, tracker mappings
# and claims; every new key has a default, so a version 1 file still imports. Goals' names came
# later, with a default too, so a file written before them still imports. Version 3 adds the
# workspace's time zone and sender, active people with their manager and role, archived teams,
# imported initiatives' source keys, milestones and the roadmap's status mapping, all with
# defaults.
VERSION = 3
READABLE_VERSIONS = (1, 2, 3)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkspaceIn(Strict):
    name: str
    slug: str
    anonymity_threshold: int
    time_zone: str | None = None  # None: the importing server's
    sender_address: str = ""


class TeamIn(Strict):
    name: str
    parent: str | None = None
    archived: bool = False


class PersonIn(Strict):
    name: str
    email: str
    function: Function
    team: str | None = None
    title: str = ""
    active: bool = True
    manager: str | None = None  # the manager's email
    role: Role | Literal[""] = ""


class MembershipIn(Strict):
    username: str
    email: str = ""
    role: Role
    person: str | None = None


class VisionIn(Strict):
    number: int
    statement: str
    destination: str
    measures_of_progress: str
    target_user: str
    user_benefit: str
    business_outcome: str
    horizon: str
    created_at: datetime
    created_by: str | None = None


class GoalIn(Strict):
    ref: int
    title: str
    why: str
    why_now: str
    metric: str
    target: str
    rank: int
    period: str
    names: list[str] = []


class ChangeIn(Strict):
    field: InitiativeChange.Field
    old_value: str
    new_value: str
    changed_at: datetime
    changed_by: str | None = None


class MilestoneChangeIn(Strict):
    old_target: date | None = None
    new_target: date | None = None
    changed_at: datetime
    changed_by: str | None = None


class MilestoneIn(Strict):
    name: str
    target_date: date | None = None
    done_on: date | None = None
    position: int = 0
    changes: list[MilestoneChangeIn] = []


class InitiativeIn(Strict):
    ref: int
    key: str = ""
    title: str
    problem: str = ""
    goal: int | None = None
    team: str | None = None
    status: Status
    visibility: Visibility
    target_date: date | None = None
    actual_date: date | None = None
    estimate_weeks: Decimal | None = None
    spent_weeks: Decimal | None = None
    source: RoadmapSource = RoadmapSource.TYPED
    source_key: str = ""
    changes: list[ChangeIn] = []
    milestones: list[MilestoneIn] = []


class OneTarget(Strict):
    """Points at an initiative or a goal (their file-local refs), never both, never neither."""

    initiative: int | None = None
    goal: int | None = None

    @model_validator(mode="after")
    def exactly_one_target(self):
        if (self.initiative is None) == (self.goal is None):
            raise ValueError("needs exactly one target: an initiative or a goal")
        return self


class WorkItemChangeIn(Strict):
    field: WorkItemChange.Field
    old_value: str = ""
    new_value: str = ""
    changed_at: datetime


class DecidedSuggestionIn(OneTarget):
    score: float
    decision: Literal["accepted", "rejected"]
    decided_at: datetime | None = None
    decided_by: str | None = None


class WorkItemIn(Strict):
    source: Source
    key: str
    title: str
    status: str = ""
    points: Decimal | None = None
    created_on: date | None = None
    resolved_on: date | None = None
    url: str = ""
    due_on: date | None = None
    kind: str = ""
    project: str = ""
    parent_key: str = ""
    labels: list[str] = []
    team: str | None = None
    initiative: int | None = None
    goal: int | None = None
    linked_by: LinkedBy | Literal[""] = ""
    changes: list[WorkItemChangeIn] = []
    suggestions: list[DecidedSuggestionIn] = []

    @field_validator("suggestions")
    @classmethod
    def one_decision_per_target(cls, suggestions):
        _refuse_duplicates((_target_name(s) for s in suggestions), "a suggestion for")
        return suggestions


class TrackerMappingIn(OneTarget):
    source: Source | Literal[""] = ""
    field: TrackerMapping.Field
    value: str


class RunnerUpIn(Strict):
    initiative: int
    title: str
    status: Status
    score: float


class ClaimIn(Strict):
    said_on: date
    account: str
    said_by: str | None = None  # a person, by email
    said_by_name: str = ""  # or the name of someone who is not a person here
    text: str
    source: str = ""
    created_at: datetime | None = None
    created_by: str | None = None
    verdict: Verdict | Literal[""] = ""
    initiative: int | None = None
    initiative_title: str = ""
    initiative_status: Status | Literal[""] = ""
    target_date: date | None = None
    score: float | None = None
    matched: bool = False
    runners_up: list[RunnerUpIn] = []
    checked_at: datetime | None = None


class StatusMappingIn(Strict):
    source_status: str
    status: Status


class WorkspaceFile(Strict):
    format: str
    version: int
    workspace: WorkspaceIn
    teams: list[TeamIn]
    people: list[PersonIn]
    memberships: list[MembershipIn]
    visions: list[VisionIn]
    goals: list[GoalIn]
    initiatives: list[InitiativeIn]
    work_items: list[WorkItemIn]
    tracker_mappings: list[TrackerMappingIn] = []
    claims: list[ClaimIn] = []
    roadmap_status_mappings: list[StatusMappingIn] = []

    @field_validator("work_items")
    @classmethod
    def one_item_per_key(cls, items):
        _refuse_duplicates((f"{i.source.value} {i.key}" for i in items), "work item")
        return items

    @field_validator("tracker_mappings")
    @classmethod
    def one_mapping_per_value(cls, mappings):
        keys = (f"{m.field.value} {m.value!r} ({m.source or 'any tracker'})" for m in mappings)
        _refuse_duplicates(keys, "mapping for")
        return mappings


def _refuse_duplicates(keys: Iterable[str], what: str) -> None:
    """The database keeps one of each; say which one the file repeats."""
    seen = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{what} {key} appears more than once")
        seen.add(key)


def _target_name(linked: OneTarget) -> str:
    return f"initiative {linked.initiative}" if linked.initiative else f"goal {linked.goal}"


class ExchangeError(Exception):
    """A workspace file that cannot be imported; nothing of it was saved."""


def _name(obj) -> str | None:
    return obj.name if obj else None


def _username(user) -> str | None:
    return user.username if user else None


def export_workspace(workspace: Workspace) -> dict:
    """The workspace as a JSON-able dict; references between objects are file-local numbers."""
    goals = list(workspace.goals.order_by("pk"))
    goal_ref = {g.pk: n for n, g in enumerate(goals, start=1)}
    initiatives = list(
        workspace.initiatives.order_by("pk").prefetch_related(
            "changes", "milestones__changes__changed_by"
        )
    )
    initiative_ref = {i.pk: n for n, i in enumerate(initiatives, start=1)}
    data = WorkspaceFile(
        format=FORMAT,
        version=VERSION,
        workspace=WorkspaceIn.model_validate(workspace, from_attributes=True),
        teams=[
            TeamIn(name=t.name, parent=_name(t.parent), archived=t.archived)
            for t in workspace.teams.order_by("pk").select_related("parent")
        ],
        people=[
            PersonIn(
                **_fields(p, PersonIn, skip={"team", "manager"}),
                team=_name(p.team),
                manager=p.manager.email if p.manager else None,
            )
            for p in workspace.people.order_by("pk").select_related("team", "manager")
        ],
        memberships=[
            MembershipIn(
                username=m.user.username,
                email=m.user.email,
                role=m.role,
                person=m.person.email if m.person else None,
            )
            for m in workspace.memberships.order_by("pk").select_related("user", "person")
        ],
        visions=[
            VisionIn.model_validate(
                {**_fields(v, VisionIn, skip={"created_by"}), "created_by": _username(v.created_by)}
            )
            for v in workspace.visions.order_by("number").select_related("created_by")
        ],
        goals=[GoalIn(ref=goal_ref[g.pk], **_fields(g, GoalIn, skip={"ref"})) for g in goals],
        initiatives=[_initiative_out(i, initiative_ref, goal_ref) for i in initiatives],
        work_items=_work_items_out(workspace, initiative_ref, goal_ref),
        tracker_mappings=[
            TrackerMappingIn(
                **_fields(m, TrackerMappingIn, skip={"initiative", "goal"}),
                initiative=initiative_ref.get(m.initiative_id),
                goal=goal_ref.get(m.goal_id),
            )
            for m in workspace.tracker_mappings.order_by("pk")
        ],
        claims=[
            _claim_out(c, initiative_ref)
            for c in workspace.claims.order_by("pk").select_related("said_by", "created_by")
        ],
        roadmap_status_mappings=[
            StatusMappingIn(source_status=m.source_status, status=m.status)
            for m in workspace.roadmap_status_mappings.all()
        ],
    )
    return data.model_dump(mode="json")


def _fields(obj, schema: type[BaseModel], skip: set[str]) -> dict:
    return {name: getattr(obj, name) for name in schema.model_fields if name not in skip}


def _initiative_out(initiative: Initiative, initiative_ref: dict, goal_ref: dict) -> InitiativeIn:
    changes = [
        ChangeIn(**_fields(c, ChangeIn, skip={"changed_by"}), changed_by=_username(c.changed_by))
        for c in initiative.changes.all()
    ]
    return InitiativeIn(
        **_fields(initiative, InitiativeIn, skip={"ref", "goal", "team", "changes", "milestones"}),
        ref=initiative_ref[initiative.pk],
        goal=goal_ref.get(initiative.goal_id),
        team=_name(initiative.team),
        changes=changes,
        milestones=[_milestone_out(m) for m in initiative.milestones.all()],
    )


def _milestone_out(milestone) -> MilestoneIn:
    changes = [
        MilestoneChangeIn(
            **_fields(c, MilestoneChangeIn, skip={"changed_by"}), changed_by=_username(c.changed_by)
        )
        for c in milestone.changes.all()
    ]
    return MilestoneIn(**_fields(milestone, MilestoneIn, skip={"changes"}), changes=changes)


def _by_item(rows) -> dict[int, list]:
    # One query per table for the whole workspace: an IN list of 50,000 item ids is too long
    # for SQLite.
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.item_id].append(row)
    return grouped


def _work_items_out(workspace: Workspace, initiative_ref: dict, goal_ref: dict) -> list:
    changes = _by_item(WorkItemChange.objects.filter(item__workspace=workspace))
    decided = _by_item(
        LinkSuggestion.objects.filter(item__workspace=workspace)
        .exclude(decision=LinkSuggestion.Decision.PENDING)
        .select_related("decided_by")
        .order_by("pk")
    )
    linked = {"initiative", "goal"}
    return [
        WorkItemIn(
            **_fields(w, WorkItemIn, skip={"key", "team", "changes", "suggestions", *linked}),
            key=w.external_key,
            team=_name(w.team),
            initiative=initiative_ref.get(w.initiative_id),
            goal=goal_ref.get(w.goal_id),
            changes=[
                WorkItemChangeIn(**_fields(c, WorkItemChangeIn, skip=set())) for c in changes[w.pk]
            ],
            suggestions=[
                DecidedSuggestionIn(
                    **_fields(s, DecidedSuggestionIn, skip={"decided_by", *linked}),
                    initiative=initiative_ref.get(s.initiative_id),
                    goal=goal_ref.get(s.goal_id),
                    decided_by=_username(s.decided_by),
                )
                for s in decided[w.pk]
            ],
        )
        for w in workspace.work_items.order_by("pk").select_related("team")
    ]


def _claim_out(claim: Claim, initiative_ref: dict) -> ClaimIn:
    return ClaimIn(
        **_fields(claim, ClaimIn, skip={"said_by", "created_by", "initiative", "runners_up"}),
        said_by=claim.said_by.email if claim.said_by else None,
        created_by=_username(claim.created_by),
        initiative=initiative_ref.get(claim.initiative_id),
        # A runner-up whose initiative was deleted since the check has nothing to link to.
        runners_up=[
            RunnerUpIn(**{**r, "initiative": initiative_ref[r["initiative"]]})
            for r in claim.runners_up
            if r.get("initiative") in initiative_ref
        ],
    )


def parse_workspace_file(data: object) -> WorkspaceFile:
    try:
        parsed = WorkspaceFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:10]
        )
        raise ExchangeError(f"not a truenorth workspace file: {problems}") from None
    if parsed.format != FORMAT or parsed.version not in READABLE_VERSIONS:
        versions = " or ".join(str(v) for v in READABLE_VERSIONS)
        raise ExchangeError(f"expected format {FORMAT} version {versions}")
    return parsed


def import_workspace(data: object, slug: str | None = None, name: str | None = None) -> Workspace:
    """Create a new workspace from an exported file; all of it, or nothing."""
    parsed = parse_workspace_file(data)
    try:
        return _create_workspace(parsed, slug, name)
    except IntegrityError as error:
        # What validation cannot see (two people with one email…); the transaction is undone.
        raise ExchangeError(f"the file breaks a rule of the database: {error}") from None


@transaction.atomic
def _create_workspace(parsed: WorkspaceFile, slug: str | None, name: str | None) -> Workspace:
    slug = slug or parsed.workspace.slug
    if Workspace.objects.filter(slug=slug).exists():
        raise ExchangeError(f"a workspace with slug {slug!r} exists already; choose another")
    workspace = Workspace(
        name=name or parsed.workspace.name,
        slug=slug,
        anonymity_threshold=parsed.workspace.anonymity_threshold,
        time_zone=parsed.workspace.time_zone or server_time_zone(),
        sender_address=parsed.workspace.sender_address,
    )
    try:
        workspace.clean_fields()
    except DjangoValidationError as error:
        problems = [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
        raise ExchangeError("; ".join(problems)) from None
    workspace.save()
    _import_contents(workspace, parsed)
    return workspace


def _ref(mapping: dict, key, what: str):
    """The object a file-local reference names, or None for no reference."""
    if key is None:
        return None
    try:
        return mapping[key]
    except KeyError:
        raise ExchangeError(f"the file refers to {what} {key!r} but does not define it") from None


def _import_contents(workspace: Workspace, parsed: WorkspaceFile) -> None:
    users = _users(parsed)
    teams = {
        t.name: Team.objects.create(workspace=workspace, name=t.name, archived=t.archived)
        for t in parsed.teams
    }
    for t in parsed.teams:
        if t.parent:
            teams[t.name].parent = _ref(teams, t.parent, "team")
            teams[t.name].save(update_fields=["parent"])
    people = {}
    for p in parsed.people:
        people[p.email] = Person.objects.create(
            workspace=workspace,
            **p.model_dump(exclude={"team", "manager"}),
            team=_ref(teams, p.team, "team"),
        )
    for p in parsed.people:
        if p.manager:  # a manager may come later in the file
            people[p.email].manager = _ref(people, p.manager, "person")
            people[p.email].save(update_fields=["manager"])
    for m in parsed.memberships:
        Membership.objects.create(
            workspace=workspace,
            user=users[m.username],
            role=m.role,
            person=_ref(people, m.person, "person"),
        )
    for v in parsed.visions:
        Vision.objects.create(
            workspace=workspace,
            **v.model_dump(exclude={"created_by"}),
            created_by=_ref(users, v.created_by, "user"),
        )
    goals = {
        g.ref: Goal.objects.create(workspace=workspace, **g.model_dump(exclude={"ref"}))
        for g in parsed.goals
    }
    initiatives = {
        i.ref: _import_initiative(workspace, i, goals, teams, users) for i in parsed.initiatives
    }
    targets = {"initiative": initiatives, "goal": goals}
    _import_work_items(workspace, parsed.work_items, targets, teams, users)
    TrackerMapping.objects.bulk_create(
        TrackerMapping(
            workspace=workspace,
            **m.model_dump(exclude={"initiative", "goal"}),
            **_targets(m, targets),
        )
        for m in parsed.tracker_mappings
    )
    _import_claims(workspace, parsed.claims, initiatives, people, users)
    RoadmapStatusMapping.objects.bulk_create(
        RoadmapStatusMapping(workspace=workspace, **m.model_dump())
        for m in parsed.roadmap_status_mappings
    )


def _targets(linked, targets: dict) -> dict:
    """The initiative and goal an imported row refers to, as model fields."""
    return {
        "initiative": _ref(targets["initiative"], linked.initiative, "initiative"),
        "goal": _ref(targets["goal"], linked.goal, "goal"),
    }


def _users(parsed: WorkspaceFile) -> dict:
    """Logins named in the file; new ones get no password until someone sets one."""
    emails = {m.username: m.email for m in parsed.memberships}
    authors = [v.created_by for v in parsed.visions]
    authors += [c.changed_by for i in parsed.initiatives for c in i.changes]
    authors += [c.changed_by for i in parsed.initiatives for m in i.milestones for c in m.changes]
    authors += [s.decided_by for w in parsed.work_items for s in w.suggestions]
    authors += [c.created_by for c in parsed.claims]
    users = {}
    for username in dict.fromkeys([*emails, *filter(None, authors)]):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": emails.get(username, "")}
        )
        if created:
            user.set_unusable_password()
            user.save()
        users[username] = user
    return users


def _import_initiative(workspace, item: InitiativeIn, goals, teams, users) -> Initiative:
    initiative = Initiative.objects.create(
        workspace=workspace,
        **item.model_dump(exclude={"ref", "goal", "team", "changes", "milestones"}),
        goal=_ref(goals, item.goal, "goal"),
        team=_ref(teams, item.team, "team"),
    )
    InitiativeChange.objects.bulk_create(
        InitiativeChange(
            initiative=initiative,
            **c.model_dump(exclude={"changed_by"}),
            changed_by=_ref(users, c.changed_by, "user"),
        )
        for c in item.changes
    )
    for m in item.milestones:
        milestone = InitiativeMilestone.objects.create(
            initiative=initiative, **m.model_dump(exclude={"changes"})
        )
        MilestoneChange.objects.bulk_create(
            MilestoneChange(
                milestone=milestone,
                **c.model_dump(exclude={"changed_by"}),
                changed_by=_ref(users, c.changed_by, "user"),
            )
            for c in m.changes
        )
    return initiative


def _import_work_items(workspace, rows: list[WorkItemIn], targets, teams, users) -> None:
    # bulk_create sets the new primary keys on SQLite and PostgreSQL, so history can follow.
    items = WorkItem.objects.bulk_create(
        [
            WorkItem(
                workspace=workspace,
                **w.model_dump(
                    exclude={"key", "team", "initiative", "goal", "changes", "suggestions"}
                ),
                external_key=w.key,
                team=_ref(teams, w.team, "team"),
                **_targets(w, targets),
            )
            for w in rows
        ],
        batch_size=500,
    )
    WorkItemChange.objects.bulk_create(
        [
            WorkItemChange(item=item, **c.model_dump())
            for item, w in zip(items, rows, strict=True)
            for c in w.changes
        ],
        batch_size=500,
    )
    LinkSuggestion.objects.bulk_create(
        [
            LinkSuggestion(
                item=item,
                **s.model_dump(exclude={"initiative", "goal", "decided_by"}),
                **_targets(s, targets),
                decided_by=_ref(users, s.decided_by, "user"),
            )
            for item, w in zip(items, rows, strict=True)
            for s in w.suggestions
        ],
        batch_size=500,
    )


def _import_claims(workspace, rows: list[ClaimIn], initiatives, people, users) -> None:
    claims = Claim.objects.bulk_create(
        [
            Claim(
                workspace=workspace,
                **c.model_dump(exclude={"said_by", "created_by", "initiative", "runners_up"}),
                said_by=_ref(people, c.said_by, "person"),
                created_by=_ref(users, c.created_by, "user"),
                initiative=_ref(initiatives, c.initiative, "initiative"),
                runners_up=[_runner_up(r, initiatives) for r in c.runners_up],
            )
            for c in rows
        ],
        batch_size=500,
    )
    # Inserting sets created_at to now whatever it was; put back when the claim was entered.
    dated = []
    for claim, row in zip(claims, rows, strict=True):
        if row.created_at:
            claim.created_at = row.created_at
            dated.append(claim)
    Claim.objects.bulk_update(dated, ["created_at"], batch_size=500)


def _runner_up(runner_up: RunnerUpIn, initiatives: dict) -> dict:
    """As claims.actions.record stores it: the initiative by its database id."""
    initiative = _ref(initiatives, runner_up.initiative, "initiative")
    return {**runner_up.model_dump(mode="json"), "initiative": initiative.pk}
