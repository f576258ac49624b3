"""A check-in closed before it was ever sent asked nobody: its confirmation, its page, the API
and the command line say so in one line; nobody is told its "results are ready", and the
alignment dashboard does not call it the latest check-in. They had spoken of answers too few to
show, as if people had been asked. Real database, Django's test client, the demo workspace."""

from click.testing import CliRunner
from django.utils import timezone

from tests.api import api_request
from truenorth.checkins.models import CLOSED_UNSENT
from truenorth.cli import main
from truenorth.notifications.models import Notification

UNSENT = "Walk79 pulse never sent"


def new_pulse(workspace, client) -> str:
    """A company-wide pulse, open since five minutes ago and never sent; its page's address."""
    now = timezone.localtime()
    client.post(
        f"/w/{workspace.slug}/checkins/new/",
        {
            "title": UNSENT,
            "opens_at": f"{now - timezone.timedelta(minutes=5):%Y-%m-%dT%H:%M}",
            "closes_at": f"{now + timezone.timedelta(days=14):%Y-%m-%dT%H:%M}",
            "anonymous": "on",
        },
    )
    return f"/w/{workspace.slug}/checkins/{workspace.checkins.get(title=UNSENT).pk}/"


def test_closing_an_unsent_check_in_says_nobody_was_asked(db, demo_client, analysed_demo):
    client = demo_client(analysed_demo, "editor")
    page = new_pulse(analysed_demo, client)

    box = client.get(page).content.decode().split('id="close-now"')[1].split("</details>")[0]
    assert "It closes without being sent: nobody will be asked" in box
    assert "published" not in box and "Nobody has answered yet" not in box
    closed = client.post(f"{page}close/", follow=True).content.decode()

    assert closed.count(CLOSED_UNSENT) == 1  # one line, and the page's header
    for untrue in ("Closed without results", "nobody answered", "Nobody answered", "Closed;"):
        assert untrue not in closed, untrue
    assert "<strong>closed without being sent</strong>: nobody was asked" in closed


def test_an_unsent_check_in_tells_nobody_its_results_are_ready(db, demo_client, analysed_demo):
    client = demo_client(analysed_demo, "editor")
    page = new_pulse(analysed_demo, client)
    checkin = analysed_demo.checkins.get(title=UNSENT)

    client.post(f"{page}close/")

    assert analysed_demo.checkins.get(pk=checkin.pk).finalised_at is not None  # it did close
    told = Notification.objects.filter(
        workspace=analysed_demo, key__startswith=f"checkin:{checkin.pk}:"
    )
    assert not told.filter(event="results_ready").exists()


def test_the_dashboard_does_not_call_an_unsent_check_in_the_latest(db, demo_client, analysed_demo):
    client = demo_client(analysed_demo, "editor")
    before = client.get(f"/w/{analysed_demo.slug}/alignment.json").json()["source"]
    page = new_pulse(analysed_demo, client)
    client.post(f"{page}close/", follow=True)  # its messages read there

    after = client.get(f"/w/{analysed_demo.slug}/alignment.json").json()["source"]
    shown = client.get(f"/w/{analysed_demo.slug}/alignment/").content.decode()

    assert after == before and UNSENT not in after["passed_over"]
    assert UNSENT not in shown and "is the latest" not in shown


def test_the_api_and_command_line_say_it_closed_without_being_sent(
    db, client, demo_client, analysed_demo
):
    editor = demo_client(analysed_demo, "editor")
    page = new_pulse(analysed_demo, editor)
    checkin = analysed_demo.checkins.get(title=UNSENT)
    said = CliRunner().invoke(main, ["checkin", "close", str(checkin.pk)])
    assert said.exit_code == 0, said.output
    assert said.output == f"Closed “{UNSENT}” without being sent: nobody was asked.\n"
    editor.post(f"{page}analyze/")  # published as the page publishes a closed check-in

    user = analysed_demo.memberships.filter(role="editor").first().user
    url = f"/api/v1/workspaces/{analysed_demo.slug}/checkins/{checkin.pk}"
    final = api_request(client, user, "get", url, None, scope="read").json()
    assert final["state"] == "final" and final["warning"] == CLOSED_UNSENT
