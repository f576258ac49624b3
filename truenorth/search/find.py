"""Search across a workspace's goals, initiatives, work items, claims, customer feedback,
check-ins, people, teams, decisions, updates and glossary terms.

Each kind is one query: every word searched for, in any order, in one of the fields people type
into a search box (titles, keys, names, descriptions); words.py folds plural and verb endings,
and a short word matches only where a word starts, a word of two letters only as a whole word.
Results named by the very words searched for come first, and the kinds they are in. At the size
of one organisation that is fast enough and finds what a person expects; nothing is indexed
ahead. Each kind is searched only for the roles whose pages show it, with the same rules as
those pages (partners: only the initiatives and decisions shared with them, and the partners'
version of published updates, never a decision's comments nor customer feedback; check-in
results: owners, editors and viewers). No check-in answer is searched, not even where a term's
reading quotes one. Each hit links to the item's own page, or, where it has none for that
reader, to the page of its list that shows it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localdate

from truenorth.roadmap.views import visible_initiatives
from truenorth.search.words import is_short, is_tiny, suggestion, vocabulary, words_of
from truenorth.sending import in_quotes
from truenorth.workspaces.models import Membership

MIN_CHARS = 2  # one letter would match nearly everything
MAX_CHARS = 200  # longer is a paste by mistake, not a search
PER_KIND = 20  # a search narrows; a longer list means the words should be more precise
PEOPLE_PAGE = 100  # people on a page of the people list (workspaces.people_views.people)
BEST = 5  # best matches listed above the kinds
# Read the same by SQLite (Python's re) and PostgreSQL.
WORD_START = "(^|[^a-zA-Z0-9])"
WORD_END = "([^a-zA-Z0-9]|$)"

# How well a result fits the search, best first: its name is the words searched for; its name holds
# every word; some other field does.
NAMED, IN_NAME, ELSEWHERE = 0, 1, 2


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str
    fit: int = ELSEWHERE  # NAMED, IN_NAME or ELSEWHERE

    def as_dict(self) -> dict:
        return {"title": self.title, "detail": self.detail, "url": self.url}


@dataclass(frozen=True)
class Group:
    kind: str  # "goals", "initiatives" …: the JSON's key and the section's id
    label: str
    hits: list[Hit]
    more: bool  # more than PER_KIND matched; only the first are listed

    @property
    def fit(self) -> int:
        """Its best hit's fit; after every fit when it has none."""
        return min((hit.fit for hit in self.hits), default=ELSEWHERE + 1)

    def as_dict(self) -> dict:
        return {"label": self.label, "more": self.more, "hits": [h.as_dict() for h in self.hits]}


def matching(rows: QuerySet, fields: list[str], names: list[str], words: str) -> QuerySet:
    """The rows saying every word in one of `fields`, each with its `fit` by its `names` (the
    fields its result is titled by)."""
    return rows.filter(saying(fields, words)).annotate(fit=fitting(names, words))


def saying(fields: list[str], words: str) -> Q:
    """Every word in one of the fields, not necessarily the same one for each word."""
    return reduce(and_, (said_in(fields, word) for word in words_of(words)), Q())


def said_in(fields: list[str], word: str) -> Q:
    return reduce(or_, (said(field, word) for field in fields))


def said(field: str, word: str) -> Q:
    """A long word anywhere in the field, a short one where a word starts, a tiny one as a
    whole word."""
    if is_tiny(word):
        return Q(**{f"{field}__iregex": WORD_START + re.escape(word) + WORD_END})
    if is_short(word):
        return Q(**{f"{field}__iregex": WORD_START + re.escape(word)})
    return Q(**{f"{field}__icontains": word})


def fitting(names: list[str], words: str, named: Q | None = None) -> Case:
    """NAMED where a name is the words searched for (or `named` holds), IN_NAME where the
    names say every word, else ELSEWHERE."""
    phrase = " ".join(words.split())
    exactly = reduce(or_, (Q(**{f"{name}__iexact": phrase}) for name in names))
    if named is not None:
        exactly |= named
    return Case(
        When(exactly, then=Value(NAMED)),
        When(saying(names, words), then=Value(IN_NAME)),
        default=Value(ELSEWHERE),
    )


def goals(membership: Membership, words: str) -> list[Hit]:
    """A goal by its words and by its other names ("Also called" on the goals page); one of
    them being the words searched for makes the goal a best match."""
    slug = membership.workspace.slug
    fields = ["title", "other_names", "why", "metric", "target"]
    # Other names are a JSON list, searched as its text, where each name is quoted:
    # '["go-live", "time to go-live"]'.
    rows = membership.workspace.goals.annotate(other_names=Cast("names", TextField()))
    named = Q(other_names__icontains=f'"{" ".join(words.split())}"')
    found = rows.filter(saying(fields, words))
    found = found.annotate(fit=fitting(["title", "other_names"], words, named))
    return [
        Hit(
            f"#{g.rank} {g.title}",
            g.period,
            f"{reverse('goals', args=[slug])}#goal-{g.pk}",
            g.fit,
        )
        for g in found.order_by("fit", "rank")[: PER_KIND + 1]
    ]


def initiatives(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    found = matching(
        visible_initiatives(membership), ["key", "title", "problem"], ["key", "title"], words
    )
    return [
        Hit(
            f"{i.key} {i.title}".strip(),
            i.get_status_display(),
            reverse("initiative", args=[slug, i.pk]),
            i.fit,
        )
        for i in found.order_by("fit", "title", "pk")[: PER_KIND + 1]
    ]


def work_items(membership: Membership, words: str) -> list[Hit]:
    """A work item to its page, which links to the item in its tracker."""
    workspace = membership.workspace
    keyed = ["external_key", "title"]
    found = matching(workspace.work_items.select_related("initiative"), keyed, keyed, words)
    return [
        Hit(
            f"{item.external_key} {item.title}",
            f"serves {in_quotes(item.initiative.title)}" if item.initiative else item.status,
            reverse("work_item", args=[workspace.slug, item.pk]),
            item.fit,
        )
        for item in found.order_by("fit", "external_key", "pk")[: PER_KIND + 1]
    ]


def claims(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    fields = ["text", "account", "said_by_name", "said_by__name"]
    found = matching(membership.workspace.claims.select_related("said_by"), fields, ["text"], words)
    return [
        Hit(
            claim.text,
            f"{claim.account}, {date_format(claim.said_on)}"
            + (f" · {claim.get_verdict_display()}" if claim.verdict else ""),
            reverse("account_claims", args=[slug, claim.account]),
            claim.fit,
        )
        for claim in found.order_by("fit", "-said_on", "-pk")[: PER_KIND + 1]
    ]


# A field note written in the app is keyed by a random id (feedback.actions.new_key): no name.
MADE_UP_KEY = re.compile(r"field-[0-9a-f]{32}")


def feedback(membership: Membership, words: str) -> list[Hit]:
    """What a customer said, by its words, its ticket's subject, its key at the source, its
    account and the competitor it compares us with; to its page, which names its theme."""
    slug = membership.workspace.slug
    fields = ["source_key", "title", "text", "account", "competitor"]
    found = matching(membership.workspace.feedback.all(), fields, ["source_key", "title"], words)

    def title(item) -> str:
        key = "" if MADE_UP_KEY.fullmatch(item.source_key) else item.source_key
        named = item.title or shortened(" ".join(item.text.split()), 80)
        return f"{' '.join(filter(None, [item.get_source_display(), key]))}: {named}"

    def detail(item) -> str:
        said = f"“{excerpt(item.text, words)}”"
        return " · ".join(filter(None, [item.account, date_format(item.received_on), said]))

    return [
        Hit(title(i), detail(i), reverse("feedback_item", args=[slug, i.pk]), i.fit)
        for i in found.order_by("fit", "-received_on", "-pk")[: PER_KIND + 1]
    ]


def checkins(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    found = matching(membership.workspace.checkins, ["title"], ["title"], words)
    return [
        Hit(
            c.title,
            f"{date_format(localdate(c.opens_at))} to {date_format(localdate(c.closes_at))}",
            reverse("checkin", args=[slug, c.pk]),
            c.fit,
        )
        for c in found.order_by("fit", "-opens_at")[: PER_KIND + 1]
    ]


def people(membership: Membership, words: str) -> list[Hit]:
    """A person to their edit page for those who may edit them; others, who have no page of a
    person, to the page of the people list that shows them, narrowed to their team, function
    and status. Someone erased is not found: nothing of them is left to show."""
    slug = membership.workspace.slug
    rows = visible_people(membership).select_related("team")
    found = matching(rows, ["name", "email", "title"], ["name", "email"], words)
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

    found = found.order_by("fit", "name", "pk")
    return [Hit(p.name, detail(p), url(p), p.fit) for p in found[: PER_KIND + 1]]


def visible_people(membership: Membership) -> QuerySet:
    return membership.workspace.people.filter(erased=False)


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
    found = matching(membership.workspace.teams.select_related("parent"), ["name"], ["name"], words)

    def url(team) -> str:
        if membership.can_write:
            return reverse("edit_team", args=[slug, team.pk])
        return f"{reverse('people', args=[slug])}?team={team.pk}"

    def detail(team) -> str:
        counted = f"{team.active_people} {'person' if team.active_people == 1 else 'people'}"
        within = f"within {team.parent.name}" if team.parent else ""
        return " · ".join(filter(None, [counted, within, "archived" if team.archived else ""]))

    found = found.annotate(active_people=in_team).order_by("fit", "name", "pk")
    return [Hit(t.name, detail(t), url(t), t.fit) for t in found[: PER_KIND + 1]]


def decisions(membership: Membership, words: str) -> list[Hit]:
    """A decision by its own words; inside the organisation also by what its comments say,
    with the words of the first matching comment. Comments are never searched for partners:
    they are attributed and internal, and a partner's decision page does not show them."""
    slug = membership.workspace.slug
    fields = ["title", "question", "context", "outcome", "rationale", "consequences"]
    rows = visible_decisions(membership)
    if not membership.can_read_internal:
        found = matching(rows, fields, ["title"], words).annotate(comment=Value(""))
    else:
        # Through the decisions, as search reads each app through the workspace's relations.
        def commented(word: str) -> Q:
            return Q(Exists(rows.filter(said("comments__text", word), pk=OuterRef("pk"))))

        stems = words_of(words)
        said_any = reduce(or_, (said("comments__text", word) for word in stems))
        first_said = (
            rows.filter(said_any, pk=OuterRef("pk"))
            .order_by("comments__created_at", "comments__pk")
            .values("comments__text")
        )
        each_word = reduce(and_, (said_in(fields, word) | commented(word) for word in stems))
        found = rows.filter(each_word).annotate(
            comment=Subquery(first_said[:1]), fit=fitting(["title"], words)
        )

    def detail(d) -> str:
        when = f", {date_format(d.decided_on)}" if d.decided_on else ""
        said = f" · comment: “{excerpt(d.comment, words)}”" if d.comment else ""
        return f"{d.get_status_display()}{when}{said}"

    def url(d) -> str:
        page = reverse("decision", args=[slug, d.number])
        return f"{page}#comments" if d.comment else page

    return [
        Hit(f"{d.number}. {d.title}", detail(d), url(d), d.fit)
        for d in found.order_by("fit", "-number")[: PER_KIND + 1]
    ]


def visible_decisions(membership: Membership) -> QuerySet:
    rows = membership.workspace.decisions.all()
    if not membership.can_read_internal:  # the log's rule (decisions.views.visible)
        rows = rows.filter(shared_with_partners=True)
    return rows


def updates(membership: Membership, words: str) -> list[Hit]:
    """Inside the organisation an update's title and narrative, to its page; partners the title
    and the note written for them in published ones, to their version (they never read the
    narrative)."""
    slug = membership.workspace.slug
    internal = membership.can_read_internal
    fields = ["title", "narrative"] if internal else ["title", "partner_note"]
    found = matching(visible_updates(membership), fields, ["title"], words)

    def url(update) -> str:
        if internal:
            return reverse("update", args=[slug, update.number])
        return reverse("update_version", args=[slug, update.number, "partners"])

    def detail(update) -> str:
        period = f"{date_format(update.period_start)} to {date_format(update.period_end)}"
        return period if update.is_published else f"{period} · draft"

    return [
        Hit(f"Update {u.number}: {u.title}", detail(u), url(u), u.fit)
        for u in found.order_by("fit", "-number")[: PER_KIND + 1]
    ]


def visible_updates(membership: Membership) -> QuerySet:
    """As updates.views.visible: drafts are editors', and partners do not find an update whose
    partners' version was withdrawn."""
    rows = membership.workspace.updates.all()
    if not membership.can_write:
        rows = rows.filter(published_at__isnull=False)
    if not membership.can_read_internal:
        rows = rows.filter(withdrawn_from_partners_at__isnull=True)
    return rows


def terms(membership: Membership, words: str) -> list[Hit]:
    slug = membership.workspace.slug
    fields = ["name", "canonical_definition"]
    found = matching(membership.workspace.terms.all(), fields, ["name"], words)
    return [
        Hit(t.name, shortened(t.canonical_definition), reverse("term", args=[slug, t.pk]), t.fit)
        for t in found.order_by("fit", "name", "pk")[: PER_KIND + 1]
    ]


def shortened(text: str, most: int = 120) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def excerpt(text: str, words: str, most: int = 120) -> str:
    """About `most` characters of `text` around the first place it says one of `words`, so
    that a match deep in a long comment is seen."""
    text = " ".join(text.split())
    places = [text.lower().find(word) for word in words_of(words)]
    at = min((place for place in places if place >= 0), default=0)
    start = max(0, min(at - most // 3, len(text) - most))
    cut = text[start : start + most]
    return ("…" if start else "") + cut + ("…" if start + most < len(text) else "")


# kind → (label, may this membership see it, search)
KINDS: dict[str, tuple[str, Callable[[Membership], bool], Callable]] = {
    "goals": ("Goals", lambda m: m.can_read_internal, goals),
    "initiatives": ("Initiatives", lambda m: True, initiatives),
    "work_items": ("Work items", lambda m: m.can_read_internal, work_items),
    "claims": ("Claims", lambda m: m.can_read_internal, claims),
    # Everyone inside, as the feedback pages (feedback.views: INTERNAL); partners get a 403 there.
    "feedback": ("Customer feedback", lambda m: m.can_read_internal, feedback),
    "checkins": ("Check-ins", lambda m: m.can_read_results, checkins),
    "people": ("People", lambda m: m.can_read_internal, people),
    "teams": ("Teams", lambda m: m.can_read_internal, teams),
    "decisions": ("Decisions", lambda m: True, decisions),
    "updates": ("Updates", lambda m: True, updates),
    "terms": ("Glossary terms", lambda m: m.can_read_internal, terms),
}


# kind → the visible rows and the fields that name them, for the words a search may suggest
NAMES: dict[str, tuple[Callable[[Membership], QuerySet], list[str]]] = {
    "goals": (lambda m: m.workspace.goals.all(), ["title", "names"]),
    "initiatives": (visible_initiatives, ["title"]),
    "work_items": (lambda m: m.workspace.work_items.all(), ["title"]),
    "claims": (lambda m: m.workspace.claims.all(), ["account"]),
    # Each account once: an inbox holds many items of one account.
    "feedback": (lambda m: m.workspace.feedback.order_by().distinct(), ["account"]),
    "checkins": (lambda m: m.workspace.checkins.all(), ["title"]),
    "people": (visible_people, ["name"]),
    "teams": (lambda m: m.workspace.teams.all(), ["name"]),
    "decisions": (visible_decisions, ["title"]),
    "updates": (visible_updates, ["title"]),
    "terms": (lambda m: m.workspace.terms.all(), ["name"]),
}


@dataclass(frozen=True)
class Found:
    groups: list[Group]  # those with hits, best fit first, then those without
    best: list[tuple[Group, Hit]]  # the first BEST hits named by the very words searched for
    suggestion: str  # when nothing is found, near words of the workspace that find something

    @property
    def with_hits(self) -> list[Group]:
        return [group for group in self.groups if group.hits]

    @property
    def without_hits(self) -> list[Group]:
        return [group for group in self.groups if not group.hits]

    def as_dict(self) -> dict:
        return {
            "best": [{"kind": group.kind, **hit.as_dict()} for group, hit in self.best],
            "suggestion": self.suggestion or None,
            "results": {group.kind: group.as_dict() for group in self.groups},
        }


def search(membership: Membership, words: str) -> Found:
    """Every kind the membership may see, with its first PER_KIND matches (maybe none)."""
    groups = sorted(searched(membership, words), key=lambda group: group.fit)
    best = [(g, hit) for g in groups for hit in g.hits if hit.fit == NAMED][:BEST]
    found_any = any(group.hits for group in groups)
    return Found(groups, best, "" if found_any else suggested(membership, words))


def searched(membership: Membership, words: str) -> list[Group]:
    groups = []
    for kind, (label, may_see, find) in KINDS.items():
        if may_see(membership):
            hits = find(membership, words)
            groups.append(Group(kind, label, hits[:PER_KIND], len(hits) > PER_KIND))
    return groups


def suggested(membership: Membership, words: str) -> str:
    """Words near those searched for, from the names of what this membership may see, that
    find something; "" when there are none."""
    near = suggestion(words, known_words(membership))
    if near and any(group.hits for group in searched(membership, near)):
        return near
    return ""


def known_words(membership: Membership) -> set[str]:
    texts: list[str] = []
    for kind, (rows, fields) in NAMES.items():
        if KINDS[kind][1](membership):
            for values in rows(membership).values_list(*fields):
                for value in values:
                    texts.extend(value if isinstance(value, list) else [value or ""])
    return vocabulary(texts)
