"""Write feedback one item at a time: what the pages call (imports write in bulk, imports.py)."""

from uuid import uuid4

from django.db import transaction

from truenorth.feedback.models import FeedbackItem, NeedLink, Source
from truenorth.strategy.models import Goal
from truenorth.workspaces.figures import bump


def new_key() -> str:
    """A field note's key: nothing outside the app names it, so it only has to be unique."""
    return f"field-{uuid4().hex}"


def save_item(item: FeedbackItem, by=None) -> FeedbackItem:
    """Save a new or edited item; a new field note gets its key, and its author."""
    with transaction.atomic():
        if item.pk is None:
            if item.source == Source.FIELD and not item.source_key:
                item.source_key = new_key()
            item.created_by = item.created_by or by
        item.save()
    return item


def delete_item(item: FeedbackItem) -> None:
    item.delete()


def decide_theme(workspace, item_ids: list[int], target, accepted: bool, by=None) -> int:
    """An editor's word on a theme: `target` (a goal or an initiative of the workspace)
    addresses its items (accepted) or does not (rejected), kept for each item so it outlives
    the theme. The number of items it was given for; items of another workspace are ignored."""
    field = "goal" if isinstance(target, Goal) else "initiative"
    items = list(workspace.feedback.filter(pk__in=item_ids).values_list("pk", flat=True))
    with transaction.atomic():
        NeedLink.objects.filter(item_id__in=items, **{field: target}).delete()
        NeedLink.objects.bulk_create(
            NeedLink(item_id=pk, accepted=accepted, decided_by=by, **{field: target})
            for pk in items
        )
        bump(workspace.pk)  # bulk writes send no signal: the kept themes are grouped afresh
    return len(items)


def confirm_value(workspace, item_ids: list[int], kind: str) -> int:
    """An editor's word on the kind of value a theme's items are about (Value); kept per item.
    The number of items it was given for."""
    with transaction.atomic():
        count = workspace.feedback.filter(pk__in=item_ids).update(value=kind)
        bump(workspace.pk)  # an update() sends no signal: the kept themes are read afresh
    return count


@transaction.atomic  # the row and its figures' new data version together (figures.py)
def confirm_goal_value(goal: Goal, kind: str) -> None:
    goal.value = kind
    goal.save(update_fields=["value", "updated_at"])  # its signal renews the kept figures
