import csv
import io

import pytest

from truenorth.roadmap.models import Initiative
from truenorth.work.models import ImportRun, WorkItem
from truenorth.workspaces import progress
from truenorth.workspaces.models import Workspace


def test_it_filters_linked_and_unlinked_work(client_for, strategy):
    client = client_for("member")
    linked = client.get("/w/acme/work/?link=linked").content.decode()
    unlinked = client.get("/w/acme/work/?link=unlinked").content.decode()
    assert "ENG-1" in linked and "ENG-2" not in linked
    assert "ENG-2" in unlinked and "ENG-1" not in unlinked


LINK = "/w/acme/work/link/"


def test_members_get_no_link_forms(client_for, strategy):
    assert "link-form" not in client_for("member").get("/w/acme/work/").content.decode()
    assert "link-form" in client_for("editor").get("/w/acme/work/").content.decode()


def test_editors_tick_rows_and_choose_the_target_once(client_for, strategy):
    page = client_for("editor").get("/w/acme/work/").content.decode()
    assert page.count('type="checkbox" name="ids"') == 2  # one a row
    assert page.count("<select") == 1  # every target listed once, not once a row
    goal = strategy["goals"][1]
    assert f'<option value="goal:{goal.pk}">#2 Fewer manual touches</option>' in page


def test_it_links_an_orphan_to_a_goal_and_back(client_for, strategy):
    orphan = strategy["items"][1]
    goal = strategy["goals"][1]
    client = client_for("editor")
    client.post(LINK, {"ids": [orphan.pk], "target": f"goal:{goal.pk}"})
    orphan.refresh_from_db()
    assert (orphan.goal, orphan.initiative, orphan.supported_goal) == (goal, None, goal)
    client.post(LINK, {"ids": [orphan.pk], "target": "nothing"})
    orphan.refresh_from_db()
    assert orphan.supported_goal is None


def test_it_links_to_an_initiative(client_for, strategy):
    orphan = strategy["items"][1]
    initiative = strategy["initiatives"]["partner"]
    client_for("editor").post(LINK, {"ids": [orphan.pk], "target": f"initiative:{initiative.pk}"})
    orphan.refresh_from_db()
    assert orphan.initiative == initiative
    assert orphan.supported_goal == strategy["goals"][0]


def test_it_links_every_ticked_item_to_the_one_target(client_for, strategy):
    goal = strategy["goals"][1]
    ids = [item.pk for item in strategy["items"]]
    response = client_for("editor").post(
        LINK, {"ids": ids, "target": f"goal:{goal.pk}"}, follow=True
    )
    assert "Linked 2 items to Fewer manual touches." in response.content.decode()
    assert {item.goal for item in WorkItem.objects.filter(pk__in=ids)} == {goal}


def test_pressing_link_before_choosing_unlinks_nothing(client_for, strategy):
    linked = strategy["items"][0]
    response = client_for("editor").post(LINK, {"ids": [linked.pk], "target": ""}, follow=True)
    page = response.content.decode()
    assert "Nothing was linked: Choose what the ticked items serve." in page
    linked.refresh_from_db()
    assert linked.initiative == strategy["initiatives"]["internal"]


def test_nothing_ticked_is_a_message(client_for, strategy):
    goal = strategy["goals"][1]
    response = client_for("editor").post(LINK, {"target": f"goal:{goal.pk}"}, follow=True)
    assert "Nothing was linked: Tick at least one item." in response.content.decode()


def test_a_bad_link_target_is_a_message_not_an_error(client_for, strategy):
    orphan = strategy["items"][1]
    response = client_for("editor").post(
        LINK, {"ids": [orphan.pk], "target": "goal:99999"}, follow=True
    )
    assert response.status_code == 200
    assert "Nothing was linked" in response.content.decode()
    assert WorkItem.objects.get(pk=orphan.pk).goal is None


@pytest.mark.parametrize("stranger", ["abc", str(10**30), "-1", "other workspace"])
def test_one_item_not_on_the_list_links_none_of_them(client_for, strategy, stranger):
    orphan, goal = strategy["items"][1], strategy["goals"][1]
    if stranger == "other workspace":
        other = Workspace.objects.create(name="Other", slug="other")
        stranger = str(WorkItem.objects.create(workspace=other, external_key="X-1", title="x").pk)
    response = client_for("editor").post(
        LINK, {"ids": [orphan.pk, stranger], "target": f"goal:{goal.pk}"}, follow=True
    )
    assert response.status_code == 200
    assert "Nothing was linked" in response.content.decode()
    assert WorkItem.objects.get(pk=orphan.pk).goal is None


@pytest.mark.parametrize("next_url", ["https://evil.test/", "//evil.test/", "x", "/a\nb", ""])
def test_it_goes_back_only_to_a_path_on_this_site(client_for, strategy, next_url):
    orphan = strategy["items"][1]
    response = client_for("editor").post(
        LINK, {"ids": [orphan.pk], "target": "nothing", "next": next_url}
    )
    assert response.status_code == 302 and response.url == "/w/acme/work/"


def test_it_goes_back_to_the_page_it_came_from(client_for, strategy):
    orphan = strategy["items"][1]
    came_from = "/w/acme/work/?link=unlinked"
    response = client_for("editor").post(
        LINK, {"ids": [orphan.pk], "target": "nothing", "next": came_from}
    )
    assert response.url == came_from


def test_a_link_made_by_hand_is_recorded_as_such(client_for, strategy):
    orphan = strategy["items"][1]
    goal = strategy["goals"][1]
    client_for("editor").post(LINK, {"ids": [orphan.pk], "target": f"goal:{goal.pk}"})
    orphan.refresh_from_db()
    assert orphan.linked_by == "hand"
    assert "(linked by hand)" in client_for("member").get("/w/acme/work/").content.decode()


def test_it_filters_by_team_and_keeps_the_filter_across_tabs(client_for, strategy, team):
    WorkItem.objects.filter(pk=strategy["items"][1].pk).update(team=team)
    page = client_for("member").get(f"/w/acme/work/?team={team.pk}").content.decode()
    assert "ENG-2" in page and "ENG-1" not in page
    assert f"?link=unlinked&team={team.pk}" in page
    assert client_for("member").get("/w/acme/work/?team=abc").status_code == 200


def csv_rows(response) -> dict[str, dict]:
    return {row["key"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


def test_work_decided_against_is_neither_orphan_nor_aligned_in_the_csv(client_for, strategy):
    WorkItem.objects.create(
        workspace=strategy["goals"][0].workspace,
        external_key="ENG-7",
        title="Dark mode",
        status="Won't Do",
    )
    client = client_for("member")
    rows = csv_rows(client.get("/w/acme/work.csv"))
    supports = {key: row["supports a goal"] for key, row in rows.items()}
    assert supports == {"ENG-1": "yes", "ENG-2": "no", "ENG-7": "decided against"}
    # As many "no" as the orphan page counts orphan work.
    orphans = client.get("/w/acme/work/orphans.json").json()["overall"]["orphans"]
    assert list(supports.values()).count("no") == orphans == 1
    page = client.get("/w/acme/work/").content.decode()
    assert "(decided against: counted neither way)" in page


def test_the_link_menu_marks_an_initiative_that_serves_no_goal(client_for, strategy):
    goalless = Initiative.objects.create(workspace=strategy["vision"].workspace, title="SOC 2")
    page = client_for("editor").get("/w/acme/work/").content.decode()
    assert f'<option value="initiative:{goalless.pk}">SOC 2 (serves no goal)</option>' in page
    served = strategy["initiatives"]["internal"]
    assert f'<option value="initiative:{served.pk}">{served.title}</option>' in page


def test_linking_to_an_initiative_without_a_goal_says_the_work_still_supports_none(
    client_for, strategy
):
    goalless = Initiative.objects.create(workspace=strategy["vision"].workspace, title="SOC 2")
    orphan = strategy["items"][1]
    response = client_for("editor").post(
        LINK, {"ids": [orphan.pk], "target": f"initiative:{goalless.pk}"}, follow=True
    )
    assert "Linked 1 item to SOC 2, which serves no goal: the item still supports none." in (
        response.content.decode()
    )
    unlinked = client_for("member").get("/w/acme/work/?link=unlinked").content.decode()
    assert "ENG-2" in unlinked  # what the message said: still orphan work


def test_the_list_says_in_plain_words_why_an_item_supports_no_goal(client_for, strategy):
    """ "SOC 2 (no goal) (the imported file)" told a newcomer neither what the file was nor why
    work tied to an initiative counted as supporting no goal."""
    goalless = Initiative.objects.create(workspace=strategy["vision"].workspace, title="SOC 2")
    orphan = strategy["items"][1]
    WorkItem.objects.filter(pk=orphan.pk).update(initiative=goalless, linked_by="import")
    unlinked = client_for("member").get("/w/acme/work/?link=unlinked").content.decode()
    cell = unlinked[unlinked.index(f'id="item-{orphan.pk}"') :]
    cell = cell[cell.index('data-label="Serves"') : cell.index("</td>", cell.index("Serves"))]
    assert 'Initiative: SOC 2 — <span class="orphan">which serves no goal</span>' in cell
    assert '<small class="linked-by">(linked by the import)</small>' in cell
    assert "(no goal)" not in cell and "the imported file" not in cell
    assert (
        "Supporting no goal: linked to nothing, or to an initiative that serves no goal (it has "
        "none), or to a goal or initiative archived before the item was finished."
    ) in unlinked
    everything = client_for("member").get("/w/acme/work/").content.decode()
    assert 'id="supporting-no-goal"' not in everything  # said where it lists such items


def test_keys_are_listed_in_natural_order(client_for, workspace):
    for key in ("BLK-10", "BLK-2", "BLK-1", "BLK-100"):
        WorkItem.objects.create(workspace=workspace, source="jira", external_key=key, title=key)
    page = client_for("member").get("/w/acme/work/").content.decode()
    shown = [page.index(f">{key}<") for key in ("BLK-1", "BLK-2", "BLK-10", "BLK-100")]
    assert shown == sorted(shown)


def test_an_empty_list_says_when_its_import_stopped_with_its_worker(client_for, workspace):
    """A running import with no progress for an hour has lost its worker (runs.stopped, as its
    page says): the list stops promising its items, even where it kept the promise before."""
    run = ImportRun.objects.create(workspace=workspace, file_name="jira.csv", state="running")
    progress.started("import", run.pk, "Checking the rows")  # its worker at work
    page = client_for("editor").get("/w/acme/work/").content.decode()
    assert "An import is under way" in page and "stopped" not in page

    progress.finished("import", run.pk)  # nothing heard from it for an hour: the key is gone
    page = client_for("editor").get("/w/acme/work/").content.decode()
    assert "The import stopped before it finished" in page
    assert "An import is under way" not in page
    assert f'href="/w/acme/work/import/{run.pk}/">See the import</a>' in page
    viewer = client_for("viewer").get("/w/acme/work/").content.decode()
    assert "The import stopped before it finished" in viewer and "See the import" not in viewer
