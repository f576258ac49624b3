"""A round that closes and whose publication is refused tells those who follow results, once,
with the reason its page gives: they heard "Closed without results" of a round with too few
answers, and nothing of one that will never be published. Real database, real SMTP server on
loopback, real model."""

import email
from datetime import timedelta
from email import policy

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.smtp import mail_server_fixture  # noqa: F401 (a fixture)
from tests.test_subtraction_between_checkins import answered_pulse, teams  # noqa: F401
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.checkins.measure import analyze
from truenorth.checkins.overlaps import WouldDisclose
from truenorth.cli import main
from truenorth.notifications.models import Event, Notification


def refused_told(checkin) -> list[Notification]:
    return list(Notification.objects.filter(key=f"checkin:{checkin.pk}:refused"))


def test_closing_a_refused_round_tells_those_who_follow_results_once(
    workspace,
    teams,  # noqa: F811
    users,
    client_for,
    mail_server,
    django_capture_on_commit_callbacks,
):
    mail_server.refuse = ""
    analyze(answered_pulse(workspace, "Sales pulse", [teams["Sales"]]))
    opens = timezone.now() - timedelta(days=1)
    asked = [teams["Tiger"], teams["Sales"]]
    tiger = create_alignment_pulse(
        workspace, "Tiger pulse", opens, opens + timedelta(days=7), teams=asked
    )
    issue_links(tiger)
    assert refused_told(tiger) == []  # open: nothing is decided yet
    left = CliRunner().invoke(main, ["checkin", "close", str(tiger.pk)])
    assert left.exit_code == 1 and "So “Tiger pulse” was left open" in left.output
    assert f"truenorth checkin close {tiger.pk} --without-publishing" in left.output
    assert refused_told(tiger) == []  # still open
    with django_capture_on_commit_callbacks(execute=True):
        closed = CliRunner().invoke(
            main, ["checkin", "close", str(tiger.pk), "--without-publishing"]
        )
    assert closed.exit_code == 0, closed.output
    assert closed.output == (
        "Closed “Tiger pulse” without publishing: no more answers are taken, nobody is "
        "reminded, and its links say it has closed; nobody had answered.\n"
    )
    tiger.refresh_from_db()
    [told] = refused_told(tiger)
    assert told.event == Event.RESULTS_READY and told.title == "Will not be published: Tiger pulse"
    assert told.text == tiger.refused_because and told.text.startswith(
        "“Tiger pulse” cannot be published: its audience differs from “Sales pulse” by 3 people"
    )
    assert told.path == f"/w/acme/checkins/{tiger.pk}/"
    # Refused again by publishing, from the page and elsewhere: told once.
    with pytest.raises(WouldDisclose):
        analyze(tiger)
    client_for("editor").post(f"/w/acme/checkins/{tiger.pk}/analyze/")
    assert len(refused_told(tiger)) == 1
    assert not Notification.objects.filter(key=f"checkin:{tiger.pk}:results").exists()
    # Mailed as "Closed without results" is: to those who may read results.
    readers = {"owner@acme.test", "editor@acme.test", "viewer@acme.test"}
    mailed = {
        rcpt: email.message_from_bytes(raw.encode(), policy=policy.default)
        for rcpts, raw in mail_server.messages
        for rcpt in rcpts
    }
    assert set(mailed) == readers
    for message in mailed.values():
        assert message["Subject"] == "Will not be published: Tiger pulse"
        assert "“Tiger pulse” cannot be published:" in message.get_content()
