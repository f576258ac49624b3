"""Checks every template file can fail on, whatever page renders it."""

from pathlib import Path

TEMPLATES = Path(__file__).parent.parent / "truenorth" / "templates"


def test_every_one_line_comment_closes_on_its_line():
    # Django reads "{# … #}" only within one line: one that runs onto the next is shown on the
    # page as text, to everyone who opens it. A longer comment needs {% comment %}.
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []
