"""When the mail server fails: one plain sentence naming it and what to check, on the Mail server
page, in `truenorth mail test` and in a check-in's failed invitations; a warning in the log for
failed invitations; one connection tried per send, not one per person; and "Forgot your
password?" answering as fast whether the address has a login or not."""

import logging
import smtplib
import socket
import ssl
import time
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.serving import free_port
from tests.smtp import (  # noqa: F401
    mail_server_fixture,
    no_mail_server_fixture,
    silent_mail_server_fixture,
    wait_for_password_links,
)
from truenorth.checkins.actions import create_alignment_pulse, send_links
from truenorth.cli import main
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.notifications import delivery
from truenorth.notifications.models import Notification
from truenorth.sending import mail_failure
from truenorth.throttling import email_password_link
from truenorth.workspaces import mailserver
from truenorth.workspaces.models import Person

HOST = "smtp.example.com"


@pytest.mark.parametrize(
    "error, said",
    [
        (
            TimeoutError("timed out"),
            "No mail server answered at smtp.example.com:587: nothing came back within 5 seconds, "
            "so it cannot be reached from this server. Check the host and port, and that no "
            "firewall blocks the way.",
        ),
        (  # connected (a proxy took it), then no greeting: smtplib says "closed"; it timed out
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out"),
            "No mail server answered at smtp.example.com:587: nothing came back within 5 seconds",
        ),
        (
            socket.gaierror(-2, "Name or service not known"),
            "No mail server answered at smtp.example.com:587: no address is known for the name "
            "smtp.example.com. Check its spelling, or this server's DNS.",
        ),
        (
            ConnectionRefusedError(111, "Connection refused"),
            "it refused the connection, so nothing listens on port 587 there. Check the port, "
            "and that the mail server is running.",
        ),
        (
            ConnectionResetError(104, "Connection reset by peer"),
            "The connection to smtp.example.com:587 was closed before a mail server answered: the "
            "port or the security setting is likely not the server's. Check the port and the "
            "security setting",
        ),
        (
            smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid"),
            "The mail server at smtp.example.com:587 refused the login: it answered 535 5.7.8 "
            "Authentication credentials invalid. Check the user name and password.",
        ),
        (
            ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            "The mail server at smtp.example.com:587 answered, but not in the security chosen: "
            "it does not speak TLS from the start. Choose “STARTTLS” or “None”.",
        ),
        (  # smtplib's text of it is the address, and the server's words may quote it: left out
            smtplib.SMTPRecipientsRefused({"ada@acme.test": (550, b"5.1.1 <ada@acme.test>: no")}),
            "The mail server at smtp.example.com:587 refused the address: it answered 550. Check "
            "the address.",
        ),
    ],
)
def test_each_failure_is_said_truly_with_what_to_check(error, said):
    assert said in mail_failure(error, HOST, 587, 5)


def test_the_outcome_comes_between_what_happened_and_why():
    said = mail_failure(TimeoutError("timed out"), HOST, 587, 5, "nothing was sent")
    assert said.startswith(
        "No mail server answered at smtp.example.com:587: nothing was sent. Nothing came back "
        "within 5 seconds"
    )


@pytest.fixture
def admin(db, client, settings):
    settings.EMAIL_BACKEND = "truenorth.workspaces.mailserver.Backend"
    settings.EMAIL_FROM_ENVIRONMENT = False
    user = get_user_model().objects.create_user(
        "root", "root@acme.test", "a-long-password", is_staff=True
    )
    client.force_login(user)
    return client


def test_the_page_says_a_server_that_never_answers_timed_out(admin, monkeypatch):
    """It had said the server "refused the connection"."""
    silent = socket.create_server(("127.0.0.1", 0))  # takes connections, never answers
    port = silent.getsockname()[1]
    monkeypatch.setattr(mailserver, "MAIL_TIMEOUT", 0.5)
    fields = {"host": "127.0.0.1", "port": port, "security": "none", "sender": ""}
    page = admin.post("/server/mail/", fields, follow=True).content.decode()
    silent.close()
    assert f"No mail server answered at 127.0.0.1:{port}: no email can go out" in page
    assert "Nothing came back within 0.5 seconds" in page and "refused" not in page


def test_a_test_message_to_a_misspelt_host_names_it(admin):
    fields = {"host": "smtp.nowhere-broken.example", "port": 587, "security": "none"}
    admin.post("/server/mail/", fields)
    page = admin.post("/server/mail/test/", follow=True).content.decode()
    assert (
        "Not sent to root@acme.test. No mail server answered at smtp.nowhere-broken.example:587: "
        "no address is known for the name smtp.nowhere-broken.example. Check its spelling"
    ) in page


def test_the_command_line_says_what_to_check(admin):
    port = free_port()
    mailserver.save({"host": "127.0.0.1", "port": port, "security": "none", "username": "",
                     "sender": ""}, None)  # fmt: skip
    failed = CliRunner().invoke(main, ["mail", "test", "ops@acme.test"])
    assert failed.exit_code == 1
    assert (
        f"Not sent to ops@acme.test. No mail server answered at 127.0.0.1:{port}: it refused the "
        f"connection, so nothing listens on port {port} there. Check the port"
    ) in failed.output


# --- Sends: one connection tried, a warning logged ---


@pytest.fixture
def pulse(workspace, users, strategy, no_notifications):
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7), by=users["editor"]
    )


def test_invitations_to_a_server_that_never_answers_try_it_once_and_log_why(
    silent_mail_server, pulse, caplog
):
    caplog.set_level(logging.WARNING, "truenorth.checkins")
    started = time.monotonic()
    outcome = send_links(pulse)
    assert outcome.sent == 0 and len(outcome.failed) == 4
    assert len(silent_mail_server.connections) == 1  # it had been tried once per person, again
    assert time.monotonic() - started < 2
    [said] = set(outcome.failed.values())
    assert ": nothing came back within 0.5 seconds, so it cannot be reached" in said
    [warning] = [r for r in caplog.records if r.name == "truenorth.checkins"]
    assert warning.levelname == "WARNING"
    logged = warning.getMessage()
    assert logged.startswith(f"Check-in {pulse.pk} invitations: 4 of 4 not sent: No mail server")
    assert "@" not in logged and "/c/" not in logged  # no address, no link


def test_a_refused_mailbox_is_counted_in_the_log_not_quoted(mail_server, pulse, caplog):
    """A server's refusal may quote the address: the log counts it, the page gives its words."""
    caplog.set_level(logging.WARNING, "truenorth.checkins")
    outcome = send_links(pulse)
    assert len(outcome.failed) == 1
    [warning] = [r for r in caplog.records if r.name == "truenorth.checkins"]
    assert warning.getMessage().endswith(
        "1 of 4 not sent: 1 refused by the mail server (its answers are on the check-in's page)"
    )


@pytest.fixture
def decision(workspace, users):
    made = decisions.add_decision(
        Decision(workspace=workspace, title="Ledger", question="Which ledger?")
    )
    made.deciders.add(*Person.objects.filter(email__in=["editor@acme.test", "viewer@acme.test"]))
    return made


def test_a_notification_to_a_server_that_never_answers_tries_it_once(silent_mail_server, decision):
    """It had held a worker about 100 seconds for 2 messages: a connection, then one each."""
    started = time.monotonic()
    decisions.decide(decision, outcome="The new ledger.")
    [row] = delivery.deliver(Notification.objects.get())
    assert time.monotonic() - started < 2
    assert len(silent_mail_server.connections) == 1
    assert row.status == "failed"
    assert row.error.startswith("2 of 2 messages not delivered: No mail server answered at")


# --- Forgot your password? ---


def reset(client, email: str) -> float:
    started = time.monotonic()
    response = client.post("/password/reset/", {"email": email})
    assert response.url == "/password/reset/done/"
    return time.monotonic() - started


def test_a_real_address_is_answered_as_fast_as_an_unknown_one(
    client, users, silent_mail_server, caplog, settings
):
    """The page had sent the link within the request: 10 s for a login, 0.1 s for nobody."""
    settings.EMAIL_TIMEOUT = 2  # what the request would wait, were it to send
    client.get("/password/reset/")  # the first request of a process is slower
    unknown = reset(client, "nobody@acme.test")
    known = reset(client, "member@acme.test")
    assert known < unknown + 1 and known < 1.5
    wait_for_password_links()
    assert len(silent_mail_server.connections) == 1  # it was sent, beside the request
    [warning] = [r for r in caplog.records if r.name == "truenorth.passwords"]
    logged = warning.getMessage()
    assert (
        logged.startswith("Password reset: No mail server answered at 127.0.0.1:")
        and "a password link was not sent" in logged
    )
    assert "member" not in logged and "/password/reset/" not in logged


def test_the_link_goes_out_beside_the_request(client, users, mail_server):
    reset(client, "member@acme.test")
    wait_for_password_links()
    [text] = mail_server.to("member@acme.test")
    assert "Subject: Reset your truenorth password" in text
    assert "http://testserver/password/reset/" in text


def test_under_workers_the_queue_holds_the_login_not_the_link(client, users):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        reset(client, "member@acme.test")
        [queued] = DBTaskResult.objects.all()
    assert mail.outbox == []  # the worker sends it
    member = get_user_model().objects.get(username="member")
    assert queued.task_path.endswith("email_password_link")
    assert queued.args_kwargs["args"] == [member.pk, None]
    email_password_link.call(*queued.args_kwargs["args"])
    [message] = mail.outbox
    assert message.to == ["member@acme.test"] and "/password/reset/" in message.body


def test_a_password_link_to_a_refused_mailbox_is_logged_without_the_address(
    client, users, mail_server, caplog
):
    """The server's refusal names the address (smtplib keeps it as the refusal's key): the
    log says what happened without it."""
    reset(client, "viewer@acme.test")  # the address the test server refuses
    wait_for_password_links()
    assert mail_server.rcpts == ["viewer@acme.test"] and mail_server.messages == []
    [warning] = [r for r in caplog.records if r.name == "truenorth.passwords"]
    logged = warning.getMessage()
    assert logged.startswith("Password reset: The mail server at 127.0.0.1:")
    assert "refused the address" in logged and "a password link was not sent" in logged
    assert "viewer" not in logged and "@" not in logged and "/password/reset/" not in logged
