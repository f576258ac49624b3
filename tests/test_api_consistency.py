"""What a program integrating with /api/v1/ saw answered differently from one operation to the
next: true taken as the number 1, a partner's refused filter a 403 here and a 400 there, a term
whose detail lacked what its list item had, another workspace's id refused in Django's words, a
NUL in one filter refused and in another not, a work item due in the year 9999."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.api import caller
from truenorth.checkins.models import TERM_QUESTIONS
from truenorth.claims.models import Verdict
from truenorth.glossary.models import Definition, Source, Term
from truenorth.strategy.models import Goal
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Person, Team, Workspace

API = "/api/v1/workspaces/acme"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


@pytest.fixture
def elsewhere(db):
    """Another workspace's goal, team and person: ids that name nothing in acme."""
    other = Workspace.objects.create(name="Other", slug="other")
    goal = Goal.objects.create(
        workspace=other, title="T", why="w", why_now="n", metric="m", target="t", rank=1
    )
    team = Team.objects.create(workspace=other, name="Theirs")
    person = Person.objects.create(workspace=other, name="Them", email="them@other.test")
    return {"goal": goal, "team": team, "person": person}


# --- true and false are no numbers ---

FEEDBACK_ITEM = {"key": "Z-1", "text": "Exports time out.", "received_on": "2026-11-02"}
WORK_ITEM = {"key": "PAY-1", "title": "Retry payouts"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/initiatives", {"title": "Faster payouts", "estimate_weeks": True}, "estimate_weeks"),
        ("/initiatives", {"title": "Faster payouts", "spent_weeks": False}, "spent_weeks"),
        ("/initiatives", {"title": "Faster payouts", "goal": True}, "goal"),
        ("/terms", {"name": "churn", "canonical_definition": "Lost.", "owner": True}, "owner"),
        ("/decisions", {"title": "Slack?", "question": "Slack?", "deciders": [True]}, "deciders.0"),
    ],
)
def test_true_is_not_taken_as_the_number_one(workspace, users, strategy, call, path, body, field):
    answer = call("post", path, body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field
    assert "not true or false" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "where"),
    [
        (
            "/feedback",
            {"source": "zendesk", "items": [{**FEEDBACK_ITEM, "rating": True}]},
            "rating",
        ),
        (
            "/feedback",
            {"source": "zendesk", "items": [{**FEEDBACK_ITEM, "account_value": True}]},
            "account_value",
        ),
        ("/work_items", {"source": "jira", "items": [{**WORK_ITEM, "points": True}]}, "points"),
    ],
)
def test_an_item_with_true_for_a_number_is_refused(workspace, users, call, path, body, where):
    answer = call("post", path, body)
    assert answer.status_code == 400, answer.content
    # Work items are checked one by one (every problem of every item in one answer): their
    # 400 names the item in `errors`, the others the field.
    said = answer.json()["errors"][0] if path == "/work_items" else answer.json()
    assert said.get("field", f"items.0.{where}") == f"items.0.{where}"
    assert "true is not a number" in str(said) or "not true or false" in str(said)
    assert not WorkItem.objects.exists()


# --- a partner's refused filter ---


@pytest.mark.parametrize("path", ["/initiatives?goal=1", "/decisions?owner=1"])
def test_a_partners_refused_filter_is_the_same_400_on_each_list(users, strategy, call, path):
    refused = call("get", path, role="partner", scope="read")
    assert refused.status_code == 400, refused.content
    name = path.partition("?")[2].partition("=")[0]
    assert refused.json()["detail"] == f"Partners cannot filter by {name}."
    assert refused.json()["field"] == name


# --- a term's detail carries its list item ---


def test_a_terms_detail_carries_all_its_list_item_does_written_the_same(workspace, users, call):
    owner = workspace.people.get(name="Editor")
    term = Term.objects.create(
        workspace=workspace, name="churn", canonical_definition="Accounts lost.", owner=owner
    )
    Definition.objects.create(
        term=term, function="sales", text="A lost renewal.", source=Source.EDITOR
    )
    late = datetime(2026, 11, 30, 9, 15, 49, 189000, tzinfo=UTC)
    Term.all_objects.filter(pk=term.pk).update(updated_at=late)

    listed = call("get", "/terms", role="viewer", scope="read").json()["items"][0]
    detail = call("get", f"/terms/{term.pk}", role="viewer", scope="read").json()
    assert listed["definitions"] == {"sales": "A lost renewal."}
    assert {name: detail.get(name) for name in listed} == listed
    assert detail["updated_at"] == "2026-11-30T09:15:49.189Z"


def test_a_term_read_with_its_definitions_is_sent_back_unchanged(workspace, users, call):
    made = call("post", "/terms", {"name": "churn", "canonical_definition": "Accounts lost."})
    url = f"/terms/{made.json()['id']}"
    call("patch", url, {"definitions": {"sales": "A lost renewal."}})
    read = call("get", url).json()
    again = call("patch", url, read)
    assert again.status_code == 200, again.content
    assert again.json()["definitions"] == {"sales": "A lost renewal."}


# --- an id of another workspace ---


@pytest.mark.parametrize(
    ("path", "body", "kind", "field"),
    [
        ("/initiatives", {"title": "Faster payouts"}, "goal", "goal"),
        ("/initiatives", {"title": "Faster payouts"}, "team", "team"),
        ("/decisions", {"title": "Slack?", "question": "Slack?"}, "person", "owner"),
        ("/decisions", {"title": "Slack?", "question": "Slack?"}, "goal", "goals"),
        ("/terms", {"name": "churn", "canonical_definition": "Lost."}, "person", "owner"),
    ],
)
def test_another_workspaces_id_is_refused_naming_its_kind_and_id(
    workspace, users, call, elsewhere, path, body, kind, field
):
    theirs = elsewhere[kind].pk
    sent = [theirs] if field.endswith("s") else theirs
    answer = call("post", path, {**body, field: sent})
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == field
    assert answer.json()["detail"] == f"{field}: No {kind} {theirs} in this workspace."


def test_a_work_item_link_says_the_same(workspace, users, strategy, call, elsewhere):
    item = strategy["items"][1]
    theirs = elsewhere["goal"].pk
    answer = call("patch", f"/work_items/{item.pk}/link", {"goal": theirs})
    assert answer.json()["detail"] == f"No goal {theirs} in this workspace."


def test_one_of_the_workspace_the_field_may_not_take_keeps_the_forms_words(workspace, users, call):
    partner = workspace.people.get(name="Partner")
    body = {"title": "Slack?", "question": "Slack?", "owner": partner.pk}
    answer = call("post", "/decisions", body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == "owner"
    assert "in this workspace" not in answer.json()["detail"]


# --- a NUL in a filter ---


@pytest.mark.parametrize("path", ["/claims", "/feedback"])
def test_a_nul_in_the_account_filter_is_a_400_on_claims_as_on_feedback(users, call, path):
    refused = call("get", f"{path}?account=%00", role="viewer", scope="read")
    assert refused.status_code == 400, refused.content
    assert refused.json()["field"] == "account"
    assert refused.json()["detail"] == "account: Null characters are not allowed."


# --- documented values ---


def test_the_docs_name_every_verdict_and_the_glossary_template():
    claims = DOCS.read_text().partition("### Claims")[2].partition("### ")[0]
    assert all(re.search(rf"\b{verdict}\b", claims) for verdict in Verdict.values)
    checkins = DOCS.read_text().partition("### Check-ins")[2].partition("### ")[0]
    assert f"`{TERM_QUESTIONS}`" in checkins


# --- a work item's dates ---


@pytest.mark.parametrize("field", ["due", "created", "resolved"])
def test_a_work_items_mistyped_year_is_refused_as_other_dates_are(workspace, users, call, field):
    items = [WORK_ITEM, {**WORK_ITEM, "key": "PAY-2", field: "9999-01-01"}]
    answer = call("post", "/work_items", {"source": "jira", "items": items})
    assert answer.status_code == 400, answer.content
    [error] = answer.json()["errors"]
    assert error["where"] == "items[1]"
    assert error["message"].startswith(f"{field} 9999-01-01 is not between 2000 and")
    assert not WorkItem.objects.exists()


def test_a_mistyped_year_is_named_with_the_items_other_problems(workspace, users, call):
    items = [{**WORK_ITEM, "due": "9999-01-01"}, {**WORK_ITEM, "key": "PAY-2", "url": "no link"}]
    answer = call("post", "/work_items", {"source": "jira", "items": items})
    assert [e["where"] for e in answer.json()["errors"]] == [
        "items[0]",
        "items[1]",
    ]  # in the order sent
