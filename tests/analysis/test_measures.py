"""The registry of measures: plain names, one format per unit, colours that know whether up is
good, and bands that follow the analysis' own cuts."""

from pathlib import Path

import pytest

from truenorth.analysis import cluster, divergence, measures, quadrant, relation
from truenorth.analysis.report import headlines


def test_the_understanding_band_is_the_quadrants_cut():
    band = measures.measure("vision.fidelity").band
    assert (band.good, band.fair) == (relation.CONVEYS, relation.SHARES_DETAILS)
    # Good starts exactly where a restatement starts to count as understanding.
    assert quadrant.place(band.good, 5) == quadrant.ALIGNED
    assert quadrant.place(band.good - 0.5, 5) == quadrant.FAUX_ALIGNMENT


def test_a_new_calibration_moves_the_bands(monkeypatch):
    monkeypatch.setattr(relation, "CONVEYS", 62.0)
    monkeypatch.setattr(relation, "SHARES_DETAILS", 40.0)
    monkeypatch.setattr(cluster, "SAME_READING", 57.0)
    assert measures.measure("vision.fidelity").band.good == 62.0
    assert (
        measures.in_words("vision.fidelity", 58) == "58 / 100 — partly shared; good is 62 or more"
    )
    assert measures.measure("team.vision_coherence").band.good == 57.0
    assert measures.measure("vision.coherence").band.fair == 40.0


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("vision.fidelity", 46.3, "46 / 100 — partly shared; good is 60 or more"),
        ("vision.fidelity", 71, "71 / 100 — shared; good is 60 or more"),
        ("vision.fidelity", 20, "20 / 100 — not shared; good is 60 or more"),
        ("vision.coherence", 52, "52 / 100 — mostly one reading; good is 50 or more"),
        ("vision.coherence", 34.5, "35 / 100 — readings share details; good is 50 or more"),
        (
            "line_of_sight.linked",
            47.1,
            "47% — higher is better; no healthy range has been measured for it, so none is given",
        ),
        ("quadrant.confused", 12.6, "13% — lower is better"),
        ("quadrant.informed_dissent", 10, "10%"),
        (
            "priorities.ranking_agreement",
            -0.471,
            "−0.47 — higher is better; no healthy range has been measured for it, so none is given",
        ),
        (
            "priorities.names_top_goal",
            42.9,
            "43% — higher is better; no healthy range has been measured for it, so none is given",
        ),
        (
            "direction.agree",
            57.1,
            "57% — higher is better; no healthy range has been measured for it, so none is given",
        ),
        (
            "vision.effective_interpretations",
            12.34,
            "12.3 — lower is better; 1 is one reading shared by all; no healthy range has been "
            "measured for it, so none is given",
        ),
    ],
)
def test_each_measure_reads_as_a_sentence(key, value, words):
    assert measures.in_words(key, value) == words


@pytest.mark.parametrize(
    "key, value, answers, words",
    [
        (
            "vision.effective_interpretations",
            7.0,
            7,
            "7.0 among 7 answers: each answer a reading of its own — lower is better; 1 is one "
            "reading shared by all; no healthy range has been measured for it, so none is given",
        ),
        # 6.96 shows as 7.0: judged as shown, as a band is
        ("open.effective_interpretations", 6.96, 7, "7.0 among 7 answers: each answer a reading"),
        (
            "vision.effective_interpretations",
            2.34,
            35,
            "2.3 among 35 answers (35 would be each answer a reading of its own) — lower is better",
        ),
    ],
)
def test_distinct_readings_are_read_against_the_number_of_answers(key, value, answers, words):
    """ "7.0 — lower is better" did not say that 7 among 7 answers is everyone apart."""
    assert measures.in_words(key, value, answers).startswith(words)


def test_how_alike_people_say_why_their_work_matters_is_shown_but_not_judged():
    """Different work has different reasons: low likeness there is no misalignment, and a page
    says what counts instead."""
    for key in ("purpose.coherence", "purpose.effective_interpretations"):
        assert measures.measure(key).band is None and measures.verdict(key, 20) == ""
        assert "no target" in measures.in_words(key, 13)
    assert measures.in_words("purpose.coherence", 13).startswith("13 / 100 — no target")
    assert "People who see how their work serves a goal" in measures.in_words(
        "purpose.coherence", 13
    )
    assert measures.verdict("open.coherence", 20) == "better"  # a decision heard alike is good


def test_changes_are_judged_by_whether_up_is_good():
    assert measures.verdict("quadrant.confused", -32.6) == "better"
    assert measures.verdict("quadrant.faux_alignment", 7.7) == "worse"
    assert measures.verdict("line_of_sight.linked", -5) == "worse"
    assert measures.verdict("vision.fidelity", 3) == "better"
    assert measures.verdict("quadrant.informed_dissent", 5) == ""  # neither way is better
    assert measures.verdict("vision.fidelity", 0.3) == ""  # shows as no change
    assert measures.shown_change("quadrant.confused", -32.6) == "−33 pts"
    assert measures.shown_change("vision.fidelity", 4.4) == "+4"
    assert measures.shown_change("vision.fidelity", 0.2) == "no change"


def test_every_headline_of_a_report_has_a_plain_name():
    report = {
        "questions": [
            {"role": role, "fidelity": 50, "coherence": 40, "effective_interpretations": 2.0}
            for role in ("vision", "priorities", "purpose")
        ],
        "priorities": {"names_top_goal": 0.5, "ranking_agreement": 0.2},
        "line_of_sight": {"linked": 0.4},
        "direction": {"agree": 0.6},
        "quadrant": {"counts": dict.fromkeys(quadrant.PLACES, 3)},
    }
    for key in headlines(report):
        name = measures.measure(key).name
        assert "." not in name and "_" not in name, key
        assert measures.measure(key).meaning, key
    assert all(k in measures.MEASURES for k in headlines(report) if k.startswith(("vision", "q")))


def test_a_fraction_never_reaches_a_page():
    assert (
        measures.shown("line_of_sight.linked", measures.report_value("line_of_sight.linked", 0.471))
        == "47%"
    )
    assert (
        measures.shown("vision.fidelity", measures.report_value("vision.fidelity", 46.3))
        == "46 / 100"
    )


def test_the_docs_list_every_measure():
    docs = (Path(__file__).parents[2] / "docs" / "measures.md").read_text()
    for m in measures.MEASURES.values():
        assert f"| {m.name} | `{m.key}` |" in docs, m.key
    # The glossary's cut is fitted by a benchmark and moves with it; the docs must follow.
    glossary = [
        line for line in docs.splitlines() if "`glossary." in line and "differently" in line
    ]
    assert glossary and all(f"{divergence.READS_DIFFERENTLY:g}" in line for line in glossary)


def test_orphan_work_is_judged_by_the_orphan_work_pages_rule_of_thumb():
    """The orphan work page drew 69% red; the registry said "no band" and called it only "lower
    is better", so the dashboard showed the same 69% as a green improvement."""
    band = measures.measure("work.orphans").band
    assert (band.good, band.fair) == (measures.ORPHANS_GOOD, measures.ORPHANS_BAD)
    assert band.lower_is_better and band.rule_of_thumb
    assert [band.level(v) for v in (10, 15, 32, 33, 69)] == ["good", "fair", "fair", "poor", "poor"]
    assert measures.in_words("work.orphans", 69) == (
        "69% — high: the goals steer little of the work; good is under 15%, a rule of thumb"
    )


def test_a_change_for_the_better_that_leaves_the_value_poor_says_so():
    assert measures.verdict_words("work.orphans", 69, -7) == "better, still high"
    assert measures.verdict_words("work.orphans", 20, -7) == "better"
    assert measures.verdict_words("work.orphans", 69, 7) == "worse"
    assert measures.verdict_words("vision.fidelity", 20, 5) == "better, still low"
    assert measures.verdict_words("quadrant.faux_alignment", 40, -6) == "better"  # no band


def test_the_scale_and_the_band_words_are_said_from_one_place():
    """The page's "Scores run 0–100" sentence names each band by the words shown beside a score,
    and where it falls on the scale: 50, where two readings become one, lies between "different
    but sharing details" (40) and "roughly the same" (60), so it is "mostly one reading"."""
    said = measures.scale_in_words()
    assert said.startswith("Scores run 0–100: 100 = the same meaning, 80 = the same with details")
    assert "60 = roughly the same with important parts differing" in said
    band = measures.alike_band()
    assert (
        f"Reading alike: {band.good:g} or more {band.good_words}, {band.fair:g}–{band.good:g} "
        f"{band.fair_words}, under {band.fair:g} {band.poor_words}."
    ) in said
    assert band.good_words == "mostly one reading"
