"""The dead ends a first look ran into: every one now says what to do or where things stand."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.test import override_settings
from django.utils import timezone

from truenorth.analysis.clarity import check_clarity
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.checkins.models import Delivery, Invitation, new_token, token_digest
from truenorth.checkins.views import QUEUED
from truenorth.claims.models import Claim, Verdict
from truenorth.roadmap.models import InitiativeMilestone, Status, Visibility
from truenorth.strategy.models import Vision
from truenorth.workspaces import progress
from truenorth.workspaces.models import Person

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ANSWERS = {"q1": "Books closed in three days.", "q2_0": "Faster close", "q3": "Sync.", "q4": "4"}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def pulse(workspace, closed: bool = False):
    """A week-long pulse, open since yesterday, or closed three days ago."""
    opened = timezone.now() - timedelta(days=10 if closed else 1)
    return create_alignment_pulse(workspace, "Autumn pulse", opened, opened + timedelta(days=7))


def invite(checkin, email: str, status=Delivery.SENT, responded=False) -> Invitation:
    person = Person.objects.get(workspace=checkin.workspace, email=email)
    digest = token_digest(checkin, "invitation", new_token(checkin))
    return Invitation.objects.create(
        checkin=checkin, person=person, token_hash=digest, status=status, responded=responded
    )


# --- A member's check-in list: what they can do, and where the results go ---


def test_a_member_sees_their_open_check_ins_and_where_to_answer(client_for, users, workspace):
    checkin = pulse(workspace)
    invite(checkin, "member@acme.test")
    shown = page(client_for("member"), "/w/acme/checkins/")
    mine = re.search(r'id="your-checkins".*?</section>', shown, re.S)[0]
    assert "Autumn pulse" in mine and 'href="/c/"' in mine
    assert 'id="results-shared-by"' in shown
    assert f"/checkins/{checkin.pk}/" not in shown  # the dashboard would be a 403


def test_a_member_who_answered_is_told_they_can_still_change_it(client_for, users, workspace):
    invite(pulse(workspace), "member@acme.test", responded=True)
    assert "answered; you can change your answers" in page(
        client_for("member"), "/w/acme/checkins/"
    )


def test_the_heading_of_a_members_check_ins_fits_whether_they_answered(client_for, workspace):
    invite(pulse(workspace), "member@acme.test", responded=True)
    shown = page(client_for("member"), "/w/acme/checkins/")
    mine = re.search(r'id="your-checkins".*?</section>', shown, re.S)[0]
    assert "Waiting for your answers" not in mine and "<h2>Open check-ins that ask you</h2>" in mine
    invite(pulse(workspace), "member@acme.test")
    shown = page(client_for("member"), "/w/acme/checkins/")
    assert ": not answered yet." in shown and ": answered; you can change" in shown


def test_a_member_is_not_told_how_many_have_answered(client_for, users, workspace):
    """A team of five: watching the count rise would tell a member who has not answered yet."""
    checkin = pulse(workspace)
    invite(checkin, "member@acme.test", responded=True)
    invite(checkin, "viewer@acme.test")
    member = client_for("member")
    shown = page(member, "/w/acme/checkins/")
    assert "Answered</th>" not in shown and 'data-label="Answered"' not in shown
    assert "How many have answered is not shown here" in shown
    header = member.get("/w/acme/checkins.csv").content.decode().splitlines()[0]
    assert header == "check-in,stage,opens,closes,attribution"
    reader = page(client_for("viewer"), "/w/acme/checkins/")
    assert '<td class="num" data-label="Invited">2</td>' in reader
    assert (
        client_for("viewer")
        .get("/w/acme/checkins.csv")
        .content.decode()
        .startswith("check-in,stage,opens,closes,attribution,invited,answered")
    )


def test_a_member_reads_a_published_check_in_as_closed_and_where_results_go(
    client_for, users, workspace
):
    """ "Results published" led nowhere: a member cannot open them."""
    checkin = pulse(workspace, closed=True)
    invite(checkin, "member@acme.test")  # asked: one never sent reads "Closed without being sent"
    client_for("editor").post(f"/w/acme/checkins/{checkin.pk}/analyze/")
    # Nobody answered it: published, with nothing to show.
    assert '<td data-label="Stage">Closed without results</td>' in page(
        client_for("viewer"), "/w/acme/checkins/"
    )
    shown = page(client_for("member"), "/w/acme/checkins/")
    assert "Results published" not in shown and '<td data-label="Stage">Closed</td>' in shown
    note = re.search(r'id="results-shared-by".*?</p>', shown, re.S)[0]
    assert 'href="/w/acme/updates/"' in note
    # Only these two versions quote check-in results (tests/test_updates.py checks that).
    assert "the executives' version (the headline figures" in note
    assert "the design version (how well the vision is understood" in note
    assert "no other version carries them" in note and "who share what came out" not in note


def test_only_open_check_ins_with_a_link_sent_are_listed(client_for, users, workspace):
    invite(pulse(workspace), "member@acme.test", status=Delivery.FAILED)  # holds no link
    invite(pulse(workspace, closed=True), "viewer@acme.test")  # closed
    assert 'id="your-checkins"' not in page(client_for("member"), "/w/acme/checkins/")
    assert 'id="your-checkins"' not in page(client_for("viewer"), "/w/acme/checkins/")


def test_those_who_read_results_get_links_and_no_sentence(client_for, users, workspace):
    checkin = pulse(workspace)
    shown = page(client_for("viewer"), "/w/acme/checkins/")
    assert f'href="/w/acme/checkins/{checkin.pk}/"' in shown
    assert 'id="results-shared-by"' not in shown


# --- Publishing the results says what happened, and the page shows the state ---


def test_a_closed_unpublished_check_in_says_its_answers_keep_their_labels(client_for, workspace):
    checkin = pulse(workspace, closed=True)
    issue_links(checkin)  # one never sent has nothing to publish
    shown = page(client_for("editor"), f"/w/acme/checkins/{checkin.pk}/")
    assert "Publish the results</button>" in shown
    assert "each answer keeps its author's function and team" in shown
    checkin.anonymous = False
    checkin.save()
    shown = page(client_for("editor"), f"/w/acme/checkins/{checkin.pk}/")
    assert "keeps its author's function and team" not in shown  # attributed: named anyway


def test_a_check_in_one_person_answered_says_person_not_people(client, client_for, workspace):
    checkin = pulse(workspace)
    link = issue_links(checkin)[0]
    client.post("/c/open/", {"link": link.token})
    assert client.post("/c/", ANSWERS).status_code == 302
    checkin.closes_at = timezone.now() - timedelta(minutes=1)
    checkin.save()
    pressed = client_for("editor").post(f"/w/acme/checkins/{checkin.pk}/analyze/", follow=True)
    told = unescape(pressed.content.decode())
    assert "Closed without results: only 1 person answered, fewer than the anonymity" in told
    assert "results are published" not in told  # there are none to publish
    assert "Show on the alignment dashboard" not in told  # it never will have any
    shown = page(client_for("editor"), f"/w/acme/checkins/{checkin.pk}/")
    assert "Only 1 person answered, fewer than the anonymity threshold" in shown
    assert "1 people" not in shown


def test_an_analysis_run_at_once_says_it_is_done_not_started(client_for, users, workspace):
    checkin = pulse(workspace, closed=True)
    invite(checkin, "member@acme.test")  # asked, and no answer came
    response = client_for("editor").post(f"/w/acme/checkins/{checkin.pk}/analyze/", follow=True)
    shown = response.content.decode()
    assert "Closed without results: nobody answered" in shown  # done, with nothing to show
    assert "Analysis started" not in shown and "Publish the results</button>" not in shown
    assert progress.current("analysis", checkin.pk) is None


def test_a_queued_analysis_is_shown_as_queued_and_followed(client_for, users, workspace):
    checkin = pulse(workspace, closed=True)
    invite(checkin, "member@acme.test")  # closed unsent, it would have no results to follow
    with override_settings(TASKS=DATABASE_QUEUE):
        url = f"/w/acme/checkins/{checkin.pk}/analyze/"
        shown = client_for("editor").post(url, follow=True).content.decode()
    assert "Queued: this page follows the analysis" in shown
    assert 'class="analysis-queued"' in shown and 'data-poll-state="queued"' in shown
    assert "Publish the results</button>" not in shown  # no second press while it waits
    assert progress.current("analysis", checkin.pk)["label"] == QUEUED
    body = client_for("viewer").get(f"/w/acme/checkins/{checkin.pk}/report.json")
    assert body.status_code == 409 and body.json()["analysis"] == "queued"


def test_invitations_queued_for_a_worker_are_said_to_be_sending_with_no_second_send(
    client_for, users, workspace, settings, django_capture_on_commit_callbacks
):
    """The page had said "not sent yet" beside a live "Send invitations" button meanwhile."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    checkin = pulse(workspace)
    url = f"/w/acme/checkins/{checkin.pk}/send/"
    with override_settings(TASKS=DATABASE_QUEUE), django_capture_on_commit_callbacks(execute=True):
        client_for("editor").post(url, {"what": "invitations"})
    shown = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/")
    text = shown.content.decode()
    assert 'id="sending"' in text and "Invitations queued:" in text
    assert 'value="invitations"' not in text  # no second press while it waits
    progress.finished("sending", checkin.pk)  # as the worker does once done
    assert 'value="invitations"' in page(client_for("editor"), f"/w/acme/checkins/{checkin.pk}/")


def test_a_running_analysis_says_how_far_it_has_got(client_for, users, workspace):
    checkin = pulse(workspace, closed=True)
    progress.reporter("analysis", checkin.pk, "Reading the answers")(5, 20)
    shown = page(client_for("viewer"), f"/w/acme/checkins/{checkin.pk}/")
    assert 'class="analysis-running"' in shown and "5 of 20 texts" in shown
    assert (
        client_for("viewer").get(f"/w/acme/checkins/{checkin.pk}/report.json").json()["analysis"]
        == "running"
    )


# --- The clarity panel names each word once ---

JARGON_VISION = {
    "statement": "Every AP team will close the month in 3 days through our ERP sync.",
    "destination": "AP teams close the month in three days",
    "user_benefit": "No ERP re-typing, no weekend closes for AP clerks",
    "measures_of_progress": "Median close from 9 days to 3",
}


def test_a_word_in_several_parts_is_one_finding_where_it_first_stands():
    clarity = check_clarity(JARGON_VISION["statement"], JARGON_VISION)
    jargon = [(f.phrase, f.where) for f in clarity.findings if f.kind == "jargon"]
    assert jargon == [("AP", "statement"), ("ERP", "statement")]
    # the penalty counts each word once too
    once = check_clarity(JARGON_VISION["statement"], {**JARGON_VISION, "destination": "x"})
    assert clarity.score == once.score
    # each finding carries its own suggestion; the other suggestions repeat none of them
    assert not any("“AP”" in s or "“ERP”" in s for s in clarity.other_suggestions)


def test_the_vision_page_lists_each_jargon_word_once(client_for, users, workspace):
    Vision.objects.create(workspace=workspace, number=1, created_at=timezone.now(), **JARGON_VISION)
    shown = page(client_for("editor"), "/w/acme/vision/")  # the advice is for those who edit
    panel = re.search(r'<section class="clarity".*?</section>', shown, re.S)[0]
    for word in ("AP", "ERP"):
        assert panel.count(f"Spell out {word} ") == 1, panel
        assert len(re.findall(rf">\s*{word}\s*<", panel)) == 1, panel


# --- Partners read no date on what is not a promise ---

PLANNED_DATE = date(2031, 7, 19)
COMMITTED_DATE = date(2031, 9, 23)


def written(day: date) -> list[str]:
    """The ways a page or a file may write a date."""
    return [day.isoformat(), f"{day.day} {day:%b %Y}", f"{day.day} {day:%B %Y}", f"{day:%d/%m/%Y}"]


@pytest.fixture
def partner_roadmap(strategy):
    planned = strategy["initiatives"][Visibility.PARTNER]
    planned.target_date = PLANNED_DATE
    planned.save()
    InitiativeMilestone.objects.create(initiative=planned, name="Beta", target_date=PLANNED_DATE)
    committed = strategy["initiatives"][Visibility.PUBLIC]
    committed.status, committed.target_date = Status.COMMITTED, COMMITTED_DATE
    committed.save()
    return planned, committed


def pages_a_partner_reaches(client, planned, committed) -> str:
    urls = [
        "/w/acme/roadmap/",
        f"/w/acme/roadmap/{planned.pk}/",
        f"/w/acme/roadmap/{committed.pk}/",
    ]
    urls += ["/w/acme/search/?q=initiative", "/w/acme/search.json?q=initiative"]
    urls += ["/w/acme/roadmap.csv"]  # the roadmap's download, where there is one
    texts = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 404 and url.endswith(".csv"):
            continue
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    return "\n".join(texts)


def test_a_partner_reads_no_date_on_a_planned_item(client_for, users, partner_roadmap):
    planned, committed = partner_roadmap
    everything = pages_a_partner_reaches(client_for("partner"), planned, committed)
    assert not [w for w in written(PLANNED_DATE) if w in everything]
    assert [w for w in written(COMMITTED_DATE) if w in everything]  # a promise keeps its date
    assert "None shared: planned is not a promise." in everything


def test_the_organisation_still_reads_every_date(client_for, users, partner_roadmap):
    planned, _ = partner_roadmap
    shown = page(client_for("member"), f"/w/acme/roadmap/{planned.pk}/")
    assert [w for w in written(PLANNED_DATE) if w in shown]
    # The roadmap gives a plan its quarter, not a day: no one is handed a date to promise.
    quarter = f"{PLANNED_DATE.year}-Q{(PLANNED_DATE.month - 1) // 3 + 1}, not a promise"
    assert quarter in page(client_for("member"), "/w/acme/roadmap/")


# --- Verdicts: one class per verdict, so over-promise can look like the danger it is ---


def test_each_verdict_has_its_own_class(client_for, users, workspace):
    for n, verdict in enumerate(Verdict):
        Claim.objects.create(
            workspace=workspace,
            account="Northwind",
            said_on=date(2026, 10, n + 1),
            text=f"Claim {n}",
            verdict=verdict,
        )
    shown = page(client_for("member"), "/w/acme/claims/")
    for verdict in Verdict:
        assert f'class="verdict verdict-{verdict.value}"' in shown, verdict
    assert "status-planned" not in shown  # over-promise no longer borrows planned's colour
