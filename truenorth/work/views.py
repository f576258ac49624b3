from collections.abc import Iterable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse

from truenorth.analysis import measures
from truenorth.analysis.matching import MATCH_SCORE
from truenorth.analysis.score import band
from truenorth.exports import csv_response
from truenorth.ids import as_id
from truenorth.paging import page_number
from truenorth.refusals import on_this_site, post_only, read_only
from truenorth.tabular import grouped, ignored_note
from truenorth.work import actions, runs
from truenorth.work.forms import (
    DecideForm,
    ImportForm,
    LinkTickedForm,
    MappingForm,
    serves_no_goal,
    target_value,
)
from truenorth.work.imports import report_notes
from truenorth.work.models import ImportRun, LinkedBy, LinkSuggestion, TrackerMapping, WorkItem
from truenorth.work.tasks import import_work_items_file, refresh_link_suggestions
from truenorth.work.traceability import (
    ORPHAN_WORK,
    SUPPORTS_A_GOAL,
    cached_orphan_summary,
    goal_support,
    items_per_mapping,
    supports_a_goal,
    unmapped_values,
    words_in_common,
)
from truenorth.work.trackers import FORMAT_LIST, FORMAT_NAMES, LOOKS_LIKE_SHORTLY
from truenorth.workspaces import progress, workers
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view
from truenorth.workspaces.background import DONE, QUEUED, outcome
from truenorth.workspaces.figures import cached, cached_html

# "unlinked" is the orphan work the orphan page counts: work decided against is left out.
FILTERS = {"linked": SUPPORTS_A_GOAL, "unlinked": ORPHAN_WORK}
# A suggestion made before its goal or initiative was archived is not offered any more.
TO_AN_ACTIVE_TARGET = (Q(goal__isnull=True) | Q(goal__archived_at__isnull=True)) & (
    Q(initiative__isnull=True) | Q(initiative__archived_at__isnull=True)
)


# --- Work items ---


def item_filters(request, workspace) -> tuple[str, str, object]:
    """The work list's filters as understood: link ("", linked, unlinked), team id ("", a
    number, "none") and that team."""
    shown = request.GET.get("link", "")
    shown = shown if shown in FILTERS else ""
    team_id = request.GET.get("team", "")
    team = None
    if team_id.isdigit():  # a number no team has, however large, is a team not found
        team = get_object_or_404(workspace.teams, pk=as_id(team_id) or 0)
    elif team_id != "none":
        team_id = ""
    return shown, team_id, team


def filtered_items(workspace, shown: str, team_id: str, team):
    items = workspace.work_items.select_related("initiative__goal", "goal", "team")
    items = items.annotate(support=goal_support())
    if shown:
        items = items.filter(FILTERS[shown])
    if team_id == "none":
        items = items.filter(team__isnull=True)
    elif team:
        items = items.filter(team=team)
    return items


@workspace_view(INTERNAL)
@read_only
def work_items(request, membership):
    workspace = membership.workspace
    shown, team_id, team = item_filters(request, workspace)
    number = page_number(request)
    can_write = membership.can_write
    # An import not done yet: an empty list says it is coming rather than ask for another,
    # or, where its worker stopped, that it will not come.
    waiting = unfinished_import(workspace)
    stopped = waiting is not None and runs.stopped(waiting)

    def body() -> dict:
        items = filtered_items(workspace, shown, team_id, team)
        page = Paginator(items, 50).get_page(number)
        context = {"page": page, "shown": shown, "team_id": team_id, "team": team}
        if can_write:  # one select for the page, not one a row: it lists every target
            context["link_form"] = LinkTickedForm(workspace=workspace)
        context["waiting"], context["stopped"] = waiting, stopped
        return {**context, "can_write": can_write, "workspace": workspace}

    # A run is no write behind the figures: its id and state are in the name instead.
    run = f"{waiting.pk}-{'stopped' if stopped else waiting.state}" if waiting else ""
    name = f"work:{shown}:{team_id}:{number}:{'editors' if can_write else 'readers'}:{run}"
    body_html = cached_html(workspace, name, "work/items.html", body)
    return render(request, "work/work_items.html", {"body": body_html})


@workspace_view(INTERNAL)
@read_only
def work_items_csv(request, membership):
    """The work list as a spreadsheet, with the page's filters (?link=, ?team=)."""
    workspace = membership.workspace
    items = filtered_items(workspace, *item_filters(request, workspace)).order_by("pk")
    header = [
        "source",
        "key",
        "title",
        "status",
        "points",
        "team",
        "initiative",
        "goal",
        "supports a goal",
        "linked by",
        "created",
        "resolved",
        "due",
        "url",
    ]
    rows = (
        [
            item.source,
            item.external_key,
            item.title,
            item.status,
            item.points,
            item.team.name if item.team else "",
            target_title(item.initiative),
            target_title(item.goal or (item.initiative.goal if item.initiative else None)),
            item.support,
            item.get_linked_by_display() if item.linked_by else "",
            item.created_on,
            item.resolved_on,
            item.due_on,
            item.url,
        ]
        for item in items.iterator(chunk_size=2000)
    )
    return csv_response(f"{workspace.slug}-work-items.csv", header, rows)


# How an item came to serve what it serves, as its page says it.
HOW_LINKED = {
    LinkedBy.IMPORT: "Linked by the imported file, which named it",
    LinkedBy.MAPPING: "Linked by a tracker mapping (its epic, label or project)",
    LinkedBy.SUGGESTION: "Linked by accepting a suggestion",
    LinkedBy.HAND: "Linked by hand: tracker mappings leave it alone",
}


def found_item(membership, item_id: int) -> WorkItem:
    """The item with everything its page and JSON say of it, in one query."""
    items = membership.workspace.work_items.select_related("initiative__goal", "goal", "team")
    items = items.annotate(support=goal_support(), supports=supports_a_goal())
    return get_object_or_404(items, pk=item_id)


def item_history(item: WorkItem) -> list:
    """The changes imports saw, the newest import's first; one import's in the order it
    recorded them (status, points, due date, resolved date)."""
    return list(item.changes.order_by("-changed_at", "pk"))


def pending_suggestions(item: WorkItem) -> list[LinkSuggestion]:
    pending = item.suggestions.filter(decision=LinkSuggestion.Decision.PENDING)
    pending = pending.filter(TO_AN_ACTIVE_TARGET).select_related("initiative", "goal")
    return list(pending.order_by("-score", "pk"))


@workspace_view(INTERNAL)
@read_only
def work_item(request, membership, item_id):
    """One item: its tracker fields, what it serves and how, and the changes imports saw."""
    item = found_item(membership, item_id)
    context = {
        "item": item,
        "how_linked": HOW_LINKED.get(item.linked_by, ""),
        "changes": item_history(item),
        "suggestions": pending_suggestions(item),
    }
    return render(request, "work/item.html", context)


@workspace_view(INTERNAL)
@read_only
def work_item_json(request, membership, item_id):
    """The item page as JSON: the API's item (GET /work_items/{id}) with its history newest
    first, each change with the page's words in `said`."""
    item = found_item(membership, item_id)
    slug = membership.workspace.slug
    said = item_json(item) | {
        "suggestions": [suggestion_json(s) for s in pending_suggestions(item)],
        "history": [
            {
                "id": change.pk,
                "field": change.field,
                "old_value": change.old_value,
                "new_value": change.new_value,
                "changed_at": change.changed_at,
                "said": change.in_words(),
            }
            for change in item_history(item)
        ],
        "page": reverse("work_item", args=[slug, item.pk]),
        "api": f"/api/v1/workspaces/{slug}/work_items/{item.pk}",
    }
    return JsonResponse(said)


def ref(target) -> dict | None:
    if target is None:
        return None
    return {"id": target.pk, "title": getattr(target, "title", None) or target.name}


def item_json(item: WorkItem) -> dict:
    """The fields the API gives an item (api.work.WorkItemOut), in the same words."""
    return {
        "id": item.pk,
        "source": item.source,
        "external_key": item.external_key,
        "title": item.title,
        "status": item.status,
        "points": float(item.points) if item.points is not None else None,
        "kind": item.kind,
        "project": item.project,
        "parent_key": item.parent_key,
        "labels": [str(label) for label in item.labels or []],
        "url": item.url,
        "created_on": item.created_on,
        "resolved_on": item.resolved_on,
        "due_on": item.due_on,
        "team": ref(item.team),
        "initiative": ref(item.initiative),
        "goal": ref(item.goal),
        "supported_goal": ref(item.supported_goal),
        "supports_a_goal": item.supports,
        "linked_by": item.linked_by,
        "updated_at": item.updated_at,
    }


def suggestion_json(suggestion: LinkSuggestion) -> dict:
    return {
        "id": suggestion.pk,
        "item": suggestion.item_id,
        "initiative": ref(suggestion.initiative),
        "goal": ref(suggestion.goal),
        "score": suggestion.score,
        "band": band(suggestion.score),
        "words_in_common": words_in_common(
            suggestion.item.title, suggestion.initiative or suggestion.goal
        ),
        "decision": suggestion.decision,
        "decided_at": suggestion.decided_at,
    }


def target_title(target) -> str:
    if target is None:
        return ""
    return f"{target.title} (archived)" if target.archived_at else target.title


@post_only
@workspace_view(WRITE)
def link_ticked(request, membership):
    """Link the items ticked on the work list to the one target chosen under it."""
    form = LinkTickedForm(request.POST, workspace=membership.workspace)
    if form.is_valid():
        ticked, target = list(form.cleaned_data["ids"]), form.cleaned_data["target"]
        actions.link_work_items(ticked, target)
        if target:
            messages.success(request, linked_message(ticked, target))
        else:
            messages.success(request, f"Marked {items(len(ticked))} as serving no goal.")
    else:
        error = next(iter(form.errors.values()))[0]
        messages.error(request, f"Nothing was linked: {error}")
    return redirect(safe_next(request, reverse("work_items", args=[membership.workspace.slug])))


def linked_message(ticked: list, target) -> str:
    """Says when the initiative chosen serves no goal: the link leaves the items orphan work,
    and the message must not let it pass for alignment."""
    linked = f"Linked {items(len(ticked))} to {target_title(target)}"
    if not serves_no_goal(target):
        return f"{linked}."
    still = "the item still supports" if len(ticked) == 1 else "the items still support"
    return f"{linked}, which serves no goal: {still} none."


def items(count: int) -> str:
    return f"{count} item{pluralize(count)}"


def suggestions_of(count: int) -> str:
    return f"{count} suggestion{pluralize(count)}"


def safe_next(request, default: str) -> str:
    """`next` when it is a path on this site, else `default`. Anything else would be read as a
    view's name ("x") or break the redirect's header (a line break)."""
    next_url = request.POST.get("next", "")
    return next_url if on_this_site(request, next_url) and next_url.startswith("/") else default


# --- Importing a file ---


@workspace_view(WRITE)
def import_items(request, membership):
    """Upload a tracker's export; it is imported in the background and its run's page follows."""
    workspace = membership.workspace
    if request.method != "POST":
        again = earlier_run(workspace, request.GET.get("again", ""))
        initial = ImportForm.initial_from(again.options) if again else None
        return render_import(request, ImportForm(workspace=workspace, initial=initial))
    form = ImportForm(request.POST, request.FILES, workspace=workspace)
    if not form.is_valid():
        return render_import(request, form, status=400)
    run = runs.create_run(workspace, request.user, form.cleaned_data["file"], form.options())
    import_work_items_file.enqueue(run.pk)  # inline by default: done by the redirect
    return redirect("work_import_run", workspace.slug, run.pk)


def earlier_run(workspace, run_id: str) -> ImportRun | None:
    """The workspace's import run `?again=` names, whose options fill the form in; None for any
    other value."""
    if not run_id.isascii() or not run_id.isdecimal() or len(run_id) > 12:
        return None
    return workspace.import_runs.filter(pk=int(run_id)).first()


def unfinished_import(workspace) -> ImportRun | None:
    """The newest import queued or running (a worker's to do), if any."""
    unfinished = [ImportRun.State.QUEUED, ImportRun.State.RUNNING]
    return workspace.import_runs.filter(state__in=unfinished).first()


def render_import(request, form, status=200):
    recent = request.membership.workspace.import_runs.select_related("created_by")[:20]
    context = {"form": form, "runs": recent}
    return render(request, "work/import.html", context, status=status)


@workspace_view(WRITE)
@read_only
def import_run(request, membership, run_id):
    run = get_object_or_404(membership.workspace.import_runs, pk=run_id)
    errors = runs.row_errors(run)
    context = {
        "run": run,
        "errors": errors,
        "problems": grouped(errors),
        "progress": None if run.is_finished else run_progress(run),
        "stopped": runs.stopped(run),
        "ignored": ignored_note(run.outcome.get("ignored_columns", [])),
        "format": format_said(run),
        "notes": run_notes(run),
        "advice": advice(run),
    }
    return render(request, "work/import_run.html", context)


def format_said(run: ImportRun) -> str:
    """The format as the form names it, and what a file to recognise was recognised as:
    "Recognise it (recognised as Jira CSV)"."""
    asked = run.options.get("format", "auto")
    said = f"“{FORMAT_NAMES.get(asked, asked)}”"
    outcome = run.outcome or {}
    found = outcome.get("format", outcome.get("recognised", ""))
    if asked == "auto" and found in FORMAT_NAMES:
        said += f", recognised as {FORMAT_NAMES[found]}"
    elif asked == "auto" and outcome.get("recognised") == "":
        said += ", which recognised no format"
    return said


def run_notes(run: ImportRun) -> list[str]:
    """What a finished run says of the items it left with no team, of those that kept the team
    they were in and of the statuses it did not recognise, as the command line prints it."""
    outcome = run.outcome or {}
    return report_notes(
        outcome.get("no_team", {}), outcome.get("kept_team", 0), outcome.get("statuses", {})
    )


def advice(run: ImportRun) -> str:
    """What to do about a refused run: choose another format where the file could not be read
    in the one chosen and looks like another one, otherwise correct the file."""
    if run.state != ImportRun.State.FAILED:
        return ""
    asked = run.options.get("format", "auto")
    found = (run.outcome or {}).get("recognised")  # None: the file was not looked at
    whole_file = all(not error.line and not error.where for error in runs.row_errors(run))
    if asked == "auto" and found == "":
        return f"Choose its format in the {FORMAT_LIST} list and import it again."
    if asked != "auto" and found and found != asked and whole_file:
        looks = LOOKS_LIKE_SHORTLY[found]
        return f"This file looks like {looks}: choose that format, or “{FORMAT_NAMES['auto']}”."
    return "Correct the file and import it again."


@workspace_view(WRITE)
@read_only
def import_run_json(request, membership, run_id):
    """The run's page as JSON: its state, how far it has got, and its counts or row errors
    (each row's in `errors`, and each problem once with all its rows in `problems`)."""
    run = get_object_or_404(membership.workspace.import_runs, pk=run_id)
    said = run.outcome
    if errors := runs.row_errors(run):
        said = {**said, "problems": [group.as_json() for group in grouped(errors)]}
    return JsonResponse(
        {
            "id": run.pk,
            "file_name": run.file_name,
            "state": run.state,
            "created_at": run.created_at,
            "finished_at": run.finished_at,
            "options": run.options,
            "progress": None if run.is_finished else run_progress(run),
            # why the import will not start, while it waits with no worker running
            "no_worker": (run.state == "queued" and workers.none_running()) or None,
            "outcome": said,
            # the page's sentences on items with no team and statuses not recognised
            "notes": run_notes(run),
            # a refused run's: choose another format, or correct the file
            "advice": advice(run) or None,
        }
    )


def run_progress(run: ImportRun) -> dict:
    """{"label", "done", "total", "percent"} of a run not finished yet (zeros while queued).

    A run whose worker stopped (runs.stopped) says so rather than wait without end.
    """
    if found := progress.current("import", run.pk):
        return found
    label = STOPPED if runs.stopped(run) else "Waiting to start"
    return {"label": label, "done": 0, "total": 0, "percent": 0}


STOPPED = (
    "No word from the worker for a while: it may have stopped. A stopped import leaves the work "
    "items as they were; if this stays, import the file again"
)


# --- Tracker mappings ---


@workspace_view(INTERNAL)
@read_only
def mappings(request, membership):
    initial = {k: request.GET[k] for k in ("field", "value") if k in request.GET}
    return render_mappings(request, MappingForm(initial=initial, workspace=membership.workspace))


def render_mappings(request, form, status=200):
    workspace = form.workspace
    counts = items_per_mapping(workspace)
    rows = list(workspace.tracker_mappings.select_related("initiative", "goal"))
    for mapping in rows:
        mapping.item_count = counts.get(mapping.pk, 0)
    unmapped = cached(workspace, "unmapped_values", unmapped_values)
    for row in unmapped:
        row["field_label"] = TrackerMapping.Field(row["field"]).label
    context = {"mappings": rows, "unmapped": unmapped, "form": form}
    return render(request, "work/mappings.html", context, status=status)


@post_only
@workspace_view(WRITE)
def add_mapping(request, membership):
    workspace = membership.workspace
    form = MappingForm(request.POST, workspace=workspace)
    if not form.is_valid():
        return render_mappings(request, form, status=400)
    data = form.cleaned_data
    mapping, applied = actions.add_mapping(
        workspace, data["field"], data["value"], data["target"], data["source"]
    )
    messages.success(request, f"Mapped {mapping}: {items(applied.linked)} linked.")
    return redirect("work_mappings", workspace.slug)


@post_only
@workspace_view(WRITE)
def delete_mapping(request, membership, mapping_id):
    mapping = get_object_or_404(membership.workspace.tracker_mappings, pk=mapping_id)
    described = str(mapping)
    applied = actions.delete_mapping(mapping)
    messages.success(
        request,
        f"Deleted {described}: {items(applied.unlinked)} unlinked, "
        f"{items(applied.linked)} linked by another mapping.",
    )
    return redirect("work_mappings", membership.workspace.slug)


# --- Link suggestions ---


@workspace_view(INTERNAL)
@read_only
def suggestions(request, membership):
    return render_suggestions(request, DecideForm(workspace=membership.workspace))


def render_suggestions(request, form, status=200):
    workspace = form.workspace
    pending = LinkSuggestion.objects.filter(
        item__workspace=workspace, decision=LinkSuggestion.Decision.PENDING
    ).filter(TO_AN_ACTIVE_TARGET)
    # Each item's suggestions together, the items whose best suggestion is strongest first.
    best = pending.filter(item=OuterRef("item")).order_by("-score").values("score")[:1]
    pending = pending.annotate(best=Subquery(best)).order_by("-best", "item_id", "-score")
    pending = pending.select_related("item__team", "initiative", "goal")
    target = request.GET.get("target", "")
    kind, _, pk = target.partition(":")
    if kind in ("initiative", "goal") and as_id(pk):
        pending = pending.filter(**{f"{kind}_id": as_id(pk)})
    else:
        target = ""
    page = Paginator(pending, 100).get_page(request.GET.get("page"))
    for suggestion in page:
        suggestion.band = band(suggestion.score)
        suggestion.in_common = words_in_common(
            suggestion.item.title, suggestion.initiative or suggestion.goal
        )
        suggestion.target_value = target_value(suggestion)
    decided = LinkSuggestion.objects.filter(item__workspace=workspace).exclude(
        decision=LinkSuggestion.Decision.PENDING
    )
    context = {
        "page": page,
        "target": target,
        "form": form,
        "accepted": decided.filter(decision=LinkSuggestion.Decision.ACCEPTED).count(),
        "rejected": decided.filter(decision=LinkSuggestion.Decision.REJECTED).count(),
        # The page says where suggestions stop, and how the lowest of those kept are labelled.
        "kept_from": f"{MATCH_SCORE:g}",
        "kept_band": band(MATCH_SCORE),
    }
    return render(request, "work/suggestions.html", context, status=status)


@post_only
@workspace_view(WRITE)
def decide(request, membership):
    workspace = membership.workspace
    form = DecideForm(request.POST, workspace=workspace)
    if not form.is_valid():
        return render_suggestions(request, form, status=400)
    chosen = form.chosen().select_related("item", "initiative", "goal")
    if form.cleaned_data["action"] == "reject":
        done = actions.reject_suggestions(chosen, by=request.user)
        messages.success(
            request, f"Rejected {suggestions_of(done)}: a rejected one is not offered again."
        )
    else:
        done = actions.accept_suggestions(chosen, by=request.user)
        messages.success(request, f"Linked {items(done)} from suggestions.")
    return redirect(safe_next(request, reverse("work_suggestions", args=[workspace.slug])))


@post_only
@workspace_view(WRITE)
def refresh_suggestions(request, membership):
    state, found = outcome(refresh_link_suggestions.enqueue(membership.workspace.pk))
    if state == DONE and "error" in found:
        messages.error(request, f"No suggestions: {found['error']}")
    elif state == DONE:
        messages.success(
            request,
            f"{suggestions_of(found['suggestions'])} for {items(found['items'])} "
            "that support no goal.",
        )
    elif state == QUEUED:
        messages.info(request, "Finding suggestions in the background; reload this page soon.")
    else:
        messages.error(request, "Finding suggestions failed; the server's log says why.")
    return redirect("work_suggestions", membership.workspace.slug)


# --- Orphan work ---

# Where the page's bars turn from good to middling to bad, as fractions: the same rules of thumb
# the alignment dashboard colours the share by (analysis/measures.py).
ORPHANS_GOOD, ORPHANS_BAD = measures.ORPHANS_GOOD / 100, measures.ORPHANS_BAD / 100


def every_month(months: Iterable[str]) -> list[str]:
    """ "YYYY-MM" from the first month to the last, the months without new work included, so
    that a gap in the work shows as one rather than two months side by side."""
    found = sorted(months)
    if not found:
        return []
    year, month = map(int, found[0].split("-"))
    every = []
    while (label := f"{year:04d}-{month:02d}") <= found[-1]:
        every.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return every


@workspace_view(INTERNAL)
@read_only
def orphans(request, membership):
    workspace = membership.workspace

    def page() -> dict:
        summary = cached_orphan_summary(workspace)
        months = every_month(month for month, _ in summary["trend"])
        overall = dict(summary["trend"])
        all_teams = [overall.get(month) for month in months]
        for team in summary["teams"]:
            shares = dict(team["trend"])
            team["by_month"] = [shares.get(month) for month in months]
            team["filter"] = team["team_id"] if team["team_id"] is not None else "none"
        context = {"summary": summary, "months": months, "all_teams": all_teams}
        return {**context, "workspace": workspace, "good": ORPHANS_GOOD, "bad": ORPHANS_BAD}

    body = cached_html(workspace, "orphans", "work/orphans_body.html", page)
    return render(request, "work/orphans.html", {"body": body})


@workspace_view(INTERNAL)
@read_only
def orphans_json(request, membership):
    return JsonResponse(cached_orphan_summary(membership.workspace))


@workspace_view(INTERNAL)
@read_only
def orphans_csv(request, membership):
    """The items behind the numbers: every item that supports no goal."""
    workspace = membership.workspace
    items = workspace.work_items.filter(ORPHAN_WORK).select_related(
        "team", "initiative__goal", "goal"
    )
    header = [
        "source",
        "key",
        "title",
        "status",
        "points",
        "team",
        "created",
        "resolved",
        "initiative without a goal",
        "parent",
        "labels",
        "project",
        "url",
        "linked to archived",
    ]
    rows = (
        [
            item.source,
            item.external_key,
            item.title,
            item.status,
            item.points,
            item.team.name if item.team else "",
            item.created_on,
            item.resolved_on,
            item.initiative.title if item.initiative and not item.initiative.goal else "",
            item.parent_key,
            ";".join(map(str, item.labels or [])),
            item.project,
            item.url,
            archived_link(item),
        ]
        for item in items
    )
    return csv_response(f"{workspace.slug}-orphan-work.csv", header, rows)


def archived_link(item) -> str:
    """The archived goal or initiative an orphan item is still linked to: why it is orphan work
    (open work on something archived serves no goal now)."""
    if item.goal and item.goal.archived_at:
        return f"goal: {item.goal.title}"
    if item.initiative and item.initiative.archived_at:
        return f"initiative: {item.initiative.title}"
    goal = item.initiative.goal if item.initiative else None
    return f"goal: {goal.title}" if goal and goal.archived_at else ""
