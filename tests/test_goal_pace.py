"""Whether a goal is on track, said the same way on the goals page, its JSON and CSV, the API and
`truenorth goals list`: the pace is a least-squares line through the readings, checked here
against numpy's own fit, carried on from the latest reading to the target's date."""

import csv
import io
from datetime import date, timedelta

import numpy
import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.api import api_request
from truenorth.charts import day, number
from truenorth.cli import main
from truenorth.strategy import pace
from truenorth.strategy.models import GoalMeasurement

MONTH = 365.25 / 12


def measure(goal, readings, target, unit="%", sentence=None):
    """Readings as (days ago, value) and the target as (days ahead, value), around today."""
    today = timezone.localdate()
    rows = [
        GoalMeasurement(goal=goal, measured_on=today - timedelta(days=ago), value=v, unit=unit)
        for ago, v in readings
    ]
    if target is not None:
        ahead, value = target
        on = today + timedelta(days=ahead)
        rows.append(
            GoalMeasurement(goal=goal, measured_on=on, value=value, unit=unit, is_target=True)
        )
    GoalMeasurement.objects.bulk_create(rows)
    if sentence is not None:
        goal.target = sentence
        goal.save()
    return goal


def fitted(readings, target_ahead):
    """What numpy's least-squares line says: the pace a month, and the latest value carried on
    at it to the target's date."""
    days = [-ago for ago, _ in readings]
    slope, _ = numpy.polyfit(days, [v for _, v in readings], 1)
    latest_ago, latest = readings[-1]
    return slope * MONTH, latest + slope * (target_ahead + latest_ago)


# Share of postings failing: 6.1% ten months ago, 4.2% today, 0.5% wanted in 26 days.
FAILING = [(300, 6.1), (240, 5.8), (180, 5.9), (120, 5.0), (60, 4.6), (0, 4.2)]


@pytest.fixture
def behind(strategy):
    goal = strategy["goals"][0]
    sentence = "Below 0.5% by 31 December 2026 (4.2% today)"
    return measure(goal, FAILING, (26, 0.5), sentence=sentence)


def test_a_goal_coming_down_too_slowly_is_behind_with_the_pace_behind_it(behind):
    per_month, projected = fitted(FAILING, 26)
    found = pace.of_goal(behind)
    assert found.verdict == pace.BEHIND and found.lower_is_better is True
    assert found.per_month == pytest.approx(per_month)
    assert found.projected == pytest.approx(projected)
    target_on = timezone.localdate() + timedelta(days=26)
    assert found.needed_per_month == pytest.approx((0.5 - 4.2) / (26 / MONTH))
    assert found.words.startswith(
        f"Behind: at this pace {number(projected, '%')} by {day(target_on)}, target 0.5% or less "
        f"(needs to fall {number(abs(found.needed_per_month))} points a month, has fallen "
        f"{number(abs(per_month))} points a month so far)"
    )


def test_every_place_that_shows_a_goal_says_the_same_verdict(behind, client_for, users, client):
    words = pace.of_goal(behind).words
    label, detail = words.split(": ", 1)
    page = client_for("member").get("/w/acme/goals/").content.decode()
    assert f"<strong>{label}:</strong> {detail}" in page
    twin = client_for("member").get("/w/acme/goals.json").json()["goals"][0]["pace"]
    assert (twin["verdict"], twin["words"], twin["latest"]) == (
        "behind",
        words,
        {"value": 4.2, "on": timezone.localdate().isoformat()},
    )
    sheet = client_for("member").get("/w/acme/goals.csv").content.decode()
    row = next(csv.DictReader(io.StringIO(sheet.lstrip("\ufeff"))))
    assert (row["latest"], row["measured on"], row["verdict"], row["pace"]) == (
        "4.2%",
        timezone.localdate().isoformat(),
        "Behind",
        detail,
    )
    listed = api_request(client, users["member"], "get", "/api/v1/workspaces/acme/goals")
    assert listed.json()["items"][0]["pace"]["words"] == words
    one = api_request(client, users["member"], "get", f"/api/v1/workspaces/acme/goals/{behind.pk}")
    assert one.json()["pace"]["projected"] == pytest.approx(twin["projected"])
    shown = CliRunner().invoke(main, ["goals", "list", "-w", "acme"]).output.splitlines()
    assert shown[0].split() == ["rank", "id", "period", "on", "track?", "what"]
    assert shown[1].split()[:4] == ["#1", str(behind.pk), "2026-H2", "Behind"]
    assert shown[2].strip() == detail


def test_a_goal_rising_fast_enough_is_on_track(strategy):
    readings = [(300, 33), (200, 42), (100, 51), (0, 60)]
    goal = measure(strategy["goals"][0], readings, (120, 70), sentence="70% by June")
    _, projected = fitted(readings, 120)
    found = pace.of_goal(goal)
    assert projected >= 70 and found.verdict == pace.ON_TRACK
    assert found.words == (
        f"On track: at this pace {number(projected, '%')} by "
        f"{day(timezone.localdate() + timedelta(days=120))} (target 70% or more)."
    )


def test_the_pace_is_the_line_through_every_reading_not_the_first_to_the_latest(strategy):
    """A first reading far off the others (a bad month) would make the first-to-latest pace
    look fast; the line through every reading does not let it decide."""
    readings = [(300, 10), (240, 31), (180, 32), (120, 33), (60, 34), (0, 35)]
    goal = measure(strategy["goals"][0], readings, (180, 48))
    per_month, projected = fitted(readings, 180)
    first_to_latest = (35 - 10) / (300 / MONTH)
    found = pace.of_goal(goal)
    assert found.per_month == pytest.approx(per_month)
    assert found.per_month < first_to_latest
    assert 35 + first_to_latest * 180 / MONTH >= 48  # the first-to-latest pace: on track
    assert found.verdict == pace.BEHIND and projected < 48


@pytest.mark.parametrize(
    ("readings", "target", "unit", "sentence", "verdict", "words"),
    [
        # At or past the target already: met. The sentence's words say which way is good over
        # the numbers, which would read "99.97 down to 99.9" and "2 up to 3".
        ([(90, 3.1), (0, 1.8)], (200, 2), "days", "Under 2 days", pace.MET, "Met: 1.8 days on"),
        ([(90, 99.97), (0, 99.94)], (30, 99.9), "%", "At least 99.9%", pace.MET, "Met: 99.9%"),
        ([(60, 2), (0, 2.5)], (30, 3), "days", "No more than 3 days", pace.MET, "Met: 2.5 days"),
        # The date passed short of the target.
        ([(300, 6.1), (10, 4.2)], (-5, 0.5), "%", "Below 0.5%", pace.MISSED, "Missed: 4.2% on"),
        # One reading makes no pace; none makes none either.
        ([(0, 63)], (200, 21), "days", "Under 21 days", pace.TOO_FEW, "Not enough readings to"),
        ([], (200, 21), "days", "Under 21 days", pace.TOO_FEW, "Not enough readings to say"),
        # No target value: nothing to judge against.
        (
            [(60, 33), (0, 41)],
            None,
            "%",
            "70% by June",
            pace.NO_TARGET,
            "No target value: no value could be read from “70% by June”, only from a number alone "
            "such as “120” or “0.5%”: give it under “Target value” and “Target date” on the "
            "goal's Edit form",
        ),
        # A target that moved the wrong way, numbers alone saying which way is good.
        ([(60, 40), (0, 38)], (100, 70), "%", "70% by June", pace.BEHIND, "Behind:"),
    ],
)
def test_each_verdict(strategy, readings, target, unit, sentence, verdict, words):
    goal = measure(strategy["goals"][0], readings, target, unit, sentence)
    found = pace.of_goal(goal)
    assert found.verdict == verdict and found.words.startswith(words), found.words


def test_a_goal_that_moved_away_from_its_target_has_fallen(strategy):
    goal = measure(strategy["goals"][0], [(60, 40), (0, 38)], (100, 70), sentence="70%")
    assert "needs to rise" in pace.of_goal(goal).words
    assert "has fallen 1 point a month so far)" in pace.of_goal(goal).words


def test_a_projection_never_goes_below_nothing(strategy):
    goal = measure(strategy["goals"][0], [(60, 9), (0, 1)], (200, 0.5), sentence="Below 0.5%")
    found = pace.of_goal(goal)
    assert found.projected == 0 and found.verdict == pace.ON_TRACK


def test_the_verdict_is_as_of_the_day_asked(strategy):
    """An update gathered on a day reads the goal as it stood then."""
    goal = measure(strategy["goals"][0], FAILING, (26, 0.5), sentence="Below 0.5%")
    later = timezone.localdate() + timedelta(days=27)
    assert pace.of_goal(goal).verdict == pace.BEHIND
    assert pace.of_goal(goal, later).verdict == pace.MISSED


def test_the_pace_so_far_is_said_a_month_like_the_pace_needed():
    """18% on 1 Oct, 15% on 15 Nov: 3 points in a month and a half is 2 points a month, and the
    sentence says "a month" for both figures, not "has fallen 2 points" for a fall of 3."""
    readings = [pace.Reading(date(2026, 10, 1), 18), pace.Reading(date(2026, 11, 15), 15)]
    target = pace.Reading(date(2027, 3, 31), 5)
    found = pace.judge(readings, target, "%", "5% by 31 March 2027", date(2026, 12, 6))
    assert found.words == (
        "Behind: at this pace 5.9% by 31 Mar 2027, target 5% or less (needs to fall 2.2 points "
        "a month, has fallen 2 points a month so far)."
    )


def test_the_goal_card_says_the_pace_so_far_a_month_and_dates_its_latest_reading(
    strategy, client_for
):
    """The card's chart ends at the latest reading, three weeks ago: it is labelled by its date,
    not "today"; once a reading is today's, that one is."""
    goal = measure(strategy["goals"][0], [(66, 18), (21, 15)], (115, 5), sentence="5% by March")
    latest = timezone.localdate() - timedelta(days=21)
    page = client_for("member").get("/w/acme/goals/").content.decode()
    assert "has fallen 2 points a month so far)" in page
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert f"→ {day(latest)}</text>" in chart and "today" not in chart
    measure(goal, [(0, 14)], None)
    page = client_for("member").get("/w/acme/goals/").content.decode()
    assert "→ today</text>" in page and f"→ {day(latest)}" not in page
