from django.contrib import messages
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from truenorth.exports import csv_response
from truenorth.roadmap import overruns
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.forms import InitiativeForm, OverrunQuery
from truenorth.roadmap.models import STATUS_MEANING, Status, Visibility
from truenorth.workspaces.access import INTERNAL, PARTNER_VISIBLE, WRITE, workspace_view
from truenorth.workspaces.figures import cached_html
from truenorth.workspaces.models import Membership


def visible_initiatives(membership: Membership):
    """Partners see only what is shared with partners; everyone else sees the whole roadmap."""
    initiatives = membership.workspace.initiatives.select_related("goal", "team")
    if not membership.can_read_internal:
        initiatives = initiatives.filter(visibility__in=[Visibility.PARTNER, Visibility.PUBLIC])
    return initiatives


@workspace_view(PARTNER_VISIBLE)
def roadmap(request, membership):
    goals, selected_goal = [], None
    if membership.can_read_internal:
        goals = list(membership.workspace.goals.all())
        goal_id = request.GET.get("goal", "")
        if goal_id.isdigit():
            selected_goal = next((g for g in goals if g.pk == int(goal_id)), None)

    def board() -> dict:
        initiatives = visible_initiatives(membership)
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
        internal = membership.can_read_internal
        return {"columns": columns, "workspace": membership.workspace, "show_goals": internal}

    readers = "internal" if membership.can_read_internal else "partners"
    name = f"roadmap:{readers}:{selected_goal.pk if selected_goal else 'all'}"
    context = {
        "board": cached_html(membership.workspace, name, "roadmap/board.html", board),
        "goals": goals,
        "selected_goal": selected_goal,
    }
    return render(request, "roadmap/roadmap.html", context)


@workspace_view(PARTNER_VISIBLE)
def initiative(request, membership, initiative_id):
    shown = get_object_or_404(visible_initiatives(membership), pk=initiative_id)
    context = {"initiative": shown, "changes": [], "overrun": None}
    if membership.can_read_internal:
        context["changes"] = shown.changes.all()
        context["overrun"] = overruns.initiative_overrun(shown)
        context["points"] = overruns.tracker_points(shown.work_items).get(shown.pk)
    return render(request, "roadmap/initiative.html", context)


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


def _overrun_query(request, membership) -> OverrunQuery:
    return OverrunQuery(request.GET, workspace=membership.workspace)


def _bad_query(query: OverrunQuery) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(query.error_text(), content_type="text/plain; charset=utf-8")


@workspace_view(INTERNAL)
def overrun_page(request, membership):
    query = _overrun_query(request, membership)
    if not query.is_valid():
        return _bad_query(query)
    workspace = membership.workspace
    team, goal = query.cleaned_data["team"], query.cleaned_data["goal"]

    def page() -> dict:
        summary = overruns.cached_overrun_summary(workspace)
        rows = [
            row
            for row in summary["initiatives"]
            if (team is None or row["team_id"] == team.pk)
            and (goal is None or row["goal_id"] == goal.pk)
        ]
        return {
            "summary": summary,
            "rows": rows,
            "query": query,
            "teams": workspace.teams.all(),
            "goals": workspace.goals.all(),
            "rules": overruns.RULES,
            "workspace": workspace,
        }

    name = f"overruns:{team.pk if team else 'all'}:{goal.pk if goal else 'all'}"
    body = cached_html(workspace, name, "roadmap/overruns_body.html", page)
    return render(request, "roadmap/overruns.html", {"body": body})


@workspace_view(INTERNAL)
def overrun_json(request, membership):
    return JsonResponse(overruns.cached_overrun_summary(membership.workspace))


@workspace_view(INTERNAL)
def overrun_csv(request, membership):
    query = _overrun_query(request, membership)
    if not query.is_valid():
        return _bad_query(query)
    table = query.cleaned_data["table"] or "initiatives"
    header, rows = overruns.csv_table(overruns.cached_overrun_summary(membership.workspace), table)
    return csv_response(f"{membership.workspace.slug}-overruns-{table}.csv", header, rows)
