"""`truenorth goals`: list the goals in rank order, add one (the goal form's fields and checks),
record a measurement (the goal card's form, as the page and the API), move one up or down,
archive and restore, as the goals page does (strategy.actions keeps the ranks 1..n under the
workspace's lock), and check a goal's clarity; `truenorth vision`: show the vision in force, check its clarity or a draft's,
and publish its next version, as the vision pages do.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import sys

import click

from truenorth.cli_options import checked_day, refusals

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)


@click.group()
def goals() -> None:
    """The workspace's goals, ranked: list, add, measure, move, archive and restore them.

    \b
    Examples:
      truenorth goals list -w acme
      truenorth goals add "Close the books in 3 days" --why "Month-end takes 8 days" \\
        --why-now "The audit starts in June" --metric "Median close time" \\
        --target "3 days by 30 June 2027" --period 2027-H1 -w acme
      truenorth goals measure 4 6.5 --unit days -w acme
      truenorth goals measure 4 3 --unit days --on 2027-06-30 --target -w acme
      truenorth goals move 4 --up -w acme
      truenorth goals archive 4 -w acme
      truenorth goals restore 4 -w acme
      truenorth goals check 4 -w acme
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
    """List the goals by rank under a header: rank, id (what the other commands take), period,
    whether it is on track and what; under each active goal, the pace behind its verdict, as
    its card on the goals page says it.

    Example: truenorth goals list -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.api.strategy import GoalOut
    from truenorth.strategy import pace
    from truenorth.strategy.models import Goal

    rows = Goal.all_objects.filter(workspace=pick_workspace(slug)).prefetch_related("measurements")
    if archived:
        rows = rows.exclude(archived_at=None).order_by("-archived_at", "-pk")
    else:
        rows = rows.filter(archived_at=None).order_by("rank", "pk")
    if not as_json:
        click.echo(f"{'rank':>7}  {'id':>5}  {'period':<10}  {'on track?':<26}  what")
    for goal in rows:
        if as_json:
            click.echo(GoalOut.from_orm(goal).model_dump_json())
            continue
        rank = f"was #{goal.rank}" if archived else f"#{goal.rank}"
        found = pace.of_goal(goal, channel="cli")
        click.echo(f"{rank:>7}  {goal.pk:>5}  {goal.period:<10}  {found.label:<26}  {goal.title}")
        if not archived:
            click.echo(f"{'':>7}  {'':>5}  {found.detail}")


# The goal form's fields, as the options that set them, for its refusals.
GOAL_OPTIONS = {
    "title": "TITLE",
    "why": "--why",
    "why_now": "--why-now",
    "metric": "--metric",
    "target": "--target",
    "period": "--period",
    "names": "--names",
}


@goals.command(name="add")
@click.argument("title")
@click.option("--why", default="", help="Why it matters.")
@click.option("--why-now", "why_now", default="", help="Why it matters now.")
@click.option("--metric", default="", help="How it is measured, e.g. 'Median close time'.")
@click.option(
    "--target",
    default="",
    help="The target as people read it: '3 days by 30 June'. A number alone ('120', '0.5%', "
    "'from 600 to 60') is recorded as its target value too, by the end of --period.",
)
@click.option("--period", default="", help="When it is for, e.g. 2027-H1 or 2027-Q2.")
@click.option("--names", default="", help="Short names people use for it, separated by commas.")
@workspace_option
def add_command(title, slug, **fields):
    """Add a goal at the bottom of the ranking, with the goals page's form and its checks: every
    field but --names is needed. Nothing is saved when one is refused. Record its values with
    `goals measure`.

    Example: truenorth goals add "Close the books in 3 days" --why "Month-end takes 8 days" --why-now "The audit starts in June" --metric "Median close time" --target "3 days by 30 June 2027" --period 2027-H1 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.charts import day, number
    from truenorth.strategy.actions import add_goal
    from truenorth.strategy.forms import GoalForm

    workspace = pick_workspace(slug)
    form = GoalForm(data={"title": title, **fields}, workspace=workspace)
    if not form.is_valid():
        raise click.ClickException(f"the goal was not added: {refusals(form.errors, GOAL_OPTIONS)}")
    form.instance.workspace = workspace
    goal = add_goal(form.instance, form.new_target)
    click.echo(f"Added goal {goal.pk} as #{goal.rank}: {goal.title}")
    if target := form.new_target:
        click.echo(f"  Its target value: {number(target.value, target.unit)} by {day(target.on)}.")


MEASUREMENT_OPTIONS = {"measured_on": "--on", "value": "VALUE", "unit": "--unit"}


@goals.command(name="measure")
@click.argument("goal_id", type=int)
@click.argument("value")
@click.option("--unit", default="", help="e.g. % or days (default: the goal's unit so far).")
@click.option(
    "--on", "measured_on", callback=checked_day, help="The day measured (default: today)."
)
@click.option("--target", "is_target", is_flag=True, help="The value the goal aims for by --on.")
@workspace_option
def measure_command(goal_id, value, unit, measured_on, is_target, slug):
    """Record a value of a goal's metric, or with --target the value it aims for by a day, as
    the goal card's "Record a measurement" form does, with its checks: a value in another unit
    than the goal's, one more likely a typo, or a reading dated after today is refused. A
    second value for the same day replaces the first. The value may be written as people write
    numbers: 12,5 or 1,200 or 42%. A negative value comes after --: `-w acme -- -5`.

    Example: truenorth goals measure 4 6.5 --unit days -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from django.utils import timezone

    from truenorth.charts import day, number
    from truenorth.sending import in_quotes
    from truenorth.strategy import pace
    from truenorth.strategy.forms import GoalMeasurementForm

    goal = find_goal(pick_workspace(slug), goal_id)
    if goal.archived_at is not None:
        raise click.ClickException(f"goal {goal_id} is archived: it takes no measurement")
    on = measured_on or timezone.localdate().isoformat()
    data = {"measured_on": on, "value": value, "unit": unit, "is_target": is_target}
    form = GoalMeasurementForm(data={k: v for k, v in data.items() if v}, goal=goal)
    if not form.is_valid():
        said = refusals(form.errors, MEASUREMENT_OPTIONS)
        raise click.ClickException(f"nothing was recorded: {said}")
    replaced = goal.measurements.filter(measured_on=on, is_target=is_target).first()
    saved = form.save()
    what = "as the target of goal" if is_target else "for goal"
    when = "by" if is_target else "on"
    instead = f", instead of {number(replaced.value, replaced.unit)}" if replaced else ""
    click.echo(
        f"Recorded {number(saved.value, saved.unit)} {what} {goal.pk} {in_quotes(goal.title)} "
        f"{when} {day(saved.measured_on)}{instead}."
    )
    click.echo(pace.of_goal(goal, channel="cli").words)


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


@goals.command(name="check")
@click.argument("goal_id", type=int)
@workspace_option
def check_command(goal_id, slug):
    """How clearly a goal says what changes, how it is measured, for whom, why now and by
    when: the score and suggestions its card on the goals page shows.

    Example: truenorth goals check 4 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.strategy import clarity

    workspace = pick_workspace(slug)
    goal = find_goal(workspace, goal_id)
    click.echo(f"Goal {goal_id}: {goal.title}")
    glossary = clarity.glossary_names(workspace)
    echo_clarity(clarity.clarity_of_goal(clarity.goal_fields(goal), glossary))


def echo_clarity(checked) -> None:
    """A clarity check as the page lists it: score, parts, wording, other suggestions."""
    from truenorth.strategy.clarity import as_data

    data = as_data(checked)
    click.echo(
        f"Clarity {data['score']}/100 (a wording checklist, not a judgement of the strategy)"
    )
    for part in data["parts"]:
        found = (
            "  (in the statement: “" + part["evidence"] + "”)"
            if part["found_in"] == "statement"
            else ""
        )
        mark = "✓" if part["present"] else "✗ missing:"
        if part["says_nothing"]:  # filled in with words that fit any product
            mark = "✗ says nothing concrete:"
        click.echo(f"  {mark} {part['label']}{found}")
    if data["findings"]:
        click.echo("Wording:")
    for finding in data["findings"]:
        where = "" if finding["where"] == "statement" else f", in {finding['where_label'].lower()}"
        click.echo(f"  “{finding['phrase']}” ({finding['kind']}{where}): {finding['suggestion']}")
    if data["suggestions"]:
        click.echo("Suggestions:")
    for suggestion in data["suggestions"]:
        click.echo(f"  - {suggestion}")
    if data["explained"]:
        click.echo(f"Defined in the glossary: {', '.join(data['explained'])}")


@click.group()
def vision() -> None:
    """The vision in force, and how clearly it (or a draft) says where we are going.

    \b
    Examples:
      truenorth vision show -w acme
      truenorth vision check -w acme
      truenorth vision check --statement "A world-class close." --horizon "by 2028" -w acme
      truenorth vision write --horizon "by the end of 2028" -w acme
    """


def vision_in_force(workspace):
    from truenorth.strategy.actions import current_vision

    found = current_vision(workspace)
    if found is None:
        raise click.ClickException(f"{workspace.slug} has no vision yet: write one on its page")
    return found


@vision.command(name="show")
@workspace_option
def show_command(slug):
    """Print the vision in force with each of its parts.

    Example: truenorth vision show -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.strategy.forms import VisionForm

    found = vision_in_force(pick_workspace(slug))
    click.echo(f"Vision, version {found.number} of {found.created_at:%Y-%m-%d}")
    click.echo(found.statement)
    for name in found.PARTS:
        label = VisionForm.base_fields[name].label or name.replace("_", " ").capitalize()
        click.echo(f"  {label}: {getattr(found, name) or '—'}")


# Vision.PARTS, named here: the models are not loaded when the command line is built.
VISION_PARTS = (
    "destination",
    "measures_of_progress",
    "target_user",
    "user_benefit",
    "business_outcome",
    "horizon",
)


def vision_parts(command):
    """An option for each part of a vision besides its statement, in the form's order."""
    for part in reversed(VISION_PARTS):
        command = click.option("--" + part.replace("_", "-"), part)(command)
    return command


@vision.command(name="check")
@click.option("--statement", help="A draft's statement (- reads it from standard input).")
@vision_parts
@workspace_option
def vision_check_command(statement, slug, **parts):
    """How clearly the vision in force, or a draft given with --statement (and any of its
    parts), says where we are going, how progress is measured and what the user gains. Nothing
    is saved.

    Example: truenorth vision check --statement "A world-class close." -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.strategy import clarity

    if statement is None and any(parts.values()):
        raise click.UsageError("a draft needs its --statement")
    workspace = pick_workspace(slug)
    if statement is None:
        fields = clarity.vision_fields(vision_in_force(workspace))
    else:
        text = sys.stdin.read() if statement == "-" else statement
        fields = {"statement": text, **{name: value or "" for name, value in parts.items()}}
    echo_clarity(clarity.clarity_of_vision(fields, clarity.glossary_names(workspace)))


@vision.command(name="write")
@click.option("--statement", help="The statement (- reads it from standard input).")
@vision_parts
@workspace_option
def write_command(slug, **given):
    """Publish the next version of the vision, as its edit page does: the parts given, and the
    version in force's for the others (the first version needs every part, as the page does).
    Prints its clarity check. Earlier versions are kept.

    Example: truenorth vision write --horizon "by the end of 2028" -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.strategy import clarity
    from truenorth.strategy.actions import current_vision, publish_vision
    from truenorth.strategy.forms import VisionForm

    if given["statement"] == "-":
        given["statement"] = sys.stdin.read()
    workspace = pick_workspace(slug)
    current = clarity.vision_fields(current_vision(workspace))
    values = {**current, **{name: text for name, text in given.items() if text is not None}}
    if values == current:
        raise click.UsageError("nothing to change: give the parts to write, e.g. --horizon")
    form = VisionForm(data=values)
    if not form.is_valid():
        options = {name: "--" + name.replace("_", "-") for name in VisionForm.base_fields}
        raise click.ClickException(f"not published: {refusals(form.errors, options)}")
    form.instance.workspace = workspace
    version = publish_vision(form.instance)
    click.echo(f"Published vision version {version.number}.")
    echo_clarity(
        clarity.clarity_of_vision(clarity.vision_fields(version), clarity.glossary_names(workspace))
    )
