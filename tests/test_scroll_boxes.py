"""Every box that scrolls inside itself (a table's div.table-wrap or div.scroll, an import's list
of each row's problem) is a region a keyboard can reach and a screen reader names: on a phone the
box, not the page, scrolls, and a box nobody can focus cannot be scrolled without a mouse, while
one focused without a name is read as "region" alone. Read from every template's source, so a box
on a page no test opens is checked too, and from the table beside each chart (charts.py)."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

import truenorth
from tests.test_charts import every_chart

TEMPLATES = Path(truenorth.__file__).parent / "templates"
SCROLLING = {"table-wrap", "scroll", "problem-rows"}  # the classes style.css lets scroll


class Boxes(HTMLParser):
    """The attributes of each element whose class makes it scroll. Template tags between the
    tags are text to the parser; inside an attribute's quotes they are part of its value."""

    def __init__(self):
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if set((found.get("class") or "").split()) & SCROLLING:
            self.found.append(found)


def boxes_in(html: str) -> list[dict[str, str | None]]:
    parser = Boxes()
    parser.feed(html)
    parser.close()
    return parser.found


def is_named_region(box: dict[str, str | None]) -> bool:
    label = (box.get("aria-label") or "").strip()
    return box.get("role") == "region" and bool(label) and box.get("tabindex") == "0"


def test_every_box_that_scrolls_in_a_template_is_a_named_region_a_keyboard_reaches():
    found, unnamed = 0, []
    for path in sorted(TEMPLATES.rglob("*.html")):
        boxes = boxes_in(path.read_text())
        found += len(boxes)
        where = path.relative_to(TEMPLATES)
        unnamed += [f"{where}: {box}" for box in boxes if not is_named_region(box)]
    assert found > 20  # the parser sees the boxes at all: there are 30 or so
    assert unnamed == []


@pytest.mark.parametrize("chart", range(5))
def test_a_charts_table_of_figures_is_a_region_named_for_the_chart(chart):
    html = str(every_chart("Payments")[chart])
    boxes = boxes_in(html)
    assert len(boxes) == 1 and is_named_region(boxes[0]), boxes
    title = html.split('aria-label="', 1)[1].split('"', 1)[0]  # the SVG's, its first label
    assert boxes[0]["aria-label"] == f"Data of: {title}"


def test_a_box_without_its_name_or_focus_is_found():
    assert not is_named_region(boxes_in('<div class="scroll" role="region">')[0])
    assert not is_named_region(boxes_in('<div class="table-wrap" aria-label=" " tabindex="0">')[0])
    named = '<div class="scroll wide" role="region" aria-label="Teams" tabindex="0">'
    assert is_named_region(boxes_in(named)[0])
