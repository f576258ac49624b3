"""The account's "Your data": what truenorth holds about the logged-in person, in each workspace
their login opens, on a page and its JSON twin, and whom to ask to be forgotten. Only their own:
another person's answers, tokens and calendar links never appear."""

import json
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from truenorth.api.models import ApiToken
from truenorth.checkins.actions import create_checkin
from truenorth.checkins.models import Answer, Invitation, Question, Response
from truenorth.claims.models import Claim
from truenorth.decisions.actions import add_decision
from truenorth.decisions.models import Comment, Decision
from truenorth.notifications.models import Event, Preference
from truenorth.rituals.models import CalendarFeed
from truenorth.workspaces.models import Person, Workspace
from truenorth.workspaces.people import erase
from truenorth.your_data import KINDS, SHOWN_APART

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
    assert client.get(TWIN).status_code == 401  # in JSON, for a program (test_logged_out_json)
    client.force_login(users["outsider"])
    assert "Your login opens no workspace" in client.get(PAGE).content.decode()
    assert client.post(PAGE).status_code == 405


def decided(workspace, title: str, by, **people):
    made = add_decision(
        Decision(workspace=workspace, title=title, question=f"{title}?", raised_on=date.today()),
        by=by,
    )
    for role, person in people.items():
        if role == "owner":
            made.owner = person
            made.save()
        else:
            getattr(made, role).add(person)
    return made


def test_a_member_sees_every_record_naming_them_and_never_another_persons(
    client_for, users, workspace
):
    """Their comment on decision 5 and their being informed of decision 7 had been left out."""
    people = {
        role: Person.objects.get(workspace=workspace, email=f"{role}@acme.test")
        for role in ("member", "owner")
    }
    member, owner = people["member"], people["owner"]
    theirs = decided(workspace, "Owner's own call", users["owner"], owner=owner)
    informed = decided(workspace, "Payments provider", users["owner"], informed=member)
    decided(workspace, "Only the owner consulted", users["owner"], consulted=owner)
    for n in range(11):
        decided(workspace, f"Informed again {n}", users["owner"], informed=member)
    Comment.objects.create(
        decision=theirs,
        author=member,
        text="I don't understand whether offline approvals are in scope.",
    )
    Comment.objects.create(decision=informed, author=owner, text="The owner's aside")
    Claim.objects.create(
        workspace=workspace, account="Globex", said_on=date.today(), said_by=owner, text="Soon"
    )

    data = client_for("member").get(TWIN).json()
    (acme,) = data["workspaces"]
    named = acme["records"]
    (comment,) = named["decision_comments"]["items"]
    assert comment == {
        "title": "Decision 1: Owner's own call: “I don't understand whether offline approvals "
        "are in scope.”",
        "url": "/w/acme/decisions/1/",
    }
    assert named["decisions_informed"]["count"] == 12  # all counted, the 10 latest listed
    listed = [item["title"] for item in named["decisions_informed"]["items"]]
    assert len(listed) == 10 and named["decisions_informed"]["more"] == 2
    assert listed[0] == "Decision 14: Informed again 10"
    assert set(named) == {"decision_comments", "decisions_informed"}
    dumped = json.dumps(data)
    for never in ("The owner's aside", "Only the owner consulted", "Globex"):
        assert never not in dumped, never

    page = client_for("member").get(PAGE).content.decode()
    for said in (
        "Your comments on decisions: 1",
        "I don&#x27;t understand whether offline approvals are in scope.",
        "Decisions that list you as informed: 12",
        "And 2 more, not listed here.",
        '<a href="/w/acme/decisions/14/">Decision 14: Informed again 10</a>',
    ):
        assert said in page, said
    assert "The owner&#x27;s aside" not in page and "Decisions you own" not in page
    owners = client_for("owner").get(TWIN).json()["workspaces"][0]["records"]
    assert owners["decisions_owned"]["count"] == 1 and "decisions_informed" not in owners
    (aside,) = owners["decision_comments"]["items"]
    assert aside["title"] == "Decision 2: Payments provider: “The owner's aside”"
    assert owners["claims_said"]["count"] == 1
    assert owners["decisions_recorded"]["count"] == 14  # the login that recorded them


def test_to_be_forgotten_says_what_erasure_removes_and_keeps(client_for, users, workspace):
    member = Person.objects.get(workspace=workspace, email="member@acme.test")
    made = decided(workspace, "Payments provider", users["owner"], informed=member)
    Comment.objects.create(decision=made, author=member, text="Which regions?")
    CalendarFeed.issue(workspace, member)
    page = client_for("member").get(PAGE).content.decode()
    for said in (
        "Erasing you removes:",
        "your calendar links",
        "It keeps:",
        "now naming “Erased person”: decisions, your comments with their words",
    ):
        assert said in page, said
    erase(member)  # what the page says, done
    comment = Comment.objects.get()
    assert (comment.author.name, comment.text) == ("Erased person", "Which regions?")
    assert made.informed.get().name == "Erased person"
    assert not CalendarFeed.objects.filter(person=member).exists()


def test_every_key_to_a_person_or_a_login_is_shown():
    """A model added later with a key to a person or a login is listed on the page, or said
    to be shown apart: else "Your data" would leave out a record that names them."""
    shown = {(k.model._meta.label, f) for k in KINDS for f in (k.person, k.login) if f}
    shown |= {tuple(key.rsplit(".", 1)) for key in SHOWN_APART}
    keys = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            named = field.related_model in (Person, get_user_model())
            if not (field.is_relation and named and not field.auto_created):
                continue
            if field.many_to_many:
                keys.add((field.remote_field.through._meta.label, field.m2m_reverse_field_name()))
            else:
                keys.add((model._meta.label, field.name))
    assert keys - shown == set()
    assert shown - keys == set()  # none named that is not one
