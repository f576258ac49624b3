"""Which process makes a webhook's post, and what its settings let it post to.

Each process reads its own settings: the web server, a `truenorth worker`, and a command run
from a shell, which may lack the server's environment. A change made with `truenorth roadmap
set` on a server with inline work posts from the command line, and where that shell does not
set TRUENORTH_WEBHOOK_ALLOW_HTTP it cannot post to the http:// address the web server took. So
a delivery records which process tried (Delivery.tried_from), and its failure names that
process rather than "this server".
"""

from urllib.parse import urlsplit

import click
from django.conf import settings

from truenorth.notifications.models import Delivery

ALLOW_HTTP = "TRUENORTH_WEBHOOK_ALLOW_HTTP"


def current() -> str:
    """The process this runs in. Click's context is the `truenorth` command running in this
    thread: `truenorth worker`, whose tasks run in its main thread, or any other command. The
    web server has none: `truenorth serve` hands over to gunicorn, a process of its own, and
    Django's development server answers each request in a thread of its own."""
    context = click.get_current_context(silent=True)
    if context is None:
        return Delivery.TriedFrom.WEB
    if context.command.name == "worker":
        return Delivery.TriedFrom.WORKER
    return Delivery.TriedFrom.COMMAND


def refusal(url: str | None, host: str, error: str = "") -> str:
    """Why this process did not post to the address for want of TRUENORTH_WEBHOOK_ALLOW_HTTP,
    as a sentence without its full stop; "" when it may post. Before the post: an http://
    address, which only a process that sets it saved (as adding a webhook checks). After it, its
    `error`: the address led inside the server's network (sending.InsideTheNetwork). The web
    server is told to set it; another process, that Send again posts from the web server."""
    if url is None or settings.WEBHOOK_ALLOW_HTTP:
        return ""
    if urlsplit(url).scheme == "http":
        what = f"an http:// address (the webhook at {host})"
    elif error.endswith(f"does not set {ALLOW_HTTP}"):
        what = f"{host}, which leads to a loopback, private or link-local address"
    else:
        return ""
    who = current()
    if who == Delivery.TriedFrom.WEB:
        return f"this web server does not set {ALLOW_HTTP}, so it could not post to {what}"
    return (
        f"{by_whom(who)} does not set {ALLOW_HTTP}, so it could not post to {what}; "
        "Send again posts it from the web server"
    )


def by_whom(who: str) -> str:
    """The process, as the subject of a sentence: the command that made the change, or the
    sweep run from cron that made a later try."""
    if who == Delivery.TriedFrom.WORKER:
        return "the worker that posted it"
    context = click.get_current_context(silent=True)
    if context is not None and context.command.name == "due":
        return "the command line that ran `truenorth notifications due`"
    return "the command line that made this change"
