"""Importing a 50,000-row Jira export against the floor of parsing it and inserting the rows.

The export is generated with a fixed seed in Jira's shape: repeated Labels, Sprint and
Component/s columns, story points, epic links, `21/Nov/25 4:05 PM` dates and multi-line quoted
descriptions; titles are real Jira issue titles from shared/evaldata. Everything runs on a fresh
SQLite database in a temporary directory.

- floor: `csv.reader` over the same text and one `WorkItem.objects.bulk_create` of the same
  values, in one transaction: what any importer must at least do.
- import: `truenorth.work.imports.import_work_items(..., file_format="jira-csv")` into an empty
  workspace (validation, team lookup, epic links, duplicate checks, bulk create).
- re-import: the same file with 5 % of the statuses changed, into the now full workspace
  (loads the existing items, bulk updates the changed ones, records their history).

    .venv/bin/python benchmarks/import_speed.py
"""

import csv
import io
import random
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal

from evaldata import MACHINE, jira_issues
from scratch_database import fresh_database

ROWS = 50_000
CHANGED = ROWS // 20
STATUSES = ["Backlog", "To Do", "In Progress", "In Review", "Done"]
TYPES = ["Story", "Story", "Story", "Bug", "Task", "Sub-task"]
TEAMS = ["Platform", "Payments", "Mobile", "Data"]
HEADER = [
    "Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Project key",
    "Project name", "Priority", "Assignee", "Created", "Updated", "Resolved", "Component/s",
    "Component/s", "Due Date", "Labels", "Labels", "Labels", "Description", "Sprint", "Sprint",
    "Custom field (Epic Link)", "Custom field (Story Points)",
]  # fmt: skip


def jira_date(day: date, rng: random.Random) -> str:
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    return f"{day.day}/{day:%b}/{day:%y} {hour}:{minute:02d} {rng.choice(['AM', 'PM'])}"


def jira_export(titles: list[str], seed: int = 0) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for n in range(1, ROWS + 1):
        project = TEAMS[n % len(TEAMS)]
        created = date.fromordinal(date(2024, 1, 1).toordinal() + rng.randint(0, 680))
        status = rng.choice(STATUSES)
        resolved = date.fromordinal(created.toordinal() + rng.randint(1, 60))
        labels = rng.sample(["backend", "frontend", "erp", "q4", "customer", "debt"], 3)
        rows.append([
            titles[n % len(titles)], f"{project[:3].upper()}-{n}", str(10_000 + n),
            "", rng.choice(TYPES), status, project[:3].upper(), project,
            rng.choice(["High", "Medium", "Low"]), "Ada Lovelace", jira_date(created, rng),
            jira_date(resolved, rng), jira_date(resolved, rng) if status == "Done" else "",
            rng.choice(["API", "UI", ""]), "", "" if n % 3 else f"{resolved:%d/%b/%y}",
            labels[0], labels[1] if n % 2 else "", "",
            f"As a controller I want item {n}.\nAcceptance:\n- it works" if n % 4 == 0 else "",
            f"Sprint {n % 30}", "" if n % 5 else f"Sprint {n % 30 + 1}",
            f"{project[:3].upper()}-{n - n % 50 + 1}" if n % 50 else "",
            rng.choice(["1", "2", "3", "5", "8", "13", ""]),
        ])  # fmt: skip
    return rows


def as_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *rows])
    return "\ufeff" + out.getvalue()


def floor(workspace, text: str) -> float:
    """Bare csv parse and one bulk_create of the same values: the least an import can do."""
    from django.db import transaction

    from truenorth.work.models import WorkItem

    started = time.perf_counter()
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    next(reader)
    items = [
        WorkItem(
            workspace=workspace,
            source="jira",
            external_key=row[1],
            title=row[0][:500],
            status=row[5],
            points=Decimal(row[23]) if row[23] else None,
            created_on=datetime.strptime(row[10], "%d/%b/%y %I:%M %p").date(),
            resolved_on=datetime.strptime(row[12], "%d/%b/%y %I:%M %p").date() if row[12] else None,
            due_on=datetime.strptime(row[15], "%d/%b/%y").date() if row[15] else None,
            kind=row[4],
            project=row[6],
            parent_key=row[22],
            labels=[label for label in row[16:19] if label],
        )
        for row in reader
    ]
    with transaction.atomic():
        WorkItem.objects.bulk_create(items, batch_size=500)
    return time.perf_counter() - started


def timed_import(workspace, text: str):
    from truenorth.work.imports import import_work_items

    started = time.perf_counter()
    result = import_work_items(workspace, io.StringIO(text), file_format="jira-csv")
    return time.perf_counter() - started, result


def main() -> None:
    rows = jira_export([title for title, _ in jira_issues()])
    text = as_csv(rows)
    rng = random.Random(1)
    for row in rng.sample(rows, CHANGED):
        row[5] = "Done" if row[5] != "Done" else "In Progress"
    changed_text = as_csv(rows)

    with tempfile.TemporaryDirectory() as data_dir:
        fresh_database(data_dir)
        from truenorth.work.models import WorkItem
        from truenorth.workspaces.models import Team, Workspace

        spaces = [Workspace.objects.create(name=n, slug=n) for n in ("floor", "imported")]
        for workspace in spaces:
            Team.objects.bulk_create([Team(workspace=workspace, name=name) for name in TEAMS])
        floor_s = floor(spaces[0], text)
        import_s, first = timed_import(spaces[1], text)
        again_s, again = timed_import(spaces[1], changed_text)
        assert WorkItem.objects.filter(workspace=spaces[1]).count() == ROWS == first.created
        assert (again.updated, again.changes) == (ROWS, CHANGED)

    print(
        f"Import of a {ROWS:,}-row Jira CSV ({len(text) / 1e6:.1f} MB) into SQLite — {date.today()}, {MACHINE}"
    )
    print(f"  floor (csv.reader + bulk_create):       {floor_s:6.1f} s")
    print(f"  import (jira-csv, empty workspace):     {import_s:6.1f} s")
    print(f"  re-import ({CHANGED:,} statuses changed): {again_s:8.1f} s")
    print(f"  ratio import / floor: {import_s / floor_s:.2f}")
    print(f"  ratio re-import / floor: {again_s / floor_s:.2f}")


if __name__ == "__main__":
    main()
