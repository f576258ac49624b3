from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse

from truenorth.charts import day, number
from truenorth.exports import csv_response
from truenorth.refusals import form_status, labelled_problems, post_only, posted, read_only
from truenorth.sending import in_quotes
from truenorth.strategy import pace
from truenorth.strategy.actions import (
    add_goal,
    archive_goal,
    current_vision,
    move_goal,
    publish_vision,
    restore_goal,
    save_goal,
    what_archiving_leaves,
)
from truenorth.strategy.clarity import (
    clarity_of_goal,
    clarity_of_vision,
    glossary_names,
    goal_fields,
    vision_fields,
)
from truenorth.strategy.forms import GoalForm, GoalMeasurementForm, VisionForm
from truenorth.strategy.models import Goal
from truenorth.strategy.targets import Target
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view


@workspace_view(INTERNAL)
@read_only
def vision(request, membership, number=None):
    versions = membership.workspace.visions.all()
    shown = get_object_or_404(versions, number=number) if number else versions.first()
    glossary = glossary_names(membership.workspace)
    clarity = clarity_of_vision(vision_fields(shown), glossary) if shown else None
    context = {"vision": shown, "versions": versions, "clarity": clarity}
    return render(request, "strategy/vision.html", context)


@workspace_view(WRITE)
def edit_vision(request, membership):
    workspace = membership.workspace
    form = VisionForm(
        posted(request), instance=None, initial=vision_fields(current_vision(workspace))
    )
    if request.method == "POST" and form.is_valid():
        form.instance.workspace = workspace
        version = publish_vision(form.instance, by=request.user)
        messages.success(request, f"Published vision version {version.number}.")
        return redirect("vision", workspace.slug)
    # Check what the editor is looking at: their unsaved text after a failed POST, else the prefill.
    fields = form.data if form.is_bound else form.initial
    clarity = clarity_of_vision(fields, glossary_names(workspace))
    context = {"form": form, "clarity": clarity}
    return render(request, "strategy/vision_form.html", context, status=form_status(form))


@post_only
@workspace_view(WRITE)
def vision_clarity(request, membership):
    """The clarity panel for the form's unsaved fields, so the edit page can re-check as you type."""
    clarity = clarity_of_vision(request.POST, glossary_names(membership.workspace))
    return render(request, "strategy/clarity.html", {"clarity": clarity, "editing": True})


@workspace_view(INTERNAL)
@read_only
def goals(request, membership):
    return goals_page(request, membership)


def goals_page(request, membership, refused_measurement=None):
    """The goals; with `refused_measurement` (a form that did not validate), a 400 that shows
    its goal's measurement form open, holding what was typed and saying why."""
    goal_list = list(membership.workspace.goals.prefetch_related("initiatives", "measurements"))
    glossary = glossary_names(membership.workspace)
    leaves = what_archiving_leaves(membership.workspace)
    for goal in goal_list:
        goal.clarity = clarity_of_goal(goal_fields(goal), glossary)
        goal.pace = pace.of_goal(goal)
        goal.archiving_leaves = archiving_leaves(goal, leaves)
        if refused_measurement and refused_measurement.goal.pk == goal.pk:
            goal.refused_measurement = {
                "data": refused_measurement.data,
                "problems": labelled_problems(refused_measurement, "Measurement"),
            }
    archived = Goal.all_objects.filter(workspace=membership.workspace, archived_at__isnull=False)
    context = {"goals": goal_list, "archived_count": archived.count()}
    status = 400 if refused_measurement else 200
    return render(request, "strategy/goals.html", context, status=status)


@workspace_view(INTERNAL)
@read_only
def goals_json(request, membership):
    """The goals page's JSON twin: the goals in rank order, with their names, clarity and pace."""
    rows = []
    glossary = glossary_names(membership.workspace)
    for goal in membership.workspace.goals.prefetch_related("initiatives", "measurements"):
        fields = goal_fields(goal)
        clarity = clarity_of_goal(fields, glossary)
        rows.append(
            {
                "id": goal.pk,
                "rank": goal.rank,
                **fields,
                "clarity": {"score": clarity.score, "missing": clarity.missing},
                "initiatives": len(goal.initiatives.all()),
                "pace": pace.of_goal(goal).as_dict(),
            }
        )
    return JsonResponse({"goals": rows})


@workspace_view(INTERNAL)
@read_only
def goals_csv(request, membership):
    """The goals page as a spreadsheet: the active goals in rank order, each with its latest
    measurement and whether it is on track (strategy.pace)."""
    header = [
        "rank",
        "goal",
        "why",
        "why now",
        "metric",
        "target",
        "period",
        "also called",
        "clarity",
        "initiatives",
        "latest",
        "measured on",
        "verdict",
        "pace",
    ]
    rows = []
    glossary = glossary_names(membership.workspace)
    for goal in membership.workspace.goals.prefetch_related("initiatives", "measurements"):
        fields = goal_fields(goal)
        found = pace.of_goal(goal)
        latest = found.latest
        rows.append(
            [
                goal.rank,
                goal.title,
                goal.why,
                goal.why_now,
                goal.metric,
                goal.target,
                goal.period,
                "; ".join(goal.names),
                clarity_of_goal(fields, glossary).score,
                len(goal.initiatives.all()),
                number(latest.value, found.unit) if latest else "",
                latest.on.isoformat() if latest else "",
                found.label,
                found.detail,
            ]
        )
    return csv_response(f"{membership.workspace.slug}-goals.csv", header, rows)


@workspace_view(WRITE)
def edit_goal(request, membership, goal_id=None):
    workspace = membership.workspace
    goal = get_object_or_404(workspace.goals, pk=goal_id) if goal_id else None
    form = GoalForm(posted(request), instance=goal, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        form.instance.workspace = workspace
        target = form.new_target
        saved = save_goal(form.instance, target) if goal else add_goal(form.instance, target)
        messages.success(request, f"Saved goal {in_quotes(saved.title)}.{target_said(target)}")
        return redirect("goals", workspace.slug)
    fields = form.data if form.is_bound else goal_fields(goal)
    clarity = clarity_of_goal(fields, glossary_names(workspace))
    if goal:
        goal.archiving_leaves = archiving_leaves(goal, what_archiving_leaves(workspace))
    context = {"form": form, "goal": goal, "clarity": clarity}
    return render(request, "strategy/goal_form.html", context, status=form_status(form))


def target_said(target: Target | None) -> str:
    """The target value a save recorded, to say so beside "Saved goal …"."""
    if target is None or target.on is None:
        return ""
    return f" Its target value: {number(target.value, target.unit)} by {day(target.on)}."


@post_only
@workspace_view(WRITE)
def goal_clarity(request, membership):
    """The clarity panel for a goal form's unsaved fields, re-checked as the editor types."""
    clarity = clarity_of_goal(request.POST, glossary_names(membership.workspace))
    context = {"clarity": clarity, "about": "goal", "editing": True}
    return render(request, "strategy/clarity.html", context)


@post_only
@workspace_view(WRITE)
def reorder_goal(request, membership, goal_id):
    goal = get_object_or_404(membership.workspace.goals, pk=goal_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, "Say whether to move the goal up or down.")
    else:
        move_goal(goal, offset)
    return redirect("goals", membership.workspace.slug)


@post_only
@workspace_view(WRITE)
def record_measurement(request, membership, goal_id):
    """Record a value of the goal's metric (or its target) for its progress chart."""
    goal = get_object_or_404(membership.workspace.goals, pk=goal_id)
    form = GoalMeasurementForm(request.POST, goal=goal)
    if not form.is_valid():
        return goals_page(request, membership, refused_measurement=form)
    saved = form.save()
    what = "target" if saved.is_target else "measurement"
    value = number(saved.value, saved.unit)
    recorded = (
        f"Recorded {value} on {day(saved.measured_on)}, the {what} of {in_quotes(goal.title)}."
    )
    messages.success(request, recorded, extra_tags=goal.anchor)  # shown in the goal's card
    return redirect(reverse("goals", args=[membership.workspace.slug]) + f"#{goal.anchor}")


def archiving_leaves(goal: Goal, leaves: dict[int, list[str]]) -> list[str]:
    """What archiving the goal would leave serving no live goal, for its confirmation."""
    initiatives = len(goal.initiatives.all())  # the active ones, prefetched on the goals page
    said = [
        f"{initiatives} initiative{pluralize(initiatives)} linked to it would serve no live goal"
    ]
    return (said if initiatives else []) + leaves.get(goal.pk, [])


def any_goal(membership, goal_id) -> Goal:
    """A goal of the workspace, archived or not."""
    return get_object_or_404(Goal.all_objects.filter(workspace=membership.workspace), pk=goal_id)


@post_only
@workspace_view(WRITE)
def archive(request, membership, goal_id):
    goal = any_goal(membership, goal_id)
    if archive_goal(goal):  # archiving twice (two tabs) does nothing the second time
        messages.success(request, f"Archived {in_quotes(goal.title)}; restore it from Archived.")
    return redirect("goals", membership.workspace.slug)


@post_only
@workspace_view(WRITE)
def restore(request, membership, goal_id):
    goal = any_goal(membership, goal_id)
    if restore_goal(goal):
        messages.success(request, f"Restored {in_quotes(goal.title)} as goal #{goal.rank}.")
    return redirect("goals", membership.workspace.slug)
