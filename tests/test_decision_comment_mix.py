"""What a decision's comments add up to: the reading holds back its advice when one misread
comment would turn it around, each kind's share reads in plain words, and the API, the JSON
twin and the page give the same counts."""

import html
from datetime import date

import pytest

from tests.api import api_request
from truenorth.decisions import actions
from truenorth.decisions.models import Comment, Decision, Kind

OCR = "Why would we migrate OCR in the same quarter as the NetSuite subsidiaries work? Reckless."


@pytest.fixture
def decision(workspace):
    made = Decision(
        workspace=workspace, title="Migrate OCR", question="Do we?", raised_on=date(2026, 1, 5)
    )
    actions.add_decision(made)
    return actions.decide(made, date(2026, 1, 7), "We migrate OCR this quarter.")


def comments(decision, *kinds, committed=0):
    for n, kind in enumerate(kinds):
        Comment.objects.create(
            decision=decision,
            text=OCR if n == 0 else f"Comment {n}",
            kind=kind,
            kind_by="model",
            disagree_and_commit=n < committed,
        )


def reading(client, decision) -> str:
    page = html.unescape(client.get(f"/w/acme/decisions/{decision.number}/").content.decode())
    start = page.find('id="comment-reading">')
    return page[start : page.find("</p>", start)] if start != -1 else ""


def test_a_lead_of_one_comment_gives_no_advice_but_says_it_is_close(client_for, decision):
    # The objection read as a question: three questions to two objections.
    comments(decision, Kind.QUESTION, Kind.QUESTION, Kind.QUESTION, Kind.OBJECTION, Kind.OBJECTION)
    said = reading(client_for("viewer"), decision)
    assert "About as many questions as objections" in said
    assert "unclear" not in said and "Make the record clearer" not in said


def test_a_lead_of_two_still_gives_the_advice(client_for, decision):
    comments(decision, Kind.QUESTION, Kind.QUESTION, Kind.QUESTION, Kind.OBJECTION)
    said = reading(client_for("viewer"), decision)
    assert said.endswith(
        "Many questions: the decision is unclear. Make the record clearer (what "
        "was decided, why, what it means) and tell people again."
    )


def test_each_kind_reads_in_plain_words(client_for, decision):
    comments(decision, Kind.QUESTION, Kind.QUESTION, Kind.QUESTION, Kind.SUPPORT, Kind.OBJECTION)
    page = html.unescape(client_for("member").get("/w/acme/decisions/1/").content.decode())
    assert "3 questions: 60% of comments ask one — fewer is better" in page
    assert "1 objection: 20% of comments object<" in page  # neither way is better
    assert "1 in support: 20% of comments support it — more is better" in page
    assert "Questions comments" not in page and "lower is better" not in page


def test_the_api_gives_the_comment_mix_the_json_twin_gives(client, client_for, users, decision):
    comments(decision, Kind.QUESTION, Kind.OBJECTION, Kind.OBJECTION, Kind.UNCLEAR, committed=2)
    twin = client_for("viewer").get("/w/acme/decisions/1.json").json()
    api = api_request(client, users["viewer"], "get", "/api/v1/workspaces/acme/decisions/1").json()
    names = ("comment_kinds", "comments_unclear", "comments_disagree_and_commit")
    assert {n: api[n] for n in names} == {n: twin[n] for n in names}
    assert twin["comments_unclear"] == 1 and twin["comments_disagree_and_commit"] == 2
    assert [(k["kind"], k["count"]) for k in twin["comment_kinds"]] == [
        ("question", 1),
        ("objection", 2),
        ("support", 0),
    ]
    decision.shared_with_partners = True
    decision.save()
    theirs = api_request(client, users["partner"], "get", "/api/v1/workspaces/acme/decisions/1")
    assert all(theirs.json()[n] is None for n in names)  # partners read no comments


def test_the_json_twin_says_what_superseded_it_as_the_api_does(client, client_for, users, decision):
    later = actions.add_decision(
        Decision(workspace=decision.workspace, title="OCR next year", question="When?")
    )
    actions.supersede(decision, later, date(2026, 1, 9))
    twin = client_for("viewer").get("/w/acme/decisions/1.json").json()
    api = api_request(client, users["viewer"], "get", "/api/v1/workspaces/acme/decisions/1").json()
    assert twin["superseded_by"] == api["superseded_by"] == [later.number]
    log = client_for("viewer").get("/w/acme/decisions.json").json()["decisions"]
    assert [d["superseded_by"] for d in log if d["number"] == 1] == [[later.number]]
    decision.shared_with_partners = True
    decision.save()
    # The later record is not shared: a partner does not learn of it.
    assert client_for("partner").get("/w/acme/decisions/1.json").json()["superseded_by"] == []
