"""The whole report on a small invented organisation: what is shown, and what never is."""

import json

import numpy as np

from truenorth.analysis import calibration
from truenorth.analysis.cluster import Interpretation
from truenorth.analysis.onnx_engine import OnnxEmbedder
from truenorth.analysis.priorities import Goal
from truenorth.analysis.report import (
    Question,
    Respondent,
    analyze_checkin,
    at_threshold,
    quotable,
    scored_alike,
    themes_quoted,
    trend,
)
from truenorth.analysis.themes import Theme

VISION = "Every supplier invoice goes from inbox to paid without anyone retyping it."
GOALS = [
    Goal(1, "Raise the touchless invoice rate to 70%", "Less typing", 1),
    Goal(2, "Make NetSuite sync reliable", "Failed syncs break the close", 2),
]
ENGINEERS = [f"e{i}" for i in range(6)]
DESIGNERS = ["d1", "d2"]
SALES = [f"s{i}" for i in range(5)]
MARKETING = [f"m{i}" for i in range(5)]


def organisation():
    people = [Respondent(p, {"function": "engineering", "team": "Workflow"}) for p in ENGINEERS]
    people += [Respondent(p, {"function": "design", "team": "Design"}) for p in DESIGNERS]
    people += [Respondent(p, {"function": "sales", "team": "Sales"}) for p in SALES]
    people += [Respondent(p, {"function": "marketing", "team": "Brand"}) for p in MARKETING]
    vision = {
        p: "Invoices go from the inbox to paid with nobody typing them in." for p in ENGINEERS
    }
    vision |= {p: "A secret design answer about delightful onboarding flows." for p in DESIGNERS}
    vision |= {p: "An AI that replaces the accounts payable clerk." for p in SALES}
    vision |= {p: "Be the best loved brand in finance software." for p in MARKETING}
    priorities = {p: "1. touchless rate 2. NetSuite sync" for p in ENGINEERS + DESIGNERS}
    priorities |= {p: "SOC 2 certification; win the big deal" for p in SALES}
    priorities |= {p: "1. brand 2. events" for p in MARKETING}
    questions = [
        Question("q1", "Vision?", "vision", VISION, vision),
        Question("q2", "Priorities?", "priorities", "", priorities),
    ]
    direction = {p.id: 5 for p in people}
    return people, questions, direction


def test_small_groups_and_their_quotes_appear_nowhere(embedder):
    people, questions, direction = organisation()
    report = analyze_checkin(people, questions, GOALS, direction, 5, embedder)
    text = json.dumps(report)
    assert "design" not in text.lower()  # 2 designers: under the threshold
    vision = report["questions"][0]
    names = [g["name"] for g in vision["by"]["function"]["groups"]]
    # Design alone could be worked out from the total, so the next smallest group goes too.
    assert names == ["engineering", "sales"]
    assert vision["by"]["function"]["hidden_groups"] == 2
    assert vision["by"]["function"]["hidden_n"] == 7
    for group in vision["interpretations"]["groups"]:
        assert group["size"] >= 5 and all(n >= 5 for n in group["functions"].values())
        assert group["other_functions"] == 0 or group["other_functions"] >= 5


def test_it_finds_the_divergent_function_and_the_faux_alignment(embedder):
    people, questions, direction = organisation()
    report = analyze_checkin(people, questions, GOALS, direction, 5, embedder)
    groups = {g["name"]: g for g in report["questions"][0]["by"]["function"]["groups"]}
    assert groups["engineering"]["fidelity"] > groups["sales"]["fidelity"] + 20
    bars = report["questions"][0]["fidelity_histogram"]
    assert sum(b["n"] for b in bars) == 18 and all(b["n"] == 0 or b["n"] >= 5 for b in bars)
    assert [b["from"] for b in bars] == sorted(b["from"] for b in bars)
    assert report["quadrant"]["counts"]["faux_alignment"] >= 5  # sales agree, understood else
    assert "points" not in report["quadrant"]  # counts only: no value per person, in any order
    shadow = report["priorities"]["shadow"]
    assert shadow and shadow[0]["people"] == 5


def test_a_shadow_prioritys_word_needs_as_many_people_as_the_threshold(embedder):
    """Two salespeople name three priorities each with a word nobody else writes: six texts
    use it, but two people, so it must not name the shadow priority they share with others,
    and their six texts must not fill its quotes."""
    people, questions, direction = organisation()
    planted = "SOC 2 certification, Zebracorp; SOC 2 certification for Zebracorp; "
    planted += "Zebracorp SOC 2 certification; win the big deal"
    questions[1].answers |= {"s0": planted, "s1": planted}
    report = analyze_checkin(people, questions, GOALS, direction, 5, embedder)
    soc = [s for s in report["priorities"]["shadow"] if any("SOC" in q for q in s["quotes"])]
    assert soc and soc[0]["people"] >= 5 and soc[0]["words"]
    assert not any("zebracorp" in word for s in soc for word in s["words"])
    # Its quotes are different people's, and no quote twice.
    quotes = [q.casefold() for s in report["priorities"]["shadow"] for q in s["quotes"]]
    assert len(quotes) == len(set(quotes))
    assert sum("zebracorp" in q for q in soc[0]["quotes"]) <= 2


def test_fewer_people_than_the_threshold_show_nothing(embedder):
    people, questions, direction = organisation()
    report = analyze_checkin(people[:4], questions, GOALS, {"e0": 5}, 5, embedder)
    assert report == {"threshold": 5, "respondents": 4, "suppressed": True}


def test_trend_compares_headline_figures(embedder):
    people, questions, direction = organisation()
    now = analyze_checkin(people, questions, GOALS, direction, 5, embedder)
    before = analyze_checkin(people, questions, GOALS, {p: 2 for p in direction}, 5, embedder)
    assert trend(now, before)["direction.agree"] == {"now": 1.0, "before": 0.0, "change": 1.0}


def test_a_report_names_the_model_that_scored_it_and_keeps_the_name_when_cut(embedder):
    people, questions, direction = organisation()
    report = analyze_checkin(people, questions, GOALS, direction, 5, embedder)
    assert report["scored_by"] == embedder.model_name
    assert at_threshold(report, 9)["scored_by"] == embedder.model_name


def test_a_report_scored_after_its_model_was_fitted_again_is_not_scored_alike_with_one_before(
    embedder, monkeypatch
):
    """fp32 all-MiniLM-L6-v2 got its own score projection after reports began naming their
    model: its reports from before read the same answers differently, so no trend joins them."""
    people, questions, direction = organisation()
    fp32 = OnnxEmbedder(precision="fp32", store=embedder.store)
    monkeypatch.setattr(calibration, "_selected", fp32.model_name)  # as get_embedder selects it
    report = analyze_checkin(people, questions, GOALS, direction, 5, fp32)
    assert report["scored_by"].startswith(f"{fp32.model_name} (score fitted 20")
    assert not scored_alike(report, {"scored_by": fp32.model_name})
    assert scored_alike(report, {"scored_by": report["scored_by"]})


def test_reports_are_scored_alike_unless_both_name_different_models():
    int8, fp32 = {"scored_by": "all-MiniLM-L6-v2+int8"}, {"scored_by": "all-MiniLM-L6-v2"}
    assert scored_alike(int8, dict(int8)) and not scored_alike(int8, fp32)
    assert scored_alike(int8, {}) and scored_alike({}, {})  # published before reports said


def stored_report():
    """A report as an earlier version stored it: per-answer scores and quadrant points."""
    groups = {"groups": [{"name": "sales", "n": 5, "fidelity": 30.0}], "hidden_groups": 2}
    vision = {
        "key": "q1",
        "prompt": "The vision?",
        "role": "vision",
        "n": 8,
        "fidelity": 50.0,
        "fidelity_answers": [10.0, 20.0, 30.0, 40.0, 55.0, 60.0, 70.0, 80.0],
        "by": {"function": groups, "team": groups},
        "across": [{"a": "sales", "b": "engineering", "coherence": 40.0}],
        "interpretations": {
            "groups": [{"size": 4, "functions": {"sales": 4}, "other_functions": 0}],
            "in_small_groups": 4,
        },
    }
    quadrant = {"n": 8, "counts": {"aligned": 4}, "points": [[50.0, 4]], "by": {"team": groups}}
    return {
        "threshold": 3,
        "respondents": 8,
        "questions": [vision],
        "quadrant": quadrant,
        "direction": {"n": 6, "mean": 4.0, "by": {"team": groups}},
        "priorities": {"suppressed": True},
        "line_of_sight": {"suppressed": True},
        "trend": {"direction.agree": {"now": 1, "before": 0, "change": 1}},
    }


def test_a_report_from_before_the_audit_is_cut_to_whole_checkin_figures():
    shown = at_threshold(stored_report(), 5)
    assert shown["cut"] and shown["threshold"] == 5 and "trend" not in shown
    vision = shown["questions"][0]
    assert "fidelity_answers" not in vision and vision["across"] == []
    assert all(bar["n"] == 0 or bar["n"] >= 5 for bar in vision["fidelity_histogram"])
    assert sum(bar["n"] for bar in vision["fidelity_histogram"]) == 8
    assert vision["by"]["team"]["groups"] == []
    assert vision["interpretations"] == {"groups": [], "in_small_groups": 8}
    assert "points" not in shown["quadrant"] and shown["quadrant"]["by"]["team"]["groups"] == []
    # 6 people answered the direction scale, 8 the rest: 2 apart, a difference under 5.
    assert shown["direction"] == {"suppressed": True}


def test_a_report_under_the_same_or_a_higher_threshold_is_shown_as_it_is():
    report = {"threshold": 6, "respondents": 8, "withheld": 0, "questions": []}
    assert at_threshold(report, 5) is report and at_threshold(report, 6) is report
    assert at_threshold(report, 9) == {
        "threshold": 9,
        "respondents": 8,
        "cut": True,
        "suppressed": True,
    }


def audited_report(**vision):
    """A report after the joint audit, as stored before groups of answers joined it."""
    reading = {"size": 5, "fidelity": 70.2, "quotes": ["Automate AP"]}
    theme = {"size": 8, "fidelity": 63.8, "readings": {"groups": [reading], "in_small_groups": 3}}
    question = {
        "key": "q1",
        "n": 14,
        "fidelity": 60.1,
        "interpretations": {"groups": [{"size": 6, "fidelity": 66.4}], "in_small_groups": 8},
        "themes": {"groups": [theme], "in_small_groups": 6},
        **vision,
    }
    return {"threshold": 5, "respondents": 14, "withheld": 0, "questions": [question]}


def test_groups_of_answers_stored_before_their_audit_are_shown_without_their_fidelity():
    shown = at_threshold(audited_report(), 5)["questions"][0]
    theme = shown["themes"]["groups"][0]
    assert shown["interpretations"]["groups"][0] == {"size": 6, "fidelity": None}
    assert (theme["fidelity"], theme["readings"]["groups"][0]["fidelity"]) == (None, None)
    assert theme["readings"]["groups"][0]["quotes"] == ["Automate AP"]
    assert (shown["n"], shown["fidelity"]) == (14, 60.1)  # the section's own figures stay


def test_groups_of_answers_audited_with_the_report_are_shown_as_they_are():
    report = audited_report(fidelity_withheld=1)
    report["questions"][0]["themes"]["quoted_at"] = 5  # and quoted as quotable chooses
    assert at_threshold(report, 5) is report


def test_a_cut_report_shows_no_fidelity_of_a_group_of_answers():
    shown = at_threshold(audited_report(fidelity_withheld=0), 6)["questions"][0]
    assert shown["interpretations"]["groups"] == [
        {"size": 6, "fidelity": None, "functions": {}, "other_functions": 6}
    ]
    assert shown["themes"]["groups"][0]["fidelity"] is None


def breakdown(shown: int, hidden: int) -> dict:
    return {"groups": [{"name": f"g{i}", "n": 6} for i in range(shown)], "hidden_groups": hidden}


def test_a_cut_report_counts_every_group_its_breakdowns_no_longer_show():
    """The demo's Q4 pulse under a threshold raised from 5 to 6: 7 of its 9 functions and 8 of
    its 11 teams were withheld under 5, and the cut shows no breakdown, so all 20 go unshown,
    as each breakdown's own count says; the page's and report.json's total must not say 15."""
    by = {"function": breakdown(2, 7), "team": breakdown(3, 8)}
    vision = {"key": "q1", "role": "vision", "n": 35, "fidelity": 50.0, "by": by}
    report = {
        "threshold": 5,
        "respondents": 35,
        "withheld": 15,
        "questions": [vision],
        "direction": {"n": 35, "mean": 3.5, "by": {"function": breakdown(1, 8)}},
    }
    assert at_threshold(report, 5)["withheld"] == 15
    shown = at_threshold(report, 6)
    unshown = shown["questions"][0]["by"]
    assert (unshown["function"]["hidden_groups"], unshown["team"]["hidden_groups"]) == (9, 11)
    assert shown["withheld"] == 20


class Recording:
    """The real model, noting every text it is asked to embed."""

    def __init__(self, embedder):
        self.embedder, self.asked = embedder, set()
        self.model_name, self.dimensions = embedder.model_name, embedder.dimensions

    def encode(self, texts, progress=None):
        self.asked.update(texts)
        return self.embedder.encode(texts, progress=progress)


def test_only_texts_a_section_reads_are_embedded(embedder):
    """A priorities answer is read item by item: embedding it whole was most of a cold
    analysis's work where people named three priorities each. A comment is themed, so read."""
    people, questions, direction = organisation()
    comments = {p.id: f"Comment number {i} about the offsite." for i, p in enumerate(people)}
    questions.append(Question("q3", "Anything else?", "comment", "", comments))
    recording = Recording(embedder)
    analyze_checkin(people, questions, GOALS, direction, 5, recording)
    assert {"touchless rate", "NetSuite sync", "brand"} <= recording.asked  # the items
    assert "1. touchless rate 2. NetSuite sync" not in recording.asked
    assert set(comments.values()) <= recording.asked
    assert set(questions[0].answers.values()) <= recording.asked


def test_a_theme_is_quoted_only_from_a_reading_enough_people_share():
    """The answer page promises a quote only where `threshold` people answered the same way: a
    theme four people talk about, each reading it their own way, quotes none of them."""
    centre = np.ones(2) / np.sqrt(2)
    alone = [Interpretation([m], centre, quotes=[m]) for m in range(4)]
    theme = Theme([0, 1, 2, 3], centre, label="screen", quotes=[2, 0, 1], readings=alone)
    assert quotable(theme, 3) == []
    shared = [Interpretation([0, 1, 3], centre, quotes=[3, 1]), Interpretation([2], centre)]
    theme.readings = shared
    assert quotable(theme, 3) == [0, 1]  # the closest of the shared reading's, in order
    theme.quotes = [2]
    assert quotable(theme, 3) == [3]  # none of the theme's own: the shared reading's closest


def stored_theme(in_small_groups: int, words=("screen",)) -> dict:
    reading = {"size": 5, "quotes": ["Faster screens for packers."], "words": ["screen"]}
    return {
        "label": "screen" if words else "Backend performance keeps",
        "words": list(words),
        "size": 9,
        "quotes": ["Backend performance keeps the app fast.", "Faster screens."],
        "readings": {"groups": [reading], "in_small_groups": in_small_groups},
    }


def test_a_stored_theme_is_quoted_only_from_readings_shown_beside_it():
    """Reports computed before quotable, or shown under a raised threshold, quoted answers a
    smaller reading held: at read time they quote the largest shown reading, or nothing."""
    old = {"groups": [stored_theme(4), stored_theme(0)], "in_small_groups": 0}
    quoted = themes_quoted(old, 5)
    leaky, whole = quoted["groups"]
    assert (
        leaky["quotes"] == ["Faster screens for packers."]
        and whole["quotes"] == old["groups"][1]["quotes"]
    )
    unlabelled = themes_quoted({"groups": [stored_theme(4, words=())]}, 5)["groups"][0]
    assert unlabelled["label"] == "" and "Backend" not in json.dumps(unlabelled)
    assert themes_quoted({**old, "quoted_at": 5}, 5) == {**old, "quoted_at": 5}  # chosen so


def test_a_team_at_the_threshold_is_shown_when_hiding_it_protects_no_one(embedder):
    """Workflow 5 and Capture 5, one product manager in each: product (2) and engineering (8,
    everyone less product) are hidden; both teams are shown, and the breakdown counts how
    many hidden groups are under the threshold, so a page can say why each is hidden."""
    teams = {
        "Workflow": ["w1", "w2", "w3", "w4", "pm1"],
        "Capture": ["c1", "c2", "c3", "c4", "pm2"],
    }
    people = [
        Respondent(p, {"function": "product" if p.startswith("pm") else "engineering", "team": t})
        for t, members in teams.items()
        for p in members
    ]
    answers = {
        p.id: "Invoices go from the inbox to paid with nobody typing them in." for p in people
    }
    questions = [Question("q1", "Vision?", "vision", VISION, answers)]
    report = analyze_checkin(people, questions, GOALS, {p.id: 4 for p in people}, 5, embedder)
    by = report["questions"][0]["by"]
    assert sorted(g["name"] for g in by["team"]["groups"]) == ["Capture", "Workflow"]
    assert by["team"]["hidden_groups"] == 0
    assert by["function"] == {
        "groups": [],
        "hidden_groups": 2,
        "hidden_n": 10,
        "hidden_small": 1,
    }
