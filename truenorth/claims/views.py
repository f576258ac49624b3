from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.text import capfirst, slugify

from truenorth.analysis.embed import ModelUnavailable
from truenorth.analysis.matching import MATCH_SCORE
from truenorth.charts import day
from truenorth.claims import actions
from truenorth.claims.actions import roadmap_changed_since_check, save_claim
from truenorth.claims.forms import ClaimForm, FilterForm, ImportForm
from truenorth.claims.imports import import_claims as import_from_csv
from truenorth.claims.models import (
    VERDICT_GOOD,
    VERDICT_MEANING,
    Verdict,
    in_periods,
    narrowed,
    spelling,
    to_account,
    with_drops,
)
from truenorth.claims.tasks import recheck_claims
from truenorth.claims.verdicts import committed_dates_moved, promise_summary, verdict_counts
from truenorth.exports import csv_response
from truenorth.paging import page_number
from truenorth.refusals import bad_filter, post_only, posted, read_only, refused
from truenorth.tabular import ImportFailed, grouped
from truenorth.workspaces import workers
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view
from truenorth.workspaces.background import DONE, QUEUED, outcome, tell_queued
from truenorth.workspaces.figures import cached_html

# A page of claims, not all of them: each row carries its evidence, and an organisation that
# talks to customers records thousands.
CLAIMS_PER_PAGE = 50
EXPORT_COLUMNS = [
    "said_on",
    "account",
    "said_by",
    "source",
    "text",
    "verdict",
    "initiative",
    "status_when_checked",
    "target_date",
    "score",
    "runners_up",
    "checked_at",
    "moved_since_said",
    # Last, so a program reading the columns by position reads the earlier ones where they were.
    "reason",
]


def filtered(request, workspace):
    """The claims the query asks for, and a description; None for a malformed query."""
    form = FilterForm(request.GET)
    if not form.is_valid():
        return None, form
    claims = with_drops(workspace.claims.select_related("said_by", "initiative"))
    if account := form.cleaned_data["account"]:
        claims = to_account(claims, account)
    if person_id := form.cleaned_data["person"]:
        claims = claims.filter(said_by=speaker_or_404(workspace, person_id))
    return in_periods(claims, form.cleaned_data), form


def render_list(
    request, membership, claims, heading: str, query: dict, verdict: str = "", moved: str = ""
):
    workspace = membership.workspace
    shown = narrowed(claims, verdict, bool(moved))
    picked = {name: value for name, value in (("verdict", verdict), ("moved", moved)) if value}
    shown_query = urlencode({**query, **picked})
    number = page_number(request)
    can_write = membership.can_write

    def head() -> dict:
        return {
            "heading": heading,
            "total": claims.count(),
            "cut": MATCH_SCORE,
            "stale": roadmap_changed_since_check(workspace),
            "can_write": can_write,
        }

    def body() -> dict:
        counts, dates = verdict_counts(claims), committed_dates_moved(claims)
        return {
            "page": Paginator(shown, CLAIMS_PER_PAGE).get_page(number),
            "counts": tiles(counts, dates),
            "verdict": verdict,
            "moved": moved,
            "dates_moved": dates["moved"],
            "query_string": urlencode(query),
            "page_query": shown_query + "&" if shown_query else "",
            "workspace": workspace,
            "can_write": can_write,
        }

    readers = "editors" if can_write else "readers"
    # Named by its heading too: the whole list filtered to an account has the account page's
    # query, and was headed by whichever of the two was read first.
    head_name = f"claims-head:{slugify(heading)}:{urlencode(query)}:{readers}"
    context = {
        "heading": heading,
        "head": cached_html(workspace, head_name, "claims/head.html", head),
        "body": cached_html(
            workspace, f"claims:{shown_query}:{number}:{readers}", "claims/list.html", body
        ),
        "query": query,
        "export_query": shown_query,
        "periods": periods_in_words({**query, **picked}),
    }
    return render(request, "claims/claims.html", context)


# Each period filter of the list, by the prefix of its two bounds, as the page names it.
PERIODS = {"moved": "Date moved", "shipped": "Shipped"}


def periods_in_words(query: dict) -> list[dict]:
    """Each period the list is filtered on, in words ("Date moved between 7 Nov 2026 and 6 Dec
    2026"), with the query of the same list without it, so the page can offer to remove it."""
    found = []
    for name, what in PERIODS.items():
        bounds = (f"{name}_from", f"{name}_to")
        start, end = (query.get(bound) for bound in bounds)
        if start or end:
            rest = urlencode({key: value for key, value in query.items() if key not in bounds})
            found.append({"name": name, "words": f"{what} {between(start, end)}", "rest": rest})
    return found


def between(start, end) -> str:
    if start and end:
        return f"between {day(start)} and {day(end)}"
    return f"on or after {day(start)}" if start else f"on or before {day(end)}"


def tiles(counts: dict[str, int], dates: dict[str, int]) -> list[dict]:
    """Each verdict in plain words: its count, its share of the checked claims, what good is,
    and what its figure leaves out (committed_dates_moved's `dates` for the committed one)."""
    checked = sum(counts.values())
    notes = tile_notes(counts, checked, dates)
    return [
        {
            "verdict": v,
            "count": counts[v.value],
            "share": percent_of(counts[v.value], checked),
            "checked": checked,
            "good": VERDICT_GOOD[v],
            "meaning": VERDICT_MEANING[v],
            "note": notes.get(v, ""),
        }
        for v in Verdict
    ]


def percent_of(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def tile_notes(counts: dict[str, int], checked: int, dates: dict[str, int]) -> dict[str, str]:
    """The over-promise tile counts what is still wrong today, so it says what was said besides
    (the dashboard's share counts it); the committed tile says how many customers heard a date
    that has moved, since "good while the dates hold" hides it."""
    notes = {}
    if early := counts[Verdict.SAID_EARLY]:
        said = counts[Verdict.OVER_PROMISE] + early
        more = "1 more was" if early == 1 else f"{early} more were"
        notes[Verdict.OVER_PROMISE] = (
            f"Still wrong today. Counting what was said, {said} of {checked} "
            f"({percent_of(said, checked)}%, the alignment dashboard's figure): {more} said "
            "live before shipping."
        )
    if moved := dates["moved"]:
        accounts = "1 account" if dates["accounts"] == 1 else f"{dates['accounts']} accounts"
        notes[Verdict.COMMITTED] = (
            f"{moved} of {dates['committed']}: the date the customer heard has moved, {accounts}."
        )
    return notes


@workspace_view(INTERNAL)
@read_only
def claims(request, membership):
    claims, form = filtered(request, membership.workspace)
    if claims is None:
        return bad_filter(request, form)
    shown = {name: form.cleaned_data[name] for name in ("verdict", "moved")}
    query = {k: v for k, v in form.cleaned_data.items() if v and k not in shown}
    return render_list(request, membership, claims, "Claims to customers", query, **shown)


@workspace_view(INTERNAL)
@read_only
def account_claims(request, membership, account):
    """One account's claims, however its name is written: "northwind dental" is the page of
    "Northwind Dental", headed by the spelling most of its claims give."""
    claims = with_drops(membership.workspace.claims.select_related("said_by", "initiative"))
    claims = to_account(claims, account)
    names = list(claims.values_list("account", flat=True))
    if not names:
        return render(request, "claims/none.html", {"what": f"account “{account}”"}, status=404)
    name = spelling(names)
    return respond(request, membership, claims, f"Claims to {name}", {"account": name})


@workspace_view(INTERNAL)
@read_only
def person_claims(request, membership, person_id):
    person = speaker_or_404(membership.workspace, person_id)
    claims = with_drops(person.claims.select_related("said_by", "initiative"))
    return respond(request, membership, claims, f"Claims by {person.name}", {"person": person.pk})


def speaker_or_404(workspace, person_id: int):
    """A person whose claims are listed: not one erased, whose page is gone (people_views), so
    that their old id gathers nothing of them."""
    return get_object_or_404(workspace.people, pk=person_id, erased=False)


# The list's period filters (claims.models.in_periods), which an account's or a person's list
# takes as the whole list does.
PERIOD_FILTERS = ("moved_from", "moved_to", "shipped_from", "shipped_to")


def respond(request, membership, claims, heading, query):
    verdict, moved = request.GET.get("verdict", ""), request.GET.get("moved", "")
    if verdict and verdict not in Verdict.values:
        return refused(request, f"Unknown verdict {verdict!r}.")
    if moved not in ("", "1"):
        return refused(request, f"moved takes 1 (the claims whose date moved), not {moved!r}.")
    form = FilterForm({name: request.GET[name] for name in PERIOD_FILTERS if name in request.GET})
    if not form.is_valid():
        return bad_filter(request, form)
    periods = {name: form.cleaned_data[name] for name in PERIOD_FILTERS if form.cleaned_data[name]}
    claims = in_periods(claims, periods)
    return render_list(request, membership, claims, heading, {**query, **periods}, verdict, moved)


@workspace_view(INTERNAL)
@read_only
def summary_json(request, membership):
    """The claims' counts as data, as the dashboard and GET /claims/summary count them."""
    return JsonResponse(promise_summary(membership.workspace))


@workspace_view(INTERNAL)
@read_only
def export(request, membership):
    """CSV of the claims the query names (?account=, ?person=, ?verdict=, ?moved=1), or all of
    them."""
    claims, form = filtered(request, membership.workspace)
    if claims is None:
        return bad_filter(request, form)
    claims = narrowed(claims, form.cleaned_data["verdict"], bool(form.cleaned_data["moved"]))
    parts = [membership.workspace.slug, "claims"]
    parts += [slugify(str(v)) for k, v in form.cleaned_data.items() if v and k != "moved"]
    parts += ["date-moved"] if form.cleaned_data["moved"] else []
    rows = (export_row(claim) for claim in claims)
    return csv_response(f"{'-'.join(parts)}.csv", EXPORT_COLUMNS, rows)


def export_row(claim) -> list:
    runners = "; ".join(f"{r['title']} {r['said']}" for r in claim.close_alternatives)
    return [
        claim.said_on.isoformat(),
        claim.account,
        claim.speaker,
        claim.source,
        claim.text,
        claim.verdict,
        claim.initiative_title if claim.matched else "",
        claim.status_label.lower() if claim.matched else "",  # "in progress", as the page says
        claim.target_date.isoformat() if claim.target_date else "",
        f"{claim.score:.1f}" if claim.matched else "",
        runners,
        claim.checked_at.isoformat(timespec="seconds") if claim.checked_at else "",
        claim.moved_since_said,
        page_notes(claim),
    ]


def page_notes(claim) -> str:
    """Every line the claims page shows under a claim's verdict, and with no match the line
    naming the nearest initiative, in the page's words, each ending with a full stop: why it
    needs correcting, a date that moved since it was said, the nearest. Blank where none shows.
    (Its "by 30 Jan 2027" is the target_date column.)"""
    lines = [claim.reason, capfirst(claim.moved_since_said), claim.nearest_note]
    return " ".join(line if line.endswith(".") else f"{line}." for line in lines if line)


@workspace_view(WRITE)
def new_claim(request, membership):
    return claim_form(request, membership, claim=None)


@workspace_view(WRITE)
def edit_claim(request, membership, claim_id):
    claim = get_object_or_404(membership.workspace.claims, pk=claim_id)
    return claim_form(request, membership, claim)


def claim_form(request, membership, claim):
    """Add or edit a claim; saving checks it against the roadmap at once."""
    form = ClaimForm(posted(request), instance=claim, workspace=membership.workspace)
    context = {"form": form, "claim": claim}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "claims/claim_form.html", context, status=400)
        try:
            saved = save_claim(form.instance, by=request.user)
            reason = f" {saved.reason}" if saved.reason else ""
            messages.success(request, f"{saved_what(saved)} {saved.verdict_evidence}.{reason}")
        except ModelUnavailable as error:
            messages.error(request, f"{saved_what(form.instance)} Not checked: {error}")
        return redirect("claims", membership.workspace.slug)
    return render(request, "claims/claim_form.html", context)


def saved_what(claim) -> str:
    return f"Saved the claim made to {claim.account} on {day(claim.said_on)}."


@post_only
@workspace_view(WRITE)
def delete_claim(request, membership, claim_id):
    claim = get_object_or_404(membership.workspace.claims, pk=claim_id)
    actions.delete_claim(claim)
    messages.success(request, f"Deleted the claim made to {claim.account} on {day(claim.said_on)}.")
    return redirect("claims", membership.workspace.slug)


@post_only
@workspace_view(WRITE)
def recheck(request, membership):
    if not membership.workspace.claims.exists():  # nothing to queue, nor to wait for
        messages.info(request, "There are no claims to check.")
        return redirect("claims", membership.workspace.slug)
    state, done = outcome(recheck_claims.enqueue(membership.workspace.pk))
    if state == DONE and "error" in done:
        messages.error(request, f"Not re-checked: {done['error']}")
    elif state == DONE:
        checked = done["checked"]
        messages.success(request, f"Re-checked {checked} claims against the roadmap as it is now.")
    elif state == QUEUED and workers.none_running():
        tell_queued(request, "Re-checking the claims is queued: it starts when a worker runs.")
    elif state == QUEUED:
        tell_queued(request, "Re-checking the claims in the background; reload this page soon.")
    else:
        messages.error(request, "Re-checking failed; the server's log says why.")
    return redirect("claims", membership.workspace.slug)


@workspace_view(WRITE)
def import_claims(request, membership):
    form = ImportForm(posted(request), request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "claims/import.html", {"form": form}, status=400)
        upload = form.cleaned_data["file"]  # bytes: the importer names its encoding
        try:
            found = import_from_csv(membership.workspace, upload, by=request.user)
        except ImportFailed as failure:
            errors = failure.errors
            context = {"form": form, "errors": errors, "problems": grouped(errors)}
            return render(request, "claims/import.html", context, status=400)
        except ModelUnavailable as error:
            messages.error(request, f"Imported, but not checked: {error}")
            return redirect("claims", membership.workspace.slug)
        created = len(found.claims)
        skipped = f"; {found.skipped()}" if found.skipped() else ""
        claims = "claim" if created == 1 else "claims"
        messages.success(request, f"Imported and checked {created} {claims}{skipped}.")
        return redirect("claims", membership.workspace.slug)
    return render(request, "claims/import.html", {"form": form})
