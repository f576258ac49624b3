"""An answer sent while another process holds SQLite's write lock, through a real gunicorn.

The server waits TRUENORTH_SQLITE_TIMEOUT seconds (1 here) for the lock, three times: a lock
held for less than that is waited out and the answers are saved; one held longer gets a page
that says nothing was saved and keeps the answers to send again, never a server error.
"""

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.serving import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {
    "q1": "We close in three days.",
    **{"q2_0": "Close", "q2_1": "Sync", "q2_2": ""},  # one box per priority
    "q3": "Sync",
    "q4": "4",
    "q5": "",
}


def seed() -> None:
    """Run in a subprocess, against the served database: a check-in and one person's link."""
    from datetime import timedelta

    from truenorth.cli import setup_django

    setup_django()
    from django.utils import timezone

    from truenorth.checkins.actions import create_alignment_pulse, hand_out_links
    from truenorth.workspaces.models import Person, Workspace

    workspace = Workspace.objects.create(name="Acme", slug="acme")
    Person.objects.create(workspace=workspace, name="Ada", email="ada@acme.test")
    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Pulse", now - timedelta(days=1), now + timedelta(days=7), anonymous=False
    )
    print(hand_out_links(pulse)[0].token)


@pytest.fixture
def served(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        TRUENORTH_DATA_DIR=str(tmp_path),
        TRUENORTH_SECRET_KEY="a-secret-of-this-test-only-" + "x" * 30,
        TRUENORTH_SQLITE_TIMEOUT="1",
        HF_HUB_OFFLINE="1",
    )
    seeding = [sys.executable, "-c", "from tests.test_answers_when_busy import seed; seed()"]
    seeded = subprocess.run(seeding, cwd=ROOT, env=env, capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr
    port, log = free_port(), tmp_path / "server.log"
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    wait_until_listening(process, port, log, seconds=60)
    yield port, seeded.stdout.split()[-1], tmp_path / "truenorth.sqlite3", log
    process.terminate()
    process.wait(timeout=60)  # gunicorn lets a busy worker finish first


def request(port, method, path, cookies="", form=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request(method, path, body=urlencode(form) if form else None, headers=headers)
    response = connection.getresponse()
    return response, response.read().decode()


def saved(port, cookies, response) -> bool:
    """Whether the answers' post was saved: it sends the browser to the page that says so."""
    if response.status != 302:
        return False
    _, page = request(port, "GET", response.headers["Location"], cookies)
    return "your answers are saved" in page


def opened(port, token) -> tuple[str, str]:
    """The cookies and CSRF token of an opened personal link."""
    response, page = request(port, "GET", "/c/")
    csrf_cookie = response.headers["Set-Cookie"].partition(";")[0]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": csrf, "link": token}
    response, _ = request(port, "POST", "/c/open/", csrf_cookie, form)
    link_cookie = response.headers["Set-Cookie"].partition(";")[0]
    return f"{csrf_cookie}; {link_cookie}", csrf


def hold_write_lock(
    database: Path, seconds: float, until: threading.Event | None = None
) -> threading.Thread:
    """Another writer: takes the write lock, keeps it `seconds` (or until `until` is set, at
    most a minute), lets it go (in a thread)."""
    taken = threading.Event()

    def hold():
        db = sqlite3.connect(database, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        taken.set()
        if until is None:
            time.sleep(seconds)
        else:
            until.wait(timeout=60)
        db.execute("ROLLBACK")
        db.close()

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait()
    return holder


def responses(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM checkins_response").fetchone()[0]


def test_an_answer_waits_out_a_lock_held_longer_than_the_timeout(served):
    port, token, database, log = served
    cookies, csrf = opened(port, token)
    holder = hold_write_lock(database, seconds=2.5)  # 1 s timeout: the third try saves
    response, page = request(port, "POST", "/c/", cookies, {"csrfmiddlewaretoken": csrf, **ANSWERS})
    holder.join()
    assert saved(port, cookies, response)
    assert responses(database) == 1


def test_an_answer_that_cannot_be_saved_is_kept_on_the_page_to_send_again(served):
    port, token, database, log = served
    cookies, csrf = opened(port, token)
    # Held until the answer comes back, however slowly a busy machine serves it: a lock
    # released on a timer could let a late request through and save.
    answered = threading.Event()
    holder = hold_write_lock(database, seconds=0, until=answered)
    response, page = request(port, "POST", "/c/", cookies, {"csrfmiddlewaretoken": csrf, **ANSWERS})
    answered.set()
    holder.join()
    assert response.status == 503
    assert "nothing was saved yet" in page and ANSWERS["q1"] in page
    assert responses(database) == 0
    response, page = request(port, "POST", "/c/", cookies, {"csrfmiddlewaretoken": csrf, **ANSWERS})
    assert saved(port, cookies, response)
    assert responses(database) == 1
    assert "Traceback" not in log.read_text()
