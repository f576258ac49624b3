"""An attacker's view of a check-in's report: can any small set of people be worked out?

The attacker reads only the published report, plus what an insider may know of the
organisation: each respondent's function and team, and who answered each section (the worst
case). Every published figure of a group is a sum over its members (a mean times its size, or a
count), so the report is a linear system with one unknown per respondent. All sections are stacked
into one system, as if every section measured the same value: whatever combination of groups
isolates a set in one figure isolates it in any. A set is worked out when its indicator vector is
in the row space of the system. This file does not use truenorth.analysis.disclosure, the audit
the report relies on, except in the last test, which checks the two agree.
"""

import hashlib
import math
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from truenorth.analysis import cluster, themes
from truenorth.analysis.priorities import Goal
from truenorth.analysis.privacy import effective_threshold
from truenorth.analysis.report import REPORT_SECTIONS, Question, Respondent, analyze_checkin

DIMENSIONS = ("function", "team")
VISION = "Every supplier invoice goes from inbox to paid without anyone retyping it."
GOALS = [
    Goal(1, "Raise the touchless invoice rate to 70%", "Less typing", 1),
    Goal(2, "Make NetSuite sync reliable", "Failed syncs break the close", 2),
]
SUBSET_LIMIT = 5000  # every small set when 14 or fewer answered; more when the threshold is low


class HashEncoder:
    """A unit vector per text from an RNG seeded by the text's hash: the same text, the same
    vector. What is published depends on group sizes and the audit, not on the model, so the
    property tests use this instead of the real one."""

    model_name = "hash"
    dimensions = 16

    def encode(self, texts, progress=None):
        rows = np.zeros((len(texts), self.dimensions))
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
            rows[i] = np.random.default_rng(seed).normal(size=self.dimensions)
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


# The attacker.


def group_of(person, dimension):
    return person.groups.get(dimension) or "(none)"


def published_sections(report):
    """(section, its figures, the figure's sum over the section's people) for each section."""
    for q in report.get("questions", []):
        figure = "fidelity" if q.get("fidelity") is not None else "coherence"
        yield q["key"], q, lambda s, figure=figure: (s[figure] or 0) * s["n"]
    yield "priorities", report.get("priorities", {}), lambda s: s["names_top_goal"] * s["n"]
    yield "line_of_sight", report.get("line_of_sight", {}), lambda s: s["linked"] * s["n"]
    yield "quadrant", report.get("quadrant", {}), lambda s: s["counts"]["aligned"]
    yield "direction", report.get("direction", {}), lambda s: s["mean"] * s["n"]


def published_equations(report, respondents, bases, questions=()):
    """The linear system of everything `report` publishes: a row per published group (a
    section's whole base counts as one) over `respondents` in order, and its figure's sum.

    `bases` holds who answered each section, as the attacker is assumed to know it; a published
    `n` that does not match it means the attacker's model of the report is wrong. With the
    check-in's `questions`, the attacker also knows every answer, and so who is in each group of
    answers (interpretation, theme, a theme's reading) shown with its fidelity.
    """
    column = {r.id: i for i, r in enumerate(respondents)}
    people = {r.id: r for r in respondents}
    rows, sums, labels = [], [], []

    def add(members, label, total):
        row = np.zeros(len(respondents))
        row[[column[m] for m in members]] = 1
        rows.append(row)
        sums.append(total)
        labels.append(label)

    for section, figures, total in published_sections(report):
        if figures.get("suppressed") or "n" not in figures:
            continue
        base = bases[section]
        assert len(base) == figures["n"], section
        add(base, (section, "all"), total(figures))
        for dimension, breakdown in figures["by"].items():
            for group in breakdown["groups"]:
                members = [m for m in base if group_of(people[m], dimension) == group["name"]]
                assert len(members) == group["n"], (section, dimension, group["name"])
                add(members, (section, dimension, group["name"]), total(group))
    for question in questions:
        shown = next((q for q in report.get("questions", []) if q["key"] == question.key), {})
        if shown.get("suppressed") or "interpretations" not in shown:
            continue
        for label, members, group in answer_groups(question, bases[question.key], shown, report):
            if group["fidelity"] is not None:
                add(members, (question.key, label), group["fidelity"] * group["size"])
    matrix = np.array(rows) if rows else np.zeros((0, len(respondents)))
    return matrix, np.array(sums), labels


def answer_groups(question, base, shown, report):
    """(label, members, the report's card) for each group of answers the report shows for
    `question`, worked out from the answers as the report's own grouping does."""
    threshold = effective_threshold(report["threshold"])
    texts = [question.answers[r] for r in base]
    vectors = HashEncoder().encode(texts)
    words = cluster.WordCounts(texts)
    interpretations = cluster.interpretations(vectors, texts, words=words)
    found = themes.group_answers(vectors, texts, min_size=threshold, words=words).themes
    cards = [
        (f"interpretation {i}", g, card)
        for i, (g, card) in enumerate(
            shown_pairs(interpretations, shown["interpretations"], threshold)
        )
    ]
    for i, (theme, card) in enumerate(shown_pairs(found, shown["themes"], threshold)):
        cards.append((f"theme {i}", theme, card))
        readings = shown_pairs(theme.readings, card["readings"], threshold)
        cards += [(f"theme {i} reading {j}", r, c) for j, (r, c) in enumerate(readings)]
    return [(label, [base[m] for m in g.members], card) for label, g, card in cards]


def shown_pairs(groups, shown, threshold):
    """Each group of at least `threshold` answers with the card the report shows for it."""
    kept = [g for g in groups if g.size >= threshold]
    assert [g.size for g in kept] == [card["size"] for card in shown["groups"]]
    return list(zip(kept, shown["groups"], strict=True))


def determined(matrix, vectors):
    """For each row of `vectors`, whether it is a combination of the rows of `matrix`: whether
    the sum over that set of respondents follows from the published figures."""
    vectors = np.atleast_2d(vectors)
    if len(matrix) == 0:
        return np.zeros(len(vectors), dtype=bool)
    weights = np.linalg.lstsq(matrix.T, vectors.T, rcond=None)[0]
    return np.linalg.norm(matrix.T @ weights - vectors.T, axis=0) < 1e-8


def small_sets(columns, size, threshold):
    """Indicator vectors of every set of 2 to threshold − 1 of `columns`, when they are few."""
    sizes = range(2, threshold)
    if sum(math.comb(len(columns), k) for k in sizes) > SUBSET_LIMIT:
        return np.zeros((0, size))
    sets = [s for k in sizes for s in combinations(columns, k)]
    vectors = np.zeros((len(sets), size))
    for row, members in enumerate(sets):
        vectors[row, list(members)] = 1
    return vectors


def attack(matrix, threshold):
    """The sets of 1 to threshold − 1 respondents the system gives away, as column lists."""
    size = matrix.shape[1]
    seen = list(np.flatnonzero(matrix.any(axis=0)))  # others appear in no published figure
    vectors = np.vstack([np.eye(size)[seen], small_sets(seen, size, threshold)])
    return [list(np.flatnonzero(v)) for v in vectors[determined(matrix, vectors)]]


# What the attacker knows of the organisation, worked out from the answers.


def answered(answers, people):
    return [r for r, text in answers.items() if text.strip() and r in people]


def bases_of(respondents, questions, direction, goals):
    """Who answered each section of the report."""
    people = {r.id for r in respondents}
    by_role = {q.role: q for q in questions}
    bases = {q.key: answered(q.answers, people) for q in questions if q.role != "priorities"}
    bases["priorities"] = answered(by_role["priorities"].answers, people)
    bases["line_of_sight"] = answered(by_role["purpose"].answers, people) if goals else []
    bases["quadrant"] = [r for r in answered(by_role["vision"].answers, people) if r in direction]
    bases["direction"] = [r for r in direction if r in people]
    return bases


def equations(respondents, questions, direction, threshold):
    report = analyze_checkin(respondents, questions, GOALS, direction, threshold, HashEncoder())
    bases = bases_of(respondents, questions, direction, GOALS)
    return published_equations(report, respondents, bases, questions)[0]


def naive_equations(respondents, values, threshold):
    """What a per-breakdown rule would publish of `values`: the total and every group of at
    least `threshold` people in each dimension, each with its exact sum."""
    column = {r.id: i for i, r in enumerate(respondents)}
    sets = [list(values)]
    for dimension in DIMENSIONS:
        groups = {}
        for r in respondents:
            if r.id in values:
                groups.setdefault(group_of(r, dimension), []).append(r.id)
        sets += [members for members in groups.values() if len(members) >= threshold]
    matrix = np.zeros((len(sets), len(respondents)))
    for row, members in enumerate(sets):
        matrix[row, [column[m] for m in members]] = 1
    return matrix, np.array([sum(values[m] for m in members) for members in sets])


# Squad A: five engineers and a product manager; engineering is exactly those five engineers.


def squad_a():
    def person(rid, function, team):
        return Respondent(rid, {"function": function, "team": team})

    people = [person(f"e{i}", "engineering", "Squad A") for i in range(5)]
    people += [person("pm", "product", "Squad A")]
    people += [person(f"s{i}", "sales", "Deals") for i in range(4)]
    people += [person(f"o{i}", "operations", "Ops") for i in range(5)]
    ids = [p.id for p in people]
    questions = [
        Question("q1", "Vision?", "vision", VISION, {r: "Invoices paid untouched" for r in ids}),
        Question("q2", "Priorities?", "priorities", "", {r: "touchless; sync" for r in ids}),
        Question(
            "q3", "Why does your work matter?", "purpose", "", {r: "fewer typos" for r in ids}
        ),
    ]
    direction = dict(zip(ids, [4, 5, 4, 5, 3, 1, 2, 3, 4, 5, 3, 4, 5, 2, 4], strict=True))
    return people, questions, direction


def test_the_naive_publication_gives_the_product_manager_away():
    people, _, direction = squad_a()
    matrix, sums = naive_equations(people, direction, 5)
    pm = [p.id for p in people].index("pm")
    assert [pm] in attack(matrix, 5)
    weights = np.linalg.lstsq(matrix.T, np.eye(len(people))[pm], rcond=None)[0]
    assert abs(weights @ sums - direction["pm"]) < 1e-6
    squad = np.mean([direction[p.id] for p in people if p.groups["team"] == "Squad A"])
    engineering = np.mean(
        [direction[p.id] for p in people if p.groups["function"] == "engineering"]
    )
    assert abs(6 * squad - 5 * engineering - direction["pm"]) < 1e-6


def test_the_report_gives_no_one_away_in_squad_a():
    people, questions, direction = squad_a()
    report = analyze_checkin(people, questions, GOALS, direction, 5, HashEncoder())
    bases = bases_of(people, questions, direction, GOALS)
    matrix = published_equations(report, people, bases)[0]
    assert len(matrix) > 0  # the report shows something: the test is not vacuous
    assert attack(matrix, 5) == []


# Random organisations.

PHRASES = {
    "vision": [VISION, "Invoices paid untouched", "An AI clerk", "Best loved brand"],
    "priorities": ["touchless; sync", "SOC 2; the big deal", "1. brand 2. events", "hiring"],
    "purpose": ["fewer typos", "closing deals", "reliable sync", "happy customers"],
}


@st.composite
def group_names(draw, size, counts, prefix):
    """A group per person, drawn independently of the other dimension, or None (no group)."""
    count = draw(counts)
    drawn = draw(st.lists(st.integers(0, count), min_size=size, max_size=size))
    return [f"{prefix}{i}" if i < count else None for i in drawn]


@st.composite
def organisations(draw):
    size = draw(st.integers(8, 40))
    functions = draw(group_names(size, st.integers(2, 5), "f"))
    teams = draw(group_names(size, st.integers(2, 6), "t"))
    people = [
        Respondent(f"p{i}", {k: v for k, v in (("function", f), ("team", t)) if v})
        for i, (f, t) in enumerate(zip(functions, teams, strict=True))
    ]
    return people, draw(st.integers(3, 6))


@st.composite
def checkins(draw, people):
    """Answers to the vision, priorities and purpose questions and the direction, each skipped by
    some or by no one."""
    ids = [p.id for p in people]

    def texts(role):
        skipped = [""] if draw(st.booleans()) else []
        options = st.sampled_from([*skipped, *PHRASES[role]])
        drawn = draw(st.lists(options, min_size=len(ids), max_size=len(ids)))
        return dict(zip(ids, drawn, strict=True))  # "" is a skipped question

    questions = [
        Question("q1", "Vision?", "vision", VISION, texts("vision")),
        Question("q2", "Priorities?", "priorities", "", texts("priorities")),
        Question("q3", "Why does your work matter?", "purpose", "", texts("purpose")),
    ]
    scale = st.sampled_from([None, 1, 2, 3, 4, 5] if draw(st.booleans()) else [1, 2, 3, 4, 5])
    drawn = draw(st.lists(scale, min_size=len(ids), max_size=len(ids)))
    direction = {r: d for r, d in zip(ids, drawn, strict=True) if d is not None}
    return questions, direction


def who_answered(questions, direction):
    return {r for q in questions for r, t in q.answers.items() if t.strip()} | set(direction)


def same_respondents(first, second):
    """The second check-in's answers changed so the same people answered both: anyone who
    answered only the first answers the direction of the second, anyone who answered only the
    second answers nothing."""
    questions, direction = second
    before, after = who_answered(*first), who_answered(*second)
    direction = {r: d for r, d in direction.items() if r in before}
    direction |= {r: 3 for r in before - after}
    for q in questions:
        q.answers = {r: t for r, t in q.answers.items() if r in before}
    return questions, direction


def over_checkins(vectors, size):
    """Each vector over one check-in's people as a vector over both check-ins' (each person
    once per check-in): in the first, in the second, and the change from one to the other."""
    nothing = np.zeros_like(vectors)
    return np.vstack(
        [
            np.hstack([vectors, nothing]),
            np.hstack([nothing, vectors]),
            np.hstack([-vectors, vectors]),
        ]
    )


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_no_small_set_can_be_worked_out_from_reports(data):
    people, threshold = data.draw(organisations())
    first = data.draw(checkins(people))
    second = same_respondents(first, data.draw(checkins(people)))
    assert who_answered(*first) == who_answered(*second)
    a = equations(people, *first, threshold)
    assert attack(a, threshold) == []
    b = equations(people, *second, threshold)
    assert attack(b, threshold) == []

    # A trend puts two check-ins side by side: one system over both, an unknown per person and
    # check-in, in which neither a small set's value in one check-in nor its change shows.
    # (With separate unknowns this follows from each report alone; it pins that a trend adds
    # nothing for the same people. Other sets of people are `comparable`'s business.)
    size = len(people)
    both = np.block([[a, np.zeros((len(a), size))], [np.zeros((len(b), size)), b]])
    seen = list(np.flatnonzero(a.any(axis=0) | b.any(axis=0)))
    sets = np.vstack([np.eye(size)[seen], small_sets(seen, size, threshold)])
    assert not determined(both, over_checkins(sets, size)).any()


def test_the_attacker_and_the_audit_agree_on_squad_a():
    from truenorth.analysis.disclosure import find_disclosure

    people, _, direction = squad_a()
    matrix, _ = naive_equations(people, direction, 5)
    ids = [p.id for p in people]
    groups = [frozenset(ids[c] for c in np.flatnonzero(row)) for row in matrix]
    found = find_disclosure(groups, 5)
    assert found is not None
    indicator = np.array([1.0 if r in found.members else 0.0 for r in ids])
    assert determined(matrix, indicator).all()


def test_a_group_of_answers_shows_no_fidelity_that_subtraction_narrows():
    # Seven answers, five of them alike: the section's fidelity over 7 and the theme's over 5
    # would give the other two people's sum.
    people = [Respondent(f"p{i}", {"function": "engineering", "team": "A"}) for i in range(7)]
    said = ["Invoices paid untouched"] * 5 + ["An AI clerk", "Best loved brand"]
    answers = dict(zip([p.id for p in people], said, strict=True))
    questions = [Question("q1", "Vision?", "vision", VISION, answers)]
    report = analyze_checkin(people, questions, [], {}, 5, HashEncoder())
    section = report["questions"][0]
    [theme] = section["themes"]["groups"]
    assert (section["n"], section["fidelity"] is not None) == (7, True)
    assert (theme["size"], theme["fidelity"], theme["quotes"][0]) == (5, None, said[0])
    assert section["fidelity_withheld"] == 1
    assert [g["fidelity"] for g in section["interpretations"]["groups"]] == [None]
    bases = {"q1": [p.id for p in people]} | {s: [] for s in REPORT_SECTIONS}
    matrix = published_equations(report, people, bases, questions)[0]
    assert attack(matrix, 5) == []
