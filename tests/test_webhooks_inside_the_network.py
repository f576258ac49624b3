"""A webhook's address is checked where it leads at each post, not only as it was written when
saved: a name can point inside the server's network (its DNS changed since, or it answers
differently each time), and an owner could then probe the server's own machines by what each
test post answers. Posts go out only to addresses outside it, unless the server sets
TRUENORTH_WEBHOOK_ALLOW_HTTP."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.serving import free_port
from truenorth import sending
from truenorth.notifications import actions, delivery
from truenorth.notifications.models import Event, Notification, Webhook
from truenorth.workspaces import actions as workspace_actions


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        """Quiet."""


@pytest.fixture
def inside():
    """A real receiver on loopback: a machine of the server's own network."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    server.posts = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def name_leading_inside(monkeypatch):
    """hooks.example.com, resolving (as a changed DNS record would) to loopback. Only the name
    service is stood in for: the connection is a real one."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        return real("127.0.0.1" if host == "hooks.example.com" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return "hooks.example.com"


def test_a_name_that_leads_inside_is_not_posted_to(inside, name_leading_inside, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    url = f"http://{name_leading_inside}:{inside.server_port}/services/T0/B0/x"
    posted = sending.post_once(url, {"text": "hello"})
    assert inside.posts == 0 and posted.code is None and not posted.retry
    assert posted.error == (
        "hooks.example.com leads to a loopback, private or link-local address, and this server "
        "does not set TRUENORTH_WEBHOOK_ALLOW_HTTP"
    )


def test_the_same_post_lands_where_the_server_allows_its_network(
    inside, name_leading_inside, settings
):
    settings.WEBHOOK_ALLOW_HTTP = True
    url = f"http://{name_leading_inside}:{inside.server_port}/in"
    assert sending.post_once(url, {"text": "hello"}).code == 200 and inside.posts == 1


def test_a_saved_webhook_whose_name_now_leads_inside_fails_its_delivery(
    inside, name_leading_inside, settings, workspace
):
    settings.WEBHOOK_ALLOW_HTTP = True  # as when it was saved, say
    hook = actions.add_webhook(
        workspace,
        f"https://{name_leading_inside}:{inside.server_port}/in",  # http:// is refused at once
        [Event.DECISION_MADE],
    )
    settings.WEBHOOK_ALLOW_HTTP = False
    notification = Notification.objects.create(
        workspace=workspace, event=Event.DECISION_MADE, title="Decided"
    )
    row = delivery.send_webhook(notification, Webhook.objects.get(pk=hook.pk))
    assert inside.posts == 0
    assert (row.status, row.next_try_at) == ("failed", None)  # no later try can help
    assert "leads to a loopback, private or link-local address" in row.error


def test_an_address_written_inside_and_saved_before_the_check_is_not_posted_to(inside, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    posted = sending.post_once(f"http://127.0.0.1:{inside.server_port}/in", {"text": "hello"})
    assert inside.posts == 0 and "127.0.0.1 leads to a loopback" in posted.error


def test_the_workspaces_slack_webhook_is_checked_as_webhooks_are(workspace, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    for url, why in [
        ("http://hooks.example.com/services/x", "starts with https://"),
        ("https://10.0.0.7/services/x", "may not be a loopback, private or link-local"),
    ]:
        with pytest.raises(workspace_actions.ValidationError, match=why):
            workspace_actions.change_settings(workspace, None, slack_webhook_url=url)
    workspace.refresh_from_db()
    assert workspace.slack_webhook_url == ""


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f.0.0.1", "017700000001", "[::1]"])
def test_every_way_of_writing_a_loopback_address_is_refused_when_saved(host, workspace, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(actions.Refused, match="may not be a loopback"):
        actions.add_webhook(workspace, f"https://{host}/h", [Event.DECISION_MADE])
