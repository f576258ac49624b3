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


def test_adding_a_flagged_word_to_the_glossary_keeps_the_typed_vision(
    transactional_db, live_server, page, log_in, users, strategy
):
    """The panel's "Add SMB to the glossary" used to replace the editor, and the text typed in
    it was gone."""
    log_in("editor", "/w/acme/vision/edit/")
    page.wait_for_url("**/vision/edit/")
    typed = "By 2028 every SMB owner closes the month in 3 days instead of 9."
    page.fill("#id_statement", typed)
    link = page.locator("#clarity a.glossary-add", has_text="Add SMB to the glossary")
    link.wait_for(timeout=10_000)
    assert "opens in a new tab" in link.inner_text()

    with page.context.expect_page() as opened:
        link.click()
    glossary = opened.value
    glossary.wait_for_load_state()
    assert "/glossary/" in glossary.url and "name=SMB" in glossary.url
    assert page.url.endswith("/vision/edit/")
    assert page.input_value("#id_statement") == typed
