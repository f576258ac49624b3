"""`truenorth people`: import an HR system's export, list who is here.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import json
import sys

import click

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)


@click.group()
def people() -> None:
    """People and teams of a workspace.

    \b
    Examples:
      truenorth people import hr-export.csv -w acme
      truenorth people list -w acme --json
    """


@people.command(name="import")
@click.argument("file", type=click.File(encoding="utf-8-sig"))
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN when its header is not a usual one; fields: name first_name "
    "last_name email function team manager role title.",
)
@workspace_option
def import_command(file, mappings, slug):
    """Create or update people from an HR export (CSV); any bad row means nothing changes.

    People are matched by email, whatever its case, so importing again updates them in
    place. Missing teams are created; a manager is given by email.

    Example: truenorth people import hr-export.csv -w acme

    \b
    More:
      truenorth people import staff.csv -w acme --map email="Login" --map team="Squad"
    """
    from truenorth.cli import parse_mappings, pick_workspace, setup_django

    mapping = parse_mappings(mappings)
    setup_django()
    from truenorth.work.imports import ImportFailed
    from truenorth.workspaces.people_import import import_people

    try:
        result = import_people(pick_workspace(slug), file, mapping)
    except ImportFailed as failure:
        click.echo(failure.report(), err=True)
        sys.exit(1)
    click.echo(
        f"Imported {result.new_people} and updated {result.updated} ({result.unchanged} unchanged)."
    )
    if result.teams_created:
        click.echo(f"Created teams: {', '.join(result.teams_created)}.")
    if result.ignored_columns:
        click.echo(f"Ignored columns: {', '.join(result.ignored_columns)}.")


@people.command(name="list")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Write JSON, as /w/SLUG/people.json does.")
@click.option("--all", "everyone", is_flag=True, help="Deactivated people too.")
def list_command(slug, as_json, everyone):
    """List the people of a workspace: name, email, function, team, manager.

    Example: truenorth people list -w acme --json
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people import as_dict

    found = pick_workspace(slug).people.select_related("team", "manager")
    if not everyone:
        found = found.filter(active=True)
    rows = [as_dict(person) for person in found]
    if as_json:
        click.echo(json.dumps({"people": rows}, indent=2, ensure_ascii=False))
        return
    for row in rows:
        parts = [row["name"], row["email"], row["function"], row["team"] or "no team"]
        if row["manager"]:
            parts.append(f"manager {row['manager']}")
        if not row["active"]:
            parts.append("deactivated")
        click.echo(" · ".join(parts))
    click.echo(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}.", err=True)
