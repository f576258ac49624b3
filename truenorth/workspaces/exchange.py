"""A whole workspace as JSON and back: export, then import, gives the same workspace."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from pydantic import BaseModel, ConfigDict, ValidationError

from truenorth.roadmap.models import Initiative, InitiativeChange, Status, Visibility
from truenorth.strategy.models import Goal, Vision
from truenorth.work.models import Source, WorkItem
from truenorth.workspaces.models import Function, Membership, Person, Role, Team, Workspace

FORMAT = "truenorth.workspace"
VERSION = 1


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkspaceIn(Strict):
    name: str
    slug: str
    anonymity_threshold: int


class TeamIn(Strict):
    name: str
    parent: str | None = None


class PersonIn(Strict):
    name: str
    email: str
    function: Function
    team: str | None = None
    title: str = ""


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


class ChangeIn(Strict):
    field: InitiativeChange.Field
    old_value: str
    new_value: str
    changed_at: datetime
    changed_by: str | None = None


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
    changes: list[ChangeIn] = []


class WorkItemIn(Strict):
    source: Source
    key: str
    title: str
    status: str = ""
    points: Decimal | None = None
    created_on: date | None = None
    resolved_on: date | None = None
    url: str = ""
    team: str | None = None
    initiative: int | None = None
    goal: int | None = None


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
    initiatives = list(workspace.initiatives.order_by("pk").prefetch_related("changes"))
    initiative_ref = {i.pk: n for n, i in enumerate(initiatives, start=1)}
    data = WorkspaceFile(
        format=FORMAT,
        version=VERSION,
        workspace=WorkspaceIn.model_validate(workspace, from_attributes=True),
        teams=[TeamIn(name=t.name, parent=_name(t.parent)) for t in workspace.teams.order_by("pk")],
        people=[
            PersonIn(
                name=p.name, email=p.email, function=p.function, team=_name(p.team), title=p.title
            )
            for p in workspace.people.order_by("pk").select_related("team")
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
        work_items=[
            WorkItemIn(
                **_fields(w, WorkItemIn, skip={"key", "team", "initiative", "goal"}),
                key=w.external_key,
                team=_name(w.team),
                initiative=initiative_ref.get(w.initiative_id),
                goal=goal_ref.get(w.goal_id),
            )
            for w in workspace.work_items.order_by("pk").select_related("team")
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
        **_fields(initiative, InitiativeIn, skip={"ref", "goal", "team", "changes"}),
        ref=initiative_ref[initiative.pk],
        goal=goal_ref.get(initiative.goal_id),
        team=_name(initiative.team),
        changes=changes,
    )


def parse_workspace_file(data: object) -> WorkspaceFile:
    try:
        parsed = WorkspaceFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:10]
        )
        raise ExchangeError(f"not a truenorth workspace file: {problems}") from None
    if parsed.format != FORMAT or parsed.version != VERSION:
        raise ExchangeError(f"expected format {FORMAT} version {VERSION}")
    return parsed


@transaction.atomic
def import_workspace(data: object, slug: str | None = None, name: str | None = None) -> Workspace:
    """Create a new workspace from an exported file; all of it, or nothing."""
    parsed = parse_workspace_file(data)
    slug = slug or parsed.workspace.slug
    if Workspace.objects.filter(slug=slug).exists():
        raise ExchangeError(f"a workspace with slug {slug!r} exists already; choose another")
    workspace = Workspace.objects.create(
        name=name or parsed.workspace.name,
        slug=slug,
        anonymity_threshold=parsed.workspace.anonymity_threshold,
    )
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
    teams = {t.name: Team.objects.create(workspace=workspace, name=t.name) for t in parsed.teams}
    for t in parsed.teams:
        if t.parent:
            teams[t.name].parent = _ref(teams, t.parent, "team")
            teams[t.name].save(update_fields=["parent"])
    people = {}
    for p in parsed.people:
        people[p.email] = Person.objects.create(
            workspace=workspace, **p.model_dump(exclude={"team"}), team=_ref(teams, p.team, "team")
        )
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
    WorkItem.objects.bulk_create(
        WorkItem(
            workspace=workspace,
            **w.model_dump(exclude={"key", "team", "initiative", "goal"}),
            external_key=w.key,
            team=_ref(teams, w.team, "team"),
            initiative=_ref(initiatives, w.initiative, "initiative"),
            goal=_ref(goals, w.goal, "goal"),
        )
        for w in parsed.work_items
    )


def _users(parsed: WorkspaceFile) -> dict:
    """Logins named in the file; new ones get no password until someone sets one."""
    emails = {m.username: m.email for m in parsed.memberships}
    authors = [v.created_by for v in parsed.visions]
    authors += [c.changed_by for i in parsed.initiatives for c in i.changes]
    users = {}
    for username in [*emails, *filter(None, authors)]:
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
        **item.model_dump(exclude={"ref", "goal", "team", "changes"}),
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
    return initiative
