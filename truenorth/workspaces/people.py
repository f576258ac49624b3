"""People and teams: the actions the pages, the import and the command line share.

Each action checks what the database cannot (an email repeated in another case, a manager from
another workspace, a team nested under itself) and raises ValidationError naming the field, so a
form shows the message next to it.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from truenorth.workspaces.models import (
    ADDRESS,
    ERASURE,
    LOGIN_LINK,
    LOGIN_ROLE,
    Function,
    Membership,
    Person,
    Role,
    SettingChange,
    Team,
    WaitingInvitation,
    Workspace,
)

PERSON_FIELDS = ("name", "email", "function", "team", "manager", "title", "active", "role")


# --- People ---


def known_as(user, workspace: Workspace) -> str:
    """The name of the login's person in `workspace` ("Ada Lovelace"), else the login's full
    name, else its login name: who published, recorded or sent something, not the name they
    log in with (an invited login's is its email address). The workspace's names are read once,
    however many rows name someone."""
    if user is None:
        return ""
    names = getattr(workspace, "_names_by_login", None)
    if names is None:
        people = Membership.objects.filter(workspace=workspace, person__isnull=False)
        names = workspace._names_by_login = dict(people.values_list("user_id", "person__name"))
    return names.get(user.pk) or user.get_full_name() or user.get_username()


@transaction.atomic
def create_person(workspace: Workspace, by=None, **fields) -> Person:
    """A new person: name, email and function, optionally team, manager, title, active, role.
    `by`: the login that adds them, for the history of the logins it links (link_logins)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not a person's field: {', '.join(sorted(unknown))}")
    person = Person(workspace=workspace, **fields)
    check_person(person, team_changed=person.team_id is not None)
    person.save()
    link_logins(workspace.pk, by)
    return person


@transaction.atomic
def update_person(person: Person, by=None, **changes) -> Person:
    """Change some of a person's fields; moving them to another team is a change of `team`.
    A new address moves the logins linked by it (link_logins) and is recorded in the settings
    history, `by` the login that changed it. On a ValidationError nothing changes, not even the
    instance."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not a person's field: {', '.join(sorted(unknown))}")
    old = {name: getattr(person, name) for name in ("name", "email", "title", *changes)}
    for name, value in changes.items():
        setattr(person, name, value)
    try:
        check_person(person, team_changed=person.team != old.get("team", person.team))
    except ValidationError:
        for name, value in old.items():
            setattr(person, name, value)
        raise
    person.save()
    if person.email != old["email"]:
        record_address(person, old["email"], by)
        link_logins(person.workspace_id, by)
    return person


def record_address(person: Person, old_address: str, by=None) -> None:
    """An address change in the settings history. A check-in's new links and reminders go to
    the address People has now, so whoever could change it could have someone's next link
    sent to themselves: the owners can see who did, and the check-in page says so
    (checkins.actions.addresses_changed_after_sending)."""
    SettingChange.objects.create(
        workspace_id=person.workspace_id,
        setting=ADDRESS,
        person=person,
        old_value=f"{person.name}: {old_address}"[:200],
        new_value=f"{person.name}: {person.email}"[:200],
        changed_by=by,
    )


def link_logins(workspace_id: int, by=None) -> None:
    """Link each login of the workspace to the person whose address is its email or name, in
    any case, and keep it so as addresses change: the owner who made the workspace before
    People had them, a login invited before the import or the person, and a login whose
    person's address changed, which is unlinked, and linked to whoever has its address now. A
    linked login reads what only its person may (their own ratings, their check-ins): an
    address given to someone for a moment must not leave it theirs.

    A login whose name is one person's address and its email another's is linked to neither,
    even where it was linked before: which of the two it is, only an owner can say
    (logins_mixed_up says so on the Logins page). Each link and unlink is recorded in the
    workspace's settings history, `by` the login that made the change (None: the command
    line)."""
    by_email = addresses_of_people(workspace_id)
    memberships = Membership.objects.filter(workspace_id=workspace_id)
    for membership in memberships.select_related("user", "person"):
        named = people_named_by(membership.user, by_email)
        person_id = named.pop() if len(named) == 1 else None
        if person_id != membership.person_id:
            link(membership, person_id, by)


def link(membership: Membership, person_id: int | None, by=None) -> None:
    was = membership.person
    membership.person_id = person_id
    membership.linked_at = timezone.now() if person_id else None
    membership.save(update_fields=["person", "linked_at"])
    now = Person.objects.get(pk=person_id) if person_id else None
    login = membership.user.username
    SettingChange.objects.create(
        workspace_id=membership.workspace_id,
        setting=LOGIN_LINK,
        old_value=linked_in_words(login, was),
        new_value=linked_in_words(login, now),
        changed_by=by,
    )


def linked_in_words(login: str, person: Person | None) -> str:
    """A login and its person, as the settings history shows them: "ben@larkspur.io: Ben
    Whitaker", "spy@evil.test: nobody"."""
    return f"{login}: {person.name if person else 'nobody'}"[:200]


NAMES_NOBODY = "neither its name nor its email is anyone's address in People"


def addresses_of_people(workspace_id: int) -> dict[str, int]:
    """Each address of the workspace's people, in lower case, and whose it is."""
    people = Person.objects.filter(workspace_id=workspace_id, erased=False).exclude(email="")
    return {email.lower(): pk for email, pk in people.values_list("email", "pk")}


def people_named_by(user, by_email: dict[str, int]) -> set[int]:
    """The people whose address is the login's name or its email: two when they disagree."""
    addresses = {user.username.lower(), (user.email or "").lower()}
    return {by_email[address] for address in addresses if address in by_email}


def logins_mixed_up(workspace_id: int) -> dict[int, str]:
    """Why each login linked to nobody whose name and email are two people's addresses is so,
    by membership: "its name is Carlos Mendoza's address and its email Raj Patel's: change
    one"."""
    people = Person.objects.filter(workspace_id=workspace_id, erased=False).exclude(email="")
    name_of = {person.email.lower(): person.name for person in people}
    unlinked = Membership.objects.filter(workspace_id=workspace_id, person__isnull=True)
    reasons = {}
    for membership in unlinked.select_related("user"):
        user = membership.user
        by_name, by_email = name_of.get(user.username.lower()), name_of.get(user.email.lower())
        if by_name and by_email and user.username.lower() != user.email.lower():
            reasons[membership.pk] = (
                f"its name is {by_name}'s address and its email {by_email}'s: change one"
            )
    return reasons


@transaction.atomic
def deactivate(person: Person, by=None) -> list[str]:
    """Someone who left: their answers and invitations stay, no future check-in asks them, and
    no login of theirs opens the workspace any more (it stays theirs for other workspaces).
    `by`: the login that deactivates them, for the settings history.

    Returns the names of the logins that lost access. Refuses with logins.LoginError, changing
    nothing, when the workspace would be left with no owner who has ever logged in
    (logins.unmanaged_without).
    """
    from truenorth.workspaces.logins import refuse_if_unmanaged  # that module imports this one

    refuse_if_unmanaged(list(logins_of(person)))
    set_active(person, False)
    return end_access(person, by)


def deactivation_refused(person: Person) -> str:
    """Why deactivating the person would be refused, "" when it would not: for the page to say
    so before anyone clicks."""
    from truenorth.workspaces.logins import unmanaged_without

    return unmanaged_without(list(logins_of(person)))


def reactivate(person: Person) -> Person:
    return set_active(person, True)


@transaction.atomic  # the row and its figures' new data version together (figures.py)
def set_active(person: Person, active: bool) -> Person:
    if person.active != active:
        person.active = active
        person.save(update_fields=["active"])
    return person


def logins_of(person: Person) -> QuerySet[Membership]:
    """The memberships of the person's own logins, as link_logins decides: linked to them, or,
    where a login is linked to nobody, named by their address (an invitation made before they
    were in People) and not by someone else's too."""
    by_address = Q(user__username__iexact=person.email) | Q(user__email__iexact=person.email)
    mine = Q(person=person) | (Q(person__isnull=True) & by_address)
    found = Membership.objects.filter(mine, workspace_id=person.workspace_id)
    by_email = addresses_of_people(person.workspace_id)
    shared = [
        membership.pk
        for membership in found.filter(person__isnull=True).select_related("user")
        if len(people_named_by(membership.user, by_email)) > 1
    ]
    return (
        found.exclude(pk__in=shared).select_related("user", "workspace").order_by("user__username")
    )


def end_access(person: Person, by=None) -> list[str]:
    from truenorth.workspaces.logins import remove  # that module imports this one

    ended = []
    for membership in logins_of(person):
        remove(membership, by)
        ended.append(membership.user.username)
    return ended


def left_message(person: Person, ended: list[str]) -> str:
    """What deactivating said, in the words the page, the command line and the docs share."""
    stays = "their answers stay, no new check-in asks them"
    if not ended:
        return f"Deactivated {person.name}: {stays}."
    logins = f"their login {ended[0]} no longer opens"
    if len(ended) > 1:
        logins = f"their logins {', '.join(ended)} no longer open"
    return f"{person.name} left: {logins} {person.workspace.name}; {stays}."


ERASED_NAME = "Erased person"
# Sent (person=, already nameless) inside erase's transaction: an app that keeps a person's name
# in a record of its own (an update's facts) forgets it there, as erase does in the workspace's.
person_erased = Signal()
ERASED_ADDRESS = "an erased person's address"
ERASED_LOGIN = "an erased person's login"
ERASED_MESSAGE = (
    "Erased: their name, address and answers' text are gone; figures count them as before."
)


@transaction.atomic
def erase(person: Person, by=None) -> list[str]:
    """Forget someone who asked to be (docs/privacy.md, "Erasure"): their name, address, title
    and manager links go, their logins lose the workspace, and the text of their attributed
    answers is blanked. The row stays, nameless, so that their invitations stay counted in
    published figures ("35 answered of 41 invited" stays so); records that named them (a
    decision's owner, a ritual held) now name an erased person. The workspace's history says
    that someone was erased, never whom.

    Returns the names of the logins that lost access. Refuses with logins.LoginError, changing
    nothing, when the workspace would be left with no owner who has ever logged in
    (logins.unmanaged_without), as deactivating does.
    """
    from truenorth.workspaces.logins import refuse_if_unmanaged  # that module imports this one

    refuse_if_unmanaged(list(logins_of(person)))
    workspace, address = person.workspace, person.email
    ended = end_access(person, by)
    for username in ended:
        forget_login(username)
    WaitingInvitation.objects.filter(
        Q(person=person) | Q(email__iexact=address), workspace=workspace
    ).delete()
    person.reports.update(manager=None)
    person.invitations.update(last_error="")  # a mail server's refusal quotes the address
    for checkin in workspace.checkins.filter(responses__person=person).distinct():
        for response in checkin.responses.filter(person=person):
            response.answers.update(text="")
    # Ahead of them: a ritual's list of who is asked, their own notices and calendar links.
    person.rituals.clear()
    person.notification_preferences.all().delete()
    person.calendar_feeds.all().delete()
    unname_in_history(person, ended)
    person.name, person.email, person.title = ERASED_NAME, erased_address(), ""
    person.manager, person.role, person.active, person.erased = None, "", False, True
    person.save()
    person_erased.send(sender=Person, person=person)
    SettingChange.objects.create(
        workspace=workspace, setting=ERASURE, new_value="one person", changed_by=by
    )
    return ended


def unname_in_history(person: Person, logins: list[str]) -> None:
    """The settings history's records of logins linked and unlinked (link_logins), of logins'
    roles (logins.record_role) and of addresses changed (record_address) name the erased
    person, their logins and every address they had, no more."""
    changes = person.workspace.setting_changes
    own_changes = changes.filter(setting=ADDRESS, person=person)
    named = [v.rpartition(": ") for c in own_changes for v in (c.old_value, c.new_value)]
    names = {person.name, *(name for name, _, _ in named)}
    mine = {person.email.lower(), *(a.lower() for a in [*logins, *(a for *_, a in named)])}
    own_changes.update(old_value=ERASED_ADDRESS, new_value=ERASED_ADDRESS)

    def unnamed(value: str) -> str:
        login, _, name = value.rpartition(": ")
        login = ERASED_LOGIN if login.lower() in mine else login
        return f"{login}: {ERASED_NAME if name in names else name}"

    for change in changes.filter(setting=LOGIN_LINK):
        change.old_value, change.new_value = unnamed(change.old_value), unnamed(change.new_value)
        change.save(update_fields=["old_value", "new_value"])

    def unnamed_login(value: str) -> str:
        login, _, role = value.rpartition(": ")
        return f"{ERASED_LOGIN}: {role}" if login.lower() in mine else value

    for change in changes.filter(setting=LOGIN_ROLE):
        change.old_value = unnamed_login(change.old_value)
        change.new_value = unnamed_login(change.new_value)
        change.save(update_fields=["old_value", "new_value"])


def erased_address() -> str:
    """An address for an erased person that no list of ids made before can tie back to them:
    "erased-18@…" named their id in every earlier people.json, page address and export."""
    return f"erased-{secrets.token_hex(8)}@erased.invalid"


def forget_login(username: str) -> None:
    """A login in no workspace any more is nameless from now on: its name is often the
    person's address, and records it made would show it. One still in another workspace is
    someone's there, and stays."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or user.memberships.exists():
        return
    user.username, user.email = f"erased-{secrets.token_hex(8)}", ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def check_person(person: Person, team_changed: bool = True) -> None:
    """Raise ValidationError for what would make the person wrong; cleans the values it checks."""
    person.name = (person.name or "").strip()
    # Saved in lower case: HR tools export capitals, and no mail provider tells them apart.
    person.email = (person.email or "").strip().lower()
    person.title = (person.title or "").strip()
    person.full_clean(exclude=["workspace", "team", "manager"], validate_unique=False)
    errors: dict[str, str] = {}
    same_email = Person.objects.filter(workspace_id=person.workspace_id, email__iexact=person.email)
    if person.pk:
        same_email = same_email.exclude(pk=person.pk)
    if same_email.exists():
        errors["email"] = f"Someone in this workspace already has the email {person.email}."
    team = person.team
    if team is not None:
        if team.workspace_id != person.workspace_id:
            errors["team"] = "That team is not in this workspace."
        elif team.archived and team_changed:
            errors["team"] = f"The team {team.name} is archived; choose another team."
    manager = person.manager
    if manager is not None:
        if manager.workspace_id != person.workspace_id:
            errors["manager"] = "The manager must be someone in this workspace."
        elif person.pk and manager.pk == person.pk:
            errors["manager"] = "Nobody is their own manager."
        elif person.pk and manages(person, manager):
            errors["manager"] = f"{manager.name} already reports to {person.name}, directly or not."
    if errors:
        raise ValidationError(errors)


def manages(person: Person, other: Person) -> bool:
    """Whether `other` reports to `person`, following managers up from `other`."""
    managers = Person.objects.filter(workspace_id=person.workspace_id).values_list(
        "pk", "manager_id"
    )
    return meets(dict(managers), other.pk, person.pk)


def meets(up: dict[int, int | None], start: int, target: int) -> bool:
    """Whether following `up` (each row's manager, or parent team) from `start` reaches
    `target`; a loop already in the data ends the walk."""
    seen: set[int] = set()
    current: int | None = start
    while current is not None and current not in seen:
        if current == target:
            return True
        seen.add(current)
        current = up.get(current)
    return False


def function_of(text: str) -> str:
    """A Function's value from how people write it: "Customer Success", "customer-success"…"""
    wanted = " ".join(text.replace("_", " ").replace("-", " ").lower().split())
    for value, label in Function.choices:
        if wanted in (value.replace("_", " "), label.lower()):
            return value
    known = ", ".join(label.lower() for _, label in Function.choices)
    raise ValueError(f"not a function; functions: {known}")


def role_of(text: str) -> str:
    wanted = text.strip().lower()
    if wanted in Role.values:
        return wanted
    raise ValueError(f"not a role; roles: {', '.join(Role.values)}")


def as_dict(person: Person) -> dict:
    """A person as the JSON list and `truenorth people list --json` give them."""
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "function": person.function,
        "team": person.team.name if person.team else None,
        "manager": person.manager.email if person.manager else None,
        "title": person.title,
        "role": person.role or None,
        "active": person.active,
    }


# --- Teams ---


@transaction.atomic
def create_team(workspace: Workspace, name: str, parent: Team | None = None) -> Team:
    team = Team(workspace=workspace, name=name, parent=parent)
    check_team(team, parent_changed=parent is not None)
    team.save()
    return team


def rename_team(team: Team, name: str) -> Team:
    return update_team(team, name, team.parent)


def nest_team(team: Team, parent: Team | None) -> Team:
    """Put the team under `parent` (None: at the top)."""
    return update_team(team, team.name, parent)


@transaction.atomic
def update_team(team: Team, name: str, parent: Team | None) -> Team:
    """Rename the team and put it under `parent`; on a ValidationError neither happens."""
    old_name, old_parent = team.name, team.parent
    team.name, team.parent = name, parent
    try:
        check_team(team, parent_changed=parent != old_parent)
    except ValidationError:
        team.name, team.parent = old_name, old_parent
        raise
    team.save(update_fields=["name", "parent"])
    return team


@transaction.atomic  # the row and its figures' new data version together (figures.py)
def archive_team(team: Team, archived: bool = True) -> Team:
    """Archived: offered for no new assignment; its people, sub-teams and history stay."""
    if team.archived != archived:
        team.archived = archived
        team.save(update_fields=["archived"])
    return team


def check_team(team: Team, parent_changed: bool = True) -> None:
    team.name = " ".join((team.name or "").split())
    team.full_clean(exclude=["workspace", "parent"], validate_unique=False)
    errors: dict[str, str] = {}
    same_name = Team.objects.filter(workspace_id=team.workspace_id, name__iexact=team.name)
    if team.pk:
        same_name = same_name.exclude(pk=team.pk)
    if existing := same_name.first():  # named as it is written, not as it was typed
        errors["name"] = f"There is already a team named {existing.name}."
    parent = team.parent
    if parent is not None:
        if parent.workspace_id != team.workspace_id:
            errors["parent"] = "The parent team is not in this workspace."
        elif team.pk and in_tree_of(team, parent):
            errors["parent"] = f"{parent.name} is {team.name} or one of its sub-teams."
        elif parent.archived and parent_changed:
            errors["parent"] = f"The team {parent.name} is archived; choose another."
    if errors:
        raise ValidationError(errors)


def tree_of(team: Team) -> set[int]:
    """The ids of `team` and every team below it: none can be its parent."""
    parents = dict(
        Team.objects.filter(workspace_id=team.workspace_id).values_list("pk", "parent_id")
    )
    return {pk for pk in parents if meets(parents, pk, team.pk)}


def in_tree_of(team: Team, other: Team) -> bool:
    """Whether `other` is `team` or below it: nesting `team` under it would make a cycle."""
    parents = Team.objects.filter(workspace_id=team.workspace_id).values_list("pk", "parent_id")
    return meets(dict(parents), other.pk, team.pk)


@dataclass
class TeamRow:
    team: Team
    depth: int
    direct: int  # active people in the team itself
    everyone: int  # active people in it or in a team below it


def team_tree(workspace: Workspace) -> list[TeamRow]:
    """Every team, each under its parent, with the people in it counted."""
    teams = list(workspace.teams.all())
    direct = dict(
        workspace.people.filter(active=True, team__isnull=False)
        .values_list("team")
        .annotate(n=Count("id"))
        .order_by()
    )
    ids = {team.pk for team in teams}
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id if team.parent_id in ids else None, []).append(team)
    rows: list[TeamRow] = []
    placed: set[int] = set()

    def place(team: Team, depth: int) -> int:
        row = TeamRow(team, depth, direct.get(team.pk, 0), direct.get(team.pk, 0))
        rows.append(row)
        placed.add(team.pk)
        for child in children.get(team.pk, []):
            if child.pk not in placed:
                row.everyone += place(child, depth + 1)
        return row.everyone

    for team in children.get(None, []):
        place(team, 0)
    for team in teams:  # a cycle made in the admin before cycles were refused
        if team.pk not in placed:
            place(team, 0)
    return rows
