"""Who may see what: the one place where roles become permissions."""

import zoneinfo
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from truenorth.refusals import login_required, refused, wants_json
from truenorth.workspaces.models import Membership

# What a page needs, from least to most.
PARTNER_VISIBLE = "partner_visible"  # partners too (they see only what is shared with them)
INTERNAL = "internal"  # everyone in the organisation: owner, editor, member, viewer
RESULTS = "results"  # check-in dashboards: owner, editor, viewer
WRITE = "write"  # owner and editor
OWNER = "owner"


def allows(membership: Membership, need: str) -> bool:
    if need == PARTNER_VISIBLE:
        return True
    if need == INTERNAL:
        return membership.can_read_internal
    if need == RESULTS:
        return membership.can_read_results
    if need == WRITE:
        return membership.can_write
    if need == OWNER:
        return membership.is_owner
    raise ValueError(f"unknown access need {need!r}")


def membership_of(user, slug: str) -> Membership | None:
    """The user's membership of the workspace, with the workspace, in one query; None outside."""
    mine = Membership.objects.filter(workspace__slug=slug, user_id=user.pk)
    return mine.select_related("workspace").first()


# What a refusal says where no view gave words of its own. A JSON twin (or a client asking for
# JSON) gets {"error": …} with the same status (404 here, 403 in refusals.permission_denied): a
# script cannot read the HTML pages.
FORBIDDEN = "Your role in this workspace does not allow this page."
NOT_FOUND = "Nothing here: it may have been deleted, or the address is mistyped."


def reason_of(missing: Http404) -> str:
    """A 404's words for a script: a view's own reason, but not get_object_or_404's "No WorkItem
    matches the given query.", which names a class, not a thing a reader knows."""
    said = str(missing)
    return NOT_FOUND if not said or said.endswith("matches the given query.") else said


def workspace_view(need: str) -> Callable:
    """Decorate a view taking (request, membership, ...) behind a URL with <slug:slug>."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            membership = membership_of(request.user, slug)
            if membership is None:
                if wants_json(request):  # a JSON twin answers a script in JSON, same status
                    return refused(request, "No such workspace", 404)
                raise Http404("No such workspace")
            # Set before the check, so the 403 page shows the sections this role may open.
            request.membership = membership  # type: ignore[attr-defined]
            if not allows(membership, need):
                # Raised, not answered: a decorator above may word it (checkins.refusing_in_json);
                # refusals.permission_denied answers a JSON client in JSON.
                raise PermissionDenied(FORBIDDEN)
            # Dates on its pages and in its forms read in the workspace's own time zone.
            timezone.activate(zoneinfo.ZoneInfo(membership.workspace.time_zone))
            try:
                return view(request, membership, *args, **kwargs)
            except Http404 as missing:
                if not wants_json(request):
                    raise
                return refused(request, reason_of(missing), 404)
            finally:
                timezone.deactivate()

        wrapper.access_need = need  # type: ignore[attr-defined]  # read by the permission tests
        return wrapper

    return decorator
