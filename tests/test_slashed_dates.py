"""A slashed date (03/04/2026) is read as the file's other dates show, never guessed."""

import io
from datetime import date

import pytest

from truenorth.claims.imports import read_claims
from truenorth.feedback.imports import import_feedback
from truenorth.feedback.models import FeedbackItem
from truenorth.roadmap import imports as roadmap_imports
from truenorth.roadmap.models import Initiative
from truenorth.tabular import ImportFailed, Mixed, day_order, parse_date
from truenorth.work.imports import import_work_items
from truenorth.work.models import WorkItem

AMBIGUOUS = "could be 3 Apr 2026 or 4 Mar 2026"


@pytest.mark.parametrize(
    "text, order",
    [
        ("21/11/2026 and 03/04/2026", "day first"),
        ("11/21/2026 and 03/04/2026", "month first"),
        ("03/04/2026 and 05/06/2026", ""),  # nothing shows it
        ("21/11/2026 and 11/21/2026", Mixed("21/11/2026", "11/21/2026")),  # both ways
        ("2026-11-21 and 21/Nov/26", ""),
    ],
)
def test_the_order_is_what_the_unambiguous_dates_show(text, order):
    assert day_order(text) == order


@pytest.mark.parametrize(
    "written, order, day",
    [
        ("03/04/2026", "day first", date(2026, 4, 3)),
        ("03/04/2026", "month first", date(2026, 3, 4)),
        ("3/4/2026 14:05", "month first", date(2026, 3, 4)),
        ("21/11/2026", "", date(2026, 11, 21)),  # only one reading is a date
        ("11/21/2026", "day first", date(2026, 11, 21)),
        ("04/04/2026", "", date(2026, 4, 4)),  # both readings are the same day
    ],
)
def test_a_slashed_date_is_read_in_the_order_given(written, order, day):
    assert parse_date(written, order) == day


def test_an_ambiguous_date_with_no_order_names_both_readings():
    with pytest.raises(ValueError, match=AMBIGUOUS):
        parse_date("03/04/2026")
    for not_a_date in ("3/4/2026 or so", "3/4/20261", "31/31/2026"):
        with pytest.raises(ValueError, match="is not a date"):
            parse_date(not_a_date, "day first")


@pytest.mark.parametrize(
    "written, order, why",
    [
        ("31/02/2026", "", "'31/02/2026': there is no 31 February 2026$"),
        ("31/02/2026", "day first", "'31/02/2026': there is no 31 February 2026$"),
        ("02/30/2026", "", "'02/30/2026': there is no 30 February 2026$"),
        ("31/04/2026", "month first", "'31/04/2026' is not a date"),  # no month 31
        ("30/02/2026", Mixed("21/11/2026", "11/21/2026"), "there is no 30 February 2026$"),
        ("30/Feb/2026", "", "'30/Feb/2026': there is no 30 February 2026$"),
    ],
)
def test_a_day_that_does_not_exist_is_named_not_sent_to_another_format(written, order, why):
    # "31/02/2026" is in a shape the importers read: "use YYYY-MM-DD" would be the wrong fix.
    with pytest.raises(ValueError, match=why):
        parse_date(written, order)


def test_claims_from_a_us_spreadsheet_are_read_month_first(workspace):
    text = "date,account,text\n11/21/2026,Initech,Audit log soon\n03/04/2026,Hooli,SSO\n"
    claims = read_claims(workspace, io.StringIO(text))
    assert [claim.said_on for claim in claims] == [date(2026, 11, 21), date(2026, 3, 4)]


def test_claims_with_only_ambiguous_dates_are_refused_and_say_how_to_fix(workspace):
    text = "date,account,text\n03/04/2026,Hooli,SSO\n2026-04-05,Initech,Audit log\n"
    with pytest.raises(ImportFailed) as failed:
        read_claims(workspace, io.StringIO(text))
    (error,) = failed.value.errors
    assert error.line == 2
    assert AMBIGUOUS in error.message and "use YYYY-MM-DD" in error.message


def test_work_items_from_a_european_spreadsheet_are_read_day_first(workspace):
    text = "key,title,due\nA-1,One,21/11/2026\nA-2,Two,03/04/2026\n"
    import_work_items(workspace, io.StringIO(text))
    assert WorkItem.objects.get(external_key="A-2").due_on == date(2026, 4, 3)


def test_feedback_dates_follow_every_file_of_the_import(workspace, users):
    header = "kind,text,account,date\n"
    files = [
        ("a.csv", f"{header}request,Export to Excel,Initech,03/04/2026\n".encode()),
        ("b.csv", f"{header}request,Audit log,Hooli,11/30/2026\n".encode()),
    ]
    import_feedback(workspace, files, "field")
    assert FeedbackItem.objects.get(account="Initech").received_on == date(2026, 3, 4)


def test_a_roadmap_history_file_shows_the_order_for_the_roadmap(workspace):
    roadmap = "key,title,status,target date\nR-1,Bank feeds,committed,03/04/2026\n"
    history = "key,date,field,old,new\nR-1,02/20/2026,status,planned,committed\n"
    roadmap_imports.import_roadmap(workspace, roadmap, history)
    assert Initiative.objects.get(source_key="R-1").target_date == date(2026, 3, 4)


def test_a_roadmap_with_only_ambiguous_dates_is_refused(workspace):
    roadmap = "key,title,status,target date\nR-1,Bank feeds,committed,03/04/2026\n"
    with pytest.raises(roadmap_imports.ImportFailed) as failed:
        roadmap_imports.import_roadmap(workspace, roadmap)
    assert f"'03/04/2026': {AMBIGUOUS}" in failed.value.report()
    assert not Initiative.objects.exists()


def test_a_file_that_mixes_both_orders_says_so_and_refuses_its_ambiguous_dates(workspace):
    # Dates in the past, as a file of feedback heard has them.
    text = (
        "kind,text,account,date\n"
        "request,Export to Excel,Initech,21/11/2025\n"
        "request,Audit log,Hooli,11/24/2025\n"
        "request,Single sign-on,Globex,03/04/2025\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_feedback(workspace, [("notes.csv", text.encode())], "field")
    (error,) = failed.value.errors
    assert error.line == 4
    assert "'03/04/2025' could be 3 Apr 2025 or 4 Mar 2025" in error.message
    assert (
        "the file mixes day-first dates (21/11/2025 on line 2) with month-first ones "
        "(11/24/2025 on line 3)" in error.message
    )
    assert "no other date in the file shows" not in error.message
    assert not FeedbackItem.objects.exists()
