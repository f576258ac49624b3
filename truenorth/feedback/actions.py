"""Write feedback one item at a time: what the pages call (imports write in bulk, imports.py)."""

from uuid import uuid4

from django.db import transaction

from truenorth.feedback.models import FeedbackItem, Source


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
