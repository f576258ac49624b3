"""Login throttling through the real login page: wrong passwords in a row lock a username out for
a while, the right password included, until the wait ends or an administrator unlocks it."""

from datetime import timedelta

from axes.models import AccessAttempt
from click.testing import CliRunner
from django.test import Client

from tests.conftest import PASSWORD
from truenorth.cli import main
from truenorth.workspaces.models import Membership


def log_in(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_100_wrong_passwords_then_the_right_one_does_not_log_in(client, users, settings):
    answers = [log_in(client, "editor", f"guess-{n}").status_code for n in range(100)]
    limit = settings.AXES_FAILURE_LIMIT
    assert answers[: limit - 1] == [200] * (limit - 1)  # the form again, "wrong password"
    assert set(answers[limit - 1 :]) == {429}

    right = log_in(client, "editor", PASSWORD)
    assert right.status_code == 429
    assert not logged_in(client)
    page = right.content.decode()
    assert "Too many wrong passwords" in page
    assert f"After {limit} wrong passwords in a row for" in page
    assert "truenorth user unlock USERNAME" in page
    assert client.get("/w/acme/").status_code == 302  # to the login page


def test_an_administrator_unlocks_a_login_from_the_command_line(client, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", f"guess-{n}")
    assert log_in(client, "editor", PASSWORD).status_code == 429

    result = CliRunner().invoke(main, ["user", "unlock", "editor"])
    assert result.exit_code == 0, result.output
    assert result.output == "Unlocked editor: the wrong passwords so far no longer count.\n"
    assert log_in(client, "editor", PASSWORD).status_code == 302
    assert logged_in(client)
    again = CliRunner().invoke(main, ["user", "unlock", "editor"])
    assert "editor was not locked out" in again.output


def test_an_owner_unlocks_a_login_of_the_workspace_on_its_logins_page(client, users, settings):
    """No shell: the lock-out page sends the person to an owner, who unlocks them in the app."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", f"guess-{n}")
    assert "ask an owner of your workspace" in log_in(client, "editor", PASSWORD).content.decode()
    owner = Client()
    owner.force_login(users["owner"])
    page = owner.get("/w/acme/logins/").content.decode()
    editor = Membership.objects.get(user=users["editor"])
    assert "Locked out" in page and f"/w/acme/logins/{editor.pk}/unlock/" in page
    member = Membership.objects.get(user=users["member"])
    assert f"/w/acme/logins/{member.pk}/unlock/" not in page  # only the locked one
    done = owner.post(f"/w/acme/logins/{editor.pk}/unlock/", follow=True).content.decode()
    assert "Unlocked editor: they can log in again now." in done
    assert log_in(client, "editor", PASSWORD).status_code == 302
    viewer = Client()
    viewer.force_login(users["editor"])
    assert viewer.post(f"/w/acme/logins/{member.pk}/unlock/").status_code == 403  # owners only


def test_the_lock_out_ends_after_the_cool_off(client, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", f"guess-{n}")
    assert log_in(client, "editor", PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="editor")
    attempt.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    attempt.save()
    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_only_wrong_passwords_in_a_row_count(client, users, settings):
    for _ in range(3):
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, "editor", f"guess-{n}").status_code == 200
        assert log_in(client, "editor", PASSWORD).status_code == 302
        client.logout()


def test_a_locked_out_username_does_not_lock_out_others(client, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", f"guess-{n}")
    assert log_in(client, "editor", PASSWORD).status_code == 429
    assert log_in(client, "viewer", PASSWORD).status_code == 302


def test_forgot_password_emails_an_address_once_in_a_while(client, users, mailoutbox):
    for _ in range(3):
        response = client.post("/password/reset/", {"email": "member@acme.test"})
        assert response.url == "/password/reset/done/"  # the same answer every time
    assert [message.to for message in mailoutbox] == [["member@acme.test"]]
    client.post("/password/reset/", {"email": "MEMBER@acme.test"})  # the same address
    client.post("/password/reset/", {"email": "viewer@acme.test"})
    assert [message.to for message in mailoutbox] == [["member@acme.test"], ["viewer@acme.test"]]


def test_other_capitals_count_as_the_same_login(client, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, ["Editor", "EDITOR", "eDitor"][n % 3], f"guess-{n}")
    assert log_in(client, "editor", PASSWORD).status_code == 429
    assert not logged_in(client)
