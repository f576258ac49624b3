"""A workspace's heavy figures, computed once per change of its data and shared by every worker.

A figure (orphan work, overruns, the alignment dashboard …) is kept in Django's cache, which is
the database (settings.CACHES), so what one gunicorn worker computed every other one reads. Its
key holds the workspace's data version: a random token in DataVersion, replaced in the same
transaction as every write to the data behind a figure. Signals replace it when such a row is
saved or deleted one at a time (its model saves in a transaction: models.BehindFigures); the
actions that write in bulk (bulk_create, bulk_update, update), which send no signal, call `bump`
themselves, in the transaction of their write. A reader reads the token before the data, so it may
store new figures under an old token (harmless: nobody reads that key again) but never old
figures under the current one. The key also holds today's date (the workspace's, in its time
zone), since overruns count up to today, and the code's version (a digest of the installed
package), since a figure or a rendered part kept by the code before an upgrade may have another
shape or markup than the new code expects.
Long parts of pages are kept the same way, rendered (cached_html).
"""

import hashlib
import zlib
import zoneinfo
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar
from uuid import uuid4

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from truenorth.workspaces.models import DataVersion, Workspace

T = TypeVar("T")
P = TypeVar("P")
MISSING = object()


def bump(workspace_id: int) -> None:
    """A new data version: every figure of the workspace is computed again when next read."""
    DataVersion.objects.bulk_create(
        [DataVersion(workspace_id=workspace_id, token=uuid4().hex)],
        update_conflicts=True,
        unique_fields=["workspace"],
        update_fields=["token"],
    )


def data_version(workspace: Workspace) -> str:
    token = DataVersion.objects.filter(workspace=workspace).values_list("token", flat=True).first()
    if token is None:  # a workspace from before versions were kept
        bump(workspace.pk)
        return data_version(workspace)
    return token


def write_planned(
    workspace: Workspace, plan: Callable[[], P], write: Callable[[P], T], attempts: int = 3
) -> T:
    """write(plan()), with plan() run before the write transaction and write() alone in it.

    On SQLite a transaction holds the database's one write lock from its start, so everything
    that writes meanwhile (an answer, a login) waits for it: a long read or computation belongs
    before it. The plan is read from the data as it was at the data version read first; the
    transaction writes it only if that version is still current (every write to the data behind
    a figure replaces it), else plans again. After `attempts` plans overtaken by other writes,
    it plans inside the transaction, holding the lock longer but certain to finish.
    """
    for _ in range(attempts):
        version = data_version(workspace)
        planned = plan()
        with transaction.atomic():
            # FOR UPDATE keeps a bump on PostgreSQL out until this commits (SQLite: the lock).
            current = DataVersion.objects.select_for_update().filter(workspace=workspace)
            if current.values_list("token", flat=True).first() == version:
                return write(planned)
    with transaction.atomic():
        return write(plan())


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of every file of the installed package (its code, templates and model data),
    read once per process."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached(workspace: Workspace, name: str, compute: Callable[[Workspace], T]) -> T:
    """compute(workspace), or what this version of the code returned for the same data today.
    Today, and every date the figure counts to, is the workspace's, in its time zone, whoever
    asks: a page, the API, a command or a worker (which runs in the server's zone), so what a
    worker computed ahead is what the page then reads."""
    with timezone.override(zoneinfo.ZoneInfo(workspace.time_zone)):
        version, today = data_version(workspace), timezone.localdate()
        key = f"figure:{workspace.pk}:{version}:{today}:{code_version()}:{name}"
        value = cache.get(key, MISSING)
        if value is MISSING:
            value = compute(workspace)
            cache.set(key, value)
    return value


def cached_html(
    workspace: Workspace, name: str, template: str, context: Callable[[], dict]
) -> SafeString:
    """A part of a page rendered once per change of the data: long tables take longer to render
    than the rest of a request. It is rendered without the request, so it holds no CSRF token,
    and must show nothing that depends on who asks beyond what `name` says. It is kept
    compressed (`compressed`): long HTML repeats itself (the work list's 50 rows, a check-in's
    tables), so a tenth of the bytes or less comes out of the database."""

    def render(_: Workspace) -> bytes:
        return compressed(render_to_string(template, context()))

    return expanded(cached(workspace, f"html:{name}", render))


def compressed(html: str) -> bytes:
    """Rendered HTML as a cached figure keeps it."""
    return zlib.compress(html.encode(), level=1)


def expanded(kept: bytes) -> SafeString:
    """HTML kept by `compressed`, ready for a template (it was escaped when it was rendered)."""
    return mark_safe(zlib.decompress(kept).decode())


# --- Which writes change a figure: each watched model, and how to find its workspace ---

WATCHED: dict[str, Callable[[Model], int]] = {
    "workspaces.Workspace": lambda row: row.pk,
    "workspaces.Team": lambda row: row.workspace_id,
    "workspaces.Person": lambda row: row.workspace_id,
    "strategy.Vision": lambda row: row.workspace_id,
    "strategy.Goal": lambda row: row.workspace_id,
    # A goal's pace, on the goals page and the overview, stands on its readings.
    "strategy.GoalMeasurement": lambda row: row.goal.workspace_id,
    "roadmap.Initiative": lambda row: row.workspace_id,
    "roadmap.InitiativeChange": lambda row: row.initiative.workspace_id,
    "work.WorkItem": lambda row: row.workspace_id,
    "work.TrackerMapping": lambda row: row.workspace_id,
    "claims.Claim": lambda row: row.workspace_id,
    "decisions.Decision": lambda row: row.workspace_id,
    "glossary.Term": lambda row: row.workspace_id,
    "checkins.CheckIn": lambda row: row.workspace_id,
    "checkins.Report": lambda row: row.checkin.workspace_id,
    "feedback.FeedbackItem": lambda row: row.workspace_id,
}
# A deletion is watched only where rows are few: a receiver makes Django load every row it
# deletes, and work items and claims are deleted only with their workspace (or in the admin,
# which bumps itself); a goal's readings only with their goal or in saving its edit.
DELETIONS_WATCHED = [
    "workspaces.Team",
    "workspaces.Person",
    "strategy.Vision",
    "strategy.Goal",
    "roadmap.Initiative",
    "work.TrackerMapping",
    "glossary.Term",
    "checkins.CheckIn",
    "feedback.FeedbackItem",  # deleted one at a time on its page; imports only add and update
]


def on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loading fixtures
        bump(WATCHED[sender._meta.label](instance))


def on_delete(sender, instance, origin=None, **kwargs) -> None:
    # With the workspace itself going, there is nothing left to version.
    if isinstance(origin, Workspace) or (
        isinstance(origin, QuerySet) and origin.model is Workspace
    ):
        return
    bump(WATCHED[sender._meta.label](instance))


def watch_writes() -> None:
    """Connect the signals (when the workspaces app is ready)."""
    for label in WATCHED:
        post_save.connect(on_save, sender=apps.get_model(label), dispatch_uid=f"figures-{label}")
    for label in DELETIONS_WATCHED:
        post_delete.connect(
            on_delete, sender=apps.get_model(label), dispatch_uid=f"figures-{label}"
        )
