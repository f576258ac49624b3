"""A check-in's trend compares it only with the last check-in of its kind asked of the same
audience: a pulse of Sales set against the whole company's showed mostly who was asked, coloured
"worse". Real database, real model."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze, previous_checkin
from truenorth.checkins.models import CheckIn
from truenorth.updates import facts
from truenorth.workspaces.models import Function, Person, Team

VISIONS = [
    "Finance teams close the books in three days because invoices approve themselves.",
    "We help mid-market finance teams pay suppliers without manual work.",
    "AI replaces the AP clerk.",
]


@pytest.fixture
def people(workspace):
    """Six engineers and six salespeople."""
    found = {}
    for function, team_name in ((Function.ENGINEERING, "Squad A"), (Function.SALES, "Deals")):
        team = Team.objects.create(workspace=workspace, name=team_name)
        found[function] = [
            Person.objects.create(
                workspace=workspace,
                name=f"{team_name} {i}",
                email=f"{function}{i}@acme.test",
                function=function,
                team=team,
            )
            for i in range(6)
        ]
    return found


def pulse(workspace, title, days_ago, who, functions=()):
    """An anonymous pulse that opened `days_ago` and closed a day later, answered by `who`;
    asked of `functions` (everyone when none)."""
    opens = timezone.now() - timedelta(days=days_ago)
    checkin = create_alignment_pulse(
        workspace, title, opens, timezone.now() + timedelta(days=1), functions=functions
    )
    links = {link.person.pk: link.token for link in issue_links(checkin)}
    questions = {q.role: q for q in checkin.questions.all()}
    for n, person in enumerate(who):
        answers = {
            questions["vision"]: VISIONS[n % len(VISIONS)],
            questions["priorities"]: "1. Touchless invoices 2. Payments 3. SOC 2",
            questions["purpose"]: "My work gets invoices approved without anyone touching them.",
            questions["direction"]: 1 + n % 5,
        }
        submit_response(checkin.invitations.get(person=person), links[person.pk], answers)
    # Closed a day after it opened: a month apart from the others, as pulses are.
    CheckIn.objects.filter(pk=checkin.pk).update(closes_at=opens + timedelta(days=1))
    checkin.refresh_from_db()
    return checkin


def test_a_pulse_of_a_few_functions_is_not_compared_with_the_company_pulse(
    workspace, people, client_for
):
    everyone = people[Function.ENGINEERING] + people[Function.SALES]
    company = pulse(workspace, "Q3 pulse", 60, everyone)
    sales = pulse(workspace, "Sales pulse", 3, people[Function.SALES], [Function.SALES])
    assert previous_checkin(sales) is None
    report = analyze(sales).data
    assert "trend" not in report and "previous" not in report
    why = (
        "the last check-in of its kind, Q3 pulse, asked a different audience (everyone; this "
        "one asked Sales), so a change would be mostly who was asked"
    )
    assert report["trend_withheld"] == why
    client = client_for("viewer")
    page = unescape(client.get(f"/w/acme/checkins/{sales.pk}/").content.decode())
    assert f"No trend: {why}." in page and 'id="since"' not in page
    twin = client.get(f"/w/acme/checkins/{sales.pk}/report.json").json()["report"]
    assert "trend" not in twin and twin["trend_withheld"] == why
    # An update's facts set it against nothing either.
    analyze(company)
    listed = facts.checkin_news(
        workspace, timezone.localdate() - timedelta(days=90), timezone.localdate()
    )["checkins"]
    assert {c["title"]: c["compared_with"] for c in listed} == {
        "Q3 pulse": None,
        "Sales pulse": None,
    }


def test_the_next_company_pulse_is_compared_with_the_last_company_pulse(workspace, people):
    everyone = people[Function.ENGINEERING] + people[Function.SALES]
    pulse(workspace, "Q3 pulse", 100, everyone)
    pulse(workspace, "Sales pulse", 60, people[Function.SALES], [Function.SALES])
    later = pulse(workspace, "Q4 pulse", 3, everyone)
    report = analyze(later).data
    assert report["previous"]["title"] == "Q3 pulse"
    assert report["trend"]["direction.agree"]["change"] == 0  # the same people, the same answers


def test_the_privacy_check_applies_to_the_pulse_asked_alike(workspace, people):
    """Compared with the earlier Sales pulse, not the company's in between: and as that one
    was answered by one person more, no trend is shown."""
    everyone = people[Function.ENGINEERING] + people[Function.SALES]
    salespeople = people[Function.SALES]
    pulse(workspace, "Sales pulse 1", 100, salespeople, [Function.SALES])
    pulse(workspace, "Q3 pulse", 60, everyone)
    later = pulse(workspace, "Sales pulse 2", 3, salespeople[:-1], [Function.SALES])
    assert previous_checkin(later).title == "Sales pulse 1"
    report = analyze(later).data
    assert "trend" not in report and "differ by fewer than 5" in report["trend_withheld"]
    assert report["previous"]["title"] == "Sales pulse 1"


def test_the_audience_is_the_functions_and_teams_chosen_in_any_order(workspace, people):
    team = Team.objects.get(name="Deals")
    start = timezone.now()
    one = create_alignment_pulse(
        workspace, "A", start, start, functions=[Function.SALES, Function.MARKETING], teams=[team]
    )
    two = create_alignment_pulse(
        workspace, "B", start, start, functions=[Function.MARKETING, Function.SALES], teams=[team]
    )
    three = create_alignment_pulse(workspace, "C", start, start, functions=[Function.SALES])
    assert one.audience_key() == two.audience_key() != three.audience_key()
