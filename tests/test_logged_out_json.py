"""A logged-out request for JSON: a 401 a program can read, not the login page's HTML."""

from pathlib import Path

import pytest

from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    "url",
    [
        "/account/data.json",
        "/server/mail.json",
        "/w/acme/goals.json",
        "/w/acme/rituals.json",
        "/w/acme/search.json?q=close",
        "/w/nowhere/goals.json",  # not even whether the workspace exists
    ],
)
def test_it_answers_a_logged_out_json_twin_with_a_401(client, workspace, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith("Log in first: ")
    assert response.json()["login"].startswith("/login/?next=/")


def test_it_answers_a_client_asking_for_json_with_a_401(client, workspace):
    response = client.get("/w/acme/goals/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["login"] == "/login/?next=/w/acme/goals/"


@pytest.mark.parametrize("url", ["/", "/account/data/", "/server/mail/", "/w/acme/goals/"])
def test_it_still_sends_a_browser_to_the_login_page(client, workspace, url):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(url, headers={"Accept": accept})
    assert response.status_code == 302
    assert response.url == f"/login/?next={url}"


def test_its_login_address_leads_back_to_the_json(client, users):
    login = client.get("/w/acme/people.json").json()["login"]
    response = client.post(login, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/w/acme/people.json"
    assert client.get(response.url).status_code == 200


def test_every_view_takes_its_login_check_from_refusals():
    """Django's login_required answers a program with the login page's HTML."""
    package = Path(__file__).resolve().parent.parent / "truenorth"
    found = [
        str(module.relative_to(package))
        for module in package.rglob("*.py")
        if "django.contrib.auth.decorators" in module.read_text()
    ]
    assert found == []
