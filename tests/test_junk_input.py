"""Junk in every query parameter and form field of every workspace page, as the owner, who may
use them all: a 400 that says why, or a redirect, never a 500 (nor a 200 refusing it).

Each page gets its own fields (read from its forms) and every name a view reads straight from
the request, all set to one piece of junk at a time: a word where a number or a path belongs, a
number no row can have, a NUL (which PostgreSQL refuses in a string), a line break where a
header is made. Run on PostgreSQL too (DATABASE_URL), where NUL and large numbers fail
differently from SQLite.
"""

import re

import pytest
from django.urls import reverse

from tests.test_every_page import PAGES, url_arguments

JUNK = ["x", "99999999999999999999", "\x00", "/a\nb"]
# What views read from request.GET and request.POST themselves, not through a form.
READ_BY_VIEWS = [
    "action",
    "active",
    "archived",
    "attributed",
    "columns",
    "decision",
    "direction",
    "events",
    "function",
    "goal",
    "items",
    "kind",
    "link",
    "milestone",
    "name",
    "next",
    "on",
    "owner",
    "page",
    "person",
    "pin",
    "scope",
    "sort",
    "status",
    "target",
    "team",
    "verdict",
    "webhook",
    "what",
    "worth_it",
]


def fields_of(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("name", PAGES)
def test_junk_in_any_field_is_never_a_server_error(name, workspace, strategy, users, team, client):
    url = address_of(name, workspace, strategy, users, team)
    client.force_login(users["owner"])
    client.raise_request_exception = True  # a 500 fails the test with its traceback
    page = client.get(url)
    fields = set(READ_BY_VIEWS) | fields_of(page.content.decode(errors="replace"))
    for junk in JUNK:
        data = dict.fromkeys(fields, junk)
        assert client.get(url, data).status_code < 500, (url, junk)
        posted = client.post(url, data)
        assert posted.status_code < 500, (url, junk)
        assert not (posted.status_code == 200 and refusal_shown(posted)), (url, junk, "a 200")


def address_of(name: str, workspace, strategy, users, team) -> str:
    """The page's address in the test workspace, with rows the owner may open."""
    arguments = url_arguments(workspace, strategy, users, team, "owner")
    kwargs = {"slug": "acme"} | {key: arguments[key] for key in PAGES[name].pattern.converters}
    return reverse(name, kwargs=kwargs)


def refusal_shown(response) -> bool:
    """A form that says what was wrong with what was posted: Django's error list, or ours."""
    page = response.content.decode(errors="replace")
    return 'class="errorlist' in page or 'class="error"' in page


# Panels a script posts the form being typed to, from the vision's and a goal's edit pages.
POSTED_BY_SCRIPT = {"vision_clarity", "goal_clarity"}


@pytest.mark.parametrize("name", PAGES)
def test_a_post_with_nothing_in_it_is_never_answered_as_if_it_were_a_visit(
    name, workspace, strategy, users, team, client
):
    """An empty POST is refused (400, or a 405 where the page only shows, which says so) or
    done (a redirect): never the page rendered with a 200, as if nothing had been sent, which
    tells a script its POST worked. Django's `Form(request.POST or None)` leaves an empty POST
    unbound; `truenorth.refusals.posted` does not."""
    url = address_of(name, workspace, strategy, users, team)
    client.force_login(users["owner"])
    posted = client.post(url, {})
    if name in POSTED_BY_SCRIPT:
        assert posted.status_code == 200
    elif posted.status_code == 405:
        assert posted["Allow"] == "GET, HEAD"
        said = posted.json()["error"] if url.endswith(".json") else posted.content.decode()
        assert "nothing can be sent to it" in said
    else:
        assert posted.status_code != 200


def test_the_list_of_ones_workspaces_takes_no_post_either(users, client):
    client.force_login(users["owner"])
    assert client.get("/").status_code == 302  # to the one workspace the owner is in
    assert client.post("/", {}).status_code == 405
