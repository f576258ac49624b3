"""Changing who hears what: a person's preferences and the workspace's webhooks. What the pages
and `truenorth notifications` call."""

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from truenorth.notifications import audience, delivery, signing
from truenorth.notifications.models import Delivery, Event, Notification, Preference, Webhook
from truenorth.workspaces.models import Person, Team, Workspace


class Refused(ValueError):
    """What was asked cannot be done; the message says why."""


def set_preferences(person: Person, by_email: dict[str, bool]) -> None:
    """The person's choice for each event given; the others keep theirs."""
    unknown = set(by_email) - set(Event.values)
    if unknown:
        raise Refused(f"no such event: {', '.join(sorted(unknown))}")
    closed = audience.closed_to(person)
    opened = sorted(event for event, on in by_email.items() if on and event in closed)
    if opened:
        event = opened[0]
        raise Refused(
            f"{person.name} cannot hear of “{Event(event).label}”: it is {closed[event]}."
        )
    with transaction.atomic():
        for event, on in by_email.items():
            Preference.objects.update_or_create(
                person=person, event=event, defaults={"by_email": on}
            )


def check_webhook_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise Refused("a webhook's address starts with https:// and names a host")
    if len(url) > 500:
        raise Refused("a webhook's address is at most 500 characters")
    return url


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
    unknown = set(events) - set(Event.values)
    if unknown or not events:
        raise Refused(
            f"no such event: {', '.join(sorted(unknown))}" if unknown else "choose an event"
        )
    if team is not None and team.workspace_id != workspace.pk:
        raise Refused("that team is not in this workspace")
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
    host = delivery.host_of(hook.url)
    if hook.signed:
        notification.created_at = timezone.now()
        body, sign = signing.payload(notification), signing.signer(hook, notification)
    else:
        body, sign = delivery.payload(notification), None
    posted = delivery.sending.post_once(hook.url, body, sign)
    error = posted.error
    row = Delivery(channel=Delivery.Channel.WEBHOOK, webhook=hook, recipients=1, attempts=1)
    row.delivered, row.response_code = 0 if error else 1, posted.code
    row.status = Delivery.Status.FAILED if error else Delivery.Status.SENT
    row.error = f"{error} (webhook at {host})" if error else ""
    return row


def webhook_json(hook: Webhook) -> dict:
    return {
        "id": hook.pk,
        "name": hook.name,
        "host": delivery.host_of(hook.url),
        "team": hook.team.name if hook.team else None,
        "events": hook.events,
        "active": hook.active,
        "signed": hook.signed,
    }


def notification_json(notification: Notification, with_deliveries: bool = True) -> dict:
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
    return found
