"""What the app answers when it will not do what a request asks.

The reason goes back in words: on a page in the layout, with a way back, for a person in a
browser (a bare line of text is what a phone shows otherwise, with no way on), or as JSON to a
client that asked for JSON. A request in a method its address does not take is a 405 that says
so and names the ones it takes (Allow): a page that only shows, to a POST (`read_only`); a
button's address, to a visit (`post_only`); any page, to what no page takes (PUT, DELETE …,
`PageMethodsMiddleware`). A page that needs a login sends a logged-out browser to the login
page; a JSON twin, or a client asking for JSON, gets a 401 that says so (`login_required`).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import decorators as auth
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

View = Callable[..., HttpResponse]


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


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 (urls.handler403): the reason as {"error": …} to a JSON twin or a JSON client,
    whichever view or decorator refused; the 403 page otherwise."""
    if wants_json(request):
        reason = str(exception) or "You may not read this."
        return JsonResponse({"error": reason}, status=403)
    return defaults.permission_denied(request, exception)


LOGGED_OUT = (
    "Log in first: this address answers a logged-in session only. A program reads the same "
    "through the API, with a token (/api/v1/)."
)


def login_required(view: View) -> View:
    """Django's login_required, except for a JSON twin or a client asking for JSON: a 401 with
    {"error": …, "login": the login page's address, back to this one}, where a redirect would
    answer a program with the login page's HTML."""
    page = auth.login_required(view)

    @wraps(page)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated or not wants_json(request):
            return page(request, *args, **kwargs)
        login = redirect_to_login(request.get_full_path())["Location"]
        return JsonResponse({"error": LOGGED_OUT, "login": login}, status=401)

    return checked


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


def labelled_problems(form, whole: str) -> list[str]:
    """A form's errors, a line per field named by its label as the page shows it ("Option 3:
    Name the option…"); errors of the whole form named `whole`."""
    return [
        f"{form[name].label if name in form.fields else whole}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]


def page_came_from(request: HttpRequest) -> str:
    """The page on this site that sent the request, to go back to; "" when unknown or elsewhere."""
    referer = request.headers.get("Referer", "")
    return referer if on_this_site(request, referer) else ""


def on_this_site(request: HttpRequest, address: str) -> bool:
    """An address safe to send the user to: this site's, and printable (a line break would break
    a redirect's header)."""
    safe = url_has_allowed_host_and_scheme(address, allowed_hosts={request.get_host()})
    return safe and address.isprintable()


PAGE_METHODS = ("GET", "HEAD", "POST")
NOTHING_TO_POST = "This page only shows what it holds: nothing can be sent to it."
ONLY_POSTED = (
    "This address is a button's, not a page: it acts when the form on its page is sent, and "
    "has nothing to show a visit."
)


def allowing(methods: tuple[str, ...], reason: str) -> Callable[[View], View]:
    """A view that takes only these methods; any other is a 405 that gives the reason. The
    methods stay on the view (and on the decorators' wrappers above it, through `wraps`) for
    PageMethodsMiddleware."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                return view(request, *args, **kwargs)
            return not_allowed(request, methods, reason)

        checked.allowed_methods = methods  # type: ignore[attr-defined]
        return checked

    return decorator


# A page that only shows what it holds: a POST would otherwise render it as if something had
# been done.
read_only = allowing(("GET", "HEAD"), NOTHING_TO_POST)
# A button's address (archive, send, skip …): a visit, from a typed or bookmarked address,
# would otherwise get Django's empty 405, a blank page.
post_only = allowing(("POST",), ONLY_POSTED)


def not_allowed(request: HttpRequest, methods: tuple[str, ...], reason: str) -> HttpResponse:
    response = refused(request, reason, status=405)
    response["Allow"] = ", ".join(methods)
    return response


class PageMethodsMiddleware:
    """A page takes a visit (GET, HEAD) or a form (POST). Any other method (PUT, DELETE,
    OPTIONS …) is a 405 here, where a function view would answer it as a visit and Django's
    form views (the login) as a form. A view that takes fewer says so itself (`allowing`);
    the API, under its URL namespace, answers its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: View, args, kwargs) -> HttpResponse | None:
        if request.method in PAGE_METHODS or hasattr(view, "allowed_methods"):
            return None
        if "api" in request.resolver_match.namespaces:
            return None
        reason = f"A page takes a visit or a form; {request.method} is not something it answers."
        return not_allowed(request, PAGE_METHODS, reason)
