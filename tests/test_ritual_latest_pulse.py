"""The agenda's pulse is the latest one with results to discuss: a pulse closed with too few
answers publishes nothing, and had hidden the demo's Q4 pulse behind "Too few answers to show any
result". Its date is written as every page writes one, and a member reads whose results they are
in the words the Check-ins page uses."""

import email
import re
from datetime import timedelta
from email import policy

from django.utils import timezone
from django.utils.formats import date_format

from tests.smtp import mail_server_fixture  # noqa: F401
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.models import Report
from truenorth.rituals import actions, agenda, recurrence
from truenorth.rituals.models import Occurrence


def pulse_items(found: dict) -> list[dict]:
    return [s for s in found["sections"] if s["key"] == "pulse"][0]["items"]


def closed_empty(workspace, title: str):
    """A pulse closed a minute ago with no answer, its (empty) results published."""
    now = timezone.now()
    checkin = create_alignment_pulse(
        workspace, title, now - timedelta(days=2), now - timedelta(minutes=1)
    )
    data = {"suppressed": True, "threshold": workspace.anonymity_threshold, "questions": []}
    Report.objects.create(checkin=checkin, computed_at=now, data=data, response_count=0)
    checkin.finalised_at = now
    checkin.save(update_fields=["finalised_at"])
    return checkin


def test_a_pulse_with_too_few_answers_is_passed_over(db, analysed_demo, demo_client):
    ritual = analysed_demo.rituals.get(name="Weekly product update")
    upcoming = recurrence.next_start(ritual, timezone.now())
    shown = agenda.latest_pulse(analysed_demo, upcoming)
    assert shown is not None
    closed_empty(analysed_demo, "Nobody answered pulse")

    assert agenda.latest_pulse(analysed_demo, upcoming) == shown
    items = pulse_items(agenda.build(ritual, upcoming, results=True))
    closed = date_format(timezone.localdate(shown.closes_at))
    assert items[0]["text"] == f"{shown.title}, closed {closed}"
    assert re.fullmatch(r"[1-9]\d? [A-Z][a-z]{2} \d{4}", closed)  # "6 Dec 2026", never "06"
    assert not any("Too few answers" in item["text"] for item in items)

    day = recurrence.local(ritual, upcoming).date().isoformat()
    client = demo_client(analysed_demo, "member")
    page = client.get(f"/w/{analysed_demo.slug}/rituals/{ritual.number}/{day}/").content.decode()
    assert "Nobody answered pulse" not in page
    said = (
        f"{shown.title}, closed {closed} <small>— its results are for owners, editors and viewers"
    )
    assert said in page
    listed = client.get(f"/w/{analysed_demo.slug}/checkins/").content.decode()
    assert "read by the workspace's owners, editors and viewers" in listed
    assert "editors and executives" not in listed


def test_with_only_empty_pulses_the_agenda_says_none_has_results(db, analysed_demo):
    ritual = analysed_demo.rituals.get(name="Weekly product update")
    upcoming = recurrence.next_start(ritual, timezone.now())
    analysed_demo.checkins.filter(finalised_at__isnull=False).update(finalised_at=None)
    closed_empty(analysed_demo, "Nobody answered pulse")
    section = [
        s for s in agenda.build(ritual, upcoming, results=True)["sections"] if s["key"] == "pulse"
    ][0]
    assert section["items"] == [] and section["empty"] == "No pulse has published results yet."


def test_a_members_summary_says_whose_the_pulses_results_are(db, analysed_demo, mail_server):
    """The summary email gave the pulse's title alone under "The latest pulse's open questions",
    without the page's reason."""
    held = Occurrence.objects.filter(ritual__workspace=analysed_demo, summary_sent_at__isnull=False)
    row = held.get()
    sent_at = row.summary_sent_at
    Occurrence.objects.filter(pk=row.pk).update(summary_sent_at=None)  # sent once: again here
    row.summary_sent_at = None
    try:
        result = actions.send_summary(row)
        assert result["sent"] > 0, result
    finally:
        Occurrence.objects.filter(pk=row.pk).update(summary_sent_at=sent_at)
    raw = mail_server.messages[0][1]
    message = email.message_from_bytes(raw.encode(), policy=policy.default)
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    pulse = text.split("The latest pulse's open questions\n\n")[1].splitlines()[0]
    assert re.fullmatch(
        r"- .+, closed [1-9]\d? [A-Z][a-z]{2} \d{4} — its results are for owners, editors and "
        r"viewers",
        pulse,
    )
    assert pulse[2:] in html.replace("&#x27;", "'")
