from django.http import JsonResponse
from django.shortcuts import render

from truenorth.dashboard.signals import cached_dashboard
from truenorth.workspaces.access import RESULTS, workspace_view
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
