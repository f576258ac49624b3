from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render

from truenorth.refusals import form_status, login_required, posted, read_only
from truenorth.workspaces.access import OWNER, workspace_view
from truenorth.workspaces.actions import (
    change_settings,
    create_workspace,
    current_settings,
    free_slug,
    lowering_warning,
    slug_of,
)
from truenorth.workspaces.forms import NewWorkspaceForm, SettingsForm
from truenorth.workspaces.models import MIN_ANONYMITY_THRESHOLD, Membership, Role


@login_required
@read_only
def home(request):
    memberships = list(Membership.objects.filter(user=request.user).select_related("workspace"))
    if len(memberships) == 1:
        return redirect(landing_page(memberships[0]), memberships[0].workspace.slug)
    return render(request, "workspaces/home.html", {"memberships": memberships})


def landing_page(membership: Membership) -> str:
    return "roadmap" if membership.role == Role.PARTNER else "overview"


# Its URL is kept sealed under the server's secret key: one restored under another cannot read it.
UNREADABLE_WEBHOOK = (
    "Saved, but this server's secret key cannot read it (it was saved under another key): paste "
    "the webhook's URL again. Until then nothing is posted to Slack."
)


@workspace_view(OWNER)
def workspace_settings(request, membership):
    workspace = membership.workspace
    initial = current_settings(workspace)
    webhook = current_settings(workspace, shown=True).get("slack_webhook_url")
    initial["slack_webhook_url"] = ""  # a secret: never put back into the page
    form = SettingsForm(posted(request), initial=initial)
    form.fields["slack_webhook_url"].help_text = (
        f"Set: the webhook at {webhook}. Paste another to replace it; leave blank to keep it."
        if webhook
        else UNREADABLE_WEBHOOK
        if workspace.slack_webhook_url is None
        else "A Slack-compatible incoming webhook that published updates are posted to."
    )
    if request.method == "POST" and form.is_valid():
        changes = change_settings(workspace, request.user, **form.changes(workspace))
        if changes:
            messages.success(request, "Changed " + "; ".join(map(str, changes)) + ".")
            if warning := lowering_warning(changes):
                messages.warning(request, warning)
        else:
            messages.info(request, "Nothing changed.")
        return redirect("workspace_settings", workspace.slug)
    context = {
        "form": form,
        "history": workspace.setting_changes.select_related("changed_by"),
        "minimum": MIN_ANONYMITY_THRESHOLD,
        "language_model": language_model(),
    }
    return render(request, "workspaces/settings.html", context, status=form_status(form))


@workspace_view(OWNER)
@read_only
def settings_json(request, membership):
    """The settings page's JSON twin: the current settings and every change, newest first."""
    workspace = membership.workspace
    history = [
        {
            "setting": change.setting,
            "old_value": change.old_value,
            "new_value": change.new_value,
            # As the page says them: an empty sender address is the server's default address.
            "old_in_words": change.old_in_words,
            "new_in_words": change.new_in_words,
            "changed_by": change.changed_by.username if change.changed_by else None,
            "changed_at": change.changed_at,
        }
        for change in workspace.setting_changes.select_related("changed_by")
    ]
    shown = current_settings(workspace, shown=True)  # the webhook by its host only
    return JsonResponse({"settings": shown, "language_model": language_model(), "history": history})


def language_model() -> dict:
    """The model that reads the workspace's texts, and the engine that runs it: the server's
    (TRUENORTH_EMBEDDING_MODEL and _ENGINE), shown here, never changed per workspace."""
    return {"model": settings.EMBEDDING_MODEL, "engine": settings.EMBEDDING_ENGINE}


@login_required
def new_workspace(request):
    """A new workspace, owned by the administrator who creates it."""
    if not request.user.is_staff:
        raise PermissionDenied("Only an administrator of this server creates workspaces.")
    form = NewWorkspaceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        name, typed = form.cleaned_data["name"], form.cleaned_data["slug"]
        # A slug left empty comes from the name: sent again, it names the workspace made then.
        same = {"workspace__slug": typed or slug_of(name)}
        if not typed:
            same["workspace__name"] = name.strip()
        mine = Membership.objects.filter(user=request.user, role=Role.OWNER, **same).first()
        if mine is not None:  # the same form sent again (Back, then resubmit): it exists
            messages.info(request, f"You created {mine.workspace.name} already; here it is.")
            return redirect("overview", mine.workspace.slug)
        user = request.user
        try:
            workspace = create_workspace(
                name,
                typed or free_slug(name),
                user.username,
                user.email,
                None,
                by=user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"Created {workspace.name}; you own it.")
            return redirect("overview", workspace.slug)
    return render(request, "workspaces/new.html", {"form": form}, status=form_status(form))
