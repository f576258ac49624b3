"""Outbound webhooks, for the workspace's owners as their page shows them: each webhook by its
host (the address is a secret, kept sealed and never given back), and its delivery log: each
post's status, the HTTP code of its last answer, the tries it took and, while it waits, when it
is tried again. A webhook is added (a signed one's secret given once), tested and removed, and a
failed delivery sent again, as on its page."""

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
from truenorth.workspaces.access import OWNER

router = Router(tags=["webhooks"])


class WebhookOut(Schema):
    id: int
    name: str
    host: str
    team: str | None
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
        return [webhook_json(hook) for hook in self.hooks[rows]]


@router.get("/workspaces/{slug}/webhooks", response=responses(list[WebhookOut]))
@paginate(Pages)
def list_webhooks(request, slug: str):
    """The workspace's webhooks and their teams' (owners only)."""
    workspace = membership(request, slug, OWNER).workspace
    return Hooks(workspace.webhooks.select_related("team").order_by("pk"))


@router.get("/workspaces/{slug}/webhooks/{webhook_id}", response=responses(WebhookOut))
def get_webhook(request, slug: str, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    """One webhook, as the list gives it: by its host (owners only)."""
    workspace = membership(request, slug, OWNER).workspace
    return webhook_json(get_object_or_404(workspace.webhooks.select_related("team"), pk=webhook_id))


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
        raise refused("webhook", "url", str(refusal).capitalize() + ".") from None
    return HttpStatus(201, {**webhook_json(hook), "secret": hook.secret or None})


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
        raise ApiProblem(409, "Not failed", str(refusal).capitalize() + ".") from None


@router.delete("/workspaces/{slug}/webhooks/{webhook_id}", response=responses(None, 204))
def remove_webhook(request, slug: str, webhook_id: int = HOOK):
    """Remove it, with its delivery log (owners; a write token)."""
    workspace = membership(request, slug, OWNER).workspace
    get_object_or_404(workspace.webhooks, pk=webhook_id).delete()
    return HttpStatus(204, None)
