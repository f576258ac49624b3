"""An email's unsubscribe link: it works with no login (people with no login got emails they
could not stop), a visit only asks, a POST stops (RFC 8058 one-click), a changed link stops
nothing, and the link never reaches a log."""

import email
import logging
import re
from email import policy

import pytest
from django.test import Client

from tests.serving import log_once_it_holds
from tests.smtp import mail_server_fixture  # noqa: F401
from tests.test_serve import get, served  # noqa: F401
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Decision
from truenorth.notifications import audience
from truenorth.notifications.models import Event, Notification, Preference
from truenorth.notifications.tasks import deliver_notification
from truenorth.serving import RedactingFormatter, redacted
from truenorth.workspaces.models import Function, Person

LINK = re.compile(r"http://testserver(/unsubscribe/[^/\s]+/)")


@pytest.fixture
def rosa(workspace):
    """Someone with no login, informed of decisions."""
    return Person.objects.create(
        workspace=workspace, name="Rosa Delgado", email="rosa@acme.test", function=Function.SALES
    )


def decide(workspace, informed, title="Ledger") -> None:
    decision = decisions.add_decision(
        Decision(workspace=workspace, title=title, question="Which ledger?")
    )
    decision.informed.add(*informed)
    decisions.decide(decision, outcome="The new ledger.")
    deliver_notification.call(Notification.objects.get(data__title=title).pk)


def mailed(mail_server, address: str):
    [raw] = mail_server.to(address)
    return email.message_from_bytes(raw.encode(), policy=policy.default)


@pytest.fixture
def rosas_link(workspace, users, rosa, mail_server) -> str:
    """The path of the unsubscribe link in the email Rosa got of a decision."""
    decide(workspace, [rosa])
    return LINK.search(mailed(mail_server, "rosa@acme.test").get_content()).group(1)


def test_every_notification_email_carries_a_one_click_unsubscribe_link(
    workspace, users, rosa, mail_server
):
    decide(workspace, [rosa, Person.objects.get(email="member@acme.test")])
    for address in ("rosa@acme.test", "member@acme.test"):
        message = mailed(mail_server, address)
        body = message.get_content()
        link = LINK.search(body).group(0)
        assert f"Stop emails of “Decision made”: {link}" in body
        assert message["List-Unsubscribe"].strip() == f"<{link}>"  # folded: a long line
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The preferences page asks for a login: only those with one are sent to it.
    choices = "Change them: http://testserver/w/acme/notifications/"
    assert choices in mailed(mail_server, "member@acme.test").get_content()
    assert choices not in mailed(mail_server, "rosa@acme.test").get_content()


def test_a_visit_only_asks_and_a_one_click_post_stops_the_event(workspace, rosa, rosas_link):
    client = Client(enforce_csrf_checks=True)  # as a mail program posts: no form token
    page = client.get(rosas_link)
    shown = page.content.decode()
    assert page.status_code == 200 and "Stop “Decision made” emails" in shown
    assert "Rosa" not in shown and "rosa@acme.test" not in shown  # nothing of the person
    assert page["Referrer-Policy"] == "no-referrer"
    assert not Preference.objects.exists()  # a mail scanner following the link stops nothing

    stopped = client.post(
        rosas_link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert stopped.status_code == 200
    assert "no more emails of “Decision made” from Acme" in stopped.content.decode()
    assert "Stop all notification emails" in stopped.content.decode()
    again = (
        'To have them again, log in and choose them on the <a href="/w/acme/notifications/">'
        "Notifications page</a>. No login? Ask whoever runs truenorth for Acme to turn them "
        "back on."
    )
    assert again in stopped.content.decode()
    assert Preference.objects.get(person=rosa).event == Event.DECISION_MADE

    decide(workspace, [rosa], title="Payroll")  # told no more
    assert Notification.objects.get(data__title="Payroll").deliveries.count() == 0


def test_the_page_stops_every_notification_email(workspace, rosa, rosas_link):
    stopped_page = Client().post(rosas_link, {"what": "all"}).content.decode()
    assert "no more notification emails from Acme" in stopped_page
    assert 'choose them on the <a href="/w/acme/notifications/">' in stopped_page
    chosen = dict(Preference.objects.filter(person=rosa).values_list("event", "by_email"))
    # Stored only where it differs from her default: the decisions and slips she is involved
    # in, and over-promises (she is in sales); the rest she did not hear of anyway. And
    # "Update published", whose none also stops the update's own email, which she gets.
    stopped = ("decision_made", "decision_reversed", "committed_slip", "over_promise")
    assert chosen == dict.fromkeys((*stopped, "update_published"), False)
    assert "also stops the updates Acme sends you by email" in stopped_page


def pressed(page: str, form_id: str) -> dict[str, str]:
    """What the page's form sends when its button is pressed: its hidden fields."""
    form = re.search(rf'<form method="post" id="{form_id}">(.*?)</form>', page, re.S).group(1)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="(\w+)">', form))


def test_a_visit_offers_both_stops_each_labelled_and_doing_what_it_says(rosa, rosas_link):
    client = Client()
    page = client.get(rosas_link).content.decode()
    assert "Nothing is stopped yet" in page
    assert "<strong>Only “Decision made”</strong>" in page
    assert "<strong>All of them</strong>" in page
    client.post(rosas_link, pressed(page, "stop-one"))
    assert audience.preferences(rosa)["decision_made"] == audience.NONE
    assert audience.preferences(rosa)["decision_reversed"] == audience.INVOLVED  # still hears
    client.post(rosas_link, pressed(page, "stop-all"))
    assert set(audience.preferences(rosa).values()) == {audience.NONE}


@pytest.mark.parametrize(
    "change",
    [
        lambda link: link[:-2] + ("A/" if link[-2] != "A" else "B/"),  # the signature
        lambda link: link.replace("/unsubscribe/", "/unsubscribe/W1", 1),  # another person
        lambda link: "/unsubscribe/not-a-token/",
    ],
)
def test_a_changed_link_is_a_400_and_stops_nothing(rosas_link, change):
    client = Client()
    for response in (client.get(change(rosas_link)), client.post(change(rosas_link))):
        assert response.status_code == 400
        assert "not one this server made" in response.content.decode()
    assert not Preference.objects.exists()


def test_the_link_never_reaches_djangos_log(rosas_link, caplog):
    token = rosas_link.split("/")[2]
    changed = rosas_link.replace(token, token[:-4] + "AAAA")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get(changed).status_code == 400  # logged as a bad request
    logged = "\n".join(RedactingFormatter().format(record) for record in caplog.records)
    assert "/unsubscribe/[redacted]/" in logged and token[:20] not in logged
    line = f'1.2.3.4 "POST {rosas_link} HTTP/1.1" 200 "https://tn.example{rosas_link}"'
    assert redacted(line) == (
        '1.2.3.4 "POST /unsubscribe/[redacted]/ HTTP/1.1" 200 '
        '"https://tn.example/unsubscribe/[redacted]/"'
    )


def test_the_access_log_never_holds_an_unsubscribe_link(served):  # noqa: F811
    port, log = served
    token = "WzEyLCJkZWNpc2lvbl9tYWRlIl0:iQGHq9MYhWxlj6VsyZoIhwW2dxLfo9W2bqw7JLGYRP0"
    response, _ = get(port, f"/unsubscribe/{token}/")
    assert response.status == 400  # not made by this server; a good one is logged the same way
    line = '"GET /unsubscribe/[redacted]/ HTTP/1.1" 400'
    output = log_once_it_holds(log, line)
    assert line in output
    assert token not in output and "iQGHq9MY" not in output


def test_off_and_back_to_the_default_for_update_published(workspace, rosa):
    """For Rosa (no login) none is the notice's default, yet the update's email reaches her:
    her --off is kept, so it stops that email, and --default takes it away again."""
    from click.testing import CliRunner

    from truenorth.cli import main

    prefs = ["notifications", "prefs", "rosa@acme.test", "-w", "acme"]
    assert CliRunner().invoke(main, [*prefs, "--off", "update_published"]).exit_code == 0
    assert Preference.objects.get(person=rosa, event="update_published").by_email is False
    assert CliRunner().invoke(main, [*prefs, "--default", "update_published"]).exit_code == 0
    assert not Preference.objects.filter(person=rosa).exists()
