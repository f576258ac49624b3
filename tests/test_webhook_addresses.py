"""A webhook's address that no post can go to is refused when saved (API, page, command); one
saved before it was checked fails alone, and every other webhook still gets its post. Commands
run on the data directory's own key use the key the server does, so a post `truenorth serve
--demo` queued is made by `truenorth notifications due`. Owners pause, rename and re-aim a
webhook through the API, and read its latest posts there."""

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests import test_notifications_sending as sending_tests
from tests.api import api_request
from truenorth.cli import main, use_local_secret_key
from truenorth.decisions import actions as decisions
from truenorth.notifications import actions
from truenorth.notifications.models import Delivery, Event, Notification, Webhook
from truenorth.notifications.tasks import deliver_notification

SECRET = sending_tests.SECRET
# A real HTTP server on loopback, and a decision to make: that module's fixtures.
receiver, decision = sending_tests.receiver, sending_tests.decision
BAD_ADDRESSES = {
    "https://user:pass@hooks.example.com/x": "user name or password",
    "https://hooks..example.com/x": "every part between dots is 1 to 63 characters",
    f"https://{'a' * 64}.example.com/x": "every part between dots is 1 to 63 characters",
    "https://a b.com/x": "spaces",
    "https://hooks.example.com:99999/x": "port from 1 to 65535",
    "https://hooks.example.com:0/x": "port from 1 to 65535",
    "https://hooks.example.com:http/x": "port from 1 to 65535",
    "https://-hooks.example.com/x": "letters, digits, hyphens and dots only",
}


def api(client, users, method, path="", body=None):
    url = f"/api/v1/workspaces/acme/webhooks{path}"
    return api_request(client, users["owner"], method, url, body, scope="write")


@pytest.mark.parametrize("url", BAD_ADDRESSES)
def test_an_address_no_post_can_go_to_is_a_400_naming_url(client, users, url):
    answer = api(client, users, "post", body={"url": url, "events": ["decision_made"]})
    assert (answer.status_code, answer.json()["field"]) == (400, "url"), answer.json()
    assert BAD_ADDRESSES[url] in answer.json()["detail"]
    assert not Webhook.objects.exists()


def test_a_webhook_hearing_of_nothing_is_refused_in_words(client, users):
    answer = api(client, users, "post", body={"url": "https://hooks.example.com/x", "events": []})
    assert (answer.status_code, answer.json()["field"]) == (400, "events")
    assert answer.json()["detail"] == "events: Input should list at least 1 item"


def test_the_page_and_the_command_refuse_it_too(client_for, workspace):
    form = {"what": "add", "url": "https://user:pass@hooks.example.com/x"}
    page = client_for("owner").post(
        "/w/acme/notifications/webhooks/", form | {"events": "decision_made"}
    )
    assert page.status_code == 400
    assert "A webhook&#x27;s address may not carry a user name or password" in page.content.decode()
    added = CliRunner().invoke(
        main,
        ["notifications", "webhook", "add", "https://hooks..example.com/x"]
        + ["--events", "decision_made", "-w", "acme"],
    )
    assert added.exit_code == 1 and "1 to 63 characters" in added.output
    assert not Webhook.objects.exists()


def test_an_address_with_nothing_wrong_is_still_taken(workspace):
    for url in ("https://hooks.example.com:8443/x", "https://bücher.example/x", "https://a.b./x"):
        assert actions.add_webhook(workspace, url, [Event.DECISION_MADE]).url == url


def test_the_setting_is_named_as_it_is_set(client, users):
    answer = api(
        client, users, "post", body={"url": "https://10.0.0.5/in", "events": ["decision_made"]}
    )
    assert "TRUENORTH_WEBHOOK_ALLOW_HTTP" in answer.json()["detail"]


def test_a_webhook_saved_with_such_an_address_fails_alone(
    workspace, decision, receiver, client, users
):
    """Saved before addresses were checked as now: its post fails at once, saying why without
    the address, and the webhook beside it gets its post all the same."""
    bad = [
        Webhook.objects.create(workspace=workspace, url=url, events=[Event.DECISION_MADE])
        for url in (
            "http://user:pa55word@hooks.example.com/x",
            "http://hooks..example.com/x",
            "http://a b.com/x",
            f"http://127.0.0.1:99999/{SECRET}",
        )
    ]
    url = f"http://127.0.0.1:{receiver.server_port}/services/{SECRET}"
    good = Webhook.objects.create(workspace=workspace, url=url, events=[Event.DECISION_MADE])

    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)

    assert len(receiver.posts) == 1
    assert Delivery.objects.get(webhook=good).status == "sent"
    for hook in bad:
        row = Delivery.objects.get(webhook=hook)
        assert (row.status, row.attempts, row.next_try_at) == ("failed", 1, None)
        assert "adds it again with a valid address" in row.error
        assert "pa55word" not in row.error and SECRET not in row.error
        tested = api(client, users, "post", f"/{hook.pk}/test")
        assert tested.status_code == 200 and tested.json()["status"] == "failed"


def test_notifications_due_posts_with_the_key_the_demo_server_saved_the_webhook_under(
    workspace, decision, receiver, no_key_configured, settings
):
    use_local_secret_key()  # as `truenorth serve --demo` does on its first start
    url = f"http://127.0.0.1:{receiver.server_port}/services/{SECRET}"
    hook = Webhook.objects.create(workspace=workspace, url=url, events=[Event.DECISION_MADE])
    receiver.answers = [503]  # the server's own first try fails; cron makes the next
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    Delivery.objects.filter(status="queued").update(next_try_at=timezone.now())
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY  # a later command, with no key set

    done = CliRunner().invoke(main, ["notifications", "due", "-w", "acme"])
    assert done.exit_code == 0, done.output
    assert "tried again, sent" in done.output
    assert len(receiver.posts) == 2 and Delivery.objects.get(webhook=hook).status == "sent"


def test_owners_pause_rename_and_re_aim_a_webhook(
    workspace, team, client, client_for, users, receiver
):
    url = f"http://127.0.0.1:{receiver.server_port}/services/{SECRET}"
    hook = Webhook.objects.create(workspace=workspace, url=url, events=[Event.DECISION_MADE])
    changed = api(client, users, "patch", f"/{hook.pk}", {"active": False, "name": "#ledger"})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["active"], changed.json()["name"]) == (False, "#ledger")
    hook.refresh_from_db()
    assert not hook.active and hook.url == url  # the address stays
    page = client_for("owner").get("/w/acme/notifications/webhooks/").content.decode()
    assert "paused</strong>: nothing is posted to it" in page
    aimed = api(
        client, users, "patch", f"/{hook.pk}", {"events": ["decision_reversed"], "team": team.pk}
    )
    assert (aimed.json()["events"], aimed.json()["team"]) == (["decision_reversed"], team.name)
    back = api(client, users, "patch", f"/{hook.pk}", {"active": True, "team": None})
    assert (back.json()["active"], back.json()["team"], back.json()["name"]) == (
        True,
        None,
        "#ledger",
    )
    for body in ({"events": []}, {"events": ["nothing"]}, {"url": "https://example.com/x"}):
        refused = api(client, users, "patch", f"/{hook.pk}", body)
        assert refused.status_code == 400, (body, refused.json())
    assert api(client, users, "patch", f"/{hook.pk}", {"team": 999999}).json()["field"] == "team"
    editor = api_request(
        client, users["editor"], "patch", f"/api/v1/workspaces/acme/webhooks/{hook.pk}",
        {"active": False}, scope="write",
    )  # fmt: skip
    assert editor.status_code == 403
    assert api(client, users, "patch", f"/{hook.pk + 1}", {"active": False}).status_code == 404


def test_one_webhook_read_carries_its_latest_posts(workspace, decision, receiver, client, users):
    url = f"http://127.0.0.1:{receiver.server_port}/services/{SECRET}"
    hook = Webhook.objects.create(workspace=workspace, url=url, events=[Event.DECISION_MADE])
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get().pk)
    one = api(client, users, "get", f"/{hook.pk}").json()
    assert one["delivery_count"] == 1
    [latest] = one["latest_deliveries"]
    assert (latest["status"], latest["event"], latest["response_code"]) == (
        "sent",
        "decision_made",
        200,
    )
    assert latest == api(client, users, "get", f"/{hook.pk}/deliveries").json()["items"][0]


@pytest.mark.parametrize(
    "url", ["https://localhost./x", "https://hooks.localhost./x", "https://127.0.0.1./x"]
)
def test_a_loopback_name_with_a_trailing_dot_is_refused_as_without_it(client, users, settings, url):
    settings.WEBHOOK_ALLOW_HTTP = False
    answer = api(client, users, "post", body={"url": url, "events": ["decision_made"]})
    assert (answer.status_code, answer.json()["field"]) == (400, "url"), answer.json()
    assert "loopback, private or link-local" in answer.json()["detail"]
    assert not Webhook.objects.exists()


def test_a_webhook_takes_its_own_read_back(workspace, team, client, users):
    url = "https://hooks.example.com/services/x"
    hook = Webhook.objects.create(
        workspace=workspace, url=url, events=[Event.DECISION_MADE], team=team, signed=True
    )
    read = api(client, users, "get", f"/{hook.pk}").json()
    assert (read["team"], read["team_id"]) == (team.name, team.pk)
    again = api(client, users, "patch", f"/{hook.pk}", read)
    assert again.status_code == 200, again.json()
    paused = api(client, users, "patch", f"/{hook.pk}", {**read, "active": False, "name": "#ops"})
    assert (paused.json()["active"], paused.json()["name"]) == (False, "#ops")
    hook.refresh_from_db()
    assert (hook.active, hook.name, hook.team, hook.url) == (False, "#ops", team, url)
    for field, value in (("id", hook.pk + 1), ("signed", False), ("team", "Elsewhere")):
        refused = api(client, users, "patch", f"/{hook.pk}", {**read, field: value})
        assert (refused.status_code, refused.json()["field"]) == (400, field), refused.json()


def test_a_webhook_without_events_or_active_is_refused_in_plain_words(workspace, client, users):
    hook = Webhook.objects.create(
        workspace=workspace, url="https://hooks.example.com/x", events=[Event.DECISION_MADE]
    )
    for body in ({"events": []}, {"events": None}):
        refused = api(client, users, "patch", f"/{hook.pk}", body)
        assert (refused.status_code, refused.json()["field"]) == (400, "events"), refused.json()
        assert refused.json()["detail"] == (
            "events: Choose at least one event, or set active to false to pause it."
        )
    assert api(client, users, "patch", f"/{hook.pk}", {"active": None}).json()["field"] == "active"
    named = api(client, users, "patch", f"/{hook.pk}", {"name": "#ops"})
    assert api(client, users, "patch", f"/{hook.pk}", {"name": None}).json()["name"] == ""
    assert named.status_code == 200
