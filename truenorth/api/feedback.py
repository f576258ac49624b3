"""Customer feedback and its themes, inside the organisation, as the feedback pages show them
(partners: 403, as on the pages); sent from a source, corrected and deleted by owners and
editors as an import and the item's edit page do."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import IntegrityError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from truenorth.api.auth import ApiProblem
from truenorth.api.core import CONFLICT, NOT_A_BOOLEAN, AnId, Pages, membership, responses
from truenorth.api.forms import checked, form_data, refused_items
from truenorth.api.strict import StrictBody, unchanged
from truenorth.feedback.actions import (
    confirm_goal_value,
    confirm_value,
    decide_theme,
    delete_item,
    save_item,
)
from truenorth.feedback.formats import Row
from truenorth.feedback.forms import FeedbackForm, FilterForm
from truenorth.feedback.imports import (
    MAX_VALUE,
    ImportFailed,
    clean_rows,
    parse_value,
    save_items,
)
from truenorth.feedback.models import FeedbackItem, Kind, Source, Value
from truenorth.feedback.tasks import refresh_themes
from truenorth.feedback.theme_views import MAX_ITEMS, chosen_target
from truenorth.feedback.themes import theme_figures
from truenorth.feedback.views import matches_of
from truenorth.ids import MAX_ID
from truenorth.workspaces import workers
from truenorth.workspaces.access import INTERNAL, WRITE
from truenorth.workspaces.background import DONE, QUEUED, outcome

router = Router(tags=["feedback"])


class FeedbackOut(Schema):
    id: int
    source: Source
    source_key: str
    kind: Kind
    title: str
    text: str
    account: str
    segment: str
    account_value: Decimal | None
    received_on: date
    heard_by: str | None = Field(description="Who heard it, by name; heard_by_id by id.")
    heard_by_id: int | None
    competitor: str
    rating: int | None
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_heard_by(item: FeedbackItem) -> str | None:
        return item.heard_by.name if item.heard_by_id else None


class FeedbackFilter(Schema):
    source: Source | None = None
    kind: Kind | None = None
    segment: str | None = Field(None, max_length=100, description="The whole name, any case.")
    account: str | None = Field(None, max_length=200, description="A part of the name.")
    since: date | None = Field(None, description="Heard on or after this day.")
    until: date | None = Field(None, description="Heard on or before this day.")
    theme: int | None = Field(
        None, ge=1, le=1_000_000, description="The items of this theme (its number in /themes)."
    )
    updated_since: datetime | None = Field(
        None, description="Only what changed at or after this time (ISO 8601)."
    )


class ThemesOut(Schema):
    items: int
    accounts: int
    value: float
    months: list[str]
    themes: list[dict[str, Any]]
    in_no_theme: list[int]  # the ids of the items no theme holds
    praise: int  # items of praise: in no theme, and not counted as asks
    market: dict[str, Any]  # the demand nothing on the roadmap addresses
    values: dict[str, Any] | None  # the kinds of value of the vision, the goals and the needs


@router.get("/workspaces/{slug}/feedback", response=responses(list[FeedbackOut]))
@paginate(Pages)
def list_feedback(request, slug: str, filters: Query[FeedbackFilter]):
    """The feedback, newest heard first. Filters the list page refuses (a range that ends
    before it starts, a NUL) are refused here too, with its words."""
    workspace = membership(request, slug, INTERNAL).workspace
    items = workspace.feedback.select_related("heard_by")
    form = FilterForm(form_data(filters.dict(exclude={"updated_since"})), workspace=workspace)
    checked(form, "filter")
    if form.chosen_theme:
        items = items.filter(pk__in=form.chosen_theme["members"])
    wanted = {
        "source": filters.source,
        "kind": filters.kind,
        "segment__iexact": filters.segment,
        "account__icontains": filters.account,
        "received_on__gte": filters.since,
        "received_on__lte": filters.until,
        "updated_at__gte": filters.updated_since,
    }
    items = items.filter(**{name: value for name, value in wanted.items() if value})
    return items.order_by("-received_on", "-pk")


@router.get("/workspaces/{slug}/feedback/{item_id}", response=responses(FeedbackOut))
def get_feedback(request, slug: str, item_id: int = Path(..., ge=1, le=MAX_ID)):
    workspace = membership(request, slug, INTERNAL).workspace
    return get_object_or_404(workspace.feedback.select_related("heard_by"), pk=item_id)


class TargetOut(Schema):
    kind: Literal["initiative", "goal"]
    id: int
    key: str = Field(description="An initiative's key (RM-07), a goal's rank (Goal 2).")
    title: str
    status: str = Field(description="An initiative's status; blank for a goal.")


class AddressingOut(TargetOut):
    accepted: bool = Field(description="true: linked by an editor; false: the model suggests it.")


class ItemRoadmapOut(Schema):
    addressed_by: list[AddressingOut]
    not_addressed_by: list[TargetOut] = Field(description="What an editor unlinked.")
    nearest: list[TargetOut] = Field(description="Not linked, nearest to the item's words.")
    others: list[TargetOut] = Field(description="Not linked, the rest.")


@router.get("/workspaces/{slug}/feedback/{item_id}/roadmap", response=responses(ItemRoadmapOut))
def get_item_roadmap(request, slug: str, item_id: int = Path(..., ge=1, le=MAX_ID)):
    """What addresses the item, as its page shows it: linked by an editor or suggested by the
    model, what an editor unlinked, and the rest to link it to. Link or unlink it with POST
    /workspaces/{slug}/themes/matches and `items` holding its id alone."""
    workspace = membership(request, slug, INTERNAL).workspace
    return matches_of(workspace, one_item(workspace, item_id))


@router.get("/workspaces/{slug}/themes", response=responses(ThemesOut))
def get_themes(request, slug: str):
    """The feedback's themes, the most accounts first, as the themes page shows them."""
    return theme_figures(membership(request, slug, INTERNAL).workspace)


def amount(value):
    """An account value sent as text is read as an import reads a cell ("95.000" is a German
    95,000, "95,50" is 95.50); a JSON number is taken as it is."""
    if not isinstance(value, str):
        return value
    try:
        return parse_value(value)
    except ValueError as error:
        raise PydanticCustomError("account_value", "{reason}", {"reason": str(error)}) from None


Amount = Annotated[Decimal, BeforeValidator(amount)]
AMOUNT = (
    'A yearly value: a number, or text read as an import reads a cell ("95.000" and '
    '"95,000" are 95000; "95,50" is 95.50; separators that could be read two ways are '
    "refused)."
)


class ItemIn(StrictBody):
    """One item as an export's row gives it. A field left out is left as it is on an item
    already here (an editor's own kind or segment stays); null clears it."""

    key: str = Field(..., min_length=1, max_length=200, description="The item's id in its source.")
    text: str = Field(..., min_length=1, description="The customer's words.")
    received_on: date
    title: str | None = Field(None, max_length=300)
    kind: Kind | None = Field(None, description="Required for field notes.")
    account: str | None = Field(None, max_length=200)
    segment: str | None = Field(None, max_length=100)
    account_value: Amount | None = Field(None, ge=0, le=MAX_VALUE, description=AMOUNT)
    heard_by: str | None = Field(None, description="A person of the workspace: email or name.")
    competitor: str | None = Field(None, max_length=200)
    rating: Annotated[int, Field(ge=1, le=5), NOT_A_BOOLEAN] | None = Field(
        None, description="An app review's stars."
    )
    url: str | None = Field(None, max_length=500)


class FeedbackIn(StrictBody):
    source: Source
    items: list[ItemIn] = Field(..., min_length=1, max_length=5000)


class FeedbackImported(Schema):
    created: int
    updated: int = Field(description="Items already here whose values changed.")
    unchanged: int
    themes: str = Field(
        description="Whether the feedback was grouped into themes again, or queued."
    )


def as_row(number: int, item: ItemIn) -> Row:
    """The item as an import's row: text fields, so it is checked as a file's row is."""
    sent = item.dict(exclude_unset=True)
    fields = {name: "" if value is None else str(value) for name, value in sent.items()}
    if item.account_value is not None:  # 95.000 is 95: "95.00", not "95.000" (thousands)
        fields["account_value"] = f"{item.account_value:.2f}"
    fields["date"] = fields.pop("received_on")
    return Row(0, f"items[{number}]", fields)


@router.post("/workspaces/{slug}/feedback", response={**responses(FeedbackImported), **CONFLICT})
def import_items(request, slug: str, body: FeedbackIn):
    """Create or update feedback from a support desk, a review feed or a script, as importing
    its export does: keyed by (source, key), so sending an item again updates it. Every item is
    valid or nothing is saved; a 400 lists each refused item in `errors`. The themes are then
    grouped again (or queued for the worker), as after an import (owners and editors; a write
    token)."""
    workspace = membership(request, slug, WRITE).workspace
    rows = [as_row(number, item) for number, item in enumerate(body.items)]
    try:
        today = timezone.localdate()  # the workspace's, as on the field note's page
        cleaned = clean_rows(workspace, rows, body.source == Source.FIELD, "", latest=today)
        result = save_items(workspace, str(body.source), cleaned.items, request.auth.user)
    except ImportFailed as failure:
        raise refused_items(failure) from None
    except IntegrityError:  # another request added some of these keys meanwhile
        raise ApiProblem(409, "Sent twice at once", "Send the items again.") from None
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "themes": themes_after(workspace),
    }


def themes_after(workspace) -> str:
    state, found = outcome(refresh_themes.enqueue(workspace.pk))
    if state == DONE and "error" in found:
        return f"Not grouped now: {found['error']}"
    if state == DONE:
        return f"Grouped {found['items']} items into {found['themes']} themes."
    if state == QUEUED:
        return " ".join(filter(None, ["Queued for the worker.", workers.none_running()]))
    return "Grouping failed; the server's log says why."


class ItemPatch(StrictBody):
    """A correction, as the item's edit page makes it: only the fields sent change. The next
    import of its source's export overwrites each field that export gives. An item as read may
    be sent back: `heard_by_id` is taken as `heard_by`, and `heard_by` as read (a name)
    unchanged only; `id` must be the item's, and what only an import sets as read."""

    read_as = FeedbackOut
    changed_by = {
        name: "only an import of its source's export sets it"
        for name in ("source", "source_key", "title", "rating", "url")
    }
    ids_of = {"heard_by_id": "heard_by"}

    kind: Kind | None = None
    text: str | None = Field(None, min_length=1)
    account: str | None = Field(None, max_length=200)
    segment: str | None = Field(None, max_length=100)
    account_value: Amount | None = Field(None, description=AMOUNT)
    received_on: date | None = None
    heard_by: int | None = Field(None, ge=1, le=MAX_ID, description="A person's id.")
    competitor: str | None = Field(None, max_length=200)


def one_item(workspace, item_id: int) -> FeedbackItem:
    return get_object_or_404(workspace.feedback.select_related("heard_by"), pk=item_id)


@router.patch("/workspaces/{slug}/feedback/{item_id}", response=responses(FeedbackOut))
def correct_item(request, slug: str, body: ItemPatch, item_id: int = Path(..., ge=1, le=MAX_ID)):
    """Correct an item (a misread kind, an account's segment), through the edit page's form;
    the themes are then grouped again (owners and editors; a write token)."""
    workspace = membership(request, slug, WRITE).workspace
    item = one_item(workspace, item_id)
    body.check_as_read(item, "feedback")
    current = model_to_dict(item, fields=FeedbackForm.Meta.fields)
    changes = body.dict(exclude_unset=True)
    if unchanged(current, changes):
        return item
    values = {**current, **changes}
    form = FeedbackForm(data=form_data(values), instance=item, workspace=workspace)
    checked(form, "feedback")
    save_item(form.instance)
    themes_after(workspace)
    return one_item(workspace, item_id)


@router.delete("/workspaces/{slug}/feedback/{item_id}", response=responses(None, 204))
def delete_feedback(request, slug: str, item_id: int = Path(..., ge=1, le=MAX_ID)):
    """Delete an item; the next import of its source's export brings it back."""
    workspace = membership(request, slug, WRITE).workspace
    delete_item(one_item(workspace, item_id))
    themes_after(workspace)
    return HttpStatus(204, None)


ItemIds = Annotated[list[AnId], Field(min_length=1, max_length=MAX_ITEMS)]


class MatchIn(StrictBody):
    items: ItemIds = Field(description="The items' ids: a theme's `members`, or some of them.")
    target: str = Field(
        ...,
        pattern=r"^(initiative|goal)-[0-9]{1,12}$",
        description="What addresses them, as the themes name it: initiative-<id> or goal-<id>.",
    )
    addresses: bool = Field(
        True, description="true: it addresses them (Confirm); false: it does not (Not this)."
    )


class NotedOut(Schema):
    items: int = Field(description="The items of this workspace it was noted for.")


@router.post("/workspaces/{slug}/themes/matches", response=responses(NotedOut))
def match_theme(request, slug: str, body: MatchIn):
    """An editor's word on what addresses a theme's items, as the themes page's Confirm, Not
    this and Link: kept per item, so it outlives the theme, and over the model's own matching
    (owners and editors; a write token). Items of another workspace are left out."""
    workspace = membership(request, slug, WRITE).workspace
    target = chosen_target(workspace, body.target)
    if target is None:
        said = "target: no such initiative (not dropped) or goal in this workspace."
        raise ApiProblem(404, "Not found", said, "target")
    return {"items": decide_theme(workspace, body.items, target, body.addresses, request.user)}


class ValueIn(StrictBody):
    kind: Literal[tuple(Value.values)]  # type: ignore[valid-type]
    items: ItemIds | None = Field(None, description="A theme's items, by id.")
    goal: int | None = Field(None, ge=1, le=MAX_ID, description="Or a goal, by id.")


@router.post("/workspaces/{slug}/themes/value", response=responses(NotedOut))
def confirm_kind_of_value(request, slug: str, body: ValueIn):
    """An editor's word on the kind of value items, or a goal, are about (functional: what it
    lets people do; psychological: how it makes them feel), as the themes page's buttons: over
    the model's guess (owners and editors; a write token). Send `items` or `goal`."""
    workspace = membership(request, slug, WRITE).workspace
    if (body.items is None) == (body.goal is None):
        raise ApiProblem(400, "Invalid request", "Send either items or goal.", "items")
    if body.goal is None:
        return {"items": confirm_value(workspace, body.items, body.kind)}
    goal = get_object_or_404(workspace.goals, pk=body.goal)
    confirm_goal_value(goal, body.kind)
    return {"items": 0}
