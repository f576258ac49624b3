"""'What did you hear?': one click sends a decision's back-brief to the people informed, through
a real SMTP server on loopback; the decision page reads the answers part by part (real model)
only from the anonymity threshold on; partners see none of it. And a question raised again."""

import html
from datetime import date

import pytest

from tests.smtp import REFUSED, mail_server_fixture  # noqa: F401
from truenorth.analysis import measures
from truenorth.checkins.actions import asks, issue_links, privacy, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import BACK_BRIEF, SourceKind
from truenorth.decisions import actions, backbrief
from truenorth.decisions.models import BackBrief, Decision
from truenorth.workspaces.models import Person

# They count each person's messages: notifications would be more of them.
pytestmark = pytest.mark.usefixtures("no_notifications")

OUTCOME = "We are moving our payment processing from the old vendor to the new vendor by June."
RATIONALE = "The old vendor charges twice the fees, and its outages broke supplier payouts."


def person(users, role) -> Person:
    return users[role].memberships.get().person


def threshold_of_three(workspace) -> None:
    """The lowest anonymity threshold there is: the fixture's 3 people asked are enough."""
    workspace.anonymity_threshold = 3
    workspace.save()


def add(workspace, question, raised=date(2026, 3, 1), **fields) -> Decision:
    decision = Decision(
        workspace=workspace, title=question.rstrip("?"), question=question, raised_on=raised
    )
    decision.__dict__.update(fields)
    return actions.add_decision(decision)


@pytest.fixture
def decision(workspace, users):
    d = add(
        workspace, "Should we move payment processing to a new vendor?", shared_with_partners=True
    )
    actions.decide(d, date(2026, 3, 3), OUTCOME, RATIONALE)
    d.informed.add(*(person(users, r) for r in ("owner", "editor", "member", "partner")))
    d.deciders.add(person(users, "viewer"))
    return d


@pytest.fixture
def click(client_for, django_capture_on_commit_callbacks):
    """Press "Send a back-brief" as `role`; the sending queued on commit runs after the view."""

    def click(decision, role="editor", **form):
        with django_capture_on_commit_callbacks(execute=True):
            url = f"/w/acme/decisions/{decision.number}/back-brief/"
            return client_for(role).post(url, form)

    return click


def test_one_click_asks_the_people_informed_by_email(mail_server, decision, click):
    threshold_of_three(decision.workspace)
    assert click(decision).status_code == 302
    found = BackBrief.objects.get(decision=decision)
    checkin = found.checkin
    assert checkin.template == BACK_BRIEF and checkin.anonymous and checkin.is_open()
    assert (checkin.closes_at - checkin.opens_at).days == backbrief.OPEN_DAYS
    (question,) = checkin.questions.all()
    assert question.prompt == "In your own words, what was decided and why?"
    assert question.source_kind == SourceKind.DECISION
    assert question.parts() == {"outcome": OUTCOME, "rationale": RATIONALE}
    informed = {"owner@acme.test", "editor@acme.test", "member@acme.test"}  # never the partner
    assert set(checkin.audience().values_list("email", flat=True)) == informed
    assert not checkin.company_wide
    for email in informed:
        (message,) = mail_server.to(email)
        assert f"Decision {decision.number}" in message and "http://testserver/c/#" in message
    assert mail_server.to("partner@acme.test") == mail_server.to(REFUSED) == []
    assert set(checkin.invitations.values_list("status", flat=True)) == {"sent"}


def test_with_nobody_informed_it_asks_the_deciders_and_consulted(decision, users):
    decision.informed.clear()
    decision.consulted.add(person(users, "member"))
    assert {p.email for p in backbrief.recipients(decision)} == {
        "viewer@acme.test",
        "member@acme.test",
    }


def test_the_page_says_whom_it_would_ask_and_what_to_do_with_nobody(decision, client_for, users):
    threshold_of_three(decision.workspace)
    editor = client_for("editor")
    page = editor.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert (
        "Ask the 3 people informed to say" in page
    )  # never a partner and 'id="back-brief-nobody"' not in page
    decision.informed.clear()
    decision.consulted.add(person(users, "owner"), person(users, "editor"))
    page = editor.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert "Ask the 3 people who decided or were consulted to say" in page
    decision.consulted.clear()
    decision.deciders.clear()
    page = editor.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert 'id="back-brief-nobody"' in page and f"/decisions/{decision.number}/edit/" in page
    nobody = "Nobody to ask yet: list the people informed, or the deciders and consulted, first."
    assert nobody in page
    assert "Ask the 0" not in page and 'id="back-brief-form"' not in page  # no dead button
    data = editor.get(f"/w/acme/decisions/{decision.number}.json").json()
    assert data["back_brief_before_sending"]["nobody"] == nobody
    decision.informed.add(person(users, "partner"))  # listed, but a partner is never asked
    page = editor.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert "Nobody to ask yet: partners and people no longer active are never asked." in page
    actions.reverse(decision, "The vendor raised its fees.", date(2026, 3, 10))
    page = editor.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert "No back-brief: the decision was reversed before anyone was asked" in page


TOO_FEW = (
    "Only 3 people would be asked, fewer than the anonymity threshold of 5: no reading of the "
    "answers can ever be shown, anonymous or attributed. To hear what people took from it, list "
    "at least 5 people as informed."
)


def test_fewer_people_than_the_threshold_are_not_asked(mail_server, decision, click, client_for):
    """Asking people for answers nobody can ever read wastes their time: the page offers no
    button and says what to do; a send posted all the same is a 400 with the reason."""
    editor = client_for("editor")
    page = html.unescape(editor.get(f"/w/acme/decisions/{decision.number}/").content.decode())
    assert 'id="back-brief-too-few-asked"' in page  # 3 informed, under the threshold of 5
    assert f"No back-brief can be sent yet. {TOO_FEW}" in page
    assert 'id="back-brief-form"' not in page and "Send a back-brief</button>" not in page
    data = editor.get(f"/w/acme/decisions/{decision.number}.json").json()
    assert data["back_brief_before_sending"]["never_shown"] == TOO_FEW
    refused = click(decision)
    assert refused.status_code == 400
    assert f"Not sent: {TOO_FEW}" in html.unescape(refused.content.decode())
    assert not BackBrief.objects.exists() and mail_server.to("member@acme.test") == []
    with pytest.raises(backbrief.CannotAsk, match="Only 3 people would be asked"):
        backbrief.create_back_brief(decision)
    threshold_of_three(decision.workspace)
    page = editor.get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert 'id="back-brief-too-few-asked"' not in page and 'id="back-brief-form"' in page
    assert click(decision).status_code == 302 and BackBrief.objects.count() == 1


def sent_before_the_refusal(decision) -> BackBrief:
    """A back-brief sent to fewer people than the threshold, as it was before that was refused."""
    people = list(backbrief.recipients(decision))
    checkin = backbrief.ask_about(decision, backbrief.parts(decision), people, None, True)
    return BackBrief.objects.create(decision=decision, checkin=checkin)


def test_sent_to_too_few_it_says_no_reading_will_come(decision, client_for):
    decision.informed.clear()  # so it asked the one decider
    sent_before_the_refusal(decision)
    page = client_for("editor").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    # Said once, where the reading would be.
    assert page.count("Only 1 person was asked, fewer than the anonymity threshold of 5") == 1
    assert 'id="back-brief-never-shown"' in page
    assert 'id="back-brief-open"' not in page and "appears once it closes" not in page
    assert "Asked on" in page and "of the people who decided or were consulted on decision" in page
    data = client_for("editor").get(f"/w/acme/decisions/{decision.number}.json").json()
    assert data["back_brief"]["asked"] == 1
    assert data["back_brief"]["never_shown"].startswith("Only 1 person was asked")
    # Nor do the invitation, the answer page or the check-in's page promise a result.
    checkin = BackBrief.objects.get(decision=decision).checkin
    assert "Acme asks the people who decided or were consulted on decision" in asks(checkin)
    assert "a question:" in asks(checkin) and "reported only in groups" not in privacy(checkin)
    assert "Only 1 person was asked, and results are shown only for at least 5 people" in (
        privacy(checkin)
    )
    page = client_for("editor").get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert "No results will appear: fewer people than the anonymity threshold of 5" in page


def test_a_back_brief_says_whom_it_really_asked(decision, users):
    threshold_of_three(decision.workspace)
    informed = backbrief.create_back_brief(decision)
    assert informed.asked_words() == f"the people informed of decision {decision.number}"
    other = add(decision.workspace, "Do we open an office in Berlin?")
    actions.decide(other, date(2026, 3, 4), "Yes, in May.", "Half our customers are there.")
    other.deciders.add(*(person(users, r) for r in ("viewer", "owner", "editor")))
    deciders = backbrief.create_back_brief(other)
    assert deciders.asked_words() == (
        f"the people who decided or were consulted on decision {other.number}"
    )


def test_only_an_editor_can_send_one_and_only_for_a_decision_made(mail_server, decision, click):
    assert click(decision, "member").status_code == 403
    assert click(decision, "partner").status_code in (403, 404)
    assert not BackBrief.objects.exists()
    open_one = add(decision.workspace, "Do we open an office in Berlin?")
    response = click(open_one)
    assert response.status_code == 400 and b"decision that has been made" in response.content
    assert not BackBrief.objects.exists()


def answer(found: BackBrief, texts: list[str]) -> None:
    """Answer through personal links, one text per person, then close and publish."""
    checkin = found.checkin
    question = checkin.questions.get()
    for link, text in zip(issue_links(checkin), texts, strict=False):
        submit_response(link.invitation, link.token, {question: text})
    close_checkin(checkin)
    analyze(checkin)


@pytest.fixture
def asked(decision, workspace):
    workspace.anonymity_threshold = 3
    workspace.save()
    return backbrief.create_back_brief(decision)


def test_the_page_waits_for_the_results(asked, decision, client_for):
    page = client_for("editor").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert 'id="back-brief-open"' in page


def test_under_the_threshold_the_page_shows_too_few_answers(asked, decision, client_for):
    answer(asked, ["We are moving payments to the new vendor.", "We keep the old vendor."])
    page = client_for("editor").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert "Too few answers to show" in page
    assert "We keep the old vendor" not in page and 'id="back-brief-parts"' not in page


def test_from_the_threshold_on_it_reads_each_part_and_quotes_contradictions(
    asked, decision, client_for
):
    reversed_it = "We are keeping the old vendor for payments."
    answer(
        asked,
        [
            "We're moving payments to the new vendor by June. The old one costs twice as much.",
            "We are moving payment processing to the new vendor.",
            reversed_it,
        ],
    )
    for role in ("editor", "viewer"):
        page = client_for(role).get(f"/w/acme/decisions/{decision.number}/").content.decode()
        assert 'id="back-brief-parts"' in page and "1 answer contradicts the decision" in page
        assert reversed_it not in page  # one of three: quoted, it could be told apart
    member = client_for("member").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert reversed_it not in member and 'id="back-brief"' not in member  # results are not theirs
    data = client_for("owner").get(f"/w/acme/decisions/{decision.number}.json").json()
    reading = data["back_brief"]
    assert reading["state"] == "shown" and reading["n"] == 3
    outcome, rationale, whole = reading["parts"]
    assert whole["key"] == "statement"  # the decision as a whole, as the report reads it
    assert outcome["key"] == "outcome" and outcome["contradicts"] == round(1 / 3, 3)
    assert outcome["conveys"] == round(2 / 3, 3)
    assert rationale["conveys"] < outcome["conveys"]
    assert reading["contradicting_count"] == 1 and reading["contradicting"] == []
    assert "Owner" not in str(reading) and "Member" not in str(reading)  # no names


def test_a_partner_sees_none_of_it(asked, decision, client_for):
    answer(asked, ["We move to the new vendor.", "We keep the old vendor.", "New vendor."])
    partner = client_for("partner")
    page = partner.get(f"/w/acme/decisions/{decision.number}/")
    assert page.status_code == 200  # the decision is shared with partners; the back-brief not
    assert b"back-brief" not in page.content and b"keep the old vendor" not in page.content
    data = partner.get(f"/w/acme/decisions/{decision.number}.json").json()
    assert "back_brief" not in data and "repeated_conversation" not in data


def test_a_question_raised_again_is_flagged_as_a_repeated_conversation(
    decision, workspace, client_for
):
    again = add(
        workspace, "Should we switch to a new vendor for payment processing?", date(2026, 9, 1)
    )
    other = add(workspace, "How should we price payment processing for enterprise customers?")
    page = client_for("member").get(f"/w/acme/decisions/{again.number}/").content.decode()
    assert "This question was decided before" in page and "decided 3 Mar 2026" in page
    assert f'href="/w/acme/decisions/{decision.number}/"' in page
    data = client_for("member").get(f"/w/acme/decisions/{again.number}.json").json()
    assert [r["number"] for r in data["repeated_conversation"]] == [decision.number]
    assert data["repeated_conversation"][0]["decided_on"] == "2026-03-03"
    unrelated = client_for("member").get(f"/w/acme/decisions/{other.number}.json").json()
    assert unrelated["repeated_conversation"] == []


def test_asking_again_what_was_reversed_or_superseded_reads_as_expected(
    decision, workspace, client_for
):
    """The flag had said "check whether the earlier answer was heard" of a decision reversed
    since, and of the very decision the new one supersedes."""
    actions.reverse(decision, "The new vendor failed its security review.", date(2026, 6, 1))
    again = add(
        workspace, "Should we switch to a new vendor for payment processing?", date(2026, 9, 1)
    )
    page = client_for("member").get(f"/w/acme/decisions/{again.number}/").content.decode()
    note = page.split('id="repeated-conversation">')[1].split("</p>")[0]
    assert "(decided 3 Mar 2026, reversed 1 Jun 2026)" in note
    assert "It no longer holds: read why before deciding again." in note
    assert "check whether the earlier answer was heard" not in note
    assert backbrief.repeat_notice(decision) == (
        f"This asks what decision #{decision.number} asked on 1 Mar 2026 (decided 3 Mar 2026, "
        "reversed 1 Jun 2026). Read why before deciding again."
    )
    replaced = add(workspace, "Should we move payment processing to a new vendor now?")
    actions.decide(replaced, date(2026, 9, 2), OUTCOME, RATIONALE)
    later = add(
        workspace, "Should we move payment processing to another vendor?", supersedes_id=replaced.pk
    )
    data = client_for("member").get(f"/w/acme/decisions/{later.number}.json").json()
    assert replaced.number not in [r["number"] for r in data["repeated_conversation"]]


def test_a_second_back_brief_is_refused_and_no_longer_offered(mail_server, decision, click):
    threshold_of_three(decision.workspace)
    assert click(decision).status_code == 302
    again = click(decision)
    assert again.status_code == 400 and b"back-brief was already sent on" in again.content
    assert BackBrief.objects.count() == 1
    assert len(mail_server.to("member@acme.test")) == 1


def test_the_page_offers_no_second_back_brief(asked, decision, client_for):
    page = client_for("editor").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    assert 'id="back-brief-open"' in page and 'id="back-brief-form"' not in page


def test_the_reading_says_how_well_the_decision_was_heard_in_words(asked, decision, client_for):
    answer(
        asked,
        [
            "We're moving payments to the new vendor by June. The old one costs twice as much.",
            "We are moving payment processing to the new vendor.",
            "We are keeping the old vendor for payments.",
        ],
    )
    data = client_for("owner").get(f"/w/acme/decisions/{decision.number}.json").json()
    fidelity = data["back_brief"]["fidelity"]
    page = client_for("owner").get(f"/w/acme/decisions/{decision.number}/").content.decode()
    words = measures.in_words("decisions.backbrief_fidelity", fidelity)
    assert words.startswith(f"{fidelity:.0f} / 100 — ") and "good is 60 or more" in words
    assert 'id="back-brief-fidelity"' in page and "Heard the decision" in page and words in page


def test_raising_a_decision_asked_before_says_so_at_once(decision, client_for):
    client = client_for("editor")
    new = {"title": "Vendor, again", "raised_on": "2026-09-01"}
    response = client.post(
        "/w/acme/decisions/new/",
        {**new, "question": "Should we switch to a new vendor for payment processing?"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Decision 2 saved." in page
    assert (
        f"This asks what decision #{decision.number} asked on 1 Mar 2026 (decided 3 Mar 2026): "
        "a repeated conversation." in page
    )
    other = client.post(
        "/w/acme/decisions/new/",
        {**new, "question": "How should we price payment processing for enterprise customers?"},
        follow=True,
    )
    assert "Decision 3 saved." in other.content.decode()
    assert "This asks what" not in other.content.decode()
