"""A back-brief whose people differ by a few from a check-in published near it can never be
published: the decision page says so by the Send button before it is sent (as it does for too
few people), and sends it only with "Send anyway" ticked (the command line: --send-anyway), as a
check-in's first send; once sent the page, its JSON twin and the API say no reading will come,
and the check-in page offers neither reminders nor a close that could not publish."""

from datetime import date, timedelta
from html import unescape

import pytest
from click.testing import CliRunner
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api import api_request
from tests.conftest import team_of
from tests.one_transaction import BOOKKEEPING, WRITE
from tests.smtp import mail_server_fixture  # noqa: F401
from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.overlaps import not_near_from
from truenorth.cli import main
from truenorth.decisions import actions, backbrief
from truenorth.decisions.models import Decision
from truenorth.workspaces.models import Function

DIFFERS = "audience differs from “Sales pulse” by 1 person"
SEND_ANYWAY = "Send anyway: its results will never be shown"
NEVER_PUBLISHED = "This check-in's results will never be published"


def data_written(queries) -> list[str]:
    """The statements of `queries` that wrote data or undid a write (a savepoint rolled back),
    besides the bookkeeping of sessions, caches and tokens."""
    return [
        q["sql"]
        for q in queries
        if "ROLLBACK TO SAVEPOINT" in q["sql"].upper()
        or ((found := WRITE.match(q["sql"])) and not found[1].startswith(BOOKKEEPING))
    ]


@pytest.fixture
def sales(workspace):
    workspace.anonymity_threshold = 3
    workspace.save()
    team, people = team_of(workspace, "Sales", Function.SALES, 5)
    return people


@pytest.fixture
def published_pulse(workspace, sales):
    """A pulse of the Sales team, answered and published two days ago."""
    opens = timezone.now() - timedelta(days=4)
    checkin = create_alignment_pulse(
        workspace, "Sales pulse", opens, opens + timedelta(days=2), teams=[sales[0].team]
    )
    questions = {q.role: q for q in checkin.questions.all()}
    for n, link in enumerate(issue_links(checkin)):
        answers = {
            questions["vision"]: f"Finance teams close their books in {n + 2} days.",
            questions["priorities"]: "1. Touchless invoices 2. Payments 3. SOC 2",
            questions["purpose"]: "My work gets invoices approved without anyone touching them.",
            questions["direction"]: 1 + n % 5,
        }
        submit_response(link.invitation, link.token, answers)
    close_checkin(checkin)
    analyze(checkin)
    return checkin


@pytest.fixture
def decision(workspace, sales, published_pulse):
    """Decided, with four of the five people of Sales informed: one fewer than the pulse asked."""
    d = actions.add_decision(
        Decision(
            workspace=workspace,
            title="Pricing",
            question="How do we price?",
            raised_on=date.today(),
        )
    )
    actions.decide(d, date.today(), "Per entity.", "Seats stopped matching usage.")
    d.informed.add(*sales[:4])
    return d


def test_the_page_warns_before_sending_and_says_no_reading_will_come_after(
    decision, client_for, users, client
):
    editor = client_for("editor")
    url = f"/w/acme/decisions/{decision.number}/"
    page = unescape(editor.get(url).content.decode())
    form = page.split('id="back-brief-form"')[1].split("</form>")[0]
    assert DIFFERS in form and "before-sending" in form
    assert "only the first of the two to be published can be" not in form  # it never can be
    data = editor.get(f"/w/acme/decisions/{decision.number}.json").json()
    before = data["back_brief_before_sending"]
    assert before["people"] == 4 and DIFFERS in before["never_published"]
    assert before["warnings"] == []
    api = api_request(client, users["editor"], "get", f"/api/v1/workspaces/acme{url[7:-1]}")
    assert api.json()["back_brief_before_sending"] == before

    found = backbrief.create_back_brief(decision)
    issue_links(found.checkin)
    page = unescape(client_for("editor").get(url).content.decode())
    assert 'id="back-brief-never-shown"' in page and "cannot be published" in page
    assert "appears once it closes" not in page
    data = client_for("editor").get(f"/w/acme/decisions/{decision.number}.json").json()
    assert data["back_brief"]["state"] == "open"
    assert "cannot be published" in data["back_brief"]["never_shown"]
    api = api_request(client, users["editor"], "get", f"/api/v1/workspaces/acme{url[7:-1]}")
    assert "cannot be published" in api.json()["back_brief"]["never_shown"]
    assert api.json()["back_brief_before_sending"] is None

    checkin_page = client_for("editor").get(f"/w/acme/checkins/{found.checkin_id}/")
    checkin_page = unescape(checkin_page.content.decode())
    assert 'id="publication-refused"' in checkin_page and DIFFERS in checkin_page
    assert "Close now and publish" not in checkin_page and "Send reminders" not in checkin_page


def test_looking_at_the_warning_before_sending_writes_nothing(
    decision, published_pulse, client_for
):
    """The warning is worked out in memory: no back-brief is made and undone by a GET (a crash
    in between, or a reader of the same rows, would see one that was never sent). Only the
    cache of figures is written."""
    editor = client_for("editor")
    with CaptureQueriesContext(connection) as queries:
        page = unescape(editor.get(f"/w/acme/decisions/{decision.number}/").content.decode())
    assert data_written(queries) == []
    said = (
        "Sent as it is, its results could never be shown: its audience differs from “Sales "
        "pulse” by 1 person: publishing both would let anyone subtract one from the other and "
        "read that person's answers. More answers would not change this, since what counts is "
        "who was asked, and “Sales pulse” is published for good. To hear from these people, ask "
        "them in a new check-in: ask the same people as “Sales pulse”, or at least 3 more or "
        f"fewer, or open it from {not_near_from([published_pulse])} on, when the two are no "
        "longer compared."
    )
    assert f'id="back-brief-never-published">{said}</p>' in page
    assert not decision.backbriefs.exists()


def test_the_command_checks_before_sending(decision, workspace):
    result = CliRunner().invoke(
        main, ["decisions", "backbrief", str(decision.number), "--check", "-w", "acme"]
    )
    assert result.exit_code == 1 and "Would ask 4 people." in result.output
    assert DIFFERS in result.output and "Sending it takes --send-anyway." in result.output
    assert not decision.backbriefs.exists()


def test_with_the_same_people_as_the_pulse_no_warning(decision, sales, client_for):
    decision.informed.add(sales[4])
    data = client_for("editor").get(f"/w/acme/decisions/{decision.number}.json").json()
    assert data["back_brief_before_sending"]["warnings"] == []


@pytest.mark.usefixtures("no_notifications")  # they count the messages
def test_sending_it_takes_a_tick_of_send_anyway(
    decision, client_for, django_capture_on_commit_callbacks
):
    """Its reading could never be shown: the four people are asked only once the editor says
    so, as a check-in's first send is, and their invitations say it will never be published."""
    editor = client_for("editor")
    url = f"/w/acme/decisions/{decision.number}/"
    form = unescape(editor.get(url).content.decode()).split('id="back-brief-form"')[1]
    assert f'<input type="checkbox" name="anyway" required> {SEND_ANYWAY}' in form
    refused = editor.post(f"{url}back-brief/")
    assert refused.status_code == 409
    told = unescape(refused.content.decode())
    assert "Nothing was sent. Sent as it is, its results could never be shown" in told
    assert DIFFERS in told and f"To send it all the same, tick “{SEND_ANYWAY}”." in told
    assert not decision.backbriefs.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(f"{url}back-brief/", {"anyway": "on"}).status_code == 302
    assert decision.backbriefs.get().checkin.invitations.filter(status="sent").count() == 4
    assert len(mail.outbox) == 4
    assert all(NEVER_PUBLISHED in " ".join(m.body.split()) for m in mail.outbox)
    page = unescape(editor.get(url).content.decode())
    assert 'id="back-brief-never-shown"' in page and 'id="back-brief-form"' not in page


@pytest.mark.usefixtures("no_notifications")  # they count the messages
def test_a_back_brief_that_can_be_published_takes_no_tick(
    decision, sales, client_for, django_capture_on_commit_callbacks
):
    decision.informed.add(sales[4])  # the same people as the pulse
    editor = client_for("editor")
    url = f"/w/acme/decisions/{decision.number}/"
    assert SEND_ANYWAY not in unescape(editor.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(f"{url}back-brief/").status_code == 302
    assert len(mail.outbox) == 5
    assert all(NEVER_PUBLISHED not in " ".join(m.body.split()) for m in mail.outbox)


@pytest.mark.usefixtures("no_notifications")  # they count the messages
def test_the_command_sends_it_only_with_send_anyway(decision, mail_server, settings):
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30  # links are signed with it
    command = ["decisions", "backbrief", str(decision.number), "-w", "acme"]
    refused = CliRunner().invoke(main, command)
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert said.startswith("Error: Nothing was sent. Sent as it is, its results could never")
    assert DIFFERS in said and said.endswith("To send it all the same, add --send-anyway.")
    assert not decision.backbriefs.exists() and not mail_server.messages

    sent = CliRunner().invoke(main, [*command, "--send-anyway"])
    assert sent.exit_code == 0, sent.output
    assert "Back-brief sent to 4 people" in sent.output
    assert "only the first of the two" not in sent.output  # it never can be
    assert len(mail_server.messages) == 4
