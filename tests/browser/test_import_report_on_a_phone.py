"""A refused import with hundreds of bad rows on a phone: each problem once, the lines it is on
wrapping within the screen, and every row's own problem folded in a list that scrolls itself."""

import pytest
from playwright.sync_api import expect

from tests.browser.phone import PHONE, fits
from truenorth.work.models import ImportRun

pytestmark = pytest.mark.browser


def test_a_long_report_fits_a_phone(
    transactional_db, live_server, page, log_in, users, workspace, output_dir
):
    errors = [
        {"line": n, "message": "no team named 'Blocked' in this workspace", "where": ""}
        for n in range(2, 1602, 2)  # rows over two lines each: 800 ranges of one line
    ]
    errors += [
        {"line": n, "message": f"points {'x' * 60 + str(n)!r} is not a number", "where": ""}
        for n in (7, 9, 11, 13)
    ]
    run = ImportRun.objects.create(
        workspace=workspace,
        file_name="export.csv",
        state="failed",
        options={"format": "csv"},
        outcome={"errors": errors},
    )
    path = f"/w/{workspace.slug}/work/import/{run.pk}/"
    page.set_viewport_size(PHONE)
    log_in("editor", path)
    page.wait_for_url(f"**{path}")
    report = page.locator("#import-failed > ul > li")
    assert report.count() == 2
    assert report.first.inner_text().startswith("lines 2, 4, 6,")
    assert "38, 40 and 780 more (800 rows): no team named 'Blocked'" in report.first.inner_text()
    fits(page)
    page.screenshot(path=str(output_dir / "390.png"), full_page=True)
    page.click("#import-failed summary")
    every = page.locator("#import-failed details [role=region]")
    assert every.get_attribute("aria-label") == "Each row's problem"
    assert every.locator("li").count() == 804
    box = every.bounding_box()
    assert box["height"] < PHONE["height"]  # scrolls within itself, not the page's length
    # Chromium focuses a box that scrolls by itself; Safari only one with a tabindex.
    assert every.get_attribute("tabindex") == "0"
    every.focus()
    page.keyboard.press("End")  # scrolls the box from the keyboard
    # Chromium scrolls from the keyboard smoothly: the box moves over the next frames.
    page.wait_for_function("box => box.scrollTop > 0", arg=every.element_handle())
    fits(page)
    page.screenshot(path=str(output_dir / "390-open.png"), full_page=True)


def test_a_refused_people_import_comes_back_focused_on_its_report(
    transactional_db, live_server, page, log_in, users, workspace, tmp_path
):
    """The report had sat under the page's table of recognised headers, a screen and a half
    down a phone."""
    rows = "".join(f"P{n},p{n}@acme.test,Senior Software Engineer\n" for n in range(40))
    upload = tmp_path / "hr.csv"
    upload.write_text("name,email,function\n" + rows)
    page.set_viewport_size(PHONE)
    log_in("editor", f"/w/{workspace.slug}/people/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    report = page.locator(".import-problems")
    expect(report).to_be_focused()
    assert "lines 2–41 (40 rows)" in report.inner_text()
    box = report.bounding_box()
    assert 0 <= box["y"] < PHONE["height"]  # in sight, not below the help
