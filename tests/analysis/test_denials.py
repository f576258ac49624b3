"""Answers that deny the vision in its own words: "not captured", "still retyped" against a vision
that says "captured" and "without anyone retyping it". The texts are hand-written examples of
what people wrote in a check-in; whether the rule may count as a contradiction rests on held-out
data (benchmarks/denial_rule.py), not on them."""

from truenorth.analysis import cluster, fidelity, measures
from truenorth.analysis.report import Question, Respondent, analyze_checkin, source_parts
from truenorth.demo.content import VISION_VERSIONS

VISION = next(v for v in VISION_VERSIONS if "inbox to paid" in v["statement"])
PART_NAMES = ("destination", "measures_of_progress", "target_user", "user_benefit")
PARTS = {name: VISION[name] for name in (*PART_NAMES, "business_outcome", "horizon")}
STATEMENT = VISION["statement"]

DENIALS = [
    "We are not trying to automate invoices; AP teams will keep retyping them and chasing "
    "approvers.",
    "By the end of 2028, 80% of the invoices our customers receive are not captured, coded, "
    "approved, posted to their ERP and paid with no manual keying.",
    "Supplier invoices do not go from inbox to paid automatically; someone always has to retype "
    "them and chase an approver.",
    "No supplier invoice goes from inbox to paid without someone retyping it.",
    "Every supplier invoice is still retyped by hand and chased with an approver; that will "
    "never change.",
]
CONVEYING = [
    STATEMENT,
    "We want invoices to flow automatically from inbox to paid, so AP teams never have to key "
    "them in.",
    "No more manual data entry or approval chasing for payables teams in mid-market companies: "
    "invoices go straight from the inbox to payment, and a small team closes the month on time.",
    "A small AP team closes the month days sooner because invoices are captured, coded and "
    "approved without anyone typing them in.",
]
NOTHING = ["idk", "I don't know", "n/a"]


def read(embedder, answers: list[str]) -> list[fidelity.Reading]:
    question = Question("q1", "Our vision?", "vision", STATEMENT, {}, PARTS)
    return fidelity.read_all(answers, source_parts(question), embedder.encode, STATEMENT)


def report_of(embedder, answers: list[str]) -> dict:
    people = [Respondent(f"p{i}", {"function": "finance"}) for i in range(len(answers))]
    by_id = {p.id: text for p, text in zip(people, answers, strict=True)}
    question = Question("q1", "Our vision, in your words?", "vision", STATEMENT, by_id, PARTS)
    report = analyze_checkin(people, [question], [], {p.id: 4 for p in people}, 5, embedder)
    return report["questions"][0]


def test_an_answer_negating_what_the_vision_says_is_flagged_and_a_restatement_is_not(embedder):
    assert [r.denies for r in read(embedder, DENIALS)] == [True] * len(DENIALS)
    assert [r.denies for r in read(embedder, CONVEYING)] == [False] * len(CONVEYING)


def test_the_rule_reads_a_word_denied_either_way():
    said = "Invoices are captured and coded with no manual keying."
    assert fidelity.denies("Invoices are not captured.", said)  # negates what it says
    assert fidelity.denies("Invoices need manual keying.", said)  # says what it negates
    assert not fidelity.denies("Invoices are captured without keying.", said)


def test_the_report_shows_denials_apart_and_every_one_is_counted_or_shown(embedder):
    answers = [text for text in DENIALS for _ in range(2)] + CONVEYING * 3
    question = report_of(embedder, answers)
    denials = 2 * len(DENIALS) / len(answers)
    assert question["may_deny"] is not None
    assert question["relations"]["contradicts"] + question["may_deny"] >= round(denials, 3)
    for breakdown in question["by"].values():  # the question as a whole only
        assert all("may_deny" not in group for group in breakdown["groups"])


def test_a_denial_never_shares_a_reading_with_answers_conveying_the_vision(embedder):
    """A denial and a restatement negating other words ("not trying to automate" and "never have
    to key them in") were one reading, and a denial was the quote under "conveys … 77 / 100"."""
    answers = [DENIALS[0]] * 5 + [CONVEYING[1]] * 5 + [DENIALS[2]] * 5 + [CONVEYING[2]] * 5
    question = report_of(embedder, answers)
    groups = list(question["interpretations"]["groups"])
    for theme in question["themes"]["groups"]:
        groups += [theme, *theme["readings"]["groups"]]
    for group in groups:
        denying = [q for q in group["quotes"] if q in DENIALS]
        if denying and not (group.get("may_deny") or group.get("quotes_may_deny")):
            assert len(group["quotes"]) > len(denying), group  # never quoted as conveying it
        if group.get("may_deny"):
            assert set(group["quotes"]) <= set(DENIALS)
    readings = [r for t in question["themes"]["groups"] for r in t["readings"]["groups"]]
    readings += question["interpretations"]["groups"]
    for reading in readings:
        quoted = set(reading["quotes"])
        assert not (quoted & set(DENIALS) and quoted & set(CONVEYING)), reading


def test_interpretations_keep_denying_answers_apart(embedder):
    texts = [DENIALS[0], CONVEYING[1]] * 3
    vectors = embedder.encode(texts)
    apart = cluster.interpretations(vectors, texts, denying=[0, 2, 4])
    assert sorted(sorted(g.members) for g in apart) == [[0, 2, 4], [1, 3, 5]]


def test_answers_that_say_nothing_are_no_reading_of_the_vision(embedder):
    answers = CONVEYING * 2 + DENIALS[:2]
    alone = report_of(embedder, answers)["effective_interpretations"]
    with_nothing = report_of(embedder, answers + NOTHING * 2)["effective_interpretations"]
    assert with_nothing == alone


def test_the_share_contradicting_says_it_is_a_lower_bound_and_may_deny_says_it_is_not_counted():
    assert "at least" in measures.in_words("vision.contradicts", 0.0)
    assert "at least" in measures.in_words("open.contradicts", 0.0)
    may = measures.in_words("vision.may_deny", 12.0)
    assert may.startswith("12% (not counted as contradicting")
    assert "lower is better" not in may
    assert measures.measure("vision.may_deny").name == "May deny the vision"


def test_a_restatement_question_is_named_for_what_it_is():
    assert "open question" not in measures.measure("open.contradicts").name


# Answers a tester's team wrote against the demo's vision: the process it ends goes on.
KEEPS_IT = [
    "We want finance teams to keep retyping every invoice by hand and chasing approvers; as the "
    "company grows it should hire more AP clerks, and month-end close can run late.",
    "We should not automate invoices at all: the AP team must keep checking and retyping each "
    "invoice by hand, and approvers should be chased by email every day.",
]
NO_LONGER = {
    "destination": "By 2028 AP teams no longer retype supplier invoices by hand.",
    "user_benefit": "A small AP team closes the month on time as the company grows.",
}


def test_an_answer_saying_the_process_the_vision_ends_goes_on_may_deny_it(embedder):
    assert [r.denies for r in read(embedder, KEEPS_IT)] == [True, True]


def test_a_vision_that_says_no_longer_is_denied_by_an_answer_that_keeps_it(embedder):
    """A vision's "no longer" negated "longer", so "keep retyping" denied nothing of it."""
    keeps = [
        "AP teams keep retyping every supplier invoice by hand.",
        "Supplier invoices will still be retyped by hand, whatever the AP team's size.",
    ]
    restates = [
        "AP teams do not retype supplier invoices by hand any more.",
        "By 2028 nobody retypes a supplier invoice by hand.",
    ]
    readings = fidelity.read_all(keeps + restates, NO_LONGER, embedder.encode)
    assert [r.denies for r in readings] == [True, True, False, False]
    assert cluster.negated_words(NO_LONGER["destination"])[0] == {"retyp"}
