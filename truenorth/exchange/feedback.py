"""Customer feedback in the workspace file: each item with its source's key, out and in. Who
heard it is a person, by email; who entered it a login, kept as attribution only."""

from truenorth.exchange.schema import FeedbackIn
from truenorth.feedback.models import FeedbackItem

FIELDS = set(FeedbackIn.model_fields) - {"heard_by", "created_by"}


def feedback_out(workspace) -> list[dict]:
    return [
        {
            **{name: getattr(item, name) for name in FIELDS},
            "heard_by": item.heard_by.email if item.heard_by else None,
            "created_by": item.created_by.username if item.created_by else None,
        }
        for item in workspace.feedback.order_by("pk").select_related("heard_by", "created_by")
    ]


def import_feedback(workspace, rows: list[FeedbackIn], people: dict, users: dict) -> None:
    made = FeedbackItem.objects.bulk_create(
        [
            FeedbackItem(
                workspace=workspace,
                **row.model_dump(exclude={"heard_by", "created_by", "created_at"}),
                heard_by=people[row.heard_by] if row.heard_by else None,
                created_by=users.get(row.created_by),
            )
            for row in rows
        ],
        batch_size=500,
    )
    # created_at is set on insert (auto_now_add): the file's moments are written after.
    dated = []
    for item, row in zip(made, rows, strict=True):
        if row.created_at is not None:
            item.created_at = row.created_at
            dated.append(item)
    FeedbackItem.objects.bulk_update(dated, ["created_at"], batch_size=500)
