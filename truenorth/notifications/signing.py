"""Signed webhooks: each event posted to a program as JSON, with a signature it can check, so a
program knows the post came from this truenorth and was not replayed later.

Headers of each post:

- `X-Truenorth-Event`: the event (goal_changed, …);
- `X-Truenorth-Delivery`: the delivery's id, as the deliveries API gives it (the same on every
  retry and resend: a program that saw it already can skip it); left out of a test post, which
  has no delivery. The body's `id` is the notification's, which all its deliveries share;
- `X-Truenorth-Timestamp`: Unix seconds when this try was sent;
- `X-Truenorth-Signature`: `sha256=` and the hex HMAC-SHA256, keyed with the webhook's secret,
  of the timestamp, a dot, and the body's exact bytes.

A receiver recomputes the HMAC over `timestamp + "." + body`, compares in constant time, and
refuses a timestamp older than it tolerates (docs/api.md#outbound-webhooks shows how)."""

import hashlib
import hmac
import secrets
import time

from truenorth.notifications.models import Notification
from truenorth.sending import absolute


def new_secret() -> str:
    return secrets.token_hex(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signer(secret: str, event: str, delivery_id: int | None):
    """The headers for one try of posting an event, signed with a webhook's `secret`, as delivery
    `delivery_id` (None for a test, which has no delivery and so no X-Truenorth-Delivery)."""

    def sign(body: bytes) -> dict:
        timestamp = str(int(time.time()))
        delivery = {"X-Truenorth-Delivery": str(delivery_id)} if delivery_id is not None else {}
        return {
            "X-Truenorth-Event": event,
            **delivery,
            "X-Truenorth-Timestamp": timestamp,
            "X-Truenorth-Signature": signature(secret, timestamp, body),
        }

    return sign


def payload(notification: Notification) -> dict:
    """What a program reads: the event, its words, where to look, and its ids and values."""
    return {
        "id": notification.pk,
        "event": notification.event,
        "workspace": notification.workspace.slug,
        "title": notification.title,
        "text": notification.text,
        "url": absolute(notification.path) if notification.path else None,
        "created_at": notification.created_at.isoformat(),
        "data": notification.data,
    }
