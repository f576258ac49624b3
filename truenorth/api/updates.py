"""Updates, as their pages show them: the list to everyone (partners see only published updates
and only their own version of each), one update's facts and sendings inside the organisation,
and each audience's version. Drafts are for those who write them (owners and editors): opened,
written, gathered again, published or deleted through the pages' forms and updates.actions."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.checkins import unconfirmed
from truenorth.api.core import CONFLICT, Pages, Problem, membership, responses
from truenorth.api.decisions import BackBriefIn, made_back_brief
from truenorth.api.forms import checked, form_data
from truenorth.api.strict import StrictBody, unchanged
from truenorth.checkins.overlaps import warnings as overlap_warnings
from truenorth.decisions.backbrief import sent_message
from truenorth.ids import MAX_ID
from truenorth.updates import actions, audiences, backbrief, delivery
from truenorth.updates.forms import NewUpdateForm, TextsForm
from truenorth.updates.models import Audience, Update
from truenorth.updates.tasks import send_update
from truenorth.updates.views import audiences_for, get_update, get_version, state_details, visible
from truenorth.workspaces import workers
from truenorth.workspaces.access import PARTNER_VISIBLE, WRITE
from truenorth.workspaces.background import DONE, QUEUED, outcome
from truenorth.workspaces.mailserver import mail_server_problem

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


class BackBriefRow(Schema):
    """One internal audience's back-brief ("What did you hear?"), as the update's page shows it
    to the caller's role."""

    audience: str
    label: str
    people: int = Field(
        description="The people it asks, or would ask: the active people with an email whose "
        "version this is."
    )
    below_threshold: bool = Field(
        description="Fewer people than the anonymity threshold: its results could never be "
        "shown, so it cannot be asked (the page: “results could never be shown”)."
    )
    state: str = Field(
        description="not_asked; once asked, for owners, editors and viewers (who see check-in "
        "results) the reading's state: open, unpublished, too_few or shown; for members only "
        "asked, as their page says no more."
    )
    checkin: int | None = Field(description="The back-brief check-in's id, once asked.")
    asked_on: date | None = Field(description="The day it was asked, in the workspace's time.")
    reading: dict[str, Any] | None = Field(
        description="What the page shows of its answers, to owners, editors and viewers only: "
        "state, closes_at, never_shown (why no reading will ever come, or empty), threshold "
        "(with too_few), and when shown n, fidelity and each part's shares (conveys, partly, "
        "contradicts, misses); no answer is quoted. Null for members, and before it is asked."
    )
    before_sending: dict[str, Any] | None = Field(
        description="For owners and editors while it may be asked, what its button says: "
        "never_published (why, sent now, it could never be published: sending it then takes "
        "send_anyway) and warnings (check-ins near it that would keep it from being "
        "published); null otherwise."
    )


class UpdateDetail(UpdateFields):
    """An update as its page shows it: a draft's texts, the problems that hold up its
    publishing and the warnings that do not; a published one's sendings and who heard of a change too late."""

    gathered_at: datetime | None
    narrative: str | None = None
    partner_note: str | None = None
    problems: list[str] | None = None
    warnings: list[str] | None = None
    jargon: dict[str, Any] | None = None
    gathered_before_changes: bool | None = Field(
        None,
        description="A draft's: true when the workspace has changed since its facts were "
        "gathered, which may or may not move them (gather them again to see); null once "
        "published.",
    )
    sendings: list[dict[str, Any]] | None = None
    heard_late: dict[str, Any] | None = None
    withdrawn_from_partners: dict[str, Any] | None = Field(
        None,
        description="When (`at`) and by whom (`by`) the partners' version was withdrawn; "
        "null while partners read it.",
    )
    back_briefs: list[BackBriefRow] | None = Field(
        None,
        description="A published update's back-briefs, one per internal audience, as its page "
        "shows them; null for a draft, and for partners.",
    )


class UpdateFilter(Schema):
    published: bool | None = None


class LineOut(Schema):
    text: str
    note: str
    link: str
    initiative: int | None
    status: str
    level: int = Field(
        0, description="1 for a detail of the line above it (a check-in's figure under its name)."
    )


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
    period_start: str = Field("", description="The first day of the period it covers (ISO).")
    period_end: str = Field("", description="The last day of the period it covers (ISO).")
    figures_as_of: str = Field(
        "",
        description="The day its figures (goals, claims, orphan work, customer themes) were "
        "read (ISO); empty for the partners' version, which has none.",
    )


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
    """An update's facts and every version's checks, for the organisation. Partners read only
    their version (…/versions/partners): to them this is a 404 that says so for an update
    shared with them, and nothing of any other number, as on the pages."""
    found = opened(request, slug, PARTNER_VISIBLE)
    if not found.can_read_internal:
        get_update(found, number)  # "No such update" unless its partners' version is theirs
        where = f"{request.path.rstrip('/')}/versions/{Audience.PARTNERS}"
        raise Http404(f"Partners read the partners' version: GET {where}")
    return detail(found, get_update(found, number))


def detail(found, update: Update) -> dict:
    data: dict[str, Any] = {
        "number": update.number,
        "title": update.title,
        "period_start": update.period_start,
        "period_end": update.period_end,
        "published": update.is_published,
        "published_at": update.published_at,
        "versions": [str(a) for a in audiences_for(found)],
        "gathered_at": update.gathered_at,
        "back_briefs": back_briefs(found, update),
    }
    return {**data, **state_details(update)}


def back_briefs(found, update: Update) -> list[dict] | None:
    """The update page's back-brief rows (updates.backbrief.page_rows) for this role, as JSON:
    a published update's, inside the organisation only."""
    return backbrief.published_json(update, found) if found.can_read_internal else None


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


class UpdateIn(StrictBody):
    """A period, as the updates page's form takes it: a named one, or start and end."""

    period: Literal["last_month", "this_month", "last_week", "custom"] = Field(
        "custom", description="custom: from start to end, both included (a year at most)."
    )
    start: date | None = None
    end: date | None = None
    title: str = Field("", max_length=200, description='Default: the period, "November 2026".')


@router.post("/workspaces/{slug}/updates", response=responses(UpdateDetail, 201))
def open_update(request, slug: str, body: UpdateIn):
    """Open a draft for a period, its facts gathered from live data, numbered next (owners and
    editors; a write token). Its texts are written with PATCH, then it is published."""
    found = opened(request, slug, WRITE)
    form = NewUpdateForm(form_data(body.dict()), today=timezone.localdate())
    period = checked(form, "update")
    try:
        update = actions.open_draft(
            found.workspace, period["start"], period["end"], period["title"], by=request.user
        )
    except ValueError as refusal:  # the action's own checks, should the form miss one
        raise ApiProblem(400, "Invalid update", str(refusal)) from None
    return HttpStatus(201, detail(found, update))


class TextsIn(StrictBody):
    """Only the texts sent change. A draft as read may be sent back: `number` must be its own,
    its period as read (fixed when it is opened), `published` as read; the facts, problems and
    warnings are ignored."""

    read_as = UpdateDetail
    record_key = "number"
    changed_by = {
        "period_start": "a draft keeps its period; open another for another period",
        "period_end": "a draft keeps its period; open another for another period",
        "published": "POST …/updates/{number}/publish publishes it",
    }

    title: str | None = Field(
        None, max_length=200, description="What every audience reads first; empty keeps it."
    )
    narrative: str | None = Field(None, description="The story of the period, for everyone.")
    partner_note: str | None = Field(None, description="What partners read instead.")


def a_draft(found, number: int) -> Update:
    update = get_update(found, number)
    if update.is_published:
        raise ApiProblem(409, "Published", f"Update {number} is published: it stays as it was.")
    return update


DRAFT_CHANGED = {**responses(UpdateDetail), **CONFLICT}


@router.patch("/workspaces/{slug}/updates/{number}", response=DRAFT_CHANGED)
def write_texts(request, slug: str, body: TextsIn, number: int = Path(..., ge=1, le=MAX_ID)):
    """Write a draft's narrative or note for partners; 409 once it is published."""
    found = opened(request, slug, WRITE)
    update = a_draft(found, number)
    body.check_as_read(detail(found, update), "update")
    values = {
        "title": update.title,
        "narrative": update.narrative,
        "partner_note": update.partner_note,
    }
    changes = body.dict(exclude_unset=True)
    if unchanged(values, changes):
        return detail(found, update)
    form = TextsForm(form_data({**values, **changes}), instance=update)
    texts = checked(form, "update")
    try:
        actions.save_texts(update, texts["narrative"], texts["partner_note"], texts["title"])
    except ValueError as refusal:  # published meanwhile
        raise ApiProblem(409, "Published", str(refusal)) from None
    return detail(found, update)


@router.post("/workspaces/{slug}/updates/{number}/gather", response=DRAFT_CHANGED)
def gather_again(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    """Gather a draft's facts again from live data, as the page's button does."""
    found = opened(request, slug, WRITE)
    return detail(found, actions.refresh(a_draft(found, number)))


class PublishIn(StrictBody):
    """What the editor confirms; an empty body confirms nothing."""

    before_period_end: bool = Field(
        False,
        description="Publish though the period has not ended: its facts freeze as they are "
        "now. Without it such a publish answers 409 and nothing changes.",
    )
    facts_gathered_at: datetime | None = Field(
        None,
        description="The `gathered_at` of the facts the caller read: when the facts gathered "
        "again differ, 409 and nothing is published (the draft keeps the new facts to read).",
    )


@router.post("/workspaces/{slug}/updates/{number}/publish", response=DRAFT_CHANGED)
def publish(
    request, slug: str, body: PublishIn | None = None, number: int = Path(..., ge=1, le=MAX_ID)
):
    """Gather the facts once more, check every audience's version and publish: 409 with each
    problem in `errors` when a version breaks a rule (nothing changes), when the period has not
    ended and `before_period_end` is not true, when the facts differ from those of
    `facts_gathered_at`, or when it is published already."""
    found = opened(request, slug, WRITE)
    update = a_draft(found, number)
    confirmed = body or PublishIn()
    seen = confirmed.facts_gathered_at
    try:
        actions.publish(
            update,
            by=request.user,
            before_period_end=confirmed.before_period_end,
            facts_seen=None if seen is None else seen.isoformat(),
        )
    except (actions.PublishRefused, actions.NeedsConfirmation) as unpublishable:
        found_problems = [{"where": "", "message": p} for p in unpublishable.problems]
        said = f"Not published: {unpublishable.problems[0]}"
        raise ApiProblem(409, "Not published", said, errors=found_problems) from None
    except ValueError as refusal:  # published meanwhile
        raise ApiProblem(409, "Published", str(refusal)) from None
    return detail(found, update)


@router.delete("/workspaces/{slug}/updates/{number}", response={**responses(None, 204), **CONFLICT})
def delete(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    """Delete a draft opened by mistake; a published update stays (409): people have read it."""
    found = opened(request, slug, WRITE)
    try:
        actions.delete_draft(a_draft(found, number))
    except ValueError as refusal:  # published meanwhile
        raise ApiProblem(409, "Published", str(refusal)) from None
    return HttpStatus(204, None)


@router.post(
    "/workspaces/{slug}/updates/{number}/withdraw-from-partners",
    response={**responses(UpdateDetail), **CONFLICT},
)
def withdraw_from_partners(request, slug: str, number: int = Path(..., ge=1, le=MAX_ID)):
    """Take back a published update's partners' version, shown with what was shared by
    mistake (owners and editors; a write token): partners then get 404 for it and no longer
    list the update; every internal version stays. 409 for a draft, or when it was withdrawn
    already."""
    found = opened(request, slug, WRITE)
    update = get_update(found, number)
    try:
        actions.withdraw_from_partners(update, by=request.user)
    except actions.AlreadyWithdrawn as refusal:
        raise ApiProblem(409, "Withdrawn already", str(refusal)) from None
    except ValueError as refusal:  # a draft
        raise ApiProblem(409, "Draft", str(refusal)) from None
    return detail(found, update)


ChannelName = Literal[delivery.CHANNELS]  # type: ignore[valid-type]


class UpdateSendIn(StrictBody):
    channels: list[ChannelName] = Field(
        ...,
        min_length=1,
        description="email: each internal audience its own version; slack: the partners' "
        "version to the workspace's webhook.",
    )
    again: bool = Field(
        False,
        description="Send again over a channel that already reached people: everyone gets it "
        "a second time. Without it such a send answers 409 and nothing is sent.",
    )


class UpdateSendOut(Schema):
    state: Literal["done", "queued", "failed"] = Field(
        description="done: sent in this request; queued: `truenorth worker` sends it, and the "
        "update's `sendings` follow; failed: stopped on an error (the server's log says why)."
    )
    sendings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Each send of this request (when done): its channel, audience, status and "
        "how many it reached, as the update's `sendings` list them.",
    )
    note: str = Field(
        "",
        description="When queued and no `truenorth worker` has been seen in the last minute, "
        'why nothing will send it: "No worker has been seen since …".',
    )


@router.post(
    "/workspaces/{slug}/updates/{number}/send",
    response={**responses(UpdateSendOut), 409: Problem, 503: Problem},
)
def send_published(
    request, slug: str, body: UpdateSendIn, number: int = Path(..., ge=1, le=MAX_ID)
):
    """Send a published update, as its page's Send does (owners and editors; a write token):
    409 for a draft, for Slack with no webhook set or once the partners' version is withdrawn
    (partners get no email then either), or for a channel it already went out over
    unless `again` is true, 503 for email with no mail server (nothing
    is sent then)."""
    found = opened(request, slug, WRITE)
    update = get_update(found, number)
    if not update.is_published:
        said = f"Update {update.number} is a draft: publish it before sending it."
        raise ApiProblem(409, "Draft", said)
    channels = [channel for channel in delivery.CHANNELS if channel in body.channels]
    if "slack" in channels and not found.workspace.slack_webhook_url:
        said = "This workspace has no Slack webhook: an owner sets one in the settings."
        raise ApiProblem(409, "No Slack webhook", said, "channels")
    if "slack" in channels and update.is_withdrawn_from_partners:
        raise ApiProblem(409, "Withdrawn from partners", delivery.WITHDRAWN_SLACK, "channels")
    last = delivery.sent_before(update, channels)
    if last is not None and not body.again:
        said = (
            f"{delivery.sent_words(last)}: nothing was sent. Send `again: true` to send it again."
        )
        raise ApiProblem(409, "Sent already", said, "again")
    if "email" in channels and (problem := mail_server_problem("nothing was sent")):
        raise ApiProblem(503, "No mail server", problem)
    state, rows = outcome(send_update.enqueue(update.pk, channels, request.user.pk))
    no_worker = workers.none_running() if state == QUEUED else ""
    return {"state": state, "sendings": rows if state == DONE else [], "note": no_worker}


class UpdateBackBriefIn(BackBriefIn):
    """What an audience's **Ask what they heard** form on the update's page takes: the audience,
    and `attributed` and `send_anyway` as a decision's back-brief takes them."""

    audience: AudienceName = Field(  # type: ignore[valid-type]
        ..., description="The internal audience asked (partners never are)."
    )


class UpdateBackBriefSent(Schema):
    checkin: int = Field(description="The back-brief check-in's id (GET …/checkins/{id}).")
    said: str = Field(description="What the page says once it is sent: “Back-brief sent to …”.")
    warnings: list[str] = Field(
        description="Check-ins near it whose figures, with its own, would keep it from being "
        "published, as the page warns once it is sent; empty for one sent with send_anyway."
    )
    back_brief: BackBriefRow = Field(
        description="Its audience's row, as GET …/updates/{number} now gives it in back_briefs."
    )


@router.post(
    "/workspaces/{slug}/updates/{number}/back-brief",
    response={**responses(UpdateBackBriefSent, 201), **CONFLICT, 503: Problem},
)
def send_update_back_brief(
    request, slug: str, body: UpdateBackBriefIn, number: int = Path(..., ge=1, le=MAX_ID)
):
    """Ask one internal audience what it heard of a published update, as the audience's **Ask
    what they heard** on the update's page does (owners and editors; a write token): a check-in
    open for 7 days, its personal links emailed once it is made. 400 with the page's reason
    when it cannot be asked (a draft, the partners, an audience under the anonymity threshold
    or whose version says nothing, asked already); 409 for one that could never be published,
    unless `send_anyway` is true; 503 while no mail server answers (nothing is made). Those are
    said in that order, as on the page."""
    found = opened(request, slug, WRITE)
    update = get_update(found, number)
    audience = body.audience
    if refusal := backbrief.cannot_ask(update, audience):
        raise ApiProblem(400, "Not sent", refusal)
    never = backbrief.never_published(update, audience)
    if never and not body.send_anyway:
        raise unconfirmed(never)
    if problem := mail_server_problem():
        raise ApiProblem(503, "No mail server", problem)
    anonymous = not body.attributed
    made = made_back_brief(
        lambda: backbrief.create_back_brief(update, audience, request.user, anonymous)
    )
    rows = backbrief.as_json(backbrief.page_rows(update, found))
    sent = {
        "checkin": made.checkin_id,
        "said": sent_message(made.checkin.invitations.count()),
        # Sent anyway, the row's never_shown says why no reading will come: no warning
        # promising a publication ("only the first of the two to be published can be").
        "warnings": [] if never else overlap_warnings(made.checkin),
        "back_brief": next(row for row in rows if row["audience"] == audience),
    }
    return HttpStatus(201, sent)
