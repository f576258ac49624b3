"""What a page must look like on a phone, shared by the browser tests."""

from tests.browser.accessibility import axe_violations

PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    """Nothing on the page is wider than the phone: it never scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def reads_as_cards(page, table: str, column: str) -> None:
    """On a phone the table's rows are cards: no header row, and the `column` cell of its first
    row spans the card rather than a column a word or two wide."""
    header = page.locator(f"{table} tr").first
    assert not header.is_visible()
    index = header.locator("th").all_inner_texts().index(column)
    row = page.locator(f"{table} tr").nth(1)
    cell = row.locator("td").nth(index).bounding_box()
    assert cell["width"] >= 0.8 * row.bounding_box()["width"]


def in_sight(page, selector: str) -> None:
    """The first element `selector` finds ends within the phone's width, not off to the right."""
    box = page.locator(selector).first.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], f"{selector} is off the screen"


def table_reads_well(page, table: str, column: str) -> None:
    """The table reads as cards (reads_as_cards), nothing scrolls sideways, and axe-core finds
    nothing serious on the page."""
    reads_as_cards(page, table, column)
    fits(page)
    assert axe_violations(page) == []
