"""Ids in URLs, query strings and ticked form fields: a number no row can have names nothing
(a 404, or an invalid choice), never a 500."""

from django import forms
from django.db import models
from django.http import Http404

# The largest BigAutoField id, and the largest integer SQLite and PostgreSQL store. Beyond it
# SQLite raises OverflowError and PostgreSQL DataError for some queries (`__in`, raw SQL), where
# an exact lookup would have found nothing.
MAX_ID = 2**63 - 1


def as_id(text: str | None) -> int | None:
    """The id written in `text`, or None for anything no row can have ("", "x", "²", 10**20)."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that checks each id in range before it asks the database: its
    `pk__in` query is one that raises for a number above MAX_ID. Such an id is an invalid
    choice, like any other id no row of the queryset has."""

    def _check_values(self, value):
        for pk in value:
            if as_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def ids_in_range(db_field, **kwargs):
    """A ModelForm's `formfield_callback`: its many-to-many fields as ModelIdsFields, which
    Django would make plain ModelMultipleChoiceFields."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelIdsField)
    return db_field.formfield(**kwargs)


class IdField(forms.IntegerField):
    """A number that names one row, as a filter takes it: above MAX_ID it is invalid, where an
    exact lookup through a foreign key would raise."""

    default_error_messages = {
        "min_value": "Nothing has that number.",
        "max_value": "Nothing has that number.",
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdsInRangeMiddleware:
    """Every <int:…> of every URL, checked in one place before its view runs.

    A path converter registered for `int` would do the same, but overriding a built-in
    converter is deprecated in Django 5.1 and refused from 6.0.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if any(type(value) is int and value > MAX_ID for value in (*args, *kwargs.values())):
            raise Http404("No such page")
        return None
