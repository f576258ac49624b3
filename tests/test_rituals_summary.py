"""The summary of a held session, sent over real SMTP on loopback to those who missed it."""

import email
import logging
from datetime import date, datetime, time, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest

from tests.smtp import mail_server_fixture, no_mail_server_fixture  # noqa: F401
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.models import Report
from truenorth.rituals import actions, recurrence
from truenorth.rituals.models import Occurrence, Ritual
from truenorth.rituals.tasks import send_ritual_summary
from truenorth.workspaces.models import Function, Person


@pytest.fixture
def session(workspace):
    make = Person.objects.create
    people = [
        make(workspace=workspace, name=name, email=f"{name.lower()}@acme.test", function="product")
        for name in ("Ana", "Ben", "Cy", "Dee")
    ]
    make(workspace=workspace, name="Eve", email="", function=Function.PRODUCT)  # no address
    make(workspace=workspace, name="Sam", email="sam@acme.test", function=Function.SALES)
    workspace.sender_address = "rituals@acme.test"
    workspace.save()
    ritual = actions.create_ritual(
        Ritual(
            workspace=workspace,
            name="Weekly update",
            purpose="One picture.",
            functions=[Function.PRODUCT],
            first_date=date(2026, 1, 5),
            start_time=time(9, 30),
            time_zone="Europe/Berlin",
            rrule="FREQ=WEEKLY;BYDAY=MO",
        )
    )
    row = actions.occurrence(ritual, recurrence.on_day(ritual, date(2026, 1, 12)), create=True)
    actions.record_notes(row, "We agreed the wizard waits.", people[:2])  # Ana and Ben came
    actions.record_decision(row, "Wizard waits", "Ship it first?", "No: after the retry queue.")
    return row


def parsed(raw: str):
    return email.message_from_bytes(raw.encode(), policy=policy.default)


def test_only_those_who_missed_it_get_it_once(session, mail_server, caplog):
    mail_server.refuse = ""
    with caplog.at_level(logging.INFO, logger="truenorth.rituals"):
        result = actions.send_summary(session)
    assert result == {"recipients": 3, "sent": 2, "skipped": 1, "error": ""}  # Eve: no address
    assert sorted(r[0] for r, _ in mail_server.messages) == ["cy@acme.test", "dee@acme.test"]
    for rcpts, raw in mail_server.messages:
        message = parsed(raw)
        assert len(message["To"].addresses) == 1 and message["Cc"] is None
        assert message["To"].addresses[0].addr_spec == rcpts[0]
        assert message["From"].addresses[0].addr_spec == "rituals@acme.test"
        assert message["Subject"] == "Weekly update, 12 January 2026: what you missed"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for body in (text, html):
            assert "We agreed the wizard waits." in body
            assert "Wizard waits" in body and "/w/acme/decisions/1/" in body
            assert "http://testserver/w/acme/rituals/1/2026-01-12/" in body
    for record in caplog.records:
        for name in ("Cy", "Dee", "cy@", "dee@"):
            assert name not in record.getMessage()
    session.refresh_from_db()
    assert session.summary_sent_at is not None
    again = actions.send_summary(session)
    assert again["sent"] == 0 and again["error"]
    assert len(mail_server.messages) == 2


def test_a_refused_mailbox_is_counted_with_the_servers_reason(session, mail_server):
    mail_server.refuse = "dee@acme.test"
    result = send_ritual_summary.call(session.pk)
    assert (result["recipients"], result["sent"]) == (3, 1)
    assert "1 of 2 messages not delivered: 550" in result["error"]
    assert "dee@" not in result["error"]


def test_no_mail_server_reports_why(session, no_mail_server):
    result = actions.send_summary(session)
    assert result["sent"] == 0 and result["error"].startswith("2 of 2 messages not delivered")
    session.refresh_from_db()
    assert session.summary_sent_at is None  # nobody got it: it can be sent again


def test_a_session_not_held_has_nothing_to_send(session, mail_server):
    ritual = session.ritual
    later = actions.occurrence(ritual, recurrence.on_day(ritual, date(2026, 1, 19)), create=True)
    assert actions.send_summary(later)["error"]
    assert mail_server.messages == []


def test_a_long_section_says_how_many_more_are_on_the_page(session):
    from truenorth.rituals import summary
    from truenorth.roadmap.models import Initiative, Status

    for n in range(7):  # shipped since the last session: with the decision, 8 things changed
        Initiative.objects.create(
            workspace=session.ritual.workspace, title=f"Thing {n}", status=Status.SHIPPED,
            actual_date=date(2026, 1, 8),
        )  # fmt: skip
    session.agenda = {}  # built afresh from the data above
    session.save()

    found = summary.context(session)
    written = summary.text(found)

    [changed] = [h for h in found["headlines"] if h["title"].startswith("What changed")]
    assert (len(changed["items"]), changed["more"]) == (5, 3)
    assert f"- and 3 more on the session's page: {found['page']}" in written


def test_the_subject_writes_the_day_unpadded(session, mail_server):
    """It read "Weekly update, 05 January 2026"."""
    ritual = session.ritual
    row = actions.occurrence(ritual, recurrence.on_day(ritual, date(2026, 1, 5)), create=True)
    actions.record_notes(row, "First one.", [])
    assert actions.send_summary(row)["sent"] == 4  # Eve has no address
    subjects = {parsed(raw)["Subject"] for _, raw in mail_server.messages}
    assert subjects == {"Weekly update, 5 January 2026: what you missed"}


NEW_YORK = ZoneInfo("America/New_York")  # UTC−5 in January: its late evening is UTC's next day


def in_new_york(session):
    workspace = session.ritual.workspace
    workspace.time_zone = "America/New_York"
    workspace.save(update_fields=["time_zone"])
    return workspace


def test_when_it_went_out_reads_in_the_workspaces_time_zone(session, client_for):
    """Sent at 23:30 on the 12th in New York, it read "went out on 13 January 2026" (UTC's)."""
    in_new_york(session)
    sent = datetime(2026, 1, 12, 23, 30, tzinfo=NEW_YORK)
    Occurrence.objects.filter(pk=session.pk).update(summary_sent_at=sent)
    client = client_for("editor")
    page = "/w/acme/rituals/1/2026-01-12/"
    again = client.post(f"{page}summary/")
    assert again.status_code == 400
    said = "The summary went out on 12 January 2026; it is sent once."
    assert said in again.content.decode()
    assert "<p>Sent 12 Jan 2026.</p>" in client.get(page).content.decode()
    twin = client.get("/w/acme/rituals/1/2026-01-12.json").json()
    assert twin["summary_sent_at"] == "2026-01-12T23:30:00-05:00"


def test_the_emails_dates_read_in_the_workspaces_time_zone(session, mail_server):
    """A worker sends it with no time zone active: the pulse closed at 23:30 on 9 January in New
    York read "closed 10 Jan 2026" (UTC's day), where the session's page said the 9th."""
    workspace = in_new_york(session)
    closes = datetime(2026, 1, 9, 23, 30, tzinfo=NEW_YORK)
    pulse = create_alignment_pulse(workspace, "January pulse", closes - timedelta(days=3), closes)
    data = {"threshold": workspace.anonymity_threshold, "respondents": 9, "questions": []}
    Report.objects.create(checkin=pulse, computed_at=closes, data=data, response_count=9)
    pulse.finalised_at = closes
    pulse.save(update_fields=["finalised_at"])
    session.agenda = {}  # built afresh, with the pulse
    session.save()
    assert actions.send_summary(session)["sent"] == 2
    text = parsed(mail_server.messages[0][1]).get_body(("plain",)).get_content()
    assert "- January pulse, closed 9 Jan 2026" in text
