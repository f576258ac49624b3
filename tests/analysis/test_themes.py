import re

import numpy as np
import pytest

from truenorth.analysis import cluster, themes
from truenorth.analysis.themes import group_answers, label_of, merge_small, no_answer

FASTER = [
    "It should load faster.",
    "Pages take forever to open.",
    "The app is far too slow to start up.",
    "Waiting for screens to appear wastes my time.",
    "Speed it up: every click hangs for seconds.",
    "Loading times are painfully long.",
    "I'd like the dashboard to come up quicker.",
    "Performance is sluggish whenever I open a report.",
    "Make it snappier, it lags all the time.",
    "Startup takes ages on my laptop.",
]
DOCS = [
    "Better documentation, please.",
    "The docs are hard to follow.",
    "More examples in the user guide would help.",
    "I could not find how to set it up in the manual.",
    "Write clearer help pages.",
    "The tutorials skip the important steps.",
    "Document the API properly.",
    "Explain the features with a step-by-step guide.",
]
NOTHING = ["nothing", "n/a", "N/A", "-", "Nothing to add.", "none"]


@pytest.mark.parametrize(
    "text",
    ["nothing", "N/A", "n.a.", "-", "", "  ", "None.", "idk", "No", "nope!", "Nothing to add",
     "I don't know", "Not sure", "no comment", "Nothing at this time", "…"],
)  # fmt: skip
def test_it_recognises_a_no_answer(text):
    assert no_answer(text)


@pytest.mark.parametrize(
    "text",
    ["Nothing works offline", "No dark mode", "Faster", "None of the exports work", "GPU",
     "I don't know where the settings are", "Keep up the good work",
     "承認用のiPhoneアプリはいつ出ますか", "Приложение для согласования", "Αίτηση"],
)  # fmt: skip
def test_it_takes_an_answer_with_one_word_of_substance_as_an_answer(text):
    assert not no_answer(text)


def test_planted_topics_give_one_theme_each_and_the_no_answers_apart(embedder):
    texts = FASTER + DOCS + NOTHING
    found = group_answers(embedder.encode(texts), texts)
    assert sorted(found.no_answers) == list(range(18, 24))
    assert sorted(sorted(t.members) for t in found.themes) == [
        list(range(10)),
        list(range(10, 18)),
    ]
    for theme in found.themes:
        assert 1 <= len(theme.label.replace(",", " ").split()) <= themes.LABEL_WORDS
        # Its words, or, where no word is used by five of its answers, its closest quote's start.
        closest = texts[theme.quotes[0]]
        words = theme.label.replace(",", " ").split()
        assert all(word.isalpha() for word in words) or closest.startswith(theme.label.rstrip("…"))
        assert len(theme.quotes) == themes.QUOTES and set(theme.quotes) <= set(theme.members)
        assert sorted(m for r in theme.readings for m in r.members) == sorted(theme.members)


def test_a_small_topic_nobody_else_raised_stays_apart(embedder):
    price = ["It costs too much for a small team.", "Lower the price of the licence."]
    texts = FASTER + DOCS + price
    found = group_answers(embedder.encode(texts), texts)
    assert sorted(sorted(t.members) for t in found.themes) == [
        list(range(10)),
        list(range(10, 18)),
        [18, 19],
    ]


@pytest.mark.parametrize("size", [5, 12])
def test_a_handful_of_answers_still_gives_themes_and_readings(embedder, size):
    texts = (FASTER[:3] + DOCS[:2] + FASTER[3:7] + DOCS[2:5])[:size]
    found = group_answers(embedder.encode(texts), texts)
    assert found.themes and not found.no_answers
    assert sorted(m for t in found.themes for m in t.members) == list(range(size))
    assert all(t.label and t.readings for t in found.themes)


def test_nothing_and_only_no_answers_give_no_themes(embedder):
    assert group_answers(embedder.encode([]), []) == themes.Themes([], [])
    found = group_answers(embedder.encode(NOTHING), NOTHING)
    assert found.themes == [] and found.no_answers == list(range(len(NOTHING)))


def directions(sizes: list[int], spread: float = 0.3, seed: int = 0) -> np.ndarray:
    """Unit vectors around one direction per group, `sizes[i]` of them around direction i."""
    rng = np.random.default_rng(seed)
    rows = [np.eye(32)[i] + spread * rng.normal(size=(n, 32)) / 6 for i, n in enumerate(sizes)]
    vectors = np.concatenate(rows)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_theme_too_small_to_show_joins_its_nearest_unless_under_the_floor():
    vectors = directions([6, 6, 2])
    vectors[12:] = vectors[12:] + 0.8 * np.eye(32)[0]  # the pair leans towards the first group
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.repeat([0, 1, 2], [6, 6, 2])
    near = themes.centred(vectors)
    joined = merge_small(vectors, labels, 5, floor=0.0, near=near)
    assert len(set(joined)) == 2 and joined[12] == joined[0]
    apart = merge_small(vectors, labels, 5, floor=0.99, near=near)
    assert len(set(apart)) == 3


def test_many_answers_are_cut_into_pieces_then_linked(monkeypatch):
    monkeypatch.setattr(themes, "DIRECT_LIMIT", 50)
    monkeypatch.setattr(cluster, "PIECES", 20)
    vectors = directions([60, 60, 60], spread=0.6)
    labels = themes.theme_labels(vectors, min_size=5)
    assert len(set(labels)) == 3
    assert all(len(set(labels[i : i + 60])) == 1 for i in (0, 60, 120))


def test_a_label_prefers_a_phrase_and_adds_only_new_words():
    assert label_of(["load", "load faster", "slow", "pages"], "") == "load faster, slow"
    assert label_of(["docs", "examples"], "") == "docs, examples"
    assert label_of([], "Rewrite it in Rust please") == "Rewrite it in Rust…"
    assert label_of([], "Case study call: the customer asked for SSO") == "Case study call"
    assert label_of([], "We need it for the auditors") == "We need…"
    assert label_of(["200", "bookkeeper fixes", "card"], "") == "bookkeeper fixes, card"
    assert label_of(["2026", "1099s"], "") == "1099s"


def test_a_themes_terms_come_best_first_with_their_weights_and_name_its_words():
    texts = FASTER + DOCS
    groups = [list(range(10)), list(range(10, 18))]
    many = themes.theme_terms(texts, groups, top=20)
    for terms, members in zip(many, groups, strict=True):
        weights = [weight for _, weight in terms]
        assert weights == sorted(weights, reverse=True) and min(weights) > 0
        for term, _ in terms:  # two of the theme's answers use it
            words = set(term.split())
            assert sum(words <= set(re.findall(r"\w+", texts[m].lower())) for m in members) >= 2
    assert themes.theme_words(texts, groups) == [[t for t, _ in terms[:5]] for terms in many]


def test_no_word_fewer_answers_than_the_threshold_use_names_a_theme_or_reading(embedder):
    """Two of a theme's answers share a word nobody else uses: it would tell those two apart
    (the privacy walk's "MKTSECRET"), so neither the theme's words nor its readings' carry it."""
    planted = [text.rstrip(".") + " for MKTSECRET." for text in FASTER[:2]] + FASTER[2:]
    found = group_answers(embedder.encode(planted), planted, min_size=3)
    named = [w for t in found.themes for w in [t.label, *t.words]]
    named += [w for t in found.themes for r in t.readings for w in r.words]
    assert named and not any("mktsecret" in w.lower() for w in named)


def test_a_theme_word_needs_as_many_answers_as_the_threshold():
    texts = [f"{word} report {n}" for n, word in enumerate(["ledger"] * 2 + ["dashboard"] * 3)]
    texts += [f"mobile app {n}" for n in range(5)]
    groups = [list(range(5)), list(range(5, 10))]
    assert "ledger" in themes.theme_words(texts, groups, min_users=2)[0]
    assert "ledger" not in themes.theme_words(texts, groups, min_users=3)[0]
    assert "dashboard" in themes.theme_words(texts, groups, min_users=3)[0]
    counts = cluster.WordCounts(texts)
    assert "ledger" in cluster.distinctive_words(counts, groups)[0]
    assert "ledger" not in cluster.distinctive_words(counts, groups, min_answers=3)[0]
    # Where each person writes several texts, the words count people, not texts.
    authors = ["a", "a", "b", "c", "d"] + ["e", "f", "g", "h", "i"]
    people = cluster.distinctive_words(counts, groups, min_answers=3, authors=authors)
    assert "dashboard" in people[0] and "mobile" in people[1]
    assert (
        "dashboard"
        not in cluster.distinctive_words(
            counts, groups, min_answers=4, authors=["a", "b", "c", "c", "c", *authors[5:]]
        )[0]
    )


WHY_IT_MATTERS = "My work helps raise the touchless invoice rate so AP teams stop keying invoices."


def test_copies_of_one_answer_are_one_theme_quoted_once(embedder):
    """33 people gave one sentence: centred, what is left of each copy is rounding noise, and
    the page had shown five themes of that sentence, each quoting it three times."""
    texts = [WHY_IT_MATTERS] * 33
    found = group_answers(embedder.encode(texts), texts)
    assert [sorted(t.members) for t in found.themes] == [list(range(33))]
    assert found.themes[0].quotes == [found.themes[0].quotes[0]]


def test_near_copies_of_one_answer_are_one_theme_each_text_quoted_once(embedder):
    variants = [
        WHY_IT_MATTERS.lower().rstrip("."),
        WHY_IT_MATTERS.replace("touchless invoice rate", "touchless rate"),
        WHY_IT_MATTERS.replace("so AP", "so that AP"),
    ]
    texts = [WHY_IT_MATTERS] * 20 + variants * 3
    found = group_answers(embedder.encode(texts), texts)
    assert [sorted(t.members) for t in found.themes] == [list(range(len(texts)))]
    quoted = [texts[q] for q in found.themes[0].quotes]
    assert len(quoted) == themes.QUOTES and len(set(quoted)) == len(quoted)


def test_answers_that_say_the_same_thing_are_chained_into_one_group(embedder):
    texts = [WHY_IT_MATTERS] * 3 + ["Make the ERP sync reliable so postings do not fail."]
    labels = themes.same_answers(embedder.encode(texts))
    assert len(set(labels[:3])) == 1 and labels[3] != labels[0]
    assert list(themes.joined(np.array([0, 0, 1, 2]), np.array([5, 6, 6, 7]))) == [0, 0, 0, 1]
