"""Say and do: the goals a team's people name in a pulse against where the team's work goes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from truenorth.checkins.measure import current_report
from truenorth.checkins.models import CheckIn, Report
from truenorth.dashboard.saydo import BAND, say_and_do
from truenorth.roadmap.models import Initiative, Status
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Team


def published(workspace, groups, hidden_n=3, threshold=5):
    """A pulse closed 10 days ago with a hand-written report: `groups` is the team breakdown of
    its priorities (what the disclosure audit let through); one smaller team is hidden."""
    closes = timezone.now() - timedelta(days=10)
    checkin = CheckIn.objects.create(
        workspace=workspace,
        title="Pulse",
        opens_at=closes - timedelta(days=14),
        closes_at=closes,
        finalised_at=closes,
    )
    goals = [
        {"id": g.pk, "title": g.title, "rank": g.rank, "named_by": 0.5}
        for g in workspace.goals.all()
    ]
    n = sum(g["n"] for g in groups) + hidden_n
    data = {
        "threshold": threshold,
        "respondents": n,
        "withheld": 0,
        "questions": [],
        "priorities": {
            "n": n,
            "goals": goals,
            "shadow": [{"people": 5, "quotes": ["SOC 2"], "words": ["soc"]}],
            "by": {
                "team": {"groups": groups, "hidden_groups": 1, "hidden_n": hidden_n},
                "function": {"groups": [], "hidden_groups": 1, "hidden_n": n},
            },
        },
    }
    Report.objects.create(checkin=checkin, computed_at=closes, response_count=n, data=data)
    return checkin


def item(workspace, team, key, points=None, days_ago=30, resolved_days_ago=None, **link):
    today = timezone.localdate()
    return WorkItem.objects.create(
        workspace=workspace,
        external_key=key,
        title=f"Work {key}",
        team=team,
        points=None if points is None else Decimal(points),
        created_on=today - timedelta(days=days_ago),
        resolved_on=None
        if resolved_days_ago is None
        else today - timedelta(days=resolved_days_ago),
        **link,
    )


@pytest.fixture
def says_a_does_b(workspace, team, strategy):
    """Platform's five people all name goal A; its work goes to goal B (through an initiative)
    and to nothing. Tiny, a team of three, is hidden by the report but has work on goal A."""
    a, b = strategy["goals"]
    towards_b = Initiative.objects.create(
        workspace=workspace, title="B work", goal=b, team=team, status=Status.COMMITTED
    )
    item(workspace, team, "P-1", 5, initiative=towards_b)
    item(workspace, team, "P-2", 3, initiative=towards_b)
    item(workspace, team, "P-3", 2)  # no goal
    # Outside the 90 days to the close: resolved before them, or created after the close.
    item(workspace, team, "P-4", 8, days_ago=200, resolved_days_ago=150, goal=a)
    item(workspace, team, "P-5", 8, days_ago=2, goal=a)
    tiny = Team.objects.create(workspace=workspace, name="Tiny")
    item(workspace, tiny, "T-1", 3, goal=a)
    groups = [{"name": "Platform", "n": 5, "named_goals": {str(a.pk): 1.0, str(b.pk): 0.0}}]
    return published(workspace, groups)


def report_of(checkin):
    return current_report(CheckIn.objects.get(pk=checkin.pk)).data


def test_it_shows_a_team_that_names_one_goal_and_works_on_another(workspace, says_a_does_b):
    result = say_and_do(workspace, says_a_does_b, report_of(says_a_does_b))
    assert result.period_to == timezone.localdate(says_a_does_b.closes_at)
    assert (result.period_to - result.period_from).days == 89
    [platform] = result.teams
    assert (platform.team, platform.respondents, platform.unit) == ("Platform", 5, "points")
    assert platform.effort == 10  # P-4 and P-5 fall outside the period
    a, b = platform.goals
    assert (a.named, a.say, a.do, a.gap, a.items) == (100.0, 100.0, 0.0, 100.0, 0)
    assert (b.named, b.say, b.do, b.gap, b.items) == (0.0, 0.0, 80.0, -80.0, 2)
    assert not a.agrees and not b.agrees
    assert [x["key"] for x in b.examples] == ["P-1", "P-2"]  # the largest first
    assert platform.no_goal == 20.0 and platform.no_goal_items == 1
    assert platform.sentence == (
        "Platform names “Faster close” (all of its people) but none of its work goes there; "
        "20% of its points over the 90 days to the check-in go to no goal."
    )
    assert platform.work_url.endswith(f"/work/?team={platform_id(workspace)}")
    assert platform.no_goal_url.endswith("&link=unlinked")


def platform_id(workspace):
    return workspace.teams.get(name="Platform").pk


def test_say_is_each_goals_part_of_what_the_team_names(workspace, team, strategy):
    """Everyone names both goals and the work is split evenly: say and do agree."""
    a, b = strategy["goals"]
    item(workspace, team, "P-1", 3, goal=a)
    item(workspace, team, "P-2", 3, goal=b)
    groups = [{"name": "Platform", "n": 5, "named_goals": {str(a.pk): 1.0, str(b.pk): 1.0}}]
    checkin = published(workspace, groups)
    [platform] = say_and_do(workspace, checkin, report_of(checkin)).teams
    assert [(g.named, g.say, g.do) for g in platform.goals] == [(100, 50, 50), (100, 50, 50)]
    assert all(g.agrees for g in platform.goals)
    assert platform.sentence == (
        f"Platform's work follows what its people name: every goal within {BAND} points."
    )


def test_effort_counts_items_when_some_have_no_points(workspace, team, strategy):
    a, b = strategy["goals"]
    item(workspace, team, "P-1", 8, goal=a)
    item(workspace, team, "P-2", None, goal=b)
    groups = [{"name": "Platform", "n": 5, "named_goals": {str(a.pk): 1.0}}]
    checkin = published(workspace, groups)
    [platform] = say_and_do(workspace, checkin, report_of(checkin)).teams
    assert platform.unit == "items" and platform.effort == 2
    assert [g.do for g in platform.goals] == [50, 50]


def test_teams_under_the_threshold_never_appear(db, client_for, workspace, says_a_does_b):
    data = client_for("viewer").get("/w/acme/alignment.json").json()["say_do"]
    assert [t["team"] for t in data["teams"]] == ["Platform"]
    assert "Tiny" not in str(data) and "T-1" not in str(data)
    html = client_for("viewer").get("/w/acme/alignment/").content.decode()
    say_do = html[html.index('id="say-do"') :]
    assert "Tiny" not in say_do and "T-1" not in say_do


def test_a_report_under_a_lower_threshold_than_todays_shows_no_team(workspace, says_a_does_b):
    workspace.anonymity_threshold = 6
    workspace.save()
    checkin = CheckIn.objects.get(pk=says_a_does_b.pk)
    result = say_and_do(workspace, checkin, current_report(checkin).data)
    assert result.teams == [] and "large enough" in result.note


def test_a_report_from_before_named_goals_shows_nothing(db, client_for, workspace, strategy):
    checkin = published(workspace, [{"name": "Platform", "n": 5, "names_top_goal": 0.4}])
    result = say_and_do(workspace, checkin, report_of(checkin))
    assert result.teams == [] and "published before" in result.note
    data = client_for("viewer").get("/w/acme/alignment.json").json()["say_do"]
    assert data["teams"] == [] and data["without_work"] == []
    html = client_for("viewer").get("/w/acme/alignment/").content.decode()
    assert "published before the goals each team names were recorded" in html


def test_a_team_without_work_in_the_period_is_named_not_compared(workspace, team, strategy):
    a, _ = strategy["goals"]  # its work items belong to no team
    groups = [{"name": "Platform", "n": 5, "named_goals": {str(a.pk): 1.0}}]
    checkin = published(workspace, groups)
    result = say_and_do(workspace, checkin, report_of(checkin))
    assert result.teams == [] and result.without_work == ["Platform"]


def test_the_dashboard_page_and_json_show_say_and_do(db, client_for, workspace, says_a_does_b):
    client = client_for("viewer")
    data = client.get("/w/acme/alignment.json").json()["say_do"]
    assert data["band"] == BAND and data["checkin"]["title"] == "Pulse"
    [platform] = data["teams"]
    assert [(g["say"], g["do"], g["gap"], g["agrees"]) for g in platform["goals"]] == [
        (100.0, 0.0, 100.0, False),
        (0.0, 80.0, -80.0, False),
    ]
    assert platform["goals"][1]["examples"][0] == {"key": "P-1", "title": "Work P-1", "url": ""}
    html = client.get("/w/acme/alignment/").content.decode()
    assert "Say and do" in html and f"{escape(platform['sentence'])} <a href=" in html
    assert "none of its work goes there" in platform["sentence"]
    assert f"within {BAND} points" in html
    html = client.get("/w/acme/alignment/", {"team": "Platform"}).content.decode()
    assert 'class="fill do" style="width:80%"' in html
    assert "P-1 Work P-1" in html and f"/w/acme/work/?team={platform_id(workspace)}" in html
    assert f"within {BAND} points" in html


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def test_the_demo_shows_workflow_naming_erp_sync_and_working_elsewhere(db, demo_client, demo):
    # Workflow and Capture are the teams of five the pulse shows; Sales has no tracked work.
    data = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment.json").json()["say_do"]
    teams = {t["team"]: t for t in data["teams"]}
    assert set(teams) == {"Workflow", "Capture"} and data["without_work"] == ["Sales"]
    workflow = {g["name"]: g for g in teams["Workflow"]["goals"]}
    assert workflow["ERP sync"]["named"] == 100 and workflow["ERP sync"]["do"] == 0
    assert workflow["payments"]["named"] == 0 and workflow["payments"]["do"] > BAND
    assert workflow["approvals"]["agrees"]
    assert teams["Workflow"]["sentence"].startswith("Workflow names ERP sync (all of its people)")
