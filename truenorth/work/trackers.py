"""What trackers' export files look like: each reader turns a file into plain rows of text.

Nothing here touches the database; `imports.py` validates the rows and saves them. A row is a
dict with some of the keys of `ROW_FIELDS`; `labels` is a list, every other value a string.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from truenorth.tabular import (
    SEPARATORS,
    BadJSON,
    Table,
    Where,
    cell,
    cells_of,
    columns_found,
    load_json,
    read_table,
    separator,
    unstorable,
)

ROW_FIELDS = (
    "key",
    "title",
    "status",
    "points",
    "created",
    "resolved",
    "due",
    "url",
    "kind",
    "project",
    "parent",
    "labels",
    "team",
    "initiative",
    "goal",
)


class WrongFormat(ValueError):
    """The file as a whole cannot be read in the format asked for; the message says why."""


@dataclass
class RawRow:
    """One item as the file has it: where it is (for error reports) and its text fields."""

    line: int  # the physical line where a CSV row starts; 0 for JSON items
    where: str  # "line 12" or "item [3] (#1234)"
    fields: dict = field(default_factory=dict)


# What each format is recognised by, and how a message names it.
JIRA_MARKS = ("Issue key", "Summary")
LINEAR_MARKS = ("ID", "Title", "Team")
LOOKS_LIKE = {
    "jira-csv": "a Jira CSV export (columns Issue key, Summary, Issue Type, …)",
    "linear-csv": "a Linear CSV export (columns ID, Team, Title, …)",
    "github-json": "GitHub issues as JSON",
}
# What a file recognised as each format looks like, in a sentence of the import page's.
LOOKS_LIKE_SHORTLY = {
    "jira-csv": "a Jira CSV export",
    "linear-csv": "a Linear CSV export",
    "github-json": "GitHub issues as JSON",
    "csv": "a CSV with key and title columns (“Other CSV with a header row”)",
}
# The import page's format list, whose words a message uses to point at it there.
FORMAT_LIST = "Format"
FORMAT_NAMES = {
    "auto": "Recognise it",
    "jira-csv": "Jira CSV",
    "linear-csv": "Linear CSV",
    "github-json": "GitHub issues (JSON)",
    "csv": "Other CSV with a header row",
}


def use_format(name: str, where: Where) -> str:
    """Advice to read the file as the format `name`, as it is done where the import runs."""
    if where == "page":
        return f"choose “{FORMAT_NAMES[name]}” in the {FORMAT_LIST} list"
    return f"use --format {name}"


def detect_format(text: str) -> str:
    """The format a file looks like: jira-csv, linear-csv, github-json, json or csv."""
    text = text.lstrip("\ufeff \t\r\n")
    if text[:1] in ("[", "{"):
        try:
            data = load_json(text)
        except BadJSON:
            return "json"
        items = data.get("items", data) if isinstance(data, dict) else data
        if isinstance(items, list) and all(isinstance(i, dict) and "number" in i for i in items):
            return "github-json"
        return "json"
    header = {title.strip() for title in first_row(text)}
    if set(JIRA_MARKS) <= header and header & {"Issue id", "Issue Type", "Project key"}:
        return "jira-csv"
    if set(LINEAR_MARKS) <= header:
        return "linear-csv"
    return "csv"


def recognised(text: str) -> str:
    """What "Recognise it" reads a file as: a tracker's format, "csv" for a CSV with key and
    title columns, or "" for none of them. JSON that is no list of issues is read as GitHub's,
    whose reader says what is wrong with it (an error GitHub answered with, say)."""
    found = detect_format(text)
    if found == "json":
        return "github-json"
    if found == "csv":
        header = {title.strip() for title in first_row(text.lstrip("\ufeff"))}
        return "csv" if {"key", "title"} <= header else ""
    return found


def not_recognised(text: str, where: Where) -> str:
    """Why "Recognise it" read no format, with the formats it knows and what to do instead."""
    columns = columns_found([title.strip() for title in first_row(text.lstrip("\ufeff"))])
    formats = ", ".join(FORMAT_NAMES[name] for name in FORMAT_NAMES if name != "auto")
    if where == "page":
        advice = (
            f"choose its format in the {FORMAT_LIST} list; for any other CSV, name its key and "
            "title columns under Column names (key=…, title=…)"
        )
    else:
        advice = "give its --format; for any other CSV, --map key=COLUMN --map title=COLUMN"
    return (
        f"could not recognise the file's format: it is not a Jira or Linear CSV export, not "
        f"GitHub issues as JSON, and has no key and title columns (columns found: {columns}). "
        f"Formats: {formats}; {advice}"
    )


def first_row(text: str) -> list[str]:
    """The first line's cells, as far as they can be read (the readers judge the rest)."""
    first_line = io.StringIO(text, newline="").readline()
    try:
        return next(csv.reader([first_line], delimiter=separator(first_line)), [])
    except csv.Error:
        return []


def not_this_format(text: str, wanted: str, where: Where = "cli") -> WrongFormat | None:
    """A clear complaint when the file is recognisably another format than the one asked for."""
    found = detect_format(text)
    if found == wanted:
        return None
    if found in LOOKS_LIKE:
        return WrongFormat(f"this looks like {LOOKS_LIKE[found]}; {use_format(found, where)}")
    if found == "json" and wanted != "github-json":
        return WrongFormat("this is JSON, not a CSV file")
    if found == "csv" and wanted == "github-json":
        first = (text.lstrip("\ufeff").splitlines() or [""])[0][:80]
        return WrongFormat(f"this is not JSON (it starts {first!r}); {use_format('csv', where)}")
    return None


def missing_columns(table: Table, required: tuple[str, ...]) -> WrongFormat | None:
    missing = [name for name in required if name not in table.header]
    if not missing:
        return None
    found = columns_found(table.header)
    return WrongFormat(f"missing column(s) {', '.join(missing)}; columns found: {found}")


def ignored_columns(text: str, file_format: str, columns: dict[str, str]) -> list[str]:
    """The header's columns that the format's reader does not read (for the generic CSV,
    `columns` names those it reads), as the file names them."""
    if file_format == "github-json":
        return []
    known = {"jira-csv": JIRA_COLUMNS, "linear-csv": LINEAR_COLUMNS}.get(file_format)
    read = set(columns.values())
    if known is not None:
        read = {title for titles in known.values() for title in titles} | {"Labels"}
    header = [title.strip() for title in first_row(text.lstrip("\ufeff\r\n"))]
    return [title for title in header if title not in read]


# Jira

# Each field from the first non-empty of its columns, in this order.
JIRA_COLUMNS = {
    "key": ("Issue key",),
    "title": ("Summary",),
    "status": ("Status",),
    # Server and Data Center write custom fields "Custom field (…)"; Cloud writes its own
    # estimate field by name, and some exports write the plain name too.
    "points": (
        "Custom field (Story Points)",
        "Custom field (Story point estimate)",
        "Story Points",
        "Story point estimate",
    ),
    "created": ("Created",),
    "resolved": ("Resolved",),
    "due": ("Due Date", "Due date"),
    "kind": ("Issue Type",),
    "project": ("Project key", "Project name"),
    "team": ("Project name",),
    "parent": ("Parent key", "Custom field (Epic Link)", "Epic Link"),
    "parent_id": ("Parent", "Parent id"),
    "id": ("Issue id",),
}


def read_jira(text: str, where: Where = "cli") -> list[RawRow]:
    """Jira's "Export Excel CSV (all fields)": repeated columns, custom fields by name."""
    if problem := not_this_format(text, "jira-csv", where):
        raise problem
    table = read_table(text, SEPARATORS)
    if problem := missing_columns(table, JIRA_MARKS):
        raise problem
    rows = table_rows(table, JIRA_COLUMNS, labels=table.columns("Labels"))
    # "Parent" holds the parent's numeric Issue id (a story's epic, a subtask's story).
    key_of_id = {row.fields.get("id"): row.fields.get("key") for row in rows}
    for row in rows:
        has_parent = "parent" in row.fields or "parent_id" in row.fields
        parent_id = row.fields.pop("parent_id", "")
        if has_parent:
            parent = row.fields.get("parent", "")
            row.fields["parent"] = parent or key_of_id.get(parent_id, parent_id)
        row.fields.pop("id", None)
    return rows


def table_rows(
    table: Table, columns: dict[str, tuple[str, ...]], labels: list[int]
) -> list[RawRow]:
    """Each row's fields, from the columns named for them; `labels` from every column given."""
    at = {
        name: [i for title in titles for i in table.columns(title)]
        for name, titles in columns.items()
    }
    rows = []
    for line, cells in table.rows:
        fields = {name: cell(cells, positions) for name, positions in at.items() if positions}
        if labels:
            fields["labels"] = cells_of(cells, labels)
        rows.append(csv_row(table, line, cells, fields))
    return rows


def csv_row(
    table: Table, line: int, cells: list[str], fields: dict, multiline: tuple[str, ...] = ()
) -> RawRow:
    """A CSV row, marked as an error when a field that is one line in any tracker holds a
    line break (a quote left open: Jira and Linear write no title over several lines). A row
    with more cells than the header is refused as the file is read (tabular.read_table)."""
    labels = fields.get("labels", [])
    joined = {**fields, "labels": " ".join(labels)}
    if problem := table.one_line(line, joined, multiline):
        fields["error"] = problem
    return RawRow(line, f"line {line}", fields)


# Linear

LINEAR_COLUMNS = {
    "key": ("ID",),
    "title": ("Title",),
    "status": ("Status",),
    "points": ("Estimate",),
    "created": ("Created",),
    "resolved": ("Completed", "Canceled"),
    "due": ("Due Date",),
    "project": ("Project",),
    "team": ("Team",),
    "parent": ("Parent issue",),
}


def read_linear(text: str, where: Where = "cli") -> list[RawRow]:
    """Linear's CSV export (Settings → Import / Export → Export CSV)."""
    if problem := not_this_format(text, "linear-csv", where):
        raise problem
    table = read_table(text, SEPARATORS)
    if problem := missing_columns(table, ("ID", "Title")):
        raise problem
    rows = table_rows(table, LINEAR_COLUMNS, labels=table.columns("Labels"))
    for row in rows:  # one Labels cell: "Bug, Frontend"
        if "labels" not in row.fields:
            continue
        row.fields["labels"] = [
            x.strip() for label in row.fields["labels"] for x in label.split(",") if x.strip()
        ]
    return rows


# GitHub

REPOSITORY_IN_URL = re.compile(r"/(?:repos/)?([^/]+/[^/]+?)(?:/issues/\d+)?/?$")


def read_github(text: str, repository: str = "", where: Where = "cli") -> tuple[list[RawRow], int]:
    """Issues from the REST API or `gh issue list --json …`; returns the rows and the pull
    requests skipped. `repository` (owner/repo) is used when an item does not say its own."""
    try:
        data = load_json(text)
    except BadJSON as error:
        raise not_this_format(text, "github-json", where) or WrongFormat(str(error)) from None
    if isinstance(data, dict) and "message" in data and "items" not in data:
        docs = f" (see {data['documentation_url']})" if data.get("documentation_url") else ""
        raise WrongFormat(f"GitHub answered with an error, not issues: {data['message']!r}{docs}")
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]  # the search API wraps its issues
    if not isinstance(data, list):
        raise WrongFormat("expected a JSON list of issues")
    rows, pull_requests = [], 0
    for index, item in enumerate(data):
        if isinstance(item, dict) and "pull_request" in item:
            pull_requests += 1
            continue
        rows.append(github_row(index, item, repository))
    return rows, pull_requests


def github_row(index: int, item, repository: str) -> RawRow:
    if not isinstance(item, dict):
        return RawRow(0, f"item [{index}]", {"error": "is not an issue object"})
    number = item.get("number") or ""
    if not number:
        return RawRow(0, f"item [{index}]", {"error": "has no number: not a GitHub issue"})
    if not isinstance(number, int | str) or isinstance(number, bool) or len(str(number)) > 20:
        return RawRow(0, f"item [{index}]", {"error": "its number is not an issue number"})
    repo = repository_of(item) or repository
    milestone = item.get("milestone") if isinstance(item.get("milestone"), dict) else {}
    labels = item.get("labels") if isinstance(item.get("labels"), list) else []
    kind = item.get("type") or {}  # GitHub's issue types, where an organisation uses them
    fields = {
        "key": f"{repo}#{number}",
        "title": text_of(item.get("title")),
        "status": text_of(item.get("state")).lower(),
        "created": text_of(item.get("created_at") or item.get("createdAt")),
        "resolved": text_of(item.get("closed_at") or item.get("closedAt")),
        "due": text_of(milestone.get("due_on") or milestone.get("dueOn")),
        "url": text_of(item.get("html_url") or item.get("url")),
        "kind": text_of(kind.get("name") if isinstance(kind, dict) else kind),
        "project": repo,
        "parent": text_of(milestone.get("title")),
        "labels": [name for name in map(label_name, labels) if name],
    }
    for name, value in fields.items():
        if problem := unstorable(" ".join(value) if name == "labels" else value):
            fields["error"] = f"{name} holds {problem}"
            break
    return RawRow(0, f"item [{index}] (#{number})", fields)


def repository_of(item: dict) -> str:
    """owner/repo from the REST API's repository_url, or from the issue's own web address."""
    for address in (item.get("repository_url"), item.get("html_url"), item.get("url")):
        if isinstance(address, str) and "github" in address:
            found = REPOSITORY_IN_URL.search(address.split("github", 1)[1])
            if found:
                return found.group(1)
    return ""


def label_name(label) -> str:
    return text_of(label.get("name") if isinstance(label, dict) else label)


def text_of(value) -> str:
    return "" if value is None else str(value).strip()


# The generic CSV


def read_mapped_csv(
    text: str, mapping: dict[str, str], key_from_row: bool, where: Where = "cli"
) -> list[RawRow]:
    """Any CSV with a header row; `mapping` names the column for a field that is not read from
    the column of its own name. A field without a column in the file is left out of the rows,
    so an item imported before keeps its value; a column the mapping names must be there.

    With `key_from_row`, a file without a key column gets keys `row-1`, `row-2`, … in file order.
    """
    if detect_format(text) in ("github-json", "json"):
        advice = use_format("github-json", where)
        raise WrongFormat(f"this is JSON, not a CSV file; for GitHub issues {advice}")
    table = read_table(text, SEPARATORS)
    columns = {name: mapping.get(name, name) for name in ROW_FIELDS}
    required = {name for name in mapping if name != "key" or not key_from_row}
    required |= {"title"} if key_from_row else {"key", "title"}
    missing = [
        f"{name} (column {columns[name]!r})"
        for name in ROW_FIELDS
        if name in required and not table.has(columns[name])
    ]
    if missing:
        found = columns_found(table.header)
        hint = ""
        if (looks := detect_format(text)) in LOOKS_LIKE:
            hint = f"; this looks like {LOOKS_LIKE[looks]}: {use_format(looks, where)}"
        raise WrongFormat(f"missing {', '.join(missing)}; columns found: {found}{hint}")
    positions = {name: table.columns(column) for name, column in columns.items()}
    rows = []
    for number, (line, cells) in enumerate(table.rows, start=1):
        fields = {name: cell(cells, at) for name, at in positions.items() if at}
        if "labels" in fields:
            fields["labels"] = [x.strip() for x in re.split(r"[,;]", fields["labels"]) if x.strip()]
        if key_from_row:
            fields["key"] = f"row-{number}"
        rows.append(csv_row(table, line, cells, fields, multiline=("title",)))
    return rows
