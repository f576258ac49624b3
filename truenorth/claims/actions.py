"""Save claims and check them against the roadmap; what views, the CLI and the demo call."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from truenorth.analysis import promises
from truenorth.analysis.embed import Encoder
from truenorth.analysis.matching import MATCH_SCORE, best_matches
from truenorth.bulk import update_rows
from truenorth.claims.models import ARCHIVED, Claim, Verdict
from truenorth.claims.wording import Names, capability_words, reread
from truenorth.embeddings.cache import cached_embedder
from truenorth.notifications import events as notify
from truenorth.roadmap.models import Initiative, InitiativeChange
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Workspace

CHECKED_FIELDS = [
    "verdict",
    "initiative",
    "initiative_title",
    "initiative_status",
    "target_date",
    "score",
    "matched",
    "runners_up",
    "checked_at",
    "said_status",
    "said_target_date",
]
RUNNERS_UP = 2


def check_claims(
    workspace: Workspace, claims: Sequence[Claim], embedder: Encoder | None = None
) -> int:
    """Judge each claim against the workspace's roadmap as it is now and store the evidence."""
    if not claims:
        return 0
    embedder = embedder or cached_embedder()
    initiatives = list(workspace.initiatives.prefetch_related("changes"))
    initiatives += archived_matches(claims)
    capabilities = [capability(i) for i in initiatives]
    ranked = promises.rank_capabilities(
        embedder.encode([capability_words(c.text) for c in claims]),
        promises.capability_vectors(capabilities, embedder.encode),
        capabilities,
        top=len(capabilities),
    )
    names = Names(initiatives)
    verdicts = [
        judge(claim.text, candidates(claim, closest, initiatives), capabilities, names)
        for claim, closest in zip(claims, ranked, strict=True)
    ]
    now = timezone.now()
    over_before = {c.pk for c in claims if c.verdict == Verdict.OVER_PROMISE}
    verdicts_before = {c.pk: c.verdict for c in claims}
    for claim, verdict in zip(claims, verdicts, strict=True):
        record(claim, verdict, initiatives, now)
    newly_over = [
        c for c in claims if c.verdict == Verdict.OVER_PROMISE and c.pk not in over_before
    ]
    with transaction.atomic():
        update_rows(claims, CHECKED_FIELDS)  # not bulk_update: its Python would hold the lock
        bump(workspace.pk)  # bulk writes send no signal
        notify.over_promise(workspace, len(newly_over), now)  # one for the run, not one a claim
        verdicts = {c.pk: (verdicts_before[c.pk], c.verdict) for c in claims}
        notify.claims_checked(workspace, verdicts, now, dict(Verdict.choices))  # if any changed
    return len(claims)


def archived_matches(claims: Sequence[Claim]) -> list[Initiative]:
    """The archived initiatives these claims were matched to. Each stays a candidate for its own
    claims, judged as a dropped one is (no such capability, the archive its evidence): archiving
    took the capability off the roadmap, and without it the nearest other initiative above the
    cut, however unrelated, would take the claim. Another initiative takes such a claim only by
    matching it better than the archived one does."""
    ids = {c.initiative_id for c in claims if c.matched and c.initiative_id}
    archived = Initiative.all_objects.filter(pk__in=ids, archived_at__isnull=False)
    return list(archived.prefetch_related("changes"))


def capability(initiative: Initiative) -> promises.Capability:
    status = "dropped" if initiative.archived_at else initiative.status
    return promises.Capability(initiative.title, initiative.problem, status, initiative.target_date)


def candidates(
    claim: Claim, closest: list[promises.Evidence], initiatives: list[Initiative]
) -> list[promises.Evidence]:
    """The closest initiatives less the archived ones this claim was not matched to (being the
    nearest below the cut is no match)."""
    return [
        e
        for e in closest
        if initiatives[e.capability].archived_at is None
        or (claim.matched and initiatives[e.capability].pk == claim.initiative_id)
    ]


def judge(
    text: str,
    closest: list[promises.Evidence],
    capabilities: list[promises.Capability],
    names: Names,
) -> promises.Verdict:
    """The verdict on one claim from its closest initiatives (all of them, best first): one it
    names outright ("RM-14", "SEPA", "the supplier portal") is its match whatever the model's
    score, then its words about promise and time correct the verdict (claims.wording)."""
    named = names.named(text)
    if named is None or named not in {e.capability for e in closest}:  # an archived one
        return reread(text, promises.judge(closest[: RUNNERS_UP + 1], capabilities))
    [evidence] = [e for e in closest if e.capability == named]
    others = [e for e in closest if e is not evidence and e.score >= MATCH_SCORE]
    matches = [evidence, *others[:RUNNERS_UP]]
    return reread(text, promises.judge(matches, capabilities, min(evidence.score, MATCH_SCORE)))


def record(claim: Claim, verdict: promises.Verdict, initiatives: list[Initiative], now) -> None:
    shown = verdict.evidence or verdict.nearest
    initiative = initiatives[shown.capability] if shown else None
    claim.verdict = verdict.verdict
    claim.initiative = initiative
    claim.initiative_title = initiative.title if initiative else ""
    claim.initiative_status = shown.status if shown else ""
    if initiative is not None and initiative.archived_at is not None:
        claim.initiative_status = ARCHIVED
    claim.score = round(shown.score, 1) if shown else None
    claim.matched = verdict.evidence is not None
    claim.target_date = verdict.target_date
    claim.runners_up = [
        {
            "initiative": initiatives[e.capability].pk,
            "title": initiatives[e.capability].title,
            "status": e.status,
            "score": round(e.score, 1),
        }
        for e in verdict.runners_up
    ]
    claim.checked_at = now
    claim.said_status, claim.said_target_date = "", None
    if initiative is not None and claim.matched:
        claim.said_status, claim.said_target_date = as_said(initiative, claim, now)
    if claim.verdict == Verdict.AVAILABLE and claim.said_live_before_it_shipped:
        # Shipping since does not make true what the customer was told: it stays on record.
        claim.verdict = Verdict.SAID_EARLY


def as_said(initiative: Initiative, claim: Claim, now: datetime) -> tuple[str, date | None]:
    """The initiative's status and target date when the claim was said: its history's changes
    since then undone. A claim recorded the day it was said was said before it was recorded."""
    day_after = datetime.combine(claim.said_on + timedelta(days=1), time.min)
    said = min(timezone.make_aware(day_after), claim.created_at or now)
    status, target = initiative.status, initiative.target_date
    for change in reversed(list(initiative.changes.all())):  # oldest first, prefetched
        if change.changed_at <= said:
            break
        if change.field == InitiativeChange.Field.STATUS:
            status = change.old_value
        elif change.field == InitiativeChange.Field.TARGET_DATE:
            target = date.fromisoformat(change.old_value) if change.old_value else None
    return status, target


def save_claim(claim: Claim, by=None, embedder: Encoder | None = None) -> Claim:
    """Save a claim, new or edited, then check it. A failure to check (no model) leaves it saved,
    unchecked: an edited text's old verdict is not kept, since it judged other words."""
    if claim.pk is None and by is not None and by.is_authenticated:
        claim.created_by = by
    if claim.pk is not None and Claim.objects.filter(pk=claim.pk).exclude(text=claim.text).exists():
        forget_check(claim)
    with transaction.atomic():
        claim.save()
    check_claims(claim.workspace, [claim], embedder)
    return claim


def forget_check(claim: Claim) -> None:
    for name in CHECKED_FIELDS:
        field = Claim._meta.get_field(name)
        setattr(claim, field.attname, field.get_default())


def delete_claim(claim: Claim) -> None:
    """Delete a claim recorded by mistake; the figures move on by the delete's signal."""
    claim.delete()


def recheck_all(workspace: Workspace, embedder: Encoder | None = None) -> int:
    """Re-check every claim of the workspace against the roadmap as it is now."""
    return check_claims(workspace, list(workspace.claims.all()), embedder)


def recheck_near(initiative: Initiative, embedder: Encoder | None = None) -> int:
    """Re-check the claims a change to this initiative (its status, date, words, or archiving)
    may turn: those it is the match, the nearest or a runner-up of, and, when it is on the
    roadmap, those its words match now. The workspace's other claims do not name it, so they
    stand; re-checking only these keeps a roadmap edit cheap."""
    workspace = initiative.workspace
    claims = list(workspace.claims.all())
    if not claims:
        return 0
    near = [c for c in claims if initiative.pk in evidence_of(c)]
    if initiative.archived_at is None:
        embedder = embedder or cached_embedder()
        near += matched_by_words(initiative, [c for c in claims if c not in near], embedder)
    return check_claims(workspace, near, embedder)


def evidence_of(claim: Claim) -> set[int]:
    return {claim.initiative_id, *(other["initiative"] for other in claim.runners_up)}


def matched_by_words(initiative: Initiative, claims: list[Claim], embedder: Encoder) -> list[Claim]:
    """The claims scoring at least the match cut on the initiative's title or its title with
    its problem, as check_claims scores them."""
    if not claims:
        return []
    found = best_matches(
        promises.capability_vectors([capability(initiative)], embedder.encode),
        embedder.encode([capability_words(c.text) for c in claims]),
        top=len(claims),
    )
    return [claims[i] for i in sorted({m.target for text in found for m in text})]


def roadmap_changed_since_check(workspace: Workspace) -> bool:
    """Whether an initiative's status or date changed after the oldest verdict was given."""
    oldest = workspace.claims.exclude(checked_at=None).order_by("checked_at").first()
    if oldest is None:
        return workspace.claims.filter(checked_at=None).exists()
    # An initiative archived since takes a claim's match away: that is a change too.
    changed = Initiative.all_objects.filter(workspace=workspace).filter(
        Q(changes__changed_at__gt=oldest.checked_at) | Q(archived_at__gt=oldest.checked_at)
    )
    return changed.exists() or workspace.claims.filter(checked_at=None).exists()
