from datetime import date

from truenorth.roadmap.actions import save_initiative
from truenorth.roadmap.models import Initiative, InitiativeChange, Status


def initiative_form(goal, **changes):
    data = {
        "title": "Bank feeds",
        "problem": "Manual CSV uploads",
        "goal": goal.pk,
        "status": "planned",
        "visibility": "internal",
        "target_date": "2027-02-01",
        "estimate_weeks": "6",
    }
    return {**data, **changes}


def test_it_groups_initiatives_by_commitment_with_their_meaning(client_for, strategy):
    page = client_for("viewer").get("/w/acme/roadmap/").content.decode()
    for status in Status:
        assert f'id="status-{status.value}"' in page
    assert "Not a promise: we are finding out whether to build it." in page


def test_it_filters_the_roadmap_by_goal(client_for, strategy):
    first, second = strategy["goals"]
    client = client_for("member")
    assert "Internal initiative" in client.get(f"/w/acme/roadmap/?goal={first.pk}").content.decode()
    assert (
        "Internal initiative"
        not in client.get(f"/w/acme/roadmap/?goal={second.pk}").content.decode()
    )


def test_it_ignores_a_malformed_goal_filter(client_for, strategy):
    response = client_for("member").get("/w/acme/roadmap/?goal=abc")
    assert response.status_code == 200
    assert "Internal initiative" in response.content.decode()


def test_it_creates_an_initiative(client_for, strategy):
    response = client_for("editor").post(
        "/w/acme/roadmap/new/", initiative_form(strategy["goals"][0])
    )
    assert response.status_code == 302
    created = Initiative.objects.get(title="Bank feeds")
    assert created.target_date == date(2027, 2, 1)
    assert created.changes.count() == 0


def test_it_records_each_slip_status_and_estimate_change(client_for, strategy, users):
    initiative = strategy["initiatives"]["internal"]
    form = initiative_form(
        strategy["goals"][0], title=initiative.title, status="committed", target_date="2027-01-15"
    )
    client_for("editor").post(f"/w/acme/roadmap/{initiative.pk}/edit/", form)
    changes = {c.field: (c.old_value, c.new_value, c.changed_by) for c in initiative.changes.all()}
    assert changes == {
        "status": ("planned", "committed", users["editor"]),
        "target_date": ("2026-12-01", "2027-01-15", users["editor"]),
        "estimate_weeks": ("", "6.0", users["editor"]),  # the first estimate, kept as baseline
    }
    page = client_for("viewer").get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert "15 Jan 2027" in page  # the history shows its dates like every other date


def test_saving_without_changes_records_no_history(strategy):
    initiative = strategy["initiatives"]["internal"]
    initiative.title = "Renamed"
    save_initiative(initiative)
    assert InitiativeChange.objects.count() == 0


def test_shipped_needs_an_actual_date(client_for, strategy):
    form = initiative_form(strategy["goals"][0], status="shipped")
    response = client_for("editor").post("/w/acme/roadmap/new/", form)
    assert response.status_code == 400
    assert "needs the date it shipped" in response.content.decode()
    assert not Initiative.objects.filter(title="Bank feeds").exists()


def test_it_rejects_an_unknown_status_and_a_bad_date(client_for, strategy):
    form = initiative_form(strategy["goals"][0], status="promised", target_date="soon")
    response = client_for("editor").post("/w/acme/roadmap/new/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in page
    assert "Enter a valid date" in page


def test_it_cannot_link_a_goal_of_another_workspace(client_for, strategy):
    from truenorth.strategy.models import Goal
    from truenorth.workspaces.models import Workspace

    other = Workspace.objects.create(name="Other", slug="other")
    foreign = Goal.objects.create(
        workspace=other, title="Theirs", why="", why_now="", metric="", target="", rank=1, period=""
    )
    response = client_for("editor").post("/w/acme/roadmap/new/", initiative_form(foreign))
    assert response.status_code == 400
    assert not Initiative.objects.filter(title="Bank feeds").exists()
