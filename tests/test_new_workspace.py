"""An administrator of the server creates workspaces in the app; nobody else can."""

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from truenorth.cli import main
from truenorth.workspaces.models import LOGIN_ROLE, Membership, SettingChange, Workspace

URL = "/workspaces/new/"


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_user(
        "root", "it@acme.test", "correct-horse-battery", is_staff=True
    )


def test_an_administrator_creates_a_workspace_and_owns_it(client, admin):
    client.force_login(admin)
    assert "Create a workspace" in client.get("/").content.decode()
    response = client.post(URL, {"name": "Globex", "slug": "globex"})
    assert response.status_code == 302 and response.url == "/w/globex/"
    membership = Membership.objects.get(workspace__slug="globex")
    assert (membership.user, membership.role) == (admin, "owner")
    assert admin.has_usable_password()  # creating a workspace leaves the login as it was
    # Its history starts with who owns it, and who made it so.
    [first] = SettingChange.objects.filter(workspace__slug="globex")
    assert (first.setting, first.old_value, first.new_value) == (
        LOGIN_ROLE,
        "root: none",
        "root: owner",
    )
    assert first.changed_by == admin


def test_the_same_form_sent_again_opens_the_workspace_it_made(client, admin):
    """Back, then resubmit: not "choose another slug" with no way to the workspace just made."""
    client.force_login(admin)
    client.post(URL, {"name": "Globex", "slug": "globex"})
    again = client.post(URL, {"name": "Globex", "slug": "globex"}, follow=True)
    assert again.redirect_chain[-1][0] == "/w/globex/"
    assert "You created Globex already; here it is." in again.content.decode()
    assert Workspace.objects.filter(slug="globex").count() == 1


@pytest.mark.parametrize(
    "slug, problem", [("glo bex", "slug"), ("Globex", "slug"), ("acme", "already")]
)
def test_a_bad_or_taken_slug_is_a_form_error(client, admin, workspace, slug, problem):
    client.force_login(admin)
    response = client.post(URL, {"name": "Globex", "slug": slug})
    assert response.status_code == 400 and problem in response.content.decode()
    assert Workspace.objects.count() == 1


def test_a_slug_left_empty_is_made_from_the_name(client, admin, workspace):
    client.force_login(admin)
    assert "it is made from the name" in client.get(URL).content.decode()
    response = client.post(URL, {"name": "Northwind Labs", "slug": ""})
    assert response.status_code == 302 and response.url == "/w/northwind-labs/"
    again = client.post(URL, {"name": "Northwind Labs", "slug": ""}, follow=True)
    assert "You created Northwind Labs already" in again.content.decode()
    other = client.post(URL, {"name": "ACME", "slug": ""})  # "acme" is taken
    assert other.status_code == 302 and other.url == "/w/acme-2/"
    assert Workspace.objects.get(slug="acme-2").name == "ACME"


def test_nobody_else_creates_workspaces(client_for, users):
    for role in ("owner", "outsider"):
        response = client_for(role).post(URL, {"name": "Globex", "slug": "globex"})
        assert response.status_code == 403
    assert not Workspace.objects.filter(slug="globex").exists()


def test_the_cli_creates_the_first_administrator(db):
    result = CliRunner().invoke(
        main,
        ["user", "create", "root", "--email", "it@acme.test", "--admin", "--password-stdin"],
        input="correct-horse-battery\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created the administrator root" in result.output
    assert get_user_model().objects.get(username="root").is_staff
