"""What the pages say while work waits for a `truenorth worker` (the database queue): one true
statement of what is queued and what starts it, never a button that is not there, and pages that
catch up once a worker has done the work."""

import re
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.api import api_request
from tests.smtp import mail_server_fixture  # noqa: F401
from tests.test_dead_ends import invite, pulse
from tests.test_worker import DATABASE_QUEUE
from tests.test_worker_beats import NEVER, START, seen
from truenorth.checkins.tasks import send_checkin_links
from truenorth.claims.models import Claim
from truenorth.work.models import ImportRun
from truenorth.workspaces import progress

pytestmark = pytest.mark.usefixtures("no_notifications")

QUEUED = "Invitations queued:</strong> none goes out until a worker runs."


def send_queued(client_for, checkin, django_capture_on_commit_callbacks):
    """Press "Send invitations" under the database queue; the page it comes back to."""
    url = f"/w/acme/checkins/{checkin.pk}/send/"
    with django_capture_on_commit_callbacks(execute=True):  # queued once the view is done
        sent = client_for("editor").post(url, {"what": "invitations"})
    return client_for("editor").get(sent.url)


@override_settings(TASKS=DATABASE_QUEUE)
def test_invitations_queued_with_no_worker_say_so_once_and_name_no_missing_button(
    client_for, workspace, users, mail_server, django_capture_on_commit_callbacks
):
    checkin = pulse(workspace)
    page = send_queued(client_for, checkin, django_capture_on_commit_callbacks)
    text = page.content.decode()
    assert (
        QUEUED in text and f"{NEVER} An administrator starts one with <code>{START}</code>" in text
    )
    assert "in the background" not in text and "reload this page" not in text
    assert "Pressing again" not in text
    assert 'value="invitations"' not in text  # no Send button, and nothing names it
    assert "“Send invitations”" not in text and "No links sent yet." in text
    # The page follows the sending by itself, through its JSON twin.
    assert 'data-poll-key="sending" data-poll-state="queued"' in text
    twin = client_for("viewer").get(f"/w/acme/checkins/{checkin.pk}/report.json").json()
    assert twin["sending"] == "queued" and twin["no_worker"].startswith(NEVER)
    assert mail_server.messages == []  # nothing went out


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_twin_moves_on_as_a_worker_takes_the_sending_and_finishes_it(
    client_for, workspace, users, mail_server, django_capture_on_commit_callbacks
):
    checkin = pulse(workspace)
    send_queued(client_for, checkin, django_capture_on_commit_callbacks)
    seen(timedelta(seconds=5))  # a worker starts
    twin = f"/w/acme/checkins/{checkin.pk}/report.json"
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert "Invitations queued:</strong> a worker sends them as soon as it is free." in page
    assert 'id="no-worker-sending"' not in page
    assert client_for("editor").get(twin).json()["no_worker"] is None

    progress.started("sending", checkin.pk, "Sending the invitations")  # as the task does first
    assert client_for("editor").get(twin).json()["sending"] == "sending"
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert "Sending the invitations:</strong> a worker is sending them now." in page
    assert 'data-poll-state="sending"' in page

    send_checkin_links.call(checkin.pk)  # the worker's run of the queued task, here
    assert client_for("editor").get(twin).json()["sending"] is None  # the page reloads
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert 'id="sending"' not in page and "Links: <strong>3</strong> sent" in page
    assert len(mail_server.messages) == 3


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_check_ins_list_and_its_api_say_sending_queued_not_invited_0(
    client, client_for, workspace, users, django_capture_on_commit_callbacks, mail_server
):
    checkin = pulse(workspace)
    send_queued(client_for, checkin, django_capture_on_commit_callbacks)
    page = client_for("editor").get("/w/acme/checkins/").content.decode()
    assert '<td class="num" data-label="Invited">Sending queued</td>' in page
    for role, said in (("editor", "queued"), ("member", None)):  # a member reads no counts
        listed = api_request(client, users[role], "get", "/api/v1/workspaces/acme/checkins")
        assert [c["sending"] for c in listed.json()["items"]] == [said]
    progress.finished("sending", checkin.pk)
    page = client_for("editor").get("/w/acme/checkins/").content.decode()
    assert "Sending queued" not in page and 'data-label="Invited">0</td>' in page


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_queued_import_and_send_show_on_the_work_list_and_getting_started(
    client_for, workspace, users, django_capture_on_commit_callbacks, mail_server
):
    run = ImportRun.objects.create(workspace=workspace, file_name="jira.csv")
    work = client_for("editor").get("/w/acme/work/").content.decode()
    assert "An import is waiting for a worker" in work and "Import work items</a>" not in work
    assert f'href="/w/acme/work/import/{run.pk}/">See the import</a>' in work
    assert "See the import" not in client_for("viewer").get("/w/acme/work/").content.decode()

    checkin = pulse(workspace)
    send_queued(client_for, checkin, django_capture_on_commit_callbacks)
    overview = client_for("editor").get("/w/acme/").content.decode()
    started = re.search(r'id="getting-started".*?</section>', overview, re.S)[0]
    assert (
        f'An import is waiting for a worker (<a href="/w/acme/work/import/{run.pk}/">see it</a>)'
        in started
    )
    assert f'Sending queued (<a href="/w/acme/checkins/{checkin.pk}/">see it</a>)' in started
    assert "Bring in the work" not in started and "Send the first pulse" not in started

    run.state = ImportRun.State.RUNNING
    run.save()
    progress.started("import", run.pk, "Reading the file")  # as the task does once it claims it
    assert "An import is under way" in client_for("editor").get("/w/acme/work/").content.decode()
    run.state = ImportRun.State.FAILED
    run.save()
    work = client_for("editor").get("/w/acme/work/").content.decode()
    assert "Import work items</a>" in work and "An import is" not in work


def close_box(client_for, checkin) -> str:
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    return re.search(r'id="close-now".*?</details>', page, re.S)[0]


def test_close_now_says_when_the_results_are_published_before_the_press(
    client_for, workspace, users
):
    checkin = pulse(workspace)
    invite(checkin, "member@acme.test")
    assert "its results are published at once, for good" in close_box(client_for, checkin)
    with override_settings(TASKS=DATABASE_QUEUE):
        none = close_box(client_for, checkin)
        seen(timedelta(seconds=5))
        alive = close_box(client_for, checkin)
    assert "its results are published when a worker runs, for good" in none
    assert 'id="no-worker-closing"' in none and NEVER in none and "at once" not in none
    assert "published once a worker has analysed them" in alive and NEVER not in alive


def a_claim(workspace) -> Claim:
    return Claim.objects.create(
        workspace=workspace, said_on=date(2026, 11, 2), account="Northwind", text="Exports."
    )


@override_settings(TASKS=DATABASE_QUEUE)
def test_re_check_all_with_no_claims_queues_nothing(client_for, workspace, users):
    page = client_for("editor").post("/w/acme/claims/recheck/", follow=True).content.decode()
    assert "There are no claims to check." in page and NEVER not in page
    assert not DBTaskResult.objects.exists()


@override_settings(TASKS=DATABASE_QUEUE)
def test_re_check_all_with_no_worker_says_it_waits_for_one_not_to_reload(
    client_for, workspace, users
):
    a_claim(workspace)
    page = client_for("editor").post("/w/acme/claims/recheck/", follow=True).content.decode()
    assert "Re-checking the claims is queued: it starts when a worker runs." in page
    assert NEVER in page and "reload" not in page
    seen(timedelta(seconds=5))
    page = client_for("editor").post("/w/acme/claims/recheck/", follow=True).content.decode()
    assert "Re-checking the claims in the background; reload this page soon." in page
    assert DBTaskResult.objects.count() == 2


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_mail_server_page_has_a_workers_section_near_the_top(admin_client, settings):
    page = admin_client.get("/server/mail/").content.decode()
    section = re.search(r'<section class="card" id="workers".*?</section>', page, re.S)[0]
    assert '<h2 id="workers-title">Workers</h2>' in section
    assert f"Workers: none seen. {NEVER}" in section
    assert page.index('id="workers"') < page.index("Save</button>")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = admin_client.get("/server/mail/").content.decode()
    assert "restart the server and the workers too (they send the check-in mail)" in page


def test_with_work_inline_the_mail_server_page_speaks_of_no_workers(admin_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = admin_client.get("/server/mail/").content.decode()
    assert 'id="workers"' not in page and "Unset it and restart the server to send" in page
