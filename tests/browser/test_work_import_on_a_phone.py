"""Importing work items on a phone: the form, a run's outcome and its errors fit the screen."""

import pytest

from truenorth.work.models import ImportRun

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG = "a-very-long-file-name-exported-from-the-tracker-without-any-spaces-at-all.csv"


@pytest.mark.parametrize("state", ["form", "running", "done", "failed"])
def test_import_pages_fit_a_phone_screen(
    transactional_db, live_server, page, log_in, users, workspace, output_dir, state
):
    outcomes = {
        "running": {},
        "done": {"created": 3200, "updated": 12, "changes": 4, "mapped": 40, "skipped": 0},
        "failed": {
            "errors": [
                {"line": 0, "message": "x" * 200, "where": ""},
                {"line": 0, "message": "no team named 'Platform'", "where": "item [3] (#1234)"},
            ]
        },
    }
    path = "work/import/"
    if state != "form":
        run = ImportRun.objects.create(
            workspace=workspace,
            file_name=LONG,
            state=state,
            options={"format": "auto"},
            outcome=outcomes[state],
        )
        path = f"work/import/{run.pk}/"
    page.set_viewport_size(PHONE)
    log_in("editor", f"/w/{workspace.slug}/{path}")
    page.wait_for_url(f"**/{path}")
    page.screenshot(path=str(output_dir / "390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"
