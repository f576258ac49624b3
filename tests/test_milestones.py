"""Milestones of an initiative: editing them, their target history, and overruns against them."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from truenorth.roadmap.actions import save_initiative, save_milestone
from truenorth.roadmap.models import Initiative, InitiativeMilestone, MilestoneChange
from truenorth.roadmap.overruns import milestone_overrun, overrun_summary

TODAY = date(2026, 11, 1)


def on(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T10:00"))


def milestone(initiative, name, target, **fields):
    return save_milestone(
        InitiativeMilestone(
            initiative=initiative, name=name, target_date=date.fromisoformat(target), **fields
        )
    )


def move(m, day, target):
    m.target_date = date.fromisoformat(target)
    return save_milestone(m, at=on(day))


@pytest.fixture
def roadmap(workspace, team):
    """Bank feeds: committed 1 Jul, its beta slipped twice after; Payroll has no beta."""
    feeds = Initiative.objects.create(
        workspace=workspace, title="Bank feeds", team=team, status="planned",
        target_date=date(2026, 12, 15),
    )  # fmt: skip
    beta = milestone(feeds, "Beta", "2026-09-01")
    milestone(feeds, "GA", "2026-12-15")
    move(beta, "2026-06-01", "2026-09-15")  # before the commitment: re-planning
    feeds.status = "committed"
    save_initiative(feeds, at=on("2026-07-01"))
    move(beta, "2026-08-20", "2026-10-01")
    move(beta, "2026-09-25", "2026-10-20")
    payroll = Initiative.objects.create(
        workspace=workspace, title="Payroll", status="committed", target_date=date(2027, 1, 1)
    )
    milestone(payroll, "GA", "2027-01-01")
    return {"feeds": feeds, "beta": beta, "payroll": payroll}


def post(client, initiative, **data):
    return client.post(f"/w/acme/roadmap/{initiative.pk}/milestones/", data)


# --- History ---


def test_it_records_a_change_only_when_the_target_moves(workspace):
    initiative = Initiative.objects.create(workspace=workspace, title="Bank feeds")
    beta = milestone(initiative, "Beta", "2026-09-01")
    assert beta.changes.count() == 0  # adding one sets its target, it does not move it

    beta.name, beta.done_on = "Public beta", date(2026, 8, 30)
    save_milestone(beta)
    assert beta.changes.count() == 0

    move(beta, "2026-08-01", "2026-09-20")
    move(beta, "2026-08-02", "2026-09-20")  # the same target again
    change = beta.changes.get()
    assert (change.old_target, change.new_target, change.changed_at) == (
        date(2026, 9, 1),
        date(2026, 9, 20),
        on("2026-08-01"),
    )


def test_new_milestones_go_last(workspace):
    initiative = Initiative.objects.create(workspace=workspace, title="Bank feeds")
    for name in ["Alpha", "Beta", "GA"]:
        milestone(initiative, name, "2026-12-01")
    assert [m.name for m in initiative.milestones.all()] == ["Alpha", "Beta", "GA"]


# --- Overruns against a milestone ---


def test_a_beta_that_slipped_twice_counts_two_slips_and_its_delay(roadmap):
    overrun = milestone_overrun(roadmap["beta"], TODAY)

    assert overrun.planned_date == date(2026, 9, 15)  # in force at the commitment
    assert [(m.kind, m.days, m.counted) for m in overrun.moves] == [
        ("slip", 14, False),
        ("slip", 16, True),
        ("slip", 19, True),
    ]
    assert len(overrun.slips) == 2 and overrun.days_slipped == 35
    # Not done and its target has passed: forecast for today.
    assert (overrun.outcome, overrun.outcome_date) == ("overdue", TODAY)
    assert overrun.delay_days == (TODAY - date(2026, 9, 15)).days

    roadmap["beta"].done_on = date(2026, 10, 25)
    save_milestone(roadmap["beta"])
    done = milestone_overrun(roadmap["beta"], TODAY)
    assert (done.outcome, done.delay_days, done.slipped) == ("shipped", 40, True)


def test_the_summary_counts_against_the_chosen_milestone(roadmap, workspace):
    summary = overrun_summary(workspace, TODAY, milestone="beta")

    assert summary["milestone"] == "beta"
    assert summary["left_out"] == 1  # Payroll has no beta
    assert summary["milestones"] == ["Beta", "GA"]
    (row,) = summary["initiatives"]
    assert row["title"] == "Bank feeds"
    assert (row["slips"], row["days_slipped"], row["planned_date"]) == (2, 35, date(2026, 9, 15))
    assert row["effort_weeks"] is None
    assert summary["overall"]["slips"] == 2 and summary["overall"]["slipped"] == 1

    by_target = overrun_summary(workspace, TODAY)
    assert by_target["left_out"] == 0 and by_target["overall"]["slips"] == 0
    assert len(overrun_summary(workspace, TODAY, milestone="GA")["initiatives"]) == 2


def test_a_milestone_of_an_initiative_never_committed_is_not_counted(workspace):
    idea = Initiative.objects.create(workspace=workspace, title="Idea", status="exploring")
    beta = milestone(idea, "Beta", "2026-09-01")
    move(beta, "2026-08-01", "2026-10-01")
    overrun = milestone_overrun(beta, TODAY)
    assert not overrun.counted and overrun.slips == []


# --- Pages ---


def test_editors_add_edit_and_remove_milestones(client_for, strategy):
    client, initiative = client_for("editor"), strategy["initiatives"]["internal"]
    page = client.get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert 'id="no-milestones"' in page and '<ol class="milestones">' not in page  # no "1. None"
    response = post(
        client,
        initiative,
        action="add",
        **{"new-milestone-name": "Beta", "new-milestone-target_date": "2026-10-01"},
    )
    assert response.status_code == 302 and response.url.endswith("#milestones")
    beta = initiative.milestones.get()
    assert (beta.name, beta.target_date, beta.position) == ("Beta", date(2026, 10, 1), 1)

    prefix = f"milestone-{beta.pk}"
    fields = {
        f"{prefix}-name": "Public beta",
        f"{prefix}-target_date": "2026-10-15",
        f"{prefix}-done_on": "2025-10-20",
        f"{prefix}-position": "1",
    }
    response = post(client, initiative, action="edit", milestone=beta.pk, **fields)
    assert response.status_code == 302
    beta.refresh_from_db()
    assert (beta.name, beta.target_date, beta.done_on) == (
        "Public beta",
        date(2026, 10, 15),
        date(2025, 10, 20),
    )
    change = beta.changes.get()
    assert change.changed_by.username == "editor" and change.new_target == date(2026, 10, 15)

    page = client.get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert "Public beta" in page and "done 20 Oct 2025" in page
    assert "0 slips" in page and "before commitment" in page  # the initiative is only planned

    response = post(client, initiative, action="remove", milestone=beta.pk)
    assert response.status_code == 302
    assert not InitiativeMilestone.objects.exists() and not MilestoneChange.objects.exists()


@pytest.mark.parametrize(
    "data, reason",
    [
        ({"action": "add", "new-milestone-name": " "}, "This field is required"),
        ({"action": "add", "new-milestone-name": "beta"}, "already has a milestone"),
        (
            {"action": "add", "new-milestone-name": "GA", "new-milestone-target_date": "soon"},
            "Enter a valid date",
        ),
        (
            {"action": "add", "new-milestone-name": "GA", "new-milestone-done_on": "2999-01-01"},
            "day that has come",
        ),
        (
            {"action": "add", "new-milestone-name": "GA", "new-milestone-position": "-1"},
            "greater than or equal to 0",
        ),
        ({"action": "edit", "milestone": "x"}, "no such milestone"),
        ({"action": "remove", "milestone": "99999999999999999999"}, "no such milestone"),
        ({"action": "rename"}, "add, edit or remove"),
        ({}, "add, edit or remove"),
    ],
)
def test_bad_input_is_a_400_with_a_message(client_for, strategy, data, reason):
    initiative = strategy["initiatives"]["internal"]
    milestone(initiative, "Beta", "2026-10-01")
    response = post(client_for("editor"), initiative, **data)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert initiative.milestones.count() == 1


def test_a_milestone_of_another_initiative_cannot_be_edited_through_this_one(client_for, strategy):
    internal, partner = strategy["initiatives"]["internal"], strategy["initiatives"]["partner"]
    other = milestone(partner, "Beta", "2026-10-01")
    response = post(client_for("owner"), internal, action="remove", milestone=other.pk)
    assert response.status_code == 400
    assert InitiativeMilestone.objects.filter(pk=other.pk).exists()


def test_an_edit_that_fails_shows_the_page_with_the_form_open(client_for, strategy):
    initiative = strategy["initiatives"]["internal"]
    beta = milestone(initiative, "Beta", "2026-10-01")
    milestone(initiative, "GA", "2026-12-01")
    fields = {f"milestone-{beta.pk}-name": "ga", f"milestone-{beta.pk}-target_date": "2026-10-01"}
    response = post(client_for("editor"), initiative, action="edit", milestone=beta.pk, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<details open>" in page and "already has a milestone “ga”" in page
    beta.refresh_from_db()
    assert beta.name == "Beta"


@pytest.mark.parametrize("role", ["member", "viewer", "partner"])
def test_only_writers_change_milestones(client_for, strategy, role):
    initiative = strategy["initiatives"]["partner"]
    data = {"action": "add", "new-milestone-name": "Beta"}
    assert post(client_for(role), initiative, **data).status_code == 403
    assert not initiative.milestones.exists()


def test_partners_see_milestones_only_of_initiatives_shared_with_them(client_for, strategy):
    internal, shared = strategy["initiatives"]["internal"], strategy["initiatives"]["partner"]
    milestone(internal, "Secret beta", "2026-10-01")
    beta = milestone(shared, "Shared beta", "2026-10-01")
    move(beta, "2026-09-01", "2026-10-09")
    client = client_for("partner")

    assert client.get(f"/w/acme/roadmap/{internal.pk}/").status_code == 404
    page = client.get(f"/w/acme/roadmap/{shared.pk}/").content.decode()
    # planned is not a promise: a partner reads the milestone, not a date (test_dead_ends.py)
    assert "Shared beta" in page and "9 Oct 2026" not in page
    shared.status = "committed"
    shared.save()
    page = client.get(f"/w/acme/roadmap/{shared.pk}/").content.decode()
    assert "Shared beta" in page and "9 Oct 2026" in page
    assert "Secret beta" not in page
    assert "milestone-overrun" not in page and "milestone-moves" not in page  # internal
    assert "Add a milestone" not in page and "Edit or remove" not in page

    member = client_for("member").get(f"/w/acme/roadmap/{shared.pk}/").content.decode()
    assert "milestone-moves" in member and "Add a milestone" not in member


def test_the_overruns_page_counts_against_a_chosen_milestone(client_for, roadmap):
    client = client_for("member")
    page = client.get("/w/acme/roadmap/overruns/").content.decode()
    assert '<select id="overrun-milestone" name="milestone"' in page
    assert '<option value="Beta" >the milestone “Beta”</option>' in page

    page = client.get("/w/acme/roadmap/overruns/?milestone=beta").content.decode()
    assert '<option value="Beta" selected>' in page
    assert "1 initiative without that milestone is left out" in page
    table = page.split('id="overruns-initiatives"')[1]
    assert "Bank feeds" in table and "Payroll" not in table
    assert "2 target dates moved later after commitment, by 35 days" in page


def test_the_json_and_csv_twins_count_against_the_milestone(client_for, roadmap):
    client = client_for("viewer")
    data = client.get("/w/acme/roadmap/overruns.json?milestone=Beta").json()
    assert (data["milestone"], data["left_out"], data["milestones"]) == ("Beta", 1, ["Beta", "GA"])
    assert [(r["title"], r["slips"]) for r in data["initiatives"]] == [("Bank feeds", 2)]
    assert client.get("/w/acme/roadmap/overruns.json").json()["milestone"] == ""

    text = client.get("/w/acme/roadmap/overruns.csv?milestone=beta").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["title"], r["slips"]) for r in rows] == [("Bank feeds", "2")]


@pytest.mark.parametrize("path", ["overruns/", "overruns.json", "overruns.csv"])
def test_an_unknown_milestone_is_a_400(client_for, roadmap, path):
    response = client_for("member").get(f"/w/acme/roadmap/{path}?milestone=Launch")
    assert response.status_code == 400
    said = response.json()["error"] if path.endswith(".json") else response.content.decode()
    assert "No initiative has a milestone named “Launch”" in said


def test_a_new_milestone_reaches_the_cached_overruns_page(client_for, strategy):
    client = client_for("editor")

    def offered() -> bool:
        return '<option value="Beta"' in client.get("/w/acme/roadmap/overruns/").content.decode()

    assert not offered()
    initiative = strategy["initiatives"]["internal"]
    post(client, initiative, action="add", **{"new-milestone-name": "Beta"})
    assert offered()
    post(client, initiative, action="remove", milestone=initiative.milestones.get().pk)
    assert not offered()


def test_a_done_date_is_today_at_the_latest(client_for, strategy):
    initiative = strategy["initiatives"]["internal"]
    today = timezone.localdate()  # a day either side of the workspace's own today
    for day, expected in [(today - timedelta(days=1), 302), (today + timedelta(days=2), 400)]:
        data = {"new-milestone-name": f"M{day}", "new-milestone-done_on": day.isoformat()}
        assert post(client_for("editor"), initiative, action="add", **data).status_code == expected


def test_date_inputs_show_the_dates_they_hold(client_for, strategy):
    initiative = strategy["initiatives"]["internal"]
    milestone(initiative, "Beta", "2026-10-01")
    client = client_for("editor")
    page = client.get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert 'type="date" name="milestone-' in page and 'value="2026-10-01"' in page
    form = client.get(f"/w/acme/roadmap/{initiative.pk}/edit/").content.decode()
    assert 'name="target_date" value="2026-12-01"' in form
