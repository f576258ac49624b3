"""What every sender shares: posting JSON to a Slack-compatible webhook with retries, and telling
whether a failed post or message is worth trying again. Used by updates.delivery,
notifications.delivery and the check-ins' invitations.

Errors are described without the URL (a webhook's path is its secret) and without addresses.
"""

import json
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence

from django.conf import settings

# Seconds to wait before each attempt after the first: three attempts in all.
RETRY_DELAYS = (2, 10)
SEND_TIMEOUT = 30
# Slack's limits: 50 blocks a message, 3000 characters a section's text, 150 a header's.
MAX_BLOCKS, MAX_TEXT, MAX_HEADER = 50, 3000, 150


def absolute(path: str) -> str:
    """A page's address as a message must give it: with the site's."""
    return f"{settings.SITE_URL.rstrip('/')}{path}" if path.startswith("/") else path


def mrkdwn(text: str) -> str:
    """Text safe inside Slack's mrkdwn: its three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, MAX_TEXT)}}


def reason(error: OSError) -> str:
    """Why a mail server or connection failed, as its answer says; names nobody."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        return f"{error.smtp_code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    return error.strerror or str(error) or type(error).__name__


def post(url: str, payload: dict) -> None:
    """POST the payload as JSON; raises OSError (HTTPError included) when it did not land."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=SEND_TIMEOUT) as response:  # noqa: S310
        response.read()


def http_error(error: OSError) -> tuple[str, bool]:
    """(why the post failed, whether trying again may help); never the URL."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}", error.code >= 500 or error.code == 429
    if isinstance(error, urllib.error.URLError):
        cause = error.reason
        text = getattr(cause, "strerror", None) or type(cause).__name__
        return text, True
    return error.strerror or type(error).__name__, True


def mail_error(error: OSError) -> tuple[str, bool]:
    """(why a message did not go out, whether trying again may help); names nobody."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        text = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in answers)
        return text, all(400 <= code < 500 for code, _ in answers)
    code = error.smtp_code if isinstance(error, smtplib.SMTPResponseException) else None
    return reason(error), code is None or code < 500


def post_json(
    url: str,
    payload: dict,
    delays: Sequence[float] = RETRY_DELAYS,
    attempted: Callable[[int, str], None] | None = None,
) -> tuple[int, str]:
    """Post until it lands, a failure is final (4xx), or the delays run out: (attempts, error),
    error '' once posted. `attempted(attempt, error)` hears of each try, for the sender's log."""
    attempts, error = 0, ""
    for delay in (0, *delays):
        time.sleep(delay)
        attempts += 1
        try:
            post(url, payload)
        except OSError as failure:
            error, retry = http_error(failure)
            if attempted:
                attempted(attempts, error)
            if retry:
                continue
            break
        if attempted:
            attempted(attempts, "")
        return attempts, ""
    return attempts, error
