"""The term divergence on the real model (seed 002: finance, sales and support's "customer")."""

from itertools import combinations

import pytest

from truenorth.analysis import divergence, relation
from truenorth.analysis.divergence import READS_DIFFERENTLY, measure, pair_divergence

CANONICAL = "The organisation that buys our product and the people in it who use it."
ALIKE = {
    "finance": ["The company that pays our invoices.", "Whoever pays the bill each month."],
    "sales": ["The company that pays for our product.", "The organisation that pays the bill."],
}
APART = {
    "finance": ["Who pays the bill.", "The company that pays our invoices."],
    "support": ["Who we help day to day.", "The people we help when they call with a problem."],
    "sales": ["The buyer who signs the contract."],
}


def test_same_sense_paraphrases_diverge_little(embedder):
    assert pair_divergence("who pays the bill", "whoever pays the invoice", embedder) < 60
    found = measure("customer", CANONICAL, ALIKE, embedder)
    assert found.divergence < 40
    assert not found.read_differently
    assert found.sentence() == (
        "No two functions read 'customer' far enough apart to flag; finance and sales are furthest "
        "apart."
    )


def test_who_pays_and_who_we_help_diverge_more(embedder):
    same = pair_divergence("who pays the bill", "whoever pays the invoice", embedder)
    different = pair_divergence("who pays the bill", "who we help day to day", embedder)
    assert different > same + 20
    alike = measure("customer", CANONICAL, ALIKE, embedder).divergence
    apart = measure("customer", CANONICAL, APART, embedder)
    assert apart.divergence > alike + 20


def test_the_furthest_pair_is_named_with_a_quote_from_each(embedder):
    found = measure("customer", CANONICAL, APART, embedder)
    furthest = found.furthest
    assert {furthest.first, furthest.second} <= {"finance", "sales", "support"}
    assert "support" in (furthest.first, furthest.second)
    assert furthest.first_quote in APART[furthest.first]
    assert furthest.second_quote in APART[furthest.second]
    assert [p.divergence for p in found.pairs] == sorted(
        (p.divergence for p in found.pairs), reverse=True
    )
    assert len(found.pairs) == 3  # every pair of three functions


def test_the_quote_is_the_definition_closest_to_its_function(embedder):
    texts = ["The company that pays our invoices.", "Whoever pays the bill.", "Our dog."]
    found = measure("customer", "", {"finance": texts}, embedder)
    assert found.functions[0].quote != "Our dog."
    assert found.functions[0].score is None and found.functions[0].relation == ""


def test_each_function_is_read_against_the_canonical(embedder):
    found = measure("customer", CANONICAL, APART, embedder)
    by_name = {f.function: f for f in found.functions}
    assert set(by_name) == set(APART)
    assert all(0 <= f.score <= 100 for f in found.functions)
    assert all(
        f.relation in ("conveys", "partly", "contradicts", "unrelated") for f in by_name.values()
    )
    assert by_name["finance"].definitions == 2


def test_one_function_is_not_enough_to_compare(embedder):
    found = measure("customer", CANONICAL, {"finance": ["Who pays."], "sales": [" "]}, embedder)
    assert found.divergence is None and found.furthest is None
    assert "two functions" in found.sentence()


def test_it_is_deterministic(embedder):
    first = measure("customer", CANONICAL, APART, embedder)
    again = measure("customer", CANONICAL, dict(reversed(list(APART.items()))), embedder)
    assert first == again


@pytest.mark.parametrize(
    "agreement, flagged", [(100 - divergence.READS_DIFFERENTLY, True), (50, False)]
)
def test_reads_differently_at_the_benchmark_cut(agreement, flagged):
    pair = divergence.PairReading("finance", "support", agreement, "a", "b")
    assert pair.reads_differently is flagged


# A glossary check-in on "active user": what people saw read against the canonical definition.
ACTIVE = "A user who was active in the past 7 days."
ACTIVE_READINGS = {
    "finance": ["A user who was active in the last 30 days."],
    "customer success": [
        "Someone who has not used Larkspur in the last 7 days.",
        "A user who did not log in this week.",
        "A user who has not logged in for a week.",
        "Someone who did not log in during the past week.",
    ],
    "marketing": ["A person who logged in during the past week."],
    "sales": ["A user who logged in at least once in the past 7 days."],
    "product": ["A user who logged in within a week.", "Someone who logged in this week."],
}


def test_a_reading_against_the_canonical_gives_one_verdict(embedder):
    found = measure("active user", ACTIVE, ACTIVE_READINGS, embedder)
    by_name = {f.function: f for f in found.functions}
    for name in ("finance", "customer success"):  # another number; the same with a "not"
        assert by_name[name].relation == "contradicts"
        assert by_name[name].score < relation.SHARES_DETAILS  # never "shared"
        assert "the canonical definition" in by_name[name].contradiction
    assert "different numbers" in by_name["finance"].contradiction
    for name in ("marketing", "sales", "product"):  # faithful paraphrases
        assert by_name[name].relation == "conveys", name
        assert by_name[name].score >= relation.CONVEYS
        assert by_name[name].contradiction == ""


def test_no_budget_contradicts_has_budget(embedder):
    canonical = "A prospect who has budget and a need we solve."
    readings = {"support": ["A prospect with no budget and no need for what we sell."]}
    support = measure("qualified lead", canonical, readings, embedder).functions[0]
    assert support.relation == "contradicts"
    assert support.score < relation.SHARES_DETAILS


def test_contradicting_functions_are_flagged_whatever_the_distance(embedder):
    found = measure("active user", ACTIVE, ACTIVE_READINGS, embedder)
    pairs = {frozenset((p.first, p.second)): p for p in found.pairs}
    for other in ("sales", "marketing", "product"):  # 30 days against a week
        pair = pairs[frozenset(("finance", other))]
        assert pair.reads_differently and "different numbers" in pair.contradiction
        assert "finance" in pair.contradiction and other in pair.contradiction
    paraphrases = [pairs[frozenset(p)] for p in combinations(("sales", "marketing", "product"), 2)]
    assert not any(p.reads_differently or p.contradiction for p in paraphrases)
    contradictions = [p.divergence for p in found.pairs if p.contradiction]
    assert min(contradictions) > max(p.divergence for p in paraphrases)


def test_two_figures_and_two_wordings_of_a_week(embedder):
    apart = pair_divergence("at least once in the past 7 days", "in the last 30 days", embedder)
    alike = pair_divergence("logged in within a week", "logged in within the week", embedder)
    assert apart == 100.0 and alike < READS_DIFFERENTLY
    assert pair_divergence("logged in this week", "logged in this month", embedder) == 100.0


def test_a_not_in_one_reading_is_no_contradiction_when_the_rest_says_something_else(embedder):
    """The demo's customer: support's "not" belongs to a clause of its own, and its reading is
    another thing than finance's, not its negation."""
    support = (
        "The AP clerks we help day to day: whoever opens a ticket because an invoice did not "
        "capture or a payment run failed."
    )
    finance = (
        "The legal entity that pays our invoice: who pays the bill, one billing account however "
        "many subsidiaries it runs."
    )
    [found] = divergence.contradictions([support], [finance], embedder)
    assert found.reason != divergence.NEGATED
