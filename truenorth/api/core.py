"""The API's frame: one NinjaAPI at /api/v1/ with token authentication, errors as problem details
(RFC 9457) for every status a client can cause, page-number pagination in a stable order, and the
workspace a request names, opened with the caller's role there (workspaces.access)."""

import json
import math
import re
import zoneinfo
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from ninja.parser import Parser
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from truenorth.api.auth import ApiProblem, TokenAuth
from truenorth.ids import MAX_ID
from truenorth.tabular import RowError, grouped, shown, unstorable
from truenorth.workspaces.access import allows
from truenorth.workspaces.models import Membership

PROBLEM = "application/problem+json"


def no_boolean(value: Any) -> Any:
    """true and false are not numbers, though pydantic would read them as 1 and 0."""
    if isinstance(value, bool):
        raise PydanticCustomError("not_a_number", "Input should be a number, not true or false")
    return value


NOT_A_BOOLEAN = BeforeValidator(no_boolean)
# A number in a body: `true` is refused, not saved as 1.0.
Number = Annotated[float, NOT_A_BOOLEAN]
# A row's id in a body, as ids are in the path: 1 up to what any database's key holds.
AnId = Annotated[int, Field(ge=1, le=MAX_ID), NOT_A_BOOLEAN]
PER_PAGE, MAX_PER_PAGE, MAX_PAGE = 50, 200, 1_000_000


# Answered by the web server (gunicorn) before a request reaches the API, so in its HTML.
URI_TOO_LONG = {
    "description": "URI Too Long: the request line (address and query) is longer than the web "
    "server accepts, 4,094 bytes under `truenorth serve`",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


# Answered before the API reads a body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
TOO_LARGE = {
    "description": "Content Too Large: the JSON body is longer than the server reads",
    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema, with errors documented as what they are sent as: problem+json, and the
        web server's own answer to an address too long for it."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if int(status) >= 400 and "application/json" in answer.get("content", {}):
                        answer["content"] = {PROBLEM: answer["content"]["application/json"]}
                operation.setdefault("responses", {})["414"] = URI_TOO_LONG
                if "requestBody" in operation:
                    operation["responses"]["413"] = TOO_LARGE
        return schema

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        """As django-ninja's, but each error keeps the value sent (`input`), which ninja drops:
        a message quotes it, as an import's quotes the cell ("points 'three' is not a
        number")."""
        errors = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                error["loc"] = (model.__ninja_param_source__, *loc)
                if isinstance(error.get("ctx", {}).get("error"), Exception):
                    error["ctx"]["error"] = str(error["ctx"]["error"])
                errors.append(dict(error))
        return ValidationError(errors)


class OneValueEach(Parser):
    """A query parameter that takes one value, sent twice (?team=1&team=2), is a 400 naming
    it: django-ninja would use the last value and say nothing."""

    def parse_querydict(self, data, list_fields, request):
        repeated = [key for key in data if key not in list_fields and len(data.getlist(key)) > 1]
        if repeated:
            detail = f"{repeated[0]}: sent more than once; it takes one value."
            raise ApiProblem(400, "Invalid request", detail, repeated[0])
        return super().parse_querydict(data, list_fields, request)


api = Api(
    title="truenorth",
    version="1",
    description=(
        "The alignment platform's objects, read and written with the same role rules and "
        "checks as its pages. "
        "Authenticate with a personal token: `Authorization: Bearer tn_…` "
        "(make one on your account's API tokens page or with `truenorth token create`)."
    ),
    auth=TokenAuth(),
    parser=OneValueEach(),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


class ItemProblem(Schema):
    where: str = Field(description='The item, as "items[3]"; "" for the whole.')
    message: str


class RepeatedProblem(Schema):
    where: str = Field(description='Every item with the problem, as "items [0]–[41], [43]".')
    rows: int = Field(description="How many items have it.")
    message: str = Field(description="The problem, as said of the first of them.")
    text: str = Field(description="The whole line, with a few of the other items' values.")
    places: list[str] = Field(description='Each item, as `errors` names it: "items[3]".')


class Problem(Schema):
    """An error (RFC 9457): what went wrong in a title, the detail, and the field at fault."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    field: str = ""
    errors: list[ItemProblem] | None = Field(
        None, description="Each problem, where there are several: a refused item, a rule broken."
    )
    problems: list[RepeatedProblem] | None = Field(
        None, description="Items refused: each problem once, with every item that has it."
    )


# The errors any operation may answer, for its documented responses (`responses(...)`).
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem}
# An action the record's state refuses: archiving what is archived already, say.
CONFLICT = {409: Problem}


def responses(ok: Any, status: int = 200) -> dict:
    return {status: ok, **ERRORS}


def problem(
    request,
    status: int,
    title: str,
    detail: str = "",
    field: str = "",
    headers=None,
    errors=None,
    problems=None,
):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["field"] = field
    if errors is not None:
        body["errors"] = errors
    if problems is not None:
        body["problems"] = problems
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiProblem)
def api_problem(request, exc: ApiProblem) -> HttpResponse:
    return problem(
        request,
        exc.status,
        exc.title,
        exc.detail,
        exc.field,
        exc.headers,
        exc.errors,
        exc.problems,
    )


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = ".".join(path_of(first))
    said = each_problem(first)
    detail = f"{said['where']}: {said['message']}" if said["where"] else said["message"]
    no_object = first.get("type") in ("model_type", "model_attributes_type", "dict_type")
    if not field and tuple(first.get("loc", ())) == ("body", "body") and no_object:
        detail = "Send a JSON object as the body."
    # Every problem, not only the first: items sent together are corrected in one go.
    errors = [each_problem(error) for error in exc.errors] if len(exc.errors) > 1 else None
    problems = None
    if errors:  # items sent together that share a problem: it once, with every item
        # A field of the body itself is in "body": no file was sent.
        found = [RowError(0, error["message"], error["where"] or "body") for error in errors]
        problems = [group.as_json() for group in grouped(found)]
    return problem(request, 400, "Invalid request", detail, field, errors=errors, problems=problems)


def path_of(error: dict) -> list[str]:
    return [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]


def each_problem(error: dict) -> dict:
    """A validation error as an import's report names a row: {"where": "items[1]", "message":
    "title is empty"} (where is "" for a field of the body itself)."""
    loc = path_of(error)
    index = next((i for i, part in enumerate(loc) if part.isdigit()), None)
    where = f"{'.'.join(loc[:index])}[{loc[index]}]" if index else ""
    return {
        "where": where,
        "message": message_of(error, ".".join(loc[index + 1 :] if index else loc)),
    }


# A message in the words an import uses for the same mistake, quoting the value sent:
# "points 'three' is not a number", not pydantic's "Input should be a valid decimal".
NOT_A_NUMBER = ("decimal_parsing", "float_parsing", "int_parsing", "decimal_type", "float_type")
PLAIN = {
    **dict.fromkeys(NOT_A_NUMBER, "{field} {value} is not a number{comma}"),
    "int_type": "{field} {value} is not a number",
    "int_from_float": "{field} {value} is not a whole number",
    "string_too_long": "{field} {value} is too long: at most {max_length} characters",
    "string_type": "{field} {value} is not text",
    "string_unicode": "{field} holds {unstorable}",
    "greater_than_equal": "{field} {value} must be {ge} or more",
    "greater_than": "{field} {value} must be more than {gt}",
    "less_than_equal": "{field} {value} is more than {le}",
    "less_than": "{field} {value} must be less than {lt}",
    "list_type": "{field} {value} is not a list",
    "bool_parsing": "{field} {value} is not true or false",
    "bool_type": "{field} {value} is not true or false",
    "date_parsing": "{field} {value} is not a date (use YYYY-MM-DD)",
    "date_from_datetime_parsing": "{field} {value} is not a date (use YYYY-MM-DD)",
    "date_type": "{field} {value} is not a date (use YYYY-MM-DD)",
    "datetime_parsing": "{field} {value} is not a time (use ISO 8601, e.g. 2026-12-01T09:00:00Z)",
    "datetime_from_date_parsing": "{field} {value} is not a time (use ISO 8601, e.g. "
    "2026-12-01T09:00:00Z)",
    "literal_error": "{field} {value} is not one of {expected}",
    "enum": "{field} {value} is not one of {expected}",
}
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def message_of(error: dict, field: str = "") -> str:
    """The error in plain words, the value quoted as an import quotes a cell. Where the words
    need the value and ninja dropped it, or for a check of truenorth's own (a finite number,
    unknown fields), pydantic's message follows the field's name."""
    kind, ctx = error.get("type", ""), error.get("ctx", {})
    if kind == "too_short" and ctx.get("field_type") == "List":
        least = ctx["min_length"]
        return prefixed(
            field, f"Input should list at least {least} item{'' if least == 1 else 's'}"
        )
    if kind == "too_long" and ctx.get("field_type") == "List":
        sent, most = ctx.get("actual_length"), ctx["max_length"]
        return f"{field or 'the list'}: {sent} sent, at most {most} at a time; send the rest in another request"
    if kind == "string_too_short" and field and ctx.get("min_length") == 1:
        return f"{field} is empty"
    if kind == "missing" and field:  # pydantic's "Field required", as an import says it
        return f"{field} is missing"
    if kind in PLAIN and field and "input" in error:
        value = error["input"]
        numbers = {name: "zero" if str(ctx.get(name)) == "0" else ctx.get(name) for name in ctx}
        comma = ""
        if isinstance(value, str) and DECIMAL_COMMA.match(value):
            comma = " (write 3.5: a decimal point, not a comma)"
        stored = unstorable(value) if isinstance(value, str) else ""
        return PLAIN[kind].format(
            field=field,
            value=quoted(value),
            comma=comma,
            unstorable=stored or "text no database can store",
            **numbers,
        )
    return prefixed(field, error.get("msg", "invalid"))


def prefixed(field: str, message: str) -> str:
    return f"{field}: {message}" if field else message


def quoted(value: Any) -> str:
    """A value sent, as a message quotes it: text as an import quotes a cell ('three'), cut short;
    anything else as JSON writes it (-1, true, ["a"])."""
    if isinstance(value, str):
        return shown(value)
    try:
        text = json.dumps(value, default=str)
    except ValueError:
        text = str(value)
    return text if len(text) <= 40 else f"{text[:40]}… ({len(text)} characters)"


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc) -> HttpResponse:
    detail = "Send a valid, unexpired token: Authorization: Bearer tn_…"
    return problem(
        request, 401, "Not authenticated", detail, headers={"WWW-Authenticate": "Bearer"}
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, str(exc) or "Error", str(exc))


# Django's get_object_or_404 says "No CheckIn matches the given query.": a class name, not words.
DJANGOS_404 = re.compile(r"^No (\w+) matches the given query\.$")


@api.exception_handler(Http404)
def not_found(request, exc) -> HttpResponse:
    detail = str(exc) or "No such object."
    if found := DJANGOS_404.match(detail):
        detail = f"No such {words_of(found[1])}."
    return problem(request, 404, "Not found", detail)


def words_of(class_name: str) -> str:
    """A model's name as the pages write it: CheckIn as "check-in", ApiToken as "api token"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name).lower().replace("check in", "check-in")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc) -> HttpResponse:
    detail = str(exc) or "Your role in this workspace does not allow this."
    return problem(request, 403, "Forbidden", detail)


def membership(request: HttpRequest, slug: str, need: str) -> Membership:
    """The caller's membership of the workspace, if its role allows `need`: a workspace the
    caller is not in is a 404 (as on the pages), a role that falls short a 403."""
    found = (
        Membership.objects.filter(workspace__slug=slug, user_id=request.auth.user_id)
        .select_related("workspace", "person")
        .first()
    )
    if found is None:
        raise Http404("No such workspace.")
    if not allows(found, need):
        raise PermissionDenied("Your role in this workspace does not allow this.")
    # "Today" (a decision made, a claim said) is the workspace's, as on its pages; turned off
    # when the answer is made (api.middleware.ApiTimeZoneMiddleware).
    timezone.activate(zoneinfo.ZoneInfo(found.workspace.time_zone))
    return found


class Pages(PaginationBase):
    """?page=1&per_page=50 (at most 200), over a list in a stable order (the caller orders it)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        count = self._items_count(queryset)
        start = (pagination.page - 1) * pagination.per_page
        return {
            "items": queryset[start : start + pagination.per_page],
            "count": count,
            "page": pagination.page,
            "pages": max(1, math.ceil(count / pagination.per_page)),
        }
