"""Search across a workspace's goals, initiatives, work items, claims, check-ins, people, teams,
decisions, updates and glossary terms.

Each kind is one query: a case-insensitive "contains" over the fields people type into a
search box (titles, keys, names, descriptions). At the size of one organisation that is fast
enough and finds what a person expects; nothing is indexed ahead. Each kind is searched only
for the roles whose pages show it, with the same rules as those pages (partners: only the
initiatives and decisions shared with them, and the partners' version of published updates;
check-in results: owners, editors and viewers). No check-in answer is searched, not even where a
term's reading quotes one.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localdate

from truenorth.roadmap.views import visible_initiatives
from truenorth.workspaces.models import Membership

MIN_CHARS = 2  # one letter would match nearly everything
MAX_CHARS = 200  # longer is a paste by mistake, not a search
PER_KIND = 20  # a search narrows; a longer list means the words should be more precise


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    kind: str  # "goals", "initiatives" …: the JSON's key and the section's id
    label: str
    hits: list[Hit]
    more: bool  # more than PER_KIND matched; only the first are listed

    def as_dict(self) -> dict:
        return {"label": self.label, "more": self.more, "hits": [asdict(h) for h in self.hits]}


def matching(rows: QuerySet, fields: list[str], words: str) -> QuerySet:
    return rows.filter(reduce(or_, (Q(**{f"{name}__icontains": words}) for name in fields)))


def goals(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    found = matching(membership.workspace.goals, ["title", "why", "metric", "target"], words)
    return [
        Hit(f"#{g.rank} {g.title}", g.period, f"{reverse('goals', args=[slug])}#goal-{g.pk}")
        for g in found.order_by("rank")[: PER_KIND + 1]
    ]


def initiatives(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    found = matching(visible_initiatives(membership), ["key", "title", "problem"], words)
    return [
        Hit(
            f"{i.key} {i.title}".strip(),
            i.get_status_display(),
            reverse("initiative", args=[slug, i.pk]),
        )
        for i in found.order_by("title", "pk")[: PER_KIND + 1]
    ]


def work_items(membership: Membership, words: str) -> list[Hit]:
    workspace = membership.workspace
    found = matching(
        workspace.work_items.select_related("initiative"), ["external_key", "title"], words
    )
    fallback = reverse("work_items", args=[workspace.slug])
    return [
        Hit(
            f"{item.external_key} {item.title}",
            f"serves “{item.initiative.title}”" if item.initiative else item.status,
            # the tracker holds the item itself; an address not on the web is not a link
            item.url if item.url.startswith(("https://", "http://")) else fallback,
        )
        for item in found.order_by("external_key", "pk")[: PER_KIND + 1]
    ]


def claims(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    fields = ["text", "account", "said_by_name", "said_by__name"]
    found = matching(membership.workspace.claims.select_related("said_by"), fields, words)
    return [
        Hit(
            claim.text,
            f"{claim.account}, {date_format(claim.said_on)}"
            + (f" · {claim.get_verdict_display()}" if claim.verdict else ""),
            reverse("account_claims", args=[slug, claim.account]),
        )
        for claim in found.order_by("-said_on", "-pk")[: PER_KIND + 1]
    ]


def checkins(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    found = matching(membership.workspace.checkins, ["title"], words)
    return [
        Hit(
            c.title,
            f"{date_format(localdate(c.opens_at))} to {date_format(localdate(c.closes_at))}",
            reverse("checkin", args=[slug, c.pk]),
        )
        for c in found.order_by("-opens_at")[: PER_KIND + 1]
    ]


def people(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    found = matching(
        membership.workspace.people.select_related("team"), ["name", "email", "title"], words
    )

    def url(person) -> str:
        if membership.can_write:
            return reverse("edit_person", args=[slug, person.pk])
        team = person.team_id or "none"
        return f"{reverse('people', args=[slug])}?status=all&team={team}"

    def detail(person) -> str:
        # Marked as on the people page: someone deactivated looks like a colleague otherwise.
        left = "" if person.active else "deactivated"
        return " · ".join(
            filter(None, [left, person.title, person.team.name if person.team else ""])
        )

    return [Hit(p.name, detail(p), url(p)) for p in found.order_by("name", "pk")[: PER_KIND + 1]]


def teams(membership: Membership, words: str) -> list[Hit]:
    """A team by its name, to its page for those who may edit it (it lists its people), else to
    the people page showing its people, as the teams page links it."""
    slug = membership.workspace.slug
    in_team = Count("people", filter=Q(people__active=True))
    found = matching(membership.workspace.teams.select_related("parent"), ["name"], words)

    def url(team) -> str:
        if membership.can_write:
            return reverse("edit_team", args=[slug, team.pk])
        return f"{reverse('people', args=[slug])}?team={team.pk}"

    def detail(team) -> str:
        counted = f"{team.active_people} {'person' if team.active_people == 1 else 'people'}"
        within = f"within {team.parent.name}" if team.parent else ""
        return " · ".join(filter(None, [counted, within, "archived" if team.archived else ""]))

    found = found.annotate(active_people=in_team).order_by("name", "pk")
    return [Hit(t.name, detail(t), url(t)) for t in found[: PER_KIND + 1]]


def decisions(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    fields = ["title", "question", "context", "outcome", "rationale", "consequences"]
    rows = membership.workspace.decisions.all()
    if not membership.can_read_internal:  # the log's rule (decisions.views.visible)
        rows = rows.filter(shared_with_partners=True)
    found = matching(rows, fields, words)

    def detail(d) -> str:
        when = f", {date_format(d.decided_on)}" if d.decided_on else ""
        return f"{d.get_status_display()}{when}"

    return [
        Hit(f"{d.number}. {d.title}", detail(d), reverse("decision", args=[slug, d.number]))
        for d in found.order_by("-number")[: PER_KIND + 1]
    ]


def updates(membership: Membership, words: str) -> list[Hit]:
    """Inside the organisation an update's title and narrative, to its page; partners the title
    and the note written for them in published ones, to their version (they never read the
    narrative)."""
    slug = membership.workspace.slug
    internal = membership.can_read_internal
    rows = membership.workspace.updates.all()
    if not membership.can_write:  # drafts are editors' (updates.views.visible)
        rows = rows.filter(published_at__isnull=False)
    fields = ["title", "narrative"] if internal else ["title", "partner_note"]
    found = matching(rows, fields, words)

    def url(update) -> str:
        if internal:
            return reverse("update", args=[slug, update.number])
        return reverse("update_version", args=[slug, update.number, "partners"])

    def detail(update) -> str:
        period = f"{date_format(update.period_start)} to {date_format(update.period_end)}"
        return period if update.is_published else f"{period} · draft"

    return [
        Hit(f"Update {u.number}: {u.title}", detail(u), url(u))
        for u in found.order_by("-number")[: PER_KIND + 1]
    ]


def terms(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    found = matching(membership.workspace.terms.all(), ["name", "canonical_definition"], words)
    return [
        Hit(t.name, shortened(t.canonical_definition), reverse("term", args=[slug, t.pk]))
        for t in found.order_by("name", "pk")[: PER_KIND + 1]
    ]


def shortened(text: str, most: int = 120) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# kind → (label, may this membership see it, search)
KINDS: dict[str, tuple[str, Callable[[Membership], bool], Callable]] = {
    "goals": ("Goals", lambda m: m.can_read_internal, goals),
    "initiatives": ("Initiatives", lambda m: True, initiatives),
    "work_items": ("Work items", lambda m: m.can_read_internal, work_items),
    "claims": ("Claims", lambda m: m.can_read_internal, claims),
    "checkins": ("Check-ins", lambda m: m.can_read_results, checkins),
    "people": ("People", lambda m: m.can_read_internal, people),
    "teams": ("Teams", lambda m: m.can_read_internal, teams),
    "decisions": ("Decisions", lambda m: True, decisions),
    "updates": ("Updates", lambda m: True, updates),
    "terms": ("Glossary terms", lambda m: m.can_read_internal, terms),
}


def search(membership: Membership, words: str) -> list[Group]:
    """Every kind the membership may see, with its first PER_KIND matches (maybe none)."""
    groups = []
    for kind, (label, may_see, find) in KINDS.items():
        if may_see(membership):
            hits = find(membership, words)
            groups.append(Group(kind, label, hits[:PER_KIND], len(hits) > PER_KIND))
    return groups
