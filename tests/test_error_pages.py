"""400, 403, 404 and 500 pages: inside the layout, saying why, with a way back. Debug is off in
tests, so these are the pages a visitor gets."""

from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousOperation
from django.urls import include, path

import truenorth.urls


def broken_page(request):
    raise RuntimeError("a bug in a view")


def suspicious_page(request):
    raise SuspiciousOperation("a tampered request")


# This module is the URL configuration of the 400 and 500 tests: the app's pages plus two that
# fail.
urlpatterns = [
    path("broken/", broken_page),
    path("suspicious/", suspicious_page),
    path("", include(truenorth.urls)),
]


def test_it_refuses_a_page_the_role_does_not_allow_inside_the_layout(client_for):
    response = client_for("member").get("/w/acme/alignment/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Your role in this workspace does not allow this page." in page
    assert 'href="/w/acme/"' in page and "Back to Acme" in page
    assert 'class="skip-link"' in page and 'aria-label="Sections"' in page  # the layout
    assert 'aria-current="page"' not in page  # Alignment is not one of the member's sections


def test_it_sends_a_partner_back_to_the_roadmap_it_may_see(client_for):
    response = client_for("partner").get("/w/acme/goals/")
    assert response.status_code == 403
    assert 'href="/w/acme/roadmap/"' in response.content.decode()


def test_it_says_why_a_page_is_not_found_and_links_home(client_for):
    response = client_for("owner").get("/w/acme/roadmap/987654/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "There is no such page" in page and "the link may be mistyped" in page
    # The workspace's sections and a way back to it, as the missing item was looked for there.
    assert 'href="/w/acme/">Back to Acme' in page and 'href="/">Your workspaces' in page
    assert '<a href="/w/acme/roadmap/" aria-current="page">Roadmap</a>' in page


def test_an_outsider_learns_nothing_of_the_workspace(client_for):
    response = client_for("outsider").get("/w/acme/goals/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Acme" not in page
    assert 'class="button" href="/"' in page


def test_an_anonymous_visitor_gets_the_page_too(client, db):
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "There is no such page" in page and "Log out" not in page


def answer_of_a_failing_view(client_for, settings, address: str):
    """What the owner gets from one of this module's two failing views, as a visitor would."""
    settings.ROOT_URLCONF = __name__
    client = client_for("owner")
    client.raise_request_exception = False
    return client.get(address)


def test_a_server_error_still_renders_the_layout(client_for, settings):
    response = answer_of_a_failing_view(client_for, settings, "/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert 'class="skip-link"' in page and "truenorth/style.css" in page
    assert 'href="/">Back to your workspaces' in page
    assert "a bug in a view" not in page  # no traceback or message from the code


def test_a_refused_request_says_why_inside_the_layout(client_for):
    response = client_for("owner").get("/w/acme/decisions/?owner=99999999999999999999")
    page = response.content.decode()
    assert response.status_code == 400
    assert "That could not be done" in page
    assert "Bad filter: owner: Nothing has that number." in page
    assert 'class="skip-link"' in page and 'name="viewport"' in page  # the layout, for a phone
    assert '<a href="/w/acme/decisions/" aria-current="page">Decisions</a>' in page
    assert 'href="/w/acme/">Back to Acme' in page


def test_a_json_twin_refuses_in_json(client_for):
    response = client_for("owner").get("/w/acme/decisions.json?owner=99999999999999999999")
    assert response.status_code == 400
    assert response.json() == {"error": "Bad filter: owner: Nothing has that number."}


def test_a_refusal_links_back_to_the_page_it_came_from_on_this_site(client_for):
    client = client_for("owner")
    came_from = "http://testserver/w/acme/decisions/?status=open"
    page = client.get("/w/acme/decisions/?owner=x", HTTP_REFERER=came_from).content.decode()
    assert f'class="button" href="{came_from}">Back to the page you were on' in page
    assert '<a href="/w/acme/">Back to Acme' in page  # one button: the way the user came


def test_a_refusal_never_links_to_another_site(client_for):
    client = client_for("owner")
    for elsewhere in ("https://evil.example/phish", "//evil.example/", "javascript:alert(1)"):
        page = client.get("/w/acme/decisions/?owner=x", HTTP_REFERER=elsewhere).content.decode()
        assert "evil.example" not in page and "javascript:" not in page
        assert "Back to the page you were on" not in page


def test_djangos_own_bad_request_gets_the_page_too(client_for, settings):
    response = answer_of_a_failing_view(client_for, settings, "/suspicious/")
    page = response.content.decode()
    assert response.status_code == 400
    assert "That could not be done" in page and "cut short or changed on the way" in page
    assert "a tampered request" not in page  # no message from the code


@pytest.mark.parametrize(
    "bare",
    [
        "HttpResponseBadRequest",  # a line of text
        "django.views.decorators.http",  # require_POST and the like: an empty 405
    ],
)
def test_no_view_answers_a_refusal_in_bare_text(bare):
    """A bare refusal has no layout and no way back on a phone (an empty 405 is a blank page);
    views answer with truenorth.refusals (refused, read_only, post_only) instead."""
    package = Path(__file__).resolve().parent.parent / "truenorth"
    found = [
        str(module.relative_to(package))
        for module in package.rglob("*.py")
        if bare in module.read_text()
    ]
    assert found == []
