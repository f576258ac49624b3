"""Outbound webhooks, for the workspace's owners as their page shows them: each webhook by its
host (the address is a secret, kept sealed and never given back), and its delivery log: each
post's status, the HTTP code of its last answer, the tries it took and, while it waits, when it
is tried again. A webhook is added (a signed one's secret given once), tested and removed, and a
failed delivery sent again, as on its page; here it is also paused, renamed or re-aimed."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from truenorth.api.core import AnId, ApiProblem, Pages, Problem, membership, responses
from truenorth.api.forms import refused
from truenorth.api.strict import StrictBody
from truenorth.ids import MAX_ID
from truenorth.notifications import actions
from truenorth.notifications.actions import webhook_json
from truenorth.notifications.models import Delivery, Event
from truenorth.notifications.views import POSTS_SHOWN
from truenorth.workspaces.access import OWNER

router = Router(tags=["webhooks"])


class WebhookOut(Schema):
    id: int
    name: str
    host: str
    team: str | None
    team_id: int | None = Field(description="The same team by id, as a write takes it.")
    events: list[str]
    active: bool
    signed: bool
    unreadable: bool = Field(
        description="Saved under another server secret key (a restore): its address and secret "
        "cannot be read, nothing is posted to it; remove it and add it again."
    )


class DeliveryOut(Schema):
    id: int = Field(description="The delivery's id: a signed post's X-Truenorth-Delivery header.")
    notification: int = Field(description="The notification's id: a signed post's body's `id`.")
    event: str
    title: str
    status: str
    attempts: int
    response_code: int | None
    error: str
    created_at: datetime
    sent_at: datetime | None
    next_try_at: datetime | None
    tried_from: Literal["web", "worker", "command"] | None = Field(
        description="The process that made its latest try, with its own settings: the web "
        "server, a worker, or the command line (a change made with `truenorth`); null before "
        "this was recorded."
    )

    @staticmethod
    def resolve_tried_from(row: Delivery) -> str | None:
        return row.tried_from or None

    @staticmethod
    def resolve_notification(row: Delivery) -> int:
        return row.notification_id

    @staticmethod
    def resolve_event(row: Delivery) -> str:
        return row.notification.event

    @staticmethod
    def resolve_title(row: Delivery) -> str:
        return row.notification.title


class Hooks:
    """Each webhook as its page lists it, made only for the rows of the page asked for."""

    def __init__(self, hooks):
        self.hooks = hooks

    def __len__(self) -> int:
        return self.hooks.count()

    def __getitem__(self, rows: slice) -> list[dict]:
        return [hook_json(hook) for hook in self.hooks[rows]]


def hook_json(hook) -> dict:
    """A webhook as its page lists it, with its team's id as a write takes it."""
    return {**webhook_json(hook), "team_id": hook.team_id}


@router.get("/workspaces/{slug}/webhooks", response=responses(list[WebhookOut]))
@paginate(Pages)
def list_webhooks(request, slug: str):
    """The workspace's webhooks and their teams' (owners only)."""
    workspace = membership(request, slug, OWNER).workspace
    return Hooks(workspace.webhooks.select_related("team").order_by("pk"))


class WebhookDetail(WebhookOut):
    latest_deliveries: list[DeliveryOut] = Field(
        description=f"Its latest {POSTS_SHOWN} posts, newest first, as its page shows them; the whole "
        "log is GET /webhooks/{id}/deliveries."
    )
    delivery_count: int = Field(description="How many posts its log holds in all.")


@router.get("/workspaces/{slug}/webhooks/{webhook_id}", response=responses(WebhookDetail))
def get_webhook(request, slug: str, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    """One webhook, as the list gives it (by its host), with its latest posts (owners only)."""
    workspace = membership(request, slug, OWNER).workspace
    return webhook_detail(
        get_object_or_404(workspace.webhooks.select_related("team"), pk=webhook_id)
    )


def webhook_detail(hook) -> dict:
    log = hook.deliveries.select_related("notification").order_by("-created_at", "-pk")
    return {
        **hook_json(hook),
        "latest_deliveries": list(log[:POSTS_SHOWN]),
        "delivery_count": log.count(),
    }


@router.get(
    "/workspaces/{slug}/webhooks/{webhook_id}/deliveries", response=responses(list[DeliveryOut])
)
@paginate(Pages)
def list_deliveries(request, slug: str, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    """One webhook's delivery log, newest first (owners only)."""
    workspace = membership(request, slug, OWNER).workspace
    hook = get_object_or_404(workspace.webhooks, pk=webhook_id)
    return hook.deliveries.select_related("notification").order_by("-created_at", "-pk")


EventName = Literal[tuple(Event.values)]  # type: ignore[valid-type]
HOOK = Path(..., ge=1, le=MAX_ID)


class WebhookIn(StrictBody):
    url: str = Field(
        ...,
        max_length=500,
        description="https://… (http:// too where TRUENORTH_WEBHOOK_ALLOW_HTTP is set): a "
        "Slack-compatible incoming webhook, or a program's address. "
        "A secret: only its host is given back.",
    )
    events: list[EventName] = Field(..., min_length=1, description="What it hears of.")
    team: AnId | None = Field(
        None, description="A team's id: it hears only of that team's slips and decisions."
    )
    name: str = Field("", max_length=100, description="e.g. #leadership")
    signed: bool = Field(
        False, description="Each event as JSON signed with HMAC-SHA256, not a Slack message."
    )


class WebhookAdded(WebhookOut):
    secret: str | None = Field(
        description="A signed webhook's secret, given here once and never again; null otherwise."
    )


@router.post("/workspaces/{slug}/webhooks", response=responses(WebhookAdded, 201))
def add_webhook(request, slug: str, body: WebhookIn):
    """Add a webhook, as the Webhooks page does (owners; a write token)."""
    found = membership(request, slug, OWNER)
    team = None
    if body.team is not None:
        team = found.workspace.teams.filter(pk=body.team).first()
        if team is None:
            raise refused("webhook", "team", "No such team in this workspace.")
    try:
        hook = actions.add_webhook(
            found.workspace, body.url, body.events, team, body.name, request.user, body.signed
        )
    except actions.Refused as refusal:
        raise refused("webhook", "url", refusal.sentence()) from None
    return HttpStatus(201, {**hook_json(hook), "secret": hook.secret or None})


class WebhookPatch(StrictBody):
    """Only the fields sent change; null clears `name` and `team` (the whole workspace) and is
    a 400 for `active` and `events`, which a webhook cannot be without. A webhook as
    read may be sent back: `team_id` is taken as `team`, and the team's name beside it must be
    that team's or the one read; `id` must be its own, `signed` as read; its host and delivery
    log are ignored."""

    read_as = WebhookDetail
    changed_by = {"signed": "remove the webhook and add it again with signed set"}
    ids_of = {"team_id": "team"}
    named_in = {"team": "teams"}

    active: bool | None = Field(None, description="false pauses it (nothing is posted to it).")
    name: str | None = Field(None, max_length=100)
    events: list[EventName] | None = Field(None, description="At least one.")
    team: AnId | None = Field(None, description="A team's id; null: the whole workspace.")


NOT_CLEARED = {
    "active": "This field is true or false; null cannot clear it.",
    "events": "Choose at least one event, or set active to false to pause it.",
}


@router.patch("/workspaces/{slug}/webhooks/{webhook_id}", response=responses(WebhookOut))
def update_webhook(request, slug: str, body: WebhookPatch, webhook_id: int = HOOK):
    """Pause or resume it, rename it, or change its events or team, with the checks of adding
    one. Its address and secret stay: to change them, remove it and add it again (owners; a
    write token)."""
    workspace = membership(request, slug, OWNER).workspace
    hook = get_object_or_404(workspace.webhooks.select_related("team"), pk=webhook_id)
    body.check_as_read(webhook_detail(hook), "webhook", workspace=workspace)
    changes = body.dict(exclude_unset=True)
    for field in NOT_CLEARED:
        if field in changes and changes[field] is None:
            raise refused("webhook", field, NOT_CLEARED[field])
    if "name" in changes:
        changes["name"] = changes["name"] or ""
    if changes.get("team") is not None:
        changes["team"] = workspace.teams.filter(pk=changes["team"]).first()
        if changes["team"] is None:
            raise refused("webhook", "team", "No such team in this workspace.")
    try:
        return hook_json(actions.update_webhook(hook, changes))
    except actions.Refused as refusal:
        raise refused("webhook", "events", refusal.sentence()) from None


class TestedOut(Schema):
    status: Literal["sent", "failed"]
    response_code: int | None
    error: str


@router.post("/workspaces/{slug}/webhooks/{webhook_id}/test", response=responses(TestedOut))
def test_webhook(request, slug: str, webhook_id: int = HOOK):
    """Post a test message to it now, as the page's Test does, and say how it went."""
    workspace = membership(request, slug, OWNER).workspace
    row = actions.test_webhook(get_object_or_404(workspace.webhooks, pk=webhook_id))
    return {"status": row.status, "response_code": row.response_code, "error": row.error}


@router.post(
    "/workspaces/{slug}/webhooks/{webhook_id}/deliveries/{delivery_id}/resend",
    response={**responses(DeliveryOut), 409: Problem},
)
def resend_delivery(
    request, slug: str, webhook_id: int = HOOK, delivery_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Post a failed delivery again now: one more try of the same delivery (same id, its
    attempts one more), answered with how it went. 409 unless it failed (owners; a write
    token)."""
    workspace = membership(request, slug, OWNER).workspace
    hook = get_object_or_404(workspace.webhooks, pk=webhook_id)
    row = get_object_or_404(hook.deliveries.select_related("notification"), pk=delivery_id)
    try:
        return actions.resend(row)
    except actions.Refused as refusal:
        raise ApiProblem(409, "Not failed", refusal.sentence()) from None


@router.delete("/workspaces/{slug}/webhooks/{webhook_id}", response=responses(None, 204))
def remove_webhook(request, slug: str, webhook_id: int = HOOK):
    """Remove it, with its delivery log (owners; a write token)."""
    workspace = membership(request, slug, OWNER).workspace
    get_object_or_404(workspace.webhooks, pk=webhook_id).delete()
    return HttpStatus(204, None)
