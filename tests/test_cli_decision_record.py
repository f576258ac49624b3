"""`truenorth decisions add` and `edit` set the whole record the decision page's form sets, not
only its title, question, context, owner and teams to inform: until 2026-12-07 a decider, a
goal or what it blocks could be set only on the page or through the API. Real database, the
page's own form, Click's runner."""

from datetime import date

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.strategy.models import Goal
from truenorth.workspaces.models import Workspace


def run(*args):
    return CliRunner().invoke(main, ["decisions", *args, "-w", "acme"])


def names(people) -> set[str]:
    return {person.name for person in people.all()}


@pytest.fixture
def decision(workspace, users):
    made = Decision(
        workspace=workspace,
        title="Payments vendor",
        question="Should we move payment processing to a new vendor?",
        raised_on=date(2026, 3, 1),
    )
    actions.add_decision(made)
    made.deciders.add(users["owner"].memberships.get().person)
    return made


def test_edit_adds_people_and_links_and_keeps_those_listed(decision, users, strategy):
    goal = strategy["goals"][1]
    initiative = next(iter(strategy["initiatives"].values()))
    result = run(
        "edit",
        str(decision.number),
        "--decider",
        "EDITOR@acme.test",
        "--consulted",
        "member@acme.test",
        "--inform",
        "viewer@acme.test",
        "--goal",
        str(goal.pk),
        "--initiative",
        str(initiative.pk),
        "--blocks",
        str(initiative.pk),
        "--kind",
        "vendor",
        "--shared-with-partners",
    )
    assert result.exit_code == 0, result.output
    decision.refresh_from_db()
    assert names(decision.deciders) == {"Owner", "Editor"}  # the owner is still a decider
    assert names(decision.consulted) == {"Member"} and names(decision.informed) == {"Viewer"}
    assert list(decision.goals.all()) == [goal]
    assert list(decision.initiatives.all()) == list(decision.blocks.all()) == [initiative]
    assert decision.category == "vendor" and decision.shared_with_partners
    again = run("edit", str(decision.number), "--not-shared-with-partners")
    assert again.exit_code == 0, again.output
    decision.refresh_from_db()
    assert not decision.shared_with_partners and names(decision.deciders) == {"Owner", "Editor"}
    assert decision.category == "vendor"  # what is not given stays


def test_add_records_a_decision_with_its_people_and_links(workspace, users, strategy):
    goal = strategy["goals"][0]
    result = run(
        "add",
        "Office",
        "--question",
        "Do we open an office in Berlin?",
        "--decider",
        "owner@acme.test",
        "--decider",
        "editor@acme.test",
        "--goal",
        str(goal.pk),
        "--kind",
        "operations",
    )
    assert result.exit_code == 0, result.output
    made = Decision.objects.get(title="Office")
    assert names(made.deciders) == {"Owner", "Editor"} and list(made.goals.all()) == [goal]
    assert made.category == "operations" and not made.shared_with_partners


@pytest.mark.parametrize(
    "args, said",
    [
        (["--decider", "nobody@acme.test"], "--decider: nobody in acme has the email"),
        (["--inform", "partner@acme.test"], "--inform: partner@acme.test is a partner"),
        (["--goal", "0"], "--goal: “0” is not a valid value."),
        (["--blocks", "x"], "Invalid value for '--blocks': 'x' is not a valid integer."),
    ],
)
def test_a_person_or_link_it_cannot_list_is_refused_changing_nothing(decision, users, args, said):
    result = run("edit", str(decision.number), "--kind", "pricing", *args)
    assert result.exit_code != 0 and said in result.output, result.output
    decision.refresh_from_db()
    assert decision.category == "" and names(decision.deciders) == {"Owner"}


def test_another_workspaces_goal_is_refused_naming_the_option(decision, users):
    elsewhere = Workspace.objects.create(name="Other", slug="other")
    theirs = Goal.objects.create(workspace=elsewhere, title="Theirs", rank=1, period="2026-H2")
    result = run("edit", str(decision.number), "--goal", str(theirs.pk))
    assert result.exit_code == 1
    assert f"decision {decision.number} was not changed: --goal: Select a valid choice" in (
        result.output
    )
    assert not decision.goals.exists()


def test_decide_records_the_trade_offs_with_the_outcome(decision):
    refused = run("decide", str(decision.number), "--outcome", " ", "--consequences", "Fees.")
    assert refused.exit_code == 1 and "Say what was decided" in refused.output
    decision.refresh_from_db()
    assert decision.consequences == ""  # nothing saved with a refused decision
    result = run(
        "decide", str(decision.number), "--outcome", "We move.", "--consequences", "Fees rise."
    )
    assert result.exit_code == 0, result.output
    decision.refresh_from_db()
    assert (decision.status, decision.consequences) == ("decided", "Fees rise.")
