"""A webhook's address and a signed webhook's secret are kept sealed in the database: a backup or
a database dump shows neither, while posts still go to the address, signed with the secret.
Webhooks saved before are sealed by the migration; on a server restored with another secret key
nothing crashes: deliveries fail saying why, and the page says to add the webhook again."""

import pytest
from django.db import connection

from tests.api import api_request
from tests.migrating import migrate
from tests.test_notifications_sending import receiver, verified  # noqa: F401
from truenorth import sealing
from truenorth.notifications import actions, delivery
from truenorth.notifications.models import URL_PURPOSE, Delivery, Event, Notification, Webhook
from truenorth.workspaces import mailserver
from truenorth.workspaces.models import Workspace

PATH_SECRET = "T0SECRET/B0SECRET/xoxsecretpart"


def stored_webhooks() -> str:
    """Every column of every webhook as the database holds it, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_webhook")
        return str(cursor.fetchall())


def a_notification(workspace) -> Notification:
    return Notification.objects.create(
        workspace=workspace, event=Event.DECISION_MADE, title="Ledger decided", key="decided"
    )


@pytest.fixture
def program(workspace, receiver, settings):  # noqa: F811
    """A signed webhook posting to the real receiver on loopback (plain http allowed)."""
    settings.WEBHOOK_ALLOW_HTTP = True
    url = f"http://127.0.0.1:{receiver.server_port}/services/{PATH_SECRET}"
    return actions.add_webhook(workspace, url, [Event.DECISION_MADE], signed=True)


def test_the_database_holds_neither_address_nor_secret_and_posts_are_signed(
    workspace,
    program,
    receiver,  # noqa: F811
):
    secret = program.secret
    stored = stored_webhooks()
    assert len(secret) == 64 and secret not in stored and PATH_SECRET not in stored
    assert "127.0.0.1" in stored  # the host, which pages and logs show
    row = delivery.send_webhook(a_notification(workspace), Webhook.objects.get())
    assert row.status == Delivery.Status.SENT
    [(path, body)], [headers] = receiver.posts, receiver.headers
    assert path == f"/services/{PATH_SECRET}" and verified(headers, body, secret)


def test_one_kind_of_secret_is_not_opened_with_anothers_key():
    sealed = mailserver.seal("s3cret-Pass")
    assert mailserver.unsealed(sealed) == "s3cret-Pass"
    assert sealing.unsealed(sealed, URL_PURPOSE) is None


def test_with_another_secret_key_the_webhook_must_be_added_again(
    workspace,
    program,
    receiver,  # noqa: F811
    settings,
    client_for,
    users,
    client,
):
    settings.SECRET_KEY = "another key, as on a server restored without the old one"
    hook = Webhook.objects.get()
    assert hook.unreadable and hook.url is None and hook.host == "127.0.0.1"
    row = delivery.send_webhook(a_notification(workspace), hook)
    assert (row.status, row.next_try_at, receiver.posts) == (Delivery.Status.FAILED, None, [])
    assert "cannot be read with this server's secret key" in row.error
    assert "adds it again" in row.error and "webhook at 127.0.0.1" in row.error

    owner = client_for("owner")  # logged in under the new key
    page = owner.get("/w/acme/notifications/webhooks/")
    text = page.content.decode()
    assert page.status_code == 200 and "Enter it again:" in text
    assert "cannot be read with this server's secret key" in text and "add it again" in text
    tested = owner.post(
        "/w/acme/notifications/webhooks/", {"what": "test", "webhook": hook.pk}, follow=True
    )
    assert "Test message: not delivered: its address cannot be read" in tested.content.decode()
    resent = owner.post(
        "/w/acme/notifications/webhooks/",
        {"what": "resend", "webhook": hook.pk, "delivery": row.pk},
        follow=True,
    )
    assert resent.status_code == 200 and "cannot be read" in resent.content.decode()
    assert receiver.posts == []

    url = "/api/v1/workspaces/acme/webhooks"
    [listed] = api_request(client, users["owner"], "get", url).json()["items"]
    assert listed["unreadable"] and listed["host"] == "127.0.0.1"


BEFORE = [("notifications", "0004_decision_reversed")]
OLD_URL = "https://hooks.example.test/services/T0/B0/oldsecretpart"
OLD_SECRET = "ab" * 32


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_webhooks_saved_before_and_going_back_unseals_them():
    executor = migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE[0]).apps.get_model("notifications", "Webhook")
        workspace = Workspace.objects.create(name="Old", slug="old")
        old.objects.create(
            workspace_id=workspace.pk,
            url=OLD_URL,
            events=["goal_changed"],
            signed=True,
            secret=OLD_SECRET,
        )
        migrate(None)
        stored = stored_webhooks()
        assert "oldsecretpart" not in stored and OLD_SECRET not in stored
        hook = Webhook.objects.get()
        assert (hook.url, hook.secret, hook.host) == (OLD_URL, OLD_SECRET, "hooks.example.test")

        migrate(BEFORE)
        assert list(old.objects.values_list("url", "secret")) == [(OLD_URL, OLD_SECRET)]
    finally:
        migrate(None)
