from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render

from truenorth.dashboard.signals import cached_dashboard
from truenorth.roadmap.models import InitiativeChange, Status
from truenorth.strategy.actions import current_vision
from truenorth.workspaces.access import INTERNAL, RESULTS, workspace_view
from truenorth.workspaces.figures import cached_html


@workspace_view(RESULTS)
def alignment(request, membership):
    """The four levels of alignment on one page, each signal with its trend and evidence."""
    workspace = membership.workspace

    def page() -> dict:
        return {"board": cached_dashboard(workspace), "workspace": workspace}

    body = cached_html(workspace, "alignment", "dashboard/alignment_body.html", page)
    return render(request, "dashboard/alignment.html", {"body": body})


@workspace_view(RESULTS)
def alignment_json(request, membership):
    return JsonResponse(cached_dashboard(membership.workspace).as_dict())


@workspace_view(INTERNAL)
def overview(request, membership):
    """The workspace's front page: its vision, goals, roadmap by status, work and slips."""
    workspace, can_write = membership.workspace, membership.can_write

    def page() -> dict:
        items = workspace.work_items.aggregate(
            total=Count("id"),
            orphans=Count("id", filter=Q(goal__isnull=True) & Q(initiative__goal__isnull=True)),
        )
        by_status = workspace.initiatives.values_list("status").annotate(n=Count("id"))
        by_status = dict(by_status.order_by())
        slips = InitiativeChange.objects.filter(
            initiative__workspace=workspace, field=InitiativeChange.Field.TARGET_DATE
        )
        return {
            "vision": current_vision(workspace),
            "goals": workspace.goals.annotate(initiative_count=Count("initiatives")),
            "status_counts": [(s, by_status.get(s.value, 0)) for s in Status],
            "items": items,
            "slips": slips.select_related("initiative").order_by("-changed_at")[:5],
            "people_count": workspace.people.filter(active=True).count(),
            "workspace": workspace,
            "can_write": can_write,
        }

    name = f"overview:{'editors' if can_write else 'readers'}"
    body = cached_html(workspace, name, "dashboard/overview_body.html", page)
    return render(request, "dashboard/overview.html", {"body": body})
