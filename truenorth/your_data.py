"""The account's "Your data" page and its JSON twin: what truenorth holds about the logged-in
person, in each workspace their login opens, and whom to ask to be forgotten (docs/privacy.md).

It reads every app that keeps something of a person (people, logins and API tokens, calendar
links, notification choices, attributed check-in answers, and every record that names the person
or the login: KINDS), so it sits above them all. Only the login's own rows are read: nothing
here takes an id from the request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Count, F, Model, Q, Value, Window
from django.db.models.functions import RowNumber
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.checkins.models import CheckIn, Invitation, Response
from truenorth.claims.models import Claim
from truenorth.decisions.models import Comment, Decision
from truenorth.feedback.models import FeedbackItem, NeedLink
from truenorth.glossary.models import Definition, Term
from truenorth.notifications import audience
from truenorth.notifications.models import Event, Webhook
from truenorth.refusals import login_required, read_only
from truenorth.rituals import recurrence
from truenorth.rituals.models import Attendance, CalendarFeed, Ritual
from truenorth.roadmap.models import InitiativeChange, MilestoneChange
from truenorth.strategy.models import Vision
from truenorth.updates.models import Update, UpdateBackBrief, UpdateSending
from truenorth.work.models import ImportRun, LinkSuggestion
from truenorth.workspaces import first_run
from truenorth.workspaces.models import (
    LOGIN_LINK,
    LOGIN_ROLE,
    MailServer,
    Membership,
    Person,
    Role,
    SettingChange,
    WaitingInvitation,
)
from truenorth.workspaces.people import ERASED_NAME

HEARS = {audience.ALL: "all", audience.NONE: "none", audience.INVOLVED: "those you are part of"}

ANONYMOUS = (
    "Your answers to anonymous check-ins are not listed: they are not linked to you. Each is "
    "stored with no name, no time and random ids; your personal link itself is not stored, and "
    "the invitation and the answers each keep a different keyed hash of it, so without the link "
    "nobody can tell which answers are yours. What is kept about you is that you were asked and "
    "whether you answered, which the check-in's counts need. Until a check-in's results are "
    "published its answers carry their author's function and team; after, only a function and "
    "team shared by at least the anonymity threshold of answers, or none. Erasing you leaves "
    "them as they are."
)

# What erasing a person does (truenorth.workspaces.people.erase), in the page's words.
ERASURE = {
    "removed": [
        "your name, address and job title",
        "your manager links, both ways: nobody reports to you, you report to nobody",
        "your login's access to the workspace; a login then in no workspace also loses its "
        "name and address, stops working, and its API tokens are revoked",
        "the text of your answers in check-ins that name you",
        "your place in the lists of people rituals ask, your notification choices and your "
        "calendar links",
        "invitations to a login waiting for your address",
    ],
    "kept": [
        f"the records above that name you, now naming “{ERASED_NAME}”: decisions, your "
        "comments with their words, claims, feedback, glossary terms, rituals and the sessions "
        "you came to; an editor can change their texts",
        "your scores in check-ins, so averages do not move, and that you were asked and "
        "answered, so published counts stay",
        "your team and function: published figures are broken down by them",
        "quotes of your words in reports already published, without a name, as every quote is",
        "your anonymous answers: they were never linked to you",
        "records your login made, under its name; if it opens no other workspace it is "
        "renamed “erased-…” first",
        "the workspace's history, which records that someone was erased, never whom; its rows "
        "naming your login or address say “an erased person's login” or “an erased person's "
        "address” instead",
    ],
}


def login_of(user) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "password_set": user.has_usable_password(),
    }


def tokens_of(user) -> list[dict]:
    """Names and dates, never a token: only its hash is stored, and not shown either."""
    return [
        {
            "name": t.name,
            "scope": t.scope,
            "created": t.created_at,
            "expires": t.expires_at,
            "last_used": t.last_used_at,
            "revoked": t.revoked_at,
        }
        for t in user.api_tokens.all()
    ]


def person_of(person) -> dict:
    return {
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "team": person.team.name if person.team else None,
        "function": person.get_function_display(),
        "manager": person.manager.name if person.manager and not person.manager.erased else None,
        "still_here": person.active,
    }


def calendar_links(person) -> list[dict]:
    found = CalendarFeed.objects.filter(person=person)
    return [
        {
            "created": f.created_at,
            "last_read": f.last_read_at,
            "revoked": f.revoked_at,
        }
        for f in found
    ]


def notification_choices(person) -> list[dict]:
    """What they hear of by email, each kind of event, and whether they chose it."""
    chosen = set(person.notification_preferences.values_list("event", flat=True))
    hears = audience.preferences(person)
    return [
        {
            "event": value,
            "label": str(label),
            "by_email": HEARS[hears[value]],
            "chosen": value in chosen,
        }
        for value, label in Event.choices
    ]


def attributed_answers(person) -> list[dict]:
    """Their answers in check-ins that told them their name goes with them: only those."""
    responses = Response.objects.filter(person=person, checkin__anonymous=False)
    responses = responses.select_related("checkin").prefetch_related("answers__question")
    return [
        {
            "checkin": r.checkin.title,
            "submitted": r.submitted_at,
            "answers": [
                {
                    "question": a.question.prompt,
                    "answer": a.text if a.value is None else str(a.value),
                }
                for a in sorted(r.answers.all(), key=lambda a: a.question.position)
            ],
        }
        for r in responses.order_by("-checkin__opens_at")
    ]


def anonymous_invitations(person) -> dict:
    asked = Invitation.objects.filter(person=person, checkin__anonymous=True)
    return {"asked": asked.count(), "answered": asked.filter(responded=True).count()}


# --- Every record that names the person, or the login, in each workspace ---

LISTED = 10  # of each kind, the most recent listed; the rest counted


def day(moment) -> str:
    if moment is None:
        return ""
    return date_format(timezone.localdate(moment) if hasattr(moment, "hour") else moment)


def cut(text: str, most: int = 200) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def at(name: str, *args) -> Callable[[Any, str], str]:
    """A link to the page `name` of the row's workspace, its arguments read from the row."""

    def link(row, slug: str) -> str:
        return reverse(name, args=[slug, *(attribute(row, a) for a in args)])

    return link


def attribute(row, dotted: str):
    for part in dotted.split("."):
        row = getattr(row, part)
    return row


def no_link(row, slug: str) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    """One kind of record that names a person (`person`, the field) or a login (`login`):
    counted in each workspace (`workspace`, the path to it; "" for the login's own, outside any
    workspace), the most recent listed as `said`, linked by `link`."""

    key: str  # its key in data.json
    label: str  # the page's heading, followed by the count
    model: type[Model]
    said: Callable[[Any], str]
    person: str = ""
    login: str = ""
    workspace: str = "workspace"
    related: tuple[str, ...] = ()
    link: Callable[[Any, str], str | None] = no_link
    # Rows naming the login in their text rather than by a key (the settings history).
    by_name: Callable[[Any], Q] | None = None


def decision(row) -> str:
    return f"Decision {row.number}: {row.title}"


def attendance(row) -> str:
    came = "came" if row.attended else "did not come"
    worth = {True: "worth it", False: "not worth it", None: "not rated"}[row.worth_it]
    started = recurrence.local(row.occurrence.ritual, row.occurrence.starts_at)
    return f"{row.occurrence.ritual.name}, {date_format(started.date())}: {came}, {worth}"


def claim(row) -> str:
    return f"{row.account}, {day(row.said_on)}: “{cut(row.text)}”"


def need_link(row) -> str:
    target = row.initiative or row.goal
    decided = "accepted" if row.accepted else "rejected"
    return f"{row.item.title} → {target.title if target else 'nothing'}: {decided}"


def history(row) -> str:
    return f"{row}, {day(row.changed_at)}"


def login_named(user) -> Q:
    """The history's rows of logins linked and given roles ("login: name", "login: role")."""
    named = Q(old_value__istartswith=f"{user.username}: ")
    named |= Q(new_value__istartswith=f"{user.username}: ")
    return Q(setting__in=(LOGIN_LINK, LOGIN_ROLE)) & named


def calendar_made(row) -> str:
    whose = "the whole workspace's calendar" if row.person_id is None else "a person's calendar"
    return f"{whose}, made {day(row.created_at)}"


DECIDES = Decision.deciders.through
CONSULTED = Decision.consulted.through
INFORMED = Decision.informed.through
ASKED = Ritual.people.through
# Every foreign key and many-to-many to Person or to the login is one of these, or shown
# above them (SHOWN_APART); tests/test_your_data.py checks that none is left out.
KINDS = [
    Kind(
        "decisions_owned",
        "Decisions you own",
        Decision,
        decision,
        person="owner",
        link=at("decision", "number"),
    ),
    Kind(
        "decisions_deciding",
        "Decisions that list you among those who decide",
        DECIDES,
        lambda r: decision(r.decision),
        person="person",
        link=at("decision", "decision.number"),
        workspace="decision__workspace",
        related=("decision",),
    ),
    Kind(
        "decisions_consulted",
        "Decisions that list you as consulted",
        CONSULTED,
        lambda r: decision(r.decision),
        person="person",
        link=at("decision", "decision.number"),
        workspace="decision__workspace",
        related=("decision",),
    ),
    Kind(
        "decisions_informed",
        "Decisions that list you as informed",
        INFORMED,
        lambda r: decision(r.decision),
        person="person",
        link=at("decision", "decision.number"),
        workspace="decision__workspace",
        related=("decision",),
    ),
    Kind(
        "decision_comments",
        "Your comments on decisions",
        Comment,
        lambda r: f"{decision(r.decision)}: “{cut(r.text)}”",
        person="author",
        login="written_by",
        link=at("decision", "decision.number"),
        workspace="decision__workspace",
        related=("decision",),
    ),
    Kind(
        "decisions_recorded",
        "Decisions your login recorded",
        Decision,
        decision,
        login="created_by",
        link=at("decision", "number"),
    ),
    Kind(
        "rituals_owned",
        "Rituals you own",
        Ritual,
        lambda r: r.name,
        person="owner",
        link=at("ritual", "number"),
    ),
    Kind(
        "rituals_asking",
        "Rituals that ask you by name",
        ASKED,
        lambda r: r.ritual.name,
        person="person",
        workspace="ritual__workspace",
        related=("ritual",),
        link=at("ritual", "ritual.number"),
    ),
    Kind(
        "ritual_sessions",
        "Ritual sessions you came to or rated",
        Attendance,
        attendance,
        person="person",
        workspace="occurrence__ritual__workspace",
        related=("occurrence__ritual",),
        link=at("ritual", "occurrence.ritual.number"),
    ),
    Kind(
        "rituals_set_up",
        "Rituals your login set up",
        Ritual,
        lambda r: r.name,
        login="created_by",
        link=at("ritual", "number"),
    ),
    Kind(
        "claims_said",
        "Claims said by you",
        Claim,
        claim,
        person="said_by",
        link=at("person_claims", "said_by_id"),
    ),
    Kind("claims_recorded", "Claims your login recorded", Claim, claim, login="created_by"),
    Kind(
        "feedback_heard",
        "Feedback you heard",
        FeedbackItem,
        lambda r: r.title,
        person="heard_by",
        link=at("feedback_item", "pk"),
    ),
    Kind(
        "feedback_recorded",
        "Feedback your login recorded",
        FeedbackItem,
        lambda r: r.title,
        login="created_by",
        link=at("feedback_item", "pk"),
    ),
    Kind(
        "feedback_links_decided",
        "Feedback links to the roadmap your login accepted or rejected",
        NeedLink,
        need_link,
        login="decided_by",
        workspace="item__workspace",
        related=("item", "initiative", "goal"),
        link=at("feedback_item", "item_id"),
    ),
    Kind(
        "terms_owned",
        "Glossary terms you own",
        Term,
        lambda r: r.name,
        person="owner",
        link=at("term", "pk"),
    ),
    Kind(
        "terms_added",
        "Glossary terms your login added",
        Term,
        lambda r: r.name,
        login="created_by",
        link=at("term", "pk"),
    ),
    Kind(
        "definitions_written",
        "Glossary definitions your login wrote",
        Definition,
        lambda r: f"{r.term.name}: “{cut(r.text)}”",
        login="written_by",
        workspace="term__workspace",
        related=("term",),
        link=at("term", "term_id"),
    ),
    Kind(
        "reports",
        "People who have you as their manager",
        Person,
        lambda r: r.name,
        person="manager",
    ),
    Kind(
        "checkin_invitations",
        "Check-ins that asked you",
        Invitation,
        lambda r: f"{r.checkin.title}: {'answered' if r.responded else 'not answered'}",
        person="person",
        workspace="checkin__workspace",
        related=("checkin",),
    ),
    Kind(
        "checkins_set_up",
        "Check-ins your login set up",
        CheckIn,
        lambda r: r.title,
        login="created_by",
        link=at("checkin", "pk"),
    ),
    Kind(
        "waiting_invitations",
        "Invitations to a login, waiting for you",
        WaitingInvitation,
        lambda r: f"as {r.role}, since {day(r.created_at)}",
        person="person",
    ),
    Kind(
        "history_naming_you",
        "The workspace's history, where it names you or your login",
        SettingChange,
        history,
        person="person",
        by_name=login_named,
    ),
    Kind(
        "history_by_you",
        "Changes your login made that the workspace's history records",
        SettingChange,
        history,
        login="changed_by",
    ),
    Kind(
        "visions_written",
        "Versions of the vision your login wrote",
        Vision,
        lambda r: f"Version {r.number}, {day(r.created_at)}",
        login="created_by",
        link=at("vision_version", "number"),
    ),
    Kind(
        "roadmap_changes",
        "Roadmap changes your login made",
        InitiativeChange,
        lambda r: f"{r.initiative.title}: {r}, {day(r.changed_at)}",
        login="changed_by",
        workspace="initiative__workspace",
        related=("initiative",),
        link=at("initiative", "initiative_id"),
    ),
    Kind(
        "milestones_moved",
        "Milestone dates your login moved",
        MilestoneChange,
        lambda r: (
            f"{r.milestone.initiative.title}, {r.milestone.name}: {day(r.old_target)} → "
            f"{day(r.new_target)}"
        ),
        login="changed_by",
        workspace="milestone__initiative__workspace",
        related=("milestone__initiative",),
        link=at("initiative", "milestone.initiative_id"),
    ),
    Kind(
        "work_links_decided",
        "Work item links your login accepted or rejected",
        LinkSuggestion,
        lambda r: f"{r.item.external_key} {r.item.title}: {r.decision}",
        login="decided_by",
        workspace="item__workspace",
        related=("item",),
    ),
    Kind(
        "work_imports",
        "Work imports your login ran",
        ImportRun,
        lambda r: f"{r.file_name}, {day(r.created_at)}",
        login="created_by",
        link=at("work_import_run", "pk"),
    ),
    Kind(
        "updates_written",
        "Updates your login wrote",
        Update,
        lambda r: f"Update {r.number}: {r.title}",
        login="created_by",
        link=at("update", "number"),
    ),
    Kind(
        "updates_withdrawn",
        "Updates your login withdrew from partners",
        Update,
        lambda r: f"Update {r.number}: {r.title}",
        login="withdrawn_from_partners_by",
        link=at("update", "number"),
    ),
    Kind(
        "updates_sent",
        "Sendings of updates your login started",
        UpdateSending,
        lambda r: (
            f"Update {r.update.number}: {r.update.title}, to {r.get_audience_display()}"
            f" by {r.get_channel_display()}"
        ),
        login="by",
        link=at("update", "update.number"),
        workspace="update__workspace",
        related=("update",),
    ),
    Kind(
        "update_back_briefs",
        "Back-briefs of updates your login asked for",
        UpdateBackBrief,
        lambda r: f"Update {r.update.number}: {r.update.title}, {r.get_audience_display()}",
        login="by",
        link=at("update", "update.number"),
        workspace="update__workspace",
        related=("update",),
    ),
    Kind(
        "calendar_links_made",
        "Calendar links your login made",
        CalendarFeed,
        calendar_made,
        login="created_by",
    ),
    Kind(
        "webhooks_added",
        "Webhooks your login added",
        Webhook,
        lambda r: f"{r.name} ({r.host})",
        login="created_by",
        link=lambda r, slug: reverse("notification_webhooks", args=[slug]),
    ),
    # The login's own, in no workspace.
    Kind(
        "administration_changes",
        "Changes your login made in the administration pages",
        LogEntry,
        lambda r: f"{r.object_repr}: {r.get_change_message() or r}, {day(r.action_time)}",
        login="user",
        workspace="",
    ),
    Kind(
        "mail_server_saved",
        "Mail server settings your login saved",
        MailServer,
        lambda r: f"{r.host}:{r.port}, {day(r.changed_at)}",
        login="changed_by",
        workspace="",
    ),
]

# Kept of a person or a login and shown above the records, each in its own words.
SHOWN_APART = {
    "workspaces.Membership.user": "the role in each workspace",
    "workspaces.Membership.person": "the person record",
    "checkins.Response.person": "the answers in check-ins that name their people, in full",
    "notifications.Preference.person": "what they hear of by email",
    "rituals.CalendarFeed.person": "their calendar links",
    "api.ApiToken.user": "the login's API tokens",
}


def records(user, people: list[int], slugs: dict[int, str]) -> dict[int, dict[str, dict]]:
    """Each kind found, by workspace id (0: the login's own, in none): its label, count, the
    LISTED most recent (title, link) and how many more. One query a kind, however many rows
    and workspaces."""
    found: dict[int, dict[str, dict]] = {pk: {} for pk in [0, *slugs]}
    for kind in KINDS:
        named = Q(pk__in=[])
        if kind.person:
            named |= Q(**{f"{kind.person}__in": people})
        if kind.login:
            named |= Q(**{kind.login: user})
        if kind.by_name:
            named |= kind.by_name(user)
        rows = kind.model.objects.filter(named)
        place = F(f"{kind.workspace}_id") if kind.workspace else Value(0)
        if kind.workspace:
            rows = rows.filter(**{f"{kind.workspace}__in": list(slugs)})
        partition = place if kind.workspace else None
        rows = rows.select_related(*kind.related).annotate(
            where=place,
            total=Window(Count("pk"), partition_by=partition),
            rank=Window(RowNumber(), partition_by=partition, order_by=F("pk").desc()),
        )
        for row in rows.filter(rank__lte=LISTED).order_by("-pk"):
            shown = found[row.where].setdefault(
                kind.key, {"label": kind.label, "count": row.total, "items": [], "more": 0}
            )
            url = kind.link(row, slugs[row.where]) if kind.workspace else None
            shown["items"].append({"title": kind.said(row), "url": url})
            shown["more"] = row.total - len(shown["items"])
    return found


def owners_by_workspace(workspace_ids) -> dict[int, list[str]]:
    """Whom to ask to be forgotten in each workspace: its owners, by name and address. One
    query for all of them: a login in many workspaces asks no more often."""
    found = Membership.objects.filter(workspace_id__in=workspace_ids, role=Role.OWNER)
    owners: dict[int, list[str]] = {pk: [] for pk in workspace_ids}
    for m in found.select_related("user", "person"):
        name, email = (
            (m.person.name, m.person.email) if m.person else (m.user.username, m.user.email)
        )
        owners[m.workspace_id].append(f"{name} ({email})")
    return {pk: sorted(names) for pk, names in owners.items()}


def workspace_data(membership, owners: list[str], named: dict[str, dict]) -> dict:
    person = membership.person
    row = {
        "workspace": membership.workspace.name,
        "slug": membership.workspace.slug,
        "role": membership.role,
        "owners": owners,
        "person": None,
        "records": named,
    }
    if person is not None and not person.erased:
        row |= {
            "person": person_of(person),
            "calendar_links": calendar_links(person),
            "notifications": notification_choices(person),
            "attributed_answers": attributed_answers(person),
            "anonymous_checkins": anonymous_invitations(person),
        }
    return row


def gathered(user) -> dict:
    memberships = user.memberships.select_related(
        "workspace", "person__team", "person__manager"
    ).order_by("workspace__name")
    owners = owners_by_workspace([m.workspace_id for m in memberships])
    people = [m.person_id for m in memberships if m.person and not m.person.erased]
    named = records(user, people, {m.workspace_id: m.workspace.slug for m in memberships})
    return {
        "login": login_of(user),
        "api_tokens": tokens_of(user),
        "login_records": named[0],
        "workspaces": [
            workspace_data(m, owners[m.workspace_id], named[m.workspace_id]) for m in memberships
        ],
        "erasure": ERASURE,
        "anonymous_answers": ANONYMOUS,
        "server_administrators": first_run.administrators_in_words() or None,
    }


@login_required
@read_only
def page(request):
    context = {"data": gathered(request.user), "listed": LISTED}
    return render(request, "account/your_data.html", context)


@login_required
@read_only
def as_json(request):
    """The page's JSON twin: the same data, its times in ISO 8601."""
    return JsonResponse(gathered(request.user))


# Under /account/, beside the API tokens.
patterns = [
    path("data/", page, name="your_data"),
    path("data.json", as_json, name="your_data_json"),
]
