"""Work items with their links and history, tracker mappings and link suggestions: read by
everyone in the organisation, linked and decided by owners and editors through work.actions,
as on the work pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus
from pydantic import ConfigDict, PrivateAttr, TypeAdapter, field_validator
from pydantic import ValidationError as PydanticValidationError

from truenorth.analysis.score import band
from truenorth.api.auth import ApiProblem
from truenorth.api.core import (
    CONFLICT,
    AnId,
    Pages,
    Problem,
    each_problem,
    membership,
    responses,
)
from truenorth.api.forms import checked, form_data, refused_items
from truenorth.api.strict import StrictBody
from truenorth.ids import MAX_ID
from truenorth.tabular import AmbiguousDate, ImportFailed, RowError, parse_date, unknown
from truenorth.work import actions
from truenorth.work.forms import DecideForm, LinkForm, MappingForm
from truenorth.work.imports import ImportResult, clean_rows, kept_team_note, save_work_items
from truenorth.work.models import (
    LinkSuggestion,
    Source,
    TrackerMapping,
    WorkItem,
    WorkItemChange,
)
from truenorth.work.traceability import (
    ORPHAN_WORK,
    SUPPORTS_A_GOAL,
    cached_orphan_summary,
    supports_a_goal,
    words_in_common,
)
from truenorth.work.trackers import RawRow
from truenorth.work.views import TO_AN_ACTIVE_TARGET
from truenorth.workspaces.access import INTERNAL, WRITE
from truenorth.workspaces.models import Team

router = Router(tags=["work"])

# A path id: a number beyond what the database stores is a 400, never a crash.
Id = Path(..., ge=1, le=MAX_ID)
PENDING = LinkSuggestion.Decision.PENDING


def found(queryset, pk: int):
    return get_object_or_404(queryset, pk=pk)


def in_range(pk: int) -> int:
    """An id to filter by: one no row can have matches nothing rather than crash the query."""
    return pk if 0 < pk <= MAX_ID else 0


class Ref(Schema):
    """A goal, initiative or team, by id and name."""

    id: int
    title: str


def ref(target) -> dict | None:
    if target is None:
        return None
    return {"id": target.pk, "title": getattr(target, "title", None) or target.name}


# --- Work items ---


class WorkItemOut(Schema):
    id: int
    source: str
    external_key: str
    title: str
    status: str
    points: float | None
    kind: str
    project: str
    parent_key: str
    labels: list[str]
    url: str
    created_on: date | None
    resolved_on: date | None
    due_on: date | None
    team: Ref | None
    initiative: Ref | None
    goal: Ref | None
    supported_goal: Ref | None
    supports_a_goal: bool
    linked_by: str
    updated_at: datetime

    @staticmethod
    def resolve_points(item: WorkItem) -> float | None:
        return float(item.points) if item.points is not None else None

    @staticmethod
    def resolve_labels(item: WorkItem) -> list[str]:
        return [str(label) for label in item.labels or []]

    @staticmethod
    def resolve_team(item: WorkItem) -> dict | None:
        return ref(item.team)

    @staticmethod
    def resolve_initiative(item: WorkItem) -> dict | None:
        return ref(item.initiative)

    @staticmethod
    def resolve_goal(item: WorkItem) -> dict | None:
        return ref(item.goal)

    @staticmethod
    def resolve_supported_goal(item: WorkItem) -> dict | None:
        return ref(item.supported_goal)

    @staticmethod
    def resolve_supports_a_goal(item: WorkItem) -> bool:
        return item.supports  # annotated: a link to something archived supports no goal


class SuggestionOut(Schema):
    id: int
    item: int
    initiative: Ref | None
    goal: Ref | None
    score: float
    band: str
    words_in_common: list[str] = Field(
        description="The words of the item's title that its target's title and purpose share "
        '(plural and singular as one), as an editor weighs the score: ["invoice"]; [] for a '
        "match of meaning alone."
    )
    decision: Literal["pending", "accepted", "rejected"]
    decided_at: datetime | None

    @staticmethod
    def resolve_item(suggestion: LinkSuggestion) -> int:
        return suggestion.item_id

    @staticmethod
    def resolve_initiative(suggestion: LinkSuggestion) -> dict | None:
        return ref(suggestion.initiative)

    @staticmethod
    def resolve_goal(suggestion: LinkSuggestion) -> dict | None:
        return ref(suggestion.goal)

    @staticmethod
    def resolve_band(suggestion: LinkSuggestion) -> str:
        return band(suggestion.score)

    @staticmethod
    def resolve_words_in_common(suggestion: LinkSuggestion) -> list[str]:
        return words_in_common(suggestion.item.title, suggestion.initiative or suggestion.goal)


class WorkItemDetail(WorkItemOut):
    """One item with the suggestions waiting for an editor's decision."""

    suggestions: list[SuggestionOut]

    @staticmethod
    def resolve_suggestions(item: WorkItem) -> list:
        pending = item.suggestions.filter(decision=PENDING).filter(TO_AN_ACTIVE_TARGET)
        return list(pending.select_related("initiative", "goal").order_by("-score", "pk"))


class WorkItemFilter(Schema):
    status: str | None = None
    source: Source | None = None
    link: Literal["linked", "unlinked"] | None = None
    team: str | None = Field(None, pattern=r"^(none|[0-9]{1,30})$", description="An id, or none.")
    initiative: int | None = None
    goal: int | None = None
    updated_since: datetime | None = Field(
        None, description="Only what changed at or after this time (ISO 8601)."
    )


def items_of(workspace):
    return workspace.work_items.select_related("initiative__goal", "goal", "team").annotate(
        supports=supports_a_goal()
    )


@router.get("/workspaces/{slug}/work_items", response=responses(list[WorkItemOut]))
@paginate(Pages)
def list_work_items(request, slug: str, filters: Query[WorkItemFilter]):
    """The work items by tracker and key. `link=unlinked` gives the orphan work the orphan page
    counts: it supports no goal and was not closed as decided against (Won't Do, Cancelled…);
    `team=none` the items of no team; `goal` the items serving a goal, directly or through an
    initiative."""
    items = items_of(membership(request, slug, INTERNAL).workspace)
    if filters.status is not None:
        items = items.filter(status=filters.status)
    if filters.source is not None:
        items = items.filter(source=filters.source)
    if filters.link is not None:
        items = items.filter(SUPPORTS_A_GOAL if filters.link == "linked" else ORPHAN_WORK)
    if filters.team == "none":
        items = items.filter(team__isnull=True)
    elif filters.team is not None:
        items = items.filter(team_id=in_range(int(filters.team)))
    if filters.initiative is not None:
        items = items.filter(initiative_id=in_range(filters.initiative))
    if filters.goal is not None:
        goal = in_range(filters.goal)
        items = items.filter(Q(goal_id=goal) | Q(goal__isnull=True, initiative__goal_id=goal))
    if filters.updated_since:
        items = items.filter(updated_at__gte=filters.updated_since)
    return items.order_by("source", "key_order", "pk")  # BLK-9 before BLK-10


@router.get("/workspaces/{slug}/work_items/{item_id}", response=responses(WorkItemDetail))
def get_work_item(request, slug: str, item_id: int = Id):
    return found(items_of(membership(request, slug, INTERNAL).workspace), item_id)


class ChangeOut(Schema):
    id: int
    field: str
    old_value: str
    new_value: str
    changed_at: datetime


@router.get("/workspaces/{slug}/work_items/{item_id}/history", response=responses(list[ChangeOut]))
@paginate(Pages)
def work_item_history(request, slug: str, item_id: int = Id):
    """The changes seen on re-import (status, points, dates), oldest first."""
    item = found(membership(request, slug, INTERNAL).workspace.work_items, item_id)
    return WorkItemChange.objects.filter(item=item).order_by("changed_at", "pk")


class LinkIn(StrictBody):
    """What the item serves: an initiative, a goal, or (both null) nothing."""

    initiative: int | None = None
    goal: int | None = None


@router.patch("/workspaces/{slug}/work_items/{item_id}/link", response=responses(WorkItemDetail))
def link_work_item(request, slug: str, body: LinkIn, item_id: int = Id):
    """Link an item by hand, as the work list's link form does; mappings leave it alone after."""
    workspace = membership(request, slug, WRITE).workspace
    item = found(workspace.work_items, item_id)
    if body.initiative is not None and body.goal is not None:
        raise ApiProblem(400, "Invalid link", "Give an initiative or a goal, not both.", "goal")
    kind = "initiative" if body.initiative is not None else "goal" if body.goal is not None else ""
    target = f"{kind}:{body.initiative if kind == 'initiative' else body.goal}" if kind else ""
    form = LinkForm({"target": target}, workspace=workspace)
    if not form.is_valid():
        detail = f"No {kind} {target.partition(':')[2]} in this workspace."
        raise ApiProblem(400, "Invalid link", detail, kind)
    actions.link_work_item(item, form.cleaned_data["target"])  # one transaction
    return found(items_of(workspace), item.pk)


# --- Tracker mappings ---


class MappingOut(Schema):
    id: int
    source: str
    field: str
    value: str
    initiative: Ref | None
    goal: Ref | None

    @staticmethod
    def resolve_initiative(mapping) -> dict | None:
        return ref(mapping.initiative)

    @staticmethod
    def resolve_goal(mapping) -> dict | None:
        return ref(mapping.goal)


@router.get("/workspaces/{slug}/tracker_mappings", response=responses(list[MappingOut]))
@paginate(Pages)
def list_tracker_mappings(request, slug: str):
    """Each tracker field value (epic/parent, label, project) and the initiative or goal every
    item carrying it serves."""
    workspace = membership(request, slug, INTERNAL).workspace
    mappings = workspace.tracker_mappings.select_related("initiative", "goal")
    return mappings.order_by("field", "value", "source", "pk")


class MappingIn(StrictBody):
    field: Literal[tuple(TrackerMapping.Field.values)] = Field(  # type: ignore[valid-type]
        description="The tracker field: parent (epic / parent), label, or project (or repository)."
    )
    value: str = Field(..., min_length=1, max_length=200, description="As the tracker writes it.")
    source: Literal[tuple(["", *Source.values])] = Field(  # type: ignore[valid-type]
        "", description="One tracker's items only; empty: any tracker's."
    )
    target: str = Field(
        ...,
        pattern=r"^(initiative|goal):[0-9]{1,12}$",
        description="What every item carrying it serves: initiative:<id> or goal:<id>.",
    )


class MappingAdded(MappingOut):
    linked: int = Field(description="Items it linked now.")


class MappingDeleted(Schema):
    unlinked: int = Field(description="Items it had linked, now linked to nothing.")
    linked: int = Field(description="Items another mapping now links instead.")


@router.post("/workspaces/{slug}/tracker_mappings", response=responses(MappingAdded, 201))
def add_tracker_mapping(request, slug: str, body: MappingIn):
    """Map a tracker field value to an initiative or a goal, as the mappings page does (owners
    and editors; a write token): the items carrying it are linked now, and every item imported
    or sent later follows it. A value mapped already for that tracker is a 400."""
    workspace = membership(request, slug, WRITE).workspace
    data = checked(MappingForm(form_data(body.dict()), workspace=workspace), "mapping")
    mapping, applied = actions.add_mapping(
        workspace, data["field"], data["value"], data["target"], data["source"]
    )
    mapping.linked = applied.linked  # read by MappingAdded beside the mapping's own fields
    return HttpStatus(201, mapping)


@router.delete(
    "/workspaces/{slug}/tracker_mappings/{mapping_id}", response=responses(MappingDeleted)
)
def delete_tracker_mapping(request, slug: str, mapping_id: int = Path(..., ge=1, le=MAX_ID)):
    """Delete a mapping: the items it linked are unlinked, unless another mapping matches them
    (owners and editors; a write token)."""
    workspace = membership(request, slug, WRITE).workspace
    applied = actions.delete_mapping(get_object_or_404(workspace.tracker_mappings, pk=mapping_id))
    return {"unlinked": applied.unlinked, "linked": applied.linked}


# --- Link suggestions ---


class SuggestionFilter(Schema):
    decision: Literal["pending", "accepted", "rejected"] | None = None
    item: int | None = None


def suggestions_of(workspace):
    # A pending suggestion to something archived since is no longer offered (as on the page).
    offered = ~Q(decision=PENDING) | TO_AN_ACTIVE_TARGET
    found = LinkSuggestion.objects.filter(item__workspace=workspace).filter(offered)
    return found.select_related("item", "initiative", "goal")  # words_in_common reads all three


@router.get("/workspaces/{slug}/link_suggestions", response=responses(list[SuggestionOut]))
@paginate(Pages)
def list_link_suggestions(request, slug: str, filters: Query[SuggestionFilter]):
    """What an unlinked item reads like it serves, strongest first; `decision=pending` gives
    those waiting for an editor."""
    suggestions = suggestions_of(membership(request, slug, INTERNAL).workspace)
    if filters.decision is not None:
        suggestions = suggestions.filter(decision=filters.decision)
    if filters.item is not None:
        suggestions = suggestions.filter(item_id=in_range(filters.item))
    return suggestions.order_by("-score", "pk")


DECIDED = {409: Problem}


def decide(request, slug: str, suggestion_id: int, action: str) -> LinkSuggestion:
    workspace = membership(request, slug, WRITE).workspace
    suggestion = found(suggestions_of(workspace), suggestion_id)
    form = DecideForm({"action": action, "ids": [suggestion.pk]}, workspace=workspace)
    if not form.is_valid():
        detail = f"This suggestion was {suggestion.decision} already."
        raise ApiProblem(409, "Already decided", detail)
    chosen = form.chosen().select_related("item", "initiative", "goal")
    if action == "accept":
        actions.accept_suggestions(chosen, by=request.user)
    else:
        actions.reject_suggestions(chosen, by=request.user)
    return found(suggestions_of(workspace), suggestion.pk)


@router.post(
    "/workspaces/{slug}/link_suggestions/{suggestion_id}/accept",
    response={**responses(SuggestionOut), **DECIDED},
)
def accept_suggestion(request, slug: str, suggestion_id: int = Id):
    """Link the item to the suggested initiative or goal; its other pending suggestions go."""
    return decide(request, slug, suggestion_id, "accept")


@router.post(
    "/workspaces/{slug}/link_suggestions/{suggestion_id}/reject",
    response={**responses(SuggestionOut), **DECIDED},
)
def reject_suggestion(request, slug: str, suggestion_id: int = Id):
    """Remember the pair as rejected: it is never suggested again."""
    return decide(request, slug, suggestion_id, "reject")


class OrphansOut(Schema):
    """How much work supports no goal, overall, per team and per month, as the orphan work page
    and its JSON twin give it (docs/traceability.md, "Orphan work")."""

    overall: dict[str, Any]
    teams: list[dict[str, Any]]
    trend: list[Any] = Field(description="[month, share of that month's new work], oldest first.")
    trend_to_date: list[Any] = Field(description="[month, share of all work by its end].")


@router.get("/workspaces/{slug}/orphans", response=responses(OrphansOut))
def orphan_summary(request, slug: str):
    """The share of work items that support no goal (those closed as decided against, such as
    Won't Do, left out); the items behind it are `GET /work_items?link=unlinked`."""
    return cached_orphan_summary(membership(request, slug, INTERNAL).workspace)


DATE = (
    "A date as the file import reads it: 2026-11-20, 21/Nov/26, 21.11.2026…; a time stamp "
    "(2026-11-20T16:05:00Z) gives its date in the workspace's time zone."
)


class WorkItemIn(StrictBody):
    """One item as its tracker has it, the whole record: a field left out is empty. The team
    is one of the workspace's teams, by name (any case). A goal or initiative links the item, as
    those columns of a CSV import do; left out, the item keeps the link it has. A field not
    listed here is a 400 naming it."""

    key: str = Field(..., min_length=1, max_length=100, description="ENG-12, #345, LIN-7…")
    title: str = Field(..., min_length=1)
    status: str = ""
    points: Decimal | None = Field(None, ge=0, le=Decimal("999999.9"))
    kind: str = Field("", description="Story, bug, task…")
    project: str = ""
    parent: str = Field("", description="The epic's or parent issue's key.")
    labels: list[str] = Field(default_factory=list)
    url: str = ""
    created: str | None = Field(None, max_length=100, description=DATE)
    resolved: str | None = Field(None, max_length=100, description=DATE)
    due: str | None = Field(None, max_length=100, description=DATE)
    team: str = Field("", description="One of the workspace's teams, by name; empty for none.")
    goal: AnId | None = Field(None, description="The id of the goal it serves.")
    initiative: AnId | None = Field(None, description="The id of the initiative it serves.")

    # The problems of an item whose shape is wrong, as pydantic words them (see alone()).
    _faults: list[dict] = PrivateAttr(default_factory=list)


MAX_ITEMS = 5000
# Each field's own check, so that an item with one wrong field still has the others checked.
FIELD_CHECKS = {
    name: TypeAdapter(
        Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation,
        config=ConfigDict(allow_inf_nan=False),
    )
    for name, info in WorkItemIn.model_fields.items()
}


def alone(sent: Any) -> WorkItemIn:
    """One item checked on its own: valid, or its fields that are valid with the problems of
    the others (an unknown field, a title that is not text…), so the import's own checks still
    run on what is right and one answer lists every problem of every item."""
    try:
        return WorkItemIn.model_validate(sent)
    except PydanticValidationError as error:
        faults = error.errors(include_url=False)
    if not isinstance(sent, dict):
        item = WorkItemIn.model_construct()
        item._faults = faults
        return item
    faults = [fault for fault in faults if fault["type"] == "unknown_fields"]
    values = {}
    for name, info in WorkItemIn.model_fields.items():
        if name not in sent:
            if info.is_required():
                faults.append({"type": "missing", "loc": (name,), "msg": "Field required"})
            continue
        try:
            values[name] = FIELD_CHECKS[name].validate_python(sent[name])
        except PydanticValidationError as error:
            faults += [
                {**fault, "loc": (name, *fault["loc"])} for fault in error.errors(include_url=False)
            ]
    item = WorkItemIn.model_construct(**values)
    item._faults = faults
    return item


class WorkItemsIn(StrictBody):
    source: Literal["jira", "linear", "github", "csv"] = Field(
        ..., description="The tracker; csv for any other. Items are keyed by source and key."
    )
    items: list[WorkItemIn] = Field(..., min_length=1, max_length=MAX_ITEMS)
    team: str = Field(
        "",
        description="One of the workspace's teams, by name: the team of each item sent with "
        "none that has none yet; an item already in a team keeps it (as the import's “Team for "
        "items the file does not place”).",
    )

    @field_validator("items", mode="wrap")
    @classmethod
    def each_item_alone(cls, items: Any, handler: Any) -> Any:
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
            return handler(items)  # the list's own problem
        return [alone(item) for item in items]


class WorkItemsImported(Schema):
    created: int
    updated: int = Field(description="Items already here that this changed.")
    unchanged: int = Field(description="Items already here, sent as they were.")
    changes: int = Field(description="Changes of status, points or dates recorded.")
    mapped: int = Field(description="Items linked by the workspace's tracker mappings.")
    unlinked: int = Field(
        description="Items a mapping had linked that no mapping matches now (their epic, label "
        "or project changed), linked to nothing."
    )
    emptied: dict[str, list[str]] = Field(
        description="Each item already here whose record, as sent, empties fields it had (left "
        'out or sent empty): its key and those fields, e.g. {"INT-2002": ["team", "created"]}.'
    )
    kept_team: int = Field(
        description="Items sent with no team that kept the team they were in, another than the "
        "body's `team`: it goes only to items with none."
    )
    kept_team_note: str = Field(
        description="Those items in a sentence, as a file import's report says them: "
        "\"1 item kept the team it was in (…): it was sent with no team, and the body's team "
        'goes only to items with none."; "" for none.'
    )

    @staticmethod
    def resolve_kept_team_note(result: ImportResult) -> str:
        return kept_team_note(result.kept_team, sent=True)


LINKS = ("goal", "initiative")
DAYS = ("created", "resolved", "due")


def tracker_row(number: int, item: WorkItemIn, zone: ZoneInfo) -> tuple[RawRow, list[str]]:
    """The item as a tracker export's row (text fields, so it is checked as one is), and the
    problems of its dates that only a body has."""
    sent = {name: getattr(item, name, "") for name in WorkItemIn.model_fields}
    fields: dict[str, Any] = {
        name: "" if value is None else str(value)
        for name, value in sent.items()
        if name not in ("labels", *LINKS)
    }
    problems = []
    for name in DAYS:
        fields[name], why = local_day(fields[name].strip(), zone)
        if why:
            problems.append(f"{name} {why}")
    fields["labels"] = sent["labels"] or []
    return RawRow(0, f"items[{number}]", fields), problems


def local_day(text: str, zone: ZoneInfo) -> tuple[str, str]:
    """A time stamp with its zone as the date it is in the workspace's time zone; any other
    text as it is (the import reads it as a file's date). A slashed date that could be two
    days is refused here, where no other date tells which: a body is no file, and its other
    items' dates are not read to guess it (the text is then "", with why)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            parse_date(text)
        except AmbiguousDate as error:
            could_be = error.why.removesuffix(f", {unknown('')}")
            return "", f"{text!r} {could_be}: send it as YYYY-MM-DD"
        except ValueError:
            pass  # the import says what is wrong with it
        return text, ""
    if moment.tzinfo is None:
        return text, ""
    return moment.astimezone(zone).date().isoformat(), ""


@router.post("/workspaces/{slug}/work_items", response={**responses(WorkItemsImported), **CONFLICT})
def import_items(request, slug: str, body: WorkItemsIn):
    """Create or update work items from a tracker, as importing its export does: keyed by
    (source, key), each change of status, points or dates kept in the item's history, and each
    new or changed item linked as the tracker mappings say, or to the goal or initiative it names.
    Every item is valid or nothing is saved; a 400 lists every problem of every refused item in
    `errors`, and names any field not listed (owners and editors; a write token). The answer
    names the fields each item already here had and the record sent empties (`emptied`). The
    body's `team` goes to the items sent with none that have none yet: one already in a team
    keeps it, counted in `kept_team` and said in `kept_team_note`, as a file import says it."""
    workspace = membership(request, slug, WRITE).workspace
    zone = ZoneInfo(workspace.time_zone)
    team = chosen_team(workspace, body.team)
    problems: list[RowError] = []
    rows, at_fault = [], []
    for number, item in enumerate(body.items):
        row, dates = tracker_row(number, item, zone)
        rows.append(row)
        said = [each_problem(fault) for fault in item._faults]
        at_fault.append({str(fault["loc"][0]) for fault in item._faults if fault.get("loc")})
        problems += [RowError(0, one["message"], row.where) for one in said]
        problems += [RowError(0, why, row.where) for why in dates]
    problems += unknown_links(workspace, body.items)
    try:  # generic: a team no team of the workspace has is refused, as the Other CSV's is
        items = clean_rows(workspace, rows, generic=True, team=team)
    except ImportFailed as failure:
        problems += [error for error in failure.errors if not of_a_fault(error, at_fault)]
    if problems:
        problems.sort(key=lambda error: int(error.where.strip("items[]")))  # item by item
        raise refused_items(ImportFailed(problems))
    for (_key, values), sent in zip(items, body.items, strict=True):
        values.update({f"{kind}_id": getattr(sent, kind) for kind in LINKS if getattr(sent, kind)})
    try:
        result = save_work_items(workspace, body.source, items)
    except IntegrityError:  # another request added some of these keys meanwhile
        raise ApiProblem(409, "Sent twice at once", "Send the items again.") from None
    return result


def chosen_team(workspace, name: str) -> Team | None:
    """The body's `team`, one of the workspace's by name in any case (None where it names none):
    the import gives it to the items sent with no team that have none yet, as a file import
    gives the team chosen for it (work.imports.settle_team)."""
    if not name.strip():
        return None
    team = workspace.teams.filter(name__iexact=name.strip()).first()
    if team is None:
        teams = ", ".join(workspace.teams.values_list("name", flat=True)) or "none yet"
        detail = f"No team is called {name!r} in this workspace; teams: {teams}."
        raise ApiProblem(400, "No such team", detail, field="team")
    return team


def of_a_fault(error: RowError, at_fault: list[set[str]]) -> bool:
    """Whether the import's problem is about a field already refused for its shape (a title
    that is not text reads as an empty one): said once is enough."""
    return error.message.split(" ", 1)[0] in at_fault[int(error.where.strip("items[]"))]


def unknown_links(workspace, items: list[WorkItemIn]) -> list[RowError]:
    """A goal or initiative sent that the workspace has not (or has archived), for each item."""
    active = {
        "goal": set(workspace.goals.values_list("pk", flat=True)),
        "initiative": set(workspace.initiatives.values_list("pk", flat=True)),
    }
    return [
        RowError(0, f"no active {kind} {linked} in this workspace", f"items[{number}]")
        for number, item in enumerate(items)
        for kind in LINKS
        if (linked := getattr(item, kind, None)) is not None and linked not in active[kind]
    ]
