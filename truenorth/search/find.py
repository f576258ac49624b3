"""Search across a workspace's goals, initiatives, work items, claims, check-ins, people, teams,
decisions, updates and glossary terms.

Each kind is one query: a case-insensitive "contains" over the fields people type into a
search box (titles, keys, names, descriptions). At the size of one organisation that is fast
enough and finds what a person expects; nothing is indexed ahead. Each kind is searched only
for the roles whose pages show it, with the same rules as those pages (partners: only the
initiatives and decisions shared with them, and the partners' version of published updates,
never a decision's comments; check-in results: owners, editors and viewers). No check-in answer
is searched, not even where a term's reading quotes one. Each hit links to the item's own page,
or, where it has none for that reader, to the page of its list that shows it.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localdate

from truenorth.roadmap.views import visible_initiatives
from truenorth.sending import in_quotes
from truenorth.workspaces.models import Membership

MIN_CHARS = 2  # one letter would match nearly everything
MAX_CHARS = 200  # longer is a paste by mistake, not a search
PER_KIND = 20  # a search narrows; a longer list means the words should be more precise
WORK_PAGE = 50  # items on a page of the work list (work.views.work_items)
PEOPLE_PAGE = 100  # people on a page of the people list (workspaces.people_views.people)


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
    return rows.filter(saying(fields, words))


def saying(fields: list[str], words: str) -> Q:
    return reduce(or_, (Q(**{f"{name}__icontains": words}) for name in fields))


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
    """A work item to its page in its tracker; one with no address on the web to the page of
    the work list that shows it, the list narrowed to its team (the list has no key filter)."""
    workspace = membership.workspace
    found = matching(
        workspace.work_items.select_related("initiative"), ["external_key", "title"], words
    )
    found = found.annotate(before=items_listed_before(workspace.work_items.all()))
    listed = reverse("work_items", args=[workspace.slug])

    def url(item) -> str:
        if item.url.startswith(("https://", "http://")):
            return item.url
        page = item.before // WORK_PAGE + 1
        return f"{listed}?team={item.team_id or 'none'}&page={page}"

    return [
        Hit(
            f"{item.external_key} {item.title}",
            f"serves {in_quotes(item.initiative.title)}" if item.initiative else item.status,
            url(item),
        )
        for item in found.order_by("external_key", "pk")[: PER_KIND + 1]
    ]


def items_listed_before(items: QuerySet) -> Subquery:
    """How many items of the same team (or of none) the work list shows before this one, in
    its order (source, then key), so that a search can link to the page that shows the item."""
    team = Coalesce("team_id", Value(0))
    earlier = Q(source__lt=OuterRef("source")) | Q(
        source=OuterRef("source"), external_key__lt=OuterRef("external_key")
    )
    same_team = items.annotate(slot=team).filter(
        earlier, slot=Coalesce(OuterRef("team_id"), Value(0))
    )
    counted = same_team.order_by().values("workspace").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


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
    """A person to their edit page for those who may edit them; others, who have no page of a
    person, to the page of the people list that shows them, narrowed to their team, function
    and status. Someone erased is not found: nothing of them is left to show."""
    slug = membership.workspace.slug
    rows = membership.workspace.people.filter(erased=False).select_related("team")
    found = matching(rows, ["name", "email", "title"], words)
    if not membership.can_write:
        found = found.annotate(before=people_listed_before(membership.workspace.people.all()))

    def url(person) -> str:
        if membership.can_write:
            return reverse("edit_person", args=[slug, person.pk])
        status = "active" if person.active else "inactive"
        team = person.team_id or "none"
        page = person.before // PEOPLE_PAGE + 1
        filters = f"status={status}&team={team}&function={person.function}&page={page}"
        return f"{reverse('people', args=[slug])}?{filters}"

    def detail(person) -> str:
        # Marked as on the people page: someone deactivated looks like a colleague otherwise.
        left = "" if person.active else "deactivated"
        return " · ".join(
            filter(None, [left, person.title, person.team.name if person.team else ""])
        )

    return [Hit(p.name, detail(p), url(p)) for p in found.order_by("name", "pk")[: PER_KIND + 1]]


def people_listed_before(rows: QuerySet) -> Subquery:
    """How many people the people list, narrowed to this person's team, function and status,
    shows before them (it is in order of name)."""
    team = Coalesce("team_id", Value(0))
    alike = (
        rows.filter(
            erased=False,
            active=OuterRef("active"),
            function=OuterRef("function"),
            name__lt=OuterRef("name"),
        )
        .annotate(slot=team)
        .filter(slot=Coalesce(OuterRef("team_id"), Value(0)))
    )
    counted = alike.order_by().values("workspace").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


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
    """A decision by its own words; inside the organisation also by what its comments say,
    with the words of the first matching comment. Comments are never searched for partners:
    they are attributed and internal, and a partner's decision page does not show them."""
    slug = membership.workspace.slug
    fields = ["title", "question", "context", "outcome", "rationale", "consequences"]
    rows = membership.workspace.decisions.all()
    if not membership.can_read_internal:  # the log's rule (decisions.views.visible)
        rows = rows.filter(shared_with_partners=True)
        found = matching(rows, fields, words).annotate(comment=Value(""))
    else:
        # Through the decisions, as search reads each app through the workspace's relations.
        said = rows.filter(pk=OuterRef("pk"), comments__text__icontains=words)
        first_said = said.order_by("comments__created_at", "comments__pk").values("comments__text")
        found = rows.annotate(comment=Subquery(first_said[:1])).filter(
            saying(fields, words) | Q(comment__isnull=False)
        )

    def detail(d) -> str:
        when = f", {date_format(d.decided_on)}" if d.decided_on else ""
        said = f" · comment: “{excerpt(d.comment, words)}”" if d.comment else ""
        return f"{d.get_status_display()}{when}{said}"

    def url(d) -> str:
        page = reverse("decision", args=[slug, d.number])
        return f"{page}#comments" if d.comment else page

    return [
        Hit(f"{d.number}. {d.title}", detail(d), url(d))
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


def excerpt(text: str, words: str, most: int = 120) -> str:
    """About `most` characters of `text` around the first place it says `words`, so that a
    match deep in a long comment is seen."""
    text = " ".join(text.split())
    at = max(text.lower().find(words.lower()), 0)
    start = max(0, min(at - most // 3, len(text) - most))
    cut = text[start : start + most]
    return ("…" if start else "") + cut + ("…" if start + most < len(text) else "")


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
