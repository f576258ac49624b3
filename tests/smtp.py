"""A real SMTP server on loopback, for tests that send mail through Django's SMTP backend.

Import the fixtures into a test module (they are named apart from their functions, so a test's
argument shadows no import): `from tests.smtp import mail_server_fixture, no_mail_server_fixture`.
"""

import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from tests.serving import free_port
from truenorth.throttling import SENDING

REFUSED = "viewer@acme.test"
LINK = re.compile(r"http://testserver/c/#([\w.-]+)")


class Inbox:
    """Keeps each message it takes and refuses one address, as a server does an unknown
    mailbox; `rcpts` lists every address a client tried, refused or not."""

    def __init__(self, refuse: str = REFUSED):
        self.refuse = refuse
        self.rcpts: list[str] = []
        self.messages: list[tuple[list[str], str]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts.append(address)
        if address == self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted for delivery"

    def to(self, email: str) -> list[str]:
        return [text for rcpts, text in self.messages if email in rcpts]

    def token_for(self, email: str) -> str:
        """The token of the last link emailed to this address."""
        return LINK.findall(self.to(email)[-1])[-1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SITE_URL = "http://testserver"


@pytest.fixture(name="mail_server")
def mail_server_fixture(settings):
    """A running server that refuses REFUSED; the inbox it fills."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


@pytest.fixture(name="no_mail_server")
def no_mail_server_fixture(settings):
    """The SMTP backend pointed at a loopback port nothing listens on; the port."""
    port = free_port()
    use_smtp(settings, port)
    return port


class Silent:
    """A loopback port that takes each connection and never answers, as a mail server that
    cannot be reached (a firewall dropping the way) looks to the sender once it times out;
    `connections` counts the tries."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self.take, daemon=True).start()

    def take(self):
        while True:
            try:
                self.connections.append(self.listener.accept()[0])
            except OSError:  # closed
                return

    def close(self):
        self.listener.close()
        for taken in self.connections:
            taken.close()


@pytest.fixture(name="silent_mail_server")
def silent_mail_server_fixture(settings):
    """The SMTP backend pointed at a server that never answers, waiting half a second for it."""
    server = Silent()
    use_smtp(settings, server.port)
    settings.EMAIL_TIMEOUT = 0.5
    yield server
    server.close()


def wait_for_password_links() -> None:
    """Until the password links being sent beside the requests (truenorth.throttling) are."""
    for thread in threading.enumerate():
        if thread.name == SENDING:
            thread.join(timeout=30)
