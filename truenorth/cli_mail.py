"""`truenorth mail`: the mail server every workspace sends through, as its page shows it
(truenorth/workspaces/mailserver.py), and a test message, from the server's command line."""

import json

import click


@click.group()
def mail():
    """The mail server: which one is in use, and whether a message gets through.

    \b
    Examples:
      truenorth mail show
      truenorth mail test it@example.com
    """


@mail.command()
@click.option("--json", "as_json", is_flag=True, help="As the page's JSON twin.")
def show(as_json):
    """The mail server in use and where it is set (never its password).

    Example: truenorth mail show
    """
    from truenorth.cli import setup_django

    setup_django()
    from truenorth.workspaces.mailserver import in_use

    server = in_use()
    if as_json:
        click.echo(json.dumps({"mail_server": server.as_dict()}, indent=2))
        return
    where = {"environment": "the TRUENORTH_EMAIL_* settings", "page": "the Mail server page"}
    password = "unreadable: enter it again" if server.password_unreadable else server.has_password
    if not server.sent_to_mail_server:
        click.echo(f"in use: {server.goes_to} (TRUENORTH_EMAIL_BACKEND); used once it is unset:")
    click.echo(f"{server.host}:{server.port}, set by {where.get(server.source, 'nobody yet')}")
    click.echo(f"security: {server.security_label}; login: {server.username or 'none'}")
    click.echo(f"password saved: {password}; sender: {server.sender}")


@mail.command()
@click.argument("address")
def test(address):
    """Send a test message to ADDRESS through the mail server in use; exit 1 saying why when
    it is not taken, and what to check.

    Example: truenorth mail test it@example.com
    """
    from truenorth.cli import setup_django

    setup_django()
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from truenorth.workspaces.mailserver import in_use, send_test

    try:
        validate_email(address)
    except ValidationError:
        raise click.BadParameter("give an email address", param_hint="ADDRESS") from None
    server = in_use()
    if problem := send_test(address):
        raise click.ClickException(f"Not sent to {address}. {problem}")
    click.echo(f"Sent a test message to {address} through {server.host}:{server.port}.")
