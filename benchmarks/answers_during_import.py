"""Check-in answers sent while a 50,000-row re-import of work items saves, on SQLite.

Everything is real and runs in its own process: `truenorth serve` (gunicorn, sync workers) on a
fresh SQLite database in a temporary directory, the re-import in a second process, and the
answers as plain HTTP posts to the personal-link answer page (/c/), each with its own link.

1. Setup: a workspace with `--answers` people, two attributed check-ins (a link for each person
   in each), and `--rows` Jira work items imported once; a tracker mapping (a label to a goal)
   gives the re-import's mapping step work to do.
2. Baseline: every person answers the first check-in at once, with nothing else running.
3. During the re-import: the same file again with 5 % of the statuses changed, in another
   process. The moment it has checked every row and starts saving (its one write transaction),
   every person answers the second check-in at once.

It prints the re-import's time and that of its saving step, each phase's answers saved,
errors and latencies, the longest wait for SQLite's write lock that a probe (another writer,
taking and releasing the lock every 10 ms) saw in each phase, which during the import is how
long the import's write transaction held the lock, and the ratio of the answers' latencies
during the import to the baseline's. The answers saved are counted in the database afterwards; the run fails unless every
answer was saved and none got an error.

    .venv/bin/python benchmarks/answers_during_import.py                 # 50,000 rows, 100 answers
    .venv/bin/python benchmarks/answers_during_import.py --rows 5000 --answers 30 --json
"""

import argparse
import json
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
STATUSES = ["Backlog", "To Do", "In Progress", "In Review", "Done"]
PROJECTS = ["PLA", "PAY", "MOB", "DAT"]
LABELS = ["backend", "frontend", "erp", "q4", "customer", "debt"]
HEADER = ["Summary", "Issue key", "Issue Type", "Status", "Project key", "Created", "Labels",
          "Labels", "Custom field (Epic Link)", "Custom field (Story Points)"]  # fmt: skip
ANSWERS = {
    "q1": "Finance teams close their books in three days.",
    "q2": "1. Faster close 2. Fewer manual touches",
    "q3": "Sync reliability is what makes the close fast.",
    "q4": "4",
    "q5": "",
}
SECRET = "a-secret-of-this-benchmark-only-" + "x" * 30


def environment(data_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        TRUENORTH_DATA_DIR=data_dir,
        TRUENORTH_SECRET_KEY=SECRET,
        HF_HUB_OFFLINE="1",
        DJANGO_SETTINGS_MODULE="truenorth.settings",
    )
    return env


def setup_django(data_dir: str) -> None:
    os.environ.update(environment(data_dir))
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    from truenorth.cli import setup_django as setup

    setup()


# --- The data ---


def jira_csv(rows: int, seed: int) -> str:
    """A Jira export of `rows` items; another seed changes about 5 % of the statuses."""
    import csv
    import io

    shape, change = random.Random(0), random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n in range(1, rows + 1):
        status = shape.choice(STATUSES)
        if seed and change.random() < 0.05:
            status = "Done" if status != "Done" else "In Progress"
        project = PROJECTS[n % len(PROJECTS)]
        created = date(2025, 1, 1) + timedelta(days=shape.randint(0, 600))
        labels = shape.sample(LABELS, 2)
        writer.writerow([
            f"Item {n}: make the {labels[0]} part of {project} faster", f"{project}-{n}",
            shape.choice(["Story", "Bug", "Task"]), status, project,
            f"{created.day}/{created:%b}/{created:%y} 4:05 PM", labels[0], labels[1],
            f"{project}-{n - n % 50 + 1}" if n % 50 else "", shape.choice(["1", "2", "3", "5", ""]),
        ])  # fmt: skip
    return out.getvalue()


def prepare(data_dir: str, rows: int, people: int) -> dict:
    """The workspace, its check-ins with a link per person, and the first import; returns the
    links and the path of the file to re-import."""
    import io

    from django.db import connections
    from django.utils import timezone

    from truenorth.checkins.actions import create_alignment_pulse, hand_out_links
    from truenorth.strategy.models import Goal
    from truenorth.work.actions import add_mapping
    from truenorth.work.imports import import_work_items
    from truenorth.workspaces.models import Function, Person, Workspace

    workspace = Workspace.objects.create(name="Acme", slug="acme")
    Person.objects.bulk_create(
        Person(workspace=workspace, name=f"Person {n}", email=f"p{n}@acme.test",
               function=Function.ENGINEERING)
        for n in range(people)
    )  # fmt: skip
    goal = Goal.objects.create(workspace=workspace, title="Close in three days", rank=1)
    add_mapping(workspace, "label", "erp", goal)
    now = timezone.now()
    links = {}
    for phase in ("baseline", "during import"):
        pulse = create_alignment_pulse(
            workspace, phase, now - timedelta(days=1), now + timedelta(days=7), anonymous=False
        )
        links[phase] = (pulse.pk, [link.token for link in hand_out_links(pulse)])
    import_work_items(workspace, io.StringIO(jira_csv(rows, seed=0)), file_format="jira-csv")
    again = Path(data_dir) / "again.csv"
    again.write_text(jira_csv(rows, seed=1), encoding="utf-8")
    connections.close_all()
    return {"links": links, "again": str(again)}


def counted(pulse_id: int) -> tuple[int, int]:
    """(responses, answers) the database holds for a check-in."""
    from truenorth.checkins.models import Answer, Response

    return (
        Response.objects.filter(checkin_id=pulse_id).count(),
        Answer.objects.filter(response__checkin_id=pulse_id).count(),
    )


# --- The re-import, in its own process ---


def reimport(path: str) -> None:
    """Import the file again; say 'saving' when the rows are checked, then a JSON summary."""
    from truenorth.work.imports import import_work_items
    from truenorth.workspaces.models import Workspace

    marks = {}

    def progress(done: int, total: int) -> None:
        if done == total:
            marks["saving"] = time.perf_counter()
            print("saving", flush=True)

    started = time.perf_counter()
    with open(path, encoding="utf-8") as stream:
        result = import_work_items(
            Workspace.objects.get(slug="acme"), stream, file_format="jira-csv", progress=progress
        )
    ended = time.perf_counter()
    summary = {
        "import_s": ended - started,
        "saving_s": ended - marks["saving"],
        "updated": result.updated,
        "changes": result.changes,
    }
    print(json.dumps(summary), flush=True)


# --- The server and its clients ---


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "truenorth.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text()}") from None
            time.sleep(0.2)


def request(port: int, method: str, path: str, cookies: str = "", form: dict | None = None):
    connection = HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Cookie": cookies}
    body = urlencode(form) if form is not None else None
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response, response.read().decode()


def cookie(response, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return header.partition(";")[0]
    raise AssertionError(f"no {name} cookie")


def open_link(port: int, token: str) -> tuple[str, str]:
    """Open a personal link as its page's script does; the cookies and CSRF token to answer."""
    response, page = request(port, "GET", "/c/")
    csrf_cookie = cookie(response, "csrftoken")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": csrf, "link": token}
    response, _ = request(port, "POST", "/c/open/", csrf_cookie, form)
    assert response.status == 302, response.status
    return f"{csrf_cookie}; {cookie(response, 'checkin_link')}", csrf


SAVED_PAGE = "/c/?saved=1"  # where a save sends the browser, which shows that it is saved


def answer(port: int, opened: tuple[str, str]) -> tuple[int, float, bool]:
    """Post the answers; (HTTP status, seconds, whether they were saved: the post is sent on to
    the page that says so, which is not timed, as a browser's next request is not the save)."""
    cookies, csrf = opened
    started = time.perf_counter()
    response, _ = request(port, "POST", "/c/", cookies, {"csrfmiddlewaretoken": csrf, **ANSWERS})
    took = time.perf_counter() - started
    if response.status != 302 or response.headers["Location"] != SAVED_PAGE:
        return response.status, took, False
    _, page = request(port, "GET", SAVED_PAGE, cookies)
    return response.status, took, "your answers are saved" in page


def answer_all(port: int, opened: list) -> list[tuple[int, float, bool]]:
    """Everyone at once: one thread per person, released together."""
    with ThreadPoolExecutor(len(opened)) as pool:
        return list(pool.map(lambda o: answer(port, o), opened))


def summary(results: list, pulse_id: int) -> dict:
    seconds = sorted(s for _, s, _ in results)
    responses, answers = counted(pulse_id)
    return {
        "sent": len(results),
        "saved_per_page": sum(ok for *_, ok in results),
        "errors": sum(not saved for *_, saved in results),
        "statuses": sorted({status for status, *_ in results}),
        "responses_saved": responses,
        "answers_saved": answers,
        "p50_s": statistics.median(seconds),
        "p95_s": seconds[max(0, round(0.95 * len(seconds)) - 1)],
        "max_s": seconds[-1],
    }


class LockProbe:
    """Another writer: takes SQLite's write lock and lets it go, again and again, noting the
    longest wait. While the import runs, that is how long its write transaction held the lock."""

    def __init__(self, database: Path):
        self.database, self.longest, self.stop = database, 0.0, threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self) -> None:
        db = sqlite3.connect(self.database, timeout=120, isolation_level=None)
        while not self.stop.is_set():
            started = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
            self.longest = max(self.longest, time.perf_counter() - started)
            time.sleep(0.01)
        db.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


# --- The run ---


def run(rows: int, people: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        env = environment(data_dir)
        started = time.perf_counter()
        setup = prepare(data_dir, rows, people)
        setup_s = time.perf_counter() - started
        log = Path(data_dir) / "server.log"
        server, port = serve(env, workers, log)
        try:
            opened = {
                phase: (pulse, [open_link(port, token) for token in tokens])
                for phase, (pulse, tokens) in setup["links"].items()
            }
            database = Path(data_dir) / "truenorth.sqlite3"
            pulse, links = opened["baseline"]
            with LockProbe(database) as probe:
                report = {"baseline": summary(answer_all(port, links), pulse)}
            report["baseline"]["longest_lock_wait_s"] = probe.longest
            with LockProbe(database) as probe:
                importer = subprocess.Popen(
                    [sys.executable, __file__, "--reimport", setup["again"]],
                    cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                )  # fmt: skip
                assert importer.stdout.readline().strip() == "saving", "the import stopped early"
                pulse, links = opened["during import"]
                during = answer_all(port, links)
                imported = json.loads(importer.stdout.read())
                assert importer.wait() == 0, "the re-import failed"
            report["during import"] = summary(during, pulse)
            report["during import"]["longest_lock_wait_s"] = probe.longest
        finally:
            server.terminate()
            server.wait(timeout=30)
        report["import"] = imported
        report["setup_s"] = setup_s
        report["server_errors_logged"] = log.read_text().count("Traceback")
    baseline, loaded = report["baseline"], report["during import"]
    report["p50_ratio"] = loaded["p50_s"] / baseline["p50_s"]
    report["p95_ratio"] = loaded["p95_s"] / baseline["p95_s"]
    return report


def print_report(report: dict, rows: int, workers: int) -> None:
    from evaldata import MACHINE  # noqa: PLC0415 (only for the printed report)

    imported = report["import"]
    print(
        f"{report['baseline']['sent']} check-in answers during "
        f"a {rows:,}-row re-import on SQLite — {date.today()}, {MACHINE}; "
        f"truenorth serve --workers {workers}"
    )
    print(
        f"  re-import: {imported['import_s']:.1f} s, of which saving {imported['saving_s']:.2f} s "
        f"({imported['updated']:,} items, {imported['changes']:,} changes)"
    )
    for phase in ("baseline", "during import"):
        p = report[phase]
        print(
            f"  {phase:>13}: {p['responses_saved']}/{p['sent']} saved ({p['answers_saved']} answers), "
            f"{p['errors']} errors (HTTP {p['statuses']}); "
            f"p50 {p['p50_s']:.2f} s, p95 {p['p95_s']:.2f} s, max {p['max_s']:.2f} s; "
            f"longest wait for the write lock {p['longest_lock_wait_s']:.2f} s"
        )
    print(
        f"  ratio during import / baseline: p50 {report['p50_ratio']:.2f}, p95 {report['p95_ratio']:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--reimport", help=argparse.SUPPRESS)  # the importing process
    args = parser.parse_args()
    if args.reimport:
        setup_django(os.environ["TRUENORTH_DATA_DIR"])
        reimport(args.reimport)
        return
    report = run(args.rows, args.answers, args.workers)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print_report(report, args.rows, args.workers)
    lost = {
        p: report[p]["sent"] - report[p]["responses_saved"] for p in ("baseline", "during import")
    }
    errors = report["baseline"]["errors"] + report["during import"]["errors"]
    if any(lost.values()) or errors:
        raise SystemExit(f"answers lost: {lost}, errors: {errors}")


if __name__ == "__main__":
    main()
