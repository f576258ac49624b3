"""`truenorth glossary`: list, add and define terms, export the glossary as CSV.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import csv
import json
import sys

import click

from truenorth.cli_checkins import DATE_FORMATS  # dates as `truenorth checkin new` reads them
from truenorth.sending import in_quotes

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)


@click.group()
def glossary() -> None:
    """The workspace's terms and what each function means by them.

    \b
    Examples:
      truenorth glossary add customer "An organisation with a paid subscription." -w acme
      truenorth glossary define customer finance "Whoever pays the invoice." -w acme
      truenorth glossary list -w acme --json
      truenorth glossary ask customer churn --new-checkin --audience sales -w acme
      truenorth glossary export -w acme > glossary.csv
    """


def open_workspace(slug):
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    return pick_workspace(slug)


def find_term(workspace, name: str):
    from truenorth.glossary.models import Term

    term = Term.all_objects.filter(workspace=workspace, name__iexact=name.strip()).first()
    if term is None:
        raise click.ClickException(f"no term {name!r} in the glossary")
    return term


@glossary.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, as the glossary.json page.")
@workspace_option
def list_command(as_json, slug):
    """List the terms, flagged ones first (two functions read different senses or contradict
    each other), each with how many functions have a reading of it (an editor's definition or
    published check-in answers), its divergence (0: every function means the same), the pair of
    functions it names (the flagged pair, else the two furthest apart) and whether it is flagged
    and why.

    Example: truenorth glossary list -w acme
    """
    workspace = open_workspace(slug)
    from truenorth.glossary.exports import listed_terms
    from truenorth.glossary.measure import changed_since_measured, pair_verdict, refresh
    from truenorth.glossary.views import term_json

    refresh(listed_terms(workspace), changed=changed_since_measured)  # as the glossary page does
    terms = list(listed_terms(workspace))
    if as_json:
        click.echo(json.dumps({"terms": [term_json(t) for t in terms]}, indent=2))
        return
    for term in terms:
        said = f"{term.name}: {term.canonical_definition} ({readings_said(term)})"
        click.echo(" ".join([said, pair_verdict(term)]).strip())
    if not terms:
        click.echo("No terms yet; add one with `truenorth glossary add NAME DEFINITION`.")


def readings_said(term) -> str:
    """What the list says of a term's readings ("6 functions with a reading; divergence 34;
    flagged pair: Finance and Sales, 100"), counted as the glossary page and the API count them,
    with the pair the page names."""
    from truenorth.glossary.measure import named_pair_said

    functions = term.functions_with_a_reading
    if functions is None:
        return "not measured"
    measured = "not measured" if term.divergence is None else f"{term.divergence:.0f}"
    plural = "" if functions == 1 else "s"
    said = [f"{functions} function{plural} with a reading", f"divergence {measured}"]
    named = named_pair_said(term)  # "" until two functions have a reading
    return "; ".join([*said, named] if named else said)


@glossary.command(name="add")
@click.argument("name")
@click.argument("definition")
@click.option("--owner", metavar="EMAIL", help="The person who keeps the definition up to date.")
@workspace_option
def add_command(name, definition, owner, slug):
    """Add the term NAME with its canonical DEFINITION.

    Example: truenorth glossary add churn "A customer who cancels their subscription." -w acme
    """
    workspace = open_workspace(slug)
    from django.core.exceptions import ValidationError

    from truenorth.glossary.actions import save_term
    from truenorth.glossary.models import Term

    keeper = workspace.people.filter(email__iexact=owner).first() if owner else None
    if owner and keeper is None:
        raise click.ClickException(f"no person with email {owner!r}")
    name = " ".join(name.split())
    if Term.all_objects.filter(workspace=workspace, name__iexact=name).exists():
        raise click.ClickException(f"{name!r} is in the glossary already")
    term = Term(workspace=workspace, name=name, canonical_definition=definition, owner=keeper)
    try:
        save_term(term)
    except ValidationError as error:
        raise click.ClickException("; ".join(error.messages)) from error
    click.echo(f"Added {term.name!r}.")


@glossary.command(name="define")
@click.argument("name")
@click.argument("function")
@click.argument("text")
@workspace_option
def define_command(name, function, text, slug):
    """Set what the term NAME means to FUNCTION (sales, finance, support, …); empty TEXT
    removes that function's definition.

    Example: truenorth glossary define customer support "Whoever we help day to day." -w acme
    """
    workspace = open_workspace(slug)  # first: it sets Django up, which the models need
    from truenorth.glossary.actions import define
    from truenorth.workspaces.models import Function

    if function not in Function.values or function == Function.PARTNER:
        choices = ", ".join(f for f in Function.values if f != Function.PARTNER)
        raise click.BadParameter(f"{function!r} is not a function; use one of {choices}")

    term = find_term(workspace, name)
    if define(term, function, text) is None:
        click.echo(f"Removed what {term.name!r} means to {Function(function).label}.")
    else:
        click.echo(f"Saved what {term.name!r} means to {Function(function).label}.")


@glossary.command(name="export")
@workspace_option
def export_command(slug):
    """Print the glossary as CSV: a row per term, a column per function's definition.

    Example: truenorth glossary export -w acme > glossary.csv
    """
    workspace = open_workspace(slug)
    from truenorth.exports import spreadsheet_safe
    from truenorth.glossary.exports import COLUMNS, listed_terms, row

    writer = csv.writer(sys.stdout)
    writer.writerow(COLUMNS)
    writer.writerows([spreadsheet_safe(v) for v in row(t)] for t in listed_terms(workspace))


@glossary.command(name="ask")
@click.argument("names", nargs=-1, required=True, metavar="TERM...")
@click.option("--checkin", "checkin_id", type=int, help="Add the question to this check-in.")
@click.option("--new-checkin", is_flag=True, help="Ask in a short check-in of its own.")
@click.option("--title", help="The new check-in's title. Default: “What does “TERM” mean to you?”")
@click.option("--anonymous/--attributed", default=True, show_default=True)
@click.option(
    "--audience",
    multiple=True,
    metavar="FUNCTION_OR_TEAM",
    help="A function or a team's name; repeat it. Default: everyone.",
)
@click.option("--opens", type=click.DateTime(DATE_FORMATS), help="Default: now.")
@click.option("--closes", type=click.DateTime(DATE_FORMATS), help="Default: 14 days after opening.")
@workspace_option
def ask_command(names, checkin_id, new_checkin, title, anonymous, audience, opens, closes, slug):
    """Ask each function what the terms mean: "In your own words, what does TERM mean in your
    work?", a question a term, in a check-in nobody has answered yet (--checkin) or in a new
    check-in of its own (--new-checkin), which asks nothing else.

    Example: truenorth glossary ask customer --new-checkin --audience sales --audience support
    --closes 2026-07-15 -w acme
    """
    if new_checkin == (checkin_id is not None):
        raise click.UsageError("say --new-checkin or --checkin ID")
    workspace = open_workspace(slug)
    from django.core.exceptions import ValidationError

    terms = [find_term(workspace, name) for name in dict.fromkeys(names)]
    try:
        if new_checkin:
            created = ask_in_new(workspace, terms, title, anonymous, audience, opens, closes)
        else:
            created = ask_in(workspace, terms, checkin_id)
    except ValidationError as error:
        raise click.ClickException(" ".join(error.messages)) from None
    if new_checkin:
        click.echo(f"Send the invitations with: truenorth checkin send {created.pk}")


def ask_in(workspace, terms, checkin_id):
    from django.db import transaction

    from truenorth.glossary.actions import ask_functions

    checkin = workspace.checkins.filter(pk=checkin_id).first()
    if checkin is None:
        raise click.ClickException(f"no check-in number {checkin_id} in {workspace.slug}")
    with transaction.atomic():  # every term's question, or none
        for term in terms:
            ask_functions(term, checkin)
    click.echo(
        f"Added {len(terms)} question{'s' if len(terms) > 1 else ''} to {in_quotes(checkin.title)}."
    )
    return checkin


def ask_in_new(workspace, terms, title, anonymous, audience, opens, closes):
    from truenorth.checkins.models import CheckIn
    from truenorth.checkins.views import before_sending
    from truenorth.cli_checkins import audience_of, new_dates
    from truenorth.glossary.actions import ask_in_own_checkin, own_checkin_title

    functions, teams = audience_of(workspace, audience)
    opens_at, closes_at = new_dates(opens, closes)
    title = " ".join((title or own_checkin_title(terms)).split())
    longest = CheckIn._meta.get_field("title").max_length
    if not title or len(title) > longest:
        raise click.ClickException(f"a title is 1 to {longest} characters; say --title")
    created = ask_in_own_checkin(
        terms,
        title,
        opens_at,
        closes_at,
        anonymous=anonymous,
        functions=functions,
        teams=teams,
    )
    kind = "anonymous" if anonymous else "attributed"
    click.echo(
        f"Created check-in {created.pk}, {in_quotes(created.title)} ({kind}), asking "
        f"{created.audience().count()} people only what {len(terms)} term"
        f"{'s mean' if len(terms) > 1 else ' means'}."
    )
    for warning in before_sending(created):
        click.echo(f"Warning: {warning}", err=True)
    return created
