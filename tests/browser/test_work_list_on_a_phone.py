"""The work list on a phone: each item a card with its tick box, and the one link form kept in
sight at the foot of the screen while an editor ticks; nothing scrolls sideways, axe finds
nothing serious."""

import pytest

from tests.browser.accessibility import axe_violations
from tests.browser.phone import reads_as_cards
from tests.browser.test_decision_on_a_phone import PHONE, fits, log_in, phone  # noqa: F401
from truenorth.work.models import WorkItem

pytestmark = pytest.mark.browser


def test_an_editor_links_ticked_items_on_a_phone(
    transactional_db, live_server, phone, users, strategy, workspace, output_dir  # noqa: F811
):
    WorkItem.objects.bulk_create(
        WorkItem(workspace=workspace, external_key=f"OPS-{n}", title=f"Chore number {n}")
        for n in range(1, 31)
    )
    log_in(phone, live_server, "editor", "/w/acme/work/")
    reads_as_cards(phone, "#work-items", "Serves")
    fits(phone)
    assert axe_violations(phone) == []
    bar = phone.locator(".link-bar").bounding_box()
    assert bar["y"] + bar["height"] <= PHONE["height"]  # in sight with 32 cards below the top
    phone.screenshot(path=str(output_dir / "work-list-390.png"))

    phone.get_by_label("Tick ENG-2", exact=True).check()
    phone.get_by_label("Tick OPS-1", exact=True).check()
    phone.select_option("#id_target", label="#2 Fewer manual touches")
    phone.get_by_role("button", name="Link").tap()
    phone.wait_for_selector("text=Linked 2 items to Fewer manual touches.")
    goal = strategy["goals"][1]
    linked = WorkItem.objects.filter(goal=goal).values_list("external_key", flat=True)
    assert sorted(linked) == ["ENG-2", "OPS-1"]
    fits(phone)
