import pytest

from truenorth.strategy.models import Goal

GOAL = {
    "title": "Win mid-market EMEA",
    "why": "Half our pipeline",
    "why_now": "VAT change",
    "metric": "EMEA ARR",
    "target": "€4m",
    "period": "2027-H1",
}


def ranked_titles():
    return list(Goal.objects.order_by("rank").values_list("title", flat=True))


def test_it_lists_goals_in_rank_order(client_for, strategy):
    page = client_for("member").get("/w/acme/goals/").content.decode()
    assert page.index("Faster close") < page.index("Fewer manual touches")


def test_it_adds_a_goal_at_the_bottom(client_for, strategy):
    response = client_for("editor").post("/w/acme/goals/new/", GOAL)
    assert response.status_code == 302
    assert ranked_titles() == ["Faster close", "Fewer manual touches", "Win mid-market EMEA"]


def test_it_edits_a_goal_keeping_its_rank(client_for, strategy):
    goal = strategy["goals"][1]
    client_for("editor").post(f"/w/acme/goals/{goal.pk}/edit/", {**GOAL, "title": "Fewer touches"})
    goal.refresh_from_db()
    assert (goal.title, goal.rank) == ("Fewer touches", 2)


def test_it_saves_a_goals_names_typed_on_one_line(client_for, strategy):
    names = "payments,  Larkspur Pay , payments,"
    client_for("editor").post("/w/acme/goals/new/", {**GOAL, "names": names})
    goal = Goal.objects.get(title="Win mid-market EMEA")
    assert goal.names == ["payments", "Larkspur Pay"]
    form = client_for("editor").get(f"/w/acme/goals/{goal.pk}/edit/").content.decode()
    assert 'value="payments, Larkspur Pay"' in form
    assert "Also called:</strong> payments, Larkspur Pay" in (
        client_for("member").get("/w/acme/goals/").content.decode()
    )
    # Saving with the field emptied clears them; a goal needs no names.
    client_for("editor").post(f"/w/acme/goals/{goal.pk}/edit/", {**GOAL, "names": ""})
    goal.refresh_from_db()
    assert goal.names == []


def test_the_goals_json_twin_has_every_field_and_the_names(client_for, strategy):
    goal = strategy["goals"][1]
    goal.names = ["touchless"]
    goal.save()
    goals = client_for("member").get("/w/acme/goals.json").json()["goals"]
    assert [g["title"] for g in goals] == ["Faster close", "Fewer manual touches"]
    assert goals[1]["names"] == ["touchless"] and goals[0]["names"] == []
    assert {"id", "rank", "why", "metric", "target", "clarity", "initiatives"} <= set(goals[1])


@pytest.mark.parametrize("field", ["title", "why", "metric", "period"])
def test_it_rejects_a_goal_with_a_missing_field(client_for, strategy, field):
    response = client_for("editor").post("/w/acme/goals/new/", {**GOAL, field: ""})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert Goal.objects.count() == 2


@pytest.mark.parametrize(
    "period, error",
    [
        ("2999-H7", "A year has 2 halves: H1 to H2."),
        ("2027 q5", "A year has 4 quarters: Q1 to Q4."),
    ],
)
def test_a_half_or_quarter_that_no_year_has_is_refused(client_for, strategy, period, error):
    response = client_for("editor").post("/w/acme/goals/new/", {**GOAL, "period": period})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Goal.objects.count() == 2


@pytest.mark.parametrize("period", ["2027-H2", "2027 Q4", "FY27", "Spring 2027"])
def test_any_other_wording_of_a_period_is_kept_as_written(client_for, strategy, period):
    client_for("editor").post("/w/acme/goals/new/", {**GOAL, "period": period})
    assert Goal.objects.get(title=GOAL["title"]).period == period


def test_it_moves_goals_up_and_down(client_for, strategy):
    first, second = strategy["goals"]
    client = client_for("owner")
    client.post(f"/w/acme/goals/{second.pk}/move/", {"direction": "up"})
    assert ranked_titles() == ["Fewer manual touches", "Faster close"]
    client.post(f"/w/acme/goals/{second.pk}/move/", {"direction": "down"})
    assert ranked_titles() == ["Faster close", "Fewer manual touches"]


def test_moving_the_last_goal_down_changes_nothing(client_for, strategy):
    client_for("owner").post(
        f"/w/acme/goals/{strategy['goals'][1].pk}/move/", {"direction": "down"}
    )
    assert list(Goal.objects.order_by("rank").values_list("rank", flat=True)) == [1, 2]


def test_it_refuses_a_bad_direction_without_error(client_for, strategy):
    response = client_for("owner").post(
        f"/w/acme/goals/{strategy['goals'][0].pk}/move/", {"direction": "sideways"}, follow=True
    )
    assert response.status_code == 200
    assert "up or down" in response.content.decode()


def test_it_cannot_edit_another_workspaces_goal(client_for, strategy):
    from truenorth.workspaces.models import Workspace

    other = Workspace.objects.create(name="Other", slug="other")
    foreign = Goal.objects.create(
        workspace=other, title="Secret", why="", why_now="", metric="", target="", rank=1, period=""
    )
    assert client_for("owner").get(f"/w/acme/goals/{foreign.pk}/edit/").status_code == 404


def test_a_name_another_goal_has_is_refused_whatever_its_case(client_for, strategy):
    """A priority written as "no-shows" named both goals that had it."""
    first, second = strategy["goals"]
    editor = client_for("editor")
    editor.post(f"/w/acme/goals/{first.pk}/edit/", {**GOAL, "names": "no-shows"})
    refused = editor.post(f"/w/acme/goals/{second.pk}/edit/", {**GOAL, "names": "No shows"})
    assert refused.status_code == 400
    assert f"“No shows” already names goal {first.rank}" in refused.content.decode()
    second.refresh_from_db()
    assert second.names == []
    # A goal keeps its own names when it is saved again.
    kept = editor.post(f"/w/acme/goals/{first.pk}/edit/", {**GOAL, "names": "no-shows"})
    assert kept.status_code == 302
