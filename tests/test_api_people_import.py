"""POST /api/v1/workspaces/<slug>/people/import: an HR system's people as JSON, imported as its
export is (workspaces.people_import): all or nothing, every problem of every person named."""

import pytest

from tests.api import caller
from truenorth.workspaces.models import Person, Team

URL = "/people/import"


@pytest.fixture
def call(client, users):
    return caller(client, users, "/api/v1/workspaces/acme")


def test_it_creates_people_their_teams_and_managers_and_updates_in_place(call, users):
    body = {
        "items": [
            {"email": "Ana@Acme.test", "name": "Ana Lima", "function": "sales", "team": "EMEA"},
            {"email": "bo@acme.test", "first_name": "Bo", "last_name": "Berg",
             "function": "Sales", "team": "emea", "manager": "Ana Lima", "title": "AE"},
        ]
    }  # fmt: skip
    answer = call("post", URL, body)
    assert answer.status_code == 200, answer.json()
    result = answer.json()
    assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
    assert result["teams_created"] == ["EMEA"] and result["teams_note"] == "Created teams: EMEA."
    bo = Person.objects.get(email="bo@acme.test")
    assert (bo.name, bo.function, bo.team.name, bo.manager.email) == (
        "Bo Berg", "sales", "EMEA", "ana@acme.test"
    )  # fmt: skip

    again = call("post", URL, {"items": [{"email": "BO@acme.test", "title": "Senior AE"}]}).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 1, 0)
    bo.refresh_from_db()
    assert (bo.title, bo.name, bo.manager.email) == ("Senior AE", "Bo Berg", "ana@acme.test")


def test_one_bad_person_means_nothing_is_saved_and_every_problem_is_named(call, users):
    people, teams = Person.objects.count(), Team.objects.count()
    body = {
        "items": [
            {"email": "ok@acme.test", "name": "Fine", "function": "design", "team": "New team"},
            {"email": "not-an-email", "name": "X", "function": "design"},
            {"email": "cy@acme.test", "function": "R&D", "manager": "nobody@acme.test"},
            {"email": "OK@acme.test", "name": "Twice", "function": "design"},
        ]
    }
    answer = call("post", URL, body)
    assert answer.status_code == 400
    problem = answer.json()
    said = {(error["where"], error["message"]) for error in problem["errors"]}
    assert ("items[1]", "email 'not-an-email': not an email address") in said
    assert any(
        where == "items[2]" and message.startswith("function 'R&D': not a function")
        and message.endswith("or map it to one in `departments`")
        for where, message in said
    )  # fmt: skip
    assert ("items[2]", "a new person needs name, empty here") in said
    assert (
        "items[2]",
        "manager 'nobody@acme.test': nobody here or in those sent has this email",
    ) in said
    assert ("items[3]", "email 'ok@acme.test': repeats items[0]") in said
    assert problem["detail"].startswith("3 item(s) refused")
    assert (Person.objects.count(), Team.objects.count()) == (people, teams)


def test_departments_map_an_hr_systems_own_names(call, users):
    body = {
        "items": [{"email": "dee@acme.test", "name": "Dee", "function": " r&d "}],
        "departments": {"R&D": "engineering"},
    }
    answer = call("post", URL, body)
    assert answer.status_code == 200, answer.json()
    assert Person.objects.get(email="dee@acme.test").function == "engineering"

    wizards = call("post", URL, {**body, "departments": {"R&D": "wizards"}})
    assert wizards.status_code == 400 and wizards.json()["field"] == "departments"
    assert "'wizards' is not a function" in wizards.json()["detail"]


def test_a_body_of_the_wrong_shape_is_refused_naming_the_field(call, users):
    unknown = call("post", URL, {"items": [{"email": "e@acme.test", "titel": "AE"}]})
    assert unknown.status_code == 400 and "titel" in unknown.json()["detail"]
    assert call("post", URL, {"items": []}).status_code == 400
    assert call("post", URL, {"items": [{"email": 5}]}).status_code == 400
    assert not Person.objects.filter(email="e@acme.test").exists()


def test_only_owners_and_editors_import(call, users):
    body = {"items": [{"email": "new@acme.test", "name": "New", "function": "design"}]}
    assert call("post", URL, body, role="member").status_code == 403
    assert call("post", URL, body, role="partner").status_code == 403
    assert call("post", URL, body, scope="read").status_code == 403
    assert not Person.objects.filter(email="new@acme.test").exists()
    assert call("post", URL, body, role="owner").status_code == 200
