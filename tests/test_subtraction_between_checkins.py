"""Two check-ins near in time whose audiences differ by a few people are never both published:
the Tiger team (3) and Sales (5) asked in one, Sales alone in another, and subtracting the
second's figures from the first's gave the Tiger team's answers. Analyses run with the real
model."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import CheckIn
from truenorth.checkins.overlaps import WouldDisclose, too_close
from truenorth.workspaces.models import Function, Person, Team

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
        made[name] = team = Team.objects.create(workspace=workspace, name=name)
        for i in range(size):
            Person.objects.create(
                workspace=workspace,
                name=f"{name} {i}",
                email=f"{name.lower()}{i}@acme.test",
                function=function,
                team=team,
            )
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
    assert client.get(f"/w/acme/checkins/{both.pk}/report.json").status_code == 409


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
    assert said in page  # as it is created
    assert page.count(said) == 2  # and on its page, until it is sent
