"""A goal's measurements: drawn on the goals page, carried by the workspace export."""

from datetime import date

import pytest

from truenorth.exchange import ExchangeError, export_workspace, import_workspace
from truenorth.strategy.models import GoalMeasurement
from truenorth.workspaces.models import Workspace


@pytest.fixture
def measured(workspace, strategy):
    goal = workspace.goals.get(rank=1)
    GoalMeasurement.objects.bulk_create(
        [
            GoalMeasurement(goal=goal, measured_on=date(2026, 3, 1), value=9.5, unit="days"),
            GoalMeasurement(goal=goal, measured_on=date(2026, 9, 1), value=7, unit="days"),
            GoalMeasurement(
                goal=goal, measured_on=date(2027, 3, 1), value=3, unit="days", is_target=True
            ),
        ]
    )
    return goal


@pytest.fixture
def unmeasured(workspace, strategy):
    """A goal with no measurement yet: any unit may be its first."""
    return workspace.goals.get(rank=2)


def test_the_goals_page_draws_a_measured_goal_and_says_so_for_one_without(
    workspace, measured, client_for
):
    html = client_for("viewer").get(f"/w/{workspace.slug}/goals/").content.decode()
    assert html.count('class="chart chart-goal"') == 1
    assert "Started at 9.5 days on 1 Mar 2026, 7 days on 1 Sep 2026" in html
    assert "target 3 days by 1 Mar 2027" in html
    assert "No measurements recorded for this goal yet" in html


def test_measurements_survive_a_round_trip(workspace, measured):
    copy = import_workspace(export_workspace(workspace), slug="copy").workspace
    rows = GoalMeasurement.objects.filter(goal__workspace=copy).order_by("measured_on")
    assert [(m.goal.title, m.measured_on, m.value, m.unit, m.is_target) for m in rows] == [
        (measured.title, date(2026, 3, 1), 9.5, "days", False),
        (measured.title, date(2026, 9, 1), 7.0, "days", False),
        (measured.title, date(2027, 3, 1), 3.0, "days", True),
    ]


def test_a_file_measuring_a_goal_twice_on_one_day_is_refused_by_name(workspace, measured):
    data = export_workspace(workspace)
    goal = next(g for g in data["goals"] if g["measurements"])
    goal["measurements"].append(dict(goal["measurements"][0]))
    with pytest.raises(ExchangeError, match="value of 2026-03-01 appears more than once"):
        import_workspace(data, slug="copy")
    assert not Workspace.objects.filter(slug="copy").exists()


def record(client, workspace, goal, **data):
    return client.post(f"/w/{workspace.slug}/goals/{goal.pk}/measurements/", data, follow=True)


def test_an_editor_records_a_measurement_and_a_correction_replaces_it(
    workspace, measured, client_for
):
    editor = client_for("editor")
    record(editor, workspace, measured, measured_on="2026-11-01", value="6", unit="days")
    page = record(editor, workspace, measured, measured_on="2026-11-01", value="5.5", unit="days")
    html = page.content.decode()
    assert page.redirect_chain[-1][0].endswith(f"#goal-{measured.pk}")
    # Said in the goal's card, where the page opens, and only there (not above, out of sight).
    card = html.index(f'<li class="card" id="goal-{measured.pk}">')
    said = html.index("Recorded 5.5 days on 1 Nov 2026, the measurement of")
    assert card < said < html.index("</li>", card) and html.count("Recorded 5.5 days") == 1
    assert measured.measurements.filter(measured_on=date(2026, 11, 1)).get().value == 5.5


@pytest.mark.parametrize(
    "typed, unit, value, unit_kept",
    [
        ("12,5", "days", 12.5, "days"),  # a decimal comma
        ("1,200", "", 1200, ""),  # a thousands comma
        ("1 200.5", "", 1200.5, ""),
        ("-0,75", "pts", -0.75, "pts"),
        ("15%", "", 15, "%"),
        ("15 %", "%", 15, "%"),
    ],
)
def test_a_value_is_read_as_people_write_numbers(
    workspace, unmeasured, client_for, typed, unit, value, unit_kept
):
    page = record(
        client_for("editor"),
        workspace,
        unmeasured,
        measured_on="2026-11-01",
        value=typed,
        unit=unit,
    )
    saved = unmeasured.measurements.get(measured_on=date(2026, 11, 1))
    assert (saved.value, saved.unit) == (value, unit_kept)
    assert "Recorded " in page.content.decode()


def test_the_recorded_value_is_named_as_it_was_read(workspace, unmeasured, client_for):
    editor = client_for("editor")
    page = record(editor, workspace, unmeasured, measured_on="2026-11-01", value="1,234,567")
    assert "Recorded 1,234,567 on 1 Nov 2026, the measurement of" in page.content.decode()


def test_a_percent_value_with_another_unit_is_refused(workspace, measured, client_for):
    editor = client_for("editor")
    page = record(editor, workspace, measured, measured_on="2026-11-01", value="15%", unit="days")
    assert page.status_code == 400
    assert "Unit: The value is written in %, and the unit says “days”." in page.content.decode()
    assert measured.measurements.count() == 3


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"measured_on": "2026-11-01", "value": "lots"}, "Value: Enter a number."),
        ({"measured_on": "2026-11-01", "value": "inf"}, "Value:"),
        ({"measured_on": "2026-11-01", "value": "1,2,3"}, "Value: Enter a number."),
        ({"measured_on": "2026-11-01", "value": "%"}, "Value:"),
        ({"measured_on": "yesterday", "value": "3"}, "On: Enter a valid date."),
        ({}, "This field is required."),
    ],
)
def test_a_bad_measurement_is_refused_with_its_reason(
    workspace, measured, client_for, data, problem
):
    page = record(client_for("editor"), workspace, measured, **data)
    assert page.status_code == 400
    assert "Nothing recorded." in page.content.decode() and problem in page.content.decode()
    assert measured.measurements.count() == 3


def test_a_refused_measurement_keeps_what_was_typed_in_its_goals_form(
    workspace, measured, client_for
):
    typed = {"measured_on": "2026-11-01", "value": "about 6", "unit": "days", "is_target": "on"}
    page = record(client_for("editor"), workspace, measured, **typed)
    html = page.content.decode()
    refused = html[html.index(f'id="goal-{measured.pk}"') :]
    refused = refused[: refused.index("goal-clarity")]
    assert '<details class="record-measurement" open>' in refused
    assert 'value="2026-11-01"' in refused and 'value="about 6"' in refused
    assert 'value="days"' in refused and 'value="on" checked' in refused
    assert html.count('class="record-measurement" open') == 1  # the other goals' stay closed


@pytest.mark.parametrize("role, status", [("viewer", 403), ("member", 403), ("partner", 403)])
def test_only_writers_record_measurements(workspace, measured, client_for, role, status):
    response = client_for(role).post(
        f"/w/{workspace.slug}/goals/{measured.pk}/measurements/",
        {"measured_on": "2026-11-01", "value": "1"},
    )
    assert response.status_code == status
    assert measured.measurements.count() == 3


@pytest.mark.parametrize(
    "typed, goal",
    [
        ({"value": "-5", "unit": "days"}, "measured"),
        ({"value": "-5"}, "measured"),  # no unit typed: the goal is measured in days
        ({"value": "-3%"}, "unmeasured"),
        ({"value": "-2", "unit": "invoices"}, "unmeasured"),
    ],
)
def test_a_value_below_zero_is_refused_in_a_unit_that_cannot_be(
    workspace, request, client_for, typed, goal
):
    goal = request.getfixturevalue(goal)
    before = goal.measurements.count()
    page = record(client_for("editor"), workspace, goal, measured_on="2026-11-01", **typed)
    assert page.status_code == 400
    assert "cannot be below zero" in page.content.decode()
    assert goal.measurements.count() == before


def test_a_value_below_zero_is_kept_in_a_unit_that_can_be(workspace, unmeasured, client_for):
    page = record(
        client_for("editor"),
        workspace,
        unmeasured,
        measured_on="2026-11-01",
        value="-12",
        unit="NPS",
    )
    assert page.status_code == 200 and "Recorded -12" in page.content.decode()
    assert unmeasured.measurements.filter(value=-12, unit="NPS").exists()


@pytest.mark.parametrize(
    "typed, problem",
    [
        (
            {"value": "2.5", "unit": "weeks"},
            "This goal is measured in days, not weeks: record 2.5 weeks as 17.5 days.",
        ),
        (
            {"value": "45", "unit": "%"},
            "This goal is measured in days, not %: record the value in days.",
        ),
        ({"value": "45%"}, "This goal is measured in days, not %"),
        ({"value": "6", "unit": "hours"}, "record 6 hours as 0.25 days."),
    ],
)
def test_a_value_in_another_unit_than_the_goals_is_refused_never_relabelled(
    workspace, measured, client_for, typed, problem
):
    page = record(client_for("editor"), workspace, measured, measured_on="2026-11-01", **typed)
    assert page.status_code == 400
    assert problem in page.content.decode()
    assert measured.measurements.count() == 3


@pytest.mark.parametrize("unit", ["", "days", "Days", "day", " d "])
def test_the_goals_unit_however_written_is_recorded_as_the_goals(
    workspace, measured, client_for, unit
):
    page = record(
        client_for("editor"), workspace, measured, measured_on="2026-11-01", value="4", unit=unit
    )
    assert page.status_code == 200
    saved = measured.measurements.get(measured_on=date(2026, 11, 1))
    assert (saved.value, saved.unit) == (4, unit.strip() or "days")


@pytest.mark.parametrize(
    "value, problem",
    [
        ("900000000000", "900,000,000,000 days is more than 100 years (36,525 days)"),
        ("36526", "is more than 100 years"),
        ("3001", "3,001 days is more than 1,000 times the goal&#x27;s target (3 days)"),
    ],
)
def test_an_absurd_length_of_time_is_refused(workspace, measured, client_for, value, problem):
    page = record(client_for("editor"), workspace, measured, measured_on="2026-11-01", value=value)
    assert page.status_code == 400 and problem in page.content.decode()
    assert measured.measurements.count() == 3


def test_a_target_far_from_the_first_reading_is_kept(workspace, unmeasured, client_for):
    editor = client_for("editor")
    record(editor, workspace, unmeasured, measured_on="2026-11-01", value="5", unit="customers")
    page = record(
        editor,
        workspace,
        unmeasured,
        measured_on="2027-11-01",
        value="10000",
        unit="customers",
        is_target="on",
    )
    assert page.status_code == 200
    assert unmeasured.measurements.count() == 2


@pytest.mark.parametrize(
    "row, problem",
    [
        (
            {"measured_on": "2026-10-01", "value": 1, "unit": "weeks"},
            "goals.0: goal “Faster close”, measurement of 2026-10-01 (1 weeks): This goal is "
            "measured in days, not weeks: record 1 weeks as 7 days.",
        ),
        (
            {"measured_on": "2026-10-01", "value": 5, "unit": "%"},
            "measurement of 2026-10-01 (5%): This goal is measured in days, not %",
        ),
        (
            {"measured_on": "2026-10-01", "value": 1e308, "unit": "days"},
            "measurement of 2026-10-01 (a number of 309 digits): A number of 309 digits is beyond "
            "±1,000,000,000,000",
        ),
        (
            {"measured_on": "2026-10-01", "value": -2, "unit": "days"},
            "A value in days cannot be below zero.",
        ),
        (
            {"measured_on": "2027-06-01", "value": 1e13, "unit": "", "is_target": True},
            "target of 2027-06-01 (10,000,000,000,000): 10,000,000,000,000 is beyond "
            "±1,000,000,000,000",
        ),
    ],
)
def test_an_import_refuses_a_measurement_the_goal_card_refuses_by_name(
    workspace, measured, row, problem
):
    data = export_workspace(workspace)
    goal = next(g for g in data["goals"] if g["measurements"])
    goal["measurements"].append(row)
    with pytest.raises(ExchangeError) as refused:
        import_workspace(data, slug="copy")
    assert problem in str(refused.value)
    assert not Workspace.objects.filter(slug="copy").exists()
    assert GoalMeasurement.objects.count() == 3  # the source's own, nothing of the file


def test_an_import_takes_a_reading_recorded_before_the_goal_had_a_unit(workspace, measured):
    """The form lets the first readings go without a unit and a later one name it; a file of
    such a goal imports."""
    data = export_workspace(workspace)
    goal = next(g for g in data["goals"] if g["measurements"])
    goal["measurements"].insert(0, {"measured_on": "2026-01-01", "value": 11, "unit": ""})
    copy = import_workspace(data, slug="copy").workspace
    assert GoalMeasurement.objects.filter(goal__workspace=copy).count() == 4


def test_a_workspace_holding_a_measurement_recorded_before_the_checks_is_named_on_export(
    workspace, measured
):
    """Saved before the goal card refused a unit other than the goal's: the export says which
    row, rather than write a file the import would refuse."""
    GoalMeasurement.objects.create(
        goal=measured, measured_on=date(2026, 6, 1), value=1.5, unit="weeks"
    )
    with pytest.raises(ExchangeError, match="measurement of 2026-06-01 .1.5 weeks.: This goal is"):
        export_workspace(workspace)
