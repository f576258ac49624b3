from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from truenorth.notifications import events as notify
from truenorth.roadmap.models import (
    COMMITTED,
    Initiative,
    InitiativeChange,
    InitiativeMilestone,
    MilestoneChange,
    RoadmapStatusMapping,
)
from truenorth.workspaces.figures import bump

TRACKED_FIELDS = tuple(InitiativeChange.Field)
TOLD_FIELDS = (InitiativeChange.Field.STATUS, InitiativeChange.Field.TARGET_DATE)
# What a claim to a customer is judged by: a change to one, or archiving, is sent as
# `judged_changed` (initiative=) once it commits, and claims re-checks those it may turn.
JUDGED_FIELDS = ("status", "target_date", "title", "problem")
judged_changed = Signal()
# An import that created or changed initiatives (workspace=), once it commits: it may change
# many at once, so claims re-checks them all, as "Re-check all" does.
roadmap_imported = Signal()


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float):
        # A form gives Decimal("6"), the database Decimal("6.0"): the same estimate.
        return f"{Decimal(str(value)):.1f}"
    return str(value)


@transaction.atomic
def save_initiative(initiative: Initiative, by=None, at: datetime | None = None) -> Initiative:
    """Save an initiative and record every change of status, target date or estimate."""
    previous = None
    if initiative.pk:
        previous = Initiative.all_objects.select_for_update().filter(pk=initiative.pk).first()
    initiative.save()
    if previous is None:
        return initiative
    told = {}  # status and target date changes, for programs that follow the roadmap
    for field in TRACKED_FIELDS:
        old, new = _as_text(getattr(previous, field)), _as_text(getattr(initiative, field))
        if old != new:
            if field in TOLD_FIELDS:
                told[field] = (old, new)
            InitiativeChange.objects.create(
                initiative=initiative,
                field=field,
                old_value=old,
                new_value=new,
                changed_at=at or timezone.now(),
                changed_by=by,
            )
    notify.initiative_changed(initiative, told)
    if any(getattr(previous, f) != getattr(initiative, f) for f in JUDGED_FIELDS):
        _tell_claims(initiative)
    if initiative.status in COMMITTED:
        notify.committed_slip(initiative, previous.target_date)  # told if it moved later
    return initiative


@transaction.atomic
def save_milestone(
    milestone: InitiativeMilestone, by=None, at: datetime | None = None
) -> InitiativeMilestone:
    """Save a milestone and record a move of its target date, dated `at` (imports) or now."""
    previous = None
    if milestone.pk:
        previous = InitiativeMilestone.objects.select_for_update().filter(pk=milestone.pk).first()
    elif milestone.position == 0:
        last = milestone.initiative.milestones.order_by("-position").first()
        milestone.position = last.position + 1 if last else 1
    milestone.save()
    if previous is not None and previous.target_date != milestone.target_date:
        MilestoneChange.objects.create(
            milestone=milestone,
            old_target=previous.target_date,
            new_target=milestone.target_date,
            changed_at=at or timezone.now(),
            changed_by=by,
        )
    # Milestones are not among the models whose signals renew the cached figures.
    bump(milestone.initiative.workspace_id)
    return milestone


@transaction.atomic
def remove_milestone(milestone: InitiativeMilestone) -> None:
    """Delete a milestone with its history."""
    milestone.delete()
    bump(milestone.initiative.workspace_id)


def archive_initiative(initiative: Initiative) -> bool:
    """Take an initiative off the roadmap, its figures and claim matching; work items and claims
    linked to it keep the link, its history stays. False if it was archived already."""
    return _set_archived(initiative, timezone.now())


def restore_initiative(initiative: Initiative) -> bool:
    """Put an archived initiative back on the roadmap. False if it was not archived."""
    return _set_archived(initiative, None)


@transaction.atomic
def _set_archived(initiative: Initiative, at: datetime | None) -> bool:
    current = Initiative.all_objects.select_for_update().get(pk=initiative.pk)
    if (current.archived_at is None) == (at is None):
        return False
    current.archived_at = initiative.archived_at = at
    # Its signal renews the cached figures.
    current.save(update_fields=["archived_at", "updated_at"])
    _tell_claims(current)
    return True


def _tell_claims(initiative: Initiative) -> None:
    transaction.on_commit(lambda: judged_changed.send(Initiative, initiative=initiative))


@transaction.atomic
def set_status_mapping(workspace, source_status: str, status: str) -> None:
    """Map a status as another tool writes it (any case) to a roadmap status; "" removes it.
    The old mapping goes and the new one comes in one transaction: never neither."""
    word = source_status.strip()
    workspace.roadmap_status_mappings.filter(source_status__iexact=word).delete()
    if status:
        RoadmapStatusMapping.objects.create(workspace=workspace, source_status=word, status=status)
