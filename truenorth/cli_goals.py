"""`truenorth goals`: list the goals in rank order, move one up or down, archive and restore, as
the goals page does (strategy.actions keeps the ranks 1..n under the workspace's lock).

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import click

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)


@click.group()
def goals() -> None:
    """The workspace's goals, ranked: list, move, archive and restore them.

    \b
    Examples:
      truenorth goals list -w acme
      truenorth goals move 4 --up -w acme
      truenorth goals archive 4 -w acme
      truenorth goals restore 4 -w acme
    """


def find_goal(workspace, goal_id: int):
    from truenorth.strategy.models import Goal

    goal = Goal.all_objects.filter(workspace=workspace, pk=goal_id).first()
    if goal is None:
        raise click.ClickException(f"there is no goal {goal_id}")
    return goal


@goals.command(name="list")
@click.option("--archived", is_flag=True, help="The archived goals instead, newest first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per goal, as the API.")
@workspace_option
def list_command(archived, as_json, slug):
    """List the goals by rank: rank, id (what the other commands take), period and what.

    Example: truenorth goals list -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.api.strategy import GoalOut
    from truenorth.strategy.models import Goal

    rows = Goal.all_objects.filter(workspace=pick_workspace(slug))
    if archived:
        rows = rows.exclude(archived_at=None).order_by("-archived_at", "-pk")
    else:
        rows = rows.filter(archived_at=None).order_by("rank", "pk")
    for goal in rows:
        if as_json:
            click.echo(GoalOut.from_orm(goal).model_dump_json())
            continue
        rank = f"was #{goal.rank}" if archived else f"#{goal.rank}"
        click.echo(f"{rank:>7}  {goal.pk:>5}  {goal.period:<10}  {goal.title}")


@goals.command(name="move")
@click.argument("goal_id", type=int)
@click.option("--up", "offset", flag_value=-1, help="One place higher (toward #1).")
@click.option("--down", "offset", flag_value=1, help="One place lower.")
@workspace_option
def move_command(goal_id, offset, slug):
    """Move a goal one place up or down the ranking; the others close up around it.

    Example: truenorth goals move 4 --up -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    if offset is None:
        raise click.UsageError("say --up or --down")
    setup_django()
    from truenorth.strategy.actions import move_goal

    goal = find_goal(pick_workspace(slug), goal_id)
    if goal.archived_at is not None:
        raise click.ClickException(f"goal {goal_id} is archived: it has no place in the ranking")
    move_goal(goal, offset)
    goal.refresh_from_db()
    click.echo(f"Goal {goal_id} is now #{goal.rank}: {goal.title}")


@goals.command(name="archive")
@click.argument("goal_id", type=int)
@workspace_option
def archive_command(goal_id, slug):
    """Take a goal out of the ranking, the lists and the figures; the goals below move up. Work
    items and initiatives linked to it keep the link. `restore` brings it back, last.

    Example: truenorth goals archive 4 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.strategy.actions import archive_goal

    goal = find_goal(pick_workspace(slug), goal_id)
    if not archive_goal(goal):
        raise click.ClickException(f"goal {goal_id} is archived already")
    click.echo(f"Archived goal {goal_id} (was #{goal.rank}): {goal.title}")


@goals.command(name="restore")
@click.argument("goal_id", type=int)
@workspace_option
def restore_command(goal_id, slug):
    """Bring an archived goal back, at the bottom of the ranking.

    Example: truenorth goals restore 4 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.strategy.actions import restore_goal

    goal = find_goal(pick_workspace(slug), goal_id)
    if not restore_goal(goal):
        raise click.ClickException(f"goal {goal_id} is not archived")
    click.echo(f"Restored goal {goal_id} as #{goal.rank}: {goal.title}")
