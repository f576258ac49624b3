"""`truenorth work list / link`: what each item serves, and links by hand through the work
list's link form and work.actions, all of the named items or none."""

import json

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.cli_work import SOURCES
from truenorth.roadmap.actions import archive_initiative
from truenorth.roadmap.models import Initiative, Visibility
from truenorth.work.models import LinkedBy, LinkSuggestion, Source, WorkItem


def run(*args):
    return CliRunner().invoke(main, ["work", *args, "-w", "acme"])


def test_the_sources_offered_are_the_trackers_truenorth_knows():
    assert Source.values == SOURCES


def test_list_says_what_each_item_serves(strategy):
    listed = run("list")
    assert listed.exit_code == 0, listed.output
    linked, orphan = listed.output.splitlines()
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    assert linked.startswith("ENG-1 ") and linked.endswith("  Linked")
    assert f"  initiative {initiative.pk}: Internal initiative  " in linked
    assert orphan.startswith("ENG-2 ") and "  nothing (orphan)  " in orphan
    assert [line.split()[0] for line in run("list", "--unlinked").output.splitlines()] == ["ENG-2"]
    [item] = [json.loads(line) for line in run("list", "--unlinked", "--json").output.splitlines()]
    assert (item["external_key"], item["supports_a_goal"]) == ("ENG-2", False)


def test_link_to_an_initiative_a_goal_or_nothing(strategy):
    orphan = strategy["items"][1]
    LinkSuggestion.objects.create(item=orphan, goal=strategy["goals"][1], score=60)
    initiative = strategy["initiatives"][Visibility.PUBLIC]
    linked = run("link", "ENG-1", "ENG-2", "--initiative", str(initiative.pk))
    assert linked.exit_code == 0, linked.output
    assert linked.output == f"Linked 2 items to initiative {initiative.pk}: {initiative.title}.\n"
    assert set(WorkItem.objects.values_list("initiative", "linked_by")) == {
        (initiative.pk, LinkedBy.HAND)
    }
    assert not LinkSuggestion.objects.exists()  # an editor decided: its suggestions go
    goal = strategy["goals"][0]
    assert run("link", "ENG-2", "--goal", str(goal.pk)).exit_code == 0
    orphan.refresh_from_db()
    assert (orphan.goal, orphan.initiative) == (goal, None)
    assert "to nothing (orphan work)" in run("link", "ENG-2", "--nothing").output
    orphan.refresh_from_db()
    assert (orphan.goal, orphan.initiative, orphan.linked_by) == (None, None, LinkedBy.HAND)


def test_a_key_in_two_trackers_needs_the_source(strategy, workspace):
    WorkItem.objects.create(
        workspace=workspace, source=Source.LINEAR, external_key="ENG-2", title="x"
    )
    goal = strategy["goals"][0]
    refused = run("link", "ENG-2", "--goal", str(goal.pk))
    assert refused.exit_code == 1 and "say which with --source" in refused.output
    assert run("link", "ENG-2", "--goal", str(goal.pk), "--source", "linear").exit_code == 0
    assert WorkItem.objects.get(source=Source.LINEAR).goal == goal


@pytest.mark.parametrize(
    "args, error",
    [
        (["ENG-1", "NOPE-9", "--goal", "{goal}"], "no work item NOPE-9; nothing was linked"),
        (["ENG-1", "--goal", "999"], "there is no goal 999"),
        (["ENG-1", "--initiative", "{archived}"], "an archived one cannot be linked"),
        (["ENG-1"], "say one of --initiative ID, --goal ID or --nothing"),
        (["ENG-1", "--goal", "{goal}", "--nothing"], "say one of"),
    ],
)
def test_refusals_are_messages_and_link_nothing(strategy, args, error):
    archived = strategy["initiatives"][Visibility.PARTNER]
    archive_initiative(archived)
    before = list(WorkItem.objects.order_by("pk").values_list("initiative", "goal", "linked_by"))
    named = {"goal": strategy["goals"][1].pk, "archived": archived.pk}
    result = run("link", *(arg.format(**named) for arg in args))
    assert result.exit_code != 0
    assert error in result.output and "Traceback" not in result.output
    after = list(WorkItem.objects.order_by("pk").values_list("initiative", "goal", "linked_by"))
    assert after == before


def test_list_says_work_decided_against_is_no_orphan(strategy, workspace):
    WorkItem.objects.create(
        workspace=workspace, external_key="ENG-7", title="Dark mode", status="Won't Do"
    )
    lines = {line.split()[0]: line for line in run("list").output.splitlines()}
    assert "  nothing (decided against)  " in lines["ENG-7"]
    assert "  nothing (orphan)  " in lines["ENG-2"]


def test_linking_to_an_initiative_without_a_goal_says_so(strategy, workspace):
    goalless = Initiative.objects.create(workspace=workspace, title="SOC 2")
    linked = run("link", "ENG-2", "--initiative", str(goalless.pk))
    assert linked.exit_code == 0, linked.output
    assert (
        "That initiative serves no goal: the work linked to it still supports none."
        in linked.output
    )
    assert (
        "serves no goal" not in run("link", "ENG-2", "--goal", str(strategy["goals"][0].pk)).output
    )
