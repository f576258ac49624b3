"""Invitations by email through a real SMTP server on loopback, and the personal link."""

import hashlib
import re
import socket
import time
import zoneinfo
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import signing
from django.test import Client, RequestFactory
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from tests.conftest import team_of
from truenorth.checkins.actions import REMIND_AGAIN_AFTER, create_alignment_pulse, send_links
from truenorth.checkins.models import Answer, Invitation, Response, token_digest
from truenorth.checkins.views import open_answer
from truenorth.workspaces.models import Function

LINK = re.compile(r"http://testserver/c/#([\w.-]+)")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.SITE_URL = "http://testserver"
    yield inbox
    controller.stop()


@pytest.fixture
def pulse(workspace, users, strategy):
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7)
    )


def token_for(inbox, email):
    body = next(text for to, text in inbox.messages if email in to)
    return LINK.search(body).group(1)


def link_for(inbox, email, client):
    """Open the emailed link as the page's script does (it posts what follows '#'); the
    answer page is then /c/."""
    response = client.post("/c/open/", {"link": token_for(inbox, email)})
    assert response.status_code == 302 and response["Location"] == "/c/"
    return "/c/"


ANSWERS = {
    "q1": "Finance teams close their books in three days.",
    **{"q2_0": "Faster close", "q2_1": "Fewer manual touches", "q2_2": ""},  # a box a priority
    "q3": "Sync reliability is what makes the close fast.",
    "q4": "4",
    "q5": "",
}


def test_invitations_arrive_and_their_link_takes_answers(inbox, pulse, client):
    assert send_links(pulse).sent == 4  # everyone but the partner
    assert len(inbox.messages) == 4
    url = link_for(inbox, "member@acme.test", client)
    assert "Q4 pulse" in client.get(url).content.decode()

    response = client.post(url, ANSWERS)
    # Shown by a GET after the save, so that a refresh sends nothing again.
    assert response.status_code == 302 and response["Location"] == "/c/?saved=1"
    assert "your answers are saved" in client.get(response["Location"]).content.decode()
    assert "your answers are saved" not in client.get("/c/").content.decode()
    saved = Response.objects.get()
    assert (saved.person, saved.function, saved.team) == (None, "engineering", "Platform")
    assert Answer.objects.get(question__position=4).value == 4
    assert Invitation.objects.filter(responded=True).count() == 1


def test_a_person_changes_their_answer_and_keeps_one_response(inbox, pulse, client):
    send_links(pulse)
    url = link_for(inbox, "member@acme.test", client)
    client.post(url, ANSWERS)
    assert "Fewer manual touches" in client.get(url).content.decode()  # prefilled
    client.post(url, {**ANSWERS, "q1": "Close the books in a day."})
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__position=1).text == "Close the books in a day."


def a_day_ago(checkin):
    """Its invitations as sent a day ago: a reminder goes no sooner (REMIND_AGAIN_AFTER)."""
    checkin.invitations.update(sent_at=timezone.now() - REMIND_AGAIN_AFTER)


def test_reminders_go_only_to_those_who_have_not_answered(inbox, pulse, client):
    send_links(pulse)
    client.post(link_for(inbox, "member@acme.test", client), ANSWERS)
    invited = list(inbox.messages)
    inbox.messages.clear()
    a_day_ago(pulse)  # a reminder waits a day after the invitation
    assert send_links(pulse, reminder=True).sent == 3
    assert all("member@acme.test" not in to for to, _ in inbox.messages)
    assert all("Reminder: Q4 pulse" in text for _, text in inbox.messages)
    # A reminder carries no link (see send_links): the invitation's still opens.
    assert not any(LINK.search(text) for _, text in inbox.messages)
    inbox.messages[:] = invited
    assert client.get(link_for(inbox, "viewer@acme.test", client)).status_code == 200


def test_sending_again_sends_nothing_new(inbox, pulse):
    send_links(pulse)
    assert send_links(pulse).sent == 0


def test_an_anonymous_response_cannot_be_joined_to_its_invitation(inbox, pulse, client):
    send_links(pulse)
    client.post(link_for(inbox, "member@acme.test", client), ANSWERS)
    invitation = Invitation.objects.get(responded=True)
    response = Response.objects.get()
    assert response.person is None
    assert invitation.token_hash != response.key_hash
    assert "member" not in str(response.__dict__.values())


def test_anonymous_answers_keep_neither_their_order_nor_their_time(inbox, pulse, client):
    send_links(pulse)
    client.post(link_for(inbox, "member@acme.test", client), ANSWERS)
    response = Response.objects.get()
    assert response.pk > 2**32  # random, not the next number
    assert all(answer.pk > 2**32 for answer in response.answers.all())
    assert response.submitted_at is None


def test_the_stored_hashes_are_keyed_by_the_secret_and_the_check_in(inbox, pulse, settings):
    send_links(pulse)
    token = token_for(inbox, "member@acme.test")
    stored = Invitation.objects.get(person__email="member@acme.test").token_hash
    assert stored == token_digest(pulse, "invitation", token)
    for bare in (token, f"invitation:{token}"):
        assert stored != hashlib.sha256(bare.encode()).hexdigest()
    assert token_digest(pulse, "response", token) != stored

    other = create_alignment_pulse(pulse.workspace, "Q1 pulse", pulse.opens_at, pulse.closes_at)
    assert other.token_key != pulse.token_key
    secret = token.partition(".")[2]
    assert token_digest(other, "invitation", f"{other.pk}.{secret}") != stored
    assert token_digest(other, "invitation", token) != stored

    settings.SECRET_KEY = "another-secret"
    assert token_digest(pulse, "invitation", token) != stored


def test_an_attributed_response_names_its_author(inbox, pulse, client, users):
    pulse.anonymous = False
    pulse.save()
    send_links(pulse)
    client.post(link_for(inbox, "member@acme.test", client), ANSWERS)
    response = Response.objects.get()
    assert response.person.email == "member@acme.test"
    # attributed rows keep their time (and the database's usual numbering)
    assert timezone.now() - response.submitted_at < timedelta(minutes=1)


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("q1", "", "Write an answer; this question cannot be left empty."),
        ("q4", "9", "Choose a number from 1 to 5; 9 is not one of them."),
    ],
)
def test_bad_answers_are_refused_next_to_the_field(inbox, pulse, client, field, value, error):
    send_links(pulse)
    response = client.post(link_for(inbox, "member@acme.test", client), {**ANSWERS, field: value})
    assert error in response.content.decode()
    assert Response.objects.count() == 0


def test_a_closed_checkin_takes_no_answers(inbox, pulse, client):
    send_links(pulse)
    pulse.closes_at = timezone.now() - timedelta(minutes=1)
    pulse.save()
    url = link_for(inbox, "member@acme.test", client)
    page = client.post(url, ANSWERS).content.decode()
    assert "The answers you just sent were not saved: the check-in closed" in page
    assert Response.objects.count() == 0
    page = client.get(url).content.decode()
    assert "takes no more answers. No answers were saved through this link." in page


def test_a_checkin_closed_early_says_so_and_keeps_what_was_saved(inbox, pulse, client):
    send_links(pulse)
    url = link_for(inbox, "member@acme.test", client)
    client.post(url, ANSWERS)
    pulse.closes_at = timezone.now() - timedelta(minutes=1)
    pulse.save()
    page = client.get(url).content.decode()
    assert "closed " in page and "The answers you saved before then are kept." in page
    assert Response.objects.count() == 1


def test_the_emailed_link_keeps_its_token_after_the_hash(inbox, pulse, workspace):
    team_of(workspace, "Crew", Function.ENGINEERING, 2)  # enough people asked to show results
    send_links(pulse)
    body = next(text for to, text in inbox.messages if "member@acme.test" in to)
    token = token_for(inbox, "member@acme.test")
    assert f"http://testserver/c/#{token}\r\n" in body
    assert token.startswith(f"{pulse.pk}.")
    assert "only in groups of at least 5 people, never with your name" in body


def test_emails_give_the_closing_in_the_workspace_time_zone(inbox, pulse):
    """Sent from a worker or the command line, where no page set a time zone."""
    pulse.workspace.time_zone = "Asia/Tokyo"
    pulse.workspace.save()
    tokyo = timezone.localtime(pulse.closes_at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    closes = f"{tokyo:%-d %b %Y %H:%M} (Asia/Tokyo time)"
    send_links(pulse)
    assert all(f"until {closes}" in text for _, text in inbox.messages)
    inbox.messages.clear()
    a_day_ago(pulse)
    send_links(pulse, reminder=True)
    assert inbox.messages and all(f"until {closes}" in text for _, text in inbox.messages)


def test_the_link_is_kept_in_a_short_lived_private_cookie(inbox, pulse, client):
    send_links(pulse)
    opened = client.post("/c/open/", {"link": token_for(inbox, "member@acme.test")})
    cookie = opened.cookies["checkin_link"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and not cookie["secure"]
    assert (cookie["path"], cookie["max-age"]) == ("/c/", 8 * 60 * 60)
    for page in (opened, client.get("/c/"), client.post("/c/", ANSWERS)):
        assert "no-store" in page["Cache-Control"]
        assert page["Referrer-Policy"] == "same-origin"


def test_a_pasted_link_opens_too(inbox, pulse, client):
    send_links(pulse)
    pasted = f"  http://testserver/c/#{token_for(inbox, 'member@acme.test')}\n"
    assert client.post("/c/open/", {"link": pasted}).status_code == 302
    assert "Q4 pulse" in client.get("/c/").content.decode()


def test_without_a_link_the_page_asks_for_it(db, client):
    page = client.get("/c/")
    assert page.status_code == 200
    assert 'action="/c/open/"' in page.content.decode()
    assert "csrftoken" in page.cookies
    assert page["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "link",
    ["", "not-a-real-token", "999.abc", "1.", ".abc", "x.abc", "²." + "a" * 32, "9" * 40 + ".a"],
)
def test_an_unknown_link_is_not_found(inbox, pulse, client, link):
    send_links(pulse)
    response = client.post("/c/open/", {"link": link})
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert "checkin_link" not in client.cookies or not client.cookies["checkin_link"].value


def test_a_link_with_another_check_ins_number_is_not_found(inbox, pulse, client):
    send_links(pulse)
    secret = token_for(inbox, "member@acme.test").partition(".")[2]
    assert client.post("/c/open/", {"link": f"{pulse.pk + 1}.{secret}"}).status_code == 404


def test_a_forged_cookie_is_not_accepted(inbox, pulse, client):
    client.cookies["checkin_link"] = f"{pulse.pk}.abc:forged-signature"
    assert 'action="/c/open/"' in client.get("/c/").content.decode()
    assert "not saved yet" in client.post("/c/", ANSWERS).content.decode()
    assert Response.objects.count() == 0


def test_answers_posted_after_the_link_expired_are_saved_once_it_is_opened_again(
    inbox, pulse, client, monkeypatch
):
    send_links(pulse)
    token = token_for(inbox, "member@acme.test")
    nine_hours_ago = time.time() - 9 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: nine_hours_ago)
    client.post("/c/open/", {"link": token})  # the page was opened, then left for 9 hours
    monkeypatch.undo()

    page = client.post("/c/", ANSWERS).content.decode()
    assert "your answers are not saved yet" in page
    carried = dict(re.findall(r'<input type="hidden" name="(q[\d_]+)" value="([^"]*)"', page))
    assert carried == ANSWERS
    assert Response.objects.count() == 0

    response = client.post("/c/open/", {"link": token, **carried})
    assert response.status_code == 302 and response["Location"] == "/c/?saved=1"
    assert Answer.objects.get(question__position=1).text == ANSWERS["q1"]
    assert "Fewer manual touches" in client.get("/c/").content.decode()  # the cookie works again


def test_the_old_link_form_is_gone(db, client):
    assert client.get("/c/1.abcdefabcdef/").status_code == 404


def test_opening_a_link_needs_the_csrf_token(inbox, pulse):
    send_links(pulse)
    client = Client(enforce_csrf_checks=True)
    csrf = client.get("/c/").cookies["csrftoken"].value
    data = {"link": token_for(inbox, "member@acme.test")}
    assert client.post("/c/open/", data).status_code == 403
    data["csrfmiddlewaretoken"] = csrf
    assert client.post("/c/open/", data, HTTP_ORIGIN="http://evil.test").status_code == 403
    assert client.post("/c/open/", data).status_code == 302


def test_an_editor_adds_a_question_tied_to_a_text(client_for, pulse):
    url = f"/w/acme/checkins/{pulse.pk}/questions/new/"
    source = "We sell to mid-market finance teams, not to enterprises."
    data = {
        "prompt": "Who do we sell to?",
        "kind": "text",
        "required": "on",
        "source_kind": "text",
        "source_text": source,
    }
    assert client_for("editor").post(url, data).status_code == 302
    question = pulse.questions.get(position=6)
    assert (question.role, question.source()) == ("open", source)


@pytest.mark.parametrize(
    "data, error",
    [
        ({"source_kind": "text", "source_text": ""}, "Write the text"),
        ({"source_kind": "goal"}, "Choose the goal"),
        ({"kind": "scale", "source_kind": "vision"}, "cannot be compared"),
    ],
)
def test_a_question_without_its_source_is_refused(client_for, pulse, data, error):
    form = {"prompt": "Q?", "kind": "text", "source_kind": "none", **data}
    response = client_for("editor").post(f"/w/acme/checkins/{pulse.pk}/questions/new/", form)
    assert error in response.content.decode()
    assert pulse.questions.count() == 5


def test_an_error_report_of_opening_a_link_hides_the_token(inbox, pulse):
    send_links(pulse)
    token = token_for(inbox, "member@acme.test")
    request = RequestFactory().post("/c/open/", {"link": token})
    request._dont_enforce_csrf_checks = True
    open_answer(request)
    reported = SafeExceptionReporterFilter().get_post_parameters(request)
    assert token not in str(reported) and reported["link"].startswith("*")
    assert token not in str(SafeExceptionReporterFilter().get_safe_request_meta(request))
