"""One way to write a date on every page: "12 Mar 2026" (truenorth/formats/en_GB/formats.py)."""

import re
from datetime import date, datetime
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format

from truenorth.roadmap.models import InitiativeChange, Visibility
from truenorth.workspaces.templatetags.dates import as_day

TEMPLATES = Path(__file__).resolve().parents[1] / "truenorth" / "templates"


def test_it_writes_a_date_and_a_time_one_way():
    assert date_format(date(2026, 3, 12)) == "12 Mar 2026"
    assert date_format(datetime(2026, 3, 2, 14, 5), "DATETIME_FORMAT") == "2 Mar 2026 14:05"


def test_no_template_has_a_date_format_of_its_own():
    own_formats = [
        f"{path.relative_to(TEMPLATES)}: {match}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8"))
        if match != "DATETIME_FORMAT"
    ]
    assert own_formats == []


def test_a_date_kept_as_text_reads_like_the_others():
    assert as_day("2027-01-15") == "15 Jan 2027"
    assert as_day("planned") == "planned" and as_day("") == ""
    assert as_day("2027-13-45") == "2027-13-45"


def test_the_initiative_page_shows_its_dates_and_their_history_one_way(client_for, strategy):
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    InitiativeChange.objects.create(
        initiative=initiative,
        field=InitiativeChange.Field.TARGET_DATE,
        old_value="2026-11-02",
        new_value="2026-12-01",
        changed_at=timezone.make_aware(datetime(2026, 10, 20, 9, 30)),
    )
    page = client_for("owner").get(f"/w/acme/roadmap/{initiative.pk}/").content.decode()
    assert "1 Dec 2026" in page and "2 Nov 2026" in page and "20 Oct 2026" in page
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", page)  # no ISO date left in the text
