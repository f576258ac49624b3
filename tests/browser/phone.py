"""What a page must look like on a phone, shared by the browser tests."""

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
