"""Import work items from a generic CSV: every row valid, or nothing imported."""

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from truenorth.work.models import Source, WorkItem
from truenorth.workspaces.models import Workspace

FIELDS = (
    "key",
    "title",
    "status",
    "points",
    "created",
    "resolved",
    "url",
    "team",
    "initiative",
    "goal",
)
REQUIRED = ("key", "title")
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d %b %Y")


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportFailed(Exception):
    """The file was rejected; `errors` names each bad row (line 0: the file itself)."""

    errors: list[RowError]

    def report(self) -> str:
        lines = [f"Nothing imported: {len(self.errors)} problem(s)."]
        for error in self.errors:
            where = f"line {error.line}" if error.line else "file"
            lines.append(f"  {where}: {error.message}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    keys: list[str] = field(default_factory=list)


def parse_date(text: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)")


def parse_points(text: str) -> Decimal:
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"points {text!r} is not a number") from None
    if points < 0 or not points.is_finite():
        raise ValueError(f"points {text!r} must be zero or more")
    return points


class Lookups:
    """Names in the file resolved to the workspace's teams, initiatives and goals."""

    def __init__(self, workspace: Workspace):
        self.teams = {t.name.lower(): t for t in workspace.teams.all()}
        self.initiatives = {}
        for initiative in workspace.initiatives.all():
            self.initiatives[initiative.title.lower()] = initiative
            if initiative.key:
                self.initiatives[initiative.key.lower()] = initiative
        self.goals = {}
        for goal in workspace.goals.all():
            self.goals[goal.title.lower()] = goal
            self.goals[str(goal.rank)] = goal

    def find(self, kind: str, text: str):
        found = getattr(self, kind + "s").get(text.lower())
        if found is None:
            raise ValueError(f"no {kind} named {text!r} in this workspace")
        return found


def row_to_fields(row: dict[str, str], lookups: Lookups) -> dict:
    """Validate one row, returning WorkItem field values or raising ValueError."""
    for name in REQUIRED:
        if not row.get(name):
            raise ValueError(f"{name} is empty")
    values: dict = {"title": row["title"][:500], "status": row.get("status", "")[:60]}
    values["points"] = parse_points(row["points"]) if row.get("points") else None
    values["created_on"] = parse_date(row["created"]) if row.get("created") else None
    values["resolved_on"] = parse_date(row["resolved"]) if row.get("resolved") else None
    values["url"] = row.get("url", "")
    if values["url"]:
        try:
            URLValidator()(values["url"])
        except ValidationError:
            raise ValueError(f"url {values['url']!r} is not a web address") from None
    for kind in ("team", "initiative", "goal"):
        values[kind] = lookups.find(kind, row[kind]) if row.get(kind) else None
    return values


def read_rows(stream: TextIO, mapping: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as {field: text} with their line numbers, after applying the header mapping."""
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    columns = {name: mapping.get(name, name) for name in FIELDS}
    missing = [
        f"{name} (column {columns[name]!r})" for name in REQUIRED if columns[name] not in header
    ]
    if missing:
        found = ", ".join(header) or "none"
        raise ImportFailed([RowError(0, f"missing {', '.join(missing)}; columns found: {found}")])
    rows = []
    for row in reader:
        values = {name: (row.get(column) or "").strip() for name, column in columns.items()}
        rows.append((reader.line_num, values))
    return rows


def import_work_items(
    workspace: Workspace,
    stream: TextIO,
    mapping: dict[str, str] | None = None,
    source: str = Source.CSV,
) -> ImportResult:
    """Create or update work items keyed by (source, key); any bad row rejects the whole file."""
    unknown = set(mapping or {}) - set(FIELDS)
    if unknown:
        raise ImportFailed(
            [RowError(0, f"unknown field(s) in mapping: {', '.join(sorted(unknown))}")]
        )
    try:
        rows = read_rows(stream, mapping or {})
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFailed([RowError(0, f"not a readable CSV file: {error}")]) from None
    lookups, errors, parsed, seen = Lookups(workspace), [], [], {}
    for line, row in rows:
        try:
            if row["key"] in seen:
                raise ValueError(f"key {row['key']!r} repeats line {seen[row['key']]}")
            parsed.append((row["key"], row_to_fields(row, lookups)))
            seen[row["key"]] = line
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    if errors:
        raise ImportFailed(errors)
    return save_work_items(workspace, source, parsed)


@transaction.atomic
def save_work_items(workspace: Workspace, source: str, parsed: list[tuple[str, dict]]):
    result = ImportResult()
    for key, values in parsed:
        _, created = WorkItem.objects.update_or_create(
            workspace=workspace, source=source, external_key=key, defaults=values
        )
        result.created += created
        result.updated += not created
        result.keys.append(key)
    return result
