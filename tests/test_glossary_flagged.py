"""The glossary as a head of finance reads it, with the real model: flagged terms listed first,
the exports and the API saying which pair they name, what it is and why it is flagged, the list
saying what an unflagged term may still hide, and a contradiction counted and explained as one."""

import csv
import io

import pytest
from click.testing import CliRunner

from tests.api import api_request
from tests.test_glossary_divergence import term_with
from truenorth.analysis import divergence
from truenorth.cli import main
from truenorth.glossary.measure import NOT_FLAGGED, flagged_pairs
from truenorth.glossary.models import Term

# Finance, sales and customer success each say how long a renewal is: different numbers.
RENEWAL = {
    "finance": "A new 12-month contract signed when the current one ends.",
    "sales": "Any contract of 6 months or more signed by an existing customer.",
    "customer_success": "The customer staying with us another year.",
}
# The demo's launch: far apart on average (about 80), but no pair flagged.
LAUNCH = {
    "engineering": "The feature flag is on in production.",
    "marketing": "The announcement goes out: blog post, customer email and release notes.",
    "sales": "The day we may sell it and put it in a contract.",
}
# The demo's customer: three functions naming three different people, read as one topic.
CUSTOMER = {
    "finance": "The legal entity that pays our invoice: who pays the bill, one billing account "
    "however many subsidiaries it runs.",
    "sales": "The person who decides to buy and signs the order form, usually the CFO or the "
    "controller.",
    "support": "The AP clerks we help day to day: whoever opens a ticket because an invoice did "
    "not capture or a payment run failed.",
}
# Engineering and finance contradict each other by the classifier alone (its p(contradiction)
# just over the cut, no rule), which discounts them to about 76 apart: closer than sales is to
# either of them, a pair nothing flags.
ACCOUNT = {
    "engineering": "An account able to log in.",
    "finance": "A company who cannot log in.",
    "sales": "The bank details we pay suppliers from.",
}
# Finance's "not" is the only difference from sales'; marketing's shares two words with it.
QUALIFIED_LEAD = {
    "marketing": "A prospect marketing has not yet handed over.",
    "sales": "A prospect ready to buy.",
    "finance": "A prospect who is not ready to buy yet.",
}


@pytest.fixture
def glossary(workspace):
    return {
        "renewal": term_with(workspace, "renewal", RENEWAL, "Another contract term, signed."),
        "launch": term_with(workspace, "launch", LAUNCH, "The day it is on for every customer."),
        "customer": term_with(workspace, "customer", CUSTOMER),
    }


def listed_names(client_for) -> list[str]:
    return [t["name"] for t in client_for("member").get("/w/acme/glossary.json").json()["terms"]]


def test_a_term_two_functions_contradict_each_other_on_is_listed_first(client_for, glossary):
    page = client_for("viewer").get("/w/acme/glossary/").content.decode()
    renewal, launch = (Term.objects.get(name=n) for n in ("renewal", "launch"))
    # By the average alone renewal came below launch, nothing of which is flagged.
    assert renewal.divergence < launch.divergence
    assert page.index(">renewal</a>") < page.index(">launch</a>")
    assert renewal.flagged and not launch.flagged
    assert "contradict each other on, are flagged and come first" in page
    assert "Terms the functions read most differently come first" not in page
    assert listed_names(client_for)[0] == "renewal"
    result = CliRunner().invoke(main, ["glossary", "list", "-w", "acme"])
    assert result.exit_code == 0, result.output
    assert result.output.index("renewal:") < result.output.index("launch:")
    assert "Flagged: Finance and Sales give different numbers for the same thing." in result.output


def test_the_exports_say_which_pair_they_name_and_why_it_is_flagged(
    client_for, users, client, glossary
):
    client_for("member").get("/w/acme/glossary/")  # measured as the list measures them
    response = client_for("member").get("/w/acme/glossary.csv")
    rows = {r["term"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    renewal = rows["renewal"]
    assert renewal["furthest_pair"] == "Finance and Sales"
    assert renewal["furthest_pair_named_as"] == "flagged pair"
    assert renewal["furthest_pair_divergence"] == "100"
    assert renewal["flagged"] == "yes"
    said = "Flagged: Finance and Sales give different numbers for the same thing."
    assert renewal["pair_verdict"] == said
    assert int(renewal["divergence"]) < 85  # the average alone hid it
    assert (rows["launch"]["flagged"], rows["launch"]["pair_verdict"]) == ("no", NOT_FLAGGED)
    assert rows["launch"]["furthest_pair"] and rows["launch"]["furthest_pair_divergence"]
    assert rows["launch"]["furthest_pair_named_as"] == "furthest apart"

    listed = client_for("member").get("/w/acme/glossary.json").json()["terms"]
    twin = next(t for t in listed if t["name"] == "renewal")
    assert twin["flagged"] is True and twin["pair_verdict"] == said
    assert twin["furthest_pair"] == {
        "named_as": "flagged pair",
        "first": "Finance",
        "second": "Sales",
        "divergence": 100.0,
        "reads_differently": True,
        "contradiction": "Finance and Sales give different numbers for the same thing",
    }
    assert twin["divergence"] < 85 and twin["definitions"]  # the fields it had are kept
    term_twin = client_for("member").get(f"/w/acme/glossary/{twin['id']}.json").json()
    assert term_twin["pair_verdict"] == said and term_twin["furthest_pair"] == twin["furthest_pair"]

    url = "/api/v1/workspaces/acme/terms"
    items = {t["name"]: t for t in api_request(client, users["member"], "get", url).json()["items"]}
    assert items["renewal"]["furthest_pair"] == twin["furthest_pair"]
    assert (items["renewal"]["flagged"], items["renewal"]["pair_verdict"]) == (True, said)
    assert (items["launch"]["flagged"], items["launch"]["pair_verdict"]) == (False, NOT_FLAGGED)
    one = api_request(client, users["member"], "get", f"{url}/{twin['id']}").json()
    assert (one["flagged"], one["pair_verdict"]) == (True, said)


def test_an_unmeasured_term_exports_empty_cells_and_nulls(client_for, workspace):
    term_with(workspace, "roadmap", {})
    row = next(csv.DictReader(io.StringIO(client_for("member").get("/w/acme/glossary.csv").text)))
    named = ("furthest_pair", "furthest_pair_named_as", "flagged", "pair_verdict")
    assert [row[c] for c in named] == ["", "", "", ""]
    (twin,) = client_for("member").get("/w/acme/glossary.json").json()["terms"]
    assert (twin["furthest_pair"], twin["flagged"], twin["pair_verdict"]) == (None, None, None)


def test_every_place_names_the_flagged_pair_as_such_where_an_unflagged_pair_is_further_apart(
    client_for, users, client, workspace
):
    """Seen on the list: "furthest two: 79" under "Engineering and Finance contradict each other
    on 'account'", 76 apart: the figure was of another pair, which read as a contradiction."""
    term = term_with(workspace, "account", ACCOUNT, "A customer's billing relationship.")
    page = client_for("viewer").get(f"/w/acme/glossary/{term.pk}/").content.decode()
    pairs = Term.objects.get(pk=term.pk).divergence_detail["pairs"]
    flagged, *others = pairs
    assert (flagged["first"], flagged["second"]) == ("Engineering", "Finance")
    assert flagged["contradiction"] == "Engineering and Finance say opposite things"
    further = [p for p in others if p["divergence"] > flagged["divergence"]]
    assert further and not any(p["reads_differently"] for p in further)  # the case itself
    said = f"flagged pair: Engineering and Finance, {flagged['divergence']:.0f}"

    assert f"Flagged pair: Engineering and Finance, {flagged['divergence']:.0f}" in page
    listed = client_for("viewer").get("/w/acme/glossary/").content.decode()
    line = row_of(listed, term)
    assert said in line and "contradict each other on" in line
    assert "furthest" not in line  # neither "furthest two" nor another pair's figure
    assert f", {max(p['divergence'] for p in further):.0f}<" not in line

    csv_text = client_for("member").get("/w/acme/glossary.csv").text
    row = next(csv.DictReader(io.StringIO(csv_text)))
    named = ("furthest_pair", "furthest_pair_named_as", "furthest_pair_divergence")
    assert [row[c] for c in named] == [
        "Engineering and Finance",
        "flagged pair",
        f"{flagged['divergence']:.0f}",
    ]
    (twin,) = client_for("member").get("/w/acme/glossary.json").json()["terms"]
    assert twin["furthest_pair"]["named_as"] == "flagged pair"
    assert (twin["furthest_pair"]["first"], twin["furthest_pair"]["second"]) == (
        "Engineering",
        "Finance",
    )
    term_twin = client_for("member").get(f"/w/acme/glossary/{term.pk}.json").json()
    url = f"/api/v1/workspaces/acme/terms/{term.pk}"
    one = api_request(client, users["member"], "get", url).json()
    assert term_twin["furthest_pair"] == one["furthest_pair"] == twin["furthest_pair"]

    result = CliRunner().invoke(main, ["glossary", "list", "-w", "acme"])
    assert result.exit_code == 0, result.output
    assert said in result.output


def row_of(page: str, term: Term) -> str:
    row = page[page.index(f'id="term-{term.pk}"') :]
    return row[: row.index("</tr>")]


def test_the_list_says_what_the_model_can_miss_where_nothing_is_flagged(client_for, glossary):
    page = client_for("member").get("/w/acme/glossary/").content.decode()
    customer = Term.objects.get(name="customer")
    row = row_of(page, customer)
    assert "far enough apart to flag" in row  # three different people, read as one topic
    assert "Not flagged: the model can miss definitions that name different people" in row
    assert "read them side by side." in row
    assert "Not flagged" not in row_of(page, glossary["renewal"])
    listed = client_for("member").get("/w/acme/glossary.json").json()["terms"]
    assert next(t for t in listed if t["name"] == "customer")["pair_verdict"] == NOT_FLAGGED


def test_a_contradiction_is_counted_as_one_and_a_not_explained_where_words_are_shared(
    client_for, workspace
):
    """Seen on the demo: "2 pairs of functions read it as different senses of the word" of two
    pairs that contradict each other, and "say the same thing, but one of them with a 'not'" of
    two texts sharing two words."""
    term = term_with(workspace, "qualified lead", QUALIFIED_LEAD, "A prospect with budget.")
    page = client_for("viewer").get(f"/w/acme/glossary/{term.pk}/").content.decode()
    said = "2 pairs of functions contradict each other on it and are flagged, though the average"
    assert said in page
    assert "different senses of the word and are flagged" not in page
    reasons = {
        (p["first"], p["second"]): p["contradiction"]
        for p in Term.objects.get(pk=term.pk).divergence_detail["pairs"]
    }
    assert reasons[("Finance", "Sales")] == divergence.NEGATED.format(a="Finance", b="Sales")
    assert reasons[("Marketing", "Sales")] == divergence.NEGATED_IN_OTHER_WORDS.format(
        a="Marketing", b="Sales"
    )
    assert "Marketing and Sales say opposite things in different words" in page


@pytest.mark.parametrize(
    ("contradicting", "different", "said"),
    [
        (1, 0, "Two functions contradict each other on it and are flagged"),
        (2, 0, "2 pairs of functions contradict each other on it and are flagged"),
        (0, 1, "One pair of functions reads it as different senses of the word and is flagged"),
        (0, 3, "3 pairs of functions read it as different senses of the word and are flagged"),
        (
            1,
            1,
            "Two functions contradict each other on it and one pair reads it as different "
            "senses of the word; both pairs are flagged",
        ),
        (
            2,
            2,
            "2 pairs of functions contradict each other on it and 2 pairs read it as different "
            "senses of the word; all 4 pairs are flagged",
        ),
    ],
)
def test_flagged_pairs_are_counted_by_what_flags_them(contradicting, different, said):
    assert flagged_pairs(contradicting, different) == said


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ("A prospect with no budget and a need.", "A prospect who has budget and a need.", True),
        ("A prospect who is not ready to buy yet.", "A prospect ready to buy.", True),
        ("A prospect marketing has not yet handed over.", "A prospect ready to buy.", False),
        ("A user who didn't log in.", "A user who did log in.", True),
    ],
)
def test_most_words_shared(a, b, shared):
    assert divergence.most_words_shared(a, b) is shared
