"""`truenorth decisions comment / restance / backbrief`, and the repeated question `add` prints:
the same actions as the decision page, the real comment classifier and a real SMTP server on
loopback. Every refusal is a message and exit code 1, never a traceback."""

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django.utils.formats import date_format

from tests.smtp import mail_server_fixture, no_mail_server_fixture  # noqa: F401
from tests.zones import a_zone_whose_day_is_not_the_servers, day_in
from truenorth.checkins.models import BACK_BRIEF
from truenorth.cli import main
from truenorth.decisions import actions
from truenorth.decisions.models import BackBrief, Comment, Decision, Kind, KindBy


@pytest.fixture(autouse=True)
def servers_own_key(settings):
    """A key of the server's own, as a command that emails personal links needs to sign them."""
    settings.SECRET_KEY = "a-key-of-this-server-only-" + "k" * 30


def run(*args):
    return CliRunner().invoke(main, ["decisions", *args, "-w", "acme"])


def person(users, role):
    return users[role].memberships.get().person


@pytest.fixture
def decision(workspace, users):
    d = Decision(
        workspace=workspace,
        title="Payments vendor",
        question="Should we move payment processing to a new vendor?",
        raised_on=date(2026, 3, 1),
    )
    actions.add_decision(d)
    d.informed.add(*(person(users, r) for r in ("owner", "editor", "member", "partner")))
    return d


def decided(decision):
    return actions.decide(
        decision, date(2026, 3, 3), "We move payments to the new vendor.", "Half the fees."
    )


def test_a_comment_is_sorted_by_the_classifier_unless_a_stance_is_given(decision, users):
    asked = run("comment", "1", "--by", "MEMBER@acme.test", "--text", "What does 'move' mean here?")
    assert asked.exit_code == 0, asked.output
    first = decision.comments.get()
    assert first.author == person(users, "member") and first.kind_by == KindBy.MODEL
    assert first.kind_confidence is not None and first.kind in Kind.values
    assert f"Comment {first.pk} on decision 1: " in asked.output
    assert "(the classifier, " in asked.output and "% sure)" in asked.output
    told = run(
        "comment", "1", "--by", "editor@acme.test", "--text", "Fine.", "--stance", "question"
    )
    assert told.exit_code == 0, told.output
    second = decision.comments.last()
    assert (second.kind, second.kind_by, second.kind_confidence) == ("question", "person", None)
    assert "a question (a person)" in told.output


def test_a_comment_with_no_real_words_says_why_it_is_unclear(decision, users):
    result = run("comment", "1", "--by", "member@acme.test", "--text", "asdf qwerty")
    assert result.exit_code == 0, result.output
    assert decision.comments.get().kind == Kind.UNCLEAR
    assert "unclear (no real words, so it takes no side" in result.output
    assert "(the classifier)" not in result.output


def test_disagree_and_commit_is_a_recorded_stance(decision, users):
    result = run(
        "comment", "1", "--by", "owner@acme.test", "--text", "I'd have waited.",
        "--stance", "disagree-and-commit",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    comment = decision.comments.get()
    assert comment.disagree_and_commit and comment.kind == Kind.OBJECTION
    assert comment.kind_by == KindBy.PERSON
    assert "an objection (disagrees and commits)" in result.output


@pytest.mark.parametrize(
    "args, error",
    [
        (["7", "--by", "member@acme.test", "--text", "Hi"], "there is no decision 7"),
        (["1", "--by", "nobody@acme.test", "--text", "Hi"], "no active person with email"),
        (["1", "--by", "partner@acme.test", "--text", "Hi"], "partners do not comment"),
        (["1", "--by", "member@acme.test", "--text", "  "], "the comment was not added"),
    ],
)
def test_a_comment_that_cannot_be_added_is_refused(decision, users, args, error):
    result = run("comment", *args)
    assert result.exit_code == 1 and error in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not Comment.objects.exists()


def test_a_bad_stance_is_a_usage_error(decision, users):
    result = run("comment", "1", "--by", "member@acme.test", "--text", "Hi", "--stance", "maybe")
    assert result.exit_code == 2 and "'maybe' is not one of" in result.output
    assert not Comment.objects.exists()


def test_restance_re_sorts_a_misread_comment(decision, users):
    comment = Comment.objects.create(
        decision=decision, text="No way.", kind=Kind.SUPPORT, kind_by=KindBy.MODEL
    )
    result = run("restance", "1", "--comment", str(comment.pk), "--stance", "objection")
    assert result.exit_code == 0, result.output
    comment.refresh_from_db()
    assert (comment.kind, comment.kind_by, comment.kind_confidence) == ("objection", "person", None)
    assert f"Comment {comment.pk} on decision 1: an objection (a person)." in result.output
    other = actions.add_decision(
        Decision(workspace=decision.workspace, title="Other", question="Q?", raised_on=date.today())
    )
    wrong = run("restance", str(other.number), "--comment", str(comment.pk), "--stance", "support")
    assert wrong.exit_code == 1 and f"decision 2 has no comment {comment.pk}" in wrong.output
    committed = run(
        "restance", "1", "--comment", str(comment.pk), "--stance", "disagree-and-commit"
    )
    assert committed.exit_code == 2  # the author's own word, not an editor's to set
    comment.refresh_from_db()
    assert comment.kind == Kind.OBJECTION


def test_backbrief_asks_the_people_informed_as_the_page_does(mail_server, decision, users):
    decision.workspace.anonymity_threshold = 3  # its 3 people are enough to read
    decision.workspace.save()
    decided(decision)
    result = run("backbrief", "1")
    assert result.exit_code == 0, result.output
    assert "Back-brief sent to 3 people: “What did you hear?” stays open for 7 days." in (
        result.output
    )
    checkin = BackBrief.objects.get(decision=decision).checkin
    assert checkin.template == BACK_BRIEF and checkin.anonymous
    for email in ("owner@acme.test", "editor@acme.test", "member@acme.test"):
        (message,) = mail_server.to(email)
        assert "Decision 1" in message
    assert mail_server.to("partner@acme.test") == []
    again = run("backbrief", "1")
    assert again.exit_code == 1 and "back-brief was already sent on" in again.output
    assert BackBrief.objects.count() == 1


def test_backbrief_to_fewer_than_the_threshold_is_refused(mail_server, decision, users):
    decided(decision)  # 3 people informed, under the workspace's threshold of 5
    too_few = (
        "Not sent: Only 3 people would be asked, fewer than the anonymity threshold of 5: no "
        "reading of the answers can ever be shown, anonymous or attributed. To hear what people "
        "took from it, list at least 5 people as informed."
    )
    for args in (["backbrief", "1"], ["backbrief", "1", "--check"]):
        result = run(*args)
        assert result.exit_code == 1 and too_few in " ".join(result.output.split()), result.output
        assert "Back-brief sent" not in result.output and "Would ask" not in result.output
    assert not BackBrief.objects.exists() and mail_server.to("member@acme.test") == []


def test_backbrief_to_enough_people_gives_no_such_warning(mail_server, decision, users):
    decision.workspace.anonymity_threshold = 3
    decision.workspace.save()
    decided(decision)
    result = run("backbrief", "1")
    assert result.exit_code == 0 and "Only 3 people" not in result.output


def test_backbrief_with_no_mail_server_creates_nothing(no_mail_server, decision, users):
    decision.workspace.anonymity_threshold = 3
    decision.workspace.save()
    decided(decision)
    result = run("backbrief", "1")
    assert result.exit_code == 1 and "No mail server answered at" in result.output
    assert not BackBrief.objects.exists()


def test_what_no_mail_server_can_mend_is_said_before_asking_one(no_mail_server, decision, users):
    """With no mail server, an open decision and one with too few people informed were both
    refused with "No mail server answered…": the real reason only --check gave."""
    open_one = run("backbrief", "1")
    assert open_one.exit_code == 1 and "No mail server" not in open_one.output
    assert "Decision 1 is not decided yet: only a decision that has been made" in open_one.output
    checked = run("backbrief", "1", "--check")
    assert checked.exit_code == 1 and "Decision 1 is not decided yet" in checked.output
    decided(decision)  # 3 people informed, under the workspace's threshold of 5
    too_few = run("backbrief", "1")
    assert too_few.exit_code == 1 and "No mail server" not in too_few.output
    assert "Not sent: Only 3 people would be asked" in too_few.output
    decision.informed.clear()
    decision.deciders.clear()
    nobody = run("backbrief", "1")
    assert nobody.exit_code == 1 and "Nobody to ask yet" in nobody.output
    assert not BackBrief.objects.exists()


def test_backbrief_of_a_decision_not_made_says_so(mail_server, decision, users):
    result = run("backbrief", "1")
    assert result.exit_code == 1
    assert (
        "Decision 1 is not decided yet: only a decision that has been made can be back-briefed."
        in result.output
    )
    assert run("backbrief", "9").exit_code == 1
    assert not BackBrief.objects.exists()


def test_backbrief_check_with_nobody_to_ask_says_what_to_do(decision, users):
    decided(decision)
    decision.informed.clear()
    result = run("backbrief", "1", "--check")
    assert result.exit_code == 1 and "Would ask 0" not in result.output
    assert (
        "Nobody to ask yet: list the people informed, or the deciders and consulted, first."
        in result.output
    )


def test_add_says_when_a_question_was_asked_before(decision, users):
    decided(decision)
    result = run(
        "add", "Vendor again", "--question", "Should we switch to another payments provider?"
    )
    assert result.exit_code == 0, result.output
    assert "Recorded decision 2: Vendor again" in result.output
    assert (
        "This asks what decision #1 asked on 1 Mar 2026 (decided 3 Mar 2026): a repeated "
        "conversation." in result.output
    )
    other = run("add", "Office", "--question", "Do we open an office in Berlin next year?")
    assert other.exit_code == 0 and "This asks what" not in other.output


def test_add_refuses_a_day_that_has_not_come(decision, users):
    ahead = date.today() + timedelta(days=400)
    result = run("add", "Office", "--question", "Berlin?", "--raised", ahead.isoformat())
    assert result.exit_code == 1
    assert (
        f"Raised on can't be a future day: {date_format(ahead)} hasn't come yet." in result.output
    )
    assert not Decision.objects.filter(title="Office").exists()


def test_the_cli_reverses_a_decision_with_its_reason(decision):
    decided(decision)
    refused = run("reverse", "1", "--why", " ")
    assert refused.exit_code == 1 and "Say why it is reversed" in refused.output
    why = "The vendor raised its fees."
    result = run("reverse", "1", "--why", why)
    assert result.exit_code == 0
    assert f"reversed on {date.today().isoformat()}: {why}" in result.output
    decision.refresh_from_db()
    assert (decision.status, decision.reversed_because) == ("reversed", why)


def test_the_cli_supersedes_a_decision_by_a_later_one(decision):
    decided(decision)
    later = actions.add_decision(Decision(workspace=decision.workspace, title="New", question="?"))
    assert run("supersede", "1", "--by", "9").output.endswith("there is no decision 9\n")
    itself = run("supersede", "1", "--by", "1")
    assert itself.exit_code == 1 and "cannot supersede itself" in itself.output
    result = run("supersede", "1", "--by", str(later.number), "--on", "2026-03-04")
    assert result.exit_code == 0, result.output
    assert result.output == "Decision 1 superseded by 2 on 2026-03-04: New\n"
    later.refresh_from_db()
    assert later.supersedes == decision
    again = run("supersede", "1", "--by", str(later.number))
    assert again.exit_code == 1 and "Decision 1 is already superseded." in again.output


def test_today_is_the_workspaces_day_and_the_zone_is_off_after(decision):
    decision.workspace.time_zone = a_zone_whose_day_is_not_the_servers()
    decision.workspace.save()
    assert run("add", "Office", "--question", "Berlin?").exit_code == 0
    office = Decision.objects.get(title="Office")
    assert office.raised_on == day_in(decision.workspace.time_zone)
    assert timezone.get_current_timezone_name() == "UTC"


def test_the_list_says_one_day_not_one_days(workspace):
    today = timezone.localdate()
    made = actions.add_decision(Decision(workspace=workspace, title="Made", question="Which?"))
    made.raised_on = today - timedelta(days=1)
    made.save()
    actions.decide(made, today, "This one.")
    actions.add_decision(
        Decision(
            workspace=workspace, title="Open", question="Which?", raised_on=today - timedelta(1)
        )
    )
    listed = run("list").output
    assert (
        "(took 1 day to decide)" in listed and "(open 1 day)" in listed and "1 days" not in listed
    )


def test_backbrief_links_are_not_signed_with_the_public_development_key(
    mail_server, decision, users, settings
):
    decision.workspace.anonymity_threshold = 3  # its 3 people are enough to read
    decision.workspace.save()
    decided(decision)
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY  # no key set, and none in the data dir
    result = run("backbrief", "1")
    assert result.exit_code == 1
    assert "does not sign personal links with its built-in development secret key" in (
        result.output
    )
    assert not BackBrief.objects.exists() and mail_server.messages == []
