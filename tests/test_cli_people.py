"""`truenorth people add / set / deactivate / reactivate`: the people page's form and
workspaces.people, one person at a time. Every refusal names the option and saves nothing."""

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.cli_people import FUNCTIONS, ROLES
from truenorth.workspaces.models import Function, Person, Role


def run(*args):
    return CliRunner().invoke(main, ["people", *args, "-w", "acme"])


def test_the_choices_offered_are_the_models():
    assert (Function.values, Role.values) == (FUNCTIONS, ROLES)


def test_a_person_is_added_with_team_manager_and_role(users, team):
    added = run("add", "Ana Lima", "--email", "ana@acme.test", "--function", "sales",
                "--team", "PLATFORM", "--manager", "Editor@acme.test", "--title", "AE",
                "--role", "member")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.output == "Saved Ana Lima <ana@acme.test>: sales, Platform.\n"
    ana = Person.objects.get(email="ana@acme.test")
    assert (ana.team, ana.manager.email, ana.title, ana.role) == (
        team,
        "editor@acme.test",
        "AE",
        "member",
    )


def test_set_changes_only_what_is_given(users, team):
    run("add", "Ana Lima", "--email", "ana@acme.test", "--function", "sales", "--team", "Platform",
        "--manager", "editor@acme.test", "--title", "AE")  # fmt: skip
    moved = run("set", "ANA@acme.test", "--team", "engineering", "--function", "marketing")
    assert moved.exit_code == 0, moved.output
    ana = Person.objects.get(email="ana@acme.test")
    assert (ana.team.name, ana.function, ana.title) == ("Engineering", "marketing", "AE")
    assert ana.manager.email == "editor@acme.test"
    cleared = run("set", "ana@acme.test", "--team", "none", "--manager", "none")
    assert cleared.exit_code == 0, cleared.output
    ana.refresh_from_db()
    assert (ana.team, ana.manager, ana.name) == (None, None, "Ana Lima")


def test_deactivate_and_reactivate(users):
    member = users["member"].memberships.get().person
    left = run("deactivate", member.email, "--yes")
    assert left.exit_code == 0 and "their answers stay" in left.output
    member.refresh_from_db()
    assert not member.active
    assert run("reactivate", member.email.upper()).exit_code == 0
    member.refresh_from_db()
    assert member.active


@pytest.mark.parametrize(
    "args, error",
    [
        (["add", "X", "--email", "OWNER@acme.test", "--function", "sales"],
         "--email: Someone in this workspace already has the email"),
        (["add", "X", "--email", "x@", "--function", "sales"], "--email: Enter a valid email"),
        (["add", "X", "--email", "x@acme.test", "--function", "sales", "--team", "Nope"],
         "no team named 'Nope'; the teams: "),
        (["add", "X", "--email", "x@acme.test", "--function", "sales", "--manager", "no@a.test"],
         "--manager: Nobody in this workspace has the email no@a.test."),
        (["add", "X", "--email", "x@acme.test", "--function", "chef"], "Invalid value for '--function'"),
        (["set", "editor@acme.test", "--manager", "editor@acme.test"], "--manager: Nobody is their own"),
        (["set", "nobody@acme.test", "--title", "x"], "nobody in acme has the email"),
        (["deactivate", "nobody@acme.test"], "nobody in acme has the email"),
    ],
)  # fmt: skip
def test_refusals_name_the_option_and_save_nothing(users, team, args, error):
    before = list(Person.objects.order_by("pk").values())
    result = run(*args)
    assert result.exit_code != 0
    assert error in result.output and "Traceback" not in result.output
    assert list(Person.objects.order_by("pk").values()) == before


def test_an_archived_team_takes_nobody_new(users, team):
    team.archived = True
    team.save()
    refused = run("add", "X", "--email", "x@acme.test", "--function", "sales", "--team", "Platform")
    assert refused.exit_code == 1 and "the team Platform is archived" in refused.output


def teams(*args):
    return CliRunner().invoke(main, ["teams", *args, "-w", "acme"])


def test_teams_are_listed_as_a_tree_with_their_people(users, team):
    listed = teams("list")
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        "Engineering: 0 people, 4 with the teams below",
        "  Platform: 4 people",
    ]  # the four logins of the organisation are in Platform


def test_a_team_is_added_renamed_moved_archived_and_restored(users, team):
    assert teams("add", "Payments", "--within", "engineering").output == (
        "Saved the team Payments, within Engineering.\n"
    )
    moved = teams("set", "payments", "--name", "Payments & Risk", "--within", "none")
    assert moved.output == "Saved the team Payments & Risk, at the top.\n"
    assert teams("archive", "Payments & Risk").exit_code == 0
    assert "Payments & Risk (archived): 0 people" in teams("list").output
    assert teams("restore", "PAYMENTS & RISK").output == "Restored the team Payments & Risk.\n"


@pytest.mark.parametrize(
    "args, error",
    [
        (["add", "platform"], "--name: There is already a team named Platform."),
        (
            ["add", "X", "--within", "Nope"],
            "no team named 'Nope'; the teams: Engineering, Platform",
        ),
        (["set", "Engineering", "--within", "Platform"], "--within: Platform is Engineering or"),
        (["archive", "Nope"], "no team named 'Nope'"),
    ],
)
def test_team_refusals_name_the_option_and_save_nothing(users, team, args, error):
    before = list(team.workspace.teams.order_by("pk").values())
    result = teams(*args)
    assert result.exit_code == 1
    assert error in result.output and "Traceback" not in result.output
    assert list(team.workspace.teams.order_by("pk").values()) == before
