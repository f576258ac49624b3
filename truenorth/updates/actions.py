"""Opening, refreshing, writing and publishing updates; what views, the CLI and the demo call.

Each action runs in one transaction, so a failure leaves nothing half-written. Numbers are given
under the workspace's row lock (strategy.actions.lock_workspace), as decisions are numbered."""

import calendar
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from truenorth.notifications import events as notify
from truenorth.strategy.actions import lock_workspace
from truenorth.updates import rules
from truenorth.updates.facts import gather
from truenorth.updates.models import Update
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Workspace


class PublishRefused(Exception):
    """Publishing would break a rule (updates.rules); `problems` says which, in plain words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def period_title(start: date, end: date) -> str:
    """ "November 2026" for a whole month, else "3 November – 16 November 2026"."""
    whole_month = start.day == 1 and end == start.replace(
        day=calendar.monthrange(start.year, start.month)[1]
    )
    if whole_month:
        return f"{start:%B %Y}"
    first = f"{start.day} {start:%B}" + ("" if start.year == end.year else f" {start.year}")
    return f"{first} – {end.day} {end:%B %Y}"


@transaction.atomic
def open_draft(
    workspace: Workspace,
    start: date,
    end: date,
    title: str = "",
    by=None,
    today: date | None = None,
) -> Update:
    """A new draft for the period (start..end inclusive), numbered next, its facts gathered."""
    if end < start:
        raise ValueError("The period ends before it starts.")
    title = title.strip() or period_title(start, end)
    if len(title) > Update._meta.get_field("title").max_length:
        raise ValueError("The title is too long (200 characters at most).")
    lock_workspace(workspace)
    latest = Update.objects.filter(workspace=workspace).aggregate(n=Max("number"))["n"]
    update = Update(
        workspace=workspace,
        number=(latest or 0) + 1,
        title=title,
        period_start=start,
        period_end=end,
        facts=gather(workspace, start, end, today or timezone.localdate()),
        gathered_at=timezone.now(),
    )
    if by is not None and getattr(by, "is_authenticated", False):
        update.created_by = by
    update.save()
    return update


@transaction.atomic
def refresh(update: Update, today: date | None = None) -> Update:
    """Gather a draft's facts again from live data (a published update is left as it is)."""
    if update.is_published:
        return update
    update.facts = gather(
        update.workspace, update.period_start, update.period_end, today or timezone.localdate()
    )
    update.gathered_at = timezone.now()
    update.save(update_fields=["facts", "gathered_at"])
    return update


@transaction.atomic
def save_texts(update: Update, narrative: str, partner_note: str) -> Update:
    """The editor's texts; a published update cannot be edited (raise ValueError)."""
    current = Update.objects.select_for_update().get(pk=update.pk)
    if current.is_published:
        raise ValueError(f"Update {update.number} is published and cannot be edited.")
    update.narrative, update.partner_note = narrative.strip(), partner_note.strip()
    update.save(update_fields=["narrative", "partner_note"])
    return update


@transaction.atomic
def delete_draft(update: Update) -> None:
    """Delete a draft opened by mistake (the wrong period, a second one). A published update
    stays (raise ValueError): people have read it, and its sendings and back-briefs point to it."""
    current = Update.objects.select_for_update().get(pk=update.pk)
    if current.is_published:
        raise ValueError(f"Update {update.number} is published: it stays, as people have read it.")
    current.delete()


@transaction.atomic
def publish(update: Update, by=None, today: date | None = None) -> Update:
    """Refresh, check every audience's version against updates.rules, and publish; raise
    PublishRefused with the problems if any rule is broken."""
    current = Update.objects.select_for_update().get(pk=update.pk)
    if current.is_published:
        raise ValueError(f"Update {update.number} is published already.")
    refresh(update, today)
    found = rules.problems(update)
    if found:
        raise PublishRefused(found)
    update.published_at = timezone.now()
    update.save(update_fields=["published_at"])
    notify.update_published(update)
    # A published update's support version is what the dashboard's "customer success heard
    # first" reads (updates.notice); Update is not a watched model, so bump here.
    bump(update.workspace_id)
    return update
