"""A hardened deployment: `check --deploy` is clean with docs/deploy.md's variables, secrets come
from files, no server starts on the development key, and a server error leaves its traceback in
the log file with no password token in it. Each runs real processes, as an operator would."""

import logging
import os
import re
import sqlite3
import subprocess
import sys
from http.client import HTTPConnection
from pathlib import Path

import pytest

from tests.serving import free_port, wait_until_listening
from truenorth.serving import LogFileHandler

ROOT = Path(__file__).resolve().parents[1]
DJANGO_ADMIN = str(Path(sys.executable).with_name("django-admin"))
A_KEY = "a-secret-of-this-test-only-" + "k" * 30


def documented_production_env() -> dict[str, str]:
    """The example environment file in docs/deploy.md, as KEY=VALUE pairs."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    block = text.split("# /etc/truenorth/env\n", 1)[1].split("```", 1)[0]
    return dict(line.split("=", 1) for line in block.splitlines() if "=" in line)


def clean_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """This process's environment without any truenorth, Django or database variable (the
    browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in it), plus these."""
    ours = ("TRUENORTH_", "DATABASE_URL", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(DJANGO_SETTINGS_MODULE="truenorth.settings", HF_HUB_OFFLINE="1")
    env.update(TRUENORTH_DATA_DIR=str(tmp_path / "var"), **variables)
    return env


def with_secret_files(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """Each *_FILE variable pointed at a file of this test holding a made-up secret."""
    secrets = {
        "TRUENORTH_SECRET_KEY_FILE": A_KEY,
        "DATABASE_URL_FILE": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TRUENORTH_EMAIL_PASSWORD_FILE": "mail-password",
    }
    for name, secret in secrets.items():
        if name in env:
            path = tmp_path / name.lower()
            path.write_text(secret + "\n")
            env[name] = str(path)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [DJANGO_ADMIN, "check", "--deploy"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    documented = documented_production_env()
    assert documented["TRUENORTH_SITE_URL"].startswith("https://")
    env = with_secret_files(clean_env(tmp_path) | documented, tmp_path)
    env["TRUENORTH_DATA_DIR"] = str(tmp_path / "var")
    checked = check_deploy(env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "System check identified no issues (1 silenced).\n"
    assert checked.stderr == ""


def test_check_deploy_names_what_a_bare_setup_lacks(tmp_path):
    checked = check_deploy(clean_env(tmp_path))
    assert checked.returncode == 1
    for problem in ("truenorth.E001", "W004", "W008", "W012", "W016"):
        assert problem in checked.stderr


def settings_seen(env: dict[str, str]) -> subprocess.CompletedProcess:
    show = (
        "from django.conf import settings as s; "
        "print(s.SECRET_KEY, s.DATABASES['default']['NAME'], s.EMAIL_HOST_PASSWORD)"
    )
    command = [sys.executable, "-c", show]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_secrets_are_read_from_files(tmp_path):
    names = ["TRUENORTH_SECRET_KEY_FILE", "DATABASE_URL_FILE", "TRUENORTH_EMAIL_PASSWORD_FILE"]
    env = with_secret_files(clean_env(tmp_path, **dict.fromkeys(names, "")), tmp_path)
    seen = settings_seen(env)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.split() == [A_KEY, str(tmp_path / "db.sqlite3"), "mail-password"]


def test_a_secret_set_twice_or_unreadable_is_refused_by_name(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(A_KEY)
    twice = clean_env(tmp_path, TRUENORTH_SECRET_KEY=A_KEY, TRUENORTH_SECRET_KEY_FILE=str(key_file))
    assert "set TRUENORTH_SECRET_KEY or TRUENORTH_SECRET_KEY_FILE, not both" in (
        settings_seen(twice).stderr
    )
    missing = clean_env(tmp_path, DATABASE_URL_FILE=str(tmp_path / "nowhere"))
    assert f"DATABASE_URL_FILE: cannot read {tmp_path / 'nowhere'}" in settings_seen(missing).stderr


def assert_refused_without_a_traceback(output: str) -> None:
    assert "does not serve with its built-in development secret key" in output
    assert "secrets.token_urlsafe(50)" in output and "TRUENORTH_SECRET_KEY_FILE" in output
    assert "Traceback" not in output


def test_serve_and_worker_refuse_the_development_key_when_debug_is_off(tmp_path):
    env = clean_env(tmp_path, TRUENORTH_TASKS_BACKEND="database")
    for command in (["serve", "--port", str(free_port())], ["worker", "--max-tasks", "1"]):
        refused = subprocess.run(
            [sys.executable, "-m", "truenorth.cli", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode == 1, command
        assert_refused_without_a_traceback(refused.stderr)


def test_gunicorn_stops_on_the_development_key_instead_of_retrying(tmp_path):
    command = [sys.executable, "-m", "gunicorn", "truenorth.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{free_port()}", "--workers", "1", "--no-control-socket"]
    refused = subprocess.run(
        command, cwd=ROOT, env=clean_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0
    assert "Worker failed to boot" in refused.stderr
    assert_refused_without_a_traceback(refused.stderr)


def test_debug_on_may_use_the_development_key(tmp_path):
    env = clean_env(tmp_path, TRUENORTH_DEBUG="true")
    show = "from truenorth.startup import development_key_problem as p; print(p())"
    seen = subprocess.run(
        [sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert seen.stdout == "None\n", seen.stderr


def seed() -> None:
    """Run in a subprocess, against the served database: one login to set a password for."""
    from truenorth.cli import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("ada", "ada@acme.test")


def serve(env: dict[str, str], output: Path):
    """`truenorth serve` with one worker, after seeding its database; (port, process)."""
    port = free_port()
    seeding = [sys.executable, "-c", "from tests.test_deployment import seed; seed()"]
    seeded = subprocess.run(seeding, cwd=ROOT, env=env, capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
    with output.open("w") as out:
        process = subprocess.Popen(
            [*command, "--workers", "1"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    wait_until_listening(process, port, output, seconds=60)
    return port, process


@pytest.fixture
def served(tmp_path):
    """`truenorth serve` with debug off, on SQLite in a data directory of this test."""
    env = clean_env(tmp_path, TRUENORTH_SECRET_KEY=A_KEY, PYTHONUNBUFFERED="1")
    output = tmp_path / "server.log"
    port, process = serve(env, output)
    yield port, tmp_path / "var", output
    process.terminate()
    process.wait(timeout=60)  # gunicorn lets a busy worker finish first


def test_with_the_documented_variables_the_server_speaks_only_https(tmp_path):
    env = with_secret_files(clean_env(tmp_path) | documented_production_env(), tmp_path)
    env.update(TRUENORTH_DATA_DIR=str(tmp_path / "var"), TRUENORTH_TASKS_BACKEND="inline")
    port, process = serve(env, tmp_path / "server.log")
    try:
        host = {"Host": "truenorth.example.com"}
        plain = request(port, "/login/", host)
        assert plain.status == 301
        assert plain.headers["Location"] == "https://truenorth.example.com/login/"
        # Through the proxy, which says the request came over HTTPS.
        secure = request(port, "/login/", host | {"X-Forwarded-Proto": "https"})
        assert secure.status == 200
        hsts = "max-age=31536000; includeSubDomains; preload"
        assert secure.headers["Strict-Transport-Security"] == hsts
        assert "; Secure" in secure.headers["Set-Cookie"]  # the CSRF cookie
        assert request(port, "/login/", {"Host": "elsewhere.test"}).status == 400
    finally:
        process.terminate()
        process.wait(timeout=60)  # gunicorn lets a busy worker finish first


def request(port: int, path: str, headers: dict[str, str]):
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    return response


def test_an_empty_server_prints_the_link_that_chooses_its_administrator(served, tmp_path):
    port, data_dir, server_output = served
    printed = re.search(
        r"No administrator yet: open (\S+) to choose one", server_output.read_text()
    )
    assert printed, server_output.read_text()
    link = printed.group(1)
    assert link.startswith(f"http://127.0.0.1:{port}/setup/#")
    assert request(port, "/setup/", {}).status == 200
    # Another process of the same server (the command line) agrees on the key.
    env = clean_env(
        tmp_path, TRUENORTH_SECRET_KEY=A_KEY, TRUENORTH_SITE_URL=f"http://127.0.0.1:{port}"
    )
    again = subprocess.run(
        [sys.executable, "-m", "truenorth.cli", "user", "setup-link"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.stdout.strip() == link, again.stderr


def test_a_server_error_leaves_its_traceback_in_the_log_file_without_the_token(served):
    port, data_dir, server_output = served
    # A real fault: the logins' table is gone, so the password page cannot find its login.
    with sqlite3.connect(data_dir / "truenorth.sqlite3") as database:
        database.execute("DROP TABLE auth_user")
    token = "cf3k2q-8d1e5b7a9c0f2e4d6b8a1c3e5f7d9b0a"
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", f"/password/set/MQ/{token}/")
    response = connection.getresponse()
    assert response.status == 500
    assert token not in response.read().decode()  # no debug page either

    log_file = data_dir / "logs" / "truenorth.log"
    logged = log_file.read_text()
    assert re.search(r"ERROR django\.request \[\d+\] Internal Server Error: ", logged)
    assert "/password/set/MQ/[redacted]/" in logged
    assert "Traceback (most recent call last)" in logged
    assert "no such table: auth_user" in logged
    assert token not in logged
    # The same lines on standard error, next to gunicorn's access log: no token there either.
    printed = server_output.read_text()
    assert "no such table: auth_user" in printed and "[redacted]" in printed
    assert token not in printed


def test_a_log_file_and_its_folder_are_the_owners_alone(tmp_path):
    """A log names logins and addresses: it is made 0600 in a 0700 folder whatever the umask,
    as the database and backups are."""
    was = os.umask(0o022)
    try:
        handler = LogFileHandler(str(tmp_path / "logs" / "truenorth.log"))
        handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "a line", None, None))
        handler.close()
    finally:
        os.umask(was)
    assert (tmp_path / "logs").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "logs" / "truenorth.log").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "logs" / "truenorth.log").read_text() == "a line\n"
