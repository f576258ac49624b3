"""The Mail server page: an administrator sets the SMTP server every workspace sends through,
and sends themselves a test, with no shell; the environment's settings win when they name a
host; the password is kept encrypted and never shown."""

import base64
import hashlib

import pytest
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core import mail

from tests.serving import free_port
from tests.smtp import Inbox, wait_for_password_links
from truenorth.workspaces import mailserver
from truenorth.workspaces.models import MailServer

PAGE = "/server/mail/"


@pytest.fixture
def admin(db, client):
    user = get_user_model().objects.create_user(
        "root", "root@acme.test", "a-long-password", is_staff=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and the page's backend, as a server runs it."""
    inbox = Inbox(refuse="")
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "truenorth.workspaces.mailserver.Backend"
    settings.EMAIL_FROM_ENVIRONMENT = False
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    inbox.port = controller.port
    yield inbox
    controller.stop()


def form(port: int, **more) -> dict:
    fields = {"host": "127.0.0.1", "port": port, "security": "none", "sender": "pulse@acme.test"}
    return fields | more


def test_an_administrator_sets_the_mail_server_and_mail_goes_through_it(admin, smtp_server):
    before = admin.get(PAGE).content.decode()
    assert "Nobody has set one yet" in before
    saved = admin.post(PAGE, form(smtp_server.port, username="", password=""), follow=True)
    page = saved.content.decode()
    assert f"Saved. The mail server at 127.0.0.1:{smtp_server.port} answered." in page
    assert "Set on this page." in page
    admin.post(f"{PAGE}test/")
    [(to, text)] = smtp_server.messages
    assert to == ["root@acme.test"] and "From: pulse@acme.test" in text  # the page's sender
    admin.post("/password/reset/", {"email": "root@acme.test"})
    wait_for_password_links()
    assert len(smtp_server.messages) == 2  # Django's own emails go the same way


def test_a_server_that_does_not_answer_is_saved_and_said(admin, smtp_server):
    port = free_port()
    page = admin.post(PAGE, form(port), follow=True).content.decode()
    assert f"Saved. No mail server answered at 127.0.0.1:{port}" in page
    sent = admin.post(f"{PAGE}test/", follow=True).content.decode()
    assert "Not sent to root@acme.test" in sent and smtp_server.messages == []


def test_the_password_is_kept_encrypted_kept_when_blank_and_never_shown(admin, smtp_server):
    admin.post(PAGE, form(smtp_server.port, username="mailer", password="s3cret-Pass"))
    row = MailServer.objects.get()
    assert "s3cret" not in row.password_sealed and mailserver.unsealed(row.password_sealed)
    backend = mailserver.Backend()
    assert (backend.username, backend.password) == ("mailer", "s3cret-Pass")
    admin.post(PAGE, form(smtp_server.port, username="mailer", password=""))  # kept
    assert mailserver.Backend().password == "s3cret-Pass"
    for shown in (
        admin.get(PAGE).content.decode(),
        admin.get("/server/mail.json").content.decode(),
    ):
        assert "s3cret" not in shown and row.password_sealed not in shown
    assert admin.get("/server/mail.json").json()["mail_server"]["has_password"] is True
    admin.post(PAGE, form(smtp_server.port, forget_password="on"))
    assert mailserver.Backend().password == ""


def test_another_secret_key_cannot_read_the_password_and_the_page_says_so(
    admin, smtp_server, settings
):
    admin.post(PAGE, form(smtp_server.port, username="mailer", password="s3cret-Pass"))
    settings.SECRET_KEY = "another-secret-key-of-a-restored-server-0123456789"
    assert mailserver.in_use().password_unreadable
    admin.force_login(get_user_model().objects.get(username="root"))  # its session went too
    assert "cannot read it" in admin.get(PAGE).content.decode()


def test_the_environment_wins_and_the_page_only_shows_it(admin, smtp_server, settings):
    MailServer.objects.create(host="ignored.example", port=2525)
    settings.EMAIL_FROM_ENVIRONMENT = True
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    page = admin.get(PAGE).content.decode()
    assert "Set by the server's environment" in page and 'name="host"' not in page
    assert admin.post(PAGE, form(1)).status_code == 409
    admin.post(f"{PAGE}test/")
    assert len(smtp_server.messages) == 1  # through the environment's server


@pytest.mark.parametrize("host", ["smtp.example.com:587", "user@smtp.example.com", "a b"])
def test_a_host_with_a_port_or_a_login_in_it_is_refused(admin, smtp_server, host):
    refused = admin.post(PAGE, form(587, host=host))
    assert refused.status_code == 400 and "without a port" in refused.content.decode()
    assert not MailServer.objects.exists()


def test_only_an_administrator_opens_it(client, client_for, users):
    assert client.get(PAGE).status_code == 302  # to the login page
    owner = client_for("owner")
    assert owner.get(PAGE).status_code == 403
    assert owner.post(PAGE, form(25)).status_code == 403
    assert owner.post(f"{PAGE}test/").status_code == 403
    assert not MailServer.objects.exists() and mail.outbox == []


def test_the_command_line_shows_the_server_and_sends_a_test(db, smtp_server):
    from click.testing import CliRunner

    from truenorth.cli import main

    mailserver.save(form(smtp_server.port, username="mailer"), "s3cret-Pass")
    shown = CliRunner().invoke(main, ["mail", "show"])
    assert f"127.0.0.1:{smtp_server.port}, set by the Mail server page" in shown.output
    assert "s3cret" not in shown.output and "password saved: True" in shown.output
    refused = CliRunner().invoke(main, ["mail", "test", "ops@acme.test"])
    assert "refused the login: it offers no login. Leave the user name empty" in refused.output
    mailserver.save(form(smtp_server.port, username=""), None)  # this server takes anyone's
    sent = CliRunner().invoke(main, ["mail", "test", "ops@acme.test"])
    assert sent.exit_code == 0, sent.output
    assert [to for to, _ in smtp_server.messages] == [["ops@acme.test"]]
    mailserver.save(form(free_port(), username=""), None)
    failed = CliRunner().invoke(main, ["mail", "test", "ops@acme.test"])
    assert failed.exit_code == 1 and "Not sent to ops@acme.test. No mail server" in failed.output
    assert "Check the port, and that the mail server is running." in failed.output
    assert CliRunner().invoke(main, ["mail", "test", "not-an-address"]).exit_code == 2


def test_an_error_report_would_hide_the_password(admin, rf, settings):
    from django.views.debug import SafeExceptionReporterFilter

    from truenorth.workspaces.mail_views import mail_server

    settings.EMAIL_FROM_ENVIRONMENT = False
    request = rf.post(PAGE, form(25, host="not a host", password="hunter2-secret"))
    request.user = get_user_model().objects.get(username="root")
    mail_server(request)
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert shown["password"] == "********************" and shown["host"] == "not a host"


def test_a_security_the_server_does_not_offer_is_named_with_what_to_choose(admin, smtp_server):
    """The loopback server offers no STARTTLS: it answered, and the page says what to pick."""
    saved = admin.post(PAGE, form(smtp_server.port, security="starttls"), follow=True)
    page = saved.content.decode()
    assert "It offers no STARTTLS. Choose “TLS from the start” or “None”." in page
    tested = admin.post(f"{PAGE}test/", follow=True).content.decode()
    assert "Not sent to root@acme.test" in tested and "offers no STARTTLS" in tested
    assert "server.." not in tested  # the server's own full stop, then the sentence's


def test_a_password_sealed_before_the_sealing_was_shared_still_reads(settings):
    """Sealed as the page sealed it before truenorth.sealing, with its key made the same way."""
    digest = hashlib.sha256(b"truenorth mail server password\0" + settings.SECRET_KEY.encode())
    key = base64.urlsafe_b64encode(digest.digest())
    sealed_then = Fernet(key).encrypt(b"s3cret-Pass").decode()
    assert mailserver.unsealed(sealed_then) == "s3cret-Pass"
    assert Fernet(key).decrypt(mailserver.seal("new").encode()) == b"new"
