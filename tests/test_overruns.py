import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import median

import pytest
from django.utils import timezone
from django.utils.html import escape

from truenorth.exchange import export_workspace, import_workspace
from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, InitiativeChange, Status
from truenorth.roadmap.overruns import (
    GOOD,
    RULES,
    initiative_overrun,
    is_pattern,
    overrun_pct,
    overrun_summary,
    patterns_now,
    quarters_between,
    slip_trend,
    whole_if_it_is,
)
from truenorth.strategy.models import Goal
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Team, Workspace

TODAY = date(2026, 11, 1)


def on(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T10:00"))


def create(workspace, title, status="committed", target="2026-12-01", **fields):
    return Initiative.objects.create(
        workspace=workspace,
        title=title,
        status=status,
        target_date=date.fromisoformat(target) if target else None,
        **fields,
    )


def edit(initiative, day, **fields):
    for name, value in fields.items():
        setattr(initiative, name, value)
    return save_initiative(initiative, at=on(day))


# --- One initiative: slips, pull-ins, the planned date, effort ---


def test_it_counts_slips_and_pull_ins_from_history(workspace):
    initiative = create(workspace, "Bank feeds")
    edit(initiative, "2026-08-10", target_date=date(2027, 1, 15))
    edit(initiative, "2026-09-20", target_date=date(2027, 1, 5))
    edit(initiative, "2026-10-02", target_date=date(2027, 2, 1))

    overrun = initiative_overrun(initiative, TODAY)

    assert [(m.kind, m.days) for m in overrun.moves] == [
        ("slip", 45),
        ("pull-in", -10),
        ("slip", 27),
    ]
    assert [m.at for m in overrun.slips] == [on("2026-08-10"), on("2026-10-02")]
    assert len(overrun.pull_ins) == 1
    assert overrun.days_slipped == 72
    assert overrun.planned_date == date(2026, 12, 1)
    assert (overrun.outcome_date, overrun.outcome) == (date(2027, 2, 1), "forecast")
    assert overrun.delay_days == 62
    assert overrun.slipped


def test_the_planned_date_is_the_one_in_force_at_the_first_commitment(workspace):
    initiative = create(workspace, "Bank feeds", status="planned", target="2026-10-01")
    edit(initiative, "2026-06-01", target_date=date(2026, 11, 1))  # re-planning, not a promise
    # Committed in the same save as a new date: that date is the one committed to.
    edit(initiative, "2026-07-01", status="committed", target_date=date(2026, 12, 1))
    edit(initiative, "2026-08-01", status="in_progress")
    edit(initiative, "2026-09-01", target_date=date(2027, 1, 1))

    overrun = initiative_overrun(initiative, TODAY)

    assert overrun.committed_at == on("2026-07-01")
    assert overrun.planned_date == date(2026, 12, 1)
    assert [(m.kind, m.counted) for m in overrun.moves] == [
        ("slip", False),
        ("slip", False),
        ("slip", True),
    ]
    assert overrun.days_slipped == 31 and overrun.delay_days == 31


def test_created_committed_means_committed_to_the_first_recorded_date(workspace):
    initiative = create(workspace, "Bank feeds", status="in_progress", target="2026-12-01")
    edit(initiative, "2026-09-01", target_date=date(2026, 12, 20))
    overrun = initiative_overrun(initiative, TODAY)
    assert (overrun.committed, overrun.committed_at) == (True, None)
    assert overrun.planned_date == date(2026, 12, 1)


def test_a_never_committed_initiative_is_shown_but_not_counted(workspace):
    initiative = create(workspace, "Idea", status="exploring", target="2027-03-01")
    edit(initiative, "2026-09-01", target_date=date(2027, 6, 1))
    overrun = initiative_overrun(initiative, TODAY)
    assert overrun.planned_date == date(2027, 3, 1)  # its first recorded target date
    assert not overrun.committed and not overrun.counted
    assert overrun.slips == [] and not overrun.slipped


def test_one_taken_back_to_planned_is_no_longer_counted_late(workspace):
    initiative = create(workspace, "Bank feeds", target="2027-01-04")
    # The date moved in the same save that took the commitment back: re-planning, not a promise.
    edit(initiative, "2026-10-01", status="planned", target_date=date(2027, 3, 15))
    kept = create(workspace, "Payroll", target="2026-12-01")
    edit(kept, "2026-10-01", target_date=date(2026, 12, 20))

    summary = overrun_summary(workspace, today=TODAY)

    rows = {row["title"]: row for row in summary["initiatives"]}
    assert rows["Bank feeds"]["moves"] and not rows["Bank feeds"]["counted"]
    assert (summary["overall"]["slipped"], summary["overall"]["initiatives"]) == (1, 1)


def test_shipped_late_without_moving_the_date_is_still_late(workspace):
    initiative = create(workspace, "Bank feeds", target="2026-09-01")
    edit(initiative, "2026-09-10", status="shipped", actual_date=date(2026, 9, 10))
    overrun = initiative_overrun(initiative, TODAY)
    assert (overrun.outcome, overrun.delay_days, len(overrun.slips)) == ("shipped", 9, 0)
    assert overrun.slipped


def test_an_unshipped_initiative_past_its_date_is_forecast_for_today_at_the_earliest(workspace):
    initiative = create(workspace, "Bank feeds", status="in_progress", target="2026-10-20")
    overrun = initiative_overrun(initiative, TODAY)
    assert (overrun.outcome_date, overrun.outcome, overrun.delay_days) == (TODAY, "overdue", 12)


def test_a_dropped_initiative_has_no_delay_and_is_not_counted(workspace):
    initiative = create(workspace, "Bank feeds")
    edit(initiative, "2026-09-01", target_date=date(2027, 3, 1))
    edit(initiative, "2026-10-01", status="dropped")
    overrun = initiative_overrun(initiative, TODAY)
    assert overrun.delay_days is None and not overrun.counted


def test_effort_overrun_is_measured_against_the_first_estimate(workspace):
    initiative = create(workspace, "Bank feeds", estimate_weeks=Decimal("6"))
    edit(initiative, "2026-09-01", estimate_weeks=Decimal("8"), spent_weeks=Decimal("3"))
    edit(initiative, "2026-10-01", estimate_weeks=Decimal("9"), spent_weeks=Decimal("10"))
    change = initiative.changes.get(new_value="8.0")
    assert (change.field, change.old_value) == ("estimate_weeks", "6.0")

    in_flight = initiative_overrun(initiative, TODAY)
    # The forecast is at least what is already spent.
    assert (in_flight.planned_weeks, in_flight.effort_weeks, in_flight.effort) == (
        6.0,
        10.0,
        "forecast",
    )
    edit(initiative, "2026-10-20", status="shipped", actual_date=date(2026, 10, 20))
    shipped = initiative_overrun(initiative, TODAY)
    assert (shipped.effort_weeks, shipped.effort, shipped.effort_overrun_pct) == (
        10.0,
        "actual",
        66.7,
    )


def test_an_estimate_set_later_is_the_baseline(workspace):
    initiative = create(workspace, "Bank feeds")
    edit(initiative, "2026-09-01", estimate_weeks=Decimal("4"))
    edit(initiative, "2026-10-01", estimate_weeks=Decimal("5"))
    assert initiative_overrun(initiative, TODAY).planned_weeks == 4.0


@pytest.mark.parametrize(
    "planned, actual, expected",
    [(4, 5, 25.0), (4, 3, -25.0), (3, 3, 0.0), (0, 2, None), (None, 2, None), (2, None, None)],
)
def test_overrun_percent(planned, actual, expected):
    assert overrun_pct(planned, actual) == expected


def test_the_edit_form_saves_effort_without_inventing_an_estimate_change(client_for, strategy):
    initiative = strategy["initiatives"]["internal"]
    initiative.estimate_weeks = Decimal("6.0")
    initiative.save()
    form = {
        "title": initiative.title,
        "goal": strategy["goals"][0].pk,
        "status": "planned",
        "visibility": "internal",
        "target_date": "2026-12-01",
        "estimate_weeks": "6",
        "spent_weeks": "2.5",
    }
    response = client_for("editor").post(f"/w/acme/roadmap/{initiative.pk}/edit/", form)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.spent_weeks == Decimal("2.5")
    assert initiative.changes.count() == 0
    negative = client_for("editor").post(
        f"/w/acme/roadmap/{initiative.pk}/edit/", {**form, "spent_weeks": "-1"}
    )
    assert "cannot be negative" in negative.content.decode()


# --- Groups, pattern and trend ---


@pytest.mark.parametrize(
    "slipped, expected",
    [
        ([True, True, False], True),
        ([False, True, False, True], True),
        ([True, True, False, False], False),  # old slips, the last three mostly on time
        ([True], False),
        ([True, True], True),
        ([], False),
    ],
)
def test_a_pattern_is_two_of_the_last_three_slipped(slipped, expected):
    assert is_pattern(slipped) is expected


def test_quarters_and_the_slip_trend():
    quarters = quarters_between(date(2025, 11, 30), date(2026, 4, 1))
    assert quarters == ["2025-Q4", "2026-Q1", "2026-Q2"]
    slips = [(date(2025, 12, 1), 10), (date(2025, 10, 1), 5), (date(2026, 4, 2), 7)]
    assert slip_trend(slips, quarters) == [("2025-Q4", 2, 15), ("2026-Q1", 0, 0), ("2026-Q2", 1, 7)]


@pytest.fixture
def teams_history(workspace):
    """Integrations: 3 counted, 2 slipped (the last two). Capture: 2 counted, 1 slipped."""
    integrations = Team.objects.create(workspace=workspace, name="Integrations")
    capture = Team.objects.create(workspace=workspace, name="Capture")
    goal = Goal.objects.create(
        workspace=workspace, title="Reliable sync", why="", why_now="", metric="", target="",
        rank=1, period="",
    )  # fmt: skip
    on_time = create(workspace, "Sync v1", team=integrations, goal=goal, target="2026-03-01")
    edit(on_time, "2026-03-01", status="shipped", actual_date=date(2026, 3, 1))
    late = create(workspace, "Sync v2", team=integrations, goal=goal, target="2026-06-01")
    edit(late, "2026-04-10", target_date=date(2026, 7, 1))
    edit(late, "2026-07-20", status="shipped", actual_date=date(2026, 7, 20))
    moved = create(workspace, "Error inbox", team=integrations, target="2026-12-01")
    edit(moved, "2026-10-05", target_date=date(2027, 1, 10))
    create(workspace, "Connector idea", status="exploring", team=integrations, goal=goal)
    early = create(workspace, "Line items", team=capture, target="2026-05-01")
    edit(early, "2026-04-20", status="shipped", actual_date=date(2026, 4, 20))
    slow = create(workspace, "Capture v3", team=capture, goal=goal, target="2026-12-15")
    edit(slow, "2026-09-01", target_date=date(2027, 1, 1))
    return {"integrations": integrations, "capture": capture, "goal": goal}


def test_it_sums_up_each_team_and_goal(workspace, teams_history):
    summary = overrun_summary(workspace, TODAY)
    teams = {row["team"]: row for row in summary["teams"]}

    integrations = teams["Integrations"]
    assert (integrations["initiatives"], integrations["slipped"]) == (3, 2)
    assert integrations["share_slipped"] == pytest.approx(2 / 3, abs=0.001)
    assert integrations["median_delay_days"] == (49 + 40) / 2  # over those that slipped
    assert integrations["total_delay_days"] == 89
    assert integrations["pattern"] is True

    capture = teams["Capture"]
    assert (capture["initiatives"], capture["slipped"], capture["share_slipped"]) == (2, 1, 0.5)
    assert capture["pattern"] is False

    goal = next(row for row in summary["goals"] if row["goal_id"] == teams_history["goal"].pk)
    assert (goal["initiatives"], goal["slipped"]) == (3, 2)  # Sync v1, Sync v2, Capture v3
    no_goal = next(row for row in summary["goals"] if row["goal_id"] is None)
    assert (no_goal["initiatives"], no_goal["slipped"]) == (2, 1)
    assert summary["overall"]["initiatives"] == 5 and summary["overall"]["slipped"] == 3


def test_slips_are_counted_by_the_quarter_they_happened(workspace, teams_history):
    summary = overrun_summary(workspace, TODAY)
    assert summary["trend"] == [
        ("2026-Q2", 1, 30),
        ("2026-Q3", 1, 17),
        ("2026-Q4", 1, 40),
    ]
    teams = {row["team"]: row for row in summary["teams"]}
    # The dashboard reads (quarter, slips) pairs ending with the current quarter.
    assert teams["Integrations"]["trend"] == [("2026-Q2", 1), ("2026-Q3", 0), ("2026-Q4", 1)]
    assert teams["Capture"]["quarters"][1] == ("2026-Q3", 1, 17)


def test_tracker_points_are_a_second_view_of_effort(workspace, teams_history):
    initiative = Initiative.objects.get(title="Capture v3")
    for key, points, resolved in [
        ("C-1", 3, date(2026, 9, 1)),
        ("C-2", 5, None),
        ("C-3", None, None),
    ]:
        WorkItem.objects.create(
            workspace=workspace, external_key=key, title=key, points=points,
            resolved_on=resolved, initiative=initiative,
        )  # fmt: skip
    row = next(
        r for r in overrun_summary(workspace, TODAY)["initiatives"] if r["title"] == "Capture v3"
    )
    assert (row["points_done"], row["points_total"]) == (3.0, 8.0)


def test_the_demo_gives_every_started_initiative_its_effort():
    from truenorth.demo.content import INITIATIVES

    started = [i for i in INITIATIVES if i["status"] in ("in_progress", "shipped")]
    assert started and all(i["spent_weeks"] is not None for i in started)
    assert any(c["field"] == "estimate_weeks" for i in INITIATIVES for c in i["history"])


# --- Pages ---


def test_members_read_the_overruns_page_and_partners_cannot(client_for, workspace, teams_history):
    page = client_for("member").get("/w/acme/roadmap/overruns/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Integrations" in text and "Sync v2" in text
    assert "Pattern" in text and RULES[-1][1] in text
    assert client_for("partner").get("/w/acme/roadmap/overruns/").status_code == 403
    assert client_for("partner").get("/w/acme/roadmap/overruns.csv").status_code == 403
    assert client_for("outsider").get("/w/acme/roadmap/overruns/").status_code == 404


def test_the_page_filters_initiatives_by_team(client_for, workspace, teams_history):
    team = teams_history["capture"].pk
    text = client_for("member").get(f"/w/acme/roadmap/overruns/?team={team}").content.decode()
    table = text.split('id="overruns-initiatives"')[1]
    assert "Capture v3" in table and "Sync v2" not in table


def test_a_pull_in_reads_as_days_early_as_the_chart_says(client_for, workspace, teams_history):
    text = client_for("member").get("/w/acme/roadmap/overruns/").content.decode()
    table = text.split('id="overruns-initiatives"')[1]
    assert "11 days early" in table and "-11 days" not in table  # Line items: 20 Apr, not 1 May


def test_the_page_lists_the_initiatives_of_no_team(client_for, workspace, teams_history):
    create(workspace, "Teamless", target="2026-11-01")
    text = client_for("member").get("/w/acme/roadmap/overruns/?team=none").content.decode()
    table = text.split('id="overruns-initiatives"')[1]
    assert "Teamless" in table and "Capture v3" not in table
    assert '<option value="none" selected>No team</option>' in text


def test_the_page_says_what_good_looks_like(client_for, workspace, teams_history):
    text = client_for("member").get("/w/acme/roadmap/overruns/").content.decode()
    assert escape(GOOD) in text and "2 of its 3 most recent" in text
    # The target is not the verdict: where the workspace stands is said apart from it.
    assert GOOD.startswith("What good looks like:")
    summary = overrun_summary(workspace)
    patterns = [g["goal"] or "no goal" for g in summary["goals"] if g["pattern"]]
    assert patterns and escape(patterns_now(summary)) in text
    assert patterns_now(summary).startswith("Now: Pattern in 1 team (Integrations) and ")


def test_with_no_pattern_the_page_says_so():
    nothing = {"teams": [{"team": "Capture", "pattern": False}], "goals": []}
    assert patterns_now(nothing) == "Now: no team or goal is marked Pattern."


def test_a_median_that_is_whole_reads_whole():
    """An even count's median of 30 and 38 is 34, as the CSV gives an odd count's 21."""
    assert repr(whole_if_it_is(median([30, 38]))) == "34"
    assert whole_if_it_is(median([49, 40])) == 44.5


@pytest.mark.parametrize(
    "url",
    [
        "/w/acme/roadmap/overruns/?team=abc",
        "/w/acme/roadmap/overruns/?goal=99999",
        "/w/acme/roadmap/overruns.csv?table=everything",
    ],
)
def test_a_malformed_query_is_a_400_with_a_message(client_for, workspace, teams_history, url):
    response = client_for("member").get(url)
    assert response.status_code == 400
    assert "valid choice" in response.content.decode()


def test_it_exports_each_table_as_csv(client_for, workspace, teams_history):
    client = client_for("member")
    response = client.get("/w/acme/roadmap/overruns.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == set(Initiative.objects.values_list("title", flat=True))
    assert (by_title["Sync v2"]["delay_days"], by_title["Sync v2"]["slips"]) == ("49", "1")
    teams = client.get("/w/acme/roadmap/overruns.csv?table=teams").content.decode()
    team_rows = {row["team"]: row for row in csv.DictReader(io.StringIO(teams))}
    assert team_rows["Integrations"]["pattern"] == "True"
    trend = client.get("/w/acme/roadmap/overruns.csv?table=trend").content.decode()
    assert "2026-Q2,All,1,30" in trend.splitlines()
    assert "2026-Q2,Integrations,1,30" in trend.splitlines()


def test_a_title_is_not_exported_as_a_spreadsheet_formula(client_for, workspace):
    create(workspace, "=HYPERLINK(1)")
    text = client_for("member").get("/w/acme/roadmap/overruns.csv").content.decode()
    assert "'=HYPERLINK(1)" in text


def test_the_json_twin_carries_the_summary(client_for, workspace, teams_history):
    data = client_for("viewer").get("/w/acme/roadmap/overruns.json").json()
    assert {"today", "initiatives", "teams", "goals", "overall", "trend"} <= set(data)
    assert data["overall"]["slipped"] == 3


def test_the_initiative_page_shows_its_slip_timeline_to_the_organisation_only(client_for, strategy):
    initiative = strategy["initiatives"]["partner"]
    edit(initiative, "2026-09-01", status=Status.COMMITTED)
    edit(initiative, "2026-10-01", target_date=date(2027, 1, 10))
    page = client_for("member").get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    timeline = page.split('id="slip-timeline"')[1]
    assert "<strong>slip</strong>" in timeline and "+40" in timeline
    assert "1 Dec 2026" in page  # the planned date
    partner = client_for("partner").get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert "slip-timeline" not in partner and "Planned date" not in partner


def test_effort_and_its_history_survive_export_and_import(workspace):
    initiative = create(workspace, "Bank feeds", estimate_weeks=Decimal("4"))
    edit(initiative, "2026-09-01", estimate_weeks=Decimal("6"), spent_weeks=Decimal("5"))
    import_workspace(export_workspace(workspace), slug="acme-copy")
    copy = Workspace.objects.get(slug="acme-copy").initiatives.get()
    assert copy.spent_weeks == Decimal("5")
    assert initiative_overrun(copy, TODAY).planned_weeks == 4.0
    assert copy.changes.get().field == InitiativeChange.Field.ESTIMATE_WEEKS


def test_the_docs_define_every_rule_the_page_shows():
    from pathlib import Path

    docs = (Path(__file__).parent.parent / "docs" / "overruns.md").read_text()
    for term, _ in RULES:
        assert f"**{term}**" in docs


def test_a_large_roadmap_is_listed_a_page_at_a_time_and_counted_whole(client_for, workspace):
    """300 imported initiatives made a page some 130,000 px tall on a phone: the figures still
    count every one, the list shows 50 at a time, and the CSV and JSON hold them all."""
    team = Team.objects.create(workspace=workspace, name="Ledger")
    Initiative.objects.bulk_create(
        Initiative(
            workspace=workspace,
            title=f"Initiative {n:03}",
            status="committed",
            target_date=date(2026, 1, 1) + timedelta(days=n),
            team=team if n % 2 else None,
        )
        for n in range(120)
    )
    client = client_for("member")
    first = client.get("/w/acme/roadmap/overruns/")
    text = first.content.decode()
    assert "of 120 committed initiatives" in text
    table = text.split('id="overruns-initiatives"')[1].split("</table>")[0]
    assert table.count("<tr") == 51  # the header and 50 initiatives
    assert "Initiative 000" in table and "Initiative 050" not in table
    assert "Page 1 of 3 (120 initiatives)" in text and 'href="?page=2#initiatives"' in text
    assert len(first.content) < 120_000
    second = client.get("/w/acme/roadmap/overruns/?page=2").content.decode()
    table = second.split('id="overruns-initiatives"')[1].split("</table>")[0]
    assert "Initiative 050" in table and "Initiative 099" in table
    assert "Initiative 049" not in table and "Initiative 100" not in table
    assert "Page 2 of 3" in second and 'href="?page=1#initiatives"' in second
    # A filter is kept from page to page.
    ledger = client.get(f"/w/acme/roadmap/overruns/?team={team.pk}&page=2").content.decode()
    assert "Page 2 of 2 (60 initiatives)" in ledger
    assert f'href="?team={team.pk}&amp;page=1#initiatives"' in ledger
    rows = list(
        csv.reader(io.StringIO(client.get("/w/acme/roadmap/overruns.csv").content.decode()))
    )
    assert len(rows) == 121
    assert len(client.get("/w/acme/roadmap/overruns.json").json()["initiatives"]) == 120
