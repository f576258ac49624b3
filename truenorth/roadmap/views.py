from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.forms import InitiativeForm
from truenorth.roadmap.models import STATUS_MEANING, Status, Visibility
from truenorth.workspaces.access import PARTNER_VISIBLE, WRITE, workspace_view
from truenorth.workspaces.models import Membership


def visible_initiatives(membership: Membership):
    """Partners see only what is shared with partners; everyone else sees the whole roadmap."""
    initiatives = membership.workspace.initiatives.select_related("goal", "team")
    if not membership.can_read_internal:
        initiatives = initiatives.filter(visibility__in=[Visibility.PARTNER, Visibility.PUBLIC])
    return initiatives


@workspace_view(PARTNER_VISIBLE)
def roadmap(request, membership):
    initiatives = visible_initiatives(membership)
    goals, selected_goal = [], None
    if membership.can_read_internal:
        goals = list(membership.workspace.goals.all())
        goal_id = request.GET.get("goal", "")
        if goal_id.isdigit():
            selected_goal = next((g for g in goals if g.pk == int(goal_id)), None)
        if selected_goal:
            initiatives = initiatives.filter(goal=selected_goal)
    columns = [
        {
            "status": s,
            "meaning": STATUS_MEANING[s],
            "initiatives": [i for i in initiatives if i.status == s],
        }
        for s in Status
    ]
    context = {"columns": columns, "goals": goals, "selected_goal": selected_goal}
    return render(request, "roadmap/roadmap.html", context)


@workspace_view(PARTNER_VISIBLE)
def initiative(request, membership, initiative_id):
    shown = get_object_or_404(visible_initiatives(membership), pk=initiative_id)
    changes = shown.changes.all() if membership.can_read_internal else []
    return render(request, "roadmap/initiative.html", {"initiative": shown, "changes": changes})


@workspace_view(WRITE)
def edit_initiative(request, membership, initiative_id=None):
    workspace = membership.workspace
    instance = get_object_or_404(workspace.initiatives, pk=initiative_id) if initiative_id else None
    form = InitiativeForm(request.POST or None, instance=instance, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        saved = save_initiative(form.instance, by=request.user)
        messages.success(request, f"Saved “{saved.title}”.")
        return redirect("initiative", workspace.slug, saved.pk)
    return render(request, "roadmap/initiative_form.html", {"form": form, "initiative": instance})
