"""People and teams pages. Everyone in the organisation may read the directory (INTERNAL: it
names colleagues, not anyone's answers); owners and editors change it (WRITE)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from truenorth.exports import csv_response
from truenorth.paging import page_of, where_it_is
from truenorth.refusals import form_status, post_only, posted, read_only
from truenorth.tabular import ImportFailed, grouped
from truenorth.workspaces import people as actions
from truenorth.workspaces.access import INTERNAL, OWNER, WRITE, workspace_view
from truenorth.workspaces.logins import LoginError
from truenorth.workspaces.models import Function
from truenorth.workspaces.people_forms import EraseForm, ImportForm, PersonForm, TeamForm
from truenorth.workspaces.people_import import HEADERS, import_people, recognised

STATUSES = {"active": {"active": True}, "inactive": {"active": False}, "all": {}}
PEOPLE_PER_PAGE = 100


# --- People ---


def filtered_people(request, workspace):
    """The people the list's filters choose, and the filters as understood. By name, then by
    id: two people of the same name keep their order, so no page repeats or misses one."""
    people = workspace.people.filter(erased=False).select_related("team", "manager")
    people = people.order_by("name", "pk")
    status = request.GET.get("status", "active")
    status = status if status in STATUSES else "active"
    people = people.filter(**STATUSES[status])
    function = request.GET.get("function", "")
    if function in Function.values:
        people = people.filter(function=function)
    else:
        function = ""
    team_id, team = request.GET.get("team", ""), None
    if team_id == "none":
        people = people.filter(team__isnull=True)
    elif team_id.isdigit():
        team = workspace.teams.filter(pk=team_id).first() if len(team_id) < 12 else None
        people = people.filter(team=team) if team else people.none()
    else:
        team_id = ""
    return people, {"status": status, "function": function, "team_id": team_id, "team": team}


@workspace_view(INTERNAL)
@read_only
def people(request, membership):
    workspace = membership.workspace
    found, filters = filtered_people(request, workspace)
    context = {
        **filters,
        "page": page_of(request, found, PEOPLE_PER_PAGE),
        "teams": workspace.teams.all(),
        "functions": Function.choices,
        "statuses": list(STATUSES),
    }
    return render(request, "workspaces/people.html", context)


@workspace_view(INTERNAL)
@read_only
def people_json(request, membership):
    """The people page's JSON twin: the same filters (?team=, ?function=, ?status=) and the
    same pages (?page=), as feedback.json gives them, `next` and `previous` keeping the filters."""
    found, filters = filtered_people(request, membership.workspace)
    page = page_of(request, found, PEOPLE_PER_PAGE)
    shown = {"status": filters["status"], "function": filters["function"] or None}
    shown["team"] = filters["team_id"] or None
    query = {name: value for name, value in shown.items() if value}
    here = reverse("people_json", args=[membership.workspace.slug])
    return JsonResponse(
        {
            "filters": shown,
            "count": page.paginator.count,
            **where_it_is(page, here, query),
            "items": [actions.as_dict(p) for p in page],
        }
    )


@workspace_view(INTERNAL)
@read_only
def people_csv(request, membership):
    """The people page as a spreadsheet, with the same filters; for whoever may read the page.
    Its columns are the import's, so an exported file imports back as it was."""
    found, _ = filtered_people(request, membership.workspace)
    header = ["name", "email", "function", "team", "manager", "role", "title", "active"]
    rows = (
        [
            p.name,
            p.email,
            p.get_function_display(),
            p.team.name if p.team else "",
            p.manager.email if p.manager else "",
            p.get_role_display(),
            p.title,
            "yes" if p.active else "no",
        ]
        for p in found.order_by("name", "pk")
    )
    return csv_response(f"{membership.workspace.slug}-people.csv", header, rows)


def known_person(workspace, person_id):
    """A person of the workspace, not one erased: nothing of them is left to show or change."""
    return get_object_or_404(workspace.people, pk=person_id, erased=False)


@workspace_view(WRITE)
def edit_person(request, membership, person_id=None):
    workspace = membership.workspace
    person = known_person(workspace, person_id) if person_id else None
    form = PersonForm(posted(request), workspace=workspace, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            if person:
                saved = actions.update_person(person, request.user, **form.cleaned_data)
            else:
                saved = actions.create_person(workspace, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("people", workspace.slug)
    logins = list(actions.logins_of(person)) if person else []
    context = {
        "form": form,
        "person": person,
        "logins": logins,
        # Deactivating them ends these logins' access: the page asks first, and says why it
        # would be refused, and when one of them is the login looking at it.
        "yours": any(m.user_id == request.user.pk for m in logins),
        "refused": actions.deactivation_refused(person) if logins and person.active else "",
    }
    return render(request, "workspaces/people_form.html", context, status=form_status(form))


@post_only
@workspace_view(WRITE)
def set_active(request, membership, person_id):
    workspace = membership.workspace
    person = known_person(workspace, person_id)
    active = request.POST.get("active")
    if active not in ("yes", "no"):
        messages.error(request, "Say whether to deactivate or reactivate.")
    elif active == "yes":
        actions.reactivate(person)
        messages.success(request, f"Reactivated {person.name}: future check-ins ask them again.")
    elif request.POST.get("confirm") != "yes" and actions.logins_of(person).exists():
        # The page asks first, under "Deactivate …": it ends a login's access for good.
        messages.error(
            request, f"Confirm deactivating {person.name} first: it ends their login's access."
        )
    else:
        try:
            ended = actions.deactivate(person, by=request.user)
        except LoginError as error:
            messages.error(request, f"{person.name} stays active: {error}")
        else:
            messages.success(request, actions.left_message(person, ended))
            if not workspace.memberships.filter(user=request.user).exists():
                return redirect("home")  # they deactivated themselves: nothing here opens
    return redirect("edit_person", workspace.slug, person.pk)


@workspace_view(OWNER)
def erase_person(request, membership, person_id):
    """Forget someone who asked to be: a page saying what goes and what stays, then the owner
    types the person's email address to confirm."""
    workspace = membership.workspace
    person = known_person(workspace, person_id)
    form = EraseForm(posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            actions.erase(person, by=request.user)
        except LoginError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, actions.ERASED_MESSAGE)
            return redirect("people", workspace.slug)
    context = {"form": form, "person": person, "logins": list(actions.logins_of(person))}
    return render(request, "workspaces/people_erase.html", context, status=form_status(form))


@workspace_view(WRITE)
def import_people_page(request, membership):
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method != "POST":
        return render_import(request, form)
    if not form.is_valid():
        return render_import(request, form, status=400)
    upload = form.cleaned_data["file"]  # bytes: the importer names its encoding
    try:
        columns, departments = form.cleaned_data["columns"], form.cleaned_data["departments"]
        result = import_people(membership.workspace, upload, columns, request.user, departments)
    except ImportFailed as failure:
        return render_import(request, form, failure.errors, status=400)
    teams = f" {result.teams_in_words}" if result.teams_created else ""
    ignored = result.ignored_columns
    ignored = f" Ignored columns: {', '.join(ignored)}." if ignored else ""  # as the CLI says
    messages.success(
        request,
        f"Imported {result.new_people}, updated {result.updated}, "
        f"{result.unchanged} unchanged.{teams}{ignored}",
    )
    return redirect("people", membership.workspace.slug)


def render_import(request, form, errors=(), status=200):
    headers = {field: recognised(field) for field in HEADERS}
    context = {
        "form": form,
        "errors": errors,
        "problems": grouped(errors),
        "functions": Function.choices,
        "headers": headers,
    }
    return render(request, "workspaces/people_import.html", context, status=status)


# --- Teams ---


@workspace_view(INTERNAL)
@read_only
def teams(request, membership):
    workspace = membership.workspace
    form = TeamForm(workspace=workspace) if membership.can_write else None
    return render_teams(request, workspace, form)


@workspace_view(INTERNAL)
@read_only
def teams_csv(request, membership):
    """The teams page as a spreadsheet: each team under its parent, active people counted."""
    header = ["team", "parent team", "archived", "people", "with sub-teams"]
    tree = actions.team_tree(membership.workspace)
    names = {row.team.pk: row.team.name for row in tree}  # no query per parent
    rows = (
        [
            row.team.name,
            names.get(row.team.parent_id, ""),
            "yes" if row.team.archived else "no",
            row.direct,
            row.everyone,
        ]
        for row in tree
    )
    return csv_response(f"{membership.workspace.slug}-teams.csv", header, rows)


def render_teams(request, workspace, form, status=200):
    context = {"rows": actions.team_tree(workspace), "form": form}
    return render(request, "workspaces/teams.html", context, status=status)


@post_only
@workspace_view(WRITE)
def new_team(request, membership):
    workspace = membership.workspace
    form = TeamForm(request.POST, workspace=workspace)
    if form.is_valid():
        try:
            team = actions.create_team(workspace, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Created the team {team.name}.")
            return redirect("teams", workspace.slug)
    return render_teams(request, workspace, form, status=400)


@workspace_view(WRITE)
def edit_team(request, membership, team_id):
    workspace = membership.workspace
    team = get_object_or_404(workspace.teams, pk=team_id)
    form = TeamForm(posted(request), workspace=workspace, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_team(team, form.cleaned_data["name"], form.cleaned_data["parent"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the team {team.name}.")
            return redirect("teams", workspace.slug)
    people = team.people.filter(active=True)
    context = {"form": form, "team": team, "people": people}
    return render(request, "workspaces/teams_form.html", context, status=form_status(form))


@post_only
@workspace_view(WRITE)
def archive_team(request, membership, team_id):
    team = get_object_or_404(membership.workspace.teams, pk=team_id)
    archived = request.POST.get("archived")
    if archived not in ("yes", "no"):
        messages.error(request, "Say whether to archive the team or bring it back.")
    else:
        actions.archive_team(team, archived == "yes")
        done = "Archived" if team.archived else "Brought back"
        messages.success(request, f"{done} the team {team.name}.")
    return redirect("teams", membership.workspace.slug)
