"""The organisation's signals through /api/v1/ — overruns, orphan work and decision speed — as
the same objects their pages' JSON twins give, for those who read the pages, never partners."""

import json
from datetime import date

import pytest

from tests.api import api_request
from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.roadmap.actions import save_initiative, save_milestone
from truenorth.roadmap.models import InitiativeMilestone, Status, Visibility

API = "/api/v1/workspaces/acme"


@pytest.fixture
def signals(strategy, workspace):
    """A committed initiative that slipped, with a beta milestone; a decided and an open one."""
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    initiative.status = Status.COMMITTED
    save_initiative(initiative)
    initiative.target_date = date(2027, 2, 1)
    save_initiative(initiative)
    beta = InitiativeMilestone(initiative=initiative, name="Beta", target_date=date(2026, 11, 1))
    save_milestone(beta)
    made = actions.add_decision(
        Decision(workspace=workspace, title="Vendor", question="Which?", raised_on=date(2026, 3, 1))
    )
    actions.decide(made, date(2026, 3, 11), "Vendor A.")
    actions.add_decision(Decision(workspace=workspace, title="Pricing", question="Per seat?"))
    return initiative


def same_as_twin(client, users, api_path: str, page_path: str) -> dict:
    answer = api_request(client, users["viewer"], "get", f"{API}/{api_path}")
    assert answer.status_code == 200, answer.content
    client.force_login(users["viewer"])
    twin = client.get(f"/w/acme/{page_path}")
    assert twin.status_code == 200
    # Compared as JSON texts: the twin's Django encoder and the API's write dates alike.
    assert json.loads(json.dumps(answer.json())) == twin.json()
    return answer.json()


@pytest.mark.parametrize(
    "api_path, page_path",
    [
        ("overruns", "roadmap/overruns.json"),
        ("overruns?milestone=beta", "roadmap/overruns.json?milestone=beta"),
        ("orphans", "work/orphans.json"),
        ("decision_speed", "decisions/speed.json"),
    ],
)
def test_each_signal_is_its_pages_twin(client, users, signals, api_path, page_path):
    same_as_twin(client, users, api_path, page_path)


def test_the_figures_say_what_happened(client, users, signals):
    overruns = api_request(client, users["member"], "get", f"{API}/overruns").json()
    row = next(r for r in overruns["initiatives"] if r["id"] == signals.pk)
    assert (row["slips"], row["planned_date"]) == (1, "2026-12-01")
    by_beta = api_request(client, users["member"], "get", f"{API}/overruns?milestone=BETA").json()
    assert (by_beta["milestone"], by_beta["left_out"]) == ("Beta", 2)
    orphans = api_request(client, users["member"], "get", f"{API}/orphans").json()
    assert (orphans["overall"]["items"], orphans["overall"]["orphans"]) == (2, 1)
    speed = api_request(client, users["member"], "get", f"{API}/decision_speed").json()
    assert (speed["median_days"], speed["decided"]) == (10, 1)
    assert [d["title"] for d in speed["open"]] == ["Pricing"]


def test_an_unknown_milestone_is_a_400_naming_it(client, users, signals):
    answer = api_request(client, users["viewer"], "get", f"{API}/overruns?milestone=GA")
    assert answer.status_code == 400
    assert answer.json()["field"] == "milestone" and "“GA”" in answer.json()["detail"]


@pytest.mark.parametrize("path", ["overruns", "orphans", "decision_speed"])
def test_partners_and_outsiders_get_nothing(client, users, signals, path):
    assert api_request(client, users["partner"], "get", f"{API}/{path}").status_code == 403
    assert api_request(client, users["outsider"], "get", f"{API}/{path}").status_code == 404
