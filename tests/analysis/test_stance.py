"""The comment classifier (question / objection / support) with the real model, and its data.

None of the comments below is in benchmarks/data/decision_comments.csv."""

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from truenorth.analysis import stance

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks" / "data" / "decision_comments.csv"

CLEAR = {
    "question": "I don't understand which regions the new data retention rule applies to.",
    "objection": "This is a mistake: cutting the partner programme will cost us our best leads.",
    "support": "Agreed, consolidating on one analytics vendor is the right call.",
}


def test_labelled_set_is_large_has_three_kinds_and_its_hash_is_in_the_docs():
    with DATA.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) >= 300
    assert set(rows[0]) == {"id", "decision", "comment", "label"}
    counts = Counter(row["label"] for row in rows)
    assert set(counts) == set(stance.KINDS)
    assert min(counts.values()) >= len(rows) / 4  # roughly balanced
    assert not {row["comment"] for row in rows} & set(CLEAR.values())
    docs = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 ([0-9a-f]{64})", docs)
    assert recorded, "docs/decisions.md records the labelled set's sha256"
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == recorded.group(1)


@pytest.mark.parametrize("kind", stance.KINDS)
def test_it_sorts_a_clear_comment(embedder, kind):
    [found] = stance.classify([CLEAR[kind]], embedder)
    assert found.kind == kind
    assert 1 / 3 < found.confidence <= 1


def test_it_is_deterministic(embedder):
    texts = list(CLEAR.values())
    assert stance.classify(texts, embedder) == stance.classify(texts, embedder)


def test_on_the_held_out_comments_it_beats_the_rule(embedder):
    """Where the classifier earns its keep over the rule, on the two thirds of the labelled set
    it was not trained on (ids not a multiple of 3, as benchmarks/comment_stance.py splits it).
    One rhetorical question is not a test of it: it reads most of them as questions."""
    with DATA.open(encoding="utf-8", newline="") as stream:
        held_out = [row for row in csv.DictReader(stream) if int(row["id"]) % 3 != 0]
    found = stance.classify([row["comment"] for row in held_out], embedder)
    by_model = sum(f.kind == row["label"] for f, row in zip(found, held_out, strict=True))
    by_rule = sum(stance.baseline(row["comment"]) == row["label"] for row in held_out)
    assert by_model / len(held_out) >= 0.8
    assert by_model > by_rule + 0.05 * len(held_out)


def test_disagree_and_commit_is_never_support(embedder):
    for text in ("Disagree and commit, let's ship it.", "I disagree, but I'll commit."):
        found = stance.classify([text], embedder)[0]
        assert found.kind == "objection" and found.reason


# Seen: this comment, posted through the API, was read as support, 97% sure (the word "support").
STATED_OBJECTION = "I object: this ignores the Zorblat rollout that the support team depends on"


def test_a_stance_stated_at_the_start_decides_before_the_model(embedder):
    texts = [STATED_OBJECTION, "-1 from me, the pilot has not ended.", "+1, ship it on Monday."]
    found = stance.classify(texts, embedder)
    assert [f.kind for f in found] == ["objection", "objection", "support"]
    assert all(f.stated and f.reason for f in found)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I disagree.", "objection"),
        ("I'm against this decision; the budget is gone.", "objection"),
        ("I strongly support this!", "support"),
        ("Agreed, the old vendor never answered us.", "support"),
        ("I agree, but the timing is wrong.", None),  # qualified: the model reads it
        ("I agree with Ana that this is wrong.", None),  # someone else's side
        ("I agree?", None),
        ("-1.5% margin is fine by me.", None),
        ("I supported it last year and regret it.", None),
    ],
)
def test_what_counts_as_a_stated_stance(text, kind):
    found = stance.stated(text)
    assert (found.kind if found else None) == kind


def test_the_baseline_rules():
    assert [stance.baseline(text) for text in CLEAR.values()] == [
        "objection",  # its negation, not its meaning: the rule's known weakness
        "objection",
        "support",
    ]
    assert stance.baseline("Who owns this?") == "question"


def test_nothing_to_sort_is_nothing(embedder):
    assert stance.classify([], embedder) == []


def test_the_shipped_weights_fit_the_default_model(embedder):
    assert stance.available(embedder.dimensions)
    assert (stance.WEIGHTS / f"{embedder.model_name}.npz").stat().st_size < 100_000
