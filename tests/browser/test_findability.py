"""Finding things as a user would: the header's search box on a phone and on a wide screen, the
getting-started path of a new workspace. Screenshots land in
test-output/<test name>/."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1440, "height": 900}


def fits(page, screen) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen["width"], f"the page scrolls sideways: {width}px wide"


@pytest.mark.parametrize("screen", [PHONE, WIDE], ids=["390", "1440"])
def test_the_header_search_finds_and_links(
    transactional_db, live_server, page, log_in, users, strategy, output_dir, screen
):
    page.set_viewport_size(screen)
    log_in("member", "/w/acme/goals/")
    page.wait_for_url("**/goals/")
    box = page.get_by_role("search").get_by_label("Search this workspace")
    if not box.is_visible():  # a phone may fold the header's box into its menu
        page.get_by_text("Menu").click()
    box.fill("initiative")
    box.press("Enter")
    page.wait_for_url("**/search/?q=initiative")
    page.screenshot(path=str(output_dir / "results.png"), full_page=True)
    fits(page, screen)
    results = page.locator("#found-initiatives li a")
    assert results.count() == 3
    results.first.click()
    page.wait_for_url("**/roadmap/*/")
    assert "initiative" in page.locator("h1").inner_text()


def test_customer_feedback_found_on_a_phone_opens_its_item(
    transactional_db, live_server, page, log_in, users, workspace, output_dir
):
    from truenorth.feedback.models import FeedbackItem

    words = "We need SSO before the security review in April, " * 6 + "Is Okta supported?"
    FeedbackItem.objects.create(
        workspace=workspace,
        source="zendesk",
        source_key="T-9001",
        title="Can we get single sign-on with our identity provider before the review?",
        text=words,
        account="Contoso International Holdings",
        received_on="2026-03-05",
    )
    page.set_viewport_size(PHONE)
    log_in("member", "/w/acme/search/?q=okta")
    page.wait_for_url("**/search/?q=okta")
    page.screenshot(path=str(output_dir / "390.png"), full_page=True)
    fits(page, PHONE)
    hit = page.locator("#found-feedback li")
    assert "Contoso International Holdings" in hit.inner_text()
    assert "Is Okta supported?" in hit.inner_text()
    hit.get_by_role("link").click()
    page.wait_for_url("**/feedback/*/")


def test_a_new_workspace_shows_its_first_steps_on_a_phone(
    transactional_db, live_server, page, log_in, users, output_dir
):
    page.set_viewport_size(PHONE)
    log_in("owner", "/w/acme/")
    page.wait_for_url("**/w/acme/")
    steps = page.locator("#getting-started li")
    assert steps.count() == 5
    page.screenshot(path=str(output_dir / "390.png"), full_page=True)
    fits(page, PHONE)
    page.get_by_role("link", name="Publish the vision").click()
    page.wait_for_url("**/vision/edit/")
