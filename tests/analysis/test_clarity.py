import pytest

from truenorth.analysis.clarity import (
    BUZZWORD_PENALTY,
    GOAL_SUGGESTIONS,
    GOAL_WEIGHTS,
    JARGON_PENALTY,
    MAX_PENALTY,
    PART_SUGGESTIONS,
    SUPERLATIVE_PENALTY,
    WEIGHTS,
    check_clarity,
    check_goal_clarity,
)

COMPLETE = (
    "By 2028, median month-end close for mid-market finance controllers goes from 9 days to 3, "
    "so they get their evenings back and we grow net revenue retention to 115%."
)
BUZZWORDS = (
    "We leverage world-class, AI-powered synergy to deliver a seamless, end-to-end ERP "
    "experience for AP teams."
)

# Real statements, verbatim from the companies' own published mission and vision pages.
GOOGLE = (
    "Google's mission is to organize the world's information and make it universally "
    "accessible and useful."
)
MICROSOFT = (
    "Our mission is to empower every person and every organization on the planet to achieve more."
)
AIRBNB = "To create a world where anyone can belong anywhere."
TESLA = "Tesla's mission is to accelerate the world's transition to sustainable energy."
GATES_1980 = "A computer on every desk and in every home."
KENNEDY_1961 = (
    "This nation should commit itself to achieving the goal, before this decade is out, of "
    "landing a man on the moon and returning him safely to the earth."
)
EMPTY_PARTS = dict.fromkeys(WEIGHTS, "")


def test_the_weights_sum_to_100_and_a_complete_statement_scores_100():
    assert sum(WEIGHTS.values()) == 100
    result = check_clarity(COMPLETE)
    assert result.missing == []
    assert result.findings == []
    assert result.score == 100


def test_a_complete_statement_scores_far_above_a_buzzword_one():
    assert check_clarity(COMPLETE).score >= check_clarity(BUZZWORDS).score + 60


def test_each_buzzword_is_found_where_it_is():
    result = check_clarity(BUZZWORDS)
    phrases = [f.phrase for f in result.findings if f.kind == "buzzword"]
    assert phrases == ["leverage", "world-class", "AI-powered", "synergy", "seamless", "end-to-end"]
    for finding in result.findings:
        assert BUZZWORDS[finding.start : finding.end] == finding.phrase
        assert finding.where == "statement"
        assert finding.suggestion


def test_unknown_acronyms_are_jargon_unless_common_glossed_or_spelled_out():
    result = check_clarity(BUZZWORDS)
    assert [f.phrase for f in result.findings if f.kind == "jargon"] == ["ERP", "AP"]
    assert "AI" not in {f.phrase for f in result.findings}  # common, and inside "AI-powered"
    glossed = check_clarity(BUZZWORDS, glossary={"erp", "AP"})
    assert not [f for f in glossed.findings if f.kind == "jargon"]
    assert (result.explained, glossed.explained) == ([], ["ERP", "AP"])  # a reader is shown where
    spelled = check_clarity("Every accounts payable (AP) clerk in the US and UK closes on time.")
    assert spelled.findings == []


def test_plural_acronyms_and_repeats_are_reported_once_at_the_first_place():
    text = "Our SOC analysts triage CVEs. Every SOC shift ends on time."
    result = check_clarity(text)
    assert [(f.phrase, f.start) for f in result.findings] == [("SOC", 4), ("CVEs", 24)]


def test_a_roman_numeral_after_a_name_is_its_number_not_an_acronym():
    text = "The SOC 2 Type II audit and Phase III are on track; the IV line is new."
    assert [f.phrase for f in check_clarity(text).findings if f.kind == "jargon"] == [
        "SOC",
        "IV",
    ]


def test_shouting_is_not_jargon():
    assert check_clarity("WE WILL WIN THE MARKET BY 2030").findings == []


def test_the_penalty_is_capped():
    pile = " ".join(["leverage synergy seamless robust holistic innovative disrupt"] * 5)
    result = check_clarity(pile, parts={"destination": "Three-day close"})
    assert result.score == max(0, WEIGHTS["destination"] - MAX_PENALTY)
    assert len(result.findings) == 7  # each distinct phrase once


@pytest.mark.parametrize("missing", list(WEIGHTS))
def test_each_missing_part_is_reported_with_its_suggestion(missing):
    # A box filled with anything counts, but for the measure and the horizon (checked below).
    filled = dict.fromkeys(WEIGHTS, "x") | {"measures_of_progress": "rate", "horizon": "2028"}
    parts = {name: text for name, text in filled.items() if name != missing}
    result = check_clarity("", parts)
    assert result.missing == [missing]
    assert result.score == 100 - WEIGHTS[missing]
    assert PART_SUGGESTIONS[missing] in result.suggestions


def test_filled_parts_count_even_when_the_statement_is_empty():
    parts = {
        "destination": "Three-day close",
        "measures_of_progress": "Median days to close, from 9 to 3",
        "target_user": "Finance controllers",
        "user_benefit": "No more weekend closes",
        "business_outcome": "Net revenue retention 115%",
        "horizon": "2028",
    }
    result = check_clarity("", parts)
    assert result.score == 100
    assert all(part.source == "field" for part in result.parts.values())


def test_blank_parts_fall_back_to_the_statement():
    result = check_clarity(COMPLETE, {**EMPTY_PARTS, "horizon": "   "})
    assert result.parts["horizon"].source == "statement"
    assert result.parts["horizon"].evidence == "By 2028"


def test_a_measure_without_a_number_gets_a_target_suggestion():
    result = check_clarity("", {"measures_of_progress": "Median close time"})
    assert result.parts["measures_of_progress"].present
    assert any("a number that moves" in s for s in result.suggestions)


def test_a_year_is_a_horizon_not_a_measure():
    result = check_clarity("Every finance controller will love closing the books by 2028.")
    assert result.parts["horizon"].present
    assert not result.parts["measures_of_progress"].present


def test_buzzwords_in_the_parts_are_found_in_that_part():
    result = check_clarity(COMPLETE, {"user_benefit": "A delightful, frictionless close"})
    found = {(f.phrase, f.where) for f in result.findings}
    assert found == {("delightful", "user_benefit"), ("frictionless", "user_benefit")}
    assert result.findings[0].where_label == "User benefit"


def test_suggestions_are_sentences_that_quote_the_phrase():
    result = check_clarity("A robust platform.")
    assert any("“robust”" in s for s in result.suggestions)
    assert any("from 41% to 70%" in s for s in result.suggestions)


@pytest.mark.parametrize("text", [GOOGLE, MICROSOFT, AIRBNB, TESLA, GATES_1980])
def test_real_missions_name_a_destination_but_no_measure_or_horizon(text):
    # Famous missions are memorable because they leave the measuring to the strategy below them.
    result = check_clarity(text)
    assert result.parts["destination"].present
    assert {"measures_of_progress", "horizon"} <= set(result.missing)
    assert 0 < result.score < check_clarity(COMPLETE).score


def test_real_missions_that_name_people_get_credit_for_a_target_user():
    assert check_clarity(MICROSOFT).parts["target_user"].evidence == "person"
    assert check_clarity(AIRBNB).parts["target_user"].evidence == "anyone"
    assert not check_clarity(TESLA).parts["target_user"].present


def test_a_real_mission_is_not_spared_its_buzzword():
    (finding,) = check_clarity(MICROSOFT).findings
    assert (finding.kind, finding.phrase) == ("buzzword", "empower")
    assert MICROSOFT[finding.start : finding.end] == "empower"


def test_a_real_vision_with_a_deadline_has_a_horizon():
    result = check_clarity(KENNEDY_1961)
    assert result.parts["horizon"].evidence == "before this decade"


def test_real_missions_outscore_buzzwords():
    assert (
        min(check_clarity(t).score for t in (GOOGLE, MICROSOFT, AIRBNB))
        > check_clarity(BUZZWORDS).score
    )


@pytest.mark.parametrize("text", ["", "   ", "Innovation.", "\x00\u202e", "% from to", "Q9 H3"])
def test_odd_input_gives_a_result_not_an_error(text):
    result = check_clarity(text, {"bogus": "ignored"})
    assert 0 <= result.score <= 100
    assert set(result.parts) == set(WEIGHTS)


# --- Goals ---

GOOD_GOAL = {
    "title": "Raise the touchless invoice rate from 41% to 70%",
    "why": "Controllers spend their month-end retyping invoices instead of reviewing them.",
    "why_now": "Two competitors launched capture this year and our renewals mention it.",
    "metric": "Share of invoices posted with no human edit",
    "target": "70% by the end of H2",
    "period": "2026-H2",
}
OUTPUT_GOAL = {
    "title": "Launch the new analytics dashboard",
    "why": "It is on the roadmap.",
    "why_now": "",
    "metric": "Dashboard usage",
    "target": "Higher",
    "period": "Soon",
}


def test_a_complete_goal_scores_100_and_a_bare_one_names_what_is_missing():
    good = check_goal_clarity(GOOD_GOAL)
    assert (good.score, good.missing, good.findings) == (100, [], [])
    bad = check_goal_clarity(OUTPUT_GOAL)
    assert bad.missing == ["outcome", "measure", "benefit", "why_now", "horizon"]
    assert bad.score == 0
    assert GOAL_SUGGESTIONS["outcome"] in bad.suggestions


@pytest.mark.parametrize(
    "title",
    ["Ship payments v2", "Migrate to the new ledger", "Roll out SSO to all tenants", "Add tags"],
)
def test_a_goal_that_names_a_piece_of_work_is_an_output_not_an_outcome(title):
    assert "outcome" in check_goal_clarity({**GOOD_GOAL, "title": title}).missing


def test_a_target_needs_a_number_and_a_metric():
    assert "measure" in check_goal_clarity({**GOOD_GOAL, "target": "much better"}).missing
    assert "measure" in check_goal_clarity({**GOOD_GOAL, "metric": ""}).missing
    assert "measure" not in check_goal_clarity({**GOOD_GOAL, "target": "under 3 weeks"}).missing


def test_goal_wording_is_pointed_out_once_per_goal_where_it_first_stands():
    goal = {
        **GOOD_GOAL,
        "title": "Make ERP sync world-class for every ERP customer",
        "why": "Controllers lose days when ERPs fail silently.",
    }
    result = check_goal_clarity(goal)
    phrases = [(f.phrase, f.where) for f in result.findings]
    assert phrases == [("ERP", "title"), ("world-class", "title")]
    assert result.findings[0].where_label == "What"
    # A result named by a buzzword ("world-class") is no outcome anyone can check, so the title
    # loses its outcome as well as the buzzword's points.
    assert result.missing == ["outcome"]
    assert result.score == 100 - GOAL_WEIGHTS["outcome"] - JARGON_PENALTY - BUZZWORD_PENALTY
    known = check_goal_clarity(goal, glossary={"erp"})
    assert [f.phrase for f in known.findings] == ["world-class"]
    assert known.explained == ["ERP"]  # once, as first written
    assert check_goal_clarity(goal, glossary={"us"}).explained == []  # a common one is no jargon


def test_a_filled_box_counts_only_if_it_says_what_its_part_must():
    """Filling every box with words used to score 100: "Growth" names no number and "Soon" no
    time. The parts a reader can check are checked in their boxes as in the statement."""
    vague = {
        "destination": "We want to be the best",
        "measures_of_progress": "Growth",
        "target_user": "Everyone",
        "user_benefit": "Happiness",
        "business_outcome": "Growth",
        "horizon": "Soon",
    }
    result = check_clarity("We want to be the best.", vague)
    assert {"measures_of_progress", "horizon"} <= set(result.missing)
    assert PART_SUGGESTIONS["horizon"] in result.suggestions
    assert any(f.phrase == "be the best" for f in result.findings)
    assert result.score <= 100 - WEIGHTS["measures_of_progress"] - WEIGHTS["horizon"]
    counted = {**vague, "measures_of_progress": "The number of invoices paid each month"}
    assert check_clarity("", {**counted, "horizon": "End of 2028"}).parts["horizon"].present
    assert check_clarity("", counted).parts["measures_of_progress"].present


def test_a_sentence_opening_with_its_date_states_a_destination_without_will():
    dated = "By end of 2027, a controller approves a supplier invoice in under 2 days, not 9."
    assert check_clarity(dated).parts["destination"].present
    assert (
        check_clarity("In Q3 2028, every store reorders stock by itself.")
        .parts["destination"]
        .present
    )
    assert not check_clarity("By 2027, revenue.").parts["destination"].present  # no sentence


@pytest.mark.parametrize(
    "claim", ["the best", "number one", "the market leader", "unrivalled", "the largest"]
)
def test_a_superlative_is_flagged_costs_points_and_is_no_destination_or_outcome(claim):
    result = check_clarity(f"We will be {claim} in accounts payable software.")
    assert [f.kind for f in result.findings] == ["superlative"]
    assert "destination" in result.missing and "business_outcome" in result.missing
    plain = check_clarity("We will pay every supplier invoice in accounts payable software.")
    assert plain.parts["destination"].present
    assert result.score == max(0, plain.score - WEIGHTS["destination"] - SUPERLATIVE_PENALTY)


def test_a_destination_made_of_a_buzzword_is_no_destination():
    assert "destination" in check_clarity("Our customers will be delighted by what we do").missing
    assert "destination" not in check_clarity("Our customers will pay suppliers in a day").missing


def test_a_goal_whose_result_is_a_buzzword_is_no_outcome():
    goal = {**GOOD_GOAL, "title": "Increase synergy 50% by 2027"}
    result = check_goal_clarity(goal)
    assert "outcome" in result.missing
    assert [f.phrase for f in result.findings] == ["synergy"]
    assert (
        "outcome"
        not in check_goal_clarity({**GOOD_GOAL, "title": "Halve supplier onboarding time"}).missing
    )


# "Who gains, and what" needs both halves: people, and what they gain.
DISPATCH_GOAL = {
    "title": "Dispatchers plan a day of routes in under 10 minutes",
    "why": (
        "Dispatchers at small fleets lose two hours every morning fitting stops to vans; with "
        "the routes planned for them they finish before 9am instead."
    ),
    "why_now": "Three fleets left us last quarter and named planning time as the reason.",
    "metric": "Median minutes to plan a day of routes",
    "target": "under 10 minutes",
    "period": "2026-H2",
}


def test_a_why_naming_a_role_and_the_time_it_loses_says_who_gains_and_what():
    result = check_goal_clarity(DISPATCH_GOAL)
    assert result.parts["benefit"].present
    assert result.parts["benefit"].evidence == "Dispatchers … lose two hours"
    assert result.score == 100


def test_a_why_naming_people_but_no_gain_misses_the_part_and_asks_what_they_gain():
    goal = {"title": "Launch the new route optimizer", "why": "Customers asked for it."}
    result = check_goal_clarity(goal)
    assert "benefit" in result.missing
    (asked,) = [s for s in result.suggestions if "gain" in s]
    assert asked.startswith("Say what they gain: “Customers” says who")


def test_a_gain_with_no_people_misses_the_part_and_asks_who_gains():
    result = check_goal_clarity({"why": "Planning gets faster and needs no spreadsheet."})
    assert "benefit" in result.missing
    assert any(s.startswith("Say who gains") for s in result.suggestions)


@pytest.mark.parametrize(
    "why",
    [
        "Operators waste hours retyping manifests.",
        "Dentists spend their evenings on manual charting.",
        "Technicians can close a job from the van.",
        "Accountants make fewer errors at month end.",
        "Our retention drops every quarter.",  # the business gains, and is who gains
    ],
)
def test_roles_a_list_cannot_foresee_count_as_who_gains(why):
    assert check_goal_clarity({"why": why}).parts["benefit"].present


@pytest.mark.parametrize(
    "why",
    [
        "Orders and numbers are late every morning.",
        "Others wait for hours.",
        "Letters from the centers get lost, and the errors cost time.",
    ],
)
def test_things_that_end_like_roles_are_not_people(why):
    result = check_goal_clarity({"why": why})
    assert "benefit" in result.missing
    assert any(s.startswith("Say who gains") for s in result.suggestions)


def test_a_vision_names_its_target_user_by_role_too():
    vision = "By 2028 every dispatcher plans a day in 10 minutes so that dispatchers go home."
    assert check_clarity(vision).parts["target_user"].evidence == "dispatchers"
    assert not check_clarity("Orders ship in a day by 2028.").parts["target_user"].present


# --- Acronyms with digits in them, and parts filled in with words that fit any product. ---


@pytest.mark.parametrize("acronym", ["P2P", "E2E", "B2B", "K8s", "3DS", "ISO20022", "2FA", "H3"])
def test_an_acronym_with_a_digit_is_jargon_too(acronym):
    result = check_clarity(f"Our controllers move every supplier payment to {acronym} by 2028.")
    assert [(f.kind, f.phrase) for f in result.findings] == [("jargon", acronym)]
    assert f"Spell out {acronym} or add it to the glossary" in result.findings[0].suggestion


@pytest.mark.parametrize(
    "plain",
    ["Q3", "H1", "2026-H2", "2026H2", "3Q", "FY27", "2027", "10x", "10X", "50%", "$20M", "5K",
     "1.5B", "v2", "V2", "9AM", "500MB", "3D", "5G", "CO2"],
)  # fmt: skip
def test_times_amounts_versions_and_common_words_with_digits_are_not_jargon(plain):
    """A quarter or a half, a fiscal year, a number with its unit, a multiple, a version or an
    acronym everyone reads in the news is understood outside the team."""
    assert (
        check_clarity(f"Our controllers will close the books with {plain} to spare.").findings == []
    )


def test_an_acronym_with_a_digit_is_explained_by_the_glossary_or_in_brackets():
    text = "Every supplier is paid peer-to-peer (P2P); the K8s (Kubernetes) cluster runs B2B."
    assert [f.phrase for f in check_clarity(text).findings] == ["B2B"]
    glossed = check_clarity("We run K8s for B2Bs.", glossary={"K8s", "b2b"})
    assert glossed.findings == []
    assert glossed.explained == ["K8s", "B2Bs"]


@pytest.mark.parametrize(
    "filler",
    ["They get more value.", "Better outcomes for everyone.", "A world-class, best-in-class "
     "experience for all.", "Synergy and success.", "Everyone"],
)  # fmt: skip
def test_a_part_of_only_filler_words_says_nothing_and_is_not_ticked(filler):
    parts = {"user_benefit": filler, "business_outcome": filler}
    result = check_clarity(COMPLETE, parts)
    for name in ("user_benefit", "business_outcome"):
        part = result.parts[name]
        assert (part.present, part.says_nothing, part.source) == (False, True, "field")
    advice = next(s for s in result.suggestions if s.startswith("User benefit:"))
    assert f"“{filler}” says nothing concrete" in advice
    assert advice.endswith(PART_SUGGESTIONS["user_benefit"])  # says what to add
    assert result.score <= 100 - WEIGHTS["user_benefit"] - WEIGHTS["business_outcome"]


def test_the_advice_quotes_the_words_that_fit_any_product():
    result = check_clarity("", {"user_benefit": "They get more value."})
    assert (
        "User benefit: “They get more value.” says nothing concrete: “more” and “value” could be "
        f"said of any product. {PART_SUGGESTIONS['user_benefit']}"
    ) in result.suggestions


@pytest.mark.parametrize(
    "concrete",
    ["Less time spent on invoices.", "Customers get more value.", "Better sleep for nurses",
     "50% more", "No more weekend closes", "x"],
)  # fmt: skip
def test_a_part_that_names_who_or_what_still_counts(concrete):
    part = check_clarity("", {"user_benefit": concrete}).parts["user_benefit"]
    assert (part.present, part.says_nothing) == (True, False)


def test_a_statement_of_only_filler_words_shows_no_part():
    result = check_clarity("Better outcomes for everyone.")
    assert result.score == 0 and not any(part.present for part in result.parts.values())
    assert result.suggestions[0].startswith(
        "Statement: “Better outcomes for everyone.” says nothing concrete"
    )
    assert not any(part.says_nothing for part in result.parts.values())  # nothing filled in


def test_a_goal_whose_what_or_why_says_nothing_is_not_ticked():
    goal = {**GOOD_GOAL, "title": "Better outcomes for everyone", "why": "They get more value."}
    result = check_goal_clarity(goal)
    assert {"outcome", "benefit"} <= set(result.missing)
    assert result.parts["outcome"].says_nothing and result.parts["benefit"].says_nothing
    assert any(
        s.startswith("What: “Better outcomes for everyone” says nothing")
        for s in result.suggestions
    )
    assert any(s.startswith("Why: “They get more value.” says nothing") for s in result.suggestions)
    assert check_goal_clarity(GOOD_GOAL).score == 100
