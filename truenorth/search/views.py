from django import forms
from django.http import JsonResponse
from django.shortcuts import render

from truenorth.refusals import form_status, read_only
from truenorth.search import find
from truenorth.workspaces.access import PARTNER_VISIBLE, workspace_view


class SearchForm(forms.Form):
    # CharField also refuses NUL characters, which PostgreSQL cannot compare.
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=find.MAX_CHARS,
        error_messages={"max_length": f"Search for at most {find.MAX_CHARS} characters."},
    )


def words_of(request) -> tuple[str, SearchForm]:
    """The words searched for ("" when there are too few to search), and the form."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return "", form
    words = form.cleaned_data["q"]
    return (words if len(words) >= find.MIN_CHARS else ""), form


@workspace_view(PARTNER_VISIBLE)
@read_only
def search(request, membership):
    words, form = words_of(request)
    context = {
        "form": form,
        "words": words,
        "found": find.search(membership, words) if words else None,
        "min_chars": find.MIN_CHARS,
        "per_kind": find.PER_KIND,
    }
    return render(request, "search/search.html", context, status=form_status(form))


@workspace_view(PARTNER_VISIBLE)
@read_only
def search_json(request, membership):
    """The search page's JSON twin: {"q", "best": [hits], "suggestion",
    "results": {kind: {label, more, hits}}}, the kinds in the page's order."""
    words, form = words_of(request)
    if form.errors:
        return JsonResponse({"error": " ".join(form.errors["q"])}, status=400)
    if not words:
        hint = f"Give at least {find.MIN_CHARS} characters to search for."
        return JsonResponse({"q": form.cleaned_data["q"], "hint": hint, "results": {}})
    return JsonResponse({"q": words, **find.search(membership, words).as_dict()})
