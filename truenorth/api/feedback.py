"""Customer feedback and its themes, inside the organisation, as the feedback pages show them
(partners: 403, as on the pages)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from truenorth.api.core import Pages, membership, responses
from truenorth.feedback.models import FeedbackItem, Kind, Source
from truenorth.feedback.themes import theme_figures
from truenorth.ids import MAX_ID
from truenorth.workspaces.access import INTERNAL

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
    heard_by: str | None
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
    updated_since: datetime | None = Field(
        None, description="Only what changed at or after this time (ISO 8601)."
    )


class ThemesOut(Schema):
    items: int
    accounts: int
    value: float
    months: list[str]
    themes: list[dict[str, Any]]
    market: dict[str, Any]  # the demand nothing on the roadmap addresses
    values: dict[str, Any] | None  # the kinds of value of the vision, the goals and the needs


@router.get("/workspaces/{slug}/feedback", response=responses(list[FeedbackOut]))
@paginate(Pages)
def list_feedback(request, slug: str, filters: Query[FeedbackFilter]):
    """The feedback, newest heard first."""
    items = membership(request, slug, INTERNAL).workspace.feedback.select_related("heard_by")
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


@router.get("/workspaces/{slug}/themes", response=responses(ThemesOut))
def get_themes(request, slug: str):
    """The feedback's themes, the most accounts first, as the themes page shows them."""
    return theme_figures(membership(request, slug, INTERNAL).workspace)
