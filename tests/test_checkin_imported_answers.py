"""A check-in takes its answers through its personal links or from an import, never both. A pulse
of 2,041 people whose links went out took 1,500 imported answers: its page then said "1500
answered of 2041 invited" above "Links: 2041 sent · 0 answered", and "Send reminders (2041)"
would have reminded the 1,500 who had answered in the other tool."""

import io
from datetime import timedelta
from html import unescape

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import caller
from truenorth.checkins.actions import (
    AnswersImported,
    create_alignment_pulse,
    issue_links,
    send_links,
)
from truenorth.checkins.imports import import_responses
from truenorth.checkins.models import Invitation, Response
from truenorth.cli import main
from truenorth.tabular import ImportFailed

ANSWERS = (
    "function,team,vision,priorities,purpose,direction\n"
    "engineering,Platform,Close in three days,Faster close,Customers,4\n"
    "sales,,Close in three days,Faster close,Quota,5\n"
    "customer success,,Close in a week,Payments,Renewals,3\n"
)


@pytest.fixture
def open_pulse(workspace, users):
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Q1 pulse", now - timedelta(days=1), now + timedelta(days=6)
    )


def test_answers_cannot_be_imported_once_links_went_out(open_pulse, tmp_path):
    issue_links(open_pulse)  # each person of the audience holds a link
    asked = Invitation.objects.filter(checkin=open_pulse).count()
    with pytest.raises(ImportFailed) as refused:
        import_responses(open_pulse, io.StringIO(ANSWERS))
    why = refused.value.errors[0].message
    assert f"takes its answers through the personal links it sent ({asked} people)" in why
    assert "Import them into a check-in that sends no links" in why
    assert Response.objects.count() == 0
    answers = tmp_path / "answers.csv"
    answers.write_text(ANSWERS)
    command = ["import", "responses", str(answers), "--checkin", str(open_pulse.pk)]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1 and "Nothing imported" in result.output
    assert "takes its answers through the personal links" in result.output


def test_a_checkin_of_imported_answers_sends_no_links(open_pulse, client_for, client, users):
    assert import_responses(open_pulse, io.StringIO(ANSWERS)) == 3
    result = CliRunner().invoke(main, ["checkin", "send", str(open_pulse.pk)])
    assert result.exit_code == 1
    assert "holds 3 answers imported from another survey tool" in result.output
    with pytest.raises(AnswersImported):
        send_links(open_pulse)
    client = client_for("editor")
    for what in ("invitations", "reminders", "links"):
        pressed = client.post(
            f"/w/acme/checkins/{open_pulse.pk}/send/", {"what": what}, follow=True
        )
        assert "so it sends no personal links" in unescape(pressed.content.decode())
    call = caller(client, users, "/api/v1/workspaces/acme")
    sent = call("post", f"/checkins/{open_pulse.pk}/send", {"what": "invitations"})
    assert sent.status_code == 409 and "so it sends no personal links" in sent.json()["detail"]
    assert not Invitation.objects.filter(checkin=open_pulse).exists()


def test_its_page_counts_answers_imported_not_invited(open_pulse, client_for):
    import_responses(open_pulse, io.StringIO(ANSWERS))
    page = unescape(client_for("editor").get(f"/w/acme/checkins/{open_pulse.pk}/").content.decode())
    assert "<strong>3</strong> answers imported" in page
    assert "invited" not in page  # no "3 answered of 0 invited", no "3 of 0 invited"
    assert "Links:" not in page and "Send invitations" not in page
    assert "Send reminders" not in page
    assert "Its answers were imported from another survey tool" in page
    # the close-now box
    assert "Only 3 people have answered, fewer than the anonymity threshold" in page


def test_a_checkin_whose_links_went_out_still_counts_its_invitations(open_pulse, client_for):
    issue_links(open_pulse)
    asked = Invitation.objects.filter(checkin=open_pulse).count()
    page = unescape(client_for("editor").get(f"/w/acme/checkins/{open_pulse.pk}/").content.decode())
    assert f"<strong>0</strong> answered of {asked} invited" in page
    assert "answers imported" not in page
