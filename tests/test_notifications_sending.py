"""Sending notifications for real: email through an SMTP server on loopback, Block Kit to an
HTTP receiver on loopback standing in for a Slack-compatible webhook; queued on commit, so a
change rolled back tells nobody; retried on 5xx; logged without the webhook's URL."""

import email
import hashlib
import hmac
import json
import logging
import threading
import time
from datetime import date
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import click
import pytest
from click.testing import CliRunner
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.api import api_request
from tests.serving import free_port
from tests.smtp import mail_server_fixture, no_mail_server_fixture  # noqa: F401
from truenorth.api.models import ApiToken
from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim
from truenorth.cli import main
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.notifications import actions, delivery
from truenorth.notifications.models import Delivery, Event, Notification, Webhook
from truenorth.notifications.tasks import deliver_notification, retry_webhook
from truenorth.roadmap.actions import save_initiative
from truenorth.strategy.actions import save_goal
from truenorth.workspaces.models import Person

SECRET = "T0SECRET/B0SECRET/xoxsecretpart"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0, 0))


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append((self.path, body))
        self.server.headers.append(dict(self.headers))
        time.sleep(self.server.delay)
        answer = self.server.answers.pop(0) if self.server.answers else 200
        self.send_response(answer)
        self.end_headers()
        self.wfile.write(b"ok" if answer == 200 else b"no")

    def log_message(self, *args):
        """Quiet: the test reads what was posted."""


@pytest.fixture
def receiver(settings):
    """A real HTTP server on loopback; its posts, and the answers it gives in turn (then 200).
    The server allows posts inside its network, as it must to reach it."""
    settings.WEBHOOK_ALLOW_HTTP = True
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    server.posts, server.answers, server.headers, server.delay = [], [], [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook(workspace, receiver):
    return Webhook.objects.create(
        workspace=workspace,
        url=f"http://127.0.0.1:{receiver.server_port}/services/{SECRET}",
        events=[Event.DECISION_MADE],
    )


@pytest.fixture
def decision(workspace, users):
    made = decisions.add_decision(
        Decision(workspace=workspace, title="Ledger", question="Which ledger?")
    )
    made.deciders.add(*Person.objects.filter(email__in=["editor@acme.test", "viewer@acme.test"]))
    made.informed.add(Person.objects.get(email="partner@acme.test"))
    return made


def test_a_decision_is_mailed_and_posted_after_commit(
    decision, hook, receiver, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse = ""
    with django_capture_on_commit_callbacks(execute=True) as queued:
        decisions.decide(decision, outcome="The new ledger.")
    assert len(queued) == 1
    rows = {d.channel: d for d in Delivery.objects.all()}
    assert (
        rows["email"].status == "sent" and rows["email"].delivered == 2 == rows["email"].recipients
    )
    assert rows["webhook"].status == "sent" and rows["webhook"].attempts == 1
    # One message a person, nobody else in To; the partner informed of it hears nothing.
    assert sorted(r[0] for r, _ in mail_server.messages) == ["editor@acme.test", "viewer@acme.test"]
    for _, raw in mail_server.messages:
        message = email.message_from_bytes(raw.encode(), policy=policy.default)
        assert str(message["Subject"]) == "Decision 1 made: Ledger"
        assert len(message["To"].addresses) == 1 and message["Cc"] is None
        assert "http://testserver/w/acme/decisions/1/" in message.get_content()
    [(path, body)] = receiver.posts
    payload = json.loads(body)
    assert path == f"/services/{SECRET}"
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Decision 1 made: Ledger"},
    }
    assert "The new ledger." in json.dumps(payload)


def test_a_rolled_back_decide_sends_nothing(
    decision, hook, receiver, mail_server, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        decisions.decide(decision, outcome="The new ledger.")
        raise RuntimeError("the rest of the change failed")
    assert queued == [] and not Notification.objects.exists()
    assert mail_server.messages == [] and receiver.posts == []


def sweep() -> str:
    """`truenorth notifications due` from cron, once every queued post's next try is due."""
    Delivery.objects.filter(status="queued").update(next_try_at=timezone.now())
    done = CliRunner().invoke(main, ["notifications", "due", "-w", "acme"])
    assert done.exit_code == 0, done.output
    return done.output


def test_a_webhook_answering_500_is_tried_again_by_the_sweep_then_sent(
    decision, hook, receiver, caplog
):
    receiver.answers = [500, 503]
    decisions.decide(decision, outcome="The new ledger.")
    notification = Notification.objects.get()
    with caplog.at_level(logging.INFO, logger="truenorth.notifications"):
        [row] = [r for r in delivery.deliver(notification) if r.channel == "webhook"]
        assert (row.status, row.attempts, len(receiver.posts)) == ("queued", 1, 1)
        assert row.next_try_at > timezone.now()
        assert "tried again, queued" in sweep()
        assert "tried again, sent" in sweep()
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 3 == len(receiver.posts)
    assert SECRET not in caplog.text and "127.0.0.1" in caplog.text
    assert "tried again" not in sweep()  # nothing left to try


def test_a_failed_webhook_is_logged_without_its_url(decision, hook, receiver, caplog):
    receiver.answers = [500]
    decisions.decide(decision, outcome="The new ledger.")
    with caplog.at_level(logging.INFO, logger="truenorth.notifications"):
        deliver_notification.call(Notification.objects.get().pk)
    row = Delivery.objects.get(channel="webhook")
    assert row.status == "queued" and row.attempts == 1 and row.sent_at is None
    assert "HTTP 500" in row.error and "webhook at 127.0.0.1" in row.error
    assert SECRET not in row.error and SECRET not in caplog.text


def test_a_client_error_is_not_tried_again(decision, hook, receiver):
    receiver.answers = [404]
    decisions.decide(decision, outcome="The new ledger.")
    delivery.deliver(Notification.objects.get())
    row = Delivery.objects.get(channel="webhook")
    assert row.status == "failed" and row.attempts == 1 == len(receiver.posts)


def test_a_refused_mailbox_fails_the_email_and_names_nobody(decision, mail_server):
    mail_server.refuse = "viewer@acme.test"
    decisions.decide(decision, outcome="The new ledger.")
    [row] = delivery.deliver(Notification.objects.get())
    assert row.status == "failed" and row.delivered == 1 and row.recipients == 2
    assert "550" in row.error and "viewer" not in row.error.lower()


def test_webhooks_hear_only_their_events_and_their_team(workspace, team, decision, receiver):
    url = f"http://127.0.0.1:{receiver.server_port}/x"
    other = team.parent
    Webhook.objects.create(workspace=workspace, url=url, events=[Event.UPDATE_PUBLISHED])
    Webhook.objects.create(workspace=workspace, url=url, events=[Event.DECISION_MADE], team=other)
    mine = Webhook.objects.create(
        workspace=workspace, url=url, events=[Event.DECISION_MADE], team=team
    )
    decision.owner = Person.objects.get(email="editor@acme.test")  # of team Platform
    decision.save()
    decisions.decide(decision, outcome="The new ledger.")
    assert delivery.webhooks(Notification.objects.get()) == [mine]


def test_a_task_run_twice_tells_nobody_twice(decision, receiver, hook):
    decisions.decide(decision, outcome="The new ledger.")
    notification = Notification.objects.get()
    assert deliver_notification.call(notification.pk)
    assert deliver_notification.call(notification.pk) == []
    assert len(receiver.posts) == 1


# --- Signed webhooks: each event as JSON a program can check (notifications.signing) ---


def verified(headers: dict, body: bytes, secret: str) -> bool:
    """What a receiver does (docs/api.md): HMAC-SHA256 of "<timestamp>.<body>", compared in
    constant time, the timestamp recent."""
    timestamp = headers["X-Truenorth-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    given = headers["X-Truenorth-Signature"].removeprefix("sha256=")
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and hmac.compare_digest(expected.hexdigest(), given)


@pytest.fixture
def program(workspace, receiver):
    return actions.add_webhook(
        workspace,
        "https://example.invalid/hooks",
        [Event.GOAL_CHANGED, Event.INITIATIVE_CHANGED, Event.CLAIMS_CHECKED],
        signed=True,
    )


def to_receiver(hook, receiver):
    """The address is checked as https when added; the test's receiver is plain http."""
    hook.url = f"http://127.0.0.1:{receiver.server_port}/in"
    hook.save()


def test_a_goal_change_is_posted_signed_and_a_tampered_body_fails_the_check(
    workspace, strategy, program, receiver, django_capture_on_commit_callbacks
):
    to_receiver(program, receiver)
    goal = strategy["goals"][0]
    goal.title = "Close in two days"
    with django_capture_on_commit_callbacks(execute=True):
        save_goal(goal)
    [(_, body)], [headers] = receiver.posts, receiver.headers
    assert len(program.secret) == 64 and verified(headers, body, program.secret)
    assert not verified(headers, body.replace(b"two", b"ten"), program.secret)
    assert not verified(headers, body, "another secret")
    assert headers["X-Truenorth-Event"] == "goal_changed"
    sent = json.loads(body)
    assert sent["event"] == "goal_changed" and sent["workspace"] == "acme"
    assert sent["data"] == {
        "goal": goal.pk,
        "title": "Close in two days",
        "rank": goal.rank,
        "what": "changed",
    }
    assert sent["url"].endswith("/w/acme/goals/")
    # The header names the delivery, as the deliveries API does; the body the notification.
    row = Delivery.objects.get(webhook=program)
    assert headers["X-Truenorth-Delivery"] == str(row.pk)
    assert sent["id"] == row.notification_id
    assert "blocks" not in sent  # JSON for a program, not a Slack message


def test_an_initiative_status_change_is_retried_until_it_lands(
    workspace, strategy, program, receiver, django_capture_on_commit_callbacks
):
    to_receiver(program, receiver)
    receiver.answers = [503]
    initiative = strategy["initiatives"]["internal"]
    initiative.status = "committed"
    with django_capture_on_commit_callbacks(execute=True):
        save_initiative(initiative)
    assert len(receiver.posts) == 1  # the 503; the retry is the sweep's
    sweep()
    assert len(receiver.posts) == 2
    first, second = receiver.headers
    assert first["X-Truenorth-Delivery"] == second["X-Truenorth-Delivery"]
    posts = zip(receiver.posts, receiver.headers, strict=True)
    assert all(verified(headers, body, program.secret) for (_, body), headers in posts)
    sent = json.loads(receiver.posts[-1][1])
    assert sent["data"]["changes"] == {"status": {"old": "planned", "new": "committed"}}
    row = Delivery.objects.get(webhook=program)
    assert (row.status, row.attempts, row.error) == ("sent", 2, "")


def test_a_claims_check_is_one_post_with_counts_and_no_account(
    workspace, strategy, program, receiver, django_capture_on_commit_callbacks
):
    to_receiver(program, receiver)
    claim = Claim(
        workspace=workspace, account="Globex", said_on=date(2026, 11, 2), text="Approve in Slack."
    )
    with django_capture_on_commit_callbacks(execute=True):
        save_claim(claim)
    [(_, body)] = receiver.posts
    sent = json.loads(body)
    assert sent["event"] == "claims_checked" and sent["data"]["checked"] == 1
    assert "Globex" not in body.decode()


def test_the_page_shows_a_signed_webhooks_secret_once(client_for, workspace):
    owner = client_for("owner")
    answer = owner.post(
        "/w/acme/notifications/webhooks/",
        {
            "what": "add",
            "url": "https://example.invalid/in",
            "events": ["goal_changed"],
            "signed": "on",
        },
    )
    hook = Webhook.objects.get(workspace=workspace)
    assert answer.status_code == 201 and hook.signed and hook.secret in answer.content.decode()
    listing = owner.get("/w/acme/notifications/webhooks/").content.decode()
    assert hook.secret not in listing and "signed JSON" in listing


# --- With no worker, a notification goes out within someone's click ---


def test_with_no_mail_server_the_click_does_not_wait_for_retries(decision, no_mail_server):
    """Deciding sends its notification inline: with nobody listening, one try, not three with
    waits of 2 and 10 seconds in between (each notification of a click paid them)."""
    decisions.decide(decision, outcome="The new ledger.")
    [row] = delivery.deliver(Notification.objects.get())
    assert (row.status, row.attempts, row.delivered) == ("failed", 1, 0)
    assert "2 of 2 messages not delivered" in row.error


def test_with_nothing_listening_a_webhook_is_tried_once_inline(decision, workspace, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    Webhook.objects.create(
        workspace=workspace,
        url=f"http://127.0.0.1:{free_port()}/hook",
        events=[Event.DECISION_MADE],
    )
    decisions.decide(decision, outcome="The new ledger.")
    rows = delivery.deliver(Notification.objects.get())
    [row] = [r for r in rows if r.channel == "webhook"]
    # One try now; the next is left for later, not waited for.
    assert (row.status, row.attempts, row.response_code) == ("queued", 1, None)
    assert row.next_try_at > timezone.now()


def test_under_workers_an_absent_mail_server_is_still_tried_again(decision, no_mail_server):
    decisions.decide(decision, outcome="The new ledger.")
    with override_settings(TASKS=DATABASE_QUEUE):
        [row] = delivery.deliver(Notification.objects.get())
    assert (row.status, row.attempts) == ("failed", 3)


# --- Under background workers: a failed post is tried again by a task queued for later ---

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_retries() -> list:
    return list(
        DBTaskResult.objects.filter(task_path__endswith="retry_webhook").order_by("enqueued_at")
    )


def test_under_workers_a_failed_post_waits_for_a_later_task_not_a_sleep(
    decision, hook, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [503]
    decisions.decide(decision, outcome="The new ledger.")
    with override_settings(TASKS=DATABASE_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            deliver_notification.call(Notification.objects.get().pk)
        row = Delivery.objects.get(channel="webhook")
        assert (row.status, row.attempts, row.response_code) == ("queued", 1, 503)
        assert "HTTP 503" in row.error and len(receiver.posts) == 1
        [retry] = queued_retries()
        wait = (retry.run_after - timezone.now()).total_seconds()
        assert retry.status == "READY" and 25 < wait <= delivery.WORKER_BACKOFF[0]
        assert retry.run_after == row.next_try_at

        with django_capture_on_commit_callbacks(execute=True):
            retry_webhook.call(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.response_code, row.error) == ("sent", 2, 200, "")
    assert row.next_try_at is None and len(receiver.posts) == 2 and len(queued_retries()) == 1


def test_under_workers_each_wait_is_longer_until_the_tries_run_out(
    decision, hook, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [502] * 10
    decisions.decide(decision, outcome="The new ledger.")
    with override_settings(TASKS=DATABASE_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            deliver_notification.call(Notification.objects.get().pk)
        row = Delivery.objects.get(channel="webhook")
        for _ in delivery.WORKER_BACKOFF:
            with django_capture_on_commit_callbacks(execute=True):
                retry_webhook.call(row.pk)
    row.refresh_from_db()
    tries = len(delivery.WORKER_BACKOFF) + 1
    assert (row.status, row.attempts, row.response_code) == ("failed", tries, 502)
    assert len(receiver.posts) == tries and row.next_try_at is None
    waits = [r.run_after - r.enqueued_at for r in queued_retries()]
    assert [round(w.total_seconds() / 10) * 10 for w in waits] == list(delivery.WORKER_BACKOFF)


def test_the_delivery_log_gives_each_answer_code(decision, hook, receiver, client_for):
    receiver.answers = [404]
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    [told] = client_for("owner").get("/w/acme/notifications.json").json()["notifications"]
    [posted] = [d for d in told["deliveries"] if d["channel"] == "webhook"]
    assert (posted["status"], posted["response_code"], posted["attempts"]) == ("failed", 404, 1)
    page = client_for("owner").get("/w/acme/notifications/webhooks/").content.decode()
    assert "HTTP 404" in page
    listed = CliRunner().invoke(main, ["notifications", "list", "-w", "acme"]).output
    assert "webhook failed (0 of 1, HTTP 404)" in listed


def test_the_api_gives_owners_each_webhooks_delivery_log(decision, hook, receiver, client, users):
    receiver.answers = [500, 200]
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    sweep()

    def get(role: str, path: str):
        token = ApiToken.issue(users[role], "test")[1]
        return client.get(f"/api/v1/workspaces/acme/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    [listed] = get("owner", "webhooks").json()["items"]
    assert listed["host"] == "127.0.0.1" and SECRET not in str(listed)
    [posted] = get("owner", f"webhooks/{hook.pk}/deliveries").json()["items"]
    assert (posted["status"], posted["attempts"], posted["response_code"]) == ("sent", 2, 200)
    assert posted["event"] == "decision_made" and posted["next_try_at"] is None
    assert get("editor", "webhooks").status_code == 403
    assert get("owner", f"webhooks/{hook.pk + 1}/deliveries").status_code == 404


@override_settings(WEBHOOK_ALLOW_HTTP=True)  # its webhooks are on loopback
def test_owners_add_test_and_remove_webhooks_through_the_api(
    workspace, hook, receiver, client, users
):
    def call(method, path="", body=None, role="owner", scope="write"):
        url = f"/api/v1/workspaces/acme/webhooks{path}"
        return api_request(client, users[role], method, url, body, scope=scope)

    body = {"url": "https://127.0.0.1:9/hooks/T0/B0/x", "events": ["decision_made"]}
    added = call("post", body={**body, "signed": True, "name": "#ledger"})
    assert added.status_code == 201, added.json()
    made = added.json()
    assert (made["host"], made["signed"], made["name"]) == ("127.0.0.1", True, "#ledger")
    assert made["secret"] == Webhook.objects.get(pk=made["id"]).secret != ""
    listed = call("get").json()["items"]
    assert "secret" not in str(listed) and "hooks/T0" not in str(listed)  # never again
    one = call("get", f"/{made['id']}", scope="read")
    detail = one.json()
    assert (detail.pop("latest_deliveries"), detail.pop("delivery_count")) == ([], 0)
    assert detail == next(h for h in listed if h["id"] == made["id"])
    assert call("get", f"/{made['id']}", role="editor").status_code == 403
    failed = call("post", f"/{made['id']}/test").json()
    assert failed["status"] == "failed" and "webhook at 127.0.0.1" in failed["error"]
    sent = call("post", f"/{hook.pk}/test").json()  # the receiver on loopback
    assert (sent["status"], sent["response_code"]) == ("sent", 200) and receiver.posts
    assert call("post", body=body | {"signed": False}).json()["secret"] is None
    refused = call("post", body={**body, "url": "ftp://example.com/hook"})
    assert (refused.status_code, refused.json()["field"]) == (400, "url")
    assert call("post", body={**body, "team": 999999}).json()["field"] == "team"
    assert call("post", body={**body, "events": ["nothing"]}).status_code == 400
    assert call("post", body=body, role="editor").status_code == 403
    assert call("post", body=body, scope="read").status_code == 403
    assert call("delete", f"/{made['id']}").status_code == 204
    assert call("delete", f"/{made['id']}").status_code == 404
    assert not Webhook.objects.filter(pk=made["id"]).exists()


# --- A slow or failing receiver and the person saving ---


def test_with_no_worker_failing_receivers_get_one_quick_try_each(
    workspace, strategy, receiver, django_capture_on_commit_callbacks
):
    """Two webhooks hearing of both events of one save, the receiver answering 503: one post
    each, none waited for again, each left queued for its next try."""
    initiative = strategy["initiatives"]["internal"]
    initiative.status = "committed"
    save_initiative(initiative)
    url = f"http://127.0.0.1:{receiver.server_port}/in"
    events = [Event.INITIATIVE_CHANGED, Event.COMMITTED_SLIP]
    for _ in range(2):
        Webhook.objects.create(workspace=workspace, url=url, events=events)
    receiver.answers = [503] * 20
    initiative.target_date = date(2027, 2, 10)
    with django_capture_on_commit_callbacks(execute=True):
        save_initiative(initiative)
    assert len(receiver.posts) == 4  # 2 webhooks × 2 events × 1 try
    rows = Delivery.objects.filter(notification__event__in=events)
    assert {(r.status, r.attempts, r.response_code) for r in rows} == {("queued", 1, 503)}


def test_with_no_worker_a_slow_receiver_holds_the_save_only_briefly(
    decision, hook, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "INLINE_TIMEOUT", 0.3)
    receiver.delay = 6
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(decision, outcome="The new ledger.")
    # Far below the receiver's 6 s, with room for a machine busy with other work.
    assert time.monotonic() - started < 4
    row = Delivery.objects.get(channel="webhook")
    assert (row.status, row.attempts, row.response_code) == ("queued", 1, None)
    assert "TimeoutError" in row.error


def test_an_owner_resends_a_failed_delivery_from_the_page_and_the_api(
    decision, hook, receiver, client_for, users
):
    receiver.answers = [404, 410, 200]
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    row = Delivery.objects.get(channel="webhook")
    assert (row.status, row.attempts) == ("failed", 1)
    owner = client_for("owner")
    page = owner.get("/w/acme/notifications/webhooks/").content.decode()
    assert 'value="resend"' in page and f'name="delivery" value="{row.pk}"' in page
    form = {"what": "resend", "webhook": hook.pk, "delivery": row.pk}
    shown = owner.get(owner.post("/w/acme/notifications/webhooks/", form).url).content.decode()
    assert "not delivered, the receiver answered HTTP 410" in shown
    row.refresh_from_db()
    assert (row.status, row.attempts, row.response_code) == ("failed", 2, 410)

    url = f"/api/v1/workspaces/acme/webhooks/{hook.pk}/deliveries/{row.pk}/resend"
    resent = api_request(owner, users["owner"], "post", url, None, scope="write")
    assert resent.status_code == 200, resent.json()
    sent = resent.json()
    assert (sent["id"], sent["status"], sent["attempts"], sent["response_code"]) == (
        row.pk,
        "sent",
        3,
        200,
    )
    assert len(receiver.posts) == 3
    again = api_request(owner, users["owner"], "post", url, None, scope="write")
    assert again.status_code == 409 and "Only a failed delivery" in again.json()["detail"]
    elsewhere = url.replace(f"/{row.pk}/", "/999999/")
    missing = api_request(owner, users["owner"], "post", elsewhere, scope="write")
    assert missing.status_code == 404
    form["delivery"] = row.pk
    assert owner.post("/w/acme/notifications/webhooks/", form).status_code == 409


# --- Which process posts: each with its own settings ---

LACKS = (
    "does not set TRUENORTH_WEBHOOK_ALLOW_HTTP, so it could not post to an http:// address "
    "(the webhook at 127.0.0.1)"
)


@pytest.mark.django_db(transaction=True)  # committed, so the command posts as it runs
def test_a_change_from_the_command_line_names_it_as_lacking_the_setting_and_send_again_posts(
    workspace, strategy, receiver, client_for, users
):
    # The web server sets TRUENORTH_WEBHOOK_ALLOW_HTTP (receiver), so it took an http:// address.
    url = f"http://127.0.0.1:{receiver.server_port}/in"
    hook = actions.add_webhook(workspace, url, [Event.INITIATIVE_CHANGED])
    initiative = strategy["initiatives"]["internal"]
    with override_settings(WEBHOOK_ALLOW_HTTP=False):  # a shell without the server's setting
        done = CliRunner().invoke(
            main, ["roadmap", "set", str(initiative.pk), "--target", "2027-02-20", "-w", "acme"]
        )
    assert done.exit_code == 0, done.output
    row = Delivery.objects.get(webhook=hook)
    said = (
        f"1 of 1 posts not delivered: the command line that made this change {LACKS}; "
        "Send again posts it from the web server"
    )
    assert (row.status, row.tried_from, row.error, receiver.posts) == (
        "failed",
        "command",
        said,
        [],
    )
    owner = client_for("owner")
    page = owner.get("/w/acme/notifications/webhooks/").content.decode()
    assert "this server does not set" not in page
    assert f"the command line that made this change {LACKS}; Send again" in page
    listed = owner.get("/w/acme/notifications.json").json()["notifications"][0]["deliveries"]
    assert [d["tried_from"] for d in listed] == ["command"]

    form = {"what": "resend", "webhook": hook.pk, "delivery": row.pk}
    shown = owner.get(owner.post("/w/acme/notifications/webhooks/", form).url).content.decode()
    assert "the receiver at 127.0.0.1 answered HTTP 200" in shown and len(receiver.posts) == 1
    detail = api_request(
        owner, users["owner"], "get", f"/api/v1/workspaces/acme/webhooks/{hook.pk}"
    )
    assert detail.json()["latest_deliveries"][0]["tried_from"] == "web"

    # The web server without the setting says so of itself, with no Send again to offer.
    with override_settings(WEBHOOK_ALLOW_HTTP=False):
        form = {"what": "test", "webhook": hook.pk}
        shown = owner.get(owner.post("/w/acme/notifications/webhooks/", form).url).content.decode()
    assert f"not delivered: this web server {LACKS}." in shown and len(receiver.posts) == 1


def test_a_later_try_names_the_worker_or_the_sweep_that_made_it(decision, hook, receiver):
    receiver.answers = [503]
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    row = Delivery.objects.get(channel="webhook")
    assert (row.status, row.tried_from) == ("queued", "web")

    @click.command(name="worker")  # the name `truenorth worker` runs its tasks under
    def worker():
        retry_webhook.call(row.pk)

    receiver.posts.clear()
    with override_settings(WEBHOOK_ALLOW_HTTP=False):
        assert CliRunner().invoke(worker).exit_code == 0
        row.refresh_from_db()
        assert (row.status, row.tried_from, receiver.posts) == ("failed", "worker", [])
        assert "the worker that posted it does not set TRUENORTH_WEBHOOK_ALLOW_HTTP" in row.error
        assert row.error.endswith("; Send again posts it from the web server")
        Delivery.objects.filter(pk=row.pk).update(status="queued", attempts=1)
        sweep()
    row.refresh_from_db()
    assert row.tried_from == "command" and not receiver.posts
    assert "the command line that ran `truenorth notifications due` does not set" in row.error


def test_a_committed_slip_carries_its_initiative_and_dates(
    workspace, strategy, program, receiver, django_capture_on_commit_callbacks
):
    to_receiver(program, receiver)
    Webhook.objects.filter(pk=program.pk).update(events=[Event.COMMITTED_SLIP])
    initiative = strategy["initiatives"]["internal"]
    initiative.status = "committed"
    save_initiative(initiative)
    initiative.target_date = date(2027, 2, 10)
    with django_capture_on_commit_callbacks(execute=True):
        save_initiative(initiative)
    [(_, body)] = receiver.posts
    sent = json.loads(body)
    assert sent["event"] == "committed_slip"
    assert sent["data"] == {
        "initiative": initiative.pk,
        "title": initiative.title,
        "old_target_date": "2026-12-01",
        "new_target_date": "2027-02-10",
        "days_later": 71,
    }


def test_an_initiative_change_says_its_status_and_dates_as_people_write_them(workspace, strategy):
    from truenorth.roadmap.models import Status

    initiative = strategy["initiatives"]["internal"]  # planned, due 1 December 2026
    initiative.status, initiative.target_date = Status.IN_PROGRESS, date(2027, 1, 30)
    save_initiative(initiative)
    initiative.target_date = date(2027, 3, 15)
    save_initiative(initiative)
    initiative.target_date = date(2027, 3, 14)
    save_initiative(initiative)
    told = Notification.objects.filter(event=Event.INITIATIVE_CHANGED).order_by("pk")
    name = f"“{initiative.title}”"
    assert [n.text for n in told] == [
        f"{name}: its status changed from planned to in progress; its target date moved from "
        "1 December 2026 to 30 January 2027 (60 days later).",
        f"{name}: its target date moved from 30 January 2027 to 15 March 2027 (44 days later).",
        f"{name}: its target date moved from 15 March 2027 to 14 March 2027 (1 day earlier).",
    ]
    # Programs still read the values as the history keeps them.
    assert told[1].data["changes"] == {"target_date": {"old": "2027-01-30", "new": "2027-03-15"}}


def test_every_event_names_what_it_is_about(workspace, strategy):
    """Each event's data carries the id of its subject and its title, as committed_slip does."""
    from truenorth.notifications import events as notify

    initiative = strategy["initiatives"]["internal"]
    raised = [
        notify.committed_slip(initiative, date(2026, 10, 1)),
        notify.goal_changed(strategy["goals"][0]),
        notify.initiative_changed(initiative, {"status": ("planned", "committed")}),
    ]
    for notification in raised:
        assert notification.data["title"] and {"initiative", "goal"} & set(notification.data)


@override_settings(WEBHOOK_ALLOW_HTTP=True)
def test_plain_http_is_allowed_where_the_setting_says(workspace, receiver, decision):
    url = f"http://127.0.0.1:{receiver.server_port}/in"
    hook = actions.add_webhook(workspace, url, [Event.DECISION_MADE])
    assert hook.url == url
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    assert len(receiver.posts) == 1
    with pytest.raises(actions.Refused, match="https:// or http://"):
        actions.add_webhook(workspace, "ftp://127.0.0.1/in", [Event.DECISION_MADE])


def test_plain_http_is_refused_by_default(workspace):
    with pytest.raises(actions.Refused, match="starts with https://"):
        actions.add_webhook(workspace, "http://10.0.0.5/in", [Event.DECISION_MADE])


def test_a_claims_check_says_what_changed_in_the_claims_pages_words_and_nothing_else(
    workspace, strategy, program, receiver, django_capture_on_commit_callbacks
):
    from truenorth.claims.actions import check_claims

    to_receiver(program, receiver)
    texts = ["Approve in Slack.", "Close the books in three days with the new ledger."]
    with django_capture_on_commit_callbacks(execute=True):
        for text in texts:
            save_claim(
                Claim(workspace=workspace, account="Globex", said_on=date(2026, 11, 2), text=text)
            )
    claims = list(Claim.objects.filter(workspace=workspace))
    words = sorted(c.get_verdict_display() for c in claims)
    first = Notification.objects.get(event=Event.CLAIMS_CHECKED)
    assert first.title == "Claims checked: 2 new"
    assert first.text.startswith("2 new claims: ") and all(w in first.text for w in words)
    assert first.text.endswith(". 2 claims were checked against the roadmap.")
    assert "_" not in first.text
    posted = len(receiver.posts)
    with django_capture_on_commit_callbacks(execute=True):
        check_claims(workspace, claims)
        check_claims(workspace, claims)  # "check all claims", twice: no verdict changed
    assert len(receiver.posts) == posted
    told = Notification.objects.get(event=Event.CLAIMS_CHECKED)
    assert (told.text, told.created_at) == (first.text, first.created_at)
    assert told.data["claims"] == {str(c.pk): c.verdict for c in claims}
    assert "Globex" not in receiver.posts[-1][1].decode()


def test_claims_checked_in_an_hour_fold_from_each_claims_verdict_before_it(workspace):
    from truenorth.claims.models import Verdict
    from truenorth.notifications import events as notify

    words = dict(Verdict.choices)
    ten = timezone.now().replace(hour=10, minute=5)
    moved = {1: ("committed", "over_promise"), 2: ("available", "committed"), 3: ("", "available")}
    moved |= {n: ("committed", "committed") for n in range(4, 21)}
    told = notify.claims_checked(workspace, moved, ten, words)
    assert told.title == "Claims checked: 2 changed verdict, 1 new"
    assert told.text == (
        "2 claims changed verdict: 1 from Available to Committed, 1 from Committed to "
        "Over-promise; 1 new claim: 1 Available. 20 claims were checked against the roadmap."
    )
    assert {"from": "committed", "to": "over_promise", "claims": 1} in told.data["changed"]
    assert {"from": None, "to": "available", "claims": 1} in told.data["changed"]
    # Checked again within the hour with nothing changed: nothing is told, nothing updated.
    same = {n: (now, now) for n, (_, now) in moved.items()}
    assert notify.claims_checked(workspace, same, ten.replace(minute=30), words) is None
    # One claim turns back: the hour's notification counts it from its verdict before 10:05.
    back = notify.claims_checked(
        workspace, {1: ("over_promise", "committed")}, ten.replace(minute=40), words
    )
    assert back.pk == told.pk and back.title == "Claims checked: 1 changed verdict, 1 new"
    assert back.text.startswith("1 claim changed verdict: 1 from Available to Committed;")
    assert notify.claims_checked(workspace, same, ten.replace(hour=11), words) is None


# --- The webhooks page and the test post ---


def test_the_webhooks_page_names_events_and_asks_before_removing(client_for, hook):
    page = client_for("owner").get("/w/acme/notifications/webhooks/").content.decode()
    assert "Decision made" in page and "decision_made</small>" not in page
    remove = page.split("<summary>Remove…</summary>")[1].split("</details>")[0]
    assert 'value="remove"' in remove and "Remove the webhook at 127.0.0.1" in remove
    assert 'value="remove"' not in page.split("<summary>Remove…</summary>")[0]


def test_a_test_post_says_what_the_receiver_answered_and_carries_no_delivery(
    client_for, workspace, program, receiver, hook
):
    to_receiver(program, receiver)
    owner = client_for("owner")
    form = {"what": "test", "webhook": hook.pk}
    shown = owner.get(owner.post("/w/acme/notifications/webhooks/", form).url).content.decode()
    assert "the receiver at 127.0.0.1 answered HTTP 200" in shown
    receiver.answers = [503]
    form["webhook"] = program.pk
    shown = owner.get(owner.post("/w/acme/notifications/webhooks/", form).url).content.decode()
    assert "not delivered, the receiver answered HTTP 503" in shown
    headers = receiver.headers[-1]
    assert "X-Truenorth-Delivery" not in headers and headers["X-Truenorth-Event"] == "test"
    assert verified(headers, receiver.posts[-1][1], program.secret)
    assert not Delivery.objects.exists()  # a test is no delivery


# --- Email ---


def test_a_notification_email_links_to_the_choices_and_says_list_unsubscribe(decision, mail_server):
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    assert mail_server.messages
    choices = "http://testserver/w/acme/notifications/"
    for _, raw in mail_server.messages:
        message = email.message_from_bytes(raw.encode(), policy=policy.default)
        assert message["List-Unsubscribe"].strip().startswith("<http://testserver/unsubscribe/")
        assert f"Change them: {choices}" in message.get_content()


def test_a_check_in_invitation_says_why_it_came_and_whom_to_ask(workspace, users, strategy):
    from datetime import timedelta

    from truenorth.checkins.actions import (
        Link,
        create_alignment_pulse,
        invitation_email,
        invite_audience,
    )

    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7), by=users["editor"]
    )
    invite_audience(pulse)
    invitation = pulse.invitations.get(person__email="member@acme.test")
    message = invitation_email(pulse, Link(invitation, "a-token"), reminder=False)
    assert "You got this because Acme asks everyone, you among them." in message.body
    assert "ask Editor (editor@acme.test)" in message.body
    assert "List-Unsubscribe" not in message.extra_headers  # asked by their organisation
