"""Sending that never lies: each person marked only once their own message went out, through a
real SMTP server on loopback that refuses one address."""

import csv
import html
import io
import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client
from django.utils import timezone

from tests.smtp import LINK, REFUSED, mail_server_fixture, no_mail_server_fixture  # noqa: F401
from truenorth.checkins.actions import (
    REMIND_AGAIN_AFTER,
    asks,
    create_alignment_pulse,
    delivery,
    invite_audience,
    nobody_due,
    send_links,
)
from truenorth.checkins.models import CheckIn, Delivery, Invitation
from truenorth.checkins.tasks import send_checkin_links
from truenorth.workspaces.people import create_person

# They count each person's messages: notifications would be more of them.
pytestmark = pytest.mark.usefixtures("no_notifications")

EVERYONE = ["owner@acme.test", "editor@acme.test", "member@acme.test", REFUSED]


@pytest.fixture
def pulse(workspace, users, strategy):
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7), by=users["editor"]
    )


@pytest.fixture
def press(client_for, django_capture_on_commit_callbacks):
    """Press a sending button as an editor; work queued on commit runs once the view is done."""

    def press(checkin, what):
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = client_for("editor").post(
                f"/w/acme/checkins/{checkin.pk}/send/", {"what": what}
            )
        press.queued = queued
        return response

    return press


def statuses(checkin) -> dict[str, str]:
    return dict(checkin.invitations.values_list("person__email", "status"))


def a_day_passes(checkin) -> None:
    """Move every invitation and reminder back a day and a minute: a reminder is due again."""
    earlier = REMIND_AGAIN_AFTER + timedelta(minutes=1)
    for field in ("sent_at", "reminded_at"):
        kept = {f"{field}__isnull": False}
        checkin.invitations.filter(**kept).update(**{field: F(field) - earlier})


def opens(token: str) -> bool:
    """Whether a personal link still opens the answer page, as a stranger's browser would."""
    browser = Client()
    return browser.post("/c/open/", {"link": token}).status_code == 302 and (
        "Q4 pulse" in browser.get("/c/").content.decode()
    )


def test_it_marks_sent_only_those_whose_own_message_went_out(
    mail_server, pulse, press, client, workspace
):
    assert press(pulse, "invitations").status_code == 302
    assert statuses(pulse) == {**dict.fromkeys(EVERYONE, "sent"), REFUSED: "failed"}
    for email in EVERYONE[:3]:
        assert len(mail_server.to(email)) == 1
    assert mail_server.to(REFUSED) == []
    refused = Invitation.objects.get(person__email=REFUSED)
    assert refused.last_error == "550 5.1.1 No such mailbox here"
    assert (refused.attempts, refused.sent_at) == (1, None)

    page = client.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "<strong>3</strong> sent" in page and "1 failed" in page
    assert "Viewer &lt;viewer@acme.test&gt;: 550 5.1.1 No such mailbox here" in page
    assert "answered of 3 invited" in page  # a failed invitation invites nobody
    assert "Retry failed (1)</button>" in page
    # The same press invites whoever joined its audience since: the button says so.
    create_person(workspace, name="Nadia Karimi", email="nadia@acme.test", function="sales")
    page = client.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "Retry failed (1) and invite newcomers (1)</button>" in page


def test_retrying_sends_only_to_the_failed_and_keeps_delivered_links(mail_server, pulse, press):
    press(pulse, "invitations")
    delivered = {email: mail_server.token_for(email) for email in EVERYONE[:3]}
    mail_server.refuse, mail_server.rcpts = "", []  # the mailbox exists now

    press(pulse, "invitations")
    assert mail_server.rcpts == [REFUSED]
    assert set(statuses(pulse).values()) == {"sent"}
    assert all(opens(token) for token in delivered.values())
    assert opens(mail_server.token_for(REFUSED))
    assert all(len(mail_server.to(email)) == 1 for email in EVERYONE)


@pytest.mark.django_db(transaction=True)
def test_the_page_says_what_went_out(mail_server, pulse, client_for):
    # Outside a test's transaction the work runs on commit, inline, before the page answers.
    editor = client_for("editor")
    page = editor.post(f"/w/acme/checkins/{pulse.pk}/send/", {"what": "invitations"}, follow=True)
    assert "Sent 3 invitations; 1 failed. The reasons are below." in page.content.decode()


def test_a_reminder_points_to_the_delivered_link_and_leaves_it_working(mail_server, pulse, press):
    press(pulse, "invitations")
    member = mail_server.token_for("member@acme.test")
    mail_server.refuse, mail_server.messages = "", []

    a_day_passes(pulse)
    press(pulse, "reminders")
    reminded = {email for rcpts, _ in mail_server.messages for email in rcpts}
    assert reminded == set(EVERYONE[:3])  # the refused one holds no link to be reminded of
    body = mail_server.to("member@acme.test")[0]
    assert "Reminder: Q4 pulse" in body and not LINK.search(body)
    assert "the personal link in our invitation email of" in body
    # By the name people know the runner by, not the name they log in with.
    assert "ask Editor (editor@acme.test) for a new one" in body.replace("\r\n", " ")
    assert opens(member)
    assert Invitation.objects.get(person__email="member@acme.test").reminded_at is not None


def test_an_invitation_greets_its_person_and_says_whom_the_check_in_asks(
    mail_server, pulse, press, team
):
    press(pulse, "invitations")
    body = mail_server.to("member@acme.test")[0].replace("\r\n", " ")
    assert "Hello Member," in body and "Acme asks everyone a few questions" in body
    pulse.audience_teams.set([team])
    assert "Acme asks the Platform team a few questions" in asks(pulse)


def test_a_reminder_goes_to_each_at_most_once_a_day(mail_server, pulse, press, client_for):
    """A second click on "Send reminders" a minute later sent every reminder twice."""
    press(pulse, "invitations")
    mail_server.refuse = ""
    a_day_passes(pulse)
    press(pulse, "reminders")
    first = len(mail_server.messages)
    press(pulse, "reminders")
    assert len(mail_server.messages) == first  # nobody reminded twice within a day
    page = client_for("editor").get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert 'value="reminders"' not in page and 'value="new_links"' in page
    assert "3 people who have not answered were reminded within the last day" in page
    a_day_passes(pulse)
    press(pulse, "reminders")
    assert len(mail_server.messages) == first + 3


def test_no_reminder_follows_an_invitation_within_a_day(mail_server, pulse, press, client_for):
    """Right after "Send invitations" the page offered "Send reminders (3)", and pressing it
    reminded everyone a minute after their invitation."""
    press(pulse, "invitations")
    mail_server.refuse = ""
    counts = delivery(pulse)
    assert (counts["to_remind"], counts["invited_lately"]) == (0, 3)
    editor = client_for("editor")
    page = editor.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert 'value="reminders"' not in page and 'value="new_links"' in page
    assert (
        "3 people who have not answered were invited (sent or handed their link) within the last "
        "day: “Send reminders” goes to each a day after their invitation at the earliest; “Remind "
        "with new links” replaces their links now." in page
    )
    # The button says how many it sends to, as the notice counts them.
    assert "Remind with new links (3)</button>" in page
    mail_server.messages = []
    response = editor.post(f"/w/acme/checkins/{pulse.pk}/send/", {"what": "reminders"})
    assert mail_server.messages == []
    page = editor.get(response.url).content.decode()
    assert (
        "Nobody to remind now: everyone who has not answered was invited or reminded within the "
        "last day (3 invited), and a reminder waits a day after either." in page
    )
    # A new link is for a lost one: never held back.
    press(pulse, "new_links")
    assert len(mail_server.messages) == 3
    a_day_passes(pulse)
    assert delivery(pulse)["to_remind"] == 3
    press(pulse, "reminders")
    assert len(mail_server.messages) == 6


def test_invite_newcomers_counts_them_and_is_offered_only_when_there_are_some(
    mail_server, pulse, press, client_for, workspace
):
    mail_server.refuse = ""
    press(pulse, "invitations")
    editor = client_for("editor")
    page = editor.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "Invite newcomers" not in page
    mail_server.messages = []
    response = editor.post(f"/w/acme/checkins/{pulse.pk}/send/", {"what": "invitations"})
    page = editor.get(response.url).content.decode()
    assert "Nobody new to invite: everyone in its audience was sent their link" in page
    assert "Sent 0" not in page and mail_server.messages == []
    create_person(workspace, name="Nadia Karimi", email="nadia@acme.test", function="sales")
    page = editor.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "Invite newcomers (1)</button>" in page
    assert 'title="Invites the 1 person who joined its audience since' in page
    press(pulse, "invitations")
    assert [rcpts for rcpts, _ in mail_server.messages] == [["nadia@acme.test"]]


def test_reminding_with_new_links_replaces_the_old_one_deliberately(mail_server, pulse, press):
    press(pulse, "invitations")
    old = mail_server.token_for("member@acme.test")
    press(pulse, "new_links")
    body = mail_server.to("member@acme.test")[-1]
    assert "replaces the one you were sent before" in body.replace("\r\n", " ")
    new = mail_server.token_for("member@acme.test")
    assert new != old and opens(new) and not opens(old)


def test_no_one_who_answered_is_sent_anything_again(mail_server, pulse, press):
    press(pulse, "invitations")
    browser = Client()
    browser.post("/c/open/", {"link": mail_server.token_for("member@acme.test")})
    answers = {"q1": "Close in three days.", "q2_0": "Faster close", "q3": "It matters.", "q4": "4"}
    browser.post("/c/", answers)
    mail_server.messages = []
    press(pulse, "new_links")
    assert mail_server.to("member@acme.test") == []


def test_without_a_mail_server_nothing_is_sent_or_marked(no_mail_server, pulse, press):
    response = press(pulse, "invitations")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"No mail server answered at 127.0.0.1:{no_mail_server}: nothing was sent and nobody "
        "was marked invited" in page
    )
    assert press.queued == [] and not Invitation.objects.exists()
    # An editor is told whom to ask: how one is made while the server has no administrator,
    assert "This server has no administrator yet: whoever runs it chooses one" in page
    get_user_model().objects.create_user("ada", "ada@acme.test", "a-long-password", is_staff=True)
    asked = press(pulse, "invitations").content.decode()
    assert "Its administrators: ada (ada@acme.test)." in asked  # then who they are
    # An anonymous check-in's links are never handed to an editor, and the page says why.
    assert 'value="links"' not in page and "could answer as any of them" in page
    assert "make a new check-in with “Anonymous” unticked" in page  # the way on, not a dead end


def test_an_attributed_check_in_offers_its_links_as_a_csv(no_mail_server, pulse, press):
    pulse.anonymous = False
    pulse.save()
    assert 'value="links"' in press(pulse, "invitations").content.decode()

    download = press(pulse, "links")
    assert download["Content-Type"].startswith("text/csv")
    assert "no-store" in download["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert sorted(row["email"] for row in rows) == sorted(EVERYONE)
    assert all(opens(LINK.search(row["link"]).group(1)) for row in rows)
    assert set(statuses(pulse).values()) == {"handed_out"}
    # Handed-out links are theirs: neither sending nor a second download replaces them.
    assert send_links(pulse).sent == 0
    # A reminder waits a day after the links were handed out, as after an email.
    reminded = send_links(pulse, reminder=True)  # no mail server: tried, each would fail
    assert (reminded.sent, reminded.failed) == (0, {})
    assert "within the last day (4 invited)" in nobody_due(pulse, reminder=True, new_links=False)
    assert press(pulse, "links").content.decode().strip() == "name,email,link"
    assert all(opens(LINK.search(row["link"]).group(1)) for row in rows)


def test_an_anonymous_check_in_refuses_the_csv_and_says_why(no_mail_server, pulse, press):
    response = press(pulse, "links")
    assert response.status_code == 403
    assert "could answer as any of them" in response.content.decode()
    assert not Invitation.objects.exists()


def test_no_token_reaches_a_log_the_database_or_the_task_result(mail_server, pulse, caplog):
    caplog.set_level(logging.DEBUG)
    result = send_checkin_links.enqueue(pulse.pk)
    assert result.return_value["sent"] == 3
    tokens = [mail_server.token_for(email) for email in EVERYONE[:3]]
    rows = str(list(Invitation.objects.values()))
    # The test's SMTP server logs what it receives ("mail.log"); a real one is elsewhere.
    logged = " ".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    for token in tokens:
        assert token not in logged and token not in str(result.return_value)
        assert token not in rows and token.partition(".")[2] not in rows


def test_a_closed_check_in_sends_nothing(mail_server, pulse, press):
    pulse.closes_at = timezone.now() - timedelta(minutes=1)
    pulse.save()
    press(pulse, "invitations")
    assert mail_server.rcpts == [] and not Invitation.objects.exists()


def test_a_send_queued_while_open_and_run_after_it_closed_sends_nothing(mail_server, pulse):
    CheckIn.objects.filter(pk=pulse.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    result = send_checkin_links.enqueue(pulse.pk)
    assert result.return_value == {"sent": 0, "failed": {}}
    assert mail_server.rcpts == [] and not Invitation.objects.exists()


def test_a_server_gone_mid_send_fails_each_message_on_its_own(no_mail_server, pulse):
    outcome = send_links(pulse)  # what runs after the page's check, had the server gone since
    assert outcome.sent == 0 and len(outcome.failed) == 4
    [said] = set(outcome.failed.values())
    assert said.startswith(f"No mail server answered at 127.0.0.1:{no_mail_server}: it refused")
    assert set(statuses(pulse).values()) == {"failed"}


def test_the_link_counts_follow_each_invitation(pulse):
    """The dashboard's counts, from one grouped query, against each invitation read one by one."""
    invite_audience(pulse)
    answered_sent, sent, failed, handed_out, *pending = pulse.invitations.order_by("pk")
    states = {
        answered_sent: (Delivery.SENT, True, 1, ""),
        sent: (Delivery.SENT, False, 1, ""),
        failed: (Delivery.FAILED, False, 2, "550 refused"),
        handed_out: (Delivery.HANDED_OUT, False, 0, ""),
    }
    for invitation, (status, responded, attempts, error) in states.items():
        Invitation.objects.filter(pk=invitation.pk).update(
            status=status, responded=responded, attempts=attempts, last_error=error
        )
    counts = delivery(pulse)
    expected = {"pending": len(pending), "sent": 2, "failed": 1, "handed_out": 1}
    expected |= {"answered": 1, "to_remind": 2, "tried": 4, "invited": 3 + len(pending)}
    assert {name: counts[name] for name in expected} == expected
    assert counts["failures"] == [(failed.person, "550 refused")]


def test_before_the_first_send_the_page_says_whom_it_will_ask(
    mail_server, pulse, press, client_for
):
    page = client_for("editor").get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "not sent yet: <strong>4</strong> people to ask" in page
    assert "0 invited" not in page and "0 not sent yet" not in page
    assert "“Send invitations” emails each of the 4 their own link." in page
    press(pulse, "invitations")
    sent = client_for("editor").get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert "<strong>0</strong> answered of 3 invited" in sent and "people to ask" not in sent


def test_a_checkin_whose_audience_is_empty_says_so(workspace, users, client_for):
    now = timezone.now()
    nobody = create_alignment_pulse(
        workspace, "Sales pulse", now, now + timedelta(days=7), functions=["sales"]
    )
    page = client_for("editor").get(f"/w/acme/checkins/{nobody.pk}/").content.decode()
    assert "not sent yet: <strong>0</strong> people to ask" in page
    assert "No one to ask yet: nobody in" in page and "is in its audience (Sales)" in page
    url = f"/w/acme/checkins/{nobody.pk}/send/"
    pressed = client_for("editor").post(url, {"what": "invitations"}, follow=True)
    said = pressed.content.decode()
    assert "Nobody to invite: nobody in People is in its audience (Sales)." in said
    assert not nobody.invitations.exists()


def test_a_server_that_prints_emails_says_where_and_that_they_reach_nobody(
    pulse, press, client_for, settings
):
    """It said the emails were "written to the server's log": under background workers the
    invitations are printed by `truenorth worker`, and the web server's log had none."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    editor = client_for("editor")
    page = html.unescape(editor.get(f"/w/acme/checkins/{pulse.pk}/").content.decode())
    assert (
        "sends emails to the console, where emails are not sent but written to the output of "
        "the process that sends them: the web server's, or, with background workers, the "
        "workers' (<code>truenorth worker</code>). Invitations and reminders counted “sent” "
        "here were written there, not emailed: they reach nobody." in page
    )
    assert "server's log" not in page
    assert 'value="links"' not in page  # anonymous: its links go only by email
    pulse.anonymous = False
    pulse.save()
    page = editor.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    assert 'value="links">Download the links (CSV)</button>' in page
    rows = press(pulse, "links").content.decode().splitlines()
    assert rows[0] == "name,email,link" and len(rows) == 1 + len(EVERYONE)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "reaching-nobody" not in editor.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()


def test_where_emails_reach_nobody_new_links_are_handed_out_not_mailed(
    pulse, press, client_for, settings
):
    """On a server whose emails went to its log, "Remind with new links" had said "Sent 3
    reminder with a new links.": the links handed out stopped opening, and the new ones were
    in the log alone."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    pulse.anonymous = False
    pulse.save()
    rows = list(csv.DictReader(io.StringIO(press(pulse, "links").content.decode())))
    handed = {row["email"]: row["link"].partition("#")[2] for row in rows}
    answering = Client()
    answering.post("/c/open/", {"link": handed["member@acme.test"]})
    answers = {"q1": "Close books fast.", "q2_0": "Speed", "q3": "Because.", "q4": "4"}
    assert answering.post("/c/", answers).status_code == 302
    editor = client_for("editor")
    page = editor.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()
    # Everyone holds a link: no download of the links of those who hold none.
    assert 'value="links"' not in page
    assert 'value="new_links"' not in page  # no mail that reaches nobody
    assert (
        'value="new_links_csv">Download new links (CSV)</button> of the 3 people who have' in page
    )
    assert "stop working at once" in page
    # Its note names only what the page offers: it had pointed to a "Send reminders" not there.
    assert (
        "3 people who have not answered were invited (sent or handed their link) within the last "
        "day: “Download new links (CSV)” replaces their links now." in page
    )
    assert "Send reminders" not in page
    # A page left open since refuses to mail, and changes nothing.
    refused = editor.post(f"/w/acme/checkins/{pulse.pk}/send/", {"what": "new_links"}, follow=True)
    assert "No new links were sent: this server sends emails to the console" in (
        refused.content.decode()
    )
    assert all(opens(token) for token in handed.values())
    download = press(pulse, "new_links_csv")
    assert download["Content-Disposition"].endswith(f'checkin-{pulse.pk}-new-links.csv"')
    new_rows = csv.DictReader(io.StringIO(download.content.decode()))
    new = {row["email"]: row["link"].partition("#")[2] for row in new_rows}
    assert sorted(new) == sorted(set(EVERYONE) - {"member@acme.test"})
    assert all(opens(token) for token in new.values())
    assert opens(handed["member@acme.test"])  # who answered keeps theirs
    assert not any(opens(handed[email]) for email in new)
    assert set(statuses(pulse).values()) == {"handed_out"}
    # An old link's holder was handed it, not emailed it: the page says so for both.
    stale = Client().post("/c/open/", {"link": handed[REFUSED]}).content.decode()
    assert "Use the newest link you were given or sent." in stale
    assert "from your invitation email" not in stale
