"""A check-in's state through /api/v1/ says what its pages say: "scheduled" before it opens
(the list's "Not open yet"), where the API had said "open" and then refused to send its links;
and one closed with too few answers to show anything says so, where the API had read as
published with no warning and the list said "Results published"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.api import caller
from truenorth.checkins.actions import issue_links
from truenorth.checkins.models import CheckIn

API = "/api/v1/workspaces/acme/checkins"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


def new_pulse(call, opens_in: timedelta) -> int:
    opens = timezone.now() + opens_in
    body = {
        "title": "Q4 pulse",
        "opens_at": opens.isoformat(),
        "closes_at": (opens + timedelta(days=7)).isoformat(),
    }
    made = call("post", body=body)
    assert made.status_code == 201, made.json()
    return made.json()["id"]


def listed_stage(client, users) -> str:
    client.force_login(users["editor"])
    page = client.get(reverse("checkins", args=["acme"])).content.decode()
    return page.split('data-label="Stage">')[1].split("<")[0]


def test_a_checkin_that_opens_later_is_scheduled_as_its_page_says(workspace, users, client, call):
    pulse = new_pulse(call, timedelta(days=2))

    assert call("get", f"/{pulse}").json()["state"] == "scheduled"
    assert [c["state"] for c in call("get").json()["items"]] == ["scheduled"]
    assert listed_stage(client, users) == "Not open yet"
    refused = call("post", f"/{pulse}/send", {})
    assert refused.status_code == 409


def test_an_open_checkin_is_open(workspace, users, call):
    pulse = new_pulse(call, -timedelta(hours=1))
    assert call("get", f"/{pulse}").json()["state"] == "open"


def test_a_checkin_closed_with_no_answers_says_it_closed_without_results(
    workspace, users, client, call
):
    pulse = new_pulse(call, -timedelta(hours=1))
    issue_links(CheckIn.objects.get(pk=pulse))  # asked, and nobody answered

    closed = call("post", f"/{pulse}/close")

    assert closed.status_code == 200, closed.json()
    final = call("get", f"/{pulse}").json()
    assert final["state"] == "final" and final["answered"] == 0
    assert final["warning"].startswith("Closed without results: “Q4 pulse” closed with too few")
    assert listed_stage(client, users) == "Closed without results"
