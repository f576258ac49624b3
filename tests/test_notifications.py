"""Notifications: each event makes one notification, told once; who hears it by email, by
default and by choice; partners and people who left never; no count below the threshold."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.models import Response
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.notifications import audience, delivery
from truenorth.notifications import events as notify
from truenorth.notifications.actions import set_preferences
from truenorth.notifications.audience import ALL, INVOLVED, NONE
from truenorth.notifications.models import Event, Notification, Preference
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, Status
from truenorth.strategy.actions import add_goal
from truenorth.strategy.models import Goal
from truenorth.updates import actions as updates
from truenorth.workspaces.models import Function, Person


def emails(notification) -> set[str]:
    return {p.email for p in audience.recipients(notification)}


def person(workspace, name, function, **more) -> Person:
    return Person.objects.create(
        workspace=workspace, name=name, email=f"{name.lower()}@acme.test", function=function, **more
    )


@pytest.fixture
def decision(workspace, users):
    made = decisions.add_decision(
        Decision(workspace=workspace, title="Ledger", question="Which ledger?")
    )
    made.deciders.add(Person.objects.get(email="editor@acme.test"))
    made.informed.add(Person.objects.get(email="member@acme.test"))
    made.informed.add(Person.objects.get(email="partner@acme.test"))
    return made


def test_a_decision_made_is_told_once_to_its_people_and_never_a_partner(workspace, decision):
    decisions.decide(decision, outcome="The new ledger.")
    told = Notification.objects.get(workspace=workspace, event=Event.DECISION_MADE)
    assert told.title == "Decision 1 made: Ledger" and "The new ledger." in told.text
    assert told.path == f"/w/acme/decisions/{decision.number}/"
    assert emails(told) == {"editor@acme.test", "member@acme.test"}
    assert notify.decision_made(decision) is None  # same key: told once
    assert Notification.objects.filter(event=Event.DECISION_MADE).count() == 1


def test_a_reversal_tells_the_decision_s_people_why_it_no_longer_holds(workspace, decision):
    decisions.decide(decision, outcome="The new ledger.")
    decisions.reverse(decision, "The auditors will not accept it.")
    told = Notification.objects.get(workspace=workspace, event=Event.DECISION_REVERSED)
    assert told.title == "Decision 1 reversed: Ledger"
    assert told.text.endswith(": The auditors will not accept it.")
    assert emails(told) == {"editor@acme.test", "member@acme.test"}  # never the partner
    on = timezone.localdate().isoformat()
    assert told.data == {"decision": 1, "title": "Ledger", "reversed_on": on}


def test_a_preference_overrides_the_default_either_way(workspace, decision):
    decisions.decide(decision, outcome="The new ledger.")
    told = Notification.objects.get(event=Event.DECISION_MADE)
    set_preferences(Person.objects.get(email="member@acme.test"), {Event.DECISION_MADE: NONE})
    set_preferences(Person.objects.get(email="viewer@acme.test"), {Event.DECISION_MADE: ALL})
    assert emails(told) == {"editor@acme.test", "viewer@acme.test"}
    assert Preference.objects.count() == 2


def test_partners_and_people_who_left_never_hear_even_when_they_ask(workspace, users, decision):
    gone = person(workspace, "Gone", Function.LEADERSHIP, active=False)
    partner = Person.objects.get(email="partner@acme.test")
    guest = person(workspace, "Guest", Function.SALES, role="partner")
    for someone in (gone, partner, guest):  # as asked before they left, or stored by hand
        for event in Event.values:
            Preference.objects.create(person=someone, event=event, by_email=True)
    decisions.decide(decision, outcome="The new ledger.")
    updates.publish(updates.open_draft(workspace, date(2026, 11, 1), date(2026, 11, 30)))
    for told in Notification.objects.all():
        assert not emails(told) & {gone.email, partner.email, guest.email}, told.event
    everyone = emails(Notification.objects.get(event=Event.UPDATE_PUBLISHED))
    assert everyone == {f"{r}@acme.test" for r in ("owner", "editor", "member", "viewer")}


def test_an_update_is_announced_to_those_who_can_open_it(workspace, users):
    """Its notice is a link to a page only a login opens: someone with no login is told only
    when the update is sent, in their own version, unless they ask for the notice."""
    nobody = person(workspace, "Offline", Function.SALES)
    asked = person(workspace, "Asked", Function.DESIGN)
    set_preferences(asked, {Event.UPDATE_PUBLISHED: ALL})
    updates.publish(updates.open_draft(workspace, date(2026, 11, 1), date(2026, 11, 30)))
    told = emails(Notification.objects.get(event=Event.UPDATE_PUBLISHED))
    assert nobody.email not in told and asked.email in told and "member@acme.test" in told


def test_a_committed_initiative_moved_later_tells_executives_early(workspace, team):
    chief = person(workspace, "Chief", Function.LEADERSHIP)
    person(workspace, "Seller", Function.SALES)
    initiative = save_initiative(
        Initiative(
            workspace=workspace,
            title="Approvals",
            status=Status.COMMITTED,
            target_date=date(2026, 3, 1),
            team=team,
        )
    )
    initiative.target_date = date(2026, 2, 1)  # earlier: no slip
    save_initiative(initiative)
    assert not Notification.objects.filter(event=Event.COMMITTED_SLIP).exists()
    changed = Notification.objects.get(event=Event.INITIATIVE_CHANGED)  # for programs
    assert changed.data["changes"] == {"target_date": {"old": "2026-03-01", "new": "2026-02-01"}}
    assert emails(changed) == set()  # nobody by email
    initiative.target_date = date(2026, 4, 15)
    save_initiative(initiative)
    told = Notification.objects.get(event=Event.COMMITTED_SLIP)
    assert "1 February 2026 to 15 April 2026" in told.text and told.team == team
    assert emails(told) == {chief.email}
    initiative.status, initiative.target_date = Status.EXPLORING, date(2026, 6, 1)
    save_initiative(initiative)  # not a commitment: nothing more
    assert Notification.objects.filter(event=Event.COMMITTED_SLIP).count() == 1


def test_check_in_events_go_to_those_who_steer_and_read_results(workspace, users):
    opened = timezone.now() - timedelta(days=1)
    checkin = create_alignment_pulse(workspace, "Pulse", opened, opened + timedelta(days=7))
    notify.checkin_opened(checkin)
    notify.checkin_closing(checkin, 3)
    notify.results_ready(checkin)
    steering = {"owner@acme.test", "editor@acme.test"}
    assert emails(Notification.objects.get(event=Event.CHECKIN_OPENED)) == steering
    assert emails(Notification.objects.get(event=Event.CHECKIN_CLOSING)) == steering
    results = Notification.objects.get(event=Event.RESULTS_READY)
    assert emails(results) == steering | {"viewer@acme.test"}


def test_a_check_in_says_when_it_closes_in_the_workspace_time_zone(workspace):
    """A worker runs in the server's zone: the time read there, unnamed, is not the reader's."""
    workspace.time_zone = "Pacific/Auckland"
    workspace.save()
    closes = datetime(2026, 12, 12, 17, 0, tzinfo=UTC)  # 13 December, 06:00 in Auckland
    checkin = create_alignment_pulse(workspace, "Pulse", closes - timedelta(days=7), closes)
    with timezone.override("UTC"):
        notify.checkin_opened(checkin)
    told = Notification.objects.get(event=Event.CHECKIN_OPENED).text
    assert "It closes 13 December 2026 06:00 (Pacific/Auckland time)." in told


@pytest.mark.parametrize("answered", [4, 5])
def test_results_ready_says_how_many_answered_only_from_the_threshold(workspace, answered):
    assert workspace.anonymity_threshold == 5
    opened = timezone.now() - timedelta(days=8)
    checkin = create_alignment_pulse(workspace, "Pulse", opened, opened + timedelta(days=7))
    Response.objects.bulk_create(Response(checkin=checkin) for _ in range(answered))
    told = notify.results_ready(checkin)
    assert told is not None
    if answered < workspace.anonymity_threshold:
        assert str(answered) not in told.text and "answered" not in told.text
    else:
        assert f"{answered} people answered" in told.text


def test_over_promises_are_one_notification_a_run_naming_no_account(workspace):
    seller = person(workspace, "Seller", Function.SALES)
    at = timezone.now()
    assert notify.over_promise(workspace, 0, at) is None
    told = notify.over_promise(workspace, 3, at)
    assert told.title == "Over-promise found: 3 claims" and "Northwind" not in told.text
    assert notify.over_promise(workspace, 3, at) is None
    assert emails(told) == {seller.email}


def test_preferences_show_the_defaults_until_chosen(workspace, users):
    editor = Person.objects.get(email="editor@acme.test")
    shown = audience.preferences(editor)
    assert shown[Event.CHECKIN_OPENED] == ALL == shown[Event.UPDATE_PUBLISHED]
    assert shown[Event.OVER_PROMISE] == NONE and shown[Event.DECISION_MADE] == INVOLVED
    set_preferences(editor, {Event.CHECKIN_OPENED: NONE})
    assert audience.preferences(editor)[Event.CHECKIN_OPENED] == NONE
    partner = Person.objects.get(email="partner@acme.test")
    assert set(audience.preferences(partner).values()) == {NONE}


def deepest_quotation(words: str) -> int:
    """How deep “…” quotations nest in the words: 2 for a quotation inside another."""
    depth = deepest = 0
    for char in words:
        depth += {"“": 1, "”": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


def test_a_title_with_its_own_quotation_marks_is_quoted_once(workspace, users, team):
    """People saw “What we mean by “customer”” in a check-in's notification: two quotations
    closing at once. Its own quotation marks become single ones, in every text, email and post."""
    chief = person(workspace, "Chief", Function.LEADERSHIP)
    opened = timezone.now() - timedelta(days=1)
    title = "What we mean by “customer”"
    checkin = create_alignment_pulse(workspace, title, opened, opened + timedelta(days=7))
    told = [notify.checkin_opened(checkin), notify.checkin_closing(checkin, 3)]
    told.append(notify.results_ready(checkin))
    initiative = save_initiative(
        Initiative(
            workspace=workspace,
            title="The “customer” portal",
            status=Status.COMMITTED,
            target_date=date(2026, 3, 1),
            team=team,
        )
    )
    initiative.target_date = date(2026, 4, 15)
    save_initiative(initiative)  # a slip, and a change for programs
    add_goal(Goal(workspace=workspace, title="Win the “customer” back"))
    told += Notification.objects.filter(
        event__in=[Event.COMMITTED_SLIP, Event.INITIATIVE_CHANGED, Event.GOAL_CHANGED]
    )
    assert len(told) == 6
    said = {
        "“What we mean by ‘customer’”",
        "“The ‘customer’ portal”",
        "“Win the ‘customer’ back”",
    }
    for notification in told:
        assert any(quoted in notification.text for quoted in said), notification.text
        body = delivery.message(notification, chief).body
        post = json.dumps(delivery.payload(notification), ensure_ascii=False)
        for words in (notification.text, body, post):
            assert deepest_quotation(words) == 1, words
