"""The explicit numbers check: what counts as a quantity, and when a restatement contradicts one."""

import pytest

from truenorth.analysis.quantities import (
    COUNT,
    DATE,
    DURATION,
    MAX,
    MIN,
    MONEY,
    NO_YEAR,
    PERCENT,
    RATIO,
    conflicts,
    extract,
)


def months(year: int, month: int = 1) -> float:
    return 12.0 * year + month - 1


def only(text: str):
    found = extract(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "low", "high"),
    [
        ("close the books in 3 days", DURATION, 3, 3),
        ("close the books in three weeks", DURATION, 21, 21),
        ("under 2 business days", DURATION, 2.8, 2.8),
        ("half a day", DURATION, 0.5, 0.5),
        ("two and a half years", DURATION, 2.5 * 365.25, 2.5 * 365.25),
        ("3-5 days", DURATION, 3, 5),
        ("30% of customers", PERCENT, 30, 30),
        ("30 % of customers", PERCENT, 30, 30),
        ("30 percent of customers", PERCENT, 30, 30),
        ("30 per cent of customers", PERCENT, 30, 30),
        ("half of customers", PERCENT, 50, 50),
        ("cut errors in half", PERCENT, 50, 50),
        ("two thirds of invoices", PERCENT, 200 / 3, 200 / 3),
        ("$2M budget", MONEY, 2e6, 2e6),
        ("a $2.5 million budget", MONEY, 2.5e6, 2.5e6),
        ("€300k a year", MONEY, 3e5, 3e5),
        ("USD 1.5bn", MONEY, 1.5e9, 1.5e9),
        ("2 million dollars", MONEY, 2e6, 2e6),
        ("10,000 invoices a day", COUNT, 1e4, 1e4),
        ("10k invoices", COUNT, 1e4, 1e4),
        ("two hundred and fifty teams", COUNT, 250, 250),
        ("a dozen markets", COUNT, 12, 12),
        ("3x faster", RATIO, 3, 3),
        ("twice as fast", RATIO, 2, 2),
        ("ten times faster", RATIO, 10, 10),
        ("by 2028", DATE, months(2028), months(2028, 12)),
        ("go live in Q3 2027", DATE, months(2027, 7), months(2027, 9)),
        ("H2 2026", DATE, months(2026, 7), months(2026, 12)),
        ("the second half of 2027", DATE, months(2027, 7), months(2027, 12)),
        ("end of 2027", DATE, months(2027, 10), months(2028, 1)),
        ("March 2027", DATE, months(2027, 3), months(2027, 3)),
        ("FY27", DATE, months(2027), months(2027, 12)),
        ("the 2012-13 budget", DATE, months(2012), months(2013, 12)),
    ],
)
def test_it_reads_the_quantity_and_normalises_its_value(text, kind, low, high):
    quantity = only(text)
    assert quantity.kind == kind
    assert quantity.low == pytest.approx(low)
    assert quantity.high == pytest.approx(high)


@pytest.mark.parametrize(
    ("text", "written", "bound", "approx"),
    [
        ("under 2 days", "under 2 days", MAX, False),
        ("within two days", "within two days", MAX, False),
        ("0.5% or less", "0.5% or less", MAX, False),
        ("at least 70%", "at least 70%", MIN, False),
        ("more than 50% of customers", "more than 50%", MIN, False),
        ("50+ customers", "50+ customers", MIN, False),
        ("by 2028", "by 2028", MAX, False),
        ("about 70%", "about 70%", "", True),
        ("~5 days", "~5 days", "", True),
        ("reduce errors by 30%", "30%", "", False),  # "by" bounds a date, not a change
    ],
)
def test_it_keeps_the_comparator_written_with_a_figure(text, written, bound, approx):
    quantity = only(text)
    assert (quantity.text, quantity.bound, quantity.approx) == (written, bound, approx)


@pytest.mark.parametrize(
    "text",
    [
        "v2 ships next",
        "GPT-4 and COVID-19",
        "phase 2 of the rollout",
        "our #1 goal",
        "the No. 1 priority",
        "the 1st priority",
        "1. Reduce costs",
        "support 24/7",
        "standup at 9am or 9:30",
        "a 16-year-old system",
        "one of us will own it",
        "we have a plan",
        "Close the books faster.",
    ],
)
def test_labels_ranks_list_markers_and_times_are_not_quantities(text):
    assert extract(text) == []


def test_a_quantity_knows_its_subject_from_the_words_around_it():
    customers, failures = extract(
        "30% of customers paying through Larkspur, sync failures below 0.5%"
    )
    assert customers.subject == ("customers", "paying", "larkspur")
    assert failures.subject == ("sync", "failures")
    assert (customers.span, failures.text) == ((0, 3), "below 0.5%")


def test_a_quarter_without_a_year_is_kept_as_such():
    quantity = only("ship in Q3")
    assert (quantity.unit, quantity.low, quantity.high) == (NO_YEAR, 6, 8)


@pytest.mark.parametrize(
    ("source", "restatement", "reason"),
    [
        (
            "Close the books in 3 days.",
            "Close the books in 3 weeks.",
            "the source says 3 days, this says 3 weeks",
        ),
        (
            "30% of customers pay through Larkspur.",
            "50% of customers pay through Larkspur.",
            "the source says 30%, this says 50%",
        ),
        (
            "By 2028 every invoice is touchless.",
            "By 2030 every invoice is touchless.",
            "the source says By 2028, this says By 2030",
        ),
        (
            "Go-live in Q3 2027.",
            "Go-live in Q4 2027.",
            "the source says Q3 2027, this says Q4 2027",
        ),
        (
            "Sync failures under 0.5%.",
            "Sync failures under 5%.",
            "the source says under 0.5%, this says under 5%",
        ),
        ("A $2M budget.", "A $20M budget.", "the source says $2M, this says $20M"),
        (
            "More than 50% of invoices touchless.",
            "30% of invoices touchless.",
            "the source says More than 50%, this says 30%",
        ),
        (
            "Close the books in 3 days.",
            "Close the books within 3 weeks.",
            "the source says 3 days, this says within 3 weeks",
        ),
        ("99.9% uptime.", "99.5% uptime.", "the source says 99.9%, this says 99.5%"),
        (
            "70% of invoices touchless.",
            "two thirds of invoices touchless.",
            "the source says 70%, this says two thirds",
        ),
        (
            "Launch in 3 new markets.",
            "Launch in 4 new markets.",
            "the source says 3 new markets, this says 4 new markets",
        ),
        ("Ship in Q3.", "Ship in Q4 2027.", "the source says Q3, this says Q4 2027"),
        (
            "Month-end close 3x faster.",
            "Month-end close twice as fast.",
            "the source says 3x, this says twice",
        ),
        (
            "By 2028, median close goes from 9 days to 3.",
            "By 2028 we close in two weeks.",
            "the source says 9 days, this says two weeks",
        ),
    ],
)
def test_a_different_number_for_the_same_thing_conflicts(source, restatement, reason):
    assert [c.reason for c in conflicts(source, restatement)] == [reason]


@pytest.mark.parametrize(
    ("source", "restatement"),
    [
        ("Close in three weeks.", "Close in 3 weeks."),
        ("70 percent of invoices touchless.", "70% of invoices touchless."),
        ("70 per cent of invoices touchless.", "70% of invoices touchless."),
        ("Answer within two days.", "Answer in under 2 days."),
        ("At least 70% of invoices touchless.", "70% of invoices touchless."),
        ("About 70% of invoices touchless.", "Two thirds of invoices touchless."),
        ("Two thirds of invoices touchless.", "66% of invoices touchless."),
        ("Half of customers pay online.", "50% of customers pay online."),
        ("10 business days to onboard.", "Two weeks to onboard."),
        ("3 business days to onboard.", "3 days to onboard."),
        ("A $2M budget.", "A budget of 2 million dollars."),
        ("Live by the end of 2027.", "Live by 2028."),
        ("Live in Q4 2026.", "Live in H2 2026."),
        ("Live in 2028.", "Live in Q3 2028."),
        ("Median close goes from 9 days to 3.", "Close in three days."),
        ("1,000 suppliers onboarded.", "About 1,049 suppliers onboarded."),
    ],
)
def test_the_same_number_written_another_way_does_not_conflict(source, restatement):
    assert conflicts(source, restatement) == []


@pytest.mark.parametrize(
    ("source", "restatement"),
    [
        ("Close the books in 3 days.", "Close the books faster."),
        ("30% of customers pay through Larkspur.", "More customers pay through Larkspur."),
        ("By 2028 every invoice is touchless.", "Every invoice is touchless."),
    ],
)
def test_a_restatement_without_a_number_does_not_conflict(source, restatement):
    assert conflicts(source, restatement) == []


@pytest.mark.parametrize(
    ("source", "restatement"),
    [
        ("Sync failures below 0.5%.", "Half of customers paying."),
        ("30% of customers pay by card.", "50% fewer errors."),
        ("Grow to 3 teams.", "Grow to 5 markets."),
        ("Serve $2M in invoices.", "Serve €3M in invoices."),  # no exchange rates
    ],
)
def test_numbers_about_different_things_do_not_conflict(source, restatement):
    assert conflicts(source, restatement) == []


def test_with_several_numbers_only_the_one_about_the_same_thing_is_compared():
    source = "30% of customers paying through Larkspur, sync failures below 0.5%"
    (found,) = conflicts(source, "half of customers paying")
    assert (found.source.text, found.restated.text) == ("30%", "half")
    assert found.reason == "the source says 30%, this says half"


def test_a_source_number_given_right_is_not_contradicted_by_an_added_one():
    source = "Acme pledged at least $3 million."
    restatement = "Acme pledged at least $3 million of more than $5 million needed."
    assert conflicts(source, restatement) == []


# Restatements a person might write of each source, numbers kept: none may raise an alarm.
SAME_MEANING = [
    (
        "By 2028, median month-end close for mid-market controllers goes from 9 days to 3.",
        "Within a few years, mid-market controllers close the month in three days, down from nine.",
    ),
    (
        "By 2028, 70% of supplier invoices are paid without anyone retyping them.",
        "Seventy percent of invoices paid touchless by 2028.",
    ),
    (
        "30% of customers paying through Larkspur, sync failures below 0.5%.",
        "Nearly a third of customers pay via Larkspur and under 0.5 percent of syncs fail.",
    ),
    ("Go live with the bank feeds in Q3 2027.", "Bank feeds go live in the third quarter of 2027."),
    ("Cut onboarding from 6 weeks to 10 business days.", "Onboarding drops to two weeks."),
    ("Grow net revenue retention to 115% by end of 2027.", "NRR at 115 percent by 2028."),
    ("A $2.5M budget for the first year.", "We have 2.5 million dollars to spend in year one."),
    ("Answer 95% of tickets within 4 hours.", "95 per cent of tickets get an answer in 4 hours."),
    ("Expand to 12 markets in H2 2026.", "A dozen markets in the second half of 2026."),
    ("Make month-end 3x faster.", "Month-end becomes three times faster."),
    ("Halve the number of manual journal entries.", "Cut manual journal entries by 50%."),
    ("Reach 10,000 paying customers by 2029.", "10k paying customers by 2029."),
    ("Our #1 goal for 2027: zero missed payroll runs.", "Top goal in 2027 is no missed payroll."),
    ("Phase 2 ships in March 2027.", "The second phase ships in March 2027."),
    ("Close in under 2 days, at least 99% accuracy.", "Books closed within two days, 99% right."),
]


@pytest.mark.parametrize(("source", "restatement"), SAME_MEANING)
def test_restatements_that_keep_the_numbers_raise_no_false_alarm(source, restatement):
    assert conflicts(source, restatement) == []
    assert conflicts(restatement, source) == []


def test_a_window_named_in_words_is_one_unit_of_time():
    from truenorth.analysis.quantities import conflicts

    assert [q.value for q in extract("Anyone who logged in this week.")] == [7.0]
    assert conflicts("Anyone who logged in this week.", "Anyone who logged in this month.")
    assert conflicts("Logged in in the last 30 days.", "Logged in in the last week.")
    assert not conflicts("Logged in within the last 7 days.", "Logged in during the past week.")
    assert [q.kind for q in extract("in the last quarter of 2027")] == ["date"]
