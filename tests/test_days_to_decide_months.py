"""Days to decide on the alignment dashboard: each month's median is drawn only where it rests
on 3 decisions or more, and says how many; the months of fewer are named in the card's note.
The demo's line had ended at "2 days" for November, the median of one decision, beside a card
of 19 days. Fixed days in 2025, so the months do not move with the date the tests run on."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone

from truenorth.decisions import actions
from truenorth.decisions.models import Decision


def board(client) -> dict:
    return client.get("/w/acme/alignment.json").json()


def card(client, name: str) -> str:
    """The signal `name`'s card on the page, from its name to its evidence link."""
    html = unescape(client.get("/w/acme/alignment/").content.decode())
    found = html[html.index(f'<div class="signal-name">{name}</div>') :]
    return found[: found.index('class="evidence"')]


def decided(workspace, title: str, on: date, days: int) -> Decision:
    """A decision made on `on` after `days` days."""
    raised = on - timedelta(days=days)
    decision = Decision(workspace=workspace, title=title, question=f"{title}?", raised_on=raised)
    return actions.decide(actions.add_decision(decision), on, "Yes.")


def latency(client) -> dict:
    signals = board(client)["organisation"]
    return next(s for s in signals if s["key"] == "decisions.latency")


@pytest.fixture
def months_of_decisions(workspace):
    """January 2025: 3 decisions (median 10 days); February: 2; March: 4 (median 7); and one
    made five days ago, after 12 days: the card's figure."""
    for days in (4, 10, 20):
        decided(workspace, f"January {days}", date(2025, 1, 20), days)
    for days in (6, 8):
        decided(workspace, f"February {days}", date(2025, 2, 20), days)
    for days in (2, 6, 8, 30):
        decided(workspace, f"March {days}", date(2025, 3, 20), days)
    return decided(workspace, "Lately", timezone.localdate() - timedelta(days=5), 12)


def test_days_to_decide_draws_only_months_of_three_decisions_and_says_how_many(
    months_of_decisions, client_for, workspace
):
    client = client_for("viewer")
    days = latency(client)
    assert days["value"] == 12
    assert days["trend"] == [["2025-01", 10], ["2025-03", 7]]
    assert days["trend_counts"] == [3, 4] and days["trend_counted"] == "decision"
    lately = f"{months_of_decisions.decided_on:%Y-%m} (1 decision)"
    assert (
        "The line leaves out each month with fewer than 3 decisions, since a median of one or two "
        f"says how long one decision took: 2025-02 (2 decisions), {lately}." in days["note"]
    )
    html = card(client, "Days to decide")
    assert "<td>2025-01 (3 decisions)</td><td>10 days</td>" in html
    assert "2025-03 (4 decisions): 7 days" in html  # the chart's spoken description
    assert (
        "2025-01 → 2025-03 (2025-03: 7 days, of 4 decisions; the figure above, 12 days, is the "
        "median of the last 90 days)" in html
    )
    title = "Days to decide: each month's own median (of the decisions made that month, where "
    assert f'aria-label="{title}there were 3 or more)"' in html


def test_days_to_decide_draws_no_line_where_no_month_rests_on_three(client_for, workspace):
    for days in (4, 10):
        decided(workspace, f"January {days}", date(2025, 1, 20), days)
    decided(workspace, "Lately", timezone.localdate() - timedelta(days=5), 12)
    client = client_for("viewer")
    days = latency(client)
    assert days["trend"] == [] and days["trend_counts"] == [] and days["value"] == 12
    assert ": 2025-01 (2 decisions), " in days["note"]
    assert 'data-chart="trend"' not in card(client, "Days to decide")
