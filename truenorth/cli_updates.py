"""`truenorth updates`: open, write, check and publish a workspace's periodic updates, and read
each audience's version.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import json
import sys

import click

from truenorth.cli_decisions import day

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)
AUDIENCES = ["engineering", "design", "sales", "support", "executives", "partners"]


@click.group()
def updates() -> None:
    """A workspace's updates: one a period, a version for each audience.

    \b
    Examples:
      truenorth updates draft --from 2026-11-01 --to 2026-11-30 -w acme
      truenorth updates write 3 --narrative - --partner-note "Slack approvals are live." -w acme
      truenorth updates check 3 -w acme
      truenorth updates publish 3 -w acme
      truenorth updates show 3 --audience partners --markdown -w acme
      truenorth updates list --json -w acme
      truenorth updates send 3 --email -w acme
      truenorth updates ask 3 --audience engineering -w acme
      truenorth updates withdraw 3 -w acme
    """


def setup():
    from truenorth.cli import setup_django

    setup_django()


def find_update(slug: str | None, number: int):
    from truenorth.cli import pick_workspace

    update = pick_workspace(slug).updates.filter(number=number).first()
    if update is None:
        raise click.ClickException(f"there is no update {number}")
    return update


def summary(update) -> dict:
    return {
        "number": update.number,
        "title": update.title,
        "period_start": update.period_start.isoformat(),
        "period_end": update.period_end.isoformat(),
        "published_at": update.published_at.isoformat() if update.published_at else None,
        "withdrawn_from_partners_at": (
            update.withdrawn_from_partners_at.isoformat()
            if update.withdrawn_from_partners_at
            else None
        ),
    }


@updates.command(name="draft")
@click.option("--from", "start", required=True, help="The period's first day, e.g. 2026-11-01.")
@click.option("--to", "end", required=True, help="The period's last day, e.g. 2026-11-30.")
@click.option("--title", default="", help='Default: the period, e.g. "November 2026".')
@workspace_option
def draft_command(start, end, title, slug):
    """Open a draft for a period, its facts gathered from live data, and print its number.

    Example: truenorth updates draft --from 2026-11-01 --to 2026-11-30 -w acme
    """
    first, last = day(start), day(end)
    setup()
    from truenorth.cli import pick_workspace
    from truenorth.updates import actions

    try:
        update = actions.open_draft(pick_workspace(slug), first, last, title)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Opened update {update.number}: {update.title} (a draft)")


@updates.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per update.")
@workspace_option
def list_command(as_json, slug):
    """List updates, newest first.

    Example: truenorth updates list -w acme
    """
    setup()
    from truenorth.cli import pick_workspace

    for update in pick_workspace(slug).updates.all():
        if as_json:
            click.echo(json.dumps(summary(update)))
            continue
        state = "published" if update.is_published else "draft"
        withdrawn = " (withdrawn from partners)" if update.is_withdrawn_from_partners else ""
        click.echo(f"{update.number:>4}  {state:<9}  {update.title}{withdrawn}")


@updates.command(name="show")
@click.argument("number", type=int)
@click.option("--audience", type=click.Choice(AUDIENCES), default="engineering", show_default=True)
@click.option("--markdown", "as_markdown", is_flag=True, help="As Markdown (the default).")
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@click.option(
    "--slack", "as_slack", is_flag=True, help="The Block Kit JSON a send posts to the webhook."
)
@workspace_option
def show_command(number, audience, as_markdown, as_json, as_slack, slug):
    """Print one audience's version of an update, or the post a send makes to Slack (--slack:
    the partners' version and a link to each other version, whatever --audience says).

    Example: truenorth updates show 3 --audience sales -w acme
    """
    if as_markdown + as_json + as_slack > 1:
        raise click.UsageError("say one of --markdown, --json or --slack")
    setup()
    from truenorth.updates import audiences, delivery

    update = find_update(slug, number)
    if as_slack:
        click.echo(json.dumps(delivery.slack_payload(update), indent=2, ensure_ascii=False))
        return
    found = audiences.version(update, audience)
    if as_json:
        click.echo(json.dumps(audiences.as_json(found), indent=2))
    else:
        click.echo(audiences.markdown(found))


def text_of(value: str | None) -> str | None:
    """The text itself, or standard input for "-"."""
    return sys.stdin.read() if value == "-" else value


@updates.command(name="write")
@click.argument("number", type=int)
@click.option("--narrative", help='The story of the period; "-" reads it from standard input.')
@click.option("--partner-note", help='What partners read instead; "-" reads standard input.')
@click.option("--title", help="A new title, read by every audience first.")
@workspace_option
def write_command(number, narrative, partner_note, title, slug):
    """Write a draft's title, narrative and note for partners (what is not given stays).

    Example: truenorth updates write 3 --narrative - -w acme < november.md
    """
    if narrative == "-" and partner_note == "-":
        raise click.UsageError("only one of --narrative and --partner-note can read stdin")
    if narrative is None and partner_note is None and not title:
        raise click.UsageError("give --narrative, --partner-note, --title or several")
    narrative, partner_note = text_of(narrative), text_of(partner_note)
    setup()
    from truenorth.updates import actions

    update = find_update(slug, number)
    try:
        actions.save_texts(
            update,
            update.narrative if narrative is None else narrative,
            update.partner_note if partner_note is None else partner_note,
            title,
        )
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Saved the texts of update {update.number}.")


@updates.command(name="check")
@click.argument("number", type=int)
@workspace_option
def check_command(number, slug):
    """Print the rules an update breaks, the warnings and the jargon each audience may not
    know. Exits 1 when it breaks a rule (it cannot be published then).

    Example: truenorth updates check 3 -w acme
    """
    setup()
    from truenorth.updates import actions, rules

    update = find_update(slug, number)
    actions.refresh(update)
    found = rules.problems(update)
    click.echo("Problems:" if found else "No problems: it can be published.")
    for problem in found:
        click.echo(f"  - {problem}")
    for warning in rules.warnings(update):
        click.echo(f"Warning: {warning}")
    for audience in ("engineering", "partners"):
        words = rules.jargon(update, audience)
        unknown = [w["term"] for w in words if not w["in_glossary"]]
        unread = [w["term"] for w in words if w["in_glossary"] and not w["known"]]
        known = [w["term"] for w in words if w["known"]]
        text = "the note for partners" if audience == "partners" else "the narrative"
        if unknown:
            click.echo(f"Not in the glossary ({text}): {', '.join(unknown)}")
        if unread:
            click.echo(
                f"In the glossary, which partners cannot open ({text}): {', '.join(unread)}. "
                "Say what each means in the note."
            )
        if known:
            click.echo(f"Defined in the glossary ({text}): {', '.join(known)}")
    if found:
        sys.exit(1)


@updates.command(name="publish")
@click.argument("number", type=int)
@click.option(
    "--early", is_flag=True, help="Publish before the period ends: its facts freeze as they are."
)
@workspace_option
def publish_command(number, early, slug):
    """Publish a draft: its facts are gathered once more and frozen. Refused, with the
    problems, when a version would break a rule, or when the period has not ended and --early
    is not given.

    Example: truenorth updates publish 3 -w acme
    """
    setup()
    from truenorth.updates import actions

    update = find_update(slug, number)
    try:
        actions.publish(update, before_period_end=early)
    except (actions.PublishRefused, actions.NeedsConfirmation) as refused:
        click.echo(f"Update {number} was not published:", err=True)
        for problem in refused.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Published update {update.number}: {update.title}")


@updates.command(name="delete")
@click.argument("number", type=int)
@workspace_option
def delete_command(number, slug):
    """Delete a draft opened by mistake; a published update stays.

    Example: truenorth updates delete 3 -w acme
    """
    setup()
    from truenorth.updates import actions

    update = find_update(slug, number)
    try:
        actions.delete_draft(update)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Deleted draft {number}: {update.title}")


@updates.command(name="withdraw")
@click.argument("number", type=int)
@workspace_option
def withdraw_command(number, slug):
    """Withdraw a published update's partners' version, shown with something shared by
    mistake: partners no longer find the update (page, JSON, API, list); every internal version
    stays. What was already emailed or posted to Slack cannot be taken back. Exits 1 for a
    draft, or when it was withdrawn already.

    Example: truenorth updates withdraw 3 -w acme
    """
    setup()
    from truenorth.updates import actions

    update = find_update(slug, number)
    try:
        actions.withdraw_from_partners(update)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Withdrew update {update.number} from partners: they no longer find it.")


@updates.command(name="send")
@click.argument("number", type=int)
@click.option("--email", is_flag=True, help="Email each person the version of their function.")
@click.option("--slack", is_flag=True, help="Post it to the workspace's Slack webhook.")
@click.option("--again", is_flag=True, help="Send it again over a channel it already went out by.")
@workspace_option
def send_command(number, email, slack, again, slug):
    """Send a published update, here and now: by email, to the Slack webhook, or both (when
    neither is given). Prints each send; exits 1 when any failed. A channel it already went out
    by is refused (nothing is sent) unless --again is given: everyone would get it twice.

    Example: truenorth updates send 3 --email -w acme
    """
    setup()
    from truenorth.updates import delivery

    update = find_update(slug, number)
    channels = [c for c, chosen in (("email", email), ("slack", slack)) if chosen]
    channels = channels or list(delivery.CHANNELS)
    if "slack" in channels and not update.workspace.slack_webhook_url:
        if slack:
            raise click.ClickException("this workspace has no Slack webhook")
        channels.remove("slack")
        click.echo("No Slack webhook set: sending by email only.")
    if "slack" in channels and update.is_withdrawn_from_partners:
        if slack:
            raise click.ClickException(delivery.WITHDRAWN_SLACK)
        channels.remove("slack")
        click.echo("Withdrawn from partners: sending by email only, partners left out.")
    last = delivery.sent_before(update, channels)
    if last is not None and not again:
        raise click.ClickException(
            f"{delivery.sent_words(last)}: nothing was sent. Add --again to send it again."
        )
    try:
        rows = delivery.send(update, channels)
    except delivery.NotPublished as refused:
        raise click.ClickException(str(refused)) from None
    people = delivery.recipients(update.workspace)
    if "email" in channels and people.skipped:
        click.echo(f"Skipped {people.skipped_words()}.")
    for row in rows:
        where = "Slack" if row.channel == "slack" else f"email to {row.audience}"
        said = f"{where}: {row.delivered} of {row.recipients} sent, {row.status}"
        click.echo(said + (f" ({row.error})" if row.error else ""))
    if not rows:
        click.echo("Nobody to send it to.")
    if any(row.status == "failed" for row in rows):
        sys.exit(1)


@updates.command(name="ask")
@click.argument("number", type=int)
@click.option("--audience", required=True, type=click.Choice(AUDIENCES[:-1]))
@click.option(
    "--attributed", is_flag=True, help="Answers carry names (anonymous unless this is given)."
)
@click.option(
    "--send-anyway",
    is_flag=True,
    help="Send it even though its people differ by a few from those of a check-in published "
    "near it, so it could never be published (as the page's “Send anyway”).",
)
@workspace_option
def ask_command(number, audience, attributed, send_anyway, slug):
    """Ask one audience what it heard of a published update ("What did you hear?"), as the
    page's one click does: a check-in open for 7 days, its personal links emailed now.

    Exits 1 when the update is a draft, the audience was already asked or has fewer people than
    the anonymity threshold, or, without --send-anyway, when it could never be published: said
    before any mail server is asked; or when no mail server answers (nothing is created then)
    or a message failed.

    Example: truenorth updates ask 3 --audience engineering -w acme
    """
    setup()
    from django.db import transaction

    from truenorth.checkins.actions import send_links
    from truenorth.checkins.overlaps import warnings as overlap_warnings
    from truenorth.checkins.views import nothing_sent
    from truenorth.cli import refuse_development_key
    from truenorth.decisions.backbrief import sent_message
    from truenorth.updates import backbrief
    from truenorth.workspaces.mailserver import mail_server_problem

    update = find_update(slug, number)
    # What no mail server can mend is said first: asking an absent one would only wait for it.
    if refusal := backbrief.cannot_ask(update, audience):
        raise click.ClickException(refusal)
    never = backbrief.never_published(update, audience)
    if never and not send_anyway:
        raise click.ClickException(nothing_sent(never, "add --send-anyway"))
    # A link signed with the public key would be refused by the server, which has its own.
    refuse_development_key("sign personal links")
    problem = mail_server_problem()
    if problem:
        raise click.ClickException(problem)
    try:
        with transaction.atomic():
            found = backbrief.create_back_brief(update, audience, anonymous=not attributed)
    except backbrief.CannotAsk as refused:
        raise click.ClickException(str(refused)) from None
    outcome = send_links(found.checkin, reminder=False, new_links=False)
    click.echo(sent_message(found.checkin.invitations.count()))
    # As a check-in's creation warns; sent anyway, "only the first of the two to be published
    # can be" would promise what never comes.
    for warning in [] if never else overlap_warnings(found.checkin):
        click.echo(f"Warning: {warning}", err=True)
    for who, reason in outcome.failed.items():
        click.echo(f"  failed: {who}: {reason}")
    if outcome.failed:
        click.echo(f"Retry the failed ones with: truenorth checkin send {found.checkin_id}")
        sys.exit(1)
