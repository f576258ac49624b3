from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from truenorth.roadmap.models import Initiative, InitiativeChange

TRACKED_FIELDS = tuple(InitiativeChange.Field)


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
        previous = Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
    initiative.save()
    if previous is None:
        return initiative
    for field in TRACKED_FIELDS:
        old, new = _as_text(getattr(previous, field)), _as_text(getattr(initiative, field))
        if old != new:
            InitiativeChange.objects.create(
                initiative=initiative,
                field=field,
                old_value=old,
                new_value=new,
                changed_at=at or timezone.now(),
                changed_by=by,
            )
    return initiative
