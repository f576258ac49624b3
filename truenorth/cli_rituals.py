"""`truenorth rituals`: a workspace's recurring sessions, their agendas, notes, ratings and
summaries, and the calendar feeds that carry them.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import json
import sys
from datetime import time

import click

from truenorth.cli_decisions import day

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)
date_option = click.option(
    "--date", "on", required=True, help="The occurrence's local date, e.g. 2026-03-30."
)


@click.group()
def rituals() -> None:
    """A workspace's rituals: weekly updates, roadmap reviews, strategy sessions.

    \b
    Examples:
      truenorth rituals new "Weekly product update" --rule "FREQ=WEEKLY;BYDAY=MO" \\
          --first 2026-03-02 --at 09:30 --function product --team Design -w acme
      truenorth rituals list -w acme
      truenorth rituals show 1 --json -w acme
      truenorth rituals agenda 1 --date 2026-03-30 -w acme
      truenorth rituals notes 1 --date 2026-03-30 --text - --attended ana@acme.test -w acme
      truenorth rituals rate 1 --date 2026-03-30 --person ana@acme.test --no -w acme
      truenorth rituals summary 1 --date 2026-03-30 -w acme
      truenorth rituals skip 1 --date 2026-04-06 -w acme
      truenorth rituals end 1 --on 2026-06-01 -w acme
      truenorth rituals feed --person ana@acme.test -w acme
    """


def setup():
    from truenorth.cli import setup_django

    setup_django()


def workspace_of(slug):
    from truenorth.cli import pick_workspace

    return pick_workspace(slug)


def find_ritual(slug: str | None, number: int):
    ritual = workspace_of(slug).rituals.filter(number=number).first()
    if ritual is None:
        raise click.ClickException(f"there is no ritual {number}")
    return ritual


def find_person(workspace, email: str):
    person = workspace.people.filter(email__iexact=email, active=True).first()
    if person is None:
        raise click.ClickException(f"no active person with email {email!r} in {workspace}")
    return person


def starts_on(ritual, on: str):
    """The start of its session that day: one held there, else its rule's."""
    from truenorth.rituals import actions

    starts_at = actions.session_on(ritual, day(on))
    if starts_at is None:
        raise click.ClickException(f"{ritual} does not meet on {on}")
    return starts_at


def started_on(ritual, on: str):
    """The start of its session that day, once it has started: nothing is recorded before."""
    from truenorth.rituals import actions

    starts_at = starts_on(ritual, on)
    try:
        actions.check_started(ritual, starts_at)
    except actions.NotStarted as early:
        raise click.ClickException(str(early)) from None
    return starts_at


def summary(ritual, now=None) -> dict:
    from django.utils import timezone

    from truenorth.rituals import actions, cadence, recurrence

    upcoming = actions.next_session(ritual, now or timezone.now())
    return {
        "number": ritual.number,
        "name": ritual.name,
        "kind": ritual.kind,
        "purpose": ritual.purpose,
        "cadence": cadence.of(ritual),
        "rule": ritual.rrule,
        "time_zone": ritual.time_zone,
        "owner": ritual.owner.name if ritual.owner else None,
        "attendees": len(actions.attendees(ritual)),
        "next": recurrence.local(ritual, upcoming).isoformat() if upcoming else None,
        "ended_on": ritual.ended_on.isoformat() if ritual.ended_on else None,
    }


@rituals.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per ritual.")
@workspace_option
def list_command(as_json, slug):
    """List rituals with their cadence and next date.

    Example: truenorth rituals list -w acme
    """
    setup()
    for ritual in workspace_of(slug).rituals.select_related("owner"):
        found = summary(ritual)
        if as_json:
            click.echo(json.dumps(found))
            continue
        upcoming = found["next"][:16].replace("T", " ") if found["next"] else "ended"
        click.echo(f"{ritual.number:>4}  {upcoming:<16}  {ritual.name} ({found['cadence']})")


@rituals.command(name="show")
@click.argument("number", type=int)
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@workspace_option
def show_command(number, as_json, slug):
    """A ritual: cadence, attendees, its recent sessions and whether it still works.

    Example: truenorth rituals show 1 -w acme
    """
    setup()
    from dataclasses import asdict

    from django.utils import timezone

    from truenorth.rituals import actions, health

    ritual = find_ritual(slug, number)
    now = timezone.now()
    found = summary(ritual, now)
    assessment = health.assess(ritual, now)
    found["health"] = asdict(assessment) | {
        "verdict": assessment.verdict,
        "left_out_note": assessment.left_out_note,
    }
    found["people"] = [p.name for p in actions.attendees(ritual)]
    threshold = ritual.workspace.anonymity_threshold
    found["sessions"] = [
        session_row(ritual, o, threshold, now)
        for o in ritual.occurrences.prefetch_related("attendances").order_by("-starts_at")[:6]
    ]
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    click.echo(f"Ritual {ritual.number}: {ritual.name}")
    click.echo(f"  {found['cadence']}; next: {found['next'] or 'none (ended)'}")
    click.echo(f"  Purpose: {ritual.purpose}")
    attendees = found["attendees"]
    click.echo(
        f"  Owner: {found['owner'] or 'nobody'}; "
        f"{attendees} {'attendee' if attendees == 1 else 'attendees'}"
    )
    for s in found["sessions"]:
        click.echo(
            f"  {s['date']}  {s['status']:<9}  came {s['came']}, {worth_it_words(s, threshold)}"
            f"{', summary sent' if s['summary_sent'] else ''}"
        )
    click.echo(f"  Health: {assessment.verdict}")
    if assessment.left_out_note:
        click.echo(f"  {assessment.left_out_note}")


def session_row(ritual, occurrence, threshold: int, now) -> dict:
    """One session as `show` lists it: its "worth it" count only once its ratings have closed
    and from the anonymity threshold of ratings up, as on the ritual's page."""
    from truenorth.rituals import health, recurrence

    marks = occurrence.attendances.all()
    yes, rated = health.ratings_of(marks)
    starts = occurrence.starts_at
    return {
        "date": recurrence.local(ritual, starts).date().isoformat(),
        "status": occurrence.status,
        "came": sum(a.attended for a in marks),
        "worth_it": yes if health.shown(rated, threshold, starts, now) else None,
        "rated": rated,
        "ratings_close": None
        if health.ratings_closed(starts, now)
        else recurrence.local(ritual, health.ratings_close(starts)).date().isoformat(),
        "summary_sent": occurrence.summary_sent_at is not None,
    }


def worth_it_words(session: dict, threshold: int) -> str:
    rated = session["rated"]
    if session["worth_it"] is not None:
        return f"worth it {session['worth_it']} of {rated}"
    if rated and session["ratings_close"]:
        ratings = "rating" if rated == 1 else "ratings"
        few = f", if there are {threshold} by then" if rated < threshold else ""
        return (
            f"{rated} {ratings} so far: shown when ratings close, {session['ratings_close']}{few}"
        )
    if rated:
        return f"{rated} {'rating' if rated == 1 else 'ratings'}: shown from {threshold}"
    return "not rated"


@rituals.command(name="new")
@click.argument("name")
@click.option("--purpose", required=True, help="What the session is for.")
@click.option(
    "--rule", "rule", required=True, help='An RFC 5545 rule, e.g. "FREQ=WEEKLY;BYDAY=MO".'
)
@click.option("--first", "first", required=True, help="The first occurrence's date.")
@click.option("--at", "at", default="09:30", show_default=True, help="Local start time, HH:MM.")
@click.option("--minutes", default=60, show_default=True, type=click.IntRange(5, 24 * 60))
@click.option("--zone", help="Time zone (default: the workspace's).")
@click.option(
    "--kind",
    type=click.Choice(["weekly_update", "roadmap_review", "strategy_session", "other"]),
    default="other",
    show_default=True,
)
@click.option("--owner", "owner_email", help="The owner's email.")
@click.option("--person", "emails", multiple=True, help="An attendee's email (repeatable).")
@click.option("--team", "team_names", multiple=True, help="A team whose people attend.")
@click.option("--function", "functions", multiple=True, help="A function whose people attend.")
@click.option("--location", default="", help="A room or a video-call link.")
@workspace_option
def new_command(
    name, purpose, rule, first, at, minutes, zone, kind, owner_email, emails, team_names,
    functions, location, slug,
):  # fmt: skip
    """Create a ritual and print its number.

    Example: truenorth rituals new "Roadmap review" --purpose "Check the roadmap" \\
      --rule "FREQ=MONTHLY;BYDAY=1TU" --first 2026-04-07 --at 10:00 --function leadership
    """
    first_date = day(first)
    try:
        start_time = time.fromisoformat(at)
    except ValueError:
        raise click.BadParameter(f"{at!r} is not a time; write it as 09:30.") from None
    setup()
    from django.core.exceptions import ValidationError

    from truenorth.rituals import actions, health
    from truenorth.rituals.models import Ritual
    from truenorth.rituals.recurrence import BadRule
    from truenorth.workspaces.models import Function, valid_time_zone

    workspace = workspace_of(slug)
    zone = zone or workspace.time_zone
    try:
        valid_time_zone(zone)
    except ValidationError as refusal:
        raise click.BadParameter(refusal.messages[0]) from None
    unknown = [f for f in functions if f not in Function.values]
    if unknown:
        raise click.BadParameter(f"not a function: {', '.join(unknown)}")
    teams = []
    for team_name in team_names:
        team = workspace.teams.filter(name__iexact=team_name).first()
        if team is None:
            raise click.ClickException(f"no team {team_name!r} in {workspace}")
        teams.append(team)
    ritual = Ritual(
        workspace=workspace,
        name=name,
        kind=kind,
        purpose=purpose,
        owner=find_person(workspace, owner_email) if owner_email else None,
        functions=list(functions),
        first_date=first_date,
        start_time=start_time,
        duration_minutes=minutes,
        time_zone=zone,
        rrule=rule,
        location=location,
    )
    people = [find_person(workspace, email) for email in emails]
    try:
        ritual = actions.create_ritual(ritual, people, teams)
    except BadRule as error:
        raise click.BadParameter(str(error)) from None
    click.echo(f"Created ritual {ritual.number}: {ritual.name}")
    few = health.never_shown_note(len(actions.attendees(ritual)), workspace.anonymity_threshold)
    if few:
        click.echo(few)


@rituals.command(name="agenda")
@click.argument("number", type=int)
@click.option("--date", "on", help="The occurrence's local date (default: the next one).")
@click.option("--results", is_flag=True, help="Include what only check-in results readers may see.")
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@workspace_option
def agenda_command(number, on, results, as_json, slug):
    """Print an occurrence's agenda: frozen if it was held, else built from live data.

    Example: truenorth rituals agenda 1 --date 2026-03-30 -w acme
    """
    setup()
    from django.utils import timezone

    from truenorth.rituals import actions, agenda, recurrence

    ritual = find_ritual(slug, number)
    if on:
        starts_at = starts_on(ritual, on)
    else:
        starts_at = actions.next_session(ritual, timezone.now())
        if starts_at is None:
            raise click.ClickException(f"{ritual} has no more occurrences")
    found = agenda.for_occurrence(
        ritual, starts_at, actions.occurrence(ritual, starts_at), results=results
    )
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    when = recurrence.local(ritual, starts_at)
    if found.get("preview"):
        click.echo(f"{ritual.name}, {when:%A %-d %B %Y %H:%M}")
        click.echo(found["preview"])
    else:
        click.echo(f"{ritual.name}, {when:%A %-d %B %Y %H:%M} (since {found['since']})")
    for section in found["sections"]:
        click.echo(f"\n{section['title']}")
        for item in section["items"]:
            note = f" ({item['note']})" if item.get("note") else ""
            click.echo(f"  - {item['text']}{note}")
        if not section["items"]:
            click.echo(f"  {section['empty']}")


@rituals.command(name="notes")
@click.argument("number", type=int)
@date_option
@click.option("--text", required=True, help="The notes ('-' reads them from standard input).")
@click.option("--attended", "emails", multiple=True, help="Who came (repeatable).")
@workspace_option
def notes_command(number, on, text, emails, slug):
    """Record a session as held: its notes and who came (everyone else was absent).

    Example: echo "Agreed X" | truenorth rituals notes 1 --date 2026-03-30 --text - \\
      --attended ana@acme.test --attended ben@acme.test -w acme
    """
    if text == "-":
        text = sys.stdin.read()
    setup()
    from truenorth.rituals import actions

    ritual = find_ritual(slug, number)
    starts_at = started_on(ritual, on)
    came = [find_person(ritual.workspace, email) for email in emails]
    row = actions.record_notes(actions.occurrence(ritual, starts_at, create=True), text, came)
    absent = row.attendances.filter(attended=False).count()
    click.echo(f"Recorded {ritual.name} on {on}: {len(came)} came, {absent} absent")


@rituals.command(name="decide")
@click.argument("number", type=int)
@date_option
@click.option("--title", required=True)
@click.option("--question", required=True, help="What was to be decided, as a question.")
@click.option("--outcome", required=True, help="What was decided.")
@click.option("--rationale", default="")
@click.option("--owner", "owner_email", help="The owner's email.")
@workspace_option
def decide_command(number, on, title, question, outcome, rationale, owner_email, slug):
    """Record a decision made in a session: it lands, decided, in the decision log.

    Example: truenorth rituals decide 1 --date 2026-03-30 --title "Wizard waits" \\
      --question "Ship the wizard first?" --outcome "No: after the retry queue" -w acme
    """
    setup()
    from truenorth.decisions.actions import NotAllowed
    from truenorth.rituals import actions

    ritual = find_ritual(slug, number)
    row = actions.occurrence(ritual, started_on(ritual, on), create=True)
    owner = find_person(ritual.workspace, owner_email) if owner_email else None
    try:
        decision = actions.record_decision(row, title, question, outcome, rationale, owner)
    except NotAllowed as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Recorded decision {decision.number}: {decision.title}")


@rituals.command(name="rate")
@click.argument("number", type=int)
@date_option
@click.option("--person", "email", required=True, help="The attendee's email.")
@click.option("--yes/--no", "worth_it", required=True, help="Was it worth it?")
@workspace_option
def rate_command(number, on, email, worth_it, slug):
    """Record one attendee's "worth it?" for a session.

    Example: truenorth rituals rate 1 --date 2026-03-30 --person ana@acme.test --yes -w acme
    """
    setup()
    from truenorth.rituals import actions

    ritual = find_ritual(slug, number)
    person = find_person(ritual.workspace, email)
    if person not in actions.attendees(ritual):
        raise click.ClickException(f"{email} does not attend {ritual}")
    row = actions.occurrence(ritual, started_on(ritual, on), create=True)
    try:
        actions.rate(row, person, worth_it)
    except actions.RatingsClosed as closed:
        raise click.ClickException(str(closed)) from None
    click.echo(f"Rated {ritual.name} on {on}: {'worth it' if worth_it else 'not worth it'}")


@rituals.command(name="skip")
@click.argument("number", type=int)
@date_option
@workspace_option
def skip_command(number, on, slug):
    """Skip one occurrence: calendar feeds leave it out.

    Example: truenorth rituals skip 1 --date 2026-04-06 -w acme
    """
    setup()
    from truenorth.rituals import actions

    ritual = find_ritual(slug, number)
    try:
        actions.skip(ritual, starts_on(ritual, on))
    except actions.HeldAlready as held:
        raise click.ClickException(str(held)) from None
    click.echo(f"Skipped {ritual.name} on {on}")


@rituals.command(name="end")
@click.argument("number", type=int)
@click.option("--on", "on", required=True, help="The first day it no longer meets.")
@workspace_option
def end_command(number, on, slug):
    """Cancel a ritual from a day on.

    Example: truenorth rituals end 1 --on 2026-06-01 -w acme
    """
    ended = day(on)
    setup()
    from truenorth.rituals import actions

    try:
        ritual = actions.end_ritual(find_ritual(slug, number), ended)
    except actions.BadEnd as bad:
        raise click.ClickException(str(bad)) from None
    click.echo(f"Ended {ritual.name} from {on}")


@rituals.command(name="summary")
@click.argument("number", type=int)
@date_option
@click.option("--json", "as_json", is_flag=True, help="The counts as JSON.")
@workspace_option
def summary_command(number, on, as_json, slug):
    """Email a held session's summary to the attendees who missed it (once).

    Example: truenorth rituals summary 1 --date 2026-03-30 -w acme
    """
    setup()
    from truenorth.rituals import actions

    ritual = find_ritual(slug, number)
    row = actions.occurrence(ritual, starts_on(ritual, on))
    if row is None:
        raise click.ClickException(f"{ritual} on {on} was not held")
    result = actions.send_summary(row)
    if as_json:
        click.echo(json.dumps(result))
    else:
        click.echo(
            f"Summary of {ritual.name} on {on}: {result['sent']} of {result['recipients']} "
            f"sent, {result['skipped']} without an address"
        )
    if result["error"]:
        raise click.ClickException(result["error"])


@rituals.command(name="feed")
@click.option("--person", "email", help="A person's feed (default: the workspace's).")
@click.option("--revoke", "revoke_id", type=int, help="Revoke the feed with this id.")
@click.option("--list", "as_list", is_flag=True, help="List the feeds (never their tokens).")
@workspace_option
def feed_command(email, revoke_id, as_list, slug):
    """Issue a secret calendar URL (shown once), list feeds, or revoke one.

    Example: truenorth rituals feed --person ana@acme.test -w acme
    """
    setup()
    from truenorth.rituals import calendar
    from truenorth.rituals.models import CalendarFeed

    workspace = workspace_of(slug)
    if as_list:
        for feed in workspace.calendar_feeds.select_related("person"):
            state = "revoked" if feed.revoked_at else "active"
            read = feed.last_read_at.isoformat() if feed.last_read_at else "never read"
            click.echo(f"{feed.pk:>4}  {state:<7}  {feed.person or 'workspace'}  {read}")
        return
    if revoke_id is not None:
        feed = workspace.calendar_feeds.filter(pk=revoke_id).first()
        if feed is None:
            raise click.ClickException(f"there is no calendar feed {revoke_id}")
        calendar.revoke(feed)
        click.echo(f"Revoked calendar feed {revoke_id}: its URL no longer answers")
        return
    person = find_person(workspace, email) if email else None
    feed, token = CalendarFeed.issue(workspace, person)
    click.echo(f"Calendar feed {feed.pk} (shown once; subscribe to it by URL):")
    click.echo(calendar.absolute(calendar.feed_url(token)))
    if person is not None and not calendar.attended_by(workspace.rituals.all(), person):
        click.echo(f"{person.name} attends no ritual yet: the feed stays empty until they do.")
