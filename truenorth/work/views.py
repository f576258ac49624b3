from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from truenorth.work.actions import link_work_item
from truenorth.work.forms import LinkForm
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view

SUPPORTS_A_GOAL = Q(goal__isnull=False) | Q(initiative__goal__isnull=False)
FILTERS = {"linked": SUPPORTS_A_GOAL, "unlinked": ~SUPPORTS_A_GOAL}


@workspace_view(INTERNAL)
def work_items(request, membership):
    workspace = membership.workspace
    shown = request.GET.get("link", "")
    items = workspace.work_items.select_related("initiative__goal", "goal", "team")
    if shown in FILTERS:
        items = items.filter(FILTERS[shown])
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    for item in page:
        item.link_value = link_value(item)
    context = {"page": page, "shown": shown, "link_form": LinkForm(workspace=workspace)}
    return render(request, "work/work_items.html", context)


def link_value(item) -> str:
    if item.initiative_id:
        return f"initiative:{item.initiative_id}"
    return f"goal:{item.goal_id}" if item.goal_id else ""


@require_POST
@workspace_view(WRITE)
def link(request, membership, item_id):
    item = get_object_or_404(membership.workspace.work_items, pk=item_id)
    form = LinkForm(request.POST, workspace=membership.workspace)
    if form.is_valid():
        link_work_item(item, form.cleaned_data["target"])
        messages.success(request, f"Linked {item.external_key}.")
    else:
        messages.error(request, f"Could not link {item.external_key}: {form.errors['target'][0]}")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("work_items", args=[membership.workspace.slug])
    return redirect(next_url)
