"""The claims page filtered on a period, on a phone: the filter reads as a plain line with a
link that removes it, nothing scrolls sideways, axe finds nothing serious."""

import pytest

from tests.browser.accessibility import axe_violations
from tests.browser.phone import fits, in_sight
from tests.test_claims_period_filters import MOVED_IN, claims  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_a_period_filter_reads_and_is_removed_on_a_phone(
    transactional_db,
    live_server,
    page,
    log_in_on_a_phone,
    users,
    claims,  # noqa: F811
    output_dir,
):
    log_in_on_a_phone("member", "/w/acme/claims/")
    page.goto(f"{live_server.url}/w/acme/claims/?verdict=committed&moved=1&{MOVED_IN}")
    said = page.locator("#filter-moved")
    assert said.inner_text() == ("Date moved between 7 Nov 2026 and 6 Dec 2026. Remove this filter")
    in_sight(page, "#filter-moved a")
    fits(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(output_dir / "claims-period-390.png"), full_page=True)

    page.get_by_role("link", name="Remove this filter").click()
    page.wait_for_selector("text=Globex")  # moved before the period: listed once it is removed
    assert page.url.endswith("/w/acme/claims/?verdict=committed&moved=1")
    assert page.locator("#filter-moved").count() == 0
