"""Functional or psychological value (truenorth/analysis/value.py) with the real model.

None of the texts below is in benchmarks/data/value_needs.csv (the first test checks)."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from truenorth.analysis import value
from truenorth.analysis.embed import get_embedder

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "value_needs.csv"

CLEAR = {
    "functional": [
        "Add a bulk delete button to the invoice list.",
        "Export the monthly report as an Excel file.",
        "The mobile app crashes when I upload a photo of a receipt.",
        "Connect the calendar to Google Workspace so meetings sync both ways.",
    ],
    "psychological": [
        "I want to feel safe leaving my kids at home with the alarm on.",
        "I need to stop worrying every night that the backup did not run.",
        "Being thanked by name by my manager makes me feel valued.",
    ],
}
# Half a capability, half a feeling: neither kind should be suggested with confidence.
MIXED = "A faster sync would save time and make me calmer."


@pytest.fixture(scope="module")
def embedder():
    return get_embedder()


def test_the_labelled_set_is_as_its_notes_say_and_holds_none_of_these_texts():
    with DATA.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert Counter(row["label"] for row in rows) == {"functional": 165, "psychological": 124}
    texts = {row["text"] for row in rows}
    assert not texts & {MIXED, *CLEAR["functional"], *CLEAR["psychological"]}
    prototypes = {text for kind in value.KINDS for text in value.PROTOTYPES[kind]}
    assert not texts & prototypes, "prototypes are written from the definitions, not the rows"


@pytest.mark.parametrize("kind", value.KINDS)
def test_it_tags_clear_needs_of_each_kind(embedder, kind):
    found = value.classify(CLEAR[kind], embedder)
    assert [f.kind for f in found] == [kind] * len(CLEAR[kind])
    assert all(f.confidence >= value.UNSURE and f.leaning == kind for f in found)


def test_it_is_unsure_of_a_need_that_is_half_capability_half_feeling(embedder):
    mixed, *clear = value.classify([MIXED, *CLEAR["functional"], *CLEAR["psychological"]], embedder)
    assert mixed.kind == value.UNSURE_KIND
    assert mixed.leaning in value.KINDS
    assert 0.5 <= mixed.confidence < value.UNSURE
    assert mixed.confidence < min(f.confidence for f in clear)


def test_it_keeps_the_order_and_length_of_what_it_is_given(embedder):
    texts = [CLEAR["psychological"][0], "   ", CLEAR["functional"][0]]
    found = value.classify(texts, embedder)
    assert [f.kind for f in found] == ["psychological", value.UNSURE_KIND, "functional"]


def test_nothing_in_gives_nothing_out(embedder):
    assert value.classify([], embedder) == []
    assert value.classify_vectors(embedder.encode([]), embedder) == []
