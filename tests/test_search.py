"""Search across goals, initiatives, work items, claims, customer feedback, check-ins, people,
teams, decisions, updates and glossary terms, as each role."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.models import Answer, Response
from truenorth.claims.models import Claim
from truenorth.decisions.actions import add_decision
from truenorth.decisions.models import Comment, Decision
from truenorth.feedback.actions import new_key
from truenorth.feedback.models import FeedbackItem, Kind, Source
from truenorth.glossary.models import Term
from truenorth.search.find import MAX_CHARS, PER_KIND
from truenorth.updates.models import Update
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Function, Person, Team
from truenorth.workspaces.people import ERASED_NAME, deactivate, erase

INTERNAL_KINDS = {
    "goals",
    "initiatives",
    "work_items",
    "claims",
    "feedback",
    "people",
    "teams",
    "decisions",
    "updates",
    "terms",
}
PARTNER_KINDS = {"initiatives", "decisions", "updates"}


@pytest.fixture
def content(strategy, workspace):
    Claim.objects.create(
        workspace=workspace,
        account="Northwind",
        said_on=date(2026, 10, 1),
        said_by_name="Pat Seller",
        text="Told them approvers can approve invoices from Slack.",
    )
    opened = timezone.now() - timedelta(days=1)
    create_alignment_pulse(workspace, "Autumn pulse", opened, opened + timedelta(days=7))
    return strategy


def found(client, words: str) -> dict:
    response = client.get("/w/acme/search.json", {"q": words})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def titles(results: dict, kind: str) -> list[str]:
    return [hit["title"] for hit in results[kind]["hits"]]


def test_it_finds_each_kind_by_its_words(client_for, content):
    client = client_for("owner")
    assert titles(found(client, "faster"), "goals") == ["#1 Faster close"]
    assert titles(found(client, "initiative"), "initiatives") == [
        "Internal initiative",
        "Partner initiative",
        "Public initiative",
    ]
    assert titles(found(client, "eng-"), "work_items") == ["ENG-1 Linked", "ENG-2 Orphan chore"]
    assert titles(found(client, "northwind"), "claims") == [
        "Told them approvers can approve invoices from Slack."
    ]
    assert titles(found(client, "pat sell"), "claims")  # by the name of who said it
    assert titles(found(client, "autumn"), "checkins") == ["Autumn pulse"]
    assert titles(found(client, "MEMBER"), "people") == ["Member"]  # case does not matter


def test_each_result_links_to_a_page_that_opens(client_for, content):
    client = client_for("owner")
    for words in ("faster", "initiative", "northwind", "autumn", "member"):
        for group in found(client, words).values():
            for hit in group["hits"]:
                assert client.get(hit["url"]).status_code == 200, hit


def test_a_partner_finds_only_what_is_shared_with_partners(client_for, content):
    client = client_for("partner")
    results = found(client, "initiative")
    assert set(results) == PARTNER_KINDS
    assert "Internal initiative" not in titles(results, "initiatives")
    assert len(titles(results, "initiatives")) == 2  # the partner and the public one
    for words in ("faster", "eng", "northwind", "member", "autumn"):
        assert all(not group["hits"] for group in found(client, words).values()), words
    page = client.get("/w/acme/search/", {"q": "initiative"}).content.decode()
    assert "Internal initiative" not in page and "Public initiative" in page
    for hit in results["initiatives"]["hits"]:
        assert client.get(hit["url"]).status_code == 200


@pytest.mark.parametrize(
    "role, kinds",
    [
        ("member", INTERNAL_KINDS),
        ("viewer", INTERNAL_KINDS | {"checkins"}),
        ("editor", INTERNAL_KINDS | {"checkins"}),
    ],
)
def test_check_in_results_are_searched_only_by_who_may_read_them(client_for, content, role, kinds):
    results = found(client_for(role), "autumn")
    assert set(results) == kinds
    page = client_for(role).get("/w/acme/search/", {"q": "autumn"}).content.decode()
    assert ("Autumn pulse" in page) == ("checkins" in kinds)


@pytest.mark.parametrize("words", ["", "a", " b "])
def test_too_few_characters_give_a_hint_not_everything(client_for, content, words):
    client = client_for("owner")
    response = client.get("/w/acme/search/", {"q": words})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="search-hint"' in page and "Faster close" not in page
    body = client.get("/w/acme/search.json", {"q": words}).json()
    assert body["results"] == {} and "at least 2 characters" in body["hint"]


@pytest.mark.parametrize("words", ["x" * (MAX_CHARS + 1), "ab\x00cd"])
def test_a_query_too_long_or_with_a_null_is_a_clear_400(client_for, content, words):
    client = client_for("owner")
    page = client.get("/w/acme/search/", {"q": words})
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    body = client.get("/w/acme/search.json", {"q": words})
    assert body.status_code == 400 and body.json()["error"]


def test_a_misspelt_search_offers_only_words_of_what_the_reader_may_see(client_for, content):
    asked = {"q": "internl initiative"}
    owner = client_for("owner").get("/w/acme/search.json", asked).json()
    assert owner["suggestion"] == "internal initiative"
    partner = client_for("partner").get("/w/acme/search.json", asked).json()
    assert partner["suggestion"] is None  # the internal initiative is not theirs to read
    page = client_for("partner").get("/w/acme/search/", asked).content.decode()
    assert "internal" not in page.lower().replace("internl", "")


def test_wildcards_are_taken_literally(client_for, content):
    assert all(not g["hits"] for g in found(client_for("owner"), "%_").values())


def test_a_long_list_shows_the_first_matches_and_says_there_are_more(client_for, content):
    WorkItem.objects.bulk_create(
        WorkItem(workspace=content["vision"].workspace, external_key=f"BULK-{n}", title="Chore")
        for n in range(PER_KIND + 5)
    )
    group = found(client_for("owner"), "bulk-")["work_items"]
    assert len(group["hits"]) == PER_KIND and group["more"] is True
    page = client_for("owner").get("/w/acme/search/", {"q": "bulk-"}).content.decode()
    assert "add a word to narrow the search" in page


def test_every_page_has_a_labelled_search_box(client_for, content):
    page = client_for("member").get("/w/acme/goals/").content.decode()
    form = re.search(
        r'<form role="search"[^>]*action="/w/acme/search/"[^>]*>(.*?)</form>', page, re.S
    )
    assert form, "no search form in the header"
    assert '<label for="search-q"' in form[1] and 'id="search-q"' in form[1]


def test_outsiders_and_anonymous_visitors_find_nothing(client, client_for, content):
    assert client_for("outsider").get("/w/acme/search.json", {"q": "faster"}).status_code == 404
    client.logout()
    assert client.get("/w/acme/search/", {"q": "faster"}).status_code == 302


def test_someone_deactivated_is_marked_so_in_the_results(client_for, content, workspace):
    client = client_for("owner")
    deactivate(workspace.people.get(name="Member"))
    hits = found(client, "member")["people"]["hits"]
    assert [(hit["title"], hit["detail"].split(" · ")[0]) for hit in hits] == [
        ("Member", "deactivated")
    ]
    page = client.get("/w/acme/search/", {"q": "member"}).content.decode()
    assert "<small>deactivated · Platform</small>" in page
    assert found(client, "editor")["people"]["hits"][0]["detail"] == "Platform"


@pytest.fixture
def tiger(workspace, team):
    """Team Tiger, within Engineering: three people, and one who left."""
    tiger = Team.objects.create(workspace=workspace, name="Tiger", parent=team.parent)
    for name in ("Ann Stripe", "Bo Stripe", "Cy Stripe", "Di Gone"):
        Person.objects.create(
            workspace=workspace,
            name=name,
            email=f"{name.split()[0].lower()}@acme.test",
            function=Function.ENGINEERING,
            team=tiger,
            active=name != "Di Gone",
        )
    return tiger


@pytest.mark.parametrize(
    "role, page",
    [
        ("owner", "/w/acme/teams/{}/edit/"),
        ("editor", "/w/acme/teams/{}/edit/"),
        ("member", "/w/acme/people/?team={}"),
        ("viewer", "/w/acme/people/?team={}"),
    ],
)
def test_a_team_is_found_by_its_name_and_leads_to_its_people(
    client_for, content, tiger, role, page
):
    client = client_for(role)
    [hit] = found(client, "tiger")["teams"]["hits"]
    assert (hit["title"], hit["detail"], hit["url"]) == (
        "Tiger",
        "3 people · within Engineering",
        page.format(tiger.pk),
    )
    opened = client.get(hit["url"]).content.decode()
    assert all(f"{n} Stripe" in opened for n in ("Ann", "Bo", "Cy")) and "Di Gone" not in opened
    assert "Tiger" in client.get("/w/acme/search/", {"q": "Tiger"}).content.decode()


def test_a_partner_finds_no_team(client_for, content, tiger):
    client = client_for("partner")
    results = found(client, "tiger")
    assert "teams" not in results and all(not group["hits"] for group in results.values())
    assert "Stripe" not in client.get("/w/acme/search/", {"q": "Tiger"}).content.decode()


@pytest.fixture
def records(workspace):
    """Decisions, updates and terms that say "ledger", some of them not for everyone."""
    for title, shared in (("Close on the general ledger", True), ("Ledger vendor fees", False)):
        add_decision(
            Decision(
                workspace=workspace,
                title=title,
                question="Which ledger?",
                raised_on=date(2026, 1, 5),
                shared_with_partners=shared,
            )
        )
    published = timezone.now()
    for number, title, when, narrative, note in (
        (1, "January", published, "The ledger work slipped.", "The ledger export is live."),
        (2, "February", published, "Ledger rebuild started.", "A quiet month."),
        (3, "March", None, "Ledger draft, not out yet.", "The ledger is coming."),
    ):
        Update.objects.create(
            workspace=workspace,
            number=number,
            title=title,
            period_start=date(2026, number, 1),
            period_end=date(2026, number, 28),
            narrative=narrative,
            partner_note=note,
            published_at=when,
        )
    Term.objects.create(
        workspace=workspace, name="close", canonical_definition="Balancing the ledger each month."
    )
    Term.objects.create(
        workspace=workspace,
        name="subledger",
        canonical_definition="A ledger under the general one.",
        archived_at=published,
    )


@pytest.mark.parametrize(
    "role, decisions, updates, terms",
    [
        (
            "editor",
            ["2. Ledger vendor fees", "1. Close on the general ledger"],
            ["Update 3: March", "Update 2: February", "Update 1: January"],  # drafts too
            ["close"],
        ),
        (
            "member",
            ["2. Ledger vendor fees", "1. Close on the general ledger"],
            ["Update 2: February", "Update 1: January"],  # published ones only
            ["close"],
        ),
        # Partners: shared decisions, and published updates by the note written for them.
        ("partner", ["1. Close on the general ledger"], ["Update 1: January"], None),
    ],
)
def test_decisions_updates_and_terms_are_found_as_their_pages_show_them(
    client_for, content, records, role, decisions, updates, terms
):
    client = client_for(role)
    results = found(client, "ledger")
    assert titles(results, "decisions") == decisions
    assert titles(results, "updates") == updates
    assert ("terms" in results) == (terms is not None)
    if terms is not None:
        assert titles(results, "terms") == terms  # not the archived one
    for group in results.values():
        for hit in group["hits"]:
            assert client.get(hit["url"]).status_code == 200, hit
    if role == "partner":
        assert all("/partners/" in hit["url"] for hit in results["updates"]["hits"])
        # The narrative is internal: its words find nothing for a partner.
        assert not found(client, "rebuild")["updates"]["hits"]
        assert (
            "Ledger vendor fees"
            not in client.get("/w/acme/search/", {"q": "ledger"}).content.decode()
        )


@pytest.fixture
def zorblat(workspace, content):
    """A decision whose only mention of "Zorblat" is deep in a comment, one shared with
    partners saying it in a comment too, and a check-in answer saying it."""
    said = (
        "I object: this ignores the Zorblat rollout that the support team depends on. "
        + "We have been over this before. " * 10
    )
    quiet, shared = (
        add_decision(
            Decision(
                workspace=workspace,
                title=title,
                question="Which way?",
                raised_on=date(2026, 1, 5),
                shared_with_partners=share,
            )
        )
        for title, share in (("Retire the old importer", False), ("Open the API", True))
    )
    Comment.objects.create(decision=quiet, text="Fine by me.")
    Comment.objects.create(decision=quiet, text="We have been over this before. " * 6 + said)
    Comment.objects.create(decision=shared, text="Zorblat customers will ask first.")
    pulse = workspace.checkins.get(title="Autumn pulse")
    response = Response.objects.create(checkin=pulse, function="engineering")
    Answer.objects.create(
        response=response, question=pulse.questions.first(), text="Zorblat answer, anonymous."
    )
    return quiet, shared


@pytest.mark.parametrize("role", ["owner", "member", "viewer"])
def test_a_decision_is_found_by_what_its_comments_say(client_for, zorblat, role):
    client = client_for(role)
    results = found(client, "zorblat")
    assert titles(results, "decisions") == ["2. Open the API", "1. Retire the old importer"]
    hit = results["decisions"]["hits"][1]
    # The comment's words around the match, though it sits deep in a long comment.
    assert "comment: “…" in hit["detail"] and "the Zorblat rollout" in hit["detail"]
    assert hit["url"] == "/w/acme/decisions/1/#comments"
    assert "the Zorblat rollout" in client.get(hit["url"]).content.decode()
    page = client.get("/w/acme/search/", {"q": "Zorblat"}).content.decode()
    assert "Retire the old importer" in page and "No decisions match" not in page
    # A check-in answer is never searched, though it says the word.
    assert "anonymous" not in str(results) and "anonymous" not in page


def test_a_partner_finds_no_decision_by_its_comments(client_for, zorblat):
    client = client_for("partner")
    assert not found(client, "zorblat")["decisions"]["hits"]
    assert titles(found(client, "open the api"), "decisions") == ["2. Open the API"]
    page = client.get("/w/acme/search/", {"q": "Zorblat"}).content.decode()
    assert "Open the API" not in page and "will ask first" not in page


@pytest.fixture
def many_items(workspace, team):
    """60 items of team Platform, 3 of no team, and one item with its page in a tracker."""
    WorkItem.objects.bulk_create(
        WorkItem(workspace=workspace, external_key=f"DES-{n}", title="Design", team=team)
        for n in range(10, 70)
    )
    WorkItem.objects.bulk_create(
        WorkItem(workspace=workspace, external_key=f"OPS-{n}", title="Chore") for n in range(3)
    )
    WorkItem.objects.create(
        workspace=workspace,
        external_key="WEB-1",
        title="Tracked",
        url="https://tracker.example/WEB-1",
    )


@pytest.mark.parametrize("key", ["DES-61", "OPS-2", "WEB-1"])
def test_a_work_item_leads_to_its_page(client_for, many_items, workspace, key):
    client = client_for("member")
    item = workspace.work_items.get(external_key=key)
    [hit] = found(client, key)["work_items"]["hits"]
    assert hit["url"] == f"/w/acme/work/{item.pk}/"
    opened = client.get(hit["url"]).content.decode()
    assert f"{key} {item.title}" in opened.replace("</a>", "")
    if item.url:  # the page leads on to the item in its tracker
        assert f'href="{item.url}"' in opened


@pytest.fixture
def crowd(workspace, team):
    """105 engineers of team Platform, "Crowd 000"…, so that the people list has two pages."""
    Person.objects.bulk_create(
        Person(
            workspace=workspace,
            name=f"Crowd {n:03}",
            email=f"crowd{n}@acme.test",
            function=Function.ENGINEERING,
            team=team,
        )
        for n in range(105)
    )


@pytest.mark.parametrize("name, page", [("Crowd 004", 1), ("Crowd 104", 2)])
def test_a_person_leads_a_member_to_the_page_of_the_list_that_shows_them(
    client_for, crowd, team, name, page
):
    client = client_for("member")
    [hit] = found(client, name)["people"]["hits"]
    filters = f"status=active&team={team.pk}&function=engineering&page={page}"
    assert hit["url"] == f"/w/acme/people/?{filters}"
    assert f">{name}<" in client.get(hit["url"]).content.decode()


def test_a_person_leads_an_editor_to_their_page_and_nobody_erased_is_found(
    client_for, crowd, workspace
):
    client = client_for("editor")
    person = workspace.people.get(name="Crowd 007")
    [hit] = found(client, "crowd 007")["people"]["hits"]
    assert hit["url"] == f"/w/acme/people/{person.pk}/edit/"
    assert client.get(hit["url"]).status_code == 200
    erase(person)
    assert not found(client, ERASED_NAME)["people"]["hits"]  # it would lead to a 404


@pytest.fixture
def tickets(workspace, content):
    """A ticket that says "Okta" beside the claim that does, and a field note about a rival."""
    Claim.objects.create(
        workspace=workspace,
        account="Contoso",
        said_on=date(2026, 10, 2),
        text="Promised Okta single sign-on by spring.",
    )
    ticket = FeedbackItem.objects.create(
        workspace=workspace,
        source=Source.ZENDESK,
        source_key="T-9001",
        kind=Kind.QUESTION,
        title="Can we get single sign-on?",
        text="Our security review is in April, so we need SSO first. Is Okta supported?",
        account="Contoso",
        received_on=date(2026, 3, 5),
    )
    note = FeedbackItem.objects.create(
        workspace=workspace,
        source=Source.FIELD,
        source_key=new_key(),
        kind=Kind.COMPARISON,
        text="BillFlow approves invoices from a phone and we do not.",
        account="Quayside Logistics",
        competitor="BillFlow",
        received_on=date(2026, 4, 1),
    )
    return ticket, note


@pytest.mark.parametrize("role", ["owner", "editor", "member", "viewer"])
def test_customer_feedback_is_found_by_everyone_inside(client_for, tickets, role):
    client = client_for(role)
    results = found(client, "okta")
    assert titles(results, "claims") == ["Promised Okta single sign-on by spring."]
    [hit] = results["feedback"]["hits"]
    assert hit["title"] == "Zendesk T-9001: Can we get single sign-on?"
    assert hit["detail"].startswith("Contoso · ")
    assert "Is Okta supported?" in hit["detail"]  # the words around what was searched for
    assert client.get(hit["url"]).status_code == 200  # the item's page, which names its theme
    # By its key, its account, a phrase of its words and the competitor it names.
    for words in ("T-9001", "contoso security review", "security review april", "billflow"):
        assert found(client, words)["feedback"]["hits"], words
    page = client.get("/w/acme/search/", {"q": "billflow"}).content.decode()
    # A field note keyed by the app shows no key; the rival's name alone finds it.
    assert "Field note: BillFlow approves invoices from a phone" in page
    assert "Quayside Logistics" in page and "field-" not in page
    assert f'href="/w/acme/feedback/{tickets[1].pk}/"' in page


def test_a_partner_finds_no_customer_feedback(client_for, tickets):
    client = client_for("partner")
    assert client.get("/w/acme/feedback/").status_code == 403  # as the feedback pages
    for words in ("okta", "T-9001", "billflow", "contoso", "quayside"):
        results = found(client, words)
        assert "feedback" not in results
        assert all(not group["hits"] for group in results.values()), words
        page = client.get("/w/acme/search/", {"q": words}).content.decode()
        assert "/feedback/" not in page and "Customer feedback" not in page
    # Nor is a misspelt account offered back to them, as it is to the owner.
    asked = {"q": "quaysde logistics"}
    assert client.get("/w/acme/search.json", asked).json()["suggestion"] is None
    owner = client_for("owner").get("/w/acme/search.json", asked).json()
    assert owner["suggestion"] == "quayside logistics"
