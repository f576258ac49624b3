"""What a login can act on is all it is offered: a member, who may change nothing, is not offered
a token that writes, nor told that one writes; and advice on wording (spell out an acronym, add
it to the glossary) is for those who can edit the text, not for every reader of it."""

import re

import pytest
from click.testing import CliRunner

from truenorth.api.models import ApiToken
from truenorth.cli import main
from truenorth.workspaces.models import Membership, Role, Workspace

PAGE = "/account/tokens/"
ASKED = {"name": "sync", "scope": "write", "expires_days": ""}


def scopes_offered(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="scope" value="(\w+)"', page)


def test_a_member_is_offered_only_a_token_that_reads(client_for, users):
    client = client_for("member")
    page = client.get(PAGE).content.decode()
    assert scopes_offered(page) == ["read"]
    assert "Read only: your role changes nothing in Acme (member)" in page
    refused = client.post(PAGE, ASKED)
    assert refused.status_code == 400
    assert "so a token of yours can only read" in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_an_editor_makes_a_token_that_writes(client_for, users):
    client = client_for("editor")
    assert scopes_offered(client.get(PAGE).content.decode()) == ["read", "write"]
    made = client.post(PAGE, ASKED)
    assert made.status_code == 201
    assert "“sync”, read and write, no expiry." in made.content.decode()


def test_a_login_that_writes_in_one_workspace_is_told_where(client_for, users):
    other = Workspace.objects.create(name="Globex", slug="globex")
    Membership.objects.create(workspace=other, user=users["editor"], role=Role.MEMBER)
    made = client_for("editor").post(PAGE, ASKED)
    said = "“sync”, read and write in Acme; read only in Globex (member), no expiry."
    assert said in made.content.decode()
    listed = client_for("editor").get(PAGE).content.decode()
    assert "Read and write in Acme; read only in Globex (member)" in listed


def test_a_write_token_made_on_the_command_line_says_what_it_can_do(users):
    answer = CliRunner().invoke(
        main, ["token", "create", "--user", "member", "--name", "x", "--scope", "write"]
    )
    assert answer.exit_code == 0, answer.output
    assert "What it can do: read only: the login’s role changes nothing in Acme (member)." in (
        answer.stderr
    )


@pytest.mark.parametrize("role", ["member", "viewer", "editor"])
def test_wording_advice_is_for_those_who_can_edit(db, built_demo, demo_client, role):
    client = demo_client(built_demo, role)
    slug = built_demo.slug
    vision = client.get(f"/w/{slug}/vision/").content.decode()
    decision = client.get(f"/w/{slug}/decisions/7/").content.decode()
    assert "APIs" in decision and "AP" in vision  # the acronyms are shown to every reader
    advice = ["Spell out AP or add it to the glossary" in vision]
    advice.append("spell it out, or define it once in the glossary" in decision)
    if role == "editor":
        assert all(advice)
    else:
        assert not any(advice)
        assert "— not in the glossary." in vision and "— not in the glossary." in decision
