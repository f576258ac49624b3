"""Recording decisions through /api/v1/ as their pages do: raise and edit a record, decide,
supersede and reverse it, comment and correct a comment's kind. The page's forms and actions
refuse the same things, with the same reasons; a status that does not allow a change is a 409."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.api import caller
from tests.zones import a_zone_whose_day_is_not_the_servers, day_in
from truenorth.decisions import actions
from truenorth.decisions.models import Comment, Decision, KindBy

API = "/api/v1/workspaces/acme/decisions"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


def raised(workspace, title="Pick a payments vendor") -> Decision:
    return actions.add_decision(Decision(workspace=workspace, title=title, question="Which?"))


def person_id(workspace, role: str) -> int:
    return workspace.people.get(name=role.title()).pk


def test_an_editor_raises_a_decision_with_its_people_links_and_options(
    workspace, users, strategy, call
):
    goal = strategy["goals"][0]
    body = {
        "title": "Price per entity?",
        "question": "Do we price per entity or per seat?",
        "kind": "pricing",
        "owner": person_id(workspace, "editor"),
        "deciders": [person_id(workspace, "owner")],
        "informed": [person_id(workspace, "member")],
        "goals": [goal.pk],
        "options": [{"name": "Per entity", "pros": "Fair", "cons": ""}, {"name": "Per seat"}],
    }
    answer = call("post", body=body)
    assert answer.status_code == 201, answer.json()
    made = answer.json()
    assert made["number"] == 1 and made["status"] == "proposed" and made["kind"] == "pricing"
    assert (made["owner"], made["deciders"], made["informed"]) == ("Editor", ["Owner"], ["Member"])
    assert made["goals"] == [{"id": goal.pk, "title": goal.title}]
    assert [o["name"] for o in made["options"]] == ["Per entity", "Per seat"]
    assert made["raised_on"] == timezone.localdate().isoformat() and made["repeats"] == []
    assert Decision.objects.get(number=1).created_by == users["editor"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner": "partner"}, "owner"),  # partners are never on a record
        ({"supersedes": 9}, "supersedes"),
        ({"raised_on": "2099-01-01"}, "raised_on"),
        ({"options": [{"name": "A", "pros": "", "cons": ""}] * 5}, "options"),
        ({"title": ""}, "title"),
        ({"goals": [2**63]}, "goals.0"),
    ],
)
def test_what_the_page_refuses_is_a_400_naming_the_field(workspace, users, call, change, field):
    if change.get("owner") == "partner":
        change = {"owner": person_id(workspace, "partner")}
    answer = call("post", body={"title": "Vendor?", "question": "Which?", **change})
    assert answer.status_code == 400, answer.json()
    assert answer.json()["field"] == field
    assert not Decision.objects.exists()


def test_members_read_tokens_and_partners_cannot_write(workspace, users, call):
    body = {"title": "Vendor?", "question": "Which?"}
    assert call("post", body=body, role="member").status_code == 403
    assert call("post", body=body, scope="read").status_code == 403
    assert call("post", body=body, role="partner").status_code == 403
    decision = raised(workspace)
    assert call("post", f"/{decision.number}/decide", {"outcome": "A"}, "member").status_code == 403
    assert (
        call("post", f"/{decision.number}/comments", {"text": "Why?"}, "partner").status_code == 403
    )
    assert not Decision.objects.filter(status="decided").exists()


def test_a_patch_changes_only_the_fields_sent(workspace, users, strategy, call):
    decision = raised(workspace)
    decision.options = [{"name": "Vendor A", "pros": "Cheap", "cons": ""}]
    decision.save()
    decision.goals.set([strategy["goals"][0]])
    member = person_id(workspace, "member")
    answer = call(
        "patch", f"/{decision.number}", {"title": "Payments vendor", "informed": [member]}
    )
    assert answer.status_code == 200, answer.json()
    changed = answer.json()
    assert changed["title"] == "Payments vendor" and changed["question"] == "Which?"
    assert changed["informed"] == ["Member"] and len(changed["goals"]) == 1
    assert changed["options"] == [{"name": "Vendor A", "pros": "Cheap", "cons": ""}]
    cleared = call("patch", f"/{decision.number}", {"options": None, "goals": None}).json()
    assert (cleared["options"], cleared["goals"], cleared["informed"]) == ([], [], ["Member"])
    assert call("patch", "/99", {"title": "x"}).status_code == 404


def test_decide_supersede_and_reverse_move_the_status_or_say_why_not(workspace, users, call):
    first, later = raised(workspace), raised(workspace, "Pick again")
    decided = call("post", "/1/decide", {"outcome": "Vendor A.", "rationale": "Cheapest."})
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "decided"
    assert decided.json()["decided_on"] == timezone.localdate().isoformat()
    again = call("post", "/1/decide", {"outcome": "Vendor B."})
    assert again.status_code == 409 and again.json()["detail"] == "Decision 1 is decided, not open."
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    early = call("post", "/2/decide", {"outcome": "B", "decided_on": tomorrow})
    assert early.status_code == 400 and "can't be a future day" in early.json()["detail"]
    assert call("post", "/2/reverse", {"why": "No."}).status_code == 409
    assert call("post", "/1/supersede", {"by": 9}).json()["field"] == "by"
    superseded = call("post", "/1/supersede", {"by": later.number})
    assert superseded.status_code == 200 and superseded.json()["status"] == "superseded"
    assert superseded.json()["superseded_by"] == [2]
    assert call("post", "/1/reverse", {"why": "Withdrawn."}).status_code == 409
    call("post", "/2/decide", {"outcome": "Vendor B."})
    taken_back = call("post", "/2/reverse", {"why": "  The vendor withdrew. "}).json()
    assert (taken_back["status"], taken_back["reversed_because"]) == (
        "reversed",
        "The vendor withdrew.",
    )
    first.refresh_from_db()
    assert first.closed_on == timezone.localdate()


def test_a_comment_is_sorted_by_the_model_or_by_its_author(workspace, users, call):
    raised(workspace)
    asked = call("post", "/1/comments", {"text": "Which entities count?"}, "member")
    assert asked.status_code == 201, asked.json()
    assert asked.json()["author"] == "Member" and asked.json()["kind_by"] == "model"
    assert asked.json()["kind"] in ("question", "objection", "support")
    own = call("post", "/1/comments", {"text": "Fine by me.", "kind": "support"}, "member").json()
    assert (own["kind"], own["kind_by"], own["kind_confidence"]) == ("support", "person", None)
    committed = call("post", "/1/comments", {"text": "Too dear.", "disagree_and_commit": True})
    assert committed.json()["kind"] == "objection"
    assert Comment.objects.get(pk=own["id"]).written_by == users["member"]
    assert call("post", "/1/comments", {"text": ""}, "member").json()["field"] == "text"


def test_a_comment_that_states_its_objection_is_an_objection_by_its_own_words(
    workspace, users, call
):
    """Seen: "I object: …" was read as support, 97% sure, because it mentions the support team."""
    raised(workspace)
    text = "I object: this ignores the Zorblat rollout that the support team depends on"
    said = call("post", "/1/comments", {"text": text}, "member").json()
    assert (said["kind"], said["kind_by"], said["kind_confidence"]) == ("objection", "words", None)
    voted = call("post", "/1/comments", {"text": "-1"}, "member").json()
    assert (voted["kind"], voted["kind_by"]) == ("objection", "words")  # a vote, not junk


def test_a_comments_kind_is_corrected_by_its_author_or_an_editor(workspace, users, call):
    raised(workspace)
    said = call("post", "/1/comments", {"text": "Why now?", "kind": "question"}, "member").json()
    kind_url = f"/1/comments/{said['id']}/kind"
    assert call("post", kind_url, {"kind": "objection"}, "viewer").status_code == 403
    assert call("post", kind_url, {"kind": "objection"}, "member").json()["kind"] == "objection"
    assert call("post", kind_url, {"kind": "support"}).json()["kind"] == "support"
    assert call("post", kind_url, {"kind": "unsorted"}).status_code == 400
    assert call("post", "/1/comments/999/kind", {"kind": "support"}).status_code == 404
    assert Comment.objects.get().kind_by == KindBy.PERSON


def test_today_is_the_workspaces_and_the_zone_is_off_after_the_request(workspace, users, call):
    assert settings.TIME_ZONE == "UTC"
    workspace.time_zone = a_zone_whose_day_is_not_the_servers()
    workspace.save()
    answer = call("post", body={"title": "Vendor?", "question": "Which?"})
    assert answer.json()["raised_on"] == day_in(workspace.time_zone).isoformat()
    decided = call("post", "/1/decide", {"outcome": "Vendor A."}).json()
    assert decided["decided_on"] == day_in(workspace.time_zone).isoformat()
    assert timezone.get_current_timezone_name() == "UTC"


def test_a_comment_too_long_is_refused_and_junk_is_unclear(workspace, users, call, client_for):
    raised(workspace)
    long = "word " * 40_000  # 200,000 characters
    refused = call("post", "/1/comments", {"text": long}, "member")
    assert refused.status_code == 400 and refused.json()["field"] == "text"
    assert "at most 5,000 characters" in str(refused.json())
    page = client_for("member").post("/w/acme/decisions/1/comments/", {"text": long})
    assert page.status_code == 400 and b"at most 5,000 characters" in page.content
    assert not Comment.objects.exists()
    for junk in ("asdf", "xxxxxxxxxxxx", "qwerty hjkl"):
        said = call("post", "/1/comments", {"text": junk}, "member").json()
        assert said["kind"] == "unclear", junk
    call("post", "/1/comments", {"text": "Fine by me.", "kind": "support"}, "member")
    data = client_for("member").get("/w/acme/decisions/1.json").json()
    shares = {k["kind"]: k["share"] for k in data["comment_kinds"]}
    assert shares["support"] == 100.0 and data["comments_unclear"] == 3
    page = client_for("member").get("/w/acme/decisions/1/").content.decode()
    assert 'id="kind-unclear"' in page and "left out of the shares" in page
