"""The decision speed page's month-by-month chart draws a month only where it rests on 3
decisions or more, as the alignment dashboard's card does, and names each point's count; its
JSON twin and the page say which months are left out and why. The page had plotted a month of
one decision as if it were as telling as a month of many. Fixed days in 2025, so the months do
not move with the date the tests run on."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone

from truenorth.decisions import actions, speed
from truenorth.decisions.models import Decision, Status


def decided(workspace, title: str, on: date, days: int) -> Decision:
    """A decision made on `on` after `days` days."""
    raised = on - timedelta(days=days)
    decision = Decision(workspace=workspace, title=title, question=f"{title}?", raised_on=raised)
    return actions.decide(actions.add_decision(decision), on, "Yes.")


@pytest.fixture
def months_of_decisions(workspace):
    """January 2025: 3 decisions (median 10 days); February: 2; March: 4 (median 7); and one
    made five days ago."""
    for days in (4, 10, 20):
        decided(workspace, f"January {days}", date(2025, 1, 20), days)
    for days in (6, 8):
        decided(workspace, f"February {days}", date(2025, 2, 20), days)
    for days in (2, 6, 8, 30):
        decided(workspace, f"March {days}", date(2025, 3, 20), days)
    return decided(workspace, "Lately", timezone.localdate() - timedelta(days=5), 12)


def test_the_months_are_those_of_three_decisions_or_more():
    made = [
        Decision(raised_on=date(2025, 1, 1), decided_on=date(2025, 1, day), status=Status.DECIDED)
        for day in (5, 11, 21)
    ] + [Decision(raised_on=date(2025, 2, 1), decided_on=date(2025, 2, 3), status=Status.DECIDED)]
    assert speed.monthly_latency(made) == ([("2025-01", 10)], [3], [("2025-02", 1)])
    # The dashboard's card keeps only the latest months: here the last one.
    assert speed.monthly_latency(made, 1) == ([], [], [("2025-02", 1)])
    assert speed.months_left_out_why([]) == ""


def test_the_speed_page_draws_only_months_of_three_decisions_and_says_how_many(
    months_of_decisions, client_for
):
    client = client_for("member")
    lately = f"{months_of_decisions.decided_on:%Y-%m}"
    why = (
        "The line leaves out each month with fewer than 3 decisions, since a median of one or two "
        f"says how long one decision took: 2025-02 (2 decisions), {lately} (1 decision)."
    )
    data = client.get("/w/acme/decisions/speed.json").json()
    assert data["trend"] == [
        {"month": "2025-01", "median_days": 10, "decisions": 3},
        {"month": "2025-03", "median_days": 7, "decisions": 4},
    ]
    assert data["months_left_out"] == [
        {"month": "2025-02", "decisions": 2},
        {"month": lately, "decisions": 1},
    ]
    assert data["months_left_out_why"] == why
    page = unescape(client.get("/w/acme/decisions/speed/").content.decode())
    chart = page[page.index('<figure class="chart chart-trend">') :]
    chart = chart[: chart.index("</figure>")]
    assert "<td>2025-01 (3 decisions)</td><td>10 days</td>" in chart
    assert "2025-03 (4 decisions): 7 days" in chart  # the chart's spoken description
    assert "2025-02" not in chart and lately not in chart
    assert f'<p class="note" id="months-left-out">{why}</p>' in page
    assert "A month is drawn only where 3 or more decisions were made in it" in page


def test_the_speed_page_draws_no_line_from_fewer_than_two_such_months(workspace, client_for):
    for days in (4, 10, 20):
        decided(workspace, f"January {days}", date(2025, 1, 20), days)
    decided(workspace, "February", date(2025, 2, 20), 6)
    client = client_for("member")
    page = unescape(client.get("/w/acme/decisions/speed/").content.decode())
    assert 'data-chart="trend"' not in page
    assert "no line, as fewer than two months have 3 or more decisions" in page
    assert "2025-02 (1 decision)." in page
    data = client.get("/w/acme/decisions/speed.json").json()
    assert [point["month"] for point in data["trend"]] == ["2025-01"]
