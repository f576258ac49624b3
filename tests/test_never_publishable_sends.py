"""A round that could never be published, sent through the API or the command line: until
2026-12-07 they sent it without a word, where the page asks for a tick of "Send anyway". Now
both refuse with why and how to confirm, and send once confirmed. Its people are told, on their
answer page and in their invitation, that its results will never be published (walk 89).
Real database, the real model for the published round beside it, Django's test client, and a
real SMTP server on loopback for the command line."""

from html import unescape

import pytest
from click.testing import CliRunner
from django.core import mail

from tests.api import caller
from tests.smtp import LINK, mail_server_fixture  # noqa: F401
from tests.test_never_publishable import (  # noqa: F401 (fixtures)
    OPEN_NOW,
    later_round,
    sales_published,
    sent_round,
)
from tests.test_subtraction_between_checkins import teams  # noqa: F401 (a fixture)
from truenorth.checkins.actions import privacy
from truenorth.cli import main

COULD_NEVER = (
    "Sent as it is, its results could never be shown: its audience differs from “Sales pulse” "
    "by 3 people"
)
TOLD_ANSWERING = (
    "Your answers are anonymous. This check-in's results will never be published, because it "
    "asks almost the same people as one already published and together they would give a few "
    "people's answers away; your answers are still saved, but stay unpublished."
)

pytestmark = pytest.mark.usefixtures("no_notifications")


@pytest.fixture
def tiger(workspace, teams, sales_published):  # noqa: F811
    """“Tiger pulse”, open and not sent: Tiger and Sales (8), 3 apart from “Sales pulse”."""
    return later_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]], OPEN_NOW)


@pytest.fixture
def call(client, users):
    return caller(client, users, "/api/v1/workspaces/acme/checkins")


@pytest.fixture
def servers_own_key(settings):
    """A key of the server's own, as `truenorth checkin send` needs to sign links it takes."""
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30


def test_the_api_refuses_it_without_send_anyway_and_sends_it_with(tiger, call):
    refused = call("post", f"/{tiger.pk}/send", {})
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["field"] == "send_anyway"
    assert problem["detail"].startswith(f"Nothing was sent. {COULD_NEVER}")
    assert problem["detail"].endswith(
        'To send it all the same, send it again with "send_anyway": true.'
    )
    assert not tiger.invitations.exists() and mail.outbox == []

    sent = call("post", f"/{tiger.pk}/send", {"what": "invitations", "send_anyway": True})
    assert sent.status_code == 200, sent.json()
    assert sent.json()["state"] == "done" and sent.json()["sent"] == 8
    assert len(mail.outbox) == 8
    # Only the first send asks: the invitations after it go as they always did.
    again = call("post", f"/{tiger.pk}/send", {})
    assert again.status_code == 200 and again.json()["note"].startswith("Nobody new to invite")


def test_the_api_sends_a_round_that_can_be_published_without_send_anyway(
    workspace,
    teams,  # noqa: F811
    sales_published,  # noqa: F811
    call,
):
    again = later_round(workspace, "Sales pulse again", [teams["Sales"]], OPEN_NOW)
    sent = call("post", f"/{again.pk}/send", {})
    assert sent.status_code == 200 and sent.json()["sent"] == 5
    assert all(TOLD_ANSWERING not in message.body for message in mail.outbox)


def test_the_invitation_says_its_results_will_never_be_published(tiger, call):
    call("post", f"/{tiger.pk}/send", {"send_anyway": True})
    for message in mail.outbox:
        assert TOLD_ANSWERING in message.body
        assert "reported only in groups of at least" not in message.body
    assert privacy(tiger) == TOLD_ANSWERING  # reminders say the same (Said)


def test_the_command_refuses_it_without_send_anyway_and_sends_it_with(
    tiger, mail_server, servers_own_key
):
    refused = CliRunner().invoke(main, ["checkin", "send", str(tiger.pk)])
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())  # click wraps the line
    assert said.startswith(f"Error: Nothing was sent. {COULD_NEVER}")
    assert said.endswith("To send it all the same, add --send-anyway.")
    assert not tiger.invitations.exists() and not mail_server.messages

    sent = CliRunner().invoke(main, ["checkin", "send", str(tiger.pk), "--send-anyway"])
    assert sent.exit_code == 0, sent.output
    assert "Sent 8 invitations." in sent.output
    (message,) = mail_server.to("sales0@acme.test")
    assert LINK.search(message) and TOLD_ANSWERING in " ".join(message.split())


def test_the_answer_page_says_its_results_will_never_be_published(
    workspace,
    teams,  # noqa: F811
    client,
    sales_published,  # noqa: F811
):
    tiger, tokens = sent_round(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    page = client.post("/c/open/", {"link": next(iter(tokens.values()))}, follow=True)
    shown = unescape(page.content.decode())
    assert f'<span id="never-published">{TOLD_ANSWERING}</span>' in shown
    assert "Save my answers" in shown  # answers are still taken
    assert "only once the check-in closes" not in shown

    again, tokens = sent_round(workspace, "Sales round two", [teams["Sales"]])
    page = client.post("/c/open/", {"link": next(iter(tokens.values()))}, follow=True)
    shown = unescape(page.content.decode())
    assert "never be published" not in shown
    assert "Your answers are anonymous: they are reported only in groups" in shown


def test_the_api_warns_before_its_first_send_as_its_page_does(tiger, call, client_for):
    """Its `warning` gave the pair warning ("only the first of the two to be published can be
    …"), promising a publication that never comes, where the page says it could never be."""
    warning = call("get", f"/{tiger.pk}").json()["warning"]
    assert warning.startswith(COULD_NEVER)
    assert "only the first of the two" not in warning
    page = unescape(client_for("editor").get(f"/w/acme/checkins/{tiger.pk}/").content.decode())
    assert f'<p class="note before-sending">{warning}</p>' in page
