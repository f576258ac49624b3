"""What an address answers to a method it does not take: a 405 that names the methods it does
take (Allow) and says why, in the layout for a person, in JSON for a JSON twin and as
problem+json on the API. Never the page rendered as if visited or sent, nor Django's empty 405,
which a phone shows as a blank page."""

import icalendar
import pytest
from django.utils.html import escape

from tests.api import api_request
from tests.test_every_page import PAGES
from tests.test_junk_input import address_of
from truenorth.refusals import ONLY_POSTED
from truenorth.rituals.models import CalendarFeed

NO_PAGE_TAKES = ["put", "patch", "delete", "options"]
# Buttons' addresses: archive, send, skip … (their view is truenorth.refusals.post_only).
BUTTONS = [
    name
    for name, page in PAGES.items()
    if getattr(page.callback, "allowed_methods", None) == ("POST",)
]


def reason(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return response.json()["error"]
    page = response.content.decode()
    assert '<meta name="viewport"' in page  # the layout, not a bare line
    return page.split('<section class="problem">')[1].split("</section>")[0]


@pytest.mark.parametrize("name", PAGES)
def test_no_page_answers_a_method_no_page_takes(name, workspace, strategy, users, team, client):
    url = address_of(name, workspace, strategy, users, team)
    client.force_login(users["owner"])
    for method in NO_PAGE_TAKES:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (url, method)
        assert set(response["Allow"].split(", ")) <= {"GET", "HEAD", "POST"}
        assert reason(response).strip(), (url, method)


def test_there_are_buttons_to_visit():
    assert len(BUTTONS) > 50


@pytest.mark.parametrize("name", BUTTONS)
def test_a_visit_to_a_buttons_address_says_what_it_is(
    name, workspace, strategy, users, team, client
):
    url = address_of(name, workspace, strategy, users, team)
    client.force_login(users["owner"])
    response = client.get(url)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert escape(ONLY_POSTED) in reason(response)


def test_a_typed_logout_address_offers_the_button(users, client):
    client.force_login(users["member"])
    page = client.get("/logout/").content.decode()
    assert '<form method="post" action="/logout/">' in page and "<button>Log out</button>" in page
    assert client.get("/w/acme/").status_code == 200  # a visit logs nobody out
    assert client.post("/logout/").status_code == 302
    assert "You are logged out" in client.get("/logout/").content.decode()
    assert client.get("/w/acme/").status_code == 302  # to the login


def test_the_login_form_takes_no_put(client, db):
    response = client.put("/login/", "username=owner&password=x")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"


def test_a_calendar_feed_is_only_read(workspace, client):
    _, token = CalendarFeed.issue(workspace)
    url = f"/calendar/{token}.ics"
    assert icalendar.Calendar.from_ical(client.get(url).content)
    for method in ("post", "put", "delete"):
        response = getattr(client, method)(url)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        assert b"BEGIN:VCALENDAR" not in response.content


def test_the_api_answers_a_wrong_method_as_its_other_errors(users, client):
    response = api_request(client, users["editor"], "put", "/api/v1/workspaces/acme/goals")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert (problem["title"], problem["status"]) == ("Method Not Allowed", 405)
    assert problem["detail"] == "This address takes GET, POST, not PUT."


def test_the_api_answers_an_unknown_address_as_its_other_errors(users, client):
    response = api_request(client, users["editor"], "get", "/api/v1/workspaces/acme/nothing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert (problem["title"], problem["status"]) == ("Not Found", 404)
    assert "its addresses are at /api/v1/docs/" in problem["detail"]


def test_a_405_answered_before_the_workspace_opened_keeps_its_menu(
    workspace, strategy, users, team, client
):
    """A button's address visited and a PUT are refused before the workspace's view runs; the
    page still has the workspace's menu for its members, and shows an outsider no workspace."""
    archive = address_of("archive_goal", workspace, strategy, users, team)
    client.force_login(users["member"])
    for response in (client.get(archive), client.put("/w/acme/goals/")):
        page = response.content.decode()
        assert response.status_code == 405
        assert "Acme · Member" in page and 'href="/w/acme/vision/"' in page
        assert 'href="/w/acme/people/"' not in page  # the menu of the member's own role
    client.force_login(users["outsider"])
    page = client.get(archive).content.decode()
    assert "Acme" not in page and "/w/acme/vision/" not in page
