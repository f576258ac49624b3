"""`truenorth init` and create_workspace refuse bad input with a message, never a traceback."""

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError

from truenorth.cli import main
from truenorth.workspaces.actions import create_workspace
from truenorth.workspaces.models import Membership, Workspace

GOOD = {"--name": "Acme", "--slug": "acme", "--owner": "ada", "--email": "ada@acme.test"}


def init(**changes):
    options = {**GOOD, **changes}
    args = [part for option in options.items() for part in option]
    return CliRunner().invoke(main, ["init", *args, "--password", "s3cret-pass"])


def test_init_creates_the_workspace_and_its_owner(db):
    result = init()
    assert result.exit_code == 0, result.output
    assert result.output == "Created workspace Acme (/w/acme/), owned by ada.\n"
    membership = Membership.objects.get()
    assert (membership.workspace.slug, membership.user.username, membership.role) == (
        "acme",
        "ada",
        "owner",
    )


def test_an_existing_slug_is_a_message_and_exit_code_1(workspace):
    result = init(**{"--name": "Acme again"})
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.output == (
        "Error: nothing created; --slug: A workspace with slug 'acme' exists already; "
        "choose another.\n"
    )
    assert Workspace.objects.get().name == "Acme"
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--slug", "acme corp", "--slug: Use only lowercase letters, digits and hyphens"),
        ("--slug", "Acme", "--slug: Use only lowercase letters"),
        ("--slug", "acme_corp", "--slug: Use only lowercase letters"),
        ("--slug", "a" * 61, "--slug: Ensure this value has at most 60 characters"),
        ("--slug", "", "--slug: This field cannot be blank."),
        ("--name", "   ", "--name: This field cannot be blank."),
        ("--name", "x" * 201, "--name: Ensure this value has at most 200 characters"),
        ("--email", "ada at acme", "--email: Enter a valid email address."),
        ("--owner", "ada lovelace", "--owner: Enter a valid username."),
    ],
)
def test_init_refuses_bad_input(db, option, value, message):
    result = init(**{option: value})
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Workspace.objects.exists()


def test_a_slug_of_60_characters_is_fine(db):
    assert init(**{"--slug": "a" * 60}).exit_code == 0


def test_create_workspace_refuses_for_every_caller(workspace):
    with pytest.raises(ValidationError) as caught:
        create_workspace(" ", "acme", "ada", "not-an-email", None)
    assert set(caught.value.message_dict) == {"name", "slug", "email"}
    assert Workspace.objects.count() == 1


def test_an_existing_login_can_own_a_new_workspace(users):
    workspace = create_workspace("Beta", "beta", "editor", "editor@acme.test", "ignored-pass")
    assert Membership.objects.get(workspace=workspace).user == users["editor"]
    assert not users["editor"].check_password("ignored-pass")
