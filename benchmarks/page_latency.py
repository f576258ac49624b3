"""Pages under load: every main page of the large workspace against a trivial page.

`truenorth serve` (gunicorn) runs as a subprocess on the large workspace (`truenorth demo --size
large`, built once into a scratch database and reused while its size matches). 16 clients, each a
thread with its own connection and the owner's session, ask for one page as fast as the server
answers, then for the next page; ten rounds of every page in turn. For each page: requests,
median and 95th-percentile latency, that p95 as a multiple of the trivial page's (the form to
change one's password: 2 KB, no workspace figures), and the database queries one request makes
and the size of its HTML (both read in another process with Django's test client, caches warm).
Before measuring, every page is asked for a few times, so that each worker has imported its code
and the cached figures are computed: they are computed once per change of the data, and what is
measured is reading them.

On SQLite (var/page-latency/), and on PostgreSQL when one answers at TRUENORTH_BENCH_DATABASE_URL
(default: the role `.ci/run` creates, database truenorth_pages, created when missing); otherwise
that leg is skipped and says why.

    .venv/bin/python benchmarks/page_latency.py                 # full size; the first build ~2 min
    .venv/bin/python benchmarks/page_latency.py --scale 0.05    # a quick look
    .venv/bin/python benchmarks/page_latency.py --database sqlite --rebuild
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from evaldata import MACHINE

from truenorth.cli import default_workers

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "var" / "page-latency"
POSTGRES_URL = os.getenv(
    "TRUENORTH_BENCH_DATABASE_URL", "postgres://truenorth:truenorth@127.0.0.1:5432/truenorth_pages"
)
CLIENTS = 16
LIMIT = 3.0  # the bound on a page's p95 over the trivial page's
TRIVIAL = "password form (trivial)"
# `truenorth serve` refuses the development key with debug off; the sessions here are throwaway.
SECRET = "a-secret-of-this-benchmark-only-" + "x" * 30


# --- In a separate process, on the leg's database ---


def describe(scale: float) -> None:
    """Print, as JSON, whether the large workspace is there at `scale`, the owner's login and
    each page's path and query count."""
    from truenorth.cli import setup_django

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from truenorth.demo.content import DEMO_PASSWORD
    from truenorth.demo.large import MAIN_PAGES, OWNER, SLUG, sizes
    from truenorth.workspaces.models import Workspace

    workspace = Workspace.objects.filter(slug=SLUG).first()
    if workspace is None or workspace.people.count() != sizes(scale)["people"]:
        print(json.dumps({"ready": False}))
        return
    checkin = workspace.checkins.get()
    paths = {TRIVIAL: "/password/change/"}
    paths |= {
        name: f"/w/{SLUG}/{path.format(checkin=checkin.pk)}" for name, path in MAIN_PAGES.items()
    }
    client = Client()
    assert client.login(username=OWNER, password=DEMO_PASSWORD)
    queries, kilobytes = {}, {}
    for name, path in paths.items():
        assert client.get(path).status_code == 200, path  # fills the caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries[name], kilobytes[name] = len(captured), len(response.content) / 1000
    login = [OWNER, DEMO_PASSWORD]
    described = {"people": workspace.people.count(), "login": login, "paths": paths}
    print(json.dumps({"ready": True, **described, "queries": queries, "kilobytes": kilobytes}))


# --- Here ---


def leg_env(database: str, scale: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="truenorth.settings", HF_HUB_OFFLINE="1", TRUENORTH_SECRET_KEY=SECRET
    )
    env["TRUENORTH_DATA_DIR"] = str(SCRATCH / f"scale-{scale:g}")  # SQLite: one per scale
    if database == "postgresql":
        env["DATABASE_URL"] = POSTGRES_URL
    return env


def postgres_problem() -> str | None:
    """Why the PostgreSQL leg cannot run, or None; creates the database when missing."""
    import psycopg

    url = urlsplit(POSTGRES_URL)
    name = url.path.lstrip("/")
    server = url._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as db:
            found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return f"{error}".strip().splitlines()[0]
    return None


def run_python(args: list[str], env: dict[str, str], timeout: int) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(env: dict[str, str], scale: float, rebuild: bool) -> dict:
    """The large workspace at `scale`, built when missing or of another size."""
    describe_it = [__file__, "--describe", "--scale", str(scale)]
    info = json.loads(run_python(describe_it, env, 600))
    if rebuild or not info["ready"]:
        print(f"  building the large workspace at scale {scale} …", flush=True)
        build = ["-m", "truenorth.cli", "demo", "--size", "large", "--scale", str(scale)]
        run_python(build, env, 3600)
        info = json.loads(run_python(describe_it, env, 600))
    return info


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            sys.exit(f"truenorth serve stopped:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            if time.monotonic() > deadline:
                process.terminate()
                sys.exit(f"truenorth serve did not answer in 2 minutes:\n{log.read_text()}")
            time.sleep(0.2)


class Session:
    """The owner's login over plain http.client: a session cookie sent with every request."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.partition(";")[0].partition("=")
            self.cookies[name.strip()] = value
        connection.close()
        return response.status, content

    def log_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        form = {"csrfmiddlewaretoken": token.group(1).decode(), "username": username}
        status, _ = self.request("POST", "/login/", urlencode({**form, "password": password}))
        if status != 302:
            sys.exit(f"logging in as {username} failed ({status})")


def timed_gets(session: Session, path: str, count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        status, _ = session.request("GET", path)
        latencies.append(time.perf_counter() - start)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
    return latencies


def load(session: Session, path: str, clients: int, each: int) -> list[float]:
    """`clients` threads asking for the page `each` times, as fast as the server answers."""
    with ThreadPoolExecutor(clients) as pool:
        runs = [pool.submit(timed_gets, session, path, each) for _ in range(clients)]
        return [latency for run in runs for latency in run.result()]


def p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20, method="inclusive")[-1]


def measure_leg(database: str, args) -> None:
    env = leg_env(database, args.scale)
    info = prepare(env, args.scale, args.rebuild)
    port = free_port()
    server = serve(env, port, args.workers, SCRATCH / f"serve-{database}.log")
    try:
        session = Session(port)
        session.log_in(*info["login"])
        for path in info["paths"].values():  # every worker imports its code; caches fill
            load(session, path, args.workers, 2)
        # Rounds of every page in turn, so that whatever else the machine does at some moment
        # weighs on every page alike.
        results: dict[str, list[float]] = {name: [] for name in info["paths"]}
        for _ in range(args.rounds):
            for name, path in info["paths"].items():
                results[name] += load(session, path, CLIENTS, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(database, args, info, results)


def report(database: str, args, info: dict, results: dict[str, list[float]]) -> None:
    trivial = p95(results[TRIVIAL])
    print(
        f"\n{database}: large workspace at scale {args.scale} ({info['people']:,} people), "
        f"{CLIENTS} clients, `truenorth serve --workers {args.workers}` — {date.today()}, {MACHINE}"
    )
    print(
        f"{'page':24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95 / trivial':>14} queries"
        f" {'KB':>6}"
    )
    over = []
    for name, latencies in results.items():
        ratio = p95(latencies) / trivial
        if ratio > LIMIT:
            over.append(name)
        print(
            f"{name:24} {len(latencies):8} {statistics.median(latencies) * 1000:8.0f} "
            f"{p95(latencies) * 1000:8.0f} {ratio:14.2f} {info['queries'][name]:7}"
            f" {info['kilobytes'][name]:6.0f}"
        )
    verdict = f"over {LIMIT:g}×: {', '.join(over)}" if over else f"every page within {LIMIT:g}×"
    print(verdict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the large workspace")
    parser.add_argument("--rounds", type=int, default=10, help="of every page in turn")
    parser.add_argument("--requests", type=int, default=1, help="per client, page and round")
    parser.add_argument("--workers", type=int, default=default_workers(), help="of gunicorn")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rebuild", action="store_true", help="build the workspace anew")
    parser.add_argument("--describe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.describe:
        return describe(args.scale)
    SCRATCH.mkdir(parents=True, exist_ok=True)  # serve makes the data directory
    legs = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for database in legs:
        problem = postgres_problem() if database == "postgresql" else None
        if problem:
            where = urlsplit(POSTGRES_URL)  # not the password
            print(f"\npostgresql: skipped, no server at {where.hostname}:{where.port} ({problem}).")
            print("  Start one as .ci/run does, or point TRUENORTH_BENCH_DATABASE_URL at one.")
            continue
        measure_leg(database, args)


if __name__ == "__main__":
    main()
