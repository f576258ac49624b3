"""Rituals, inside the organisation, as their pages show them: the list with each ritual's
health, one ritual with its recent and coming sessions, and one session's agenda (the items only
check-in results readers see are left out for the others, as on the page). A ritual is set up,
changed and ended, and a session's notes, decisions, skipping and each attendee's rating are
recorded, as their pages do."""

from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.core import CONFLICT, AnId, Pages, membership, responses
from truenorth.api.forms import checked, form_data, refused
from truenorth.api.strict import StrictBody, unchanged
from truenorth.ids import MAX_ID
from truenorth.rituals import actions
from truenorth.rituals.forms import DecisionForm as SessionDecisionForm
from truenorth.rituals.forms import NotesForm, RitualForm
from truenorth.rituals.models import Kind, Ritual
from truenorth.rituals.views import GOOD, get_ritual, occurrence_data, ritual_data, summary
from truenorth.workspaces.access import INTERNAL, WRITE
from truenorth.workspaces.models import Function

router = Router(tags=["rituals"])


class RitualOut(Schema):
    number: int
    name: str
    kind: str
    kind_label: str
    cadence: str
    rrule: str
    next: str | None  # the next session's start, in the ritual's own time zone (ISO 8601)
    owner: str | None = Field(description="The owner's name; owner_id is as a write takes it.")
    owner_id: int | None
    attendees: int
    ended_on: date | None
    health: dict[str, Any]


class RitualDetail(RitualOut):
    purpose: str
    first_date: date = Field(description="The rule's dates count from this day.")
    time_zone: str
    start_time: str
    duration_minutes: int
    location: str
    people: list[str] = Field(description="Everyone who attends, by name, team or function.")
    people_ids: list[int] = Field(description="Those invited by name, as a write takes them.")
    teams: list[str] = Field(description="The teams that attend, by name.")
    team_ids: list[int]
    functions: list[str] = Field(description="The functions that attend, as a write takes them.")
    function_labels: list[str] = Field(description='The same as words: "Product".')
    recent: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]


class AttendeeOut(Schema):
    id: int = Field(description="The person's id, as `attended` takes it.")
    name: str
    attended: bool | None
    worth_it: bool | None = Field(description="The caller's own rating; null for everyone else's.")


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
    ratings_close: str = Field(
        description='When the session stops taking ratings; its share of "worth it" is shown '
        "only from then (a share that moved with each rating would tell one by subtraction)."
    )
    ratings_open: bool
    ratings_never_shown: str = Field(
        description="Why the ritual's ratings are never shown (fewer attendees than the "
        'anonymity threshold), or "".'
    )


class Summaries:
    """The rituals' summaries (each reads its recurrence and health), made only for the rows
    of the page asked for."""

    def __init__(self, rituals):
        self.rituals, self.now = rituals, timezone.now()

    def __len__(self) -> int:
        return self.rituals.count()

    def __getitem__(self, rows: slice) -> list[dict]:
        return [{**summary(r, self.now), "owner_id": r.owner_id} for r in self.rituals[rows]]


@router.get("/workspaces/{slug}/rituals", response=responses(list[RitualOut]))
@paginate(Pages)
def list_rituals(request, slug: str):
    """The workspace's rituals by number, ended ones too."""
    workspace = membership(request, slug, INTERNAL).workspace
    rituals = Ritual.objects.filter(workspace=workspace).select_related("owner", "workspace")
    return Summaries(rituals.order_by("number"))


@router.get("/workspaces/{slug}/rituals/{number}", response=responses(RitualDetail))
def get_one_ritual(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    return detail(get_ritual(membership(request, slug, INTERNAL), number))


@router.get(
    "/workspaces/{slug}/rituals/{number}/occurrences/{day}", response=responses(OccurrenceOut)
)
def get_occurrence(request, slug: str, day: date, number: int = Path(..., ge=1, le=MAX_ID)):
    """One session, by its local day (YYYY-MM-DD): a day the ritual does not meet is a 404."""
    found = membership(request, slug, INTERNAL)
    ritual, starts_at = session(found, number, day)
    return occurrence_data(ritual, starts_at, actions.occurrence(ritual, starts_at), found)


KindName = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
ATTENDING = tuple(f.value for f in Function if f != Function.PARTNER)  # as the form offers
FunctionName = Literal[ATTENDING]  # type: ignore[valid-type]


class RitualIn(StrictBody):
    """A ritual as its edit page takes it; its owner and people by id."""

    name: str = Field(..., min_length=1, max_length=200)
    kind: KindName = "other"
    purpose: str = Field(..., min_length=1, description="What the session is for.")
    owner: AnId | None = Field(None, description="A person's id (not a partner).")
    first_date: date = Field(..., description="The rule's dates count from this day.")
    start_time: time = Field(time(9, 30), description="Wall-clock time in `time_zone`.")
    duration_minutes: int = Field(60, ge=5, le=24 * 60)
    time_zone: str | None = Field(None, description="The workspace's zone by default.")
    rrule: str = Field(
        "",
        max_length=300,
        description="An RFC 5545 rule, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TH. Left empty, the "
        "kind's own: a weekly update each Monday, a roadmap review the first Tuesday of the "
        "month, a strategy session the first Wednesday of each quarter.",
    )
    people: list[AnId] = Field(default_factory=list, description="Who attends, by person id.")
    teams: list[AnId] = Field(default_factory=list, description="Whole teams that attend.")
    functions: list[FunctionName] = Field(
        default_factory=list, description="Everyone of these functions attends."
    )
    location: str = Field("", max_length=300, description="A room or a video-call link.")


class RitualPatch(StrictBody):
    """Only the fields sent change; a list sent replaces the list. A ritual as read may be sent
    back: `owner_id`, `people_ids` and `team_ids` are taken as `owner`, `people` and `teams`, and
    the owner's and teams' names beside them when they are those ids' or as read; `number` must be its own; its cadence, health
    and sessions are ignored."""

    read_as = RitualDetail
    record_key = "number"
    changed_by = {
        "people": "it is read as everyone who attends, by name, team or function; send "
        "people_ids to change who is invited by name"
    }
    ids_of = {"owner_id": "owner", "people_ids": "people", "team_ids": "teams"}
    named_in = {"owner": "people", "teams": "teams"}  # `people` is read as everyone attending

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: KindName | None = None
    purpose: str | None = Field(None, min_length=1)
    owner: AnId | None = None
    first_date: date | None = None
    start_time: time | None = None
    duration_minutes: int | None = Field(None, ge=5, le=24 * 60)
    time_zone: str | None = None
    rrule: str | None = Field(None, max_length=300)
    people: list[AnId] | None = None
    teams: list[AnId] | None = None
    functions: list[FunctionName] | None = None
    location: str | None = Field(None, max_length=300)
    ended_on: date | None = Field(
        None,
        description="The first day without a session, as `/end` takes it; null takes the "
        "end back, and the ritual meets by its rule again.",
    )


def as_fields(ritual: Ritual) -> dict:
    """A saved ritual in the API's terms, for a PATCH to change some fields of."""
    return {
        "name": ritual.name,
        "kind": ritual.kind,
        "purpose": ritual.purpose,
        "owner": ritual.owner_id,
        "first_date": ritual.first_date,
        "start_time": ritual.start_time,
        "duration_minutes": ritual.duration_minutes,
        "time_zone": ritual.time_zone,
        "rrule": ritual.rrule,
        "people": list(ritual.people.values_list("pk", flat=True)),
        "teams": list(ritual.teams.values_list("pk", flat=True)),
        "functions": list(ritual.functions or []),
        "location": ritual.location,
    }


def ritual_form(workspace, values: dict, ritual: Ritual | None = None) -> RitualForm:
    """The edit page's form filled from the API's fields: a rule sent is the form's raw rule,
    none is the kind's suggested cadence."""
    data = form_data({**values, "start_time": values["start_time"].strftime("%H:%M")})
    data["time_zone"] = values["time_zone"] or workspace.time_zone
    data["rule"], data["cadence"] = data.pop("rrule"), "suggested"
    data["weekday"], data["nth"] = "MO", "1"  # the form's own defaults; no rule sent reads them
    return RitualForm(data, instance=ritual, workspace=workspace)


def saved(form: RitualForm, ritual: Ritual | None, by) -> Ritual:
    if not form.is_valid() and "rule" in form.errors:  # the API's name for the form's rule
        form.errors["rrule"] = form.errors.pop("rule")
    fields = checked(form, "ritual")
    people, teams = fields["people"], fields["teams"]
    if ritual is None:
        return actions.create_ritual(form.save(), people, teams, by=by)
    return actions.save_ritual(form.save(), people, teams)


def detail(ritual: Ritual) -> dict:
    data = ritual_data(ritual, timezone.now())
    data["health"]["what_good_looks_like"] = GOOD
    data.update(
        owner_id=ritual.owner_id,
        first_date=ritual.first_date,
        people_ids=sorted(ritual.people.values_list("pk", flat=True)),
        team_ids=sorted(ritual.teams.values_list("pk", flat=True)),
        functions=list(ritual.functions or []),
        function_labels=ritual.function_labels,
    )
    return data


@router.post("/workspaces/{slug}/rituals", response=responses(RitualDetail, 201))
def create_ritual(request, slug: str, body: RitualIn):
    """Set up a ritual, as its new page does (owners and editors; a write token): the next
    number, its attendees, and its cadence from the rule sent or its kind's."""
    workspace = membership(request, slug, WRITE).workspace
    ritual = saved(ritual_form(workspace, body.dict()), None, request.user)
    return HttpStatus(201, detail(ritual))


@router.patch("/workspaces/{slug}/rituals/{number}", response=responses(RitualDetail))
def update_ritual(request, slug: str, body: RitualPatch, number: int = Path(..., ge=1, le=MAX_ID)):
    """Change a ritual, as its edit page does; sessions already held keep their notes and
    their pages, whatever the rule says now. `ended_on` ends it or, null, takes the end back."""
    found = membership(request, slug, WRITE)
    ritual = get_ritual(found, number)
    body.check_as_read(detail(ritual), "ritual", workspace=found.workspace)
    sent = body.dict(exclude_unset=True)
    if unchanged({**as_fields(ritual), "ended_on": ritual.ended_on}, sent):
        return detail(ritual)
    values = {**as_fields(ritual), **sent}
    if "ended_on" in sent:
        ritual.ended_on = values.pop("ended_on")
        try:
            actions.check_end(values["first_date"] or ritual.first_date, ritual.ended_on)
        except actions.BadEnd as bad:
            raise refused("ritual", "ended_on", str(bad)) from None
    if values["start_time"] is None:  # null clears, and a ritual needs its start time
        raise refused("ritual", "start_time", "This field is required.")
    return detail(saved(ritual_form(found.workspace, values, ritual), ritual, request.user))


class EndIn(StrictBody):
    on: date | None = Field(None, description="Today in the workspace by default.")


@router.post("/workspaces/{slug}/rituals/{number}/end", response=responses(RitualDetail))
def end_ritual(request, slug: str, body: EndIn, number: int = Path(..., ge=1, le=MAX_ID)):
    """End the ritual: no session on or after that day (owners and editors; a write token).
    Sent again, the later day replaces the earlier."""
    found = membership(request, slug, WRITE)
    ritual = get_ritual(found, number)
    on = body.on or timezone.localdate()
    try:
        return detail(actions.end_ritual(ritual, on))
    except actions.BadEnd as bad:
        raise refused("ritual", "on", str(bad)) from None


def session(found, number: int, day: date) -> tuple[Ritual, datetime]:
    """The ritual and the start of its session on that local day, by its rule or recorded;
    404 when it has none."""
    ritual = get_ritual(found, number)
    if not 1900 <= day.year <= 2999:  # as the page: no ritual meets then
        raise Http404("The ritual does not meet that day.")
    starts_at = actions.session_on(ritual, day)
    if starts_at is None:
        raise Http404("The ritual does not meet that day.")
    return ritual, starts_at


def as_written(found, ritual: Ritual, starts_at: datetime) -> dict:
    return occurrence_data(ritual, starts_at, actions.occurrence(ritual, starts_at), found)


@contextmanager
def not_before_it_starts():
    """A session that has not started has nothing to record yet: 409, saying when it starts."""
    try:
        yield
    except actions.NotStarted as early:
        raise ApiProblem(409, "Not started", str(early)) from None
    except actions.RatedBeforeLink as before:
        raise ApiProblem(409, "Rated before the link", str(before)) from None
    except actions.RatingsClosed as closed:
        raise ApiProblem(409, "Ratings closed", str(closed)) from None


SESSION = "/workspaces/{slug}/rituals/{number}/occurrences/{day}"
NUMBER = Path(..., ge=1, le=MAX_ID)


class NotesIn(StrictBody):
    notes: str = Field(..., min_length=1, max_length=20000)
    attended: list[int] = Field(
        default_factory=list, description="Who came, by person id; every other attendee missed it."
    )


@router.put(f"{SESSION}/notes", response={**responses(OccurrenceOut), **CONFLICT})
def record_notes(request, slug: str, day: date, body: NotesIn, number: int = NUMBER):
    """Record the session as held, with its notes and who came, as its page does: its agenda is
    kept as it stood (owners and editors; a write token). Sent again, the notes are replaced;
    409 before the session has started."""
    found = membership(request, slug, WRITE)
    ritual, starts_at = session(found, number, day)
    form = NotesForm(form_data(body.dict()), attendees=actions.attendees(ritual))
    notes = checked(form, "notes")
    with not_before_it_starts(), transaction.atomic():
        held = actions.occurrence(ritual, starts_at, create=True)
        actions.record_notes(held, notes["notes"], list(notes["attended"]))
    return as_written(found, ritual, starts_at)


class SessionDecisionIn(StrictBody):
    title: str = Field(..., min_length=1, max_length=200)
    question: str = Field(..., min_length=1, max_length=2000)
    outcome: str = Field(..., min_length=1, max_length=4000)
    rationale: str = Field("", max_length=4000)
    owner: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="A person's id (not a partner), as the decision log takes.",
    )


@router.post(f"{SESSION}/decisions", response={**responses(OccurrenceOut, 201), **CONFLICT})
def record_decision(request, slug: str, day: date, body: SessionDecisionIn, number: int = NUMBER):
    """A decision made in the session: recorded, decided, in the decision log, and linked to the
    session, as its page does (owners and editors; a write token); dated the session's day, and
    409 before the session has started."""
    found = membership(request, slug, WRITE)
    ritual, starts_at = session(found, number, day)
    form = SessionDecisionForm(form_data(body.dict()), workspace=found.workspace)
    made = checked(form, "decision")
    with not_before_it_starts(), transaction.atomic():
        held = actions.occurrence(ritual, starts_at, create=True)
        actions.record_decision(
            held,
            made["title"],
            made["question"],
            made["outcome"],
            made["rationale"],
            owner=made["owner"],
            by=request.user,
        )
    return HttpStatus(201, as_written(found, ritual, starts_at))


class RatingIn(StrictBody):
    worth_it: bool


@router.post(f"{SESSION}/rating", response={**responses(OccurrenceOut), **CONFLICT})
def rate(request, slug: str, day: date, body: RatingIn, number: int = NUMBER):
    """Was this session worth it? The caller's own rating, as the page's one click: attendees
    only, whatever their role, once the session has started; rating again changes it."""
    found = membership(request, slug, INTERNAL)
    ritual, starts_at = session(found, number, day)
    if found.person is None or found.person not in actions.attendees(ritual):
        raise PermissionDenied("Only the ritual's attendees rate its sessions.")
    with not_before_it_starts(), transaction.atomic():
        held = actions.occurrence(ritual, starts_at, create=True)
        actions.rate(held, found.person, body.worth_it, by=found)
    return as_written(found, ritual, starts_at)


@router.post(f"{SESSION}/skip", response={**responses(OccurrenceOut), **CONFLICT})
def skip(request, slug: str, day: date, number: int = NUMBER):
    """Not held this time: calendars that subscribe leave the date out. 409 for a session whose
    notes are recorded (owners and editors; a write token)."""
    found = membership(request, slug, WRITE)
    ritual, starts_at = session(found, number, day)
    try:
        actions.skip(ritual, starts_at)
    except actions.HeldAlready as held:
        raise ApiProblem(409, "Held", str(held)) from None
    return as_written(found, ritual, starts_at)
