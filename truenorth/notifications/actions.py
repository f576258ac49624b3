"""Changing who hears what: a person's preferences and the workspace's webhooks. What the pages
and `truenorth notifications` call."""

from django.db import transaction
from django.utils import timezone

from truenorth import sending
from truenorth.notifications import audience, delivery, process, signing
from truenorth.notifications.models import Delivery, Event, Notification, Preference, Webhook
from truenorth.workspaces import workers
from truenorth.workspaces.models import Person, Team, Workspace


class Refused(ValueError):
    """What was asked cannot be done; the message says why."""

    def sentence(self) -> str:
        """The reason as a sentence; a setting it names stays as written (not str.capitalize)."""
        said = str(self)
        return f"{said[:1].upper()}{said[1:]}."


def set_preferences(person: Person, chosen: dict[str, str], reset=()) -> None:
    """The person's choice for each event given (audience.ALL, NONE or INVOLVED), and `reset`
    events back to their default; the others keep theirs. A choice equal to the default is
    stored as no choice, so that the default still follows the person's role, function and
    team; except "Update published: none", always stored, since it also stops the update's own
    email (updates.delivery), which reaches people whose default is none (no login) too."""
    chosen = chosen | {event: audience.defaults(person)[event] for event in reset}
    unknown = set(chosen) - set(Event.values)
    if unknown:
        raise Refused(f"no such event: {', '.join(sorted(unknown))}")
    closed, defaults = audience.closed_to(person), audience.defaults(person)
    for event, value in chosen.items():
        offered = [v for v, _ in audience.options(person, event, defaults[event])]
        if value not in offered:
            raise Refused(f"“{Event(event).label}” is one of: {', '.join(offered)}, not {value!r}")
    opened = sorted(event for event, value in chosen.items() if value != audience.NONE)
    opened = [event for event in opened if event in closed]
    if opened:
        event = opened[0]
        raise Refused(
            f"{person.name} cannot hear of “{Event(event).label}”: it is {closed[event]}."
        )
    with transaction.atomic():
        for event, value in chosen.items():
            stops_update = event == Event.UPDATE_PUBLISHED and value == audience.NONE
            if event in reset or (value == defaults[event] and not stops_update):
                Preference.objects.filter(person=person, event=event).delete()
            else:
                Preference.objects.update_or_create(
                    person=person, event=event, defaults={"by_email": value == audience.ALL}
                )


def check_webhook_url(url: str) -> str:
    try:
        return sending.check_webhook_url(url)
    except ValueError as refused:
        raise Refused(str(refused)) from None


def add_webhook(
    workspace: Workspace,
    url: str,
    events: list[str],
    team: Team | None = None,
    name: str = "",
    by=None,
    signed: bool = False,
) -> Webhook:
    """A new webhook; a signed one gets its secret here (read it from the row once, to show)."""
    url = check_webhook_url(url)
    check_events(events)
    check_team(workspace, team)
    return Webhook.objects.create(
        workspace=workspace,
        url=url,
        events=[e for e in Event.values if e in events],
        team=team,
        name=name.strip()[:100],
        created_by=by if by is not None and by.is_authenticated else None,
        signed=signed,
        secret=signing.new_secret() if signed else "",
    )


def check_events(events: list[str]) -> None:
    unknown = set(events) - set(Event.values)
    if unknown or not events:
        raise Refused(
            f"no such event: {', '.join(sorted(unknown))}" if unknown else "choose an event"
        )


def check_team(workspace: Workspace, team: Team | None) -> None:
    if team is not None and team.workspace_id != workspace.pk:
        raise Refused("that team is not in this workspace")


def update_webhook(hook: Webhook, changes: dict) -> Webhook:
    """Pause or resume a webhook (`active`), rename it, or change its events or team, with the
    checks it was added with; its address and secret stay as they are (remove it and add it
    again to change them)."""
    if "events" in changes:
        if not changes["events"]:
            raise Refused("choose at least one event, or set active to false to pause it")
        check_events(changes["events"])
        hook.events = [e for e in Event.values if e in changes["events"]]
    if "team" in changes:
        check_team(hook.workspace, changes["team"])
        hook.team = changes["team"]
    if "name" in changes:
        hook.name = changes["name"].strip()[:100]
    if "active" in changes:
        hook.active = changes["active"]
    hook.save(update_fields=["events", "team", "name", "active"])
    return hook


def test_webhook(hook: Webhook) -> Delivery:
    """Post a test message to the webhook now; the Delivery row says how it went."""
    notification = Notification(
        workspace=hook.workspace,
        event="test",
        title=f"Test from truenorth ({hook.workspace.name})",
        text="This channel will hear of: "
        + ", ".join(str(Event(e).label).lower() for e in hook.events)
        + ".",
    )
    notification.created_at = timezone.now()
    host = hook.host
    # Not a delivery: no X-Truenorth-Delivery header, and nothing in the log.
    refused = process.refusal(hook.url, host)
    if refused:
        posted = sending.Posted(None, refused)
    else:
        posted = delivery.post(hook, notification, None, delivery.INLINE_TIMEOUT)
        refused = process.refusal(hook.url, host, posted.error)
    error = posted.error
    row = Delivery(channel=Delivery.Channel.WEBHOOK, webhook=hook, recipients=1, attempts=1)
    row.delivered, row.response_code = 0 if error else 1, posted.code
    row.status = Delivery.Status.FAILED if error else Delivery.Status.SENT
    row.error = refused or (f"{error} (webhook at {host})" if error else "")
    row.tried_from = process.current()
    return row


def answered(row: Delivery) -> str:
    """What the receiver answered a post, in a sentence, for the one who sent it."""
    if not row.error:
        host = row.webhook.host if row.webhook else "the webhook"
        return f"the receiver at {host} answered HTTP {row.response_code}."
    why = row.error.removeprefix("1 of 1 posts not delivered: ")
    return (
        f"not delivered, the receiver answered {why}."
        if row.response_code
        else f"not delivered: {why}."
    )


def resend(row: Delivery) -> Delivery:
    """Post a failed delivery again now, as one more try of the same delivery."""
    if row.status != Delivery.Status.FAILED:
        raise Refused(f"only a failed delivery is sent again; this one is {row.status}")
    if row.webhook is None:
        raise Refused("its webhook was removed")
    return delivery.resend(row)


def webhook_json(hook: Webhook) -> dict:
    return {
        "id": hook.pk,
        "name": hook.name,
        "host": hook.host,
        "team": hook.team.name if hook.team else None,
        "events": hook.events,
        "event_names": [str(Event(e).label) for e in hook.events if e in Event.values],
        "active": hook.active,
        "signed": hook.signed,
        # Saved under another secret key: nothing is posted to it until it is added again.
        "unreadable": hook.unreadable,
    }


# The states of a notification's sending task under background workers (sending_states).
QUEUED, SENDING, FAILED, DONE = "queued", "sending", "failed", "done"


def sending_states(notifications: list[Notification]) -> dict[int, str]:
    """The state of each notification's latest sending task, by id, where it is not done:
    QUEUED (waiting for a worker), SENDING (a worker has it now) or FAILED (it stopped on an
    error). A notification with no deliveries is then told apart from one nobody hears of.
    Empty when work runs inline: the task has run by the time anyone reads the log."""
    if not workers.queued_for_workers() or not notifications:
        return {}
    from django_tasks_db.models import DBTaskResult

    from truenorth.notifications.tasks import deliver_notification

    ids = {n.pk for n in notifications}
    # Each is queued on commit, after its notification was saved (or told again, later).
    since = min(n.created_at for n in notifications)
    found = DBTaskResult.objects.filter(
        task_path=deliver_notification.module_path, enqueued_at__gte=since
    ).order_by("enqueued_at")
    latest = {}
    for args, status in found.values_list("args_kwargs", "status"):
        if args["args"] and args["args"][0] in ids:
            latest[args["args"][0]] = status
    words = {"READY": QUEUED, "RUNNING": SENDING, "FAILED": FAILED}
    return {pk: words[status] for pk, status in latest.items() if status in words}


def sending_note(notification: Notification, state: str = DONE) -> str:
    """What the log says of a notification beside its deliveries, or in their place: "" when
    it was sent and its deliveries say how it went."""
    if state == QUEUED:
        no_worker = workers.none_running()
        said = "Queued: a worker sends it to the people and webhooks that hear of it."
        return f"{said} {no_worker}" if no_worker else said
    if state == SENDING:
        return "Sending: a worker is sending it now."
    if state == FAILED:
        return "Not sent: sending it stopped on an error; the worker's output says why."
    if not notification.deliveries.all():
        return "Nothing sent: nobody and no webhook hears of it."
    return ""


def log_json(notifications: list[Notification]) -> list[dict]:
    """The notifications as the log shows them, each with its sending state and note."""
    states = sending_states(notifications)
    return [notification_json(n, state=states.get(n.pk, DONE)) for n in notifications]


def notification_json(
    notification: Notification, with_deliveries: bool = True, state: str = DONE
) -> dict:
    found = {
        "id": notification.pk,
        "event": notification.event,
        "title": notification.title,
        "text": notification.text,
        "path": notification.path,
        "team": notification.team.name if notification.team else None,
        "created_at": notification.created_at.isoformat(),
    }
    if with_deliveries:
        found["deliveries"] = [delivery.delivery_json(d) for d in notification.deliveries.all()]
        # "queued", "sending" or "failed" while its sending task waits for a worker, runs or
        # stopped on an error; else "done". The note says it in words, or "nothing sent"; null
        # when the deliveries say how it went.
        found["sending"] = state
        found["sending_note"] = sending_note(notification, state) or None
    return found
