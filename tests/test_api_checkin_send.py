"""Sending a check-in's links and closing it through /api/v1/, as its page's buttons do: a
program can run a pulse from start to end. Nobody is marked invited unless a mail server
answers, and the results are published when it closes."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import F
from django.utils import timezone

from tests.api import caller
from tests.smtp import no_mail_server_fixture  # noqa: F401
from truenorth.checkins.models import CheckIn

API = "/api/v1/workspaces/acme/checkins"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


@pytest.fixture
def pulse(workspace, users, call):
    now = timezone.now()
    body = {
        "title": "Q4 pulse",
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=7)).isoformat(),
    }
    made = call("post", body=body)
    assert made.status_code == 201, made.json()
    return made.json()["id"]


def test_links_go_out_once_then_reminders_then_it_closes(workspace, users, call, pulse):
    sent = call("post", f"/{pulse}/send", {})
    assert sent.status_code == 200, sent.json()
    invited = CheckIn.objects.get(pk=pulse).invitations.count()
    assert sent.json() == {"state": "done", "sent": invited, "failed": {}, "note": ""}
    assert len(mail.outbox) == invited > 0
    again = call("post", f"/{pulse}/send", {"what": "invitations"}).json()
    assert again["sent"] == 0  # nobody holding a link is sent another
    assert again["note"].startswith("Nobody new to invite:")
    # Nobody is reminded within a day of their invitation, and the answer says why.
    early = call("post", f"/{pulse}/send", {"what": "reminders"}).json()
    assert early["sent"] == 0 and len(mail.outbox) == invited
    assert f"({invited} invited), and a reminder waits a day after either." in early["note"]
    a_day = timedelta(days=1, minutes=1)
    CheckIn.objects.get(pk=pulse).invitations.update(sent_at=F("sent_at") - a_day)
    reminded = call("post", f"/{pulse}/send", {"what": "reminders"}).json()
    assert reminded["sent"] == invited and len(mail.outbox) == 2 * invited
    closed = call("post", f"/{pulse}/close")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["state"] in ("closed", "final")
    assert call("post", f"/{pulse}/close").status_code == 409
    late = call("post", f"/{pulse}/send", {})
    assert late.status_code == 409 and "not open" in late.json()["detail"]


def test_with_no_mail_server_nobody_is_marked_invited(
    workspace, users, call, pulse, no_mail_server
):
    answer = call("post", f"/{pulse}/send", {})
    assert (answer.status_code, answer.json()["title"]) == (503, "No mail server")
    assert not CheckIn.objects.get(pk=pulse).invitations.filter(status="sent").exists()


def test_only_owners_and_editors_send_and_close(workspace, users, call, pulse):
    for role in ("member", "viewer", "partner"):
        assert call("post", f"/{pulse}/send", {}, role=role).status_code == 403
        assert call("post", f"/{pulse}/close", role=role).status_code == 403
    assert call("post", f"/{pulse}/send", {"what": "everyone"}).json()["field"] == "what"
    assert not mail.outbox


def test_new_links_are_refused_where_emails_reach_nobody(workspace, users, call, pulse, settings):
    """The links people hold would stop opening, and the new ones reach only the log."""
    call("post", f"/{pulse}/send", {})
    held = set(CheckIn.objects.get(pk=pulse).invitations.values_list("token_hash", flat=True))
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    refused = call("post", f"/{pulse}/send", {"what": "new_links"})
    assert refused.status_code == 409
    assert (
        "No new links were sent: this server sends emails to the console"
        in (refused.json()["detail"])
    )
    after = set(CheckIn.objects.get(pk=pulse).invitations.values_list("token_hash", flat=True))
    assert after == held
