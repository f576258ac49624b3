"""Write a workspace as a file of the format in schema.py."""

import json
from collections import defaultdict

from pydantic import BaseModel, ValidationError

from truenorth.claims.models import Claim
from truenorth.exchange.decisions import decisions_out
from truenorth.exchange.feedback import feedback_out, need_links_out
from truenorth.exchange.glossary import terms_out
from truenorth.exchange.problems import ExchangeError, problems_of
from truenorth.exchange.rituals import rituals_out
from truenorth.exchange.schema import (
    FORMAT,
    VERSION,
    ChangeIn,
    ClaimIn,
    DecidedSuggestionIn,
    GoalIn,
    GoalMeasurementIn,
    InitiativeIn,
    MilestoneChangeIn,
    MilestoneIn,
    PersonIn,
    TrackerMappingIn,
    VisionIn,
    WorkItemChangeIn,
    WorkItemIn,
    WorkspaceFile,
    WorkspaceIn,
)
from truenorth.exchange.updates import updates_out
from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.work.models import LinkSuggestion, WorkItemChange
from truenorth.workspaces.models import Workspace


def _name(obj) -> str | None:
    return obj.name if obj else None


def _email(person) -> str | None:
    return person.email if person else None


def _username(user) -> str | None:
    return user.username if user else None


# Fields the file reads (from earlier versions) but never writes: a login's username, and each
# attendee's "worth it?" rating, which nobody reads but its rater (docs/exchange.md).
RATING = {"worth_it", "rated_at"}
NEVER_WRITTEN = {
    "memberships": {"__all__": {"username"}},
    "rituals": {"__all__": {"occurrences": {"__all__": {"attendances": {"__all__": RATING}}}}},
}


def export_workspace(workspace: Workspace) -> dict:
    """The workspace as a JSON-able dict; references between objects are file-local numbers.

    Logins travel as an email and a role, never a username or a password: the importing server
    turns them into invitations (see truenorth/exchange/load.py).
    """
    try:
        data = _workspace_file(workspace)
    except ValidationError as error:
        # Data saved before today's bounds (a link that is not http(s), a date in year 1…):
        # say where, rather than write a file that the import would refuse.
        problems = problems_of(error)
        raise ExchangeError(
            f"{workspace.slug} holds what a file cannot carry: {problems}"
        ) from None
    return data.model_dump(mode="json", exclude=NEVER_WRITTEN)


def export_text(workspace: Workspace) -> str:
    """The workspace file as `truenorth export --json` writes it, and the Settings page offers."""
    return json.dumps(export_workspace(workspace), indent=2, ensure_ascii=False) + "\n"


def _workspace_file(workspace: Workspace) -> WorkspaceFile:
    """Plain values, validated once as a whole, so that a problem is named by its path."""
    # Archived goals and initiatives travel too, marked: work items and claims still link them.
    goals = list(
        Goal.all_objects.filter(workspace=workspace).order_by("pk").prefetch_related("measurements")
    )
    goal_ref = {g.pk: n for n, g in enumerate(goals, start=1)}
    initiatives = list(
        Initiative.all_objects.filter(workspace=workspace)
        .order_by("pk")
        .select_related("team")  # the download is a page: no query per initiative
        .prefetch_related("changes__changed_by", "milestones__changes__changed_by")
    )
    initiative_ref = {i.pk: n for n, i in enumerate(initiatives, start=1)}
    data = dict(
        format=FORMAT,
        version=VERSION,
        workspace=_fields(workspace, WorkspaceIn, skip=set()),
        teams=[
            dict(name=t.name, parent=_name(t.parent), archived=t.archived)
            for t in workspace.teams.order_by("pk").select_related("parent")
        ],
        people=[
            dict(
                **_fields(p, PersonIn, skip={"team", "manager"}),
                # An erased person's team, and their place among the others, would tell who
                # they were: they come last, in no team.
                team=None if p.erased else _name(p.team),
                manager=_email(p.manager),
            )
            for p in workspace.people.order_by("erased", "pk").select_related("team", "manager")
        ],
        memberships=_logins_out(workspace),
        visions=[
            {**_fields(v, VisionIn, skip={"created_by"}), "created_by": _username(v.created_by)}
            for v in workspace.visions.order_by("number").select_related("created_by")
        ],
        goals=[
            dict(
                ref=goal_ref[g.pk],
                **_fields(g, GoalIn, skip={"ref", "measurements"}),
                measurements=[
                    _fields(m, GoalMeasurementIn, skip=set()) for m in g.measurements.all()
                ],
            )
            for g in goals
        ],
        initiatives=[_initiative_out(i, initiative_ref, goal_ref) for i in initiatives],
        work_items=_work_items_out(workspace, initiative_ref, goal_ref),
        tracker_mappings=[
            dict(
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
            dict(source_status=m.source_status, status=m.status)
            for m in workspace.roadmap_status_mappings.all()
        ],
        terms=terms_out(workspace),
        decisions=decisions_out(workspace, goal_ref, initiative_ref),
        updates=updates_out(workspace),
        rituals=rituals_out(workspace),
        feedback=feedback_out(workspace),
        need_links=need_links_out(workspace, initiative_ref, goal_ref),
    )
    return WorkspaceFile.model_validate(data)


def _fields(obj, schema: type[BaseModel], skip: set[str]) -> dict:
    return {name: getattr(obj, name) for name in schema.model_fields if name not in skip}


def _logins_out(workspace: Workspace) -> list[dict]:
    """Who logs in, and the invitations still waiting to be sent: both by email and role."""
    logins = [
        dict(email=m.user.email or _email(m.person) or "", role=m.role, person=_email(m.person))
        for m in workspace.memberships.order_by("pk").select_related("user", "person")
    ]
    waiting = [
        dict(email=w.email, role=w.role, person=_email(w.person))
        for w in workspace.waiting_invitations.order_by("pk").select_related("person")
    ]
    return logins + waiting


def _initiative_out(initiative: Initiative, initiative_ref: dict, goal_ref: dict) -> dict:
    changes = [
        dict(**_fields(c, ChangeIn, skip={"changed_by"}), changed_by=_username(c.changed_by))
        for c in initiative.changes.all()
    ]
    return dict(
        **_fields(initiative, InitiativeIn, skip={"ref", "goal", "team", "changes", "milestones"}),
        ref=initiative_ref[initiative.pk],
        goal=goal_ref.get(initiative.goal_id),
        team=_name(initiative.team),
        changes=changes,
        milestones=[_milestone_out(m) for m in initiative.milestones.all()],
    )


def _milestone_out(milestone) -> dict:
    changes = [
        dict(
            **_fields(c, MilestoneChangeIn, skip={"changed_by"}), changed_by=_username(c.changed_by)
        )
        for c in milestone.changes.all()
    ]
    return dict(**_fields(milestone, MilestoneIn, skip={"changes"}), changes=changes)


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
        dict(
            **_fields(w, WorkItemIn, skip={"key", "team", "changes", "suggestions", *linked}),
            key=w.external_key,
            team=_name(w.team),
            initiative=initiative_ref.get(w.initiative_id),
            goal=goal_ref.get(w.goal_id),
            changes=[dict(**_fields(c, WorkItemChangeIn, skip=set())) for c in changes[w.pk]],
            suggestions=[
                dict(
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


def _claim_out(claim: Claim, initiative_ref: dict) -> dict:
    return dict(
        **_fields(claim, ClaimIn, skip={"said_by", "created_by", "initiative", "runners_up"}),
        said_by=_email(claim.said_by),
        created_by=_username(claim.created_by),
        initiative=initiative_ref.get(claim.initiative_id),
        # A runner-up whose initiative was deleted since the check has nothing to link to.
        runners_up=[
            dict(**{**r, "initiative": initiative_ref[r["initiative"]]})
            for r in claim.runners_up
            if r.get("initiative") in initiative_ref
        ],
    )
