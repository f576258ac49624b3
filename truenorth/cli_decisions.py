"""`truenorth decisions`: list, record, decide, comment on, back-brief and export a workspace's
decisions.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import json
import sys

import click

from truenorth.cli_options import day, refusals

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)
inform_team_option = click.option(
    "--inform-team",
    "team_names",
    multiple=True,
    metavar="NAME",
    help="A team (any case) whose active people, and those of the teams within it, are added "
    "to those informed as the team is now; repeat it for several teams.",
)
# The record's people (by email) and links (by id) that add and edit take, each repeatable:
# (option, the form's field, what it names).
LINKS = (
    ("--decider", "deciders", "EMAIL", "Someone who decides"),
    ("--consulted", "consulted", "EMAIL", "Someone consulted"),
    ("--inform", "informed", "EMAIL", "Someone to inform"),
    ("--goal", "goals", "ID", "A goal it serves (its id, as `truenorth goals list` prints)"),
    ("--initiative", "initiatives", "ID", "An initiative it concerns (its id)"),
    ("--blocks", "blocks", "ID", "An initiative that cannot go ahead until it is decided"),
)
# The option that sets each field of the decision form, to say what it refused.
OPTIONS = {
    "title": "TITLE",
    "question": "--question",
    "context": "--context",
    "category": "--kind",
    "owner": "--owner",
    "raised_on": "--raised",
    "informed_teams": "--inform-team",
    **{field: flag for flag, field, _, _ in LINKS},
}


def record_options(command):
    """The options add and edit share beyond the title and question: its kind, its people and
    links (each repeatable, added to those already listed) and whether partners see it."""
    for flag, field, metavar, said in reversed(LINKS):
        kind = click.STRING if metavar == "EMAIL" else click.INT
        also = "; repeat it for several (added to those already listed)."
        command = click.option(
            flag, field, multiple=True, type=kind, metavar=metavar, help=said + also
        )(command)
    command = click.option(
        "--shared-with-partners/--not-shared-with-partners",
        "shared",
        default=None,
        help="Whether partners read the record (without names or comments).",
    )(command)
    return click.option("--kind", "category", help="What kind of decision: pricing, product, …")(
        command
    )


@click.group()
def decisions() -> None:
    """A workspace's decision log.

    \b
    Examples:
      truenorth decisions list -w acme --status proposed
      truenorth decisions add "Price per seat?" --question "How do we price?" -w acme
      truenorth decisions edit 3 --inform-team Sales --inform-team Support -w acme
      truenorth decisions decide 3 --outcome "Per entity." --rationale "Fairer." -w acme
      truenorth decisions supersede 3 --by 7 -w acme
      truenorth decisions comment 3 --by ana@acme.test --text "Which entities?" -w acme
      truenorth decisions restance 3 --comment 41 --stance objection -w acme
      truenorth decisions delete 12 -w acme
      truenorth decisions backbrief 3 -w acme
      truenorth decisions export decisions.md -w acme
    """


def find_decision(workspace, number: int):
    decision = workspace.decisions.filter(number=number).first()
    if decision is None:
        raise click.ClickException(f"there is no decision {number}")
    return decision


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
        days = f"took {in_days(took)} to decide" if took is not None else ""
        if took is not None and not speed.timed(decision):
            days = "recorded as it was made"
        if decision.is_open:
            age = (today - decision.raised_on).days
            days = f"open {in_days(age)}" if age else "raised today"
        click.echo(f"{decision.number:>4}  {decision.status:<10}  {decision.title}  ({days})")


def in_days(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


@decisions.command(name="add")
@click.argument("title")
@click.option("--question", required=True, help="What has to be decided, as a question.")
@click.option("--context", default="", help="Why it needs deciding, and now.")
@click.option("--owner", "owner_email", help="The owner's email (a person of the workspace).")
@click.option("--raised", help="The day it was raised (default: today), e.g. 2026-03-01.")
@record_options
@inform_team_option
@workspace_option
def add_command(title, question, context, owner_email, raised, team_names, slug, **record):
    """Record a new, open decision, as the new-decision page does, and print its number.

    Example: truenorth decisions add "Price per seat?" --question "How do we price?" -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    raised_on = day(raised)
    setup_django()
    from django.utils import timezone

    from truenorth.decisions.backbrief import repeat_notices
    from truenorth.decisions.models import Decision

    workspace = pick_workspace(slug)
    values = {
        "title": title,
        "question": question,
        "context": context,
        "owner": owner_id(workspace, owner_email),
        "raised_on": raised_on or timezone.localdate(),
    }
    with_record_options(workspace, values, record)
    form = saved_by_form(workspace, Decision(workspace=workspace), values, team_names)
    decision = form.instance
    click.echo(f"Recorded decision {decision.number}: {decision.title}")
    if told := form.teams_informed_words():
        click.echo(told)
    for notice in repeat_notices(decision):
        click.echo(notice)


@decisions.command(name="edit")
@click.argument("number", type=int)
@click.option("--title", help="A new title.")
@click.option("--question", help="What has to be decided, as a question.")
@click.option("--context", help="Why it needs deciding, and now.")
@click.option("--owner", "owner_email", help="The owner's email (a person of the workspace).")
@record_options
@inform_team_option
@workspace_option
def edit_command(number, title, question, context, owner_email, team_names, slug, **record):
    """Change a decision's record as its edit page does: only what is given changes, and people
    and links given are added to those already listed (remove them on its page or through the
    API).

    Example: truenorth decisions edit 3 --inform-team Sales --decider ana@acme.io --goal 2 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.decisions.forms import as_posted

    workspace = pick_workspace(slug)
    decision = find_decision(workspace, number)
    values = as_posted(decision)
    given = {"title": title, "question": question, "context": context}
    values.update({name: value for name, value in given.items() if value is not None})
    if owner_email is not None:
        values["owner"] = owner_id(workspace, owner_email)
    with_record_options(workspace, values, record)
    form = saved_by_form(workspace, decision, values, team_names)
    click.echo(f"Saved decision {number}: {decision.title}")
    if told := form.teams_informed_words():
        click.echo(told)


def with_record_options(workspace, values: dict, record: dict) -> None:
    """The form's values with record_options' given: people and links added to those listed
    (the form refuses an id that is not the workspace's, naming the option)."""
    if record["category"] is not None:
        values["category"] = record["category"]
    if record["shared"] is not None:
        values["shared_with_partners"] = record["shared"]
    for flag, field, metavar, _ in LINKS:
        given = record[field]
        if metavar == "EMAIL":
            given = [person_id(workspace, email, flag) for email in given]
        values[field] = list(dict.fromkeys([*values.get(field, []), *given]))


def person_id(workspace, email: str, flag: str) -> int:
    from truenorth.cli_people import find_person

    try:
        person = find_person(workspace, email)
    except click.ClickException as unknown:
        raise click.ClickException(f"{flag}: {unknown.message}") from None
    if person.function == "partner":  # as the form's lists, which offer nobody outside
        raise click.ClickException(
            f"{flag}: {email} is a partner's: a decision lists people inside the organisation"
        )
    return person.pk


def owner_id(workspace, email: str | None) -> int | str:
    """The form's owner for an email (any case); "" for none."""
    if not email:
        return ""
    owner = workspace.people.filter(email__iexact=email).first()
    if owner is None:
        raise click.ClickException(f"no person with email {email!r} in {workspace}")
    return owner.pk


def team_to_inform(workspace, name: str) -> int:
    from truenorth.cli_people import find_team

    team = find_team(workspace, name)
    if team.archived:
        raise click.ClickException(f"the team {team.name} is archived; choose another team")
    return team.pk


def saved_by_form(workspace, decision, values: dict, team_names):
    """The record saved through the decision page's form, which refuses what the page refuses,
    in one line naming each option; the form, for what it says it did."""
    from truenorth.decisions.actions import NotAllowed
    from truenorth.decisions.forms import DecisionForm

    values["informed_teams"] = [team_to_inform(workspace, name) for name in team_names]
    form = DecisionForm(data=values, instance=decision, workspace=workspace)
    if not form.is_valid():
        what = f"decision {decision.number} was not changed" if decision.pk else "nothing recorded"
        raise click.ClickException(f"{what}: {refusals(form.errors, OPTIONS)}")
    try:
        form.save_record()
    except NotAllowed as refused:
        raise click.ClickException(str(refused)) from None
    return form


@decisions.command(name="decide")
@click.argument("number", type=int)
@click.option("--outcome", required=True, help="What was decided.")
@click.option("--rationale", default="", help="Why.")
@click.option("--consequences", help="The trade-offs: what we give up and what follows.")
@click.option("--on", "on", help="The day it was decided (default: today).")
@workspace_option
def decide_command(number, outcome, rationale, consequences, on, slug):
    """Record an open decision as made.

    Example: truenorth decisions decide 3 --outcome "Per entity." --rationale "Fairer." -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    decided_on = day(on)
    setup_django()
    from truenorth.decisions.actions import NotAllowed, decide

    decision = find_decision(pick_workspace(slug), number)
    if consequences is not None:
        decision.consequences = consequences  # saved with the rest, or not at all
    try:
        decide(decision, decided_on, outcome, rationale)
    except NotAllowed as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Decision {number} decided on {decision.decided_on.isoformat()}.")


@decisions.command(name="reverse")
@click.argument("number", type=int)
@click.option("--why", required=True, help="Why it no longer holds (kept with the decision).")
@click.option("--on", "on", help="The day it was reversed (default: today).")
@workspace_option
def reverse_command(number, why, on, slug):
    """Take a decision back: it no longer holds, and nothing replaces it.

    Example: truenorth decisions reverse 3 --why "The card partner withdrew." -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    reversed_on = day(on)
    setup_django()
    from truenorth.decisions.actions import NotAllowed, reverse

    decision = find_decision(pick_workspace(slug), number)
    try:
        reverse(decision, why, reversed_on)
    except NotAllowed as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Decision {number} reversed on {decision.closed_on.isoformat()}: {why.strip()}")


@decisions.command(name="supersede")
@click.argument("number", type=int)
@click.option("--by", "later", type=int, required=True, help="The later decision's number.")
@click.option("--on", "on", help="The day it was superseded (default: today).")
@workspace_option
def supersede_command(number, later, on, slug):
    """Mark a decision replaced by a later one, which then records what it supersedes.

    Example: truenorth decisions supersede 3 --by 7 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    superseded_on = day(on)
    setup_django()
    from truenorth.decisions.actions import NotAllowed, supersede

    workspace = pick_workspace(slug)
    decision, replacing = find_decision(workspace, number), find_decision(workspace, later)
    try:
        supersede(decision, replacing, superseded_on)
    except NotAllowed as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(
        f"Decision {number} superseded by {later} on {decision.closed_on.isoformat()}: "
        f"{replacing.title}"
    )


@decisions.command(name="delete")
@click.argument("number", type=int)
@workspace_option
def delete_command(number, slug):
    """Delete a proposal recorded by mistake (a duplicate, a test); it cannot be brought back.
    What the log keeps (decided, commented on, superseding another, on a ritual's record) is
    refused with the reason: supersede or reverse it instead.

    Example: truenorth decisions delete 12 -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.decisions.actions import NotAllowed, delete_decision

    decision = find_decision(pick_workspace(slug), number)
    try:
        delete_decision(decision)
    except NotAllowed as refused:
        raise click.ClickException(f"decision {number} was not deleted: {refused}") from None
    click.echo(f"Deleted decision {number}: {decision.title}")


STANCES = ["question", "objection", "support", "disagree-and-commit"]


@decisions.command(name="comment")
@click.argument("number", type=int)
@click.option(
    "--by", "email", required=True, help="The author's email (a person of the workspace)."
)
@click.option("--text", required=True, help="What they said.")
@click.option(
    "--stance",
    type=click.Choice(STANCES),
    help="What the comment is; by default the comment classifier sorts it. "
    "disagree-and-commit: an objection, and the author commits all the same.",
)
@workspace_option
def comment_command(number, email, text, stance, slug):
    """Add a comment to a decision, as its page does, and say what it was sorted as.

    Example: truenorth decisions comment 3 --by ana@acme.test --text "Which entities?" -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.decisions.actions import add_comment
    from truenorth.decisions.forms import CommentForm
    from truenorth.decisions.models import KindBy
    from truenorth.workspaces.models import Function

    workspace = pick_workspace(slug)
    decision = find_decision(workspace, number)
    author = workspace.people.filter(email__iexact=email, active=True).first()
    if author is None:
        raise click.ClickException(f"no active person with email {email!r} in {workspace}")
    if author.function == Function.PARTNER:
        raise click.ClickException("partners do not comment on decisions: comments are internal")
    committed = stance == "disagree-and-commit"
    form = CommentForm({"text": text, "disagree_and_commit": committed})
    if not form.is_valid():
        problems = "; ".join(" ".join(errors) for errors in form.errors.values())
        raise click.ClickException(f"the comment was not added: {problems}")
    comment = form.save(commit=False)
    comment.decision, comment.author = decision, author
    if stance and not committed:
        comment.kind, comment.kind_by = stance, KindBy.PERSON
    add_comment(comment)
    click.echo(f"Comment {comment.pk} on decision {number}: {sorted_as(comment)}.")


def sorted_as(comment) -> str:
    """ "a question (the classifier, 82% sure)", "an objection (disagrees and commits)"."""
    if not comment.kind:
        return "not sorted yet (no model could run)"
    if comment.kind == "unclear" and comment.kind_by != "person":
        return "unclear (no real words, so it takes no side; the classifier never read it)"
    said = {"question": "a question", "objection": "an objection"}.get(comment.kind, comment.kind)
    if comment.kind_is_own_stance:
        return f"{said} (disagrees and commits)"
    by = comment.get_kind_by_display()
    if comment.kind_confidence is not None:
        by += f", {comment.kind_confidence:.0%} sure"
    if comment.disagree_and_commit:
        by += "; disagrees and commits"
    return f"{said} ({by})"


@decisions.command(name="restance")
@click.argument("number", type=int)
@click.option("--comment", "comment_id", type=int, required=True, help="The comment's id.")
@click.option(
    "--stance", type=click.Choice(STANCES[:3]), required=True, help="What the comment is."
)
@workspace_option
def restance_command(number, comment_id, stance, slug):
    """Re-sort a comment the classifier misread, as an editor does on the decision's page; a
    person's stance is never second-guessed by the model. The comment's id is printed by
    `comment` and listed in the decision's JSON (…/decisions/3.json).

    Example: truenorth decisions restance 3 --comment 41 --stance objection -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.decisions.actions import correct_kind

    decision = find_decision(pick_workspace(slug), number)
    comment = decision.comments.filter(pk=comment_id).first()
    if comment is None:
        raise click.ClickException(f"decision {number} has no comment {comment_id}")
    correct_kind(comment, stance)
    click.echo(f"Comment {comment.pk} on decision {number}: {sorted_as(comment)}.")


@decisions.command(name="backbrief")
@click.argument("number", type=int)
@click.option(
    "--attributed", is_flag=True, help="Answers carry names (anonymous unless this is given)."
)
@click.option(
    "--check",
    is_flag=True,
    help="Send nothing: say whom it would ask and what would keep its reading from being shown.",
)
@click.option(
    "--send-anyway",
    is_flag=True,
    help="Send it even though its people differ by a few from those of a check-in published "
    "near it, so it could never be published (as the page's “Send anyway”).",
)
@workspace_option
def backbrief_command(number, attributed, check, send_anyway, slug):
    """Ask the people informed of a decision what they heard, as the page's one click does: a
    check-in open for 7 days, its personal links emailed now. With --check, nothing is sent: it
    prints what the page says by its Send button.

    Exits 1 when the decision is not decided, was already back-briefed, has nobody to ask or
    fewer people than the anonymity threshold (no reading of theirs could ever be shown), or,
    without --send-anyway, when it could never be published: said before any mail server is
    asked; or when no mail server answers (nothing is created then) or a message failed.

    Example: truenorth decisions backbrief 3 -w acme
    """
    from truenorth.cli import pick_workspace, refuse_development_key, setup_django

    setup_django()
    from django.db import transaction

    from truenorth.checkins.actions import send_links
    from truenorth.checkins.overlaps import warnings as overlap_warnings
    from truenorth.checkins.views import nothing_sent
    from truenorth.decisions import backbrief
    from truenorth.workspaces.mailserver import mail_server_problem

    decision = find_decision(pick_workspace(slug), number)
    if check:
        check_back_brief(decision)
        return
    # What no mail server can mend is said first: asking an absent one would only wait for it.
    if refusal := backbrief.cannot_ask(decision):
        raise click.ClickException(refusal)
    never = backbrief.never_published(decision)
    if never and not send_anyway:
        raise click.ClickException(nothing_sent(never, "add --send-anyway"))
    # A link signed with the public key would be refused by the server, which has its own.
    refuse_development_key("sign personal links")
    problem = mail_server_problem()
    if problem:
        raise click.ClickException(problem)
    try:
        with transaction.atomic():
            found = backbrief.create_back_brief(decision, anonymous=not attributed)
    except backbrief.CannotAsk as refused:
        raise click.ClickException(str(refused)) from None
    # Sent in this process, so each outcome can be printed (the page queues it instead).
    outcome = send_links(found.checkin, reminder=False, new_links=False)
    people = found.checkin.invitations.count()
    click.echo(backbrief.sent_message(people))
    # As a check-in's creation warns; sent anyway, "only the first of the two to be published
    # can be" would promise what never comes.
    for warning in [] if never else overlap_warnings(found.checkin):
        click.echo(f"Warning: {warning}", err=True)
    for who, reason in outcome.failed.items():
        click.echo(f"  failed: {who}: {reason}")
    if outcome.failed:
        click.echo(f"Retry the failed ones with: truenorth checkin send {found.checkin_id}")
        sys.exit(1)


def check_back_brief(decision) -> None:
    """Print what sending its back-brief now would ask and warn of; exit 1 when it would be
    refused (not decided yet, already sent, nobody or too few people to ask), could never be
    published (sending it takes --send-anyway) or warns."""
    from truenorth.decisions import backbrief

    if refusal := backbrief.cannot_ask(decision):
        raise click.ClickException(refusal)
    people = backbrief.recipients(decision).count()
    # Where it could never be published, no other warning is given (warnings_before_sending).
    never = backbrief.never_published(decision)
    warnings = backbrief.warnings_before_sending(decision)
    if never:
        warnings = [f"{never} Sending it takes --send-anyway."]
    click.echo(f"Would ask {people} {'person' if people == 1 else 'people'}.")
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if warnings:
        sys.exit(1)


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
