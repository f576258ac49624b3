"""Backup and restore of the whole instance: every row of every app, in one file.

A backup is gzip'd JSON lines (`zcat FILE | head -1` shows its header):

- line 1, the header: format and version, the truenorth version, when, the database it came
  from, the fingerprint of its secret key (never the key), the migrations applied to it (app by
  app), and each table: model, columns, row count;
- then the rows of each table in header order, one JSON array per row in column order;
- last, `{"end": true, "rows": TOTAL}`, so a cut-off file is told from a whole one.

The tables are those of every model in the app registry, so a model added later is backed up
without anyone remembering to add it here; EXCLUDED names the few that are left out, and why.
Restore migrates an empty database to the backup's migration state, loads the rows with their
primary keys in one transaction, then migrates to the installed version.
"""

import base64
import datetime
import gzip
import json
import os
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.apps import apps as installed_apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.duration import duration_iso_string

import truenorth
from truenorth.exchange.schema import FORMAT as WORKSPACE_FORMAT
from truenorth.startup import key_fingerprint
from truenorth.workspaces.models import KeyFingerprint, WorkerBeat

FORMAT = "truenorth-backup"
VERSION = 1

# Rows that a backup leaves out, by model, with the reason. Everything else is in it.
EXCLUDED = {
    "sessions.session": "a restored instance starts with everyone logged out",
    "django_tasks_database.dbtaskresult": "the queue of background work and its results: "
    "work queued at backup time is redone on demand (an analysis, a re-check), not replayed",
    "workspaces.keyfingerprint": "the fingerprint of the key the server last ran with: the "
    "header holds the backup's own (key_fingerprint), which restore notes in its place",
    "workspaces.workerbeat": "which `truenorth worker` processes were alive: the restored "
    "server's own workers say so when they start",
}
# Apps whose rows describe the running server, not the organisation's data.
EXCLUDED_APPS = {"axes": "login attempts and lock-outs of the running server"}
EMBEDDINGS = "the embedding cache: rebuilt by the next analysis; kept with --embeddings"
# Not models, so never in a backup: the cache table of computed figures (recomputed on first
# view) and the ONNX models exported under the data directory (made again from the installed
# model files).

# Restore accepts a database whose only rows are the ones `migrate` itself writes.
MADE_BY_MIGRATE = {"django_migrations", "django_content_type", "auth_permission"}
ROWS_PER_INSERT = 1000

Progress = Callable[[str, int], None]


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why and what to do."""


def is_embedding_cache(model) -> bool:
    # By name rather than app, so the cache keeps its exclusion if it moves to another app.
    return model._meta.model_name == "embedding"


def excluded_because(model, embeddings: bool = False) -> str | None:
    """Why a model's rows are left out of a backup, or None when they are in it."""
    label = model._meta.label_lower
    if label in EXCLUDED:
        return EXCLUDED[label]
    if model._meta.app_label in EXCLUDED_APPS:
        return EXCLUDED_APPS[model._meta.app_label]
    if is_embedding_cache(model) and not embeddings:
        return EMBEDDINGS
    return None


def backed_up_models(models=installed_apps, embeddings: bool = False) -> list:
    """Every model with a table of its own (many-to-many tables included) that a backup holds,
    from the installed apps or from the app registry of a migration state."""
    return [
        model
        for model in models.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and excluded_because(model, embeddings) is None
    ]


# Writing


def backup(out: IO[bytes], embeddings: bool = False, progress: Progress | None = None) -> dict:
    """Write every backed-up table to `out`, all read in one snapshot; returns the header.

    `progress(model_label, rows)` is called after each table.
    """
    alias = DEFAULT_DB_ALIAS
    with read_snapshot(connections[alias]):
        applied, models_then = database_state(connections[alias])
        models = backed_up_models(models_then, embeddings)
        tables = [table_entry(model, alias) for model in models]
        header = {
            "format": FORMAT,
            "version": VERSION,
            "truenorth": truenorth.__version__,
            "created_at": timezone.now().isoformat(),
            "database": connections[alias].vendor,
            "embeddings": embeddings,
            # Which secret key the links it emailed and its sealed secrets need, not the key.
            "key_fingerprint": key_fingerprint(),
            "migrations": applied,
            "tables": tables,
        }
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as zipped:
            zipped.write(json_line(header))
            for model, table in zip(models, tables, strict=True):
                written = write_rows(zipped, model, table["columns"], alias)
                if written != table["rows"]:  # the snapshot makes this impossible; say if not
                    raise BackupError(f"{table['table']} changed while it was read")
                if progress:
                    progress(table["model"], written)
            zipped.write(json_line({"end": True, "rows": sum(t["rows"] for t in tables)}))
    return header


def private_file(path: Path) -> IO[bytes]:
    """A new file for writing that only its owner can read: made so, never chmod'ed after, so
    a backup's password hashes and answers are not readable by others for a moment."""
    path.unlink(missing_ok=True)  # a leftover keeps its mode when opened again
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


@contextmanager
def read_snapshot(connection) -> Iterator[None]:
    """One read-only transaction: every table read inside it as of the same moment, without
    taking the write lock, so the server goes on saving answers meanwhile."""
    if connection.in_atomic_block:
        raise BackupError("a backup reads in a transaction of its own; start it outside one")
    if connection.vendor != "sqlite":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
            transaction.set_rollback(True, using=connection.alias)
        return
    # The settings begin SQLite transactions IMMEDIATE, which takes the write lock. A deferred
    # one takes none; in WAL mode its first read fixes the snapshot every later read sees.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")
            cursor.execute("PRAGMA query_only = OFF")


def table_entry(model, alias: str) -> dict:
    return {
        "model": model._meta.label_lower,
        "table": model._meta.db_table,
        "columns": [field.attname for field in model._meta.concrete_fields],
        "rows": model._base_manager.using(alias).count(),
    }


def database_state(connection) -> tuple[dict[str, list[str]], Any]:
    """The migrations applied to the database, app by app, and its models as of them: a backup
    reads the tables as they are, even before `migrate` has brought them to this version."""
    loader = MigrationLoader(connection)
    applied = sorted(loader.applied_migrations)
    if not applied:
        raise BackupError(
            "nothing to back up: this database has no truenorth tables (are TRUENORTH_DATA_DIR "
            "and DATABASE_URL the server's?)"
        )
    unknown = [
        f"{app}.{name}" for app, name in applied if (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupError(
            f"the database has migrations this truenorth lacks ({', '.join(unknown[:3])}): back "
            "it up with the truenorth version that serves it"
        )
    grouped: dict[str, list[str]] = {}
    for app, name in applied:
        grouped.setdefault(app, []).append(name)
    nodes = [node for node in applied if node in loader.graph.nodes]
    return grouped, loader.project_state(nodes, at_end=True).apps


def write_rows(zipped: IO[bytes], model, columns: list[str], alias: str) -> int:
    """Stream a table's rows in primary key order; a chunk at a time is in memory."""
    rows = (
        model._base_manager.using(alias)
        .order_by("pk")
        .values_list(*columns)
        .iterator(chunk_size=2000)
    )
    written = 0
    lines: list[bytes] = []
    for row in rows:
        lines.append(json_line(list(row)))
        if len(lines) == 2000:
            zipped.write(b"".join(lines))
            written += len(lines)
            lines = []
    zipped.write(b"".join(lines))
    return written + len(lines)


def json_line(value) -> bytes:
    text = json.dumps(value, default=plain, ensure_ascii=False, separators=(",", ":"))
    return text.encode() + b"\n"


def plain(value: Any) -> Any:
    """A column value JSON has no type for, as text its field reads back (Field.to_python)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"no backup form for {type(value).__name__}")


# Reading


def read_header(path: Path) -> dict:
    """Read the whole file once, checking it is complete and well formed; returns its header.

    Nothing touches the database before this has passed, so a damaged file changes nothing.
    """
    lines = numbered_lines(path)
    header = check_header(path, next(lines, (1, None)))
    tables = [table for table in header["tables"] if table["rows"]]
    for n, table in enumerate(tables):
        for index in range(table["rows"]):
            number, row = next(lines, (None, None))
            if number is None:
                raise BackupError(f"{path} is cut off: it ends inside table {table['table']}")
            if not isinstance(row, list) or len(row) != len(table["columns"]):
                problem = miscounted(row, index, tables, n)
                raise BackupError(f"{path}, line {number}: {problem}")
    number, end = next(lines, (None, None))
    if not isinstance(end, dict) or end.get("end") is not True:
        raise BackupError(f"{path} is cut off: its end marker is missing")
    if next(lines, None) is not None:
        raise BackupError(f"{path} has lines after its end marker")
    return header


def miscounted(row: Any, index: int, tables: list[dict], n: int) -> str:
    """What a row of the wrong width says about the file. The header counts each table's rows,
    so a row added or removed by hand shifts every later row into the wrong table: name the
    table whose count is off rather than the one the shifted row landed in."""
    table, width = tables[n], len(row) if isinstance(row, list) else None
    before, after = (tables[n - 1] if n else None), (tables[n + 1] if n + 1 < len(tables) else None)
    edited = "the file was changed after `truenorth backup` wrote it; restore an unchanged copy"
    if index == 0 and before and width == len(before["columns"]):
        return (
            f"{before['table']} has more rows than the {before['rows']} its header counts "
            f"(a row repeated or added?): {edited}"
        )
    if index and after and width == len(after["columns"]):
        return (
            f"{table['table']} has fewer rows than the {table['rows']} its header counts "
            f"(a row removed?): {edited}"
        )
    return f"expected a row of {len(table['columns'])} values for {table['table']}: {edited}"


def numbered_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) for each line, any damage reported as a BackupError."""
    number = 0
    try:
        with gzip.open(path, "rb") as zipped:
            for number, line in enumerate(zipped, start=1):  # noqa: B007 -- read on failure
                yield number, json.loads(line)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except EOFError:
        raise BackupError(f"{path} is cut off after line {number}: copy it again") from None
    except (gzip.BadGzipFile, zlib.error) as error:
        if number == 0 and not gzip_magic(path):
            raise BackupError(not_gzip(path)) from None
        raise BackupError(f"{path} is damaged after line {number} ({error})") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BackupError(f"{path}, line {number}: not a line of a backup") from None
    except OSError as error:
        raise BackupError(f"{path} cannot be read: {error}") from None


def gzip_magic(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(2) == b"\x1f\x8b"


def not_gzip(path: Path) -> str:
    """Why a file that is no gzip file at all is not a backup, naming what it looks like."""
    with path.open("rb") as file:
        start = file.read(4096)
    if f'"{WORKSPACE_FORMAT}"'.encode() in start:  # an export's first key is its format
        return (
            f"{path} is a workspace export, not a backup: bring it in with "
            f"`truenorth import workspace {path}` (a backup is written by `truenorth backup`)"
        )
    return f"{path} is not a truenorth backup: a backup is gzip'd, as `truenorth backup` writes it"


def check_header(path: Path, first: tuple[int, Any]) -> dict:
    header = first[1]
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a truenorth backup (made by `truenorth backup`)")
    if header.get("version") != VERSION:
        raise BackupError(
            f"{path} is a backup of format {header.get('version')!r}; this truenorth reads "
            f"format {VERSION}: restore it with the truenorth version that wrote it "
            f"({header.get('truenorth')})"
        )
    tables = header.get("tables")
    if not isinstance(tables, list) or not all(well_formed(table) for table in tables):
        raise BackupError(f"{path}: its header's list of tables is damaged")
    if not isinstance(header.get("migrations"), dict):
        raise BackupError(f"{path}: its header's migrations are damaged")
    return header


def well_formed(table: Any) -> bool:
    return (
        isinstance(table, dict)
        and isinstance(table.get("model"), str)
        and isinstance(table.get("table"), str)
        and isinstance(table.get("columns"), list)
        and all(isinstance(column, str) for column in table["columns"])
        and isinstance(table.get("rows"), int)
        and table["rows"] >= 0
    )


def rows_of(path: Path) -> Iterator[tuple[int, list]]:
    lines = numbered_lines(path)
    next(lines)  # the header
    yield from lines


# Restoring


def restore(path: Path, progress: Progress | None = None) -> dict:
    """Restore a backup into this instance's empty database; returns the backup's header."""
    header = read_header(path)
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    targets = migration_targets(executor.loader, header["migrations"], header)
    refuse_unless_empty(connection)
    executor.migrate(targets)
    models = executor.loader.project_state(targets).apps  # as they were when backed up
    try:
        with transaction.atomic(using=connection.alias):
            load_rows(path, header, models, connection, progress)
    except DatabaseError as error:  # e.g. a row that points at none, found at commit
        raise BackupError(f"nothing restored: {error}") from None
    # Django caches content types by id; the loaded ones replace those `migrate` made.
    installed_apps.get_model("contenttypes", "ContentType").objects.clear_cache()
    call_command("migrate", verbosity=0, interactive=False)  # the installed version's changes
    call_command("createcachetable", verbosity=0)
    cache.clear()
    KeyFingerprint.objects.all().delete()
    if isinstance(header.get("key_fingerprint"), str):  # none in older backups
        KeyFingerprint.objects.create(fingerprint=header["key_fingerprint"][:16])
    return header


def migration_targets(loader, applied: dict, header: dict) -> list[tuple[str, str]]:
    """The last migration of each app the backup was made at; refuses a newer backup."""
    unknown = [
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupError(
            f"this backup was made by a newer truenorth ({header.get('truenorth')}, migrations "
            f"{', '.join(unknown[:3])} unknown here): install that version or a later one, "
            "then restore"
        )
    targets = []
    for app, names in applied.items():
        nodes = {(app, name) for name in names} & set(loader.graph.nodes)
        leaves = [n for n in nodes if not (loader.graph.node_map[n].children & nodes)]
        targets += sorted(leaves)
    return targets


def refuse_unless_empty(connection) -> None:
    cache_tables = {options.get("LOCATION") for options in settings.CACHES.values()}
    # The key `truenorth serve` noted on an empty database: the backup's replaces it.
    ignored = MADE_BY_MIGRATE | cache_tables | {KeyFingerprint._meta.db_table}
    ignored |= {WorkerBeat._meta.db_table}  # a worker already started on it has said so
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        holding = [
            table
            for table in tables
            if table not in ignored and has_rows(cursor, connection, table)
        ]
    if holding:
        raise BackupError(
            f"the database is not empty ({', '.join(holding[:3])}"
            f"{' …' if len(holding) > 3 else ''} hold rows): restore only into an empty one, "
            "e.g. a new TRUENORTH_DATA_DIR or a new database in DATABASE_URL"
        )


def has_rows(cursor, connection, table: str) -> bool:
    cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
    return cursor.fetchone() is not None


def load_rows(path: Path, header: dict, models, connection, progress: Progress | None) -> None:
    """Insert every row with its primary key; the caller's transaction makes it all or none."""
    tables = [(table, model_for(table, models)) for table in header["tables"]]
    with connection.cursor() as cursor:
        for table, _ in tables:  # what `migrate` wrote, the backup's rows replace
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table['table'])}")
    rows = rows_of(path)
    for table, model in tables:
        insert_rows(model, table, rows, connection)
        if progress:
            progress(table["model"], table["rows"])
    reset_sequences(connection, [model for _, model in tables])


def model_for(table: dict, models):
    try:
        model = models.get_model(table["model"])
    except (LookupError, ValueError):
        raise BackupError(f"the backup's table {table['table']} has no model here") from None
    columns = [field.attname for field in model._meta.concrete_fields]
    if sorted(columns) != sorted(table["columns"]) or len(set(columns)) != len(columns):
        raise BackupError(f"the backup's columns of {table['table']} differ from its migrations")
    return model


def insert_rows(model, table: dict, rows: Iterator[tuple[int, list]], connection) -> None:
    fields = model._meta.concrete_fields
    # The model's field order can differ from the file's (a field added by a later migration).
    order = [table["columns"].index(field.attname) for field in fields]
    per_insert = max(1, connection.ops.bulk_batch_size(fields, [None] * ROWS_PER_INSERT))
    batch = []
    for _ in range(table["rows"]):
        number, row = next(rows)
        values = [row[index] for index in order]
        batch.append(model(*read_values(fields, values, table, number)))
        if len(batch) == per_insert:
            insert(model, fields, batch, connection)
            batch = []
    if batch:
        insert(model, fields, batch, connection)


def read_values(fields, row: list, table: dict, number: int) -> list:
    try:
        return [
            None if value is None else field.to_python(value)
            for field, value in zip(fields, row, strict=True)
        ]
    except (ValidationError, TypeError, ValueError):
        raise BackupError(f"line {number}: a value of {table['table']} cannot be read") from None


def insert(model, fields, batch: list, connection) -> None:
    # raw=True, as loaddata does: the values go in as they are, auto_now dates included.
    try:
        model._base_manager.using(connection.alias)._insert(batch, fields=fields, raw=True)
    except DatabaseError as error:
        raise BackupError(
            f"rows of {model._meta.db_table} could not be restored: {error}"
        ) from None


def reset_sequences(connection, models: list) -> None:
    """PostgreSQL hands out ids from sequences the inserts did not advance; SQLite needs none."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
