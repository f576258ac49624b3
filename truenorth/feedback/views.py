from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

from truenorth.embeddings.cache import cached_embedder
from truenorth.exports import csv_response
from truenorth.feedback import actions, export
from truenorth.feedback.actions import decide_theme
from truenorth.feedback.forms import FeedbackForm, FilterForm
from truenorth.feedback.import_views import warm_themes
from truenorth.feedback.models import FeedbackItem, Kind, Source
from truenorth.feedback.roadmap import item_matches
from truenorth.feedback.theme_views import chosen_target
from truenorth.feedback.themes import EMBEDDED_CHARS, segment_spellings, theme_figures
from truenorth.paging import page_of, where_it_is
from truenorth.refusals import bad_filter, post_only, posted, read_only, refused
from truenorth.sending import in_quotes
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view

# A page of items, not all of them: a support desk's export alone holds thousands.
ITEMS_PER_PAGE = 50


def filtered(workspace, data):
    """(items, form, query) for the list's filters; items is None when a filter is malformed.
    The query is the filters as understood, to carry on to other pages and the twins."""
    form = FilterForm(data, workspace=workspace)
    if not form.is_valid():
        return None, form, {}
    wanted = form.cleaned_data
    items = workspace.feedback.select_related("heard_by")
    if wanted["source"]:
        items = items.filter(source=wanted["source"])
    if wanted["kind"]:
        items = items.filter(kind=wanted["kind"])
    if wanted["segment"]:
        items = items.filter(segment__iexact=wanted["segment"])
    if wanted["account"]:
        items = items.filter(account__icontains=wanted["account"])
    if wanted["since"]:
        items = items.filter(received_on__gte=wanted["since"])
    if wanted["until"]:
        items = items.filter(received_on__lte=wanted["until"])
    if form.chosen_theme:
        items = items.filter(pk__in=form.chosen_theme["members"])
    query = {name: str(value) for name, value in wanted.items() if value}
    return items, form, query


@workspace_view(INTERNAL)
@read_only
def feedback(request, membership):
    workspace = membership.workspace
    items, form, query = filtered(workspace, request.GET)
    if items is None:
        return bad_filter(request, form)
    found = export.summary(items)
    written = workspace.feedback.exclude(segment="").values_list("segment", flat=True)
    context = {
        "page": page_of(request, items, ITEMS_PER_PAGE),
        "form": form,
        "query": urlencode(query),
        "filtered": bool(query),
        "found": found,
        "value": export.money(found["value"]),
        "heard": heard(form.cleaned_data, found),
        "theme": form.chosen_theme,
        "sources": Source.choices,
        "kinds": Kind.choices,
        "segments": sorted(segment_spellings(written).values(), key=str.lower),
    }
    return render(request, "feedback/list.html", context)


def heard(wanted: dict, found: dict) -> str:
    """When the items were heard, in words: the range asked for, or the one they span."""
    since, until = wanted["since"], wanted["until"]
    if not found["count"]:
        return ""
    if since and until:
        return f"heard from {date_format(since)} to {date_format(until)}"
    if since or until:
        return f"heard since {date_format(since)}" if since else f"heard up to {date_format(until)}"
    if found["first"] == found["last"]:
        return f"heard on {date_format(found['first'])}"
    return f"heard between {date_format(found['first'])} and {date_format(found['last'])}"


@workspace_view(INTERNAL)
@read_only
def feedback_json(request, membership):
    slug = membership.workspace.slug
    items, form, query = filtered(membership.workspace, request.GET)
    if items is None:
        return bad_filter(request, form)
    page = page_of(request, items, ITEMS_PER_PAGE)
    found = export.summary(items)
    return JsonResponse(
        {
            "filters": query,
            "theme_label": form.chosen_theme["label"] if form.chosen_theme else None,
            "count": found["count"],
            "accounts": found["accounts"],
            "account_value": found["value"],
            "accounts_with_a_value": found["valued_accounts"],
            "first_heard": found["first"],
            "last_heard": found["last"],
            **where_it_is(page, reverse("feedback_json", args=[slug]), query),
            "items": [export.as_json(item, slug) for item in page],
        }
    )


@workspace_view(INTERNAL)
@read_only
def feedback_csv(request, membership):
    """Every item the filters match (the same ones as the page's), oldest last."""
    workspace = membership.workspace
    items, form, query = filtered(workspace, request.GET)
    if items is None:
        return bad_filter(request, form)
    rows = (export.csv_row(item) for item in items.iterator(chunk_size=2000))
    return csv_response(f"{workspace.slug}-feedback.csv", export.CSV_COLUMNS, rows)


def get_item(membership, feedback_id: int) -> FeedbackItem:
    return get_object_or_404(
        membership.workspace.feedback.select_related("heard_by", "created_by"), pk=feedback_id
    )


@workspace_view(INTERNAL)
@read_only
def feedback_item(request, membership, feedback_id):
    item = get_item(membership, feedback_id)
    # A link only to a web page: an imported row's address is not trusted to be one.
    link = item.url if item.url.startswith(("https://", "http://")) else ""
    context = {
        "item": item,
        "link": link,
        "roadmap": matches_of(membership.workspace, item),
        "theme": theme_of(membership.workspace, item),
    }
    return render(request, "feedback/item.html", context)


def theme_of(workspace, item: FeedbackItem) -> dict | None:
    """The card of the theme that holds the item; None for praise and an item in no theme."""
    found = theme_figures(workspace)["themes"]
    return next((theme for theme in found if item.pk in theme["members"]), None)


def matches_of(workspace, item: FeedbackItem) -> dict:
    words = item.text[:EMBEDDED_CHARS]  # as the themes read it, so its vector is kept already
    return item_matches(workspace, item.pk, words, cached_embedder())


@post_only
@workspace_view(WRITE)
def link_feedback(request, membership, feedback_id):
    """An editor links the item to a goal or an initiative that addresses it, or unlinks one:
    their word, over the model's suggestion, as the themes page's Link and Not this."""
    workspace = membership.workspace
    item = get_item(membership, feedback_id)
    target = chosen_target(workspace, request.POST.get("target", ""))
    decision = request.POST.get("decision")
    if target is None or decision not in ("link", "unlink"):
        return refused(
            request,
            "Say which target (initiative-<id> or goal-<id> of this workspace) and the "
            "decision (link or unlink).",
        )
    decide_theme(workspace, [item.pk], target, decision == "link", request.user)
    said = "addresses" if decision == "link" else "does not address"
    messages.success(request, f"Noted: {in_quotes(target.title)} {said} this item.")
    return redirect(f"{reverse('feedback_item', args=[workspace.slug, item.pk])}#roadmap")


@workspace_view(WRITE)
def new_feedback(request, membership):
    workspace = membership.workspace
    form = FeedbackForm(posted(request), workspace=workspace)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "feedback/edit.html", {"form": form}, status=400)
        item = actions.save_item(form.instance, by=request.user)
        messages.success(request, "Field note saved.")
        warm_themes(request, workspace, say_done=False)
        return redirect("feedback_item", workspace.slug, item.pk)
    person = membership.person
    mine = person if person and person.function != "partner" else None
    form.initial.update(received_on=timezone.localdate(), heard_by=mine)
    return render(request, "feedback/edit.html", {"form": form})


@workspace_view(WRITE)
def edit_feedback(request, membership, feedback_id):
    item = get_item(membership, feedback_id)
    form = FeedbackForm(posted(request), instance=item, workspace=membership.workspace)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "feedback/edit.html", {"form": form, "item": item}, status=400)
        actions.save_item(form.instance)
        messages.success(request, "Saved.")
        warm_themes(request, membership.workspace, say_done=False)
        return redirect("feedback_item", membership.workspace.slug, item.pk)
    return render(request, "feedback/edit.html", {"form": form, "item": item})


@post_only
@workspace_view(WRITE)
def delete_feedback(request, membership, feedback_id):
    item = get_item(membership, feedback_id)
    actions.delete_item(item)
    messages.success(request, "Deleted.")
    warm_themes(request, membership.workspace, say_done=False)
    return redirect("feedback", membership.workspace.slug)
