"""/api/v1/ fuzzed against its own schema: schemathesis drives a real `truenorth serve` (gunicorn)
on loopback, with a token of each role, over every operation the schema holds. No answer may be
a server error or differ from what the schema documents (its status, content type and body)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from tests.serving import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[1]
ST = str(Path(sys.executable).with_name("st"))
CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
    ]
)
# (role, scope): the editor's token may write; the others read, as most integrations do.
TOKENS = [
    ("owner", "read"),
    ("editor", "write"),
    ("member", "read"),
    ("viewer", "read"),
    ("partner", "read"),
]
EXAMPLES = 5  # generated inputs per operation and token, besides the schema's boundary values
BUDGET_S = 30  # each token's run stops there (st --max-time), so the test stays near 3 minutes


def seed() -> None:
    """Run in a subprocess, against the served database: the demo, and a token a role, printed
    as JSON."""
    from truenorth.cli import setup_django

    setup_django()
    from truenorth.api.models import ApiToken
    from truenorth.demo.build import build_demo
    from truenorth.notifications.events import held
    from truenorth.workspaces.models import Membership

    with held():
        workspace = build_demo(fresh=True)
    tokens = {"slug": workspace.slug}
    for role, scope in TOKENS:
        user = Membership.objects.filter(workspace=workspace, role=role).first().user
        tokens[role] = ApiToken.issue(user, "fuzzing", scope)[1]
    print(json.dumps(tokens))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    where = tmp_path_factory.mktemp("fuzz")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TRUENORTH_DATA_DIR=str(where / "var"), HF_HUB_OFFLINE="1")
    env.update(TRUENORTH_SECRET_KEY="a-secret-of-this-test-only-" + "f" * 30)
    env.update(TRUENORTH_API_RATE_PER_MINUTE="1000000")  # the limit is tested elsewhere
    # Mail is taken, as on a server with a mail server: a 503 for none is tested elsewhere, and
    # the fuzzer counts any 5xx as a failure.
    env.update(TRUENORTH_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    seeding = [sys.executable, "-c", "from tests.test_api_fuzz import seed; seed()"]
    seeded = subprocess.run(seeding, cwd=ROOT, env=env, capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr
    tokens = json.loads(seeded.stdout.strip().splitlines()[-1])
    log = where / "server.log"
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    wait_until_listening(process, port, log, seconds=60)
    # Read once here, with time for a busy machine; schemathesis then reads the file.
    with urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=120) as answer:
        schema = where / "openapi.json"
        schema.write_bytes(answer.read())
    yield port, tokens, log, schema
    process.terminate()
    process.wait(timeout=60)


@pytest.mark.parametrize(("role", "scope"), TOKENS)
def test_every_operation_answers_as_its_schema_says(served, role, scope, tmp_path):
    port, tokens, log, schema = served
    command = [
        ST,
        "run",
        str(schema),
        "--url",
        f"http://127.0.0.1:{port}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--phases",
        "coverage,fuzzing",
        "--max-time",
        str(BUDGET_S),
        "--seed",
        "16",
        # One worker: with two threads, Python 3.11's ast.parse (which hypothesis calls to
        # describe a filter) can fail with "AST constructor recursion depth mismatch", a crash
        # of the fuzzer, not an answer of the API.
        "--workers",
        "1",
        "--no-shrink",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--header",
        f"Authorization: Bearer {tokens[role]}",
        "--no-color",
    ]
    if scope == "read":
        command += ["--include-method", "GET"]
    # Every request names the demo's workspace, so the inputs reach its data rather than
    # stopping at "no such workspace"; ids and the rest are still generated.
    (tmp_path / "schemathesis.toml").write_text(f'[parameters]\n"path.slug" = "{tokens["slug"]}"\n')
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    report = done.stdout + done.stderr
    (tmp_path.parent / f"fuzz-{role}.txt").write_text(report)
    assert done.returncode == 0, (
        f"{role}'s token:\n{report}\n\nserver log:\n{log.read_text()[-3000:]}"
    )
    assert "No issues found" in report or "passed" in report, report


def test_an_address_too_long_for_the_web_server_is_answered_as_documented(served):
    """gunicorn answers 414 before the API sees the request (the fuzzer found one with 7 KB of
    query string), so every operation documents it as the web server's HTML."""
    port, tokens, log, schema = served
    for operations in json.loads(schema.read_text())["paths"].values():
        for operation in operations.values():
            assert "text/html" in operation["responses"]["414"]["content"]
    address = f"http://127.0.0.1:{port}/api/v1/workspaces/{tokens['slug']}/initiatives"
    too_long = Request(f"{address}?per_page={'9' * 5000}")
    too_long.add_header("Authorization", f"Bearer {tokens['member']}")
    with pytest.raises(HTTPError) as answer:
        urlopen(too_long, timeout=30)
    assert answer.value.code == 414
