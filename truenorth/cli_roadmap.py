"""`truenorth import roadmap`: the roadmap from another tool's CSV export; and `truenorth
roadmap`: list initiatives, change one as its page does (each change of status, target date or
estimate kept in its history), read that history, archive and restore."""

import sys

import click

from truenorth.cli import (
    counted,
    import_,
    main,
    parse_mappings,
    pick_workspace,
    setup_django,
    workspace_option,
)
from truenorth.cli_options import checked_day, refusals

STATUSES = ["exploring", "planned", "committed", "in_progress", "shipped", "dropped"]
# The form's fields by the options that set them, so a refusal names what to change.
OPTIONS = {
    "target_date": "--target",
    "actual_date": "--shipped",
    "estimate_weeks": "--estimate",
    "spent_weeks": "--spent",
    "title": "--title",
    "__all__": "initiative",
}


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
    help="Read FIELD from COLUMN; fields: key title problem goal team status visibility target "
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
    from truenorth.tabular import ignored_note

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
        click.echo(f"Recorded {counted(result.history, 'past change')} on the dates they happened.")
    if result.changes:
        click.echo(f"Recorded {counted(result.changes, 'change')} made since the last import.")
    if result.ignored_columns:
        click.echo(ignored_note(result.ignored_columns))


def parse_statuses(statuses: tuple[str, ...]) -> dict[str, str]:
    words = {}
    for item in statuses:
        word, sep, status = item.rpartition("=")
        if not sep or not word.strip() or not status.strip():
            raise click.BadParameter(f"{item!r} is not WORD=STATUS", param_hint="--status")
        words[word.strip()] = status.strip()
    return words


@main.group()
def roadmap() -> None:
    """The roadmap's initiatives: list them, change one, read its history, archive it.

    \b
    Examples:
      truenorth roadmap list -w acme --status committed
      truenorth roadmap set 7 --status committed --target 2027-03-31 -w acme
      truenorth roadmap set 7 --status shipped --shipped 2027-03-20 -w acme
      truenorth roadmap history 7 -w acme
      truenorth roadmap archive 7 -w acme
    """


def find_initiative(workspace, initiative_id: int, archived_too: bool = False):
    from truenorth.roadmap.models import Initiative

    rows = Initiative.all_objects if archived_too else Initiative.objects
    initiative = rows.filter(workspace=workspace, pk=initiative_id).first()
    if initiative is None:
        archived = "" if archived_too else " on the roadmap (an archived one cannot be changed)"
        raise click.ClickException(f"there is no initiative {initiative_id}{archived}")
    return initiative


@roadmap.command(name="list")
@click.option("--status", type=click.Choice(STATUSES), help="Only initiatives in this status.")
@click.option("--archived", is_flag=True, help="The archived initiatives instead.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per initiative, as the API.")
@workspace_option
def list_command(status, archived, as_json, slug):
    """List initiatives by target date (undated last), then title, under a header: id (what the
    other commands take), key, status, date (the target, or "shipped <date>" once shipped) and
    title.

    Example: truenorth roadmap list -w acme --status committed
    """
    setup_django()
    from django.db.models import F

    from truenorth.api.roadmap import InitiativeOut
    from truenorth.roadmap.models import Initiative

    rows = Initiative.all_objects.filter(workspace=pick_workspace(slug))
    rows = rows.filter(archived_at__isnull=not archived).select_related("goal", "team")
    if status:
        rows = rows.filter(status=status)
    if not as_json:
        click.echo(f"{'ID':>5}  {'KEY':<10}  {'STATUS':<11}  {'DATE':<18}  TITLE")
    for initiative in rows.order_by(F("target_date").asc(nulls_last=True), "title", "pk"):
        if as_json:
            click.echo(InitiativeOut.from_orm(initiative).model_dump_json())
            continue
        key = initiative.key or "—"
        click.echo(
            f"{initiative.pk:>5}  {key:<10}  {status_word(initiative):<11}  "
            f"{date_shown(initiative):<18}  {initiative.title}"
        )


def date_shown(initiative) -> str:
    """The day it shipped once it has, else its target: a shipped item's target is history."""
    if initiative.status == "shipped" and initiative.actual_date:
        return f"shipped {initiative.actual_date.isoformat()}"
    return initiative.target_date.isoformat() if initiative.target_date else "—"


def status_word(initiative) -> str:
    return initiative.get_status_display().lower()


def day_or_none(context, parameter, value: str | None) -> str | None:
    """A date option that "none" clears."""
    return value if value == "none" else checked_day(context, parameter, value)


@roadmap.command(name="set")
@click.argument("initiative_id", type=int)
@click.option("--status", type=click.Choice(STATUSES))
@click.option(
    "--target", callback=day_or_none, help="The target date, e.g. 2027-03-31; none clears it."
)
@click.option("--shipped", callback=day_or_none, help="The day it shipped (with --status shipped).")
@click.option("--estimate", type=float, help="Person-weeks expected.")
@click.option("--spent", type=float, help="Person-weeks spent so far.")
@click.option("--title")
@click.option("--visibility", type=click.Choice(["internal", "partner", "public"]))
@click.option(
    "--team", metavar="NAME", help="The team that delivers it (any case); none clears it."
)
@workspace_option
def set_command(
    initiative_id, status, target, shipped, estimate, spent, title, visibility, team, slug
):
    """Change an initiative as its page does (only the values given change) and print what was
    recorded in its history. Claims and overruns read the change at once.

    Example: truenorth roadmap set 7 --status committed --target 2027-03-31 -w acme

    \b
    More:
      truenorth roadmap set 7 --team Payments -w acme
      truenorth roadmap set 7 --team none -w acme
    """
    setup_django()
    from django.forms.models import model_to_dict

    from truenorth.cli_people import team_id
    from truenorth.roadmap.actions import save_initiative
    from truenorth.roadmap.forms import InitiativeForm

    workspace = pick_workspace(slug)
    initiative = find_initiative(workspace, initiative_id)
    given = {
        "status": status, "target_date": target, "actual_date": shipped,
        "estimate_weeks": estimate, "spent_weeks": spent, "title": title,
        "visibility": visibility, "team": team_id(workspace, team, initiative.team_id),
    }  # fmt: skip
    values = model_to_dict(initiative, fields=InitiativeForm.Meta.fields)
    values.update({name: value for name, value in given.items() if value is not None})
    for name in ("target_date", "actual_date"):  # "none" clears a date; a form reads it blank
        values[name] = "" if values[name] in (None, "none") else values[name]
    form = InitiativeForm(data=values, instance=initiative, workspace=workspace)
    if not form.is_valid():
        problems = refusals(form.errors, OPTIONS)
        raise click.ClickException(f"initiative {initiative_id} was not changed: {problems}")
    last_change = initiative.changes.order_by("-pk").values_list("pk", flat=True).first() or 0
    save_initiative(form.instance)
    recorded = initiative.changes.filter(pk__gt=last_change)
    team_name = f", team {initiative.team.name}" if initiative.team else ""
    click.echo(
        f"Saved initiative {initiative_id}: {initiative.title} "
        f"({status_word(initiative)}{team_name})."
    )
    for change in recorded:
        click.echo(f"  {change}")


@roadmap.command(name="history")
@click.argument("initiative_id", type=int)
@workspace_option
def history_command(initiative_id, slug):
    """Every change of status, target date and estimate, oldest first: the slips and reversals.

    Example: truenorth roadmap history 7 -w acme
    """
    setup_django()
    from truenorth.workspaces.people import known_as

    workspace = pick_workspace(slug)
    initiative = find_initiative(workspace, initiative_id, archived_too=True)
    click.echo(f"{initiative.title} ({status_word(initiative)})")
    changes = initiative.changes.select_related("changed_by")
    for change in changes:
        by = f" by {known_as(change.changed_by, workspace)}" if change.changed_by else ""
        click.echo(f"  {change.changed_at:%Y-%m-%d}  {change}{by}")
    if not changes:
        click.echo("  No change of status, target date or estimate recorded.")


@roadmap.command(name="archive")
@click.argument("initiative_id", type=int)
@workspace_option
def archive_command(initiative_id, slug):
    """Take an initiative off the roadmap, its figures and claim matching; its history and the
    links of work items and claims to it stay. `restore` puts it back.

    Example: truenorth roadmap archive 7 -w acme
    """
    setup_django()
    from truenorth.roadmap.actions import archive_initiative

    initiative = find_initiative(pick_workspace(slug), initiative_id, archived_too=True)
    if not archive_initiative(initiative):
        raise click.ClickException(f"initiative {initiative_id} is archived already")
    click.echo(f"Archived initiative {initiative_id}: {initiative.title}.")


@roadmap.command(name="restore")
@click.argument("initiative_id", type=int)
@workspace_option
def restore_command(initiative_id, slug):
    """Put an archived initiative back on the roadmap.

    Example: truenorth roadmap restore 7 -w acme
    """
    setup_django()
    from truenorth.roadmap.actions import restore_initiative

    initiative = find_initiative(pick_workspace(slug), initiative_id, archived_too=True)
    if not restore_initiative(initiative):
        raise click.ClickException(f"initiative {initiative_id} is not archived")
    click.echo(f"Restored initiative {initiative_id}: {initiative.title}.")
