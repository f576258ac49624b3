"""The work list on a phone: each item a card with its tick box, and the one link form kept in
sight at the foot of the screen while an editor ticks; nothing scrolls sideways, axe finds
nothing serious."""

import pytest

from tests.browser.phone import PHONE, fits, in_sight, table_reads_well
from truenorth.work.models import LinkSuggestion, WorkItem

pytestmark = pytest.mark.browser


def test_an_editor_links_ticked_items_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy, workspace, output_dir
):
    WorkItem.objects.bulk_create(
        WorkItem(workspace=workspace, external_key=f"OPS-{n}", title=f"Chore number {n}")
        for n in range(1, 31)
    )
    log_in_on_a_phone("editor", "/w/acme/work/")
    table_reads_well(page, "#work-items", "Serves")
    bar = page.locator(".link-bar").bounding_box()
    assert bar["y"] + bar["height"] <= PHONE["height"]  # in sight with 32 cards below the top
    page.screenshot(path=str(output_dir / "work-list-390.png"))

    page.get_by_label("Tick ENG-2", exact=True).check()
    page.get_by_label("Tick OPS-1", exact=True).check()
    page.select_option("#id_target", label="#2 Fewer manual touches")
    page.get_by_role("button", name="Link").click()
    page.wait_for_selector("text=Linked 2 items to Fewer manual touches.")
    goal = strategy["goals"][1]
    linked = WorkItem.objects.filter(goal=goal).values_list("external_key", flat=True)
    assert sorted(linked) == ["ENG-2", "OPS-1"]
    fits(page)


def test_link_suggestions_read_as_cards_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy, workspace, output_dir
):
    """Each suggestion a card: the item, its target and score, Accept and Reject all in sight,
    where the table had left the target and the buttons off the right of the screen."""
    item = WorkItem.objects.create(
        workspace=workspace, external_key="OPS-1", title="Retry failed postings with backoff"
    )
    for goal, score in zip(strategy["goals"], (71, 48), strict=False):
        LinkSuggestion.objects.create(item=item, goal=goal, score=score)
    log_in_on_a_phone("editor", "/w/acme/work/suggestions/")
    table_reads_well(page, "table.suggestions", "Suggested target")
    in_sight(page, "table.suggestions button[value=accept]")
    page.screenshot(path=str(output_dir / "suggestions-390.png"), full_page=True)
