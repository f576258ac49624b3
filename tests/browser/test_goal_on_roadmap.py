import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_editor_creates_a_goal_and_filters_the_roadmap_by_it(
    transactional_db, live_server, page, log_in, users, strategy, output_dir
):
    log_in("editor")
    page.wait_for_url(f"{live_server.url}/w/acme/")

    page.click("text=Goals")
    page.click("text=New goal")
    page.fill("#id_title", "Be the AP tool auditors ask for")
    page.fill("#id_why", "Audit season drives renewals")
    page.fill("#id_why_now", "SOX season starts in January")
    page.fill("#id_metric", "Audits passed without findings")
    page.fill("#id_target", "95%")
    page.fill("#id_period", "2027-H1")
    page.click("text=Save goal")
    expect(page.locator("h2", has_text="#3 Be the AP tool auditors ask for")).to_be_visible()

    # An initiative for it, then the roadmap filtered by the new goal.
    page.click("text=Roadmap")
    page.click("text=New initiative")
    page.fill("#id_title", "Audit trail export")
    page.select_option("#id_goal", label="Be the AP tool auditors ask for")
    page.select_option("#id_status", "exploring")
    page.click("text=Save initiative")
    page.click("text=Roadmap")
    page.select_option("#goal-filter", label="#3 Be the AP tool auditors ask for")
    page.wait_for_url("**/roadmap/?goal=*")

    exploring = page.locator("#status-exploring")
    assert exploring.locator("text=Audit trail export").is_visible()
    assert "Not a promise" in exploring.inner_text()
    assert page.locator("text=Internal initiative").count() == 0
    page.screenshot(path=str(output_dir / "roadmap-filtered.png"), full_page=True)
    assert (output_dir / "roadmap-filtered.png").stat().st_size > 10_000
