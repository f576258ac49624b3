"""Functional or psychological value (truenorth/analysis/value.py) with the real model.

None of the texts below is in benchmarks/data/value_needs.csv (the first test checks), so none is
among the examples the words model is trained on."""

import csv
import tomllib
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

import pytest

from truenorth.analysis import value
from truenorth.analysis.embed import get_embedder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "value_needs.csv"

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
# Worded as goals and theme labels are, not as the labelled set's customers write: the words
# model learnt that writer's habits, so these check the suggestion carries past them.
LABELS = {
    "functional": [
        "Import contacts in bulk from a CSV file.",
        "Two-factor login by SMS.",
        "Faster page loads on the reports screen.",
    ],
    "psychological": [
        "Customers feel confident their payroll data is safe with us.",
        "Teachers trust that the grades they enter are never lost.",
        "Users feel respected, not sold to.",
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
    written = {MIXED, *(t for said in (CLEAR, LABELS) for kind in value.KINDS for t in said[kind])}
    assert not texts & written
    prototypes = {text for kind in value.KINDS for text in value.PROTOTYPES[kind]}
    assert not texts & prototypes, "prototypes are written from the definitions, not the rows"


def test_the_shipped_examples_are_the_dev_half_and_no_test_row(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    from theme_quality import half  # the split every labelled set uses

    with DATA.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    dev = sorted((row["text"], row["label"]) for row in rows if half(row["text"]) == "dev")
    texts, labels = value.examples()
    assert sorted(zip(texts, labels, strict=True)) == dev
    assert all(half(text) == "dev" for text in texts)


def test_the_package_ships_the_examples():
    with (ROOT / "pyproject.toml").open("rb") as stream:
        patterns = tomllib.load(stream)["tool"]["setuptools"]["package-data"]["truenorth"]
    shipped = value.EXAMPLES.relative_to(ROOT / "truenorth").as_posix()
    assert any(fnmatch(shipped, pattern) for pattern in patterns)


@pytest.mark.parametrize("kind", value.KINDS)
def test_it_tags_clear_needs_of_each_kind(embedder, kind):
    found = value.classify(CLEAR[kind], embedder)
    assert [f.kind for f in found] == [kind] * len(CLEAR[kind])
    assert all(f.confidence >= value.UNSURE and f.leaning == kind for f in found)


@pytest.mark.parametrize("kind", value.KINDS)
def test_it_tags_goals_and_theme_labels_by_the_prototypes_alone(embedder, kind):
    found = value.classify(LABELS[kind], embedder, needs=False)
    assert [f.kind for f in found] == [kind] * len(LABELS[kind])


def test_the_texts_add_the_words_model_to_the_prototypes(embedder):
    texts = [*CLEAR["functional"], *CLEAR["psychological"], MIXED]
    vectors = embedder.encode(texts)
    alone = value.classify_vectors(vectors, embedder)
    both = value.classify_vectors(vectors, embedder, texts)
    assert both == value.classify(texts, embedder)
    words = value.words_model()(texts)
    for a, b, w in zip(alone, both, words, strict=True):
        p_alone = a.confidence if a.leaning == value.PSYCHOLOGICAL else 1 - a.confidence
        p_both = b.confidence if b.leaning == value.PSYCHOLOGICAL else 1 - b.confidence
        assert p_both == pytest.approx((p_alone + w) / 2)
    with pytest.raises(ValueError):
        value.classify_vectors(vectors, embedder, texts[:-1])


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
