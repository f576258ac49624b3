"""The notifications' pages: the log and one's own choices (internal readers), the
workspace's webhooks (owners, who also set the updates' webhook in the settings), and the page
of an email's unsubscribe link (anyone who has the link)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from truenorth.notifications import actions, audience, unsubscribe
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


def with_notes(log: list) -> list:
    """Each notification with `note`: queued, sending, failed or heard by nobody, in words (""
    when its deliveries say how it went)."""
    states = actions.sending_states(log)
    for notification in log:
        notification.note = actions.sending_note(
            notification, states.get(notification.pk, actions.DONE)
        )
    return log


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
        # Each event's choice as its radio buttons send it; an event not sent keeps its own.
        chosen = {event: request.POST[event] for event in Event.values if event in request.POST}
        before = audience.preferences(person)
        try:
            actions.set_preferences(person, chosen)
        except actions.Refused as refusal:
            return refused(request, str(refusal))
        changed = audience.changed_in_words(person, before, audience.preferences(person))
        if changed:
            messages.success(request, "Saved. " + "; ".join(changed) + ".")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("notifications", membership.workspace.slug)
    events = my_events(person) if person is not None and not why_not else []
    context = {"log": with_notes(recent(membership)), "events": events, "why_not": why_not}
    return render(request, "notifications/notifications.html", context)


def my_events(person) -> list[dict]:
    """Each event for the form: its choices, the one in force, or why the person cannot hear
    of it."""
    chosen, defaults = audience.preferences(person), audience.defaults(person)
    closed = audience.closed_to(person)
    return [
        {
            "value": value,
            "label": label,
            "options": audience.options(person, value, defaults[value]),
            "chosen": chosen[value],
            "closed": closed.get(value, ""),
            "also": audience.ALSO.get(value, ""),
        }
        for value, label in Event.choices
    ]


@workspace_view(INTERNAL)
@read_only
def notifications_json(request, membership):
    """The page's JSON twin: the events, the login's own choices, and for owners and editors
    the recent notifications with their deliveries."""
    person, why_not = membership.person, no_person(membership)
    return JsonResponse(
        {
            "events": [{"event": v, "label": str(label)} for v, label in Event.choices],
            # Each event: "all", "none" or "involved" (those the person is involved in).
            "mine": audience.preferences(person) if person is not None and not why_not else None,
            "defaults": audience.defaults(person) if person is not None and not why_not else None,
            # The events this login cannot hear of, each with who can.
            "closed": audience.closed_to(person) if person is not None and not why_not else {},
            # What a choice covers besides the notification: the update's own email.
            "also": audience.ALSO,
            "why_not": why_not or None,
            "notifications": actions.log_json(recent(membership)),
        }
    )


BAD_LINK = (
    "This unsubscribe link is not one this server made, or it was cut short: open the link "
    "from the email again, whole."
)


# A mail program's one-click unsubscribe (RFC 8058) posts to the link with no form token of
# ours; the link's signature is what lets it stop anything.
@csrf_exempt
@never_cache
def unsubscribe_page(request, token):
    """A visit asks with a button (a mail scanner that follows links stops nothing); a POST
    stops the link's event, or every notification email with what=all."""
    found = unsubscribe.read(token)
    if found is None:
        return refused(request, BAD_LINK)
    person, event = found
    stopped = ""
    if request.method == "POST":
        stopped = "all" if request.POST.get("what") == "all" else "one"
        events = Event.values if stopped == "all" else [event]
        actions.set_preferences(person, dict.fromkeys(events, audience.NONE))
    context = {
        "event": Event(event).label,
        "organisation": person.workspace.name,
        "workspace_slug": person.workspace.slug,  # its Notifications page turns them back on
    }
    response = render(request, "notifications/unsubscribe.html", context | {"stopped": stopped})
    response["Referrer-Policy"] = "no-referrer"  # the address is the key
    return response


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
                    return refused(request, refusal.sentence(), 409)
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
                form.add_error("url", refusal.sentence())
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
