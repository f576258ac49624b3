"""Jargon in a decision's own text is flagged as the vision's clarity check flags it, each word
linked to its glossary entry or offered to editors as a new one; the JSON twin lists them."""

from datetime import date

import pytest
from django.urls import reverse

from truenorth.decisions import actions
from truenorth.decisions.models import Decision
from truenorth.glossary.models import Term

NEW = reverse("new_term", args=["acme"])


@pytest.fixture
def decision(workspace, users):
    d = Decision(
        workspace=workspace,
        title="Who owns GL mapping?",
        question="Do subsidiaries map their own GL accounts?",
        context="NetSuite customers need it before the ERP (enterprise resource planning) sync.",
        options=[{"name": "Parent maps", "pros": "One truth", "cons": "Slow for each SPV"}],
        raised_on=date(2026, 3, 1),
        shared_with_partners=True,
    )
    actions.add_decision(d)
    actions.decide(d, date(2026, 3, 4), "The parent maps. The CEO signs off.", "AP teams ask.")
    return d


@pytest.fixture
def gl(workspace):
    return Term.objects.create(workspace=workspace, name="GL", canonical_definition="The ledger.")


def page(client):
    return client.get("/w/acme/decisions/1/").content.decode()


def test_a_known_term_links_to_its_entry_and_an_unknown_one_is_offered(client_for, decision, gl):
    editor = page(client_for("editor"))
    assert 'id="jargon"' in editor
    url = reverse("term", args=["acme", gl.pk])
    assert f'<a class="glossary-link" href="{url}">“GL” in the glossary</a>' in editor
    assert f'<a class="glossary-add" href="{NEW}?name=SPV">Add SPV to the glossary</a>' in editor
    assert f"{NEW}?name=AP" in editor  # in the rationale
    assert "name=ERP" not in editor  # spelled out in brackets
    assert "name=CEO" not in editor  # known to anyone who reads the news


def test_readers_see_the_words_and_only_editors_the_offer(client_for, decision, gl):
    member = page(client_for("member"))
    assert "SPV" in member and "glossary-add" not in member and "glossary-link" in member
    partner = page(client_for("partner"))
    assert partner.count('id="jargon"') == 0 and "glossary" not in partner


def test_the_json_twin_lists_each_word_once_with_its_entry(client_for, decision, gl):
    data = client_for("viewer").get("/w/acme/decisions/1.json").json()
    assert data["jargon"] == [
        {
            "word": "GL",
            "where": "the title",
            "term_url": reverse("term", args=["acme", gl.pk]),
        },
        {"word": "SPV", "where": "the options", "term_url": None},
        {"word": "AP", "where": "why", "term_url": None},
    ]
    assert "jargon" not in client_for("partner").get("/w/acme/decisions/1.json").json()


def test_plain_words_flag_nothing(client_for, workspace, users):
    actions.add_decision(
        Decision(workspace=workspace, title="Price", question="How?", raised_on=date(2026, 3, 1))
    )
    assert 'id="jargon"' not in page(client_for("editor"))
    assert client_for("editor").get("/w/acme/decisions/1.json").json()["jargon"] == []
