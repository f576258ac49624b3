"""A goal's measurements through /api/v1/: read by the organisation, recorded by owners and
editors through the goal card's own form, which refuses what the page refuses."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.api import api_request
from truenorth.strategy.actions import archive_goal
from truenorth.strategy.models import Goal, GoalMeasurement
from truenorth.workspaces.models import Workspace

BASE = "/api/v1/workspaces/acme/goals"


@pytest.fixture
def call(client, users):
    def call(role, method, url, body=None, scope="write"):
        return api_request(client, users[role], method, url, body, scope)

    return call


@pytest.fixture
def goal(strategy) -> Goal:
    goal = strategy["goals"][0]
    goal.target = "Below 2 days by the end of the year"
    goal.save()
    return goal


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def test_it_records_measurements_and_reads_them_back_with_the_pace(call, goal):
    url = f"{BASE}/{goal.pk}/measurements"
    target = {"measured_on": days_ago(-100), "value": 1, "unit": "days", "is_target": True}
    for body in (
        {"measured_on": days_ago(60), "value": 9, "unit": "days"},
        {"measured_on": days_ago(30), "value": 8, "unit": "days"},
        target,
    ):
        answer = call("editor", "post", url, body)
        assert answer.status_code == 201, answer.content
    assert answer.json()["measurement"] == {**target, "value": 1.0}
    assert answer.json()["pace"]["verdict"] == "behind"

    read = call("viewer", "get", url).json()
    assert [(m["value"], m["is_target"]) for m in read["measurements"]] == [
        (9.0, False),
        (8.0, False),
        (1.0, True),
    ]
    assert read["pace"] == answer.json()["pace"]
    assert read["pace"]["latest"] == {"value": 8.0, "on": days_ago(30)}


def test_a_second_value_for_the_same_day_replaces_the_first(call, goal):
    url = f"{BASE}/{goal.pk}/measurements"
    body = {"measured_on": days_ago(1), "value": 9, "unit": "days"}
    assert call("owner", "post", url, body).status_code == 201
    again = call("owner", "post", url, {**body, "value": 7})
    assert again.status_code == 200, again.content
    assert list(goal.measurements.values_list("value", flat=True)) == [7.0]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"measured_on": "tomorrow"},
            "measured_on",
            "measured_on 'tomorrow' is not a date (use YYYY-MM-DD)",
        ),
        ({"measured_on": days_ago(-3)}, "measured_on", "a later day is for the target"),
        ({"measured_on": "1926-01-31"}, "measured_on", "is the year mistyped?"),
        ({"value": -5}, "value", "A value in days cannot be below zero."),
        ({"value": "many"}, "value", "value 'many' is not a number"),
        ({"unit": "d" * 21}, "unit", "is too long: at most 20 characters"),
        ({"is_target": "perhaps"}, "is_target", "is_target 'perhaps' is not true or false"),
        ({"note": "x"}, "", "unknown field(s) note"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(call, goal, change, field, words):
    body = {"measured_on": days_ago(1), "value": 9, "unit": "days", **change}
    answer = call("editor", "post", f"{BASE}/{goal.pk}/measurements", body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field
    assert words in answer.json()["detail"]
    assert not GoalMeasurement.objects.exists()


def test_the_unit_recorded_so_far_refuses_a_negative_value_sent_without_one(call, goal):
    GoalMeasurement.objects.create(goal=goal, measured_on=days_ago(9), value=9, unit="%")
    body = {"measured_on": days_ago(1), "value": -1}
    answer = call("editor", "post", f"{BASE}/{goal.pk}/measurements", body)
    assert answer.status_code == 400
    assert answer.json()["detail"] == "value: A value in % cannot be below zero."


def test_only_owners_and_editors_record_and_with_a_write_token(call, goal):
    url = f"{BASE}/{goal.pk}/measurements"
    body = {"measured_on": days_ago(1), "value": 9}
    assert call("member", "post", url, body).status_code == 403
    assert call("viewer", "post", url, body).status_code == 403
    assert call("editor", "post", url, body, scope="read").status_code == 403
    assert call("partner", "get", url).status_code == 403
    assert call("member", "get", url).status_code == 200
    assert not GoalMeasurement.objects.exists()


def test_another_workspaces_goal_and_an_archived_one_answer_404(call, goal, users):
    other = Workspace.objects.create(name="Other", slug="other")
    theirs = Goal.objects.create(
        workspace=other, title="T", why="w", why_now="n", metric="m", target="t", rank=1
    )
    body = {"measured_on": days_ago(1), "value": 9}
    assert call("owner", "get", f"{BASE}/{theirs.pk}/measurements").status_code == 404
    assert call("owner", "post", f"{BASE}/{theirs.pk}/measurements", body).status_code == 404
    archive_goal(goal)
    assert call("owner", "get", f"{BASE}/{goal.pk}/measurements").status_code == 200
    assert call("owner", "post", f"{BASE}/{goal.pk}/measurements", body).status_code == 404
    assert not GoalMeasurement.objects.exists()


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (1e308, "%", "A number of 309 digits is more than 1,000%"),
        (1001, "%", "is the decimal point misplaced?"),
        (1e13, "EUR", "10,000,000,000,000 is beyond ±1,000,000,000,000"),
        (-1e13, "EUR", "is the value mistyped?"),
    ],
)
def test_a_value_more_likely_a_typo_is_refused_by_the_api_and_the_page_alike(
    call, goal, client_for, value, unit, words
):
    body = {"measured_on": days_ago(1), "value": value, "unit": unit}
    answer = call("editor", "post", f"{BASE}/{goal.pk}/measurements", body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == "value" and words in answer.json()["detail"]
    page = reverse("record_goal_measurement", args=["acme", goal.pk])
    typed = {"measured_on": days_ago(1), "value": str(value), "unit": unit}
    refused = client_for("editor").post(page, typed)
    assert refused.status_code == 400 and words in refused.content.decode()
    assert not GoalMeasurement.objects.exists()


def test_the_largest_plausible_values_are_recorded(call, strategy):
    share, money = strategy["goals"]
    most = {"measured_on": days_ago(2), "value": 1000, "unit": "%"}
    assert call("editor", "post", f"{BASE}/{share.pk}/measurements", most).status_code == 201
    big = {"measured_on": days_ago(1), "value": 10**12, "unit": "EUR"}
    assert call("editor", "post", f"{BASE}/{money.pk}/measurements", big).status_code == 201
    assert share.measurements.get().value == 1000.0 and money.measurements.get().value == 1e12


@pytest.mark.parametrize(
    "value, unit, field, words",
    [
        (
            2.5,
            "weeks",
            "unit",
            "unit: This goal is measured in %, not weeks: record the value in %.",
        ),
        (999999999999, "days", "unit", "unit: This goal is measured in %, not days"),
        (1500, "", "value", "value: 1,500% is more than 1,000%"),
        (31, "%", "value", "value: 31% is more than 1,000 times the goal's target (0.03%)"),
    ],
)
def test_a_value_in_another_unit_or_far_past_the_target_is_refused(
    call, goal, value, unit, field, words
):
    url = f"{BASE}/{goal.pk}/measurements"
    target = {"measured_on": days_ago(-100), "value": 0.03, "unit": "%", "is_target": True}
    assert call("editor", "post", url, target).status_code == 201
    body = {"measured_on": days_ago(1), "value": value, "unit": unit}
    answer = call("editor", "post", url, body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field and answer.json()["detail"].startswith(words)
    assert goal.measurements.count() == 1


@pytest.mark.parametrize("value", [True, False])
def test_true_or_false_is_no_value(call, goal, value):
    body = {"measured_on": days_ago(1), "value": value, "unit": "%"}
    answer = call("editor", "post", f"{BASE}/{goal.pk}/measurements", body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["detail"] == "value: Input should be a number, not true or false"
    assert not GoalMeasurement.objects.exists()
