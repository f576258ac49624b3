"""`truenorth checkin`: new, send, remind, close, through a real SMTP server on loopback."""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.db.models import F
from django.utils import timezone

from tests.smtp import LINK, REFUSED, mail_server_fixture, no_mail_server_fixture  # noqa: F401
from truenorth.checkins.actions import create_alignment_pulse, invitation_for, issue_links
from truenorth.checkins.models import CheckIn, Invitation
from truenorth.checkins.views import too_few_to_show
from truenorth.cli import main, use_local_secret_key


def run(*args):
    return CliRunner().invoke(main, ["checkin", *args])


@pytest.fixture(autouse=True)
def servers_own_key(settings):
    """A key of the server's own, as `truenorth checkin send` needs to sign links it takes."""
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30


def test_links_are_not_signed_with_the_public_development_key(
    mail_server, pulse, no_key_configured
):
    result = run("send", str(pulse.pk))
    assert result.exit_code == 1
    assert "does not sign personal links with its built-in development secret key" in (
        result.output
    )
    assert not Invitation.objects.exists() and not mail_server.messages


def test_links_are_signed_with_the_key_serve_demo_made_in_the_data_directory(
    mail_server, pulse, no_key_configured, settings
):
    mail_server.refuse = ""
    use_local_secret_key()  # as `truenorth serve --demo` does on its first start
    servers_key = settings.SECRET_KEY
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY  # a later command, with no key set

    result = run("send", str(pulse.pk))
    assert result.exit_code == 0, result.output
    token = LINK.search(mail_server.to("member@acme.test")[-1]).group(1)
    settings.SECRET_KEY = servers_key  # the server `serve --demo` runs opens the link
    assert invitation_for(token).person.email == "member@acme.test"


@pytest.fixture
def pulse(workspace, users, strategy):
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7)
    )


def test_new_creates_a_pulse_for_the_audience_named(workspace, users, team):
    result = run(
        "new", "-w", "acme", "--title", "Q3 pulse", "--attributed", "--audience", "platform",
        "--opens", "2026-07-01", "--closes", "2026-07-15 17:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = CheckIn.objects.get(title="Q3 pulse")
    assert not created.anonymous and list(created.audience_teams.all()) == [team]
    assert created.questions.count() == 5
    assert f"Created check-in {created.pk}, “Q3 pulse” (attributed)" in result.output
    assert "open 1 Jul – 15 Jul 2026, asking 4 people" in result.output
    assert f"truenorth checkin send {created.pk}" in result.output


def test_new_warns_when_it_asks_fewer_people_than_the_anonymity_threshold(workspace, users, team):
    result = run("new", "--title", "Anon tiny", "--audience", "Platform")
    asked = CheckIn.objects.get(title="Anon tiny").audience().count()
    assert result.exit_code == 0, result.output
    assert asked < workspace.anonymity_threshold
    assert f"asking {asked} people." in result.output
    assert f"Warning: {too_few_to_show(asked, workspace.anonymity_threshold)}" in result.stderr

    workspace.anonymity_threshold = asked
    workspace.save()
    enough = run("new", "--title", "Anon enough", "--audience", "Platform")
    assert enough.exit_code == 0 and "Warning" not in enough.output


def test_new_is_anonymous_and_open_for_a_week_unless_told(workspace, users):
    result = run("new", "--title", "Pulse", "--audience", "Engineering")
    assert result.exit_code == 0, result.output
    created = CheckIn.objects.get(title="Pulse")
    assert created.anonymous and created.audience_functions == ["engineering"]
    # The check-in page's form proposes the same (tests/test_team_rounds.py).
    assert created.closes_at - created.opens_at == timedelta(days=7) and created.is_open()


@pytest.mark.parametrize(
    "args, error",
    [
        (["--audience", "marketingg"], "'marketingg' is neither a function"),
        (["--opens", "2026-07-15", "--closes", "2026-07-01"], "must close after it opens"),
    ],
)
def test_new_refuses_what_it_cannot_use(workspace, users, args, error):
    result = run("new", "--title", "Pulse", *args)
    assert result.exit_code == 1 and error in result.output
    assert not CheckIn.objects.exists()


def test_send_says_who_got_theirs_and_why_not(mail_server, pulse):
    result = run("send", str(pulse.pk))
    assert result.exit_code == 1, result.output
    assert "Sent 3 invitations; 1 failed." in result.output
    assert "failed: Viewer <viewer@acme.test>: 550 5.1.1 No such mailbox here" in result.output
    assert f"truenorth checkin send {pulse.pk}" in result.output

    mail_server.refuse, mail_server.rcpts = "", []
    again = run("send", str(pulse.pk))
    assert again.exit_code == 0 and "Sent 1 invitation." in again.output
    assert mail_server.rcpts == [REFUSED]


def test_remind_points_to_the_link_unless_new_links_are_asked_for(mail_server, pulse):
    mail_server.refuse = ""
    run("send", str(pulse.pk))
    mail_server.messages = []
    # Right after the invitations nobody is reminded yet, and it says why, not "Sent 0".
    early = run("remind", str(pulse.pk))
    assert early.exit_code == 0 and mail_server.messages == []
    assert early.output.startswith("Nobody to remind now: everyone who has not answered was ")
    assert "(4 invited)" in early.output
    assert run("send", str(pulse.pk)).output == (
        "Nobody new to invite: everyone in its audience was sent their link or handed it.\n"
    )
    a_day = timedelta(days=1, minutes=1)
    pulse.invitations.update(sent_at=F("sent_at") - a_day)
    result = run("remind", str(pulse.pk))
    assert result.exit_code == 0 and "Sent 4 reminders." in result.output
    assert not any(LINK.search(text) for _, text in mail_server.messages)
    fresh = run("remind", str(pulse.pk), "--new-links")
    assert fresh.exit_code == 0 and "Sent 4 reminders, each with a new link." in fresh.output
    assert LINK.search(mail_server.to("member@acme.test")[-1])


def test_send_without_a_mail_server_says_so_and_marks_nobody(no_mail_server, pulse):
    result = run("send", str(pulse.pk))
    assert result.exit_code == 1
    assert (
        f"No mail server answered at 127.0.0.1:{no_mail_server}: nothing was sent and nobody "
        "was marked invited" in result.output
    )
    assert not Invitation.objects.exists()


def test_close_stops_the_answers(pulse):
    issue_links(pulse)  # asked, and nobody answered yet
    result = run("close", str(pulse.pk))
    assert result.exit_code == 0, result.output
    assert "Closed “Q4 pulse”: no more answers are taken (0 answered)." in result.output
    assert f"truenorth analyze --checkin {pulse.pk}" in result.output
    pulse.refresh_from_db()
    assert not pulse.is_open()
    assert run("close", str(pulse.pk)).exit_code == 1
    assert "not open, so no links were sent" in run("send", str(pulse.pk)).output


def test_an_unknown_check_in_is_named(db):
    result = run("send", "999")
    assert result.exit_code == 1 and "no check-in number 999" in result.output


def test_every_command_has_an_example():
    for name, command in main.commands["checkin"].commands.items():
        assert "Example: truenorth checkin" in command.help, name


def test_new_links_are_refused_where_emails_reach_nobody(mail_server, pulse, settings):
    """Mailed to the console, new links replaced the ones people held and reached nobody."""
    mail_server.refuse = ""
    run("send", str(pulse.pk))
    held = set(pulse.invitations.values_list("token_hash", flat=True))
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    result = run("remind", str(pulse.pk), "--new-links")
    assert result.exit_code == 1
    assert "No new links were sent: this server sends emails to the console" in result.output
    assert set(pulse.invitations.values_list("token_hash", flat=True)) == held
