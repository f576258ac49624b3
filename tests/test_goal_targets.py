"""A goal's target written as a number alone ("120", "≤ 0.5 %", "from 600 to 60") becomes its
target value when the goal is saved, dated the end of its period, on the page, through the API
and with `truenorth goals add` alike; where no value can be read, the card says what is missing
and the goal form takes the value and its date itself."""

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import api_request
from truenorth.cli import main
from truenorth.strategy import pace
from truenorth.strategy.models import Goal, GoalMeasurement
from truenorth.strategy.targets import Target, period_end, written_value

# Next year, whatever today is: its halves and quarters are always ahead and plausible.
YEAR = timezone.localdate().year + 1
GOAL = {
    "title": "More questions answered by customers themselves",
    "why": "Support is swamped",
    "why_now": "Two hires left",
    "metric": "Weekly self-served questions per customer",
    "target": "120",
    "period": f"{YEAR}-H1",
}


@pytest.mark.parametrize(
    "written, value",
    [
        ("120", Target(120)),
        ("40", Target(40)),
        ("0.5%", Target(0.5, "%")),
        ("≤ 0.5 %", Target(0.5, "%")),
        ("5 per cent", Target(5, "%")),
        ("at least 95%", Target(95, "%")),
        ("under 2 days", Target(2, "days")),
        ("2 days or less.", Target(2, "days")),
        ("1,200 customers", Target(1200, "customers")),
        ("12,5", Target(12.5)),
        ("from 600 to 60", Target(60)),
        ("from 41% to 70%", Target(70, "%")),
        ("600 → 60", Target(60)),
        ("from 600 down to 60", Target(60)),
    ],
)
def test_a_number_alone_is_read_as_a_value(written, value):
    assert written_value(written) == value


@pytest.mark.parametrize(
    "written",
    [
        "70% by June",
        "3 days by 30 June 2027",
        "Below 0.5% by 31 December 2026 (4.2% today)",
        "€4m",
        "40k",
        "from 3 days to 2 weeks",
        "target",
        "",
    ],
)
def test_anything_more_than_a_number_is_not(written):
    assert written_value(written) is None


@pytest.mark.parametrize(
    "period, end",
    [
        ("2027-H1", date(2027, 6, 30)),
        ("2027 H2", date(2027, 12, 31)),
        ("Q2 2027", date(2027, 6, 30)),
        ("2028-Q1", date(2028, 3, 31)),
        ("q4-2026", date(2026, 12, 31)),
        ("2027", date(2027, 12, 31)),
        ("FY27", None),
        ("Spring 2027", None),
        ("2027-H3", None),
    ],
)
def test_a_period_ends_where_it_says(period, end):
    assert period_end(period) == end


def targets(goal) -> list[tuple[date, float, str]]:
    rows = goal.measurements.filter(is_target=True).order_by("measured_on")
    return list(rows.values_list("measured_on", "value", "unit"))


def test_a_target_of_120_becomes_the_value_the_pace_is_judged_against(client_for, strategy):
    saved = client_for("editor").post("/w/acme/goals/new/", GOAL, follow=True)
    assert f"Its target value: 120 by 30 Jun {YEAR}." in saved.content.decode()
    goal = Goal.objects.get(title=GOAL["title"])
    assert targets(goal) == [(date(YEAR, 6, 30), 120, "")]
    found = client_for("member").get("/w/acme/goals.json").json()["goals"][2]
    assert found["pace"]["verdict"] == pace.TOO_FEW
    assert found["pace"]["target"] == {"value": 120, "on": f"{YEAR}-06-30"}
    page = client_for("member").get("/w/acme/goals/").content.decode()
    assert "written in words" not in page
    assert "Not enough readings to say:</strong> no measurement recorded yet" in page


def test_a_percentage_with_its_sign_is_a_ceiling_by_the_quarters_end(client_for, strategy):
    goal_fields = {**GOAL, "target": "≤ 0.5 %", "period": f"Q2 {YEAR}"}
    client_for("editor").post("/w/acme/goals/new/", goal_fields)
    goal = Goal.objects.get(title=GOAL["title"])
    assert targets(goal) == [(date(YEAR, 6, 30), 0.5, "%")]
    today = timezone.localdate()
    for ago, value in [(60, 0.3), (0, 0.4)]:
        GoalMeasurement.objects.create(
            goal=goal, measured_on=today - timedelta(days=ago), value=value, unit="%"
        )
    # Under the ceiling already: met. Read from the numbers alone, 0.5 above the first reading
    # of 0.3 would have been a floor not reached yet.
    assert pace.of_goal(goal).verdict == pace.MET


def test_the_api_and_the_command_line_record_it_the_same_way(client, users, strategy):
    body = {**GOAL, "target": "from 600 to 60", "period": f"{YEAR} Q1"}
    made = api_request(
        client, users["editor"], "post", "/api/v1/workspaces/acme/goals", body, "write"
    )
    assert made.status_code == 201, made.content
    assert made.json()["measurements"] == [
        {"measured_on": f"{YEAR}-03-31", "value": 60.0, "unit": "", "is_target": True}
    ]
    added = CliRunner().invoke(
        main,
        ["goals", "add", "Fewer open tickets", *["--why", "w", "--why-now", "n"]]
        + ["--metric", "Open tickets", "--target", "40", "--period", f"{YEAR}-H2", "-w", "acme"],
    )
    assert added.exit_code == 0, added.output
    assert f"  Its target value: 40 by 31 Dec {YEAR}.\n" in added.output
    assert targets(Goal.objects.get(title="Fewer open tickets")) == [(date(YEAR, 12, 31), 40, "")]


def test_changing_the_target_or_the_period_moves_the_value_with_the_words(client, users, strategy):
    goal = strategy["goals"][0]
    url = f"/api/v1/workspaces/acme/goals/{goal.pk}"

    def patch(body):
        answer = api_request(client, users["editor"], "patch", url, body, "write")
        assert answer.status_code == 200, answer.content

    patch({"target": "120", "period": f"{YEAR}-H1"})
    patch({"target": "150"})
    assert targets(goal) == [(date(YEAR, 6, 30), 150, "")]
    patch({"period": f"{YEAR}-H2"})
    assert targets(goal) == [(date(YEAR, 12, 31), 150, "")]
    patch({"target": "70% by June"})  # no longer a number: its value goes with the words
    assert targets(goal) == []


def test_an_edit_of_the_rest_keeps_a_target_recorded_on_the_card(client_for, strategy):
    client_for("editor").post("/w/acme/goals/new/", GOAL)
    goal = Goal.objects.get(title=GOAL["title"])
    GoalMeasurement.objects.filter(goal=goal).update(value=130)  # corrected on the card
    client_for("editor").post(f"/w/acme/goals/{goal.pk}/edit/", {**GOAL, "title": "Renamed"})
    assert targets(goal) == [(date(YEAR, 6, 30), 130, "")]


def test_words_that_are_more_than_a_number_say_so_and_the_form_takes_the_value(
    client_for, strategy
):
    client_for("editor").post("/w/acme/goals/new/", {**GOAL, "target": "70% by June"})
    goal = Goal.objects.get(title=GOAL["title"])
    assert targets(goal) == []
    card = client_for("member").get("/w/acme/goals/").content.decode()
    assert (
        "No target value:</strong> no value could be read from “70% by June”, only from a number "
        "alone such as “120” or “0.5%”: give it under “Target value” and “Target date” on the "
        "goal&#x27;s Edit form, to judge the pace."
    ) in card
    assert "written in words" not in card
    form = client_for("editor").get(f"/w/acme/goals/{goal.pk}/edit/").content.decode()
    assert 'name="target_value"' in form and 'type="date" name="target_on"' in form
    typed = {**GOAL, "target": "70% by June", "target_value": "70%", "target_on": f"{YEAR}-06-01"}
    client_for("editor").post(f"/w/acme/goals/{goal.pk}/edit/", typed)
    assert targets(goal) == [(date(YEAR, 6, 1), 70, "%")]


def test_a_number_whose_period_says_no_day_asks_for_the_day(client_for, strategy):
    client_for("editor").post("/w/acme/goals/new/", {**GOAL, "period": "FY27"})
    goal = Goal.objects.get(title=GOAL["title"])
    assert targets(goal) == []
    assert pace.of_goal(goal).detail == (
        "120 has no day, since the period “FY27” does not say when it ends: give its day under "
        "“Target date” on the goal's Edit form, to judge the pace."
    )
    dated = {**GOAL, "period": "FY27", "target_on": f"{YEAR}-09-30"}
    client_for("editor").post(f"/w/acme/goals/{goal.pk}/edit/", dated)
    assert targets(goal) == [(date(YEAR, 9, 30), 120, "")]


def test_a_goal_written_before_it_was_read_is_recorded_when_saved_again(client_for, strategy):
    goal = strategy["goals"][0]
    Goal.objects.filter(pk=goal.pk).update(target="120", period=f"{YEAR}-H1")
    goal.refresh_from_db()
    assert pace.of_goal(goal).detail == (
        f"120 by 30 Jun {YEAR} is not recorded yet: saving the goal on its Edit form records it."
    )
    assert "record it with --target" in pace.of_goal(goal, channel="cli").detail
    fields = {**GOAL, "title": goal.title}
    client_for("editor").post(f"/w/acme/goals/{goal.pk}/edit/", fields)
    assert targets(goal) == [(date(YEAR, 6, 30), 120, "")]


@pytest.mark.parametrize(
    "typed, error",
    [
        ({"target_value": "a lot"}, "Write a number, with its unit if it has one"),
        ({"target_value": "130"}, "The target says 120: give the same value here"),
        ({"period": "FY27", "target_value": "120"}, "Give the day the target value is for: the"),
        ({"target": "70% by June", "target_on": f"{YEAR}-06-01"}, "Give the value the target"),
        ({"target": "1500%"}, "1,500% is more than 1,000%"),
        ({"target_on": "1999-06-30"}, "1999-06-30 is not between 2000 and"),
    ],
)
def test_a_target_value_that_cannot_be_recorded_is_refused_with_why(
    client_for, strategy, typed, error
):
    refused = client_for("editor").post("/w/acme/goals/new/", {**GOAL, **typed})
    assert refused.status_code == 400
    assert error in refused.content.decode()
    assert not Goal.objects.filter(title=GOAL["title"]).exists()


def test_a_target_in_another_unit_than_the_goals_is_refused(client_for, strategy):
    goal = strategy["goals"][0]
    GoalMeasurement.objects.create(goal=goal, measured_on=date(2026, 1, 5), value=8, unit="days")
    fields = {**GOAL, "title": goal.title, "target": "0.5%"}
    refused = client_for("editor").post(f"/w/acme/goals/{goal.pk}/edit/", fields)
    assert refused.status_code == 400
    assert "This goal is measured in days, not %: record the value in days." in (
        refused.content.decode()
    )
    assert targets(goal) == []
