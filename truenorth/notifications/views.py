"""The notifications' pages: the log and one's own choices (internal readers), and the
workspace's webhooks (owners, who also set the updates' webhook in the settings)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render

from truenorth.notifications import actions, audience
from truenorth.notifications.forms import WebhookForm
from truenorth.notifications.models import Delivery, Event
from truenorth.refusals import read_only, refused
from truenorth.workspaces.access import INTERNAL, OWNER, workspace_view

RECENT = 50
POSTS_SHOWN = 5  # a webhook's, on its page; the API gives the whole log


def recent(membership):
    """The log for those who steer (owner, editor); nothing for the others."""
    if not membership.can_write:
        return []
    found = membership.workspace.notifications.select_related("team")
    return list(found.prefetch_related("deliveries")[:RECENT])


def no_person(membership) -> str:
    if membership.person is None:
        return (
            "Your login is not linked to a person of this workspace, so there is no address "
            "to write to. An owner can link it on the Logins page."
        )
    if not audience.internal_people(membership.workspace).filter(pk=membership.person_id):
        return (
            "Notifications go by email to people of the organisation only, with an email "
            "address, who are still here."
        )
    return ""


@workspace_view(INTERNAL)
def notifications(request, membership):
    person, why_not = membership.person, no_person(membership)
    if request.method == "POST":
        if why_not:
            return refused(request, why_not)
        chosen = set(request.POST.getlist("events"))
        unknown = chosen - set(Event.values)
        if unknown:
            return refused(request, f"No such event: {', '.join(sorted(unknown))}.")
        try:
            actions.set_preferences(person, {event: event in chosen for event in Event.values})
        except actions.Refused as refusal:
            return refused(request, str(refusal))
        messages.success(request, "Saved: you hear by email of what is ticked.")
        return redirect("notifications", membership.workspace.slug)
    mine = person is not None and not why_not
    choices = audience.preferences(person) if mine else {}
    closed = audience.closed_to(person) if mine else {}
    events = [(v, label, choices.get(v, False), closed.get(v, "")) for v, label in Event.choices]
    context = {"log": recent(membership), "events": events, "why_not": why_not}
    return render(request, "notifications/notifications.html", context)


@workspace_view(INTERNAL)
@read_only
def notifications_json(request, membership):
    """The page's JSON twin: the events, the login's own choices, and for owners and editors
    the recent notifications with their deliveries."""
    person, why_not = membership.person, no_person(membership)
    return JsonResponse(
        {
            "events": [{"event": v, "label": str(label)} for v, label in Event.choices],
            "mine": audience.preferences(person) if person is not None and not why_not else None,
            # The events this login cannot hear of, each with who can.
            "closed": audience.closed_to(person) if person is not None and not why_not else {},
            "why_not": why_not or None,
            "notifications": [actions.notification_json(n) for n in recent(membership)],
        }
    )


@workspace_view(OWNER)
def webhooks(request, membership):
    workspace = membership.workspace
    teams = list(workspace.teams.order_by("name"))
    form = WebhookForm(teams=teams)
    if request.method == "POST":
        what = request.POST.get("what", "add")
        if what in ("remove", "test", "resend"):
            hook = workspace.webhooks.filter(pk=pk_of(request.POST.get("webhook"))).first()
            if hook is None:
                return refused(request, "No such webhook in this workspace.")
            if what == "remove":
                hook.delete()
                messages.success(request, f"Removed the webhook at {hook.host}.")
            elif what == "test":
                row = actions.test_webhook(hook)
                tell = messages.error if row.error else messages.success
                tell(request, f"Test message: {actions.answered(row)}")
            else:
                row = hook.deliveries.filter(pk=pk_of(request.POST.get("delivery"))).first()
                if row is None:
                    return refused(request, "No such delivery of this webhook.")
                try:
                    actions.resend(row)
                except actions.Refused as refusal:
                    return refused(request, str(refusal).capitalize() + ".", 409)
                tell = messages.error if row.error else messages.success
                tell(request, f"Sent delivery {row.pk} again: {actions.answered(row)}")
            return redirect("notification_webhooks", workspace.slug)
        if what != "add":
            return refused(request, "Say what to do: add, remove, test or resend.")
        form = WebhookForm(request.POST, teams=teams)
        if form.is_valid():
            data = form.cleaned_data
            team = next((t for t in teams if str(t.pk) == data["team"]), None)
            try:
                hook = actions.add_webhook(
                    workspace,
                    data["url"],
                    data["events"],
                    team,
                    data["name"],
                    request.user,
                    data["signed"],
                )
            except actions.Refused as refusal:
                form.add_error("url", str(refusal))
            else:
                host = hook.host
                if hook.signed:  # its secret is shown on this answer, and never again
                    context = {"hook": actions.webhook_json(hook), "secret": hook.secret}
                    return render(request, "notifications/webhook_secret.html", context, status=201)
                messages.success(request, f"Added the webhook at {host}.")
                return redirect("notification_webhooks", workspace.slug)
        status = 400
    else:
        status = 200
    posts = recent_posts(workspace)
    hooks = workspace.webhooks.select_related("team")
    context = {
        "form": form,
        "webhooks": [{**actions.webhook_json(h), "posts": posts.get(h.pk, [])} for h in hooks],
    }
    return render(request, "notifications/webhooks.html", context, status=status)


def recent_posts(workspace) -> dict[int, list[Delivery]]:
    """The delivery log the page shows: the latest posts to the workspace's webhooks, at most
    POSTS_SHOWN a webhook, newest first, by webhook."""
    latest = Delivery.objects.filter(webhook__workspace=workspace).select_related("notification")
    by_hook: dict[int, list[Delivery]] = {}
    for row in latest.order_by("-created_at", "-pk")[:RECENT]:
        shown = by_hook.setdefault(row.webhook_id, [])
        if len(shown) < POSTS_SHOWN:
            shown.append(row)
    return by_hook


def pk_of(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None
