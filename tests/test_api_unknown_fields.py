"""A write whose body names a field the operation does not know is a 400 naming it, and changes
nothing: a misspelt "atended" had marked every attendee of a session as absent, a "close_at"
left a check-in's dates as they were, and a webhook's "secret" was dropped, all with a 200."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api import caller
from tests.rituals import weekly_ritual
from tests.test_api_ritual_writes import last
from truenorth.api.core import api
from truenorth.api.models import ApiToken
from truenorth.checkins.models import CheckIn
from truenorth.notifications.models import Webhook
from truenorth.rituals.models import Attendance, Occurrence
from truenorth.workspaces.models import Person

WRITES = ("post", "put", "patch")
# A value each path parameter takes, so that the body is read before anything is looked up.
PATH_VALUES = {"slug": "acme", "day": "2026-11-30"}


def operations_with_a_body() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITES and "requestBody" in operation
    ]


def filled(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda name: PATH_VALUES.get(name[1], "1"), path)


@pytest.mark.parametrize("method, path", operations_with_a_body())
def test_every_write_refuses_a_field_it_does_not_know(workspace, users, client, method, path):
    call = caller(client, users, "")
    answer = call(method, filled(path), {"bogus": 1, "sttaus": "done"}, role="owner")
    assert answer.status_code == 400, (path, answer.json())
    assert "unknown field(s) bogus, sttaus" in answer.json()["detail"]


def test_a_misspelt_attended_leaves_the_session_as_it_was(workspace, users, team, client):
    ritual = weekly_ritual(workspace, team)
    call = caller(client, users, "/api/v1/workspaces/acme/rituals/1/occurrences")
    member = Person.objects.get(name="Member").pk
    notes = f"{last(ritual)}/notes"
    assert call("put", notes, {"notes": "Held.", "attended": [member]}).status_code == 200
    came = dict(Attendance.objects.values_list("person__name", "attended"))

    misspelt = call("put", notes, {"notes": "API notes", "atended": [member]})

    assert misspelt.status_code == 400 and "atended" in misspelt.json()["detail"]
    assert dict(Attendance.objects.values_list("person__name", "attended")) == came
    assert Occurrence.objects.get().notes == "Held."


def test_a_misspelt_date_moves_no_date_of_a_checkin(workspace, users, client):
    call = caller(client, users, "/api/v1/workspaces/acme/checkins")
    opens = timezone.now() + timedelta(days=2)
    dates = {"opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=7)).isoformat()}
    created = call("post", "", {"title": "Pulse", **dates})
    assert created.status_code == 201, created.json()
    before = CheckIn.objects.values_list("opens_at", "closes_at").get()

    moved = call(
        "patch", f"/{created.json()['id']}", {"close_at": (opens + timedelta(days=30)).isoformat()}
    )

    assert moved.status_code == 400 and "close_at" in moved.json()["detail"]
    assert CheckIn.objects.values_list("opens_at", "closes_at").get() == before


def test_a_webhook_with_a_secret_of_its_own_is_refused_not_saved_unsigned(workspace, users, client):
    call = caller(client, users, "/api/v1/workspaces/acme/webhooks")
    body = {"url": "https://hooks.example.com/in", "events": ["decision_made"], "secret": "mine"}

    answer = call("post", "", body, role="owner")

    assert answer.status_code == 400 and "secret" in answer.json()["detail"]
    assert not Webhook.objects.exists()


def test_a_nan_estimate_is_refused_as_no_number(workspace, users, client):
    _, token = ApiToken.issue(users["editor"], "test", "write")
    body = b'{"title": "Bank feeds", "status": "planned", "estimate_weeks": NaN}'
    answer = client.post(
        "/api/v1/workspaces/acme/initiatives",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == "estimate_weeks: Input should be a finite number"


def test_an_object_not_found_is_named_in_words(workspace, users, client):
    call = caller(client, users, "/api/v1/workspaces/acme")
    assert call("get", "/claims/99", scope="read").json()["detail"] == "No such claim."
    assert call("get", "/checkins/99", scope="read").json()["detail"] == "No such check-in."


def test_a_webhook_inside_the_servers_network_is_refused(workspace, users, client, settings):
    """Else an owner could probe the server's network by what each test post answers."""
    settings.WEBHOOK_ALLOW_HTTP = False
    call = caller(client, users, "/api/v1/workspaces/acme/webhooks")
    for url in (
        "https://127.0.0.1/in",
        "https://10.0.0.1/in",
        "https://[::1]/in",
        "https://localhost/in",
    ):
        answer = call("post", "", {"url": url, "events": ["decision_made"]}, role="owner")
        assert (answer.status_code, answer.json()["field"]) == (400, "url"), url
    assert not Webhook.objects.exists()
    settings.WEBHOOK_ALLOW_HTTP = True  # the server says it may post inside its network
    allowed = call(
        "post", "", {"url": "https://10.0.0.1/in", "events": ["decision_made"]}, role="owner"
    )
    assert allowed.status_code == 201
