"""`truenorth people`: import an HR system's export, list who is here, add, change, deactivate
and reactivate one person, as the people pages do (workspaces.people).

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import json
import sys

import click

from truenorth.cli_options import refusals

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)
# workspaces.models.Function and Role, named here so the options need no database to parse.
FUNCTIONS = [
    "engineering", "design", "product", "sales", "marketing", "customer_success", "support",
    "leadership", "operations", "finance", "partner",
]  # fmt: skip
ROLES = ["owner", "editor", "member", "viewer", "partner"]


@click.group()
def people() -> None:
    """People and teams of a workspace.

    \b
    Examples:
      truenorth people import hr-export.csv -w acme
      truenorth people list -w acme --json
      truenorth people add "Ana Lima" --email ana@acme.test --function sales --team EMEA -w acme
      truenorth people set ana@acme.test --team "Enterprise" --manager bo@acme.test -w acme
      truenorth people deactivate ana@acme.test -w acme
      truenorth people erase ana@acme.test -w acme
    """


@people.command(name="import")
@click.argument("file", type=click.File(encoding="utf-8-sig"))
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN when its header is not a usual one; fields: name first_name "
    "last_name email function team manager role title.",
)
@click.option(
    "--function",
    "departments",
    multiple=True,
    metavar="DEPARTMENT=FUNCTION",
    help="Read a department the file names as a function, e.g. --function 'R&D=engineering'; "
    "repeat it for several.",
)
@workspace_option
def import_command(file, mappings, departments, slug):
    """Create or update people from an HR export (CSV); any bad row means nothing changes.

    People are matched by email, whatever its case, so importing again updates them in
    place. Missing teams are created; a manager is given by email.

    Example: truenorth people import hr-export.csv -w acme

    \b
    More:
      truenorth people import staff.csv -w acme --map email="Login" --map team="Squad"
      truenorth people import hr.csv -w acme --function "R&D=engineering" --function "Revenue=sales"
    """
    from truenorth.cli import parse_mappings, pick_workspace, setup_django

    mapping = parse_mappings(mappings)
    setup_django()
    from truenorth.work.imports import ImportFailed
    from truenorth.workspaces.people_import import department_functions, import_people

    try:
        functions = department_functions(departments)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--function") from None
    try:
        result = import_people(pick_workspace(slug), file, mapping, departments=functions)
    except ImportFailed as failure:
        click.echo(failure.report(), err=True)
        sys.exit(1)
    click.echo(
        f"Imported {result.new_people} and updated {result.updated} ({result.unchanged} unchanged)."
    )
    if result.teams_created:
        click.echo(result.teams_in_words)
    if result.ignored_columns:
        click.echo(f"Ignored columns: {', '.join(result.ignored_columns)}.")


@people.command(name="list")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Write JSON, as /w/SLUG/people.json does.")
@click.option("--all", "everyone", is_flag=True, help="Deactivated people too.")
def list_command(slug, as_json, everyone):
    """List the people of a workspace: name, email, function, team, manager.

    Example: truenorth people list -w acme --json
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people import as_dict

    found = pick_workspace(slug).people.filter(erased=False).select_related("team", "manager")
    if not everyone:
        found = found.filter(active=True)
    rows = [as_dict(person) for person in found]
    if as_json:
        click.echo(json.dumps({"people": rows}, indent=2, ensure_ascii=False))
        return
    for row in rows:
        parts = [row["name"], row["email"], row["function"], row["team"] or "no team"]
        if row["manager"]:
            parts.append(f"manager {row['manager']}")
        if not row["active"]:
            parts.append("deactivated")
        click.echo(" · ".join(parts))
    click.echo(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}.", err=True)


def find_person(workspace, email: str):
    person = workspace.people.filter(email__iexact=email.strip(), erased=False).first()
    if person is None:
        raise click.ClickException(f"nobody in {workspace.slug} has the email {email}")
    return person


def team_id(workspace, name: str | None, current=None) -> int | str | None:
    """The form's team for a team's name (any case); "none" is no team; None leaves it."""
    if name is None:
        return current
    if name.strip().lower() == "none":
        return ""
    team = workspace.teams.filter(name__iexact=name.strip()).first()
    if team is None:
        names = ", ".join(workspace.teams.filter(archived=False).values_list("name", flat=True))
        raise click.ClickException(f"no team named {name!r}; the teams: {names or 'none yet'}")
    if team.archived and team.pk != current:
        raise click.ClickException(f"the team {team.name} is archived; choose another team")
    return team.pk


def save_person(workspace, person, values: dict) -> None:
    """Validate with the person page's form, then create or update; say what is wrong by option."""
    from django.core.exceptions import ValidationError

    from truenorth.workspaces import people as actions
    from truenorth.workspaces.people_forms import PersonForm

    form = PersonForm(data=values, workspace=workspace, person=person)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        if person is None:
            person = actions.create_person(workspace, **form.cleaned_data)
        else:
            person = actions.update_person(person, **form.cleaned_data)
    except ValidationError as error:
        by_field = (
            error.message_dict if hasattr(error, "error_dict") else {"person": error.messages}
        )
        options = {name: f"--{name}" for name in by_field} | {"__all__": "--person"}
        raise click.ClickException(f"nothing was saved: {refusals(by_field, options)}") from None
    team = person.team.name if person.team else "no team"
    click.echo(f"Saved {person.name} <{person.email}>: {person.function}, {team}.")


@people.command(name="add")
@click.argument("name")
@click.option("--email", required=True)
@click.option("--function", "function", type=click.Choice(FUNCTIONS), required=True)
@click.option("--team", help="The team's name, as the people page shows it (any case).")
@click.option("--manager", help="The manager's email (someone in the workspace).")
@click.option("--title", default="", help="Job title.")
@click.option("--role", type=click.Choice(ROLES), help="Given to a login made for them later.")
@workspace_option
def add_command(name, email, function, team, manager, title, role, slug):
    """Add one person, as "Add a person" on the people page does.

    Example: truenorth people add "Ana Lima" --email ana@acme.test --function sales -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    workspace = pick_workspace(slug)
    values = {
        "name": name, "email": email, "function": function,
        "team": team_id(workspace, team), "manager": manager or "", "title": title,
        "role": role or "",
    }  # fmt: skip
    save_person(workspace, None, values)


@people.command(name="set")
@click.argument("email")
@click.option("--name")
@click.option("--email", "new_email", help="A new email for them.")
@click.option("--function", "function", type=click.Choice(FUNCTIONS))
@click.option("--team", help="The team's name (any case); none: no team.")
@click.option("--manager", help="The manager's email; none: no manager.")
@click.option("--title", help="Job title.")
@click.option("--role", type=click.Choice(ROLES))
@workspace_option
def set_command(email, name, new_email, function, team, manager, title, role, slug):
    """Change a person, found by email: only the values given change.

    Example: truenorth people set ana@acme.test --team Enterprise --manager bo@acme.test -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people_forms import PersonForm

    workspace = pick_workspace(slug)
    person = find_person(workspace, email)
    values = dict(PersonForm(workspace=workspace, person=person).initial)
    given = {"name": name, "email": new_email, "function": function, "title": title, "role": role}
    values.update({key: value for key, value in given.items() if value is not None})
    values["team"] = team_id(workspace, team, current=person.team_id)
    if manager is not None:
        values["manager"] = "" if manager.strip().lower() == "none" else manager
    save_person(workspace, person, values)


@people.command(name="deactivate")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask about their login: deactivate at once.")
@workspace_option
def deactivate_command(email, yes, slug):
    """Someone who left: their answers stay, no future check-in asks them, and their login, if
    they have one, no longer opens the workspace. Where they have a login it asks first, as the
    page does: reactivating gives the person back, not the login's access.

    Example: truenorth people deactivate ana@acme.test -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.logins import LoginError
    from truenorth.workspaces.people import deactivate, left_message, logins_of

    person = find_person(pick_workspace(slug), email)
    logins = ", ".join(m.user.username for m in logins_of(person).select_related("user"))
    if logins and not yes:
        click.confirm(
            f"Deactivate {person.name} <{person.email}>? Their login {logins} will no longer "
            f"open {person.workspace.name}, and reactivating does not give that back",
            abort=True,
        )
    try:
        ended = deactivate(person)
    except LoginError as error:
        raise click.ClickException(f"{person.name} stays active: {error}") from None
    click.echo(left_message(person, ended))


@people.command(name="erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask: erase at once.")
@workspace_option
def erase_command(email, yes, slug):
    """Forget someone who asked to be: their name, address, title, manager links, their login's
    access, and the text of their attributed answers. Invitations stay as counts, so published
    figures stay as they were. It cannot be undone.

    Example: truenorth people erase ana@acme.test -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.logins import LoginError
    from truenorth.workspaces.people import ERASED_MESSAGE, erase

    person = find_person(pick_workspace(slug), email)
    if not yes:
        click.confirm(f"Erase {person.name} <{person.email}>? This cannot be undone", abort=True)
    try:
        ended = erase(person)
    except LoginError as error:
        raise click.ClickException(f"nothing was erased: {error}") from None
    logins = f" Their login {', '.join(ended)} no longer opens the workspace." if ended else ""
    click.echo(ERASED_MESSAGE + logins)


@people.command(name="reactivate")
@click.argument("email")
@workspace_option
def reactivate_command(email, slug):
    """Someone back: future check-ins ask them again.

    Example: truenorth people reactivate ana@acme.test -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people import reactivate

    person = reactivate(find_person(pick_workspace(slug), email))
    click.echo(f"Reactivated {person.name}: future check-ins ask them again.")


@click.group()
def teams() -> None:
    """The teams of a workspace, nested: list, add, rename or move, archive and restore.

    \b
    Examples:
      truenorth teams list -w acme
      truenorth teams add "Payments" --within Engineering -w acme
      truenorth teams set Payments --name "Payments & Risk" --within none -w acme
      truenorth teams archive "Payments & Risk" -w acme
    """


def find_team(workspace, name: str):
    """A team by its name, in any case."""
    team = workspace.teams.filter(name__iexact=" ".join(name.split())).first()
    if team is None:
        known = ", ".join(workspace.teams.values_list("name", flat=True)) or "none yet"
        raise click.ClickException(f"no team named {name!r}; the teams: {known}")
    return team


def parent_of(workspace, within: str | None, current=None):
    if within is None:
        return current
    return None if within.strip().lower() == "none" else find_team(workspace, within)


def save_team(save, *args) -> None:
    """Run a team action; a ValidationError becomes one line naming the option."""
    from django.core.exceptions import ValidationError

    try:
        team = save(*args)
    except ValidationError as error:
        options = {"name": "--name", "parent": "--within"}
        problems = refusals(error.message_dict, options)
        raise click.ClickException(f"nothing was saved: {problems}") from None
    within = f", within {team.parent.name}" if team.parent else ", at the top"
    click.echo(f"Saved the team {team.name}{within}.")


@teams.command(name="list")
@workspace_option
def teams_list_command(slug):
    """List the teams as a tree, each with the active people in it and below it.

    Example: truenorth teams list -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people import team_tree

    for row in team_tree(pick_workspace(slug)):
        archived = " (archived)" if row.team.archived else ""
        below = f", {row.everyone} with the teams below" if row.everyone != row.direct else ""
        who = "person" if row.direct == 1 else "people"
        click.echo(f"{'  ' * row.depth}{row.team.name}{archived}: {row.direct} {who}{below}")


@teams.command(name="add")
@click.argument("name")
@click.option("--within", help="The parent team's name (default: a top-level team).")
@workspace_option
def teams_add_command(name, within, slug):
    """Add a team, at the top or within another.

    Example: truenorth teams add "Payments" --within Engineering -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people import create_team

    workspace = pick_workspace(slug)
    save_team(create_team, workspace, name, parent_of(workspace, within))


@teams.command(name="set")
@click.argument("team_name")
@click.option("--name", help="A new name.")
@click.option("--within", help="The parent team's name; none: a top-level team.")
@workspace_option
def teams_set_command(team_name, name, within, slug):
    """Rename a team or move it within another; its people and history stay.

    Example: truenorth teams set Payments --name "Payments & Risk" --within none -w acme
    """
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people import update_team

    workspace = pick_workspace(slug)
    team = find_team(workspace, team_name)
    parent = parent_of(workspace, within, current=team.parent)
    save_team(update_team, team, team.name if name is None else name, parent)


@teams.command(name="archive")
@click.argument("team_name")
@workspace_option
def teams_archive_command(team_name, slug):
    """Archive a team: offered for no new assignment; its people, sub-teams and history stay.

    Example: truenorth teams archive Payments -w acme
    """
    set_archived(team_name, slug, True)


@teams.command(name="restore")
@click.argument("team_name")
@workspace_option
def teams_restore_command(team_name, slug):
    """Offer an archived team for assignments again.

    Example: truenorth teams restore Payments -w acme
    """
    set_archived(team_name, slug, False)


def set_archived(team_name: str, slug: str | None, archived: bool) -> None:
    from truenorth.cli import pick_workspace, setup_django

    setup_django()
    from truenorth.workspaces.people import archive_team

    team = archive_team(find_team(pick_workspace(slug), team_name), archived)
    click.echo(f"{'Archived' if archived else 'Restored'} the team {team.name}.")
