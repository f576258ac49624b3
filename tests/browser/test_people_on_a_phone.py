"""People and teams on a phone: each row a card, the page never sideways."""

import pytest

from truenorth.workspaces.models import Person, Team

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


PATHS = ["people/", "teams/", "people/new/", "people/import/"]


@pytest.mark.parametrize("path", PATHS, ids=[p.strip("/").replace("/", "-") for p in PATHS])
def test_people_pages_fit_a_phone_screen(
    transactional_db, live_server, page, log_in, users, workspace, output_dir, path
):
    Person.objects.filter(email="member@acme.test").update(
        title="Principal engineer for platform reliability and developer experience"
    )
    # The team filter lists every team by name: one long name must not widen the page.
    Team.objects.create(
        workspace=workspace,
        name="Platform Infrastructure and Developer Productivity Enablement Group EMEA",
    )
    page.set_viewport_size(PHONE)
    log_in("owner", f"/w/{workspace.slug}/{path}")
    page.wait_for_url(f"**/{path}")
    page.screenshot(path=str(output_dir / "390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('table')]"
        ".filter((t) => t.getBoundingClientRect().width > t.parentElement.clientWidth + 2).length"
    )
    assert too_wide == 0, "a table is wider than its box: each person and team is a card"
