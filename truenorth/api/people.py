"""People and teams, as on the people and teams pages: read by everyone in the organisation
(INTERNAL: the directory names colleagues, never anyone's answers), changed by owners and
editors through the pages' forms and workspaces.people's actions."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.auth import ApiProblem
from truenorth.api.core import CONFLICT, AnId, Pages, membership, responses
from truenorth.api.forms import checked, form_data, refused, refused_by_action, refused_items
from truenorth.api.strict import StrictBody, unchanged
from truenorth.ids import MAX_ID
from truenorth.tabular import ImportFailed, RowError
from truenorth.workspaces import people as actions
from truenorth.workspaces.access import INTERNAL, OWNER, WRITE
from truenorth.workspaces.logins import LoginError
from truenorth.workspaces.models import Function, Person, Role
from truenorth.workspaces.people_forms import PersonForm, TeamForm
from truenorth.workspaces.people_import import (
    FIELDS,
    Columns,
    ImportResult,
    department_functions,
    import_rows,
)

router = Router(tags=["people"])

AN_ID = Path(..., ge=1, le=MAX_ID)


class PersonOut(Schema):
    id: int
    name: str
    email: str
    function: Function
    team_id: int | None
    team: str | None
    manager_id: int | None
    manager: str | None = Field(None, description="The manager's email.")
    title: str
    role: Role | None = Field(None, description="The role a login made for them later gets.")
    active: bool

    @staticmethod
    def resolve_team(person: Person) -> str | None:
        return person.team.name if person.team else None

    @staticmethod
    def resolve_manager(person: Person) -> str | None:
        return person.manager.email if person.manager else None

    @staticmethod
    def resolve_role(person: Person) -> str | None:
        return person.role or None


class PeopleFilter(Schema):
    team: int | None = Field(None, ge=1, le=MAX_ID, description="A team's id.")
    no_team: bool = Field(False, description="Only the people in no team.")
    function: Function | None = None
    active: bool | None = Field(None, description="true: active only; false: left; unset: all.")


@router.get("/workspaces/{slug}/people", response=responses(list[PersonOut]))
@paginate(Pages)
def list_people(request, slug: str, filters: Query[PeopleFilter]):
    """Everyone in the workspace's directory, by name."""
    workspace = membership(request, slug, INTERNAL).workspace
    people = workspace.people.filter(erased=False).select_related("team", "manager")
    if filters.team is not None:
        people = people.filter(team_id=filters.team)
    if filters.no_team:
        people = people.filter(team__isnull=True)
    if filters.function is not None:
        people = people.filter(function=filters.function)
    if filters.active is not None:
        people = people.filter(active=filters.active)
    return people.order_by("name", "pk")


class PersonRecord(StrictBody):
    """One person as an HR system has them, each field as text, as a file import reads its
    columns: a field left out or empty leaves what is saved as it is."""

    email: str = Field("", description="The key, in any case; saved in lower case.")
    name: str = Field("", description="Needed for someone new; or first_name and last_name.")
    first_name: str = ""
    last_name: str = ""
    function: str = Field(
        "", description="A function, or a department `departments` maps; needed for someone new."
    )
    team: str = Field("", description="A team's name; a team that does not exist is created.")
    manager: str = Field(
        "",
        description="The manager's email, here or among those sent; or their full name, "
        "where exactly one person here or sent has it.",
    )
    role: str = Field("", description="The role a login made for them later gets.")
    title: str = ""


MAX_PEOPLE = 10_000


class PeopleIn(StrictBody):
    items: list[PersonRecord] = Field(..., min_length=1, max_length=MAX_PEOPLE)
    departments: dict[str, str] = Field(
        default_factory=dict,
        description='The function each of the HR system\'s own departments means: {"R&D": '
        '"engineering"}, in any case.',
    )


class PeopleImported(Schema):
    created: int
    updated: int = Field(description="People already here whom this changed.")
    unchanged: int = Field(description="People already here, sent as they were.")
    teams_created: list[str]
    teams_like: dict[str, str] = Field(
        description="Each team created whose name is close to one that was here: a typo?"
    )
    teams_note: str = Field(description="The teams created in a sentence, as the page says them.")

    @staticmethod
    def resolve_teams_note(result: ImportResult) -> str:
        return result.teams_in_words


# Before /people/{person_id}: its routes would take "import" for an id, and say 405.
@router.post("/workspaces/{slug}/people/import", response={**responses(PeopleImported), **CONFLICT})
def import_people(request, slug: str, body: PeopleIn):
    """Create or update people from an HR system, as importing its export does (owners and
    editors; a write token): matched by email in any case, a team named that does not exist
    created, a manager given by email or by a name one person has. Every person is valid or
    nothing is saved; a 400 lists every problem of every refused person in `errors`."""
    workspace = membership(request, slug, WRITE).workspace
    try:
        departments = department_functions(f"{name}={to}" for name, to in body.departments.items())
    except ValueError as error:
        raise refused("people import", "departments", str(error)) from None
    columns = Columns({name: name for name in FIELDS}, in_body=True)
    cells = [
        (number, {name: text.strip() for name, text in record.dict().items() if text.strip()})
        for number, record in enumerate(body.items, start=1)
    ]
    try:
        return import_rows(workspace, cells, columns, request.user, departments)
    except ImportFailed as failure:
        said = [RowError(0, error.message, columns.row(error.line)) for error in failure.errors]
        raise refused_items(ImportFailed(said)) from None
    except IntegrityError:  # another request added some of these people meanwhile
        raise ApiProblem(409, "Sent twice at once", "Send the people again.") from None


@router.get("/workspaces/{slug}/people/{person_id}", response=responses(PersonOut))
def get_person(request, slug: str, person_id: int = AN_ID):
    workspace = membership(request, slug, INTERNAL).workspace
    return a_person(workspace, person_id)


def a_person(workspace, person_id: int) -> Person:
    found = workspace.people.select_related("team", "manager").filter(pk=person_id, erased=False)
    found = found.first()
    if found is None:
        raise Http404("No such person.")
    return found


TeamRef = AnId | Annotated[str, Field(min_length=1, max_length=200)]


class PersonIn(StrictBody):
    """A person as the people page's form takes them. A person as read may be sent back: team_id
    and manager_id are taken as the ids they are, and `team` may be the team's name where it
    names exactly one team. Any other field is a 400 naming it."""

    name: str = Field(..., max_length=200)
    email: str = Field(..., max_length=254)
    function: Function
    team: TeamRef | None = Field(None, description="A team's id, or its name.")
    team_id: AnId | None = Field(None, description="A team's id.")
    manager: str | None = Field(None, max_length=254, description="The manager's email.")
    manager_id: AnId | None = Field(None, description="The manager's id.")
    title: str = Field("", max_length=200)
    role: Role | None = None
    active: bool = Field(True, description="false: added as someone who has left.")


class PersonPatch(StrictBody):
    """Only the fields sent change; `active: false` deactivates: their answers stay, and their
    login, if they have one, no longer opens the workspace. `id`, if sent, must be the person's."""

    id: AnId | None = None
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    function: Function | None = None
    team: TeamRef | None = Field(None, description="A team's id, or its name.")
    team_id: AnId | None = None
    manager: str | None = Field(None, max_length=254)
    manager_id: AnId | None = None
    title: str | None = Field(None, max_length=200)
    role: Role | None = None
    active: bool | None = None


def as_form_values(workspace, sent: dict) -> dict:
    """The body's fields as the person form takes them: one team, by id, and one manager, by
    email, however each was sent; two ways of naming them that disagree are a 400."""
    values = dict(sent)
    if "team" in values or "team_id" in values:
        values["team"] = one_team(workspace, values.pop("team", None), values.pop("team_id", None))
    if "manager" in values or "manager_id" in values:
        email, manager_id = values.pop("manager", None), values.pop("manager_id", None)
        values["manager"] = one_manager(workspace, email, manager_id)
    return values


def one_team(workspace, team: int | str | None, team_id: int | None) -> int | None:
    if isinstance(team, str):
        team = team_named(workspace, team)
    if team is not None and team_id is not None and team != team_id:
        raise refused("person", "team", "team and team_id name different teams.")
    return team if team is not None else team_id


def team_named(
    workspace, name: str, where: tuple[str, str] = ("person", "team"), by_id: str = " as team_id"
) -> int:
    """The team of that name, whatever its case: a name is one team's at most. Refused naming
    `where` (the form and its field), saying to give the team's id instead (`by_id`: how)."""
    # PostgreSQL cannot compare a NUL, and no team's name has one.
    team = None if "\x00" in name else workspace.teams.filter(name__iexact=name.strip()).first()
    if team is None:
        message = f"No team is named {name}; give the team's id{by_id} (GET /teams lists them)."
        raise refused(*where, message)
    return team.pk


def one_manager(workspace, email: str | None, manager_id: int | None) -> str | None:
    if manager_id is None:
        return email
    manager = workspace.people.filter(pk=manager_id, erased=False).first()
    if manager is None:
        raise refused("person", "manager_id", f"Nobody in this workspace has the id {manager_id}.")
    if email and email.lower() != manager.email.lower():
        raise refused("person", "manager", "manager and manager_id name different people.")
    return manager.email


@router.post("/workspaces/{slug}/people", response=responses(PersonOut, 201))
def create_person(request, slug: str, body: PersonIn):
    """Add someone to the directory (owners and editors; a write token)."""
    workspace = membership(request, slug, WRITE).workspace
    values = as_form_values(workspace, body.dict())
    active = values.pop("active")
    form = PersonForm(data=form_data(values), workspace=workspace)
    fields = checked(form, "person")
    try:
        with transaction.atomic():
            saved = actions.create_person(workspace, request.user, **fields, active=active)
    except ValidationError as error:
        raise refused_by_action("person", error) from None
    return HttpStatus(201, a_person(workspace, saved.pk))


@router.patch(
    "/workspaces/{slug}/people/{person_id}", response={**responses(PersonOut), **CONFLICT}
)
def update_person(request, slug: str, body: PersonPatch, person_id: int = AN_ID):
    """Change someone's fields, move them to another team, or (de)activate them. Deactivating
    ends their login's access to the workspace: 409, changing nothing, when the workspace would
    be left with no owner who has ever logged in."""
    workspace = membership(request, slug, WRITE).workspace
    person = a_person(workspace, person_id)
    changes = as_form_values(workspace, body.dict(exclude_unset=True))
    if changes.pop("id", person.pk) != person.pk:
        raise refused("person", "id", f"The id sent is not {person.pk}, the person's id.")
    active = changes.pop("active", None)
    form = PersonForm(workspace=workspace, person=person)
    values = {**form.initial, **changes}  # what the page's form shows, and the changes
    form = PersonForm(data=form_data(values), workspace=workspace, person=person)
    fields = checked(form, "person")
    try:
        with transaction.atomic():
            actions.update_person(person, request.user, **fields)
            if active is False:
                actions.deactivate(person, by=request.user)
            elif active:
                actions.reactivate(person)
    except ValidationError as error:
        raise refused_by_action("person", error) from None
    except LoginError as error:
        raise ApiProblem(409, "Last owner", str(error)) from None
    return a_person(workspace, person.pk)


@router.delete(
    "/workspaces/{slug}/people/{person_id}", response={**responses(None, 204), **CONFLICT}
)
def erase_person(request, slug: str, person_id: int = AN_ID):
    """Erase someone who asked to be forgotten (owners; a write token), as `truenorth people
    erase` does: their name, address, title, manager links, their login's access and the text
    of their attributed answers go; their invitations stay as counts, so published figures
    stay as they were. 409 when their login is the workspace's last owner."""
    mine = membership(request, slug, OWNER)
    person = a_person(mine.workspace, person_id)
    try:
        actions.erase(person, by=request.user)
    except LoginError as error:
        raise ApiProblem(409, "Last owner", str(error)) from None
    return HttpStatus(204, None)


class TeamOut(Schema):
    id: int
    name: str
    parent_id: int | None
    archived: bool


class TeamFilter(Schema):
    archived: bool | None = Field(None, description="true: archived only; unset: all.")


@router.get("/workspaces/{slug}/teams", response=responses(list[TeamOut]))
@paginate(Pages)
def list_teams(request, slug: str, filters: Query[TeamFilter]):
    """The workspace's teams by name, each with its parent team's id."""
    workspace = membership(request, slug, INTERNAL).workspace
    teams = workspace.teams.all()
    if filters.archived is not None:
        teams = teams.filter(archived=filters.archived)
    return teams.order_by("name", "pk")


@router.get("/workspaces/{slug}/teams/{team_id}", response=responses(TeamOut))
def get_team(request, slug: str, team_id: int = AN_ID):
    """One team, as the list gives it."""
    return a_team(membership(request, slug, INTERNAL).workspace, team_id)


def a_team(workspace, team_id: int):
    team = workspace.teams.filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    return team


class TeamIn(StrictBody):
    name: str = Field(..., min_length=1, max_length=200)
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="The team it sits within.")


class TeamPatch(StrictBody):
    """Only the fields sent change; `"parent": null` puts it at the top; `archived` takes it
    out of the choices for new assignments (its people, sub-teams and history stay) or brings
    it back. A team as read may be sent back: `id` must be the team's, `parent_id` is taken as
    `parent`."""

    read_as = TeamOut
    ids_of = {"parent_id": "parent"}

    name: str | None = Field(None, min_length=1, max_length=200)
    parent: int | None = Field(None, ge=1, le=MAX_ID)
    archived: bool | None = None


def team_fields(workspace, values: dict, team=None) -> dict:
    """The values checked by the teams page's form: an unknown or archived parent is a 400."""
    form = TeamForm(data=form_data(values), workspace=workspace, team=team)
    return checked(form, "team")


@router.post("/workspaces/{slug}/teams", response=responses(TeamOut, 201))
def create_team(request, slug: str, body: TeamIn):
    """Add a team, at the top or within another (owners and editors; a write token). A name the
    workspace has already, in any case, is a 400."""
    workspace = membership(request, slug, WRITE).workspace
    fields = team_fields(workspace, body.dict())
    try:
        return HttpStatus(201, actions.create_team(workspace, **fields))
    except ValidationError as error:
        raise refused_by_action("team", error) from None


@router.patch("/workspaces/{slug}/teams/{team_id}", response=responses(TeamOut))
def update_team(request, slug: str, body: TeamPatch, team_id: int = AN_ID):
    """Rename a team, move it within another, or archive it and bring it back, as the teams
    page does; a team cannot sit within itself or one of its sub-teams (400)."""
    workspace = membership(request, slug, WRITE).workspace
    team = a_team(workspace, team_id)
    body.check_as_read(team, "team")
    changes = body.dict(exclude_unset=True)
    current = {"name": team.name, "parent": team.parent_id}
    if unchanged({**current, "archived": team.archived}, changes):
        return team
    archived = changes.pop("archived", None)
    fields = team_fields(workspace, {**current, **changes}, team)
    try:
        with transaction.atomic():
            actions.update_team(team, fields["name"], fields["parent"])
            if archived is not None:
                actions.archive_team(team, archived)
    except ValidationError as error:
        raise refused_by_action("team", error) from None
    return team
