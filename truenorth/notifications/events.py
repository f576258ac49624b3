"""One function per event worth hearing about: each makes the Notification (told once, by its
key) and queues its delivery for when the change that raised it commits.

Call them after the change is saved, inside its transaction, so a rolled-back change tells
nobody: `notify.decision_made(decision)`. They only write one row; sending happens in
notifications.tasks.deliver_notification (inline on a single machine, a worker's otherwise).

What they say is what every internal reader may see on the page they point to: a check-in's
count of answers only when it reaches the workspace's anonymity threshold, never a group's
figure or a quote, never a customer account, never a person's answer. The one exception is a
person's own email about a slip, which names the customers that person told of the initiative
(told_customers): they made those claims themselves.
"""

import zoneinfo
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from truenorth.notifications.models import Event, Notification
from truenorth.sending import in_quotes
from truenorth.workspaces.models import Team, Workspace

CLOSING_WITHIN = timedelta(hours=48)
# False while notifications are recorded without being sent (the demo: its people are made up).
_sending: ContextVar[bool] = ContextVar("notifications_sending", default=True)


@contextmanager
def held() -> Iterator[None]:
    """Record the notifications raised inside without sending them."""
    token = _sending.set(False)
    try:
        yield
    finally:
        _sending.reset(token)


def tell(
    workspace: Workspace,
    event: str,
    key: str,
    title: str,
    text: str = "",
    path: str = "",
    team: Team | None = None,
    data: dict | None = None,
) -> Notification | None:
    """The notification for this key, queued for delivery on commit; None when it was told.
    `data` (ids and values) is what a signed webhook's program reads besides the words."""
    notification, created = Notification.objects.get_or_create(
        workspace=workspace,
        key=key,
        defaults={
            "event": event,
            "title": title[:300],
            "text": text,
            "path": path,
            "team": team,
            "data": data or {},
        },
    )
    if not created:
        return None
    if _sending.get():
        transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def enqueue(notification_id: int) -> None:
    from truenorth.notifications.tasks import deliver_notification

    deliver_notification.enqueue(notification_id)


def page(name: str, workspace: Workspace, *args) -> str:
    return reverse(name, args=[workspace.slug, *args])


def when(moment, workspace: Workspace) -> str:
    """A moment in the workspace's time zone, naming it: a worker runs in the server's zone, and
    the reader may be anywhere."""
    zone = workspace.time_zone
    return f"{timezone.localtime(moment, zoneinfo.ZoneInfo(zone)):%-d %B %Y %H:%M} ({zone} time)"


def day(on: date) -> str:
    return f"{on:%-d %B %Y}"


def checkin_opened(checkin) -> Notification | None:
    """Its invitations went out the first time."""
    return tell(
        checkin.workspace,
        Event.CHECKIN_OPENED,
        f"checkin:{checkin.pk}:opened",
        f"Check-in opened: {checkin.title}",
        f"The invitations to {in_quotes(checkin.title)} went out. "
        f"It closes {when(checkin.closes_at, checkin.workspace)}.",
        page("checkin", checkin.workspace, checkin.pk),
        data=checkin_data(checkin),
    )


def checkin_closing(checkin, missing: int) -> Notification | None:
    """It closes within CLOSING_WITHIN with answers missing (closing_soon). How many are
    missing is not said: with a small audience it tells who has answered."""
    return tell(
        checkin.workspace,
        Event.CHECKIN_CLOSING,
        f"checkin:{checkin.pk}:closing",
        f"Check-in closing soon: {checkin.title}",
        f"{in_quotes(checkin.title)} closes {when(checkin.closes_at, checkin.workspace)} and "
        "some people have not answered yet. A reminder from its page reaches only them.",
        page("checkin", checkin.workspace, checkin.pk),
        data=checkin_data(checkin),
    )


def results_ready(checkin) -> Notification | None:
    """Its results were published. The number who answered only from the threshold up; below
    it the page shows nothing, and the notification says so rather than "results ready"."""
    answered = checkin.responses.count()
    threshold = checkin.threshold
    title = f"Results ready: {checkin.title}"
    text = f"The results of {in_quotes(checkin.title)} are published on its page."
    text += f" {answered} people answered."
    if answered < threshold:
        title = f"Closed without results: {checkin.title}"
        text = (
            f"{in_quotes(checkin.title)} closed with too few answers to show anything (its "
            f"anonymity threshold is {threshold} people), so its page shows no result."
        )
    return tell(
        checkin.workspace,
        Event.RESULTS_READY,
        f"checkin:{checkin.pk}:results",
        title,
        text,
        page("checkin", checkin.workspace, checkin.pk),
        data=checkin_data(checkin),
    )


def publication_refused(checkin, why: str) -> Notification | None:
    """Its results will not be published (checkins.overlaps.kept): told to those who follow
    results, as a close without results is, with the reason its page gives."""
    return tell(
        checkin.workspace,
        Event.RESULTS_READY,
        f"checkin:{checkin.pk}:refused",
        f"Will not be published: {checkin.title}",
        why,
        page("checkin", checkin.workspace, checkin.pk),
        data=checkin_data(checkin),
    )


def checkin_data(checkin) -> dict:
    """What a program reads of each check-in event: no count of answers (results_ready's text
    gives it from the threshold up)."""
    return {
        "checkin": checkin.pk,
        "title": checkin.title,
        "closes_at": checkin.closes_at.isoformat(),
    }


def decision_made(decision) -> Notification | None:
    on, outcome = decision.decided_on, decision.outcome.strip()
    return decision_event(decision, Event.DECISION_MADE, "decided", "made", on, outcome)


def decision_reversed(decision) -> Notification | None:
    """Those who heard it was made hear it no longer holds, and why."""
    on, why = decision.closed_on, decision.reversed_because
    return decision_event(decision, Event.DECISION_REVERSED, "reversed", "reversed", on, why)


def decision_event(decision, event, done: str, headline: str, on: date, said: str):
    """A decision `done` ("decided") on a day, told with what was `said`: its key, title and
    data name the step ("decision:7:decided", "decided_on"), so each is told once."""
    owner = decision.owner
    return tell(
        decision.workspace,
        event,
        f"decision:{decision.pk}:{done}",
        f"Decision {decision.number} {headline}: {decision.title}",
        f"{done.capitalize()} on {day(on)}: {said}",
        page("decision", decision.workspace, decision.number),
        team=owner.team if owner is not None else None,
        data={"decision": decision.number, "title": decision.title, f"{done}_on": on.isoformat()},
    )


def over_promise(workspace: Workspace, found: int, at) -> Notification | None:
    """One check run found `found` claims newly judged over-promises; no account is named."""
    if found < 1:
        return None
    claims = "claim" if found == 1 else "claims"
    promises = "promises" if found == 1 else "promise"
    return tell(
        workspace,
        Event.OVER_PROMISE,
        f"claims:{at:%Y%m%dT%H%M%S%f}:over_promise",
        f"Over-promise found: {found} {claims}",
        f"{found} {claims} to customers {promises} more than the roadmap commits to. "
        "The claims page shows each with its evidence.",
        page("claims", workspace) + "?verdict=over_promise",
        data={"found": found},
    )


def committed_slip(initiative, old: date | None) -> Notification | None:
    """A committed initiative's (the caller knows) target date moved later; nothing for any
    other change."""
    new = initiative.target_date
    if old is None or new is None or new <= old:
        return None
    return tell(
        initiative.workspace,
        Event.COMMITTED_SLIP,
        f"initiative:{initiative.pk}:slip:{new.isoformat()}",
        f"Committed initiative slipped: {initiative.title}",
        f"{in_quotes(initiative.title)} is {initiative.get_status_display().lower()}; its "
        f"target date moved from {day(old)} to {day(new)} ({(new - old).days} days later).",
        page("initiative", initiative.workspace, initiative.pk),
        team=initiative.team,
        data={
            "initiative": initiative.pk,
            "title": initiative.title,
            "old_target_date": old.isoformat(),
            "new_target_date": new.isoformat(),
            "days_later": (new - old).days,
        },
    )


def told_customers(notification: Notification, person) -> str:
    """For a slip, the lines of the person's own email naming the claims they made on the
    slipped initiative ("You told Northwind Dental on 3 Nov 2026: “ships in January”"): the
    customer they will hear from. Only their own claims, so another recipient sees none of
    them, and never in a webhook's post, which carries no account."""
    if notification.event != Event.COMMITTED_SLIP:
        return ""
    claims = person.claims.filter(
        workspace=notification.workspace,
        initiative_id=notification.data.get("initiative"),
        matched=True,
    ).order_by("said_on", "pk")
    return "".join(
        f"\nYou told {claim.account} on {day(claim.said_on)}: {in_quotes(claim.text.strip())}"
        for claim in claims
    )


def goal_changed(goal, created: bool = False) -> Notification | None:
    """A goal was created, edited, archived or restored: for programs that mirror the goals."""
    what = "created" if created else "archived" if goal.archived_at else "changed"
    return tell(
        goal.workspace,
        Event.GOAL_CHANGED,
        f"goal:{goal.pk}:{timezone.now():%Y%m%dT%H%M%S%f}",
        f"Goal {what}: {goal.title}",
        f"Goal #{goal.rank} {in_quotes(goal.title)} was {what}.",
        page("goals", goal.workspace),
        data={"goal": goal.pk, "title": goal.title, "rank": goal.rank, "what": what},
    )


def initiative_changed(initiative, changes: dict[str, tuple[str, str]]) -> Notification | None:
    """Its status or target date changed (field → (old, new), as its history records them:
    ISO dates, status values), said in words: "its target date moved from 30 January 2027 to
    15 March 2027 (44 days later)". The data keeps the values, for programs."""
    if not changes:
        return None
    statuses = dict(initiative._meta.get_field("status").flatchoices)
    said = []
    if "status" in changes:
        old, new = (str(statuses.get(v, v)).lower() for v in changes["status"])
        said.append(f"its status changed from {old} to {new}" if old else f"it is {new}")
    if "target_date" in changes:
        said.append(date_moved(*changes["target_date"]))
    return tell(
        initiative.workspace,
        Event.INITIATIVE_CHANGED,
        f"initiative:{initiative.pk}:{timezone.now():%Y%m%dT%H%M%S%f}",
        f"Initiative changed: {initiative.title}",
        f"{in_quotes(initiative.title)}: {'; '.join(said)}.",
        page("initiative", initiative.workspace, initiative.pk),
        team=initiative.team,
        data={
            "initiative": initiative.pk,
            "title": initiative.title,
            "changes": {field: {"old": old, "new": new} for field, (old, new) in changes.items()},
        },
    )


def date_moved(old: str, new: str) -> str:
    """A target date's change, from its history's ISO dates, as people write dates."""
    if not old:
        return f"its target date was set to {day(date.fromisoformat(new))}"
    if not new:
        return f"its target date was removed (it was {day(date.fromisoformat(old))})"
    before, after = date.fromisoformat(old), date.fromisoformat(new)
    days = abs((after - before).days)
    later = "later" if after > before else "earlier"
    return (
        f"its target date moved from {day(before)} to {day(after)} "
        f"({days} day{'' if days == 1 else 's'} {later})"
    )


def claims_checked(
    workspace: Workspace, verdicts: dict[int, tuple[str, str]], at, words: dict[str, str]
) -> Notification | None:
    """Claims were checked against the roadmap (claim id → (its verdict before, its verdict
    now), "" before for a claim checked the first time): told only when a verdict changed, as
    how many changed from which verdict to which, in the claims page's words for them (`words`:
    "over_promise" → "Over-promise"), no account named. Checks within the same hour fold into
    one notification, posted again as it grows, so claims recorded one by one are one
    notification, not one a claim: each claim counts once, from its verdict before the hour's
    first check to its latest (the notification keeps both, at most one entry a claim of the
    workspace), and the notification's time is the latest check's."""
    if all(before == now for before, now in verdicts.values()):
        return None
    key = f"claims:{at:%Y%m%dT%H}:checked"
    told = Notification.objects.select_for_update().filter(workspace=workspace, key=key).first()
    earlier = told.data if told else {}
    claims = {**earlier.get("claims", {}), **{str(k): now for k, (_, now) in verdicts.items()}}
    # The hour's first check keeps each claim's verdict before it (older rows have none kept).
    before = {str(k): was for k, (was, _) in verdicts.items()} | earlier.get("before", {})
    moves = Counter((before.get(k, now), now) for k, now in claims.items())
    title, text = checked_in_words(moves, len(claims), words)
    data = {
        "checked": len(claims),
        "verdicts": dict(sorted(Counter(claims.values()).items())),
        "changed": [
            {"from": was or None, "to": now, "claims": n}
            for (was, now), n in sorted(moves.items())
            if was != now
        ],
        "claims": claims,
        "before": before,
    }
    if told is None:
        return tell(
            workspace, Event.CLAIMS_CHECKED, key, title, text, page("claims", workspace), data=data
        )
    told.title, told.text, told.data, told.created_at = title, text, data, at
    told.save(update_fields=["title", "text", "data", "created_at"])
    if _sending.get():
        transaction.on_commit(lambda: enqueue(told.pk))
    return told


def checked_in_words(moves: Counter, checked: int, words: dict[str, str]) -> tuple[str, str]:
    """The title and text of a check of claims, from how many moved from which verdict to which:
    "2 claims changed verdict: 1 from Committed to Over-promise, 1 from Available to Committed.
    20 claims were checked against the roadmap." """

    def claims(n: int) -> str:
        return f"{n} claim{'' if n == 1 else 's'}"

    def listed(found: Counter) -> str:
        most_first = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{n} {said}" for said, n in most_first)

    changed, new = Counter(), Counter()
    for (was, now), n in moves.items():
        if not was:
            new[words.get(now, now)] += n
        elif was != now:
            changed[f"from {words.get(was, was)} to {words.get(now, now)}"] += n
    said, headline = [], []
    if changed:
        said.append(f"{claims(changed.total())} changed verdict: {listed(changed)}")
        headline.append(f"{changed.total()} changed verdict")
    if new:
        said.append(f"{claims(new.total()).replace(' ', ' new ', 1)}: {listed(new)}")
        headline.append(f"{new.total()} new")
    if not said:
        said.append(
            "the verdicts that changed earlier this hour changed back: none differs from before"
        )
        headline.append("verdicts changed back")
    text = "; ".join(said)
    verb = "was" if checked == 1 else "were"
    return (
        f"Claims checked: {', '.join(headline)}",
        f"{text[:1].upper()}{text[1:]}. {claims(checked)} {verb} checked against the roadmap.",
    )


def update_published(update) -> Notification | None:
    return tell(
        update.workspace,
        Event.UPDATE_PUBLISHED,
        f"update:{update.pk}:published",
        f"Update {update.number} published: {update.title}",
        f"The update for {day(update.period_start)} to {day(update.period_end)} is published; "
        "each reader's version is on its page.",
        page("update", update.workspace, update.number),
        data={
            "update": update.number,
            "title": update.title,
            "period_start": update.period_start.isoformat(),
            "period_end": update.period_end.isoformat(),
        },
    )


def closing_soon(workspace: Workspace, within=None, at=None) -> list[Notification]:
    """Raise checkin_closing for each open check-in closing within CLOSING_WITHIN (48 hours)
    with answers missing; what `truenorth notifications due` runs from cron. A check-in is
    told once, however often it runs."""
    at = at or timezone.now()
    closing = workspace.checkins.filter(
        opens_at__lte=at, closes_at__gt=at, closes_at__lte=at + (within or CLOSING_WITHIN)
    )
    told = []
    for checkin in closing.order_by("closes_at", "pk"):
        invited = checkin.invitations.filter(person__in=checkin.audience())
        missing = invited.filter(responded=False).count()
        if missing and (found := checkin_closing(checkin, missing)) is not None:
            told.append(found)
    return told
