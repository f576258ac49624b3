"""`truenorth goals list / add / measure / move / archive / restore`: the goal form, the goal
card's measurement form and strategy.actions as the goals page calls them, ranks kept 1..n. Every
refusal is a message and a failing exit code."""

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


GOAL = [
    "Close the books in 3 days", "--why", "Month-end takes 8 days", "--why-now",
    "The audit starts in June", "--metric", "Median close time", "--target",
    "3 days by 30 June 2027", "--period", "2027-H1", "--names", "close, month-end",
]  # fmt: skip


def test_add_puts_the_goal_last_as_the_goal_form_does(goals):
    added = run("add", *GOAL)
    assert added.exit_code == 0, added.output
    goal = Goal.objects.get(title="Close the books in 3 days")
    assert added.output == f"Added goal {goal.pk} as #4: Close the books in 3 days\n"
    assert (goal.rank, goal.period, goal.names) == (4, "2027-H1", ["close", "month-end"])


@pytest.mark.parametrize(
    "change, error",
    [
        ({"--period": "2027-H3"}, "--period: A year has 2 halves: H1 to H2."),
        ({"--why": ""}, "--why: This field is required."),
        ({"--names": "onboarding"}, "--names: “onboarding” already names goal 3"),
    ],
)
def test_add_refuses_what_the_goal_form_refuses(goals, change, error):
    Goal.objects.filter(pk=goals[2].pk).update(names=["onboarding"])
    args = list(GOAL)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    result = run("add", *args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: the goal was not added: {error}" in result.output
    assert Goal.objects.count() == 3


def measurements(goal):
    return list(goal.measurements.values_list("measured_on", "value", "unit", "is_target"))


def test_measure_records_a_value_and_a_target_and_says_so(goals):
    goal = goals[0]
    first = run("measure", str(goal.pk), "8", "--unit", "days", "--on", "2026-09-01")
    assert first.exit_code == 0, first.output
    said = first.output.splitlines()
    assert said[0] == f"Recorded 8 days for goal {goal.pk} “Faster close” on 1 Sep 2026."
    assert said[1].startswith("No target value")
    run("measure", str(goal.pk), "7,5", "--on", "2026-10-01")  # in the goal's unit, as typed
    target = run("measure", str(goal.pk), "3", "--on", "2027-06-30", "--target")
    assert target.output.startswith(
        f"Recorded 3 days as the target of goal {goal.pk} “Faster close” by 30 Jun 2027."
    )
    corrected = run("measure", str(goal.pk), "7", "--on", "2026-10-01")
    assert "on 1 Oct 2026, instead of 7.5 days." in corrected.output
    assert [(str(d), v, u, t) for d, v, u, t in measurements(goal)] == [
        ("2026-09-01", 8.0, "days", False),
        ("2026-10-01", 7.0, "days", False),
        ("2027-06-30", 3.0, "days", True),
    ]


def test_measure_without_a_day_records_today_in_the_workspaces_time_zone(goals):
    from django.utils import timezone

    result = run("measure", str(goals[1].pk), "42%")
    assert result.exit_code == 0, result.output
    [(day, value, unit, _)] = measurements(goals[1])
    assert (value, unit) == (42, "%")
    assert f"on {day.day} " in result.output and day <= timezone.localdate()


@pytest.mark.parametrize(
    "options, value, error",
    [
        (["--unit", "weeks"], "2.5", "--unit: This goal is measured in days, not weeks: record "
         "2.5 weeks as 17.5 days."),
        (["--unit", "%", "--on", "2026-09-02"], "5000", "--unit: This goal is measured in days"),
        ([], "-3", "VALUE: A value in days cannot be below zero."),
        ([], "40000", "VALUE: 40,000 days is more than 100 years (36,525 days)"),
        ([], "1e308", "VALUE: A number of 309 digits is beyond ±1,000,000,000,000: is the value "
         "mistyped?"),
        ([], "seven", "VALUE: Enter a number."),
        (["--on", "2999-01-01"], "7", "--on: A value is measured on a day that has come"),
        (["--on", "yesterday"], "7", "'yesterday' is not a date; write it as 2026-03-31."),
    ],
)  # fmt: skip
def test_measure_refuses_what_the_goal_card_refuses(goals, options, value, error):
    goal = goals[0]
    run("measure", str(goal.pk), "8", "--unit", "days", "--on", "2026-09-01")
    args = ["goals", "measure", "-w", "acme", *options, str(goal.pk), "--", value]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert error in result.output, result.output
    assert len(measurements(goal)) == 1


def test_measure_refuses_an_archived_goal_and_one_of_another_workspace(goals):
    run("archive", str(goals[0].pk))
    archived = run("measure", str(goals[0].pk), "8")
    assert "goal" in archived.output and "is archived: it takes no measurement" in archived.output
    assert "there is no goal 999" in run("measure", "999", "8").output
    assert measurements(goals[0]) == []


def test_without_a_target_value_the_command_line_says_how_to_record_one_there(goals, client_for):
    """The advice is the card's, with the command line's way to record a target: no form."""
    said = run("measure", str(goals[0].pk), "8", "--unit", "days", "--on", "2026-09-01").output
    assert said.splitlines()[1] == (
        "No target value: no value could be read from “target”, only from a number alone such as "
        "“120” or “0.5%”: record it with --target, and its date with --on, to judge the pace."
    )
    assert "Edit form" not in said and "Edit form" not in run("list").output
    assert "record it with --target, and its date with --on" in run("list").output
    page = client_for("member").get("/w/acme/goals/").content.decode()
    assert "give it under “Target value” and “Target date” on the goal&#x27;s Edit form" in page
    assert "--target" not in page


@pytest.mark.parametrize(
    "value, error",
    [
        ("1500000", "VALUE: 1,500,000% is more than 1,000%: is the decimal point misplaced?"),
        ("1,200%", "VALUE: 1,200% is more than 1,000%"),
        ("12000000000000", "VALUE: 12,000,000,000,000% is more than 1,000%"),
    ],
)
def test_a_refused_value_is_written_as_people_write_numbers(goals, value, error):
    run("measure", str(goals[1].pk), "42%", "--on", "2026-09-01")
    result = run("measure", str(goals[1].pk), value)
    assert result.exit_code == 1 and error in result.output, result.output
    assert "e+" not in result.output


def test_the_pace_so_far_reads_as_a_rate(goals):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    for ago, value in ((66, "18%"), (21, "15%")):
        run("measure", str(goals[1].pk), value, "--on", str(today - timedelta(days=ago)))
    ahead = str(today + timedelta(days=115))
    said = run("measure", str(goals[1].pk), "5", "--on", ahead, "--target").output
    assert "has fallen 2 points a month so far)." in said, said
