"""Work items sent to /api/v1/ by a tracker's automation, as importing its export does: keyed
by (source, key), changes of status, points and dates kept in the history, the tracker mappings
followed, and every item valid or nothing saved."""

import pytest

from tests.api import api_request
from truenorth.work.models import LinkedBy, TrackerMapping, WorkItem, WorkItemChange

API = "/api/v1/workspaces/acme/work_items"
ISSUE = {
    "key": "PAY-12",
    "title": "Retry failed payouts",
    "status": "In Progress",
    "points": 3,
    "kind": "Story",
    "parent": "PAY-1",
    "labels": ["payouts"],
    "url": "https://acme.atlassian.net/browse/PAY-12",
    "created": "2026-11-02",
    "due": "2026-12-20",
    "team": "platform",
}


@pytest.fixture
def send(client, users):
    def request(body, role="editor", scope="write"):
        return api_request(client, users[role], "post", API, body, scope=scope)

    return request


def test_items_are_created_then_updated_with_their_history(workspace, team, users, send):
    first = send({"source": "jira", "items": [ISSUE, {**ISSUE, "key": "PAY-13"}]})
    assert first.status_code == 200, first.json()
    assert first.json() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "changes": 0,
        "mapped": 0,
        "unlinked": 0,
        "emptied": {},
        "kept_team": 0,
        "kept_team_note": "",
    }
    item = WorkItem.objects.get(external_key="PAY-12")
    assert (item.source, item.team, item.points, item.labels) == ("jira", team, 3, ["payouts"])
    moved = {**ISSUE, "status": "Done", "resolved": "2026-12-01"}
    second = send({"source": "jira", "items": [moved]}).json()
    assert (second["created"], second["updated"], second["changes"]) == (0, 1, 2)
    changed = WorkItemChange.objects.filter(item=item).values_list(
        "field", "old_value", "new_value"
    )
    assert set(changed) == {("status", "In Progress", "Done"), ("resolved_on", "", "2026-12-01")}


def test_the_tracker_mappings_link_what_is_sent(workspace, strategy, users, send):
    initiative = next(iter(strategy["initiatives"].values()))
    TrackerMapping.objects.create(
        workspace=workspace, field="parent", value="PAY-1", initiative=initiative
    )
    answer = send({"source": "jira", "items": [ISSUE]}).json()
    assert answer["mapped"] == 1
    item = WorkItem.objects.get(external_key="PAY-12")
    assert (item.initiative, item.linked_by) == (initiative, LinkedBy.MAPPING)


def test_one_bad_item_saves_nothing_and_each_is_named(workspace, users, send):
    items = [ISSUE, {**ISSUE, "key": "PAY-12"}, {**ISSUE, "key": "PAY-14", "url": "not a link"}]
    answer = send({"source": "jira", "items": items})
    assert answer.status_code == 400
    assert [e["where"] for e in answer.json()["errors"]] == ["items[1]", "items[2]"]
    assert "repeats" in answer.json()["errors"][0]["message"]
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"points": -1}, "points -1 must be zero or more"),
        ({"key": ""}, "key is empty"),
        ({"labels": "payouts"}, "labels 'payouts' is not a list"),
    ],
)
def test_a_malformed_item_is_a_400_naming_it_in_plain_words(workspace, users, send, change, said):
    answer = send({"source": "jira", "items": [{**ISSUE, **change}]})
    assert answer.status_code == 400
    assert answer.json()["errors"] == [{"where": "items[0]", "message": said}]
    assert answer.json()["detail"] == f"1 item(s) refused; the first, items[0]: {said}"
    source = send({"source": "asana", "items": [ISSUE]}).json()
    assert source["field"] == "source"
    assert source["detail"] == "source 'asana' is not one of 'jira', 'linear', 'github' or 'csv'"


def test_only_owners_and_editors_with_a_write_token_send_work(workspace, users, send):
    body = {"source": "github", "items": [ISSUE]}
    for role in ("member", "viewer", "partner"):
        assert send(body, role=role).status_code == 403
    assert send(body, scope="read").status_code == 403
    assert not WorkItem.objects.exists()


def test_a_tracker_mapping_is_added_and_deleted_with_its_links(
    workspace, team, strategy, users, client, send
):
    send({"source": "jira", "items": [ISSUE, {**ISSUE, "key": "PAY-13", "parent": "PAY-9"}]})
    initiative = strategy["initiatives"]["internal"]
    body = {
        "field": "parent",
        "value": "PAY-1",
        "source": "jira",
        "target": f"initiative:{initiative.pk}",
    }

    def call(method, path="", payload=None, role="editor"):
        url = f"/api/v1/workspaces/acme/tracker_mappings{path}"
        return api_request(client, users[role], method, url, payload, scope="write")

    added = call("post", payload=body)
    assert added.status_code == 201, added.json()
    assert (added.json()["linked"], added.json()["initiative"]["id"]) == (1, initiative.pk)
    item = WorkItem.objects.get(external_key="PAY-12")
    assert (item.initiative, item.linked_by) == (initiative, LinkedBy.MAPPING)
    again = call("post", payload=body)
    assert again.status_code == 400 and "already mapped" in again.json()["detail"]
    assert call("post", payload={**body, "target": "initiative:999999"}).status_code == 400
    assert call("post", payload={**body, "field": "summary"}).status_code == 400
    assert call("post", payload=body, role="member").status_code == 403
    deleted = call("delete", f"/{added.json()['id']}")
    assert deleted.json() == {"unlinked": 1, "linked": 0}
    item.refresh_from_db()
    assert item.initiative is None and not TrackerMapping.objects.exists()
    assert call("delete", f"/{added.json()['id']}").status_code == 404


def test_a_misspelt_field_is_a_400_naming_it_not_an_item_saved_without_it(workspace, users, send):
    typo = {**ISSUE, "sttaus": "Done", "teem": "platform"}
    answer = send({"source": "jira", "items": [typo]})
    assert (answer.status_code, answer.json()["errors"][0]["where"]) == (400, "items[0]")
    assert "sttaus, teem" in answer.json()["detail"]
    assert send({"source": "jira", "items": [ISSUE], "dry_run": True}).status_code == 400
    assert not WorkItem.objects.exists()


def test_a_goal_or_initiative_sent_links_the_item_as_a_csv_import_does(
    workspace, strategy, users, send
):
    goal, initiative = strategy["goals"][1], strategy["initiatives"]["internal"]
    items = [{**ISSUE, "goal": goal.pk}, {**ISSUE, "key": "PAY-13", "initiative": initiative.pk}]
    assert send({"source": "jira", "items": items}).status_code == 200
    direct, through = WorkItem.objects.filter(source="jira").order_by("external_key")
    assert (direct.goal, direct.linked_by) == (goal, LinkedBy.IMPORT)
    assert (through.initiative, through.linked_by) == (initiative, LinkedBy.IMPORT)
    resent = send({"source": "jira", "items": [{**ISSUE, "status": "Done"}]})
    assert resent.status_code == 200
    direct.refresh_from_db()
    assert direct.goal == goal  # left out: the link stays


def test_a_goal_not_in_the_workspace_refuses_the_items(workspace, strategy, users, send):
    items = [{**ISSUE, "goal": 999999}, {**ISSUE, "key": "PAY-13", "url": "not a link"}]
    answer = send({"source": "jira", "items": items})
    assert answer.status_code == 400
    assert {e["where"] for e in answer.json()["errors"]} == {"items[0]", "items[1]"}
    assert "no active goal 999999" in str(answer.json()["errors"])
    assert not WorkItem.objects.filter(source="jira").exists()


def test_every_refused_item_is_listed_with_every_problem(workspace, users, send):
    items = [
        {**ISSUE, "sttaus": "Done"},
        {**ISSUE, "key": "PAY-13", "prio": "High"},
        {**ISSUE, "key": "PAY-14", "points": "lots"},
        {**ISSUE, "key": "PAY-15", "points": -2},
    ]
    answer = send({"source": "jira", "items": items})
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert [e["where"] for e in errors] == ["items[0]", "items[1]", "items[2]", "items[3]"]
    assert "sttaus" in errors[0]["message"] and "prio" in errors[1]["message"]
    assert errors[2]["message"] == "points 'lots' is not a number"
    assert errors[3]["message"] == "points -2 must be zero or more"
    assert not WorkItem.objects.exists()


def test_values_the_import_refuses_are_listed_for_every_item(workspace, users, send):
    items = [{**ISSUE, "due": "soon"}, {**ISSUE, "key": "PAY-13", "created": "2026-02-30"}]
    answer = send({"source": "jira", "items": items})
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert [e["where"] for e in errors] == ["items[0]", "items[1]"]
    assert "due 'soon' is not a date" in errors[0]["message"]
    assert "there is no 30 February 2026" in errors[1]["message"]


def test_dates_are_taken_as_the_file_import_takes_them(workspace, users, send):
    workspace.time_zone = "Pacific/Auckland"
    workspace.save(update_fields=["time_zone"])
    stamped = {**ISSUE, "created": "2026-11-20T16:05:00Z", "resolved": "21/Nov/26"}
    answer = send(
        {"source": "jira", "items": [stamped, {**ISSUE, "key": "PAY-13", "due": "03.12.2026"}]}
    )
    assert answer.status_code == 200, answer.json()
    item = WorkItem.objects.get(external_key="PAY-12")
    # 16:05 UTC on 20 November is the morning of 21 November in Auckland.
    assert (str(item.created_on), str(item.resolved_on)) == ("2026-11-21", "2026-11-21")
    assert str(WorkItem.objects.get(external_key="PAY-13").due_on) == "2026-12-03"


def test_a_resend_says_how_many_it_left_unchanged_or_unlinked(workspace, strategy, users, send):
    initiative = strategy["initiatives"]["internal"]
    TrackerMapping.objects.create(
        workspace=workspace, field="parent", value="PAY-1", initiative=initiative
    )
    send({"source": "jira", "items": [ISSUE, {**ISSUE, "key": "PAY-13"}]})
    moved = send(
        {"source": "jira", "items": [ISSUE, {**ISSUE, "key": "PAY-13", "parent": "PAY-9"}]}
    )
    assert moved.json() == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
        "changes": 0,
        "mapped": 0,
        "unlinked": 1,
        "emptied": {},
        "kept_team": 0,
        "kept_team_note": "",
    }
    assert WorkItem.objects.get(external_key="PAY-13").initiative is None


def test_every_problem_of_every_item_comes_in_one_answer(workspace, team, users, send):
    items = [
        {**ISSUE, "key": "API-1", "goal": 99},
        {**ISSUE, "key": "API-2", "title": "", "points": "three", "created": "31/Nov/26"},
        {**ISSUE, "key": "API-1", "sttaus": "Done", "title": "Lone \ud800 half"},
        {**ISSUE, "key": "API-4", "due": "9999-01-01"},
    ]
    answer = send({"source": "jira", "items": items})
    assert answer.status_code == 400
    said = [(e["where"], e["message"]) for e in answer.json()["errors"]]
    # The shape (empty title, points, unknown field, unstorable text) and the import's own
    # checks (goal, repeated key, dates) together: not one round of each.
    assert said[:3] == [
        ("items[0]", "no active goal 99 in this workspace"),
        ("items[1]", "title is empty"),
        ("items[1]", "points 'three' is not a number"),
    ]
    assert said[3][0] == "items[1]" and said[3][1].startswith("created '31/Nov/26'")
    assert said[4][0] == "items[2]" and said[4][1].startswith("unknown field(s) sttaus;")
    assert said[5:] == [
        ("items[2]", "title holds a lone surrogate (U+D800), which is not a character"),
        ("items[2]", "key 'API-1' repeats items[0]"),
        ("items[3]", "due 9999-01-01 is not between 2000 and 2046: is the year mistyped?"),
    ]
    assert answer.json()["detail"].startswith(
        "4 item(s) refused, 8 problems; the first, items[0]: no active goal 99"
    )
    assert not WorkItem.objects.exists()


def test_a_list_too_long_and_a_decimal_comma_are_said_plainly(workspace, users, send):
    many = send({"source": "jira", "items": [ISSUE] * 5001}).json()
    assert many["detail"] == (
        "items: 5001 sent, at most 5000 at a time; send the rest in another request"
    )
    comma = send({"source": "jira", "items": [{**ISSUE, "points": "3,5"}]}).json()
    assert comma["errors"] == [
        {
            "where": "items[0]",
            "message": "points '3,5' is not a number (write 3.5: a decimal point, not a comma)",
        }
    ]


def test_an_ambiguous_date_is_refused_without_speaking_of_a_file(workspace, users, send):
    answer = send({"source": "jira", "items": [{**ISSUE, "created": "03/04/2026"}]})
    assert answer.json()["errors"] == [
        {
            "where": "items[0]",
            "message": "created '03/04/2026' could be 3 Apr 2026 or 4 Mar 2026: send it as "
            "YYYY-MM-DD",
        }
    ]


def test_a_whole_record_says_what_it_empties(workspace, team, users, send):
    first = {**ISSUE, "key": "INT-2002", "resolved": "2026-12-01"}
    send({"source": "jira", "items": [first]})
    bare = {"key": "INT-2002", "title": "Export audit log as CSV", "status": "Done"}
    answer = send({"source": "jira", "items": [bare]}).json()
    emptied = answer["emptied"]["INT-2002"]
    assert {"team", "created", "points", "resolved", "due", "labels"} <= set(emptied)
    assert answer["changes"] == 4  # status, points, due and resolved: what history keeps
    item = WorkItem.objects.get(external_key="INT-2002")
    assert item.team is None and item.created_on is None
    kept = set(WorkItemChange.objects.filter(item=item).values_list("field", flat=True))
    assert kept == {"status", "points", "due_on", "resolved_on"}


def test_an_unknown_team_is_refused_as_the_other_csv_refuses_it(workspace, team, users, send):
    answer = send({"source": "jira", "items": [{**ISSUE, "team": "Nope"}]})
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"where": "items[0]", "message": "no team named 'Nope' in this workspace"}
    ]
    assert send({"source": "jira", "items": [{**ISSUE, "team": "PLATFORM"}]}).status_code == 200


def test_keys_are_listed_in_natural_order_page_by_page(workspace, users, client, send):
    keys = ["BLK-10", "BLK-2", "BLK-100", "BLK-1", "BLK-9", "A-3"]
    send({"source": "jira", "items": [{**ISSUE, "key": key, "team": ""} for key in keys]})

    def page(number):
        url = f"{API}?source=jira&per_page=4&page={number}"
        answer = api_request(client, users["member"], "get", url).json()
        return [item["external_key"] for item in answer["items"]]

    assert page(1) + page(2) == ["A-3", "BLK-1", "BLK-2", "BLK-9", "BLK-10", "BLK-100"]
