"""`truenorth user`: logins from the command line, for the first administrator and for recovery.

Everyone else is invited from the workspace's Logins page.
"""

import sys

import click
from click.core import ParameterSource

# truenorth.workspaces.models.Role, which cannot be imported before Django is set up.
ROLES = ["owner", "editor", "member", "viewer", "partner"]


@click.group()
def user():
    """Create a login, set a forgotten password, unlock a login after wrong passwords, or print
    the link that makes a new server's first administrator in the browser.

    \b
    Examples:
      truenorth user create ada --email ada@acme.test -w acme
      truenorth user set-password ada
      truenorth user unlock ada
      truenorth user setup-link
    """


password_stdin_option = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (asked for when not given).",
)


@user.command()
@click.argument("username")
@click.option("--email", required=True, help="The login's email address.")
@password_stdin_option
@click.option("--workspace", "-w", "slug", help="Give the login access to this workspace.")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="owner",
    show_default=True,
    help="Its role in the workspace given with -w.",
)
@click.option(
    "--admin", is_flag=True, help="An administrator of this server: may create workspaces."
)
def create(username, email, password_stdin, slug, role, admin):
    """Create the login USERNAME, with a password, and access to a workspace.

    Example: truenorth user create ada --email ada@acme.test -w acme --role owner

    The first login of a new server: truenorth user create root --email it@acme.test --admin

    \b
    More:
      echo "$PASSWORD" | truenorth user create ada --email ada@acme.test --password-stdin
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.db import transaction

    from truenorth.workspaces.logins import record_role
    from truenorth.workspaces.models import Membership
    from truenorth.workspaces.people import link_logins, logins_mixed_up

    context = click.get_current_context()
    if context.get_parameter_source("role") is ParameterSource.COMMANDLINE and not slug:
        raise click.UsageError("--role is the role in a workspace: name it with -w SLUG")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise click.ClickException(
            f"a login named {username!r} exists already; "
            f"`truenorth user set-password {username}` sets its password"
        )
    try:
        User._meta.get_field("username").run_validators(username)
        validate_email(email)
    except ValidationError as error:
        raise click.ClickException(" ".join(error.messages)) from None
    workspace = pick_workspace(slug) if slug else None
    new = User(username=username, email=email, is_staff=admin, is_superuser=admin)
    new.set_password(read_password(new, password_stdin))
    with transaction.atomic():
        new.save()
        if workspace:
            membership = Membership.objects.create(workspace=workspace, user=new, role=role)
            record_role(membership, "", role)  # in the settings history, as an invitation
            link_logins(workspace.pk)  # to the person whose address it has, as invitations are
    where = f", {role} of {workspace.name} (/w/{workspace.slug}/)" if workspace else ""
    what = "the administrator" if admin else "the login"
    click.echo(f"Created {what} {username}{where}.")
    if workspace:
        click.echo(person_line(membership, logins_mixed_up(workspace.pk)))


def person_line(membership, mixed_up: dict[int, str]) -> str:
    """Which person of the workspace the new login is, or why it is nobody."""
    membership.refresh_from_db(fields=["person"])
    if membership.person:
        return f"It is {membership.person.name}'s login."
    if membership.pk in mixed_up:
        return f"It is linked to no person: {mixed_up[membership.pk]}."
    return "It is linked to no person yet: it will be once People has its name or email."


@user.command(name="setup-link")
def setup_link():
    """Print the link that chooses this server's first administrator in the browser.

    Example: TRUENORTH_SITE_URL=https://truenorth.acme.test truenorth user setup-link

    It works only while the server has no administrator, and starts with TRUENORTH_SITE_URL.
    """
    from truenorth.cli import refuse_development_key, setup_django

    setup_django()
    refuse_development_key("make a setup link")  # the server's key makes the one it takes
    from django.conf import settings

    from truenorth.workspaces import first_run

    if not first_run.needs_administrator():
        raise click.ClickException("this server has an administrator already: log in as them")
    click.echo(first_run.setup_link(settings.SITE_URL))


@user.command(name="set-password")
@click.argument("username")
@password_stdin_option
def set_password(username, password_stdin):
    """Set the password of the login USERNAME, e.g. when its owner lost it.

    Example: truenorth user set-password ada
    """
    from truenorth.cli import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    login = get_user_model().objects.filter(username=username).first()
    if login is None:
        raise click.ClickException(f"no login named {username!r}")
    login.set_password(read_password(login, password_stdin))
    login.save(update_fields=["password"])
    click.echo(f"Set the password of {username}.")


@user.command()
@click.argument("username")
def unlock(username):
    """Let USERNAME log in again now, after too many wrong passwords paused its logins.

    Example: truenorth user unlock ada
    """
    from truenorth.cli import setup_django

    setup_django()
    from axes.utils import reset

    if reset(username=username):
        click.echo(f"Unlocked {username}: the wrong passwords so far no longer count.")
    else:
        click.echo(f"{username} was not locked out; no wrong passwords are counted against it.")


def read_password(login, from_stdin: bool) -> str:
    """A password Django's validators accept, from standard input or asked for twice."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password, login)
    except ValidationError as error:
        raise click.ClickException(" ".join(error.messages)) from None
    return password
