"""The emailed personal link opened in Chromium against a real `truenorth serve` process: the
answers are saved, and neither the server's access log nor the database ever holds the token.

The live_server fixture runs in this process and logs no requests, so this test serves the app
as people run it, on its own SQLite database in a temporary folder.
"""

import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.serving import free_port, wait_until_listening

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SECRET = "answer-link-log-test-secret"


def seed() -> None:
    """Run in a subprocess, against the served database: one person invited to an open pulse.
    Prints the invitation email's body."""
    from truenorth.cli import setup_django

    setup_django()
    from datetime import timedelta

    from django.utils import timezone

    from truenorth.checkins.actions import create_alignment_pulse, invitation_email, issue_links
    from truenorth.workspaces.models import Function, Person, Workspace

    workspace = Workspace.objects.create(name="Acme", slug="acme")
    Person.objects.create(
        workspace=workspace, name="Ada", email="ada@acme.test", function=Function.ENGINEERING
    )
    now = timezone.now()
    pulse = create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7)
    )
    [link] = issue_links(pulse)
    print(invitation_email(pulse, link, reminder=False).body)


@dataclass
class Served:
    url: str
    email: str
    log: Path
    data_dir: Path
    process: subprocess.Popen

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)  # gunicorn lets a busy worker finish first
        return self.log.read_text()


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="truenorth.settings",
        TRUENORTH_DATA_DIR=str(tmp_path / "var"),
        TRUENORTH_SECRET_KEY=SECRET,
        TRUENORTH_SITE_URL=f"http://127.0.0.1:{port}",
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    seeded = subprocess.run(
        [sys.executable, "-c", "from tests.browser.test_answer_link_log import seed; seed()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    log = tmp_path / "server.log"
    with log.open("w") as out:
        # Two workers, not one per core: each imports the whole app as it boots, and on a busy
        # machine five booting at once starve the one answering the test.
        command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
        command += ["--workers", "2"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    served = Served(f"http://127.0.0.1:{port}", seeded.stdout, log, tmp_path / "var", process)
    wait_until_listening(process, port, log, seconds=120)
    yield served
    served.stop()


def test_the_emailed_link_saves_answers_and_no_log_holds_its_token(served, page):
    link = re.search(r"(http://\S+/c/)#(\S+)", served.email)
    assert link, served.email
    token = link.group(2)
    secret = token.partition(".")[2]
    assert len(secret) >= 32

    page.set_default_timeout(90_000)  # a real server in its own process, on a machine maybe busy
    page.goto(f"{link.group(1)}#{token}")
    page.wait_for_selector("#id_q1")  # the script posted the token; the cookie opened the form
    assert page.url == f"{served.url}/c/"  # the token is gone from the address bar
    page.fill("#id_q1", "Finance teams close their books in three days.")
    page.fill("#id_q2_0", "Faster close")  # a box for each priority
    page.fill("#id_q2_1", "Fewer manual touches")
    page.fill("#id_q3", "Sync reliability makes the close fast.")
    page.check("input[name=q4][value='4']")
    page.click("text=Save my answers")
    expect(page.locator("main")).to_contain_text("your answers are saved")

    page.goto(f"{served.url}/c/")  # back later: prefilled, and a change replaces the answer
    assert page.input_value("#id_q1") == "Finance teams close their books in three days."
    assert "You have answered already" in page.locator("main").inner_text()
    page.fill("#id_q1", "Close the books in a day.")
    page.click("text=Save my answers")
    expect(page.locator("main")).to_contain_text("your answers are saved")

    log = served.stop()
    assert '"POST /c/open/ HTTP/1.1" 302' in log  # the log is the server's access log
    # Saved, the browser is sent to the page that says so; and no line of a personal link's
    # page gives its size, which would match the visit to an answer of that length.
    assert '"POST /c/ HTTP/1.1" 302' in log and '"GET /c/?saved=1 HTTP/1.1" 200' in log
    answer_lines = [line for line in log.splitlines() if " /c/" in line and '"' in line]
    assert answer_lines and all(re.search(r'HTTP/1\.1" \d{3} - ', line) for line in answer_lines)
    assert token not in log and secret not in log

    database = served.data_dir / "truenorth.sqlite3"
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT a.text FROM checkins_answer a JOIN checkins_question q ON q.id = a.question_id"
            " WHERE q.position = 1"
        ).fetchall()
    assert rows == [("Close the books in a day.",)]
    for stored in served.data_dir.glob("truenorth.sqlite3*"):
        assert secret.encode() not in stored.read_bytes()
