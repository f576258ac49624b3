"""`truenorth work`: list the work items with what each serves, show one with the history its
imports recorded (as its page does), and link items by hand to an initiative, a goal or
nothing, as the work list's link form does (work.actions).

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

from zoneinfo import ZoneInfo

import click

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)
SOURCES = ["jira", "linear", "github", "csv", "manual"]  # work.models.Source


@click.group()
def work() -> None:
    """Work items from the trackers, and what each one serves.

    \b
    Examples:
      truenorth work list -w acme --unlinked
      truenorth work show INT-1201 -w acme
      truenorth work link ENG-12 ENG-14 --initiative 7 -w acme
      truenorth work link ENG-20 --goal 2 -w acme
      truenorth work link ENG-31 --nothing -w acme
    """


@work.command(name="list")
@click.option(
    "--unlinked",
    is_flag=True,
    help="Only orphan work: supports no goal, not closed as decided against.",
)
@click.option("--status", help="Only items in this status, as the tracker writes it.")
@click.option("--source", type=click.Choice(SOURCES), help="Only items from this tracker.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per item, as the API.")
@workspace_option
def list_command(unlinked, status, source, as_json, slug):
    """List work items by tracker and key: key, status and what the item serves.

    Example: truenorth work list -w acme --unlinked
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.api.work import WorkItemOut, items_of
    from truenorth.work.traceability import ORPHAN_WORK, goal_support

    items = items_of(pick_workspace(slug)).annotate(support=goal_support())
    if unlinked:
        items = items.filter(ORPHAN_WORK)
    if status is not None:
        items = items.filter(status=status)
    if source:
        items = items.filter(source=source)
    for item in items.order_by("source", "key_order", "pk").iterator(chunk_size=2000):
        if as_json:
            click.echo(WorkItemOut.from_orm(item).model_dump_json())
            continue
        click.echo(
            f"{item.external_key:<18}  {item.status[:14]:<14}  {serves(item):<40}  {item.title}"
        )


def serves(item, width: int | None = 40) -> str:
    """ "initiative 7: Bank feeds", "goal 2: Faster close", "nothing (orphan)", or "nothing
    (decided against)" for an item closed as Won't Do and the like, which is no orphan work."""
    if item.initiative_id:
        archived = " (archived)" if item.initiative.archived_at else ""
        return f"initiative {item.initiative_id}: {item.initiative.title}{archived}"[:width]
    if item.goal_id:
        archived = " (archived)" if item.goal.archived_at else ""
        return f"goal {item.goal_id}: {item.goal.title}{archived}"[:width]
    # An item with no link supports no goal ("no"), unless it was decided against.
    return "nothing (orphan)" if item.support == "no" else f"nothing ({item.support})"


@work.command(name="show")
@click.argument("key")
@click.option("--source", type=click.Choice(SOURCES), help="The tracker, when keys repeat.")
@workspace_option
def show_command(key, source, slug):
    """Show the item KEY: its fields, what it serves and how, and the changes its imports
    recorded, newest first, as its page says them.

    Example: truenorth work show INT-1201 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from django.utils import timezone

    from truenorth.work.traceability import goal_support
    from truenorth.work.views import HOW_LINKED, item_history

    workspace = pick_workspace(slug)
    [found] = find_items(workspace, (key,), source, doing="nothing to show")
    item = workspace.work_items.select_related("initiative__goal", "goal", "team")
    item = item.annotate(support=goal_support()).get(pk=found.pk)
    if item.points is None:
        points = "not estimated"
    else:
        points = f"{item.points.normalize():f} point{'' if item.points == 1 else 's'}"
    timezone.activate(ZoneInfo(workspace.time_zone))  # the page's days: the workspace's
    address = item.url or "no web address imported"
    how = HOW_LINKED.get(item.linked_by, "")
    click.echo(f"{item.external_key}  {item.title}")
    click.echo(f"  {item.get_source_display()}: {address}")
    click.echo(f"  status {item.status or '—'}, {points}, team {item.team or 'none'}")
    click.echo(
        f"  serves {serves(item, width=None)}" + (f"; {how[0].lower()}{how[1:]}" if how else "")
    )
    changes = item_history(item)
    if not changes:
        click.echo(
            "No changes yet: the same status, points and dates in every import since the first."
        )
    else:
        click.echo(
            f"History, newest first ({len(changes)} change{'' if len(changes) == 1 else 's'}):"
        )
    for change in changes:
        click.echo(f"  {change.in_words()}")


@work.command(name="link")
@click.argument("keys", nargs=-1, required=True)
@click.option("--initiative", type=int, help="The initiative's id (truenorth roadmap list).")
@click.option("--goal", type=int, help="The goal's id (truenorth goals list).")
@click.option("--nothing", is_flag=True, help="Serves no goal: an editor's decision, kept.")
@click.option("--source", type=click.Choice(SOURCES), help="The tracker, when keys repeat.")
@workspace_option
def link_command(keys, initiative, goal, nothing, source, slug):
    """Link the items KEYS by hand, all of them or none: tracker mappings leave them alone after,
    and their pending suggestions go.

    Example: truenorth work link ENG-12 ENG-14 --initiative 7 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    if [initiative is not None, goal is not None, nothing].count(True) != 1:
        raise click.UsageError("say one of --initiative ID, --goal ID or --nothing")
    setup_django()
    from truenorth.work.actions import link_work_items
    from truenorth.work.forms import LinkForm, serves_no_goal

    workspace = pick_workspace(slug)
    items = find_items(workspace, keys, source)
    kind, pk = ("initiative", initiative) if initiative is not None else ("goal", goal)
    form = LinkForm({"target": "" if nothing else f"{kind}:{pk}"}, workspace=workspace)
    if not form.is_valid():
        raise click.ClickException(f"there is no {kind} {pk} (an archived one cannot be linked)")
    target = form.cleaned_data["target"]
    link_work_items(items, target)
    what = "nothing (orphan work)" if target is None else f"{kind} {pk}: {target.title}"
    click.echo(f"Linked {len(items)} item{'' if len(items) == 1 else 's'} to {what}.")
    if serves_no_goal(target):
        click.echo("That initiative serves no goal: the work linked to it still supports none.")


def find_items(
    workspace, keys: tuple[str, ...], source: str | None, doing: str = "nothing was linked"
) -> list:
    """The items the keys name, in the order given; every key must name exactly one."""
    rows = workspace.work_items.filter(external_key__in=keys)
    if source:
        rows = rows.filter(source=source)
    by_key: dict[str, list] = {}
    for item in rows:
        by_key.setdefault(item.external_key, []).append(item)
    missing = [key for key in keys if key not in by_key]
    if missing:
        raise click.ClickException(f"no work item {', '.join(missing)}; {doing}")
    repeated = [key for key in keys if len(by_key[key]) > 1]
    if repeated:
        trackers = ", ".join(sorted(item.source for item in by_key[repeated[0]]))
        raise click.ClickException(
            f"{repeated[0]} is a key in {trackers}: say which with --source; {doing}"
        )
    return [by_key[key][0] for key in dict.fromkeys(keys)]
