"""Background work in a real `truenorth worker` process, taking tasks from the database queue."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.test_claims import PORTAL, claim, roadmap  # noqa: F401 (a fixture)
from truenorth.claims.models import Verdict
from truenorth.cli import main
from truenorth.roadmap.models import Initiative, Status

TRUENORTH = str(Path(sys.executable).with_name("truenorth"))
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def database_url() -> str:
    """The test database, for a process started outside this one."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="a second process cannot share SQLite's test database"
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_what_the_page_queued(workspace, roadmap, client_for):  # noqa: F811
    portal = claim(workspace, PORTAL)
    assert portal.verdict == Verdict.OVER_PROMISE
    # A change the claims have not heard of (saving it on its page re-checks them at once):
    # the re-check the page queues is the worker's to run.
    Initiative.objects.filter(pk=roadmap["portal"].pk).update(status=Status.SHIPPED)

    with override_settings(TASKS=DATABASE_QUEUE):
        response = client_for("editor").post("/w/acme/claims/recheck/", follow=True)
    # No worker has beaten yet: the page says the re-check waits for one.
    assert (
        "Re-checking the claims is queued: it starts when a worker runs."
        in response.content.decode()
    )
    portal.refresh_from_db()
    assert portal.verdict == Verdict.OVER_PROMISE  # queued, not run in the request
    assert DBTaskResult.objects.get().status == "READY"

    env = os.environ | {"DATABASE_URL": database_url(), "TRUENORTH_TASKS_BACKEND": "database"}
    env["TRUENORTH_SECRET_KEY"] = "a-secret-of-this-test-only-" + "w" * 30  # as in production
    done = subprocess.run(
        [TRUENORTH, "worker", "--max-tasks", "1", "--interval", "0.2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    portal.refresh_from_db()
    assert portal.verdict == Verdict.AVAILABLE
    recheck = DBTaskResult.objects.get(task_path__endswith="recheck_claims")
    assert recheck.status == "SUCCESSFUL"
    # The check run told of itself (notifications.events.claims_checked): its delivery is
    # queued for a worker in turn, after the check committed.
    told = DBTaskResult.objects.get(task_path__endswith="deliver_notification")
    assert told.status == "READY"


@pytest.mark.django_db
def test_the_worker_refuses_to_start_when_work_runs_inline():
    result = CliRunner().invoke(main, ["worker", "--max-tasks", "1"])
    assert result.exit_code == 1
    assert "TRUENORTH_TASKS_BACKEND=database" in result.output
