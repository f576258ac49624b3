import re
from datetime import date, timedelta

from django.utils import timezone

from tests.api import api_request
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


def test_a_shipped_date_that_has_not_come_is_refused_on_the_form(client_for, strategy):
    later = timezone.localdate() + timedelta(days=1)
    form = initiative_form(strategy["goals"][0], status="shipped", actual_date=str(later))
    response = client_for("editor").post("/w/acme/roadmap/new/", form)
    assert response.status_code == 400
    today = timezone.localdate()
    assert f"A shipped date is a day that has come; today is {today:%-d %B %Y}." in (
        response.content.decode()
    )
    assert not Initiative.objects.filter(title="Bank feeds").exists()


def test_a_committed_initiative_needs_its_target_date_on_the_form(client_for, strategy):
    form = initiative_form(strategy["goals"][0], status="committed", target_date="")
    response = client_for("editor").post("/w/acme/roadmap/new/", form)
    assert response.status_code == 400
    assert "A committed initiative needs its target date." in response.content.decode()


def shipped(strategy, visibility="partner", **values):
    initiative = strategy["initiatives"][visibility]
    values = {"status": Status.SHIPPED, "target_date": date(2027, 4, 30), **values}
    for name, value in values.items():
        setattr(initiative, name, value)
    return save_initiative(initiative)


def test_a_shipped_item_shows_the_day_it_shipped_to_partners_and_the_organisation(
    client_for, strategy
):
    item = shipped(strategy, actual_date=date(2026, 11, 7), target_date=date(2026, 11, 5))
    for role in ("partner", "viewer"):
        board = client_for(role).get("/w/acme/roadmap/").content.decode()
        listed = board.split('id="status-shipped"')[1].split("</section>")[0]
        assert "shipped 7 Nov 2026" in listed and "target" not in listed
        page = client_for(role).get(f"/w/acme/roadmap/{item.pk}/").content.decode()
        assert '<dd id="shipped-on">7 Nov 2026</dd>' in page
    partner = client_for("partner").get(f"/w/acme/roadmap/{item.pk}/").content.decode()
    assert "5 Nov 2026" not in partner  # its old target would read as a promise missed


def test_the_timeline_places_a_shipped_item_where_it_shipped(client_for, strategy):
    shipped(strategy, actual_date=date(2026, 1, 1))
    board = client_for("partner").get("/w/acme/roadmap/").content.decode()
    timeline = board.split('id="timeline"')[1].split("</section>")[0]
    assert "2026-Q1 · earlier (1)" in timeline and "shipped 1 Jan" in timeline
    assert "2027-Q2" not in timeline and "30 Apr" not in timeline
    assert "<td>shipped 1 Jan 2026</td>" in timeline  # the table beside the chart too


def test_the_timeline_wraps_a_long_title_rather_than_cutting_it(client_for, strategy):
    title = "Reconcile every bank feed against the ledger automatically at month end"
    initiative = strategy["initiatives"]["internal"]
    initiative.title = title
    save_initiative(initiative)
    board = client_for("viewer").get("/w/acme/roadmap/").content.decode()
    chart = board.split('id="timeline"')[1].split("</svg>")[0]
    lines = re.findall(r'class="tick" text-anchor="start">([^<]+)<', chart)
    assert " ".join(line for line in lines if line in title) == title
    assert "…" not in chart


def test_the_history_says_who_made_each_change(client_for, strategy, users):
    initiative = strategy["initiatives"]["internal"]
    form = initiative_form(strategy["goals"][0], title=initiative.title, target_date="2027-01-15")
    client_for("editor").post(f"/w/acme/roadmap/{initiative.pk}/edit/", form)
    page = client_for("viewer").get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    history = page.split('id="history"')[1].split("</table>")[0]
    assert "<th>By</th>" in history and '<td data-label="By">Editor</td>' in history
    assert "editor@acme.test" not in history


def test_the_history_names_each_status_as_its_badge_does(client, client_for, strategy, users):
    """It read "From committed To in_progress" under a badge reading "In progress"."""
    initiative = strategy["initiatives"]["internal"]
    for status in ("committed", "in_progress"):
        form = initiative_form(
            strategy["goals"][0], title=initiative.title, status=status, target_date="2027-01-15"
        )
        client_for("editor").post(f"/w/acme/roadmap/{initiative.pk}/edit/", form)
    page = client_for("viewer").get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    history = page.split('id="history"')[1].split("</table>")[0]
    moved = '<td data-label="From">Committed</td><td data-label="To">In progress</td>'
    assert moved in history and "in_progress" not in history
    url = f"/api/v1/workspaces/acme/initiatives/{initiative.pk}/history"
    items = api_request(client, users["viewer"], "get", url).json()["items"]
    statuses = [(c["old_label"], c["new_label"]) for c in items if c["field"] == "status"]
    assert statuses == [("Planned", "Committed"), ("Committed", "In progress")]
    dated = next(c for c in items if c["field"] == "target_date")
    assert dated["new_label"] == dated["new_value"] == "2027-01-15"
