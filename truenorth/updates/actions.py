"""Opening, refreshing, writing and publishing updates; what views, the CLI and the demo call.

Each action runs in one transaction, so a failure leaves nothing half-written. Numbers are given
under the workspace's row lock (strategy.actions.lock_workspace), as decisions are numbered."""

import calendar
import json
from datetime import date, datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from truenorth.notifications import events as notify
from truenorth.strategy.actions import lock_workspace
from truenorth.updates import rules
from truenorth.updates.facts import gather
from truenorth.updates.models import DeletedDraft, Update
from truenorth.workspaces.figures import bump, data_version
from truenorth.workspaces.models import Workspace
from truenorth.workspaces.people import ERASED_NAME, known_as


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
    update = Update(
        workspace=workspace,
        number=next_number(workspace),
        title=title,
        period_start=start,
        period_end=end,
        gathered_at=timezone.now(),
    )
    update.facts, update.gathered_version = gathered(
        workspace, start, end, today or timezone.localdate()
    )
    if by is not None and getattr(by, "is_authenticated", False):
        update.created_by = by
    update.save()
    return update


def next_number(workspace: Workspace) -> int:
    """One more than any update's number ever, a deleted draft's included (DeletedDraft)."""
    numbers = [
        kept.aggregate(n=Max("number"))["n"] or 0
        for kept in (workspace.updates.all(), workspace.deleted_drafts.all())
    ]
    return max(numbers) + 1


@transaction.atomic
def refresh(update: Update, today: date | None = None) -> Update:
    """Gather a draft's facts again from live data (a published update is left as it is)."""
    if update.is_published:
        return update
    update.facts, update.gathered_version = gathered(
        update.workspace, update.period_start, update.period_end, today or timezone.localdate()
    )
    update.gathered_at = timezone.now()
    update.save(update_fields=["facts", "gathered_at", "gathered_version"])
    return update


def gathered(workspace: Workspace, start: date, end: date, today: date) -> tuple[dict, str]:
    """The period's facts and the data version they are of, read before the data as a figure's
    is: a change made while gathering may be missed, so it counts as a later one."""
    version = data_version(workspace)
    return gather(workspace, start, end, today), version


def gathered_before_changes(update: Update) -> bool:
    """Whether data behind a draft's facts changed since they were gathered (a decision
    recorded, an initiative moved): they then miss it until gathered again. A published update
    keeps its facts, and a draft gathered before versions were kept says nothing."""
    if update.is_published or not update.gathered_version:
        return False
    return update.gathered_version != data_version(update.workspace)


@transaction.atomic
def save_texts(
    update: Update, narrative: str, partner_note: str, title: str | None = None
) -> Update:
    """The editor's texts, and the title when given (a draft's title may name what partners must
    not read); a published update cannot be edited (raise ValueError)."""
    current = Update.objects.select_for_update().get(pk=update.pk)
    if current.is_published:
        raise ValueError(f"Update {update.number} is published and cannot be edited.")
    title = (title or "").strip() or update.title
    if len(title) > Update._meta.get_field("title").max_length:
        raise ValueError("The title is too long (200 characters at most).")
    update.narrative, update.partner_note = narrative.strip(), partner_note.strip()
    update.title = title
    update.save(update_fields=["title", "narrative", "partner_note"])
    return update


@transaction.atomic
def delete_draft(update: Update) -> None:
    """Delete a draft opened by mistake (the wrong period, a second one). A published update
    stays (raise ValueError): people have read it, and its sendings and back-briefs point to it."""
    current = Update.objects.select_for_update().get(pk=update.pk)
    if current.is_published:
        raise ValueError(f"Update {update.number} is published: it stays, as people have read it.")
    DeletedDraft.objects.create(workspace_id=current.workspace_id, number=current.number)
    current.delete()


class AlreadyWithdrawn(ValueError):
    """The partners' version was withdrawn before: there is nothing left to take back."""


@transaction.atomic
def withdraw_from_partners(update: Update, by=None) -> Update:
    """Take back a published update's partners' version (it showed what was shared by mistake):
    partners no longer find the update anywhere; every internal version stays as it is.

    Raise ValueError for a draft (partners never saw it) and AlreadyWithdrawn the second time."""
    current = Update.objects.select_for_update().get(pk=update.pk)
    if not current.is_published:
        raise ValueError(f"Update {update.number} is a draft: partners have not seen it.")
    if current.is_withdrawn_from_partners:
        raise AlreadyWithdrawn(f"{withdrawn_words(current)}: there is nothing more to take back.")
    update.withdrawn_from_partners_at = timezone.now()
    if by is not None and getattr(by, "is_authenticated", False):
        update.withdrawn_from_partners_by = by
    update.save(update_fields=["withdrawn_from_partners_at", "withdrawn_from_partners_by"])
    return update


def withdrawn_words(update: Update) -> str:
    """ "Update 1 was withdrawn from partners on 6 December 2026 by Priya"."""
    moment = timezone.localtime(update.withdrawn_from_partners_at)
    said = f"Update {update.number} was withdrawn from partners on {moment.day} {moment:%B %Y}"
    who = known_as(update.withdrawn_from_partners_by, update.workspace)
    # The command line withdraws with no login (cli_updates.withdraw_command), and a login
    # removed since leaves none either: say so rather than leave the reader to guess who.
    return (
        f"{said} by {who}" if who else f"{said}, with no login recorded (as from the command line)"
    )


class NeedsConfirmation(Exception):
    """Publishing is allowed but not yet asked for plainly: the period has not ended, or the
    facts changed since the editor saw them. `problems` says what, in plain words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def stamp(update: Update) -> str:
    """When the facts an editor sees were gathered, as the publish form carries it back."""
    return update.gathered_at.isoformat() if update.gathered_at else ""


def publish(
    update: Update,
    by=None,
    today: date | None = None,
    before_period_end: bool = False,
    facts_seen: str | None = None,
) -> Update:
    """Refresh, check every audience's version against updates.rules, and publish, in one
    transaction; raise PublishRefused with the problems if any rule is broken (nothing changes).

    Raise NeedsConfirmation when the period has not ended and `before_period_end` is not given
    (its facts would freeze with days still to come), or when `facts_seen` (the stamp() of the
    facts an editor was shown) is given and the facts are no longer those: what is published
    is what was shown. The facts are kept as gathered again then, for the editor to read."""
    today = today or timezone.localdate()
    with transaction.atomic():
        current = Update.objects.select_for_update().get(pk=update.pk)
        if current.is_published:
            raise ValueError(f"Update {update.number} is published already.")
        refresh(update, today)
        found = rules.problems(update)
        if found:
            raise PublishRefused(found)
        seen = facts_seen is not None
        if seen and (not same_time(facts_seen, current) or as_stored(update) != current.facts):
            unconfirmed = FACTS_CHANGED
        elif today <= update.period_end and not before_period_end:
            unconfirmed = rules.early_warning(update, today)
        else:
            update.published_at = timezone.now()
            update.save(update_fields=["published_at"])
            notify.update_published(update)
            # A published update's support version is what the dashboard's "customer success
            # heard first" reads (updates.notice); Update is not a watched model, so bump here.
            bump(update.workspace_id)
            return update
    raise NeedsConfirmation([unconfirmed])


def same_time(seen: str, update: Update) -> bool:
    """Whether `seen` (a stamp(), however the client wrote it) is when the facts were gathered."""
    try:
        # JSON gives times to the millisecond.
        return abs(datetime.fromisoformat(seen) - update.gathered_at) < timedelta(milliseconds=1)
    except (TypeError, ValueError):  # not a time, or no zone: what was seen is unknown
        return False


def as_stored(update: Update):
    """The facts as the database gives them back (dates as text), to compare with stored ones."""
    return json.loads(json.dumps(update.facts, cls=DjangoJSONEncoder))


FACTS_CHANGED = (
    "The facts changed since they were shown (the roadmap, a decision or a check-in moved): "
    "they have been gathered again. Read the versions and the warnings again, then publish."
)


def forget_speaker(sender, person, **kwargs) -> None:
    """An erased person's name, function and id leave every update's facts, sent or not: a
    claim they made reads "told by Erased person" there, as the claims pages read it (their
    row is kept, nameless, and its id leads nowhere). What was emailed before cannot be taken
    back."""
    for update in person.workspace.updates.all():
        if unnamed(update.facts, person.pk):
            update.save(update_fields=["facts"])


def unnamed(facts, person_id: int) -> bool:
    """Blank, in place, the speaker of each `told` entry of `facts` that is `person_id`'s, and
    drop the id; whether any was."""
    found = False
    if isinstance(facts, dict):
        for entry in facts.get("told", []):
            if entry.get("person") == person_id:
                del entry["person"]
                entry.update(by=ERASED_NAME, function="")
                found = True
        values = facts.values()
    else:
        values = facts if isinstance(facts, list) else []
    for value in values:
        found = unnamed(value, person_id) or found
    return found
