"""The account's "Your data" page and its JSON twin: what truenorth holds about the logged-in
person, in each workspace their login opens, and whom to ask to be forgotten (docs/privacy.md).

It reads every app that keeps something of a person (people, logins and API tokens, calendar
links, notification choices, attributed check-in answers), so it sits above them all. Only the
login's own rows are read: nothing here takes an id from the request.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path

from truenorth.checkins.models import Invitation, Response
from truenorth.notifications import audience
from truenorth.notifications.models import Event
from truenorth.refusals import read_only
from truenorth.rituals.models import CalendarFeed
from truenorth.workspaces import first_run
from truenorth.workspaces.models import Membership, Role

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


def workspace_data(membership, owners: list[str]) -> dict:
    person = membership.person
    row = {
        "workspace": membership.workspace.name,
        "slug": membership.workspace.slug,
        "role": membership.role,
        "owners": owners,
        "person": None,
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
    return {
        "login": login_of(user),
        "api_tokens": tokens_of(user),
        "workspaces": [workspace_data(m, owners[m.workspace_id]) for m in memberships],
        "anonymous_answers": ANONYMOUS,
        "server_administrators": first_run.administrators_in_words() or None,
    }


@login_required
@read_only
def page(request):
    return render(request, "account/your_data.html", {"data": gathered(request.user)})


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
