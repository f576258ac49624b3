"""`truenorth rituals`: the same actions as the pages, from the command line. Every refusal is
a message and exit code 1 or 2, never a traceback."""

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.smtp import mail_server_fixture  # noqa: F401
from truenorth.cli import main
from truenorth.rituals import calendar, recurrence
from truenorth.rituals.models import Attendance, CalendarFeed, Occurrence, Ritual
from truenorth.workspaces.models import Function, Person


def run(*args, stdin=None):
    return CliRunner().invoke(main, ["rituals", *args, "-w", "acme"], input=stdin)


def engineers() -> int:
    return Person.objects.filter(function=Function.ENGINEERING, active=True).count()


@pytest.fixture
def ritual(workspace, users):
    result = run(
        "new",
        "Weekly update",
        "--purpose",
        "One picture.",
        "--rule",
        "FREQ=WEEKLY;BYDAY=MO",
        "--first",
        "2026-03-02",
        "--at",
        "09:30",
        "--zone",
        "Europe/Berlin",
        "--function",
        "engineering",
        "--owner",
        "owner@acme.test",
    )
    assert result.exit_code == 0, result.output
    # Its engineers, the owner among them, are fewer than the anonymity threshold: said, not
    # refused.
    assert result.output == (
        "Created ritual 1: Weekly update\n"
        f"With {engineers()} attendees, fewer than the anonymity threshold (5), this ritual's "
        "ratings are never shown.\n"
    )
    return Ritual.objects.get(workspace=workspace, number=1)


def test_new_refuses_bad_input_with_a_message(ritual):
    for args, words in [
        (["--rule", "every monday"], "FREQ="),
        (["--rule", "FREQ=WEEKLY", "--at", "9h30"], "not a time"),
        (["--rule", "FREQ=WEEKLY", "--zone", "Mars/Base"], "not a time zone"),
        (["--rule", "FREQ=WEEKLY", "--function", "wizards"], "not a function"),
    ]:
        result = run("new", "X", "--purpose", "p", "--first", "2026-03-02", *args)
        assert result.exit_code == 2 and words in result.output
        assert "Traceback" not in result.output
    assert Ritual.objects.count() == 1


def test_list_and_show(ritual):
    listed = run("list", "--json")
    found = json.loads(listed.output.splitlines()[0])
    assert found["number"] == 1 and found["attendees"] == engineers()
    assert found["rule"] == "FREQ=WEEKLY;BYDAY=MO"
    shown = run("show", "1")
    assert (
        f"Health: No verdict on whether it is worth it: with {engineers()} attendees, fewer than the "
        "anonymity threshold (5), its ratings are never shown." in shown.output
    )
    assert run("show", "9").exit_code == 1


def test_notes_rate_decide_and_the_agenda(ritual, users):
    notes = run(
        "notes", "1", "--date", "2026-03-30", "--text", "-", "--attended", "owner@acme.test",
        stdin="We agreed.\n",
    )  # fmt: skip
    assert notes.exit_code == 0, notes.output
    assert f"1 came, {engineers() - 1} absent" in notes.output
    row = Occurrence.objects.get(ritual=ritual)
    assert row.status == Occurrence.Status.HELD and row.notes == "We agreed.\n"
    late = run("rate", "1", "--date", "2026-03-30", "--person", "owner@acme.test", "--no")
    assert (
        late.exit_code == 1
        and "Ratings of this session closed on 6 April 2026 at 09:30" in late.output
    )
    latest = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    monday = recurrence.local(ritual, latest).date()  # its ratings are open a week
    rated = run("rate", "1", "--date", f"{monday}", "--person", "owner@acme.test", "--no")
    assert rated.exit_code == 0 and Attendance.objects.get(worth_it=False)
    assert run("rate", "1", "--date", f"{monday}", "--person", "partner@acme.test", "--yes").exit_code == 1  # fmt: skip
    decided = run(
        "decide", "1", "--date", "2026-03-30", "--title", "Wizard waits", "--question", "First?",
        "--outcome", "No.",
    )  # fmt: skip
    assert decided.output == "Recorded decision 1: Wizard waits\n"
    agenda = run("agenda", "1", "--date", "2026-03-30", "--json")
    assert [s["key"] for s in json.loads(agenda.output)["sections"]][0] == "changed"
    wrong_day = run("agenda", "1", "--date", "2026-03-31")
    assert wrong_day.exit_code == 1 and "does not meet on 2026-03-31" in wrong_day.output


def test_summary_goes_to_those_who_missed_it(ritual, mail_server):
    mail_server.refuse = ""
    run("notes", "1", "--date", "2026-03-30", "--text", "Done.", "--attended", "owner@acme.test")
    sent = run("summary", "1", "--date", "2026-03-30", "--json")
    missed = engineers() - 1
    assert json.loads(sent.output) == {
        "recipients": missed,
        "sent": missed,
        "skipped": 0,
        "error": "",
    }
    assert "owner@acme.test" not in [r[0] for r, _ in mail_server.messages]
    again = run("summary", "1", "--date", "2026-03-30")
    assert again.exit_code == 1 and "already sent" in again.output
    assert run("summary", "1", "--date", "2026-04-06").exit_code == 1  # not held


def test_skip_and_end(ritual):
    assert run("skip", "1", "--date", "2026-04-06").exit_code == 0
    assert Occurrence.objects.get().status == Occurrence.Status.SKIPPED
    run("notes", "1", "--date", "2026-03-30", "--text", "Done.", "--attended", "owner@acme.test")
    held = run("skip", "1", "--date", "2026-03-30")
    assert held.exit_code == 1 and "it cannot be skipped" in held.output
    assert Occurrence.objects.get(status=Occurrence.Status.HELD).notes == "Done."
    assert run("end", "1", "--on", "2026-05-01").exit_code == 0
    ritual.refresh_from_db()
    assert str(ritual.ended_on) == "2026-05-01"


def test_nothing_is_recorded_before_a_session_and_held_ones_outlive_a_new_rule(ritual):
    """The same rules as the pages, said as messages rather than tracebacks."""
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    early = run("notes", "1", "--date", f"{monday}", "--text", "Early.")
    assert early.exit_code == 1 and "recorded once it has started" in early.output
    assert not Occurrence.objects.exists()
    for command in (["rate", "--person", "owner@acme.test", "--yes"], ["decide", *DECISION]):
        refused = run(command[0], "1", "--date", f"{monday}", *command[1:])
        assert refused.exit_code == 1 and "once it has started" in refused.output, command
    run("notes", "1", "--date", "2026-03-30", "--text", "Done.", "--attended", "owner@acme.test")
    Ritual.objects.filter(pk=ritual.pk).update(rrule="FREQ=WEEKLY;BYDAY=TU")
    again = run("notes", "1", "--date", "2026-03-30", "--text", "Done, and more.")
    assert again.exit_code == 0, again.output
    before_first = run("end", "1", "--on", "2026-01-01")
    assert before_first.exit_code == 1 and "before its first date" in before_first.output


DECISION = ["--title", "T", "--question", "Q?", "--outcome", "O"]


def test_a_feed_is_issued_once_listed_and_revoked(ritual):
    issued = run("feed", "--person", "owner@acme.test")
    assert issued.exit_code == 0
    url = issued.output.splitlines()[-1]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert calendar.feed_for_token(token) == feed
    listed = run("feed", "--list")
    assert token not in listed.output and "active" in listed.output
    assert run("feed", "--revoke", str(feed.pk)).exit_code == 0
    assert calendar.feed_for_token(token) is None
    assert run("feed", "--revoke", "999").exit_code == 1


def test_a_feed_for_someone_who_attends_no_ritual_says_it_stays_empty(ritual):
    issued = run("feed", "--person", "partner@acme.test")
    assert issued.exit_code == 0
    said = "Partner attends no ritual yet: the feed stays empty until they do."
    assert issued.output.splitlines()[-1] == said
    assert said not in run("feed", "--person", "owner@acme.test").output


def test_show_counts_one_attendee_in_the_singular(ritual):
    Person.objects.filter(function=Function.ENGINEERING).exclude(email="owner@acme.test").update(
        active=False
    )
    assert "Owner: Owner; 1 attendee\n" in run("show", "1").output
