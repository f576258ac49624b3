"""The relation of a restatement to its source, and fidelity part by part, with the real model."""

import pytest

from truenorth.analysis import fidelity, relation

VISION_PARTS = {
    "destination": (
        "By 2028 every supplier invoice goes from inbox to paid without anyone retyping it or "
        "chasing an approver."
    ),
    "measures_of_progress": "Touchless rate; median days to approval; share of failed postings.",
    "user_benefit": (
        "AP specialists at mid-market companies: they stop retyping invoices and close the month "
        "days sooner."
    ),
    "business_outcome": "Net revenue retention above 115% from mid-market accounts.",
    "horizon": "End of 2028",
}


def relate(embedder, source: str, restated: str) -> relation.Relation:
    vectors = embedder.encode([restated, source])
    return relation.relations(vectors[:1], vectors[1:], [restated], [source])[0]


def read(embedder, answer: str) -> fidelity.Reading:
    return fidelity.read(answer, VISION_PARTS, embedder.encode)


def test_a_different_number_contradicts_whatever_the_model_says(embedder):
    found = relate(embedder, "Close the books in 3 days", "We close the books in 3 weeks")
    assert found.name == "contradicts"
    assert "3 days" in found.reason and "3 weeks" in found.reason
    assert found.score > relation.CONVEYS  # the model alone would call it the same


@pytest.mark.parametrize(
    ("source", "restated", "expected"),
    [
        ("A man is playing a guitar.", "A man is not playing a guitar.", "contradicts"),
        ("A man is playing a guitar.", "A man plays the guitar.", "conveys"),
        ("A man is playing a guitar.", "The stock market fell sharply today.", "unrelated"),
    ],
)
def test_the_classifier_tells_contradiction_from_paraphrase(embedder, source, restated, expected):
    assert relate(embedder, source, restated).name == expected


def test_a_faithful_restatement_of_one_part_reads_as_understanding(embedder):
    answer = "Invoices should get from the inbox to paid with nobody retyping them."
    reading = read(embedder, answer)
    assert reading.fidelity >= fidelity.UNDERSTANDS
    assert reading.parts["destination"].name in ("conveys", "partly")
    assert reading.parts["business_outcome"].name == "unrelated"  # a part it misses
    # Why "conveys" is read from the score: the classifier, trained on picture captions, does
    # not see the entailment.
    assert reading.parts["destination"].p_entailment < 0.5


def test_an_off_topic_restatement_does_not(embedder):
    reading = read(embedder, "Win every enterprise deal by connecting to every ERP there is.")
    assert reading.fidelity < fidelity.UNDERSTANDS
    assert reading.relation != "conveys"


def test_a_restatement_with_another_horizon_contradicts_it(embedder):
    reading = read(embedder, "By 2030 every invoice goes from inbox to paid with no retyping.")
    assert reading.relation == "contradicts"
    assert reading.fidelity < fidelity.UNDERSTANDS


def test_clauses_split_on_sentences_and_joining_words():
    text = "Invoices go from inbox to paid, and the team stays small. No retyping!"
    assert fidelity.pieces(text) == [
        "Invoices go from inbox to paid",
        "and the team stays small.",
        "No retyping!",
        text,
    ]
    assert fidelity.pieces("One clause only") == ["One clause only"]
