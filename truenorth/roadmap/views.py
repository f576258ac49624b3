from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from truenorth.exports import csv_response
from truenorth.ids import as_id
from truenorth.paging import page_number
from truenorth.refusals import form_status, post_only, posted, read_only, refused
from truenorth.roadmap import imports, overruns
from truenorth.roadmap.actions import (
    archive_initiative,
    remove_milestone,
    restore_initiative,
    save_initiative,
    save_milestone,
    set_status_mapping,
)
from truenorth.roadmap.forms import (
    NO_TEAM,
    InitiativeForm,
    MilestoneForm,
    OverrunQuery,
    RoadmapImportForm,
    StatusMappingForm,
)
from truenorth.roadmap.models import (
    COMMITTED,
    SHARED_OUTSIDE,
    STATUS_MEANING,
    Initiative,
    Status,
)
from truenorth.sending import in_quotes
from truenorth.strategy.models import Goal
from truenorth.tabular import ignored_note
from truenorth.workspaces.access import INTERNAL, PARTNER_VISIBLE, WRITE, workspace_view
from truenorth.workspaces.figures import cached_html
from truenorth.workspaces.models import Membership


def visible_initiatives(membership: Membership):
    """Partners see only what is shared with partners; everyone else sees the whole roadmap."""
    initiatives = membership.workspace.initiatives.select_related("goal", "team")
    if not membership.can_read_internal:
        initiatives = in_partner_order(initiatives.filter(visibility__in=SHARED_OUTSIDE))
    return initiatives


def in_partner_order(initiatives):
    """The dates partners read first, by date (a promised target, or the day a shipped item
    shipped), then the rest by title: an item placed by a date partners do not see would tell
    it by its neighbours' dates."""
    promised = Case(
        When(status__in=COMMITTED, then=F("target_date")),
        When(status=Status.SHIPPED, then=F("actual_date")),
    )
    ordered = initiatives.alias(promised_date=promised)
    return ordered.order_by(F("promised_date").asc(nulls_last=True), "title", "pk")


@workspace_view(PARTNER_VISIBLE)
@read_only
def roadmap(request, membership):
    goals, selected_goal = [], None
    if membership.can_read_internal:
        goals = list(membership.workspace.goals.all())
        goal_id = as_id(request.GET.get("goal"))
        selected_goal = next((g for g in goals if g.pk == goal_id), None)

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
        return {
            "columns": columns,
            "workspace": membership.workspace,
            "show_goals": internal,
            # The timeline above the lists: the same initiatives, no second query.
            "initiatives": initiatives,
            "partner_view": not internal,
            "today": today,
        }

    readers = "internal" if membership.can_read_internal else "partners"
    today = timezone.localdate()
    # The timeline's now / next / later turn with the quarter, so the quarter is in the name.
    name = f"roadmap:{readers}:{selected_goal.pk if selected_goal else 'all'}:{overruns.quarter(today)}"
    context = {
        "board": cached_html(membership.workspace, name, "roadmap/board.html", board),
        "goals": goals,
        "selected_goal": selected_goal,
    }
    return render(request, "roadmap/roadmap.html", context)


PARTNER_COLUMNS = ["title", "problem", "status", "what the status means", "target date", "shipped"]
INTERNAL_COLUMNS = [
    "key",
    "title",
    "problem",
    "status",
    "what the status means",
    "goal",
    "goal rank",
    "team",
    "visibility",
    "target date",
    "shipped",
    "estimate (person-weeks)",
    "spent (person-weeks)",
    "imported from",
    "source key",
]


@workspace_view(PARTNER_VISIBLE)
@read_only
def roadmap_csv(request, membership):
    """The roadmap as a spreadsheet, for whoever reads the page: partners get the initiatives
    shared with them, no goal or team, and a date only where it is a promise."""
    initiatives = visible_initiatives(membership)
    goal_id = as_id(request.GET.get("goal"))
    if membership.can_read_internal and goal_id:
        initiatives = initiatives.filter(goal_id=goal_id)
    name = f"{membership.workspace.slug}-roadmap.csv"
    if not membership.can_read_internal:  # in partner order (visible_initiatives)
        return csv_response(name, PARTNER_COLUMNS, map(partner_row, initiatives))
    initiatives = initiatives.order_by("target_date", "title", "pk")
    return csv_response(name, INTERNAL_COLUMNS, map(internal_row, initiatives))


def partner_row(i: Initiative) -> list:
    dated = i.date_is_promised
    shipped = i.actual_date if i.status == Status.SHIPPED else None
    return [
        i.title,
        i.problem,
        i.get_status_display(),
        i.status_meaning,
        i.target_date if dated else None,
        shipped,
    ]


def internal_row(i: Initiative) -> list:
    return [
        i.key,
        i.title,
        i.problem,
        i.get_status_display(),
        i.status_meaning,
        i.goal.title if i.goal else "",
        i.goal.rank if i.goal and not i.goal.archived_at else "",
        i.team.name if i.team else "",
        i.get_visibility_display(),
        i.target_date,
        i.actual_date,
        i.estimate_weeks,
        i.spent_weeks,
        i.get_source_display() if i.source else "",
        i.source_key,
    ]


@workspace_view(PARTNER_VISIBLE)
@read_only
def initiative(request, membership, initiative_id):
    found = visible_initiatives(membership)
    if membership.can_read_internal:  # a work item or a claim may link an archived one
        found = any_initiative(membership).select_related("goal", "team")
    shown = get_object_or_404(found, pk=initiative_id)
    return render_initiative(request, membership, shown)


def any_initiative(membership: Membership):
    """The workspace's initiatives, archived ones too."""
    return Initiative.all_objects.filter(workspace=membership.workspace)


def render_initiative(request, membership, shown, posted=None, status=200):
    """The initiative page; `posted` is a milestone form that failed, shown with its errors."""
    context = {"initiative": shown, "changes": [], "overrun": None}
    if membership.can_read_internal:
        context["changes"] = shown.changes.select_related("changed_by")
        context["overrun"] = overruns.initiative_overrun(shown)
        context["points"] = overruns.tracker_points(shown.work_items).get(shown.pk)
        # A decision's links to initiatives are the organisation's: partners never see them.
        context["decisions"] = linked_decisions(shown)
    # An archived initiative is read-only until it is restored.
    can_change = membership.can_write and shown.archived_at is None
    context["can_change"] = can_change
    milestones = []
    for milestone in shown.milestones.prefetch_related("changes"):
        row = {"milestone": milestone, "overrun": None, "form": None}
        if membership.can_read_internal:
            row["overrun"] = overruns.milestone_overrun(milestone)
        if can_change:
            row["form"] = MilestoneForm(
                instance=milestone, initiative=shown, prefix=f"milestone-{milestone.pk}"
            )
            if posted is not None and posted.instance.pk == milestone.pk:
                row["form"] = posted
        milestones.append(row)
    context["milestones"] = milestones
    if can_change:
        adding = posted is not None and posted.instance.pk is None
        context["new_milestone"] = (
            posted if adding else MilestoneForm(initiative=shown, prefix="new-milestone")
        )
    return render(request, "roadmap/initiative.html", context, status=status)


def linked_decisions(initiative: Initiative) -> list:
    """The decisions that touch the initiative or block it, newest first, in one query; each
    with `blocks_it` and `link`, what the page says of it ("holds it up" while it is open and
    the initiative neither shipped nor dropped)."""
    touching = initiative.decisions.values("pk")
    blocking = initiative.blocked_by_decisions.filter(pk=OuterRef("pk"))
    found = (
        initiative.decisions.model.objects.filter(
            Q(pk__in=touching) | Q(pk__in=initiative.blocked_by_decisions.values("pk"))
        )
        .annotate(blocks_it=Exists(blocking))
        .order_by("-number")
    )
    decisions = list(found)
    for decision in decisions:
        decision.link = decision_link(decision, initiative)
    return decisions


def decision_link(decision, initiative: Initiative) -> str:
    """How a decision bears on the initiative, in the page's words."""
    if not decision.blocks_it:
        return "touches it"
    if not decision.is_open:
        return "had to be decided first"
    if initiative.status in (Status.SHIPPED, Status.DROPPED):
        return f"listed as blocking it, {initiative.get_status_display().lower()} without it"
    return "holds it up until it is decided"


@post_only
@workspace_view(WRITE)
def edit_milestones(request, membership, initiative_id):
    """Add (action=add), change (action=edit) or remove (action=remove) one milestone, named
    by its id in `milestone`."""
    shown = get_object_or_404(membership.workspace.initiatives, pk=initiative_id)
    action = request.POST.get("action", "")
    if action not in ("add", "edit", "remove"):
        return refused(request, "Say whether to add, edit or remove a milestone.")
    milestone = None
    if action != "add":
        milestone = shown.milestones.filter(pk=as_id(request.POST.get("milestone"))).first()
        if milestone is None:
            return refused(request, "This initiative has no such milestone.")
    url = reverse("initiative", args=[membership.workspace.slug, shown.pk]) + "#milestones"
    if action == "remove":
        remove_milestone(milestone)
        messages.success(request, f"Removed the milestone “{milestone.name}”.")
        return redirect(url)
    prefix = f"milestone-{milestone.pk}" if milestone else "new-milestone"
    form = MilestoneForm(request.POST, instance=milestone, initiative=shown, prefix=prefix)
    if not form.is_valid():
        return render_initiative(request, membership, shown, posted=form, status=400)
    saved = save_milestone(form.instance, by=request.user)
    messages.success(request, f"Saved the milestone “{saved.name}”.")
    return redirect(url)


@workspace_view(WRITE)
def edit_initiative(request, membership, initiative_id=None):
    workspace = membership.workspace
    instance = get_object_or_404(workspace.initiatives, pk=initiative_id) if initiative_id else None
    form = InitiativeForm(posted(request), instance=instance, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        saved = save_initiative(form.instance, by=request.user)
        messages.success(request, f"Saved {in_quotes(saved.title)}.")
        return redirect("initiative", workspace.slug, saved.pk)
    context = {"form": form, "initiative": instance}
    return render(request, "roadmap/initiative_form.html", context, status=form_status(form))


# The initiatives the overruns page lists at once; its CSV and JSON hold them all.
OVERRUNS_PER_PAGE = 50


def _overrun_query(request, membership) -> OverrunQuery:
    workspace = membership.workspace
    milestones = overruns.milestone_names(workspace)
    return OverrunQuery(request.GET, workspace=workspace, milestones=milestones)


@workspace_view(INTERNAL)
@read_only
def overrun_page(request, membership):
    query = _overrun_query(request, membership)
    if not query.is_valid():
        return refused(request, query.error_text())
    workspace = membership.workspace
    team, goal = query.cleaned_data["team"], query.cleaned_data["goal"]
    milestone = query.cleaned_data["milestone"]
    number = page_number(request)
    team_key = team if team == NO_TEAM else team.pk if team else ""

    def page() -> dict:
        summary = overruns.cached_overrun_summary(workspace, milestone)
        rows = [
            row
            for row in summary["initiatives"]
            if (team is None or row["team_id"] == (None if team == NO_TEAM else team.pk))
            and (goal is None or row["goal_id"] == goal.pk)
        ]
        kept = {"team": team_key, "goal": goal.pk if goal else "", "milestone": milestone}
        return {
            "summary": summary,
            "page": Paginator(rows, OVERRUNS_PER_PAGE).get_page(number),
            "page_query": urlencode({name: value for name, value in kept.items() if value}),
            "query": query,
            "teams": workspace.teams.all(),
            "goals": workspace.goals.all(),
            "no_team": NO_TEAM,
            "rules": overruns.RULES,
            "good": overruns.GOOD,
            "now": overruns.patterns_now(summary),
            "workspace": workspace,
        }

    name = f"overruns:{team_key or 'all'}:{goal.pk if goal else 'all'}:{number}"
    if milestone:
        name += f":{overruns.name_digest(milestone)}"
    body = cached_html(workspace, name, "roadmap/overruns_body.html", page)
    return render(request, "roadmap/overruns.html", {"body": body})


@workspace_view(INTERNAL)
@read_only
def overrun_json(request, membership):
    query = _overrun_query(request, membership)
    if not query.is_valid():
        return refused(request, query.error_text())
    milestone = query.cleaned_data["milestone"]
    return JsonResponse(overruns.cached_overrun_summary(membership.workspace, milestone))


@workspace_view(INTERNAL)
@read_only
def overrun_csv(request, membership):
    query = _overrun_query(request, membership)
    if not query.is_valid():
        return refused(request, query.error_text())
    table = query.cleaned_data["table"] or "initiatives"
    milestone = query.cleaned_data["milestone"]
    summary = overruns.cached_overrun_summary(membership.workspace, milestone)
    header, rows = overruns.csv_table(summary, table)
    return csv_response(f"{membership.workspace.slug}-overruns-{table}.csv", header, rows)


# --- Archiving ---


@post_only
@workspace_view(WRITE)
def archive(request, membership, initiative_id):
    shown = get_object_or_404(any_initiative(membership), pk=initiative_id)
    if archive_initiative(shown):  # archiving twice (two tabs) does nothing the second time
        messages.success(request, f"Archived {in_quotes(shown.title)}; restore it from Archived.")
    return redirect("roadmap", membership.workspace.slug)


@post_only
@workspace_view(WRITE)
def restore(request, membership, initiative_id):
    shown = get_object_or_404(any_initiative(membership), pk=initiative_id)
    if restore_initiative(shown):
        messages.success(request, f"Restored {in_quotes(shown.title)} to the roadmap.")
    return redirect("initiative", membership.workspace.slug, shown.pk)


@workspace_view(INTERNAL)
@read_only
def archived(request, membership):
    """Archived goals and initiatives, most recently archived first, each with its restore."""
    workspace = membership.workspace
    goals = Goal.all_objects.filter(workspace=workspace, archived_at__isnull=False)
    initiatives = any_initiative(membership).filter(archived_at__isnull=False)
    context = {
        "goals": goals.order_by("-archived_at", "pk"),
        "initiatives": initiatives.select_related("goal").order_by("-archived_at", "pk"),
    }
    return render(request, "roadmap/archived.html", context)


# --- Importing the roadmap ---


@workspace_view(WRITE)
def import_roadmap(request, membership):
    """Upload an export; statuses the workspace has not mapped yet are mapped here, and the
    same files imported again without uploading them twice."""
    workspace = membership.workspace
    if request.method != "POST":
        return render_import(request, RoadmapImportForm())
    action = request.POST.get("action", "")
    if action == "mapping":
        mapping = StatusMappingForm(request.POST)
        if mapping.is_valid():
            data = mapping.cleaned_data
            set_status_mapping(workspace, data["source_status"], data["status"])
            messages.success(request, f"Saved the mapping of “{data['source_status']}”.")
            return redirect("import_roadmap", workspace.slug)
        return render_import(request, RoadmapImportForm(), mapping_form=mapping, status=400)
    if action != "import":
        return refused(request, "Say what to do: action=import (a file) or action=mapping.")
    form = RoadmapImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_import(request, form, status=400)
    data = form.cleaned_data
    with transaction.atomic():  # the statuses mapped on one form: all of them or none
        for word, status in chosen_statuses(request.POST).items():
            set_status_mapping(workspace, word, status)
    carried = {"file_format": data["file_format"], "columns": request.POST.get("columns", "")}
    try:
        text = imports.decode(data["file"].read()) if data["file"] else data["text"]
        carried["text"] = text
        history = data["history_text"]
        if data["history"]:
            history = imports.decode(data["history"].read(), "history file")
        carried["history_text"] = history
        result = imports.import_roadmap(
            workspace,
            text,
            history,
            data["file_format"],
            data["columns"],
            by=request.user,
            where="page",
        )
    except imports.ImportFailed as failure:
        retry = RoadmapImportForm(initial=carried)
        return render_import(request, retry, failure=failure, status=400)
    messages.success(request, import_summary(result))
    return redirect("roadmap", workspace.slug)


def chosen_statuses(post) -> dict[str, str]:
    """The statuses mapped in the failed import's report: map-N-source_status → map-N-status."""
    chosen = {}
    for name, word in post.items():
        if name.startswith("map-") and name.endswith("-source_status"):
            status = post.get(name.removesuffix("source_status") + "status", "")
            if word.strip() and status in Status.values:
                chosen[word.strip()] = status
    return chosen


def import_summary(result: imports.ImportResult) -> str:
    source = imports.FORMATS[result.file_format]
    summary = (
        f"Imported {result.created} new initiative{pluralize(result.created)} and updated "
        f"{result.updated} from {source} ({result.unchanged} unchanged)."
    )
    if result.history:
        summary += (
            f" Recorded {result.history} past change{pluralize(result.history)} "
            "on the dates they happened."
        )
    if result.changes:
        summary += (
            f" Recorded {result.changes} change{pluralize(result.changes)} "
            "made since the last import."
        )
    if ignored := ignored_note(result.ignored_columns):
        summary += f" {ignored}"
    return summary


def render_import(request, form, failure=None, mapping_form=None, status=200):
    workspace = request.membership.workspace
    unmapped = []
    groups = failure.groups() if failure else []
    if failure is not None:
        for n, (word, places) in enumerate(failure.unmapped.items()):
            initial = {"source_status": word, "status": imports.suggest(word)}
            mapping_form = StatusMappingForm(initial=initial, prefix=f"map-{n}")
            unmapped.append((mapping_form, imports.rows_of(places)))
    context = {
        "form": form,
        "failure": failure,
        "problem_count": len(failure.problems) + len(unmapped) if failure else 0,
        "problem_groups": groups,
        "problem_kinds": len(groups) + len(unmapped),
        "unmapped": unmapped,
        "mappings": [
            (m, StatusMappingForm(initial={"source_status": m.source_status, "status": m.status}))
            for m in workspace.roadmap_status_mappings.all()
        ],
        "mapping_form": mapping_form or StatusMappingForm(),
        "headers": [(imports.FORMATS[name], columns) for name, columns in imports.HEADERS.items()],
        "suggested": imports.SUGGESTED_STATUSES,
    }
    return render(request, "roadmap/import.html", context, status=status)
