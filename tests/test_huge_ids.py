"""An id no row can have, in a URL or a query string, is a 404 (or ignored), never a 500.

SQLite raises OverflowError for an integer above 2**63-1, PostgreSQL DataError; run this file
with DATABASE_URL set to check the second.
"""

import importlib
import pkgutil

import pytest
from django.core.exceptions import ValidationError
from django.forms import BaseForm, ModelMultipleChoiceField
from django.http import Http404
from django.test import RequestFactory

import truenorth
from truenorth.ids import MAX_ID, IdsInRangeMiddleware, ModelIdsField, as_id
from truenorth.work.models import WorkItem

HUGE = "99999999999999999999"

PATHS = [
    "/w/acme/goals/{id}/edit/",
    "/w/acme/checkins/{id}/",
    "/w/acme/checkins/{id}/report.json",
    "/w/acme/vision/v{id}/",
    "/w/acme/roadmap/{id}/",
    "/w/acme/roadmap/{id}/edit/",
    "/w/acme/work/{id}/",
    "/w/acme/work/{id}.json",
    "/w/acme/logins/{id}/remove/",
]
QUERIES = [
    "/w/acme/work/?team={id}",
    "/w/acme/work/?team=%C2%B2",  # "²", a digit to str.isdigit but not to int()
]


@pytest.fixture
def owner(client_for, strategy):
    client = client_for("owner")
    client.raise_request_exception = True  # a 500 fails the test with its traceback
    return client


@pytest.mark.parametrize("path", PATHS + QUERIES)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("number", [HUGE, str(2**63), str(MAX_ID)])
def test_a_number_no_row_has_is_not_found(owner, path, method, number):
    response = getattr(owner, method)(path.format(id=number))
    assert response.status_code in (404, 405)  # 405: a page that takes only POST


@pytest.mark.parametrize(
    "path",
    [
        "/w/acme/roadmap/?goal={id}",
        "/w/acme/roadmap/?goal=%C2%B2",
        "/w/acme/work/suggestions/?target=goal:{id}",
        "/w/acme/work/suggestions/?target=initiative:%C2%B2",
    ],
)
def test_a_filter_by_a_number_no_row_has_is_ignored(owner, path):
    assert owner.get(path.format(id=HUGE)).status_code == 200


def test_a_small_id_still_finds_its_row(owner, strategy):
    goal = strategy["goals"][0]
    assert owner.get(f"/w/acme/goals/{goal.pk}/edit/").status_code == 200
    assert "selected" in owner.get(f"/w/acme/roadmap/?goal={goal.pk}").content.decode()


@pytest.mark.parametrize(
    "text, expected",
    [("12", 12), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("", None)]
    + [(None, None), ("-1", None), ("1.5", None), ("²", None), ("٣", None), (" 1", None)],
)
def test_as_id(text, expected):
    assert as_id(text) == expected


def test_the_middleware_stops_any_view_before_it_runs():
    def view(request, **kwargs):
        raise AssertionError("the view ran")

    middleware = IdsInRangeMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    assert middleware.process_view(request, view, (), {"item_id": MAX_ID, "slug": "x"}) is None
    with pytest.raises(Http404):
        middleware.process_view(request, view, (), {"item_id": MAX_ID + 1})


@pytest.mark.parametrize(
    "path, data",
    [
        ("/w/acme/work/link/", {"ids": HUGE, "target": "nothing"}),
        ("/w/acme/work/suggestions/decide/", {"action": "accept", "ids": HUGE}),
        ("/w/acme/checkins/new/", {"title": "Pulse", "teams": HUGE}),
        ("/w/acme/decisions/new/", {"title": "Ledger", "deciders": HUGE}),
        ("/w/acme/decisions/new/", {"title": "Ledger", "blocks": HUGE}),
        ("/w/acme/glossary/new/", {"name": "customer", "related": HUGE}),
        ("/w/acme/rituals/new/", {"name": "Weekly", "people": HUGE}),
        ("/w/acme/rituals/new/", {"name": "Weekly", "teams": HUGE}),
    ],
)
def test_a_ticked_number_no_row_has_is_an_invalid_choice(owner, path, data):
    assert owner.post(path, data).status_code in (200, 302, 400)  # a form's answer, not a 500


@pytest.mark.parametrize(
    "path",
    [
        "/w/acme/decisions/?owner={id}",
        "/w/acme/decisions.csv?team={id}",
        "/w/acme/claims/?person={id}",
    ],
)
def test_a_filter_by_a_number_no_row_can_have_is_a_malformed_filter(owner, path):
    refused = owner.get(path.format(id=HUGE))
    assert refused.status_code == 400 and "Nothing has that number" in refused.content.decode()


def test_no_form_ticks_ids_without_checking_their_range():
    """Django makes each many-to-many field of a ModelForm a plain ModelMultipleChoiceField,
    whose query raises for an id above MAX_ID: every form of the project uses ModelIdsField."""
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in every_form_class()
        for name, field in form.base_fields.items()
        if type(field) is ModelMultipleChoiceField
    ]
    assert plain == []


def every_form_class() -> set[type]:
    importlib.import_module("truenorth.urls")  # every page's view, and the forms it uses
    for module in pkgutil.walk_packages(truenorth.__path__, "truenorth."):
        if module.name.endswith("forms"):
            importlib.import_module(module.name)
    found, waiting = set(), [BaseForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("truenorth."):
                found.add(subclass)
    assert len(found) > 20  # the walk found the project's forms
    return found


def test_the_ids_field_refuses_a_number_out_of_range_before_asking_the_database(strategy):
    item = strategy["items"][0]
    field = ModelIdsField(queryset=WorkItem.objects.all())
    with pytest.raises(ValidationError, match=HUGE):
        field.clean([str(item.pk), HUGE])
    assert list(field.clean([str(item.pk)])) == [item]
