import hashlib

import numpy as np
import pytest

from truenorth.analysis import calibration
from truenorth.analysis.onnx_engine import OnnxEmbedder
from truenorth.analysis.score import (
    band,
    compare,
    cosine_to_score,
    project,
    score_matrix,
    score_pairs,
    score_to_cosine,
)

CURVES = [
    *(("model", key) for key in sorted(calibration.MODEL_CURVES)),
    *(("score", key) for key in sorted(calibration.SCORE_CURVES)),
]


@pytest.mark.parametrize(("kind", "model"), CURVES)
def test_every_curve_is_strictly_increasing_from_0_to_100(kind, model):
    curves = calibration.MODEL_CURVES if kind == "model" else calibration.SCORE_CURVES
    cosines, scores = curves[model]
    assert len(cosines) == len(scores)
    assert np.all(np.diff(cosines) > 0) and np.all(np.diff(scores) > 0)
    assert (cosines[0], cosines[-1], scores[0], scores[-1]) == (-1, 1, 0, 100)


def test_the_embedder_in_use_selects_its_own_curve(embedder):
    assert calibration.selected() == embedder.model_name
    assert cosine_to_score(-1.0) == 0 and cosine_to_score(1.0) == 100


def test_a_score_cut_reads_back_through_the_curve_of_the_models_own_cosine():
    cosines, scores = calibration.model_curve()
    for score in (10, 40, 60, 80):
        assert np.interp(score_to_cosine(score), cosines, scores) == pytest.approx(score)


@pytest.mark.parametrize("key", sorted(calibration.SCORE_CURVES))
def test_each_projected_curve_has_its_projection_and_each_projection_its_curve(key):
    projection = calibration.projection_of(key)
    assert projection is not None and projection.shape[0] == projection.shape[1]
    written = {path.stem for path in calibration.PROJECTIONS.glob("*.npy")}
    assert written == set(calibration.SCORE_CURVES)


def test_the_default_engine_scores_through_its_projection(embedder):
    texts = ["Close the books in three days.", "Month-end close takes three days.", "Hire two"]
    vectors = embedder.encode(texts)
    projected = project(vectors)
    assert calibration.projection() is not None
    assert np.allclose(np.linalg.norm(projected, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(projected, vectors, atol=1e-3)  # a different inner product
    scores = score_matrix(vectors, vectors)
    assert np.allclose(scores, scores.T, atol=1e-3)  # still symmetric
    assert np.allclose(np.diag(scores), 100.0, atol=0.5)  # each text is its own best match


def test_a_paraphrase_scores_above_a_different_point_on_the_same_topic(embedder):
    vision = "Every supplier invoice goes from inbox to paid without anyone retyping it."
    paraphrase = "No one should have to key in an invoice by hand: inbox to paid, automatically."
    other = "We want to be the cheapest accounts payable tool on the market."
    assert compare(vision, paraphrase, embedder) > compare(vision, other, embedder) + 15


def test_identical_texts_score_100_and_unrelated_ones_low(embedder):
    text = "Close the books in three days."
    assert compare(text, text, embedder) == pytest.approx(100, abs=0.5)
    assert compare(text, "My cat likes to sleep in the sun.", embedder) < 20


@pytest.mark.parametrize(
    "score, words", [(95, "the same meaning"), (65, "roughly the same"), (5, "unrelated")]
)
def test_bands_put_scores_in_words(score, words):
    assert words in band(score)


def test_a_large_matrix_scores_as_pair_by_pair_within_a_hundredth_of_a_point():
    cosines = np.random.default_rng(0).uniform(-1, 1, size=(100, 100))
    exact = np.array([[cosine_to_score(float(c)) for c in row] for row in cosines])
    assert np.abs(cosine_to_score(cosines) - exact).max() < 0.01


def test_grouping_answers_does_not_go_through_the_projection(embedder, monkeypatch):
    """Themes and interpretations were validated on the model's own vectors; the projection is
    for the score only, so turning it off must not move a single answer between groups."""
    from truenorth.analysis import cluster, themes

    texts = [
        *(
            f"Invoices should be {w} without anyone typing them"
            for w in ("paid", "posted", "coded")
        ),
        *(f"The app should {w} faster" for w in ("load", "open", "start", "sync")),
        *(f"Approvals get stuck with {w}" for w in ("managers", "the CFO", "approvers")),
        "Nothing",
        "n/a",
        "We will grow revenue",
        "We will cut costs",
    ]
    vectors = embedder.encode(texts)

    def groupings():
        readings = [g.members for g in cluster.interpretations(vectors, texts)]
        found = themes.group_answers(vectors, texts, min_size=2)
        return readings, [(t.members, [r.members for r in t.readings]) for t in found.themes]

    assert calibration.projection() is not None
    with_projection = groupings()
    monkeypatch.setattr(calibration, "SCORE_CURVES", {})
    assert calibration.projection() is None
    assert groupings() == with_projection


# Restatements as the product compares them: a source line, then someone's words for it.
RESTATEMENTS = [
    ("Every supplier invoice goes from inbox to paid without anyone retyping it.",
     "Nobody should have to key in an invoice: inbox to paid, automatically."),
    ("Every supplier invoice goes from inbox to paid without anyone retyping it.",
     "We are building the cheapest accounts payable tool on the market."),
    ("Close the books in three days.", "Month-end close should take three days, not eight."),
    ("Close the books in three days.", "Closing the books will take longer than it does now."),
    ("Win mid-market manufacturers in Europe.", "Sell to mid-sized factories in the EU."),
    ("Win mid-market manufacturers in Europe.", "Our focus is enterprise banks in the US."),
    ("Make approvals take minutes, not days.", "Approvers sign off from their phone quickly."),
    ("Make approvals take minutes, not days.", "I don't know what the vision is."),
    ("Cut failed ERP syncs to zero.", "The ERP connector must stop dropping invoices."),
    ("Cut failed ERP syncs to zero.", "Hire two more designers this quarter."),
]  # fmt: skip


def test_fp32_reads_the_same_answers_on_int8s_scale(embedder, monkeypatch):
    """A server that chooses fp32 (onnx-fp32, sentence-transformers) scores through fp32's own
    projection and curve, fitted as int8's were, so the two engines' scores of the same texts
    differ by little (on STS dev: 1.3 points on average, 4.1 on fp32's own cosine)."""
    int8_scores = score_pairs(RESTATEMENTS, embedder)
    fp32 = OnnxEmbedder(precision="fp32", store=embedder.store)
    monkeypatch.setattr(calibration, "_selected", fp32.model_name)
    assert calibration.projection() is not None
    fp32_scores = score_pairs(RESTATEMENTS, fp32)
    assert np.abs(fp32_scores - int8_scores).mean() < 2.5


# What each model's score is fitted to: its curves and projection, as of its last day in
# calibration.REFITTED (or as reports first named their model, 2026-12-03, for the others).
FITTED = {
    "all-MiniLM-L6-v2": "2a002bf2c473384f",
    "all-MiniLM-L6-v2+int8": "db812f73714617bc",
    "all-mpnet-base-v2": "cbe30d3507486d54",
}


def fitting(key: str) -> str:
    digest = hashlib.sha256(
        repr((calibration.MODEL_CURVES.get(key), calibration.SCORE_CURVES.get(key))).encode()
    )
    projection = calibration.projection_of(key)
    if projection is not None:
        digest.update(projection.tobytes())
    return digest.hexdigest()[:16]


def test_a_score_fitted_again_is_named_in_the_reports_it_scores():
    """A new curve or projection reads the same answers differently under the same model name,
    and a trend would join the two silently. So fitting one again means giving the model its day
    in calibration.REFITTED (reports then name it) and its new fingerprint here."""
    keys = set(calibration.MODEL_CURVES) | set(calibration.SCORE_CURVES)
    assert {key: fitting(key) for key in keys} == FITTED
    assert set(calibration.REFITTED) <= keys
