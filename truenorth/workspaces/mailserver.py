"""The mail server every email goes through, set by an administrator on the Mail server page.

The environment's TRUENORTH_EMAIL_* settings name it when TRUENORTH_EMAIL_HOST is set (a server
run by someone who keeps its configuration in files); otherwise the page's row does, and until
someone saves it, the settings' defaults (port 25 on localhost). Django's own SMTP backend does
the sending: Backend only fills in where to.

The password is kept sealed (truenorth.sealing) under a key made from the server's secret key, so
a backup or a database dump does not give it away; a server restored with another secret key
cannot read it, and the page asks for it again."""

from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import smtp
from django.db import transaction
from django.utils.module_loading import import_string

from truenorth import sealing
from truenorth.sending import MAIL_TIMEOUT, mail_failure
from truenorth.workspaces.models import MailServer

Security = MailServer.Security


# The purpose its key is made with: the same as before the sealing was shared, so the passwords
# saved then still read.
PASSWORD = "truenorth mail server password"


def seal(password: str) -> str:
    return sealing.seal(password, PASSWORD)


def unsealed(sealed: str) -> str | None:
    """The password, "" when none was given, None when this secret key cannot read it."""
    return sealing.unsealed(sealed, PASSWORD)


def saved() -> MailServer | None:
    return None if settings.EMAIL_FROM_ENVIRONMENT else MailServer.objects.first()


class Backend(smtp.EmailBackend):
    """Django's SMTP backend, pointed at the page's mail server when one is saved and the
    environment names none; at the settings' otherwise, as Django's own would be. It waits
    MAIL_TIMEOUT seconds at each step unless told otherwise (Django's own waits for ever), so
    no email sent in passing (a password link, a test message) holds anyone long."""

    def __init__(self, host=None, port=None, username=None, password=None, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = settings.EMAIL_TIMEOUT or MAIL_TIMEOUT
        server = saved() if host is None else None
        self.sender = server.sender if server is not None else ""
        if server is not None:
            host, port, username = server.host, server.port, server.username
            password = unsealed(server.password_sealed) or ""
            kwargs["use_tls"] = server.security == Security.STARTTLS
            kwargs["use_ssl"] = server.security == Security.SSL
        super().__init__(host, port, username, password, **kwargs)

    def send_messages(self, email_messages):
        """A message from the settings' default sender comes from the page's, when it has one."""
        for message in email_messages if self.sender else []:
            if message.from_email == settings.DEFAULT_FROM_EMAIL:
                message.from_email = self.sender
        return super().send_messages(email_messages)


CONSOLE = "django.core.mail.backends.console.EmailBackend"
# Where the console backend's emails end up: the output of whichever process sends them. That is
# the web server for a login's invitation, but a `truenorth worker` for a check-in's under
# background workers; the web server's log then holds none of them.
PRINTED_WHERE = (
    "the output of the process that sends them: the web server's, or, with background "
    "workers, the workers' (`truenorth worker`)"
)

# Where the backends Django ships send emails instead of a mail server, as the page says it.
NOT_SENT = {
    CONSOLE: f"the console: emails are not sent but written to {PRINTED_WHERE}",
    "django.core.mail.backends.filebased.EmailBackend": (
        "files: emails are written to a folder on the server, not sent"
    ),
    "django.core.mail.backends.locmem.EmailBackend": (
        "the server's memory: emails are kept there, not sent"
    ),
    "django.core.mail.backends.dummy.EmailBackend": "nowhere: emails are dropped, not sent",
}


def backend_instead() -> str:
    """The email backend this server's settings use in place of any mail server, or "" when
    emails go to one: TRUENORTH_EMAIL_BACKEND set to the console backend, say, which writes
    them to the output of the process that sends them. Then no mail server is asked anything, and the page must not say one
    answered."""
    backend = import_string(settings.EMAIL_BACKEND)
    return "" if issubclass(backend, smtp.EmailBackend) else settings.EMAIL_BACKEND


def reaching_nobody() -> str:
    """Where emails go in words when this server's settings send them to no one ("the
    console, where emails are not sent but written to the output of…"), "" when they reach
    people.
    The test backend that keeps them in memory counts as reaching people: a test reads them
    there as a person would read their inbox."""
    backend = backend_instead()
    if not backend or backend == "django.core.mail.backends.locmem.EmailBackend":
        return ""
    return where_emails_go(backend).replace(": ", ", where ", 1)


def where_emails_go(backend: str) -> str:
    """In words, where a backend that is no mail server puts the emails."""
    return NOT_SENT.get(backend, f"{backend}, which is no mail server")


@dataclass
class InUse:
    """Where the emails go now, as the page and its JSON twin show it: the mail server (host,
    port…), unless the settings' backend sends through none (`sent_to_mail_server` false)."""

    backend: str  # the email backend's dotted path, as TRUENORTH_EMAIL_BACKEND names it
    sent_to_mail_server: bool
    goes_to: str  # where a backend that is no mail server puts them; else "host:port"
    source: str  # of the mail server below: "environment", "page" or "default"
    host: str
    port: int
    security: str
    username: str
    sender: str
    has_password: bool
    password_unreadable: bool = False

    def __post_init__(self):
        self.goes_to = self.goes_to or f"{self.host}:{self.port}"

    @property
    def security_label(self) -> str:
        return Security(self.security).label

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def in_use() -> InUse:
    instead = backend_instead()
    where = {
        "backend": settings.EMAIL_BACKEND,
        "sent_to_mail_server": not instead,
        "goes_to": where_emails_go(instead) if instead else "",
    }
    server = saved()
    if server is not None:
        password = unsealed(server.password_sealed)
        return InUse(
            **where,
            source="page",
            host=server.host,
            port=server.port,
            security=server.security,
            username=server.username,
            sender=server.sender or settings.DEFAULT_FROM_EMAIL,
            has_password=bool(password),
            password_unreadable=password is None,
        )
    if settings.EMAIL_USE_SSL:
        security = Security.SSL
    else:
        security = Security.STARTTLS if settings.EMAIL_USE_TLS else Security.NONE
    return InUse(
        **where,
        source="environment" if settings.EMAIL_FROM_ENVIRONMENT else "default",
        host=settings.EMAIL_HOST,
        port=settings.EMAIL_PORT,
        security=security,
        username=settings.EMAIL_HOST_USER,
        sender=settings.DEFAULT_FROM_EMAIL,
        has_password=bool(settings.EMAIL_HOST_PASSWORD),
    )


@transaction.atomic
def save(fields: dict, password: str | None, by=None) -> MailServer:
    """Set the mail server (host, port, security, username, sender); `password` None keeps the
    saved one, "" clears it."""
    server = MailServer.objects.select_for_update().first() or MailServer()
    for name in ("host", "port", "security", "username", "sender"):
        setattr(server, name, fields[name])
    if password is not None:
        server.password_sealed = seal(password)
    server.changed_by = by if getattr(by, "is_authenticated", False) else None
    server.save()
    return server


def mail_server_problem(
    nothing: str = "nothing was sent and nobody was marked invited",
) -> str | None:
    """Why no mail can go out now, or None: asked before anyone is marked. Only an SMTP
    backend has a server to ask; the test and console backends always pass."""
    if backend_instead():
        return None
    connection = get_connection(timeout=MAIL_TIMEOUT)
    try:
        connection.open()
    except OSError as error:  # smtplib's errors too: it answered, then refused us (login, TLS)
        # The Mail server page's host and port, or the settings'.
        return mail_failure(error, connection.host, connection.port, MAIL_TIMEOUT, nothing)
    with suppress(OSError):
        connection.close()
    return None


def send_test(to: str) -> str:
    """A test message to `to` through the mail server in use: "" when it was taken, else why
    not and what to check (sending.mail_failure), as the page and `truenorth mail test` say."""
    text = "This message came through the mail server truenorth sends with: email works.\n"
    connection = get_connection()
    message = EmailMessage("truenorth: a test message", text, settings.DEFAULT_FROM_EMAIL, [to])
    try:
        connection.send_messages([message])
    except OSError as error:  # refused, unreachable, TLS: smtplib's errors are OSErrors
        host = getattr(connection, "host", settings.EMAIL_HOST)  # a mail server's backend
        port = getattr(connection, "port", settings.EMAIL_PORT)
        return mail_failure(error, host, port, getattr(connection, "timeout", None))
    return ""
