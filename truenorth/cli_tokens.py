"""`truenorth token`: personal API tokens from the command line, as on the account's API tokens
page (truenorth/api/tokens.py does the work for both)."""

import json

import click


@click.group()
def token():
    """Make, list and revoke a login's personal API tokens for /api/v1/.

    \b
    Examples:
      truenorth token create --user ada --name "BI dashboard" --expires-days 90
      truenorth token list --user ada --json
      truenorth token revoke 7
    """


def find_login(username: str):
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise click.ClickException(f"no login named {username!r}")
    return found


@token.command()
@click.option("--user", "username", required=True, help="The login the token acts as.")
@click.option("--name", required=True, help="What it is for, e.g. “BI dashboard”.")
@click.option(
    "--scope",
    type=click.Choice(["read", "write"]),
    default="read",
    show_default=True,
    help="write: also change what the login's role may change.",
)
@click.option(
    "--expires-days",
    type=click.IntRange(1, 3650),
    help="Stop working after this many days (never, when not given).",
)
def create(username, name, scope, expires_days):
    """Make a token and print it, once: it is stored only as a hash.

    Example: truenorth token create --user ada --name "BI dashboard" --scope read
    """
    from truenorth.cli import setup_django

    setup_django()
    from truenorth.api import tokens

    login = find_login(username)
    if not name.strip() or len(name.strip()) > 100:
        raise click.BadParameter("give a name of 1 to 100 characters", param_hint="--name")
    row, secret = tokens.create(login, name, scope, expires_days)
    until = f"until {row.expires_at:%Y-%m-%d}" if row.expires_at else "with no expiry"
    click.echo(f"Token {row.pk} “{row.name}” for {username}, {scope}, {until}:", err=True)
    if row.can_write and tokens.can_do(row) != "read and write":
        click.echo(f"What it can do: {tokens.can_do(row, 'the login’s')}.", err=True)
    click.echo(secret)
    click.echo("Copy it now: it cannot be shown again.", err=True)


@token.command(name="list")
@click.option("--user", "username", required=True, help="Whose tokens.")
@click.option("--json", "as_json", is_flag=True, help="One JSON list, for programs.")
def list_(username, as_json):
    """The login's tokens, newest first: never the tokens themselves, only their first letters.
    A token whose login is in no workspace any more shows as "opens nothing".

    Example: truenorth token list --user ada
    """
    from truenorth.cli import setup_django

    setup_django()
    from truenorth.api import tokens

    rows = [tokens.as_dict(t) for t in find_login(username).api_tokens.all()]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"{username} has no API token.")
    for row in rows:
        used = row["last_used_at"][:10] if row["last_used_at"] else "never"
        expires = row["expires_at"][:10] if row["expires_at"] else "never"
        click.echo(
            f"{row['id']:>5}  {row['hint']:<12} {row['scope']:<5}  {row['state']:<13}  "
            f"expires {expires}  last used {used}  {row['name']}"
        )


@token.command()
@click.argument("token_id", type=click.IntRange(1, 2**63 - 1))
def revoke(token_id):
    """Stop the token TOKEN_ID (from `token list`) working, at once.

    Example: truenorth token revoke 7
    """
    from truenorth.cli import setup_django

    setup_django()
    from truenorth.api import tokens
    from truenorth.api.models import ApiToken

    found = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if found is None:
        raise click.ClickException(f"no API token {token_id}")
    if tokens.revoke(found):
        click.echo(f"Revoked token {token_id} “{found.name}” of {found.user.username}.")
    else:
        click.echo(f"Token {token_id} was revoked already.")
