"""A record as read, sent back with PATCH, changes only what was edited: a program that syncs
the API with another tool writes back what it read. Sent back unedited, nothing is saved and no
one is told, so the sync does not echo through `?updated_since=` and webhooks."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.api import caller
from tests.rituals import weekly_ritual
from truenorth.checkins.models import CheckIn
from truenorth.claims.forms import ClaimForm
from truenorth.claims.models import Claim
from truenorth.decisions.models import Decision
from truenorth.feedback.models import FeedbackItem, Kind, Source
from truenorth.glossary.models import Term
from truenorth.notifications.models import Notification
from truenorth.roadmap.models import Initiative, Visibility
from truenorth.strategy.models import Goal
from truenorth.updates.models import Update
from truenorth.workspaces.models import Person, Team

API = "/api/v1/workspaces/acme"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


def person(name: str) -> int:
    return Person.objects.get(name=name).pk


def made(call, path: str, body: dict) -> dict:
    answer = call("post", path, body)
    assert answer.status_code == 201, answer.json()
    return answer.json()


# Each resource: how one is made, its model, and an edit to send back: (field, value, column).
def a_goal(call, workspace, strategy, team):
    return f"/goals/{strategy['goals'][0].pk}", strategy["goals"][0].pk


def an_initiative(call, workspace, strategy, team):
    shown = strategy["initiatives"][Visibility.INTERNAL]
    return f"/initiatives/{shown.pk}", shown.pk


def a_term(call, workspace, strategy, team):
    body = {"name": "ARR", "canonical_definition": "Annual recurring revenue."}
    term = made(call, "/terms", {**body, "owner": person("Editor"), "related": []})
    return f"/terms/{term['id']}", term["id"]


def a_claim(call, workspace, strategy, team):
    claim = Claim.objects.create(
        workspace=workspace,
        said_on=date(2026, 3, 2),
        account="Northwind",
        said_by_id=person("Editor"),
        text="Multi-currency close ships this quarter.",
    )
    return f"/claims/{claim.pk}", claim.pk


def a_ritual(call, workspace, strategy, team):
    ritual = weekly_ritual(workspace, team, owner_id=person("Owner"))
    ritual.functions = ["product"]
    ritual.save()
    return f"/rituals/{ritual.number}", ritual.pk


def a_decision(call, workspace, strategy, team):
    body = {"title": "Price per seat", "question": "Per seat or per entity?"}
    decision = made(call, "/decisions", {**body, "owner": person("Owner")})
    return f"/decisions/{decision['number']}", Decision.objects.get(number=decision["number"]).pk


def a_checkin(call, workspace, strategy, team):
    opens = timezone.localtime() + timedelta(days=2)
    body = {
        "title": "Q3 pulse",
        "opens_at": opens.isoformat(timespec="minutes"),
        "closes_at": (opens + timedelta(days=7)).isoformat(timespec="minutes"),
    }
    checkin = made(call, "/checkins", body)
    return f"/checkins/{checkin['id']}", checkin["id"]


def a_feedback_item(call, workspace, strategy, team):
    item = FeedbackItem.objects.create(
        workspace=workspace,
        source=Source.ZENDESK,
        source_key="4101",
        kind=Kind.PROBLEM,
        title="Export drops the totals row",
        text="The totals row is missing from the Excel export.",
        account="Northwind",
        account_value=120000,
        received_on=date(2026, 3, 2),
        heard_by_id=person("Editor"),
    )
    return f"/feedback/{item.pk}", item.pk


def an_update(call, workspace, strategy, team):
    body = {"period": "custom", "start": "2026-01-01", "end": "2026-01-31"}
    update = made(call, "/updates", body)
    return f"/updates/{update['number']}", Update.objects.get(number=update["number"]).pk


def a_team(call, workspace, strategy, team):
    within = Team.objects.create(workspace=workspace, name="Ledger squad", parent=team)
    return f"/teams/{within.pk}", within.pk


RESOURCES = {
    "team": (a_team, Team.objects),
    "goal": (a_goal, Goal.all_objects),
    "initiative": (an_initiative, Initiative.all_objects),
    "term": (a_term, Term.all_objects),
    "claim": (a_claim, Claim.objects),
    "ritual": (a_ritual, None),
    "decision": (a_decision, Decision.objects),
    "checkin": (a_checkin, CheckIn.objects),
    "feedback": (a_feedback_item, FeedbackItem.objects),
    "update": (an_update, Update.objects),
}


def row(rows, pk) -> dict:
    return rows.filter(pk=pk).values().get()


@pytest.fixture
def record(call, workspace, users, strategy, team, request):
    make, rows = RESOURCES[request.param]
    if rows is None:
        from truenorth.rituals.models import Ritual

        rows = Ritual.objects
    path, pk = make(call, workspace, strategy, team)
    return path, rows, pk


@pytest.mark.parametrize("record", list(RESOURCES), indirect=True)
def test_a_record_sent_back_as_read_saves_nothing_and_tells_no_one(record, call):
    path, rows, pk = record
    read = call("get", path).json()
    before, told = row(rows, pk), Notification.objects.count()
    again = call("patch", path, read)
    assert again.status_code == 200, again.json()
    assert row(rows, pk) == before  # updated_at too
    assert Notification.objects.count() == told
    assert call("patch", path, {}).status_code == 200  # nothing sent: nothing changes either
    assert row(rows, pk) == before


EDITS = {
    "team": ("parent_id", None, "parent_id"),
    "goal": ("title", "Close the books in three days", "title"),
    "initiative": ("goal_id", "second goal", "goal_id"),
    "term": ("owner_id", "Member", "owner_id"),
    "claim": ("said_by_id", "Member", "said_by_id"),
    "ritual": ("owner_id", "Member", "owner_id"),
    "decision": ("owner_id", "Member", "owner_id"),
    "checkin": ("title", None, None),  # only its dates: below
    "feedback": ("heard_by_id", "Member", "heard_by_id"),
    "update": ("narrative", "January closed in four days.", "narrative"),
}


@pytest.mark.parametrize("record", [name for name in EDITS if name != "checkin"], indirect=True)
def test_an_edited_record_sent_back_changes_only_the_field_edited(record, call, strategy):
    path, rows, pk = record
    name = record_name(path)
    field, value, column = EDITS[name]
    if value == "second goal":
        value = strategy["goals"][1].pk
    elif value == "Member":
        value = person("Member")
    read = call("get", path).json()
    before = row(rows, pk)
    edited = call("patch", path, {**read, field: value})
    assert edited.status_code == 200, edited.json()
    after = row(rows, pk)
    assert after[column] == value
    moved = {k for k in after if after[k] != before[k]} - {column, "updated_at"}
    if name == "claim":  # a changed claim is checked again: its verdict's columns move
        moved &= set(ClaimForm.Meta.fields)
    assert not moved


def record_name(path: str) -> str:
    kind = path.split("/")[1]
    return {"checkins": "checkin", "feedback": "feedback"}.get(kind, kind.rstrip("s"))


@pytest.mark.parametrize("record", ["checkin"], indirect=True)
def test_a_check_in_sent_back_with_a_later_close_moves_only_that(record, call):
    path, rows, pk = record
    read = call("get", path).json()
    later = CheckIn.objects.get(pk=pk).closes_at + timedelta(days=3)
    edited = call("patch", path, {**read, "closes_at": later.isoformat()})
    assert edited.status_code == 200, edited.json()
    checkin = CheckIn.objects.get(pk=pk)
    assert (checkin.closes_at, checkin.title) == (later, "Q3 pulse")


# A read-only field the client could mean to change, sent changed: a 400 saying how.
READ_ONLY = {
    "goal": ("rank", 9, "move"),
    "initiative": ("archived", True, "archive"),
    "term": ("owner", "Someone Else", "owner_id"),
    "claim": ("said_by", "Someone Else", "said_by_id"),
    "ritual": ("teams", ["Sales"], "team_ids"),
    "decision": ("status", "decided", "decide"),
    "checkin": ("anonymous", False, "dates"),
    "feedback": ("source", "intercom", "import"),
    "update": ("published", True, "publish"),
}


@pytest.mark.parametrize("record", list(READ_ONLY), indirect=True)
def test_a_read_only_field_sent_changed_is_a_400_saying_how_to_change_it(record, call):
    path, rows, pk = record
    field, value, how = READ_ONLY[record_name(path)]
    read = call("get", path).json()
    before = row(rows, pk)
    refused = call("patch", path, {**read, field: value})
    assert refused.status_code == 400, refused.json()
    assert refused.json()["field"] == field
    assert how in refused.json()["detail"]
    assert row(rows, pk) == before


@pytest.mark.parametrize("record", list(RESOURCES), indirect=True)
def test_another_records_id_is_a_400_and_a_misspelt_field_stays_one(record, call):
    path, rows, pk = record
    read = call("get", path).json()
    key = "id" if "id" in read else "number"
    wrong = call("patch", path, {**read, key: read[key] + 1})
    assert (wrong.status_code, wrong.json()["field"]) == (400, key)
    misspelt = call("patch", path, {"titel": "Typo"})
    assert misspelt.status_code == 400
    assert "unknown field(s) titel" in misspelt.json()["detail"]


@pytest.mark.parametrize("record", ["goal"], indirect=True)
def test_a_goal_written_back_unchanged_posts_no_webhook_and_keeps_its_time(record, call):
    path, rows, pk = record
    since = call("get", "/goals").json()["items"][0]["updated_at"]
    read = call("get", path).json()
    assert call("patch", path, {**read, "pace": {}, "updated_at": since}).status_code == 200
    changed = call("get", f"/goals?updated_since={since}").json()
    assert [g["updated_at"] for g in changed["items"] if g["id"] == pk] == [read["updated_at"]]
    assert not Notification.objects.filter(event="goal_changed").exists()


def test_ids_and_names_sent_together_must_agree(call, workspace, users, strategy, team):
    path, pk = a_term(call, workspace, strategy, team)
    read = call("get", path).json()
    assert read["owner_id"] == person("Editor") and read["owner"] == "Editor"
    both = call("patch", path, {"owner": person("Owner"), "owner_id": person("Member")})
    assert both.status_code == 400
    assert "owner and owner_id" in both.json()["detail"]
    by_id = call("patch", path, {"owner": person("Member")})  # a write's own shape still works
    assert by_id.status_code == 200 and by_id.json()["owner"] == "Member"


def test_a_ritual_reads_as_its_edit_takes_it(call, workspace, users, strategy, team):
    path, _ = a_ritual(call, workspace, strategy, team)
    read = call("get", path).json()
    assert read["functions"] == ["product"] and read["function_labels"] == ["Product"]
    assert read["team_ids"] == [team.pk] and read["first_date"]
    assert read["owner_id"] == person("Owner")


def test_a_read_sent_back_restores_people_whose_names_and_ids_agree(
    call, workspace, users, strategy, team
):
    # A read kept from before the people were cleared, sent back: names beside the ids sent
    # are checked against those ids' names, not against what is saved now.
    path, _ = a_decision(call, workspace, strategy, team)
    them = {"deciders": ["Editor", "Member"], "decider_ids": [person("Editor"), person("Member")]}
    assert call("patch", path, {"decider_ids": them["decider_ids"]}).status_code == 200
    read = call("get", path).json()
    assert call("patch", path, {"decider_ids": []}).status_code == 200
    restored = call("patch", path, {**read, **them})
    assert restored.status_code == 200, restored.json()
    assert sorted(restored.json()["deciders"]) == ["Editor", "Member"]
    wrong = call("patch", path, {"deciders": ["Owner"], "decider_ids": [person("Member")]})
    assert (wrong.status_code, wrong.json()["field"]) == (400, "deciders")
    assert "deciders and decider_ids name different records" in wrong.json()["detail"]


@pytest.mark.parametrize("make", [a_term, a_ritual, a_decision])
def test_an_owner_sent_by_name_and_id_together_is_taken_when_they_agree(
    call, workspace, users, strategy, team, make
):
    path, _ = make(call, workspace, strategy, team)
    read = call("get", path).json()
    moved = call("patch", path, {**read, "owner": "Member", "owner_id": person("Member")})
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["owner"], moved.json()["owner_id"]) == ("Member", person("Member"))
    wrong = call("patch", path, {"owner": "Owner", "owner_id": person("Editor")})
    assert (wrong.status_code, wrong.json()["field"]) == (400, "owner")
    assert call("get", path).json()["owner"] == "Member"


# Null sent for a field that is empty already: nothing changes, so nothing is saved.
EMPTY_AS_NULL = ["shared_with_partners", "consulted", "blocks", "decider_ids", "supersedes"]


@pytest.mark.parametrize("field", EMPTY_AS_NULL)
def test_null_for_an_empty_decision_field_saves_nothing(
    call, workspace, users, strategy, team, field
):
    path, pk = a_decision(call, workspace, strategy, team)
    before = row(Decision.objects, pk)
    answer = call("patch", path, {field: None})
    assert answer.status_code == 200, answer.json()
    assert row(Decision.objects, pk) == before  # updated_at too


# On PATCH, null clears a field that may be empty, as an empty value does; a field that may
# not be empty is a 400 naming it. (field, its value once cleared) or (field, None) for a 400.
NULLS = {
    "initiative": [("problem", ""), ("title", None)],
    "decision": [("context", ""), ("outcome", ""), ("deciders", []), ("title", None)],
    "ritual": [("functions", []), ("location", ""), ("start_time", None), ("name", None)],
}


@pytest.mark.parametrize("record", list(NULLS), indirect=True)
def test_null_clears_a_field_that_may_be_empty_and_is_a_400_for_one_that_may_not(record, call):
    path, rows, pk = record
    for field, cleared in NULLS[record_name(path)]:
        before = call("get", path).json()
        answer = call("patch", path, {field: None})
        if cleared is None:
            assert (answer.status_code, answer.json()["field"]) == (400, field), answer.json()
            assert call("get", path).json() == before
        else:
            assert answer.status_code == 200, answer.json()
            assert answer.json()[field] == cleared
