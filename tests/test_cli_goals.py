"""`truenorth goals list / move / archive / restore`: strategy.actions as the goals page calls
them, ranks kept 1..n. Every refusal is a message and a failing exit code."""

import json

import pytest
from click.testing import CliRunner

from truenorth.cli import main
from truenorth.strategy.models import Goal


def run(*args):
    return CliRunner().invoke(main, ["goals", *args, "-w", "acme"])


@pytest.fixture
def goals(strategy, workspace):
    third = Goal.objects.create(
        workspace=workspace, title="Self-serve onboarding", why="w", why_now="n", metric="m",
        target="t", rank=3, period="2027-H1",
    )  # fmt: skip
    return [*strategy["goals"], third]


def ranking():
    return list(Goal.objects.order_by("rank").values_list("title", "rank"))


def test_list_is_in_rank_order_and_its_json_is_the_apis(goals):
    listed = run("list")
    assert listed.exit_code == 0, listed.output
    header, *lines = listed.output.splitlines()
    assert header.split() == ["rank", "id", "period", "on", "track?", "what"]
    rows = [line.split(None, 3) for line in lines if line.lstrip().startswith("#")]
    assert [row[:3] for row in rows] == [
        ["#1", str(goals[0].pk), "2026-H2"],
        ["#2", str(goals[1].pk), "2026-H2"],
        ["#3", str(goals[2].pk), "2027-H1"],
    ]
    titles = ["Faster close", "Fewer manual touches", "Self-serve onboarding"]
    for row, title in zip(rows, titles, strict=True):  # no measurements: no target to judge
        assert row[3].startswith("No target value") and row[3].endswith(f"  {title}")
    first = json.loads(run("list", "--json").output.splitlines()[0])
    assert (first["id"], first["rank"], first["archived"]) == (goals[0].pk, 1, False)


def test_move_up_and_down(goals):
    moved = run("move", str(goals[2].pk), "--up")
    assert moved.exit_code == 0, moved.output
    assert moved.output == f"Goal {goals[2].pk} is now #2: Self-serve onboarding\n"
    assert ranking() == [
        ("Faster close", 1), ("Self-serve onboarding", 2), ("Fewer manual touches", 3),
    ]  # fmt: skip
    assert run("move", str(goals[0].pk), "--down").exit_code == 0
    assert ranking()[:2] == [("Self-serve onboarding", 1), ("Faster close", 2)]


def test_archive_closes_the_ranking_and_restore_puts_it_last(goals):
    archived = run("archive", str(goals[0].pk))
    assert archived.exit_code == 0, archived.output
    assert "Archived goal" in archived.output and "(was #1): Faster close" in archived.output
    assert ranking() == [("Fewer manual touches", 1), ("Self-serve onboarding", 2)]
    listed = run("list", "--archived").output.splitlines()[1]
    assert listed.split(None, 3)[:3] == ["was", "#1", str(goals[0].pk)]
    restored = run("restore", str(goals[0].pk))
    assert restored.output == f"Restored goal {goals[0].pk} as #3: Faster close\n"
    assert ranking()[2] == ("Faster close", 3)


@pytest.mark.parametrize(
    "args, error",
    [
        (["move", "999", "--up"], "there is no goal 999"),
        (["move", "{first}"], "say --up or --down"),
        (["restore", "{first}"], "is not archived"),
        (["archive", "999"], "there is no goal 999"),
    ],
)
def test_refusals_are_messages_and_change_nothing(goals, args, error):
    before = ranking()
    result = run(*(arg.format(first=goals[0].pk) for arg in args))
    assert result.exit_code != 0
    assert error in result.output and "Traceback" not in result.output
    assert ranking() == before


def test_an_archived_goal_cannot_be_moved_nor_archived_again(goals):
    run("archive", str(goals[1].pk))
    assert "has no place in the ranking" in run("move", str(goals[1].pk), "--up").output
    assert "archived already" in run("archive", str(goals[1].pk)).output
    assert ranking() == [("Faster close", 1), ("Self-serve onboarding", 2)]
