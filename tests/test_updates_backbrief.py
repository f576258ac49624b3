""" "What did you hear?" on an update: one click asks one internal audience, through a real SMTP
server on loopback, to say what their version told them; the answers are read against the
version's narrative and sections (real model) once the check-in is analysed. Never partners,
never a draft, never an audience too small to ever show results, never twice."""

import html
from datetime import date

import pytest
from click.testing import CliRunner

from tests.smtp import REFUSED, mail_server_fixture  # noqa: F401
from truenorth.analysis import decision_reading
from truenorth.checkins.actions import issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import BACK_BRIEF, SourceKind
from truenorth.cli import main
from truenorth.embeddings.cache import cached_embedder
from truenorth.updates import actions, backbrief
from truenorth.updates.models import UpdateBackBrief
from truenorth.workspaces.models import Function, Person

# They count each person's messages: notifications would be more of them.
pytestmark = pytest.mark.usefixtures("no_notifications")

NARRATIVE = (
    "This month we moved payment processing to the new vendor, and supplier payouts no longer "
    "fail at the end of the month."
)


@pytest.fixture(autouse=True)
def servers_own_key(settings):
    """A key of the server's own, as a command that emails personal links needs to sign them."""
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30


@pytest.fixture
def designers(workspace):
    return [
        Person.objects.create(
            workspace=workspace, name=f"Designer {n}", email=f"d{n}@acme.test", function=f
        )
        for n, f in enumerate([Function.DESIGN, Function.PRODUCT])
    ]


@pytest.fixture
def update(workspace, users, designers):
    workspace.anonymity_threshold = 3
    workspace.save()
    found = actions.open_draft(workspace, date(2026, 11, 1), date(2026, 11, 30), "November")
    actions.save_texts(found, NARRATIVE, "Payments now run through a new vendor.")
    actions.publish(found)
    found.refresh_from_db()
    return found


@pytest.fixture
def click(client_for, django_capture_on_commit_callbacks):
    def click(update, audience="engineering", role="editor"):
        with django_capture_on_commit_callbacks(execute=True):
            url = f"/w/acme/updates/{update.number}/{audience}/back-brief/"
            return client_for(role).post(url)

    return click


def test_asking_engineering_sends_one_checkin_to_the_engineering_people(mail_server, update, click):
    assert click(update).status_code == 302
    (found,) = UpdateBackBrief.objects.all()
    checkin = found.checkin
    assert found.audience == "engineering" and checkin.template == BACK_BRIEF
    assert checkin.anonymous and checkin.is_open()
    (question,) = checkin.questions.all()
    assert question.prompt == backbrief.QUESTION and question.source_kind == SourceKind.UPDATE
    assert question.parts()["narrative"] == NARRATIVE
    engineers = {"owner@acme.test", "editor@acme.test", "viewer@acme.test", "member@acme.test"}
    assert set(checkin.invitations.values_list("person__email", flat=True)) == engineers
    for email in engineers - {REFUSED}:
        (message,) = mail_server.to(email)
        assert "http://testserver/c/#" in message
    for email in ("d0@acme.test", "d1@acme.test", "partner@acme.test"):
        assert mail_server.to(email) == []
    assert "engineering version" in checkin.audience_words()


def test_the_pages_show_it_was_sent(mail_server, update, click, client_for):
    click(update)
    checkin = UpdateBackBrief.objects.get().checkin
    page = client_for("editor").get(f"/w/acme/updates/{update.number}/").content.decode()
    assert f'href="/w/acme/checkins/{checkin.pk}/"' in page
    assert 'action="/w/acme/updates/1/engineering/back-brief/"' not in page
    assert 'action="/w/acme/updates/1/design/back-brief/"' not in page  # 2 people: too few
    assert "results could never be shown" in page
    version = client_for("member").get(f"/w/acme/updates/{update.number}/engineering/")
    assert 'id="back-brief-sent"' in version.content.decode()
    other = client_for("member").get(f"/w/acme/updates/{update.number}/sales/")
    assert 'id="back-brief-sent"' not in other.content.decode()


def test_refusals_are_400_with_their_reasons(mail_server, update, click, workspace):
    draft = actions.open_draft(workspace, date(2026, 12, 1), date(2026, 12, 31), "December")
    for target, audience, reason in [
        (draft, "engineering", "is a draft"),
        (update, "partners", "Partners are not asked"),
        (update, "design", "fewer than the workspace's anonymity threshold of 3"),
        (update, "nobody", "There is no audience"),
    ]:
        response = click(target, audience)
        said = html.unescape(response.content.decode())
        assert response.status_code == 400 and reason in said, audience
    assert not UpdateBackBrief.objects.exists()
    assert click(update).status_code == 302
    again = click(update)
    assert again.status_code == 400 and b"was already sent on" in again.content
    assert UpdateBackBrief.objects.count() == 1
    assert len(mail_server.to("member@acme.test")) == 1


def test_a_member_may_not_ask(mail_server, update, click):
    assert click(update, role="member").status_code == 403
    assert not UpdateBackBrief.objects.exists()


def test_answers_are_scored_against_the_versions_parts(update, client_for):
    found = backbrief.create_back_brief(update, "engineering")
    restating = (
        "We moved payments to the new vendor this month, so supplier payouts stopped failing."
    )
    contradicting = "We stayed with the old payment vendor and supplier payouts still fail."
    question = found.checkin.questions.get()
    texts = [restating, contradicting, "Payments now go through the new vendor."]
    for link, text in zip(issue_links(found.checkin), texts, strict=False):
        submit_response(link.invitation, link.token, {question: text})
    close_checkin(found.checkin)
    analyze(found.checkin)
    read = backbrief.reading(found)
    assert read["state"] == "shown" and read["n"] == 3
    assert read["parts"][0]["key"] == "narrative"
    by_text = {
        r.text: r.fidelity
        for r in decision_reading.read_back_briefs(
            texts, question.parts(), cached_embedder().encode
        )
    }
    page = client_for("viewer").get(f"/w/acme/updates/{update.number}/").content.decode()
    assert "Heard the update" in page and "back-brief-parts" in page
    member = client_for("member").get(f"/w/acme/updates/{update.number}/").content.decode()
    assert "Heard the update" not in member  # results are not a member's
    assert by_text[restating] > by_text[contradicting]


def test_the_command_asks_too(mail_server, update):
    result = CliRunner().invoke(
        main, ["updates", "ask", str(update.number), "--audience", "engineering", "-w", "acme"]
    )
    assert "Back-brief sent to 4 people" in result.output
    again = CliRunner().invoke(
        main, ["updates", "ask", str(update.number), "--audience", "engineering", "-w", "acme"]
    )
    assert again.exit_code == 1 and "already sent" in again.output
