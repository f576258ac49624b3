"""Password pages (reset by email, change when logged in) and `truenorth user set-password`."""

import re

from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import PASSWORD
from truenorth.cli import main

NEW_PASSWORD = "another-long-password"


def can_log_in(client, username, password) -> bool:
    client.logout()
    return client.login(username=username, password=password)


def test_the_link_expires_after_three_days(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 60 * 60


def test_the_login_page_offers_a_reset(db, client):
    page = client.get("/login/").content.decode()
    assert 'href="/password/reset/">Forgot your password?' in page


def test_a_forgotten_password_is_reset_by_email(client, users, settings):
    response = client.post("/password/reset/", {"email": "MEMBER@acme.test"})
    assert response.url == "/password/reset/done/"
    [message] = mail.outbox
    assert message.to == ["member@acme.test"]
    assert message.subject == "Reset your truenorth password"
    [link] = re.findall(r"^http\S+$", message.body, re.MULTILINE)
    assert link.startswith(settings.SITE_URL + "/password/reset/")

    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/password/reset/complete/"
    assert can_log_in(client, "member", NEW_PASSWORD)
    assert not can_log_in(client, "member", PASSWORD)
    again = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, users):
    response = client.post("/password/reset/", {"email": "nobody@acme.test"}, follow=True)
    assert "If a login has that address" in response.content.decode()
    assert mail.outbox == []


def test_a_logged_in_user_changes_their_password(client_for):
    client = client_for("viewer")
    assert 'href="/password/change/"' in client.get("/w/acme/").content.decode()
    wrong = client.post(
        "/password/change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    response = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/password/change/done/"
    assert "Your password is changed" in response.content.decode()
    assert can_log_in(client, "viewer", NEW_PASSWORD)


def test_changing_a_password_needs_a_login(client):
    response = client.get("/password/change/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


# --- `truenorth user set-password` ---


def set_password(*args, input=None):
    return CliRunner().invoke(main, ["user", "set-password", *args], input=input)


def test_the_cli_sets_a_lost_password(client, users):
    result = set_password("editor", "--password-stdin", input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert result.output == "Set the password of editor.\n"
    assert can_log_in(client, "editor", NEW_PASSWORD)


def test_the_cli_asks_twice_and_refuses_a_mismatch(users):
    result = set_password("editor", input=f"{NEW_PASSWORD}\nsomething-else\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert get_user_model().objects.get(username="editor").check_password(PASSWORD)


def test_the_cli_refuses_an_unknown_login_or_a_short_password(users):
    result = set_password("nobody", "--password-stdin", input=NEW_PASSWORD + "\n")
    assert (result.exit_code, result.output) == (1, "Error: no login named 'nobody'\n")
    result = set_password("editor", "--password-stdin", input="short\n")
    assert result.exit_code == 1
    assert "This password is too short." in result.output
    assert get_user_model().objects.get(username="editor").check_password(PASSWORD)


def test_an_invited_login_with_no_password_yet_is_sent_a_link(client, workspace, settings):
    """An invitation lasts three days; after, "Forgot your password?" is how one gets in.
    Django's form skips a login with no usable password, and said a link was on its way."""
    from truenorth.workspaces.logins import add_login

    membership, _, _ = add_login(workspace, "lee@acme.test", "viewer")
    assert not membership.user.has_usable_password()
    client.post("/password/reset/", {"email": "Lee@acme.test"})
    [message] = mail.outbox
    [link] = re.findall(r"^http\S+$", message.body, re.MULTILINE)
    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert can_log_in(client, "lee@acme.test", NEW_PASSWORD)
