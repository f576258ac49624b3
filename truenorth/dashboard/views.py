from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render

from truenorth.dashboard.getting_started import getting_started, still_to_do
from truenorth.dashboard.signals import cached_dashboard
from truenorth.roadmap.models import InitiativeChange, Status
from truenorth.strategy.actions import current_vision
from truenorth.work.traceability import SUPPORTS_A_GOAL
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
    return JsonResponse(alignment_twin(membership.workspace))


def alignment_twin(workspace) -> dict:
    """The alignment page as data: its JSON twin's body, and the API's."""
    return cached_dashboard(workspace).as_dict()


@workspace_view(INTERNAL)
def overview(request, membership):
    """The workspace's front page: its vision, goals, roadmap by status, work and slips."""
    workspace, can_write = membership.workspace, membership.can_write

    def page() -> dict:
        items = workspace.work_items.aggregate(
            total=Count("id"),
            orphans=Count("id", filter=~SUPPORTS_A_GOAL),
        )
        by_status = workspace.initiatives.values_list("status").annotate(n=Count("id"))
        by_status = dict(by_status.order_by())
        slips = InitiativeChange.objects.filter(
            initiative__workspace=workspace,
            initiative__archived_at__isnull=True,
            field=InitiativeChange.Field.TARGET_DATE,
        )
        return {
            "vision": current_vision(workspace),
            "goals": workspace.goals.annotate(
                initiative_count=Count("initiatives", filter=Q(initiatives__archived_at=None))
            ),
            "status_counts": [(s, by_status.get(s.value, 0)) for s in Status],
            "items": items,
            "slips": slips.select_related("initiative").order_by("-changed_at")[:5],
            "people_count": workspace.people.filter(active=True).count(),
            "orphan_share": round(100 * items["orphans"] / items["total"])
            if items["total"]
            else None,
            "moved_count": slips.values("initiative").distinct().count(),
            # Check-in results are for the roles that may read them (members may not).
            "line_of_sight": line_of_sight(workspace) if can_read_results else None,
            "workspace": workspace,
            "can_write": can_write,
        }

    can_read_results = membership.can_read_results
    audience = "editors" if can_write else "results" if can_read_results else "readers"
    name = f"overview:{audience}"
    body = cached_html(workspace, name, "dashboard/overview_body.html", page)
    # Outside the cached body: a pulse sent changes no figure, yet ticks its step.
    steps = getting_started(workspace)
    context = {"body": body, "steps": None, "steps_left": still_to_do(steps)}
    if context["steps_left"]:
        context["steps"] = steps
    return render(request, "dashboard/overview.html", context)


def line_of_sight(workspace):
    """The company's line of sight, from the check-in the alignment dashboard chose (sources.py)."""
    signals = cached_dashboard(workspace).individual
    return next((s for s in signals if s.key == "line_of_sight.linked"), None)
