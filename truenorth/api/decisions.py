"""Decision records, as the decision log and a decision's page show them: everything inside the
organisation; for partners only the records shared with them, without people's names, comments,
goals or initiatives (the fields a partner's page leaves out are null here)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.core import CONFLICT, Pages, membership, responses
from truenorth.decisions import actions
from truenorth.decisions.export import with_links
from truenorth.decisions.models import Decision, Status
from truenorth.decisions.views import comment_context, comment_fields, speed_twin, visible
from truenorth.ids import MAX_ID
from truenorth.workspaces.access import INTERNAL, PARTNER_VISIBLE, WRITE

router = Router(tags=["decisions"])

StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]


def for_partner(context) -> bool:
    return not context["request"].membership.can_read_internal


class Linked(Schema):
    id: int
    title: str


class DecisionOut(Schema):
    number: int
    title: str
    status: str
    question: str
    context: str
    kind: str
    options: list[Any]
    outcome: str
    rationale: str
    consequences: str
    raised_on: date
    decided_on: date | None
    closed_on: date | None
    reversed_because: str
    updated_at: datetime
    # The earlier decision this one replaces, and the later ones replacing it, by number: for
    # partners only those shared with them, as on the page.
    supersedes: int | None
    superseded_by: list[int]
    shared_with_partners: bool
    # Inside the organisation only; null for partners.
    owner: str | None
    deciders: list[str] | None
    consulted: list[str] | None
    informed: list[str] | None
    goals: list[Linked] | None
    initiatives: list[Linked] | None
    blocks: list[Linked] | None

    @staticmethod
    def resolve_kind(decision: Decision) -> str:
        return decision.category

    @staticmethod
    def resolve_supersedes(decision: Decision, context) -> int | None:
        earlier = decision.supersedes
        if earlier is None or (for_partner(context) and not earlier.shared_with_partners):
            return None
        return earlier.number

    @staticmethod
    def resolve_superseded_by(decision: Decision, context) -> list[int]:
        later = decision.superseded_by.all()
        partner = for_partner(context)
        return [d.number for d in later if d.shared_with_partners or not partner]

    @staticmethod
    def resolve_owner(decision: Decision, context) -> str | None:
        if for_partner(context) or decision.owner is None:
            return None
        return decision.owner.name

    @staticmethod
    def resolve_deciders(decision: Decision, context) -> list[str] | None:
        return None if for_partner(context) else [p.name for p in decision.deciders.all()]

    @staticmethod
    def resolve_consulted(decision: Decision, context) -> list[str] | None:
        return None if for_partner(context) else [p.name for p in decision.consulted.all()]

    @staticmethod
    def resolve_informed(decision: Decision, context) -> list[str] | None:
        return None if for_partner(context) else [p.name for p in decision.informed.all()]

    @staticmethod
    def resolve_goals(decision: Decision, context) -> list[dict] | None:
        return None if for_partner(context) else linked(decision.goals.all())

    @staticmethod
    def resolve_initiatives(decision: Decision, context) -> list[dict] | None:
        return None if for_partner(context) else linked(decision.initiatives.all())

    @staticmethod
    def resolve_blocks(decision: Decision, context) -> list[dict] | None:
        return None if for_partner(context) else linked(decision.blocks.all())


def linked(rows) -> list[dict]:
    return [{"id": row.pk, "title": row.title} for row in rows]


class CommentOut(Schema):
    id: int
    author: str
    text: str
    kind: str
    kind_by: str
    kind_confidence: float | None
    disagree_and_commit: bool
    created_at: datetime


class DecisionDetail(DecisionOut):
    """A record with its comments (inside the organisation only; null for partners)."""

    comments: list[CommentOut] | None

    @staticmethod
    def resolve_comments(decision: Decision, context) -> list[dict] | None:
        if for_partner(context):
            return None
        return [comment_fields(c) for c in comment_context(decision)["comments"]]


class DecisionFilter(Schema):
    status: StatusName | None = None  # type: ignore[valid-type]
    owner: int | None = None  # a person's id
    updated_since: datetime | None = None


def opened(request, slug: str):
    """The caller's membership, kept on the request for the schema's resolvers."""
    found = membership(request, slug, PARTNER_VISIBLE)
    request.membership = found
    return found


@router.get("/workspaces/{slug}/decisions", response=responses(list[DecisionOut]))
@paginate(Pages)
def list_decisions(request, slug: str, filters: Query[DecisionFilter]):
    """The decision log, newest first (partners: the records shared with them)."""
    decisions = visible(opened(request, slug))
    if filters.status:
        decisions = decisions.filter(status=filters.status)
    if filters.owner is not None:
        decisions = decisions.filter(owner_id=filters.owner if 0 < filters.owner <= MAX_ID else 0)
    if filters.updated_since:
        decisions = decisions.filter(updated_at__gte=filters.updated_since)
    return with_links(decisions).order_by("-number")


@router.get("/workspaces/{slug}/decisions/{number}", response=responses(DecisionDetail))
def get_decision(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    decision = with_links(visible(opened(request, slug))).filter(number=number).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


@router.delete(
    "/workspaces/{slug}/decisions/{number}", response={**responses(None, 204), **CONFLICT}
)
def delete_decision(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    """Delete a proposal recorded by mistake, as its edit page does (owners and editors; a write
    token). What the log keeps (decided, commented on, superseding another, on a ritual's
    record) answers 409 with the reason."""
    decision = membership(request, slug, WRITE).workspace.decisions.filter(number=number).first()
    if decision is None:
        raise Http404("No such decision.")
    try:
        actions.delete_decision(decision)
    except actions.NotAllowed as refused:
        raise ApiProblem(409, "Kept in the log", str(refused)) from None
    return HttpStatus(204, None)


class SpeedOut(Schema):
    """How long decisions take and which are waiting, as the decision speed page shows them."""

    median_days: float | None
    decided: int
    recent_median_days: float | None
    recent_count: int
    window_days: int
    by: dict[str, list[dict[str, Any]]] = Field(description="Medians per kind, owner and team.")
    open: list[dict[str, Any]] = Field(description="Open decisions, longest waiting first.")
    trend: list[dict[str, Any]]


@router.get("/workspaces/{slug}/decision_speed", response=responses(SpeedOut))
def decision_speed(request, slug: str):
    """Days from raised to decided (median, recent, per kind, owner and team, by month) and the
    decisions still open, as the decision speed page and its JSON twin give them."""
    return speed_twin(membership(request, slug, INTERNAL))
