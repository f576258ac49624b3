"""Back-briefs of a decision read part by part, and repeated questions, with the real model."""

from truenorth.analysis import decision_reading as reading
from truenorth.analysis.decision_reading import Earlier

PARTS = reading.decision_parts(
    "We are moving our payment processing from the old vendor to the new vendor by the end of June.",
    "The old vendor charges twice the fees, and its outages left supplier payouts failing for "
    "three days last quarter.",
)


def read(embedder, *answers: str) -> list[reading.Reading]:
    return reading.read_back_briefs(list(answers), PARTS, embedder.encode)


def test_a_faithful_restatement_conveys_what_and_why(embedder):
    (found,) = read(
        embedder,
        "We're moving payments to the new vendor by June. The old one costs twice as much and "
        "had outages that broke payouts.",
    )
    assert found.parts["outcome"].name == "conveys"
    assert found.parts["rationale"].name == "conveys"
    assert not found.contradicts


def test_the_decision_without_the_reason_conveys_only_the_first_part(embedder):
    (found,) = read(embedder, "We are moving payment processing to the new vendor.")
    assert found.parts["outcome"].name == "conveys"
    assert found.parts["rationale"].name in ("partly", "unrelated")


def test_another_reason_misses_the_rationale(embedder):
    (found,) = read(embedder, "We are moving to the new vendor because sales wanted a known brand.")
    assert found.parts["rationale"].name == "unrelated"
    assert not found.contradicts


def test_a_reversed_decision_is_flagged_contradicting(embedder):
    kept, not_moving = read(
        embedder,
        "We are keeping the old vendor for payments.",
        "We are not moving to the new vendor.",
    )
    for found in (kept, not_moving):
        assert found.contradicts and found.relation == "contradicts"
        assert found.parts["outcome"].reason == "the decision changes it, this keeps it"
        assert found.fidelity == 0.0


def test_the_stance_rule_reads_negation_and_reasons():
    assert reading.stance("We are moving to the new vendor") == 1
    assert reading.stance("We are not moving to the new vendor") == -1
    assert reading.stance("We keep the old vendor") == -1
    assert reading.stance("Payments go through the new vendor") == 0
    assert reading.stance_clauses("We stay with the old vendor because switching is risky")[-1] == (
        "We stay with the old vendor"
    )


def test_the_summary_shows_shares_and_quotes_only_from_the_threshold_on(embedder):
    answers = [
        "We're moving payments to the new vendor by June. The old one costs twice as much.",
        "We are moving payment processing to the new vendor.",
        "We are keeping the old vendor for payments.",
    ]
    found = read(embedder, *answers)
    assert reading.summarise(found[:2], PARTS, threshold=3) == {
        "n": 2,
        "threshold": 3,
        "suppressed": True,
    }
    shown = reading.summarise(found, PARTS, threshold=3)
    outcome = shown["parts"][0]
    assert outcome["key"] == "outcome" and outcome["label"] == "what was decided"
    assert outcome["conveys"] == round(2 / 3, 3) and outcome["contradicts"] == round(1 / 3, 3)
    assert shown["contradicting"] == [
        {"quote": answers[2], "reason": "the decision changes it, this keeps it"}
    ]
    assert "name" not in str(shown)


def test_a_question_raised_again_in_other_words_is_found(embedder):
    earlier = [
        Earlier(12, "Should we move payment processing to a new vendor?"),
        Earlier(13, "Which ERP systems should our connectors support this year?"),
        Earlier(14, "How should we price payment processing for enterprise customers?"),
    ]
    found = reading.repeated(
        "Should we switch to a new vendor for payment processing?", earlier, embedder.encode
    )
    assert [e.id for e, _ in found] == [12]
    assert reading.repeated("Should we hire a second designer?", earlier, embedder.encode) == []


def test_a_back_brief_check_ins_report_reads_reversals_as_the_decision_page_does(embedder):
    """The decision page read "we are keeping the old vendor" as contradicting the decision,
    while the back-brief check-in's report of the same answers counted it as conveying it."""
    from truenorth.analysis.report import Question, Respondent, analyze_checkin

    answers = [
        "We're moving payments to the new vendor by June; the old one costs twice as much.",
        "Payments move to the new vendor in June because of the fees and the outages.",
        "We switch payment processing to the new vendor by the end of June.",
        "We are keeping the old vendor for payments; the new one is not ready.",
        "We decided not to move payments to the new vendor, because of the cost.",
        "We are staying with the old payment vendor.",
    ]
    people = [Respondent(f"p{i}", {"function": "engineering", "team": "A"}) for i in range(6)]
    question = Question(
        "q1",
        reading.QUESTION,
        "open",
        reading.summary_of(PARTS),
        {f"p{i}": text for i, text in enumerate(answers)},
        PARTS,
    )
    report = analyze_checkin(people, [question], [], {}, 5, embedder)
    on_the_page = reading.summarise(read(embedder, *answers), PARTS, 5)
    outcome = next(p for p in on_the_page["parts"] if p["key"] == "outcome")
    in_the_report = report["questions"][0]["part_coverage"]["outcome"]
    assert outcome["contradicts"] >= 0.5
    assert in_the_report["contradicts"] == outcome["contradicts"]
    assert in_the_report["conveys"] == outcome["conveys"]
    assert report["questions"][0]["fidelity"] == on_the_page["fidelity"]


OCR = reading.decision_parts(
    "We are moving invoice OCR from Scanly to Docuread by March.",
    "Docuread reads handwritten totals, which Scanly misses.",
)
SWAPPED = [
    "We are moving invoice OCR from Docuread to Scanly by March.",
    "We replace Docuread with Scanly for invoice OCR.",
    "Docuread is replaced by Scanly for invoice OCR.",
    "Scanly replaces Docuread for OCR.",
    "We use Scanly instead of Docuread for invoice OCR.",
    "Invoice OCR moves to Scanly in March.",
]
FAITHFUL = [
    "We are moving the invoice OCR from scanly to the Docuread service in March.",
    "OCR goes to Docuread, leaving Scanly.",
    "Docuread replaces Scanly for OCR.",
    "We replace Scanly with Docuread by March.",
    "Scanly is replaced by Docuread for invoice OCR.",
    "Invoice OCR moves to Docuread instead of Scanly.",
    "We switched OCR vendors for invoices: Docuread it is.",
]


def test_a_restatement_that_moves_it_the_other_way_contradicts(embedder):
    """The decision page read "from Docuread to Scanly" as conveying "from Scanly to Docuread"."""
    found = reading.read_back_briefs(SWAPPED, OCR, embedder.encode)
    assert [f.contradicts for f in found] == [True] * len(SWAPPED)
    assert found[0].parts["outcome"].reason == (
        "the decision moves it from Scanly to Docuread, this from Docuread to Scanly"
    )
    assert found[0].fidelity == 0.0


def test_the_other_direction_is_read_alike(embedder):
    back = reading.decision_parts(
        "We are moving invoice OCR from Docuread to Scanly by March.", "Scanly is cheaper."
    )
    swapped, same = reading.read_back_briefs(
        ["Invoice OCR goes from Scanly to Docuread.", "Invoice OCR goes from Docuread to Scanly."],
        back,
        embedder.encode,
    )
    assert swapped.contradicts and not same.contradicts


def test_a_faithful_restatement_of_a_move_in_other_words_is_not_flagged(embedder):
    found = reading.read_back_briefs(FAITHFUL, OCR, embedder.encode)
    assert [f.contradicts for f in found] == [False] * len(FAITHFUL)


def test_the_ends_of_a_move_are_matched_loosely():
    assert reading.moves("We are moving invoice OCR from the Scanly app to Docuread by March") == (
        "the Scanly app",
        "Docuread",
    )
    assert reading.moves("Docuread is replaced by Scanly for invoice OCR") == ("Docuread", "Scanly")
    assert reading.moves("We are hiring two engineers") is None
    statement = "We are moving invoice OCR from Scanly to Docuread by March"
    assert reading.swapped(statement, "OCR moves from the docuread tool back to scanly")
    assert not reading.swapped(statement, "We are not moving OCR from Docuread to Scanly")


def test_the_page_counts_answers_that_swap_the_direction_as_contradicting(embedder):
    answers = [*FAITHFUL[:6], *SWAPPED[:4]]
    shown = reading.summarise(reading.read_back_briefs(answers, OCR, embedder.encode), OCR, 5)
    outcome = next(p for p in shown["parts"] if p["key"] == "outcome")
    assert outcome["contradicts"] == 0.4
    assert len(shown["contradicting"]) == 4
