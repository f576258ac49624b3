"""ETag and If-None-Match on the API's reads: a client that has a page already gets 304 and no
body. The tag is the body's hash (Django's ConditionalGetMiddleware), so it changes exactly when
what the caller may read changes. A method an address does not take answered as the API's other
errors are. And the workspace's time zone, which a request turned on, turned off after it."""

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
