"""`truenorth import roadmap`: the roadmap from another tool's CSV export."""

import sys

import click

from truenorth.cli import import_, parse_mappings, pick_workspace, setup_django, workspace_option


@import_.command(name="roadmap")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["auto", "jpd", "productboard", "aha", "csv"]),
    default="auto",
    show_default=True,
    help="The tool it was exported from (jpd: Jira Product Discovery; csv: a spreadsheet).",
)
@click.option(
    "--history",
    type=click.File("rb"),
    help="A CSV of past changes: key, date, field (status or target date), old value, new value.",
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN; fields: key title problem goal status visibility target "
    "shipped previous_status status_changed previous_target target_changed (history.key, "
    "history.date, … for the history file).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="WORD=STATUS",
    help="What a status in the file means: exploring, planned, committed, in_progress, "
    "shipped or dropped. Kept for the workspace once the import succeeds.",
)
@workspace_option
def import_roadmap_command(file, file_format, history, mappings, statuses, slug):
    """Import initiatives from FILE; any bad row means nothing is imported.

    Importing the same tool's export again updates the initiatives in place (by key) and
    records only what changed. Past changes in the file or in --history are recorded on the
    dates they happened.

    Example: truenorth import roadmap ideas.csv -w acme --status "Now=in_progress"

    \b
    More:
      truenorth import roadmap features.csv -w acme --format productboard --history changes.csv
      truenorth import roadmap plan.csv -w acme --map title="Initiative" --map key=Ref
    """
    setup_django()
    from truenorth.roadmap.imports import FORMATS, ImportFailed, decode, import_roadmap

    mapping = parse_mappings(mappings)
    words = parse_statuses(statuses)
    workspace = pick_workspace(slug)
    try:
        text = decode(file.read())
        history_text = decode(history.read(), "history file") if history else ""
        result = import_roadmap(workspace, text, history_text, file_format, mapping, statuses=words)
    except ImportFailed as failure:
        click.echo(failure.report(), err=True)
        sys.exit(1)
    click.echo(
        f"Imported {result.created} new and updated {result.updated} initiatives from "
        f"{FORMATS[result.file_format]} ({result.unchanged} unchanged)."
    )
    if result.history:
        click.echo(f"Recorded {result.history} past changes on the dates they happened.")
    if result.changes:
        click.echo(f"Recorded {result.changes} changes made since the last import.")


def parse_statuses(statuses: tuple[str, ...]) -> dict[str, str]:
    words = {}
    for item in statuses:
        word, sep, status = item.rpartition("=")
        if not sep or not word.strip() or not status.strip():
            raise click.BadParameter(f"{item!r} is not WORD=STATUS", param_hint="--status")
        words[word.strip()] = status.strip()
    return words
