"""A check-in's "Since …" table reads its two figures of how alike the answers are: distinct
readings each read against its number of answers, and under the table what each measures, what
good looks like and how one can get better while the other gets worse. The demo's table said "Distinct readings of the vision
+4.2 worse" beside "Read the vision alike +4 better" and nothing more."""

import re
from html import unescape

import pytest
from click.testing import CliRunner

from tests.test_part_coverage_pages import published, purpose_question, report_data
from tests.test_part_coverage_pages import vision_question as asked_of_16
from truenorth.analysis.measures import rounded
from truenorth.checkins.measure import alike_and_readings, label_answers
from truenorth.cli import main

APART = (
    "Here one got better and the other worse: a typical pair of answers came closer, yet the "
    "answers split into more readings, and 35 answers, against 26 before, leave room for more."
)


def figures(alike: tuple[float, float], readings: tuple[float, float], role="vision") -> dict:
    """A "Since …" table's two figures of how alike the answers are, (before, now) each, with
    their changes as the page shows them, the readings among 26 answers and then 35."""
    return {
        f"{role}.coherence": {
            "before": alike[0],
            "now": alike[1],
            "change": rounded(alike[1]) - rounded(alike[0]),
        },
        f"{role}.effective_interpretations": {
            "before": readings[0],
            "now": readings[1],
            "change": rounded(readings[1], 1) - rounded(readings[0], 1),
            "before_answers": 26,
            "now_answers": 35,
        },
    }


def test_one_better_and_the_other_worse_says_how_both_hold():
    said = alike_and_readings(figures((37.7, 41.8), (9.5, 13.7)))["vision"]
    assert said.startswith(
        "“Read the vision alike” is how close a typical pair of answers is, on the 0–100 scale: "
        "higher is better, good is 50 or more. “Distinct readings of the vision” is how many "
        "separate readings the answers split into, in effect (so to a tenth), and there can be no "
        "more readings than answers: lower is better; 1 is one reading shared by all; no healthy range has "
        "been measured for it, so none is given."
    )
    assert said.endswith(APART)


@pytest.mark.parametrize(
    "alike, readings, apart",
    [
        ((37.7, 41.8), (13.7, 9.5), ""),  # both better: nothing to reconcile
        ((41.8, 37.7), (9.5, 13.7), ""),  # both worse
        ((41.8, 37.7), (13.7, 9.5), "grew further apart, yet the answers split into fewer"),
        ((37.7, 41.8), (9.62, 9.64), ""),  # 9.6 and 9.6: no change shown
    ],
)
def test_the_two_are_reconciled_only_where_they_disagree(alike, readings, apart):
    said = alike_and_readings(figures(alike, readings))["vision"]
    assert ("Here one got better" in said) == bool(apart)
    assert apart in said
    # Fewer readings among more answers owe nothing to the answers' number.
    assert "leave room" not in said or readings[1] > readings[0]


def test_figures_not_judged_or_not_compared_are_not_explained():
    assert alike_and_readings(figures((12, 13), (24.7, 33.6), role="purpose")) == {}
    trend = figures((37.7, 41.8), (9.5, 13.7))
    trend["vision.coherence"]["change"] = None
    assert alike_and_readings(trend) == {}
    assert alike_and_readings({}) == {}


def test_the_readings_are_named_among_their_answers():
    trend = {"vision.effective_interpretations": {}, "vision.coherence": {}}
    before, now = (report_data([asked_of_16(), purpose_question()]) for _ in range(2))
    now["questions"][0]["n"] = 35
    label_answers(trend, before, now)
    assert trend["vision.effective_interpretations"] == {"before_answers": 16, "now_answers": 35}
    assert trend["vision.coherence"] == {}


@pytest.fixture
def compared(workspace):
    """A published check-in compared with the one before: distinct readings from 9.5 among 26
    answers to 13.7 among 35, read alike from 37.7 to 41.8."""
    question = asked_of_16()
    question.update(n=35, coherence=41.8, effective_interpretations=13.7)
    data = report_data([question])
    data["previous"] = {"id": 0, "title": "Alignment pulse — Q3"}
    data["trend"] = figures((37.7, 41.8), (9.5, 13.7))
    return published(workspace, data)


def test_the_since_table_reads_readings_among_their_answers_and_says_why_they_differ(
    compared, client_for, workspace
):
    viewer = client_for("viewer")
    html = unescape(viewer.get(f"/w/{workspace.slug}/checkins/{compared.pk}/").content.decode())
    table = html[html.index('<table class="trend compare">') :]
    table = table[: table.index("</table>")]
    readings = next(row for row in table.split("<tr>") if "Distinct readings" in row)
    assert '<td class="num">9.5 <small>among 26 answers</small></td>' in readings
    assert '<td class="num">13.7 <small>among 35 answers</small></td>' in readings
    assert re.search(r">\+4.2 <span class=\"change-word\">worse</span>", readings)
    alike = next(row for row in table.split("<tr>") if "Read the vision alike" in row)
    assert re.search(r">\+4 <span class=\"change-word\">better</span>", alike)
    said = viewer.get(f"/w/{workspace.slug}/checkins/{compared.pk}/report.json").json()
    assert said["since_in_words"]["vision"].endswith(APART)
    note = html[html.index('<p id="alike-and-readings-vision">') :]
    assert note[: note.index("</p>")].endswith(said["since_in_words"]["vision"] + "</small>")
    assert "distinct readings are a count in effect, to a tenth" in html


def test_the_demo_reads_both_figures_against_what_they_rest_on(db, demo_client, analysed_demo):
    """The demo's latest pulse, analysed by the model, against the one before it."""
    checkin = analysed_demo.checkins.order_by("-opens_at").first()
    earlier = analysed_demo.checkins.get(pk=checkin.report.data["previous"]["id"])
    readings = checkin.report.data["trend"]["vision.effective_interpretations"]
    answers = [
        next(q["n"] for q in report.data["questions"] if q["role"] == "vision")
        for report in (earlier.report, checkin.report)
    ]
    assert [readings["before_answers"], readings["now_answers"]] == answers
    url = f"/w/{analysed_demo.slug}/checkins/{checkin.pk}/"
    client = demo_client(analysed_demo, "viewer")
    shown = client.get(f"{url}report.json").json()
    change = shown["report"]["trend"]["vision.effective_interpretations"]["change"]
    assert change == pytest.approx(rounded(readings["now"], 1) - rounded(readings["before"], 1))
    html = unescape(client.get(url).content.decode())
    assert f"among {answers[0]} answers" in html and f"among {answers[1]} answers" in html
    assert shown["since_in_words"]["vision"] in html


def test_the_command_prints_it_after_the_changes_as_the_page_does(compared, workspace):
    """`truenorth analyze` printed each figure and its change, and not a word of how the two
    figures of how alike the answers are read against each other."""
    printed = CliRunner().invoke(main, ["analyze", str(compared.pk), "-w", workspace.slug])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    said = alike_and_readings(compared.report.data["trend"])["vision"]
    assert said.endswith(APART)
    [where] = [n for n, line in enumerate(lines) if line == f"  {said}"]
    changes = [n for n, line in enumerate(lines) if line.endswith(("better)", "worse)"))]
    assert len(changes) == 2 and max(changes) < where
