"""The import page's recent runs on a phone: each run's state is read in full."""

import pytest

from tests.browser.phone import PHONE, fits, reads_as_cards
from truenorth.work.models import ImportRun

pytestmark = pytest.mark.browser

LONG = "a-very-long-file-name-exported-from-the-tracker-without-any-spaces-at-all.csv"


def test_each_recent_import_shows_its_whole_state(
    transactional_db, live_server, page, log_in, users, workspace, output_dir
):
    done = {"created": 3200, "updated": 12, "changes": 4, "mapped": 40, "skipped": 0}
    ImportRun.objects.create(workspace=workspace, file_name=LONG, state="done", outcome=done)
    ImportRun.objects.create(workspace=workspace, file_name=LONG, state="failed")
    page.set_viewport_size(PHONE)
    log_in("editor", f"/w/{workspace.slug}/work/import/")
    page.wait_for_url("**/work/import/")
    page.locator("#recent-imports").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "390.png"), full_page=True)
    reads_as_cards(page, "#recent-imports", "File")
    fits(page)
    for state in page.locator("#recent-imports td.lead").all():
        box = state.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]
    states = page.locator("#recent-imports td.lead").all_inner_texts()
    assert states == ["Failed: nothing imported", "Done: 3200 new, 12 updated"]
