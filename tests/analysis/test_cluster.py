import numpy as np

from truenorth.analysis import calibration, coherence
from truenorth.analysis.cluster import interpretations
from truenorth.analysis.coherence import effective_interpretations, mean_pairwise_score

CLOSE = [
    "Invoices should flow from the inbox to paid without anyone typing them in.",
    "No more retyping invoices: they go from inbox to payment on their own.",
    "Get every invoice from the inbox to paid with no manual data entry.",
]
AI = [
    "An AI that replaces the accounts payable clerk entirely.",
    "Artificial intelligence replacing the accounts payable clerk, so no clerk is needed.",
]


def test_five_answers_with_two_readings_give_two_groups(embedder):
    texts = CLOSE + AI
    groups = interpretations(embedder.encode(texts), texts)
    # The relation classifier reads "so no clerk is needed" as contradicting "replaces the
    # clerk" (p 0.81), so the two AI answers are split: a split is quoted less, never wrongly.
    assert sorted(g.size for g in groups) == [1, 1, 3]
    assert set(groups[0].members) == {0, 1, 2}
    assert len(groups[0].quotes) == 3 and groups[0].words


def test_one_answer_is_one_group_and_none_is_none(embedder):
    assert [g.size for g in interpretations(embedder.encode(AI[:1]), AI[:1])] == [1]
    assert interpretations(embedder.encode([]), []) == []


def test_answers_that_agree_are_more_coherent_than_answers_that_do_not(embedder):
    agreeing = mean_pairwise_score(embedder.encode(CLOSE))
    mixed = mean_pairwise_score(embedder.encode(CLOSE[:1] + AI))
    assert agreeing > mixed


def test_effective_interpretations():
    assert effective_interpretations([10]) == 1
    assert round(effective_interpretations([1, 1, 1, 1, 1]), 6) == 5
    assert 1 < effective_interpretations([8, 1, 1]) < 3
    assert effective_interpretations([]) == 0


def test_sampled_coherence_is_within_a_point_of_the_exact_mean(monkeypatch):
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(1200, 16)) + 0.4  # a shared direction, so scores spread widely
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    # Made-up 16-dimensional vectors: score them on their own cosine, not a model's projection.
    monkeypatch.setattr(calibration, "_selected", calibration.DEFAULT)
    exact = mean_pairwise_score(vectors)
    monkeypatch.setattr(coherence, "EXACT_LIMIT", 400)
    assert len(coherence.sample(vectors, 400)) == 400
    assert abs(mean_pairwise_score(vectors) - exact) < 1


def test_many_answers_are_cut_into_pieces_then_merged(monkeypatch):
    from truenorth.analysis import cluster

    monkeypatch.setattr(cluster, "DIRECT_LIMIT", 50)
    monkeypatch.setattr(cluster, "PIECES", 20)
    rng = np.random.default_rng(0)
    a, b = np.eye(16)[0], np.eye(16)[1]  # two readings far apart
    vectors = np.vstack([a + rng.normal(0, 0.05, (150, 16)), b + rng.normal(0, 0.05, (100, 16))])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = cluster.cluster_labels(vectors)
    assert len(set(labels[:150])) == 1 and len(set(labels[150:])) == 1
    assert labels[0] != labels[-1]


def test_a_groups_words_never_pair_the_end_of_one_answer_with_the_start_of_the_next():
    from truenorth.analysis.cluster import WordCounts, distinctive_words

    texts = ["We approve invoices", "Faster payments", "Approve invoices", "Faster payments"]
    words = distinctive_words(WordCounts(texts), [[0, 1, 2, 3]], top=20)[0]
    assert "approve invoices" in words and "faster payments" in words
    assert "invoices faster" not in words


def test_linking_by_matrix_product_groups_as_scipys_cosine_distance_does():
    from scipy.cluster.hierarchy import fcluster, linkage

    from truenorth.analysis.cluster import _link

    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(300, 24)) + rng.normal(size=(6, 24)).repeat(50, axis=0) * 1.5
    expected = fcluster(linkage(vectors, "average", metric="cosine"), 0.6, "distance")
    found = _link(vectors, 0.4)
    first, second = np.triu_indices(len(vectors), 1)  # every pair: together in both, or in neither
    assert ((found[first] == found[second]) == (expected[first] == expected[second])).all()
    assert 1 < len(set(found)) < len(vectors)


# Answers a check-in's readers saw quoted together under one reading although they say
# different things: another period, a negation, the opposite stance on a change.
ANOTHER_PERIOD = [
    "Someone who logged in in the last 30 days.",
    "Anyone who logged in during the last 30 days.",
    "A user who logged in at least once in the past 30 days.",
    "Someone who logged in in the last week.",
]
NEGATED = [
    "Anyone who logged in this week.",
    "Everyone who logged in this week.",
    "Anyone who logged in this month.",
    "Anyone who did not log in this week.",
]
OPPOSITE_STANCE = [
    "We're switching OCR to Docuread by March.",
    "Invoice OCR moves from Scanly to Docuread by March.",
    "We are moving OCR to Docuread in March.",
    "OCR stays on Scanly because Docuread costs more.",
]
SAME_WINDOW = [
    "Someone who logged in within the last 7 days.",
    "A user who logged in within the past seven days.",
    "Anyone who logged in during the last week.",
    "A person who has logged in at least once in the past 7 days.",
]


def readings_of(texts, embedder):
    return sorted(sorted(g.members) for g in interpretations(embedder.encode(texts), texts))


def test_answers_that_contradict_each_other_are_never_one_reading(embedder):
    from truenorth.analysis.cluster import cluster_labels

    for texts in (ANOTHER_PERIOD, OPPOSITE_STANCE):
        assert len(set(cluster_labels(embedder.encode(texts)))) == 1  # close in meaning
        assert readings_of(texts, embedder) == [[0, 1, 2], [3]]
    found = readings_of(NEGATED, embedder)
    assert [0, 1] in found and [2] in found and [3] in found


def test_wordings_of_one_number_stay_one_reading(embedder):
    assert readings_of(SAME_WINDOW, embedder) == [[0, 1, 2, 3]]


def test_a_theme_quotes_no_answer_that_contradicts_the_reading_it_sits_in(embedder):
    from truenorth.analysis.report import quotable
    from truenorth.analysis.themes import group_answers

    for texts in (ANOTHER_PERIOD, OPPOSITE_STANCE):
        (theme,) = group_answers(embedder.encode(texts), texts, min_size=3).themes
        assert sorted(quotable(theme, 3)) == [0, 1, 2]
    (theme,) = group_answers(embedder.encode(NEGATED), NEGATED, min_size=3).themes
    assert quotable(theme, 3) == []  # no reading of it is shared by 3 people


def test_only_answers_whose_signs_differ_are_read_for_a_contradiction(embedder, monkeypatch):
    from truenorth.analysis import cluster

    read = []
    contradict = cluster.contradict
    monkeypatch.setattr(
        cluster, "contradict", lambda pairs, *a: read.extend(pairs) or contradict(pairs, *a)
    )
    texts = CLOSE * 20 + ANOTHER_PERIOD[:1]
    interpretations(embedder.encode(texts), texts)
    assert read == []  # no answer gives a number, negates or takes a stance but one


# The vision, copied word for word by some, and answers that deny it in its own words: a
# negation in the vision ("without anyone retyping it") made every one of them look as negated
# as the denials, so none was read for a contradiction, and all were quoted as one reading.
VISION = (
    "Every supplier invoice a mid-market finance team receives goes from inbox to paid without "
    "anyone retyping it or chasing an approver, so a small AP team can close the month on time "
    "as the company grows."
)
CONVEYING = [
    VISION,
    VISION,
    VISION,
    "No more manual data entry or approval chasing for payables teams in mid-market companies: "
    "invoices go straight from the inbox to payment, and a small team closes the month on time "
    "no matter how fast the company grows.",
]
DENYING = [
    "Supplier invoices at mid-market finance teams do not go from inbox to paid automatically; "
    "someone always has to retype them and chase an approver, and the AP team grows with the "
    "company.",
    "Every supplier invoice a large enterprise finance team receives goes from inbox to paid; we "
    "are not for mid-market or small AP teams, only Fortune 500 companies on SAP.",
    "Every supplier invoice a mid-market finance team receives will still be retyped and chased "
    "with an approver by hand, so the AP team must keep growing to close the month on time.",
]


def test_an_answer_denying_the_vision_is_never_one_reading_with_it(embedder):
    texts = CONVEYING + DENYING
    found = readings_of(texts, embedder)
    assert [0, 1, 2, 3] in found  # copies and a restatement in other words: one reading
    denials = set(range(len(CONVEYING), len(texts)))
    assert all(not (denials & set(reading)) for reading in found if 0 in reading)


def test_what_an_answer_negates_is_the_first_word_after_each_negation():
    from truenorth.analysis.cluster import negated_words

    assert negated_words(VISION)[0] == {"retyp", "chas"}  # not "approver": it is what is chased
    assert negated_words(DENYING[0])[0] == {"inbox"}
    assert {"retyp", "chas", "approver"} <= negated_words(DENYING[0])[1]  # what the vision negates
    assert "inbox" in negated_words(VISION)[1]
    assert negated_words(DENYING[1])[0] == {"midmarket", "small"}
    assert negated_words(CONVEYING[3])[0] == {"manual", "approval"}  # "no matter" negates nothing
    assert "grow" in negated_words(CONVEYING[3])[1]
