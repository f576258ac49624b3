from datetime import datetime

from django.db import transaction
from django.utils import timezone

from truenorth.roadmap.models import Initiative, InitiativeChange

TRACKED_FIELDS = (InitiativeChange.Field.STATUS, InitiativeChange.Field.TARGET_DATE)


def _as_text(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def save_initiative(initiative: Initiative, by=None, at: datetime | None = None) -> Initiative:
    """Save an initiative and record every change of status or target date."""
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
