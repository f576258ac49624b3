"""/api/v1/ claims: verdicts and evidence read, claims recorded and checked with the real model."""

from datetime import date

import pytest

from tests.api import api_request
from truenorth.claims.actions import recheck_all, save_claim
from truenorth.claims.models import Claim, Verdict
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, Status
from truenorth.workspaces.people import erase

BASE = "/api/v1/workspaces/acme"
SLACK = "Told them approvers can approve invoices straight from a Slack message."
PAYROLL = "Said our support team answers the phone in Japanese around the clock."


@pytest.fixture
def api(client, users):
    """call(method, path, role, scope="read", body=None): the response, a 500 failing the test."""
    client.raise_request_exception = True

    def call(method, path, role, scope="read", body=None):
        return api_request(client, users[role], method, BASE + path, body, scope)

    return call


@pytest.fixture
def roadmap(workspace):
    return {
        "slack": Initiative.objects.create(
            workspace=workspace,
            title="Approve invoices from Slack",
            problem="Approvers never open the app.",
            status=Status.SHIPPED,
        ),
        "bank": Initiative.objects.create(
            workspace=workspace,
            title="Bank feeds",
            problem="Payments are matched by hand.",
            status=Status.COMMITTED,
            target_date=date(2027, 3, 1),
        ),
    }


@pytest.fixture
def claims(workspace, roadmap):
    said = [(SLACK, "Northwind", date(2026, 10, 1)), (PAYROLL, "Globex", date(2026, 11, 2))]
    return [
        save_claim(Claim(workspace=workspace, said_on=on, account=account, text=text))
        for text, account, on in said
    ]


def test_it_lists_claims_latest_first_with_their_evidence(api, claims, roadmap):
    response = api("get", "/claims", "member")
    assert response.status_code == 200
    payroll, slack = response.json()["items"]
    assert payroll["verdict"] == Verdict.NO_CAPABILITY and slack["verdict"] == Verdict.AVAILABLE
    assert slack["evidence"]["initiative"] == roadmap["slack"].pk
    assert slack["evidence"]["matched"] is True and slack["evidence"]["status"] == "shipped"
    assert payroll["evidence"]["matched"] is False


def test_it_filters_by_verdict_and_account(api, claims):
    found = api("get", "/claims?verdict=available", "viewer").json()
    assert [c["account"] for c in found["items"]] == ["Northwind"]
    assert api("get", "/claims?account=Globex", "viewer").json()["count"] == 1
    assert api("get", "/claims?account=Initech", "viewer").json()["count"] == 0
    response = api("get", "/claims?verdict=maybe", "viewer")
    assert response.status_code == 400 and response.json()["field"] == "verdict"


def test_one_claim(api, claims):
    slack = claims[0]
    assert api("get", f"/claims/{slack.pk}", "editor").json()["text"] == SLACK
    assert api("get", f"/claims/{2**62}", "editor").status_code == 404
    assert api("get", "/claims/99999999999999999999", "editor").status_code == 400


@pytest.mark.parametrize("role, status", [("viewer", 200), ("partner", 403), ("outsider", 404)])
def test_claims_are_for_the_organisation(api, claims, role, status):
    assert api("get", "/claims", role).status_code == status
    assert api("get", f"/claims/{claims[0].pk}", role).status_code == status


def test_an_editor_records_a_claim_and_gets_its_verdict(api, roadmap, users, workspace):
    body = {"said_on": "2026-11-20", "account": "Initech", "text": SLACK, "source": "call"}
    response = api("post", "/claims", "editor", "write", body)
    assert response.status_code == 201
    made = response.json()
    assert made["verdict"] == Verdict.AVAILABLE
    assert made["evidence"]["initiative"] == roadmap["slack"].pk
    saved = Claim.objects.get(pk=made["id"])
    assert saved.created_by == users["editor"] and saved.checked_at is not None


def test_a_claim_by_a_person_of_the_workspace(api, roadmap, users, workspace):
    person = workspace.people.get(name="Member")
    body = {"said_on": "2026-11-20", "account": "Initech", "text": PAYROLL, "said_by": person.pk}
    made = api("post", "/claims", "owner", "write", body).json()
    assert made["said_by"] == "Member" and made["said_by_person"] == person.pk


@pytest.mark.parametrize(
    "body, field",
    [
        ({"said_on": "2026-02-30", "account": "A", "text": "x"}, "said_on"),
        ({"said_on": "2026-02-01", "account": "", "text": "x"}, "account"),
        ({"said_on": "2026-02-01", "account": "A" * 201, "text": "x"}, "account"),
        ({"said_on": "2026-02-01", "account": "A", "text": "x", "said_by": 10**30}, "said_by"),
        ({"said_on": "2026-02-01", "account": "A", "text": "x", "said_by": 2**62}, "said_by"),
        ({"said_on": "2026-02-01", "account": "A"}, "text"),
        ({"said_on": "2026-02-01", "account": "A", "text": "x", "said_by": True}, "said_by"),
        ({"said_on": "2026-02-01", "account": "A", "text": "x", "said_by": "1"}, "said_by"),
        ({"said_on": "2026-02-01", "account": "A", "text": "x", "said_by": 1.0}, "said_by"),
    ],
)
def test_a_bad_claim_is_a_400_naming_the_field(api, workspace, body, field):
    response = api("post", "/claims", "owner", "write", body)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not workspace.claims.exists()


def test_a_claim_by_both_a_person_and_a_name_is_refused(api, workspace):
    person = workspace.people.get(name="Member")
    body = {"said_on": "2026-02-01", "account": "A", "text": "x", "said_by": person.pk}
    response = api("post", "/claims", "owner", "write", {**body, "said_by_name": "Pat"})
    assert response.status_code == 400 and response.json()["field"] == "said_by_name"


def test_a_partner_is_not_a_speaker(api, workspace):
    partner = workspace.people.get(name="Partner")
    body = {"said_on": "2026-02-01", "account": "A", "text": "x", "said_by": partner.pk}
    assert api("post", "/claims", "owner", "write", body).status_code == 400


def test_readers_and_read_tokens_cannot_record(api, workspace):
    body = {"said_on": "2026-02-01", "account": "A", "text": SLACK}
    assert api("post", "/claims", "viewer", "write", body).status_code == 403
    assert api("post", "/claims", "editor", "read", body).status_code == 403
    assert not workspace.claims.exists()


def test_an_editor_corrects_a_claim_and_it_is_checked_again(api, claims, roadmap):
    payroll = claims[1]
    response = api("patch", f"/claims/{payroll.pk}", "editor", "write", {"text": SLACK})
    assert response.status_code == 200
    assert (response.json()["text"], response.json()["verdict"]) == (SLACK, Verdict.AVAILABLE)
    assert response.json()["account"] == "Globex"  # what was not sent stays
    too_long = api("patch", f"/claims/{payroll.pk}", "editor", "write", {"text": "x" * 2001})
    assert too_long.status_code == 400 and too_long.json()["field"] == "text"
    assert (
        api("patch", f"/claims/{payroll.pk}", "viewer", "write", {"text": "x"}).status_code == 403
    )
    assert Claim.objects.get(pk=payroll.pk).text == SLACK


def test_a_correction_by_a_boolean_person_is_refused(api, claims):
    response = api("patch", f"/claims/{claims[1].pk}", "editor", "write", {"said_by": True})
    assert response.status_code == 400 and response.json()["field"] == "said_by"
    assert Claim.objects.get(pk=claims[1].pk).said_by is None


def test_the_evidence_says_when_the_date_moved_since_the_claim_was_said(api, roadmap):
    text = "Told them bank feeds will match their payments automatically."
    body = {"said_on": "2026-11-20", "account": "Initech", "text": text}
    made = api("post", "/claims", "editor", "write", body).json()
    assert made["evidence"]["said_target_date"] == "2027-03-01"
    assert made["evidence"]["moved_since_said"] == ""
    roadmap["bank"].target_date = date(2027, 4, 1)
    save_initiative(roadmap["bank"])
    recheck_all(roadmap["bank"].workspace)
    evidence = api("get", f"/claims/{made['id']}", "viewer").json()["evidence"]
    assert evidence["said_status"] == "committed" and evidence["target_date"] == "2027-04-01"
    assert evidence["moved_since_said"] == "date moved since said: was 1 Mar 2027, now 1 Apr 2027"


def test_an_editor_deletes_a_claim(api, claims, workspace):
    slack = claims[0]
    assert api("delete", f"/claims/{slack.pk}", "viewer", "write").status_code == 403
    assert api("delete", f"/claims/{slack.pk}", "editor", "read").status_code == 403
    assert api("delete", f"/claims/{slack.pk}", "editor", "write").status_code == 204
    assert api("delete", f"/claims/{slack.pk}", "editor", "write").status_code == 404
    assert list(workspace.claims.values_list("pk", flat=True)) == [claims[1].pk]


def test_the_account_filter_takes_the_whole_name_in_any_case_as_the_pages(api, claims):
    found = api("get", "/claims?account=%20NORTHWIND%20", "viewer").json()
    assert [c["account"] for c in found["items"]] == ["Northwind"]
    assert api("get", "/claims?account=north", "viewer").json()["count"] == 0


def test_an_erased_speaker_has_no_id_to_gather_their_claims_by(api, claims, workspace):
    person = workspace.people.get(name="Member")
    body = {"said_on": "2026-11-20", "account": "Initech", "text": PAYROLL, "said_by": person.pk}
    made = api("post", "/claims", "owner", "write", body).json()
    erase(person)
    read = api("get", f"/claims/{made['id']}", "viewer").json()
    assert read["said_by"] == "Erased person"
    assert read["said_by_id"] is None and read["said_by_person"] is None
    sent_back = api("patch", f"/claims/{made['id']}", "owner", "write", read)
    assert sent_back.status_code == 200 and sent_back.json()["said_by"] == "Erased person"
    other = Claim.objects.exclude(pk=made["id"]).first()
    moved = api("patch", f"/claims/{other.pk}", "owner", "write", {"said_by": person.pk})
    assert moved.status_code == 400
