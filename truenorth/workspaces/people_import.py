"""Import people from an HR system's CSV export, or its people sent to the API as JSON
(import_rows): every row valid, or nothing changed.

Columns are recognised by their usual headers (`HEADERS`), or named with `mapping` (field →
column), as for work items. People are keyed by email, whatever its case, and saved in lower
case: importing again updates them in place. A team the file names that does not exist is
created; a manager is given by email, or by a full name exactly one person here or in the file
has, and may be someone further down the same file. An empty cell leaves that field as it is.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction

from truenorth.bulk import update_rows
from truenorth.tabular import ImportFailed, RowError, cell, read_table, read_text
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Person, Team, Workspace
from truenorth.workspaces.people import function_of, link_logins, role_of

# Each field, and the headers (lower case, words only) an HR export calls it by, best first.
HEADERS = {
    "name": ("name", "full name", "display name", "employee name", "preferred name"),
    "first_name": ("first name", "given name"),
    "last_name": ("last name", "surname", "family name"),
    "email": ("email", "work email", "email address", "work email address", "e mail"),
    "function": ("function", "department"),
    "team": ("team", "team name"),
    "manager": ("manager email", "manager", "manager e mail", "reports to", "supervisor email"),
    "role": ("role", "truenorth role"),
    "title": ("title", "job title", "position"),
}
FIELDS = tuple(HEADERS)
# Said where a department is not one of truenorth's functions: HR tools have their own names
# ("R&D", "Revenue"), and editing every row of an export is what a mapping spares.
MAP_DEPARTMENT = (
    "; or say which function it is under “Departments” (the command line's "
    "--function 'DEPARTMENT=function')"
)
MAP_DEPARTMENT_IN_BODY = "; or map it to one in `departments`"


def recognised(field: str) -> str:
    """The headers recognised for a field, as the import page lists them: "Email, Work email,
    …, E-mail"."""
    return ", ".join(alias.replace("e mail", "e-mail").capitalize() for alias in HEADERS[field])


# How alike two team names are (difflib's ratio) for one to be said to be a typo of the other:
# "Suport" and "Support" 0.92, "Platfrom Squad" and "Platform Squad" 0.93; "Sales" and "Sales
# EMEA" 0.67, two teams people name on purpose.
TYPO_CUTOFF = 0.85
LIMITS = {"name": 200, "email": 254, "title": 200, "team": 200}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0  # people already here whom the file changed
    unchanged: int = 0
    teams_created: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    # Each team created whose name is close to a team that was here: "Suport" beside "Support".
    teams_like: dict[str, str] = field(default_factory=dict)

    @property
    def new_people(self) -> str:
        return f"{self.created} new {'person' if self.created == 1 else 'people'}"

    @property
    def teams_in_words(self) -> str:
        """ "Created teams: Suport (close to Support: a typo? …)." or "" when none was."""
        if not self.teams_created:
            return ""
        named = ", ".join(
            f"{team} (close to {self.teams_like[team]}: if a typo, move its people to "
            f"{self.teams_like[team]} on People and archive it on Teams)"
            if team in self.teams_like
            else team
            for team in self.teams_created
        )
        return f"Created teams: {named}."


@dataclass
class Row:
    line: int
    email: str  # lower case, as people are saved and matched
    values: dict  # Person fields the file gives (non-empty cells only)
    team: str = ""
    manager: str = ""  # an email, lower case, once find_managers has read the cell


@dataclass(frozen=True)
class Columns:
    """Where each field is read, as a report names it: a file's column by its header and a row
    by its line, or (`in_body`) an API body's field by its own name and a person by their place
    in its `items` (line n is items[n - 1])."""

    headers: dict[str, str]  # field: the column it is read from
    in_body: bool = False

    def __contains__(self, name: str) -> bool:
        return name in self.headers

    def cell(self, name: str, value: str) -> str:
        """ "column 'Email', value 'x':", or "email 'x':" for a body."""
        shown = value if len(value) <= 60 else value[:60] + "…"
        if self.in_body:
            return f"{name} {shown!r}:"
        return f"column {self.headers[name]!r}, value {shown!r}:"

    def empty(self, name: str) -> str:
        if self.in_body:
            return f"{name}: empty"
        return f"column {self.headers[name]!r}: the {name} is empty"

    def needed(self, name: str) -> str:
        """A field a row lacks: its column, or "a name column" where the file has none."""
        if self.in_body:
            return name
        return repr(self.headers[name]) if name in self else f"a {name} column"

    def row(self, line: int) -> str:
        return f"items[{line - 1}]" if self.in_body else f"line {line}"

    @property
    def source(self) -> str:
        return "those sent" if self.in_body else "the file"

    @property
    def map_department(self) -> str:
        return MAP_DEPARTMENT_IN_BODY if self.in_body else MAP_DEPARTMENT


def words(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


def find_columns(header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The file's column for each field it has: as `mapping` names it, else a usual header."""
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        known = ", ".join(FIELDS)
        message = f"unknown field(s) in mapping: {', '.join(sorted(unknown))}; fields: {known}"
        raise ImportFailed([RowError(0, message)])
    columns = {}
    by_words: dict[str, str] = {}
    for title in header:
        by_words.setdefault(words(title), title)
    for name, aliases in HEADERS.items():
        if name in mapping:
            if mapping[name] not in header:
                message = f"no column {mapping[name]!r} for {name}; columns: {', '.join(header)}"
                raise ImportFailed([RowError(0, message)])
            columns[name] = mapping[name]
            continue
        found = next((by_words[alias] for alias in aliases if alias in by_words), None)
        if found is not None and found not in columns.values():
            columns[name] = found
    # Only the email is needed of every file: a file that updates people already here needs
    # no name, and a row for someone new says so itself (clean_row).
    if "email" not in columns:
        found = ", ".join(header) or "none"
        raise ImportFailed([RowError(0, f"no email column; columns found: {found}")])
    return columns


def import_people(
    workspace: Workspace,
    stream: TextIO,
    mapping: dict[str, str] | None = None,
    by=None,
    departments: dict[str, str] | None = None,
) -> ImportResult:
    """Create or update the people of the file; any bad row rejects the whole file. `by`: the
    login importing it, for the history of the logins it links (people.link_logins);
    `departments`: the function each of the file's own department names means
    (department_functions)."""
    text = read_text(stream)
    if text.lstrip().startswith(("{", "[")):
        raise ImportFailed([RowError(0, "this is JSON, not a CSV file")])
    table = read_table(text, delimiters=",;\t")  # Excel writes ";" where "," is a decimal point
    columns = find_columns(table.header, mapping or {})
    positions = {name: table.columns(column) for name, column in columns.items()}
    cells = [
        (line, {name: cell(values, at) for name, at in positions.items()})
        for line, values in table.rows
    ]
    if not cells:
        raise ImportFailed([RowError(0, "the file has no people")])
    # A quote left open garbles the rows after it: that is the one thing to fix first.
    if broken := [RowError(n, why) for n, fields in cells if (why := table.one_line(n, fields))]:
        raise ImportFailed(broken)
    try:
        result = import_rows(workspace, cells, Columns(columns), by, departments)
    except IntegrityError:
        # Only another import of the same new people, committed while this one ran, gets here.
        message = "another import added some of these people meanwhile; import the file again"
        raise ImportFailed([RowError(0, message)]) from None
    result.ignored_columns = [title for title in table.header if title not in columns.values()]
    return result


def import_rows(
    workspace: Workspace,
    cells: list[tuple[int, dict[str, str]]],
    columns: Columns,
    by=None,
    departments: dict[str, str] | None = None,
) -> ImportResult:
    """Create or update the people of `cells` (each a line, and its fields' texts), a file's rows
    or an API body's people; any bad one rejects them all (ImportFailed, naming each as
    `columns` does). IntegrityError: another import added some of the same people meanwhile."""
    cells = [(line, as_function(fields, departments or {})) for line, fields in cells]
    existing = people_by_email(workspace)
    teams = {team.name.lower(): team for team in workspace.teams.all()}
    rows, errors = clean_rows(cells, columns, existing)
    errors += find_managers(rows, existing, columns)
    in_file = {fields.get("email", "").lower() for _, fields in cells}
    errors += check_managers(rows, existing, in_file, columns)
    errors += check_teams(rows, teams, existing, columns)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda error: error.line))
    result = ImportResult()
    save_people(workspace, rows, teams, existing, result, by)
    return result


def department_functions(lines: Iterable[str]) -> dict[str, str]:
    """ "Department=function" lines (the import page's Departments box, the command line's
    --function) as the function each department means, keyed by name_key. ValueError
    names a line that is not one, or a function that is not one."""
    mapped = {}
    for line in lines:
        if not line.strip():
            continue
        department, sep, function = (part.strip().strip('"') for part in line.rpartition("="))
        if not sep or not department or not function:
            raise ValueError(f"{line.strip()!r} is not Department=function.")
        try:
            mapped[name_key(department)] = function_of(function)
        except ValueError as error:
            raise ValueError(f"{line.strip()!r}: {function!r} is {error}.") from None
    return mapped


def as_function(fields: dict, departments: dict[str, str]) -> dict:
    """The row with its department read as the function it is mapped to, if it is."""
    function = departments.get(name_key(fields.get("function", "")))
    return {**fields, "function": function} if function else fields


def people_by_email(workspace: Workspace) -> dict[str, Person | None]:
    """The workspace's people by lower-case email; None where two differ only in case."""
    people: dict[str, Person | None] = {}
    for person in workspace.people.select_related("manager"):
        key = person.email.lower()
        people[key] = None if key in people else person
    return people


def clean_rows(cells, columns: Columns, existing: dict) -> tuple[list[Row], list[RowError]]:
    """Every row's values, and every problem of every row: one report names them all."""
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, fields in cells:
        email = fields.get("email", "").lower()
        row, problems = clean_row(line, fields, columns, existing)
        if email in seen:
            repeated = columns.row(seen[email])
            problems.insert(0, f"{columns.cell('email', row.email)} repeats {repeated}")
        elif email:
            seen[email] = line
        rows.append(row)
        errors += [RowError(line, problem) for problem in problems]
    return rows, errors


def clean_row(line: int, fields: dict, columns: Columns, existing: dict) -> tuple[Row, list[str]]:
    """One row's values, and what is wrong with it, each problem naming its column."""
    problems = email_problems(fields.get("email", ""), columns, existing)
    email = fields.get("email", "")
    values: dict = {}
    name = fields.get("name", "")
    # A file with a name column leaves an empty one as it is; a body's person stands alone.
    if not name and ("name" not in columns or columns.in_body):
        name = " ".join(filter(None, (fields.get("first_name"), fields.get("last_name"))))
    for what, text in (("name", name), ("title", fields.get("title", ""))):
        if len(text) > LIMITS[what]:
            column = what if what in columns else "first_name"
            problems.append(f"{columns.cell(column, text)} longer than {LIMITS[what]} characters")
        elif text:
            values[what] = text
    for what, read in (("function", function_of), ("role", role_of)):
        if fields.get(what):
            try:
                values[what] = read(fields[what])
            except ValueError as error:
                hint = columns.map_department if what == "function" else ""
                problems.append(f"{columns.cell(what, fields[what])} {error}{hint}")
    team = " ".join(fields.get("team", "").split())
    if len(team) > LIMITS["team"]:
        problems.append(f"{columns.cell('team', team)} longer than {LIMITS['team']} characters")
        team = ""
    manager = fields.get("manager", "")
    if manager.lower() == email.lower() and email:
        problems.append(f"{columns.cell('manager', manager)} nobody is their own manager")
        manager = ""
    if email.lower() not in existing:
        written = {"name": name, "function": fields.get("function", "")}
        missing = [what for what, text in written.items() if not text]  # bad ones said above
        if missing:
            named = " and ".join(columns.needed(what) for what in missing)
            problems.append(f"a new person needs {named}, empty here")
    return Row(line, email.lower(), values, team, manager), problems


def email_problems(email: str, columns: Columns, existing: dict) -> list[str]:
    if not email:
        return [columns.empty("email")]
    if len(email) > LIMITS["email"]:
        return [f"{columns.cell('email', email)} longer than {LIMITS['email']} characters"]
    try:
        EmailValidator()(email)
    except ValidationError:
        return [f"{columns.cell('email', email)} not an email address"]
    if existing.get(email.lower(), False) is None:
        return [
            f"{columns.cell('email', email)} two people here have this email in different cases; "
            "merge them in the admin first"
        ]
    return []


def find_managers(rows: list[Row], existing: dict, columns: Columns) -> list[RowError]:
    """Each manager as a lower-case email: given so, or by a full name that exactly one person
    here or in the file has, as HR tools that export "Reports To" write it."""
    names: dict[str, str] = {}  # email: full name, the file's over the workspace's
    names.update({email: p.name for email, p in existing.items() if p is not None})
    names.update({row.email: row.values["name"] for row in rows if "name" in row.values})
    emails_by_name: dict[str, list[str]] = {}
    for email, name in names.items():
        emails_by_name.setdefault(name_key(name), []).append(email)
    errors = []
    for row in rows:
        if not row.manager:
            continue
        try:
            EmailValidator()(row.manager)
        except ValidationError:
            found = emails_by_name.get(name_key(row.manager), [])
            if len(found) == 1:
                row.manager = found[0]
                continue
            if found:
                why = f"{len(found)} people here or in {columns.source} have this name"
            else:
                why = f"nobody here or in {columns.source} has this name"
            message = f"{columns.cell('manager', row.manager)} give the manager's email address"
            message += f" ({why})"
            errors.append(RowError(row.line, message))
            row.manager = ""
        else:
            row.manager = row.manager.lower()
    return errors


def name_key(name: str) -> str:
    """A full name, or a department, as it is compared: in any case, spaces between words as
    one."""
    return " ".join(name.lower().split())


def check_managers(
    rows: list[Row], existing: dict, in_file: set[str], columns: Columns
) -> list[RowError]:
    """Every manager is someone here or in the file, and nobody ends up managing themselves."""
    managers = {
        email: person.manager.email.lower() if person and person.manager else ""
        for email, person in existing.items()
    }
    managers.update({row.email.lower(): row.manager for row in rows if row.manager})
    errors = []
    for row in rows:
        if not row.manager or not row.email:
            continue
        where = f"manager {row.manager!r}:"
        if row.manager not in in_file and not existing.get(row.manager):
            nobody = f"nobody here or in {columns.source} has this email"
            errors.append(RowError(row.line, f"{where} {nobody}"))
            continue
        loop = managers_loop(row.email.lower(), managers)
        if loop:
            errors.append(RowError(row.line, f"{where} {loop}"))
    return errors


def managers_loop(email: str, managers: dict[str, str]) -> str:
    """How following managers up from `email` comes back to it, in words ("a@… and b@… would
    manage each other"), or "" when it does not."""
    chain, current = [email], managers.get(email, "")
    while current and current not in chain:
        chain.append(current)
        current = managers.get(current, "")
    if current != email:
        return ""  # no loop, or one higher up that another row reports
    if len(chain) == 1:
        return "this person would manage themselves"
    if len(chain) == 2:
        return f"{chain[0]} and {chain[1]} would manage each other"
    return "managers would go round in a loop: " + " → ".join([*chain, email])


def check_teams(
    rows: list[Row], teams: dict[str, Team], existing: dict, columns: Columns
) -> list[RowError]:
    """An archived team takes nobody new (its members may stay)."""
    errors = []
    for row in rows:
        team = teams.get(row.team.lower()) if row.team else None
        person = existing.get(row.email.lower())
        if team and team.archived and (person is None or person.team_id != team.pk):
            message = f"{columns.cell('team', row.team)} this team is archived"
            errors.append(RowError(row.line, message))
    return errors


def close_name(name: str, names: list[str]) -> str:
    """The name among `names` that `name` is most likely a misspelling of ("Support" for
    "Suport", "Platform Squad" for "Platfrom Squad"), "" when none is close. A team made by a
    typo in an HR export is created as any new team is; it is then said, not guessed at."""
    by_fold = {each.casefold(): each for each in names}
    found = difflib.get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=TYPO_CUTOFF)
    return by_fold[found[0]] if found else ""


@transaction.atomic
def save_people(
    workspace: Workspace, rows: list[Row], teams: dict, existing: dict, result: ImportResult, by
) -> None:
    here = [team.name for team in teams.values()]
    for row in rows:
        if row.team and row.team.lower() not in teams:
            teams[row.team.lower()] = Team.objects.create(workspace=workspace, name=row.team)
            result.teams_created.append(row.team)
            if like := close_name(row.team, here):
                result.teams_like[row.team] = like
    new, changed, changed_fields = [], {}, set()
    for row in rows:
        values = dict(row.values)
        if row.team:
            values["team"] = teams[row.team.lower()]
        person = existing.get(row.email.lower())
        if person is None:
            new.append(Person(workspace=workspace, email=row.email, **values))
            continue
        fields = {name for name, value in values.items() if getattr(person, name) != value}
        for name in fields:
            setattr(person, name, values[name])
        if fields:
            changed[person.email.lower()] = person
            changed_fields |= fields
    Person.objects.bulk_create(new, batch_size=500)
    # Managers last: a manager may be someone this file has just created.
    ids = {email.lower(): pk for email, pk in workspace.people.values_list("email", "pk")}
    created = {person.email.lower(): person for person in new}
    for row in rows:
        key = row.email.lower()
        if not row.manager:
            continue
        if key in created:
            created[key].pk = ids[key]
            created[key].manager_id = ids[row.manager]
        elif (person := existing[key]).manager_id != ids[row.manager]:
            person.manager_id = ids[row.manager]
            changed[key] = person
            changed_fields.add("manager")
    managed = [person for person in created.values() if person.manager_id]
    # One prepared UPDATE per row: bulk_update's Python would hold the write lock (truenorth/bulk.py).
    update_rows(managed, ["manager"])
    update_rows(list(changed.values()), sorted(changed_fields))
    link_logins(workspace.pk, by)
    bump(workspace.pk)  # bulk writes send no signal
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(rows) - result.created - result.updated
