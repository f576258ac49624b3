"""Rituals, inside the organisation, as their pages show them: the list with each ritual's
health, one ritual with its recent and coming sessions, and one session's agenda (the items only
check-in results readers see are left out for the others, as on the page)."""

from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from truenorth.api.core import Pages, membership, responses
from truenorth.ids import MAX_ID
from truenorth.rituals import actions, recurrence
from truenorth.rituals.models import Ritual
from truenorth.rituals.views import GOOD, get_ritual, occurrence_data, ritual_data, summary
from truenorth.workspaces.access import INTERNAL

router = Router(tags=["rituals"])


class RitualOut(Schema):
    number: int
    name: str
    kind: str
    kind_label: str
    cadence: str
    rrule: str
    next: str | None  # the next session's start, in the ritual's own time zone (ISO 8601)
    owner: str | None
    attendees: int
    ended_on: date | None
    health: dict[str, Any]


class RitualDetail(RitualOut):
    purpose: str
    time_zone: str
    start_time: str
    duration_minutes: int
    location: str
    people: list[str]
    teams: list[str]
    functions: list[str]
    recent: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]


class AttendeeOut(Schema):
    name: str
    attended: bool | None
    worth_it: bool | None


class DecisionLink(Schema):
    number: int
    title: str


class OccurrenceOut(Schema):
    ritual: int
    name: str
    day: date
    starts: str
    status: str
    notes: str
    agenda: dict[str, Any]
    attendees: list[AttendeeOut]
    decisions: list[DecisionLink]
    summary_sent_at: str | None
    my_rating: bool | None
    can_rate: bool


class Summaries:
    """The rituals' summaries (each reads its recurrence and health), made only for the rows
    of the page asked for."""

    def __init__(self, rituals):
        self.rituals, self.now = rituals, timezone.now()

    def __len__(self) -> int:
        return self.rituals.count()

    def __getitem__(self, rows: slice) -> list[dict]:
        return [summary(r, self.now) for r in self.rituals[rows]]


@router.get("/workspaces/{slug}/rituals", response=responses(list[RitualOut]))
@paginate(Pages)
def list_rituals(request, slug: str):
    """The workspace's rituals by number, ended ones too."""
    workspace = membership(request, slug, INTERNAL).workspace
    rituals = Ritual.objects.filter(workspace=workspace).select_related("owner", "workspace")
    return Summaries(rituals.order_by("number"))


@router.get("/workspaces/{slug}/rituals/{number}", response=responses(RitualDetail))
def get_one_ritual(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    ritual = get_ritual(membership(request, slug, INTERNAL), number)
    data = ritual_data(ritual, timezone.now())
    data["health"]["what_good_looks_like"] = GOOD
    return data


@router.get(
    "/workspaces/{slug}/rituals/{number}/occurrences/{day}", response=responses(OccurrenceOut)
)
def get_occurrence(request, slug: str, day: date, number: int = Path(..., ge=1, le=MAX_ID)):
    """One session, by its local day (YYYY-MM-DD): a day the ritual does not meet is a 404."""
    found = membership(request, slug, INTERNAL)
    ritual = get_ritual(found, number)
    if not 1900 <= day.year <= 2999:  # as the page: no ritual meets then
        raise Http404("The ritual does not meet that day.")
    starts_at = recurrence.on_day(ritual, day)
    if starts_at is None:
        raise Http404("The ritual does not meet that day.")
    return occurrence_data(ritual, starts_at, actions.occurrence(ritual, starts_at), found)
