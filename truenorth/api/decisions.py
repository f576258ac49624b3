"""Decision records, as the decision log and a decision's page show them: everything inside the
organisation; for partners only the records shared with them, without people's names, comments,
goals or initiatives (the fields a partner's page leaves out are null here)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.checkins import unconfirmed
from truenorth.api.core import CONFLICT, AnId, Pages, Problem, membership, responses
from truenorth.api.forms import checked, form_data, refused
from truenorth.api.people import TeamRef, team_named
from truenorth.api.strict import StrictBody, unchanged
from truenorth.checkins.overlaps import warnings as overlap_warnings
from truenorth.decisions import actions, backbrief
from truenorth.decisions.export import with_links
from truenorth.decisions.forms import OPTION_ROWS, CommentForm, DecisionForm, OutcomeForm
from truenorth.decisions.models import Decision, KindBy, Status
from truenorth.decisions.views import (
    comment_context,
    comment_fields,
    comment_kinds,
    may_correct_kind,
    speed_twin,
    visible,
)
from truenorth.ids import MAX_ID
from truenorth.workspaces.access import INTERNAL, PARTNER_VISIBLE, WRITE
from truenorth.workspaces.mailserver import mail_server_problem

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
    # Moved by internal edits too (its informed people, its goals): null for partners.
    updated_at: datetime | None
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
    # The same people by id, as a write takes them (null for partners).
    owner_id: int | None
    decider_ids: list[int] | None
    consulted_ids: list[int] | None
    informed_ids: list[int] | None

    @staticmethod
    def resolve_updated_at(decision: Decision, context) -> datetime | None:
        return None if for_partner(context) else decision.updated_at

    @staticmethod
    def resolve_owner_id(decision: Decision, context) -> int | None:
        return None if for_partner(context) else decision.owner_id

    @staticmethod
    def resolve_decider_ids(decision: Decision, context) -> list[int] | None:
        return None if for_partner(context) else [p.pk for p in decision.deciders.all()]

    @staticmethod
    def resolve_consulted_ids(decision: Decision, context) -> list[int] | None:
        return None if for_partner(context) else [p.pk for p in decision.consulted.all()]

    @staticmethod
    def resolve_informed_ids(decision: Decision, context) -> list[int] | None:
        return None if for_partner(context) else [p.pk for p in decision.informed.all()]

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


class CommentKind(Schema):
    kind: str
    key: str
    count: int
    share: float | None


class DecisionDetail(DecisionOut):
    """A record with its comments (inside the organisation only; null for partners)."""

    comments: list[CommentOut] | None
    comment_kinds: list[CommentKind] | None = Field(
        description="Each kind's count and share (0–100) of the comments that take a side, as "
        "the decision page and its JSON twin give them; null for partners."
    )
    comments_unclear: int | None = Field(
        description="Comments with no real words, which take no side; null for partners."
    )
    comments_disagree_and_commit: int | None = Field(
        description="Comments whose authors disagree and commit; null for partners."
    )
    back_brief: dict[str, Any] | None = Field(
        description="Its back-brief's reading, as the decision page and its JSON twin give it "
        "(state: open, unpublished, too_few or shown, with the parts heard when shown): for "
        "owners, editors and viewers, who see check-in results; null for others, and before "
        "one is sent."
    )

    back_brief_before_sending: dict[str, Any] | None = Field(
        description="Before its back-brief is sent, what the decision page says by the Send "
        "button: people (how many it would ask), nobody (with nobody to ask, what to do; "
        "empty otherwise), never_shown (why no reading could ever be "
        "shown, or empty: too few people, so sending is refused), never_published (why, sent "
        "now, it could never be published, its people differing by a few from a check-in "
        "published near it, or empty: sending it then takes “Send anyway” on the page, "
        "--send-anyway on the command line) and warnings (check-ins near it whose figures, with "
        "its own, would keep it from being published; empty when never_published says why). "
        "For owners and editors of a decided decision with no back-brief yet; null otherwise."
    )

    @staticmethod
    def resolve_back_brief_before_sending(decision: Decision, context) -> dict | None:
        membership = context["request"].membership
        if not membership.can_read_results:
            return None
        found = backbrief.send_context(decision, membership, backbrief.latest(decision))
        return backbrief.before_sending(found) if found["can_back_brief"] else None

    @staticmethod
    def resolve_comments(decision: Decision, context) -> list[dict] | None:
        mix = comment_mix(decision, context)
        return None if mix is None else [comment_fields(c) for c in mix["comments"]]

    @staticmethod
    def resolve_comment_kinds(decision: Decision, context) -> list[dict] | None:
        mix = comment_mix(decision, context)
        return None if mix is None else comment_kinds(mix)

    @staticmethod
    def resolve_comments_unclear(decision: Decision, context) -> int | None:
        mix = comment_mix(decision, context)
        return None if mix is None else mix["unclear"]

    @staticmethod
    def resolve_comments_disagree_and_commit(decision: Decision, context) -> int | None:
        mix = comment_mix(decision, context)
        return None if mix is None else mix["committed"]

    @staticmethod
    def resolve_back_brief(decision: Decision, context) -> dict | None:
        return back_brief_reading(decision, context["request"].membership)


def comment_mix(decision: Decision, context) -> dict | None:
    """The decision's comment_context, read once per response for its four fields; None for a
    partner, who reads no comments."""
    if for_partner(context):
        return None
    cache = context["request"].__dict__.setdefault("comment_mix", {})
    if decision.pk not in cache:
        cache[decision.pk] = comment_context(decision)
    return cache[decision.pk]


def back_brief_reading(decision: Decision, membership) -> dict | None:
    """The reading under the page's rule (decisions.backbrief.page_context): only for a role
    that sees check-in results."""
    found = backbrief.latest(decision) if membership.can_read_results else None
    if found is None:
        return None
    return backbrief.as_json({"backbrief": backbrief.page_reading(found)})["back_brief"]


class DecisionFilter(Schema):
    status: StatusName | None = None  # type: ignore[valid-type]
    owner: int | None = Field(None, description="A person's id (not for partners).")
    updated_since: datetime | None = Field(
        None, description="Only what changed at or after this time (ISO 8601; not for partners)."
    )


def opened(request, slug: str, need: str = PARTNER_VISIBLE):
    """The caller's membership, if its role allows `need`, kept on the request for the schema's
    resolvers."""
    found = membership(request, slug, need)
    request.membership = found
    return found


@router.get("/workspaces/{slug}/decisions", response=responses(list[DecisionOut]))
@paginate(Pages)
def list_decisions(request, slug: str, filters: Query[DecisionFilter]):
    """The decision log, newest first (partners: the records shared with them, unfiltered by
    owner, which their records leave out, or by updated_since, which internal edits move)."""
    found = opened(request, slug)
    if not found.can_read_internal:
        for name in ("owner", "updated_since"):
            if getattr(filters, name) is not None:
                raise ApiProblem(400, "Invalid request", f"Partners cannot filter by {name}.", name)
    decisions = visible(found)
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


class OptionIn(StrictBody):
    name: str = Field(..., min_length=1, max_length=300)
    pros: str = Field("", description="One point a line.")
    cons: str = ""


INFORMED_TEAMS = (
    "Teams, each by id or name, whose active people (and those of the teams within them; never "
    "partners) are added to informed as the teams are now; the teams are not kept."
)


class DecisionIn(StrictBody):
    """A decision record as its edit page takes it; people, goals and initiatives by id, the
    decision it supersedes by number."""

    title: str = Field(..., min_length=1, max_length=300)
    question: str = Field(..., min_length=1, description="What has to be decided, as a question.")
    context: str = ""
    kind: str = Field("", max_length=60, description="pricing, architecture, hiring…")
    owner: AnId | None = Field(None, description="A person's id (not a partner).")
    deciders: list[AnId] = Field(default_factory=list)
    consulted: list[AnId] = Field(default_factory=list)
    informed: list[AnId] = Field(default_factory=list)
    informed_teams: list[TeamRef] = Field(default_factory=list, description=INFORMED_TEAMS)
    raised_on: date | None = Field(None, description="Today in the workspace by default.")
    goals: list[AnId] = Field(default_factory=list)
    initiatives: list[AnId] = Field(default_factory=list)
    blocks: list[AnId] = Field(default_factory=list, description="Initiatives it holds up.")
    supersedes: AnId | None = Field(None, description="The earlier decision's number.")
    shared_with_partners: bool = False
    options: list[OptionIn] = Field(default_factory=list, max_length=OPTION_ROWS)
    outcome: str = ""
    rationale: str = ""
    consequences: str = ""


class DecisionPatch(StrictBody):
    """Only the fields sent change; a list sent replaces the list. Status changes have their own
    addresses (decide, supersede, reverse). A record as read may be sent back: `owner_id`,
    `decider_ids`, `consulted_ids` and `informed_ids` are taken as the people, and the names
    beside them when they are those people's or as read; goals, initiatives and blocks as read are taken by id;
    `number` must be the record's, and `status` and the fields its changes set as read."""

    read_as = DecisionDetail
    record_key = "number"
    derived = ("repeats",)
    changed_by = {
        "status": "POST …/decisions/{number}/decide, …/supersede or …/reverse",
        "decided_on": "POST …/decisions/{number}/decide sets it",
        "closed_on": "POST …/decisions/{number}/supersede or …/reverse sets it",
        "reversed_because": "POST …/decisions/{number}/reverse sets it",
        "superseded_by": "a later decision's supersedes names this one",
    }
    ids_of = {
        "owner_id": "owner",
        "decider_ids": "deciders",
        "consulted_ids": "consulted",
        "informed_ids": "informed",
    }
    named_in = {name: "people" for name in ids_of.values()}
    links = ("goals", "initiatives", "blocks")

    title: str | None = Field(None, min_length=1, max_length=300)
    question: str | None = Field(None, min_length=1)
    context: str | None = None
    kind: str | None = Field(None, max_length=60)
    owner: AnId | None = None
    deciders: list[AnId] | None = None
    consulted: list[AnId] | None = None
    informed: list[AnId] | None = None
    informed_teams: list[TeamRef] | None = Field(None, description=INFORMED_TEAMS)
    raised_on: date | None = None
    goals: list[AnId] | None = None
    initiatives: list[AnId] | None = None
    blocks: list[AnId] | None = None
    supersedes: AnId | None = None
    shared_with_partners: bool | None = None
    options: list[OptionIn] | None = Field(None, max_length=OPTION_ROWS)
    outcome: str | None = None
    rationale: str | None = None
    consequences: str | None = None


class DecisionCreated(DecisionDetail):
    repeats: list[str] = Field(
        description="Earlier decisions this one asks again, as the page warns: a repeated "
        "conversation (empty when no model can run)."
    )


def as_record(decision: Decision) -> dict:
    """A saved record in the API's terms, for a PATCH to change some fields of."""
    return {
        "title": decision.title,
        "question": decision.question,
        "context": decision.context,
        "kind": decision.category,
        "owner": decision.owner_id,
        **{name: ids(getattr(decision, name)) for name in LINKS},
        "raised_on": decision.raised_on,
        "supersedes": decision.supersedes.number if decision.supersedes else None,
        "shared_with_partners": decision.shared_with_partners,
        "options": decision.options,
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "consequences": decision.consequences,
    }


LINKS = ("deciders", "consulted", "informed", "goals", "initiatives", "blocks")


def ids(related) -> list[int]:
    return list(related.values_list("pk", flat=True))


def as_posted_form(values: dict, workspace) -> dict:
    """The record's values as the edit page posts them: `kind` is the form's category, the
    superseded decision goes by its key, and each option fills a row."""
    data = {name: value for name, value in values.items() if name not in ("kind", "options")}
    data["category"] = values["kind"]
    data["informed_teams"] = team_ids(workspace, values.get("informed_teams") or [])
    if (number := values["supersedes"]) is not None:
        earlier = workspace.decisions.filter(number=number).first()
        if earlier is None:
            raise refused("decision", "supersedes", f"No decision {number} in this workspace.")
        data["supersedes"] = earlier.pk
    for n, option in enumerate(values["options"] or [], start=1):  # null clears them too
        for part in ("name", "pros", "cons"):
            data[f"option_{n}_{part}"] = option.get(part, "")
    return form_data(data)


def team_ids(workspace, teams: list[int | str]) -> list[int]:
    """The teams to inform as the form takes them: by id, a name (any case) as its team's."""
    where = ("decision", "informed_teams")
    return [
        team if isinstance(team, int) else team_named(workspace, team, where, by_id="")
        for team in teams
    ]


def saved(workspace, values: dict, decision: Decision, user) -> Decision:
    """The record written through the edit page's forms, which refuse what the page refuses."""
    data = as_posted_form(values, workspace)
    form = DecisionForm(data=data, instance=decision, workspace=workspace)
    outcome = OutcomeForm(data=data, instance=decision)
    checked(form, "decision")
    checked(outcome, "decision")
    try:
        return form.save_record(by=user)
    except actions.NotAllowed as refusal:
        raise ApiProblem(400, "Invalid decision", str(refusal)) from None


def answer(workspace, number: int) -> Decision:
    return with_links(workspace.decisions.all()).get(number=number)


@router.post("/workspaces/{slug}/decisions", response=responses(DecisionCreated, 201))
def create_decision(request, slug: str, body: DecisionIn):
    """Raise a decision (owners and editors; a write token): it gets the workspace's next number.
    `repeats` says which earlier decisions asked the same, as the page warns."""
    found = opened(request, slug, WRITE)
    values = body.dict()
    values["raised_on"] = values["raised_on"] or timezone.localdate()
    workspace = found.workspace
    decision = saved(workspace, values, Decision(workspace=workspace), request.auth.user)
    created = answer(workspace, decision.number)
    created.repeats = backbrief.repeat_notices(created)
    return HttpStatus(201, created)


@router.patch("/workspaces/{slug}/decisions/{number}", response=responses(DecisionDetail))
def update_decision(
    request, slug: str, body: DecisionPatch, number: int = Path(..., ge=1, le=MAX_ID)
):
    """Change a record's fields, as its edit page does (owners and editors; a write token)."""
    found = opened(request, slug, WRITE)
    decision = found_decision(found.workspace, number)
    body.check_as_read(answer(found.workspace, number), "decision", request, found.workspace)
    current, changes = as_record(decision), body.dict(exclude_unset=True)
    if not unchanged(current, changes):
        saved(found.workspace, {**current, **changes}, decision, request.auth.user)
    return answer(found.workspace, number)


def found_decision(workspace, number: int) -> Decision:
    decision = workspace.decisions.filter(number=number).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


def opened_decision(request, slug: str, number: int, need: str = WRITE):
    """The caller's membership (allowed `need`) and the decision it names."""
    found = opened(request, slug, need)
    return found, found_decision(found.workspace, number)


def status_changed(change) -> None:
    """Run a status change: one the status refuses is a 409, a day or a reason it refuses a
    400, each with the reason the page gives."""
    try:
        change()
    except actions.WrongStatus as refusal:
        raise ApiProblem(409, "Not in that status", str(refusal)) from None
    except actions.NotAllowed as refusal:
        raise ApiProblem(400, "Invalid decision", str(refusal)) from None


class DecideIn(StrictBody):
    outcome: str = Field(..., min_length=1, description="What was decided.")
    rationale: str = ""
    decided_on: date | None = Field(None, description="Today in the workspace by default.")


STATUS_CHANGED = {**responses(DecisionDetail), **CONFLICT}


@router.post("/workspaces/{slug}/decisions/{number}/decide", response=STATUS_CHANGED)
def decide(request, slug: str, body: DecideIn, number: int = Path(..., ge=1, le=MAX_ID)):
    """Record an open decision as made, with what was decided and why; 409 when it is not open.
    Those informed are told, as when it is decided on its page."""
    found, decision = opened_decision(request, slug, number)
    status_changed(lambda: actions.decide(decision, body.decided_on, body.outcome, body.rationale))
    return answer(found.workspace, number)


class SupersedeIn(StrictBody):
    by: AnId = Field(..., description="The later decision's number.")
    on: date | None = Field(None, description="Today in the workspace by default.")


@router.post("/workspaces/{slug}/decisions/{number}/supersede", response=STATUS_CHANGED)
def supersede(request, slug: str, body: SupersedeIn, number: int = Path(..., ge=1, le=MAX_ID)):
    """Mark a decision replaced by a later one, which then records what it supersedes; 409 when
    it is superseded or reversed already."""
    found, decision = opened_decision(request, slug, number)
    later = found.workspace.decisions.filter(number=body.by).first()
    if later is None:
        raise refused("decision", "by", f"No decision {body.by} in this workspace.")
    status_changed(lambda: actions.supersede(decision, later, body.on))
    return answer(found.workspace, number)


class ReverseIn(StrictBody):
    why: str = Field(..., min_length=1, max_length=2000, description="Kept with the decision.")
    on: date | None = Field(None, description="Today in the workspace by default.")


@router.post("/workspaces/{slug}/decisions/{number}/reverse", response=STATUS_CHANGED)
def reverse(request, slug: str, body: ReverseIn, number: int = Path(..., ge=1, le=MAX_ID)):
    """Take a decided decision back, saying why: it no longer holds and nothing replaces it;
    409 when it is not decided. Those informed are told."""
    found, decision = opened_decision(request, slug, number)
    status_changed(lambda: actions.reverse(decision, body.why, body.on))
    return answer(found.workspace, number)


class BackBriefIn(StrictBody):
    """What the decision page's **Send a back-brief** form takes; an empty object (or no body)
    sends an anonymous one."""

    attributed: bool = Field(
        False,
        description="Answers carry their author's name, as the page's “Attributed” ticked; "
        "anonymous by default.",
    )
    send_anyway: bool = Field(
        False,
        description="Send one that could never be published (its people differ by a few from "
        "those of a check-in published near it), as the page's “Send anyway: its results will "
        "never be shown”; without it that is a 409 and nothing is made.",
    )


class BackBriefSent(Schema):
    checkin: int = Field(description="The back-brief check-in's id (GET …/checkins/{id}).")
    said: str = Field(
        description="What the page says once it is sent: “Back-brief sent to 5 people: …”; "
        "when no mail server answered (an attributed one), why its links were not mailed and "
        "how to send them."
    )
    mailed: bool = Field(
        description="false when no mail server answered: an attributed back-brief is made all "
        "the same, as on the page, its links not mailed."
    )
    warnings: list[str] = Field(
        description="Check-ins near it whose figures, with its own, would keep it from being "
        "published, as the page warns once it is sent; empty where the reading's never_shown "
        "says why no reading will come."
    )
    back_brief: dict[str, Any] = Field(
        description="Its back-brief as GET …/decisions/{number} now gives it (`back_brief`)."
    )


# Said where no mail server answered: the API's way to go ahead, where the page says to tick it.
ATTRIBUTE = 'send it again with "attributed": true'
BACK_BRIEF_SENT = {**responses(BackBriefSent, 201), **CONFLICT, 503: Problem}


@router.post("/workspaces/{slug}/decisions/{number}/back-brief", response=BACK_BRIEF_SENT)
def send_decision_back_brief(
    request, slug: str, body: BackBriefIn, number: int = Path(..., ge=1, le=MAX_ID)
):
    """Ask the people informed what they heard ("What did you hear?"), as the decision page's
    **Send a back-brief** does (owners and editors; a write token): a check-in open for 7 days,
    its personal links emailed once it is made. 400 with the page's reason when it cannot be
    sent (not decided, already sent, nobody or too few people to ask); 409 for one that could
    never be published, unless `send_anyway` is true; 503 for an anonymous one while no mail
    server answers (nothing is made). Those are said in that order, as on the page."""
    _, decision = opened_decision(request, slug, number)
    if refusal := backbrief.cannot_ask(decision):
        raise ApiProblem(400, "Not sent", refusal)
    if not body.send_anyway and (why := backbrief.never_published(decision)):
        raise unconfirmed(why)
    problem = mail_server_problem()
    if problem and not body.attributed:
        said = f"{problem} {backbrief.only_by_email(ATTRIBUTE)}"
        raise ApiProblem(503, "No mail server", said, "attributed")
    made = made_back_brief(
        lambda: backbrief.create_back_brief(decision, request.user, not body.attributed),
        mail=not problem,
    )
    return HttpStatus(201, decision_back_brief_sent(made, problem))


def decision_back_brief_sent(made, problem: str | None) -> dict:
    """What was made and said, as the page says it once sent; where no mail server answered,
    why its links were not mailed, for the page's links to hand out."""
    # As GET gives it (back_brief_reading): a writer reads check-in results.
    reading = backbrief.as_json({"backbrief": backbrief.page_reading(made)})["back_brief"]
    people = made.checkin.invitations.count()
    said = f"{problem} {not_mailed(made.checkin_id)}" if problem else backbrief.sent_message(people)
    return {
        "checkin": made.checkin_id,
        "said": said,
        "mailed": not problem,
        # Where no reading can ever come, never_shown says why; a warning would say it twice.
        "warnings": [] if reading["never_shown"] else overlap_warnings(made.checkin),
        "back_brief": reading,
    }


def made_back_brief(create: Callable[[], Any], mail: bool = True):
    """The back-brief `create` makes, its links emailed once it is saved, as the pages do (with
    `mail` false, none are: no mail server answered); one sent meanwhile by another request is
    the page's 400."""
    try:
        return backbrief.made_and_mailed(create, mail)
    except backbrief.CannotAsk as refusal:
        raise ApiProblem(400, "Not sent", str(refusal)) from None


def not_mailed(checkin_id: int) -> str:
    """Where the page offers an attributed back-brief's links to hand out, what the API says."""
    return (
        "Its personal links were not mailed: download them to hand out on its check-in's page "
        f"(“Download the links (CSV)”), or send them once a mail server answers: POST "
        f"…/checkins/{checkin_id}/send."
    )


CommentKind = Literal["question", "objection", "support"]


class CommentIn(StrictBody):
    text: str = Field(..., min_length=1)
    disagree_and_commit: bool = Field(
        False, description="The author disagrees and commits all the same (an objection)."
    )
    kind: CommentKind | None = Field(  # type: ignore[valid-type]
        None, description="What the author says it is; by default the comment classifier sorts it."
    )


@router.post("/workspaces/{slug}/decisions/{number}/comments", response=responses(CommentOut, 201))
def comment(request, slug: str, body: CommentIn, number: int = Path(..., ge=1, le=MAX_ID)):
    """Comment on a decision as the caller (anyone in the organisation; a write token). It comes
    back sorted as a question, an objection or support, and by whom."""
    found, decision = opened_decision(request, slug, number, INTERNAL)
    form = CommentForm(form_data(body.dict(include={"text", "disagree_and_commit"})))
    checked(form, "comment")
    new = form.save(commit=False)
    new.decision, new.author, new.written_by = decision, found.person, request.auth.user
    if body.kind:
        new.kind, new.kind_by = body.kind, KindBy.PERSON
    actions.add_comment(new)
    return HttpStatus(201, comment_fields(new))


class KindIn(StrictBody):
    kind: CommentKind  # type: ignore[valid-type]


@router.post(
    "/workspaces/{slug}/decisions/{number}/comments/{comment_id}/kind",
    response=responses(CommentOut),
)
def comment_kind(
    request,
    slug: str,
    body: KindIn,
    number: int = Path(..., ge=1, le=MAX_ID),
    comment_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Say what a comment is where the classifier misread it: its author or an editor. A
    person's word is never second-guessed by the model."""
    found, decision = opened_decision(request, slug, number, INTERNAL)
    said = decision.comments.filter(pk=comment_id).first()
    if said is None:
        raise Http404("No such comment.")
    if not may_correct_kind(found, request.auth.user, said):
        raise PermissionDenied("Only its author or an editor may correct a comment's kind.")
    actions.correct_kind(said, body.kind)
    return comment_fields(said)


class SpeedOut(Schema):
    """How long decisions take and which are waiting, as the decision speed page shows them."""

    median_days: float | None = Field(description="The median of the `counted` decisions.")
    decided: int = Field(
        description="Every decision ever made, superseded and reversed ones too: `counted` and "
        "`not_counted` together."
    )
    counted: int = Field(description="The decisions `median_days` is the median of.")
    not_counted: int = Field(
        description="Decisions raised and decided the same day: recorded as they were made, so "
        "left out of every median."
    )
    not_counted_why: str = Field(description="The speed page's sentence saying why; '' if none.")
    recent_median_days: float | None
    recent_count: int
    window_days: int
    recorded_as_made: int = Field(description="The same number as `not_counted`.")
    by: dict[str, list[dict[str, Any]]] = Field(description="Medians per kind, owner and team.")
    open: list[dict[str, Any]] = Field(description="Open decisions, longest waiting first.")
    trend: list[dict[str, Any]] = Field(
        description="Each month's median (`month`, `median_days`) and how many `decisions` it "
        "rests on: only the months with 3 or more decisions, as the page's chart draws them."
    )
    months_left_out: list[dict[str, Any]] = Field(
        description="The months with fewer decisions (`month`, `decisions`), left out of `trend`."
    )
    months_left_out_why: str = Field(
        description="The speed page's sentence naming them and saying why; '' if none."
    )


@router.get("/workspaces/{slug}/decision_speed", response=responses(SpeedOut))
def decision_speed(request, slug: str):
    """Days from raised to decided (median, recent, per kind, owner and team, by month) and the
    decisions still open, as the decision speed page and its JSON twin give them."""
    return speed_twin(membership(request, slug, INTERNAL))
