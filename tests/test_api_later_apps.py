"""/api/v1/ for the later apps — glossary, decisions, updates, rituals — on the demo workspace:
each read as its page reads, with the same role rules."""

import pytest
from django.utils import timezone

from truenorth.api.models import ApiToken
from truenorth.checkins.measure import analyze
from truenorth.glossary.models import TermQuestion
from truenorth.rituals.models import Ritual
from truenorth.updates.models import Update
from truenorth.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, analysed_demo):
    """GET an API path of the demo workspace as the demo login with `role`."""
    tokens = {}

    def get(role: str, path: str, **params):
        if role not in tokens:
            user = Membership.objects.get(workspace=analysed_demo, role=role).user
            tokens[role] = ApiToken.issue(user, "test")[1]
        url = f"/api/v1/workspaces/{analysed_demo.slug}/{path}"
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {tokens[role]}")

    return get


def test_it_lists_the_glossary_and_keeps_partners_out(call, analysed_demo):
    found = call("member", "terms", per_page=200).json()
    names = {t["name"] for t in found["items"]}
    assert names == set(analysed_demo.terms.values_list("name", flat=True))
    assert found["count"] == len(names) > 0
    assert call("partner", "terms").status_code == 403
    assert call("member", "terms", updated_since="not a date").status_code == 400


def test_a_terms_answers_are_read_only_by_who_reads_results(call, analysed_demo):
    asked = TermQuestion.objects.filter(term__workspace=analysed_demo).first()
    analyze(asked.question.checkin)  # its results published: the term's readings quote them
    term = asked.term
    viewer = call("viewer", f"terms/{term.pk}").json()
    member = call("member", f"terms/{term.pk}").json()
    # The viewer reads the answers a reading shared by the threshold quotes, and the count of
    # the others; the member, only how many answers there are.
    answers = sum(len(r["quotes"]) + r["unquoted_answers"] for r in viewer["readings"])
    assert viewer["withheld_answers"] == 0
    assert member["withheld_answers"] == answers > 0
    assert all(r["quotes"] == [] for r in member["readings"])
    assert member["divergence_detail"] is None
    assert call("member", "terms/99999999999999999999").status_code in (400, 404)
    assert call("member", f"terms/{2**63 - 1}").status_code == 404


def test_partners_read_only_shared_decisions_without_names(call, analysed_demo):
    shared = set(
        analysed_demo.decisions.filter(shared_with_partners=True).values_list("number", flat=True)
    )
    hidden = analysed_demo.decisions.filter(shared_with_partners=False).first()
    assert shared and hidden is not None
    partner = call("partner", "decisions", per_page=200).json()
    assert {d["number"] for d in partner["items"]} == shared
    for row in partner["items"]:
        assert row["owner"] is None and row["deciders"] is None and row["goals"] is None
    one = call("partner", f"decisions/{min(shared)}").json()
    assert one["comments"] is None and one["blocks"] is None
    assert call("partner", f"decisions/{hidden.number}").status_code == 404

    member = call("member", f"decisions/{hidden.number}").json()
    assert member["title"] == hidden.title
    assert len(member["comments"]) == hidden.comments.count()


def test_decisions_filter_by_status_and_refuse_an_unknown_one(call, analysed_demo):
    decided = call("member", "decisions", status="decided", per_page=200).json()
    assert decided["count"] == analysed_demo.decisions.filter(status="decided").count() > 0
    assert {d["status"] for d in decided["items"]} == {"decided"}
    numbers = [d["number"] for d in decided["items"]]
    assert numbers == sorted(numbers, reverse=True)
    refused = call("member", "decisions", status="maybe")
    assert refused.status_code == 400
    assert refused.json()["field"] == "status"
    later = timezone.now() + timezone.timedelta(days=1)
    assert call("member", "decisions", updated_since=later.isoformat()).json()["count"] == 0


def test_partners_read_only_their_version_of_published_updates(call, analysed_demo):
    published = Update.objects.filter(workspace=analysed_demo, published_at__isnull=False)
    assert published.exists()
    listed = call("partner", "updates", per_page=200).json()["items"]
    assert {u["number"] for u in listed} == set(published.values_list("number", flat=True))
    assert all(u["versions"] == ["partners"] for u in listed)
    number = listed[0]["number"]
    version = call("partner", f"updates/{number}/versions/partners")
    assert version.status_code == 200
    assert version.json()["audience"] == "partners"
    assert call("partner", f"updates/{number}/versions/sales").status_code == 404
    own = call("partner", f"updates/{number}")  # internal: it says where partners read it
    assert own.status_code == 404
    assert own.json()["detail"] == (
        "Partners read the partners' version: "
        f"GET /api/v1/workspaces/{analysed_demo.slug}/updates/{number}/versions/partners"
    )
    assert call("member", f"updates/{number}/versions/nobody").status_code == 400
    sales = call("member", f"updates/{number}/versions/sales").json()
    assert sales["audience"] == "sales" and sales["sections"]


def test_drafts_are_for_editors_only(call, analysed_demo):
    draft = Update.objects.filter(workspace=analysed_demo, published_at__isnull=True).first()
    if draft is None:
        pytest.skip("the demo has no draft update")
    assert call("viewer", f"updates/{draft.number}").status_code == 404
    # A partner learns nothing of a draft's number: the same 404 as a number never used.
    for number in (draft.number, 9999):
        assert call("partner", f"updates/{number}").json()["detail"] == "No such update"
    editor = call("editor", f"updates/{draft.number}").json()
    assert editor["published"] is False and isinstance(editor["problems"], list)


def test_rituals_and_a_sessions_agenda(call, analysed_demo):
    rituals = call("member", "rituals").json()
    assert rituals["count"] == Ritual.objects.filter(workspace=analysed_demo).count() > 0
    ritual = Ritual.objects.filter(workspace=analysed_demo).order_by("number").first()
    detail = call("member", f"rituals/{ritual.number}").json()
    assert detail["name"] == ritual.name and detail["purpose"] == ritual.purpose
    day = detail["upcoming"][0]["day"]
    session = call("member", f"rituals/{ritual.number}/occurrences/{day}")
    assert session.status_code == 200
    assert session.json()["agenda"]["sections"]
    assert call("member", f"rituals/{ritual.number}/occurrences/1990-01-01").status_code == 404
    assert call("member", f"rituals/{ritual.number}/occurrences/2026-02-30").status_code == 400
    assert call("partner", "rituals").status_code == 403
    assert call("member", "rituals/4000000000").status_code == 404
