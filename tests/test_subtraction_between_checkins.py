"""Two check-ins near in time whose audiences differ by a few people are never both published:
the Tiger team (3) and Sales (5) asked in one, Sales alone in another, and subtracting the
second's figures from the first's gave the Tiger team's answers. Analyses run with the real
model."""

from datetime import timedelta
from html import unescape

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import caller
from tests.conftest import team_of
from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import CheckIn
from truenorth.checkins.overlaps import WouldDisclose, too_close, warnings
from truenorth.cli import main
from truenorth.decisions import actions as decisions
from truenorth.decisions import backbrief
from truenorth.decisions.models import Decision
from truenorth.workspaces.models import Function

REFUSED = (
    "its audience differs from “Sales pulse” by 3 people: publishing both would let anyone "
    "subtract one from the other and read those 3 people's answers"
)


@pytest.fixture
def teams(workspace):
    """Tiger (3 people in support), Sales (5) and Ops (5 in customer success)."""
    made = {}
    for name, function, size in (
        ("Tiger", Function.SUPPORT, 3),
        ("Sales", Function.SALES, 5),
        ("Ops", Function.CUSTOMER_SUCCESS, 5),
    ):
        made[name], _ = team_of(workspace, name, function, size)
    return made


def answered_pulse(workspace, title, teams, days_ago=2):
    """A pulse asked of `teams`, answered by all of them, closed."""
    opens = timezone.now() - timedelta(days=days_ago)
    checkin = create_alignment_pulse(
        workspace, title, opens, opens + timedelta(days=7), teams=teams
    )
    questions = {q.role: q for q in checkin.questions.all()}
    for n, link in enumerate(issue_links(checkin)):
        answers = {
            questions["vision"]: f"Finance teams close their books in {n + 2} days.",
            questions["priorities"]: "1. Touchless invoices 2. Payments 3. SOC 2",
            questions["purpose"]: "My work gets invoices approved without anyone touching them.",
            questions["direction"]: 1 + n % 5,
        }
        submit_response(link.invitation, link.token, answers)
    close_checkin(checkin)
    return CheckIn.objects.get(pk=checkin.pk)


def test_a_checkin_differing_by_a_few_people_from_a_published_one_is_not_published(
    workspace, teams, users, client_for
):
    sales = answered_pulse(workspace, "Sales pulse", [teams["Sales"]])
    analyze(sales)
    both = answered_pulse(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    with pytest.raises(WouldDisclose, match=REFUSED):
        analyze(both)
    both.refresh_from_db()
    assert both.finalised_at is None and not hasattr(both, "report")
    client = client_for("editor")
    pressed = client.post(f"/w/acme/checkins/{both.pk}/analyze/", follow=True)
    page = unescape(pressed.content.decode())
    assert f"“Tiger pulse” cannot be published: {REFUSED}" in page
    assert 'id="publication-refused"' in page and ">Publish the results</button>" not in page
    assert "not published yet" not in page  # the page says one thing: why
    twin = client.get(f"/w/acme/checkins/{both.pk}/report.json")
    assert twin.status_code == 409 and twin.json()["analysis"] == "refused"
    assert twin.json()["error"].startswith(
        f"“Tiger pulse” cannot be published: {REFUSED}. Its answers stay unpublished. "
    )
    # What the editor can do next, on the page and in the JSON twin alike.
    assert NEXT_STEPS in page and NEXT_STEPS in twin.json()["error"]


# Options that exist: the people asked make the figures, and “Sales pulse” is final.
NEXT_STEPS = (
    "More answers would not change this, since what counts is who was asked, and “Sales pulse” "
    "is published for good. To hear from these people, ask them in a new check-in: ask the same "
    "people as “Sales pulse”, or at least 5 more or fewer, or open it from "
)


def test_analyze_close_leaves_open_a_checkin_it_could_not_publish(
    workspace, teams, users, client_for, client
):
    sales = answered_pulse(workspace, "Sales pulse", [teams["Sales"]])
    analyze(sales)
    opens = timezone.now() - timedelta(days=1)
    tiger = create_alignment_pulse(
        workspace,
        "Tiger pulse",
        opens,
        opens + timedelta(days=7),
        teams=[teams["Tiger"], teams["Sales"]],
    )
    issue_links(tiger)
    call = caller(client, users, "/api/v1/workspaces/acme")
    closed = call("post", f"/checkins/{tiger.pk}/close")
    assert closed.status_code == 409 and NEXT_STEPS in closed.json()["detail"]
    pressed = client_for("editor").post(f"/w/acme/checkins/{tiger.pk}/close/", follow=True)
    page = unescape(pressed.content.decode())
    assert NEXT_STEPS in page and "So it was left open" in page
    result = CliRunner().invoke(main, ["analyze", "--checkin", str(tiger.pk), "--close"])
    assert result.exit_code == 1
    assert f"“Tiger pulse” cannot be published: {REFUSED}" in result.output
    assert NEXT_STEPS in result.output
    assert "So “Tiger pulse” was left open; it closes on its closing date." in result.output
    assert f"truenorth checkin close {tiger.pk} --without-publishing" in result.output
    tiger.refresh_from_db()
    assert tiger.is_open() and tiger.finalised_at is None


def test_audiences_that_differ_by_the_threshold_or_not_at_all_are_published(workspace, teams):
    sales = answered_pulse(workspace, "Sales pulse", [teams["Sales"]])
    analyze(sales)
    again = answered_pulse(workspace, "Sales again", [teams["Sales"]])
    more = answered_pulse(workspace, "Sales and Ops", [teams["Sales"], teams["Ops"]])
    assert analyze(again).data["respondents"] == 5
    assert analyze(more).data["respondents"] == 10


def test_only_checkins_near_in_time_are_compared(workspace, teams):
    earlier = answered_pulse(workspace, "Sales pulse", [teams["Sales"]], days_ago=60)
    earlier.finalised_at = earlier.closes_at  # published then
    earlier.save(update_fields=["finalised_at"])
    later = answered_pulse(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    assert too_close(later, published_only=True) == []
    near = answered_pulse(workspace, "Sales pulse", [teams["Sales"]], days_ago=30)
    assert too_close(later) == [(near, 3)]


def test_it_warns_when_the_audience_is_chosen_and_before_sending(
    workspace, teams, users, client_for
):
    opens = timezone.now() + timedelta(days=1)
    create_alignment_pulse(
        workspace, "Sales pulse", opens, opens + timedelta(days=7), teams=[teams["Sales"]]
    )
    client = client_for("editor")
    created = client.post(
        "/w/acme/checkins/new/",
        {
            "title": "Tiger pulse",
            "opens_at": f"{opens:%Y-%m-%dT%H:%M}",
            "closes_at": f"{opens + timedelta(days=7):%Y-%m-%dT%H:%M}",
            "anonymous": "on",
            "teams": [teams["Tiger"].pk, teams["Sales"].pk],
        },
        follow=True,
    )
    page = unescape(created.content.decode())
    said = "It" + REFUSED[2:] + ", so only the first of the two to be published can be."
    # Said once, on its page until it is sent: not also as the creation's message.
    assert page.count(said) == 1


# --- Across three check-ins, with their groups, and with back-briefs ---


@pytest.fixture
def company(workspace):
    """Platform (3 engineers), Sales (5), Customer Success (4) and Support (3): threshold 5.
    (Platform is called “Core platform”: the logins' team is “Platform”.)"""
    made = {}
    for key, name, function, size in (
        ("Platform", "Core platform", Function.ENGINEERING, 3),
        ("Sales", "Sales", Function.SALES, 5),
        ("Customer Success", "Customer Success", Function.CUSTOMER_SUCCESS, 4),
        ("Support", "Support", Function.SUPPORT, 3),
    ):
        made[key], _ = team_of(workspace, name, function, size)
    return made


def team_names(report) -> set[str]:
    vision = report.data["questions"][0]
    return {g["name"] for g in vision["by"]["team"]["groups"]}


def published_triangle_sides(workspace, company):
    """“E-platform-sales” (8 people) and “E-sales-cs-support” (12), published in that order."""
    first = answered_pulse(workspace, "E-platform-sales", [company["Platform"], company["Sales"]])
    analyze(first)
    second = answered_pulse(
        workspace,
        "E-sales-cs-support",
        [company["Sales"], company["Customer Success"], company["Support"]],
    )
    return first, second


def test_a_group_subtracted_from_another_checkins_whole_is_withheld(workspace, company):
    """8 × “E-platform-sales” mean − 5 × the Sales team's mean in “E-sales-cs-support” would be
    the Platform team's 3 answers: the Sales team is not shown there, the rest is published."""
    first, second = published_triangle_sides(workspace, company)
    report = analyze(second)
    assert report.data["respondents"] == 12
    assert "Sales" not in team_names(report) and "sales" not in {
        g["name"] for g in report.data["questions"][0]["by"]["function"]["groups"]
    }
    assert report.data["questions"][0]["by"]["team"]["hidden_n"] == 12


def test_three_checkins_whose_whole_figures_add_up_to_a_team_are_not_all_published(
    workspace, company, users, client_for
):
    """“E-platform-sales” + “E-platform-cs-support” − “E-sales-cs-support” = 2 × Platform."""
    first, second = published_triangle_sides(workspace, company)
    analyze(second)
    third = answered_pulse(
        workspace,
        "E-platform-cs-support",
        [company["Platform"], company["Customer Success"], company["Support"]],
    )
    assert too_close(third, published_only=True) == []  # no two differ by a few people
    refused = (
        "“E-platform-cs-support” cannot be published: beside “E-platform-sales” and "
        "“E-sales-cs-support”, its figures would let anyone work out the answers of 3 people"
    )
    with pytest.raises(WouldDisclose, match=refused):
        analyze(third)
    third.refresh_from_db()
    assert third.finalised_at is None and not hasattr(third, "report")
    page = unescape(client_for("editor").get(f"/w/acme/checkins/{third.pk}/").content.decode())
    assert refused in page
    assert "not published yet" not in page and ">Publish the results</button>" not in page
    assert (
        "“E-platform-sales” and “E-sales-cs-support” are published for good. To hear from these "
        "people, ask them in a new check-in: ask the same people as one of them, or clearly "
        "different people, or open it from "
    ) in page


def test_checkins_of_different_people_or_a_quarter_apart_are_published(workspace, company):
    sales = answered_pulse(workspace, "Sales pulse", [company["Sales"]], days_ago=92)
    analyze(sales)
    others = answered_pulse(
        workspace,
        "Platform, CS and Support",
        [company["Platform"], company["Customer Success"], company["Support"]],
        days_ago=92,
    )
    assert analyze(others).data["respondents"] == 10
    quarter_later = answered_pulse(
        workspace, "Platform and Sales", [company["Platform"], company["Sales"]]
    )
    report = analyze(quarter_later)
    assert report.data["respondents"] == 8 and "withheld" in report.data


def test_creating_a_checkin_warns_of_three_that_would_add_up(workspace, company):
    first, second = published_triangle_sides(workspace, company)
    analyze(second)
    opens = timezone.now() + timedelta(days=1)
    third = create_alignment_pulse(
        workspace,
        "E-platform-cs-support",
        opens,
        opens + timedelta(days=7),
        teams=[company["Platform"], company["Customer Success"], company["Support"]],
    )
    (warned,) = warnings(third)
    assert warned.startswith(
        "With “E-platform-sales” and “E-sales-cs-support”, asked near it, its figures would "
        "likely let anyone work out the answers of 3 people"
    )


def decided(workspace, title, people):
    decision = Decision(workspace=workspace, title=title, question=f"{title}?")
    decision.raised_on = timezone.localdate()
    decision = decisions.add_decision(decision)
    decisions.decide(decision, timezone.localdate(), "We move payments to the new vendor.", "Fees.")
    decision.informed.add(*people)
    return decision


def answered_back_brief(decision):
    checkin = backbrief.create_back_brief(decision).checkin
    question = checkin.questions.get()
    for n, link in enumerate(issue_links(checkin)):
        text = "We keep the old vendor." if n == 0 else "We move payments to the new vendor."
        submit_response(link.invitation, link.token, {question: text})
    close_checkin(checkin)
    return CheckIn.objects.get(pk=checkin.pk)


def test_back_briefs_of_twin_decisions_are_not_both_published(workspace, company):
    """Informed Platform and Sales (8), then Sales (5): the difference is the Platform team's
    fidelity, and who of them heard the decision reversed."""
    platform_and_sales = list(company["Platform"].people.all())
    platform_and_sales += list(company["Sales"].people.all())
    sales = list(company["Sales"].people.all())
    first = answered_back_brief(decided(workspace, "Move payments", platform_and_sales))
    second = answered_back_brief(decided(workspace, "Move payments again", sales))
    analyze(first)
    with pytest.raises(WouldDisclose, match="differs from “What did you hear. Decision 1"):
        analyze(second)
    assert "differs from “What did you hear? Decision 1" in warnings(second)[0]


# --- Someone moved to another function between two check-ins ---


def function_names(report) -> set[str]:
    return {g["name"] for g in report.data["questions"][0]["by"]["function"]["groups"]}


def test_someone_moved_to_another_function_between_two_checkins_is_not_given_away(workspace):
    """Engineering was 6 in the first check-in; a designer then moved to engineering, keeping
    their team, and engineering was 7 in the second: 7 × its mean − 6 × the first's gave the
    designer's answers, while the audit saw both engineering groups as today's 7 people. The
    teams are too small to show, so no report gives it away on its own."""
    teams = {
        name: team_of(workspace, name, function, size)
        for name, function, size in (
            ("Core", Function.ENGINEERING, 3),
            ("Edge", Function.ENGINEERING, 3),
            ("Studio", Function.DESIGN, 3),
            ("Lab", Function.DESIGN, 3),
            ("Bench", Function.PRODUCT, 3),
            ("Desk", Function.PRODUCT, 2),
        )
    }
    asked = [team for team, _ in teams.values()]
    first = answered_pulse(workspace, "Before the move", asked, days_ago=9)
    assert function_names(analyze(first)) == {"engineering", "design", "product"}
    _, designers = teams["Studio"]
    designers[0].function = Function.ENGINEERING
    designers[0].save(update_fields=["function"])
    second = answered_pulse(workspace, "After the move", asked)
    report = analyze(second)
    assert report.data["respondents"] == 17
    assert not {"engineering", "design"} & function_names(report)
