"""The overview's "Recent slips": committed target dates moved later, as the overruns page counts
them: never a pull-in, a first date, or a date moved before the commitment (re-planning); and a
move of millions of days written as a number, not "2.9e+06"."""

import re
from datetime import datetime

from django.utils import timezone

from truenorth.checkins.templatetags.measures import signed
from truenorth.roadmap.models import InitiativeChange, Status, Visibility


def moved(initiative, old, new, day):
    InitiativeChange.objects.create(
        initiative=initiative,
        field=InitiativeChange.Field.TARGET_DATE,
        old_value=old,
        new_value=new,
        changed_at=timezone.make_aware(datetime(2026, 10, day, 9, 30)),
    )


def recent_slips(page: str) -> list[str]:
    section = page.split("<h2>Recent slips</h2>", 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in section.split("<li>")[1:]]


def committed(strategy):
    """An initiative committed from its creation: every move of its date counts."""
    initiative = strategy["initiatives"][Visibility.INTERNAL]
    initiative.status = Status.COMMITTED
    initiative.save()
    return initiative


def test_only_a_date_moved_later_is_a_recent_slip(client_for, strategy):
    initiative = committed(strategy)
    moved(initiative, "", "2026-11-02", 1)  # a first date: not a slip
    moved(initiative, "2026-11-02", "2026-12-01", 2)  # a slip
    moved(initiative, "2026-12-01", "2026-11-20", 3)  # a pull-in
    slips = recent_slips(client_for("owner").get("/w/acme/").content.decode())
    assert len(slips) == 1 and "2 Nov 2026 → 1 Dec 2026" in slips[0]


def test_a_pull_in_alone_leaves_no_recent_slip(client_for, strategy):
    moved(committed(strategy), "9999-12-31", "2027-03-31", 1)
    page = client_for("owner").get("/w/acme/").content.decode()
    assert recent_slips(page) == ["No committed date has moved later."]


def test_a_date_moved_before_the_commitment_is_re_planning(client_for, strategy):
    planned = strategy["initiatives"][Visibility.INTERNAL]
    assert planned.status == Status.PLANNED
    moved(planned, "2026-11-02", "2026-12-01", 2)
    page = client_for("owner").get("/w/acme/").content.decode()
    assert recent_slips(page) == ["No committed date has moved later."]
    assert "No initiative committed yet" in page


def test_the_headline_counts_late_initiatives_as_the_overruns_page(client_for, strategy):
    initiative = committed(strategy)
    moved(initiative, "2026-11-02", "2026-12-01", 2)
    page = client_for("owner").get("/w/acme/").content.decode()
    headline = page.split('id="headline-slipped"', 1)[1].split("</section>", 1)[0]
    assert "Committed initiatives late" in headline
    assert re.search(r">\s*1\s*<", headline) and "of 1" in headline


def test_the_headline_leaves_out_one_taken_back_to_planned(client_for, strategy):
    initiative = committed(strategy)
    moved(initiative, "2026-11-02", "2026-12-01", 2)
    initiative.status = Status.PLANNED
    initiative.save()
    page = client_for("owner").get("/w/acme/").content.decode()
    assert "No initiative committed yet" in page
    assert recent_slips(page) == ["No committed date has moved later."]


def test_a_far_pull_in_reads_as_a_whole_number_of_days():
    assert (signed(-2911988), signed(-2911988.0), signed(2.5), signed(0)) == (
        "-2911988",
        "-2911988",
        "+2.5",
        "0",
    )
