"""A decision's and an update's back-brief ("What did you hear?") sent through /api/v1/ as their
pages' forms send them: the same checks in the same order, each refusal a 4xx with the page's
words, the same roles; and an update's JSON gives each audience's back-brief as its page shows
it to the caller's role, the reading only from the anonymity threshold on (real model). Real
database, Django's test client, Django's outbox, and for "no mail server" an SMTP backend
pointed at a loopback port where nothing listens."""

from datetime import date
from email.utils import parseaddr

import pytest
from django.core import mail

from tests.api import caller
from tests.smtp import no_mail_server_fixture  # noqa: F401
from tests.test_decision_backbrief import add, decision, threshold_of_three  # noqa: F401
from tests.test_decision_backbrief_refused import decision as decision_near_pulse  # noqa: F401
from tests.test_decision_backbrief_refused import published_pulse, sales  # noqa: F401
from tests.test_updates_backbrief import designers, update  # noqa: F401
from tests.test_updates_backbrief_refused import newcomer  # noqa: F401
from tests.test_updates_backbrief_refused import update as update_near_pulse  # noqa: F401
from truenorth.api.updates import back_briefs
from truenorth.checkins.actions import issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.decisions import actions as decision_actions
from truenorth.decisions.models import BackBrief
from truenorth.updates import actions as update_actions
from truenorth.updates import backbrief as update_backbrief
from truenorth.updates.models import UpdateBackBrief

# They count each person's messages: notifications would be more of them.
pytestmark = pytest.mark.usefixtures("no_notifications")

# decision_near_pulse informs four of the Sales team of five, whose pulse was published two days
# ago, and update_near_pulse's sales version has one newcomer more: neither could be published.
API = "/api/v1/workspaces/acme"
DIFFERS = "audience differs from “Sales pulse” by 1 person"
CONFIRM = 'To send it all the same, send it again with "send_anyway": true.'


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


@pytest.fixture
def send(call, django_capture_on_commit_callbacks):
    """POST a back-brief as `role` (an editor); the links queued on commit are sent after it."""

    def send(path, body=None, role="editor", scope="write"):
        body = {} if body is None else body
        with django_capture_on_commit_callbacks(execute=True):
            return call("post", path, body, role, scope)

    return send


def mailed_to() -> set[str]:
    return {parseaddr(message.to[0])[1] for message in mail.outbox}


def refusal(answer, status: int) -> dict:
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    return answer.json()


# --- a decision's back-brief ---


def test_an_editor_sends_a_decisions_back_brief_as_the_page_does(decision, send, call):  # noqa: F811
    threshold_of_three(decision.workspace)
    sent = send(f"/decisions/{decision.number}/back-brief")
    assert sent.status_code == 201, sent.content
    made = BackBrief.objects.get(decision=decision)
    body = sent.json()
    assert body["checkin"] == made.checkin_id and made.checkin.anonymous
    assert body["said"].startswith("Back-brief sent to 3 people: “What did you hear?”")
    assert body["mailed"] is True and body["warnings"] == []
    assert body["back_brief"]["state"] == "open" and body["back_brief"]["asked"] == 3
    assert body["back_brief"]["checkin"] == made.checkin_id
    # What the decision's JSON now says, and its links mailed to the people informed.
    read = call("get", f"/decisions/{decision.number}", role="viewer").json()
    assert read["back_brief"] == body["back_brief"]
    assert read["back_brief_before_sending"] is None
    informed = {"owner@acme.test", "editor@acme.test", "member@acme.test"}  # never the partner
    assert mailed_to() == informed and len(mail.outbox) == 3
    assert set(made.checkin.invitations.values_list("status", flat=True)) == {"sent"}


def test_attributed_is_the_pages_tick(decision, send):  # noqa: F811
    threshold_of_three(decision.workspace)
    sent = send(f"/decisions/{decision.number}/back-brief", {"attributed": True})
    assert sent.status_code == 201, sent.content
    assert not BackBrief.objects.get(decision=decision).checkin.anonymous


def test_a_decisions_refusals_are_the_pages_words(decision, send, users):  # noqa: F811
    url = f"/decisions/{decision.number}/back-brief"
    too_few = refusal(send(url), 400)  # 3 people informed, under the threshold of 5
    assert too_few["title"] == "Not sent"
    assert too_few["detail"].startswith("Not sent: Only 3 people would be asked, fewer than")
    threshold_of_three(decision.workspace)
    proposed = add(decision.workspace, "Do we open an office in Berlin?")
    said = refusal(send(f"/decisions/{proposed.number}/back-brief"), 400)["detail"]
    assert said == (
        f"Decision {proposed.number} is not decided yet: only a decision that has been made can "
        "be back-briefed."
    )
    nobody = add(decision.workspace, "Do we hire in Lisbon?")
    decision_actions.decide(nobody, date(2026, 3, 4), "Yes.", "The talent is there.")
    said = refusal(send(f"/decisions/{nobody.number}/back-brief"), 400)["detail"]
    assert said == (
        "Nobody to ask yet: list the people informed, or the deciders and consulted, first."
    )
    assert not BackBrief.objects.exists() and mail.outbox == []
    assert send(url).status_code == 201
    again = refusal(send(url, {"send_anyway": True}), 400)["detail"]
    assert f"Decision {decision.number}'s back-brief was already sent on" in again
    assert BackBrief.objects.count() == 1 and len(mail.outbox) == 3


def test_one_that_could_never_be_published_takes_send_anyway(decision_near_pulse, send):  # noqa: F811
    url = f"/decisions/{decision_near_pulse.number}/back-brief"
    refused = refusal(send(url), 409)
    assert refused["title"] == "Could never be published" and refused["field"] == "send_anyway"
    assert refused["detail"].startswith(
        "Nothing was sent. Sent as it is, its results could never be shown"
    )
    assert DIFFERS in refused["detail"] and refused["detail"].endswith(CONFIRM)
    assert not decision_near_pulse.backbriefs.exists() and mail.outbox == []

    sent = send(url, {"send_anyway": True})
    assert sent.status_code == 201, sent.content
    assert len(mail.outbox) == 4
    # No warning promising a publication: the reading says why none will come.
    assert sent.json()["warnings"] == []
    assert "cannot be published" in sent.json()["back_brief"]["never_shown"]


def test_without_mail_an_anonymous_one_is_not_made_and_an_attributed_one_is(
    no_mail_server,
    decision,  # noqa: F811
    send,
):
    threshold_of_three(decision.workspace)
    url = f"/decisions/{decision.number}/back-brief"
    refused = refusal(send(url), 503)
    assert refused["title"] == "No mail server" and refused["field"] == "attributed"
    assert refused["detail"].startswith("No mail server answered")
    assert refused["detail"].endswith(
        'Set up the mail server, or send it again with "attributed": true to hand out the '
        "links yourself."
    )
    assert not BackBrief.objects.exists()

    sent = send(url, {"attributed": True})
    assert sent.status_code == 201, sent.content
    checkin = BackBrief.objects.get(decision=decision).checkin
    assert sent.json()["mailed"] is False and not checkin.anonymous
    assert "Its personal links were not mailed" in sent.json()["said"]
    assert f"POST …/checkins/{checkin.pk}/send" in sent.json()["said"]
    assert not checkin.invitations.filter(status="sent").exists()


def test_what_no_mail_server_can_mend_is_said_first(no_mail_server, decision, send):  # noqa: F811
    said = refusal(send(f"/decisions/{decision.number}/back-brief"), 400)["detail"]
    assert said.startswith("Not sent: Only 3 people would be asked") and "mail" not in said


# Who may not send a back-brief, and the status each gets: only owners and editors, with a
# write token, may.
NOT_ALLOWED = [
    ("member", "write", 403),
    ("viewer", "write", 403),
    ("partner", "write", 403),
    ("outsider", "write", 404),
    ("editor", "read", 403),
]


@pytest.mark.parametrize(("role", "scope", "status"), NOT_ALLOWED)
def test_only_owners_and_editors_send_one(decision, send, role, scope, status):  # noqa: F811
    threshold_of_three(decision.workspace)
    refusal(send(f"/decisions/{decision.number}/back-brief", role=role, scope=scope), status)
    assert not BackBrief.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        ([], "", "Send a JSON object as the body."),
        ({"attributed": "maybe"}, "attributed", "attributed 'maybe' is not true or false"),
        ({"anyway": True}, "", "unknown field(s) anyway"),
    ],
)
def test_a_malformed_body_is_a_400_and_sends_nothing(decision, send, body, field, said):  # noqa: F811
    threshold_of_three(decision.workspace)
    refused = refusal(send(f"/decisions/{decision.number}/back-brief", body), 400)
    assert refused["field"] == field and said in refused["detail"]
    assert not BackBrief.objects.exists()


def test_no_such_decision_is_a_404(decision, send):  # noqa: F811
    assert refusal(send("/decisions/99/back-brief"), 404)["detail"] == "No such decision."
    assert refusal(send("/decisions/0/back-brief"), 400)["field"] == "number"


# --- an update's back-brief ---


def row(answer, audience: str) -> dict:
    (found,) = [r for r in answer.json()["back_briefs"] if r["audience"] == audience]
    return found


def test_an_editor_asks_an_audience_as_the_page_does(update, send, call, client_for):  # noqa: F811
    before = call("get", f"/updates/{update.number}")
    engineering = row(before, "engineering")
    assert engineering["state"] == "not_asked" and engineering["people"] == 4
    assert engineering["before_sending"] == {"never_published": "", "warnings": []}
    assert row(before, "design")["below_threshold"] is True  # 2 people, under 3
    assert row(before, "design")["before_sending"] is None
    assert "partners" not in {r["audience"] for r in before.json()["back_briefs"]}

    sent = send(f"/updates/{update.number}/back-brief", {"audience": "engineering"})
    assert sent.status_code == 201, sent.content
    made = UpdateBackBrief.objects.get(audience="engineering")
    body = sent.json()
    assert body["checkin"] == made.checkin_id and made.checkin.anonymous
    assert body["said"].startswith("Back-brief sent to 4 people")
    assert (
        body["back_brief"]["state"] == "open" and body["back_brief"]["checkin"] == made.checkin_id
    )
    assert body["back_brief"]["before_sending"] is None
    engineers = {"owner@acme.test", "editor@acme.test", "viewer@acme.test", "member@acme.test"}
    assert mailed_to() == engineers and len(mail.outbox) == 4
    assert row(call("get", f"/updates/{update.number}"), "engineering") == body["back_brief"]
    # The page's JSON twin gives the same rows.
    twin = client_for("editor").get(f"/w/acme/updates/{update.number}.json").json()
    assert twin["back_briefs"] == call("get", f"/updates/{update.number}").json()["back_briefs"]


def test_an_updates_refusals_are_the_pages_words(update, send, workspace):  # noqa: F811
    draft = update_actions.open_draft(workspace, date(2026, 12, 1), date(2026, 12, 31), "December")
    for number, audience, said in [
        (draft.number, "engineering", f"Update {draft.number} is a draft: publish it before"),
        (update.number, "partners", "Partners are not asked: their answers never enter"),
        (update.number, "design", "Design has 2 people with an email, fewer than the"),
    ]:
        body = {"audience": audience, "send_anyway": True}
        refused = refusal(send(f"/updates/{number}/back-brief", body), 400)
        assert refused["title"] == "Not sent" and refused["detail"].startswith(said), audience
    assert not UpdateBackBrief.objects.exists() and mail.outbox == []
    url = f"/updates/{update.number}/back-brief"
    assert send(url, {"audience": "engineering"}).status_code == 201
    again = refusal(send(url, {"audience": "engineering"}), 400)["detail"]
    assert f"Update {update.number}'s back-brief for Engineering was already sent on" in again
    assert UpdateBackBrief.objects.count() == 1 and len(mail.outbox) == 4


def test_an_audience_that_could_never_be_published_takes_send_anyway(update_near_pulse, send):  # noqa: F811
    url = f"/updates/{update_near_pulse.number}/back-brief"
    refused = refusal(send(url, {"audience": "sales"}), 409)
    assert refused["title"] == "Could never be published" and refused["field"] == "send_anyway"
    assert DIFFERS in refused["detail"] and refused["detail"].endswith(CONFIRM)
    assert not UpdateBackBrief.objects.exists() and mail.outbox == []

    sent = send(url, {"audience": "sales", "send_anyway": True})
    assert sent.status_code == 201, sent.content
    assert len(mail.outbox) == 6 and sent.json()["warnings"] == []
    assert "cannot be published" in sent.json()["back_brief"]["reading"]["never_shown"]


def test_without_mail_nothing_is_made(no_mail_server, update, send):  # noqa: F811
    refused = refusal(
        send(f"/updates/{update.number}/back-brief", {"audience": "engineering"}), 503
    )
    assert refused["title"] == "No mail server"
    assert refused["detail"].startswith("No mail server answered")
    assert not UpdateBackBrief.objects.exists()


@pytest.mark.parametrize(("role", "scope", "status"), NOT_ALLOWED)
def test_only_owners_and_editors_ask(update, send, role, scope, status):  # noqa: F811
    body = {"audience": "engineering"}
    refusal(send(f"/updates/{update.number}/back-brief", body, role, scope), status)
    assert not UpdateBackBrief.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        ({}, "audience", "audience is missing"),
        ({"audience": "nobody"}, "audience", "audience 'nobody' is not one of"),
        ({"audience": "engineering", "send_anyway": 1.5}, "send_anyway", "not true or false"),
        ({"audience": "engineering", "anyway": "on"}, "", "unknown field(s) anyway"),
    ],
)
def test_a_malformed_ask_is_a_400_and_asks_nobody(update, send, body, field, said):  # noqa: F811
    refused = refusal(send(f"/updates/{update.number}/back-brief", body), 400)
    assert refused["field"] == field and said in refused["detail"]
    assert not UpdateBackBrief.objects.exists()


def test_each_role_reads_what_its_page_shows(update, send, call, users):  # noqa: F811
    send(f"/updates/{update.number}/back-brief", {"audience": "engineering"})
    checkin_id = UpdateBackBrief.objects.get().checkin_id
    viewer = row(call("get", f"/updates/{update.number}", role="viewer"), "engineering")
    assert viewer["state"] == "open" and viewer["reading"]["state"] == "open"
    assert viewer["checkin"] == checkin_id and viewer["before_sending"] is None
    member = row(call("get", f"/updates/{update.number}", role="member"), "engineering")
    assert member["state"] == "asked" and member["reading"] is None
    assert member["checkin"] == checkin_id and member["asked_on"] == viewer["asked_on"]
    assert row(call("get", f"/updates/{update.number}", role="member"), "sales")["state"] == (
        "not_asked"
    )
    # Partners read only their version: the update's JSON, back-briefs and all, is a 404.
    partner = call("get", f"/updates/{update.number}", role="partner")
    assert partner.status_code == 404 and "back_briefs" not in partner.json()
    assert back_briefs(users["partner"].memberships.get(), update) is None


def test_a_draft_has_no_back_briefs(update, call, workspace):  # noqa: F811
    draft = update_actions.open_draft(workspace, date(2026, 12, 1), date(2026, 12, 31), "December")
    assert call("get", f"/updates/{draft.number}").json()["back_briefs"] is None


HEARD = "We moved payments to the new vendor this month, so supplier payouts stopped failing."
REVERSED = "We stayed with the old payment vendor and supplier payouts still fail."


def answered(published, texts: list[str]) -> UpdateBackBrief:
    """The engineering back-brief answered, a text a person, closed and published."""
    found = update_backbrief.create_back_brief(published, "engineering")
    question = found.checkin.questions.get()
    for link, text in zip(issue_links(found.checkin), texts, strict=False):
        submit_response(link.invitation, link.token, {question: text})
    close_checkin(found.checkin)
    analyze(found.checkin)
    return found


def test_the_reading_is_the_pages_from_the_threshold_on(update, call, client_for):  # noqa: F811
    found = answered(update, [HEARD, REVERSED, "Payments now go through the new vendor."])
    viewer = row(call("get", f"/updates/{update.number}", role="viewer"), "engineering")
    reading = viewer["reading"]
    assert viewer["state"] == reading["state"] == "shown" and reading["n"] == 3
    page = update_backbrief.sent_reading(found)  # what the update's page shows
    assert reading["fidelity"] == page["fidelity"] and reading["parts"] == page["parts"]
    assert reading["parts"][0]["key"] == "narrative"
    # The page quotes no answer, so neither does its JSON.
    assert REVERSED not in str(reading) and "contradicting" not in reading
    member = row(call("get", f"/updates/{update.number}", role="member"), "engineering")
    assert member["state"] == "asked" and member["reading"] is None


def test_under_the_threshold_no_reading_is_shown(update, call):  # noqa: F811
    answered(update, [HEARD, REVERSED])  # 2 answers, under the threshold of 3
    viewer = row(call("get", f"/updates/{update.number}", role="viewer"), "engineering")
    assert viewer["state"] == "too_few" and viewer["reading"]["threshold"] == 3
    assert not {"n", "parts", "fidelity"} & set(viewer["reading"])
    assert REVERSED not in str(viewer) and HEARD not in str(viewer)
