"""The divergence measure on the glossary's pages, with the real model: the list ordered by it,
the term page's readings and pairs, jargon linked to the glossary, the dashboard's signal."""

import pytest
from django.urls import reverse

from truenorth.glossary import measure
from truenorth.glossary.actions import define
from truenorth.glossary.measure import measure_term
from truenorth.glossary.models import Term

CUSTOMER = {
    "finance": "Who pays the bill.",
    "support": "Who we help day to day.",
    "sales": "The buyer who signs the contract.",
}
INVOICE = {
    "finance": "The document asking a customer to pay for what they bought.",
    "sales": "The bill we send the customer for what they bought.",
}


def term_with(workspace, name, definitions, canonical="The organisation that buys our product."):
    term = Term.objects.create(workspace=workspace, name=name, canonical_definition=canonical)
    for function, text in definitions.items():
        define(term, function, text)
    return term


@pytest.fixture
def glossary(workspace):
    return {
        "invoice": term_with(workspace, "invoice", INVOICE, "What we send a customer to be paid."),
        "customer": term_with(workspace, "customer", CUSTOMER),
        "roadmap": term_with(workspace, "roadmap", {}),
    }


def test_it_orders_the_list_by_divergence_and_names_the_furthest_pair(client_for, glossary):
    page = client_for("viewer").get(reverse("glossary", args=["acme"])).content.decode()
    customer, invoice, roadmap = (
        page.index(f">{n}</a>") for n in ("customer", "invoice", "roadmap")
    )
    assert customer < invoice < roadmap  # most divergent first, the unmeasured last
    assert "read &#x27;customer&#x27; differently" in page
    assert "not yet measured" in page
    measured = Term.objects.get(pk=glossary["customer"].pk)
    assert measured.divergence > Term.objects.get(pk=glossary["invoice"].pk).divergence
    assert measured.divergence_detail["furthest"] == ["Sales", "Support"]
    # The flag is the named pair's, the figure the average's: both shown, so a flagged term
    # under the cut on average does not read as a contradiction.
    named = measured.divergence_detail["pairs"][0]
    assert f"flagged pair: Sales and Support, {named['divergence']:.0f}" in page
    assert named["divergence"] >= measured.divergence
    assert "furthest two" not in page


def test_the_term_page_shows_each_pair_and_each_function_against_the_canonical(
    client_for, glossary
):
    url = reverse("term", args=["acme", glossary["customer"].pk])
    page = client_for("viewer").get(url).content.decode()
    assert 'id="divergence-measure"' in page
    assert "Sales and Support read &#x27;customer&#x27; differently." in page
    assert page.count('<tr class="reads-differently">') >= 1
    assert "“Who we help day to day.”" in page
    assert 'id="divergence-heatmap"' in page
    assert 'id="divergence-canonical"' in page
    assert "good is 60 or more" in page  # what good looks like, from the measure registry


def test_a_term_is_measured_again_only_when_its_readings_change(glossary):
    term = measure_term(Term.objects.get(pk=glossary["invoice"].pk))
    when = term.divergence_measured_at
    assert measure_term(Term.objects.get(pk=term.pk)).divergence_measured_at == when
    define(term, "finance", "Who pays the bill.")
    define(term, "sales", "Who we help day to day.")
    again = measure_term(Term.objects.get(pk=term.pk))
    assert again.divergence_measured_at > when
    assert again.divergence > term.divergence


@pytest.mark.django_db(transaction=True)
def test_a_measure_is_kept_with_its_new_data_version_or_not_at_all(glossary, monkeypatch):
    """The dashboard's cached figures name the terms read differently: a measure written without
    a new data version would be hidden behind them until midnight."""

    def version_lost(workspace_id):
        raise RuntimeError("the data version could not be written")

    monkeypatch.setattr(measure, "bump", version_lost)
    with pytest.raises(RuntimeError):
        measure_term(Term.objects.get(pk=glossary["invoice"].pk))
    assert Term.objects.get(pk=glossary["invoice"].pk).divergence_measured_at is None


def test_one_function_is_not_yet_measured(client_for, workspace):
    term = term_with(workspace, "churn", {"finance": "Revenue we lose."})
    page = client_for("viewer").get(reverse("term", args=["acme", term.pk])).content.decode()
    assert "Not yet measured: it needs a definition from two functions." in page
    assert Term.objects.get(pk=term.pk).divergence is None


def alignment_page(client_for) -> str:
    return client_for("viewer").get(reverse("alignment", args=["acme"])).content.decode()


def test_the_dashboard_says_not_yet_measured_without_a_glossary(client_for, strategy):
    page = alignment_page(client_for)
    assert 'id="words-read-differently"' in page
    assert "Not yet measured: the glossary has no terms." in page


def test_the_dashboard_names_a_word_of_the_vision_two_functions_read_differently(
    client_for, strategy, glossary
):
    vision = strategy["vision"]
    vision.target_user = "Finance controllers at each customer"
    vision.save()
    page = alignment_page(client_for)
    url = reverse("term", args=["acme", glossary["customer"].pk])
    assert f'<a href="{url}">customer</a>: Sales and Support read it differently' in page
    assert ">invoice</a>" not in page  # not in the vision or goals, and read alike anyway
    data = client_for("viewer").get(reverse("alignment_json", args=["acme"])).json()
    assert [w["term"] for w in data["words_read_differently"]] == ["customer"]


def test_a_word_read_differently_outside_the_strategy_is_not_named(client_for, strategy, glossary):
    page = alignment_page(client_for)
    assert "No word of the vision or goals is read differently" in page


def test_the_term_page_gives_one_verdict_and_flags_contradicting_functions(client_for, workspace):
    """Seen on a term page: 30 days against a definition of 7 read "91 / 100 — shared …
    contradicts it", and two functions giving 7 and 30 days were the closest pair of all."""
    term = term_with(
        workspace,
        "active user",
        {
            "finance": "A user who was active in the last 30 days.",
            "sales": "A user who logged in at least once in the past 7 days.",
        },
        canonical="A user who was active in the past 7 days.",
    )
    page = client_for("viewer").get(reverse("term", args=["acme", term.pk])).content.decode()
    assert "Finance and Sales contradict each other on &#x27;active user&#x27;." in page
    assert "they contradict each other</strong>: Finance and Sales give different numbers" in page
    detail = client_for("viewer").get(reverse("term_json", args=["acme", term.pk])).json()
    finance, sales = detail["divergence_detail"]["functions"]
    assert finance["relation"] == "contradicts" and finance["score"] < 35
    assert "different numbers" in finance["contradiction"]
    assert sales["relation"] == "conveys" and sales["score"] >= 60
    assert "0 / 100 — not shared; good is 60 or more: contradicts it" in page
    assert detail["divergence_detail"]["pairs"][0]["reads_differently"]
