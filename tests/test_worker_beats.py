"""Each `truenorth worker` says it is alive; with the database queue and none seen for a minute,
the pages that show queued work say that nothing will start it, and what to do."""

import os
import sqlite3
import subprocess
import threading
import time
from contextlib import suppress
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.test_dead_ends import invite, pulse
from tests.test_worker import DATABASE_QUEUE, TRUENORTH
from truenorth.claims.models import Claim
from truenorth.work.models import ImportRun
from truenorth.workspaces import workers
from truenorth.workspaces.models import WorkerBeat

NEVER = "No worker has ever run on this server, so nothing queued will start."
SINCE = "No worker has been seen since "
START = "TRUENORTH_TASKS_BACKEND=database truenorth worker"


def test_a_real_worker_process_records_that_it_is_alive(tmp_path):
    """A worker on its own SQLite database, as on a one-machine server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    env |= {"TRUENORTH_DATA_DIR": str(tmp_path), "TRUENORTH_TASKS_BACKEND": "database"}
    env["TRUENORTH_SECRET_KEY"] = "a-secret-of-this-test-only-" + "w" * 30
    process = subprocess.Popen([TRUENORTH, "worker"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        rows = []
        deadline = time.monotonic() + 120  # it creates its database first
        database = tmp_path / "truenorth.sqlite3"  # no table yet: asked again
        while not rows and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.5)
            with suppress(sqlite3.OperationalError), sqlite3.connect(database) as db:
                rows = db.execute("SELECT name FROM workspaces_workerbeat").fetchall()
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert rows == [(workers.this_process().rsplit(":", 1)[0] + f":{process.pid}",)]


@pytest.mark.skipif(
    "FAKETIME" in os.environ,
    reason="a moved clock (CI's third leg) moves the deadline of a timed wait, which the kernel "
    "then waits for by the real clock: the beating thread's Event.wait(0.05) would last weeks",
)
@pytest.mark.django_db(transaction=True)  # the beating thread has a connection of its own
def test_a_worker_beats_from_a_thread_of_its_own_and_forgets_workers_long_gone():
    long_ago = timezone.now() - timedelta(days=30)
    WorkerBeat.objects.create(name="gone:1", started_at=long_ago, last_seen=long_ago)
    stopped = threading.Event()
    thread = workers.keep_beating("here:2", every=0.05, stopped=stopped)
    try:
        first = WorkerBeat.objects.get(name="here:2").last_seen  # written before it returns
        deadline = time.monotonic() + 10
        while WorkerBeat.objects.get(name="here:2").last_seen == first:
            assert time.monotonic() < deadline, "no second beat"
            time.sleep(0.05)
    finally:
        stopped.set()
        thread.join(5)
    assert list(WorkerBeat.objects.values_list("name", flat=True)) == ["here:2"]
    assert workers.seen_lately() == 1


@pytest.mark.django_db
def test_the_newest_worker_is_remembered_however_old():
    long_ago = timezone.now() - timedelta(days=30)
    for name, days in (("older:1", 40), ("old:2", 30)):
        seen = timezone.now() - timedelta(days=days)
        WorkerBeat.objects.create(name=name, started_at=long_ago, last_seen=seen)
    workers.forget_old()
    assert list(WorkerBeat.objects.values_list("name", flat=True)) == ["old:2"]


def seen(ago: timedelta) -> None:
    at = timezone.now() - ago
    WorkerBeat.objects.create(
        name=f"host:{WorkerBeat.objects.count()}", started_at=at, last_seen=at
    )


def queued_analysis_page(client_for, workspace) -> tuple[str, str]:
    checkin = pulse(workspace, closed=True)
    invite(checkin, "member@acme.test")
    with override_settings(TASKS=DATABASE_QUEUE):
        url = f"/w/acme/checkins/{checkin.pk}/"
        client_for("editor").post(f"{url}analyze/")
        page = client_for("editor").get(url).content.decode()
        twin = client_for("viewer").get(f"{url}report.json").json()["error"]
    return page, twin


def test_a_queued_analysis_with_no_worker_ever_says_nothing_will_start_it(
    client_for, users, workspace
):
    page, twin = queued_analysis_page(client_for, workspace)
    assert 'id="no-worker"' in page and NEVER in page
    assert f"<code>{START}</code> (docs/deploy.md, Workers)" in page
    assert "it starts when a worker runs" in page and "as soon as a worker is free" not in page
    assert twin.endswith(
        f"{NEVER} An administrator starts one with `{START}` (docs/deploy.md, Workers)."
    )


def test_a_queued_analysis_says_since_when_no_worker_was_seen(client_for, users, workspace):
    seen(timedelta(minutes=5))
    seen(timedelta(minutes=90))
    last = WorkerBeat.objects.order_by("-last_seen").first().last_seen
    page, twin = queued_analysis_page(client_for, workspace)
    assert f"{SINCE}{workers.moment(last)}, so nothing queued will start" in twin
    assert SINCE in page and NEVER not in page


def test_a_queued_analysis_with_a_worker_alive_says_it_starts_soon(client_for, users, workspace):
    seen(timedelta(seconds=20))
    page, twin = queued_analysis_page(client_for, workspace)
    assert "as soon as a worker is free" in page and 'id="no-worker"' not in page
    assert "worker has" not in twin.replace("when a worker has done it", "")


def test_inline_work_never_speaks_of_workers(db):
    assert workers.none_running() == "" and workers.state() is None


def test_a_queued_import_with_no_worker_says_so_on_its_page_and_twin(workspace, users, client_for):
    run = ImportRun.objects.create(workspace=workspace, file_name="next.csv")
    with override_settings(TASKS=DATABASE_QUEUE):
        page = client_for("editor").get(f"/w/acme/work/import/{run.pk}/").content.decode()
        body = client_for("editor").get(f"/w/acme/work/import/{run.pk}.json").json()
        seen(timedelta(seconds=5))
        alive = client_for("editor").get(f"/w/acme/work/import/{run.pk}.json").json()
    assert "Waiting for a worker" in page and NEVER in page
    assert body["no_worker"].startswith(NEVER) and alive["no_worker"] is None


def test_a_queued_claims_recheck_with_no_worker_says_so(workspace, users, client_for):
    Claim.objects.create(workspace=workspace, said_on=date(2026, 11, 2), account="A", text="B")
    with override_settings(TASKS=DATABASE_QUEUE):
        page = client_for("editor").post("/w/acme/claims/recheck/", follow=True).content.decode()
    assert "Re-checking the claims is queued" in page and NEVER in page


def test_an_administrator_sees_the_workers_beside_the_mail_server(admin_client):
    with override_settings(TASKS=DATABASE_QUEUE):
        none = admin_client.get("/server/mail/").content.decode()
        seen(timedelta(seconds=10))
        seen(timedelta(seconds=40))
        seen(timedelta(minutes=3))
        two = admin_client.get("/server/mail/").content.decode()
        body = admin_client.get("/server/mail.json").json()["workers"]
    assert f"Workers: none seen. {NEVER}" in none
    assert "Workers: 2 seen in the last minute" in two
    assert body["seen_in_last_minute"] == 2 and body["last_seen"]
    assert 'id="workers"' not in admin_client.get("/server/mail/").content.decode()  # inline
    assert admin_client.get("/server/mail.json").json()["workers"] is None
