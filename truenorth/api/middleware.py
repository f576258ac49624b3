"""ETag and If-None-Match on the API's reads: a client that has a page already gets 304 and no
body. The tag is the body's hash (Django's ConditionalGetMiddleware), so it changes exactly when
what the caller may read changes. A method an address does not take answered as the API's other
errors are; a NUL character in a JSON body refused with its field. And the workspace's time zone,
which a request turned on, turned off after it."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone

from truenorth.api.core import PROBLEM, problem

API = "/api/v1/"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(API):
            return response
        return super().process_response(request, response)


class ApiMethodProblemMiddleware:
    """A method an API address does not take: problem+json (RFC 9457) like every other error
    of the API, where django-ninja answers "Method not allowed" in text/html."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API) or response.status_code != 405:
            return response
        if response.get("Content-Type") == PROBLEM:
            return response
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


class ApiStorableTextMiddleware:
    """A NUL character anywhere in a JSON body: a 400 naming its field, before any view reads
    it. PostgreSQL cannot store it, and a write checked by the model alone (a decision's
    outcome, a feedback item) would otherwise answer a 500; the schema already refuses lone
    surrogates. django-ninja's parser cannot say which field: any error it raises becomes
    "Cannot parse request body"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API) and request.content_type == "application/json":
            try:
                where = nul_at(request.body)
            except RequestDataTooBig:
                return problem(request, 413, "Content Too Large", TOO_LARGE_DETAIL)
            if where is not None:
                said = "Null characters are not allowed."
                detail = f"{where}: {said}" if where else said
                return problem(request, 400, "Invalid request", detail, where)
        return self.get_response(request)


TOO_LARGE_DETAIL = (
    f"A body holds at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes: send fewer items at "
    "a time."
)


def nul_at(body: bytes) -> str | None:
    """Where the body holds a NUL; None also when it is no JSON (the API says so itself)."""
    if b"\\u0000" not in body and b"\x00" not in body:
        return None  # the common case, without parsing the body twice
    try:
        return nul_in(json.loads(body))
    except (ValueError, RecursionError):
        return None


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
