"""Each goal on the overview says whether it is on track and where it stands against its target,
in the goals page's own judgement and words (strategy.pace), on the page and in its JSON twin."""

import re
import zoneinfo
from datetime import date, timedelta
from html import unescape

from django.utils import timezone

from truenorth.charts import Reading, day
from truenorth.strategy import pace
from truenorth.strategy.models import GoalMeasurement


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def today_of(workspace) -> date:
    """The workspace's day, as its pages judge a pace."""
    with timezone.override(zoneinfo.ZoneInfo(workspace.time_zone)):
        return timezone.localdate()


def measure(goal, readings: list[tuple[int, float]], target: tuple[int, float]) -> None:
    """Readings as (days ago, value) and the target as (days ahead, value), in percent."""
    today = today_of(goal.workspace)
    rows = [
        GoalMeasurement(goal=goal, measured_on=today - timedelta(days=ago), value=v, unit="%")
        for ago, v in readings
    ]
    ahead, value = target
    on = today + timedelta(days=ahead)
    rows.append(GoalMeasurement(goal=goal, measured_on=on, value=value, unit="%", is_target=True))
    for row in rows:  # one at a time, as the goal's card and the API record them
        row.save()


def overview(client) -> tuple[str, dict]:
    page, twin = client.get("/w/acme/"), client.get("/w/acme/overview.json")
    assert page.status_code == twin.status_code == 200
    return text(page.content.decode()), twin.json()


def test_each_goal_says_its_verdict_and_its_value_against_its_target(client_for, strategy):
    faster, fewer = strategy["goals"]
    measure(faster, [(60, 33), (30, 41)], (365, 70))  # 8 points a month: on track
    today = today_of(faster.workspace)
    page, twin = overview(client_for("member"))

    said = (
        f"On track: 41% on {day(today - timedelta(days=30))}, "
        f"target 70% or more by {day(today + timedelta(days=365))}."
    )
    assert said in page
    # No target value: the goals page's own reason, on the overview as there.
    no_target = pace.of_goal(fewer).words
    assert no_target.startswith("No target value: no value could be read from “target”")
    assert no_target in page
    goals = {goal["title"]: goal for goal in twin["goals"]}
    assert goals["Faster close"]["in_words"] == said
    assert goals["Fewer manual touches"]["in_words"] == no_target

    # The same verdict and figures as the goals page's JSON twin: one judgement, not two.
    judged = client_for("member").get("/w/acme/goals.json").json()["goals"]
    assert {g["title"]: g["pace"] for g in judged} == {t: g["pace"] for t, g in goals.items()}
    assert goals["Faster close"]["pace"]["verdict"] == "on_track"


def test_a_measurement_recorded_shows_on_the_overview_at_once(client_for, strategy):
    """The overview is kept once per version of the data: were goals' readings not part of it,
    it would go on saying the verdict of the readings before."""
    fewer = strategy["goals"][1]
    client = client_for("viewer")
    page, twin = overview(client)
    assert "Fewer manual touches" in page and "Behind:" not in page

    measure(fewer, [(60, 40), (30, 41)], (90, 70))  # a point a month, 29 to go in 4 months
    today = today_of(fewer.workspace)
    page, twin = overview(client)
    said = (
        f"Behind: 41% on {day(today - timedelta(days=30))}, "
        f"target 70% or more by {day(today + timedelta(days=90))}."
    )
    assert said in page
    assert [g["in_words"] for g in twin["goals"] if g["id"] == fewer.pk] == [said]

    # A reading changed in place, as recording one on the same day does, is seen too.
    reading = GoalMeasurement.objects.get(goal=fewer, value=41)
    GoalMeasurement.objects.update_or_create(
        goal=fewer, measured_on=reading.measured_on, is_target=False, defaults={"value": 75}
    )
    page, twin = overview(client)
    assert f"Met: 75% on {day(today - timedelta(days=30))}" in page
    assert [g["pace"]["verdict"] for g in twin["goals"] if g["id"] == fewer.pk] == ["met"]


def test_against_target_is_the_latest_reading_beside_the_target_or_nothing():
    today = date(2026, 11, 1)
    target = Reading(date(2026, 12, 31), 0.5)
    readings = [Reading(date(2026, 9, 1), 4.8), Reading(date(2026, 10, 1), 4.2)]
    found = pace.judge(readings, target, "%", "Below 0.5%", today)
    assert found.against_target == "4.2% on 1 Oct 2026, target 0.5% or less by 31 Dec 2026"
    assert pace.judge([], target, "%", "0.5%", today).against_target == ""
    assert pace.judge(readings, None, "%", "", today).against_target == ""
