"""A server whose TRUENORTH_EMAIL_BACKEND prints emails to its output (or puts them anywhere
but a mail server) says so on the Mail server page, and never that a mail server answered."""

import html
import re

import pytest
from django.contrib.auth import get_user_model

PAGE = "/server/mail/"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
OUTPUT_AS_TEXT = (
    "the output of the process that sends them: the web server's, or, with background workers, "
    "the workers' (`truenorth worker`)"
)
OUTPUT = OUTPUT_AS_TEXT.replace("`truenorth worker`", "<code>truenorth worker</code>")


@pytest.fixture
def admin(db, client, settings):
    settings.EMAIL_BACKEND = CONSOLE
    settings.EMAIL_FROM_ENVIRONMENT = False
    user = get_user_model().objects.create_user(
        "root", "root@acme.test", "a-long-password", is_staff=True
    )
    client.force_login(user)
    return client


def test_saving_a_mail_server_does_not_claim_it_answered(admin):
    form = {"host": "smtp.nonexistent.invalid", "port": 587, "security": "starttls"}
    page = admin.post(PAGE, form, follow=True).content.decode()
    assert "answered" not in page.replace("not asked whether it answers", "")
    assert "It was not asked whether it answers" in page
    assert f"TRUENORTH_EMAIL_BACKEND is {CONSOLE}" in page
    assert 'id="backend-instead"' in page


def test_a_test_message_says_it_went_to_no_mail_server(admin, capsys):
    page = admin.post(f"{PAGE}test/", follow=True).content.decode()
    assert "The test message for root@acme.test went to no mail server" in page
    assert "look in that inbox" not in page
    assert "truenorth: a test message" in capsys.readouterr().out  # the console backend's


def test_with_a_mail_server_backend_the_page_has_no_such_warning(admin, settings):
    settings.EMAIL_BACKEND = "truenorth.workspaces.mailserver.Backend"
    assert 'id="backend-instead"' not in admin.get(PAGE).content.decode()


def test_in_use_names_the_console_not_the_saved_mail_server(admin):
    form = {"host": "smtp.northwind-labs.test", "port": 587, "security": "starttls"}
    admin.post(PAGE, form)
    page = html.unescape(admin.get(PAGE).content.decode())
    assert f"In use: the console: emails are not sent but written to {OUTPUT}" in page
    assert "In use: smtp.northwind-labs.test:587" not in page
    assert "used once TRUENORTH_EMAIL_BACKEND is unset: smtp.northwind-labs.test:587" in page
    assert "for trying truenorth only" in page  # that output holds every personal link
    found = admin.get("/server/mail.json").json()["mail_server"]
    assert found["backend"] == CONSOLE
    assert found["sent_to_mail_server"] is False
    assert found["goes_to"] == f"the console: emails are not sent but written to {OUTPUT_AS_TEXT}"
    assert (found["host"], found["port"]) == ("smtp.northwind-labs.test", 587)


def test_the_warning_says_whose_output_holds_the_links_not_the_server_s_log(admin):
    """Under background workers the check-in invitations are printed by `truenorth worker`:
    the web server's log, which the page named, held none of them."""
    page = html.unescape(admin.get(PAGE).content.decode())
    [warning] = re.findall(r'<p class="message warning" id="console-log">(.+?)</p>', page)
    assert "server's log" not in warning
    assert (
        "each email is written, in clear, to the output of the process that sends it: the web "
        "server's, or, with background workers, the workers' (<code>truenorth worker</code>). "
        "That output then holds every personal check-in link" in warning
    )


def test_with_a_mail_server_backend_json_names_the_server(admin, settings):
    settings.EMAIL_BACKEND = "truenorth.workspaces.mailserver.Backend"
    found = admin.get("/server/mail.json").json()["mail_server"]
    assert found["sent_to_mail_server"] is True
    assert found["goes_to"] == "localhost:25"
    assert 'id="console-log"' not in admin.get(PAGE).content.decode()
