"""`truenorth notifications`: raise the notifications that are due, read the log, and set the
workspace's webhooks and a person's choices.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import json

import click

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)
# Event.values, which cannot be imported before Django is set up: every event, as the
# Notifications and Webhooks pages offer them (tests/test_notifications_pages.py keeps the two
# lists the same). The last three are heard by nobody by default: they are for webhooks.
EVENTS = [
    "checkin_opened",
    "checkin_closing",
    "results_ready",
    "decision_made",
    "decision_reversed",
    "over_promise",
    "committed_slip",
    "update_published",
    "goal_changed",
    "initiative_changed",
    "claims_checked",
]


@click.group()
def notifications() -> None:
    """Events worth hearing about, by email and to Slack-compatible webhooks.

    \b
    Examples:
      truenorth notifications due -w acme          # from cron, e.g. every hour
      truenorth notifications list --json -w acme
      truenorth notifications webhook add https://hooks.slack.com/services/… \\
          --events decision_made --events update_published -w acme
      truenorth notifications webhook list -w acme
      truenorth notifications webhook remove 3 -w acme
      truenorth notifications prefs ana@acme.test --off update_published -w acme
    """


def workspace_of(slug):
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    return pick_workspace(slug)


@notifications.command(name="due")
@workspace_option
def due_command(slug):
    """Tell of check-ins closing within 48 hours with answers missing; each is told once, so
    run it as often as you like (cron: `0 * * * * truenorth notifications due`). With no
    worker, it also tries again the webhook posts whose next try is due.

    Without --workspace it goes through every workspace.

    Example: truenorth notifications due -w acme
    """
    from truenorth.cli import setup_django

    setup_django()
    from truenorth.notifications.delivery import retry_due
    from truenorth.notifications.events import closing_soon
    from truenorth.workspaces.models import Workspace

    workspaces = [workspace_of(slug)] if slug else list(Workspace.objects.order_by("slug"))
    told = tried = 0
    for workspace in workspaces:
        for notification in closing_soon(workspace):
            click.echo(f"{workspace.slug}: {notification.title}")
            told += 1
        for row in retry_due(workspace):
            click.echo(f"{workspace.slug}: delivery {row.id} tried again, {row.status}")
            tried += 1
    click.echo(f"{told} notification{'' if told == 1 else 's'} raised.")
    if tried:
        click.echo(f"{tried} webhook post{'' if tried == 1 else 's'} tried again.")


@notifications.command(name="list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@workspace_option
def list_command(limit, as_json, slug):
    """The recent notifications with their deliveries.

    Example: truenorth notifications list --json -w acme
    """
    workspace = workspace_of(slug)
    from truenorth.notifications.actions import log_json

    found = workspace.notifications.select_related("team").prefetch_related("deliveries")
    rows = log_json(list(found[:limit]))
    if as_json:
        click.echo(json.dumps({"notifications": rows}, indent=2))
        return
    if not rows:
        click.echo("No notifications yet.")
    for row in rows:
        said = [delivery_line(d) for d in row["deliveries"]] + [row["sending_note"] or ""]
        click.echo(f"{row['created_at'][:16]}  {row['title']}  — {'; '.join(filter(None, said))}")


def delivery_line(sent: dict) -> str:
    """'webhook sent (1 of 1, HTTP 200)': a webhook's last answer too, when it gave one."""
    if sent.get("not_mailed"):
        return f"email {sent['not_mailed']}"
    code = f", HTTP {sent['response_code']}" if sent.get("response_code") else ""
    return f"{sent['channel']} {sent['status']} ({sent['delivered']} of {sent['recipients']}{code})"


@notifications.group(name="webhook")
def webhook() -> None:
    """The workspace's webhooks: Slack-compatible ones, and signed JSON for programs."""


@webhook.command(name="add")
@click.argument("url")
@click.option("--events", "events", multiple=True, required=True, type=click.Choice(EVENTS))
@click.option("--team", default="", help="A team's name: it hears only of that team's.")
@click.option("--name", default="", help="e.g. #leadership")
@click.option(
    "--signed", is_flag=True, help="Post signed JSON to a program; prints its secret once."
)
@workspace_option
def webhook_add(url, events, team, name, signed, slug):
    """Add a webhook told of these events (https only); prints its id and host, and with
    --signed the secret its posts are signed with (shown this once).

    Example: truenorth notifications webhook add https://hooks.slack.com/services/… --events decision_made -w acme
    """
    workspace = workspace_of(slug)
    from truenorth.notifications import actions

    found = None
    if team:
        found = workspace.teams.filter(name=team).first()
        if found is None:
            raise click.ClickException(f"there is no team named {team!r}")
    try:
        hook = actions.add_webhook(workspace, url, list(events), found, name, signed=signed)
    except actions.Refused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Added webhook {hook.pk} at {hook.host}.", err=signed)
    if signed:
        click.echo(hook.secret)  # the only line on standard output, for a script to keep


@webhook.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@workspace_option
def webhook_list(as_json, slug):
    """The webhooks, by host only: the URL is a secret.

    Example: truenorth notifications webhook list -w acme
    """
    workspace = workspace_of(slug)
    from truenorth.notifications.actions import webhook_json

    rows = [webhook_json(h) for h in workspace.webhooks.select_related("team")]
    if as_json:
        click.echo(json.dumps({"webhooks": rows}, indent=2))
        return
    if not rows:
        click.echo("No webhooks.")
    for row in rows:
        where = row["team"] or "whole workspace"
        click.echo(f"{row['id']}  {row['host']}  {where}  {', '.join(row['events'])}")
        if row["unreadable"]:
            click.echo("    cannot be read with this server's secret key: remove it, add it again")


@webhook.command(name="remove")
@click.argument("webhook_id", type=click.IntRange(1, 2**31))
@workspace_option
def webhook_remove(webhook_id, slug):
    """Remove a webhook by its id (see `webhook list`).

    Example: truenorth notifications webhook remove 3 -w acme
    """
    workspace = workspace_of(slug)
    deleted, _ = workspace.webhooks.filter(pk=webhook_id).delete()
    if not deleted:
        raise click.ClickException(f"there is no webhook {webhook_id}")
    click.echo(f"Removed webhook {webhook_id}.")


@notifications.command(name="prefs")
@click.argument("email")
@click.option("--on", "on", multiple=True, type=click.Choice(EVENTS), help="Hear of it.")
@click.option("--off", "off", multiple=True, type=click.Choice(EVENTS), help="Do not.")
@click.option(
    "--default", "reset", multiple=True, type=click.Choice(EVENTS), help="Back to the default."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@workspace_option
def prefs_command(email, on, off, reset, as_json, slug):
    """Show what a person hears of by email (all, none, or those they are involved in), after
    turning events --on (all), --off (none) or back to their --default.

    Example: truenorth notifications prefs ana@acme.test --on over_promise -w acme
    """
    workspace = workspace_of(slug)
    from truenorth.notifications import actions, audience

    if len({*on, *off, *reset}) < len(on) + len(off) + len(reset):
        raise click.ClickException("an event is either --on, --off or --default, not two")
    person = workspace.people.filter(email__iexact=email.strip()).first()
    if person is None:
        raise click.ClickException(f"there is no person with the email {email!r}")
    if not audience.internal_people(workspace).filter(pk=person.pk).exists() and (on or off):
        raise click.ClickException(
            f"{person.name} hears of nothing: partners, people who left and people with no "
            "email are never notified"
        )
    try:
        chosen = {e: audience.ALL for e in on} | {e: audience.NONE for e in off}
        actions.set_preferences(person, chosen, reset)
    except actions.Refused as refused:
        raise click.ClickException(str(refused)) from None
    shown = audience.preferences(person)
    if as_json:
        click.echo(json.dumps({"person": person.email, "by_email": shown}, indent=2))
        return
    for event, hears in shown.items():
        click.echo(f"{hears:8}  {event}")
