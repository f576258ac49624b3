"""A check-in is compared only with check-ins that have results or can still have them. Creating
a pulse warned that its audience differed from one whose publication had been refused and that
was closed ("only the first of the two to be published can be": it never can be), and a pulse's
page said "No trend: the last check-in of its kind, R1 squads, asked a different audience" of a
pulse never sent. Real database, real model."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.test_subtraction_between_checkins import answered_pulse, teams  # noqa: F401 (a fixture)
from truenorth.checkins.actions import create_alignment_pulse, issue_links, submit_response
from truenorth.checkins.measure import analyze, close_checkin
from truenorth.checkins.models import CheckIn
from truenorth.checkins.overlaps import WouldDisclose, too_close, warnings


def later_pulse(workspace, title, asked):
    opens = timezone.now() + timedelta(days=1)
    return create_alignment_pulse(workspace, title, opens, opens + timedelta(days=7), teams=asked)


def test_no_warning_names_a_checkin_refused_and_closed(workspace, teams):  # noqa: F811
    sales = answered_pulse(workspace, "Sales pulse", [teams["Sales"]])
    analyze(sales)
    tiger = answered_pulse(workspace, "Tiger pulse", [teams["Tiger"], teams["Sales"]])
    with pytest.raises(WouldDisclose):
        analyze(tiger)  # closed, and never publishable beside “Sales pulse”
    again = later_pulse(workspace, "Sales pulse again", [teams["Sales"]])
    assert warnings(again) == []
    # One still open can still be published first: it is warned of.
    open_one = later_pulse(workspace, "Tiger pulse 2", [teams["Tiger"], teams["Sales"]])
    said = warnings(again)
    assert len(said) == 1 and "differs from “Tiger pulse 2” by 3 people" in said[0]
    assert too_close(open_one, published_only=True) == [(sales, 3)]


def test_a_checkin_published_without_results_is_not_compared(workspace, teams):  # noqa: F811
    """Four of the eight people asked answered: it was published with nothing shown, so
    nothing can be subtracted from it."""
    opens = timezone.now() - timedelta(days=2)
    few = create_alignment_pulse(
        workspace,
        "Tiger pulse",
        opens,
        opens + timedelta(days=7),
        teams=[teams["Tiger"], teams["Sales"]],
    )
    questions = {q.role: q for q in few.questions.all()}
    for link in issue_links(few)[:4]:
        submit_response(
            link.invitation,
            link.token,
            {
                questions["vision"]: "Finance teams close their books in 3 days.",
                questions["priorities"]: "1. Touchless invoices 2. Payments",
                questions["purpose"]: "My work gets invoices approved untouched.",
                questions["direction"]: 4,
            },
        )
    close_checkin(few)
    assert analyze(CheckIn.objects.get(pk=few.pk)).data.get("suppressed") is True
    sales = later_pulse(workspace, "Sales pulse", [teams["Sales"]])
    assert warnings(sales) == [] and too_close(sales) == []


def test_no_trend_names_the_last_checkin_with_results_not_one_never_sent(
    workspace,
    teams,  # noqa: F811
):
    analyze(answered_pulse(workspace, "Q3 sales", [teams["Sales"]], days_ago=60))
    opens = timezone.now() - timedelta(days=5)
    create_alignment_pulse(  # never sent: no results to compare with
        workspace, "R1 squads", opens, opens + timedelta(days=15), teams=[teams["Tiger"]]
    )
    report = analyze(answered_pulse(workspace, "R1 both", [teams["Sales"], teams["Ops"]]))
    why = report.data["trend_withheld"]
    assert "R1 squads" not in why
    assert why.startswith("the last check-in of its kind, Q3 sales, asked a different audience")
