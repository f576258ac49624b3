"""The glossary as a table: one row per term, with the pair of functions the list names (the
flagged pair, else the two furthest apart) and whether it is flagged, and a column per
function's definition (the CSV download and `truenorth glossary export`)."""

from truenorth.glossary.measure import pair_verdict
from truenorth.glossary.models import Source, Term
from truenorth.workspaces.models import Function

FUNCTIONS = [f for f in Function.values if f != Function.PARTNER]
COLUMNS = ["term", "canonical_definition", "owner", "related", "divergence"]
# The pair the list names, what it is ("flagged pair" or "furthest apart") and whether it is
# flagged: the average alone hid a contradiction.
COLUMNS += ["furthest_pair", "furthest_pair_named_as", "furthest_pair_divergence"]
COLUMNS += ["flagged", "pair_verdict"]
COLUMNS += [f"definition_{f}" for f in FUNCTIONS]


def listed_terms(workspace) -> list[Term]:
    """The glossary's terms with what their rows show, archived ones left out, in the order the
    list promises: first those a pair of functions reads as different senses or contradicts
    each other on (flagged), the flagged pair furthest apart first; then the others, the most
    divergent on average first; then those not measured yet, by name. By the average alone, a
    term two functions contradict each other on came below terms nothing was flagged on."""
    terms = workspace.terms.select_related("owner").prefetch_related("related", "definitions")
    return sorted(terms, key=listed_first)


def listed_first(term: Term) -> tuple:
    named = term.furthest_pair
    if named is None or term.divergence is None:
        return (2, 0.0, 0.0, term.name.lower())
    if named["reads_differently"]:
        return (0, -named["divergence"], -term.divergence, term.name.lower())
    return (1, 0.0, -term.divergence, term.name.lower())


def row(term: Term) -> list:
    named = term.furthest_pair
    written = {d.function: d.text for d in term.definitions.all() if d.source == Source.EDITOR}
    return [
        term.name,
        term.canonical_definition,
        term.owner.name if term.owner else "",
        "; ".join(t.name for t in term.related.all()),
        "" if term.divergence is None else f"{term.divergence:.0f}",
        "" if named is None else f"{named['first']} and {named['second']}",
        "" if named is None else named["named_as"],
        "" if named is None else f"{named['divergence']:.0f}",
        "" if named is None else ("yes" if named["reads_differently"] else "no"),
        pair_verdict(term),
        *(written.get(f, "") for f in FUNCTIONS),
    ]
