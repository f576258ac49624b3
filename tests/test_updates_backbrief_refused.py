"""An update's back-brief whose people differ by a few from a check-in published near it can
never be published: the update's page says so by the audience's button before anything is sent,
and sends it only with "Send anyway" ticked (the command line: --send-anyway), as a decision's
back-brief and a check-in's first send do. Once sent, the page says no reading will come. Real
database, Django's test client, and a real SMTP server on loopback for the command line."""

from datetime import date
from html import unescape

import pytest
from click.testing import CliRunner
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.smtp import mail_server_fixture, no_mail_server_fixture  # noqa: F401

# The Sales team of five and its pulse, published two days ago: the check-in near it.
from tests.test_decision_backbrief_refused import (  # noqa: F401 (published_pulse, sales: fixtures)
    data_written,
    published_pulse,
    sales,
)
from truenorth.checkins.models import CheckIn
from truenorth.cli import main
from truenorth.updates import actions
from truenorth.updates.models import UpdateBackBrief
from truenorth.workspaces.models import Function, Person

DIFFERS = "audience differs from “Sales pulse” by 1 person"
SEND_ANYWAY = "Send anyway: its results will never be shown"
NEVER_PUBLISHED = "This check-in's results will never be published"

# They count each person's messages: notifications would be more of them.
pytestmark = pytest.mark.usefixtures("no_notifications")


@pytest.fixture
def newcomer(workspace, published_pulse):  # noqa: F811
    """Someone in sales who joined after the pulse: the sales version's six readers are one
    more than the pulse asked."""
    return Person.objects.create(
        workspace=workspace, name="Sales newcomer", email="new@acme.test", function=Function.SALES
    )


@pytest.fixture
def update(workspace, users, newcomer):
    found = actions.open_draft(workspace, date(2026, 11, 1), date(2026, 11, 30), "November")
    actions.save_texts(
        found,
        "This month we moved payment processing to the new vendor.",
        "Payments now run through a new vendor.",
    )
    actions.publish(found)
    found.refresh_from_db()
    return found


def sales_form(page: str) -> str:
    return page.split('id="back-brief-form-sales"')[1].split("</form>")[0]


def test_the_page_says_why_before_sending_and_looking_writes_nothing(update, client_for):
    """Worked out in memory: no back-brief is made and undone by a GET. Only the cache of
    figures is written."""
    editor = client_for("editor")
    with CaptureQueriesContext(connection) as queries:
        page = unescape(editor.get(f"/w/acme/updates/{update.number}/").content.decode())
    assert data_written(queries) == []
    form = sales_form(page)
    assert 'id="back-brief-never-published-sales">Sent as it is, its results could never' in form
    assert DIFFERS in form
    assert f'<input type="checkbox" name="anyway" required> {SEND_ANYWAY}' in form
    assert "only the first of the two to be published can be" not in form  # it never can be
    engineering = page.split('id="back-brief-form-engineering"')[1].split("</form>")[0]
    assert SEND_ANYWAY not in engineering  # the four engineers were in no published round
    assert not UpdateBackBrief.objects.exists()
    assert not CheckIn.objects.exclude(title="Sales pulse").exists()


def test_sending_it_takes_a_tick_of_send_anyway(
    update, client_for, django_capture_on_commit_callbacks
):
    editor = client_for("editor")
    url = f"/w/acme/updates/{update.number}/sales/back-brief/"
    refused = editor.post(url)
    assert refused.status_code == 409
    told = " ".join(unescape(refused.content.decode()).split())
    assert "Nothing was sent. Sent as it is, its results could never be shown" in told
    assert DIFFERS in told and f"To send it all the same, tick “{SEND_ANYWAY}”." in told
    assert not UpdateBackBrief.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        sent = editor.post(url, {"anyway": "on"})
    assert sent.status_code == 302
    checkin = UpdateBackBrief.objects.get(audience="sales").checkin
    assert checkin.invitations.filter(status="sent").count() == 6
    assert len(mail.outbox) == 6
    assert all(NEVER_PUBLISHED in " ".join(m.body.split()) for m in mail.outbox)
    page = unescape(editor.get(f"/w/acme/updates/{update.number}/").content.decode())
    said = page.split('id="back-brief-sales"')[1].split("</li>")[0]
    assert 'id="back-brief-never-shown-sales"' in said and "cannot be published" in said
    assert "its reading appears once it closes" not in said
    assert 'id="back-brief-form-sales"' not in page
    assert "only the first of the two" not in page  # no warning promising a publication


def test_one_that_can_be_published_takes_no_tick(
    update, newcomer, client_for, django_capture_on_commit_callbacks
):
    newcomer.active = False  # left: the sales version's readers are the pulse's five again
    newcomer.save()
    editor = client_for("editor")
    assert SEND_ANYWAY not in editor.get(f"/w/acme/updates/{update.number}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = editor.post(f"/w/acme/updates/{update.number}/sales/back-brief/")
    assert sent.status_code == 302
    assert len(mail.outbox) == 5
    assert all(NEVER_PUBLISHED not in " ".join(m.body.split()) for m in mail.outbox)


def test_a_refusal_that_no_tick_mends_is_said_first(update, client_for, workspace, no_mail_server):
    """Before the tick is asked for, and before any mail server is: neither could mend it."""
    draft = actions.open_draft(workspace, date(2026, 12, 1), date(2026, 12, 31), "December")
    for number, audience, reason in [
        (draft.number, "sales", b"is a draft"),
        (update.number, "partners", b"Partners are not asked"),
        (update.number, "nobody", b"There is no audience"),
    ]:
        url = f"/w/acme/updates/{number}/{audience}/back-brief/"
        refused = client_for("editor").post(url, {"anyway": "on"})
        assert refused.status_code == 400 and reason in refused.content, audience
    command = ["updates", "ask", str(draft.number), "--audience", "sales", "-w", "acme"]
    said = CliRunner().invoke(main, command)
    assert said.exit_code == 1 and "is a draft" in said.output
    assert not UpdateBackBrief.objects.exists()


def test_the_command_sends_it_only_with_send_anyway(update, mail_server, settings):
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30  # links are signed with it
    command = ["updates", "ask", str(update.number), "--audience", "sales", "-w", "acme"]
    refused = CliRunner().invoke(main, command)
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert said.startswith("Error: Nothing was sent. Sent as it is, its results could never")
    assert DIFFERS in said and said.endswith("To send it all the same, add --send-anyway.")
    assert not UpdateBackBrief.objects.exists() and not mail_server.messages

    sent = CliRunner().invoke(main, [*command, "--send-anyway"])
    assert sent.exit_code == 0, sent.output
    assert "Back-brief sent to 6 people" in sent.output
    assert "only the first of the two" not in sent.output  # it never can be
    assert len(mail_server.messages) == 6
