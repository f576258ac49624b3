"""Each term's divergence (analysis/divergence.py), measured from its readings and kept on the term.

The figures are kept with a fingerprint of what they were measured from (the name, the canonical
definition, every function's texts as shown today, the cut and the model), so the glossary list
and the dashboard read them without embedding anything, and a term is measured again only when
one of those changed: an editor's definition, or a check-in's answers published. Vectors come
from the embedding cache, so measuring again embeds only new text.
"""

import hashlib
import json
import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from truenorth.analysis import divergence, measures
from truenorth.analysis.embed import ModelUnavailable
from truenorth.embeddings.cache import cached_embedder, configured_embedder
from truenorth.glossary.models import Term
from truenorth.glossary.readings import readings
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Function, Workspace

# Figures measured before their quotes were cut to readings the threshold shares, or before
# contradicting readings were discounted and flagged, or before a "not" was said to be the only
# difference only where the two share most words, are measured again: a change here changes
# every term's fingerprint.
QUOTES_FROM = "readings the threshold shares"
CONTRADICTIONS = "contradictions discount and flag"
NEGATION_WORDS = "a not is the only difference only where most words are shared"


def texts_of(term: Term) -> dict[str, list[str]]:
    """Each function's texts, keyed by the function's name as a page shows it."""
    return labelled(readings(term).texts())


def labelled(by_function: dict[str, list[str]]) -> dict[str, list[str]]:
    return {Function(f).label: found for f, found in by_function.items()}


def fingerprint(term: Term, texts: dict[str, list[str]], model: str) -> str:
    measured = [term.name, term.canonical_definition, texts, divergence.READS_DIFFERENTLY, model]
    measured += [QUOTES_FROM, CONTRADICTIONS, NEGATION_WORDS]
    return hashlib.sha256(json.dumps(measured, sort_keys=True).encode()).hexdigest()


def is_stale(term: Term) -> bool:
    """Whether what the term's figures were measured from has changed since."""
    key = fingerprint(term, texts_of(term), configured_embedder().model_name)
    return term.divergence_detail.get("fingerprint") != key


def changed_since_measured(term: Term) -> bool:
    """The glossary list's check, from the term's own row (no query per term): never measured,
    or edited since (defining a function's reading stamps the term). Answers published in a
    check-in since are found by the term's page, which checks everything (is_stale)."""
    measured = term.divergence_measured_at
    return measured is None or term.updated_at > measured


def measure_term(term: Term) -> Term:
    """Measure the term's divergence from its readings and keep it on the term; unchanged
    readings are not measured again."""
    threshold = term.workspace.anonymity_threshold  # the texts below are read under it
    found_readings = readings(term)
    texts = labelled(found_readings.texts())
    embedder = cached_embedder()
    key = fingerprint(term, texts, embedder.model_name)
    if term.divergence_detail.get("fingerprint") == key:
        return term
    found = divergence.measure(term.name, term.canonical_definition, texts, embedder)
    quotable = labelled(found_readings.quoted(threshold, embedder).quotable())
    term.divergence = found.divergence
    shown = detail(found, quotable)
    term.divergence_detail = {"fingerprint": key, "threshold": threshold, **shown}
    term.divergence_measured_at = timezone.now()
    with transaction.atomic():  # the figures and their new data version together
        same = Workspace.objects.filter(pk=term.workspace_id, anonymity_threshold=threshold)
        if not same.select_for_update().exists():
            return term  # raised meanwhile: these figures may quote groups now too small
        # Only the measure's own fields: an editor may be saving the term's text meanwhile.
        Term.all_objects.filter(pk=term.pk).update(
            divergence=term.divergence,
            divergence_detail=term.divergence_detail,
            divergence_measured_at=term.divergence_measured_at,
        )
        bump(term.workspace_id)  # the alignment dashboard names terms read differently
    return term


def forget_figures_of_another_threshold(
    sender, instance: Workspace, created: bool, update_fields, **kwargs
):
    """When a workspace's anonymity threshold changes, forget its terms' figures measured under
    another: they quote, count and compare functions as that threshold let them be shown, and
    are read by pages, the API and exports as they are kept. Where workers run, they measure
    them again at once, so the API and exports need not wait for someone to open a page; run
    inline, the next look does, rather than the settings page waiting on every term.
    (A post_save receiver: the workspaces app knows nothing of the glossary.)"""
    if created or (update_fields is not None and "anonymity_threshold" not in update_fields):
        return  # a new workspace has no terms yet
    measured = Term.all_objects.filter(workspace=instance, divergence_measured_at__isnull=False)
    read_under_this = Q(divergence_detail__has_key="threshold") & Q(
        divergence_detail__threshold=instance.anonymity_threshold
    )  # has_key first: a missing key compares as NULL, which an exclude would keep out
    read_under_another = measured.exclude(read_under_this)
    forgotten = list(read_under_another.values_list("pk", flat=True))
    if read_under_another.update(
        divergence=None, divergence_detail={}, divergence_measured_at=None
    ):
        bump(instance.pk)  # the alignment dashboard names terms read differently
    if default_task_backend.supports_defer:
        from truenorth.glossary.tasks import measure_term_task

        for pk in forgotten:  # queued in the settings' own transaction: both or neither
            measure_term_task.enqueue(pk)


def detail(found: divergence.Divergence, quotable: dict[str, list[str]]) -> dict:
    """What the pages show, as JSON: the sentence, each function's reading, each pair. A
    function's representative definition is quoted only when `quotable` holds it (an editor's,
    or an answer whose reading the threshold shares); else "", and the page says why."""
    furthest = found.furthest

    def shown(function: str, quote: str) -> str:
        return quote if quote in quotable.get(function, ()) else ""

    return {
        "sentence": found.sentence(),
        "cut": divergence.READS_DIFFERENTLY,
        "functions": [
            {
                "function": f.function,
                "definitions": f.definitions,
                "quote": shown(f.function, f.quote),
                "score": f.score,
                "relation": f.relation,
                "contradiction": f.contradiction,
            }
            for f in found.functions
        ],
        "pairs": [
            {
                "first": p.first,
                "second": p.second,
                "divergence": p.divergence,
                "reads_differently": p.reads_differently,
                "contradiction": p.contradiction,
                "first_quote": shown(p.first, p.first_quote),
                "second_quote": shown(p.second, p.second_quote),
            }
            for p in found.pairs
        ],
        "furthest": None if furthest is None else [furthest.first, furthest.second],
    }


def refresh(terms: Iterable[Term], changed=is_stale) -> None:
    """Queue a measurement of each term whose readings `changed` (inline on a single machine,
    so the page that asked shows the new figures; a worker's otherwise). A server without the
    model keeps the figures it has."""
    from truenorth.glossary.tasks import measure_term_task

    try:
        stale = [t.pk for t in terms if changed(t)]
    except ModelUnavailable:
        return
    for pk in stale:
        # Pages call this outside any transaction; the database queue's row would commit with
        # the caller's transaction anyway.
        measure_term_task.enqueue(pk)


RELATION_WORDS = {
    "conveys": "conveys it",
    "partly": "conveys part of it",
    "contradicts": "contradicts it",
    "unrelated": "says something else",
}


def divergence_shown(term: Term) -> dict:
    """The term page's divergence section: every figure with its words and what good looks like.
    The average has no band of its own (analysis/measures.py), so "good" says which way is better
    and where a pair of functions is flagged, the one cut the analysis draws."""
    found = term.divergence_detail or {}
    cut = cut_shown()
    headline = {
        "id": "divergence-measure",
        # Not the measure's name, "Functions read the term differently": that would read as a
        # finding on a term where nothing is flagged.
        "name": f"How differently the functions read “{term.name}”",
        "meaning": "From 0, every function means the same by it, to 100, no two functions' "
        "readings share anything: the average of every pair of functions below.",
        "value": "" if term.divergence is None else f"{term.divergence:.0f}",
        "unit": " / 100",
        "unmeasured": "Not yet measured: it needs a definition from two functions."
        if term.divergence is None
        else "",
        "verdict": verdict(term),
        "good": f"lower is better. The average has no target of its own; two functions {cut} "
        "or more apart read the word as different senses of it, and are flagged.",
    }
    functions = [
        {
            **f,
            "score_words": measures.in_words("glossary.canonical", f["score"]),
            "relation_words": RELATION_WORDS.get(f["relation"], ""),
        }
        for f in found.get("functions", [])
    ]
    pairs = [
        {**p, "divergence_words": measures.shown("glossary.pair_divergence", p["divergence"])}
        for p in found.get("pairs", [])
    ]
    return {
        "measure": headline,
        "sentence": found.get("sentence", ""),
        "named_pair": named_pair_said(term),
        "functions": functions,
        "pairs": pairs,
        "matrix": matrix(found.get("functions", []), found.get("pairs", [])),
        "cut": cut,
    }


def cut_shown() -> str:
    """The pair cut, written one way on every page, twin and doc: "84.6"."""
    return f"{divergence.READS_DIFFERENTLY:g}"


def verdict(term: Term) -> str:
    """The term's figure in words, said before what good looks like: "87 / 100" followed only by
    "Good: lower is better" read as if 87 were good. The cut is named with what it means every
    time: "Under 84.6" alone meant nothing to a reader."""
    if term.divergence is None:
        return ""
    cut = cut_shown()
    senses = f"{cut} or more apart, where two readings count as different senses of the word"
    if term.divergence >= divergence.READS_DIFFERENTLY:
        return f"High: even on average the functions are {senses}."
    pairs = (term.divergence_detail or {}).get("pairs") or []
    # A contradiction is counted as one, not as different senses: "2 pairs read it as different
    # senses" was said of two pairs that each contradicted each other.
    contradicting = sum(1 for p in pairs if p.get("contradiction"))
    different = sum(1 for p in pairs if p.get("reads_differently") and not p.get("contradiction"))
    if contradicting or different:
        flagged = flagged_pairs(contradicting, different)
        return f"{flagged}, though the average of every pair is under {cut}."
    # Unflagged is not alike: between related senses the pair cut flags only some (docs/
    # glossary.md). Say what the average means on the bands a cluster of answers is read by, in
    # words that cannot be read against "nothing flagged" ("readings far apart" beside "not far
    # enough apart to flag" read as a contradiction).
    alike, band = 100 - term.divergence, measures.alike_band()
    shared = {
        "good": "On average the readings mostly agree",
        "fair": "On average, though, the readings share only some details",
        "poor": "On average, though, the readings share little",
    }[band.level(alike)]
    return (
        f"Nothing flagged: no pair of functions is {senses}. {shared} ({alike:.0f} of 100 alike; "
        f"{band.good:g} or more reads as mostly one meaning)."
    )


def flagged_pairs(contradicting: int, senses: int) -> str:
    """How many pairs are flagged and why: "Two functions contradict each other on it and one
    pair reads it as different senses of the word; both pairs are flagged"."""
    said = []
    if contradicting:
        said.append(
            "Two functions contradict each other on it"
            if contradicting == 1
            else f"{contradicting} pairs of functions contradict each other on it"
        )
    if senses:
        pairs = "One pair of functions" if senses == 1 else f"{senses} pairs of functions"
        if said:
            pairs = "one pair" if senses == 1 else f"{senses} pairs"
        said.append(
            f"{pairs} {'reads' if senses == 1 else 'read'} it as different senses of the word"
        )
    flagged = contradicting + senses
    if len(said) == 1:
        return f"{said[0]} and {'is' if senses == 1 else 'are'} flagged"
    every = "both pairs are" if flagged == 2 else f"all {flagged} pairs are"
    return f"{said[0]} and {said[1]}; {every} flagged"


# What the list says of a term no pair is flagged on: the cut flags only some pairs of related
# senses, and definitions of one setting read alike to the model even when they name different
# people (the demo's "customer": who pays the bill, who decides to buy, the clerks support helps).
NOT_FLAGGED = (
    "Not flagged: the model can miss definitions that name different people; "
    "read them side by side."
)


def pair_verdict(term: Term) -> str:
    """Whether the term is flagged and why, in words, as the list and the exports say it: the
    reason two functions contradict each other, how far apart two that read different senses
    are, or what an unflagged term may still hide. "" below two functions."""
    named = term.furthest_pair
    if named is None:
        return ""
    if named["contradiction"]:
        return f"Flagged: {named['contradiction']}."
    if named["reads_differently"]:
        return (
            f"Flagged: {named['first']} and {named['second']} are {named['divergence']:.0f} "
            f"apart; from {cut_shown()}, two readings count as different senses of the word."
        )
    return NOT_FLAGGED


def named_pair_said(term: Term) -> str:
    """The pair the list names, with what it is, as the list, the term's page and the command
    line say it: "flagged pair: Engineering and Finance, 76" or "furthest apart: Sales and
    Support, 80". "" below two functions."""
    named = term.furthest_pair
    if named is None:
        return ""
    pair = f"{named['first']} and {named['second']}"
    return f"{named['named_as']}: {pair}, {named['divergence']:.0f}"


def matrix(functions: list[dict], pairs: list[dict]) -> dict:
    """Function × function: how alike each pair reads the term (100 − divergence), for a heat map."""
    names = [f["function"] for f in functions]
    alike = {}
    for p in pairs:
        alike[p["first"], p["second"]] = alike[p["second"], p["first"]] = 100 - p["divergence"]
    rows = [(a, [None if a == b else alike.get((a, b)) for b in names]) for a in names]
    return {"names": names, "rows": rows} if len(names) > 1 else {}


def strategy_text(workspace) -> str:
    """The words of the current vision and of every goal, where a term counts as used."""
    vision = workspace.visions.order_by("-number").first()
    parts = (
        [] if vision is None else [vision.statement, *(getattr(vision, p) for p in vision.PARTS)]
    )
    for goal in workspace.goals.all():
        parts += [goal.title, goal.why, goal.why_now, goal.metric, goal.target]
    return "\n".join(parts)


def uses(text: str, name: str) -> bool:
    """Whether the text says the term, as a whole word or phrase, in any case ("Customers" too)."""
    return re.search(rf"\b{re.escape(name)}(?:s|es)?\b", text, re.IGNORECASE) is not None


def read_differently_in_strategy(workspace) -> list[dict] | None:
    """The terms the vision or goals use whose furthest pair of functions reads them differently,
    most divergent first; None when the workspace has no glossary yet (nothing to measure)."""
    terms = list(workspace.terms.all())
    if not terms:
        return None
    text = strategy_text(workspace)
    used = [t for t in terms if uses(text, t.name)]
    refresh(used)
    found = []
    for term in Term.objects.filter(pk__in=[t.pk for t in used]).order_by("-divergence", "name"):
        pairs = term.divergence_detail.get("pairs") or []
        if pairs and pairs[0]["reads_differently"]:
            found.append(
                {
                    "term": term.name,
                    "first": pairs[0]["first"],
                    "second": pairs[0]["second"],
                    "divergence": round(pairs[0]["divergence"]),
                    "url": reverse("term", args=[workspace.slug, term.pk]),
                    "cut": divergence.READS_DIFFERENTLY,
                }
            )
    return found
