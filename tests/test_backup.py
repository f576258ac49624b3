"""Backup and restore of the whole instance: every row, every login and every page come back.

Restores into a new, empty database run `truenorth restore` as its own process: on SQLite in
a temporary data directory, on PostgreSQL in a scratch database made for the test.
"""

import gzip
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import ProgrammingError, connection, connections
from django.utils import timezone

from tests.serving import free_port
from truenorth.backup import BackupError, backup, excluded_because, restore
from truenorth.checkins.measure import analyze
from truenorth.demo.build import build_demo
from truenorth.exchange import export_text
from truenorth.roadmap.actions import archive_initiative
from truenorth.roadmap.models import InitiativeMilestone, MilestoneChange
from truenorth.strategy.actions import archive_goal
from truenorth.workspaces.actions import change_settings
from truenorth.workspaces.models import Membership, Person, Role, Workspace

pytestmark = pytest.mark.django_db(transaction=True)

TRUENORTH = str(Path(sys.executable).with_name("truenorth"))
SCRIPT = Path(__file__).with_name("backup_while_writing.py")
USERNAME, PASSWORD = "restorer", "Backup-round-trip-7"


@pytest.fixture
def empty_database(tmp_path):
    """(environment for a process using a new empty database, its Django settings)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if connection.vendor == "sqlite":
        data_dir = tmp_path / "restored"
        env["TRUENORTH_DATA_DIR"] = str(data_dir)
        env.pop("DATABASE_URL", None)
        yield env, {**connection.settings_dict, "NAME": str(data_dir / "truenorth.sqlite3")}
        return
    name = f"truenorth_restore_{os.getpid()}"
    server = connection.settings_dict
    with server_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    env["DATABASE_URL"] = (
        f"postgres://{server['USER']}:{server['PASSWORD']}@{server['HOST'] or '127.0.0.1'}:"
        f"{server['PORT'] or 5432}/{name}"
    )
    yield env, {**server, "NAME": name}
    with server_cursor() as cursor:
        try:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except ProgrammingError:
            # FORCE may not end a process of another role, such as an autovacuum worker the
            # server started on the new database; a plain DROP has the server stop that one.
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def server_cursor():
    # The server's maintenance database, outside any test's transaction.
    return connections["default"]._nodb_cursor()


def open_database(settings_dict):
    return type(connections["default"])(settings_dict, alias="restored")


def run(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


def varied_instance() -> Workspace:
    """The analysed demo, plus a login with a known password and rows in the tables it leaves
    empty: a settings change, a milestone and its slip, a group with a permission."""
    workspace = build_demo(fresh=True)
    analyze(workspace.checkins.order_by("-opens_at").first())
    user = get_user_model().objects.create_user(USERNAME, "restorer@example.test", PASSWORD)
    person = Person.objects.filter(workspace=workspace, membership__isnull=True).first()
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER, person=person)
    change_settings(workspace, user, anonymity_threshold=6)
    milestone = InitiativeMilestone.objects.create(
        initiative=workspace.initiatives.first(), name="Beta", target_date=date(2027, 3, 1)
    )
    MilestoneChange.objects.create(
        milestone=milestone,
        old_target=date(2027, 2, 1),
        new_target=date(2027, 3, 1),
        changed_at=timezone.now(),
        changed_by=user,
    )
    group = Group.objects.create(name="Auditors")
    group.permissions.add(Permission.objects.first())
    user.groups.add(group)
    checkin = workspace.checkins.first()
    checkin.audience_teams.add(workspace.teams.first())
    # Archived rows are hidden from the default managers; the backup must still hold them.
    archive_goal(workspace.goals.last())
    archive_initiative(workspace.initiatives.last())
    return workspace


def log_in(client) -> None:
    client.logout()
    page = client.post("/login/", {"username": USERNAME, "password": PASSWORD})
    assert page.status_code == 302, "the login was refused"


def json_twins(client, workspace) -> dict:
    latest = workspace.checkins.order_by("-opens_at").first()
    paths = ["alignment.json", "goals.json", "settings.json", f"checkins/{latest.pk}/report.json"]
    pages = {}
    for path in paths:
        page = client.get(f"/w/{workspace.slug}/{path}")
        assert page.status_code == 200, path
        pages[path] = page.json()
    return pages


def not_compared() -> set[str]:
    """Tables a backup leaves out (it does hold the embedding cache when asked), the cache
    table, and the migration records, whose dates are those of the restore."""
    left_out = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if excluded_because(model, embeddings=True)
    }
    return left_out | {"django_migrations", "truenorth_cache"}


def every_table(database) -> dict[str, tuple]:
    """Each table's columns and all its rows, in an order that does not depend on insertion."""
    contents = {}
    with database.cursor() as cursor:
        for table in sorted(set(database.introspection.table_names(cursor)) - not_compared()):
            cursor.execute(f"SELECT * FROM {database.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            rows = [tuple(plain(value) for value in row) for row in cursor.fetchall()]
            contents[table] = (columns, sorted(rows, key=repr))
    return contents


def plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def write_backup(path: Path, embeddings: bool = False) -> dict:
    with path.open("wb") as out:
        return backup(out, embeddings=embeddings)


def test_a_round_trip_gives_back_every_row_every_login_and_every_page(
    client, tmp_path, empty_database
):
    workspace = varied_instance()
    log_in(client)
    pages = json_twins(client, workspace)
    before = every_table(connection)
    path = tmp_path / "instance.jsonl.gz"
    header = write_backup(path, embeddings=True)
    assert header["embeddings"] and {"checkins_answer", "auth_user"} <= {
        table["table"] for table in header["tables"]
    }

    # Into a new, empty database, by the command line.
    env, restored_settings = empty_database
    restored = run(TRUENORTH, "restore", str(path), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    restored_database = open_database(restored_settings)
    try:
        after = every_table(restored_database)
    finally:
        restored_database.close()
    assert len(before) >= 30 and sum(len(rows) for _, rows in before.values()) > 1000
    assert sorted(after) == sorted(before)
    for table, contents in before.items():
        assert after[table] == contents, f"{table} differs after the restore"

    # The restored database backs up to the same rows again.
    again = run(TRUENORTH, "backup", "--embeddings", str(tmp_path / "again.jsonl.gz"), env=env)
    assert again.returncode == 0, again.stderr
    assert rows_per_table(tmp_path / "again.jsonl.gz") == rows_per_table(path)

    # This database, emptied and restored: the old password logs in, the pages read the same.
    call_command("flush", interactive=False, verbosity=0)
    assert not get_user_model().objects.exists()
    restore(path)
    assert every_table(connection) == before
    log_in(client)
    assert json_twins(client, Workspace.objects.get(slug=workspace.slug)) == pages
    # New rows get new ids: PostgreSQL's sequences were moved past the restored ones.
    assert Workspace.objects.create(name="After", slug="after").pk > workspace.pk


def rows_per_table(path: Path) -> dict[str, int]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return {table["table"]: table["rows"] for table in json.loads(next(lines))["tables"]}


def read_tables(path: Path) -> dict[str, dict]:
    """The file's tables with their rows, read without truenorth.backup."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
        tables = {}
        for table in header["tables"]:
            rows = [json.loads(next(lines)) for _ in range(table["rows"])]
            tables[table["model"]] = {**table, "rows": rows}
        assert json.loads(next(lines))["end"] is True
    return tables


def dangling_references(tables: dict[str, dict]) -> list[str]:
    """Each value of a foreign key in the file that points at no row of the file."""
    dangling = []
    for label, table in tables.items():
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            target = tables[field.related_model._meta.label_lower]
            column = target["columns"].index(field.target_field.attname)
            present = {row[column] for row in target["rows"]}
            index = table["columns"].index(field.attname)
            for row in table["rows"]:
                if row[index] is not None and row[index] not in present:
                    dangling.append(f"{table['table']}.{field.attname}={row[index]}")
    return dangling


def test_a_backup_is_one_moment_while_another_connection_commits(tmp_path, empty_database):
    env, _ = empty_database
    path = tmp_path / "meanwhile.jsonl.gz"
    result = run(sys.executable, str(SCRIPT), str(path), env=env)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    # The write went through while the backup was reading: it holds no write lock…
    assert outcome == {"written": {"committed": True}, "workspaces": ["before", "during"]}
    # …and saw none of it, not even in the tables it read after the commit.
    tables = read_tables(path)
    slugs = [row[tables["workspaces.workspace"]["columns"].index("slug")] for row in
             tables["workspaces.workspace"]["rows"]]  # fmt: skip
    assert slugs == ["before"]
    assert tables["workspaces.team"]["rows"] == [] and tables["workspaces.person"]["rows"] == []
    assert dangling_references(tables) == []


def test_it_restores_only_into_an_empty_database(tmp_path):
    Workspace.objects.create(name="Acme", slug="acme")
    path = tmp_path / "acme.jsonl.gz"
    write_backup(path)
    with pytest.raises(BackupError, match="not empty .*workspaces_workspace"):
        restore(path)
    assert Workspace.objects.count() == 1


def damaged(path: Path, damage: str) -> bytes:
    data = path.read_bytes()
    lines = gzip.decompress(data).splitlines(keepends=True)
    match damage:
        case "cut off":
            return data[: len(data) // 2]
        case "a flipped byte":
            middle = len(data) // 2
            return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
        case "not gzip":
            return b"workspace,slug\nAcme,acme\n"
        case "no end marker":
            return gzip.compress(b"".join(lines[:-1]))
        case "a row cut short":
            return gzip.compress(b"".join(lines[:2] + [b"[1,2]\n"] + lines[3:]))
        case "deep JSON":
            return gzip.compress(b"[" * 100_000 + b"\n")
        case "another file's header":
            return gzip.compress(b'{"format": "something else"}\n')
        case "a row repeated" | "a row removed":
            header = json.loads(lines[0])
            line = 1 + sum(t["rows"] for t in header["tables"][: table_index(header, ROWS_OF)])
            if damage == "a row repeated":
                lines.insert(line, lines[line])
            else:
                del lines[line]
            return gzip.compress(b"".join(lines))
        case "a workspace export":
            exported = Workspace.objects.create(name="Acme", slug="acme")
            text = export_text(exported)
            exported.delete()
            return text.encode()
    raise AssertionError(damage)


ROWS_OF = "workspaces.team"  # three rows (the damaged tests' workspace has three teams)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("cut off", "is cut off"),
        ("a flipped byte", "damaged|cut off|not a line"),
        ("not gzip", "is not a truenorth backup: a backup is gzip'd"),
        (
            "a workspace export",
            "is a workspace export, not a backup: bring it in with `truenorth import workspace",
        ),
        ("a row repeated", "workspaces_team has more rows than the 3 its header counts"),
        ("a row removed", "workspaces_team has fewer rows than the 3 its header counts"),
        ("no end marker", "end marker is missing"),
        ("a row cut short", "line 3: expected a row of"),
        ("deep JSON", "line 1: not a line of a backup"),
        ("another file's header", "not a truenorth backup"),
    ],
)
def test_a_damaged_file_is_a_clear_error_and_restores_nothing(tmp_path, damage, message):
    varied_file = tmp_path / "whole.jsonl.gz"
    workspace = Workspace.objects.create(name="Acme", slug="acme")
    for name in ("Finance", "Platform", "Sales"):
        workspace.teams.create(name=name)
    write_backup(varied_file)
    call_command("flush", interactive=False, verbosity=0)
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(damaged(varied_file, damage))
    with pytest.raises(BackupError, match=message):
        restore(broken)
    assert not Workspace.objects.exists()


def test_the_command_line_says_a_cut_off_file_is_cut_off_and_leaves_the_target_empty(
    tmp_path, empty_database
):
    Workspace.objects.create(name="Acme", slug="acme")
    whole = tmp_path / "whole.jsonl.gz"
    write_backup(whole)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(damaged(whole, "cut off"))
    env, target_settings = empty_database
    result = run(TRUENORTH, "restore", str(cut), env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "is cut off" in result.stderr
    assert "Traceback" not in result.stderr
    target = open_database(target_settings)
    try:
        assert target.introspection.table_names() == []  # not even migrated
    finally:
        target.close()


def test_a_row_that_cannot_go_in_rolls_back_every_row(tmp_path):
    workspace = Workspace.objects.create(name="Acme", slug="acme")
    workspace.teams.create(name="Platform")
    path = tmp_path / "acme.jsonl.gz"
    write_backup(path)
    call_command("flush", interactive=False, verbosity=0)
    # The team, loaded after the workspace, now points at a workspace there is not.
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    header = json.loads(lines[0])
    teams = table_index(header, "workspaces.team")
    line = 1 + sum(table["rows"] for table in header["tables"][:teams])
    row = json.loads(lines[line])
    row[header["tables"][teams]["columns"].index("workspace_id")] = 999_999
    lines[line] = json.dumps(row) + "\n"
    path.write_bytes(gzip.compress("".join(lines).encode()))
    with pytest.raises(BackupError, match="nothing restored|could not be restored"):
        restore(path)
    assert not Workspace.objects.exists()


def table_index(header: dict, model: str) -> int:
    return [table["model"] for table in header["tables"]].index(model)


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "newer.jsonl.gz"
    write_backup(path)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    header = json.loads(lines[0])
    header["migrations"]["workspaces"].append("9999_from_the_future")
    header["truenorth"] = "99.0"
    lines[0] = json.dumps(header).encode() + b"\n"
    path.write_bytes(gzip.compress(b"".join(lines)))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(BackupError, match=r"newer truenorth \(99.0, .*9999_from_the_future"):
        restore(path)


def test_sessions_and_the_queue_are_left_out_and_embeddings_only_when_asked(tmp_path):
    without = write_backup(tmp_path / "without.jsonl.gz")
    with_embeddings = write_backup(tmp_path / "with.jsonl.gz", embeddings=True)
    tables = {table["model"] for table in without["tables"]}
    assert {"auth.user", "checkins.answer", "workspaces.settingchange"} <= tables
    assert not any(label.endswith(".embedding") for label in tables)
    assert "sessions.session" not in tables
    assert not any(label.startswith("django_tasks") for label in tables)
    added = {table["model"] for table in with_embeddings["tables"]} - tables
    assert len(added) == 1 and added.pop().endswith(".embedding")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the data directory's own database")
def test_a_backup_and_the_data_directory_truenorth_makes_are_its_owners_alone(
    tmp_path, empty_database
):
    Workspace.objects.create(name="Acme", slug="acme")
    whole = tmp_path / "whole.jsonl.gz"
    write_backup(whole)
    env, target_settings = empty_database
    # A usual umask, which leaves new files readable by everyone.
    loose = {
        "env": env,
        "capture_output": True,
        "text": True,
        "preexec_fn": lambda: os.umask(0o022),
    }
    restored = subprocess.run([TRUENORTH, "restore", str(whole)], timeout=300, **loose)
    assert restored.returncode == 0, restored.stderr
    data_dir = Path(env["TRUENORTH_DATA_DIR"])
    assert mode(data_dir) == 0o700
    assert mode(Path(target_settings["NAME"])) == 0o600

    again = tmp_path / "again.jsonl.gz"
    again.with_name(again.name + ".partial").write_bytes(b"left by a run that was stopped")
    written = subprocess.run([TRUENORTH, "backup", str(again)], timeout=300, **loose)
    assert written.returncode == 0, written.stderr
    assert mode(again) == 0o600


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_restore_says_whether_its_secret_key_is_the_backups_and_how_to_give_it(
    tmp_path, empty_database, settings
):
    """Restored with no key set, it had said only "Restored 1651 rows…"; every emailed link
    then failed under the new key the server was started with, with no word of why."""
    settings.SECRET_KEY = "the-old-servers-own-key-" + "x" * 30
    Workspace.objects.create(name="Acme", slug="acme")
    whole = tmp_path / "whole.jsonl.gz"
    header = write_backup(whole)
    assert len(header["key_fingerprint"]) == 16
    assert settings.SECRET_KEY[:8] not in json.dumps(header)  # a fingerprint, never the key
    env, target_settings = empty_database
    env = {
        k: v for k, v in env.items() if not k.startswith(("TRUENORTH_SECRET", "TRUENORTH_DEBUG"))
    }
    restored = run(TRUENORTH, "restore", str(whole), env=env)
    assert restored.returncode == 0, restored.stderr
    said = restored.stdout
    assert "This is not the secret key the backup was made with" in said
    assert "personal check-in links, password links and unsubscribe links" in said
    assert "TRUENORTH_SECRET_KEY_FILE=<a file holding it>" in said
    # Started with no key at all, it says to give it the old server's, not to make one.
    refused = run(TRUENORTH, "serve", "--port", str(free_port()), env=env)
    assert refused.returncode == 1
    assert "Restored from a backup? Give it the key of the server the backup came" in refused.stderr
    target = open_database(target_settings)
    try:
        with target.cursor() as cursor:
            cursor.execute("SELECT fingerprint FROM workspaces_keyfingerprint")
            assert cursor.fetchall() == [(header["key_fingerprint"],)]
    finally:
        target.close()


def test_restore_under_the_backups_own_key_says_the_links_work_as_before(
    tmp_path, empty_database, settings
):
    Workspace.objects.create(name="Acme", slug="acme")
    whole = tmp_path / "whole.jsonl.gz"
    write_backup(whole)
    env, _ = empty_database
    env = {**env, "TRUENORTH_SECRET_KEY": settings.SECRET_KEY}
    env.pop("TRUENORTH_SECRET_KEY_FILE", None)
    restored = run(TRUENORTH, "restore", str(whole), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "The secret key is the one the backup was made with" in restored.stdout
