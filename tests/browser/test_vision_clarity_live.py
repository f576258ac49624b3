import pytest

pytestmark = pytest.mark.browser


def test_the_clarity_panel_rechecks_as_the_editor_types(
    transactional_db, live_server, page, log_in, users, strategy, output_dir
):
    log_in("editor", "/w/acme/vision/edit/")
    page.wait_for_url("**/vision/edit/")
    assert "world-class" not in page.locator("#clarity").inner_text()

    page.fill("#id_statement", "A world-class, seamless AP experience that leverages AI.")
    page.locator("#clarity", has_text="world-class").wait_for(timeout=10_000)
    page.screenshot(path=str(output_dir / "clarity-live.png"), full_page=True)
    assert "seamless" in page.locator("#clarity").inner_text()
