"""The account's "Your data": what truenorth holds about the logged-in person, in each workspace
their login opens, on a page and its JSON twin, and whom to ask to be forgotten. Only their own:
another person's answers, tokens and calendar links never appear."""

import json
from datetime import timedelta

from django.utils import timezone

from truenorth.api.models import ApiToken
from truenorth.checkins.actions import create_checkin
from truenorth.checkins.models import Answer, Invitation, Question, Response
from truenorth.notifications.models import Event, Preference
from truenorth.rituals.models import CalendarFeed
from truenorth.workspaces.models import Person, Workspace

PAGE, TWIN = "/account/data/", "/account/data.json"


def answered(checkin, person, text: str, n: int) -> None:
    question = checkin.questions.first() or Question.objects.create(
        checkin=checkin, position=1, prompt="What is the vision?"
    )
    Invitation.objects.create(checkin=checkin, person=person, token_hash=f"h{n}", responded=True)
    attributed = None if checkin.anonymous else person
    response = Response.objects.create(checkin=checkin, person=attributed, key_hash=f"k{n}")
    Answer.objects.create(response=response, question=question, text=text)


def everyones_data(workspace, users):
    """Answers, tokens, calendar links and choices for the member and for the owner."""
    now = timezone.now()
    named = create_checkin(workspace, "Named pulse", now - timedelta(days=3), now, anonymous=False)
    unnamed = create_checkin(workspace, "Quiet pulse", now - timedelta(days=3), now)
    people = {
        role: Person.objects.get(workspace=workspace, email=f"{role}@acme.test")
        for role in ("member", "owner")
    }
    answered(named, people["member"], "Members' own words", 1)
    answered(named, people["owner"], "The owner's private words", 2)
    answered(unnamed, people["member"], "Said without a name", 3)
    for role, person in people.items():
        ApiToken.issue(users[role], f"{role} sync")
        CalendarFeed.issue(workspace, person)
    Preference.objects.create(person=people["member"], event=Event.DECISION_MADE, by_email=False)
    return people


def test_a_member_sees_all_they_hold_and_nobody_elses(client_for, users, workspace):
    people = everyones_data(workspace, users)
    people["member"].manager = people["owner"]
    people["member"].save()
    client = client_for("member")
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/account/data/">Your data</a>' in text  # beside Password and API tokens
    for said in (
        "member@acme.test",
        "Platform",  # their team
        "<dt>Manager</dt><dd>Owner</dd>",
        "“member sync”",
        "Named pulse",
        "Members&#x27; own words",
        "Decision made: none <small>(your choice)</small>",
        "You were asked in 1 anonymous check-in and answered 1.",
        "are not linked to you",
        "Ask an owner of Acme: Owner (owner@acme.test)",
        "An owner erases you from your person page",
    ):
        assert said in text, said
    for never in ("owner sync", "The owner&#x27;s private words", "Said without a name"):
        assert never not in text, never

    data = client.get(TWIN).json()
    (acme,) = data["workspaces"]
    assert data["login"]["username"] == "member"
    assert [t["name"] for t in data["api_tokens"]] == ["member sync"]
    assert acme["person"]["email"] == "member@acme.test" and acme["owners"] == [
        "Owner (owner@acme.test)"
    ]
    assert len(acme["calendar_links"]) == 1
    (named,) = acme["attributed_answers"]
    assert named["answers"] == [{"question": "What is the vision?", "answer": "Members' own words"}]
    assert acme["anonymous_checkins"] == {"asked": 1, "answered": 1}
    dumped = json.dumps(data)
    assert "private words" not in dumped and "Said without a name" not in dumped


def test_each_workspace_is_said_and_an_unlinked_login_holds_no_person(client_for, users):
    other = Workspace.objects.create(name="Globex", slug="globex")
    users["member"].memberships.create(workspace=other, role="viewer")
    data = client_for("member").get(TWIN).json()
    assert [w["workspace"] for w in data["workspaces"]] == ["Acme", "Globex"]
    assert data["workspaces"][1]["person"] is None and data["workspaces"][1]["owners"] == []
    page = client_for("member").get(PAGE).content.decode()
    assert "Your login is not linked to a person of Globex" in page


def test_it_needs_a_login_and_only_shows(client, users):
    assert client.get(PAGE).status_code == 302
    assert client.get(TWIN).status_code == 302
    client.force_login(users["outsider"])
    assert "Your login opens no workspace" in client.get(PAGE).content.decode()
    assert client.post(PAGE).status_code == 405
