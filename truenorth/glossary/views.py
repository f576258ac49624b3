from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from truenorth.analysis.divergence import READS_DIFFERENTLY
from truenorth.checkins.models import BACK_BRIEF
from truenorth.checkins.views import refusing_in_json
from truenorth.embeddings.cache import cached_embedder
from truenorth.exports import csv_response
from truenorth.glossary import exports
from truenorth.glossary.actions import (
    archive_term,
    ask_functions,
    define,
    delete_term,
    question_prompt,
    restore_term,
    save_term,
)
from truenorth.glossary.exports import listed_terms
from truenorth.glossary.forms import FUNCTIONS, AskForm, DefinitionForm, OwnCheckInForm, TermForm
from truenorth.glossary.measure import (
    changed_since_measured,
    divergence_shown,
    named_pair_said,
    pair_verdict,
    refresh,
)
from truenorth.glossary.measure import verdict as divergence_verdict
from truenorth.glossary.models import Term
from truenorth.glossary.readings import Readings, readings
from truenorth.refusals import post_only, posted, read_only
from truenorth.sending import in_quotes
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view
from truenorth.workspaces.models import Function


def any_term(membership, term_id: int) -> Term:
    """One of the workspace's terms, archived ones too; another workspace's is a 404."""
    found = Term.all_objects.filter(workspace=membership.workspace, pk=term_id).first()
    if found is None:
        raise Http404(f"This workspace has no term {term_id}.")
    return found


# Why a partner's request for a glossary twin is refused, in its JSON.
INTERNAL_ONLY = (
    "Your role in this workspace does not allow this: the glossary is read by the "
    "organisation's own people, not its partners."
)


@workspace_view(INTERNAL)
@read_only
def glossary(request, membership):
    workspace = membership.workspace
    # A term edited since it was measured is measured again first.
    refresh(listed_terms(workspace), changed=changed_since_measured)
    archived = Term.all_objects.filter(workspace=workspace, archived_at__isnull=False)
    context = {
        "terms": [(t, under_sentence(t), named_pair_said(t)) for t in listed_terms(workspace)],
        "archived": archived.order_by("name"),
        "reads_differently": READS_DIFFERENTLY,
    }
    return render(request, "glossary/glossary.html", context)


def under_sentence(term: Term) -> str:
    """What the list says under a term's sentence: why two functions contradict each other, or
    what a term nothing is flagged on may still hide. Two functions that read different senses
    are said by the sentence and the named pair under the figure already."""
    named = term.furthest_pair
    if named is None or (named["reads_differently"] and not named["contradiction"]):
        return ""
    return pair_verdict(term)


def term_json(term: Term, found: Readings | None = None) -> dict:
    """A term as its JSON twins give it: with each function's reading when `found` is given
    (the term's own twin), else with its editors' definitions (the glossary's)."""
    row = {
        "id": term.pk,
        "name": term.name,
        "canonical_definition": term.canonical_definition,
        "owner": term.owner.name if term.owner else None,
        "related": [{"id": t.pk, "name": t.name} for t in term.related.all()],
        "divergence": term.divergence,
        # The pair the list names, what it is (`named_as`), whether it is flagged and why: an
        # export shows the contradiction the average hides.
        "furthest_pair": term.furthest_pair,
        "flagged": term.flagged,
        "pair_verdict": pair_verdict(term) or None,
        "functions_with_a_reading": term.functions_with_a_reading,
        "archived": term.archived_at is not None,
        "updated_at": term.updated_at.isoformat(timespec="seconds"),
    }
    if found is not None:
        row["readings"] = [
            {
                "function": r.function,
                "definition": r.definition.text if r.definition else None,
                "quotes": r.quotes,
                # Its people's answers count in its reading, whether or not this reader reads them.
                "answered_in_checkins": r.answered,
                # Answers measured but not quoted: no reading of them is shared by the threshold.
                "unquoted_answers": r.unquoted if not found.withheld else 0,
            }
            for r in found.functions
        ]
        # The figure in words, and the one cut at which a pair reads different senses (84.6).
        row["divergence_verdict"] = divergence_verdict(term) or None
        row["reads_differently_from"] = READS_DIFFERENTLY
        row["hidden_answers"] = found.hidden
        row["withheld_answers"] = found.withheld
        # Its pairs quote check-in answers: for those who read check-in results only.
        row["divergence_detail"] = term.divergence_detail if not found.withheld else None
    else:
        row["definitions"] = {d.function: d.text for d in term.definitions.all()}
    return row


@refusing_in_json(INTERNAL_ONLY)
@workspace_view(INTERNAL)
@read_only
def glossary_json(request, membership):
    """The glossary page's JSON twin: its terms, each with its editors' definitions."""
    refresh(listed_terms(membership.workspace), changed=changed_since_measured)  # as the page
    return JsonResponse({"terms": [term_json(t) for t in listed_terms(membership.workspace)]})


@workspace_view(INTERNAL)
@read_only
def glossary_csv(request, membership):
    """The glossary as a spreadsheet: a row per term, a column per function's definition."""
    rows = (exports.row(t) for t in listed_terms(membership.workspace))
    return csv_response(f"{membership.workspace.slug}-glossary.csv", exports.COLUMNS, rows)


@workspace_view(INTERNAL)
@read_only
def term(request, membership, term_id):
    shown = any_term(membership, term_id)
    refresh([shown])
    shown.refresh_from_db(fields=["divergence", "divergence_detail", "divergence_measured_at"])
    asked = shown.questions.select_related("question__checkin").order_by("-created_at")
    context = {
        "term": shown,
        "divergence": divergence_shown(shown),
        "readings": readings_for(membership, shown),
        "asked": asked,
        "now": timezone.now(),
        "threshold": membership.workspace.anonymity_threshold,
        "can_change": membership.can_write and shown.archived_at is None,
    }
    return render(request, "glossary/term.html", context)


def readings_for(membership, term: Term):
    found = readings(term)
    if not membership.can_read_results:
        return found.without_answers()
    return found.quoted(term.workspace.anonymity_threshold, cached_embedder())


@refusing_in_json(INTERNAL_ONLY)
@workspace_view(INTERNAL)
@read_only
def term_json_view(request, membership, term_id):
    """The term page's JSON twin: each function's reading, quotes without names."""
    shown = any_term(membership, term_id)
    refresh([shown])  # as the page: figures measured from the readings shown today
    shown.refresh_from_db(fields=["divergence", "divergence_detail", "divergence_measured_at"])
    return JsonResponse(term_json(shown, readings_for(membership, shown)))


@workspace_view(WRITE)
def edit_term(request, membership, term_id=None):
    workspace = membership.workspace
    instance = (
        any_term(membership, term_id) if term_id else Term(name=request.GET.get("name", "")[:100])
    )
    if instance.archived_at:
        messages.error(request, "Restore the term before changing it.")
        return redirect("term", workspace.slug, instance.pk)
    form = TermForm(posted(request), instance=instance, workspace=workspace)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "glossary/term_form.html", {"form": form}, status=400)
        saved = save_term(form.save(commit=False), form.cleaned_data["related"], by=request.user)
        messages.success(request, f"Saved “{saved.name}”.")
        return redirect("term", workspace.slug, saved.pk)
    return render(request, "glossary/term_form.html", {"form": form})


@workspace_view(WRITE)
def define_term(request, membership, term_id):
    """Add or change one function's own definition (?function=sales opens that one)."""
    shown = any_term(membership, term_id)
    if request.method == "POST":
        form = DefinitionForm(request.POST)
        if not form.is_valid():
            return render(
                request, "glossary/define.html", {"form": form, "term": shown}, status=400
            )
        function, text = form.cleaned_data["function"], form.cleaned_data["text"].strip()
        label = Function(function).label
        had = shown.definitions.filter(source="editor", function=function).exists()
        if not text and not had:  # nothing to remove: saying "saved" would be untrue
            form.add_error("text", f"Write what “{shown.name}” means to {label}.")
            return render(
                request, "glossary/define.html", {"form": form, "term": shown}, status=400
            )
        define(shown, function, text, by=request.user)
        said = f"Saved what “{shown.name}” means to {label}."
        removed = f"Removed what “{shown.name}” meant to {label}."
        messages.success(request, said if text else removed)
        return redirect("term", membership.workspace.slug, shown.pk)
    function = request.GET.get("function", "")
    if function not in dict(FUNCTIONS):
        function = ""  # the form opens with no function chosen
    current = shown.definitions.filter(source="editor", function=function).first()
    initial = {"function": function, "text": current.text if current else ""}
    form = DefinitionForm(initial=initial)
    return render(request, "glossary/define.html", {"form": form, "term": shown})


def open_checkins(workspace):
    """Check-ins a question can still be added to: not closed, nobody has answered."""
    checkins = workspace.checkins.exclude(template=BACK_BRIEF)
    return checkins.filter(closes_at__gt=timezone.now(), responses__isnull=True)


@workspace_view(WRITE)
def ask(request, membership, term_id):
    """Ask each function what the term means: in a check-in nobody has answered yet, or in a
    short check-in of its own (posted with where=own)."""
    shown = any_term(membership, term_id)
    own = request.method == "POST" and request.POST.get("where") == "own"
    form = AskForm(
        posted(request) if not own else None, checkins=open_checkins(membership.workspace)
    )
    own_form = OwnCheckInForm(posted(request) if own else None, term=shown)
    context = {"form": form, "own_form": own_form, "term": shown, "prompt": question_prompt(shown)}
    if request.method != "POST":
        return render(request, "glossary/ask.html", context)
    if own:
        return ask_in_own(request, own_form, context)
    if not form.is_valid():
        return render(request, "glossary/ask.html", context, status=400)
    checkin = form.cleaned_data["checkin"]
    try:
        ask_functions(shown, checkin)
    except ValidationError as error:
        form.add_error("checkin", error)
        return render(request, "glossary/ask.html", context, status=400)
    messages.success(request, f"Added the question to {in_quotes(checkin.title)}.")
    return redirect("term", membership.workspace.slug, shown.pk)


def ask_in_own(request, form: OwnCheckInForm, context: dict):
    """Create the check-in of its own and land on its page, to send it as any check-in."""
    if not form.is_valid():
        return render(request, "glossary/ask.html", context, status=400)
    try:
        checkin = form.create(by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "glossary/ask.html", context, status=400)
    asked = len(form.terms())
    about = f"what {asked} terms mean" if asked > 1 else f"what “{form.term.name}” means"
    # Its page says what to fix before sending (too few asked, overlaps) until the first send,
    # as a new check-in's does: said here too, each showed twice.
    messages.success(
        request,
        f"Created {in_quotes(checkin.title)}, asking {about}. Send the invitations when ready.",
    )
    return redirect("checkin", checkin.workspace.slug, checkin.pk)


@post_only
@workspace_view(WRITE)
def archive(request, membership, term_id):
    shown = any_term(membership, term_id)
    if archive_term(shown):  # twice (two tabs) does nothing the second time
        messages.success(request, f"Archived “{shown.name}”; restore it from the glossary.")
    return redirect("glossary", membership.workspace.slug)


@post_only
@workspace_view(WRITE)
def restore(request, membership, term_id):
    shown = any_term(membership, term_id)
    if restore_term(shown):
        messages.success(request, f"Restored “{shown.name}”.")
    return redirect("term", membership.workspace.slug, shown.pk)


@post_only
@workspace_view(WRITE)
def delete(request, membership, term_id):
    shown = any_term(membership, term_id)
    delete_term(shown)
    messages.success(request, f"Deleted “{shown.name}” and its definitions.")
    return redirect("glossary", membership.workspace.slug)
