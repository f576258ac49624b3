"""The vision and the goals: read by everyone in the organisation, written by owners and
editors through the goals page's form and strategy.actions, as on the goals page."""

from datetime import date, datetime
from typing import Literal

from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.core import CONFLICT, Number, Pages, membership, responses
from truenorth.api.forms import checked, form_data
from truenorth.api.strict import StrictBody, unchanged
from truenorth.ids import MAX_ID
from truenorth.strategy import clarity, pace
from truenorth.strategy.actions import (
    add_goal,
    archive_goal,
    move_goal,
    publish_vision,
    restore_goal,
    save_goal,
)
from truenorth.strategy.actions import current_vision as vision_in_force
from truenorth.strategy.forms import GoalForm, GoalMeasurementForm, VisionForm
from truenorth.strategy.models import Goal, GoalMeasurement, Vision
from truenorth.workspaces.access import INTERNAL, WRITE

router = Router(tags=["goals"])
vision_router = Router(tags=["vision"])

AN_ID = Path(..., ge=1, le=MAX_ID)


# --- Vision ---


class VisionOut(Schema):
    number: int
    statement: str
    destination: str
    measures_of_progress: str
    target_user: str
    user_benefit: str
    business_outcome: str
    horizon: str
    created_at: datetime
    created_by: str | None

    @staticmethod
    def resolve_created_by(vision: Vision) -> str | None:
        return vision.created_by.username if vision.created_by else None


@vision_router.get("/workspaces/{slug}/vision", response=responses(VisionOut))
def current_vision(request, slug: str):
    """The vision in force: its latest version (404 while none is written)."""
    workspace = membership(request, slug, INTERNAL).workspace
    found = workspace.visions.select_related("created_by").order_by("-number").first()
    if found is None:
        raise Http404("This workspace has no vision yet.")
    return found


@vision_router.get("/workspaces/{slug}/vision/versions", response=responses(list[VisionOut]))
@paginate(Pages)
def vision_versions(request, slug: str):
    """Every version of the vision, newest first: editing writes a version, never overwrites."""
    workspace = membership(request, slug, INTERNAL).workspace
    return workspace.visions.select_related("created_by").order_by("-number")


@vision_router.get("/workspaces/{slug}/vision/versions/{number}", response=responses(VisionOut))
def vision_version(request, slug: str, number: int = AN_ID):
    workspace = membership(request, slug, INTERNAL).workspace
    found = workspace.visions.select_related("created_by").filter(number=number).first()
    if found is None:
        raise Http404("No such version of the vision.")
    return found


class ClarityPart(Schema):
    name: str
    label: str
    present: bool
    found_in: str = Field(description="field, statement, or '' when missing.")
    evidence: str = Field(description="The words that showed the part.")
    weight: int = Field(description="Points it adds to the score when present.")
    says_nothing: bool = Field(
        False, description="Filled in with words that fit any product ('They get more value.')."
    )


class ClarityFinding(Schema):
    kind: str = Field(description="buzzword, vague or jargon.")
    phrase: str
    where: str = Field(description="statement, or the field the phrase is in.")
    where_label: str = Field("", description="where, as the page says it: 'User benefit'.")
    suggestion: str


class ClarityOut(Schema):
    """The clarity check the vision and goal pages show: a score with concrete suggestions,
    not a verdict."""

    score: int = Field(description="0-100: the parts present, less the unclear wording.")
    parts: list[ClarityPart]
    missing: list[str]
    findings: list[ClarityFinding]
    suggestions: list[str]
    explained: list[str] = Field(description="Acronyms the glossary defines: not jargon.")


@vision_router.get("/workspaces/{slug}/vision/clarity", response=responses(ClarityOut))
def vision_clarity(request, slug: str):
    """How clearly the vision in force says where we are going, how progress is measured and
    what the user gains (404 before one is published)."""
    workspace = membership(request, slug, INTERNAL).workspace
    vision = vision_in_force(workspace)
    if vision is None:
        raise Http404("This workspace has no vision yet.")
    fields = clarity.vision_fields(vision)
    return clarity.as_data(clarity.clarity_of_vision(fields, clarity.glossary_names(workspace)))


class VisionDraft(StrictBody):
    """A vision's text before it is published: the statement and any of its parts."""

    statement: str = Field(..., max_length=clarity.MAX_FIELD_CHARS)
    destination: str = Field("", max_length=clarity.MAX_FIELD_CHARS)
    measures_of_progress: str = Field("", max_length=clarity.MAX_FIELD_CHARS)
    target_user: str = Field("", max_length=clarity.MAX_FIELD_CHARS)
    user_benefit: str = Field("", max_length=clarity.MAX_FIELD_CHARS)
    business_outcome: str = Field("", max_length=clarity.MAX_FIELD_CHARS)
    horizon: str = Field("", max_length=clarity.MAX_FIELD_CHARS)


@vision_router.post("/workspaces/{slug}/vision/clarity", response=responses(ClarityOut))
def draft_clarity(request, slug: str, body: VisionDraft):
    """Check a draft, as the vision form does while it is typed; nothing is saved (owners and
    editors; a write token)."""
    workspace = membership(request, slug, WRITE).workspace
    glossary = clarity.glossary_names(workspace)
    return clarity.as_data(clarity.clarity_of_vision(body.dict(), glossary))


class VisionChange(StrictBody):
    """A new version: the fields sent, and the version in force's for the others. A vision is
    never overwritten; each publication is a version, as on its edit page."""

    statement: str | None = Field(None, max_length=clarity.MAX_FIELD_CHARS)
    destination: str | None = Field(None, max_length=clarity.MAX_FIELD_CHARS)
    measures_of_progress: str | None = Field(None, max_length=clarity.MAX_FIELD_CHARS)
    target_user: str | None = Field(None, max_length=clarity.MAX_FIELD_CHARS)
    user_benefit: str | None = Field(None, max_length=clarity.MAX_FIELD_CHARS)
    business_outcome: str | None = Field(None, max_length=clarity.MAX_FIELD_CHARS)
    horizon: str | None = Field(None, max_length=clarity.MAX_FIELD_CHARS)


@vision_router.post("/workspaces/{slug}/vision/versions", response=responses(VisionOut, 201))
def publish(request, slug: str, body: VisionChange):
    """Publish the next version of the vision (owners and editors; a write token). The first
    needs every part, as the edit page does; `GET /vision/clarity` then checks it."""
    workspace = membership(request, slug, WRITE).workspace
    current = clarity.vision_fields(vision_in_force(workspace))
    values = {**current, **body.dict(exclude_unset=True)}
    if current and values == current:
        raise ApiProblem(400, "Nothing changed", "Send the parts of the vision that change.")
    form = VisionForm(data=form_data(values))
    checked(form, "vision")
    form.instance.workspace = workspace
    return HttpStatus(201, publish_vision(form.instance, by=request.auth.user))


# --- Goals ---


class ReadingOut(Schema):
    value: float
    on: date


class PaceOut(Schema):
    """Whether the goal is on track, judged as on the goals page (strategy.pace): where its
    metric would be by the target's date at the pace of its readings so far (a least-squares
    line), against the target. Paces are in the goal's unit a month."""

    verdict: Literal["on_track", "behind", "met", "missed", "too_few_readings", "no_target"]
    label: str
    words: str = Field(description='e.g. "Behind: at this pace 46.6% by 30 Jun 2027, …"')
    unit: str
    latest: ReadingOut | None
    target: ReadingOut | None
    lower_is_better: bool | None
    per_month: float | None = Field(description="The pace so far; null with too few readings.")
    needed_per_month: float | None = Field(description="The pace that would reach the target.")
    projected: float | None = Field(description="The value at the target's date at this pace.")


class GoalOut(Schema):
    """Read from the model row itself, so a page of 50 is serialised, not the whole list."""

    id: int
    rank: int
    title: str
    why: str
    why_now: str
    metric: str
    target: str
    period: str
    names: list[str]
    archived: bool
    updated_at: datetime
    pace: PaceOut

    @staticmethod
    def resolve_archived(goal: Goal) -> bool:
        return goal.archived_at is not None

    @staticmethod
    def resolve_pace(goal: Goal) -> dict:
        return pace.of_goal(goal).as_dict()


class MeasurementOut(Schema):
    """A value of the goal's metric on a day, or (is_target) the value it aims for by then."""

    measured_on: date
    value: float
    unit: str
    is_target: bool


class GoalDetailOut(GoalOut):
    measurements: list[MeasurementOut]

    @staticmethod
    def resolve_measurements(goal: Goal) -> list[GoalMeasurement]:
        return list(goal.measurements.all())


def period_refusal(period: str) -> str:
    """Why the goal form would refuse this period ("2027-H9"), or ""."""
    return " ".join(GoalForm(data={"period": period}).errors.get("period", []))


class GoalFilter(Schema):
    archived: bool = False
    period: str | None = None
    updated_since: datetime | None = Field(
        None, description="Only what changed at or after this time (ISO 8601)."
    )


@router.get("/workspaces/{slug}/goals", response=responses(list[GoalOut]))
@paginate(Pages)
def list_goals(request, slug: str, filters: Query[GoalFilter]):
    """The goals in rank order (archived ones with `archived=true`); a period no goal could
    have ("2027-H9") is a 400, as the goal form refuses it."""
    if filters.period and (refusal := period_refusal(filters.period)):
        raise ApiProblem(400, "Invalid request", f"period: {refusal}", "period")
    workspace = membership(request, slug, INTERNAL).workspace
    goals = Goal.all_objects.filter(workspace=workspace, archived_at__isnull=not filters.archived)
    if filters.period:
        goals = goals.filter(period=filters.period)
    if filters.updated_since:
        goals = goals.filter(updated_at__gte=filters.updated_since)
    return goals.prefetch_related("measurements").order_by("rank", "pk")


@router.get("/workspaces/{slug}/goals/{goal_id}", response=responses(GoalDetailOut))
def get_goal(request, slug: str, goal_id: int = AN_ID):
    """One goal, archived or not, with the measurements that draw its progress."""
    workspace = membership(request, slug, INTERNAL).workspace
    return any_goal(workspace, goal_id)


def any_goal(workspace, goal_id: int) -> Goal:
    found = Goal.all_objects.filter(workspace=workspace, pk=goal_id).first()
    if found is None:
        raise Http404("No such goal.")
    return found


class GoalIn(StrictBody):
    """A goal as the goals page's form takes it; a new goal goes to the bottom of the ranking."""

    title: str = Field(..., max_length=300)
    why: str
    why_now: str
    metric: str = Field(..., max_length=300)
    target: str = Field(..., max_length=200)
    period: str = Field(..., max_length=50)
    names: list[str] = Field(default_factory=list, description="Short names and synonyms.")


class GoalPatch(StrictBody):
    """Only the fields sent change. A goal as read may be sent back: `id` must be the goal's,
    `rank`, `archived` and `measurements` as read (each has its own address), and the rest of
    what a read adds is ignored."""

    read_as = GoalDetailOut
    changed_by = {
        "rank": "POST …/goals/{id}/move moves it",
        "archived": "POST …/goals/{id}/archive or …/restore",
        "measurements": "POST …/goals/{id}/measurements records one",
    }

    title: str | None = Field(None, max_length=300)
    why: str | None = None
    why_now: str | None = None
    metric: str | None = Field(None, max_length=300)
    target: str | None = Field(None, max_length=200)
    period: str | None = Field(None, max_length=50)
    names: list[str] | None = None


def goal_form(values: dict, workspace, goal: Goal | None = None) -> GoalForm:
    data = form_data(values)
    if isinstance(values.get("names"), list):
        data["names"] = ", ".join(values["names"])  # the form's field reads one line
    return GoalForm(data=data, instance=goal, workspace=workspace)


@router.post("/workspaces/{slug}/goals", response=responses(GoalDetailOut, 201))
def create_goal(request, slug: str, body: GoalIn):
    """A new goal, last in the ranking (owners and editors; a write token)."""
    workspace = membership(request, slug, WRITE).workspace
    form = goal_form(body.dict(), workspace)
    checked(form, "goal")
    form.instance.workspace = workspace
    with transaction.atomic():
        saved = add_goal(form.instance, form.new_target)
    return HttpStatus(201, saved)


@router.patch("/workspaces/{slug}/goals/{goal_id}", response=responses(GoalDetailOut))
def update_goal(request, slug: str, body: GoalPatch, goal_id: int = AN_ID):
    """Change a goal's fields (owners and editors; a write token). Its rank moves on the page."""
    workspace = membership(request, slug, WRITE).workspace
    goal = workspace.goals.filter(pk=goal_id).first()  # an archived goal is read-only
    if goal is None:
        raise Http404("No such goal (an archived goal cannot be changed).")
    body.check_as_read(goal, "goal")
    current = model_to_dict(goal, fields=GoalForm.Meta.fields)
    changes = body.dict(exclude_unset=True)
    if unchanged(current, changes):
        return goal
    form = goal_form({**current, **changes}, workspace, goal)
    checked(form, "goal")
    save_goal(form.instance, form.new_target)  # one transaction
    return goal


@router.post(
    "/workspaces/{slug}/goals/{goal_id}/archive", response={**responses(GoalOut), **CONFLICT}
)
def archive(request, slug: str, goal_id: int = AN_ID):
    """Take a goal out of the ranking, the lists and the figures, as its page does; the goals
    below move up, and it keeps its last rank. 409 when it is archived already."""
    goal = any_goal(membership(request, slug, WRITE).workspace, goal_id)
    if not archive_goal(goal):
        raise ApiProblem(409, "Already archived", f"Goal {goal_id} is archived already.")
    return goal


@router.post(
    "/workspaces/{slug}/goals/{goal_id}/restore", response={**responses(GoalOut), **CONFLICT}
)
def restore(request, slug: str, goal_id: int = AN_ID):
    """Bring an archived goal back, at the bottom of the ranking. 409 when it is not archived."""
    goal = any_goal(membership(request, slug, WRITE).workspace, goal_id)
    if not restore_goal(goal):
        raise ApiProblem(409, "Not archived", f"Goal {goal_id} is not archived.")
    return goal


@router.get("/workspaces/{slug}/goals/{goal_id}/clarity", response=responses(ClarityOut))
def goal_clarity(request, slug: str, goal_id: int = AN_ID):
    """How clearly a goal says what changes, how it is measured, for whom, why now and by when,
    as its card on the goals page shows it."""
    workspace = membership(request, slug, INTERNAL).workspace
    goal = any_goal(workspace, goal_id)
    fields = clarity.goal_fields(goal)
    return clarity.as_data(clarity.clarity_of_goal(fields, clarity.glossary_names(workspace)))


class MoveIn(StrictBody):
    direction: Literal["up", "down"] = Field(description="up: one place toward #1.")


@router.post("/workspaces/{slug}/goals/{goal_id}/move", response=responses(list[GoalOut]))
def move(request, slug: str, body: MoveIn, goal_id: int = AN_ID):
    """Move a goal one place up or down the ranking, as the goals page's arrows do; answers the
    whole ranking as it is now. An archived goal has no place to move (404)."""
    workspace = membership(request, slug, WRITE).workspace
    goal = workspace.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal (an archived goal has no place in the ranking).")
    move_goal(goal, -1 if body.direction == "up" else 1)
    return list(workspace.goals.prefetch_related("measurements").order_by("rank", "pk"))


# --- Measurements ---


class MeasurementsOut(Schema):
    """A goal's measurements, oldest first, and its pace judged from them."""

    measurements: list[MeasurementOut]
    pace: PaceOut


class RecordedOut(Schema):
    measurement: MeasurementOut
    pace: PaceOut = Field(description="The goal's pace with this measurement counted.")


class MeasurementIn(StrictBody):
    """A value as the goal card's "Record a measurement" form takes it. A second one for the same
    day (and is_target) replaces the first: a correction, not a second reading."""

    measured_on: date = Field(description="A day that has come; a later one only for a target.")
    value: Number = Field(
        description="In the unit; one that cannot be negative refuses below 0. Within "
        "±1,000,000,000,000, and at most 1,000 in %, as the goal card's form refuses a mistyped "
        "value; true and false are no numbers."
    )
    unit: str = Field("", max_length=20, description='e.g. "%" or "days".')
    is_target: bool = Field(False, description="The value the goal aims for by measured_on.")


def measurements_of(goal: Goal) -> dict:
    return {"measurements": list(goal.measurements.all()), "pace": pace.of_goal(goal).as_dict()}


@router.get("/workspaces/{slug}/goals/{goal_id}/measurements", response=responses(MeasurementsOut))
def list_measurements(request, slug: str, goal_id: int = AN_ID):
    """A goal's measurements and targets, archived goal or not, with its pace."""
    return measurements_of(any_goal(membership(request, slug, INTERNAL).workspace, goal_id))


@router.post(
    "/workspaces/{slug}/goals/{goal_id}/measurements",
    response={**responses(RecordedOut, 201), 200: RecordedOut},
)
def record_measurement(request, slug: str, body: MeasurementIn, goal_id: int = AN_ID):
    """Record a value of the goal's metric, or its target, as its card on the goals page does
    (owners and editors; a write token): 201, or 200 when it replaced that day's value."""
    workspace = membership(request, slug, WRITE).workspace
    goal = workspace.goals.filter(pk=goal_id).first()  # as on the page: not an archived goal
    if goal is None:
        raise Http404("No such goal (an archived goal takes no measurement).")
    form = GoalMeasurementForm(data=form_data(body.dict()), goal=goal)
    checked(form, "measurement")
    replaces = goal.measurements.filter(
        measured_on=body.measured_on, is_target=body.is_target
    ).exists()
    saved = form.save()
    answer = {"measurement": saved, "pace": pace.of_goal(goal).as_dict()}
    return HttpStatus(200 if replaces else 201, answer)
