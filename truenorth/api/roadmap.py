"""The roadmap's initiatives, read as the roadmap page shows them: everyone in the organisation
reads all of them; a partner reads only those shared outside (SHARED_OUTSIDE), without goal,
team, visibility, estimates or history, and a target date only where it is a promise
(COMMITTED; a shipped one has its shipped date instead). Owners and editors change them through
roadmap.actions.save_initiative, which records each change of status, target date, estimate and
visibility."""

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Case, F, When
from django.forms.models import model_to_dict
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.core import CONFLICT, NOT_A_BOOLEAN, AnId, Pages, membership, responses
from truenorth.api.forms import checked, form_data
from truenorth.api.strict import StrictBody, unchanged
from truenorth.ids import MAX_ID
from truenorth.roadmap import overruns
from truenorth.roadmap.actions import archive_initiative, restore_initiative, save_initiative
from truenorth.roadmap.forms import InitiativeForm, OverrunQuery
from truenorth.roadmap.models import (
    COMMITTED,
    SHARED_OUTSIDE,
    STATUS_MEANING,
    Initiative,
    InitiativeChange,
    Status,
    Visibility,
)
from truenorth.roadmap.views import in_partner_order, linked_decisions
from truenorth.workspaces.access import INTERNAL, PARTNER_VISIBLE, WRITE
from truenorth.workspaces.models import Membership
from truenorth.workspaces.people import known_as

router = Router(tags=["initiatives"])

AN_ID = Path(..., ge=1, le=MAX_ID)
# Person-weeks, as the form's field holds them; `true` is no number of weeks.
Weeks = Annotated[float, Field(ge=0, le=999_999.9), NOT_A_BOOLEAN]
# What a partner reads of an initiative, as on the partners' roadmap page and file.
SHARED_FIELDS = ("id", "title", "problem", "status", "shared_target", "shared_actual")


class SharedInitiativeOut(Schema):
    """An initiative as a partner reads it: a target date only where it is a promise (committed
    or in progress); once shipped, the day it shipped and no target."""

    id: int
    title: str
    problem: str
    status: Status
    status_meaning: str
    target_date: date | None
    actual_date: date | None = Field(None, description="The day it shipped.")

    # A partner's row is a dict of SHARED_FIELDS; the organisation's, the model row.
    @staticmethod
    def resolve_status_meaning(initiative) -> str:
        status = initiative["status"] if isinstance(initiative, dict) else initiative.status
        return STATUS_MEANING[Status(status)]

    @staticmethod
    def resolve_target_date(initiative) -> date | None:
        if isinstance(initiative, dict):
            return initiative["shared_target"]
        return initiative.target_date

    @staticmethod
    def resolve_actual_date(initiative) -> date | None:
        if isinstance(initiative, dict):
            return initiative["shared_actual"]
        return initiative.actual_date


class InitiativeOut(SharedInitiativeOut):
    """An initiative as the organisation reads it."""

    key: str
    goal_id: int | None
    team_id: int | None
    visibility: Visibility
    estimate_weeks: float | None = Field(None, description="Person-weeks expected.")
    spent_weeks: float | None = Field(None, description="Person-weeks spent so far.")
    source: str
    source_key: str
    archived: bool
    updated_at: datetime

    @staticmethod
    def resolve_archived(initiative: Initiative) -> bool:
        return initiative.archived_at is not None


# A partner's rows are dicts of SHARED_FIELDS, which only the shared shape reads; the first
# shape that reads a row is the one sent.
AnInitiative = Annotated[InitiativeOut | SharedInitiativeOut, Field(union_mode="left_to_right")]


class LinkedDecision(Schema):
    """A decision that touches the initiative or blocks it, as the initiative's page lists it."""

    number: int
    title: str
    status: str
    raised_on: date
    decided_on: date | None
    closed_on: date | None = Field(None, description="The day it was superseded or reversed.")
    blocks_it: bool
    link: str = Field(description='How it bears on the initiative: "touches it", "holds it up…"')


class InitiativeDetail(InitiativeOut):
    """One initiative as the organisation reads it, with the decisions linked to it (newest
    first); a partner's shape has none, since those links are the organisation's."""

    decisions: list[LinkedDecision]

    @staticmethod
    def resolve_decisions(initiative) -> list | None:
        # A partner's row (a dict) is not read by this shape: it has no decisions to give.
        return None if isinstance(initiative, dict) else linked_decisions(initiative)


AnInitiativeDetail = Annotated[
    InitiativeDetail | SharedInitiativeOut, Field(union_mode="left_to_right")
]


def for_partners(initiatives):
    """The partner's fields, with a target date only where the status promises one and a
    shipped date only once shipped (roadmap.views.partner_row)."""
    return initiatives.annotate(
        shared_target=Case(When(status__in=COMMITTED, then=F("target_date"))),
        shared_actual=Case(When(status=Status.SHIPPED, then=F("actual_date"))),
    ).values(*SHARED_FIELDS)


def visible(found: Membership, initiatives):
    if found.can_read_internal:
        return initiatives.select_related("goal", "team")
    return for_partners(in_partner_order(initiatives.filter(visibility__in=SHARED_OUTSIDE)))


class InitiativeFilter(Schema):
    status: Status | None = None
    goal: int | None = Field(None, ge=1, le=MAX_ID, description="A goal's id (not for partners).")
    team: int | None = Field(None, ge=1, le=MAX_ID, description="A team's id (not for partners).")
    visibility: Visibility | None = Field(None, description="Not for partners.")
    updated_since: datetime | None = Field(
        None, description="Only what changed at or after this time (ISO 8601; not for partners)."
    )


@router.get("/workspaces/{slug}/initiatives", response=responses(list[AnInitiative]))
@paginate(Pages)
def list_initiatives(request, slug: str, filters: Query[InitiativeFilter]):
    """The roadmap's initiatives by target date (undated last), then title. Partners get the
    shared ones in the shared shape, those with a promised date first, by date, then the others
    by title; filtering by goal, team, visibility or updated_since is for the organisation (the
    page offers partners no such filter): a partner's is a 400 naming it, as on the decisions."""
    found = membership(request, slug, PARTNER_VISIBLE)
    initiatives = found.workspace.initiatives.all()
    if filters.status is not None:
        initiatives = initiatives.filter(status=filters.status)
    internal = {
        "goal_id": filters.goal,
        "team_id": filters.team,
        "visibility": filters.visibility,
        # An internal field's change moves it too: a partner would learn of changes unshared.
        "updated_at__gte": filters.updated_since,
    }
    for name, value in internal.items():
        if value is None:
            continue
        if not found.can_read_internal:
            field = {"updated_at__gte": "updated_since"}.get(name, name.removesuffix("_id"))
            raise ApiProblem(400, "Invalid request", f"Partners cannot filter by {field}.", field)
        initiatives = initiatives.filter(**{name: value})
    # A partner's are ordered anew (visible): a date they do not see must not place an item.
    ordered = initiatives.order_by(F("target_date").asc(nulls_last=True), "title", "pk")
    return visible(found, ordered)


@router.get(
    "/workspaces/{slug}/initiatives/{initiative_id}", response=responses(AnInitiativeDetail)
)
def get_initiative(request, slug: str, initiative_id: int = AN_ID):
    """One initiative; the organisation reads archived ones too (a work item may link one), and
    the decisions that touch or block it (`decisions`, newest first; not for partners)."""
    found = membership(request, slug, PARTNER_VISIBLE)
    initiatives = found.workspace.initiatives.all()
    if found.can_read_internal:
        initiatives = Initiative.all_objects.filter(workspace=found.workspace)
    shown = visible(found, initiatives).filter(pk=initiative_id).first()
    if shown is None:
        raise Http404("No such initiative.")
    return shown


class InitiativeChangeOut(Schema):
    """A change of status, target date (YYYY-MM-DD) or estimate (person-weeks)."""

    field: InitiativeChange.Field
    old_value: str
    new_value: str
    old_label: str = Field(
        description="old_value as the initiative page shows it: a status or visibility by the "
        'label its badge reads ("In progress" for in_progress); a date or estimate as it is.'
    )
    new_label: str = Field(description="new_value as the initiative page shows it.")
    changed_at: datetime
    changed_by: str = Field(
        description='Who made it, by the name their person has in the workspace; "" when '
        "no login did (the command line, or a past change read from an imported file)."
    )

    @staticmethod
    def resolve_changed_by(change: InitiativeChange) -> str:
        # The rows come from initiative.changes: one workspace, its names read once.
        return known_as(change.changed_by, change.initiative.workspace)


@router.get(
    "/workspaces/{slug}/initiatives/{initiative_id}/history",
    response=responses(list[InitiativeChangeOut]),
)
@paginate(Pages)
def initiative_history(request, slug: str, initiative_id: int = AN_ID):
    """Every change of status, target date and estimate, oldest first: the slips and
    reversals (the organisation only, as on the initiative's page)."""
    workspace = membership(request, slug, INTERNAL).workspace
    shown = Initiative.all_objects.filter(workspace=workspace, pk=initiative_id).first()
    if shown is None:
        raise Http404("No such initiative.")
    return shown.changes.select_related("changed_by").order_by("changed_at", "pk")


class InitiativeIn(StrictBody):
    """An initiative as the roadmap's form takes it; any other field is a 400 naming it."""

    title: str = Field(..., max_length=300)
    key: str = Field("", max_length=40)
    problem: str = ""
    goal: AnId | None = Field(None, description="A goal's id.")
    team: AnId | None = Field(None, description="A team's id.")
    status: Status = Status.EXPLORING
    visibility: Visibility = Visibility.INTERNAL
    target_date: date | None = None
    actual_date: date | None = Field(None, description="Only for a shipped initiative.")
    estimate_weeks: Weeks | None = None
    spent_weeks: Weeks | None = None


class InitiativePatch(StrictBody):
    """Only the fields sent change; null clears a date, goal, team or estimate. An initiative
    as read may be sent back: `goal_id` and `team_id` are taken as `goal` and `team`, `id` must
    be its own, `archived`, `source` and `source_key` as read, and the rest of a read is
    ignored. Any other field is a 400 naming it."""

    read_as = InitiativeOut
    changed_by = {
        "archived": "POST …/initiatives/{id}/archive or …/restore",
        "source": "it is where an import brought it from",
        "source_key": "it is its key in the import it came from",
    }
    ids_of = {"goal_id": "goal", "team_id": "team"}
    # The decisions linked to it, as one initiative is read: they are changed on each decision.
    derived = ("decisions",)

    title: str | None = Field(None, max_length=300)
    key: str | None = Field(None, max_length=40)
    problem: str | None = None
    goal: AnId | None = None
    team: AnId | None = None
    status: Status | None = None
    visibility: Visibility | None = None
    target_date: date | None = None
    actual_date: date | None = None
    estimate_weeks: Weeks | None = None
    spent_weeks: Weeks | None = None


def save(request, workspace, values: dict, instance: Initiative | None = None) -> Initiative:
    form = InitiativeForm(data=form_data(values), instance=instance, workspace=workspace)
    checked(form, "initiative")
    saved = save_initiative(form.instance, by=request.auth.user)  # one transaction, history kept
    return Initiative.objects.select_related("goal", "team").get(pk=saved.pk)


@router.post("/workspaces/{slug}/initiatives", response=responses(InitiativeOut, 201))
def create_initiative(request, slug: str, body: InitiativeIn):
    """A new initiative on the roadmap (owners and editors; a write token)."""
    workspace = membership(request, slug, WRITE).workspace
    return HttpStatus(201, save(request, workspace, body.dict()))


@router.patch("/workspaces/{slug}/initiatives/{initiative_id}", response=responses(InitiativeOut))
def update_initiative(request, slug: str, body: InitiativePatch, initiative_id: int = AN_ID):
    """Change an initiative: its status, target date, estimate… Each change of status, target
    date or estimate is kept in its history. An archived initiative is read-only."""
    workspace = membership(request, slug, WRITE).workspace
    instance = workspace.initiatives.filter(pk=initiative_id).first()
    if instance is None:
        raise Http404("No such initiative (an archived one cannot be changed).")
    body.check_as_read(instance, "initiative")
    current = model_to_dict(instance, fields=InitiativeForm.Meta.fields)
    changes = body.dict(exclude_unset=True)
    if unchanged(current, changes):
        return Initiative.objects.select_related("goal", "team").get(pk=instance.pk)
    return save(request, workspace, {**current, **changes}, instance)


def any_initiative(workspace, initiative_id: int) -> Initiative:
    found = Initiative.all_objects.filter(workspace=workspace, pk=initiative_id).first()
    if found is None:
        raise Http404("No such initiative.")
    return found


@router.post(
    "/workspaces/{slug}/initiatives/{initiative_id}/archive",
    response={**responses(InitiativeOut), **CONFLICT},
)
def archive(request, slug: str, initiative_id: int = AN_ID):
    """Take an initiative off the roadmap, its figures and claim matching, as its page does; its
    history and the links of work items and claims to it stay. 409 when archived already."""
    initiative = any_initiative(membership(request, slug, WRITE).workspace, initiative_id)
    if not archive_initiative(initiative):
        raise ApiProblem(
            409, "Already archived", f"Initiative {initiative_id} is archived already."
        )
    return initiative


@router.post(
    "/workspaces/{slug}/initiatives/{initiative_id}/restore",
    response={**responses(InitiativeOut), **CONFLICT},
)
def restore(request, slug: str, initiative_id: int = AN_ID):
    """Put an archived initiative back on the roadmap. 409 when it is not archived."""
    initiative = any_initiative(membership(request, slug, WRITE).workspace, initiative_id)
    if not restore_initiative(initiative):
        raise ApiProblem(409, "Not archived", f"Initiative {initiative_id} is not archived.")
    return initiative


class OverrunsOut(Schema):
    """The overruns page's figures: each initiative's planned against actual or forecast dates
    and effort, per team, per goal and overall, and the slips by quarter (docs/overruns.md)."""

    today: date
    initiatives: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    overall: dict[str, Any]
    trend: list[Any] = Field(description="[quarter, slips, days slipped], oldest first.")
    milestone: str = Field(description="The milestone counted against; '' for target dates.")
    left_out: int = Field(description="Initiatives without that milestone.")
    milestones: list[str]


class OverrunFilter(Schema):
    milestone: str = Field("", max_length=100, description="A milestone's name, in any case.")


@router.get("/workspaces/{slug}/overruns", response=responses(OverrunsOut))
def overrun_summary(request, slug: str, filters: Query[OverrunFilter]):
    """Schedule and effort overruns as the overruns page and its JSON twin give them; with
    `milestone`, each initiative is measured by its milestone of that name (any case)."""
    workspace = membership(request, slug, INTERNAL).workspace
    names = overruns.milestone_names(workspace)
    query = OverrunQuery(filters.dict(), workspace=workspace, milestones=names)
    if not query.is_valid():
        raise ApiProblem(400, "Invalid milestone", query.errors["milestone"][0], "milestone")
    return overruns.cached_overrun_summary(workspace, query.cleaned_data["milestone"])
