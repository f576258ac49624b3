"""A mistyped year (0001, 9999) is refused wherever a date comes in, with the year named: on
its own it made an initiative "739953 days late" and a goal's chart run to the year 9999."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api import api_request
from tests.test_roadmap import initiative_form
from truenorth.roadmap.imports import ImportFailed, import_roadmap
from truenorth.strategy.models import GoalMeasurement


@pytest.mark.parametrize("day", ["0001-01-01", "1990-06-30", "9999-12-31"])
def test_the_roadmap_form_refuses_a_mistyped_year(client_for, strategy, day):
    form = initiative_form(strategy["goals"][0], target_date=day)
    response = client_for("editor").post("/w/acme/roadmap/new/", form)
    assert response.status_code == 400
    assert f"{day} is not between 2000 and" in response.content.decode()
    assert not strategy["goals"][0].initiatives.filter(title="Bank feeds").exists()


def test_the_api_refuses_it_too_and_a_date_twenty_years_ahead_is_taken(client, users, strategy):
    url = "/api/v1/workspaces/acme/initiatives"
    body = {"title": "Bank feeds", "target_date": "9999-12-31"}
    refused = api_request(client, users["editor"], "post", url, body, "write")
    assert refused.status_code == 400 and "is the year mistyped" in refused.content.decode()
    later = (timezone.localdate() + timedelta(days=365 * 19)).isoformat()
    taken = api_request(
        client, users["editor"], "post", url, {**body, "target_date": later}, "write"
    )
    assert taken.status_code == 201


def test_an_import_names_the_row_and_saves_nothing(workspace, strategy):
    text = "Key,Title,Status,Target date\nX-1,Bank feeds,planned,2027-01-31\nX-2,Payroll,planned,0001-01-01\n"
    with pytest.raises(ImportFailed) as failed:
        import_roadmap(workspace, text, file_format="csv")
    assert "0001-01-01 is not between 2000 and" in failed.value.report()
    assert not workspace.initiatives.filter(source_key__in=["X-1", "X-2"]).exists()


def test_a_measurement_is_of_a_day_that_has_come_and_a_target_of_a_plausible_one(
    client_for, workspace, strategy
):
    goal = workspace.goals.get(rank=1)
    editor = client_for("editor")
    url = f"/w/acme/goals/{goal.pk}/measurements/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = editor.post(url, {"measured_on": tomorrow, "value": "6", "unit": "days"}, follow=True)
    assert "a later day is for the target" in later.content.decode()
    typo = editor.post(
        url,
        {"measured_on": "9999-12-31", "value": "3", "unit": "days", "is_target": "on"},
        follow=True,
    )
    assert "9999-12-31 is not between 2000 and" in typo.content.decode()
    assert not GoalMeasurement.objects.filter(goal=goal).exists()
    editor.post(url, {"measured_on": tomorrow, "value": "3", "unit": "days", "is_target": "on"})
    assert GoalMeasurement.objects.filter(goal=goal, is_target=True).count() == 1


def test_a_checkin_cannot_open_in_1990(client_for, workspace):
    page = client_for("editor").post(
        "/w/acme/checkins/new/",
        {"title": "Old pulse", "opens_at": "1990-01-01T09:00", "closes_at": "1990-01-15T09:00"},
    )
    assert page.status_code == 400 and "1990-01-01 is not between 2000 and" in page.content.decode()
