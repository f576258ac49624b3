"""Check-ins: the list with its response counts for everyone in the organisation (as the
check-ins page), each check-in's definition and its analysed report for those who read results
(as its dashboard), and for owners and editors a new Alignment pulse, its dates, sending its
links and closing it, through checkins.actions as its pages do.

The report is the check-in page's JSON twin (checkins.views.report_twin), threshold applied: no
answer of an anonymous check-in is ever tied to a person."""

import zoneinfo
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import IntegerField, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_tasks import TaskResultStatus
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.core import AnId, Pages, Problem, membership, responses
from truenorth.api.forms import checked, refused_by_action
from truenorth.api.strict import StrictBody, unchanged
from truenorth.checkins.actions import (
    addresses_changed_after_sending,
    nobody_due,
    reschedule,
    sending_refused,
)
from truenorth.checkins.forms import CheckInForm
from truenorth.checkins.measure import NotOpenYet, close_checkin, release_state
from truenorth.checkins.models import BACK_BRIEF, CLOSED_UNSENT, CheckIn
from truenorth.checkins.models import Response as Answered
from truenorth.checkins.overlaps import (
    closing_refused,
    never_publishable,
    publication_refused_shown,
)
from truenorth.checkins.tasks import queue_links
from truenorth.checkins.views import (
    INVITED,
    NEVER_ASKED,
    SENDS,
    before_sending,
    count_per_checkin,
    listed_stage,
    never_published_once_sent,
    new_links_reach_nobody,
    not_open_message,
    nothing_sent,
    refused_listed,
    report_twin,
    sending_state,
    start_analysis,
)
from truenorth.ids import MAX_ID
from truenorth.sending import in_quotes
from truenorth.workspaces import progress, workers
from truenorth.workspaces.access import INTERNAL, RESULTS, WRITE
from truenorth.workspaces.mailserver import mail_server_problem
from truenorth.workspaces.models import Function

router = Router(tags=["check-ins"])


class CheckInOut(Schema):
    """A check-in as the list shows it: its definition and how many were asked and answered."""

    id: int
    title: str
    template: str
    opens_at: datetime
    closes_at: datetime
    anonymous: bool
    audience: str = Field(description="Whom it asked, in words.")
    audience_functions: list[str]
    audience_teams: list[int]
    state: Literal["scheduled", "open", "closed", "final"] = Field(
        description="scheduled (not open yet: it opens at opens_at, and links can be sent from "
        "then), open, closed (results not published yet; `refused` says when they never will "
        "be) or final (published; `warning` says when it closed with too few answers to show "
        "anything)."
    )
    stage: str = Field(
        description="Where it stands, in the check-ins page's words: Not open yet, Open, "
        "Open — can never be published (sent to people a few apart from those of a check-in "
        "published near it), "
        "Closed, results not published, Closed, not published: its figures would give a few "
        "people's answers away, Closed without being sent, Closed without results or Results "
        "published; Closed, once closed, for those who read no results (a member)."
    )
    refused: bool | None = Field(
        description="true when it is closed and its results will never be published, as "
        "beside the check-ins published near it they would give a few people's answers away "
        "(`warning` on GET …/checkins/{id} says why); null for those who read no results."
    )
    invited: int | None = Field(
        description="How many were sent a link; null for those who read no results (a member)."
    )
    answered: int | None = Field(
        description="How many answered; null for those who read no results: in a small team "
        "the count tells who has not answered yet."
    )
    sending: Literal["queued", "sending"] | None = Field(
        description="queued: its invitations or reminders wait for a `truenorth worker` (the "
        "list says “Sending queued”); sending: a worker is sending them; null when none are "
        "being sent, and for those who read no results."
    )

    @staticmethod
    def resolve_audience(checkin: CheckIn) -> str:
        return checkin.audience_words()

    @staticmethod
    def resolve_audience_teams(checkin: CheckIn) -> list[int]:
        return [team.pk for team in checkin.audience_teams.all()]

    @staticmethod
    def resolve_state(checkin: CheckIn) -> str:
        return state_of(checkin)

    @staticmethod
    def resolve_stage(checkin: CheckIn) -> str:
        return listed_stage(checkin, reads_results=checkin.answered is not None)

    @staticmethod
    def resolve_refused(checkin: CheckIn) -> bool | None:
        return None if checkin.answered is None else refused_listed(checkin)

    @staticmethod
    def resolve_sending(checkin: CheckIn) -> str | None:
        if checkin.answered is None or not checkin.is_open():
            return None
        return sending_state(progress.current("sending", checkin.pk))


def state_of(checkin: CheckIn) -> str:
    """release_state, told apart before it opens, as its page's "Not open yet"."""
    state = release_state(checkin)
    return "scheduled" if state == "open" and checkin.opens_later() else state


class QuestionOut(Schema):
    position: int
    prompt: str
    role: str
    kind: str
    required: bool
    source_kind: str


class CheckInDetail(CheckInOut):
    questions: list[QuestionOut]
    warning: str = Field(
        description="Before its first send, when it asks fewer people than the anonymity "
        "threshold (no result could be shown) or almost the same people as a check-in near in "
        "time, or, in its page's words, that sent as it is it could never be published; while "
        "open, whose address was changed after their link was mailed (a new link "
        "would go to the new one); once closed, why its results cannot be published; once "
        "final, that it closed without results, when too few answered to show anything, or "
        "without being sent (nobody was asked). Else empty."
    )

    @staticmethod
    def resolve_questions(checkin: CheckIn) -> list:
        return list(checkin.questions.all())

    @staticmethod
    def resolve_warning(checkin: CheckIn) -> str:
        if release_state(checkin) == "closed":
            return CLOSED_UNSENT if checkin.never_asked else publication_refused_shown(checkin)
        if release_state(checkin) == "final":
            return checkin.without_results_words() if checkin.closed_without_results else ""
        if checkin.is_open() and checkin.invited:
            return " ".join(addresses_changed_after_sending(checkin))
        if checkin.invited or checkin.answered or checkin.template == BACK_BRIEF:
            return ""
        return " ".join(before_sending(checkin))


def checkins_of(workspace, counted: bool = True):
    """The check-ins, with their counts only where `counted` (as on the list page, a member is
    not told how many have answered)."""
    if counted:
        # Counted apart: one join would pair every invitation with every answer.
        invited, answered = count_per_checkin(INVITED), count_per_checkin(Answered.objects)
    else:
        invited = answered = Value(None, output_field=IntegerField())
    checkins = workspace.checkins.annotate(
        invited=invited, answered=answered, never_asked=NEVER_ASKED
    )
    return checkins.select_related("update_backbrief__update").prefetch_related("audience_teams")


AN_ID = Path(..., ge=1, le=MAX_ID)


def one(queryset, checkin_id: int) -> CheckIn:
    return get_object_or_404(queryset, pk=checkin_id)


# The templates every workspace has; a demo's check-ins may have another.
PULSE = CheckIn._meta.get_field("template").default


class CheckInFilter(Schema):
    template: str | None = Field(
        None, max_length=40, description="alignment_pulse, back_brief, or another one in use."
    )


@router.get("/workspaces/{slug}/checkins", response=responses(list[CheckInOut]))
@paginate(Pages)
def list_checkins(request, slug: str, filters: Query[CheckInFilter]):
    """The check-ins, latest opened first, with the people invited and the answers received."""
    reader = membership(request, slug, INTERNAL)
    checkins = checkins_of(reader.workspace, counted=reader.can_read_results)
    if filters.template is not None:
        known = {PULSE, BACK_BRIEF, *reader.workspace.checkins.values_list("template", flat=True)}
        if filters.template not in known:
            detail = f"template: one of {', '.join(sorted(known))}."
            raise ApiProblem(400, "Invalid request", detail, "template")
        checkins = checkins.filter(template=filters.template)
    return checkins.order_by("-opens_at", "-pk")


@router.get("/workspaces/{slug}/checkins/{checkin_id}", response=responses(CheckInDetail))
def get_checkin(request, slug: str, checkin_id: int = AN_ID):
    """One check-in with its questions, for those who read its dashboard."""
    workspace = membership(request, slug, RESULTS).workspace
    return one(checkins_of(workspace).prefetch_related("questions"), checkin_id)


class ReportOut(Schema):
    checkin: int
    title: str
    report: dict[str, Any] = Field(
        description="The analysed report as the check-in's page shows it, threshold applied."
    )
    part_coverage_in_words: dict[str, Any]
    groups_in_words: dict[str, Any] = Field(
        description="Under the page's function and team table, by dimension: `warnings` (a "
        "group that reads the vision alike but not as it says: its sentence) and `not_shown` "
        "(why the groups not shown are hidden)."
    )
    since_in_words: dict[str, str] = Field(
        description="Under the page's “Since …” table, by question role: what its two figures "
        "of how alike the answers are measure, what good looks like, and, where one got better "
        "and the other worse, how both hold."
    )


@router.get(
    "/workspaces/{slug}/checkins/{checkin_id}/report",
    response={**responses(ReportOut), 409: Problem},
)
def checkin_report(request, slug: str, checkin_id: int = AN_ID):
    """The published results; 409 while the check-in is open or not analysed yet."""
    workspace = membership(request, slug, RESULTS).workspace
    checkins = workspace.checkins.annotate(never_asked=NEVER_ASKED).select_related("report")
    checkin = one(checkins, checkin_id)
    status, body = report_twin(checkin)
    if status != 200:
        raise ApiProblem(status, not_yet_title(checkin, body["analysis"]), body["error"])
    return body


def not_yet_title(checkin: CheckIn, analysis: str) -> str:
    """The 409's title: "No results yet" promises results, which a refused check-in, or one
    closed without being sent, will never have."""
    if analysis == "refused":
        return "Will not be published"
    if analysis == "closed" and checkin.never_asked:
        return "No results: nobody was asked"
    return "No results yet"


# The functions a pulse may ask: partners answer none.
ASKED = tuple(f for f in Function.values if f != Function.PARTNER)
Asked = Literal[ASKED]  # type: ignore[valid-type]


class CheckInIn(StrictBody):
    """A new Alignment pulse: the default template's five questions."""

    title: str = Field(min_length=1, max_length=200)
    opens_at: datetime = Field(description="Without an offset: in the workspace's time zone.")
    closes_at: datetime
    anonymous: bool = True
    functions: list[Asked] = Field(  # type: ignore[valid-type]
        [], description="Functions asked; with teams empty: everyone."
    )
    teams: list[AnId] = Field([], description="Teams asked, by id.")


@router.post("/workspaces/{slug}/checkins", response=responses(CheckInDetail, 201))
def create_checkin(request, slug: str, body: CheckInIn):
    """Create an Alignment pulse, as the page's "New Alignment pulse" form does; send its
    links when ready (POST …/send)."""
    workspace = membership(request, slug, WRITE).workspace
    # A time without an offset reads in the workspace's time zone, as on the page.
    with timezone.override(zoneinfo.ZoneInfo(workspace.time_zone)):
        form = CheckInForm(data=body.dict(), workspace=workspace)
        checked(form, "check-in")
    checkin = form.create(by=request.user)  # one transaction
    return HttpStatus(201, one(checkins_of(workspace).prefetch_related("questions"), checkin.pk))


class CheckInDates(StrictBody):
    """Only the dates sent move; without an offset, in the workspace's time zone. A check-in as
    read may be sent back: `id` must be its own, what it asks and whom as read (fixed once it
    is made), and its state, counts and warning are ignored."""

    read_as = CheckInDetail
    changed_by = {
        name: "only a check-in's dates change once it is made"
        for name in (
            "title",
            "template",
            "anonymous",
            "audience_functions",
            "audience_teams",
            "questions",
        )
    }

    opens_at: datetime | None = Field(None, description="Only before it opens.")
    closes_at: datetime | None = Field(None, description="Only while it has not closed.")


@router.patch("/workspaces/{slug}/checkins/{checkin_id}", response=responses(CheckInDetail))
def change_dates(request, slug: str, body: CheckInDates, checkin_id: int = AN_ID):
    """Move a check-in's dates, as its page's "Change dates" does (checkins.actions.reschedule
    says which may move)."""
    workspace = membership(request, slug, WRITE).workspace
    checkin = one(checkins_of(workspace).prefetch_related("questions"), checkin_id)
    body.check_as_read(checkin, "check-in", request)
    zone = zoneinfo.ZoneInfo(workspace.time_zone)
    opens_at = in_zone(body.opens_at, zone) or checkin.opens_at
    closes_at = in_zone(body.closes_at, zone) or checkin.closes_at
    current = {"opens_at": checkin.opens_at, "closes_at": checkin.closes_at}
    if unchanged(current, {"opens_at": opens_at, "closes_at": closes_at}):
        return checkin
    try:
        reschedule(checkin, opens_at, closes_at)
    except ValidationError as refusal:
        raise refused_by_action("check-in", refusal) from None
    return one(checkins_of(workspace).prefetch_related("questions"), checkin.pk)


def in_zone(moment: datetime | None, zone) -> datetime | None:
    """A time without an offset read in the workspace's time zone, as the page reads it."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, zone)


class SendIn(StrictBody):
    what: Literal["invitations", "reminders", "new_links"] = Field(
        "invitations",
        description="invitations: each person with no link yet (retrying those that failed); "
        "reminders: those sent a link who have not answered; new_links: reminders with a new "
        "link, for people who lost theirs.",
    )
    send_anyway: bool = Field(
        False,
        description="true sends the first invitations of a check-in that could never be "
        "published as it is sent (its page's “Send anyway: its results will never be shown”); "
        "without it, such a send is a 409 saying why, and nothing is sent.",
    )


class SendOut(Schema):
    state: Literal["done", "queued", "failed"] = Field(
        description="done: sent in this request; queued: `truenorth worker` sends them, and "
        "the check-in's counts follow; failed: stopped on an error (the server's log says why)."
    )
    sent: int | None = Field(None, description="Messages the mail server took (when done).")
    failed: dict[str, str] = Field(
        default_factory=dict, description="Each person not reached, and why (when done)."
    )
    note: str = Field(
        "",
        description='When nobody was due (sent 0), why, as the page says it: "Nobody new to '
        'invite: …", or "Nobody to remind now: …" while everyone who has not answered was '
        "invited or reminded within the last day. When queued and no `truenorth worker` "
        'has been seen in the last minute, why nothing will send them: "No worker has been '
        'seen since …".',
    )


def unconfirmed(why: str) -> ApiProblem:
    """The 409 of a first send that could never be published, sent without `send_anyway`: the
    page's words (nothing_sent), with the API's way to confirm. A check-in's, a decision's and
    an update's back-brief say it alike."""
    confirm = 'send it again with "send_anyway": true'
    return ApiProblem(409, "Could never be published", nothing_sent(why, confirm), "send_anyway")


@router.post(
    "/workspaces/{slug}/checkins/{checkin_id}/send",
    response={**responses(SendOut), 409: Problem, 503: Problem},
)
def send(request, slug: str, body: SendIn, checkin_id: int = AN_ID):
    """Email the personal links, as the check-in page's send buttons do: nobody who holds a
    link is sent another, and nobody is marked invited unless a mail server answers (503
    otherwise). 409 while the check-in is not open, and for new_links while this server's
    emails reach nobody (the console backend, say): the links people hold would stop working;
    and for the first invitations of a check-in that could never be published, unless
    `send_anyway` is true (owners and editors; a write token)."""
    checkin = one(membership(request, slug, WRITE).workspace.checkins, checkin_id)
    if not checkin.is_open():
        raise ApiProblem(409, "Not open", not_open_message(checkin))
    if why := sending_refused(checkin):
        raise ApiProblem(409, "Answers imported", why)
    if not body.send_anyway and (why := never_published_once_sent(checkin, body.what)):
        raise unconfirmed(why)
    reminder, new_links, _ = SENDS[body.what]
    if why := nobody_due(checkin, reminder, new_links):
        return {"state": "done", "sent": 0, "note": why}
    if new_links and (why := new_links_reach_nobody(checkin)):
        raise ApiProblem(409, "Emails reach nobody", why)
    if problem := mail_server_problem():
        raise ApiProblem(503, "No mail server", problem)
    result = queue_links(checkin.pk, reminder, new_links)
    if not result.is_finished:
        return {"state": "queued", "note": workers.none_running()}
    if result.status == TaskResultStatus.FAILED:
        return {"state": "failed"}
    return {"state": "done", **result.return_value}


@router.post(
    "/workspaces/{slug}/checkins/{checkin_id}/close",
    response={**responses(CheckInDetail), 409: Problem},
)
def close(
    request,
    slug: str,
    checkin_id: int = AN_ID,
    publish: bool = Query(
        True,
        description="false closes one that can never be published (its `stage` says so) "
        "without publishing, as its page's “Close now without publishing”: no more answers are "
        "taken, nobody is reminded, and its answers stay unpublished for good. Refused (409) "
        "for one that can be published after all.",
    ),
):
    """Stop taking answers now and publish the results, as the page's "Close now" does: the
    analysis runs in this request, or is queued for the worker (`state` is then `closed` until
    it is done); with `?publish=false`, close one that can never be published without
    publishing. 409 when it is not open (owners and editors; a write token)."""
    workspace = membership(request, slug, WRITE).workspace
    checkin = one(workspace.checkins, checkin_id)
    if release_state(checkin) != "open":
        raise ApiProblem(409, "Not open", f"{in_quotes(checkin.title)} is not open.")
    if not publish and not checkin.asked_nobody():  # never sent: closing publishes nothing
        return closed_unpublished(workspace, checkin)
    # Closing is for good: one whose results could not be published is left taking answers.
    if why := closing_refused(checkin):
        also = (
            " Close it with ?publish=false to close it now." if never_publishable(checkin) else ""
        )
        raise ApiProblem(409, "Refused", f"{why} So it was left open; it closes on its date.{also}")
    closed_now(checkin)
    start_analysis(checkin)
    return one(checkins_of(workspace).prefetch_related("questions"), checkin.pk)


def closed_unpublished(workspace, checkin: CheckIn):
    """The page's close_unpublished: one that can never be published, closed as it is; one
    that could be published after all is left open."""
    if not never_publishable(checkin):
        said = f"{in_quotes(checkin.title)} can be published after all, so it was left open."
        raise ApiProblem(409, "Can be published", f"{said} Close it without ?publish=false.")
    closed_now(checkin)
    return one(checkins_of(workspace).prefetch_related("questions"), checkin.pk)


def closed_now(checkin: CheckIn) -> None:
    try:
        close_checkin(checkin)
    except NotOpenYet as refusal:
        raise ApiProblem(409, "Not open yet", str(refusal)) from None
