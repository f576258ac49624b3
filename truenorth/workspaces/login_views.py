"""The Logins page (owners invite people and manage their access) and the password pages."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.paginator import Page
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse, reverse_lazy

from truenorth import throttling
from truenorth.paging import page_of, where_it_is
from truenorth.refusals import form_status, post_only, posted, read_only
from truenorth.throttling import ThrottledPasswordResetForm, locked_usernames
from truenorth.workspaces import logins as actions
from truenorth.workspaces.access import OWNER, workspace_view
from truenorth.workspaces.forms import ChangePasswordForm, ChoosePasswordForm, LoginForm
from truenorth.workspaces.models import Membership, Role
from truenorth.workspaces.people import NAMES_NOBODY, logins_mixed_up

PEOPLES_ROLE = ""  # the invite form's default: the role People gives the address
# A page of logins, as the people page's 100 people: a company can give everyone a login.
LOGINS_PER_PAGE = 100


class InviteForm(forms.Form):
    email = forms.EmailField(
        max_length=150,  # it becomes the login's username
        help_text="They log in with this address. Someone in the workspace's people with the "
        "same address is linked to the login.",
    )
    role = forms.ChoiceField(
        choices=[(PEOPLES_ROLE, "As in People (member when none is set)"), *Role.choices],
        required=False,
        help_text="The role given to the person with this address in People, unless you choose "
        "another here.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


def memberships(request, workspace) -> Page:
    """The page of the workspace's logins asked for (?page=), by name, each with
    `unlinked_because`: why it is nobody's, where its name and email are two people's addresses
    or nobody's ("" for a linked one)."""
    found = workspace.memberships.select_related("user", "person").order_by("user__username")
    page = page_of(request, found, LOGINS_PER_PAGE)
    page.object_list = list(page.object_list)
    mixed_up = logins_mixed_up(workspace.pk)
    for membership in page.object_list:
        nobody = "" if membership.person_id else NAMES_NOBODY
        membership.unlinked_because = mixed_up.get(membership.pk, nobody)
    return page


def waiting(workspace):
    return workspace.waiting_invitations.select_related("person")


@workspace_view(OWNER)
@read_only
def logins(request, membership):
    page = memberships(request, membership.workspace)
    context = {
        "page": page,
        "locked": locked_usernames(m.user.username for m in page.object_list),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "waiting": waiting(membership.workspace),
        "roles": Role.choices,
        "form": InviteForm(),
    }
    return render(request, "workspaces/logins.html", context)


@workspace_view(OWNER)
@read_only
def logins_json(request, membership):
    """The Logins page's JSON twin: the same pages (?page=), as people.json gives them; the
    invitations waiting, all of them, on every page."""
    page = memberships(request, membership.workspace)
    rows = [
        {
            "id": m.pk,
            "username": m.user.username,
            "email": m.user.email,
            "role": m.role,
            "person": m.person.name if m.person else None,
            "unlinked_because": m.unlinked_because or None,
            "last_login": m.user.last_login,
            "password_set": m.user.has_usable_password(),
        }
        for m in page.object_list
    ]
    waiting_rows = [
        {
            "id": w.pk,
            "email": w.email,
            "role": w.role,
            "person": w.person.name if w.person else None,
            "since": w.created_at,
        }
        for w in waiting(membership.workspace)
    ]
    here = reverse("logins_json", args=[membership.workspace.slug])
    return JsonResponse(
        {
            "count": page.paginator.count,
            **where_it_is(page, here, {}),
            "logins": rows,
            "waiting": waiting_rows,
        }
    )


@workspace_view(OWNER)
def invite(request, membership):
    workspace = membership.workspace
    form = InviteForm(posted(request))
    context = {"form": form, "link_days": actions.link_days(), "warnings": []}
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        role = role or actions.peoples_role(workspace, email)
        asked = f"{email.lower()} {role}"  # what the page asked about, in its hidden field
        # Someone in the workspace already is told so first, not warned of what inviting does.
        warnings = (
            [] if actions.already_in(workspace, email) else invite_warnings(workspace, email, role)
        )
        if warnings and request.POST.get("confirmed") != asked:
            context.update(warnings=warnings, confirmed=asked)
            return render(request, "workspaces/logins_invite.html", context)
        try:
            invitation = actions.invite(workspace, email, role, invited_by=request.user)
        except actions.LoginError as error:
            form.add_error("email", str(error))
        else:
            return invited(request, invitation)
    return render(request, "workspaces/logins_invite.html", context, status=form_status(form))


def invite_warnings(workspace, email: str, role: str) -> list[str]:
    """What the page says before inviting, to be confirmed: a login that owns the workspace, or
    one for an address nobody in People has (an outside address is given access as easily)."""
    found = []
    if role == Role.OWNER:
        found.append(
            f"{email} will be an owner of {workspace.name}: they can change every setting, the "
            "anonymity threshold included, give and remove logins, and erase people."
        )
    if not workspace.people.filter(email__iexact=email).exists():
        label = Role(role).label.lower()
        article = "an" if label[0] in "aeiou" else "a"  # "an owner", "an editor"
        found.append(
            f"Nobody in People has the address {email}: the login will be linked to no one, so "
            f"no check-in asks it, and it reads what {article} {label} reads."
        )
    return found


def invited(request, invitation: actions.Invitation):
    """Say what happened; a link that could not be emailed is shown this once, to hand over
    (and is in the server's output or its email files too, where the server prints emails or
    writes them to files rather than send them: actions.KEPT)."""
    member = invitation.membership
    name, role = member.user.username, member.get_role_display().lower()
    if invitation.sent:
        told = (
            "with a link to choose a password" if invitation.link else "that they now have access"
        )
        messages.success(request, f"{name} can log in as {role}; we emailed them {told}.")
    elif invitation.link:
        context = {"invitation": invitation, "link_days": actions.link_days()}
        return render(request, "workspaces/logins_link.html", context)
    elif invitation.kept:
        messages.warning(
            request,
            f"{name} can log in as {role}. The email telling them was {invitation.kept}: tell "
            "them yourself.",
        )
    else:
        messages.warning(
            request,
            f"{name} can log in as {role}, but the email telling them could not be sent "
            f"({invitation.problem}): tell them yourself.",
        )
    return redirect("logins", member.workspace.slug)


@post_only
@workspace_view(OWNER)
def resend(request, membership, membership_id):
    member = get_object_or_404(membership.workspace.memberships, pk=membership_id)
    try:
        return invited(request, actions.resend(member, invited_by=request.user))
    except actions.LoginError as error:
        messages.error(request, str(error))
        return redirect("logins", membership.workspace.slug)


@post_only
@workspace_view(OWNER)
def unlock(request, membership, membership_id):
    """Let a login of the workspace in again now, after too many wrong passwords."""
    member = get_object_or_404(membership.workspace.memberships, pk=membership_id)
    username = member.user.username
    if throttling.unlock(username):
        messages.success(request, f"Unlocked {username}: they can log in again now.")
    else:
        messages.info(request, f"{username} was not locked out.")
    return redirect("logins", membership.workspace.slug)


@post_only
@workspace_view(OWNER)
def send_waiting(request, membership, waiting_id):
    """Send an invitation an import left waiting (see truenorth/exchange/load.py)."""
    invitation = get_object_or_404(membership.workspace.waiting_invitations, pk=waiting_id)
    try:
        return invited(request, actions.send_waiting(invitation, invited_by=request.user))
    except actions.LoginError as error:
        messages.error(request, f"{error} Discard the waiting invitation instead.")
        return redirect("logins", membership.workspace.slug)


@post_only
@workspace_view(OWNER)
def discard_waiting(request, membership, waiting_id):
    invitation = get_object_or_404(membership.workspace.waiting_invitations, pk=waiting_id)
    invitation.delete()
    messages.success(request, f"{invitation.email} will not be invited.")
    return redirect("logins", membership.workspace.slug)


@post_only
@workspace_view(OWNER)
def change_role(request, membership, membership_id):
    member = get_object_or_404(membership.workspace.memberships, pk=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("logins", membership.workspace.slug)
    try:
        actions.change_role(member, form.cleaned_data["role"], by=request.user)
    except actions.LoginError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member.user.username} is now {member.get_role_display()}.")
    return leave_if_no_longer_owner(request, membership)


@post_only
@workspace_view(OWNER)
def remove(request, membership, membership_id):
    member = get_object_or_404(membership.workspace.memberships, pk=membership_id)
    if request.POST.get("confirm") != "yes":  # the page asks first, under "Remove access…"
        messages.error(request, f"Confirm removing {member.user.username}'s access first.")
        return redirect("logins", membership.workspace.slug)
    try:
        actions.remove(member, by=request.user)
    except actions.LoginError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{member.user.username} can no longer log in to {member.workspace.name}."
        )
    return leave_if_no_longer_owner(request, membership)


def leave_if_no_longer_owner(request, membership):
    """Back to the Logins page, unless the owner just gave up their own ownership."""
    if Membership.objects.filter(pk=membership.pk, role=Role.OWNER).exists():
        return redirect("logins", membership.workspace.slug)
    return redirect("home")


patterns = [
    path("logins/", logins, name="logins"),
    path("logins.json", logins_json, name="logins_json"),
    path("logins/invite/", invite, name="invite_login"),
    path("logins/<int:membership_id>/role/", change_role, name="change_login_role"),
    path("logins/<int:membership_id>/remove/", remove, name="remove_login"),
    path("logins/<int:membership_id>/resend/", resend, name="resend_login_link"),
    path("logins/<int:membership_id>/unlock/", unlock, name="unlock_login"),
    path("logins/waiting/<int:waiting_id>/send/", send_waiting, name="send_waiting_invitation"),
    path(
        "logins/waiting/<int:waiting_id>/discard/",
        discard_waiting,
        name="discard_waiting_invitation",
    ),
]


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """An invitation's link: choose a first password, and be logged in."""

    template_name = "registration/password_set.html"
    form_class = ChoosePasswordForm
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set; you are logged in.")
        return response


class LogInView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        # A server with no login at all was just installed: say how its first one is made.
        first_login = not get_user_model().objects.exists()
        return super().get_context_data(**kwargs) | {"first_login": first_login}


class LogOutView(auth_views.LogoutView):
    """Logging out is a POST, as Django asks, so that no link or image can log anyone out. A
    visit (a typed or bookmarked /logout/) gets a page with the button, where Django's view
    answers an empty 405: a blank page."""

    http_method_names = ["get", "head", "post"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/log_out.html")


# Under /password/. Django's own views, with the templates in templates/registration/.
password_patterns = [
    path(
        "change/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path("change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "reset/",
        # The form makes and sends the email itself, never within the request.
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path("reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=ChoosePasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("set/<uidb64>/<token>/", SetPasswordView.as_view(), name="password_set"),
]
