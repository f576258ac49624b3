"""`truenorth glossary`: list, add and define terms, export the glossary as CSV.

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import csv
import json
import sys

import click

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
    """List the terms, those the functions read most differently first, each with how many
    functions have a reading of it (an editor's definition or published check-in answers) and
    its divergence (0: every function means the same).

    Example: truenorth glossary list -w acme
    """
    workspace = open_workspace(slug)
    from truenorth.glossary.exports import listed_terms
    from truenorth.glossary.measure import changed_since_measured, refresh
    from truenorth.glossary.views import term_json

    refresh(listed_terms(workspace), changed=changed_since_measured)  # as the glossary page does
    terms = list(listed_terms(workspace))
    if as_json:
        click.echo(json.dumps({"terms": [term_json(t) for t in terms]}, indent=2))
        return
    for term in terms:
        click.echo(f"{term.name}: {term.canonical_definition} ({readings_said(term)})")
    if not terms:
        click.echo("No terms yet; add one with `truenorth glossary add NAME DEFINITION`.")


def readings_said(term) -> str:
    """What the list says of a term's readings ("6 functions with a reading; divergence 34"),
    counted as the glossary page and the API count them."""
    functions = term.functions_with_a_reading
    if functions is None:
        return "not measured"
    measured = "not measured" if term.divergence is None else f"{term.divergence:.0f}"
    plural = "" if functions == 1 else "s"
    return f"{functions} function{plural} with a reading; divergence {measured}"


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
