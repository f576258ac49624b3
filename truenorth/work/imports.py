"""Import work items from a tracker's export: every row valid, or nothing imported.

Formats (`trackers.py` reads them): `csv` (any header, `mapping` names the columns),
`jira-csv`, `linear-csv`, `github-json`, or `auto` to recognise one of those. Items are keyed by
(workspace, source, key): importing again updates them in place and records each change of
status, points, due date or resolved date as a WorkItemChange.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError
from django.utils import timezone

from truenorth.bulk import rows_by_key, stamp, update_rows
from truenorth.days import implausible
from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.tabular import (
    DayOrder,
    ImportFailed,
    RowError,
    Where,
    day_order,
    parse_date,
    read_text,
    separator,
    shown,
)
from truenorth.work import trackers
from truenorth.work.actions import LINK_FIELDS, drop_pending_suggestions, follow_mappings
from truenorth.work.models import LinkedBy, Source, WorkItem, WorkItemChange
from truenorth.work.traceability import DECIDED_AGAINST, mapping_index
from truenorth.workspaces.figures import bump, write_planned
from truenorth.workspaces.models import Team, Workspace

FIELDS = trackers.ROW_FIELDS
FORMATS = ("csv", "jira-csv", "linear-csv", "github-json")
SOURCE_OF_FORMAT = {
    "csv": Source.CSV,
    "jira-csv": Source.JIRA,
    "linear-csv": Source.LINEAR,
    "github-json": Source.GITHUB,
}
HISTORY_FIELDS = ("status", "points", "due_on", "resolved_on")
# A row's value for an item the file does not place in a team: the team chosen for the import
# (or None), which an item already in a team does not take (settle_team).
TEAM_IF_NONE = "team_if_none"
MAX_URL = 500  # WorkItem.url's max_length
MAX_POINTS = Decimal("999999.9")  # what DecimalField(max_digits=7, decimal_places=1) holds
DECIMAL_COMMA = re.compile(r"\d+,\d+")
REPORT_EVERY = 1000  # rows between two calls of the progress callback
# Statuses trackers write for work not finished, and for work finished: any other status of an
# item with no resolved date is named by the import, since it is counted as open work.
OPEN_STATUSES = (
    "to do",
    "todo",
    "open",
    "new",
    "backlog",
    "triage",
    "selected for development",
    "ready",
    "ready for development",
    "in progress",
    "in development",
    "started",
    "doing",
    "in review",
    "code review",
    "review",
    "in qa",
    "qa",
    "testing",
    "blocked",
    "reopened",
    "unstarted",
)
DONE_STATUSES = ("done", "closed", "resolved", "complete", "completed", "fixed", "released")
KNOWN_STATUSES = frozenset((*OPEN_STATUSES, *DONE_STATUSES, *DECIDED_AGAINST))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0  # items already there that the file changed
    unchanged: int = 0  # items already there that the file left as they were
    changes: int = 0  # WorkItemChange rows recorded
    skipped: int = 0  # pull requests in a GitHub file
    mapped: int = 0  # items linked by the workspace's tracker mappings
    unlinked: int = 0  # items a mapping had linked that no mapping matches any more
    keys: list[str] = field(default_factory=list)
    # {"key", "from", "to"} of each item already there whose goal or initiative the file changed
    relinked: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # of a CSV, as the file names them
    # {key: fields} of each item already there that had a value the file or body empties
    emptied: dict[str, list[str]] = field(default_factory=dict)
    file_format: str = ""  # the format read: for "auto", the one the file was recognised as
    teamless: list[str] = field(default_factory=list)  # keys of the file's items with no team
    # items the file does not place that kept the team they were in, another than the one
    # chosen for the import (or any, where none was chosen)
    kept_team: int = 0
    # {team name the file gives that no team has, or "" where it gives none: items with no team}
    no_team: dict[str, int] = field(default_factory=dict)
    # {status not recognised: items with it and no resolved date, counted as open work}
    statuses: dict[str, int] = field(default_factory=dict)


def counted(n: int, thing: str) -> str:
    """ "1 item", "2 items"."""
    return f"{n} {thing}{'' if n == 1 else 's'}"


def no_team_note(no_team: dict[str, int]) -> str:
    """What the report says of the items left with no team ("" when there are none): "30 items
    have no team: no team is called “Platform Engineering”. …"."""
    total = sum(no_team.values())
    if not total:
        return ""
    names = [name for name in no_team if name]
    unnamed = no_team.get("", 0)
    each = len(names) > 1 or unnamed
    called = " or ".join(
        f"“{name}”" + (f" ({counted(no_team[name], 'item')})" if each else "") for name in names
    )
    if names and unnamed:
        why = f"no team is called {called}, and the file names none for {unnamed}"
    elif names:
        why = f"no team is called {called}"
    else:
        why = "the file names none"
    has = "has" if total == 1 else "have"
    advice = "Choose a team for them when importing" + (
        ", or name the team in the file" if names else ""
    )
    return f"{counted(total, 'item')} {has} no team: {why}. {advice}."


def kept_team_note(kept: int, sent: bool = False) -> str:
    """What the report says of the items that kept the team they were in ("" for none); `sent`:
    items sent to the API, whose body has no file to name."""
    if not kept:
        return ""
    it, it_was = ("it", "it was") if kept == 1 else ("them", "they were")
    if sent:
        why = f"{it_was} sent with no team, and the body's team goes only to items with none."
    else:
        why = (
            f"the file does not place {it}, and a team chosen for the import goes only to items "
            "with none."
        )
    return (
        f"{counted(kept, 'item')} kept the team {it_was} in (placed by hand or by an earlier "
        f"import): {why}"
    )


def statuses_note(statuses: dict[str, int]) -> str:
    """What the report says of statuses it does not know ("" when it knows them all)."""
    if not statuses:
        return ""
    ranked = sorted(statuses.items(), key=lambda pair: -pair[1])
    said = ", ".join(
        f"{status} ({counted(n, 'item') if i == 0 else n})" for i, (status, n) in enumerate(ranked)
    )
    return (
        f"Statuses not recognised, counted as open work: {said}. Work counts as done once the "
        "file gives its resolved date, and as dropped when its status is Won't Do, Cancelled, "
        "Duplicate or the like: truenorth maps no other status (docs/traceability.md)."
    )


def report_notes(no_team: dict[str, int], kept_team: int, statuses: dict[str, int]) -> list[str]:
    """What an import says under its counts, on the run's page and on the command line alike:
    the items left with no team, those that kept theirs, the statuses it did not recognise."""
    notes = [no_team_note(no_team), kept_team_note(kept_team), statuses_note(statuses)]
    return [note for note in notes if note]


def recognised_status(status: str) -> bool:
    return status.strip().lower() in KNOWN_STATUSES


# Parsing values


def parse_points(text: str, decimal_comma: bool = False) -> Decimal:
    """Points as written; with `decimal_comma` (a file separated by semicolons, as Excel saves
    one where "," is the decimal point) 3,5 is three and a half."""
    try:
        points = Decimal(text.replace(",", ".") if decimal_comma else text)
    except InvalidOperation:
        # "3,5" from a spreadsheet where "," is the decimal point, saved with commas between cells
        hint = (
            " (write 3.5: a comma separates the columns)" if DECIMAL_COMMA.fullmatch(text) else ""
        )
        raise ValueError(f"points {shown(text)} is not a number{hint}") from None
    if not points.is_finite() or points < 0:
        raise ValueError(f"points {shown(text)} must be zero or more")
    if points > MAX_POINTS:
        raise ValueError(f"points {shown(text)} is more than {MAX_POINTS}")
    return points.quantize(Decimal("0.1"))


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
            self.goals[f"#{goal.rank}"] = goal

    def find(self, kind: str, text: str):
        found = getattr(self, kind + "s").get(text.lower())
        if found is None:
            raise ValueError(f"no {kind} named {text!r} in this workspace")
        return found


def check_url(url: str) -> str:
    if len(url) > MAX_URL:
        raise ValueError(f"url {shown(url)} is longer than {MAX_URL} characters")
    try:
        URLValidator()(url)
    except ValidationError:
        raise ValueError(f"url {shown(url)} is not a web address") from None
    return url


def clean_row(
    row: dict,
    lookups: Lookups,
    generic: bool,
    order: DayOrder = "",
    decimal_comma: bool = False,
    team: Team | None = None,
) -> tuple[dict, list[str]]:
    """One row's WorkItem field values, and every problem with them (none: the row is good),
    so that a file is corrected in one go rather than one problem per try.

    Only the fields the row has get a value: a file without a column for a field leaves that
    field of an item imported before as it is. In the generic CSV a team must exist and an
    initiative or goal may be named; from a tracker the team is the workspace's team of that
    name if there is one, and links never come. A row whose team the file does not give (or,
    from a tracker, names as no team of the workspace) does not place its item: it gets
    TEAM_IF_NONE, `team`'s id or None, for settle_team. In the generic CSV with no `team`
    chosen an empty cell still empties the item's team, as the API's record sent without one.
    """
    problems: list[str] = []

    def read(parse: Callable, text: str, column: str = ""):
        """parse(text), or None for an empty text or a problem, which is noted."""
        if not text:
            return None
        try:
            return parse(text)
        except ValueError as error:
            problems.append(f"{column} {error}" if column else str(error))
            return None

    for name in ("key", "title"):
        if not row.get(name):
            problems.append(f"{name} is empty")
    if len(row.get("key", "")) > 100:
        problems.append(f"key {row['key'][:20]!r}… is longer than 100 characters")
    given = {
        "title": lambda text: text[:500],
        "status": lambda text: text[:60],
        "points": lambda text: read(lambda t: parse_points(t, decimal_comma), text),
        "kind": lambda text: text[:60],
        "project": lambda text: text[:200],
        "parent": lambda text: text[:100],
        "labels": lambda labels: list(dict.fromkeys(labels)),
        "url": lambda text: read(check_url, text) or "",
        "created": lambda text: read(lambda t: plausible_day(t, order), text, "created"),
        "resolved": lambda text: read(lambda t: plausible_day(t, order), text, "resolved"),
        "due": lambda text: read(lambda t: plausible_day(t, order), text, "due"),
    }
    values: dict = {
        ITEM_FIELD.get(name, name): clean(row[name]) for name, clean in given.items() if name in row
    }
    if "team" in row or team:
        named = row.get("team", "")
        if generic:
            found = read(lambda name: lookups.find("team", name), named)
        else:
            found = lookups.teams.get(named.lower())
        if found or (generic and (named or team is None)):
            values["team_id"] = found.pk if found else None
        else:
            values[TEAM_IF_NONE] = team.pk if team else None
    if generic:
        for kind in ("initiative", "goal"):
            if found := read(lambda name, kind=kind: lookups.find(kind, name), row.get(kind, "")):
                values[f"{kind}_id"] = found.pk
    return values, problems


def plausible_day(text: str, order: DayOrder) -> date:
    """The day a cell gives, refused as the API refuses it when the year is more likely a typo
    ("9999-01-01")."""
    day = parse_date(text, order)
    if why := implausible(day):
        raise ValueError(why)
    return day


# A row's field and the WorkItem field it sets, where their names differ.
ITEM_FIELD = {
    "parent": "parent_key",
    "created": "created_on",
    "resolved": "resolved_on",
    "due": "due_on",
}


# Reading


def csv_columns(mapping: dict[str, str]) -> dict[str, str]:
    """The generic CSV's column for each field: the mapping's, else the field's own name."""
    return {name: mapping.get(name, name) for name in FIELDS}


def read_rows(
    text: str,
    file_format: str,
    mapping: dict[str, str],
    project: str,
    key_from_row: bool,
    where: Where = "cli",
) -> tuple[list[trackers.RawRow], int]:
    """The file's rows, and how many items were skipped (pull requests)."""
    if file_format == "jira-csv":
        return trackers.read_jira(text, where), 0
    if file_format == "linear-csv":
        return trackers.read_linear(text, where), 0
    if file_format == "github-json":
        return trackers.read_github(text, project, where)
    return trackers.read_mapped_csv(text, mapping, key_from_row, where), 0


def import_work_items(
    workspace: Workspace,
    stream: TextIO,
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    file_format: str = "csv",
    project: str = "",
    key_from_row: bool = False,
    progress: Callable[[int, int], None] | None = None,
    where: Where = "cli",
    team: Team | None = None,
) -> ImportResult:
    """Create or update work items keyed by (source, key); any bad row rejects the whole file.

    `mapping` (csv only) reads a field from another column; `project` is the GitHub repository
    (owner/repo) for items that do not name theirs; `source` defaults to the format's tracker.
    `progress(done, total)` is told how many rows have been checked, every thousand rows, and
    (done == total) once all are, just before they are saved. Saving is one transaction, so
    nothing is half imported; for the same reason its progress could not be seen from outside.
    `where` the import runs ("cli" or "page") decides how advice names the options. `team`
    (one of the workspace's) is the team of the items whose team the file does not give, or
    gives as a name no team has; the result names the items left with no team.
    """
    mapping = mapping or {}
    text = read_text(stream)
    if file_format == "auto" and (mapping or key_from_row):
        file_format = "csv"  # column names say it is a CSV of its own
    elif file_format == "auto":
        file_format = trackers.recognised(text)
        if not file_format:
            raise ImportFailed([RowError(0, trackers.not_recognised(text, where))])
    if file_format not in FORMATS:
        known = ", ".join([*FORMATS, "auto"])
        raise ImportFailed([RowError(0, f"no format {file_format!r}; formats: {known}")])
    source = source or SOURCE_OF_FORMAT[file_format]
    if source not in Source.values:
        raise ImportFailed([RowError(0, f"no tracker {source!r}; sources: {Source.values}")])
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ImportFailed(
            [RowError(0, f"unknown field(s) in mapping: {', '.join(sorted(unknown))}")]
        )
    if (mapping or key_from_row) and file_format != "csv":
        raise ImportFailed([RowError(0, "--map and --key-from-row apply only to --format csv")])
    if project and file_format != "github-json":
        raise ImportFailed([RowError(0, "--project applies only to --format github-json")])
    try:
        rows, skipped = read_rows(text, file_format, mapping, project, key_from_row, where)
    except trackers.WrongFormat as error:
        raise ImportFailed([RowError(0, str(error))]) from None
    generic = file_format == "csv"
    # Excel saves with semicolons where "," is the decimal point (3,5 points).
    decimal_comma = file_format != "github-json" and separator(text) == ";"
    if team is not None and team.workspace_id != workspace.pk:
        raise ImportFailed([RowError(0, f"no team {team.name!r} in this workspace")])
    items = clean_rows(workspace, rows, generic, day_order(text), progress, decimal_comma, team)
    try:
        result = save_work_items(workspace, source, items)
    except IntegrityError:
        # Only another import of the same new keys, committed while this one ran, gets here.
        message = "another import added some of these items meanwhile; import the file again"
        raise ImportFailed([RowError(0, message)]) from None
    result.skipped, result.file_format = skipped, file_format
    result.ignored_columns = trackers.ignored_columns(text, file_format, csv_columns(mapping))
    named = {row.fields.get("key", ""): row.fields.get("team", "") for row in rows}
    result.no_team = dict(Counter(named.get(key, "") for key in result.teamless))
    return result


def clean_rows(
    workspace,
    rows: list[trackers.RawRow],
    generic: bool,
    order: DayOrder = "",
    progress: Callable[[int, int], None] | None = None,
    decimal_comma: bool = False,
    team: Team | None = None,
) -> list[tuple[str, dict]]:
    lookups, errors, items, seen = Lookups(workspace), [], [], {}
    for done, row in enumerate(rows):
        if progress and done % REPORT_EVERY == 0:
            progress(done, len(rows))
        key = row.fields.get("key", "")
        if "error" in row.fields:  # a quote left open, an item that is no issue: nothing to read
            problems = [row.fields["error"]]
        else:
            values, problems = clean_row(row.fields, lookups, generic, order, decimal_comma, team)
            if key in seen:
                problems.insert(0, f"key {key!r} repeats {seen[key]}")
        errors += [RowError(row.line, why, "" if row.line else row.where) for why in problems]
        if key:
            seen.setdefault(key, row.where)
        if not problems:
            items.append((key, values))
    if errors:
        raise ImportFailed(errors)
    if progress:
        progress(len(rows), len(rows))
    return items


# Saving


@dataclass
class SavePlan:
    """What saving the file writes, worked out from the items as they were."""

    result: ImportResult
    new: list[WorkItem] = field(default_factory=list)
    changed: list[WorkItem] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    history: list[WorkItemChange] = field(default_factory=list)
    mapped: list[WorkItem] = field(default_factory=list)  # existing items whose mapping link moved


def save_work_items(workspace: Workspace, source: str, items: list[tuple[str, dict]]):
    """Bulk create the new items, bulk update the changed ones, record their changes and link
    them as the editor's tracker mappings say: one transaction, so all or nothing.

    Reading the existing items and working out every change happens before that transaction,
    which only writes (figures.write_planned): on SQLite it holds the one write lock, and
    answers sent meanwhile wait for it.
    """
    return write_planned(
        workspace,
        lambda: plan_save(workspace, source, items),
        lambda plan: write_save(workspace, plan),
    )


def plan_save(workspace: Workspace, source: str, items: list[tuple[str, dict]]) -> SavePlan:
    now = timezone.now()
    existing = existing_items(workspace, source, [key for key, _ in items])
    plan, changed, moved = SavePlan(ImportResult()), {}, []
    for key, values in items:
        plan.result.keys.append(key)
        item = existing.get(key)
        values, kept = settle_team(values, item.team_id if item else None)
        plan.result.kept_team += kept
        if item is None:
            linked = LinkedBy.IMPORT if values.get("initiative_id") or values.get("goal_id") else ""
            plan.new.append(
                WorkItem(
                    workspace=workspace, source=source, external_key=key, linked_by=linked, **values
                )
            )
            continue
        plan.history += [
            WorkItemChange(item=item, field=name, old_value=before, new_value=after, changed_at=now)
            for name, before, after in changes(item, values)
        ]
        if gone := emptied(item, values):
            plan.result.emptied[key] = gone
        before = link_of(item)
        if fields := apply(item, values):
            changed[item.pk] = item
            plan.fields |= fields
        if link_of(item) != before:
            moved.append((key, before, link_of(item)))
    # New and changed items follow the editor's tracker mappings (epic, label, project).
    index = mapping_index(workspace)
    linked, applied = follow_mappings(index, [*existing.values(), *plan.new])
    plan.mapped = [item for item in linked if item.pk is not None]
    changed.update((item.pk, item) for item in plan.mapped)
    if plan.mapped:
        plan.fields |= set(LINK_FIELDS)
    plan.changed = list(changed.values())
    result = plan.result
    result.created, result.changes, result.mapped = len(plan.new), len(plan.history), applied.linked
    result.updated = len(changed)
    result.unchanged = len(existing) - result.updated
    result.unlinked = applied.unlinked
    result.relinked = relinks(workspace, moved)
    final = [*plan.new, *existing.values()]
    result.teamless = [item.external_key for item in final if item.team_id is None]
    unknown = [
        item.status
        for item in final
        if item.status and item.resolved_on is None and not recognised_status(item.status)
    ]
    result.statuses = dict(Counter(unknown))
    return plan


def settle_team(values: dict, team_id: int | None) -> tuple[dict, bool]:
    """A row's values for an item in `team_id` (None: in no team, or new), and whether the item
    keeps a team other than the one chosen for the import. An item the file does not place
    (TEAM_IF_NONE) takes the chosen team only when it has none: a team someone placed it in by
    hand, or an earlier import, is not undone by a choice meant for the items the file leaves
    without one."""
    if TEAM_IF_NONE not in values:
        return values, False
    values = dict(values)
    chosen = values.pop(TEAM_IF_NONE)
    if team_id is None:
        return {**values, "team_id": chosen}, False
    return values, team_id != chosen


def link_of(item: WorkItem) -> tuple[int | None, int | None]:
    return item.initiative_id, item.goal_id


def relinks(workspace: Workspace, moved: list[tuple]) -> list[dict]:
    """Each link the file moved, in words. Said out loud because a goal named by its rank ("#2")
    is the goal of that rank today: after goals are re-ranked (one archived and restored comes
    back last) the same file links its items to another goal."""
    if not moved:
        return []
    initiatives = {
        i.pk: f"initiative {i.title}" for i in Initiative.all_objects.filter(workspace=workspace)
    }
    goals = {
        g.pk: f"goal {g.title} (archived)" if g.archived_at else f"goal #{g.rank} {g.title}"
        for g in Goal.all_objects.filter(workspace=workspace)
    }

    def named(link: tuple[int | None, int | None]) -> str:
        initiative_id, goal_id = link
        return initiatives.get(initiative_id) or goals.get(goal_id) or "nothing"

    return [{"key": key, "from": named(old), "to": named(new)} for key, old, new in moved]


def write_save(workspace: Workspace, plan: SavePlan) -> ImportResult:
    WorkItem.objects.bulk_create(plan.new, batch_size=500)
    stamp(plan.changed)
    update_rows(plan.changed, sorted(plan.fields | {"updated_at"}))
    WorkItemChange.objects.bulk_create(plan.history, batch_size=500)
    drop_pending_suggestions(plan.mapped)
    bump(workspace.pk)  # bulk writes send no signal
    return plan.result


def existing_items(workspace: Workspace, source: str, keys: list[str]) -> dict[str, WorkItem]:
    items = WorkItem.objects.filter(workspace=workspace, source=source)
    return rows_by_key(items, "external_key", keys)


def changes(item: WorkItem, values: dict) -> list[tuple[str, str, str]]:
    """(field, old, new) for each history field whose value the file changes."""
    return [
        (name, as_text(getattr(item, name)), as_text(values[name]))
        for name in HISTORY_FIELDS
        if name in values and getattr(item, name) != values[name]
    ]


# A WorkItem field as a row (and the API) names it, where their names differ.
ROW_FIELD = {item_field: name for name, item_field in ITEM_FIELD.items()} | {"team_id": "team"}


def emptied(item: WorkItem, values: dict) -> list[str]:
    """The fields, as a row names them, that the item has and the row's values empty: an
    API record sent without its team says so, rather than clear it without a word."""
    return [
        ROW_FIELD.get(name, name)
        for name, value in values.items()
        if value in (None, "", []) and getattr(item, name) not in (None, "", [])
    ]


def apply(item: WorkItem, values: dict) -> set[str]:
    """Set the file's values on an existing item; the names of the fields that changed.

    A link the file names replaces the item's link; a file that names none leaves the link an
    editor, a mapping or an accepted suggestion made.
    """
    values = dict(values)
    link = {name: values.pop(name, None) for name in ("initiative_id", "goal_id")}
    if any(link.values()) and link != {name: getattr(item, name) for name in link}:
        values = {**values, **link, "linked_by": LinkedBy.IMPORT}
    changed = set()
    for name, value in values.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.add(name.removesuffix("_id"))
    return changed


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
