"""Sending a published update of the demo: by email through a real SMTP server on loopback, each
person the version of their function, and to a real HTTP receiver on loopback standing in for a
Slack-compatible webhook, which gets Block Kit JSON holding nothing internal. A module of its own:
the demo is built once for the module, outside the tests' transactions."""

import email
import json
import logging
import re
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from django.test import Client

from tests.api import api_request
from tests.serving import free_port
from tests.smtp import mail_server_fixture, no_mail_server_fixture  # noqa: F401
from truenorth.cli import main
from truenorth.exchange import export_workspace
from truenorth.roadmap.models import Visibility
from truenorth.updates import audiences, delivery
from truenorth.updates.models import Audience, UpdateSending
from truenorth.workspaces.models import Function, Membership, SettingChange

SECRET = "T0SECRET/B0SECRET/xoxsecretpart"
UNSUBSCRIBE = re.compile(r"http://testserver(/unsubscribe/[^/\s\"]+/)")


@pytest.fixture(scope="module")
def demo(built_demo):
    return built_demo


@pytest.fixture
def published(db, demo):
    return demo.updates.filter(published_at__isnull=False).latest("number")


@pytest.fixture
def draft(db, demo):
    return demo.updates.filter(published_at__isnull=True).latest("number")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(delivery, "RETRY_DELAYS", (0, 0))


def emailing(demo, published) -> str:
    """The count of people the page's “Send…” confirmation shows, as its form posts it."""
    return str(sum(n for _, n in delivery.email_reach(published)))


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append((self.path, self.headers["Content-Type"], body))
        self.send_response(self.server.answer)
        self.end_headers()
        self.wfile.write(b"ok" if self.server.answer == 200 else b"no")

    def log_message(self, *args):
        """Quiet: the test reads what was posted, not the server's request log."""


@pytest.fixture
def webhook(published, settings):
    """A real HTTP server on loopback as the workspace's webhook; its posts, and the answer it
    gives (200 unless a test says otherwise). The server allows posts inside its network."""
    settings.WEBHOOK_ALLOW_HTTP = True
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    server.posts, server.answer = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    workspace = published.workspace
    workspace.slack_webhook_url = f"http://127.0.0.1:{server.server_port}/services/{SECRET}"
    workspace.save(update_fields=["slack_webhook_sealed"])
    yield server
    server.shutdown()
    server.server_close()


def texts(raw: str) -> tuple[str, str]:
    """(subject, every text and HTML part decoded) of a message as the server took it."""
    message = email.message_from_bytes(raw.encode(), policy=policy.default)
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return " ".join(str(message["Subject"]).split()), "\n".join(parts)


def internal_titles(demo) -> list[str]:
    return list(
        demo.initiatives.filter(visibility=Visibility.INTERNAL).values_list("title", flat=True)
    )


def person_of(demo, function: str):
    return demo.people.filter(function=function, active=True).order_by("name").first()


def test_each_person_is_mailed_the_version_of_their_function(demo, published, mail_server):
    mail_server.refuse = ""
    rows = delivery.send(published, ["email"])
    people = delivery.recipients(demo)
    everyone = [p.email for group in people.by_audience.values() for p in group]
    assert len(everyone) == len(set(everyone)) == demo.people.filter(active=True).count()
    assert {r.audience for r in rows} == set(Audience.values)
    assert all(r.status == "sent" and r.delivered == r.recipients for r in rows)
    # One message a person, to nobody else: one envelope recipient, one address in To, no Cc.
    assert len(mail_server.messages) == len(everyone)
    for rcpts, raw in mail_server.messages:
        message = email.message_from_bytes(raw.encode(), policy=policy.default)
        assert len(rcpts) == 1 and len(message["To"].addresses) == 1 and message["Cc"] is None
        assert message["To"].addresses[0].addr_spec == rcpts[0]
        assert message.get_body(("html",)) is not None and message.get_body(("plain",))
    for function, audience in [("support", Audience.SUPPORT), ("engineering", "engineering")]:
        title = audiences.version(published, audience).title
        subject, body = texts(mail_server.to(person_of(demo, function).email)[0])
        assert subject == title and title in body
    product_subject, _ = texts(mail_server.to(person_of(demo, Function.PRODUCT).email)[0])
    assert product_subject == audiences.version(published, Audience.DESIGN).title
    partner = demo.people.get(function=Function.PARTNER)
    subject, body = texts(mail_server.to(partner.email)[0])
    assert subject == audiences.version(published, Audience.PARTNERS).title
    assert internal_titles(demo)
    for title in internal_titles(demo):
        assert title.lower() not in body.lower()


def test_a_refused_address_fails_its_audience_and_the_others_still_go(
    demo, published, mail_server, caplog
):
    refused = person_of(demo, "support")
    mail_server.refuse = refused.email
    with caplog.at_level(logging.INFO, logger="truenorth.updates"):
        rows = {r.audience: r for r in delivery.send(published, ["email"])}
    support = rows[Audience.SUPPORT]
    assert support.status == "failed" and support.delivered == support.recipients - 1
    assert "550 5.1.1 No such mailbox here" in support.error
    assert refused.email not in support.error and refused.name not in support.error
    assert support.attempts == 1  # a mailbox refused for good is not tried again
    assert all(r.status == "sent" for a, r in rows.items() if a != Audience.SUPPORT)
    assert mail_server.to(refused.email) == []
    assert len(mail_server.to(person_of(demo, "customer_success").email)) == 1
    assert caplog.records and refused.email not in caplog.text


def block_texts(block: dict) -> list[str]:
    found = [block["text"]["text"]] if "text" in block else []
    return found + [e["text"] for e in block.get("elements", [])]


def test_slack_gets_valid_block_kit_with_nothing_internal(demo, published, webhook, caplog):
    with caplog.at_level(logging.DEBUG):
        rows = delivery.send(published, ["slack"])
    assert [(r.channel, r.status, r.attempts) for r in rows] == [("slack", "sent", 1)]
    [(path, content_type, body)] = webhook.posts
    assert path == f"/services/{SECRET}" and content_type == "application/json"
    payload = json.loads(body)
    assert payload["text"] and 0 < len(payload["blocks"]) <= 50
    for block in payload["blocks"]:
        assert block["type"] in {"header", "section", "divider", "context"}
        for text in block_texts(block):
            assert 0 < len(text) <= 3000
        if block["type"] == "section":
            assert block["text"]["type"] == "mrkdwn"
    assert payload["blocks"][0]["type"] == "header"
    assert len(payload["blocks"][0]["text"]["text"]) <= 150
    everything = json.dumps(payload, ensure_ascii=False)
    for audience in Audience:  # every version linked by its title
        assert audiences.version(published, audience).title in everything
        assert f"/updates/{published.number}/{audience}/" in everything
    for title in internal_titles(demo):
        assert title.lower() not in everything.lower()
    assert published.narrative[:40] not in everything  # the internal story stays home
    assert SECRET not in caplog.text and "127.0.0.1" in caplog.text


def test_a_webhook_answering_500_is_tried_again_then_recorded_failed(published, webhook, caplog):
    webhook.answer = 500
    with caplog.at_level(logging.INFO, logger="truenorth.updates"):
        [row] = delivery.send(published, ["slack"])
    assert len(webhook.posts) == 3 == row.attempts == len(delivery.RETRY_DELAYS) + 1
    assert row.status == "failed" and row.sent_at is None and "HTTP 500" in row.error
    assert SECRET not in row.error and SECRET not in caplog.text
    assert caplog.text.count("attempt") == 3


def test_a_draft_cannot_be_sent(demo, draft, demo_client):
    response = demo_client(demo, "editor").post(
        f"/w/{demo.slug}/updates/{draft.number}/send/", {"email": "1"}
    )
    assert response.status_code == 400 and "draft" in response.content.decode()
    assert not UpdateSending.objects.filter(update=draft).exists()
    with pytest.raises(delivery.NotPublished):
        delivery.send(draft)


@pytest.mark.parametrize("role", ["member", "viewer", "partner"])
def test_only_editors_send(role, demo, published, demo_client):
    response = demo_client(demo, role).post(
        f"/w/{demo.slug}/updates/{published.number}/send/", {"email": "1"}
    )
    assert response.status_code in (403, 404) if role == "partner" else response.status_code == 403
    assert not UpdateSending.objects.filter(update=published).exists()


def test_the_page_sends_after_commit_and_shows_the_log(
    demo, published, demo_client, mail_server, webhook, django_capture_on_commit_callbacks
):
    client = demo_client(demo, "editor")
    page = client.get(f"/w/{demo.slug}/updates/{published.number}/").content.decode()
    engineers = len(delivery.recipients(demo).by_audience[Audience.ENGINEERING])
    assert f"Engineering: {engineers} people" in page and "Not sent yet." in page
    assert "the webhook at 127.0.0.1" in page and SECRET not in page
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            f"/w/{demo.slug}/updates/{published.number}/send/",
            {"email": "1", "slack": "1", "emailing": emailing(demo, published)},
        )
    assert response.status_code == 302 and len(queued) == 1
    assert len(webhook.posts) == 1 and mail_server.messages
    page = client.get(f"/w/{demo.slug}/updates/{published.number}/").content.decode()
    assert 'id="sendings"' in page and "Not sent yet." not in page
    # A channel post reaches a channel, not "1 of 1" people; an email its people.
    assert re.search(r'data-label="Reached">the Slack channel<', page), page
    assert re.search(r'data-label="Reached">\d+ of \d+ (?:person|people)<', page)
    data = client.get(f"/w/{demo.slug}/updates/{published.number}.json").json()
    assert {(s["channel"], s["audience"]) for s in data["sendings"]} >= {
        ("slack", "partners"),
        ("email", "support"),
    }
    assert all(s["by"] == "pm" for s in data["sendings"])


def test_with_no_mail_server_email_is_refused_at_once_and_nothing_is_sent(
    demo, published, demo_client, no_mail_server, webhook, django_capture_on_commit_callbacks
):
    client = demo_client(demo, "editor")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            f"/w/{demo.slug}/updates/{published.number}/send/",
            {"email": "1", "slack": "1", "emailing": emailing(demo, published)},
            follow=True,
        )
    page = response.content.decode()
    assert queued == [] and webhook.posts == []
    assert not UpdateSending.objects.filter(update=published).exists()
    assert f"No mail server answered at 127.0.0.1:{no_mail_server}: nothing was sent" in page
    assert "Slack alone can go now." in page
    # Who mends it, as a check-in's "Nothing was sent" page says: the demo's server has no
    # administrator (its logins are no staff), and had been told "An administrator sets it".
    assert "This server has no administrator yet: whoever runs it chooses one" in page


def test_an_absent_mail_server_is_tried_once_inline(demo, published, no_mail_server):
    # The server vanished between the page's check and the sending: inline, within the
    # sender's click, each audience is tried once rather than waiting out the retries.
    rows = delivery.send(published, ["email"])
    assert rows and all(r.attempts == 1 and r.delivered == 0 for r in rows)


def test_slack_is_offered_only_with_a_webhook(demo, published, demo_client):
    client = demo_client(demo, "editor")
    page = client.get(f"/w/{demo.slug}/updates/{published.number}/").content.decode()
    assert 'name="slack" value="1" disabled' in page and "no Slack webhook" in page
    response = client.post(f"/w/{demo.slug}/updates/{published.number}/send/", {"slack": "1"})
    assert response.status_code == 400


def test_the_webhook_is_shown_and_recorded_by_its_host_only(demo, demo_client, caplog):
    client = demo_client(demo, "owner")
    url = f"https://hooks.example.com/services/{SECRET}"
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            f"/w/{demo.slug}/settings/",
            {
                "name": demo.name,
                "anonymity_threshold": demo.anonymity_threshold,
                "time_zone": demo.time_zone,
                "sender_address": demo.sender_address,
                "support_notice_days": 21,
                "slack_webhook_url": url,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    demo.refresh_from_db()
    assert demo.slack_webhook_url == url and demo.support_notice_days == 21
    change = demo.setting_changes.get(setting=SettingChange.Setting.SLACK_WEBHOOK_URL)
    assert (change.old_value, change.new_value) == ("", "hooks.example.com")
    page = client.get(f"/w/{demo.slug}/settings/", follow=True).content.decode()
    assert "hooks.example.com" in page and SECRET not in page
    shown = client.get(f"/w/{demo.slug}/settings.json").json()
    assert shown["settings"]["slack_webhook_url"] == "hooks.example.com"
    assert SECRET not in json.dumps(shown)
    assert SECRET not in caplog.text
    # A blank field keeps the webhook; the box removes it.
    base = {
        "name": demo.name,
        "anonymity_threshold": demo.anonymity_threshold,
        "time_zone": demo.time_zone,
        "support_notice_days": 21,
    }
    client.post(f"/w/{demo.slug}/settings/", base)
    demo.refresh_from_db()
    assert demo.slack_webhook_url == url
    client.post(f"/w/{demo.slug}/settings/", {**base, "clear_slack_webhook": "on"})
    demo.refresh_from_db()
    assert demo.slack_webhook_url == ""
    bad = client.post(f"/w/{demo.slug}/settings/", {**base, "support_notice_days": 91})
    assert bad.status_code == 400 and "90" in bad.content.decode()


def test_a_workspace_file_never_carries_the_webhook(demo, published, webhook):
    assert SECRET in demo.__class__.objects.get(pk=demo.pk).slack_webhook_url
    exported = json.dumps(export_workspace(demo), default=str)
    assert demo.name in exported
    assert SECRET not in exported
    assert "hooks" not in exported and "slack_webhook" not in exported


def test_the_command_line_sends_and_says_what_went_out(demo, published, mail_server):
    mail_server.refuse = ""
    done = CliRunner().invoke(
        main, ["updates", "send", str(published.number), "--email", "-w", demo.slug]
    )
    assert done.exit_code == 0, done.output
    engineers = len(delivery.recipients(demo).by_audience[Audience.ENGINEERING])
    assert f"email to engineering: {engineers} of {engineers} sent, sent" in done.output
    assert "@" not in done.output  # no addresses
    assert len(mail_server.messages) == demo.people.filter(active=True).count()


def api_send(client, demo, update, body, role="editor"):
    user = Membership.objects.filter(workspace=demo, role=role).first().user
    path = f"/api/v1/workspaces/{demo.slug}/updates/{update.number}/send"
    return api_request(client, user, "post", path, body, scope="write")


def test_the_api_sends_as_the_page_does(demo, published, draft, client, mail_server, webhook):
    sent = api_send(client, demo, published, {"channels": ["slack", "email"]})
    assert sent.status_code == 200, sent.json()
    assert sent.json()["state"] == "done"
    rows = sent.json()["sendings"]
    assert {(r["channel"], r["audience"]) for r in rows} >= {
        ("slack", "partners"),
        ("email", "engineering"),
    }
    assert all(r["status"] == "sent" for r in rows) and len(webhook.posts) == 1
    assert mail_server.messages and SECRET not in json.dumps(sent.json())
    refused = api_send(client, demo, draft, {"channels": ["email"]})
    assert (refused.status_code, refused.json()["title"]) == (409, "Draft")
    assert api_send(client, demo, published, {"channels": []}).status_code == 400
    assert api_send(client, demo, published, {"channels": ["fax"]}).status_code == 400
    assert api_send(client, demo, published, {"channels": ["email"]}, "viewer").status_code == 403


def test_the_api_sends_nothing_it_cannot_send(demo, published, client, no_mail_server, webhook):
    unmailed = api_send(client, demo, published, {"channels": ["email", "slack"]})
    assert (unmailed.status_code, unmailed.json()["title"]) == (503, "No mail server")
    assert webhook.posts == [] and not UpdateSending.objects.filter(update=published).exists()
    demo.slack_webhook_url = ""
    demo.save(update_fields=["slack_webhook_sealed"])
    unhooked = api_send(client, demo, published, {"channels": ["slack"]})
    assert (unhooked.status_code, unhooked.json()["field"]) == (409, "channels")


def test_a_send_is_told_in_people_reached_not_in_sends():
    from truenorth.updates.views import sent_in_words

    mailed = [
        {"channel": "email", "recipients": 5, "delivered": 5, "status": "sent"},
        {"channel": "email", "recipients": 3, "delivered": 2, "status": "failed"},
    ]
    slack = {"channel": "slack", "recipients": 1, "delivered": 1, "status": "sent"}
    assert sent_in_words(mailed) == "Sent to 7 of 8 people in 2 audiences"
    assert sent_in_words([*mailed, slack]).endswith("audiences; posted to Slack")
    assert sent_in_words([{**slack, "status": "failed"}]) == "Not posted to Slack"


def test_people_without_a_login_are_mailed_no_app_link(demo, published, mail_server):
    """An app link would only take them to the login page; people with a login keep theirs."""
    mail_server.refuse = ""
    delivery.send(published, ["email"])
    logins = delivery.with_login(demo)
    people = delivery.recipients(demo).by_audience[Audience.ENGINEERING]
    without = next(p for p in people if p.pk not in logins)
    withs = [p for p in delivery.recipients(demo).by_audience.values() for p in p if p.pk in logins]
    assert withs
    _, body = texts(mail_server.to(without.email)[0])
    body = UNSUBSCRIBE.sub("", body)  # the one link that needs no login
    assert "http://testserver/" not in body and "Read it online" not in body
    assert audiences.version(published, Audience.ENGINEERING).sections[0].heading in body
    internal = next(p for p in withs if delivery.FUNCTION_AUDIENCE.get(p.function) != "partners")
    _, body = texts(mail_server.to(internal.email)[0])
    assert "http://testserver/" in body and "Read it online" in body


def test_sending_again_is_asked_for_plainly(
    demo, published, mail_server, demo_client, client, django_capture_on_commit_callbacks
):
    """A second send reaches everyone twice: the page says when it went out and asks for a
    tick, the API for `again`, the command line for --again; without it nothing is sent."""
    mail_server.refuse = ""
    page = demo_client(demo, "editor")
    url = f"/w/{demo.slug}/updates/{published.number}/"
    assert "sent-before" not in page.get(url).content.decode()
    confirmed = {"email": "1", "emailing": emailing(demo, published)}
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(f"{url}send/", confirmed).status_code == 302
    everyone = len(mail_server.messages)
    shown = page.get(url).content.decode()
    assert "was last sent by email on" in shown and 'name="again" required' in shown
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(f"{url}send/", confirmed).status_code == 409
    sent = api_send(client, demo, published, {"channels": ["email"]})
    assert sent.status_code == 409 and sent.json()["title"] == "Sent already"
    command = ["updates", "send", str(published.number), "--email", "-w", demo.slug]
    done = CliRunner().invoke(main, command)
    assert done.exit_code == 1 and "--again" in done.output
    assert len(mail_server.messages) == everyone  # nothing went out twice
    with django_capture_on_commit_callbacks(execute=True):
        again = page.post(f"{url}send/", {**confirmed, "again": "on"})
    assert again.status_code == 302 and len(mail_server.messages) == 2 * everyone


def test_the_page_asks_before_emailing_everyone(
    demo, published, mail_server, demo_client, django_capture_on_commit_callbacks
):
    """Email reaches every audience in one click: the page says how many people in which
    audiences first, and a send that skips that, or that would now reach another number of
    people than the page showed, sends nothing and asks again."""
    mail_server.refuse = ""
    page = demo_client(demo, "editor")
    url = f"/w/{demo.slug}/updates/{published.number}/"
    reach = delivery.email_reach(published)
    everyone = sum(n for _, n in reach)
    groups = sum(1 for _, n in reach if n)
    engineers = dict(reach)[Audience.ENGINEERING]
    shown = page.get(url).content.decode()
    asked = f"this emails {everyone} people in {groups} audiences, each their own version"
    assert 'id="send-confirm"' in shown and asked in shown
    assert f"Engineering {engineers}" in shown and f'name="emailing" value="{everyone}"' in shown
    with django_capture_on_commit_callbacks(execute=True) as queued:
        unasked = page.post(f"{url}send/", {"email": "1"})
        stale = page.post(f"{url}send/", {"email": "1", "emailing": str(everyone - 1)})
    assert unasked.status_code == stale.status_code == 409 and queued == []
    assert mail_server.messages == [] and not published.sendings.exists()
    said = stale.content.decode()
    assert (
        f"Not sent: email would now go to {everyone} people in {groups} audiences, not the "
        f"{everyone - 1} the page showed." in said
    )
    assert '<details id="send-confirm" open>' in said
    assert f"Not sent: email would go to {everyone} people" in unasked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = page.post(f"{url}send/", {"email": "1", "emailing": str(everyone)})
    assert sent.status_code == 302 and len(mail_server.messages) == everyone
    again = page.get(url).content.decode()
    assert "Send again…" in again and "was last sent by email on" in again
    assert again.index('id="send-confirm"') < again.index('id="sent-before"')


def test_who_chose_no_update_emails_gets_none_and_the_others_are_told_why(
    demo, published, mail_server, demo_client, django_capture_on_commit_callbacks
):
    """ "Update published: none" on the Notifications page, or "Stop all notification emails"
    from an email's link with no login, and the update's email no longer comes: the page's
    counts, its confirmation and the command line leave them out. Everyone else's email says
    why they get it and carries the same unsubscribe link and headers as a notification's."""
    mail_server.refuse = ""
    member = Membership.objects.filter(workspace=demo, role="member", person__isnull=False)[0]
    logins = delivery.with_login(demo)
    engineers = delivery.recipients(demo).by_audience[Audience.ENGINEERING]
    rosa = next(p for p in engineers if p.pk not in logins)  # no login
    delivery.send(published, ["email"])
    for person, login in ((member.person, True), (rosa, False)):
        message = email.message_from_bytes(
            mail_server.to(person.email)[0].encode(), policy=policy.default
        )
        _, body = texts(mail_server.to(person.email)[0])
        version = audiences.audience_words(delivery.FUNCTION_AUDIENCE[person.function])
        why = (
            f"You get this because your function, {Function(person.function).label}, reads "
            f"the {version} version"
        )
        choices = f"http://testserver/w/{demo.slug}/notifications/"
        if login:
            assert f"{why} and your “Update published” choice is All. Change it: {choices}" in body
        else:
            assert f"{why}." in body and choices not in body
        stop = UNSUBSCRIBE.search(body).group(0)
        assert f"Stop emails of “Update published”: {stop}" in body
        assert message["List-Unsubscribe"].strip() == f"<{stop}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    rosas_stop = UNSUBSCRIBE.search(texts(mail_server.to(rosa.email)[0])[1]).group(1)
    everyone = int(emailing(demo, published))

    # The member says none on their page; Rosa stops every notification email from the link.
    page = demo_client(demo, "member")
    saved = page.post(f"/w/{demo.slug}/notifications/", {"update_published": "none"})
    assert saved.status_code == 302
    stopped = Client().post(rosas_stop, {"what": "all"}).content.decode()
    assert "you will get no more notification emails" in stopped
    assert "also stops the updates" in stopped

    people = delivery.recipients(demo)
    assert people.stopped == 2 and int(emailing(demo, published)) == everyone - 2
    shown = demo_client(demo, "editor").get(f"/w/{demo.slug}/updates/{published.number}/")
    said = shown.content.decode()
    assert "2 whose “Update published” choice is none" in said
    assert f'name="emailing" value="{everyone - 2}"' in said
    mail_server.messages.clear()
    command = ["updates", "send", str(published.number), "--email", "--again", "-w", demo.slug]
    done = CliRunner().invoke(main, command)
    assert done.exit_code == 0, done.output
    assert "2 whose “Update published” choice is none" in done.output
    assert mail_server.to(member.person.email) == mail_server.to(rosa.email) == []
    assert len(mail_server.messages) == everyone - 2
