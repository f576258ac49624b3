"""Sending feedback to /api/v1/ from a support desk or a script, as importing its export does:
keyed by (source, key), every item valid or nothing saved, each refused item named."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.api import api_request
from truenorth.feedback.models import FeedbackItem, Kind, NeedLink, Source
from truenorth.roadmap.models import Visibility

API = "/api/v1/workspaces/acme/feedback"
TICKET = {
    "key": "4101",
    "text": "The totals row is missing from the Excel export.",
    "received_on": "2026-03-02",
    "title": "Export drops the totals row",
    "kind": "problem",
    "account": "Northwind",
    "segment": "Enterprise",
    "account_value": 120000,
}


@pytest.fixture
def send(client, users):
    def request(body, role="editor", scope="write"):
        return api_request(client, users[role], "post", API, body, scope=scope)

    return request


def test_items_are_created_then_updated_in_place_by_their_key(workspace, users, send):
    first = send({"source": "zendesk", "items": [TICKET, {**TICKET, "key": "4102"}]})
    assert first.status_code == 200, first.json()
    assert {k: first.json()[k] for k in ("created", "updated", "unchanged")} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert first.json()["themes"].startswith("Grouped 2 items into ")
    item = FeedbackItem.objects.get(source=Source.ZENDESK, source_key="4101")
    assert (item.account, item.account_value, item.kind) == (
        "Northwind",
        Decimal("120000.00"),
        Kind.PROBLEM,
    )
    assert item.created_by == users["editor"]
    # Sent again without kind or segment: an editor's own values stay; null clears a field.
    item.segment = "Mid-market"
    item.save()
    again = {"key": "4101", "text": "Still missing.", "received_on": "2026-03-02", "title": None}
    second = send({"source": "zendesk", "items": [again, {**TICKET, "key": "4102"}]}).json()
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 1, 1)
    item.refresh_from_db()
    assert (item.text, item.title, item.segment, item.kind) == (
        "Still missing.",
        "",
        "Mid-market",
        Kind.PROBLEM,
    )


def test_one_bad_item_saves_nothing_and_each_is_named(workspace, users, send):
    items = [
        TICKET,
        {**TICKET, "key": "2", "heard_by": "nobody@else.test"},
        {
            **TICKET,
            "key": "4101",
            "text": "Other words",
        },  # the first's key (word for word, skipped)
        {**TICKET, "key": "3", "url": "not a link"},
    ]
    answer = send({"source": "zendesk", "items": items})
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["title"] == "Nothing imported" and problem["field"] == "items"
    assert [e["where"] for e in problem["errors"]] == ["items[1]", "items[2]", "items[3]"]
    assert "no person with the email or name" in problem["errors"][0]["message"]
    assert problem["detail"].startswith("3 item(s) refused; the first, items[1]: no person")
    assert not FeedbackItem.objects.exists()


def test_a_field_note_needs_its_kind_and_a_person_who_heard_it(workspace, users, send):
    note = {"key": "call-7", "text": "They compare us with Tipalti.", "received_on": "2026-03-04"}
    refused = send({"source": "field", "items": [note]})
    assert refused.status_code == 400 and "the kind is empty" in refused.json()["detail"]
    heard = {**note, "kind": "comparison", "competitor": "Tipalti", "heard_by": "member@acme.test"}
    assert send({"source": "field", "items": [heard]}).status_code == 200
    assert FeedbackItem.objects.get().heard_by.email == "member@acme.test"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "email", "items": [TICKET]}, "source"),
        ({"source": "zendesk", "items": []}, "items"),
        ({"source": "zendesk", "items": [{**TICKET, "rating": 6}]}, "items.0.rating"),
        (
            {"source": "zendesk", "items": [{**TICKET, "account_value": -1}]},
            "items.0.account_value",
        ),
        (
            {"source": "zendesk", "items": [{**TICKET, "received_on": "soon"}]},
            "items.0.received_on",
        ),
        ({"source": "zendesk", "items": [{**TICKET, "text": ""}]}, "items.0.text"),
    ],
)
def test_a_malformed_body_is_a_400_naming_the_field(workspace, users, send, body, field):
    answer = send(body)
    assert answer.status_code == 400 and answer.json()["field"] == field
    assert not FeedbackItem.objects.exists()


def test_only_owners_and_editors_with_a_write_token_send_feedback(workspace, users, send):
    body = {"source": "zendesk", "items": [TICKET]}
    assert send(body, role="member").status_code == 403
    assert send(body, role="partner").status_code == 403
    assert send(body, scope="read").status_code == 403
    assert send(body, role="owner").status_code == 200


def test_an_item_is_corrected_and_deleted_as_on_its_page(workspace, users, client, send):
    send({"source": "zendesk", "items": [TICKET]})
    item = FeedbackItem.objects.get()
    path = f"{API}/{item.pk}"
    fixed = api_request(client, users["editor"], "patch", path, {"kind": "request"}, "write")
    assert fixed.status_code == 200, fixed.json()
    assert (fixed.json()["kind"], fixed.json()["account"]) == ("request", "Northwind")
    future = api_request(
        client, users["editor"], "patch", path, {"received_on": "2099-01-01"}, "write"
    )
    assert (future.status_code, future.json()["field"]) == (400, "received_on")
    member = api_request(client, users["member"], "delete", path, scope="write")
    assert member.status_code == 403
    assert api_request(client, users["editor"], "delete", path, scope="write").status_code == 204
    assert not FeedbackItem.objects.exists()


THEMES = "/api/v1/workspaces/acme/themes"


def test_an_editor_links_a_theme_to_what_addresses_it(workspace, strategy, users, client, send):
    items = [{**TICKET, "key": str(n), "account": f"Account {n}"} for n in range(3)]
    assert send({"source": "zendesk", "items": items}).status_code == 200
    [theme] = api_request(client, users["editor"], "get", THEMES).json()["themes"]
    initiative = strategy["initiatives"][Visibility.INTERNAL]

    def match(body, role="editor"):
        return api_request(client, users[role], "post", f"{THEMES}/matches", body, scope="write")

    linked = match({"items": theme["members"], "target": f"initiative-{initiative.pk}"})
    assert (linked.status_code, linked.json()) == (200, {"items": 3})
    [theme] = api_request(client, users["editor"], "get", THEMES).json()["themes"]
    assert [(t["id"], t["accepted"]) for t in theme["addressed_by"]] == [(initiative.pk, True)]
    body = {"items": theme["members"], "target": f"initiative-{initiative.pk}", "addresses": False}
    assert match(body).json() == {"items": 3}
    [theme] = api_request(client, users["editor"], "get", THEMES).json()["themes"]
    assert theme["addressed_by"] == [] and theme["status"] == "unaddressed"
    assert NeedLink.objects.filter(accepted=False).count() == 3
    assert match({**body, "target": "initiative-999999"}).status_code == 404
    assert match({**body, "target": "team-1"}).status_code == 400
    assert match({**body, "items": []}).status_code == 400
    assert match(body, role="member").status_code == 403


def test_an_editor_says_what_kind_of_value_items_and_goals_are_about(
    workspace, strategy, users, client, send
):
    assert send({"source": "zendesk", "items": [TICKET]}).status_code == 200
    item = FeedbackItem.objects.get()

    def confirm(body):
        return api_request(client, users["editor"], "post", f"{THEMES}/value", body, "write")

    assert confirm({"items": [item.pk], "kind": "psychological"}).json() == {"items": 1}
    item.refresh_from_db()
    assert item.value == "psychological"
    goal = strategy["goals"][0]
    assert confirm({"goal": goal.pk, "kind": "functional"}).status_code == 200
    goal.refresh_from_db()
    assert goal.value == "functional"
    assert confirm({"kind": "functional"}).status_code == 400  # neither items nor goal
    both = {"items": [item.pk], "goal": goal.pk, "kind": "functional"}
    assert confirm(both).status_code == 400
    assert confirm({"items": [item.pk], "kind": "emotional"}).status_code == 400


def test_the_api_refuses_what_the_pages_refuse_in_their_words(
    workspace, users, client, client_for, send
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = {**TICKET, "key": "2", "received_on": tomorrow}
    answer = send({"source": "zendesk", "items": [TICKET, later]})
    assert answer.status_code == 400 and not FeedbackItem.objects.exists()
    assert answer.json()["errors"] == [
        {
            "where": "items[1]",
            "message": f"date '{tomorrow}' is after today ({timezone.localdate()}): "
            "The date heard cannot be in the future.",
        }
    ]
    note = {"kind": "request", "text": "Export", "received_on": tomorrow}
    page = client_for("editor").post("/w/acme/feedback/new/", note)
    assert "The date heard cannot be in the future." in page.content.decode()
    for query in ("since=2026-12-01&until=2026-01-01", "account=%00"):
        listed = api_request(client, users["member"], "get", f"{API}?{query}")
        twin = client_for("member").get(f"/w/acme/feedback.json?{query}")
        assert listed.status_code == twin.status_code == 400, query
        assert twin.json()["error"] == f"Bad filter: {listed.json()['detail']}"


def test_an_account_value_sent_as_text_is_read_as_an_import_reads_it(
    workspace, users, client, send
):
    items = [
        {**TICKET, "key": "1", "account_value": "95.000"},  # a German 95,000
        {**TICKET, "key": "2", "account_value": 95.000},  # a JSON number: 95
        {**TICKET, "key": "3", "account_value": "1.250.000"},
    ]
    assert send({"source": "zendesk", "items": items}).status_code == 200
    values = dict(FeedbackItem.objects.values_list("source_key", "account_value"))
    assert values == {"1": Decimal("95000.00"), "2": Decimal("95.00"), "3": Decimal("1250000.00")}
    ambiguous = send({"source": "zendesk", "items": [{**TICKET, "account_value": "1234.567"}]})
    assert (ambiguous.status_code, ambiguous.json()["field"]) == (400, "items.0.account_value")
    assert "could be read two ways" in ambiguous.json()["detail"]
    path = f"{API}/{FeedbackItem.objects.get(source_key='2').pk}"
    fixed = api_request(
        client, users["editor"], "patch", path, {"account_value": "95.000"}, "write"
    )
    assert fixed.status_code == 200 and fixed.json()["account_value"] == "95000.00"
