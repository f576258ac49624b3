"""Asking what glossary terms mean in a short check-in of its own: only the terms' questions,
nothing of the Alignment pulse, and none of its figures on the alignment dashboard, in the
pulses' trends, in the latest-pulse lines, or pinned as the company's (real database; the real
model reads the answers where a report is published)."""

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.utils import timezone

from truenorth.checkins.actions import NotCompanyWide, pin_to_dashboard, save_answers
from truenorth.checkins.measure import analyze, close_checkin, previous_checkin
from truenorth.checkins.models import TERM_QUESTIONS, CheckIn, Response, Role
from truenorth.cli import main
from truenorth.dashboard.sources import choose_source, group_pulses, published
from truenorth.glossary.actions import ask_in_own_checkin, define, question_prompt, save_term
from truenorth.glossary.models import Term
from truenorth.glossary.readings import readings
from truenorth.rituals.agenda import latest_pulse
from truenorth.updates.facts import checkin_news
from truenorth.workspaces.models import Function

pytestmark = pytest.mark.usefixtures("no_notifications")


def term(workspace, name, canonical):
    return save_term(Term(workspace=workspace, name=name, canonical_definition=canonical))


@pytest.fixture
def customer(workspace):
    found = term(workspace, "customer", "An organisation with a paid subscription.")
    define(found, Function.FINANCE, "Whoever pays the invoice.")
    return found


@pytest.fixture
def churn(workspace):
    return term(workspace, "churn", "A customer who cancels their subscription.")


def own_checkin(terms, **asked):
    opens = timezone.now() - timedelta(hours=1)
    return ask_in_own_checkin(terms, "Say what it means", opens, opens + timedelta(days=7), **asked)


def ask_page(client, term_id):
    return f"/w/acme/glossary/{term_id}/ask/"


def own_form(**changes):
    opens = timezone.localtime().replace(second=0, microsecond=0)
    return {
        "where": "own",
        "title": "What does “customer” mean to you?",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "anonymous": "on",
        **changes,
    }


# --- What it asks ---


def test_it_asks_only_each_terms_question_and_nothing_of_the_pulse(customer, churn):
    checkin = own_checkin([customer, churn], functions=[Function.SALES])
    assert checkin.template == TERM_QUESTIONS and not checkin.is_pulse
    questions = list(checkin.questions.all())
    assert [q.prompt for q in questions] == [question_prompt(customer), question_prompt(churn)]
    assert {q.role for q in questions} == {Role.OPEN}  # no vision, priorities nor purpose
    assert [q.source() for q in questions] == [
        customer.canonical_definition,
        churn.canonical_definition,
    ]
    assert checkin.anonymous and checkin.audience_words() == "Sales"
    assert [link.question.checkin for link in customer.questions.all()] == [checkin]


def test_it_is_made_whole_or_not_at_all(customer, workspace):
    closed = timezone.now() - timedelta(days=3)
    with pytest.raises(ValidationError, match="close before anyone could answer"):
        ask_in_own_checkin([customer], "Words", closed, closed + timedelta(days=1))
    with pytest.raises(ValidationError, match="at least one term"):
        ask_in_own_checkin([], "Words", closed, closed + timedelta(days=1))
    assert not CheckIn.objects.exists()


def test_it_is_never_pinned_as_the_companys_figures(customer):
    checkin = own_checkin([customer])
    with pytest.raises(NotCompanyWide, match="asks what glossary terms mean"):
        pin_to_dashboard(checkin)
    checkin.refresh_from_db()
    assert not checkin.pinned


# --- The ask page ---


def test_the_ask_page_offers_a_check_in_of_its_own_with_a_title_ready(client_for, customer):
    page = client_for("editor").get(ask_page(client_for, customer.pk)).content.decode()
    assert "In a short check-in of its own" in page
    assert 'value="What does “customer” mean to you?"' in page
    anonymous = page.split('name="anonymous"')[1].split(">")[0]
    assert "checked" in anonymous  # anonymous unless the editor says otherwise
    assert "In a check-in nobody has answered yet" in page and 'id="no-open-checkins"' in page


def test_the_page_creates_it_and_lands_on_its_page(client_for, customer, churn, workspace):
    client = client_for("editor")
    response = client.post(ask_page(client, customer.pk), own_form(also=[churn.pk]))
    checkin = CheckIn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/w/acme/checkins/{checkin.pk}/"
    assert checkin.questions.count() == 2 and checkin.created_by.username == "editor"
    page = client.get(response["Location"]).content.decode()
    assert "Created “What does ‘customer’ mean to you?”, asking what 2 terms mean" in page
    # No vision is published, and none is asked about: nothing warns of it.
    assert "no published vision" not in page
    assert "what glossary terms mean" in page and "Show on the alignment dashboard" not in page
    listed = client.get("/w/acme/checkins/").content.decode()
    assert "glossary terms</small>" in listed


def test_made_from_the_ask_page_each_warning_shows_once(client_for, customer):
    """Its page said "It asks 4 people, fewer than …" twice: as a message and as its note."""
    client = client_for("editor")
    made = client.post(ask_page(client, customer.pk), own_form(), follow=True)
    page = made.content.decode()
    assert "Created “What does ‘customer’ mean to you?”" in page
    assert page.count("fewer than the anonymity threshold of 5: even if all answer") == 1


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"title": ""}, "This field is required"),
        ({"closes_at": "2000-01-01T10:00"}, "must close after it opens"),
        (
            {"opens_at": "2020-01-01T10:00", "closes_at": "2020-01-02T10:00"},
            "close before anyone could answer",
        ),
        ({"also": ["99999999999999999999"]}, "is not a valid value"),
        ({"functions": ["wizardry"]}, "Select a valid choice"),
    ],
)
def test_a_bad_form_is_a_400_with_the_reason(client_for, customer, changes, error):
    client = client_for("editor")
    response = client.post(ask_page(client, customer.pk), own_form(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not CheckIn.objects.exists()


def test_adding_to_an_existing_check_in_still_works(client_for, customer, churn):
    waiting = own_checkin([churn])
    client = client_for("editor")
    response = client.post(ask_page(client, customer.pk), {"checkin": waiting.pk})
    assert response.status_code == 302
    assert waiting.questions.count() == 2


# --- Its answers, read by the real model ---


def test_its_report_reads_its_questions_and_stays_off_the_pulses_figures(
    client_for, customer, workspace
):
    checkin = own_checkin([customer])
    question = checkin.questions.get()
    for function, words in [
        (Function.FINANCE, "the company that pays our invoices"),
        (Function.SUPPORT, "the person who opens a ticket with us"),
    ]:
        for i in range(5):
            response = Response(checkin=checkin, function=function)
            save_answers(response, {question: f"{words} ({i})"})
    close_checkin(checkin)
    report = analyze(checkin)
    assert [q["prompt"] for q in report.data["questions"]] == [question_prompt(customer)]
    assert previous_checkin(checkin) is None and "trend" not in report.data

    client = client_for("owner")
    page = client.get(f"/w/acme/checkins/{checkin.pk}/").content.decode()
    assert f"Themes: {question_prompt(customer)}</h2>" in page  # its readings, grouped
    for heading in ("Priorities</h2>", "Line of sight</h2>", "Understanding × agreement"):
        assert heading not in page
    found = {r.function: r.answers for r in readings(customer).functions}
    assert len(found[Function.FINANCE]) == len(found[Function.SUPPORT]) == 5

    # Asked of everyone and published, it is still nobody's pulse.
    assert checkin.company_wide and published(workspace) == []
    source = choose_source(workspace, published(workspace))
    assert source.pulses == [] and group_pulses(workspace, [], []) == []
    assert latest_pulse(workspace, timezone.now() + timedelta(days=1)) is None
    alignment = client.get("/w/acme/alignment/").content.decode()
    assert "Say what it means" not in alignment
    # The executives' update lists it among the period's check-ins, with no pulse figure.
    today = timezone.localdate()
    around_today = (today - timedelta(days=1), today + timedelta(days=1))
    (listed,) = checkin_news(workspace, *around_today)["checkins"]
    assert listed["id"] == checkin.pk and listed["figures"] == []
    assert listed["compared_with"] is None


# --- The command line ---


def run(*args):
    return CliRunner().invoke(main, ["glossary", "ask", *args, "-w", "acme"])


def test_the_cli_asks_in_a_check_in_of_its_own_or_in_one_waiting(customer, churn, users):
    result = run("customer", "churn", "--new-checkin", "--audience", "engineering")
    assert result.exit_code == 0, result.output
    checkin = CheckIn.objects.get()
    assert checkin.title == "What do “customer” and “churn” mean to you?"
    assert checkin.template == TERM_QUESTIONS and checkin.audience_functions == ["engineering"]
    assert checkin.questions.count() == 2
    assert f"truenorth checkin send {checkin.pk}" in result.output

    waiting = own_checkin([churn])
    assert run("customer", "--checkin", str(waiting.pk)).exit_code == 0
    assert waiting.questions.count() == 2
    again = run("customer", "--checkin", str(waiting.pk))
    assert again.exit_code == 1 and "already asks" in again.output
    assert run("customer").exit_code == 2  # neither --checkin nor --new-checkin
    assert run("nothing", "--new-checkin").exit_code == 1
    closes_first = run(
        "customer", "--new-checkin", "--opens", "2026-07-10", "--closes", "2026-07-01"
    )
    assert closes_first.exit_code == 1 and "close after it opens" in closes_first.output
