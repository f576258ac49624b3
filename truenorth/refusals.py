"""What the app answers when it will not do what a request asks.

The reason goes back in words: on a page in the layout, with a way back, for a person in a
browser (a bare line of text is what a phone shows otherwise, with no way on), or as JSON to a
client that asked for JSON. A page that only shows says so to a POST (`read_only`).
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def wants_json(request: HttpRequest) -> bool:
    """A JSON twin's address, or a client that sends or accepts JSON."""
    return (
        request.path.endswith(".json")
        or request.content_type == "application/json"
        or "application/json" in request.headers.get("Accept", "")
    )


def refused(request: HttpRequest, reason: str, status: int = 400) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": reason}, status=status)
    context = {"reason": reason, "came_from": page_came_from(request), "code": status}
    return render(request, "400.html", context, status=status)


def posted(request: HttpRequest):
    """What a page's form is bound to: the POST, even an empty one (`request.POST or None` would
    leave an empty POST unbound, and the page would answer it with its blank form and a 200, as
    if nothing had been sent), or None for a GET."""
    return request.POST if request.method == "POST" else None


def form_status(form) -> int:
    """A page's status after its form: 400 when the form refused what was posted (the page shows
    why), 200 for a blank or valid one."""
    return 400 if form.errors else 200


def bad_filter(request: HttpRequest, form, what: str = "filter") -> HttpResponse:
    """A list's filters (or a small form posted without its page) that did not validate."""
    return refused(request, f"Bad {what}: {form_problems(form)}")


def form_problems(form) -> str:
    """A form's errors in one line: "owner: Nothing has that number.; body: This field is …"."""
    return "; ".join(
        " ".join(errors) if name == "__all__" else f"{name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


def page_came_from(request: HttpRequest) -> str:
    """The page on this site that sent the request, to go back to; "" when unknown or elsewhere."""
    referer = request.headers.get("Referer", "")
    return referer if on_this_site(request, referer) else ""


def on_this_site(request: HttpRequest, address: str) -> bool:
    """An address safe to send the user to: this site's, and printable (a line break would break
    a redirect's header)."""
    safe = url_has_allowed_host_and_scheme(address, allowed_hosts={request.get_host()})
    return safe and address.isprintable()


NOTHING_TO_POST = "This page only shows what it holds: nothing can be sent to it."


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that only shows what it holds: a POST (or any method but GET and HEAD) is a 405
    that says so, where the page would otherwise render as if something had been done."""

    @wraps(view)
    def only_read(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        response = refused(request, NOTHING_TO_POST, status=405)
        response["Allow"] = "GET, HEAD"
        return response

    return only_read
