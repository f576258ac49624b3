"""A back-brief keeps the answer form's promise: an anonymous answer that contradicts the decision
is quoted only when at least the threshold of answers contradict it (real model); an attributed
one is quoted with its author's name. Without a mail server, an attributed back-brief's links are
handed out as a check-in's are; an anonymous one's never are."""

import pytest

from tests.smtp import no_mail_server_fixture  # noqa: F401
from tests.test_decision_backbrief import answer, decision  # noqa: F401
from truenorth.checkins.measure import current_report
from truenorth.decisions import backbrief
from truenorth.decisions.models import BackBrief

pytestmark = pytest.mark.usefixtures("no_notifications")

HEARD = "We are moving payment processing to the new vendor."
REVERSED = [
    "We are keeping the old vendor for payments.",
    "Payments stay with the old vendor.",
    "We will continue with the old payments vendor.",
]


def asked(decision, workspace, anonymous=True):  # noqa: F811
    workspace.anonymity_threshold = 3
    workspace.save()
    return backbrief.create_back_brief(decision, anonymous=anonymous)


def reading_of(client, decision):  # noqa: F811
    page = client.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    return page, client.get(f"/w/acme/decisions/{decision.number}.json").json()["back_brief"]


def test_one_anonymous_dissenter_is_counted_not_quoted(decision, workspace, client_for):  # noqa: F811
    found = asked(decision, workspace)
    answer(found, [HEARD, "We're moving payments to the new vendor by June.", REVERSED[0]])
    page, reading = reading_of(client_for("owner"), decision)
    assert reading["state"] == "shown" and reading["n"] == 3
    assert reading["contradicting_count"] == 1 and reading["contradicting"] == []
    assert reading["contradicting_quoted"] is False
    assert REVERSED[0] not in page and 'id="back-brief-contradicting"' not in page
    assert "1 answer contradicts the decision" in page and "quoted from 3" in page
    # The page's figure is the published report's: no second figure to subtract from it.
    report = current_report(found.checkin)
    assert reading["fidelity"] == report.data["questions"][0]["fidelity"]


def test_from_the_threshold_of_contradictions_they_are_quoted_without_names(
    decision,  # noqa: F811
    workspace,
    client_for,
):
    found = asked(decision, workspace)
    answer(found, REVERSED)
    page, reading = reading_of(client_for("owner"), decision)
    assert reading["contradicting_count"] == 3 and reading["contradicting_quoted"] is True
    quoted = {c["quote"] for c in reading["contradicting"]}
    assert REVERSED[0] in quoted and len(quoted) == 3
    assert all("name" not in c for c in reading["contradicting"])
    assert REVERSED[0] in page and "Owner" not in str(reading)


def test_an_attributed_back_brief_quotes_a_dissenter_by_name(decision, workspace, client_for):  # noqa: F811
    found = asked(decision, workspace, anonymous=False)
    answer(found, [HEARD, HEARD, REVERSED[0]])
    page, reading = reading_of(client_for("owner"), decision)
    (said,) = reading["contradicting"]
    assert said["quote"] == REVERSED[0] and said["name"] in ("Owner", "Editor", "Member")
    assert REVERSED[0] in page and f"— {said['name']}" in page


def test_without_mail_an_attributed_back_brief_offers_its_links(
    no_mail_server,
    decision,  # noqa: F811
    client_for,
):
    decision.workspace.anonymity_threshold = 3  # its 3 people are enough to read
    decision.workspace.save()
    editor = client_for("editor")
    url = f"/w/acme/decisions/{decision.number}/back-brief/"
    response = editor.post(url, {"attributed": "on"})
    assert response.status_code == 200 and b"No mail server answered" in response.content
    assert b"Download the links (CSV)" in response.content
    checkin = BackBrief.objects.get(decision=decision).checkin
    page = editor.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert 'id="back-brief-links"' in page  # offered on the decision page for as long as it is open
    links = editor.post(f"/w/acme/checkins/{checkin.pk}/send/", {"what": "links"})
    rows = links.content.decode().strip().splitlines()
    assert rows[0] == "name,email,link" and len(rows) == 1 + 3
    assert "member@acme.test" in links.content.decode()


def test_without_mail_an_anonymous_back_brief_is_not_made(no_mail_server, decision, client_for):  # noqa: F811
    decision.workspace.anonymity_threshold = 3  # its 3 people are enough to read
    decision.workspace.save()
    response = client_for("editor").post(
        f"/w/acme/decisions/{decision.number}/back-brief/", follow=True
    )
    page = response.content.decode()
    assert "No mail server answered" in page and "tick “Attributed”" in page
    assert not BackBrief.objects.exists()


def test_without_mail_what_no_mail_server_can_mend_is_said_first(
    no_mail_server,
    decision,  # noqa: F811
    client_for,
):
    """With 3 people informed, under the threshold of 5, the page said "No mail server answered"
    and hid the reason no mail server could mend."""
    editor = client_for("editor")
    url = f"/w/acme/decisions/{decision.number}/back-brief/"
    response = editor.post(url)  # anonymous: its links would go only by email
    page = response.content.decode()
    assert response.status_code == 400 and "No mail server" not in page
    assert "Not sent: Only 3 people would be asked" in page
    decision.status, decision.outcome = "proposed", ""
    decision.save()
    answered = editor.post(url, HTTP_ACCEPT="application/json")
    assert answered.status_code == 400
    assert answered.json()["error"].startswith(f"Decision {decision.number} is not decided yet")
    assert not BackBrief.objects.exists()
