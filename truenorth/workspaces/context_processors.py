from django.urls import reverse

from truenorth.workspaces.access import (
    INTERNAL,
    OWNER,
    PARTNER_VISIBLE,
    RESULTS,
    WRITE,
    allows,
    membership_of,
)
from truenorth.workspaces.models import Membership

# The workspace's sections, in menu order: (label, URL name, what the page needs). A page belongs
# to the section whose address is the longest start of its own (/roadmap/overruns/ is Overruns,
# /roadmap/7/ is Roadmap, /teams/ and /logins/ are People); search and the like are in none.
SECTIONS = [
    ("Overview", "overview", INTERNAL),
    ("Vision", "vision", INTERNAL),
    ("Goals", "goals", INTERNAL),
    ("Roadmap", "roadmap", PARTNER_VISIBLE),
    ("Work", "work_items", INTERNAL),
    ("Claims", "claims", INTERNAL),
    ("Feedback", "feedback", INTERNAL),
    ("Overruns", "overruns", INTERNAL),
    ("Check-ins", "checkins", INTERNAL),
    ("Glossary", "glossary", INTERNAL),
    ("Decisions", "decisions", PARTNER_VISIBLE),
    ("Updates", "updates", PARTNER_VISIBLE),
    ("Rituals", "rituals", INTERNAL),
    ("Alignment", "alignment", RESULTS),
    ("People", "people", WRITE),
    ("Settings", "workspace_settings", OWNER),
]
ALSO_IN_SECTION = {"people": ["teams", "logins"]}


def membership(request):
    """Expose the current workspace membership to templates, and the sections its role may open
    (the navigation), the current one marked."""
    current = getattr(request, "membership", None) or membership_of_address(request)
    return {
        "membership": current,
        "workspace": current.workspace if current else None,
        "sections": sections(request.path, current) if current else [],
    }


def membership_of_address(request) -> Membership | None:
    """The user's membership of the workspace in the address, for a page answered before the
    workspace's view ran: a 405 to a button's address visited, or to a PUT. It keeps the
    workspace's menu and the way on. Nobody is shown a workspace they are not in."""
    match, user = request.resolver_match, getattr(request, "user", None)
    slug = match.kwargs.get("slug") if match else None
    if not slug or user is None or not user.is_authenticated:
        return None
    return membership_of(user, slug)


def sections(path: str, membership) -> list[dict]:
    slug = membership.workspace.slug
    allowed = [
        (label, name)
        for label, name, need in SECTIONS
        if allows(membership, need) and not hidden_from_partner(name, membership)
    ]
    prefixes = {name: prefixes_of(name, slug) for _, name in allowed}
    root = reverse("overview", args=[slug])  # the overview is its own address only
    matches = [
        (len(p), name)
        for name, ps in prefixes.items()
        for p in ps
        if path == p or (p != root and path.startswith(p))
    ]
    here = max(matches)[1] if matches else None
    return [
        {"label": label, "url": prefixes[name][0], "current": name == here}
        for label, name in allowed
    ]


def hidden_from_partner(name: str, membership) -> bool:
    """Partners get a Decisions entry only once a decision is shared with them, an Updates entry
    once an update is published."""
    if name not in ("decisions", "updates") or membership.can_read_internal:
        return False
    if name == "updates":
        published = membership.workspace.updates.filter(published_at__isnull=False)
        return not published.filter(withdrawn_from_partners_at__isnull=True).exists()
    return not membership.workspace.decisions.filter(shared_with_partners=True).exists()


def prefixes_of(name: str, slug: str) -> list[str]:
    extra = [reverse(other, args=[slug]) for other in ALSO_IN_SECTION.get(name, [])]
    return [reverse(name, args=[slug]), *extra]
