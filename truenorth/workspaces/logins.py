"""Logins to a workspace: inviting people, changing their role, removing their access.

Who may do this is decided in truenorth/workspaces/access.py (owners); the rules kept here are
that a workspace never loses its last owner who has ever logged in (demoting, removing or
deactivating them); and that each change of who can log in is in the workspace's settings history.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from truenorth.sending import reason
from truenorth.workspaces.mailserver import CONSOLE, backend_instead, reaching_nobody
from truenorth.workspaces.models import (
    LOGIN_ROLE,
    Membership,
    Person,
    Role,
    SettingChange,
    WaitingInvitation,
    Workspace,
)
from truenorth.workspaces.people import known_as, link_logins


class LoginError(Exception):
    """A change refused, with a sentence to show the owner."""


@dataclass
class Invitation:
    membership: Membership
    new_login: bool
    link: str  # where a new login sets their password; "" for an existing login
    sent: bool
    problem: str = ""  # why the email did not go out
    # Not sent but kept on this server, link and all, in words (KEPT): printed to its output,
    # or written to a file. The page must then not say the link is shown only now.
    kept: str = ""
    kept_in: str = ""  # where whoever reads it finds the link too: "the server's output"


def link_days() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)


def set_password_link(user) -> str:
    """A link that lets `user` choose a password, until PASSWORD_RESET_TIMEOUT passes or they
    set one (Django's reset tokens hash the current password and last login)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_set", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def login_name(typed: str) -> str:
    """The login a name typed on the login page means: itself where a login has it, else the one
    login with that name in other capitals (an invited address typed as "liam@" for "Liam@"),
    else the one login whose email it is (the administrator named "ada" at setup, typed as
    ada@…), so the password check and the count of wrong passwords both go to that login."""
    users = get_user_model().objects
    if users.filter(username=typed).exists():
        return typed
    alike = list(users.filter(username__iexact=typed).values_list("username", flat=True)[:2])
    if len(alike) == 1:
        return alike[0]
    if "@" in typed:
        by_email = list(users.filter(email__iexact=typed).values_list("username", flat=True)[:2])
        if len(by_email) == 1:
            return by_email[0]
    return typed


def login_for_email(email: str):
    """The login named by the address, else the first that gives it as its email."""
    users = get_user_model().objects.order_by("pk")
    return users.filter(username__iexact=email).first() or users.filter(email__iexact=email).first()


def peoples_role(workspace: Workspace, email: str) -> str:
    """The role People keeps for a login made for the person at `email` (member when none)."""
    person = Person.objects.filter(workspace=workspace, email__iexact=email.strip()).first()
    return (person.role if person else "") or Role.MEMBER


def invite(workspace: Workspace, email: str, role: str, invited_by=None) -> Invitation:
    """Give the person at `email` a login to `workspace` with `role`, and email them.

    A new login is named by the address and has no password until they follow the emailed
    link. Someone with a login already only gains the membership, and is told so.
    """
    membership, email, new_login = add_login(workspace, email, role, invited_by)
    return email_invitation(membership, email, new_login, invited_by)


def already_in(workspace: Workspace, email: str) -> str:
    """Why the login at `email` cannot be invited to `workspace`, being in it already ("" when
    it is not): said before anything else the invite page would ask about."""
    email = email.strip().lower()
    user = login_for_email(email)
    if user is None or not workspace.memberships.filter(user=user).exists():
        return ""
    if not user.has_usable_password():  # invited, and has not chosen a password yet
        return (
            f"{email} is invited to {workspace.name} already and has not chosen a password "
            "yet: “Send the link again” on their row mails a new link."
        )
    return f"{email} can already log in to {workspace.name}."


@transaction.atomic
def add_login(workspace: Workspace, email: str, role: str, by=None) -> tuple[Membership, str, bool]:
    """The membership of the login at `email` (made for it if there is none), the address to
    write to, and whether the login is new. `by`: who invited it, for the history of links."""
    if role not in Role.values:
        raise ValueError(f"not a role: {role!r}")
    email = email.strip().lower()  # as People saves it: the login is named by it
    if why := already_in(workspace, email):
        raise LoginError(why)
    user = login_for_email(email)
    new_login = user is None
    if new_login:
        user = get_user_model()(username=email, email=email)
        user.set_unusable_password()
        user.save()
    membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    record_role(membership, "", role, by)
    link_logins(workspace.pk, by)  # People's person at the address, unless it names two
    membership.refresh_from_db(fields=["person"])
    return membership, email, new_login


def email_invitation(
    membership: Membership, email: str, new_login: bool, invited_by=None
) -> Invitation:
    """Email the invitation, after the login is saved: a mail server's failure loses nothing."""
    link = set_password_link(membership.user) if new_login else ""
    subject, body = invitation_email(membership, link, invited_by)
    sent, problem, kept = send(subject, body, email, membership.workspace.from_email)
    return Invitation(membership, new_login, link, sent, problem, *kept)


def send_waiting(waiting: WaitingInvitation, invited_by=None) -> Invitation:
    """Send an invitation that an imported workspace file left waiting, with its role: the
    login is made and the waiting invitation removed together, then the email goes out."""
    with transaction.atomic():
        membership, email, new_login = add_login(
            waiting.workspace, waiting.email, waiting.role, invited_by
        )
        waiting.delete()
    return email_invitation(membership, email, new_login, invited_by)


def resend(membership: Membership, invited_by=None) -> Invitation:
    """A fresh set-password link for a login that has not chosen a password yet. Links sent
    before stop working: a link mailed to a wrong or shared inbox is why one is sent again."""
    user = membership.user
    if user.has_usable_password():
        raise LoginError(f"{user.username} has set a password already.")
    # A reset token hashes the password field, so a new unusable one voids the earlier tokens.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    link = set_password_link(user)
    subject, body = invitation_email(membership, link, invited_by)
    sent, problem, kept = send(
        subject, body, user.email or user.username, membership.workspace.from_email
    )
    return Invitation(membership, False, link, sent, problem, *kept)


def invitation_email(membership: Membership, link: str, invited_by) -> tuple[str, str]:
    workspace = membership.workspace
    who = known_as(invited_by, workspace) if invited_by else "The owner"
    site = settings.SITE_URL.rstrip("/")
    role = membership.get_role_display().lower()
    if link:
        subject = f"Your login to {workspace.name} on truenorth"
        body = (
            f"Hello,\n\n{who} invites you to {workspace.name} on truenorth, as {role}.\n\n"
            f"Choose your password here (the link works for {link_days()} days, once):\n{link}\n\n"
            f"Then log in at {site}/login/ with your email address, {membership.user.username}.\n"
        )
    else:
        subject = f"You now have access to {workspace.name} on truenorth"
        body = (
            f"Hello,\n\n{who} gave you access to {workspace.name} on truenorth, as {role}.\n\n"
            f"Log in as usual, as {membership.user.username}: {site}/login/\n"
        )
    return subject, body


# Where a login's email lies when this server's settings keep it rather than send it, in words,
# and where whoever reads it there finds the link too. A login's is sent by the web server
# itself, never by a worker, so a printed one is in that server's output.
KEPT = {
    CONSOLE: (
        "printed to the server's output, not sent (this server is set to print emails: "
        "TRUENORTH_EMAIL_BACKEND)",
        "the server's output",
    ),
    "django.core.mail.backends.filebased.EmailBackend": (
        "written to a file on the server (this server is set to write emails to files: "
        "TRUENORTH_EMAIL_BACKEND), not sent",
        "the server's email files",
    ),
}


def send(subject: str, body: str, to: str, sender: str | None) -> tuple[bool, str, tuple[str, str]]:
    """Send one email: whether it was sent, why not, and where it was kept instead (KEPT; two
    blanks where it is nowhere to read). A server that refuses or cannot be reached is reported,
    not raised, and so is a server whose settings send emails to no one (the console backend
    prints them to this web server's output, the file backend writes them to files there): the
    owner is then shown the link to hand over, not told "we emailed them"."""
    try:
        send_mail(subject, body, sender, [to])
    except OSError as error:  # smtplib's errors are OSErrors, as is "connection refused"
        return False, reason(error), ("", "")  # "Connection refused", as the server said
    if nowhere := reaching_nobody():
        problem = f"this server's TRUENORTH_EMAIL_BACKEND sends emails to {nowhere}"
        return False, problem, KEPT.get(backend_instead(), ("", ""))
    return True, "", ("", "")


@transaction.atomic
def change_role(membership: Membership, role: str, by=None) -> None:
    """`by`: the login that changes it, for the settings history (None: the command line)."""
    if role not in Role.values:
        raise ValueError(f"not a role: {role!r}")
    if role == membership.role:
        return
    if membership.role == Role.OWNER:
        refuse_if_unmanaged([membership])
    record_role(membership, membership.role, role, by)
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove(membership: Membership, by=None) -> None:
    """End a login's access to the workspace; the login itself stays, for other workspaces."""
    refuse_if_unmanaged([membership])
    record_role(membership, membership.role, "", by)
    membership.delete()


def record_role(membership: Membership, old: str, new: str, by=None) -> None:
    """A login given access, another role, or none, in the settings history: "stranger@gmail.com:
    none" to "stranger@gmail.com: viewer". Erasing a person takes their logins' names out
    (people.unname_in_history)."""
    login = membership.user.username
    SettingChange.objects.create(
        workspace_id=membership.workspace_id,
        setting=LOGIN_ROLE,
        old_value=role_in_words(login, old),
        new_value=role_in_words(login, new),
        changed_by=by,
    )


def role_in_words(login: str, role: str) -> str:
    return f"{login}: {role or 'none'}"[:200]


def lock_owners(workspace_id: int) -> list[int]:
    """The ids of the workspace's owners, their rows locked until the transaction ends: two
    owners demoting each other at once cannot leave none (on SQLite the transaction already
    holds the one write lock)."""
    owners = Membership.objects.select_for_update().filter(
        workspace_id=workspace_id, role=Role.OWNER
    )
    return list(owners.values_list("pk", flat=True))


def unmanaged_without(leaving: list[Membership]) -> str:
    """Why ending the access of `leaving` (memberships of one workspace) would leave no owner
    who has ever logged in, "" when it would not. An owner only invited may never come: counted
    as an owner, they let the one owner who does log in deactivate themselves, and nobody could
    manage the workspace after. Where no owner leaving has logged in either, nothing is lost: a
    workspace set up from the command line, its owners all only invited, can still change them."""
    owners_leaving = [m for m in leaving if m.role == Role.OWNER]
    if not owners_leaving:
        return ""
    workspace = owners_leaving[0].workspace
    names = ", ".join(m.user.username for m in owners_leaving)
    others = Membership.objects.filter(workspace=workspace, role=Role.OWNER)
    others = list(others.exclude(pk__in=[m.pk for m in leaving]).select_related("user"))
    if not others:
        are = "are the last owners" if len(owners_leaving) > 1 else "is the last owner"
        return f"{names} {are} of {workspace.name}: make someone else an owner first."
    if any(m.user.last_login for m in others) or not any(m.user.last_login for m in leaving):
        return ""
    never = ", ".join(sorted(m.user.username for m in others))
    has, one = ("have", f"one of {never}") if len(others) > 1 else ("has", never)
    return (
        f"without {names}, {workspace.name} would have no owner who has ever logged in "
        f"({never} {has} never logged in). First make someone who has logged in an owner on "
        f"Logins, or have {one} log in once."
    )


def refuse_if_unmanaged(leaving: list[Membership]) -> None:
    """Refuse with LoginError to end the access of `leaving` where unmanaged_without says why."""
    if leaving:
        lock_owners(leaving[0].workspace_id)
    if problem := unmanaged_without(leaving):
        raise LoginError(problem)
