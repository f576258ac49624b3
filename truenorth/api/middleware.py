"""ETag and If-None-Match on the API's reads: a client that has a page already gets 304 and no
body. The tag is the body's hash (Django's ConditionalGetMiddleware), so it changes exactly when
what the caller may read changes. An unknown address, or a method an address does not take,
answered as the API's other errors are; a body read once and refused in plain words when it is
no JSON object. And the workspace's time zone, which a request turned on, turned off after it."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone

from truenorth.api.core import PROBLEM, problem

API = "/api/v1/"
FORM = "multipart/form-data"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(API):
            return response
        return super().process_response(request, response)


class ApiAddressProblemMiddleware:
    """An address the API does not have, or a method an address does not take: problem+json
    (RFC 9457) like every other error of the API, where Django answers its 404 page and
    django-ninja "Method not allowed", both in text/html."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API) or response.status_code not in (404, 405):
            return response
        if response.get("Content-Type") == PROBLEM:
            return response
        if response.status_code == 404:
            detail = f"The API has no address {request.path}: its addresses are at {API}docs/."
            return problem(request, 404, "Not Found", detail)
        allowed = ", ".join(sorted(response["Allow"].split(", ")))  # django-ninja's are a set
        detail = f"This address takes {allowed}, not {request.method}."
        return problem(request, 405, "Method Not Allowed", detail, headers={"Allow": allowed})


class ApiTimeZoneMiddleware:
    """Turns off the workspace's time zone that api.core.membership turned on for a request, so
    the next request this thread serves (an account page, another workspace) starts from the
    server's own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ApiJsonBodyMiddleware:
    """The body of an API write, read once before any view does. django-ninja answers "Cannot
    parse request body" of any fault, and that the body is missing when it is empty, so:
    - an empty body (or blanks) reads as {}: a POST that sends nothing gets its defaults, or a
      400 naming the field it lacks;
    - a body that is no JSON: a 400 saying where it breaks;
    - JSON that is not an object: a 400 asking for one;
    - a NUL character anywhere: a 400 naming its field, since PostgreSQL cannot store it, and a
      write checked by the model alone (a decision's outcome, a feedback item) would otherwise
      answer a 500; the schema already refuses lone surrogates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A form's body (the test client's default) is no JSON anyone meant: left to the view.
        writes = request.method in ("POST", "PUT", "PATCH")
        if request.path.startswith(API) and writes and request.content_type != FORM:
            try:
                body = request.body
            except RequestDataTooBig:
                return problem(request, 413, "Content Too Large", TOO_LARGE_DETAIL)
            if not body.strip():
                request._body = b"{}"  # what HttpRequest.body answers from now on
            elif fault := body_fault(body):
                detail, where = fault
                return problem(request, 400, "Invalid request", detail, where)
        return self.get_response(request)


def body_fault(body: bytes) -> tuple[str, str] | None:
    """What is wrong with a body, and the field it is in ("" for the whole body), or None."""
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        return "The body is not UTF-8 text: send JSON.", ""
    except json.JSONDecodeError as error:
        return (
            f"The body is not JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
            "",
        )
    except (ValueError, RecursionError):
        return "The body is not JSON that can be read: send a JSON object.", ""
    if not isinstance(data, dict):
        return "Send a JSON object as the body.", ""
    has_nul = b"\\u0000" in body or b"\x00" in body  # seldom: the text is not walked
    where = nul_in(data) if has_nul else None
    if where is not None:
        said = "Null characters are not allowed."
        return (f"{where}: {said}" if where else said), where
    return None


TOO_LARGE_DETAIL = (
    f"A body holds at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes: send fewer items at "
    "a time."
)


def nul_in(body) -> str | None:
    """The dotted path of the first text holding a NUL ("items.3.text"), or None. A loop, not a
    recursion: a body nested a thousand deep is read, not a RecursionError."""
    waiting = [("", body)]
    while waiting:
        where, value = waiting.pop()
        if isinstance(value, str) and "\x00" in value:
            return where
        for key, item in reversed(children(value)):
            here = f"{where}.{key}".lstrip(".")
            if "\x00" in str(key):
                return here.replace("\x00", "\\0")
            waiting.append((here, item))
    return None


def children(value) -> list[tuple]:
    if isinstance(value, dict):
        return list(value.items())
    return list(enumerate(value)) if isinstance(value, list) else []
