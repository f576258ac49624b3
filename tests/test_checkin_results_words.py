"""The check-in results page in words: a contradiction count of zero is a lower bound, a group
reading the vision alike but wrongly is warned, each column says what good looks like, a hidden
group says why, answers from unnamed functions are called that, only a figure with a band is
coloured, and a screen reader hears the ⚠ mark and each scrolling table named."""

import re

import pytest

from tests.test_part_coverage_pages import published, report_data, vision_question
from truenorth.analysis.measures import alike_not_understood

NONE_FLAGGED = (
    "No answer was flagged as contradicting a part — a reversal in other words can go unflagged"
)
READ_THE_QUOTES = ", so read the quotes below"


@pytest.fixture
def get(client_for, workspace):
    def get(checkin, suffix: str = ""):
        response = client_for("viewer").get(f"/w/{workspace.slug}/checkins/{checkin.pk}/{suffix}")
        assert response.status_code == 200
        return response

    return get


def without_contradictions(question: dict) -> dict:
    question["relations"]["contradicts"] = 0.0
    for figures in [
        question,
        *question["by"]["function"]["groups"],
        *question["by"]["team"]["groups"],
    ]:
        for shares in figures["part_coverage"].values():
            shares["contradicts"] = 0.0
    return question


def workflow(question: dict, fidelity: float, coherence: float) -> dict:
    team = question["by"]["team"]["groups"][0]
    team.update(fidelity=fidelity, coherence=coherence)
    return question


def quoted(question: dict) -> dict:
    question["interpretations"] = {
        "groups": [
            {
                "size": 6,
                "share": 0.375,
                "functions": {},
                "other_functions": 6,
                "words": ["ap"],
                "quotes": ["Invoices go from inbox to paid"],
            }
        ],
        "in_small_groups": 10,
    }
    return question


def test_no_flagged_contradiction_is_not_said_to_be_none(workspace, get):
    checkin = published(workspace, report_data([quoted(without_contradictions(vision_question()))]))
    html = get(checkin).content.decode()
    assert NONE_FLAGGED + READ_THE_QUOTES + "." in html
    assert "No answer contradicts any part" not in html
    assert (
        "none flagged as contradicting it — a reversal in other words can go unflagged, so read "
        "the quotes below"
    ) in html
    assert "contradicts it 0%" not in html
    words = get(checkin, "report.json").json()["part_coverage_in_words"]["q1"]
    assert words[-1] == NONE_FLAGGED + READ_THE_QUOTES + "."


def test_with_no_quote_shown_nothing_sends_the_reader_to_the_quotes(workspace, get):
    checkin = published(workspace, report_data([without_contradictions(vision_question())]))
    html = get(checkin).content.decode()
    assert "read the quotes below" not in html
    assert NONE_FLAGGED + ".</p>" in html
    assert "none flagged as contradicting it — a reversal in other words can go unflagged</li>" in (
        html
    )
    words = get(checkin, "report.json").json()["part_coverage_in_words"]["q1"]
    assert words[-1] == NONE_FLAGGED + "."


def test_a_team_reading_the_vision_alike_but_wrongly_is_warned(workspace, get):
    """The alignment dashboard's rule and sentence, from the same function."""
    checkin = published(workspace, report_data([workflow(vision_question(), 20.4, 87.0)]))
    said = alike_not_understood(87.0, 20.4)
    assert said == "Reads it alike, but not as the vision says: understand the vision 20 / 100"
    html = get(checkin).content.decode()
    assert f"<li><small>⚠ Workflow: {said}</small></li>" in html
    assert 'href="#warnings-team" class="row-warning"' in html
    twin = get(checkin, "report.json").json()["groups_in_words"]
    assert twin["team"]["warnings"] == {"Workflow": said}
    assert twin["function"]["warnings"] == {}


def test_a_team_that_reads_it_partly_as_the_vision_says_is_not_warned(workspace, get):
    checkin = published(workspace, report_data([workflow(vision_question(), 45.0, 87.0)]))
    html = get(checkin).content.decode()
    assert "Reads it alike" not in html
    assert (
        '45<br><small class="band-words">partly shared</small>' in html
    )  # its band beside the number


def test_each_column_says_what_good_looks_like(workspace, get):
    checkin = published(workspace, report_data([workflow(vision_question(), 45.0, 87.0)]))
    html = get(checkin).content.decode()
    table = html[html.index('id="heatmap-team"') :]
    table = table[: table.index("</table>")]
    assert (
        "<th>Understand the vision<br><small>good is 60 or more; partly shared from 35</small></th>"
        in table
    )
    assert (
        "<th>Read the vision alike<br><small>good is 50 or more; readings share details from 35"
        "</small></th>"
    ) in table
    assert (
        "<th>Agree with the direction<br><small>higher is better; no healthy range has been "
        "measured for it, so none is given</small></th>"
    ) in table
    assert '87<br><small class="band-words">mostly one reading</small>' in table
    # On a phone the headers are hidden: each cell names its column, and what good looks like
    # is said once above the table.
    assert 'data-label="Read the vision alike">87<br>' in table
    above = html[: html.index('id="heatmap-function"')]
    above = above[above.rindex('<p class="on-a-phone">') :]
    assert "Read the vision alike: good is 50 or more; readings share details from 35." in above
    assert html.count("What good looks like. ") == 1  # once, above the first table


def test_functions_are_named_alike_in_the_table_and_the_themes(workspace, get):
    question = workflow(vision_question(), 20.4, 87.0)
    question["by"]["function"]["groups"][1].update(fidelity=20.4, coherence=87.0)  # sales
    checkin = published(workspace, report_data([quoted(question)]))
    html = get(checkin).content.decode()
    table = html[html.index('id="heatmap-function"') :]
    table = table[: table.index("</table>")]
    assert '<td class="lead">Engineering</td>' in table
    assert '<td class="lead">Sales <a href="#warnings-function"' in table
    assert "engineering" not in table and ">sales" not in table
    assert "<li><small>⚠ Sales: Reads it alike" in html


def test_a_hidden_group_says_why(workspace, get):
    question = vision_question()
    question["by"]["team"].update(hidden_groups=1, hidden_n=5, hidden_small=0)
    question["by"]["function"].update(hidden_groups=2, hidden_n=10, hidden_small=1)
    checkin = published(workspace, report_data([question]))
    html = get(checkin).content.decode()
    team = (
        "1 team (5 people) not shown: shown beside the other figures here or in a check-in "
        "published near it, it would let a smaller group's answers be worked out by subtraction."
    )
    function = (
        "2 functions (10 people) not shown: 1 is under 5 people; shown beside the other figures "
        "here or in a check-in published near it, the other would let a smaller group's answers "
        "be worked out by subtraction."
    )
    assert team.replace("'", "&#x27;") in html
    assert function.replace("'", "&#x27;") in html
    assert "smaller group (5 people)" not in html
    twin = get(checkin, "report.json").json()["groups_in_words"]
    assert twin["team"]["not_shown"] == team and twin["function"]["not_shown"] == function


def test_answers_from_functions_not_named_are_called_that(workspace, get):
    question = vision_question()
    question["interpretations"] = {
        "groups": [
            {
                "size": 11,
                "share": 0.69,
                "functions": {"engineering": 5},
                "other_functions": 6,
                "quotes": ["Invoices paid with no typing."],
                "words": ["invoices"],
                "fidelity": None,
            }
        ],
        "in_small_groups": 5,
    }
    checkin = published(workspace, report_data([question]))
    html = get(checkin).content.decode()
    assert (
        'Engineering 5, 6 from functions not named here (<a href="#functions-not-named">why</a>)'
        in html
    )
    assert (
        '<p id="functions-not-named"><small>A theme or interpretation below names a function'
        in (html)
    )
    assert "from smaller groups" not in html


def test_why_a_function_is_not_named_is_said_when_no_group_is_shown(workspace, get):
    """Every group hidden: the "why" still leads to a sentence, beside the hidden-groups note."""
    question = quoted(vision_question())
    question["by"]["function"].update(groups=[], hidden_groups=3, hidden_n=16, hidden_small=3)
    question["by"]["team"].update(groups=[], hidden_groups=3, hidden_n=16, hidden_small=3)
    checkin = published(workspace, report_data([question]))
    html = get(checkin).content.decode()
    assert 'id="heatmap-function"' not in html
    assert '(<a href="#functions-not-named">why</a>)' in html
    section = html[html.index('id="by-function-and-team"') :]
    section = section[: section.index("<h2")]
    assert "No function is shown. 3 functions (16 people) not shown: each is under 5 people." in (
        section
    )
    assert 'id="functions-not-named"' in section


def test_no_why_without_an_answer_from_a_function_not_named(workspace, get):
    question = quoted(vision_question())
    question["interpretations"]["groups"][0].update(functions={"engineering": 6}, other_functions=0)
    html = get(published(workspace, report_data([question]))).content.decode()
    assert "functions-not-named" not in html


NOT_MEASURED = "higher is better; no healthy range has been measured for it, so none is given"


def test_every_headline_says_what_good_looks_like(workspace, get):
    """A closed check-in of 7 answers: "Name the #1 goal 43%", "Rank the goals as officially
    ranked +0.75", "Agree with the direction 57%" and "Distinct readings of the vision 7.0 — lower
    is better" stood bare beside "good is 60 or more"; none of them has a measured band."""
    question = vision_question()
    question.update(n=7, effective_interpretations=7.0)
    data = report_data([question])
    data["priorities"] = {
        "n": 7,
        "names_top_goal": 0.429,
        "ranking_agreement": 0.75,
        "goals": [],
        "shadow": [],
    }
    data["line_of_sight"] = {"n": 7, "linked": 0.429, "goals": []}
    data["direction"] = {"n": 7, "agree": 0.571, "mean": 3.71, "histogram": []}
    html = get(published(workspace, data)).content.decode()
    headlines = html[html.index('id="headlines"') : html.index('id="by-function-and-team"')]
    for figure in ("43%", "+0.75", "57%"):
        assert f'<span class="figure-words">{figure} — {NOT_MEASURED}</span>' in headlines
    assert headlines.count(NOT_MEASURED) == 4  # line of sight's too
    assert (
        '<span class="figure-words">7.0 among 7 answers: each answer a reading of its own — lower '
        "is better; 1 is one reading shared by all; no healthy range has been measured for it, so "
        "none is given</span>"
    ) in headlines


def agreeing(data: dict, share: float) -> dict:
    """The direction figure, everyone's and the Workflow team's: a share with no healthy
    range."""
    team = {"name": "Workflow", "n": 5, "agree": share}
    data["direction"] = {"agree": share, "mean": 2.1, "n": 16, "by": {"team": {"groups": [team]}}}
    return data


def test_a_figure_with_no_healthy_range_is_not_graded_by_colour(workspace, get):
    """The column says no healthy range is given: a red "0%" graded it all the same."""
    data = agreeing(report_data([workflow(vision_question(), 45.0, 87.0)]), 0.0)
    html = get(published(workspace, data)).content.decode()
    table = html[html.index('id="heatmap-team"') :]
    table = table[: table.index("</table>")]
    assert '<td class="no-band" data-label="Agree with the direction">0%</td>' in table
    assert '<td class="heat-none" data-label="Name the #1 goal">—</td>' in table
    # A figure with a band keeps its colour, its band in words beside it.
    assert '<td class="heat-2" data-label="Understand the vision">45<br>' in table
    assert '<td class="heat-4" data-label="Read the vision alike">87<br>' in table
    assert (
        "No colour in “Name the #1 goal”, “People who see how their work serves a goal” and "
        "“Agree with the direction”: no healthy range has been measured for them, so their "
        "figures are not graded."
    ) in html


def test_a_warning_mark_is_named_for_a_screen_reader(workspace, get):
    checkin = published(workspace, report_data([workflow(vision_question(), 20.4, 87.0)]))
    html = get(checkin).content.decode()
    said = "Warning for Workflow: " + alike_not_understood(87.0, 20.4)
    assert f'class="row-warning" title="{said}" aria-label="{said}">⚠</a>' in html


def test_each_table_that_scrolls_is_a_named_region(workspace, get):
    checkin = published(workspace, report_data([workflow(vision_question(), 45.0, 87.0)]))
    html = get(checkin).content.decode()
    regions = re.findall(r'<div class="scroll"([^>]*)>', html)
    assert regions and all('role="region" aria-label="' in attrs for attrs in regions)
    named = re.findall(r'aria-label="([^"]+)"', " ".join(regions))
    assert "Figures by team" in named and "Which parts of Vision v3 people convey" in named
