"""What every sender shares: posting JSON to a Slack-compatible webhook with retries, sending one
message a person with retries, and telling whether a failed post or message is worth trying
again. Used by updates.delivery, notifications.delivery, rituals.summary and the check-ins'
invitations.

Errors are described without the URL (a webhook's path is its secret) and without addresses.
"""

import errno
import http.client
import ipaddress
import json
import re
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

# Seconds to wait before each attempt after the first: three attempts in all.
RETRY_DELAYS = (2, 10)
SEND_TIMEOUT = 30
# Seconds to wait on the mail server at each step (connecting, each answer): the Mail server
# page's own check uses it too. Without it an unreachable server held a worker 30 s a message.
MAIL_TIMEOUT = 5
# Slack's limits: 50 blocks a message, 3000 characters a section's text, 150 a header's.
MAX_BLOCKS, MAX_TEXT, MAX_HEADER = 50, 3000, 150
# After what is wrong with a webhook's address, which no later try can mend.
UNUSABLE = "an owner removes the webhook and adds it again with a valid address"


def absolute(path: str) -> str:
    """A page's address as a message must give it: with the site's."""
    return f"{settings.SITE_URL.rstrip('/')}{path}" if path.startswith("/") else path


def mrkdwn(text: str) -> str:
    """Text safe inside Slack's mrkdwn: its three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def in_quotes(title: str) -> str:
    """A title or a quotation in quotation marks, its own double quotation marks made single: a
    glossary check-in's “What we mean by ‘customer’” rather than two quotations closing at
    once."""
    single = title.replace("“", "‘").replace("”", "’").replace('"', "'")
    return f"“{single}”"


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, MAX_TEXT)}}


def reason(error: OSError) -> str:
    """Why a mail server or connection failed, as its answer says; names nobody."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        said = text.decode(errors="replace") if isinstance(text, bytes) else text
        return f"{error.smtp_code} {said}".rstrip(".")
    # Without its final full stop: the sentences around it end their own.
    return (error.strerror or str(error) or type(error).__name__).rstrip(".")


def mail_failure(
    error: OSError, host: str, port: int, timeout: float | None = None, outcome: str = ""
) -> str:
    """What went wrong with the mail server at host:port, in plain words that say what to check:
    "No mail server answered at smtp.example.com:587: <outcome>. Nothing came back within 5
    seconds…". The Mail server page, `truenorth mail test`, the check before a send and the
    sends themselves all say it so. Names nobody: never an address a message was for."""
    headline, cause, check = explained(error, host, port, timeout)
    if outcome:
        return f"{headline}: {outcome}. {cause[0].upper()}{cause[1:]}. {check}."
    return f"{headline}: {cause}. {check}."


def explained(error: OSError, host: str, port: int, timeout: float | None) -> tuple[str, str, str]:
    """(what happened, why, what to check) for mail_failure."""
    nobody = f"No mail server answered at {host}:{port}"
    server = f"The mail server at {host}:{port}"
    said = reason(error)
    if timed_out(error):
        within = f"within {timeout:g} seconds" if timeout else "in time"
        return (
            nobody,
            f"nothing came back {within}, so it cannot be reached from this server",
            "Check the host and port, and that no firewall blocks the way",
        )
    if isinstance(error, socket.gaierror):
        return (
            nobody,
            f"no address is known for the name {host}",
            "Check its spelling, or this server's DNS",
        )
    if isinstance(error, ConnectionRefusedError):
        return (
            nobody,
            f"it refused the connection, so nothing listens on port {port} there",
            "Check the port, and that the mail server is running",
        )
    if error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return (
            nobody,
            f"this server has no route to {host}",
            "Check the host, and this server's network and firewall",
        )
    if isinstance(error, smtplib.SMTPNotSupportedError) or "STARTTLS" in str(error):
        if "AUTH" in str(error):
            return (
                server + " refused the login",
                "it offers no login",
                "Leave the user name empty, or choose the security it asks for first",
            )
        return (
            server + " answered, but not in the security chosen",
            "it offers no STARTTLS",
            "Choose “TLS from the start” or “None”",
        )
    if isinstance(error, ssl.SSLError):
        if "WRONG_VERSION_NUMBER" in str(error):
            return (
                server + " answered, but not in the security chosen",
                "it does not speak TLS from the start",
                "Choose “STARTTLS” or “None”",
            )
        return (
            server + " answered, but the TLS connection with it failed",
            f"it said {said}",
            "Check the security setting, and the server's certificate",
        )
    if isinstance(error, (ConnectionError, smtplib.SMTPServerDisconnected)):  # reset, closed
        return (
            f"The connection to {host}:{port} was closed before a mail server answered",
            "the port or the security setting is likely not the server's",
            (
                "Check the port and the security setting (STARTTLS usually on port 587, TLS from "
                "the start on 465, none on 25), and that no firewall cuts the connection"
            ),
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            server + " refused the login",
            f"it answered {said}",
            "Check the user name and password",
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return (
            server + " refused the sender address",
            f"it answered {said}",
            "Set a sender address it accepts",
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Only its codes: its words, and smtplib's own text of it, may quote the address.
        codes = sorted({code for code, _ in error.recipients.values()})
        return (
            server + " refused the address",
            f"it answered {', '.join(map(str, codes))}",
            "Try again later" if codes[-1] < 500 else "Check the address",
        )
    if isinstance(error, smtplib.SMTPResponseException):
        later = error.smtp_code < 500
        return (
            server + " did not take the message",
            f"it answered {said}",
            "Try again later" if later else "Ask whoever runs the mail server what it needs",
        )
    return nobody, said[:1].lower() + said[1:], "Check the host, port and security setting"


def timed_out(error: OSError) -> bool:
    """Whether the mail server did not answer in time: while connecting, or once connected
    (smtplib then says "Connection unexpectedly closed: timed out", though nothing closed)."""
    if isinstance(error, TimeoutError):  # socket.timeout too
        return True
    return isinstance(error, smtplib.SMTPServerDisconnected) and str(error).endswith("timed out")


def check_webhook_url(url: str) -> str:
    """The address stripped, or ValueError saying why a webhook may not have it: https:// and a
    host; http:// too, and an address inside the server's network, where
    TRUENORTH_WEBHOOK_ALLOW_HTTP is set, for receivers on an internal network."""
    url = url.strip()
    parts = urlsplit(url)
    schemes = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        starts = "https:// or http://" if settings.WEBHOOK_ALLOW_HTTP else "https://"
        raise ValueError(f"a webhook's address starts with {starts} and names a host")
    if len(url) > 500:
        raise ValueError("a webhook's address is at most 500 characters")
    problem = written_wrong(url, parts)
    if problem:
        # Else it is saved, and every post to it fails: urllib cannot even send it.
        raise ValueError(f"a webhook's address {problem}")
    # "localhost." is localhost: a name's trailing dot only says it is complete.
    host = parts.hostname.removesuffix(".")
    if written_inside_the_network(host) and not settings.WEBHOOK_ALLOW_HTTP:
        # Else an owner could probe the server's own network by what each test post answers.
        raise ValueError(
            "a webhook's address may not be a loopback, private or link-local address unless "
            "the server sets TRUENORTH_WEBHOOK_ALLOW_HTTP"
        )
    return url


def written_wrong(url: str, parts: SplitResult) -> str:
    """What makes the address one no post can be made to, as the end of a sentence; "" when
    nothing does. Its host must be a name whose labels are 1 to 63 characters of letters,
    digits and hyphens (or an IDN), or an IP address."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return "may not contain spaces or control characters"
    if parts.username is not None or parts.password is not None:
        return "may not carry a user name or password (user:password@…)"
    try:
        port = parts.port
    except ValueError:  # not a number, or above 65535
        port = 0
    if port == 0:
        return "needs a port from 1 to 65535, or none"
    host = parts.hostname or ""
    if is_ip_address(host):
        return ""
    try:
        labels = host.encode("idna").decode("ascii").removesuffix(".").split(".")
    except UnicodeError:  # a label empty or over 63 characters: "hooks..example.com"
        return "needs a host whose every part between dots is 1 to 63 characters"
    if len(host) > 253 or not all(HOST_LABEL.fullmatch(label) for label in labels):
        return "needs a host of letters, digits, hyphens and dots only"
    return ""


HOST_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?", re.IGNORECASE)


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])  # an IPv6 address may carry its zone
    except ValueError:
        return False
    return True


def written_inside_the_network(host: str) -> bool:
    """Whether the host is written as an address of the server's own machine or network; a name
    is checked where it leads at each post (connect_outside)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:  # every way of writing an address: 127.1, 2130706433 and 0x7f.0.0.1 are 127.0.0.1
        found = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        return False
    return any_inside(found)


def any_inside(found: list) -> bool:
    """Whether any of getaddrinfo's addresses is the server's own machine's or network's (an
    IPv6 address may carry its zone: "fe80::1%eth0")."""
    return any(not ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in found)


class InsideTheNetwork(OSError):
    """A webhook's host name led to an address of the server's own machine or network."""

    def __init__(self, host: str):
        super().__init__()
        self.strerror = (
            f"{host} leads to a loopback, private or link-local address, and this server does "
            "not set TRUENORTH_WEBHOOK_ALLOW_HTTP"
        )


def connect_outside(address, timeout, source_address=None):
    """socket.create_connection, refusing a host any of whose addresses is inside the server's
    network. A name checked when the webhook was saved may lead elsewhere by the time it is
    posted to (its DNS changed, or answers differently each time): so it is resolved once here,
    and the connection made to the very address checked."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if any_inside(found):
        raise InsideTheNetwork(host)
    return socket.create_connection((found[0][4][0], port), timeout, source_address)


class _Outside:
    """An HTTP(S) connection that makes its socket with connect_outside."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = connect_outside  # http.client's hook for making the socket


class OutsideHTTPConnection(_Outside, http.client.HTTPConnection):
    """http.client's connection, reaching only addresses outside the server's network."""


class OutsideHTTPSConnection(_Outside, http.client.HTTPSConnection):
    """The same over TLS: the certificate is still checked against the host's name."""


class OutsideHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(OutsideHTTPConnection, req)


class OutsideHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(OutsideHTTPSConnection, req)


def opener() -> urllib.request.OpenerDirector:
    """What posts are made with: one that reaches only addresses outside the server's network,
    redirects included, unless TRUENORTH_WEBHOOK_ALLOW_HTTP is set."""
    if settings.WEBHOOK_ALLOW_HTTP:
        return urllib.request.build_opener()
    return urllib.request.build_opener(OutsideHTTPHandler, OutsideHTTPSHandler)


def post(
    url: str,
    payload: dict,
    sign: Callable[[bytes], dict] | None = None,
    timeout: float = SEND_TIMEOUT,
) -> int:
    """POST the payload as JSON, with the headers `sign(body)` gives (a signature) if any; the
    HTTP status it was answered with. Raises OSError (HTTPError included) when it did not land."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", **(sign(body) if sign else {})}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with opener().open(request, timeout=timeout) as response:
        response.read()
        return response.status


@dataclass
class Posted:
    """How one try of a post went: the HTTP status it was answered with (None when no answer
    came), why it did not land ('' when it did), and whether a later try may help."""

    code: int | None
    error: str = ""
    retry: bool = False


def post_once(
    url: str,
    payload: dict,
    sign: Callable[[bytes], dict] | None = None,
    timeout: float = SEND_TIMEOUT,
) -> Posted:
    """One try; whatever goes wrong is said in the Posted, never raised. An address saved
    before it was checked as now (check_webhook_url) is not tried: no later try can do better,
    and urllib's own complaint would quote part of it, a secret."""
    problem = written_wrong(url, urlsplit(url))
    if problem:
        return Posted(None, f"its address {problem}; {UNUSABLE}")
    try:
        return Posted(post(url, payload, sign, timeout))
    except OSError as failure:
        error, retry = http_error(failure)
        code = failure.code if isinstance(failure, urllib.error.HTTPError) else None
        return Posted(code, error, retry)
    except (ValueError, http.client.InvalidURL):  # what written_wrong missed, e.g. a bad IDN
        return Posted(None, f"its address cannot be posted to; {UNUSABLE}")
    except http.client.HTTPException as failure:  # an answer that is not HTTP, or cut short
        return Posted(None, f"its answer was not HTTP ({type(failure).__name__})", True)


def http_error(error: OSError) -> tuple[str, bool]:
    """(why the post failed, whether trying again may help); never the URL."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}", error.code >= 500 or error.code == 429
    if isinstance(error, urllib.error.URLError):
        cause = error.reason
        text = getattr(cause, "strerror", None) or type(cause).__name__
        return text, not isinstance(cause, InsideTheNetwork)
    return error.strerror or type(error).__name__, True


def mail_error(error: OSError, connection=None) -> tuple[str, bool]:
    """(why a message did not go out, whether trying again may help); names nobody. A failure
    of the server rather than of one mailbox says what to check (mail_failure), where the
    connection names its server."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        text = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in answers)
        return text, all(400 <= code < 500 for code, _ in answers)
    code = error.smtp_code if isinstance(error, smtplib.SMTPResponseException) else None
    host, port = getattr(connection, "host", None), getattr(connection, "port", None)
    if host and port:
        text = mail_failure(error, host, port, getattr(connection, "timeout", None))
    else:
        text = reason(error)
    return text, code is None or code < 500


def post_json(
    url: str,
    payload: dict,
    delays: Sequence[float] = RETRY_DELAYS,
    attempted: Callable[[int, str], None] | None = None,
    sign: Callable[[bytes], dict] | None = None,
) -> tuple[int, Posted]:
    """Post until it lands, a failure is final (4xx), or the delays run out: the attempts it
    took and how the last went. `attempted(attempt, error)` hears of each try, for the sender's
    log; `sign` signs each try afresh (its timestamp is the try's)."""
    attempts = 0
    for delay in (0, *delays):
        time.sleep(delay)
        attempts += 1
        posted = post_once(url, payload, sign)
        if attempted:
            attempted(attempts, posted.error)
        if not posted.retry:
            break
    return attempts, posted


@dataclass
class Mailed:
    """How sending one message a person went: the tries it took, how many took their message,
    and why each of the others did not (by the person's key; the reasons name nobody)."""

    attempts: int = 0
    delivered: int = 0
    errors: dict[int, str] = field(default_factory=dict)
    unreached: bool = False  # the last try found no mail server to talk to

    def failure(self, total: int) -> str:
        """'' when every message went, else "2 of 5 messages not delivered: <reasons>"."""
        if not self.errors:
            return ""
        reasons = "; ".join(sorted(set(self.errors.values())))
        return f"{len(self.errors)} of {total} messages not delivered: {reasons}"


def mail_each(
    people: Sequence,
    message_for: Callable[..., EmailMessage],
    delays: Sequence[float] = RETRY_DELAYS,
    attempted: Callable[[Mailed], None] | None = None,
    wait_for_absent_server: bool = True,
) -> Mailed:
    """One message to each person (`message_for(person)`), over one connection a try; tried
    again after each delay for those whose failure a later try may fix (a dropped connection, a
    4xx answer), never for a mailbox the server refuses. `attempted` hears after each try, for
    the sender's log. With `wait_for_absent_server` off, a try that finds no mail server at all
    is the last: for a message sent in passing within someone's click, which should not wait
    seconds on a server that is not there."""
    done = Mailed()
    waiting = list(people)
    for delay in (0, *delays):
        if not waiting or (done.unreached and not wait_for_absent_server):
            break
        time.sleep(delay)
        done.attempts += 1
        waiting = mail_once(waiting, message_for, done)
        if attempted:
            attempted(done)
    return done


def mail_once(people: list, message_for: Callable[..., EmailMessage], done: Mailed) -> list:
    """One try over one connection (send_each); the people worth trying again."""
    again = []
    done.unreached = False
    for person, unsent in send_each(people, message_for):
        if unsent is None:
            done.errors.pop(person.pk, None)
            done.delivered += 1
            continue
        done.errors[person.pk] = unsent.error
        done.unreached |= unsent.unreached
        if unsent.retry:
            again.append(person)
    return again


@dataclass
class Unsent:
    """Why one message did not go out (naming nobody), whether a later try may help, whether
    the server refused the person's mailbox (its answer may quote the address), and whether no
    mail server was reached at all."""

    error: str
    retry: bool
    refused: bool = False
    unreached: bool = False


T = TypeVar("T")  # what a message is for: a person, an invitation


def send_each(
    items: Iterable[T], message_for: Callable[[T], EmailMessage | None]
) -> Generator[tuple[T, Unsent | None], None, None]:
    """Each item with how its message (`message_for(item)`; None sends none) went: None once the
    mail server took it, else why not. All go over one connection, opened again after a failed
    message, not after a refused mailbox. Once connecting fails, every message left fails with
    it, untried: an unreachable server held a send its timeout for each person in turn."""
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT or MAIL_TIMEOUT)
    unreachable: Unsent | None = None
    try:
        for item in items:
            message = message_for(item)
            if message is None:
                continue
            if unreachable is None:
                try:
                    connection.open()  # unless it is open
                except OSError as failed:
                    no_answer = not isinstance(failed, smtplib.SMTPResponseException)
                    unreachable = Unsent(*mail_error(failed, connection), unreached=no_answer)
            yield item, unreachable or deliver(connection, message)
    finally:
        with suppress(OSError):
            connection.close()


def deliver(connection, message: EmailMessage) -> Unsent | None:
    """None once the mail server has taken the message, else why it did not."""
    try:
        if connection.send_messages([message]) == 1:
            return None
        return Unsent("the mail backend sent nothing", False)
    except smtplib.SMTPRecipientsRefused as refused:
        return Unsent(*mail_error(refused), refused=True)
    except OSError as error:  # SMTPException included
        with suppress(OSError):
            connection.close()  # perhaps half-broken: the next message opens a new one
        return Unsent(*mail_error(error, connection))


def close(row, error: str) -> None:
    """A send row (an update's or a notification's: status, error, sent_at) after its last
    try: failed with the error, or sent now."""
    row.status = "failed" if error else "sent"
    row.error = error
    if not error:
        row.sent_at = timezone.now()
    row.save()


def outcome_json(row) -> dict:
    """What every send row says of itself, for pages and JSON."""
    return {
        "channel": row.channel,
        "recipients": row.recipients,
        "delivered": row.delivered,
        "status": row.status,
        "attempts": row.attempts,
        "error": row.error,
        "created_at": row.created_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
    }
