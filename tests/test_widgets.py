"""PlainSelect writes what Django's Select writes: the same options, groups, selection, escaping
and attributes, only without a template for each option."""

import re

import pytest
from django import forms

from truenorth.widgets import PlainSelect

CHOICES = [
    ("", "Choose…"),
    ("Initiatives", [("initiative:1", 'ERP "sync" & <retries>'), ("initiative:2", "Approvals")]),
    ("Goals", [("goal:7", "#1 Faster close")]),
    ("Europe/Berlin", "Europe/Berlin"),
]
PIECE = re.compile(r'<(optgroup) label="([^"]*)">|<option value="([^"]*)"( selected)?>([^<]*)<')


def pieces(html: str) -> list[tuple]:
    return [match.groups() for match in PIECE.finditer(html)]


@pytest.mark.parametrize("value", ["", "initiative:1", "goal:7", "Europe/Berlin", "nowhere"])
def test_it_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_target", "required": True, "aria-describedby": "id_target_helptext"}
    mine = PlainSelect(choices=CHOICES).render("target", value, attrs)
    django = forms.Select(choices=CHOICES).render("target", value, attrs)
    assert pieces(mine) == pieces(django)
    assert len(pieces(mine)) == 7  # two groups, five options
    opening = mine[: mine.index(">") + 1]
    for attribute in ('name="target"', 'id="id_target"', " required", 'aria-describedby="id_'):
        assert attribute in opening
    assert "&quot;sync&quot; &amp; &lt;retries&gt;" in mine


def test_a_form_field_with_it_keeps_its_choice():
    class Form(forms.Form):
        target = forms.ChoiceField(choices=CHOICES, widget=PlainSelect)

    html = str(Form({"target": "goal:7"})["target"])
    assert '<option value="goal:7" selected>#1 Faster close</option>' in html
    assert html.count(" selected") == 1
