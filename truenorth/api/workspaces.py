"""The workspaces the caller belongs to, with the caller's role in each."""

from ninja import Router, Schema

from truenorth.api.core import membership, responses
from truenorth.workspaces.access import PARTNER_VISIBLE
from truenorth.workspaces.models import Membership

router = Router(tags=["workspaces"])


class WorkspaceOut(Schema):
    slug: str
    name: str
    role: str
    time_zone: str
    anonymity_threshold: int


def workspace_out(found: Membership) -> dict:
    workspace = found.workspace
    return {
        "slug": workspace.slug,
        "name": workspace.name,
        "role": found.role,
        "time_zone": workspace.time_zone,
        "anonymity_threshold": workspace.anonymity_threshold,
    }


@router.get("/workspaces", response=responses(list[WorkspaceOut]))
def list_workspaces(request):
    """Every workspace the token's login belongs to, by slug."""
    found = Membership.objects.filter(user_id=request.auth.user_id).select_related("workspace")
    return [workspace_out(m) for m in found.order_by("workspace__slug")]


@router.get("/workspaces/{slug}", response=responses(WorkspaceOut))
def get_workspace(request, slug: str):
    return workspace_out(membership(request, slug, PARTNER_VISIBLE))
