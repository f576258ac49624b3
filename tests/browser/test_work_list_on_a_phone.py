"""The work list on a phone: each item a card with its tick box, and the one link form kept in
sight at the foot of the screen while an editor ticks; nothing scrolls sideways, axe finds
nothing serious."""

import pytest

from tests.browser.accessibility import axe_violations, serve_axe
from tests.browser.phone import PHONE, fits, reads_as_cards
from truenorth.work.models import WorkItem

pytestmark = pytest.mark.browser


def test_an_editor_links_ticked_items_on_a_phone(
    transactional_db, live_server, page, log_in, users, strategy, workspace, output_dir
):
    WorkItem.objects.bulk_create(
        WorkItem(workspace=workspace, external_key=f"OPS-{n}", title=f"Chore number {n}")
        for n in range(1, 31)
    )
    serve_axe(page.context, live_server.url)
    page.set_viewport_size(PHONE)
    log_in("editor", "/w/acme/work/")
    page.wait_for_url("**/w/acme/work/")
    reads_as_cards(page, "#work-items", "Serves")
    fits(page)
    assert axe_violations(page) == []
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
