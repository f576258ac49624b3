"""Archiving goals and initiatives: out of every list and figure, links and history kept, ranks
contiguous, restorable, carried by the workspace file."""

import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.test_concurrent_numbering import collide
from truenorth.claims.actions import recheck_all, roadmap_changed_since_check, save_claim
from truenorth.claims.models import Claim, Verdict
from truenorth.exchange import export_workspace, import_workspace
from truenorth.roadmap.actions import archive_initiative, restore_initiative, save_initiative
from truenorth.roadmap.imports import import_roadmap
from truenorth.roadmap.models import Initiative, Status
from truenorth.strategy.actions import add_goal, archive_goal, move_goal, restore_goal
from truenorth.strategy.models import Goal
from truenorth.work.models import LinkSuggestion, WorkItem
from truenorth.work.traceability import SUPPORTS_A_GOAL, orphan_summary, suggestion_targets

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def ranks(workspace) -> dict[str, int]:
    return dict(workspace.goals.values_list("title", "rank"))


def new_goal(workspace, title: str) -> Goal:
    return add_goal(
        Goal(workspace=workspace, title=title, why="w", why_now="n", metric="m", target="t")
    )


@pytest.fixture
def three_goals(workspace, strategy):
    """Faster close #1, Fewer manual touches #2, Audit trail #3."""
    return [*strategy["goals"], new_goal(workspace, "Audit trail")]


# --- Actions ---


def test_archiving_a_goal_closes_the_gap_in_the_ranking(workspace, three_goals):
    assert archive_goal(three_goals[0])
    assert ranks(workspace) == {"Fewer manual touches": 1, "Audit trail": 2}
    archived = Goal.all_objects.get(pk=three_goals[0].pk)
    assert archived.archived_at is not None and archived.rank == 1  # read as "was #1"
    assert not archive_goal(three_goals[0])  # twice: nothing more happens
    assert ranks(workspace) == {"Fewer manual touches": 1, "Audit trail": 2}


def test_a_restored_goal_comes_back_at_the_bottom(workspace, three_goals):
    archive_goal(three_goals[1])
    new_goal(workspace, "Mobile approvals")  # numbered among the active goals: #3
    assert ranks(workspace) == {"Faster close": 1, "Audit trail": 2, "Mobile approvals": 3}
    assert restore_goal(three_goals[1])
    assert three_goals[1].rank == 4
    assert ranks(workspace)["Fewer manual touches"] == 4
    assert not restore_goal(three_goals[1])
    assert sorted(ranks(workspace).values()) == [1, 2, 3, 4]


def test_moving_goals_ignores_the_archived_ones(workspace, three_goals):
    archive_goal(three_goals[1])
    move_goal(three_goals[2], -1)
    assert ranks(workspace) == {"Audit trail": 1, "Faster close": 2}
    move_goal(three_goals[1], -1)  # an archived goal has no place to move from
    assert ranks(workspace) == {"Audit trail": 1, "Faster close": 2}


def test_archiving_an_initiative_keeps_its_links_and_history(workspace, strategy, users):
    initiative = strategy["initiatives"]["internal"]
    initiative.status = "committed"
    save_initiative(initiative, by=users["editor"])
    assert archive_initiative(initiative)
    assert not archive_initiative(initiative)
    assert not workspace.initiatives.filter(pk=initiative.pk).exists()
    item = WorkItem.objects.get(external_key="ENG-1")
    assert item.initiative == initiative and item.initiative.archived_at is not None
    kept = Initiative.all_objects.get(pk=initiative.pk)
    assert kept.changes.get().new_value == "committed"
    # Saving an archived one (a re-import) still records its history.
    kept.status = "in_progress"
    save_initiative(kept)
    assert kept.changes.count() == 2
    assert restore_initiative(initiative) and not restore_initiative(initiative)
    assert workspace.initiatives.filter(pk=initiative.pk).exists()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite serialises every writer already")
@pytest.mark.django_db(transaction=True)
def test_two_goals_archived_at_once_leave_ranks_without_a_gap(workspace):
    goals = [new_goal(workspace, f"Goal {n}") for n in range(1, 5)]
    collide(archive_goal, goals[0], goals[2])
    assert ranks(workspace) == {"Goal 2": 1, "Goal 4": 2}


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite serialises every writer already")
@pytest.mark.django_db(transaction=True)
def test_a_goal_added_while_another_is_archived_is_ranked_after_the_rest(workspace):
    goals = [new_goal(workspace, f"Goal {n}") for n in range(1, 4)]
    collide(
        lambda action: action(),
        lambda: archive_goal(goals[0]),
        lambda: new_goal(workspace, "Goal 4"),
    )
    assert ranks(workspace) == {"Goal 2": 1, "Goal 3": 2, "Goal 4": 3}


# --- Where archived items disappear, and where they stay readable ---


def test_archived_goals_leave_the_goals_pages_and_the_roadmap_filter(
    client_for, workspace, strategy
):
    archive_goal(strategy["goals"][0])
    client = client_for("viewer")
    goals_page = client.get("/w/acme/goals/").content.decode()
    assert "Faster close" not in goals_page and "#1 Fewer manual touches" in goals_page
    assert "Archived (1)" in goals_page
    assert [g["title"] for g in client.get("/w/acme/goals.json").json()["goals"]] == [
        "Fewer manual touches"
    ]
    assert "#1 Faster close" not in client.get("/w/acme/roadmap/").content.decode()
    overview = client.get("/w/acme/").content.decode()
    assert "Faster close" not in overview


def test_archived_initiatives_leave_the_roadmap_for_everyone(client_for, strategy):
    partner_one = strategy["initiatives"]["partner"]
    archive_initiative(partner_one)
    archive_initiative(strategy["initiatives"]["internal"])
    for role in ("editor", "partner"):
        page = client_for(role).get("/w/acme/roadmap/").content.decode()
        assert "Partner initiative" not in page and "Public initiative" in page
    assert client_for("partner").get(f"/w/acme/roadmap/{partner_one.pk}/").status_code == 404
    # Someone inside follows a link to it and reads it, marked archived, read-only.
    page = client_for("editor").get(f"/w/acme/roadmap/{partner_one.pk}/").content.decode()
    assert "Archived on" in page and "Restore to the roadmap" in page
    assert f"/roadmap/{partner_one.pk}/edit/" not in page
    viewer_page = client_for("viewer").get(f"/w/acme/roadmap/{partner_one.pk}/").content.decode()
    assert "Archived on" in viewer_page and "Restore" not in viewer_page


def test_a_work_item_linked_to_an_archived_goal_says_so(client_for, workspace, strategy):
    goal = strategy["goals"][1]
    WorkItem.objects.create(workspace=workspace, external_key="ENG-3", title="Rule", goal=goal)
    archive_goal(goal)
    page = client_for("member").get("/w/acme/work/").content.decode()
    assert 'Goal Fewer manual touches <span class="archived">(archived)</span>' in page


def test_open_work_on_an_archived_goal_is_orphan_work_and_finished_work_is_not(workspace, strategy):
    goal = strategy["goals"][1]
    yesterday = timezone.localdate() - timedelta(days=1)
    WorkItem.objects.create(workspace=workspace, external_key="OPEN", title="a", goal=goal)
    WorkItem.objects.create(
        workspace=workspace, external_key="DONE", title="b", goal=goal, resolved_on=yesterday
    )
    before = orphan_summary(workspace)["overall"]
    archive_goal(goal)
    after = orphan_summary(workspace)["overall"]
    # ENG-2 was orphan before; OPEN joins it, DONE was finished while the goal stood.
    assert (before["items"], before["orphans"]) == (4, 1)
    assert (after["items"], after["orphans"]) == (4, 2)
    # The same rule wherever it is asked, negated too (a NULL resolved date is not "maybe").
    orphans = {"ENG-2", "OPEN"}
    assert (
        set(workspace.work_items.exclude(SUPPORTS_A_GOAL).values_list("external_key", flat=True))
        == orphans
    )
    assert (
        set(workspace.work_items.filter(~SUPPORTS_A_GOAL).values_list("external_key", flat=True))
        == orphans
    )


def test_open_work_under_an_archived_initiative_is_orphan_work_in_the_csv(client_for, strategy):
    archive_initiative(strategy["initiatives"]["internal"])
    rows = client_for("viewer").get("/w/acme/work/orphans.csv").content.decode().splitlines()
    assert rows[0].endswith(",linked to archived")
    eng1 = next(row for row in rows if row.startswith("csv,ENG-1,") or ",ENG-1," in row)
    assert eng1.endswith("initiative: Internal initiative")


def test_archived_targets_are_never_suggested(workspace, strategy):
    archive_goal(strategy["goals"][1])
    archive_initiative(strategy["initiatives"]["public"])
    titles = {t.target.title for t in suggestion_targets(workspace)}
    assert "Fewer manual touches" not in titles and "Public initiative" not in titles
    assert "Faster close" in titles and "Partner initiative" in titles


def test_a_pending_suggestion_for_an_archived_goal_is_not_shown(client_for, strategy):
    goal = strategy["goals"][1]
    LinkSuggestion.objects.create(item=strategy["items"][1], goal=goal, score=80)
    client = client_for("editor")
    assert "Fewer manual touches" in client.get("/w/acme/work/suggestions/").content.decode()
    archive_goal(goal)
    assert "Fewer manual touches" not in client.get("/w/acme/work/suggestions/").content.decode()


def test_editing_an_initiative_of_an_archived_goal_keeps_the_goal(client_for, strategy):
    initiative = strategy["initiatives"]["internal"]
    archive_goal(strategy["goals"][0])
    client = client_for("editor")
    form = client.get(f"/w/acme/roadmap/{initiative.pk}/edit/").content.decode()
    assert "Faster close (archived)" in form
    response = client.post(
        f"/w/acme/roadmap/{initiative.pk}/edit/",
        {
            "title": "Renamed",
            "goal": strategy["goals"][0].pk,
            "status": "planned",
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Renamed" and initiative.goal_id == strategy["goals"][0].pk


def test_reimporting_a_roadmap_updates_an_archived_initiative_in_place(workspace):
    csv = "key,title,status\nR-1,Bank feeds,planned\n"
    import_roadmap(workspace, csv, file_format="csv")
    archive_initiative(workspace.initiatives.get())
    committed = "key,title,status,target\nR-1,Bank feeds,committed,2027-03-31\n"
    result = import_roadmap(workspace, committed, file_format="csv")
    assert (result.created, result.updated) == (0, 1)
    kept = Initiative.all_objects.get(workspace=workspace)
    assert kept.status == "committed" and kept.archived_at is not None


# --- Pages and roles ---


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_editors_archive_and_restore_from_the_pages(client_for, workspace, three_goals, role):
    client = client_for(role)
    goals_page = client.get("/w/acme/goals/").content.decode()
    assert f'action="/w/acme/goals/{three_goals[0].pk}/archive/"' in goals_page
    assert "Archive the goal “Faster close”?" in goals_page  # the confirmation sentence
    response = client.post(f"/w/acme/goals/{three_goals[0].pk}/archive/", follow=True)
    assert "Archived “Faster close”" in response.content.decode()
    assert ranks(workspace) == {"Fewer manual touches": 1, "Audit trail": 2}
    archived_page = client.get("/w/acme/archived/").content.decode()
    assert "Faster close" in archived_page and "#1" in archived_page
    client.post(f"/w/acme/goals/{three_goals[0].pk}/restore/")
    assert ranks(workspace)["Faster close"] == 3

    initiative = Initiative.objects.get(title="Internal initiative")
    page = client.get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert "Archive the initiative “Internal initiative”?" in page
    client.post(f"/w/acme/roadmap/{initiative.pk}/archive/")
    assert "Internal initiative" in client.get("/w/acme/archived/").content.decode()
    client.post(f"/w/acme/roadmap/{initiative.pk}/restore/")
    assert workspace.initiatives.filter(pk=initiative.pk).exists()


@pytest.mark.parametrize("role", ["viewer", "member", "partner"])
def test_readers_cannot_archive_or_restore(client_for, workspace, strategy, role):
    goal, initiative = strategy["goals"][0], strategy["initiatives"]["public"]
    client = client_for(role)
    for url in (
        f"/w/acme/goals/{goal.pk}/archive/",
        f"/w/acme/goals/{goal.pk}/restore/",
        f"/w/acme/roadmap/{initiative.pk}/archive/",
        f"/w/acme/roadmap/{initiative.pk}/restore/",
    ):
        assert client.post(url).status_code == 403
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    if role != "partner":
        page = client.get("/w/acme/goals/").content.decode()
        assert "Archive…" not in page
        archived = client.get("/w/acme/archived/")
        assert archived.status_code == 200 and "Restore" not in archived.content.decode()
    else:
        assert client.get("/w/acme/archived/").status_code == 403


def test_archiving_needs_a_post_and_an_existing_goal(client_for, strategy):
    client = client_for("editor")
    assert client.get(f"/w/acme/goals/{strategy['goals'][0].pk}/archive/").status_code == 405
    assert client.post("/w/acme/goals/999999/archive/").status_code == 404
    assert client.post("/w/acme/roadmap/999999/restore/").status_code == 404


# --- The workspace file ---


def test_archived_goals_and_initiatives_travel_in_the_workspace_file(workspace, strategy):
    archive_goal(strategy["goals"][0])
    archive_initiative(strategy["initiatives"]["partner"])
    data = json.loads(json.dumps(export_workspace(workspace)))
    assert data["version"] >= 5  # archived state arrived in version 5
    by_title = {g["title"]: g for g in data["goals"]}
    assert (
        by_title["Faster close"]["archived_at"]
        and by_title["Fewer manual touches"]["archived_at"] is None
    )
    copy = import_workspace(data, slug="acme-copy").workspace
    assert list(copy.goals.values_list("title", "rank")) == [("Fewer manual touches", 1)]
    assert Goal.all_objects.get(workspace=copy, title="Faster close").archived_at is not None
    assert not copy.initiatives.filter(title="Partner initiative").exists()
    assert Initiative.all_objects.get(workspace=copy, title="Partner initiative").archived_at
    # The link from the work item to the archived goal's initiative survives the move.
    linked = copy.work_items.get(external_key="ENG-1")
    assert linked.initiative.goal.title == "Faster close"
    again = export_workspace(copy)
    assert [g["archived_at"] for g in again["goals"]] == [g["archived_at"] for g in data["goals"]]


def test_a_version_4_file_imports_with_everything_active(workspace, strategy):
    data = json.loads(json.dumps(export_workspace(workspace)))
    data["version"] = 4
    for row in data["goals"] + data["initiatives"]:
        del row["archived_at"]
    copy = import_workspace(data, slug="acme-v4").workspace
    assert copy.goals.count() == 2 and copy.initiatives.count() == 3


def test_a_bad_archive_date_in_a_file_is_refused_by_path(workspace, strategy):
    from truenorth.exchange import ExchangeError

    data = json.loads(json.dumps(export_workspace(workspace)))
    data["goals"][0]["archived_at"] = str(date(2026, 1, 1))  # a date, no time zone
    with pytest.raises(ExchangeError, match="goals.0.archived_at"):
        import_workspace(data, slug="acme-bad")


def test_claims_matched_to_an_archived_initiative_say_it_was_archived(workspace):
    slack = Initiative.objects.create(
        workspace=workspace,
        title="Approve invoices from Slack",
        problem="Approvers never open the app.",
        status=Status.SHIPPED,
    )
    said = save_claim(
        Claim(
            workspace=workspace,
            said_on=date(2026, 11, 2),
            account="Northwind",
            text="Told them approvers can approve invoices straight from a Slack message.",
        )
    )
    assert said.verdict == Verdict.AVAILABLE and said.initiative == slack
    archive_initiative(slack)
    assert roadmap_changed_since_check(workspace)  # the claims page says to check again
    recheck_all(workspace)
    said.refresh_from_db()
    # Kept on its initiative, as a dropped one is: no other initiative takes it by default.
    assert said.verdict == Verdict.NO_CAPABILITY and said.was_archived and said.initiative == slack


def test_archiving_a_goal_says_first_what_it_leaves_serving_no_live_goal(
    client_for, workspace, strategy
):
    close, touches = strategy["goals"]
    internal = strategy["initiatives"]["internal"]  # of Faster close, as ENG-1 through it
    yesterday = timezone.localdate() - timedelta(days=1)
    for key, fields in {
        "DIRECT": {"goal": close},
        "DONE": {"goal": close, "resolved_on": yesterday},  # stays aligned work
        "BOTH": {"goal": touches, "initiative": internal},  # still serves a live goal
        "NOPE": {"goal": close, "status": "Won't Do"},  # no work at all
    }.items():
        WorkItem.objects.create(workspace=workspace, external_key=key, title=key, **fields)
    page = client_for("editor").get("/w/acme/goals/").content.decode()
    card = page[page.index(f'id="goal-{close.pk}"') : page.index(f'id="goal-{touches.pk}"')]
    initiatives = close.initiatives.count()
    assert f"{initiatives} initiatives linked to it would serve no live goal" in card
    assert (
        "2 open work items linked to it would then serve no live goal: "
        "orphan work goes from 1 to 3 of 5 items (20% → 60%)" in card
    )
    edit = client_for("editor").get(f"/w/acme/goals/{close.pk}/edit/").content.decode()
    assert "orphan work goes from 1 to 3 of 5 items" in edit
    client_for("editor").post(f"/w/acme/goals/{close.pk}/archive/")
    after = orphan_summary(workspace)["overall"]
    assert (after["orphans"], after["items"]) == (3, 5)  # as the confirmation said
    roadmap = client_for("member").get("/w/acme/roadmap/").content.decode()
    assert '→ Faster close <span class="archived">(goal archived)</span>' in roadmap
