"""The tables an owner keeps the workspace with, on a phone: logins and tracker mappings read as a
card each, with their controls (a login's role, a mapping's Delete) in sight rather than off the
right of the screen; the roadmap import's reference of columns likewise; nothing scrolls
sideways, axe finds nothing serious."""

import pytest

from tests.browser.phone import in_sight, table_reads_well
from truenorth.work.models import TrackerMapping

pytestmark = pytest.mark.browser


def test_logins_and_mappings_read_as_cards_on_a_phone(
    transactional_db, live_server, page, log_in_on_a_phone, users, strategy, workspace, output_dir
):
    initiative = next(iter(strategy["initiatives"].values()))
    TrackerMapping.objects.create(
        workspace=workspace, field="label", value="customer-request", initiative=initiative
    )
    log_in_on_a_phone("owner", "/w/acme/logins/")
    table_reads_well(page, "main table", "Role")
    in_sight(page, "select[name=role]")
    page.screenshot(path=str(output_dir / "logins-390.png"), full_page=True)

    page.goto(f"{live_server.url}/w/acme/work/mappings/")
    table_reads_well(page, "table.mappings", "Serves")
    in_sight(page, "table.mappings button")
    page.screenshot(path=str(output_dir / "mappings-390.png"), full_page=True)

    # The roadmap import's reference of the columns it recognises, each a card.
    page.goto(f"{live_server.url}/w/acme/roadmap/import/")
    table_reads_well(page, "#recognised-columns", "Columns")
    page.screenshot(path=str(output_dir / "roadmap-import-390.png"), full_page=True)
