"""The executives' update says where the vision is not understood and what to do, from the
check-in's published results; no other version changes, and a published update stays as it was.
A function and a team that are the same people are named once, and no group is named as where
most contradict a part on one answer."""

import copy

import pytest
from django.utils import timezone

from truenorth.analysis.report import headlines
from truenorth.checkins.models import CheckIn, Response
from truenorth.updates import actions, audiences, facts
from truenorth.updates.models import Audience

# The demo's Sales function and Sales team are the same five people: named once.
FURTHEST = (
    "Furthest from the vision: Sales — Reads it alike, but not as the vision says: understand "
    "the vision 9 / 100."
)
ACT = "Hold a back-brief with Sales on the vision"
CONTRADICTING = "Answers contradicting a part: “where we are going” 11%, most in Sales ("


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
    assert "the Sales team" not in said
    # One answer of the Workflow team's five contradicts the statement: no "most in" of it.
    assert "Workflow" not in said
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


def part_figures(n: int, contradicts: float, fidelity: float = 60.0) -> dict:
    return {
        "n": n,
        "fidelity": fidelity,
        "coherence": 40.0,
        "part_coverage": {"destination": {"contradicts": contradicts}},
    }


def vision(functions: dict, teams: dict, overall: float = 0.2) -> dict:
    """A report's vision question: its functions' and teams' figures, by name."""
    return {
        "role": "vision",
        "parts": [{"key": "destination", "label": "where we are going"}],
        "part_coverage": {"destination": {"contradicts": overall}},
        "by": {
            "function": {"groups": [{"name": k, **v} for k, v in functions.items()]},
            "team": {"groups": [{"name": k, **v} for k, v in teams.items()]},
        },
    }


def test_a_function_and_a_team_of_the_same_people_are_named_once():
    sales = part_figures(5, 0.8, fidelity=9.0)
    question = vision({"sales": sales}, {"Sales": sales, "Inbound": part_figures(6, 0)})
    same = {("sales", "Sales")}
    [furthest, act] = facts.furthest_group(question, same)
    assert furthest["text"].startswith("Furthest from the vision: Sales — ")
    assert act["text"].startswith("Hold a back-brief with Sales on the vision")
    said, named = facts.contradicted_parts(question, same)
    assert said == "Answers contradicting a part: “where we are going” 20%, most in Sales (80%)."
    assert named
    # Not the same people, or a team of another name: each is said.
    apart, _ = facts.contradicted_parts(question, set())
    assert "most in Sales and the Sales team (80%)" in apart
    renamed = vision({"sales": sales}, {"Inbound": sales})
    [furthest, _] = facts.furthest_group(renamed, {("sales", "Inbound")})
    assert furthest["text"].startswith("Furthest from the vision: Sales (the Inbound team) — ")


def test_no_group_is_named_as_where_most_contradict_on_one_answer():
    one = part_figures(5, 0.2)  # one answer of five
    question = vision({"engineering": part_figures(13, 0.077)}, {"Workflow": one}, overall=0.029)
    said, named = facts.contradicted_parts(question, set())
    assert said == "Answers contradicting a part: “where we are going” 3%."
    # A sentence that names no group holds whole-check-in figures only, which a raised
    # threshold keeps (audiences.as_shown_now).
    assert not named
    two = vision({}, {"Workflow": part_figures(10, 0.2)}, overall=0.06)
    assert facts.contradicted_parts(two, set()) == (
        "Answers contradicting a part: “where we are going” 6%, most in the Workflow team (20%).",
        True,
    )


def test_the_same_people_are_told_from_the_answers_functions_and_teams(db, workspace):
    now = timezone.now()
    checkin = CheckIn.objects.create(
        workspace=workspace, title="Pulse", opens_at=now, closes_at=now
    )
    answered = [("sales", "Sales")] * 3 + [("engineering", "Platform")] * 2
    answered += [("engineering", ""), ("design", "Workflow"), ("product", "Workflow")]
    for function, team in answered:
        Response.objects.create(checkin=checkin, function=function, team=team)
    # Engineering answered outside Platform too; Workflow holds two functions.
    assert facts.same_people(checkin) == {("sales", "Sales")}
