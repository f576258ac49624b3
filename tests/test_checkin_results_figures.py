"""What a check-in's results page prints beside its figures."""

from django.template.loader import render_to_string


def test_every_bar_of_a_histogram_prints_its_count_even_an_empty_one():
    """Check-in 6's fidelity histogram printed "0–10 / 10–20 / 20–30" with no count beside them."""
    bars = [
        {"from": 0.0, "to": 10.0, "n": 0},
        {"from": 10.0, "to": 20.0, "n": 0},
        {"from": 20.0, "to": 100.0, "n": 12},
    ]
    page = render_to_string(
        "checkins/histogram.html", {"bars": bars, "caption": "Fidelity", "report": {"threshold": 5}}
    )
    assert page.count('class="bar-count">0</text>') == 2
    assert 'class="bar-count">12</text>' in page


def test_the_relation_bar_says_what_may_deny_the_vision_and_that_it_is_not_counted():
    question = {
        "key": "q1",
        "role": "vision",
        "source": "Vision v3",
        "relations": {"conveys": 0.7, "partly": 0.3, "contradicts": 0.0, "unrelated": 0.0},
        "may_deny": 0.488,
        "themes": {"groups": [{"size": 6, "may_deny": True, "quotes": ["Not captured."]}]},
    }
    page = render_to_string("checkins/relations.html", {"q": question, "report": {"threshold": 5}})
    assert "May deny the vision" in page
    assert "49% (not counted as contradicting" in page
    assert "a reversal in other words can go unflagged" in page
    assert 'href="#interpretations-q1"' in page
    # Where no reading that may deny it is shared by the threshold, none is quoted: no link to
    # "the readings", which had led to "No answer is quoted".
    question["themes"]["groups"][0]["may_deny"] = False
    page = render_to_string("checkins/relations.html", {"q": question, "report": {"threshold": 5}})
    assert 'href="#interpretations-q1"' not in page
    assert "none is quoted: no reading that may deny it is shared by 5 people" in page
