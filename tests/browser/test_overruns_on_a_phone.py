"""The overruns page of a large roadmap on a phone: 300 initiatives in 40 teams once made it
some 130,000 px tall; the list now shows 50 at a time and the page's next link reaches the
rest, with nothing scrolling sideways."""

from datetime import date, timedelta

import pytest

from tests.browser.phone import fits
from truenorth.roadmap.models import Initiative
from truenorth.workspaces.models import Team

pytestmark = pytest.mark.browser


def test_a_large_roadmaps_overruns_page_stays_short_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, workspace, output_dir
):
    teams = [Team.objects.create(workspace=workspace, name=f"Team {n:02}") for n in range(40)]
    Initiative.objects.bulk_create(
        Initiative(
            workspace=workspace,
            title=f"Roadmap initiative number {n:03}",
            status="committed",
            target_date=date(2026, 1, 1) + timedelta(days=n),
            team=teams[n % 40],
        )
        for n in range(300)
    )
    log_in_on_a_phone("member", "/w/acme/roadmap/overruns/")
    height = page.evaluate("document.documentElement.scrollHeight")
    # About 36,000 px: the 40 teams' cards are 13,000 of it, the 50 initiatives' 18,500.
    assert height < 45_000, height
    fits(page)
    page.get_by_role("link", name="next →").click()
    page.wait_for_selector("text=Page 2 of 6 (300 initiatives)")
    assert page.locator("#overruns-initiatives").get_by_text("number 050").is_visible()
    page.screenshot(path=str(output_dir / "overruns-page-2-390.png"))
