"""Decisions: numbering, status changes, pages per role, partner sharing, exports, speed."""

import csv
import html
import io
import json
import re
import threading
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

from tests.api import api_request
from truenorth.cli import main
from truenorth.decisions import actions, export, speed
from truenorth.decisions.forms import DecisionForm
from truenorth.decisions.models import Comment, Decision, Kind, Status
from truenorth.roadmap.models import Visibility

AHEAD = date.today() + timedelta(days=400)  # a day that has not come, in a plausible year

WHY = "The card partner withdrew its rebate."


def new(workspace, title="Which ledger do we close on?", raised=date(2026, 1, 5), **fields):
    decision = Decision(
        workspace=workspace, title=title, question=f"{title}?", raised_on=raised, **fields
    )
    return actions.add_decision(decision)


@pytest.fixture
def decision(workspace, strategy, users):
    d = new(
        workspace,
        options=[
            {"name": "General ledger", "pros": "One source\nAuditors know it", "cons": "Slow"},
            {"name": "Sub-ledgers", "pros": "Fast", "cons": ""},
        ],
        context="Close takes 9 days.",
        owner=users["editor"].memberships.get().person,
    )
    d.blocks.add(strategy["initiatives"][Visibility.INTERNAL])
    d.goals.add(strategy["goals"][0])
    d.deciders.add(users["owner"].memberships.get().person)
    return d


def test_it_numbers_decisions_per_workspace(workspace):
    assert [new(workspace, f"D{n}").number for n in range(3)] == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_decisions_apart(workspace):
    """Two writers at once still get distinct numbers: the workspace row is the lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by itself; the row lock matters on PostgreSQL")
    numbers, errors = [], []

    def add():
        try:
            numbers.append(new(workspace, "Parallel").number)
        except Exception as failure:  # noqa: BLE001 -- reported by the assert below
            errors.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]


def test_it_decides_supersedes_and_reverses(workspace):
    first = new(workspace)
    with pytest.raises(actions.NotAllowed):
        actions.decide(first, date(2026, 1, 9))  # nothing said about what was decided
    with pytest.raises(actions.NotAllowed):
        actions.decide(first, date(2026, 1, 1), outcome="GL")  # before it was raised
    actions.decide(first, date(2026, 1, 9), outcome="The general ledger.")
    assert (first.status, first.decided_on) == (Status.DECIDED, date(2026, 1, 9))
    second = new(workspace, "Which ledger, again", raised=date(2026, 3, 1))
    actions.supersede(first, second, date(2026, 3, 2))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.SUPERSEDED and first.closed_on == date(2026, 3, 2)
    assert second.supersedes == first
    with pytest.raises(actions.NotAllowed):
        actions.reverse(first, "The auditors object.")  # superseded, not decided
    actions.decide(second, date(2026, 3, 4), outcome="Sub-ledgers.")
    with pytest.raises(actions.NotAllowed, match="Say why it is reversed"):
        actions.reverse(second, " ", date(2026, 4, 1))
    actions.reverse(second, " The auditors object. ", date(2026, 4, 1))
    second.refresh_from_db()
    assert (second.status, second.reversed_because) == (Status.REVERSED, "The auditors object.")


def test_a_decision_is_replaced_only_by_a_later_one_that_holds(workspace):
    """Superseding #11 by #8, raised a week before and still open, was accepted, and #11's page
    then said "Replaced by a later decision"."""
    later = new(workspace, "Which ledger, again", raised=date(2026, 3, 1))
    earlier = new(workspace, "Which ledger, first", raised=date(2026, 1, 2))
    with pytest.raises(actions.NotAllowed, match="raised on 2 January 2026, before decision"):
        actions.supersede(later, earlier, date(2026, 3, 2))
    third = new(workspace, "Which ledger, at last", raised=date(2026, 2, 1))
    actions.supersede(earlier, later, date(2026, 3, 2))
    with pytest.raises(actions.NotAllowed, match="already replaces decision"):
        actions.supersede(third, later, date(2026, 3, 6))
    actions.decide(third, date(2026, 3, 6), outcome="Sub-ledgers.")
    actions.reverse(third, "The auditors object.", date(2026, 3, 7))
    fourth = new(workspace, "Which ledger, once more", raised=date(2026, 3, 1))
    with pytest.raises(actions.NotAllowed, match="is reversed: it replaces nothing"):
        actions.supersede(fourth, third, date(2026, 3, 8))
    assert Decision.objects.get(pk=later.pk).status == Status.PROPOSED


def test_a_decision_is_not_made_on_an_impossible_day(workspace):
    open_one = new(workspace)
    with pytest.raises(
        actions.NotAllowed,
        match=f"Decided on can't be a future day: {date_format(AHEAD)} hasn't come yet.",
    ):
        actions.decide(open_one, AHEAD, outcome="The general ledger.")
    with pytest.raises(actions.NotAllowed, match="is the year mistyped"):
        actions.decide(open_one, date(1, 1, 1), outcome="The general ledger.")
    assert Decision.objects.get(pk=open_one.pk).status == Status.PROPOSED


def test_a_made_decision_is_not_closed_on_an_impossible_day(workspace):
    made = actions.decide(new(workspace), date(2026, 1, 9), outcome="The general ledger.")
    later = new(workspace, "Which ledger, again")
    refused = [
        (lambda: actions.reverse(made, WHY, date(2026, 1, 8)), "reversed before it was made"),
        (lambda: actions.reverse(made, WHY, AHEAD), "Reversed on can't be a future day"),
        (lambda: actions.supersede(made, later, date(2026, 1, 8)), "superseded before it was"),
        (lambda: actions.supersede(made, made, date(2026, 2, 1)), "cannot supersede itself"),
    ]
    for change, refusal in refused:
        with pytest.raises(actions.NotAllowed, match=refusal):
            change()
    assert Decision.objects.get(pk=made.pk).status == Status.DECIDED


@pytest.mark.parametrize(
    "raised, refusal",
    [
        (
            AHEAD.isoformat(),
            f"Raised on can't be a future day: {date_format(AHEAD)} hasn't come yet.",
        ),
        ("0001-01-01", "0001-01-01 is not between 2000 and"),
    ],
)
def test_a_decision_raised_on_an_impossible_day_is_refused_with_its_form(
    client_for, workspace, raised, refusal
):
    typed = {"title": "Price per seat?", "question": "How do we price?", "raised_on": raised}
    page = client_for("editor").post("/w/acme/decisions/new/", typed)
    assert page.status_code == 400
    shown = html.unescape(page.content.decode())
    assert refusal in shown and "Price per seat?" in shown
    top = shown[shown.index('class="message error form-problems"') :]  # at the form's top
    assert f'<a href="#id_raised_on">Raised on</a>: {refusal}' in top
    assert not workspace.decisions.exists()
    with pytest.raises(actions.NotAllowed, match="hasn't come yet"):
        new(workspace, raised=AHEAD)  # the CLI and the demo go through here


def test_an_edit_cannot_raise_a_decision_after_it_was_made(client_for, workspace, decision):
    actions.decide(decision, date(2026, 1, 9), outcome="The general ledger.")
    form = DecisionForm(instance=decision, workspace=workspace)
    typed = {name: form[name].value() for name in form.Meta.fields if form[name].value()}
    typed["raised_on"] = "2026-02-01"
    page = client_for("editor").post(f"/w/acme/decisions/{decision.number}/edit/", typed)
    assert page.status_code == 400
    assert "It was decided on 9 Jan 2026: it was raised on that day or before." in html.unescape(
        page.content.decode()
    )


def d(raised, decided=None, status=Status.DECIDED):
    return Decision(raised_on=raised, decided_on=decided, status=status)


def test_latency_arithmetic_with_fixed_dates():
    decisions = [
        d(date(2026, 1, 1), date(2026, 1, 11)),  # 10 days, decided long ago
        d(date(2026, 5, 1), date(2026, 5, 3)),  # 2 days
        d(date(2026, 5, 1), date(2026, 5, 9)),  # 8 days
        d(date(2026, 5, 20), date(2026, 6, 9)),  # 20 days
        d(date(2026, 4, 1), None, Status.PROPOSED),  # open: no latency
    ]
    assert [speed.latency_days(x) for x in decisions] == [10, 2, 8, 20, None]
    assert speed.median_days(decisions) == 9  # median of 2, 8, 10, 20
    # The last 90 days before 10 June: the January decision is out.
    assert speed.recent_latency(decisions, date(2026, 6, 10)) == (8, 3)
    assert speed.monthly_trend(decisions) == [("2026-01", 10), ("2026-05", 5), ("2026-06", 20)]
    assert speed.recent_latency([], date(2026, 6, 10)) == (None, 0)


def test_open_ageing_lists_oldest_first_with_what_they_block(workspace, decision, strategy):
    younger = new(workspace, "Younger", raised=date(2026, 2, 1))
    actions.decide(new(workspace, "Done", raised=date(2026, 1, 1)), date(2026, 1, 2), "Yes")
    waiting = speed.open_ageing(workspace.decisions.all(), date(2026, 2, 5))
    assert [(w.decision, w.days_open) for w in waiting] == [(decision, 31), (younger, 4)]
    assert waiting[0].blocks == [strategy["initiatives"][Visibility.INTERNAL]]


def test_markdown_export_follows_madr(decision):
    actions.decide(decision, date(2026, 1, 20), "The general ledger.", "Auditors trust it.")
    text = export.markdown(decision)
    assert text.startswith("# 1. Which ledger do we close on?\n")
    assert "* Status: decided" in text and "* Decided: 2026-01-20" in text
    assert "* Owner: Editor" in text and "* Deciders: Owner" in text
    assert "## Considered Options\n\n* General ledger\n* Sub-ledgers" in text
    assert "## Decision Outcome\n\nThe general ledger." in text
    assert "### Rationale\n\nAuditors trust it." in text
    assert (
        "### General ledger\n\n* Good, because One source\n* Good, because Auditors know it" in text
    )
    assert "* Bad, because Slow" in text
    partner = export.markdown(decision, for_partner=True)
    assert "Owner" not in partner and "Editor" not in partner


def test_the_log_exports_every_record_in_one_file(client_for, workspace, decision):
    new(workspace, "Second one")
    response = client_for("viewer").get("/w/acme/decisions.md")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert "# Decision log: Acme" in text
    assert "## 2. Second one" in text and "## 1. Which ledger do we close on?" in text
    rows = client_for("viewer").get("/w/acme/decisions.csv").content.decode().splitlines()
    assert rows[0].startswith("number,title,status")
    assert len(rows) == 3


@pytest.mark.parametrize("role", ["owner", "editor", "member", "viewer"])
def test_everyone_inside_reads_the_log_and_the_record(client_for, decision, role):
    client = client_for(role)
    assert "Which ledger" in client.get("/w/acme/decisions/").content.decode()
    page = client.get("/w/acme/decisions/1/").content.decode()
    assert "General ledger" in page and "Editor" in page  # the owner's name
    assert 'id="comment-form"' in page
    assert ('id="decide-form"' in page) == (role in ("owner", "editor"))


def test_partners_see_only_shared_records_without_names_or_comments(client_for, decision):
    Comment.objects.create(decision=decision, text="Who signs off on this?")
    partner = client_for("partner")
    assert partner.get("/w/acme/decisions/1/").status_code == 404
    assert partner.get("/w/acme/decisions/1.json").status_code == 404
    assert "Which ledger" not in partner.get("/w/acme/decisions/").content.decode()
    decision.shared_with_partners = True
    decision.save()
    page = partner.get("/w/acme/decisions/1/").content.decode()
    assert "General ledger" in page
    assert "Editor" not in page and "Owner" not in page  # no people's names
    assert "Who signs off" not in page and 'id="comment-form"' not in page
    data = partner.get("/w/acme/decisions/1.json").json()
    assert "owner" not in data and "comments" not in data and "deciders" not in data
    assert "Editor" not in partner.get("/w/acme/decisions/1.md").content.decode()
    assert partner.post("/w/acme/decisions/1/comments/", {"text": "hi"}).status_code == 403
    actions.supersede(decision, new(decision.workspace, "Which ledger, again"))
    page = partner.get("/w/acme/decisions/1/").content.decode()
    assert "a later decision not shared with partners" in page and "Which ledger, again" not in page


def test_a_superseded_decisions_headline_names_what_replaced_it(client_for, workspace, decision):
    later = new(workspace, "Ledger, again", raised=date(2026, 2, 1))
    actions.supersede(decision, later, date(2026, 2, 2))
    page = client_for("member").get("/w/acme/decisions/1/").content.decode()
    headline = page.split('id="status-meaning">')[1].split("</p>")[0]
    assert headline.startswith(
        f'Replaced by <a href="/w/acme/decisions/{later.number}/">decision {later.number}: '
        "Ledger, again</a>."
    )
    decision.shared_with_partners = True
    decision.save()
    page = client_for("partner").get("/w/acme/decisions/1/").content.decode()
    headline = page.split('id="status-meaning">')[1].split("</p>")[0]
    assert headline.startswith("Replaced by a later decision.")  # not shared: named nowhere


def test_partners_read_no_goal_or_internal_initiative_a_shared_record_touches(
    client_for, workspace, decision, strategy
):
    """The record blocks an internal initiative and serves a goal: neither is a partner's, in
    the log, the record, its JSON or its Markdown."""
    decision.shared_with_partners = True
    decision.save()
    later = new(workspace, "Ledger, again", raised=date(2026, 2, 1), shared_with_partners=True)
    actions.supersede(decision, later, date(2026, 2, 2))
    earlier_unshared = new(workspace, "An internal question", raised=date(2026, 1, 1))
    Decision.objects.filter(pk=decision.pk).update(supersedes=earlier_unshared)
    hidden = [strategy["initiatives"][Visibility.INTERNAL].title, strategy["goals"][0].title]
    hidden.append(earlier_unshared.title)
    partner = client_for("partner")
    for url in (
        "/w/acme/decisions/",
        "/w/acme/decisions/1/",
        "/w/acme/decisions/1.json",
        "/w/acme/decisions/1.md",
        "/w/acme/decisions.md",
        "/w/acme/decisions.json",
    ):
        response = partner.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [title for title in hidden if title in text], url
    assert "Ledger, again" in partner.get("/w/acme/decisions/1.md").content.decode()
    internal = client_for("viewer").get("/w/acme/decisions/1.md").content.decode()
    assert all(title in internal for title in hidden)  # the organisation reads them all


def test_writers_record_and_decide_through_the_pages(client_for, workspace, strategy, users):
    client = client_for("editor")
    response = client.post(
        "/w/acme/decisions/new/",
        {
            "title": "Price per seat or per entity?",
            "question": "How do we price?",
            "raised_on": "2026-02-01",
            "option_1_name": "Per seat",
            "option_1_pros": "Simple",
            "option_2_name": "Per entity",
            "option_2_cons": "Hard to count",
            "blocks": [strategy["initiatives"][Visibility.INTERNAL].pk],
        },
    )
    assert response.status_code == 302
    made = workspace.decisions.get()
    assert made.options == [
        {"name": "Per seat", "pros": "Simple", "cons": ""},
        {"name": "Per entity", "pros": "", "cons": "Hard to count"},
    ]
    decide = {"decided_on": "2026-02-10", "outcome": "Per entity.", "rationale": "Fair."}
    assert client.post("/w/acme/decisions/1/decide/", decide).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.decided_on) == (Status.DECIDED, date(2026, 2, 10))
    again = client.post("/w/acme/decisions/1/decide/", decide)
    assert again.status_code == 400 and b"not open" in again.content
    assert (
        client.post("/w/acme/decisions/1/supersede/", {"by": 9, "on": "2026-03-01"}).status_code
        == 400
    )
    reverse = {"why": WHY, "on": "2026-03-01"}
    assert client.post("/w/acme/decisions/1/reverse/", {**reverse, "on": "soon"}).status_code == 400
    no_reason = client.post("/w/acme/decisions/1/reverse/", {**reverse, "why": ""})
    assert no_reason.status_code == 400 and b"This field is required" in no_reason.content
    # Both mistakes at once are both reported, as the new-decision form reports its own.
    both = client.post("/w/acme/decisions/1/reverse/", {"why": "", "on": AHEAD.isoformat()})
    said = html.unescape(both.content.decode())
    assert both.status_code == 400 and "This field is required" in said
    assert f"Reversed on can't be a future day: {date_format(AHEAD)} hasn't come yet." in said
    assert Decision.objects.get(pk=made.pk).status == Status.DECIDED
    assert client.post("/w/acme/decisions/1/reverse/", reverse).status_code == 302
    page = client.get("/w/acme/decisions/1/").content.decode()
    assert f'id="reversed-because">{WHY}<' in page
    assert client.get("/w/acme/decisions/1.json").json()["reversed_because"] == WHY
    [row] = csv.DictReader(io.StringIO(client.get("/w/acme/decisions.csv").content.decode()))
    assert (row["closed_on"], row["reversed_because"]) == ("2026-03-01", WHY)
    api = api_request(client, users["editor"], "get", "/api/v1/workspaces/acme/decisions/1")
    assert api.json()["reversed_because"] == WHY
    assert client_for("member").post("/w/acme/decisions/1/reverse/", reverse).status_code == 403


def test_a_refused_decision_or_comment_keeps_what_was_typed(client_for, workspace, decision):
    """A long rationale or comment is not lost to a refusal: the page comes back with it, the
    reason at the top of its form and the field's error under it."""
    client = client_for("editor")
    rationale = "Entities are what our customers count; seats punish the small firms we want."
    too_early = {"decided_on": "2001-01-01", "outcome": "Per entity.", "rationale": rationale}
    refused = client.post(f"/w/acme/decisions/{decision.number}/decide/", too_early)
    page = html.unescape(refused.content.decode())
    assert refused.status_code == 400
    assert "Not done: fix what is marked below" in page
    assert "<li>A decision cannot be made before it was raised (" in page
    assert rationale in page and 'id="decide-form"' in page and 'class="skip-link"' in page
    no_outcome = {"decided_on": "2026-02-10", "outcome": "", "rationale": rationale}
    refused = client.post(f"/w/acme/decisions/{decision.number}/decide/", no_outcome)
    page = html.unescape(refused.content.decode())
    assert refused.status_code == 400 and "Not done: fix what is marked below" in page
    error = '<p class="error" id="id_outcome_error">This field is required.</p>'
    assert rationale in page and error in page
    comment = "Wait — does per entity count a holding company once or per subsidiary?\x00"
    refused = client.post(f"/w/acme/decisions/{decision.number}/comments/", {"text": comment})
    page = html.unescape(refused.content.decode())
    assert refused.status_code == 400 and "Null characters are not allowed." in page
    assert comment.rstrip("\x00") in page
    decision.refresh_from_db()
    assert decision.status == Status.PROPOSED and not decision.comments.exists()


def test_a_pros_without_its_option_is_refused(client_for, workspace):
    response = client_for("owner").post(
        "/w/acme/decisions/new/",
        {"title": "T", "question": "Q", "raised_on": "2026-02-01", "option_1_pros": "fast"},
    )
    assert response.status_code == 400
    assert "Name the option" in response.content.decode()
    assert not workspace.decisions.exists()


def test_members_comment_and_may_disagree_and_commit(client_for, decision):
    client = client_for("member")
    response = client.post(
        "/w/acme/decisions/1/comments/",
        {"text": "I would have chosen sub-ledgers.", "disagree_and_commit": "on"},
    )
    assert response.status_code == 302
    comment = decision.comments.get()
    assert comment.author.name == "Member" and comment.disagree_and_commit
    page = client.get("/w/acme/decisions/1/").content.decode()
    assert "disagrees and commits" in page and 'id="disagree-and-commit"' in page
    assert "objects to the decision · disagrees and commits" in page  # the stance, not a sorting
    assert client.post("/w/acme/decisions/1/comments/", {"text": ""}).status_code == 400


def test_many_questions_read_as_unclear(client_for, decision):
    for text in ["What does close mean here?", "Which entities?", "When?"]:
        Comment.objects.create(decision=decision, text=text, kind=Kind.QUESTION, kind_by="model")
    Comment.objects.create(decision=decision, text="No.", kind=Kind.OBJECTION, kind_by="model")
    page = client_for("viewer").get("/w/acme/decisions/1/").content.decode()
    assert "the decision reads as unclear" in page
    data = client_for("viewer").get("/w/acme/decisions/1.json").json()
    assert [c["kind"] for c in data["comments"]] == ["question"] * 3 + ["objection"]


def test_each_kind_s_share_of_the_comments_reads_in_the_registry_s_words(client_for, decision):
    sorted_ones = [("Which?", Kind.QUESTION), ("When?", Kind.QUESTION), ("Who?", Kind.QUESTION)]
    for text, kind in [*sorted_ones, ("No.", Kind.SUPPORT)]:
        Comment.objects.create(decision=decision, text=text, kind=kind, kind_by="model")
    Comment.objects.create(decision=decision, text="Hm.")  # not sorted: takes no side
    Comment.objects.create(decision=decision, text="zzzz", kind=Kind.UNCLEAR, kind_by="model")
    page = client_for("member").get("/w/acme/decisions/1/").content.decode()
    assert "3 questions: 75% of comments ask one — fewer is better" in page  # of the 4 sided
    assert "0 objections: 0% of comments object<" in page  # neither way is better: none said
    assert "1 in support: 25% of comments support it — more is better" in page
    data = client_for("member").get("/w/acme/decisions/1.json").json()
    assert [(k["key"], k["count"], k["share"]) for k in data["comment_kinds"]] == [
        ("decisions.questions", 3, 75.0),
        ("decisions.objections", 0, 0.0),
        ("decisions.support", 1, 25.0),
    ]
    assert all(isinstance(c["id"], int) for c in data["comments"])


def test_the_log_filters_and_refuses_a_malformed_filter(client_for, workspace, decision):
    actions.decide(new(workspace, "Quick one"), date(2026, 1, 6), "Yes")
    client = client_for("viewer")
    page = client.get("/w/acme/decisions/?status=decided").content.decode()
    assert "Quick one" in page and "Which ledger" not in page
    owner = decision.owner.pk
    assert len(client.get(f"/w/acme/decisions.json?owner={owner}").json()["decisions"]) == 1
    assert client.get("/w/acme/decisions/?owner=abc").status_code == 400
    assert client.get("/w/acme/decisions/?status=maybe").status_code == 400


def test_the_speed_page_shows_what_open_decisions_hold_up(client_for, workspace, decision):
    for title, decided in (("Quick one", date(2026, 1, 23)), ("Quick two", date(2026, 1, 25))):
        actions.decide(new(workspace, title, category="pricing"), decided, "Yes")  # 18, 20 days
    page = client_for("member").get("/w/acme/decisions/speed/").content.decode()
    assert "Internal initiative" in page and 'id="open-decisions"' in page
    assert "<td>pricing</td><td>19</td>" in page  # days as people write them, not "19.0"
    data = client_for("member").get("/w/acme/decisions/speed.json").json()
    assert data["open"][0]["blocks"] == ["Internal initiative"]
    assert json.dumps(data)  # plain JSON all the way down


def test_empty_log_says_what_to_do(client_for, workspace):
    page = client_for("owner").get("/w/acme/decisions/").content.decode()
    assert 'id="no-decisions"' in page and "Record the first decision" in page
    assert (
        "No decisions yet" in client_for("member").get("/w/acme/decisions/speed/").content.decode()
    )


def cli(*args):
    from click.testing import CliRunner

    from truenorth.cli import main

    return CliRunner().invoke(main, ["decisions", *args])


def test_the_cli_adds_decides_lists_and_exports(workspace, users, tmp_path):
    added = cli("add", "Price per seat?", "--question", "How?", "--raised", "2026-03-01",
                "--owner", "EDITOR@acme.test", "-w", "acme")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Recorded decision 1: Price per seat?" in added.output
    assert workspace.decisions.get().owner.name == "Editor"
    decided = cli("decide", "1", "--outcome", "Per entity.", "--on", "2026-03-05", "-w", "acme")
    assert decided.exit_code == 0 and "decided on 2026-03-05" in decided.output
    again = cli("decide", "1", "--outcome", "Per seat.", "-w", "acme")
    assert again.exit_code == 1 and "not open" in again.output
    listed = cli("list", "-w", "acme")
    assert "decided" in listed.output and "(took 4 days to decide)" in listed.output
    assert json.loads(cli("list", "--json", "-w", "acme").output)["outcome"] == "Per entity."
    out = tmp_path / "log.md"
    assert cli("export", str(out), "-w", "acme").exit_code == 0
    assert "## 1. Price per seat?" in out.read_text()
    bad = cli("add", "X", "--question", "Q", "--raised", "yesterday", "-w", "acme")
    assert bad.exit_code == 2 and "is not a date" in bad.output
    assert cli("decide", "7", "--outcome", "x", "-w", "acme").exit_code == 1


def test_the_dashboard_shows_latency_and_the_oldest_open_decisions(client_for, workspace, strategy):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    recent = new(workspace, "Recent", raised=today - timedelta(days=20))
    actions.decide(recent, today - timedelta(days=10), "Yes")
    old = new(workspace, "Long ago", raised=today - timedelta(days=200))
    actions.decide(old, today - timedelta(days=100), "Yes")  # outside the 90 days
    waiting = new(workspace, "Still open", raised=today - timedelta(days=30))
    waiting.blocks.add(strategy["initiatives"][Visibility.INTERNAL])
    data = client_for("viewer").get("/w/acme/alignment.json").json()
    latency = next(s for s in data["organisation"] if s["key"] == "decisions.latency")
    assert latency["value"] == 10 and latency["good_looks_like"] == "lower is better"
    assert data["open_decisions"][0]["title"] == "Still open"
    assert data["open_decisions"][0]["days_open"] == 30
    assert data["open_decisions"][0]["blocks"] == ["Internal initiative"]
    page = client_for("viewer").get("/w/acme/alignment/").content.decode()
    assert "Days to decide" in page and 'id="oldest-open-decisions"' in page


def test_decisions_survive_a_workspace_round_trip(workspace, decision, strategy, users):
    from truenorth.exchange import export_workspace, import_workspace

    actions.decide(decision, date(2026, 1, 20), "The general ledger.", "Auditors trust it.")
    later = new(workspace, "Ledger, again", raised=date(2026, 2, 1), shared_with_partners=True)
    actions.supersede(decision, later, date(2026, 2, 2))
    Comment.objects.create(
        decision=decision,
        author=decision.owner,
        text="Why not sub-ledgers?",
        kind=Kind.QUESTION,
        kind_by="model",
        kind_confidence=0.8,
        disagree_and_commit=True,
    )
    taken_back = actions.decide(new(workspace, "Card fees"), date(2026, 1, 9), "A flat fee.")
    actions.reverse(taken_back, WHY, date(2026, 3, 1))
    data = export_workspace(workspace)
    assert [d["number"] for d in data["decisions"]] == [1, 2, 3]
    copy = import_workspace(data, slug="acme-copy").workspace
    first, second, third = copy.decisions.order_by("number")
    assert export.markdown(first) == export.markdown(
        Decision.objects.get(workspace=workspace, number=1)
    )
    assert "* Reversed: 2026-03-01" in export.markdown(third)
    assert f"### Why It Was Reversed\n\n{WHY}" in export.markdown(third)
    assert third.reversed_because == WHY
    assert second.supersedes == first and second.shared_with_partners
    assert first.blocks.get().workspace == copy and first.goals.get().workspace == copy
    assert first.deciders.get().email == "owner@acme.test"
    comment = first.comments.get()
    assert (comment.kind, comment.kind_confidence, comment.disagree_and_commit) == (
        Kind.QUESTION,
        0.8,
        True,
    )
    assert comment.author.workspace == copy


def test_a_file_naming_an_unknown_decision_imports_nothing(workspace, decision):
    from truenorth.exchange import ExchangeError, export_workspace, import_workspace

    data = export_workspace(workspace)
    data["decisions"][0]["supersedes"] = 9
    with pytest.raises(ExchangeError, match="decisions.0.supersedes refers to decision 9"):
        import_workspace(data, slug="acme-copy")
    assert not Decision.objects.filter(workspace__slug="acme-copy").exists()


def test_an_edit_that_fails_midway_leaves_the_decision_as_it_was(client_for, decision, monkeypatch):
    def links_fail(form):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(DecisionForm, "_save_m2m", links_fail)
    client = client_for("editor")
    client.raise_request_exception = False
    edited = {"title": "Close on sub-ledgers?", "question": "Which?", "raised_on": "2026-01-05"}
    assert client.post(f"/w/acme/decisions/{decision.number}/edit/", edited).status_code == 500
    decision.refresh_from_db()
    assert decision.title == "Which ledger do we close on?"  # not half an edit
    assert decision.goals.exists() and decision.blocks.exists()


def test_a_new_decision_is_raised_today_unless_changed(workspace, client_for):
    page = client_for("editor").get("/w/acme/decisions/new/").content.decode()
    today = timezone.localdate().isoformat()
    assert re.search(rf'name="raised_on"[^>]*value="{today}"', page) or re.search(
        rf'value="{today}"[^>]*name="raised_on"', page
    )


@pytest.mark.parametrize(
    "days, said", [(0, "Raised today."), (1, "Open for 1 day."), (5, "Open for 5 days.")]
)
def test_an_open_decision_says_how_long_it_has_waited(client_for, workspace, days, said):
    """A decision raised today read "Open for 0 days"."""
    new(workspace, raised=timezone.localdate() - timedelta(days=days))
    client = client_for("editor")
    page = html.unescape(client.get("/w/acme/decisions/1/").content.decode())
    assert f"Open: not decided yet. {said}" in page and "0 days" not in page
    log = html.unescape(client.get("/w/acme/decisions/").content.decode())
    assert f'<td data-label="How long">{said[:-1]}</td>' in log
    listed = CliRunner().invoke(main, ["decisions", "list", "-w", "acme"]).output
    assert ("(raised today)" if days == 0 else f"(open {said[9:-1]})") in listed
