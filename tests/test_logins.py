"""The Logins page: owners invite people, change their role, remove their access."""

import io
import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.migrating import migrate
from tests.smtp import no_mail_server_fixture  # noqa: F401
from truenorth import cli_users
from truenorth.checkins.actions import create_alignment_pulse, send_links
from truenorth.cli import main
from truenorth.workspaces import logins, people
from truenorth.workspaces.models import (
    Function,
    Membership,
    Person,
    Role,
    SettingChange,
    WaitingInvitation,
)
from truenorth.workspaces.people_import import import_people

URL = "/w/acme/logins/"
NEW_PASSWORD = "a-long-new-password"


def invite(client, email="new@acme.test", role="editor", **kwargs):
    """Invite as the page does, pressing "Invite anyway" where it asks first (an address nobody
    in People has, an owner)."""
    data = {"email": email, "role": role}
    response = client.post(URL + "invite/", data, **kwargs)
    asked = re.search(r'name="confirmed" value="([^"]*)"', response.content.decode())
    if response.status_code != 200 or not asked:
        return response
    return client.post(URL + "invite/", {**data, "confirmed": unescape(asked[1])}, **kwargs)


def emailed_link(message, settings) -> str:
    """The path of the set-password link in an email."""
    [link] = re.findall(r"^http\S+/password/set/\S+$", message.body, re.MULTILINE)
    assert link.startswith(settings.SITE_URL)
    return link.removeprefix(settings.SITE_URL.rstrip("/"))


def set_password(client, path, password=NEW_PASSWORD):
    """Follow an emailed link and choose a password, as Django's confirm view asks."""
    form = client.get(path, follow=True)
    assert "Choose your password" in form.content.decode()
    url = form.redirect_chain[-1][0]
    return client.post(url, {"new_password1": password, "new_password2": password}, follow=True)


def test_an_invited_person_sets_a_password_and_logs_in_with_their_role(
    client, client_for, users, workspace, settings
):
    Person.objects.create(
        workspace=workspace, name="Nia", email="new@acme.test", function=Function.SALES
    )
    response = invite(client_for("owner"), email="New@acme.test")
    assert response.status_code == 302
    assert response.url == URL
    user = get_user_model().objects.get(username="new@acme.test")  # saved in lower case
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.person.name) == ("editor", "Nia")

    [message] = mail.outbox
    assert message.to == ["new@acme.test"]
    assert "Acme" in message.subject
    assert "as editor" in message.body
    assert "Owner invites you to Acme" in message.body  # the person's name, not the login's
    assert "works for 3 days" in message.body

    client.logout()
    page = set_password(client, emailed_link(message, settings))
    assert "Your password is set; you are logged in." in page.content.decode()
    assert page.redirect_chain[-1][0] == "/w/acme/"
    assert "Acme · Editor" in page.content.decode()

    client.logout()
    logged_in = client.post(
        "/login/", {"username": "New@acme.test", "password": NEW_PASSWORD}, follow=True
    )
    assert logged_in.redirect_chain[-1][0] == "/w/acme/"
    assert client.get("/w/acme/goals/new/").status_code == 200  # editors write
    assert client.get(URL).status_code == 403


def test_the_link_works_once(client, client_for, users, settings):
    invite(client_for("owner"))
    client.logout()
    path = emailed_link(mail.outbox[0], settings)
    set_password(client, path)
    client.logout()
    again = client.get(path, follow=True).content.decode()
    assert "This link no longer works" in again


def test_an_expired_link_is_refused(client, client_for, users, settings, monkeypatch):
    invite(client_for("owner"))
    client.logout()
    path = emailed_link(mail.outbox[0], settings)
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    page = client.get(path, follow=True).content.decode()
    assert "This link no longer works" in page
    assert not get_user_model().objects.get(username="new@acme.test").has_usable_password()


def test_a_tampered_link_is_refused(client, client_for, users, settings):
    invite(client_for("owner"))
    client.logout()
    path = emailed_link(mail.outbox[0], settings)
    uid, token = path.strip("/").split("/")[-2:]
    for forged in (f"/password/set/{uid}/{token[:-1]}x/", f"/password/set/MTIzNDU2/{token}/"):
        assert "This link no longer works" in client.get(forged, follow=True).content.decode()


def test_inviting_someone_with_a_login_adds_access_and_tells_them(client_for, users):
    outsider = users["outsider"]
    response = invite(client_for("owner"), email="OUT@else.test", role="viewer", follow=True)
    assert "we emailed them that they now have access" in response.content.decode()
    assert Membership.objects.get(user=outsider).role == "viewer"
    [message] = mail.outbox
    assert message.subject == "You now have access to Acme on truenorth"
    assert "/password/" not in message.body
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_inviting_again_someone_who_has_not_chosen_a_password_points_to_the_link(client_for, users):
    client = client_for("owner")
    invite(client, email="new@acme.test")
    again = invite(client, email="new@acme.test")
    assert again.status_code == 400
    said = "has not chosen a password yet: “Send the link again” on their row mails a new link."
    assert said in again.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")


def test_inviting_someone_already_in_the_workspace_is_refused(client_for, users):
    response = invite(client_for("owner"), email="member@acme.test")
    assert response.status_code == 400
    assert "member@acme.test can already log in to Acme." in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["owner", "member"])
def test_someone_already_in_is_told_so_before_any_warning(client_for, users, role):
    """Inviting the owner's own address had first warned "… will be an owner" (or that nobody
    in People has it), as if a login were about to be made, and only said it exists after
    "Invite anyway"."""
    Person.objects.filter(email="owner@acme.test").update(email="someone-else@acme.test")
    response = client_for("owner").post(URL + "invite/", {"email": "OWNER@acme.test", "role": role})
    page = response.content.decode()
    assert response.status_code == 400
    assert "owner@acme.test can already log in to Acme." in page
    assert 'name="confirmed"' not in page and "Nobody in People" not in page


@pytest.mark.parametrize(
    "data", [{"email": "not an address", "role": "editor"}, {"email": "a@b.test", "role": "god"}]
)
def test_bad_input_shows_the_form_again(client_for, users, data):
    response = client_for("owner").post(URL + "invite/", data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not get_user_model().objects.filter(username=data["email"]).exists()


def test_when_email_fails_the_owner_sees_the_link_once(
    client, client_for, users, monkeypatch, settings
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(logins, "send_mail", refuse)
    response = invite(client_for("owner"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be sent: Connection refused" in page
    [link] = re.findall(r'value="(http[^"]+/password/set/[^"]+)"', page)
    assert "Send the link again" in client.get(URL).content.decode()
    client.logout()
    set_password(client, link.removeprefix(settings.SITE_URL))
    assert get_user_model().objects.get(username="new@acme.test").check_password(NEW_PASSWORD)


PRINTED = (
    "The email with their link was printed to the server's output, not sent (this server is "
    "set to print emails: TRUENORTH_EMAIL_BACKEND)."
)


def test_a_server_that_prints_emails_says_the_link_is_in_its_output_not_shown_only_now(
    client_for, users, settings, capsys
):
    """Its console backend takes the email without an error, and nobody receives it: the page
    said the email "could not be sent" and the link was "shown only now", while the web
    server's output held it too, for whoever reads that output."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    page = unescape(invite(client_for("owner")).content.decode())
    [link] = re.findall(r'value="(http[^"]+/password/set/[^"]+)"', page)
    assert link in capsys.readouterr().out  # printed to this process's output
    assert PRINTED in page and "Anyone who reads the server's output can use it too" in page
    assert "we emailed them" not in page
    assert "could not be sent" not in page and "shown only now" not in page


WRITTEN = (
    "The email with their link was written to a file on the server (this server is set to "
    "write emails to files: TRUENORTH_EMAIL_BACKEND), not sent."
)


def test_a_server_that_writes_emails_to_files_says_the_link_is_in_them_not_shown_only_now(
    client_for, users, settings, tmp_path
):
    """Its file backend writes the email, link and all, to a file on the server: the page said
    the link was "shown only now"."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    page = unescape(invite(client_for("owner")).content.decode())
    [link] = re.findall(r'value="(http[^"]+/password/set/[^"]+)"', page)
    [written] = tmp_path.iterdir()
    assert link in written.read_text()
    assert WRITTEN in page and "Anyone who reads the server's email files can use it too" in page
    assert "could not be sent" not in page and "shown only now" not in page
    response = invite(client_for("owner"), email="out@else.test", role="viewer", follow=True)
    told = unescape(response.content.decode())
    assert "The email telling them was written to a file on the server" in told


def test_an_existing_login_given_access_is_told_the_email_was_printed(
    client_for, users, settings, capsys
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    response = invite(client_for("owner"), email="out@else.test", role="viewer", follow=True)
    page = unescape(response.content.decode())
    assert "The email telling them was printed to the server's output, not sent" in page
    assert "could not be sent" not in page
    assert "You now have access to Acme" in capsys.readouterr().out


def test_a_mail_server_that_cannot_be_reached_still_says_could_not_be_sent(
    client_for, users, no_mail_server
):
    page = unescape(invite(client_for("owner")).content.decode())
    assert "the email with their link could not be sent: Connection refused" in page
    assert "It is shown only now" in page and "printed" not in page


def test_a_waiting_invitation_becomes_a_login_even_when_its_email_crashes(
    client_for, users, workspace, monkeypatch
):
    waiting = WaitingInvitation.objects.create(
        workspace=workspace, email="imported@acme.test", role=Role.VIEWER
    )

    def crash(*args, **kwargs):
        raise RuntimeError("the mail library fell over")

    monkeypatch.setattr(logins, "send_mail", crash)
    client = client_for("owner")
    client.raise_request_exception = False
    assert client.post(f"{URL}waiting/{waiting.pk}/send/").status_code == 500
    # The login and the waiting invitation's removal were written together, before the email:
    # the page lists the address as a login whose link can be sent again, not as waiting too.
    membership = Membership.objects.get(user__username="imported@acme.test")
    assert membership.role == Role.VIEWER
    assert not WaitingInvitation.objects.filter(pk=waiting.pk).exists()
    page = client.get(URL).content.decode()
    assert "Send the invitation" not in page and f"{URL}{membership.pk}/resend/" in page


def test_an_owner_can_send_the_link_again(client_for, users, settings):
    client = client_for("owner")
    invite(client)
    membership = Membership.objects.get(user__username="new@acme.test")
    response = client.post(f"{URL}{membership.pk}/resend/", follow=True)
    assert "with a link to choose a password" in response.content.decode()
    assert len(mail.outbox) == 2
    editor = Membership.objects.get(user=users["editor"])
    response = client.post(f"{URL}{editor.pk}/resend/", follow=True)
    assert "editor has set a password already." in response.content.decode()


def test_sending_the_link_again_voids_the_links_sent_before(client, client_for, users, settings):
    owner = client_for("owner")
    invite(owner)
    membership = Membership.objects.get(user__username="new@acme.test")
    owner.post(f"{URL}{membership.pk}/resend/")
    first, second = (emailed_link(message, settings) for message in mail.outbox)
    client.logout()
    assert "This link no longer works" in client.get(first, follow=True).content.decode()
    page = set_password(client, second)
    assert "Your password is set; you are logged in." in page.content.decode()


def test_the_page_lists_logins_with_role_and_last_login(client_for, users):
    client = client_for("owner")
    page = client.get(URL).content.decode()
    for role in ("owner", "editor", "member", "viewer", "partner"):
        assert f'<td class="lead">{role}' in page
    assert "outsider" not in page
    assert "Never" in page
    data = client.get("/w/acme/logins.json").json()["logins"]
    assert {row["username"]: row["role"] for row in data} == {r: r for r in Role.values}
    assert all(row["password_set"] for row in data)


def test_logins_come_100_a_page_as_people_do(client_for, users, workspace):
    """The five logins of the roles and 100 more (login000…login099): two pages, by name."""
    User = get_user_model()
    made = User.objects.bulk_create(User(username=f"login{n:03}") for n in range(100))
    Membership.objects.bulk_create(Membership(workspace=workspace, user=user) for user in made)
    client = client_for("owner")
    first = client.get("/w/acme/logins.json").json()
    assert (first["count"], first["page"], first["pages"]) == (105, 1, 2)
    assert (first["next"], first["previous"]) == ("/w/acme/logins.json?page=2", None)
    assert len(first["logins"]) == 100 and first["logins"][-1]["username"] == "login098"
    second = client.get(first["next"]).json()
    assert (second["page"], second["next"]) == (2, None)
    assert second["previous"] == "/w/acme/logins.json?page=1"
    names = [row["username"] for row in second["logins"]]
    assert names == ["login099", "member", "owner", "partner", "viewer"]
    assert second["waiting"] == first["waiting"] == []
    assert client.get("/w/acme/logins.json?page=x").json()["page"] == 1

    page = unescape(client.get(URL).content.decode())
    assert "Page 1 of 2 (105 logins)" in page and '<a href="?page=2">next →</a>' in page
    assert '<td class="lead">login098' in page and '<td class="lead">viewer' not in page
    page = unescape(client.get(URL + "?page=2").content.decode())
    assert '<td class="lead">viewer' in page and '<a href="?page=1">← previous</a>' in page
    assert 'href="/w/acme/logins.json?page=2">JSON</a>' in page


def test_an_owner_changes_a_role(client_for, users):
    editor = Membership.objects.get(user=users["editor"])
    response = client_for("owner").post(f"{URL}{editor.pk}/role/", {"role": "viewer"}, follow=True)
    assert "editor is now Viewer." in response.content.decode()
    editor.refresh_from_db()
    assert editor.role == "viewer"


def test_the_last_owner_keeps_the_role_and_the_access(client_for, users):
    owner = Membership.objects.get(user=users["owner"])
    client = client_for("owner")
    response = client.post(f"{URL}{owner.pk}/role/", {"role": "editor"}, follow=True)
    assert "owner is the last owner of Acme" in response.content.decode()
    response = client.post(f"{URL}{owner.pk}/remove/", {"confirm": "yes"}, follow=True)
    assert "make someone else an owner first" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_an_owner_keeps_a_workspace_managed_by_someone_who_has_logged_in(
    client_for, users, workspace
):
    """Logins follows the rule deactivating does: another owner only invited does not count."""
    invited = get_user_model().objects.create_user("boss", "boss@acme.test", PASSWORD)
    Membership.objects.create(workspace=workspace, user=invited, role=Role.OWNER)
    owner = Membership.objects.get(user=users["owner"])
    client = client_for("owner")  # logs in: the owner has now logged in, boss never has
    for asked in (
        client.post(f"{URL}{owner.pk}/role/", {"role": "editor"}, follow=True),
        client.post(f"{URL}{owner.pk}/remove/", {"confirm": "yes"}, follow=True),
    ):
        assert "would have no owner who has ever logged in (boss has never logged in)" in (
            unescape(asked.content.decode())
        )
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_owners_who_never_logged_in_can_be_changed_from_the_command_line(users, workspace):
    """Nothing is lost where no owner leaving has logged in either."""
    invited = get_user_model().objects.create_user("boss", "boss@acme.test", PASSWORD)
    Membership.objects.create(workspace=workspace, user=invited, role=Role.OWNER)
    owner = Membership.objects.get(user=users["owner"])
    logins.change_role(owner, "editor")
    owner.refresh_from_db()
    assert owner.role == "editor"


def test_an_owner_removes_access_but_not_the_login(client_for, users):
    editor = Membership.objects.get(user=users["editor"])
    response = client_for("owner").post(
        f"{URL}{editor.pk}/remove/", {"confirm": "yes"}, follow=True
    )
    assert "editor can no longer log in to Acme." in response.content.decode()
    assert not Membership.objects.filter(pk=editor.pk).exists()
    assert get_user_model().objects.filter(username="editor").exists()


def test_removing_access_asks_first(client_for, users):
    editor = Membership.objects.get(user=users["editor"])
    client = client_for("owner")
    page = client.get(URL).content.decode()
    assert "<summary>Remove access…</summary>" in page
    response = client.post(f"{URL}{editor.pk}/remove/", follow=True)
    assert "Confirm removing editor&#x27;s access first." in response.content.decode()
    assert Membership.objects.filter(pk=editor.pk).exists()


def test_an_owner_who_gives_up_ownership_leaves_the_page(client_for, users):
    Membership.objects.filter(user=users["editor"]).update(role=Role.OWNER)
    client_for("editor")  # the other owner has logged in
    owner = Membership.objects.get(user=users["owner"])
    response = client_for("owner").post(f"{URL}{owner.pk}/role/", {"role": "member"})
    assert response.url == "/"


def test_a_login_of_another_workspace_is_not_found(client_for, users, workspace):
    other = Membership.objects.create(
        workspace=type(workspace).objects.create(name="Other", slug="other"),
        user=users["outsider"],
        role=Role.OWNER,
    )
    client = client_for("owner")
    assert client.post(f"{URL}{other.pk}/remove/").status_code == 404
    assert client.post(f"{URL}{other.pk}/role/", {"role": "viewer"}).status_code == 404


@pytest.mark.parametrize("role", ["editor", "member", "viewer", "partner"])
def test_only_owners_manage_logins(client_for, users, role):
    client = client_for(role)
    target = Membership.objects.get(user=users["member"])
    assert invite(client).status_code == 403
    assert client.post(f"{URL}{target.pk}/role/", {"role": "owner"}).status_code == 403
    assert client.post(f"{URL}{target.pk}/remove/").status_code == 403
    assert client.post(f"{URL}{target.pk}/resend/").status_code == 403
    assert Membership.objects.get(pk=target.pk).role == "member"
    assert mail.outbox == []


def test_the_settings_page_links_to_logins(client_for, users):
    assert f'href="{URL}"' in client_for("owner").get("/w/acme/settings/").content.decode()


# --- `truenorth user create` ---


def create(*args, input=None):
    return CliRunner().invoke(main, ["user", "create", *args], input=input)


def test_the_cli_creates_the_first_owner(workspace):
    result = create(
        "ada",
        "--email",
        "ada@acme.test",
        "--password-stdin",
        "-w",
        "acme",
        input=("s3cret-password\n"),
    )
    assert result.exit_code == 0, result.output
    assert "Created the login ada, owner of Acme (/w/acme/)." in result.output
    membership = Membership.objects.get(user__username="ada")
    assert (membership.workspace, membership.role) == (workspace, "owner")
    assert membership.user.check_password("s3cret-password")


def test_the_cli_asks_for_the_password_twice(workspace):
    result = create("bo", "--email", "bo@acme.test", input="long-password\nlong-password\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    user = get_user_model().objects.get(username="bo")
    assert user.check_password("long-password")
    assert not user.memberships.exists()


@pytest.mark.parametrize(
    "args, stdin, error",
    [
        (["ada2", "--email", "x@y.test", "--password-stdin"], "short\n", "too short"),
        (["editor", "--email", "x@y.test", "--password-stdin"], "long-password\n", "exists"),
        (["bad name", "--email", "x@y.test"], "", "Enter a valid username"),
        (["ada3", "--email", "nope"], "", "Enter a valid email address"),
        (["ada4", "--email", "a@b.test", "-w", "nope", "--password-stdin"], "long-pw-1\n", "nope"),
    ],
)
def test_the_cli_refuses_bad_input(users, args, stdin, error):
    result = create(*args, input=stdin)
    assert result.exit_code == 1, result.output
    assert error in result.output
    assert "Traceback" not in result.output
    assert get_user_model().objects.count() == len(users)


def test_a_role_needs_a_workspace(db):
    result = create("ada", "--email", "ada@acme.test", "--role", "editor")
    assert result.exit_code == 2
    assert "-w SLUG" in result.output


def test_the_cli_knows_every_role():
    assert Role.values == cli_users.ROLES


def test_an_invited_address_logs_in_whatever_its_capitals(client, client_for, users, settings):
    invite(client_for("owner"), email="Liam@Acme.test")
    client.logout()
    set_password(client, emailed_link(mail.outbox[0], settings))
    client.logout()
    logged_in = client.post(
        "/login/", {"username": "liam@acme.test", "password": NEW_PASSWORD}, follow=True
    )
    assert logged_in.redirect_chain[-1][0] == "/w/acme/"


def test_a_login_named_at_setup_logs_in_by_its_email_too(client, users):
    """The login page asks for an email or a username: the server's first administrator has a
    name chosen at setup, and its email finds it (one login has it)."""
    page = client.get("/login/").content.decode()
    assert "Email or username" in page
    logged_in = client.post(
        "/login/", {"username": "Owner@acme.test", "password": PASSWORD}, follow=True
    )
    assert logged_in.redirect_chain[-1][0] == "/w/acme/"
    client.logout()
    wrong = client.post("/login/", {"username": "owner@acme.test", "password": "not it"})
    assert "No login has that email or username with that password." in wrong.content.decode()


def test_an_invitation_left_at_its_default_gives_the_role_people_keeps(client_for, workspace):
    Person.objects.create(workspace=workspace, name="Maya", email="maya@acme.test", role="owner")
    form = client_for("owner").get(URL + "invite/").content.decode()
    assert "As in People (member when none is set)" in form
    invite(client_for("owner"), email="Maya@acme.test", role="")
    invite(client_for("owner"), email="nobody@acme.test", role="")
    invite(client_for("owner"), email="chosen@acme.test", role="viewer")
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles["maya@acme.test"] == "owner"
    assert (roles["nobody@acme.test"], roles["chosen@acme.test"]) == ("member", "viewer")


def test_a_login_is_linked_to_the_person_whose_address_it_has_in_other_capitals(client, workspace):
    """The administrator who made the workspace, IT@…, becomes it@…'s login when People has them."""
    admin = get_user_model().objects.create_user("itadmin", "IT@northwind-labs.test", PASSWORD)
    Membership.objects.create(workspace=workspace, user=admin, role=Role.OWNER)
    it = people.create_person(
        workspace, name="Ida Tran", email="it@northwind-labs.test", function=Function.OPERATIONS
    )
    assert Membership.objects.get(user=admin).person == it
    client.force_login(admin)
    page = client.get(URL).content.decode()
    assert '<td data-label="Person">Ida Tran</td>' in page
    assert client.get("/w/acme/logins.json").json()["logins"][0]["person"] == "Ida Tran"
    invite(client, email="RAJ.MEHTA@NORTHWIND-LABS.TEST")
    [message] = mail.outbox
    assert "Ida Tran invites you to Acme" in message.body  # the person's name, not "itadmin"
    assert "with your email address, raj.mehta@northwind-labs.test." in message.body
    assert get_user_model().objects.filter(username="raj.mehta@northwind-labs.test").exists()


def test_an_import_links_the_logins_it_finds_people_for(workspace):
    admin = get_user_model().objects.create_user("itadmin", "IT@northwind-labs.test", PASSWORD)
    Membership.objects.create(workspace=workspace, user=admin, role=Role.OWNER)
    import_people(workspace, io.StringIO("Name,Email,Function\nIda,It@Northwind-Labs.test,sales\n"))
    assert Membership.objects.get(user=admin).person.email == "it@northwind-labs.test"


# --- Which person a login is ---


def larkspur_people(workspace):
    """Carlos, Raj and Emily, as in the demo workspace a privacy officer tried."""
    return {
        name.split()[0]: people.create_person(
            workspace, name=name, email=email, function=Function.ENGINEERING
        )
        for name, email in [
            ("Carlos Mendoza", "carlos.mendoza@larkspur.io"),
            ("Raj Patel", "raj.patel@larkspur.io"),
            ("Emily Sanders", "emily.sanders@larkspur.io"),
        ]
    }


def created(username, email):
    result = create(
        username, "--email", email, "-w", "acme", "--role", "member", "--password-stdin",
        input="long-password\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output, Membership.objects.get(user__username=username)


def test_a_login_made_on_the_command_line_is_its_persons_at_once(workspace):
    found = larkspur_people(workspace)
    output, membership = created("emily", "EMILY.SANDERS@larkspur.io")
    assert membership.person == found["Emily"]
    assert "It is Emily Sanders's login." in output
    assert people.logins_of(found["Emily"]).get() == membership


def test_a_login_named_for_one_person_with_anothers_email_is_neither(client, client_for, workspace):
    found = larkspur_people(workspace)
    output, membership = created("Carlos.Mendoza@larkspur.io", "raj.patel@larkspur.io")
    why = "its name is Carlos Mendoza's address and its email Raj Patel's: change one"
    assert membership.person is None
    assert f"It is linked to no person: {why}." in output
    assert not people.logins_of(found["Raj"]).exists()
    assert people.deactivate(found["Carlos"]) == []  # its access stays: it may be Raj's
    assert Membership.objects.filter(pk=membership.pk).exists()

    people.create_person(workspace, name="Ana", email="ana@larkspur.io", function=Function.SALES)
    membership.refresh_from_db()
    assert membership.person is None  # adding someone else links it to neither later

    page = unescape(client_for("owner").get(URL).content.decode())
    assert f"Nobody: {why}" in page
    [row] = [
        r for r in client.get("/w/acme/logins.json").json()["logins"] if r["id"] == membership.pk
    ]
    assert (row["person"], row["unlinked_because"]) == (None, why)


def test_a_login_named_for_one_person_with_anothers_email_gets_neither_ones_checkins(
    client, workspace
):
    larkspur_people(workspace)
    _, membership = created("Carlos.Mendoza@larkspur.io", "raj.patel@larkspur.io")
    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Q1 pulse", now - timedelta(days=1), now + timedelta(days=6)
    )
    people.create_person(workspace, name="Ana", email="ana@larkspur.io", function=Function.SALES)
    send_links(pulse)
    assert pulse.invitations.filter(person__name__in=["Carlos Mendoza", "Raj Patel"]).count() == 2
    client.force_login(membership.user)
    assert "Open check-ins that ask you" not in client.get("/w/acme/checkins/").content.decode()
    _, emilys = created("emily", "emily.sanders@larkspur.io")
    client.force_login(emilys.user)
    assert "Open check-ins that ask you" in client.get("/w/acme/checkins/").content.decode()


def test_a_login_linked_to_one_of_the_two_before_is_unlinked(workspace):
    """A login linked by its email alone before people could say otherwise."""
    found = larkspur_people(workspace)
    user = get_user_model().objects.create_user(
        "Carlos.Mendoza@larkspur.io", "raj.patel@larkspur.io"
    )
    membership = Membership.objects.create(workspace=workspace, user=user, person=found["Raj"])
    people.link_logins(workspace.pk)
    membership.refresh_from_db()
    assert membership.person is None


def test_an_invitation_is_linked_at_once_and_a_mixed_up_login_is_not(client_for, workspace, users):
    found = larkspur_people(workspace)
    invite(client_for("owner"), email="Raj.Patel@larkspur.io")
    assert Membership.objects.get(user__username="raj.patel@larkspur.io").person == found["Raj"]
    get_user_model().objects.create_user("emily.sanders@larkspur.io", "carlos.mendoza@larkspur.io")
    invite(client_for("owner"), email="emily.sanders@larkspur.io")
    mixed_up = Membership.objects.get(user__username="emily.sanders@larkspur.io")
    assert mixed_up.person is None


def test_an_unlinked_login_is_the_persons_it_names_alone(workspace):
    found = larkspur_people(workspace)
    user = get_user_model().objects.create_user("cm", "Carlos.Mendoza@larkspur.io")
    membership = Membership.objects.create(workspace=workspace, user=user)  # before the link
    assert list(people.logins_of(found["Carlos"])) == [membership]
    assert not people.logins_of(found["Raj"]).exists()
    user.email = "raj.patel@larkspur.io"  # now its name is nobody's, its email Raj's
    user.save()
    assert not people.logins_of(found["Carlos"]).exists()
    assert list(people.logins_of(found["Raj"])) == [membership]
    user.username = "carlos.mendoza@larkspur.io"  # and now it names both: it is neither's
    user.save()
    assert not people.logins_of(found["Carlos"]).exists()
    assert not people.logins_of(found["Raj"]).exists()


BEFORE_LINKING = [("workspaces", "0012_erased_addresses")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_logins_in_any_case_and_a_mixed_up_one_to_nobody():
    executor = migrate(BEFORE_LINKING)
    try:
        old = executor.loader.project_state(BEFORE_LINKING[0]).apps
        person, membership = (old.get_model("workspaces", n) for n in ("Person", "Membership"))
        user = old.get_model("auth", "User")
        workspace = old.get_model("workspaces", "Workspace").objects.create(name="N", slug="n")
        people = {
            name: person.objects.create(
                workspace=workspace, name=name, email=f"{name}@n.test", function="engineering"
            )
            for name in ("ida", "carlos", "raj")
        }
        admin = user.objects.create(username="itadmin", email="IDA@N.test")
        mixed = user.objects.create(username="carlos@n.test", email="raj@n.test")
        for login in (admin, mixed):
            membership.objects.create(workspace=workspace, user=login, role="owner")
        migrate(None)
        linked = dict(Membership.objects.values_list("user__username", "person_id"))
        assert linked == {"itadmin": people["ida"].pk, "carlos@n.test": None}
    finally:
        migrate(None)


BEFORE_FOLLOWING = [("workspaces", "0013_link_logins_in_any_case")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_unlinks_a_login_whose_person_no_longer_has_its_address():
    """A link left from an address given to a login for a moment, before links followed
    addresses: the migration ends it, and says so in the settings history."""
    executor = migrate(BEFORE_FOLLOWING)
    try:
        old = executor.loader.project_state(BEFORE_FOLLOWING[0]).apps
        person, membership = (old.get_model("workspaces", n) for n in ("Person", "Membership"))
        user = old.get_model("auth", "User")
        workspace = old.get_model("workspaces", "Workspace").objects.create(name="N", slug="n")
        ben, ida = (
            person.objects.create(
                workspace=workspace, name=name, email=f"{name}@n.test", function="engineering"
            )
            for name in ("ben", "ida")
        )
        spy = user.objects.create(username="spy@evil.test", email="spy@evil.test")
        admin = user.objects.create(username="itadmin", email="IDA@N.test")
        membership.objects.create(workspace=workspace, user=spy, role="member", person=ben)
        membership.objects.create(workspace=workspace, user=admin, role="owner", person=ida)
        migrate(None)
        linked = dict(Membership.objects.values_list("user__username", "person_id"))
        assert linked == {"spy@evil.test": None, "itadmin": ida.pk}
        history = SettingChange.objects.get(setting="login_link")
        assert (history.old_value, history.new_value) == (
            "spy@evil.test: ben",
            "spy@evil.test: nobody",
        )
    finally:
        migrate(None)


def test_an_outside_address_or_an_owner_is_invited_only_once_confirmed(
    client_for, users, workspace
):
    """One click gave an address nobody in People has, or the Owner role, its access."""
    Person.objects.create(workspace=workspace, name="Zed Cole", email="zed@acme.test")
    owner = client_for("owner")
    for email, role, said in (
        ("stranger@gmail.com", "viewer", "Nobody in People has the address stranger@gmail.com"),
        ("zed@acme.test", "owner", "zed@acme.test will be an owner of Acme"),
    ):
        asked = owner.post(URL + "invite/", {"email": email, "role": role})
        page = asked.content.decode()
        assert "what a owner" not in page and "what a editor" not in page
        assert asked.status_code == 200 and said in page and "Invite anyway" in page
        assert not Membership.objects.filter(user__username=email).exists()
        confirmed = {"email": email, "role": role, "confirmed": f"{email} {role}"}
        if role != "owner":  # what was confirmed is that address with that role
            again = owner.post(URL + "invite/", {**confirmed, "role": "owner"})
            assert "will be an owner" in again.content.decode()
        assert owner.post(URL + "invite/", confirmed).status_code == 302
        assert Membership.objects.filter(user__username=email, role=role).exists()
