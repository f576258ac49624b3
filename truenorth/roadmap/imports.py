"""Import the roadmap from a CSV export: every row valid, or nothing imported.

Formats: `jpd` (Jira Product Discovery), `productboard`, `aha` (Aha!), `csv` (a plain
spreadsheet), or `auto` to recognise one by its header. The column names each tool writes are
in HEADERS; `mapping` reads a field from any other column. Statuses are read through the
workspace's RoadmapStatusMapping. Initiatives are keyed by (workspace, source, source_key):
importing again updates them in place. History from the file, or from a second history file,
is recorded on the dates it happened, so overruns read right for a roadmap older than truenorth.
"""

import calendar
import contextlib
import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from truenorth import tabular
from truenorth.days import implausible
from truenorth.notifications import events as notify
from truenorth.roadmap.actions import (
    TOLD_FIELDS,
    TRACKED_FIELDS,
    roadmap_imported,
    set_status_mapping,
)
from truenorth.roadmap.models import (
    COMMITTED,
    Initiative,
    InitiativeChange,
    Source,
    Status,
    Visibility,
)
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Team, Workspace

FORMATS = {
    "jpd": "Jira Product Discovery",
    "productboard": "Productboard",
    "aha": "Aha!",
    "csv": "a spreadsheet",
}

# The columns each tool's export names for each field, matched ignoring case; the first
# non-empty one wins. Every format also reads the spreadsheet's names ("csv") after its own.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "jpd": {
        "key": ("Key", "Issue key"),
        "title": ("Summary",),
        "problem": ("Description",),
        "goal": ("Goals", "Custom field (Goals)"),
        "status": ("Status",),
        "target": ("Project target", "Custom field (Project target)", "Target date", "Due date"),
    },
    "productboard": {
        "key": ("Feature ID", "ID", "Feature URL"),
        "title": ("Feature name", "Name"),
        "problem": ("Feature description", "Description"),
        "goal": ("Objectives", "Objective"),
        "status": ("Status", "Feature status"),
        "target": ("Timeframe end", "Timeframe end date", "Timeframe", "Release date"),
    },
    "aha": {
        "key": (
            "Reference #",
            "Feature reference #",
            "Initiative reference #",
            "Epic reference #",
        ),
        "title": ("Name", "Feature name", "Initiative name", "Epic name"),
        "problem": ("Description", "Feature description", "Initiative description"),
        "goal": ("Goals", "Feature goals", "Initiative goals"),
        "status": ("Status", "Feature status", "Initiative status", "Workflow status"),
        "target": ("Due date", "Feature due date", "Release date", "Initiative end date"),
    },
    "csv": {
        "key": ("key", "id", "reference"),
        "title": ("title", "name", "initiative"),
        "problem": ("problem", "description"),
        "goal": ("goal", "goals", "objective"),
        "team": ("team", "owning team"),
        "status": ("status", "stage"),
        "visibility": (
            "partner visible",
            "partner-visible",
            "visible to partners",
            "shared with partners",
            "visibility",
        ),
        "target": ("target date", "target_date", "target", "due date", "due", "release date"),
        "shipped": ("shipped on", "shipped", "actual date", "released on", "completed on"),
        "previous_status": ("previous status", "old status", "status before"),
        "status_changed": ("status changed", "status changed on", "status change date"),
        "previous_target": (
            "previous target date",
            "previous target",
            "original target date",
            "old target date",
        ),
        "target_changed": ("target changed", "target changed on", "target date changed"),
    },
}
FIELDS = tuple(HEADERS["csv"])
# The upload page's field for the columns named by hand (the CLI's --map), as advice names it.
COLUMNS_FIELD = "Other column names"
# What recognises a tool's export (lower case); anything else is a spreadsheet.
MARKS = {
    "aha": ("reference #",),  # any column ending in it: "Feature reference #", …
    "productboard": ("feature name", "feature id", "feature description"),
    "jpd": ("roadmap", "goals", "project target", "impact", "effort", "insights"),
}
HISTORY_HEADERS = {
    "key": ("key", "issue key", "reference #", "feature id", "id"),
    "date": ("date", "changed", "changed on", "changed at", "when"),
    "field": ("field", "what"),
    "old": ("old value", "old", "from"),
    "new": ("new value", "new", "to"),
}
HISTORY_FIELDS = {
    "status": "status",
    "target": "target_date",
    "target date": "target_date",
    "target_date": "target_date",
    "due date": "target_date",
}

# Offered on the page for statuses not mapped yet; an editor confirms them once. A file's own
# use of truenorth's words ("planned", "in progress", …) needs no mapping.
SUGGESTED_STATUSES = {
    Status.EXPLORING: (
        "idea", "new idea", "ideas", "parking lot", "discovery", "under consideration",
        "candidate", "backlog", "later", "research", "proposed", "future consideration",
    ),
    Status.PLANNED: (
        "next", "ready for delivery", "ready to develop", "ready", "scheduled", "prioritized",
        "prioritised", "defined", "up next",
    ),
    Status.COMMITTED: ("commit", "committed to"),
    Status.IN_PROGRESS: (
        "now", "delivery", "in delivery", "in development", "building", "started", "doing",
        "ready to ship",
    ),
    Status.SHIPPED: (
        "done", "released", "complete", "completed", "launched", "live", "delivered",
    ),
    Status.DROPPED: (
        "won't do", "wont do", "will not implement", "archived", "cancelled", "canceled",
        "rejected", "declined", "not doing",
    ),
}  # fmt: skip
SUGGESTED = {word: status for status, words in SUGGESTED_STATUSES.items() for word in words}
OWN_WORDS = {
    **{s.value.lower(): s.value for s in Status},
    **{s.label.lower(): s.value for s in Status},
}
VISIBILITY_WORDS = {
    **dict.fromkeys(("yes", "y", "true", "1", "x", "partner", "partners", "shared"), "partner"),
    **dict.fromkeys(("no", "n", "false", "0", "internal", "private"), "internal"),
    "public": Visibility.PUBLIC.value,
}
# A partner-visible cell not read names them all, as they mean: "is not one of yes, y, …".
VISIBILITY_ACCEPTED = "; ".join(
    f"{', '.join(w for w, v in VISIBILITY_WORDS.items() if v == value)} ({meaning})"
    for value, meaning in (
        (Visibility.PARTNER.value, "shared with partners"),
        (Visibility.INTERNAL.value, "internal"),
        (Visibility.PUBLIC.value, "partners and customers"),
    )
)
# What a status not mapped yet may be mapped to: truenorth's own statuses, as a reader writes them.
STATUS_WORDS = ", ".join(s.label.lower() for s in Status)


def suggest(source_status: str) -> str:
    """The status usually meant by a tool's word, or "" when there is no common meaning."""
    return SUGGESTED.get(source_status.strip().lower(), "")


@dataclass
class Problem:
    """One reason the import was refused: where (line 0: the file itself), and why."""

    line: int
    why: str
    column: str = ""
    value: str = ""
    file: str = ""  # "history" for the history file

    @property
    def where(self) -> str:
        """The place in the history file ("history line 3"); "" in the roadmap file, whose
        line says where."""
        if not self.file:
            return ""
        return f"{self.file} line {self.line}" if self.line else f"{self.file} file"

    @property
    def message(self) -> str:
        """What is wrong, less where: "Goals 'Go faster': no goal of this workspace …"."""
        value = f" {self.value!r}" if self.value else ""
        return f"{self.column}{value}: {self.why}" if self.column or value else self.why

    def __str__(self) -> str:
        return said(tabular.Group([self]))


def said(group: tabular.Group) -> str:
    """A report's line for one problem and every row with it: "lines 3–9 (7 rows), Goals
    'Go faster': no goal of this workspace has this title or rank; the same for …"."""
    rows = f" ({group.rows})" if group.rows else ""
    others = f"; {group.others}" if group.others else ""
    first = group.errors[0]
    named = isinstance(first, Problem) and (first.column or first.value)  # "line 3, Goals …"
    return f"{group.places}{rows}{', ' if named else ': '}{group.message}{others}"


@dataclass
class ImportFailed(Exception):
    """Nothing imported: each bad row, and each status not mapped yet with its lines."""

    problems: list[Problem] = field(default_factory=list)
    unmapped: dict[str, list[str]] = field(default_factory=dict)  # status → "line 3", …

    def groups(self) -> list[tabular.Group]:
        """The problems, each once with every row it is on (tabular.grouped)."""
        return tabular.grouped(self.problems)

    def report(self) -> str:
        count = len(self.problems) + len(self.unmapped)
        groups = self.groups()
        kinds = len(groups) + len(self.unmapped)
        lines = [f"Nothing imported: {tabular.counted_problems(count, kinds)}."]
        lines += [f"  {said(group)}" for group in groups]
        for value, rows in self.unmapped.items():
            hint = f'; e.g. --status "{value}={suggest(value)}"' if suggest(value) else ""
            lines.append(
                f"  status {value!r} is not mapped to a roadmap status ({rows_of(rows)}): map it "
                f"to one of {STATUS_WORDS}{hint}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def join(names: list[str]) -> str:
    shown = ", ".join(names[:10])
    return shown + (f" and {len(names) - 10} more" if len(names) > 10 else "")


def rows_of(places: list[str]) -> str:
    """Every row a status is on, as ranges of lines: "41 rows: lines 2–41, 43"."""
    rows = f"{len(places)} rows: " if len(places) > 1 else ""
    return rows + tabular.named_places(places)


@dataclass
class ImportResult:
    file_format: str = ""
    created: int = 0
    updated: int = 0  # initiatives already there whose values changed
    unchanged: int = 0
    changes: int = 0  # changes recorded as of now: what this import changed
    history: int = 0  # changes recorded on the dates the files give
    ignored_columns: list[str] = field(default_factory=list)  # of the roadmap file


# Values


QUARTER = re.compile(r"(?:q([1-4])[\s\-/]*(\d{4})|(\d{4})[\s\-/]*q([1-4]))", re.IGNORECASE)
YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
RANGE = re.compile(r"\s+(?:-|–|—|to)\s+")
EXTRA_FORMATS = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %B %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
)
MONTH_FORMATS = ("%b %Y", "%B %Y")


def parse_date(text: str, order: tabular.DayOrder = "") -> date:
    """A date as tools write them; a quarter or month means its last day, a range its end.

    Slashed dates are read in the file's `order`, as tabular.parse_date reads them.
    """
    text = text.strip()
    if len(text) > tabular.MAX_DATE:
        raise ValueError("not a date (use YYYY-MM-DD)")
    if RANGE.search(text):
        return parse_date(RANGE.split(text)[-1], order)
    if found := QUARTER.fullmatch(text):
        quarter, year = (found[1], found[2]) if found[1] else (found[4], found[3])
        month = int(quarter) * 3
        return date(int(year), month, calendar.monthrange(int(year), month)[1])
    if found := YEAR_MONTH.fullmatch(text):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return date(year, month, calendar.monthrange(year, month)[1])
    try:
        return tabular.parse_date(text, order)
    except tabular.AmbiguousDate as error:
        raise ValueError(error.why) from None  # the problem names the text already
    except ValueError:
        pass  # no shape a tracker writes: the roadmap tools' own shapes follow
    for fmt in EXTRA_FORMATS:
        with contextlib.suppress(ValueError):
            return datetime.strptime(text, fmt).date()
    for fmt in MONTH_FORMATS:
        with contextlib.suppress(ValueError):
            first = datetime.strptime(text, fmt).date()
            return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if found := tabular.ISO_DAY.fullmatch(text):
        raise ValueError(tabular.no_such_day(*map(int, found.groups())))
    raise ValueError("not a date (use YYYY-MM-DD)")


def shipped_too_late(day: date) -> str | None:
    """Why `day` cannot be the day something shipped: one that has not come yet."""
    today = timezone.localdate()
    if day <= today:
        return None
    return f"a shipped date is a day that has come; today is {today:%-d %B %Y}"


def on_day(day: date) -> datetime:
    """A file's date as the moment a change is recorded: the start of that day, here."""
    return timezone.make_aware(datetime.combine(day, time()))


class Statuses:
    """A file's statuses read through truenorth's own words and the workspace's mapping."""

    def __init__(self, workspace: Workspace, extra: dict[str, str] | None = None):
        self.mapped = {
            m.source_status.strip().lower(): m.status
            for m in workspace.roadmap_status_mappings.all()
        }
        self.mapped.update({k.strip().lower(): v for k, v in (extra or {}).items()})
        self.unmapped: dict[str, list[str]] = {}

    def find(self, text: str, where: str) -> str | None:
        word = text.strip().lower()
        status = (
            self.mapped.get(word) or OWN_WORDS.get(word) or OWN_WORDS.get(word.replace("_", " "))
        )
        if status is None:
            self.unmapped.setdefault(text.strip(), []).append(where)
        return status


class Teams:
    """The workspace's teams by name, any case, archived ones too (refused in save_roadmap,
    where an initiative's current team is known)."""

    def __init__(self, workspace: Workspace):
        self.teams = {team.name.strip().lower(): team for team in workspace.teams.all()}

    def find(self, text: str) -> Team:
        team = self.teams.get(text.strip().lower())
        if team is None:
            raise ValueError(no_such_team(text, self.teams))
        return team


def no_such_team(text: str, teams: dict[str, Team]) -> str:
    """Why a team name is refused, with the ways out: the name meant, or the teams there are."""
    names = sorted(team.name for team in teams.values() if not team.archived)
    by_lower = {name.lower(): name for name in names}
    close = [by_lower[n] for n in difflib.get_close_matches(text.strip().lower(), by_lower, n=3)]
    known = f"did you mean {' or '.join(map(repr, close))}?" if close else ""
    known = known or (f"its teams: {join(names)}" if names else "it has no teams yet")
    return (
        f"no team of this workspace has this name ({known}); correct the cell, add the team "
        "under Teams first, or leave the cell empty"
    )


class Goals:
    def __init__(self, workspace: Workspace):
        self.goals = {}
        for goal in workspace.goals.all():
            self.goals[goal.title.strip().lower()] = goal
            self.goals[str(goal.rank)] = goal
            self.goals[f"#{goal.rank}"] = goal

    def find(self, text: str):
        goal = self.goals.get(text.strip().lower())
        if goal is None:
            raise ValueError("no goal of this workspace has this title or rank")
        return goal


# Reading


def decode(data: bytes, what: str = "file") -> str:
    """The text of an uploaded or named file: UTF-8 (with or without a byte-order mark), or
    UTF-16 with one, as Excel writes "Unicode text"."""
    problem = tabular.encoding_problem(data, utf16=True)
    if problem:
        line, why = problem
        file = "history" if what == "history file" else ""
        raise ImportFailed([Problem(line, f"the {what} is not UTF-8 text: {why}", file=file)])
    return tabular.decode(data, utf16=True)


def read_table(text: str, file: str = "") -> tabular.Table:
    """The header and the non-blank rows (each with the line it starts on) of CSV text whose
    cells are separated by commas, semicolons or tabs (whichever the header uses most)."""
    if not text.strip("\ufeff \t\r\n"):
        raise ImportFailed([Problem(0, "the file is empty", file=file)])
    if tabular.looks_like_json(text):
        why = "this is JSON, not a CSV file; export it from the tool as CSV"
        raise ImportFailed([Problem(0, why, file=file)])
    try:
        tabular.check_text(text)
        table = tabular.read_table(text, delimiters=",;\t")
    except tabular.ImportFailed as failure:
        problems = [Problem(error.line, error.message, file=file) for error in failure.errors]
        raise ImportFailed(problems) from None
    if not any(table.header):
        raise ImportFailed(
            [Problem(1, "no header row: the first line names no columns", file=file)]
        )
    if not table.rows:
        raise ImportFailed([Problem(0, "the file has a header but no rows", file=file)])
    return table


def detect_format(header: list[str]) -> str:
    names = {title.strip().lower() for title in header}
    if any(name.endswith(MARKS["aha"][0]) for name in names):
        return "aha"
    if names & set(MARKS["productboard"]):
        return "productboard"
    if "summary" in names and names & set(MARKS["jpd"]):
        return "jpd"
    return "csv"


def locate(
    header: list[str], names: dict[str, tuple[str, ...]], mapping: dict[str, str], file: str = ""
) -> dict[str, list[int]]:
    """Each field's column positions, most wanted first; `mapping` names a field's column."""
    lower = [title.lower() for title in header]
    problems, at = [], {}
    for name, titles in names.items():
        if name in mapping:
            titles = (mapping[name],)
            if mapping[name].strip().lower() not in lower:
                found = tabular.columns_found(header)
                problems.append(
                    Problem(
                        0, f"no column {mapping[name]!r} for {name}; columns: {found}", file=file
                    )
                )
        at[name] = list(
            dict.fromkeys(i for t in titles for i, h in enumerate(lower) if h == t.strip().lower())
        )
    if problems:
        raise ImportFailed(problems)
    return at


def cell(cells: list[str], positions: list[int]) -> tuple[str, int | None]:
    """The first non-empty value among a field's columns, and its position."""
    for i in positions:
        if i < len(cells) and cells[i].strip():
            return cells[i].strip(), i
    return "", positions[0] if positions else None


@dataclass
class Row:
    line: int
    key: str
    values: dict  # Initiative fields the file gives; a blank cell gives none
    dated: list[tuple[str, str, str, datetime]]  # (field, old, new, at) from the file
    status_text: str = ""  # as written, for a status not mapped yet
    target_text: str = ""  # as written: a target date not read is a problem of its own


def clean_rows(
    table: tabular.Table,
    at: dict[str, list[int]],
    goals: Goals,
    teams: Teams,
    statuses: Statuses,
    order: tabular.DayOrder,
) -> tuple[list[Row], list[Problem]]:
    rows, problems, seen = [], [], {}
    for line, cells in table.rows:
        row_problems: list[Problem] = []
        texts = {name: cell(cells, positions)[0] for name, positions in at.items()}
        if why := table.one_line(line, texts, multiline=("problem",)):
            problems.append(Problem(line, why))
            continue

        def value(name: str, cells=cells) -> tuple[str, str]:
            text, position = cell(cells, at[name])
            return text, table.header[position] if position is not None else name

        def bad(column: str, text: str, why: str, line=line, found=row_problems) -> None:
            found.append(Problem(line, why, column, text))

        key, column = value("key")
        title, title_column = value("title")
        if not key:
            bad(column, "", "the key is empty")
        elif len(key) > 200:
            bad(column, key[:20] + "…", "a key is at most 200 characters")
        elif key in seen:
            bad(column, key, f"the key repeats line {seen[key]}")
        if not title:
            bad(title_column, "", "the title is empty")
        values: dict = {"title": title[:300]} if title else {}
        problem, _ = value("problem")
        if problem:
            values["problem"] = problem
        for name, known in (("goal", goals), ("team", teams)):
            text, column = value(name)
            if text:
                try:
                    values[name] = known.find(text)
                except ValueError as error:
                    bad(column, text, str(error))
        status_text, _ = value("status")
        if status_text:
            values["status"] = statuses.find(status_text, f"line {line}")
        visibility, column = value("visibility")
        if visibility:
            if visibility.lower() in VISIBILITY_WORDS:
                values["visibility"] = VISIBILITY_WORDS[visibility.lower()]
            else:
                bad(
                    column,
                    visibility,
                    f"partner-visible is not one of {VISIBILITY_ACCEPTED}; or leave it empty: "
                    "a new initiative is internal, one imported before keeps its visibility",
                )
        days = {}
        for name in ("target", "shipped", "status_changed", "previous_target", "target_changed"):
            text, column = value(name)
            if text:
                try:
                    days[name] = parse_date(text, order)
                except ValueError as error:
                    bad(column, text, str(error))
                    continue
                why = implausible(days[name])
                if name == "shipped":
                    why = why or shipped_too_late(days[name])
                if why:
                    bad(column, text, why)
        if "target" in days:
            values["target_date"] = days["target"]
        if "shipped" in days:
            values["actual_date"] = days["shipped"]
        dated = []
        previous, column = value("previous_status")
        if previous or "status_changed" in days:
            old = statuses.find(previous, f"line {line}") if previous else ""
            if "status_changed" not in days:
                bad(column, previous, "a previous status needs the date it changed")
            elif not status_text:
                bad(column, previous, "a previous status needs the status it changed to")
            elif values.get("status"):
                dated.append(
                    ("status", old or "", values["status"], on_day(days["status_changed"]))
                )
        if "previous_target" in days or "target_changed" in days:
            _, column = value("previous_target")
            if "target_changed" not in days:
                bad(column, "", "a previous target date needs the date it changed")
            else:
                old = days.get("previous_target")
                new = values.get("target_date")
                dated.append(
                    ("target_date", text_of(old), text_of(new), on_day(days["target_changed"]))
                )
        problems += row_problems
        if key and key not in seen:
            seen[key] = line
        target_text, _ = value("target")
        rows.append(Row(line, key, values, dated, status_text, target_text))
    return rows, problems


def text_of(value) -> str:
    return "" if value is None else str(value)


def read_history(
    text: str, statuses: Statuses, mapping: dict[str, str], order: tabular.DayOrder
) -> tuple[dict[str, list], list[Problem]]:
    """The history file's changes by key: (field, old, new, at) each."""
    table = read_table(text, file="history")
    at = locate(table.header, HISTORY_HEADERS, mapping, file="history")
    missing = [name for name, positions in at.items() if not positions]
    if missing:
        names = ", ".join(HISTORY_HEADERS[m][0] for m in missing)
        found = tabular.columns_found(table.header)
        raise ImportFailed(
            [Problem(0, f"missing column(s) {names}; columns found: {found}", file="history")]
        )
    changes: dict[str, list] = {}
    problems = []
    for line, cells in table.rows:
        key, when, what, old, new = texts = [cell(cells, at[n])[0] for n in HISTORY_HEADERS]
        if why := table.one_line(line, dict(zip(HISTORY_HEADERS, texts, strict=True))):
            problems.append(Problem(line, why, file="history"))
            continue

        def bad(name: str, text: str, why: str, line=line) -> None:
            problems.append(Problem(line, why, table.header[at[name][0]], text, "history"))

        name = HISTORY_FIELDS.get(what.lower())
        if not key:
            bad("key", "", "the key is empty")
        if name is None:
            bad("field", what, "the field is status or target date")
        try:
            day = parse_date(when, order)
        except ValueError as error:
            bad("date", when, str(error) if when else "the date is empty")
            day = None  # the row's other cells are still checked: every problem at once
        if name == "status":
            old = (statuses.find(old, f"history line {line}") or "") if old else ""
            new = (statuses.find(new, f"history line {line}") or "") if new else ""
        elif name == "target_date":
            try:
                old = text_of(parse_date(old, order)) if old else ""
            except ValueError as error:
                bad("old", old, str(error))
            try:
                new = text_of(parse_date(new, order)) if new else ""
            except ValueError as error:
                bad("new", new, str(error))
        if key and name and day:
            changes.setdefault(key, []).append((name, old, new, on_day(day), line))
    return changes, problems


# Importing


def import_roadmap(
    workspace: Workspace,
    text: str,
    history: str = "",
    file_format: str = "auto",
    mapping: dict[str, str] | None = None,
    statuses: dict[str, str] | None = None,
    by=None,
    where: tabular.Where = "cli",
) -> ImportResult:
    """Create or update initiatives keyed by the file's keys; any problem rejects both files.

    `mapping` reads a field from another column (field → column); `statuses` maps more of the
    file's statuses (as written → a Status value) and is kept as the workspace's mapping when
    the import succeeds. `history` is the text of a history file (key, date, field, old, new).
    `where` the import runs ("cli" or "page") decides how advice names the options.
    """
    mapping = dict(mapping or {})
    statuses = {word: OWN_WORDS.get(s.strip().lower(), s) for word, s in (statuses or {}).items()}
    problems = check_options(file_format, mapping, statuses)
    if problems:
        raise ImportFailed(problems)
    table = read_table(text)
    if file_format == "auto":
        file_format = detect_format(table.header)
    at = locate(table.header, names_for(file_format), mapping)
    missing = [name for name in ("key", "title") if not at[name]]
    if missing:
        raise ImportFailed([missing_columns(table.header, file_format, missing, where)])
    lookup = Statuses(workspace, statuses)
    source = Source(file_format).value
    order = tabular.day_order(f"{text}\n{history}")  # one tool wrote both
    rows, problems = clean_rows(table, at, Goals(workspace), Teams(workspace), lookup, order)
    problems += promised_without_date(workspace, source, rows)
    problems.sort(key=lambda problem: problem.line)
    dated: dict[str, list] = {}
    if history.strip():
        history_mapping = {
            k.removeprefix("history."): v for k, v in mapping.items() if k.startswith("history.")
        }
        dated, history_problems = read_history(history, lookup, history_mapping, order)
        history_problems += unknown_keys(workspace, source, dated, rows)
        problems += sorted(history_problems, key=lambda problem: problem.line)
    if problems or lookup.unmapped:
        raise ImportFailed(problems, lookup.unmapped)
    try:
        result = save_roadmap(workspace, source, rows, dated, statuses, by)
    except IntegrityError:
        why = "another import added some of these initiatives meanwhile; import the file again"
        raise ImportFailed([Problem(0, why)]) from None
    result.file_format = file_format
    read = {position for positions in at.values() for position in positions}
    result.ignored_columns = [t for i, t in enumerate(table.header) if i not in read and t]
    return result


def names_for(file_format: str) -> dict[str, tuple[str, ...]]:
    own = HEADERS[file_format] if file_format != "csv" else {}
    return {name: own.get(name, ()) + HEADERS["csv"][name] for name in FIELDS}


def check_options(file_format: str, mapping: dict, statuses: dict) -> list[Problem]:
    problems = []
    if file_format not in (*FORMATS, "auto"):
        problems.append(
            Problem(0, f"no format {file_format!r}; formats: {', '.join(FORMATS)}, auto")
        )
    history_fields = {f"history.{name}" for name in HISTORY_HEADERS}
    unknown = sorted(set(mapping) - set(FIELDS) - history_fields)
    if unknown:
        problems.append(
            Problem(0, f"unknown field(s) {', '.join(unknown)}; fields: {', '.join(FIELDS)}")
        )
    for word, status in statuses.items():
        if status not in Status.values:
            problems.append(
                Problem(0, f"{status!r} (for {word!r}) is not one of {', '.join(Status.values)}")
            )
    return problems


def unknown_keys(workspace: Workspace, source: str, dated: dict, rows: list[Row]) -> list[Problem]:
    """A history row for each key that names no initiative of the file or imported before."""
    others = set(dated) - {row.key for row in rows}
    imported = Initiative.all_objects.filter(workspace=workspace, source=source)
    known = set(imported.filter(source_key__in=others).values_list("source_key", flat=True))
    why = "no initiative with this key in the file or imported before"
    return [Problem(dated[key][0][4], why, "key", key, "history") for key in others - known]


def missing_columns(
    header: list[str], file_format: str, missing: list[str], where: tabular.Where = "cli"
) -> Problem:
    wanted = ", ".join(f"{name} (e.g. {names_for(file_format)[name][0]!r})" for name in missing)
    found = tabular.columns_found(header)
    why = (
        f"missing column(s) for {wanted} in {FORMATS[file_format]}'s export; columns found: "
        f"{found}. {name_columns(where)}"
    )
    return Problem(0, why)


def name_columns(where: tabular.Where) -> str:
    """Advice to name the columns of fields by hand, as it is done where the import runs."""
    if where == "page":
        return (
            f"Name them under “{COLUMNS_FIELD}”, one field=Column a line, e.g. title=Feature name"
        )
    return 'Name them with --map, e.g. --map title="Feature name"'


@transaction.atomic
def save_roadmap(
    workspace: Workspace, source: str, rows: list[Row], dated: dict, statuses: dict, by
) -> ImportResult:
    """Create the new initiatives, update the others, and record what changed and when."""
    for word, status in statuses.items():
        set_status_mapping(workspace, word, status)
    now = timezone.now()
    # Archived ones too: importing the same export again updates them in place (they stay
    # archived) rather than adding a second initiative with their key.
    imported = Initiative.all_objects.filter(workspace=workspace, source=source)
    existing = {i.source_key: i for i in imported.prefetch_related("changes")}
    result, history, refused = ImportResult(), [], []
    for row in rows:
        initiative = existing.get(row.key)
        if why := archived_team(row.values.get("team"), initiative):
            refused.append(Problem(row.line, why, "team", row.values["team"].name))
        file_history = row.dated + [c[:4] for c in dated.get(row.key, [])]
        if initiative is None:
            initiative = Initiative(workspace=workspace, source=source, source_key=row.key)
            initiative.key = row.key if len(row.key) <= 40 else ""
            set_values(initiative, row.values, file_history)
            initiative.save()
            result.created += 1
            known = set()
            before = None
        else:
            before = {name: text_of(getattr(initiative, name)) for name in TRACKED_FIELDS}
            known = {
                (c.field, c.old_value, c.new_value, c.changed_at) for c in initiative.changes.all()
            }
            if set_values(initiative, row.values, file_history):
                initiative.save()
                result.updated += 1
            else:
                result.unchanged += 1
        if initiative.status in COMMITTED and initiative.target_date is None:
            why = promise_without_date(initiative.title, initiative.get_status_display().lower())
            refused.append(Problem(row.line, why))
        for change in file_history:
            if change not in known:
                known.add(change)
                history.append(change_of(initiative, *change, by=None))
                result.history += 1
        if before is not None:
            for name, old in before.items():
                new = text_of(getattr(initiative, name))
                if old != new and not explained(file_history, name, old, new):
                    history.append(change_of(initiative, name, old, new, now, by=by))
                    result.changes += 1
            tell_changes(initiative, before)
    if refused:
        raise ImportFailed(refused)  # rolls the transaction back: nothing imported
    others = history_of_others(existing, dated, rows)
    result.history += len(others)
    InitiativeChange.objects.bulk_create(history + others)
    bump(workspace.pk)  # bulk writes send no signal
    if result.created or result.updated:
        transaction.on_commit(lambda: roadmap_imported.send(Initiative, workspace=workspace))
    return result


def tell_changes(initiative: Initiative, before: dict[str, str]) -> None:
    """Raise what roadmap.actions.save_initiative raises for the same change: a slip that came
    through a file is still a slip leadership and webhooks hear of. Each notification is sent
    once the import's transaction commits, and only for initiatives whose values changed."""
    told = {}
    for name in TOLD_FIELDS:
        new = text_of(getattr(initiative, name))
        if before[name] != new:
            told[name] = (before[name], new)
    notify.initiative_changed(initiative, told)
    if initiative.status in COMMITTED and before["target_date"]:
        notify.committed_slip(initiative, date.fromisoformat(before["target_date"]))


def history_of_others(existing: dict, dated: dict, rows: list[Row]) -> list[InitiativeChange]:
    """The past changes a history file gives of initiatives imported before and not in this
    roadmap file, each once (unknown_keys refused every other key)."""
    found = []
    for key in set(dated) - {row.key for row in rows}:
        initiative = existing[key]
        known = {
            (c.field, c.old_value, c.new_value, c.changed_at) for c in initiative.changes.all()
        }
        for change in dict.fromkeys(c[:4] for c in dated[key]):
            if change not in known:
                found.append(change_of(initiative, *change, by=None))
    return found


def promised_without_date(workspace: Workspace, source: str, rows: list[Row]) -> list[Problem]:
    """Each row that would leave its initiative committed (or in progress) with no target date,
    said with the file's other problems rather than after they are fixed (save_roadmap checks
    again, as it saves). A status not mapped yet counts when it plainly reads as committed
    ("commit", "committed to"): "now" or "doing" may yet be mapped to a status that promises no
    date. A target date that could not be read is a problem already."""
    imported = Initiative.all_objects.filter(
        workspace=workspace, source=source, source_key__in=[row.key for row in rows]
    )
    before = {i.source_key: (i.status, i.target_date) for i in imported}
    problems = []
    for row in rows:
        status, target = before.get(row.key, (Status.EXPLORING, None))
        if row.status_text and not row.values.get("status"):
            status = (
                suggest(row.status_text) if suggest(row.status_text) == Status.COMMITTED else ""
            )
        status = row.values.get("status") or status
        target = row.values.get("target_date", target)
        if status not in COMMITTED or target is not None or row.target_text:
            continue
        said = Status(status).label.lower()
        if not row.values.get("status"):
            said = f"{row.status_text!r} (usually {said})"
        why = promise_without_date(row.values.get("title") or row.key, said)
        problems.append(Problem(row.line, why))
    return problems


def archived_team(team: Team | None, initiative: Initiative | None) -> str | None:
    """Why a row may not give this team: an archived team takes no new initiative, as the
    people pages refuse it, though one that has it already keeps it."""
    if team is None or not team.archived or (initiative and initiative.team_id == team.pk):
        return None
    return "this team is archived and takes no new initiative; name another team"


def promise_without_date(title: str, status: str) -> str:
    return (
        f"{title!r} is {status} but has no target date: a commitment is to a date, "
        "so give its target date (or a status that promises none, such as planned)"
    )


def set_values(initiative: Initiative, values: dict, file_history: list) -> bool:
    """Set what the file gives; whether anything changed. Only a shipped one has a ship date:
    the file's, else the day it became shipped in the history, else its target date if that
    has come, else today (it is shipped, so at the latest today)."""
    values = dict(values)
    status = values.get("status", initiative.status)
    if status == Status.SHIPPED and "actual_date" not in values and not initiative.actual_date:
        became = [at for f, _, new, at in file_history if f == "status" and new == Status.SHIPPED]
        shipped_on = timezone.localtime(max(became)).date() if became else None
        target = values.get("target_date", initiative.target_date)
        if target is not None:
            target = min(target, timezone.localdate())
        values["actual_date"] = shipped_on or target
    if status != Status.SHIPPED:
        values["actual_date"] = None
    changed = False
    for name, value in values.items():
        if getattr(initiative, name) != value:
            setattr(initiative, name, value)
            changed = True
    return changed


def explained(file_history: list, name: str, old: str, new: str) -> bool:
    """Whether the files' history already holds this change, on the day it happened."""
    latest = [c for c in sorted(file_history, key=lambda c: c[3]) if c[0] == name][-1:]
    return bool(latest) and latest[0][1] == old and latest[0][2] == new


def change_of(initiative, name, old, new, at, by=None) -> InitiativeChange:
    return InitiativeChange(
        initiative=initiative,
        field=name,
        old_value=old,
        new_value=new,
        changed_at=at,
        changed_by=by,
    )
