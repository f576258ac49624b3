"""Updates in the workspace file: each with its texts and the facts it was gathered with, out
and in. Sendings and back-briefs are this server's history and stay with it."""

from truenorth.bulk import restore_moments
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
    restore_moments(made, rows, "created_at")
