"""Imports started from the page: the uploaded file waits, private, until its run finishes.

Files are kept under DATA_DIR/uploads (never a path the web server serves), each with a random
name readable by this user alone, and deleted when the import succeeds or fails. A worker
process (TRUENORTH_TASKS_BACKEND=database) must therefore see the same DATA_DIR as the web.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from truenorth.work.imports import ImportFailed, ImportResult, RowError
from truenorth.work.models import ImportRun
from truenorth.workspaces import progress

State = ImportRun.State
RELINKS_KEPT = 100  # of the links a file moved, those its run's page names
COUNTS = (
    "created",
    "updated",
    "unchanged",
    "changes",
    "mapped",
    "unlinked",
    "skipped",
    "kept_team",
)


def uploads() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def upload_path(run: ImportRun) -> Path:
    return uploads() / run.stored_as


def create_run(workspace, user, upload: UploadedFile, options: dict) -> ImportRun:
    """Save the upload privately and record a queued run for it (the caller enqueues it)."""
    folder = uploads()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored_as = secrets.token_hex(16)
    descriptor = os.open(folder / stored_as, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    return ImportRun.objects.create(
        workspace=workspace,
        created_by=user,
        file_name=Path(upload.name or "upload").name[:255],
        stored_as=stored_as,
        options=options,
    )


def claim(run_id: int) -> bool:
    """Move a queued run to running; False when another worker got there first."""
    return bool(ImportRun.objects.filter(pk=run_id, state=State.QUEUED).update(state=State.RUNNING))


def stopped(run: ImportRun) -> bool:
    """Whether a running run's worker stopped (killed, the machine restarted). The run stays
    "running": no other process can tell it from a slow one. But its progress, written while it
    works, is kept an hour after its last word (progress.KEEP_SECONDS), so a running run with
    none has gone quiet. Every page that speaks of an unfinished import asks this."""
    return run.state == State.RUNNING and progress.current("import", run.pk) is None


def succeeded(run: ImportRun, result: ImportResult) -> None:
    outcome = {name: getattr(result, name) for name in COUNTS}
    outcome["relinked"] = result.relinked[:RELINKS_KEPT]
    outcome["relinked_count"] = len(result.relinked)
    outcome["format"] = result.file_format  # what a file to "Recognise it" was recognised as
    outcome["no_team"] = result.no_team  # {name the file gives, or "": items with no team}
    outcome["statuses"] = result.statuses  # {status not recognised: open items with it}
    finish(run, State.DONE, {**outcome, "ignored_columns": result.ignored_columns})


def failed(run: ImportRun, failure: ImportFailed, recognised: str | None = None) -> None:
    """A refused run's problems, and what "Recognise it" makes of its file ("" for no format;
    left out where the file was not looked at, as when the import crashed)."""
    errors = [{"line": e.line, "message": e.message, "where": e.where} for e in failure.errors]
    said = (
        {"errors": errors} if recognised is None else {"errors": errors, "recognised": recognised}
    )
    finish(run, State.FAILED, said)


def row_errors(run: ImportRun) -> list[RowError]:
    """A failed run's problems, row by row, as the import named them (none while it runs or
    once it is done)."""
    errors = run.outcome.get("errors", []) if run.outcome else []
    return [RowError(e["line"], e["message"], e.get("where", "")) for e in errors]


def crashed(run: ImportRun, error: Exception) -> None:
    message = f"the import stopped on an error ({type(error).__name__}); the server's log says more"
    failed(run, ImportFailed([RowError(0, message)]))


def finish(run: ImportRun, state: str, outcome: dict) -> None:
    upload_path(run).unlink(missing_ok=True)
    run.state, run.outcome, run.finished_at = state, outcome, timezone.now()
    run.save(update_fields=["state", "outcome", "finished_at"])
