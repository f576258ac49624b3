"""Create a workspace from a file: all of it, or nothing.

Logins are never created or matched from a file: a username names a different person on
another server, and matching it would hand that person the workspace. Each login the file
names becomes an invitation waiting for an owner to send (the Logins page), with its role. Who
made a change in the history (a vision's author, a decision on a suggestion) is kept when a
login of that name exists here, as attribution only: it gives no access.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from pydantic import ValidationError

from truenorth.claims.models import Claim
from truenorth.exchange.decisions import import_decisions
from truenorth.exchange.feedback import import_feedback, import_need_links
from truenorth.exchange.glossary import import_terms
from truenorth.exchange.problems import ExchangeError, printable, problems_of
from truenorth.exchange.rituals import import_rituals
from truenorth.exchange.schema import (
    FORMAT,
    READABLE_VERSIONS,
    ClaimIn,
    InitiativeIn,
    RunnerUpIn,
    WorkItemIn,
    WorkspaceFile,
)
from truenorth.exchange.updates import import_updates
from truenorth.roadmap.models import (
    Initiative,
    InitiativeChange,
    InitiativeMilestone,
    MilestoneChange,
    RoadmapStatusMapping,
)
from truenorth.strategy.models import Goal, GoalMeasurement, Vision
from truenorth.work.models import LinkSuggestion, TrackerMapping, WorkItem, WorkItemChange
from truenorth.workspaces.logins import record_role
from truenorth.workspaces.models import (
    Membership,
    Person,
    Role,
    Team,
    WaitingInvitation,
    Workspace,
    server_time_zone,
)


@dataclass
class Imported:
    workspace: Workspace
    invitations: int = 0  # logins waiting for an owner to invite them
    not_invited: list[str] = field(default_factory=list)  # logins with no address to invite
    owner: str = ""  # the login of this server named to own it, if any


def parse_workspace_file(data: object) -> WorkspaceFile:
    if not isinstance(data, dict):
        raise ExchangeError("not a truenorth workspace file: expected a JSON object")
    version = data.get("version")
    if data.get("format") != FORMAT or type(version) is not int or version not in READABLE_VERSIONS:
        versions = " or ".join(str(v) for v in READABLE_VERSIONS)
        raise ExchangeError(f"expected format {FORMAT} version {versions}")
    try:
        return WorkspaceFile.model_validate(data)
    except ValidationError as error:
        raise ExchangeError(f"not a truenorth workspace file: {problems_of(error)}") from None


def import_workspace(
    data: object, slug: str | None = None, name: str | None = None, owner: str | None = None
) -> Imported:
    """Create a new workspace from an exported file; all of it, or nothing.

    `owner` names a login of this server that owns the new workspace: the one way an import
    gives access, chosen by whoever runs it.
    """
    parsed = parse_workspace_file(data)
    try:
        return _create_workspace(parsed, slug, name, owner)
    except (IntegrityError, DataError) as error:
        # What validation cannot see (two people with one email…); the transaction is undone.
        problem = printable(str(error))
        raise ExchangeError(f"the file breaks a rule of the database: {problem}") from None


@transaction.atomic
def _create_workspace(parsed: WorkspaceFile, slug: str | None, name: str | None, owner) -> Imported:
    slug = slug or parsed.workspace.slug
    if Workspace.objects.filter(slug=slug).exists():
        raise ExchangeError(f"a workspace with slug {slug!r} exists already; choose another")
    owner_login = _login(owner) if owner else None
    workspace = Workspace(
        name=name or parsed.workspace.name,
        slug=slug,
        anonymity_threshold=parsed.workspace.anonymity_threshold,
        time_zone=parsed.workspace.time_zone or server_time_zone(),
        sender_address=parsed.workspace.sender_address,
        support_notice_days=parsed.workspace.support_notice_days,
    )
    try:
        workspace.clean_fields()
    except DjangoValidationError as error:
        problems = [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
        raise ExchangeError(printable("; ".join(problems))) from None
    workspace.save()
    people = _import_contents(workspace, parsed)
    imported = Imported(workspace)
    if owner_login:
        person = people.get(owner_login.email) if owner_login.email else None
        owner = Membership.objects.create(
            workspace=workspace, user=owner_login, role=Role.OWNER, person=person
        )
        record_role(owner, "", Role.OWNER)  # at the command line, as every import
        imported.owner = owner_login.username
    _invitations(imported, parsed, people, owner_login)
    return imported


def _login(username: str):
    login = get_user_model().objects.filter(username=username).first()
    if login is None:
        raise ExchangeError(f"no login named {username!r} on this server to own the workspace")
    return login


def _ref(mapping: dict, key, what: str):
    """The object a file-local reference names, or None for no reference.

    The schema has checked every reference already (WorkspaceFile.every_reference_is_defined),
    with its path; this is the net under that check.
    """
    if key is None:
        return None
    try:
        return mapping[key]
    except KeyError:
        raise ExchangeError(
            printable(f"the file refers to {what} {key!r} but does not define it")
        ) from None


def _invitations(imported: Imported, parsed: WorkspaceFile, people: dict, owner_login) -> None:
    """An invitation waiting for an owner to send, for each login of the file."""
    owner_email = owner_login.email.lower() if owner_login and owner_login.email else None
    waiting = {}
    for n, m in enumerate(parsed.memberships):
        email = m.email or m.person
        if not email:
            imported.not_invited.append(m.username or f"memberships.{n}")
        elif email.lower() != owner_email and email.lower() not in waiting:
            waiting[email.lower()] = WaitingInvitation(
                workspace=imported.workspace,
                email=email,
                role=m.role,
                person=_ref(people, m.person, "person"),
            )
    WaitingInvitation.objects.bulk_create(waiting.values())
    imported.invitations = len(waiting)


def _import_contents(workspace: Workspace, parsed: WorkspaceFile) -> dict:
    users = _authors(parsed)
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
    for v in parsed.visions:
        Vision.objects.create(
            workspace=workspace,
            **v.model_dump(exclude={"created_by"}),
            created_by=users.get(v.created_by),
        )
    goals = {
        g.ref: Goal.objects.create(
            workspace=workspace, **g.model_dump(exclude={"ref", "measurements"})
        )
        for g in parsed.goals
    }
    GoalMeasurement.objects.bulk_create(
        GoalMeasurement(goal=goals[g.ref], **m.model_dump())
        for g in parsed.goals
        for m in g.measurements
    )
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
    import_terms(workspace, parsed.terms, people)
    import_decisions(workspace, parsed.decisions, people, goals, initiatives)
    import_updates(workspace, parsed.updates)
    import_rituals(workspace, parsed.rituals, people, teams)
    items = import_feedback(workspace, parsed.feedback, people, users)
    import_need_links(parsed.need_links, items, targets, users)
    return people


def _targets(linked, targets: dict) -> dict:
    """The initiative and goal an imported row refers to, as model fields."""
    return {
        "initiative": _ref(targets["initiative"], linked.initiative, "initiative"),
        "goal": _ref(targets["goal"], linked.goal, "goal"),
    }


def _authors(parsed: WorkspaceFile) -> dict:
    """The logins of this server that the history names: attribution only, none is created."""
    authors = [v.created_by for v in parsed.visions]
    authors += [c.changed_by for i in parsed.initiatives for c in i.changes]
    authors += [c.changed_by for i in parsed.initiatives for m in i.milestones for c in m.changes]
    authors += [s.decided_by for w in parsed.work_items for s in w.suggestions]
    authors += [c.created_by for c in parsed.claims]
    authors += [f.created_by for f in parsed.feedback]
    authors += [link.decided_by for link in parsed.need_links]
    names = set(filter(None, authors))
    logins = get_user_model().objects.filter(username__in=names) if names else []
    return {login.username: login for login in logins}


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
            changed_by=users.get(c.changed_by),
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
                changed_by=users.get(c.changed_by),
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
                decided_by=users.get(s.decided_by),
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
                created_by=users.get(c.created_by),
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
