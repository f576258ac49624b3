"""`truenorth serve` runs gunicorn: a real server process, several workers, on SQLite."""

import contextlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from tests.serving import free_port, log_once_it_holds, wait_until_listening
from truenorth.cli import default_workers, main

ROOT = Path(__file__).resolve().parents[1]


def seed() -> None:
    """Run in a subprocess, against the served database: a workspace and its owner."""
    from truenorth.cli import setup_django

    setup_django()
    from truenorth.workspaces.actions import create_workspace

    create_workspace("Acme", "acme", "ada", "ada@acme.test", "s3cret-pass")


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TRUENORTH_DATA_DIR=str(tmp_path / "var"), HF_HUB_OFFLINE="1")
    env.update(TRUENORTH_SECRET_KEY="a-secret-of-this-test-only-" + "x" * 30)
    seeding = [sys.executable, "-c", "from tests.test_serve import seed; seed()"]
    seeded = subprocess.run(seeding, cwd=ROOT, env=env, capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    wait_until_listening(process, port, log, seconds=60)
    yield port, log
    process.terminate()
    process.wait(timeout=60)  # gunicorn lets a busy worker finish first


def get(port: int, path: str, cookies: str = "", body: str | None = None):
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookies}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request("POST" if body is not None else "GET", path, body=body, headers=headers)
    response = connection.getresponse()
    return response, response.read().decode()


def log_in(port: int) -> str:
    response, page = get(port, "/login/")
    csrf = response.headers["Set-Cookie"].partition(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "ada", "password": "s3cret-pass"}
    response, _ = get(port, "/login/", csrf, urlencode(form))
    assert response.status == 302
    session = [c.partition(";")[0] for c in response.headers.get_all("Set-Cookie")]
    return "; ".join([csrf, *(c for c in session if c.startswith("sessionid="))])


def test_it_serves_pages_from_several_gunicorn_workers_at_once(served):
    port, log = served
    cookies = log_in(port)
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda _: get(port, "/w/acme/", cookies), range(16)))
    assert {response.status for response, _ in pages} == {200}
    assert all("<h1>Acme</h1>" in page for _, page in pages)
    output = log_once_it_holds(log, '"GET /w/acme/ HTTP/1.1" 200')
    assert "Starting gunicorn" in output and output.count("Booting worker") == 2
    assert '"GET /w/acme/ HTTP/1.1" 200' in output  # the access log, on standard output


def test_links_it_emails_start_with_the_address_it_serves_at(served):
    """With no TRUENORTH_SITE_URL, emailed links had pointed at port 8000 whatever --port said;
    the processes that send them now have the address served at."""
    port, log = served
    server = next(int(pid) for pid in os.listdir("/proc") if pid.isdigit() and serves(pid, port))
    environ = Path(f"/proc/{server}/environ").read_bytes().split(b"\0")
    assert f"TRUENORTH_SITE_URL=http://127.0.0.1:{port}".encode() in environ


def test_other_commands_on_its_data_directory_link_to_the_address_it_serves_at(served, tmp_path):
    """`checkin send` and the other commands that email links, run beside the server without
    TRUENORTH_SITE_URL, had linked to port 8000 whatever port it served at."""
    port, _ = served
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRUENORTH_SITE_URL")}
    env.update(TRUENORTH_DATA_DIR=str(tmp_path / "var"), HF_HUB_OFFLINE="1")
    reading = "from django.conf import settings; print(settings.SITE_URL)"
    command = [sys.executable, "-c", f"import django; django.setup(); {reading}"]
    env["DJANGO_SETTINGS_MODULE"] = "truenorth.settings"
    read = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert read.stdout.strip() == f"http://127.0.0.1:{port}", read.stderr
    env["TRUENORTH_SITE_URL"] = "https://truenorth.acme.test"  # one given still wins
    read = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert read.stdout.strip() == "https://truenorth.acme.test", read.stderr


def serves(pid: str, port: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:  # gone meanwhile
        return False
    return b"gunicorn" in b" ".join(command) and f"127.0.0.1:{port}".encode() in command


def test_the_access_log_never_holds_a_password_token(served):
    port, log = served
    token = "cbcdef-0123456789abcdef0123456789abcdef"
    calendar = "Zx9_calendar-feed-token-0123456789abcdefABCDEF"
    response, _ = get(port, f"/calendar/{calendar}.ics")
    assert response.status == 404  # unknown; a known one is logged the same way
    for path in (f"/password/set/MQ/{token}/", f"/password/reset/MQ/{token}/"):
        response, _ = get(port, path)
        assert response.status in (200, 302)
    for line in (
        '"GET /calendar/[redacted].ics HTTP/1.1" 404',
        "GET /password/reset/MQ/[redacted]/",
    ):
        output = log_once_it_holds(log, line)
        assert line in output
    assert token not in output and calendar not in output
    assert '"GET /password/set/MQ/[redacted]/ HTTP/1.1"' in output


def test_serve_says_how_many_workers_it_runs_by_default():
    assert 3 <= default_workers() <= 9
    assert "--workers" in CliRunner().invoke(main, ["serve", "--help"]).output


def test_dev_serves_with_djangos_development_server(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TRUENORTH_DATA_DIR=str(tmp_path / "var"), HF_HUB_OFFLINE="1")
    log = tmp_path / "dev.log"
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--dev", "--port", str(port)]
    with log.open("w") as out:
        # Its own process group: the auto-reloader runs the server in a child process.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        wait_until_listening(process, port, log, seconds=60)
        response, _ = get(port, "/login/")
        assert response.status == 200
        assert "development server" in log.read_text()
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=60)  # gunicorn lets a busy worker finish first


def test_a_request_it_cannot_read_is_answered_400_and_loses_no_worker(served):
    """gunicorn answers such a request itself, with no path for the access log: the log's
    redaction had failed on it, and the worker died without an answer."""
    import socket

    port, log = served
    with socket.create_connection(("127.0.0.1", port), timeout=60) as raw:
        raw.sendall(b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n")
        answer = raw.recv(1024)
    assert answer.startswith(b"HTTP/1.1 400"), answer
    response, _ = get(port, "/login/")
    assert response.status == 200
    output = log.read_text()
    assert "AttributeError" not in output and "exited with code" not in output


def serve_until_announced(env: dict, port: int, on_first_line=None) -> str:
    """`truenorth serve` on `port`, stopped once it says where it is: what it printed.
    `on_first_line` is called as soon as its first line is read."""
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed = []
    for line in process.stdout:
        if not printed and on_first_line:
            on_first_line()
        printed.append(line)
        if "truenorth is at" in line:
            break
    process.terminate()
    process.wait(timeout=60)
    return "".join(printed)


def served_env(tmp_path, key: str = "a-secret-of-this-test-only-") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRUENORTH_SITE_URL")}
    env.update(TRUENORTH_DATA_DIR=str(tmp_path / "var"), HF_HUB_OFFLINE="1")
    env.update(TRUENORTH_SECRET_KEY=key + "x" * 30)
    return env


def test_a_port_in_use_is_refused_before_anything_is_announced_or_kept(tmp_path):
    """It had said "truenorth is at …:8377", kept :8377 as the address of emailed links, and
    only then had gunicorn fail to bind."""
    env = served_env(tmp_path)
    site_url = tmp_path / "var" / "site-url"
    site_url.parent.mkdir()
    site_url.write_text("http://127.0.0.1:8391\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
        refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"Error: Port {port} is already in use: stop what is using it or choose another "
        "with --port.\n"
    )
    assert "truenorth is at" not in refused.stdout
    assert site_url.read_text() == "http://127.0.0.1:8391\n"
    assert not (tmp_path / "var" / "truenorth.sqlite3").exists()  # not even migrated


def applied_migrations(tmp_path) -> int:
    """How many migrations the served database has applied so far (it may be applying more)."""
    database = tmp_path / "var" / "truenorth.sqlite3"
    with contextlib.closing(sqlite3.connect(database, timeout=60)) as connection:
        made = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'")
        if made.fetchone() is None:
            return 0
        return connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0]


def test_it_says_when_it_creates_or_updates_the_database_and_nothing_when_current(tmp_path):
    # Buffered as a service's output is (a pipe, no PYTHONUNBUFFERED): what is not flushed
    # would show only once the database is made.
    env = {k: v for k, v in served_env(tmp_path).items() if k != "PYTHONUNBUFFERED"}
    when_said = []
    first = serve_until_announced(
        env, free_port(), on_first_line=lambda: when_said.append(applied_migrations(tmp_path))
    )
    assert first.startswith(
        "Creating the database (this takes about a minute)…\nDatabase created.\ntruenorth is at"
    )
    # Shown as the minute of migrating starts, not held in a buffer until it ends.
    assert when_said[0] < applied_migrations(tmp_path)
    again = serve_until_announced(env, free_port())
    assert again.startswith("truenorth is at"), again
    # As after an upgrade: the newest migration not applied yet.
    before_newest = sorted(ROOT.glob("truenorth/workspaces/migrations/0*.py"))[-2].stem
    back = "from truenorth.cli import setup_django as s; s(); from django.core.management import "
    back += f"call_command as c; c('migrate', 'workspaces', '{before_newest}', verbosity=0)"
    undone = subprocess.run(
        [sys.executable, "-c", back], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert undone.returncode == 0, undone.stderr
    upgraded = serve_until_announced(env, free_port())
    assert upgraded.startswith("Database updated: 1 change applied.\ntruenorth is at"), upgraded


def test_it_says_once_when_its_secret_key_is_not_the_one_the_data_was_served_with(tmp_path):
    assert "not the secret key" not in serve_until_announced(served_env(tmp_path), free_port())
    other = served_env(tmp_path, key="another-key-of-this-test-")
    said = serve_until_announced(other, free_port())
    assert "This is not the secret key this database was last served with" in said
    assert "TRUENORTH_SECRET_KEY_FILE" in said
    assert "not the secret key" not in serve_until_announced(other, free_port())
