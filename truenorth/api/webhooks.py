"""Outbound webhooks, for the workspace's owners as their page shows them: each webhook by its
host (the address is a secret, never given back), and its delivery log: each post's status, the
HTTP code of its last answer, the tries it took and, while it waits, when it is tried again."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from truenorth.api.core import Pages, membership, responses
from truenorth.ids import MAX_ID
from truenorth.notifications.actions import webhook_json
from truenorth.notifications.models import Delivery
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


class DeliveryOut(Schema):
    id: int
    notification: int
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


@router.get(
    "/workspaces/{slug}/webhooks/{webhook_id}/deliveries", response=responses(list[DeliveryOut])
)
@paginate(Pages)
def list_deliveries(request, slug: str, webhook_id: int = Path(..., ge=1, le=MAX_ID)):
    """One webhook's delivery log, newest first (owners only)."""
    workspace = membership(request, slug, OWNER).workspace
    hook = get_object_or_404(workspace.webhooks, pk=webhook_id)
    return hook.deliveries.select_related("notification").order_by("-created_at", "-pk")
