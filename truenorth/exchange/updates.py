"""Updates in the workspace file: each with its texts and the facts it was gathered with, out
and in. Sendings and back-briefs are this server's history and stay with it."""

from truenorth.exchange.schema import UpdateIn
from truenorth.updates.models import Update

FIELDS = set(UpdateIn.model_fields)


def updates_out(workspace) -> list[dict]:
    return [
        {name: getattr(update, name) for name in FIELDS}
        for update in workspace.updates.order_by("number")
    ]


def import_updates(workspace, rows: list[UpdateIn]) -> None:
    made = Update.objects.bulk_create(
        Update(workspace=workspace, **row.model_dump(exclude={"created_at"})) for row in rows
    )
    # created_at is set on insert (auto_now_add): the file's moments are written after.
    dated = []
    for update, row in zip(made, rows, strict=True):
        if row.created_at is not None:
            update.created_at = row.created_at
            dated.append(update)
    Update.objects.bulk_update(dated, ["created_at"], batch_size=500)
