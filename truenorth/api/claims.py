"""Claims to customers with the roadmap's verdict on each and its evidence: read by everyone in
the organisation, recorded by owners and editors through claims.actions.save_claim, which checks
the claim against the roadmap as the claims page does."""

import contextlib
from datetime import date, datetime
from typing import Any

from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.analysis.embed import ModelUnavailable
from truenorth.api.core import Pages, membership, responses
from truenorth.api.forms import checked, form_data
from truenorth.api.strict import StrictBody, unchanged
from truenorth.claims.actions import delete_claim, save_claim
from truenorth.claims.forms import ClaimForm, FilterForm
from truenorth.claims.models import (
    MAX_CLAIM_TEXT,
    Claim,
    Verdict,
    in_periods,
    narrowed,
    to_account,
)
from truenorth.claims.verdicts import promise_summary
from truenorth.ids import MAX_ID
from truenorth.workspaces.access import INTERNAL, WRITE

router = Router(tags=["claims"])


class RunnerUp(Schema):
    initiative: int
    title: str
    status: str
    score: float


class Evidence(Schema):
    """The initiative the verdict rests on (with no match, the nearest one below the cut)."""

    initiative: int | None
    title: str
    status: str = Field(
        description="Its status when checked; archived when it was archived since it was matched."
    )
    target_date: date | None
    score: float | None
    matched: bool
    runners_up: list[RunnerUp]
    said_status: str = Field(description="The initiative's status on the day the claim was said.")
    said_target_date: date | None = Field(description="Its target date on that day.")
    moved_since_said: str = Field(
        description='Blank, or e.g. "date moved since said: was 29 Jan 2027, now 20 Mar 2027".'
    )


class ClaimOut(Schema):
    id: int
    said_on: date
    account: str
    said_by: str = Field(description="The speaker's name: a person's, or said_by_name.")
    said_by_id: int | None = Field(
        description="The person who said it, as a write takes it; null for someone not in "
        "truenorth and for a person since erased."
    )
    said_by_person: int | None = Field(
        description="The same as said_by_id, its former name; a write takes said_by_id."
    )
    text: str
    source: str
    created_at: datetime
    verdict: str = Field(
        description="available, committed, over_promise, no_capability, not_promised, "
        "said_early (said live before it shipped, shipped since), or blank"
    )
    verdict_meaning: str
    reason: str = Field(
        description="Why the claim needs correcting, as the claims page shows it under the "
        'verdict ("Not live yet: …"): its verdict_meaning for an over-promise, no such '
        "capability or a claim said live before it shipped, blank for the other verdicts."
    )
    evidence: Evidence | None
    checked_at: datetime | None

    @staticmethod
    def resolve_said_by(claim: Claim) -> str:
        return claim.speaker

    @staticmethod
    def resolve_said_by_id(claim: Claim) -> int | None:
        return speaker_id(claim)

    @staticmethod
    def resolve_said_by_person(claim: Claim) -> int | None:
        return speaker_id(claim)

    @staticmethod
    def resolve_evidence(claim: Claim) -> dict | None:
        if claim.checked_at is None:
            return None
        return {
            "initiative": claim.initiative_id,
            "title": claim.initiative_title,
            "status": claim.initiative_status,
            "target_date": claim.target_date,
            "score": claim.score,
            "matched": claim.matched,
            "runners_up": claim.runners_up or [],
            "said_status": claim.said_status,
            "said_target_date": claim.said_target_date,
            "moved_since_said": claim.moved_since_said,
        }


def speaker_id(claim: Claim) -> int | None:
    """An erased speaker's old id would gather their claims, as their pages no longer do."""
    return None if claim.said_by_id is None or claim.said_by.erased else claim.said_by_id


class ClaimFilter(Schema):
    verdict: Verdict | None = None
    account: str | None = Field(
        None,
        max_length=200,
        description="The account's whole name, in any case and spacing, as its page takes it.",
    )
    moved: bool = Field(
        False, description="Only the claims whose date the customer heard has moved since."
    )
    moved_from: date | None = Field(
        None,
        description="Only the claims on an item whose target date moved on or after this day.",
    )
    moved_to: date | None = Field(
        None,
        description="Only the claims said by this day, on an item whose target date moved on or "
        "before it.",
    )
    shipped_from: date | None = Field(
        None, description="Only the claims on an item that shipped on or after this day."
    )
    shipped_to: date | None = Field(
        None, description="Only the claims on an item that shipped on or before this day."
    )


def claims_of(workspace):
    return workspace.claims.select_related("said_by")


@router.get("/workspaces/{slug}/claims", response=responses(list[ClaimOut]))
@paginate(Pages)
def list_claims(request, slug: str, filters: Query[ClaimFilter]):
    """The claims, latest said first, each with its verdict and the evidence behind it. A filter
    the claims page refuses (a NUL in the account, a period ending before it starts) is refused
    here too, with its words."""
    claims = claims_of(membership(request, slug, INTERNAL).workspace)
    cleaned = checked(FilterForm(form_data(filters.dict(exclude={"moved"}))), "filter")
    claims = narrowed(in_periods(claims, cleaned), filters.verdict or "", filters.moved)
    if filters.account is not None:
        claims = to_account(claims, filters.account)
    return claims.order_by("-said_on", "-pk")


class DatesMoved(Schema):
    committed: int = Field(description="Claims judged committed.")
    moved: int = Field(
        description="Of them, those whose customer was told a date that has moved since."
    )
    accounts: int = Field(description="The accounts those were said to.")


class ClaimsSummaryOut(Schema):
    """The claims counted as the dashboard counts them (claims.verdicts.promise_summary)."""

    total: int
    checked: int
    by_verdict: dict[str, int] = Field(
        description="available, committed, over_promise and no_capability as said: over_promise "
        "includes the claims said live before they shipped."
    )
    said_early: int = Field(description="Of over_promise, said live before it shipped since.")
    not_promised: int
    over_promise_share: float | None
    unsupported_share: float | None
    trend: list[tuple[str, int, int]] = Field(
        description="Per month said, oldest first: month, claims, over-promises as said."
    )
    accounts: list[dict[str, Any]]
    committed_dates_moved: DatesMoved


@router.get("/workspaces/{slug}/claims/summary", response=responses(ClaimsSummaryOut))
def claims_summary(request, slug: str):
    """The claims' counts: over-promises as said (the dashboard's share), and the committed
    claims whose date the customer heard has moved since."""
    return promise_summary(membership(request, slug, INTERNAL).workspace)


@router.get("/workspaces/{slug}/claims/{claim_id}", response=responses(ClaimOut))
def get_claim(request, slug: str, claim_id: int = Path(..., ge=1, le=MAX_ID)):
    return get_object_or_404(claims_of(membership(request, slug, INTERNAL).workspace), pk=claim_id)


class ClaimIn(StrictBody):
    said_on: date
    account: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=MAX_CLAIM_TEXT)
    # Strict: pydantic would read true as person 1, and "7" as 7.
    said_by: int | None = Field(None, strict=True, description="A person of the workspace, by id.")
    said_by_name: str = Field(
        "", max_length=200, description="Or the name of someone not in truenorth."
    )
    source: str = Field("", max_length=100, description="Sales call, deck, email, RFP answer…")


class ClaimPatch(StrictBody):
    """Only the fields sent change; a changed claim is checked again. A claim as read may be sent
    back: `said_by_id` is taken as `said_by`, and `said_by` as read (the speaker's name)
    unchanged only; `id` must be the claim's; its verdict and evidence are ignored."""

    read_as = ClaimOut
    changed_by = {
        "said_by": "it is read as the speaker's name; send said_by_id for a person, or "
        "said_by_name for someone not in truenorth"
    }
    ids_of = {"said_by_id": "said_by"}

    said_on: date | None = None
    account: str | None = Field(None, min_length=1, max_length=200)
    text: str | None = Field(None, min_length=1, max_length=MAX_CLAIM_TEXT)
    said_by: int | None = Field(None, strict=True)
    said_by_name: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=100)


def checked_form(workspace, data: dict, claim: Claim | None = None) -> ClaimForm:
    """The claim form bound to a body's values; a 400 naming the field when it refuses them."""
    if data["said_by"] is not None and not 0 < data["said_by"] <= MAX_ID:
        data["said_by"] = 0  # no person has it: the form says so, and no query overflows
    form = ClaimForm(data=form_data(data), instance=claim, workspace=workspace)
    checked(form, "claim")
    return form


@router.post("/workspaces/{slug}/claims", response=responses(ClaimOut, 201))
def create_claim(request, slug: str, body: ClaimIn):
    """Record a claim and check it against the roadmap at once (the verdict comes back). If the
    model cannot be loaded the claim is saved unchecked: its verdict is blank."""
    workspace = membership(request, slug, WRITE).workspace
    form = checked_form(workspace, body.dict())
    try:
        # Not inside one transaction: save_claim saves in its own, then runs the model outside
        # any, so answers and pages that write meanwhile do not wait for it.
        claim = save_claim(form.instance, by=request.user)
    except ModelUnavailable:
        claim = form.instance
    return HttpStatus(201, get_object_or_404(claims_of(workspace), pk=claim.pk))


@router.patch("/workspaces/{slug}/claims/{claim_id}", response=responses(ClaimOut))
def update_claim(request, slug: str, body: ClaimPatch, claim_id: int = Path(..., ge=1, le=MAX_ID)):
    """Correct a claim (a mistyped text, account or day); it is checked again before answering."""
    workspace = membership(request, slug, WRITE).workspace
    claim = get_object_or_404(claims_of(workspace), pk=claim_id)
    body.check_as_read(claim, "claim")
    current = model_to_dict(claim, fields=ClaimForm.Meta.fields)
    changes = body.dict(exclude_unset=True)
    if changes.get("said_by", 0) is None and claim.said_by_id and not speaker_id(claim):
        del changes["said_by"]  # sent back as read: an erased speaker's id reads null
    if unchanged(current, changes):
        return claim
    form = checked_form(workspace, {**current, **changes}, claim)
    with contextlib.suppress(ModelUnavailable):  # saved, unchecked: its verdict is blank
        save_claim(form.instance, by=request.user)
    return get_object_or_404(claims_of(workspace), pk=claim.pk)


@router.delete("/workspaces/{slug}/claims/{claim_id}", response=responses(None, 204))
def remove_claim(request, slug: str, claim_id: int = Path(..., ge=1, le=MAX_ID)):
    """Delete a claim recorded by mistake."""
    workspace = membership(request, slug, WRITE).workspace
    delete_claim(get_object_or_404(workspace.claims, pk=claim_id))
    return HttpStatus(204, None)
