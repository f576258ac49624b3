"""Sending a notification: by email, one message a person (notifications.audience), and a Block
Kit post to each active webhook told of its event: the workspace's, and a team's when the
notification is about that team.

Each channel's send is a Delivery row: queued, then sent or failed, with the attempts it took,
retried as updates are (truenorth.sending). Neither the row nor the log names a person or holds a
webhook's URL: only its host.
"""

import logging
import time
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import default_task_backend

from truenorth import sending
from truenorth.notifications import audience, signing
from truenorth.notifications.models import Delivery, Notification, Webhook
from truenorth.sending import absolute, cut, mrkdwn, section
from truenorth.workspaces.actions import host_of
from truenorth.workspaces.models import Person

log = logging.getLogger("truenorth.notifications")

# Read at each send, so a test can shorten the waits.
RETRY_DELAYS = sending.RETRY_DELAYS
# Under background workers, seconds from a webhook's failed try to the next: six tries over
# about seven and a half hours, so a receiver down for a deploy or a night still gets the post.
WORKER_BACKOFF = (30, 120, 600, 3600, 6 * 3600)


def webhooks(notification: Notification) -> list[Webhook]:
    """The active webhooks told of this event: workspace-wide ones, and the notification's
    team's."""
    teams = Q(team=None) | Q(team=notification.team) if notification.team_id else Q(team=None)
    found = notification.workspace.webhooks.filter(teams, active=True)
    return [hook for hook in found if notification.event in hook.events]


def message(notification: Notification, person: Person) -> EmailMessage:
    link = absolute(notification.path) if notification.path else ""
    body = notification.text + (f"\n\n{link}\n" if link else "\n")
    body += "\nChoose what you hear about on the notifications page of truenorth.\n"
    return EmailMessage(
        notification.title,
        body,
        notification.workspace.from_email,
        to=[f"{person.name} <{person.email}>"],
    )


def send_email(notification: Notification, people: list[Person]) -> Delivery:
    """One message to each person, tried again while the failures are ones a later try may fix."""
    row = Delivery.objects.create(
        notification=notification, channel=Delivery.Channel.EMAIL, recipients=len(people)
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
    post_to_webhook(row)
    return row


def post_to_webhook(row: Delivery) -> None:
    """Post the row's notification to its webhook. Under background workers a failure a later
    try may fix is tried again by a task queued for later (WORKER_BACKOFF), so no worker sleeps;
    with work done inline (one process, no worker) it is tried again here after RETRY_DELAYS,
    within the click that caused it, so only when the receiver answered (a 5xx, a 429): when
    nothing answered at all, waiting seconds for it would hold that click for nothing."""
    if default_task_backend.supports_defer:
        try_once(row)
    else:
        while try_once(row):
            time.sleep(RETRY_DELAYS[row.attempts - 1])


def try_once(row: Delivery) -> bool:
    """One try; the row says how it went. True when a later try may help and one is left: with
    a worker, that try is queued for when it is due."""
    notification, hook = row.notification, row.webhook
    host = host_of(hook.url)
    if hook.signed:
        body, sign = signing.payload(notification), signing.signer(hook, notification)
    else:
        body, sign = payload(notification), None
    posted = sending.post_once(hook.url, body, sign)
    row.attempts += 1
    row.response_code = posted.code
    log.info(
        "Notification %s to the webhook at %s, attempt %s: %s",
        notification.pk,
        host,
        row.attempts,
        posted.error or f"posted (HTTP {posted.code})",
    )
    error = f"{posted.error} (webhook at {host})" if posted.error else ""
    under_workers = default_task_backend.supports_defer
    tries_left = len(WORKER_BACKOFF if under_workers else RETRY_DELAYS)
    answered = posted.code is not None
    if posted.retry and row.attempts <= tries_left and (under_workers or answered):
        row.error = error
        if default_task_backend.supports_defer:
            queue_next_try(row)
        row.save()
        return True
    row.delivered, row.next_try_at = (0 if error else 1), None
    finish(row, f"1 of 1 posts not delivered: {error}" if error else "")
    return False


def queue_next_try(row: Delivery) -> None:
    from truenorth.notifications.tasks import retry_webhook  # the task module imports this one

    row.next_try_at = timezone.now() + timedelta(seconds=WORKER_BACKOFF[row.attempts - 1])
    pk = row.pk
    transaction.on_commit(lambda: retry_webhook.using(run_after=row.next_try_at).enqueue(pk))


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
        **sending.outcome_json(row),
        "webhook": row.webhook_id,
        "response_code": row.response_code,
        "next_try_at": row.next_try_at.isoformat() if row.next_try_at else None,
    }
