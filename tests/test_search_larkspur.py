"""Search in the demo workspace as a newcomer uses it: other names of goals, every word in any
order and form, near words for a misspelt search, short words at word starts, best matches
first and work items at their row. Real database, the demo as built."""

import re

import pytest

from truenorth.workspaces.models import Membership


@pytest.fixture
def as_role(client, built_demo, db):
    def login(role):
        client.force_login(Membership.objects.get(workspace=built_demo, role=role).user)
        return client

    return login


def searched(client, words: str) -> dict:
    response = client.get("/w/larkspur/search.json", {"q": words})
    assert response.status_code == 200, response.content
    return response.json()


def titles(client, words: str, kind: str) -> list[str]:
    return [hit["title"] for hit in searched(client, words)["results"][kind]["hits"]]


def ranks(client, words: str) -> list[str]:
    """The goals found, by their rank ("#2 …" is 2)."""
    return [title.split()[0] for title in titles(client, words, "goals")]


@pytest.mark.parametrize(
    "words, goal",
    [("no-touch rate", "#1"), ("go-live", "#5"), ("go live", "#5"), ("NetSuite reliability", "#2")],
)
def test_a_goal_is_found_by_its_other_names(as_role, words, goal):
    assert goal in ranks(as_role("member"), words)


def test_a_goal_named_by_the_words_searched_for_is_the_best_match(as_role):
    client = as_role("member")
    best = searched(client, "go-live")["best"]
    assert [(hit["kind"], hit["title"].split()[0]) for hit in best] == [("goals", "#5")]
    # The decision that names the goal is still found with it.
    assert "6. Move Xero multi-currency to next half" in titles(
        client, "NetSuite reliability", "decisions"
    )


@pytest.mark.parametrize(
    "words, kind, expected",
    [
        ("invoice touchless", "goals", "#1 Raise the touchless invoice rate from 41% to 70%"),
        ("payment provider", "decisions", "7. Payments provider for supplier payouts"),
        ("supplier payments", "goals", "#4 Get 30% of active customers paying suppliers"),
        ("pay suppliers", "goals", "#4 Get 30% of active customers paying suppliers"),
        ("accounts", "terms", "account"),
    ],
)
def test_every_word_is_found_in_any_order_and_form(as_role, words, kind, expected):
    assert any(title.startswith(expected) for title in titles(as_role("member"), words, kind))


@pytest.mark.parametrize("typed, meant", [("netsute", "netsuite"), ("apprvoal", "approval")])
def test_a_misspelt_search_offers_the_workspace_s_word(as_role, typed, meant):
    client = as_role("member")
    body = searched(client, typed)
    assert all(not group["hits"] for group in body["results"].values())
    assert body["suggestion"] == meant
    assert any(group["hits"] for group in searched(client, meant)["results"].values())
    page = client.get("/w/larkspur/search/", {"q": typed}).content.decode()
    assert f'Did you mean <a href="?q={meant}">{meant}</a>?' in page


def test_a_search_that_finds_something_suggests_nothing(as_role):
    body = searched(as_role("member"), "netsuite")
    assert body["suggestion"] is None
    assert (
        "Did you mean"
        not in as_role("member").get("/w/larkspur/search/", {"q": "netsuite"}).content.decode()
    )


def test_short_words_match_only_where_words_start(as_role):
    client = as_role("member")
    assert not {"Rosa Delgado", "Gareth Pryce"} & set(titles(client, "GA", "people"))
    assert "Leadership" not in titles(client, "ship", "teams")
    assert "Leadership" in titles(client, "lead", "teams")  # at its start


def test_the_glossary_term_named_customer_comes_first(as_role):
    client = as_role("member")
    body = searched(client, "customer")
    assert ("terms", "customer") in [(hit["kind"], hit["title"]) for hit in body["best"]]
    kinds = list(body["results"])
    assert kinds.index("terms") < kinds.index("goals") < kinds.index("decisions")
    page = client.get("/w/larkspur/search/", {"q": "customer"}).content.decode()
    best = page.split('id="found-best"')[1].split("</section>")[0]
    assert ">customer</a> <small>Glossary terms · A company" in best
    # The page's sections in the twin's order, each linked from the summary with its count.
    with_hits = [kind for kind, group in body["results"].items() if group["hits"]]
    assert re.findall(r'<section class="search-group" id="found-(\w+)"', page) == [
        "best",
        *with_hits,
    ]
    summary = page.split('id="found-summary"')[1].split("</nav>")[0]
    assert re.findall(r'href="#found-(\w+)"', summary) == with_hits
    assert f"Glossary terms ({len(body['results']['terms']['hits'])})" in summary


def test_a_work_item_leads_to_its_page(as_role, built_demo):
    client = as_role("member")
    item = built_demo.work_items.get(external_key="CAP-203")
    [hit] = searched(client, "CAP-203")["results"]["work_items"]["hits"]
    assert hit["url"] == f"/w/larkspur/work/{item.pk}/"
    page = client.get(hit["url"]).content.decode()
    assert f'<h1 class="work-item-title">CAP-203 {item.title}</h1>' in page
