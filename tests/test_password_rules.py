"""Django's four password validators, and truenorth's name-in-password one, wherever a password
is chosen: the password pages and every command that takes one. And the demo's logins are
ordinary ones."""

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD
from truenorth.cli import main
from truenorth.demo.build import build_demo
from truenorth.workspaces.models import Membership, Workspace

TOO_SHORT = "This password is too short. It must contain at least 8 characters."
TOO_COMMON = "This password is too common."


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_init_refuses_a_weak_password_with_the_validators_messages(db):
    args = ["init", "--name", "Acme", "--slug", "acme", "--owner", "ada"]
    result = run(*args, "--email", "ada@acme.test", "--password", "a")
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: nothing created; --password: {TOO_SHORT} --password: {TOO_COMMON}\n"
    )
    assert not Workspace.objects.exists() and not get_user_model().objects.exists()
    assert run(*args, "--email", "ada@acme.test", "--password", PASSWORD).exit_code == 0


@pytest.mark.parametrize(
    "password, message",
    [
        ("password", TOO_COMMON),
        ("40718293561", "This password is entirely numeric."),
        ("grace-hopper", "The password is too similar to the username."),
    ],
)
def test_user_create_and_set_password_refuse_weak_passwords(db, password, message):
    create = ["user", "create", "grace-hopper", "--email", "grace@acme.test", "--password-stdin"]
    result = run(*create, input=password + "\n")
    assert result.exit_code == 1 and message in result.output
    assert not get_user_model().objects.exists()

    run(*create, input=PASSWORD + "\n")
    result = run("user", "set-password", "grace-hopper", "--password-stdin", input=password + "\n")
    assert result.exit_code == 1 and message in result.output
    assert get_user_model().objects.get().check_password(PASSWORD)


def test_the_change_password_page_refuses_a_common_password(client_for):
    client = client_for("editor")
    form = {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"}
    response = client.post("/password/change/", form)
    assert response.status_code == 200
    assert TOO_COMMON in response.content.decode()


def test_an_administrator_is_made_on_purpose(db):
    result = run(
        "user",
        "create",
        "root",
        "--email",
        "it@acme.test",
        "--admin",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.output == "Created the administrator root.\n"
    root = get_user_model().objects.get(username="root")
    assert root.is_staff and root.is_superuser


def test_the_demo_logins_are_ordinary_logins(db):
    workspace = build_demo()
    owner = Membership.objects.get(workspace=workspace, user__username="demo")
    assert owner.role == "owner"
    assert not get_user_model().objects.filter(is_staff=True).exists()
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert owner.user.check_password("demo")  # demo data, set by the builder, as documented


def test_a_password_made_of_the_email_address_is_refused(db):
    """Django's similarity check let `priya.nair` through for `Priya.Nair@…`: letters alone are
    compared, so punctuation, digits and case hide nothing."""
    create = ["user", "create", "ghopper", "--email", "Grace.Hopper@acme.test", "--password-stdin"]
    for guessable in ("grace.hopper", "Grace_Hopper_2026!", "hopper.grace.hopper"):
        result = run(*create, input=guessable + "\n")
        assert result.exit_code == 1, guessable
        assert "This password is mostly your name or email address." in result.output
    assert not get_user_model().objects.exists()
    assert run(*create, input="grace sails north at dawn\n").exit_code == 0
