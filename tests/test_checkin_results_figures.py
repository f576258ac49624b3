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
    }
    page = render_to_string("checkins/relations.html", {"q": question})
    assert "May deny the vision" in page
    assert "49% (not counted as contradicting" in page
    assert "at least: a reversal in other words can go unflagged" in page
    assert 'href="#interpretations-q1"' in page
