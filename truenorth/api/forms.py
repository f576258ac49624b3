"""A write's body checked by the page's own Django form, so the API refuses exactly what the
page refuses, with the same message, as a 400 naming the field."""

from datetime import date
from enum import Enum

from django import forms
from django.core.exceptions import ValidationError

from truenorth.api.auth import ApiProblem
from truenorth.api.core import words_of
from truenorth.ids import as_id
from truenorth.tabular import ImportFailed, grouped


def checked(form: forms.BaseForm, what: str) -> dict:
    """The form's cleaned data, or ApiProblem(400) naming the first field at fault."""
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        message = not_in_workspace(form, field, errors[0]) or errors[0].messages[0]
        raise refused(what, field, message)
    return form.cleaned_data


def not_in_workspace(form: forms.BaseForm, field: str, error: ValidationError) -> str | None:
    """Why an id is refused when no row of the workspace has it (another workspace's, or none):
    "No goal 7 in this workspace.", where Django would say "Select a valid choice"; None for
    any other refusal, whose own words stay."""
    choices = form.fields.get(field)
    if error.code != "invalid_choice" or not isinstance(choices, forms.ModelChoiceField):
        return None
    model, sent = choices.queryset.model, (error.params or {}).get("value")
    workspace = workspace_of(form)
    if workspace is None or "workspace" not in {f.name for f in model._meta.fields}:
        return None
    pk = as_id(str(sent))
    if pk is not None and model._base_manager.filter(pk=pk, workspace=workspace).exists():
        return None  # in the workspace, but not one to choose here: the form says why
    return f"No {words_of(model.__name__)} {sent} in this workspace."


def workspace_of(form: forms.BaseForm):
    """The workspace a form chooses in: its own, or its record's."""
    record = getattr(form, "instance", None)
    return getattr(form, "workspace", None) or getattr(record, "workspace", None)


def refused_by_action(what: str, error: ValidationError) -> ApiProblem:
    """An action's ValidationError (a field the database cannot check) as a 400."""
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.message_dict.items()))
        return refused(what, field, errors[0])
    return refused(what, "__all__", error.messages[0])


def refused(what: str, field: str, message: str) -> ApiProblem:
    field = "" if field == "__all__" else field
    detail = f"{field}: {message}" if field else message
    return ApiProblem(400, f"Invalid {what}", detail, field)


def form_data(values: dict) -> dict:
    """A JSON body's values as a form posts them: None as "", dates and numbers as text."""
    return {name: as_posted(value) for name, value in values.items()}


def as_posted(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, list) else str(value)


def refused_items(failure: ImportFailed) -> ApiProblem:
    """Items sent as an import's rows, refused: a 400 naming each one in `errors`, as an
    import's report names each row, and each problem once with all its items in `problems`."""
    errors = [{"where": error.where, "message": error.message} for error in failure.errors]
    problems = [group.as_json() for group in grouped(failure.errors)]
    first, items = errors[0], len({error["where"] for error in errors})
    # "5 item(s) refused, 13 problems of 12 kinds": an item may have several problems.
    counted = f", {len(errors)} problems" if len(errors) > items else ""
    if len(problems) < len(errors):
        counted += (
            f" of {len(problems)} kinds" if counted else f", problems of {len(problems)} kinds"
        )
    detail = f"{items} item(s) refused{counted}; the first, {first['where']}: {first['message']}"
    return ApiProblem(400, "Nothing imported", detail, "items", errors=errors, problems=problems)
