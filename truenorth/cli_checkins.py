"""`truenorth checkin`: create a check-in, move its dates, send its links, remind, close."""

import sys
from datetime import datetime, timedelta

import click

from truenorth.checkins import DEFAULT_OPEN_DAYS
from truenorth.sending import in_quotes

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]


def setup():
    from truenorth.cli import setup_django

    setup_django()


def find_checkin(checkin_id: int):
    from truenorth.checkins.models import CheckIn

    checkin = CheckIn.objects.select_related("workspace").filter(pk=checkin_id).first()
    if checkin is None:
        raise click.ClickException(f"no check-in number {checkin_id}")
    return checkin


@click.group()
def checkin():
    """Create check-ins and email their personal links.

    \b
    Example:
      truenorth checkin new -w acme --title "Q3 pulse" --audience engineering
      truenorth checkin send 7
    """


@checkin.command(name="new")
@click.option("--workspace", "-w", "slug", help="Workspace slug (needed when there are several).")
@click.option("--title", required=True, help="What people see in their invitation.")
@click.option(
    "--anonymous/--attributed",
    default=True,
    show_default=True,
    help="Anonymous answers are reported only in groups at the workspace's threshold.",
)
@click.option(
    "--audience",
    multiple=True,
    metavar="FUNCTION_OR_TEAM",
    help="A function (engineering, sales, …) or a team's name; repeat it. Default: everyone.",
)
@click.option("--opens", type=click.DateTime(DATE_FORMATS), help="Default: now.")
@click.option(
    "--closes",
    type=click.DateTime(DATE_FORMATS),
    help=f"Default: {DEFAULT_OPEN_DAYS} days after opening, as the check-in page's form proposes.",
)
def new_command(slug, title, anonymous, audience, opens, closes):
    """Create an Alignment pulse: the five questions of the check-in page's form.

    Example: truenorth checkin new -w acme --title "Q3 pulse" --audience engineering
    --audience "Platform" --opens 2026-07-01 --closes 2026-07-15
    """
    setup()
    from django.utils import timezone

    from truenorth.checkins.actions import create_alignment_pulse
    from truenorth.checkins.views import before_sending
    from truenorth.cli import pick_workspace

    workspace = pick_workspace(slug)
    functions, teams = audience_of(workspace, audience)
    opens_at, closes_at = new_dates(opens, closes)
    created = create_alignment_pulse(
        workspace, title, opens_at, closes_at, anonymous, functions=functions, teams=teams
    )
    span = f"{timezone.localtime(opens_at):%-d %b} – {timezone.localtime(closes_at):%-d %b %Y}"
    kind = "anonymous" if anonymous else "attributed"
    click.echo(
        f"Created check-in {created.pk}, {in_quotes(title)} ({kind}), open {span}, ", nl=False
    )
    click.echo(f"asking {created.audience().count()} people.")
    for warning in before_sending(created):  # as the check-in page and the API warn
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Send the invitations with: truenorth checkin send {created.pk}")


def audience_of(workspace, names) -> tuple[list[str], list]:
    """Each name as a function or, failing that, a team of the workspace."""
    from truenorth.workspaces.models import Function

    functions, teams = [], []
    known = [value for value in Function.values if value != Function.PARTNER]
    for name in names:
        team = workspace.teams.filter(name__iexact=name).first()
        if name.lower() in known:
            functions.append(name.lower())
        elif team is not None:
            teams.append(team)
        else:
            team_names = ", ".join(workspace.teams.values_list("name", flat=True)) or "none"
            raise click.ClickException(
                f"{name!r} is neither a function ({', '.join(known)}) nor a team ({team_names})"
            )
    return functions, teams


def new_dates(opens: datetime | None, closes: datetime | None) -> tuple[datetime, datetime]:
    """A new check-in's opening and closing as typed, by default now and DEFAULT_OPEN_DAYS later
    (the page's form proposes the same); dates it may not run between stop the command with
    date_problems' reasons."""
    from django.utils import timezone

    from truenorth.checkins.actions import date_problems

    opens_at = aware(opens) if opens else timezone.now()
    closes_at = aware(closes) if closes else opens_at + timedelta(days=DEFAULT_OPEN_DAYS)
    if problems := date_problems(opens_at, closes_at, timezone.now()):
        raise click.ClickException(" ".join(problems.values()))
    return opens_at, closes_at


def aware(moment: datetime) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(moment)


@checkin.command(name="dates")
@click.argument("checkin_id", type=int)
@click.option("--opens", type=click.DateTime(DATE_FORMATS), help="Only before it opens.")
@click.option("--closes", type=click.DateTime(DATE_FORMATS), help="Not in the past.")
def dates_command(checkin_id, opens, closes):
    """Move a check-in's closing, or its opening before it opens (times in the server's time
    zone). A closed check-in's dates are final.

    Example: truenorth checkin dates 7 --closes "2026-07-22 17:00"
    """
    setup()
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from truenorth.checkins.actions import reschedule

    shown = find_checkin(checkin_id)
    if opens is None and closes is None:
        raise click.ClickException("say --opens, --closes or both")
    try:
        reschedule(
            shown,
            aware(opens) if opens else shown.opens_at,
            aware(closes) if closes else shown.closes_at,
        )
    except ValidationError as refusal:
        raise click.ClickException(" ".join(refusal.messages)) from None
    opens, closes = (timezone.localtime(moment) for moment in (shown.opens_at, shown.closes_at))
    title = in_quotes(shown.title)
    click.echo(f"{title} is open {opens:%-d %b %H:%M} – {closes:%-d %b %Y %H:%M}.")


@checkin.command(name="send")
@click.argument("checkin_id", type=int)
@click.option(
    "--send-anyway",
    is_flag=True,
    help="Send the first invitations even though, sent as it is, the check-in could never be "
    "published (as the page's “Send anyway: its results will never be shown”).",
)
def send_command(checkin_id, send_anyway):
    """Email each person who has no link yet their personal link: first sending, and retrying
    those that failed. Nobody who got their link is sent another.

    Exits 1 when no mail server answers (nothing is sent then), when any message failed, or,
    without --send-anyway, when sent as it is the check-in could never be published (its
    people differ by a few from a check-in published near it: nothing is sent then).

    Example: truenorth checkin send 7
    """
    setup()
    send(find_checkin(checkin_id), reminder=False, new_links=False, anyway=send_anyway)


@checkin.command(name="remind")
@click.argument("checkin_id", type=int)
@click.option(
    "--new-links",
    is_flag=True,
    help="Replace the link of each person who has not answered and send the new one (for "
    "people who lost theirs). Without it a reminder points to the link they hold.",
)
def remind_command(checkin_id, new_links):
    """Remind those who were sent a link and have not answered, unless they were invited or
    reminded within the last day (--new-links is never held back).

    Example: truenorth checkin remind 7
    """
    setup()
    send(find_checkin(checkin_id), reminder=True, new_links=new_links)


def send(checkin, reminder: bool, new_links: bool, anyway: bool = False) -> None:
    """Send in this process, so each outcome can be printed (the web page queues it instead).
    `anyway` confirms a first send of a check-in that could never be published."""
    from truenorth.checkins.actions import (
        addresses_changed_after_sending,
        nobody_due,
        send_links,
        sending_refused,
    )
    from truenorth.checkins.views import (
        never_published_once_sent,
        new_links_reach_nobody,
        nothing_sent,
    )
    from truenorth.cli import refuse_development_key
    from truenorth.workspaces.mailserver import mail_server_problem

    if not checkin.is_open():
        raise click.ClickException(f"{in_quotes(checkin.title)} is not open, so no links were sent")
    if why := sending_refused(checkin):
        raise click.ClickException(why)
    what = "reminders" if reminder else "invitations"
    if not anyway and (why := never_published_once_sent(checkin, what)):
        raise click.ClickException(nothing_sent(why, "add --send-anyway"))
    if why := nobody_due(checkin, reminder, new_links):
        click.echo(why)  # nothing to do is no failure: exit 0
        return
    if new_links and (why := new_links_reach_nobody(checkin)):
        raise click.ClickException(why)
    # A link signed with the public key would be refused by the server, which has its own.
    refuse_development_key("sign personal links")
    problem = mail_server_problem()
    if problem:
        raise click.ClickException(problem)
    for change in addresses_changed_after_sending(checkin) if reminder else []:
        click.echo(f"Note: {change}")
    outcome = send_links(checkin, reminder, new_links)
    noun = "reminder with a new link" if new_links else "reminder" if reminder else "invitation"
    click.echo(outcome.summary(noun))
    for who, reason in outcome.failed.items():
        click.echo(f"  failed: {who}: {reason}")
    if outcome.failed:
        click.echo(f"Retry the failed ones with: truenorth checkin send {checkin.pk}")
        sys.exit(1)


@checkin.command(name="close")
@click.argument("checkin_id", type=int)
@click.option(
    "--without-publishing",
    is_flag=True,
    help="Close one that can never be published, as its page's “Close now without "
    "publishing”: no more answers are taken, nobody is reminded, and its answers stay "
    "unpublished for good.",
)
def close_command(checkin_id, without_publishing):
    """Stop taking answers now. One whose results could not be published is left open, as the
    page and the API leave it (closing is for good); one that can never be published closes
    with --without-publishing.

    Example: truenorth checkin close 7
    """
    setup()
    from truenorth.checkins.measure import NotOpenYet, close_checkin, release_state
    from truenorth.checkins.overlaps import closing_refused

    shown = find_checkin(checkin_id)
    if release_state(shown) != "open":
        raise click.ClickException(f"{in_quotes(shown.title)} is not open")
    if without_publishing and not shown.asked_nobody():  # never sent: closing publishes nothing
        return close_unpublished(shown)
    if why := closing_refused(shown):
        raise click.ClickException(f"{why}\n{left_open(shown)}")
    try:
        refused = close_checkin(shown)  # why its results cannot be published, kept as of now
    except NotOpenYet as refusal:
        raise click.ClickException(str(refusal)) from None
    if shown.asked_nobody():  # nothing to publish: nobody was asked
        click.echo(f"Closed {in_quotes(shown.title)} without being sent: nobody was asked.")
        return
    answered = shown.responses.count()
    click.echo(f"Closed {in_quotes(shown.title)}: no more answers are taken ({answered} answered).")
    click.echo(refused or f"Publish its results with: truenorth analyze --checkin {shown.pk}")


def left_open(checkin) -> str:
    """What a close refused because its results could not be published says after why: the
    round stays open, and how to close it where it can never be published (this command's and
    `analyze --close`'s words alike)."""
    from truenorth.checkins.overlaps import never_publishable

    said = f"So {in_quotes(checkin.title)} was left open; it closes on its closing date."
    if never_publishable(checkin):
        said += (
            " It can never be published: to close it now, "
            f"truenorth checkin close {checkin.pk} --without-publishing"
        )
    return said


def close_unpublished(checkin) -> None:
    """The page's "Close now without publishing" (checkins.views.close_unpublished): one that
    can never be published closes as it is; one that could be published after all stays open."""
    from truenorth.checkins.measure import NotOpenYet, close_checkin
    from truenorth.checkins.overlaps import never_publishable
    from truenorth.checkins.views import answers_kept

    if not never_publishable(checkin):
        raise click.ClickException(
            f"{in_quotes(checkin.title)} can be published after all, so it was left open: "
            f"close it without --without-publishing."
        )
    try:
        close_checkin(checkin)
    except NotOpenYet as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(
        f"Closed {in_quotes(checkin.title)} without publishing: no more answers are taken, "
        f"nobody is reminded, and its links say it has closed; {answers_kept(checkin)}."
    )
