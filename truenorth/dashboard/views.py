from django.http import JsonResponse
from django.shortcuts import render

from truenorth.dashboard.signals import dashboard
from truenorth.workspaces.access import RESULTS, workspace_view


@workspace_view(RESULTS)
def alignment(request, membership):
    """The four levels of alignment on one page, each signal with its trend and evidence."""
    board = dashboard(membership.workspace)
    return render(request, "dashboard/alignment.html", {"board": board})


@workspace_view(RESULTS)
def alignment_json(request, membership):
    return JsonResponse(dashboard(membership.workspace).as_dict())
