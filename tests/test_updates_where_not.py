"""The executives' update says where the vision is not understood and what to do, from the
check-in's published results; no other version changes, and a published update stays as it was."""

import copy

import pytest

from truenorth.analysis.report import headlines
from truenorth.updates import actions, audiences
from truenorth.updates.models import Audience

FURTHEST = (
    "Furthest from the vision: Sales and the Sales team — Reads it alike, but not as the vision "
    "says: understand the vision 9 / 100."
)
ACT = "Hold a back-brief with Sales and the Sales team on the vision"
CONTRADICTING = "Answers contradicting a part: “where we are going” 11%, most in Sales"


@pytest.fixture
def q4_draft(analysed_demo):
    """A new draft over the published update's period, which the Q4 pulse closed in."""
    published = analysed_demo.updates.get(number=1)
    return actions.open_draft(analysed_demo, published.period_start, published.period_end)


def section(found, heading: str) -> list[str]:
    lines = next(s for s in found.sections if s.heading == heading).lines
    return [f"{line.text} {line.note}".strip() for line in lines]


def test_the_executives_read_where_not_and_what_to_do(db, analysed_demo, q4_draft):
    lines = section(audiences.version(q4_draft, Audience.EXECUTIVES), "Alignment check-in")
    said = "\n".join(lines)
    # The share itself moves with the CPU's int8 arithmetic (docs/analysis.md): it is the
    # published report's, read in words.
    report = analysed_demo.checkins.order_by("-opens_at").first().report
    faux = round(100 * headlines(report.data)["quadrant.faux_alignment"])
    assert (
        f"Agree without understanding: {faux}% — lower is better. People who agree with the "
        "direction but understood something else (faux alignment)." in lines
    )
    assert FURTHEST in lines
    assert f"{ACT}: hear it in their own words, then talk through where it differs." in lines
    assert CONTRADICTING in said
    # Under the check-in's figures, in the results a member may not read.
    found = audiences.without_results(audiences.version(q4_draft, Audience.EXECUTIVES))
    assert ACT not in audiences.markdown(found)


@pytest.mark.parametrize("audience", [a for a in Audience if a != Audience.EXECUTIVES])
def test_no_other_version_changes(db, q4_draft, audience):
    without = copy.deepcopy(q4_draft.facts)
    for checkin in without["checkins"]:
        del checkin["where_not"]
    before = copy.copy(q4_draft)
    before.facts = without
    now = audiences.markdown(audiences.version(q4_draft, audience))
    assert now == audiences.markdown(audiences.version(before, audience))
    assert ACT not in now and "Furthest from the vision" not in now


def test_a_published_update_reads_as_it_was_published(db, analysed_demo, q4_draft):
    """Facts gathered before they carried where the vision is not understood give no such line."""
    q4_draft.facts = copy.deepcopy(q4_draft.facts)
    for checkin in q4_draft.facts["checkins"]:
        checkin.pop("where_not")
    lines = section(audiences.version(q4_draft, Audience.EXECUTIVES), "Alignment check-in")
    assert lines and not any("Furthest" in line or "back-brief" in line for line in lines)


def test_the_demos_executives_page_says_it_and_the_partners_page_does_not(
    db, demo_client, analysed_demo
):
    client = demo_client(analysed_demo, "viewer")
    executives = client.get(f"/w/{analysed_demo.slug}/updates/1/executives.md").content.decode()
    partners = client.get(f"/w/{analysed_demo.slug}/updates/1/partners.md").content.decode()
    assert ACT in executives and FURTHEST in executives
    assert "Sales" not in partners and "back-brief" not in partners
