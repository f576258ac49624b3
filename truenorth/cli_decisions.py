"""`truenorth decisions`: list, record, decide and export a workspace's decisions.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import json
from datetime import date

import click

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)


def day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as 2026-03-31.") from None


@click.group()
def decisions() -> None:
    """A workspace's decision log.

    \b
    Examples:
      truenorth decisions list -w acme --status proposed
      truenorth decisions add "Price per seat?" --question "How do we price?" -w acme
      truenorth decisions decide 3 --outcome "Per entity." --rationale "Fairer." -w acme
      truenorth decisions export decisions.md -w acme
    """


@decisions.command(name="list")
@click.option(
    "--status", type=click.Choice(["proposed", "decided", "superseded", "reversed"]), default=None
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per decision.")
@workspace_option
def list_command(status, as_json, slug):
    """List decisions, newest first, with how long each took or has been open.

    Example: truenorth decisions list -w acme --status proposed
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from django.utils import timezone

    from truenorth.decisions import export, speed

    rows = pick_workspace(slug).decisions.select_related("owner", "supersedes")
    if status:
        rows = rows.filter(status=status)
    today = timezone.localdate()
    for decision in rows:
        if as_json:
            click.echo(json.dumps(export.as_json(decision)))
            continue
        took = speed.latency_days(decision)
        days = f"{took} days to decide" if took is not None else ""
        if decision.is_open:
            days = f"open {(today - decision.raised_on).days} days"
        click.echo(f"{decision.number:>4}  {decision.status:<10}  {decision.title}  ({days})")


@decisions.command(name="add")
@click.argument("title")
@click.option("--question", required=True, help="What has to be decided, as a question.")
@click.option("--context", default="", help="Why it needs deciding, and now.")
@click.option("--owner", "owner_email", help="The owner's email (a person of the workspace).")
@click.option("--raised", help="The day it was raised (default: today), e.g. 2026-03-01.")
@workspace_option
def add_command(title, question, context, owner_email, raised, slug):
    """Record a new, open decision and print its number.

    Example: truenorth decisions add "Price per seat?" --question "How do we price?" -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    raised_on = day(raised)
    setup_django()
    from truenorth.decisions.actions import add_decision
    from truenorth.decisions.models import Decision

    workspace = pick_workspace(slug)
    owner = None
    if owner_email:
        owner = workspace.people.filter(email__iexact=owner_email).first()
        if owner is None:
            raise click.ClickException(f"no person with email {owner_email!r} in {workspace}")
    decision = Decision(
        workspace=workspace,
        title=title,
        question=question,
        context=context,
        owner=owner,
        raised_on=raised_on,
    )
    add_decision(decision)
    click.echo(f"Recorded decision {decision.number}: {decision.title}")


@decisions.command(name="decide")
@click.argument("number", type=int)
@click.option("--outcome", required=True, help="What was decided.")
@click.option("--rationale", default="", help="Why.")
@click.option("--on", "on", help="The day it was decided (default: today).")
@workspace_option
def decide_command(number, outcome, rationale, on, slug):
    """Record an open decision as made.

    Example: truenorth decisions decide 3 --outcome "Per entity." --rationale "Fairer." -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    decided_on = day(on)
    setup_django()
    from truenorth.decisions.actions import NotAllowed, decide

    decision = pick_workspace(slug).decisions.filter(number=number).first()
    if decision is None:
        raise click.ClickException(f"there is no decision {number}")
    try:
        decide(decision, decided_on, outcome, rationale)
    except NotAllowed as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Decision {number} decided on {decision.decided_on.isoformat()}.")


@decisions.command(name="export")
@click.argument("file", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--number", type=int, help="Only this decision (default: the whole log).")
@workspace_option
def export_command(file, number, slug):
    """Write the decision log (or one decision) as Markdown in the MADR layout.

    Example: truenorth decisions export docs/decisions.md -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.decisions import export

    workspace = pick_workspace(slug)
    rows = export.with_links(workspace.decisions.all())
    if number is None:
        file.write(export.markdown_log(rows, workspace.name))
        return
    decision = rows.filter(number=number).first()
    if decision is None:
        raise click.ClickException(f"there is no decision {number}")
    file.write(export.markdown(decision))
