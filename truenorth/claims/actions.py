"""Save claims and check them against the roadmap; what views, the CLI and the demo call."""

from collections import Counter
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from truenorth.analysis import promises
from truenorth.analysis.embed import Encoder
from truenorth.bulk import update_rows
from truenorth.claims.models import Claim, Verdict
from truenorth.embeddings.cache import cached_embedder
from truenorth.notifications import events as notify
from truenorth.roadmap.models import Initiative
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
]


def check_claims(
    workspace: Workspace, claims: Sequence[Claim], embedder: Encoder | None = None
) -> int:
    """Judge each claim against the workspace's roadmap as it is now and store the evidence."""
    if not claims:
        return 0
    embedder = embedder or cached_embedder()
    initiatives = list(workspace.initiatives.all())
    capabilities = [
        promises.Capability(i.title, i.problem, i.status, i.target_date) for i in initiatives
    ]
    verdicts = promises.check_claims(
        embedder.encode([c.text for c in claims]),
        promises.capability_vectors(capabilities, embedder.encode),
        capabilities,
    )
    now = timezone.now()
    over_before = {c.pk for c in claims if c.verdict == Verdict.OVER_PROMISE}
    for claim, verdict in zip(claims, verdicts, strict=True):
        record(claim, verdict, initiatives, now)
    newly_over = [
        c for c in claims if c.verdict == Verdict.OVER_PROMISE and c.pk not in over_before
    ]
    with transaction.atomic():
        update_rows(claims, CHECKED_FIELDS)  # not bulk_update: its Python would hold the lock
        bump(workspace.pk)  # bulk writes send no signal
        notify.over_promise(workspace, len(newly_over), now)  # one for the run, not one a claim
        notify.claims_checked(workspace, dict(Counter(c.verdict for c in claims)), now)
    return len(claims)


def record(claim: Claim, verdict: promises.Verdict, initiatives: list[Initiative], now) -> None:
    shown = verdict.evidence or verdict.nearest
    initiative = initiatives[shown.capability] if shown else None
    claim.verdict = verdict.verdict
    claim.initiative = initiative
    claim.initiative_title = initiative.title if initiative else ""
    claim.initiative_status = shown.status if shown else ""
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
