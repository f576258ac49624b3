"""A partner could learn what a shared decision's record leaves out: filtering the log by goal,
team or owner gave different sets, and the API's updated_since and updated_at moved when only
its informed people changed. The log, its JSON twin and the API refuse those filters to a
partner in plain words, and a partner's read of a record stays the same through internal
edits."""

from datetime import date

import pytest

from tests.api import api_request
from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.workspaces.models import Person

API = "/api/v1/workspaces/acme/decisions"


@pytest.fixture
def shared(workspace, users):
    decision = Decision(
        workspace=workspace,
        title="Reminders by Slack",
        question="Do reminders go by Slack?",
        raised_on=date(2026, 1, 5),
        shared_with_partners=True,
        owner=Person.objects.get(workspace=workspace, name="Owner"),
    )
    actions.add_decision(decision)
    return decision


@pytest.mark.parametrize("name", ["goal", "team", "owner"])
def test_it_refuses_a_partner_the_logs_internal_filters(shared, client_for, name):
    partner = client_for("partner")
    for url in ("/w/acme/decisions/", "/w/acme/decisions.json"):
        refused = partner.get(url, {name: 1})
        assert refused.status_code == 400, url
        assert f"Partners cannot filter by {name}." in refused.content.decode(), url
    assert partner.get("/w/acme/decisions.json", {"status": "proposed"}).status_code == 200


def test_the_organisation_still_filters_the_log_by_owner(shared, client_for):
    found = client_for("viewer").get("/w/acme/decisions.json", {"owner": shared.owner_id})
    assert [d["number"] for d in found.json()["decisions"]] == [1]


@pytest.mark.parametrize(
    "query", [{"owner": 1}, {"updated_since": "2026-01-01T00:00:00Z"}], ids=["owner", "since"]
)
def test_it_refuses_a_partner_token_the_apis_internal_filters(shared, users, client, query):
    name = next(iter(query))
    refused = api_request(client, users["partner"], "get", f"{API}?{name}={query[name]}")
    assert refused.status_code == 400
    assert refused.json()["field"] == name
    assert refused.json()["detail"] == f"Partners cannot filter by {name}."


def test_a_partners_read_does_not_move_with_an_internal_edit(shared, users, client):
    def partner_read():
        response = api_request(client, users["partner"], "get", f"{API}/1")
        return response.json(), response["ETag"]

    before = partner_read()
    inform = {"informed": [Person.objects.get(name="Member").pk]}
    edited = api_request(client, users["editor"], "patch", f"{API}/1", inform, "write")
    assert edited.status_code == 200
    assert Decision.objects.get(pk=shared.pk).updated_at > shared.updated_at

    assert partner_read() == before
    assert before[0]["updated_at"] is None
    listed = api_request(client, users["viewer"], "get", API).json()["items"]
    assert listed[0]["updated_at"] is not None
