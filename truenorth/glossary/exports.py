"""The glossary as a table: one row per term, a column per function's definition (the CSV
download and `truenorth glossary export`)."""

from django.db.models import F

from truenorth.glossary.models import Source, Term
from truenorth.workspaces.models import Function

FUNCTIONS = [f for f in Function.values if f != Function.PARTNER]
COLUMNS = ["term", "canonical_definition", "owner", "related", "divergence"]
COLUMNS += [f"definition_{f}" for f in FUNCTIONS]


def listed_terms(workspace):
    """The glossary's terms with what their rows show, archived ones left out: the functions
    read most differently first (glossary/measure.py), then those not measured yet, by name."""
    terms = workspace.terms.select_related("owner").prefetch_related("related", "definitions")
    return terms.order_by(F("divergence").desc(nulls_last=True), "name")


def row(term: Term) -> list:
    written = {d.function: d.text for d in term.definitions.all() if d.source == Source.EDITOR}
    return [
        term.name,
        term.canonical_definition,
        term.owner.name if term.owner else "",
        "; ".join(t.name for t in term.related.all()),
        "" if term.divergence is None else f"{term.divergence:.0f}",
        *(written.get(f, "") for f in FUNCTIONS),
    ]
