"""`truenorth themes`: what customers ask for, grouped by meaning (truenorth.feedback.themes)."""

import json
from decimal import Decimal

import click

from truenorth.cli_notifications import workspace_of, workspace_option


@click.command(name="themes")
@click.option("--json", "as_json", is_flag=True, help="The themes page's JSON twin.")
@click.option("--quotes", default=1, show_default=True, help="Quotes shown under each theme.")
@workspace_option
def themes(as_json, quotes, slug):
    """The themes of the workspace's customer feedback, the most accounts first: each with its
    accounts, items, yearly value and customers' words.

    Example: truenorth themes -w acme
    """
    workspace = workspace_of(slug)
    from truenorth.feedback.export import money
    from truenorth.feedback.theme_views import near_words, status_words, unsupported_words
    from truenorth.feedback.themes import market_how, market_words, theme_figures

    found = theme_figures(workspace)
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    if not found["themes"]:
        click.echo("No feedback yet: import some with `truenorth import feedback`.")
        return
    click.echo(
        f"{counted(found['items'], 'item')} from {counted(found['accounts'], 'account')}, "
        f"in {counted(len(found['themes']), 'theme')} (the most accounts first)."
    )
    if left := found["in_no_theme"]:
        ids = ", ".join(map(str, left[:20])) + (", … (--json lists them all)" if left[20:] else "")
        click.echo(f"{len(left)} item(s) in no theme, ids {ids}: read them on the themes page.")
    if found["praise"]:
        click.echo(f"{found['praise']} item(s) of praise, in no theme: not counted as asks.")
    click.echo(market_words(found["market"]))
    click.echo(market_how(found["market"]))
    if found["market"]["unsupported"]:
        click.echo(unsupported_words(found["market"]["unsupported"]))
    for theme in found["themes"]:
        worth = f", worth {money(Decimal(theme['value']))} a year" if theme["value"] else ""
        if worth and theme["valued_accounts"] < theme["accounts"]:
            worth += f" (the {theme['valued_accounts']} with a value)"
        click.echo(
            f"\n{theme['number']:>3}. {theme['label']}: {counted(theme['accounts'], 'account')}, "
            f"{counted(theme['items'], 'item')} ({theme['recent']} in the last 12 months)"
            f"{worth} — {status_words(theme, found['targets'])}"
        )
        by = ", ".join(f"{t['key']} {t['title']}" for t in theme["addressed_by"][:3])
        if by:
            click.echo(f"     addressed by: {by}")
        for line in near_words(theme):
            click.echo(f"     {line}")
        for quote in theme["quotes"][:quotes]:
            click.echo(f"     “{quote['text']}” — {quote['account'] or 'no account named'}")


def counted(number: int, noun: str) -> str:
    """ "1 account", "2 accounts"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
