"""What a decision's comments add up to: the reading holds back its advice when one misread
comment would turn it around, each kind's share reads in plain words, and the API, the JSON
twin and the page give the same counts."""

import html
import re
from datetime import date

import pytest

from tests.api import api_request
from truenorth.decisions import actions
from truenorth.decisions.models import Comment, Decision, Kind
from truenorth.decisions.views import whole_shares

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


def test_a_lead_of_two_still_gives_the_advice_to_those_who_can_edit_it(client_for, decision):
    comments(decision, Kind.QUESTION, Kind.QUESTION, Kind.QUESTION, Kind.OBJECTION)
    finding = "Many questions: the decision reads as unclear to those who commented."
    for role in ("owner", "editor"):
        assert reading(client_for(role), decision).endswith(
            f"{finding} Make the record clearer (what was decided, why, what it means) and "
            "tell people again."
        )


def test_those_who_cannot_edit_it_read_the_finding_without_the_to_do(client_for, decision):
    """The owner's to-do read as an instruction to every reader; they get the finding alone."""
    comments(decision, Kind.QUESTION, Kind.QUESTION, Kind.QUESTION, Kind.OBJECTION)
    for role in ("member", "viewer"):
        said = reading(client_for(role), decision)
        assert said.endswith(
            "Many questions: the decision reads as unclear to those who commented."
        )
        assert "Make" not in said


def test_the_shares_add_up_to_100(client_for, decision):
    """5, 2 and 1 of 8, rounded one by one, read 63% + 25% + 13% = 101%; by largest remainder
    the 12.5 and the 62.5 cannot both round up."""
    comments(decision, *[Kind.QUESTION] * 5, Kind.OBJECTION, Kind.OBJECTION, Kind.SUPPORT)
    page = html.unescape(client_for("member").get("/w/acme/decisions/1/").content.decode())
    shares = [int(s) for s in re.findall(r"(\d+)% of comments", page)]
    assert len(shares) == 3 and sum(shares) == 100
    assert shares[1] == 25  # exact already
    twin = client_for("member").get("/w/acme/decisions/1.json").json()
    assert [k["share"] for k in twin["comment_kinds"]] == [62.5, 25.0, 12.5]  # exact, unrounded


@pytest.mark.parametrize(
    ("counts", "shares"),
    [
        ([5, 2, 1], [63, 25, 12]),
        ([1, 1, 1], [34, 33, 33]),
        ([3, 0, 1], [75, 0, 25]),
        ([0, 0, 0], [None, None, None]),
    ],
)
def test_whole_shares_add_up_to_100_by_largest_remainder(counts, shares):
    assert whole_shares(counts) == shares


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
