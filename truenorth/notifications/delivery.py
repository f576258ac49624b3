"""Sending a notification: by email, one message a person (notifications.audience), and a Block
Kit post to each active webhook told of its event: the workspace's, and a team's when the
notification is about that team.

Each channel's send is a Delivery row: queued, then sent or failed, with the attempts it took.
Email is retried as updates are (truenorth.sending); a webhook's post is tried once at a time,
its next try made later (try_once), and a failed one can be resent by an owner (resend).
Neither the row nor the log names a person or holds a webhook's URL: only its host. A webhook
this server's secret key cannot read (models.Webhook) is not posted to: its delivery fails,
saying so.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from truenorth import sending
from truenorth.notifications import audience, events, process, signing, unsubscribe
from truenorth.notifications.models import Delivery, Notification, Webhook
from truenorth.sending import absolute, cut, mrkdwn, section
from truenorth.workspaces.mailserver import backend_instead
from truenorth.workspaces.models import Person

log = logging.getLogger("truenorth.notifications")

# Read at each send, so a test can shorten the waits.
RETRY_DELAYS = sending.RETRY_DELAYS
# Seconds from a webhook's failed try to the next: six tries over about seven and a half hours,
# so a receiver down for a deploy or a night still gets the post.
WORKER_BACKOFF = (30, 120, 600, 3600, 6 * 3600)
SEND_TIMEOUT = sending.SEND_TIMEOUT
# With work done inline a post is made within someone's click: however many webhooks hear of it
# and however slow they answer, each holds the click this long at most.
INLINE_TIMEOUT = 5
UNREADABLE = (
    "its address cannot be read with this server's secret key (it was saved under another): "
    "an owner removes the webhook and adds it again"
)


def webhooks(notification: Notification) -> list[Webhook]:
    """The active webhooks told of this event: workspace-wide ones, and the notification's
    team's."""
    teams = Q(team=None) | Q(team=notification.team) if notification.team_id else Q(team=None)
    found = notification.workspace.webhooks.filter(teams, active=True)
    return [hook for hook in found if notification.event in hook.events]


def message(notification: Notification, person: Person) -> EmailMessage:
    """The notification's words, its page, and how to stop hearing of it: a link that stops
    this event for this person with no login (notifications.unsubscribe), in the footer and as
    List-Unsubscribe with its one-click POST (RFC 8058); for someone with a login, the
    preferences page too."""
    link = absolute(notification.path) if notification.path else ""
    stop = unsubscribe.link(person, notification.event)
    body = notification.text + events.told_customers(notification, person)
    body += f"\n\n{link}\n" if link else "\n"
    body += "\nYou get this because of your notification choices, or their defaults.\n"
    if notification.workspace.memberships.filter(person=person).exists():
        choices = absolute(reverse("notifications", args=[notification.workspace.slug]))
        body += f"Change them: {choices}\n"
    body += f"Stop emails of “{notification.get_event_display()}”: {stop}\n"
    return EmailMessage(
        notification.title,
        body,
        notification.workspace.from_email,
        to=[f"{person.name} <{person.email}>"],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_email(notification: Notification, people: list[Person]) -> Delivery:
    """One message to each person, tried again while the failures are ones a later try may fix."""
    row = Delivery.objects.create(
        notification=notification,
        channel=Delivery.Channel.EMAIL,
        recipients=len(people),
        handed_to=handed_to(),
    )

    def attempted(done: sending.Mailed) -> None:
        log.info(
            "Notification %s by email, attempt %s: %s of %s sent",
            notification.pk,
            done.attempts,
            done.delivered,
            row.recipients,
        )

    done = sending.mail_each(
        people,
        lambda person: message(notification, person),
        RETRY_DELAYS,
        attempted,
        # Inline, the notification goes out within someone's click (see post_to_webhook).
        wait_for_absent_server=default_task_backend.supports_defer,
    )
    row.attempts, row.delivered = done.attempts, done.delivered
    finish(row, done.failure(row.recipients))
    return row


# The email backends Django ships that send to no mail server, by what they do with an email.
KEEPERS = {
    "django.core.mail.backends.console.EmailBackend": Delivery.HandedTo.CONSOLE,
    "django.core.mail.backends.filebased.EmailBackend": Delivery.HandedTo.FILES,
    "django.core.mail.backends.locmem.EmailBackend": Delivery.HandedTo.MEMORY,
    "django.core.mail.backends.dummy.EmailBackend": Delivery.HandedTo.DROPPED,
}


def handed_to() -> str:
    """Where this server's settings send emails now: a mail server (an SMTP backend), or what a
    backend that only prints or keeps them does with them."""
    instead = backend_instead()
    if not instead:
        return Delivery.HandedTo.MAIL_SERVER
    return KEEPERS.get(instead, Delivery.HandedTo.OTHER)


def payload(notification: Notification) -> dict:
    """Block Kit: the title as a header, the text, and a link to the page."""
    link = absolute(notification.path) if notification.path else ""
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(notification.title, 150)}}
    ]
    if notification.text:
        blocks.append(section(mrkdwn(notification.text)))
    if link:
        blocks.append(section(f"<{link}|Open it in truenorth>"))
    return {"text": f"{notification.title} {link}".strip(), "blocks": blocks}


def send_webhook(notification: Notification, hook: Webhook) -> Delivery:
    row = Delivery.objects.create(
        notification=notification, channel=Delivery.Channel.WEBHOOK, webhook=hook, recipients=1
    )
    try_once(row)
    return row


def try_once(row: Delivery, again: bool = True, timeout: float | None = None) -> bool:
    """One try of posting the row's notification to its webhook; the row says how it went. True
    when it failed in a way a later try may fix and one is left (`again`): the row stays queued
    with the time of its next try (WORKER_BACKOFF), which a worker's task makes under workers,
    and `truenorth notifications due` (cron) without. No try sleeps or waits for the next, and
    with work done inline one try waits at most INLINE_TIMEOUT (or `timeout`): it happens within
    someone's click."""
    notification, hook = row.notification, row.webhook
    host = hook.host
    under_workers = default_task_backend.supports_defer
    timeout = timeout or (SEND_TIMEOUT if under_workers else INLINE_TIMEOUT)
    # Not tried where this process's settings refuse it: another may post it (process.py).
    refused = process.refusal(hook.url, host)
    posted = sending.Posted(None, refused) if refused else post(hook, notification, row.pk, timeout)
    refused = refused or process.refusal(hook.url, host, posted.error)
    row.attempts += 1
    row.response_code, row.tried_from = posted.code, process.current()
    log.info(
        "Notification %s to the webhook at %s, attempt %s: %s",
        notification.pk,
        host,
        row.attempts,
        posted.error or f"posted (HTTP {posted.code})",
    )
    error = refused or (f"{posted.error} (webhook at {host})" if posted.error else "")
    if again and posted.retry and row.attempts <= len(WORKER_BACKOFF):
        row.error = error
        row.next_try_at = timezone.now() + timedelta(seconds=WORKER_BACKOFF[row.attempts - 1])
        if under_workers:
            queue_next_try(row)
        row.save()
        return True
    row.delivered, row.next_try_at = (0 if error else 1), None
    finish(row, f"1 of 1 posts not delivered: {error}" if error else "")
    return False


def post(
    hook: Webhook, notification: Notification, delivery_id: int | None, timeout: float
) -> sending.Posted:
    """Post it as the webhook takes it: signed JSON for a program, Block Kit for a channel.
    Whatever goes wrong is this post's failure only: the other webhooks still get theirs."""
    url, secret = hook.url, hook.secret
    if url is None or secret is None:  # no later try can read it either
        return sending.Posted(None, UNREADABLE)
    try:
        if hook.signed:
            sign = signing.signer(secret, notification.event, delivery_id)
            return sending.post_once(url, signing.payload(notification), sign, timeout)
        return sending.post_once(url, payload(notification), timeout=timeout)
    except Exception as fault:  # one sending.post_once does not foresee: a fault of ours
        # By its kind only: its message or traceback could quote the address, a secret.
        kind = type(fault).__name__
        log.error("Notification %s to the webhook at %s: %s", notification.pk, hook.host, kind)
        return sending.Posted(None, f"this server could not make the post ({kind})")


def queue_next_try(row: Delivery) -> None:
    from truenorth.notifications.tasks import retry_webhook  # the task module imports this one

    pk, due = row.pk, row.next_try_at
    transaction.on_commit(lambda: retry_webhook.using(run_after=due).enqueue(pk))


def retry_due(workspace, at=None) -> list[Delivery]:
    """With work done inline, the workspace's webhook posts whose next try is due, each tried
    once more: what `truenorth notifications due` does from cron. Under workers their tasks do
    it."""
    if default_task_backend.supports_defer:
        return []
    due = Delivery.objects.filter(
        notification__workspace=workspace,
        status=Delivery.Status.QUEUED,
        webhook__isnull=False,
        next_try_at__lte=at or timezone.now(),
    )
    rows = list(due.select_related("notification__workspace", "webhook").order_by("next_try_at"))
    for row in rows:
        try_once(row)
    return rows


def resend(row: Delivery) -> Delivery:
    """An owner's resend of a failed post: one more try now, recorded on the same row (its
    attempts, answer and status), which keeps its id; no later try is queued if it fails."""
    row.status, row.error = Delivery.Status.QUEUED, ""
    try_once(row, again=False, timeout=INLINE_TIMEOUT)  # within the owner's click
    return row


def finish(row: Delivery, error: str) -> None:
    sending.close(row, error)
    if error:
        log.warning("Notification %s by %s failed: %s", row.notification_id, row.channel, error)


def deliver(notification: Notification) -> list[Delivery]:
    """Send it by every channel it has: email to its audience, a post to each webhook."""
    people = audience.recipients(notification)
    rows = []
    if people:
        rows.append(send_email(notification, people))
    for hook in webhooks(notification):
        rows.append(send_webhook(notification, hook))
    return rows


def delivery_json(row: Delivery) -> dict:
    return {
        "id": row.pk,
        **sending.outcome_json(row),
        "webhook": row.webhook_id,
        "response_code": row.response_code,
        "next_try_at": row.next_try_at.isoformat() if row.next_try_at else None,
        # A webhook's: the process of its latest try ("web", "worker", "command"); else null.
        "tried_from": row.tried_from or None,
        # An email's: "mail_server", or the backend that only printed or kept it ("console"…),
        # as recorded when it was sent; null for webhooks and older rows.
        "handed_to": row.handed_to or None,
        # An email "sent" to no mail server (the console backend): where it went, in words.
        "not_mailed": row.not_mailed or None,
    }
