"""The `truenorth` command: a thin layer over the functions the web app uses."""

import contextlib
import json
import os
import sys
import zoneinfo
from pathlib import Path

import click

from truenorth.sending import in_quotes


def configure_django() -> None:
    """Load the settings and the apps, touching no database. Every command that reads the
    database comes here first, so each uses the key the server does (use_local_secret_key):
    under another, a webhook's sealed address would read as unreadable and its posts fail."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truenorth.settings")
    use_local_secret_key(make=False)
    import django

    django.setup()


# Said before migrating an empty database, which takes about a minute with nothing to show.
CREATING_THE_DATABASE = "Creating the database (this takes about a minute)…"


def setup_django(say_when_creating: bool = False) -> str:
    """Configure Django and bring the database schema up to date; returns what that did in one
    line ("Database created.", "Database updated: 3 changes applied."), "" when nothing. With
    `say_when_creating`, an empty database is announced before it is made (`serve`: a new
    server silent for a minute looked hung, and was stopped in the middle of it)."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    configure_django()
    make_data_dir()
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    created = not executor.loader.applied_migrations
    if pending and created and say_when_creating:
        click.echo(CREATING_THE_DATABASE)  # click.echo flushes: it shows before the wait
    if pending:  # every command starts here: the plan read once, `migrate` only when needed
        call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if not pending:
        return ""
    if created:
        return "Database created."
    return f"Database updated: {counted(len(pending), 'change')} applied."


def make_data_dir() -> None:
    """On SQLite, the data directory and its database, made readable by their owner only: the
    database holds password hashes and every answer, and SQLite gives its journal the database
    file's mode. A directory or database that exists already keeps the mode it has."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    settings.DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = Path(str(database["NAME"]))
    if name.parent == settings.DATA_DIR:  # not an in-memory one, nor a file named elsewhere
        with contextlib.suppress(FileExistsError):  # an empty file is an empty database
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def pick_workspace(slug: str | None):
    """The workspace a command names (or the only one), with its time zone turned on: a
    command's "today" (a decision made, a claim said) is the workspace's, as on its pages."""
    from django.utils import timezone

    from truenorth.workspaces.models import Workspace

    if slug:
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise click.ClickException(f"no workspace with slug {slug!r}")
    else:
        workspaces = list(Workspace.objects.all()[:2])
        if len(workspaces) != 1:
            raise click.ClickException("say which workspace with --workspace SLUG")
        workspace = workspaces[0]
    timezone.activate(zoneinfo.ZoneInfo(workspace.time_zone))
    # Off again when the command ends, for whoever runs commands in one process (the tests).
    click.get_current_context().call_on_close(timezone.deactivate)
    return workspace


workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="truenorth")
def main() -> None:
    """truenorth: does everyone here share the same picture of where we're going?

    Data lives in TRUENORTH_DATA_DIR (default ./var) on SQLite, or in the
    PostgreSQL database named by DATABASE_URL. Each command's --help has an
    example, e.g. `truenorth analyze --help`.

    \b
    Examples:
      truenorth serve --demo
      truenorth init --name Acme --slug acme --owner ada --email ada@acme.test
      truenorth import workitems tickets.csv --map key="Issue key" --map title=Summary
      truenorth analyze --checkin 2
      truenorth compare "Close in 3 days" "Month-end close takes three days"
    """


@main.command()
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--slug", required=True, help="Short name used in URLs.")
@click.option("--owner", required=True, help="Username of the owner's login.")
@click.option("--email", required=True, help="The owner's email address.")
@click.password_option(help="The owner's password (asked for when not given).")
def init(name, slug, owner, email, password):
    """Create a workspace and the login that owns it.

    Example: truenorth init --name "Acme" --slug acme --owner ada --email ada@acme.test
    """
    setup_django()
    from django.core.exceptions import ValidationError

    from truenorth.workspaces.actions import create_workspace

    try:
        workspace = create_workspace(name, slug, owner, email, password)
    except ValidationError as error:
        problems = [f"--{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
        raise click.ClickException("nothing created; " + " ".join(problems)) from None
    click.echo(f"Created workspace {workspace.name} (/w/{workspace.slug}/), owned by {owner}.")


@main.command()
@click.option("--fresh", is_flag=True, help="Delete the demo workspace and build it again.")
@click.option(
    "--size",
    type=click.Choice(["small", "large"]),
    default="small",
    help="large: a separate workspace of 5,000 people, 50,000 work items, 2,000 claims and a "
    "5,000-answer pulse, to measure speed against (always built anew, a few minutes).",
)
@click.option(
    "--scale",
    type=click.FloatRange(0, 1, min_open=True),
    default=1.0,
    help="With --size large: every count times this, e.g. 0.1 to try a measurement quickly.",
)
def demo(fresh, size, scale):
    """Build the demo workspace (kept as it is if it exists, unless --fresh).

    Example: truenorth demo --fresh; truenorth demo --size large
    """
    setup_django()
    if size == "large":
        from truenorth.demo.content import DEMO_PASSWORD
        from truenorth.demo.large import OWNER, build_large

        workspace = build_large(scale)
        click.echo(f"Large workspace ready: {workspace.name} (/w/{workspace.slug}/).")
        click.echo(f"  owner    log in as {OWNER} / {DEMO_PASSWORD}")
        return
    workspace = build_and_analyze_demo(fresh=fresh)
    click.echo(f"Demo workspace ready: {workspace.name} (/w/{workspace.slug}/).")
    echo_demo_logins()


def build_and_analyze_demo(fresh: bool = False):
    """The demo, with its pulses analysed so the dashboard is ready on first visit. Its
    notifications are recorded, never sent: its people are made up."""
    from truenorth.notifications.events import held

    with held():
        return build_and_analyze(fresh)


def build_and_analyze(fresh: bool):
    from django.utils import timezone

    from truenorth.checkins.measure import analyze
    from truenorth.checkins.models import BACK_BRIEF
    from truenorth.decisions.actions import sort_unsorted
    from truenorth.decisions.models import Comment
    from truenorth.demo.build import build_demo
    from truenorth.demo.updates import with_check_in_results

    workspace = build_demo(fresh=fresh)
    latest = workspace.checkins.order_by("-opens_at").first()
    fresh_results = latest is not None and not hasattr(latest, "report")
    if fresh_results:
        click.echo("Analysing the demo's Alignment pulses with the local language model…")
        analyze(latest)
    for closed in workspace.checkins.filter(template=BACK_BRIEF, report__isnull=True):
        analyze(closed)  # the demo decision's back-brief ("What did you hear?")
    sort_unsorted(Comment.objects.filter(decision__workspace=workspace))  # the model, after
    if fresh_results:  # only on the day the demo is built: a published update stays as it was
        with_check_in_results(workspace, timezone.localdate())
    return workspace


def echo_demo_logins() -> None:
    from truenorth.demo import content

    for login in content.LOGINS:
        click.echo(f"  {login['role']:8} log in as {login['username']} / {content.DEMO_PASSWORD}")


def default_workers() -> int:
    """Gunicorn's rule of thumb, two workers a core plus one, capped: each worker that runs an
    analysis loads the language model into its own memory."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, 9)


# Analyses run inline in the request unless a tasks backend is set; a large check-in's takes
# minutes, and gunicorn would otherwise kill the worker after 30 seconds.
WORKER_TIMEOUT = 600


def use_local_secret_key(make: bool = True) -> None:
    """A random secret key kept in the data directory, when no key is configured: made for the
    demo and the development server (never the public development key, even on a laptop), and
    read by every other command on that data directory (configure_django), so that the links
    `truenorth checkin send` signs open on the server `serve --demo` started, and the webhooks
    it saved are posted to by `truenorth notifications due`."""
    import secrets

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truenorth.settings")
    from django.conf import settings

    if settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return
    path = settings.DATA_DIR / "secret-key"
    if not path.exists():
        if not make:
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50) + "\n")
    os.environ["TRUENORTH_SECRET_KEY_FILE"] = str(path)  # for gunicorn's workers
    settings.SECRET_KEY = path.read_text().strip()  # for this process, whose settings are read


def refuse_development_key(doing: str = "serve") -> None:
    """Stop, with how to make a key, before serving or signing links on the public development
    key: a link signed with it would also be refused by a server that has its own."""
    use_local_secret_key(make=False)
    from truenorth.startup import development_key_problem

    problem = development_key_problem(doing)
    if problem:
        raise click.ClickException(problem)


OTHER_KEY = (
    "This is not the secret key this database was last served with (or, restored from a "
    "backup, the key the backup was made with): the personal check-in links, password links "
    "and unsubscribe links emailed before no longer open, and the saved mail password and "
    "webhooks cannot be read. Restored? Stop the server and start it with the old server's key "
    "(TRUENORTH_SECRET_KEY_FILE or TRUENORTH_SECRET_KEY). Changed on purpose? Then send new "
    "links where people need them. This is said once."
)


def note_secret_key() -> str:
    """Keep the fingerprint of the server's key in the database; say when it differs from the
    one kept before (the key last served with, or a restored backup's). Said once: the new key
    is kept then, so a key changed on purpose is not warned of at every start."""
    from truenorth.startup import key_fingerprint
    from truenorth.workspaces.models import KeyFingerprint

    fingerprint = key_fingerprint()
    kept = KeyFingerprint.objects.first()
    if kept is None:
        KeyFingerprint.objects.create(fingerprint=fingerprint)
        return ""
    if kept.fingerprint == fingerprint:
        return ""
    kept.fingerprint = fingerprint
    kept.save()
    return OTHER_KEY


def key_after_restore(header: dict) -> str:
    """What `truenorth restore` says of the secret key: whether it is the backup's, and how to
    give the restored server the backup's when it is not, or when the backup does not say."""
    from truenorth.startup import key_fingerprint

    needed = (
        "the personal check-in links, password links and unsubscribe links the old server "
        "emailed, its saved mail password and its webhooks work only with the old server's "
        "secret key. Before `truenorth serve`, give this server that key: "
        "TRUENORTH_SECRET_KEY_FILE=<a file holding it> or TRUENORTH_SECRET_KEY=<the key>, or, "
        "where the old server had none set, copy its data directory's secret-key file into this "
        "one. Logins and API tokens work under any key."
    )
    kept = header.get("key_fingerprint")
    if kept == key_fingerprint():
        return (
            "The secret key is the one the backup was made with: the links the old server "
            "emailed and its saved secrets work as before."
        )
    if kept is None:
        return f"This backup does not say which secret key it was made with: {needed}"
    return f"This is not the secret key the backup was made with: {needed}"


def keep_site_url(site: str) -> None:
    """Kept in the data directory for the other commands on it, which read it when they are not
    given TRUENORTH_SITE_URL (settings.served_at): `checkin send` on the demo served at port 8363
    had emailed links to port 8000."""
    from django.conf import settings

    with contextlib.suppress(OSError):  # a read-only data directory: they use the default
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        (settings.DATA_DIR / "site-url").write_text(site + "\n", encoding="utf-8")


def refuse_taken_port(host: str, port: int) -> None:
    """Stop before anything is written (the site-url file, a migration) when the address cannot
    be served at: gunicorn would only say so after `serve` had announced it and kept it as the
    address of emailed links. Bound the way gunicorn binds it (SO_REUSEADDR), then let go."""
    import errno
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except socket.gaierror:
        raise click.ClickException(
            f"{host} is not a host name or address this machine can serve at: check --host."
        ) from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"Port {port} is already in use: stop what is using it or choose another "
                "with --port."
            ) from None
        if error.errno == errno.EACCES:
            raise click.ClickException(
                f"Port {port} needs more rights than this user has (ports below 1024 do): "
                "choose another with --port, and put a reverse proxy in front (docs/deploy.md)."
            ) from None
        raise click.ClickException(
            f"Cannot serve at {host}:{port} ({error.strerror}): check --host and --port."
        ) from None


def server_of(workers: int) -> str:
    return f"{workers} worker{'' if workers == 1 else 's'}"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=default_workers(),
    show_default="2 per CPU core + 1, at most 9",
    type=click.IntRange(min=1),
    help="Gunicorn worker processes, each serving one request at a time.",
)
@click.option(
    "--demo", "with_demo", is_flag=True, help="Build the demo workspace if the database is empty."
)
@click.option(
    "--dev", is_flag=True, help="Django's development server instead: one process, auto-reload."
)
def serve(host, port, workers, with_demo, dev):
    """Serve the web app with gunicorn (migrating the database first), access log on stdout.

    Example: truenorth serve --demo --port 8000

    Debug off, it needs a secret key (TRUENORTH_SECRET_KEY_FILE, see docs/deploy.md); with
    --demo or --dev and none set, it makes one and keeps it in the data directory.
    """
    refuse_taken_port(host, port)
    if with_demo or dev:
        use_local_secret_key()
    refuse_development_key()
    migrated = setup_django(say_when_creating=True)
    if migrated:
        click.echo(migrated)
    if other_key := note_secret_key():
        click.echo(other_key, err=True)
    from django.core.management import call_command
    from django.db import connections

    from truenorth.workspaces.first_run import setup_invitation
    from truenorth.workspaces.models import Workspace

    if with_demo and not Workspace.objects.exists():
        click.echo("Empty database: building the demo workspace…")
        build_and_analyze_demo()
    site = os.environ.get("TRUENORTH_SITE_URL") or f"http://{host}:{port}"
    # The address emailed links start with, for the server's own processes: with none set,
    # the one it serves at (links had pointed at port 8000 whatever --port said).
    os.environ["TRUENORTH_SITE_URL"] = site
    keep_site_url(site)
    invitation = setup_invitation(site, demo=with_demo)
    connections.close_all()
    click.echo(
        f"truenorth is at http://{host}:{port}/ ({'development server' if dev else server_of(workers)})"
    )
    if with_demo:
        echo_demo_logins()
    if invitation:
        click.echo(invitation)
    if dev:
        call_command("runserver", f"{host}:{port}")
        return
    gunicorn = [sys.executable, "-m", "gunicorn", "truenorth.wsgi:application"]
    gunicorn += ["--bind", f"{host}:{port}", "--workers", str(workers)]
    gunicorn += ["--timeout", str(WORKER_TIMEOUT), "--access-logfile", "-"]
    gunicorn += ["--logger-class", "truenorth.serving.RedactingLogger"]
    gunicorn += ["--no-control-socket"]  # unused, and one path per home directory for all servers
    sys.stdout.flush()
    os.execv(sys.executable, gunicorn)


@main.command()
@click.option("--queue", default="default", show_default=True, help="The queue to take work from.")
@click.option(
    "--max-tasks", type=click.IntRange(min=0), default=0, help="Stop after this many (0: never)."
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=1.0,
    show_default=True,
    help="Seconds between looks at an empty queue.",
)
def worker(queue, max_tasks, interval):
    """Run background work from the database queue: analyses, link suggestions, claim re-checks
    and email. Start as many as the machine allows; each takes one task at a time, and two never
    take the same one.

    The web server and the workers both need TRUENORTH_TASKS_BACKEND=database; without it work
    runs inline in the web request and no worker is needed. Each worker says every 15 seconds
    that it is alive: pages showing queued work warn when none has been seen for a minute.

    Example: TRUENORTH_TASKS_BACKEND=database truenorth worker
    """
    migrated = setup_django()
    if migrated:
        click.echo(migrated)
    from django.conf import settings
    from django.core.management import call_command

    if settings.TASKS["default"]["BACKEND"] != settings.TASK_BACKENDS["database"]:
        raise click.ClickException(
            "background work runs inline here (TRUENORTH_TASKS_BACKEND is "
            f"{settings.TASKS_BACKEND!r}): set TRUENORTH_TASKS_BACKEND=database for the web "
            "server and the workers"
        )
    refuse_development_key()  # a worker sends password links and personal links by email
    from truenorth.workspaces import workers

    # Pages that show queued work say so when no worker has beaten for a minute.
    workers.keep_beating(workers.this_process())
    options = ["--queue-name", queue, "--interval", str(interval), "--no-startup-delay"]
    if max_tasks:
        options += ["--max-tasks", str(max_tasks)]
    call_command("db_worker", *options)


@main.group(name="import")
def import_():
    """Import work items, the roadmap, claims, answers, or a whole workspace."""


@import_.command(name="workitems")
@click.argument("file", type=click.File(encoding="utf-8-sig"))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "jira-csv", "linear-csv", "github-json", "auto"]),
    default="csv",
    show_default=True,
    help="csv: any header, read through --map; auto: recognise a tracker's export.",
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="csv only: read FIELD from COLUMN; fields: key title status points created resolved "
    "due url kind project parent labels team initiative goal.",
)
@click.option(
    "--key-from-row",
    is_flag=True,
    help="csv only: the file has no key column; key the items row-1, row-2, … in file order.",
)
@click.option(
    "--project",
    default="",
    metavar="OWNER/REPO",
    help="github-json: the repository, for items that do not name theirs.",
)
@click.option(
    "--source",
    type=click.Choice(["csv", "jira", "linear", "github", "manual"]),
    help="The tracker the keys come from (default: the format's; csv for csv).",
)
@click.option(
    "--team",
    "team_name",
    default="",
    metavar="NAME",
    help="The team of items whose team the file does not give, or names no team of the "
    "workspace (GitHub issues name none).",
)
@workspace_option
def import_workitems(file, file_format, mappings, key_from_row, project, source, team_name, slug):
    """Import work items from FILE; any bad row means nothing is imported.

    Importing the same tracker again updates the items in place and records changes of
    status, points, due date and resolved date.

    Example: truenorth import workitems jira.csv --format jira-csv

    \b
    More:
      truenorth import workitems issues.json --format github-json --project acme/app --team Web
      truenorth import workitems tickets.csv --map key="Issue key" --map title=Summary
    """
    setup_django()
    from truenorth.tabular import ignored_note
    from truenorth.work.imports import ImportFailed, import_work_items, report_notes

    mapping = parse_mappings(mappings)
    workspace = pick_workspace(slug)
    team = None
    if team_name:
        team = workspace.teams.filter(name__iexact=team_name.strip()).first()
        if team is None:
            teams = ", ".join(workspace.teams.values_list("name", flat=True)) or "none yet"
            raise click.BadParameter(
                f"no team called {team_name!r} in this workspace; teams: {teams}",
                param_hint="--team",
            )
    try:
        result = import_work_items(
            workspace,
            file,
            mapping,
            source=source,
            file_format=file_format,
            project=project,
            key_from_row=key_from_row,
            team=team,
        )
    except ImportFailed as failure:
        click.echo(failure.report(), err=True)
        sys.exit(1)
    unchanged = f" ({result.unchanged} unchanged)" if result.unchanged else ""
    click.echo(f"Imported {result.created} new and updated {result.updated} work items{unchanged}.")
    if result.changes:
        click.echo(f"Recorded {counted(result.changes, 'change')} of status, points or dates.")
    if result.mapped:
        click.echo(f"Linked {counted(result.mapped, 'item')} through the tracker mappings.")
    if result.unlinked:
        unlinked = counted(result.unlinked, "item")
        click.echo(f"Unlinked {unlinked} that no tracker mapping matches now.")
    if result.skipped:
        click.echo(f"Skipped {counted(result.skipped, 'pull request')}.")
    if result.relinked:
        moved = counted(len(result.relinked), "item")
        click.echo(f"The file moved the link of {moved} (a goal's rank is read as of today):")
        for link in result.relinked:
            click.echo(f"  {link['key']}: from {link['from']} to {link['to']}")
    if result.ignored_columns:
        click.echo(ignored_note(result.ignored_columns))
    for note in report_notes(result.no_team, result.kept_team, result.statuses):
        click.echo(note)


def counted(n: int, thing: str) -> str:
    """ "1 item", "2 items"."""
    return f"{n} {thing}{'' if n == 1 else 's'}"


def parse_mappings(mappings: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for item in mappings:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise click.BadParameter(f"{item!r} is not FIELD=COLUMN", param_hint="--map")
        mapping[field.strip()] = column.strip()
    return mapping


@import_.command(name="responses")
@click.argument("file", type=click.File(encoding="utf-8-sig"))
@click.option("--checkin", "checkin_id", required=True, type=int, help="The check-in's number.")
def import_responses_command(file, checkin_id):
    """Import answers collected in another survey tool; any bad row means none are imported.

    Columns: `email` (or `function` and `team` for anonymous answers), then one column per
    question named vision, priorities, purpose, direction, comment, or q1, q2, …. Only into a
    check-in that sends no personal links: it takes answers through its links or an import.

    Example: truenorth import responses pulse.csv --checkin 3
    """
    setup_django()
    from truenorth.checkins.imports import import_responses
    from truenorth.checkins.models import CheckIn
    from truenorth.work.imports import ImportFailed

    checkin = CheckIn.objects.filter(pk=checkin_id).first()
    if checkin is None:
        raise click.ClickException(f"no check-in number {checkin_id}")
    try:
        count = import_responses(checkin, file)
    except ImportFailed as failure:
        click.echo(failure.report(), err=True)
        sys.exit(1)
    click.echo(f"Imported {count} responses into {in_quotes(checkin.title)}.")


@import_.command(name="claims")
@click.argument("file", type=click.File(encoding="utf-8-sig"))
@workspace_option
def import_claims_command(file, slug):
    """Import claims made to customers and check each against the roadmap.

    Columns: date (YYYY-MM-DD), account, said_by (a person's email or name; other names are
    kept as written; not a partner), text, source. Any bad row means nothing is imported. A row
    with the date, account, said_by and text of a claim already recorded (any case or spacing)
    is skipped and counted, so importing a file again adds nothing twice.

    Example: truenorth import claims claims.csv -w acme
    """
    setup_django()
    from truenorth.analysis.embed import ModelUnavailable
    from truenorth.claims.imports import import_claims
    from truenorth.work.imports import ImportFailed

    try:
        found = import_claims(pick_workspace(slug), file)
    except ImportFailed as failure:
        click.echo(failure.report(), err=True)
        sys.exit(1)
    except ModelUnavailable as error:
        raise click.ClickException(f"imported, but not checked: {error}") from None
    claims = found.claims
    skipped = f"; {found.skipped()}" if found.skipped() else ""
    click.echo(
        f"Imported and checked {len(claims)} claim{'' if len(claims) == 1 else 's'}{skipped}."
    )
    echo_verdicts(claims)


def echo_verdicts(claims) -> None:
    from collections import Counter

    from truenorth.claims.models import Verdict

    counts = Counter(claim.verdict for claim in claims)
    for verdict in Verdict:
        click.echo(f"  {verdict.label:20} {counts[verdict.value]:5}")


@import_.command(name="workspace")
@click.argument("file", type=click.File("rb"))
@click.option("--slug", help="Slug for the new workspace (default: the one in the file).")
@click.option("--name", help="Name for the new workspace (default: the one in the file).")
@click.option("--owner", help="A login of this server that owns the new workspace.")
def import_workspace_command(file, slug, name, owner):
    """Create a workspace from a file written by `truenorth export --json`.

    Example: truenorth import workspace acme.json --slug acme-copy --owner ada

    No login is created or matched by name: each login the file names waits, with its role,
    for an owner to invite it from the Logins page.
    """
    setup_django()
    from truenorth.exchange import ExchangeError, import_workspace, read_json

    try:
        imported = import_workspace(read_json(file.read()), slug=slug, name=name, owner=owner)
    except ExchangeError as error:
        raise click.ClickException(f"nothing imported from {file.name}: {error}") from None
    echo_imported(imported)


def echo_imported(imported) -> None:
    workspace = imported.workspace
    click.echo(f"Imported workspace {workspace.name} (/w/{workspace.slug}/).")
    if imported.owner:
        click.echo(f"{imported.owner} owns it.")
    else:
        click.echo(
            "No login can open it yet: import with --owner NAME, or run "
            f"`truenorth user create NAME --email ADDRESS -w {workspace.slug}`."
        )
    click.echo(
        f"{imported.invitations} logins wait for an owner to invite them "
        f"(/w/{workspace.slug}/logins/); none was created or matched by name."
    )
    if imported.not_invited:
        names = ", ".join(imported.not_invited)
        click.echo(f"Not invited, the file gives no email address: {names}.")


def anonymity_threshold_option(ctx, param, value):
    """Refuse a threshold the settings page would refuse, before touching the database."""
    configure_django()  # the limits live with the workspace model
    from truenorth.workspaces.models import MAX_ANONYMITY_THRESHOLD, MIN_ANONYMITY_THRESHOLD

    if value is not None and not MIN_ANONYMITY_THRESHOLD <= value <= MAX_ANONYMITY_THRESHOLD:
        raise click.BadParameter(
            f"{value} people: the anonymity threshold is from {MIN_ANONYMITY_THRESHOLD} to "
            f"{MAX_ANONYMITY_THRESHOLD}, and can never go below {MIN_ANONYMITY_THRESHOLD}."
        )
    return value


@main.command(name="settings")
@workspace_option
@click.option(
    "--anonymity-threshold",
    type=int,
    callback=anonymity_threshold_option,
    help="Hide every group of fewer than N people (at least 3).",
    metavar="N",
)
@click.option("--name", help="The workspace's new name.")
@click.option("--time-zone", help="Dates on its pages, e.g. Europe/Berlin.")
@click.option("--sender-address", help="The From: of its emails ('' for the server's).")
@click.option(
    "--slack-webhook",
    metavar="URL",
    help="The Slack-compatible webhook published updates are posted to ('' to remove it).",
)
@click.option(
    "--support-notice-days",
    type=int,
    metavar="N",
    help="Days before a customer-facing change ships that an update must tell support (0-90).",
)
def settings_command(
    slug, anonymity_threshold, name, time_zone, sender_address, slack_webhook, support_notice_days
):
    """Show a workspace's settings, or change them (each change is recorded; a webhook is shown
    and recorded by its host only).

    Example: truenorth settings -w acme --anonymity-threshold 7 --time-zone Europe/Berlin
    """
    setup_django()
    from django.core.exceptions import ValidationError

    from truenorth.workspaces.actions import change_settings, current_settings, lowering_warning

    workspace = pick_workspace(slug)
    changes = {
        "name": name and name.strip(),
        "anonymity_threshold": anonymity_threshold,
        "time_zone": time_zone,
        "sender_address": sender_address,
        "slack_webhook_url": slack_webhook,
        "support_notice_days": support_notice_days,
    }
    changes = {setting: value for setting, value in changes.items() if value is not None}
    if not changes:
        for setting, value in current_settings(workspace, shown=True).items():
            click.echo(f"{setting}: {value}")
        return
    try:
        changed = change_settings(workspace, None, **changes)
    except ValidationError as error:
        problems = [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
        raise click.UsageError("; ".join(problems)) from None
    for change in changed:
        click.echo(f"Changed {change}.")
    if warning := lowering_warning(changed):
        click.echo(f"Warning: {warning}", err=True)
    if not changed:
        click.echo("Nothing changed.")


@main.command(name="suggest-links")
@workspace_option
def suggest_links(slug):
    """Apply the tracker mappings, then suggest goals and initiatives for work that supports
    none (pending suggestions are replaced; accepted and rejected ones are kept).

    Example: truenorth suggest-links -w acme
    """
    setup_django()
    from truenorth.work.actions import apply_mappings, refresh_suggestions

    workspace = pick_workspace(slug)
    applied = apply_mappings(workspace)
    click.echo(f"Mappings: {applied.linked} items linked, {applied.unlinked} unlinked.")
    result = refresh_suggestions(workspace)
    click.echo(f"{result.suggestions} suggestions for {result.items} items that support no goal.")
    click.echo(f"Review them at /w/{workspace.slug}/work/suggestions/.")


@main.command()
@click.argument("number", required=False, type=int)
@click.option("--checkin", "checkin_id", type=int, help="The check-in's number (or give it bare).")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option(
    "--close",
    is_flag=True,
    help="Close an open check-in now, then publish; one whose results could not be published "
    "is left open.",
)
def analyze(number, checkin_id, slug, as_json, close):
    """Publish a closed check-in's results: how far its answers share one understanding
    (threshold applied). Results are final once published; later runs print them again.

    Example: truenorth analyze 2 -w acme --json
    """
    setup_django()
    from truenorth.checkins.measure import (
        NotOpenYet,
        StillOpen,
        close_checkin,
        current_report,
        release_state,
    )
    from truenorth.checkins.measure import analyze as run_analysis
    from truenorth.checkins.models import CheckIn
    from truenorth.checkins.overlaps import WouldDisclose, closing_refused
    from truenorth.cli_checkins import left_open

    if number is not None and checkin_id is not None and number != checkin_id:
        raise click.UsageError(f"two check-ins named: {number} and --checkin {checkin_id}")
    checkin_id = checkin_id if number is None else number
    if checkin_id is None:
        raise click.UsageError("say which check-in: truenorth analyze 2 (or --checkin 2)")
    checkins = CheckIn.objects.all()
    if slug is not None:
        checkins = checkins.filter(workspace=pick_workspace(slug))
    checkin = checkins.filter(pk=checkin_id).first()
    if checkin is None:
        where = f" in workspace {slug}" if slug is not None else ""
        raise click.ClickException(f"no check-in number {checkin_id}{where}")
    if close and release_state(checkin) == "open":  # open, or not open yet
        # Closing is for good: a check-in that could not be published is left taking answers.
        if why := closing_refused(checkin):
            raise click.ClickException(f"{why}\n{left_open(checkin)}")
        try:
            close_checkin(checkin)
        except NotOpenYet as refusal:
            raise click.ClickException(str(refusal)) from None
    try:
        with ProgressBar("Embedding answers") as progress:
            run_analysis(checkin, progress=progress)
    except StillOpen as still_open:
        raise click.ClickException(f"{still_open} Use --close to close it now.") from None
    except WouldDisclose as refusal:
        raise click.ClickException(str(refusal)) from None
    report = current_report(CheckIn.objects.get(pk=checkin_id)).data
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(summary(checkin, report))


class ProgressBar:
    """A tqdm bar on standard error, fed by the analysis's (done, total) callback: only where
    standard error is a terminal (in a log or a pipe, "0%| | 0/42" lands among the report's and
    the mail's lines), and cleared once the last answer is embedded, before the publication
    sends its notifications."""

    def __init__(self, description: str):
        self.description = description
        self.bar = None
        self.done = False

    def __enter__(self):
        return self

    def __call__(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.done or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.description, file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.close()

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar, self.done = None, True


def summary(checkin, report: dict) -> str:
    """The report in the check-in page's words: each figure with what good looks like."""
    from truenorth.analysis.report import headlines, not_english_note
    from truenorth.checkins.measure import alike_and_readings, shadow_label

    if report.get("suppressed"):
        return (
            f"{checkin.title}: {report['respondents']} answers, fewer than the anonymity "
            f"threshold of {report['threshold']}; nothing to show."
        )
    lines = [
        f"{checkin.title}: {report['respondents']} people answered (groups under "
        f"{report['threshold']} people are never shown)"
    ]
    if "scored_by" in report:
        lines[0] += f", scored by {report['scored_by']}"
    if "trend_withheld" in report:
        lines.append(f"  No trend: {report['trend_withheld']}.")
    trend = report.get("trend", {})
    if trend:
        lines.append(f"  Changes are since {report['previous']['title']}.")
    # A count of distinct readings is read against its question's number of answers.
    answers = {
        f"{q['role']}.effective_interpretations": q.get("n") for q in report.get("questions", [])
    }
    for key, value in headlines(report).items():
        since = trend.get(key, {})
        change, not_compared = since.get("change"), since.get("not_compared", "")
        lines.append(figure_line(key, value, change, not_compared, answers.get(key)))
    # What the page writes under its "Since …" table: how the two figures of how alike the
    # answers are read, and how both hold where one got better and the other worse.
    lines += [f"  {words}" for words in alike_and_readings(trend).values()]
    lines += group_lines(report)
    for question in report.get("questions", []):
        if note := not_english_note(question):
            lines.append(f"  {note}")
    for shadow in report.get("priorities", {}).get("shadow", []):
        lines.append(f"  Shadow priority ({shadow['people']} people): {shadow_label(shadow)}")
    return "\n".join(lines)


def group_lines(report: dict) -> list[str]:
    """The page's "By function and team" rows, and each team's "since" row: only the groups the
    report shows, and why the others are not."""
    from truenorth.analysis import measures
    from truenorth.checkins.measure import HEATMAP_KEYS, heatmap

    lines = []
    for dimension in ("function", "team"):
        table = heatmap(report, dimension)
        for row in table["rows"]:
            cells = [  # as the page's cell: the figure, then its band where it has one
                f"{measures.measure(key).name} {measures.shown(key, measures.report_value(key, v))}"
                + (f" ({band})" if band else "")
                for key, (v, _, band, _) in zip(HEATMAP_KEYS, row["shown"], strict=True)
                if v is not None
            ]
            called = row["called"]  # "the Workflow team"
            lines.append(
                f"  {called[:1].upper()}{called[1:]} ({row['n']} people): {'; '.join(cells)}"
            )
            if row["warning"]:
                lines.append(f"    ⚠ {row['warning']}")
        if table["hidden_groups"]:
            lines.append(f"  {table['hidden_in_words']}")
    for row in report.get("trend_by_team", []):
        lines.append(f"  The {row['team']} team since {report['previous']['title']}:")
        if row["not_compared"]:
            lines.append(f"    no before figure: {row['not_compared']}.")
        for figure in [] if row["not_compared"] else row["figures"]:
            key, now, before = figure["figure"], figure["now"], figure.get("before")
            shown = measures.shown(key, measures.report_value(key, now))
            if before is not None:
                shown = f"{measures.shown(key, measures.report_value(key, before))} → {shown}"
            said = change_words(key, now, figure.get("change"), figure.get("not_compared", ""))
            lines.append(f"    {measures.measure(key).name}: {shown}{said}")
    return lines


def figure_line(
    key: str,
    value: float,
    change: float | None,
    not_compared: str = "",
    answers: int | None = None,
) -> str:
    """ "Understand the vision: 31 / 100 — not shared; good is 60 or more (−22, worse)", or
    "(not compared: the earlier answers restated Vision v2, these Vision v3)"; a count of
    distinct readings among its question's `answers`, as the page reads it."""
    from truenorth.analysis import measures

    now = measures.report_value(key, value)
    line = f"  {measures.measure(key).name}: {measures.in_words(key, now, answers)}"
    return line + change_words(key, value, change, not_compared)


def change_words(key: str, value: float, change: float | None, not_compared: str = "") -> str:
    """ " (−22, worse)", " (no change)" as the page says it, " (not compared: …)", or ''."""
    from truenorth.analysis import measures

    if not_compared:
        return f" (not compared: {not_compared})"
    if change is None:
        return ""
    moved = measures.report_value(key, change)
    if not measures.rounded_change(key, moved):  # the page's "no change": none that shows
        return " (no change)"
    said = measures.verdict_words(key, measures.report_value(key, value), moved)
    return f" ({measures.shown_change(key, moved)}{', ' + said if said else ''})"


@main.command()
@click.argument("texts", nargs=-1)
@click.option("--pairs", type=click.File(encoding="utf-8"), help="Tab-separated pairs, one a line.")
@click.option(
    "--relation",
    "with_relation",
    is_flag=True,
    help="With --pairs: print score<TAB>relation<TAB>p_contradiction per line "
    '("-" where the model has no contradiction classifier).',
)
def compare(texts, pairs, with_relation):
    """Score how close two texts are in meaning, 0-100 (100 = the same meaning), and how the
    second relates to the first: conveys, partly, contradicts or unrelated.

    Example: truenorth compare "Close the books in 3 days" "Month-end close takes three weeks"
    """
    if pairs is None and len(texts) != 2:
        raise click.UsageError("give two texts, or --pairs FILE")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truenorth.settings")
    import django

    django.setup()  # the embeddings app's module below loads its models
    from truenorth.analysis.embed import ModelUnavailable
    from truenorth.embeddings.cache import configured_embedder

    rows = [(texts[0], texts[1])] if pairs is None else read_pairs(pairs)
    try:
        found = pair_relations(rows, configured_embedder())
    except ModelUnavailable as error:
        raise click.ClickException(str(error)) from None
    if pairs is None:
        click.echo(described(found[0]))
        if may_deny(texts[0], texts[1], configured_embedder()):
            click.echo(MAY_DENY)
    elif with_relation:
        click.echo("\n".join(f"{r.score:.1f}\t{r.name}\t{p_shown(r)}" for r in found))
    else:
        click.echo("\n".join(f"{r.score:.1f}" for r in found))


MAY_DENY = (
    "      may deny it: it says what the first text negates, or negates what it says, on the same "
    "topic (“keep retyping” against “without retyping”); not counted as contradicting: read it"
)


def may_deny(source: str, restated: str, embedder) -> bool:
    """What a check-in's report counts under "May deny the vision" (fidelity.denies)."""
    from truenorth.analysis import fidelity

    return fidelity.read(restated, {"source": source}, embedder.encode).denies


def pair_relations(rows, embedder) -> list:
    """The relation of each pair's second text to its first (its source)."""
    from truenorth.analysis import relation

    sources = embedder.encode([a for a, _ in rows])
    restated = embedder.encode([b for _, b in rows])
    return relation.relations(restated, sources, [b for _, b in rows], [a for a, _ in rows])


def described(found) -> str:
    """ "72.4  conveys  (p(contradiction) 0.04)", with the reason when a rule decided, and what
    the score says in words, which for a contradiction is how close the wording is, not the
    meaning."""
    from truenorth.analysis.score import band

    if found.reason:
        why = f": {found.reason}"
    elif found.classified:
        why = f" (p(contradiction) {found.p_contradiction:.2f})"
    else:
        why = " (from the score alone: this model has no contradiction classifier)"
    if found.name != "contradicts":
        return f"{found.score:.1f}  {found.name}{why}\n      score: {band(found.score)}"
    # The score reads wording: a contradiction in the same words scores high, and saying "the
    # same meaning" under "contradicts" reads as two verdicts.
    return (
        f"{found.score:.1f}  {found.name}{why}\n      score {found.score:.1f}: the wording reads as "
        f"“{band(found.score)}”; relation: contradicts, so it does not convey the first text"
    )


def p_shown(found) -> str:
    """p(contradiction) for a line of --relation output; "-" where the model has no classifier."""
    return f"{found.p_contradiction:.3f}" if found.classified else "-"


def read_pairs(stream) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(stream, start=1):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2:
            raise click.ClickException(f"line {number}: expected two tab-separated texts")
        rows.append((parts[0], parts[1]))
    return rows


@main.command(name="model")
def model_command():
    """Load the language model as the server runs it, and say which it is and where it runs:
    the check after installing a GPU (docs/deploy.md).

    Example: truenorth model
    """
    import time

    from django.conf import settings

    configure_django()
    from truenorth.analysis.embed import ModelUnavailable
    from truenorth.embeddings.cache import configured_embedder

    started = time.perf_counter()
    embedder = configured_embedder()
    try:
        embedder.encode(["Where are we going?"])
    except ModelUnavailable as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"model:   {embedder.model_name}")
    click.echo(f"engine:  {settings.EMBEDDING_ENGINE}")
    click.echo(f"runs on: {getattr(embedder, 'runs_on', 'this server')}")
    click.echo(f"loaded in {time.perf_counter() - started:.1f} s")


@main.command()
@click.option(
    "--json", "as_json", is_flag=True, required=True, help="Write JSON (the only format for now)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
@workspace_option
def export(as_json, output, slug):
    """Export a whole workspace as JSON, to import elsewhere or keep.

    Example: truenorth export --json -w larkspur -o larkspur.json
    """
    setup_django()
    from truenorth.exchange import ExchangeError, export_text

    try:
        text = export_text(pick_workspace(slug))  # the Settings page's download too
    except ExchangeError as error:
        raise click.ClickException(str(error)) from None
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text, nl=False)


@main.command(name="backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--embeddings", is_flag=True, help="Include the embedding cache (large; rebuilt otherwise)."
)
def backup_command(file, embeddings):
    """Write the whole instance to FILE (gzip'd JSON lines): every workspace, login, answer and
    history, read in one snapshot while the server goes on running.

    Keep it like the database itself: it holds password hashes and every answer.

    Example: truenorth backup /var/backups/truenorth-$(date +%F).jsonl.gz
    """
    configure_django()  # the server's key, whose fingerprint the header keeps
    from django.conf import settings
    from django.db import DatabaseError

    from truenorth.backup import BackupError, backup, private_file

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(database["NAME"]).exists():
        raise click.ClickException(f"no database at {database['NAME']}: set TRUENORTH_DATA_DIR")
    partial = file.with_name(file.name + ".partial")  # never a half-written FILE
    try:
        with private_file(partial) as out:
            header = backup(out, embeddings=embeddings)
        partial.replace(file)
    except (BackupError, DatabaseError, OSError) as error:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"no backup written: {error}") from None
    rows = sum(table["rows"] for table in header["tables"])
    click.echo(
        f"Wrote {file}: {rows} rows of {len(header['tables'])} tables, "
        f"{file.stat().st_size / 1e3:,.0f} kB."
    )


@main.command(name="restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(file):
    """Restore a backup written by `truenorth backup` into an empty data directory or database.
    Give it the old server's secret key (TRUENORTH_SECRET_KEY_FILE) first: it says whether it is.

    Example: TRUENORTH_DATA_DIR=/srv/truenorth-new truenorth restore truenorth-2026-12-01.jsonl.gz
    """
    configure_django()  # the key `truenorth serve` would use, compared with the backup's
    from truenorth.backup import BackupError, restore

    make_data_dir()
    try:
        header = restore(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(table["rows"] for table in header["tables"])
    click.echo(
        f"Restored {rows} rows of {len(header['tables'])} tables, backed up at "
        f"{header['created_at']} by truenorth {header['truenorth']}."
    )
    click.echo(key_after_restore(header))


# Commands kept in modules of their own, which import helpers from this one.
import truenorth.cli_feedback  # noqa: E402, F401 -- adds `truenorth import feedback`
import truenorth.cli_roadmap  # noqa: E402, F401 -- adds `truenorth import roadmap`
from truenorth.cli_checkins import checkin  # noqa: E402
from truenorth.cli_claims import check_command, claims  # noqa: E402
from truenorth.cli_decisions import decisions  # noqa: E402
from truenorth.cli_glossary import glossary  # noqa: E402
from truenorth.cli_goals import goals, vision  # noqa: E402
from truenorth.cli_mail import mail  # noqa: E402
from truenorth.cli_notifications import notifications  # noqa: E402
from truenorth.cli_people import people, teams  # noqa: E402
from truenorth.cli_rituals import rituals  # noqa: E402
from truenorth.cli_themes import themes  # noqa: E402
from truenorth.cli_tokens import token  # noqa: E402
from truenorth.cli_updates import updates  # noqa: E402
from truenorth.cli_users import user  # noqa: E402
from truenorth.cli_work import work  # noqa: E402

for group in (
    checkin,
    claims,
    goals,
    vision,
    people,
    teams,
    user,
    glossary,
    decisions,
    updates,
    notifications,
    rituals,
    token,
    themes,
    work,
    mail,
):
    main.add_command(group)
# The first name of `truenorth claims check`, kept for scripts that use it.
main.add_command(check_command, name="check-claims")

if __name__ == "__main__":
    # Run as `python -m truenorth.cli`, this file is __main__, while those modules added their
    # commands to `truenorth.cli`: run that one.
    from truenorth.cli import main as registered

    registered()
