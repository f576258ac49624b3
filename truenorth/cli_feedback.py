"""`truenorth import feedback`: customer feedback from a support desk, a store, notes."""

import sys
from pathlib import Path

import click

from truenorth.cli import import_, parse_mappings, pick_workspace, setup_django, workspace_option

FORMAT_NAMES = ("zendesk", "freshdesk", "intercom", "reviews", "interviews", "field")


@import_.command(name="feedback")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    metavar="FILE...",
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMAT_NAMES),
    required=True,
    help="zendesk, freshdesk, intercom: a support desk's ticket CSV; reviews: Google Play's "
    "reviews CSV or id, text, rating, date; interviews: Markdown notes (files or a folder); "
    "field: kind, text, account, heard_by, … as sales and marketing heard it.",
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN; fields: key title text kind type account segment "
    "account_value date heard_by competitor rating url.",
)
@workspace_option
def import_feedback_command(paths, file_format, mappings, slug):
    """Import customer feedback from FILE...; any bad row means nothing is imported.

    Importing the same source again updates its items in place, by the ticket's,
    review's or note's key there.

    Example: truenorth import feedback tickets.csv --format zendesk -w acme

    \b
    More:
      truenorth import feedback interviews/ --format interviews -w acme
      truenorth import feedback export.csv --format freshdesk --map account_value=ARR
    """
    files = files_of(paths, file_format)
    setup_django()
    from truenorth.feedback.formats import FORMATS
    from truenorth.feedback.imports import ImportFailed, import_feedback

    mapping = parse_mappings(mappings)
    workspace = pick_workspace(slug)
    try:
        result = import_feedback(
            workspace, [(path.name, path.read_bytes()) for path in files], file_format, mapping
        )
    except ImportFailed as failure:
        click.echo(failure.report(), err=True)
        sys.exit(1)
    click.echo(
        f"Imported {result.created} new and updated {result.updated} feedback items from "
        f"{FORMATS[file_format]} ({result.unchanged} unchanged)."
    )
    if result.skipped:
        click.echo(f"Skipped {result.skipped} star ratings without words.")
    if result.repeated:
        click.echo(f"Skipped {result.repeated} rows repeating an earlier row word for word.")
    warm_themes(workspace)


def warm_themes(workspace) -> None:
    """Group the feedback into themes now (or queue it for `truenorth worker`), so that no page
    does it in a request; one line says which and, inline, how it went."""
    from truenorth.feedback.tasks import refresh_themes
    from truenorth.workspaces.background import DONE, QUEUED, outcome

    click.echo("Grouping the feedback into themes… ", nl=False)
    state, found = outcome(refresh_themes.enqueue(workspace.pk))
    if state == DONE and "error" in found:
        click.echo(f"not now: {found['error']}")
    elif state == DONE:
        click.echo(f"{found['items']} items in {found['themes']} themes.")
    elif state == QUEUED:
        click.echo("queued for `truenorth worker`.")
    else:
        click.echo("failed; the log says why.")


def files_of(paths: tuple[Path, ...], file_format: str) -> list[Path]:
    """The files named; a folder of interview notes stands for its .md files."""
    files = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
        elif file_format == "interviews":
            found = sorted(p for p in path.rglob("*.md") if p.is_file())
            if not found:
                raise click.BadParameter(f"{str(path)!r} holds no .md file", param_hint="FILE")
            files += found
        else:
            raise click.BadParameter(
                f"{str(path)!r} is a folder; only --format interviews reads a folder",
                param_hint="FILE",
            )
    return files
