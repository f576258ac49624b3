"""Updates, as their pages show them: the list to everyone (partners see only published updates
and only their own version of each), one update's facts and sendings inside the organisation,
and each audience's version. Drafts are for those who write them (owners and editors)."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from truenorth.api.core import Pages, membership, responses
from truenorth.ids import MAX_ID
from truenorth.updates import audiences
from truenorth.updates.models import Audience, Update
from truenorth.updates.views import audiences_for, get_update, get_version, state_details, visible
from truenorth.workspaces.access import INTERNAL, PARTNER_VISIBLE

router = Router(tags=["updates"])

AudienceName = Literal[tuple(Audience.values)]  # type: ignore[valid-type]


class UpdateFields(Schema):
    number: int
    title: str
    period_start: date
    period_end: date
    published: bool
    published_at: datetime | None
    # The audiences whose version the caller may read (partners: "partners").
    versions: list[str]


class UpdateOut(UpdateFields):
    @staticmethod
    def resolve_published(update: Update) -> bool:
        return update.is_published

    @staticmethod
    def resolve_versions(update: Update, context) -> list[str]:
        return [str(a) for a in audiences_for(context["request"].membership)]


class UpdateDetail(UpdateFields):
    """An update as its page shows it: a draft's texts and the problems that hold up its
    publishing; a published one's sendings and who heard of a change too late."""

    gathered_at: datetime | None
    narrative: str | None = None
    partner_note: str | None = None
    problems: list[str] | None = None
    jargon: dict[str, Any] | None = None
    sendings: list[dict[str, Any]] | None = None
    heard_late: dict[str, Any] | None = None


class UpdateFilter(Schema):
    published: bool | None = None


class LineOut(Schema):
    text: str
    note: str
    link: str
    initiative: int | None
    status: str


class SectionOut(Schema):
    heading: str
    lines: list[LineOut]
    empty: str


class VersionOut(Schema):
    update: int
    published: bool
    audience: str
    audience_label: str
    title: str
    intro: str
    sections: list[SectionOut]


def opened(request, slug: str, need: str):
    found = membership(request, slug, need)
    request.membership = found
    return found


@router.get("/workspaces/{slug}/updates", response=responses(list[UpdateOut]))
@paginate(Pages)
def list_updates(request, slug: str, filters: Query[UpdateFilter]):
    """Updates, newest first: published ones, and drafts for owners and editors."""
    updates = visible(opened(request, slug, PARTNER_VISIBLE))
    if filters.published is not None:
        updates = updates.filter(published_at__isnull=not filters.published)
    return updates.order_by("-number")


@router.get("/workspaces/{slug}/updates/{number}", response=responses(UpdateDetail))
def get_one_update(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    found = opened(request, slug, INTERNAL)
    update = get_update(found, number)
    data: dict[str, Any] = {
        "number": update.number,
        "title": update.title,
        "period_start": update.period_start,
        "period_end": update.period_end,
        "published": update.is_published,
        "published_at": update.published_at,
        "versions": [str(a) for a in audiences_for(found)],
        "gathered_at": update.gathered_at,
    }
    return {**data, **state_details(update)}


@router.get(
    "/workspaces/{slug}/updates/{number}/versions/{audience}", response=responses(VersionOut)
)
def get_update_version(
    request,
    slug: str,
    audience: AudienceName,  # type: ignore[valid-type]
    number: int = Path(..., ge=1, le=MAX_ID),
):
    """One audience's version (partners: only the partners' version of a published update)."""
    update, found = get_version(opened(request, slug, PARTNER_VISIBLE), number, audience)
    return {"update": update.number, "published": update.is_published, **audiences.as_json(found)}
