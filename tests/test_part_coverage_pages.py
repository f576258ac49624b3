"""Fidelity part by part on a check-in's results: which parts of the source people convey, by
group, and how each answer relates to it as a whole."""

from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.checkins.models import CheckIn, Report

PARTS = [
    {"key": "destination", "label": "where we are going", "text": "Close the books in 3 days"},
    {"key": "user_benefit", "label": "who it is for and what they gain", "text": "Evenings back"},
    {"key": "horizon", "label": "by when", "text": "2028"},
]


def coverage(destination, benefit, horizon) -> dict:
    """Shares (conveys, partly, contradicts) of each part."""
    return {
        part["key"]: dict(zip(("conveys", "partly", "contradicts"), shares, strict=True))
        for part, shares in zip(PARTS, (destination, benefit, horizon), strict=True)
    }


def group(name: str, n: int, fidelity: float, part_coverage: dict) -> dict:
    return {
        "name": name,
        "n": n,
        "fidelity": fidelity,
        "coherence": 50.0,
        "relations": {"conveys": 0.2, "partly": 0.4, "contradicts": 0.2, "unrelated": 0.2},
        "part_coverage": part_coverage,
    }


def vision_question() -> dict:
    return {
        "key": "q1",
        "prompt": "In your own words, what is our product vision?",
        "role": "vision",
        "source": "Vision v3",
        "parts": PARTS,
        "n": 16,
        "fidelity": 47.5,
        "coherence": 41.0,
        "relations": {"conveys": 0.2, "partly": 0.4, "contradicts": 0.1, "unrelated": 0.3},
        "part_coverage": coverage((0.5, 0.2, 0.0), (0.1, 0.2, 0.1), (0.0, 0.0, 0.0)),
        "effective_interpretations": 3.1,
        "by": {
            "function": {
                "groups": [
                    group(
                        "engineering", 6, 52.0, coverage((0.5, 0.3, 0), (0.2, 0.3, 0), (0, 0, 0))
                    ),
                    group("sales", 5, 38.0, coverage((0.4, 0.2, 0), (0, 0, 0.2), (0, 0, 0))),
                ],
                "hidden_groups": 1,
                "hidden_n": 3,
            },
            "team": {
                "groups": [
                    group("Workflow", 5, 45.0, coverage((0.2, 0.2, 0), (0.2, 0.2, 0), (0, 0, 0)))
                ],
                "hidden_groups": 2,
                "hidden_n": 11,
            },
        },
        "interpretations": {"groups": [], "in_small_groups": 16},
        "across": [],
    }


def purpose_question() -> dict:
    """A question with no source: no parts to convey."""
    return {
        "key": "q3",
        "prompt": "Why does your current work matter?",
        "role": "purpose",
        "n": 16,
        "fidelity": None,
        "coherence": 12.0,
        "effective_interpretations": 9.0,
        "by": {d: {"groups": [], "hidden_groups": 0, "hidden_n": 0} for d in ("function", "team")},
        "interpretations": {"groups": [], "in_small_groups": 16},
        "across": [],
    }


def report_data(questions: list[dict], threshold: int = 5) -> dict:
    return {
        "threshold": threshold,
        "respondents": 16,
        "withheld": 3,
        "questions": questions,
        **{name: {"suppressed": True} for name in ("priorities", "line_of_sight", "quadrant")},
        "direction": {"suppressed": True},
    }


def published(workspace, data: dict) -> CheckIn:
    now = timezone.now()
    checkin = CheckIn.objects.create(
        workspace=workspace,
        title="Alignment pulse",
        opens_at=now - timedelta(days=14),
        closes_at=now - timedelta(days=1),
        finalised_at=now,
    )
    Report.objects.create(checkin=checkin, computed_at=now, response_count=16, data=data)
    return checkin


READING = [
    "Nobody conveys “by when”, even in part.",
    "Sales: nobody mentions “who it is for and what they gain”.",
    "Answers contradicting a part: “who it is for and what they gain” 10%, most in Sales (20%).",
]


@pytest.fixture
def get(client_for, workspace):
    def get(checkin: CheckIn, suffix: str = ""):
        response = client_for("viewer").get(f"/w/{workspace.slug}/checkins/{checkin.pk}/{suffix}")
        assert response.status_code == 200
        return response

    return get


def parts_section(html: str, key: str = "q1") -> str:
    start = html.index(f'id="parts-{key}"')
    return html[start : html.index("</section>", start)]


def test_it_shows_which_parts_each_group_conveys(workspace, get):
    checkin = published(workspace, report_data([vision_question(), purpose_question()]))
    html = get(checkin).content.decode()
    table = parts_section(html)
    assert "Which parts of Vision v3 people convey" in table
    for label in ("Where we are going", "Who it is for and what they gain", "By when"):
        assert label in table
    for row in ("Everyone", "By function", "Engineering", "Sales", "By team", "Workflow"):
        assert f">{row}<" in table
    assert "70%" in table  # everyone conveys where we are going, at least in part
    assert "⚠ 20% contradict" in table
    assert " ".join(READING) in table
    assert "60% or more" in table
    assert "1 function (3 people) not shown: it is under 5 people. 2 teams (11 people)" in table
    assert 'id="parts-q3"' not in html


def test_it_shows_the_relation_of_each_answer_and_what_fidelity_means(workspace, get):
    checkin = published(workspace, report_data([vision_question()]))
    html = get(checkin).content.decode()
    assert "relation-bar" in html and "width:40%" in html
    for words in ("conveys it 20%", "conveys it in part 40%", "contradicts it 10%"):
        assert words in html
    assert "says nothing of it 30%" in html
    assert "answers, against Vision v3)" in html
    assert "60 or more reads as understanding" in html
    assert "answers fall short of it" in html


def test_the_json_twin_says_the_same_in_words(workspace, get):
    checkin = published(workspace, report_data([vision_question(), purpose_question()]))
    body = get(checkin, "report.json").json()
    assert body["part_coverage_in_words"] == {"q1": READING}
    assert body["report"]["questions"][0]["part_coverage"]["horizon"]["conveys"] == 0


def test_no_group_the_audit_hid_appears(workspace, get):
    """Only the groups in the report are named; hidden ones are counted, never named, even
    where they hold the lowest share of a part."""
    question = vision_question()
    question["by"]["function"]["groups"].pop()  # sales, hidden by the audit
    question["by"]["function"]["hidden_groups"] += 1
    checkin = published(workspace, report_data([question]))
    html = get(checkin).content.decode()
    table = parts_section(html)
    assert "Sales" not in table
    assert "2 functions (3 people) not shown" in table
    words = get(checkin, "report.json").json()["part_coverage_in_words"]["q1"]
    assert not any("Sales" in sentence for sentence in words)


def test_a_report_cut_to_a_higher_threshold_shows_only_everyone(workspace, get):
    workspace.anonymity_threshold = 6
    workspace.save()
    checkin = published(workspace, report_data([vision_question()], threshold=5))
    html = get(checkin).content.decode()
    table = parts_section(html)
    assert ">Everyone<" in table
    assert "By function" not in table and "Workflow" not in table and "Sales" not in table
    assert "No breakdown by function or team under today's threshold" in table
    assert "relation-bar" in html
    words = get(checkin, "report.json").json()["part_coverage_in_words"]["q1"]
    assert words == [
        READING[0],
        "Answers contradicting a part: “who it is for and what they gain” 10%.",
    ]


def test_an_older_report_without_parts_still_renders(workspace, get):
    question = vision_question()
    for key in ("source", "parts", "relations", "part_coverage"):
        question.pop(key)
    for rows in question["by"].values():
        for g in rows["groups"]:
            g.pop("relations"), g.pop("part_coverage")
    checkin = published(workspace, report_data([question]))
    html = get(checkin).content.decode()
    assert "answers, against the source)" in html
    assert "Which parts" not in html and "relation-bar" not in html
    assert "Fidelity part by part" not in html
    assert get(checkin, "report.json").json()["part_coverage_in_words"] == {}
