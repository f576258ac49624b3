"""Invitations by email through a real SMTP server on loopback, and the personal link."""

import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse, send_links
from truenorth.checkins.models import Answer, Invitation, Response

LINK = re.compile(r"http://testserver(/c/[\w-]+/)")


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


def link_for(inbox, email):
    body = next(text for to, text in inbox.messages if email in to)
    return LINK.search(body).group(1)


ANSWERS = {
    "q1": "Finance teams close their books in three days.",
    "q2": "1. Faster close 2. Fewer manual touches",
    "q3": "Sync reliability is what makes the close fast.",
    "q4": "4",
    "q5": "",
}


def test_invitations_arrive_and_their_link_takes_answers(inbox, pulse, client):
    assert send_links(pulse) == 4  # everyone but the partner
    assert len(inbox.messages) == 4
    url = link_for(inbox, "member@acme.test")
    assert "Q4 pulse" in client.get(url).content.decode()

    response = client.post(url, ANSWERS)
    assert "your answers are saved" in response.content.decode()
    saved = Response.objects.get()
    assert (saved.person, saved.function, saved.team) == (None, "engineering", "Platform")
    assert Answer.objects.get(question__position=4).value == 4
    assert Invitation.objects.filter(responded=True).count() == 1


def test_a_person_changes_their_answer_and_keeps_one_response(inbox, pulse, client):
    send_links(pulse)
    url = link_for(inbox, "member@acme.test")
    client.post(url, ANSWERS)
    assert "Fewer manual touches" in client.get(url).content.decode()  # prefilled
    client.post(url, {**ANSWERS, "q1": "Close the books in a day."})
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__position=1).text == "Close the books in a day."


def test_reminders_go_only_to_those_who_have_not_answered(inbox, pulse, client):
    send_links(pulse)
    client.post(link_for(inbox, "member@acme.test"), ANSWERS)
    inbox.messages.clear()
    assert send_links(pulse, reminder=True) == 3
    assert all("member@acme.test" not in to for to, _ in inbox.messages)
    assert all("Reminder: Q4 pulse" in text for _, text in inbox.messages)
    assert client.get(link_for(inbox, "viewer@acme.test")).status_code == 200


def test_sending_again_sends_nothing_new(inbox, pulse):
    send_links(pulse)
    assert send_links(pulse) == 0


def test_an_anonymous_response_cannot_be_joined_to_its_invitation(inbox, pulse, client):
    send_links(pulse)
    client.post(link_for(inbox, "member@acme.test"), ANSWERS)
    invitation = Invitation.objects.get(responded=True)
    response = Response.objects.get()
    assert response.person is None
    assert invitation.token_hash != response.key_hash
    assert "member" not in str(response.__dict__.values())


def test_an_attributed_response_names_its_author(inbox, pulse, client, users):
    pulse.anonymous = False
    pulse.save()
    send_links(pulse)
    client.post(link_for(inbox, "member@acme.test"), ANSWERS)
    assert Response.objects.get().person.email == "member@acme.test"


@pytest.mark.parametrize(
    "field, value, error",
    [("q1", "", "This field is required."), ("q4", "9", "Select a valid choice.")],
)
def test_bad_answers_are_refused_next_to_the_field(inbox, pulse, client, field, value, error):
    send_links(pulse)
    response = client.post(link_for(inbox, "member@acme.test"), {**ANSWERS, field: value})
    assert error in response.content.decode()
    assert Response.objects.count() == 0


def test_a_closed_checkin_takes_no_answers(inbox, pulse, client):
    send_links(pulse)
    pulse.closes_at = timezone.now() - timedelta(minutes=1)
    pulse.save()
    url = link_for(inbox, "member@acme.test")
    assert "not open for answers" in client.post(url, ANSWERS).content.decode()
    assert Response.objects.count() == 0


def test_an_unknown_link_is_not_found(db, client):
    assert client.get("/c/not-a-real-token/").status_code == 404


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
