"""What a screen reader says on the overview, goals and decision pages, and each page's title:
words that name what they are about, never run together or left empty."""

import re

import pytest

from truenorth.decisions.models import Comment, Kind


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def page(demo_client, demo, path: str, role: str = "owner") -> str:
    response = demo_client(demo, role).get(f"/w/{demo.slug}/{path}")
    assert response.status_code == 200, path
    return response.content.decode()


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_a_headline_reads_its_figure_and_its_unit_as_separate_words(db, demo_client, demo):
    html = page(demo_client, demo, "")
    slipped = re.search(r'id="headline-slipped".*?</section>', html, re.S).group()
    assert re.search(r'\d <span class="headline-unit">of \d+</span>', slipped), slipped
    orphans = re.search(r'id="headline-orphans".*?</section>', html, re.S).group()
    assert re.search(r'\d<span class="headline-unit">%</span>', orphans), orphans


def test_the_overview_roadmap_table_has_header_cells(db, demo_client, demo):
    html = page(demo_client, demo, "")
    roadmap = re.search(r"<h2>Roadmap</h2>.*?</table>", html, re.S).group()
    assert '<th scope="col">Commitment</th>' in roadmap
    assert '<th scope="col" class="num">Initiatives</th>' in roadmap


def test_goal_buttons_name_their_goal_and_no_chart_links_to_its_own_card(db, demo_client, demo):
    html = page(demo_client, demo, "goals/")
    assert ">The goal</a>" not in html and "<th></th>" not in html
    for goal in demo.goals.all():
        assert f'aria-label="Move “{goal.title}” up"' in html
        assert f'aria-label="Move “{goal.title}” down"' in html
    assert 'aria-label="Move up"' not in html and 'aria-label="Move down"' not in html


@pytest.mark.parametrize(
    "path, name", [("", "Overview"), ("goals/", "Goals"), ("roadmap/", "Roadmap")]
)
def test_a_page_title_names_the_open_workspace(db, demo_client, demo, path, name):
    assert title(page(demo_client, demo, path)) == f"{name} · {demo.name} · truenorth"


def test_a_page_outside_any_workspace_keeps_its_title_short(db, client):
    assert title(client.get("/login/").content.decode()) == "Log in · truenorth"


def test_a_decision_comment_says_its_kind_in_plain_words(db, demo_client, demo):
    comment = Comment.objects.filter(decision__workspace=demo, kind=Kind.SUPPORT).first()
    html = page(demo_client, demo, f"decisions/{comment.decision.number}/")
    assert "· supports the decision" in html
    assert "· Support<" not in html and "· Support " not in html
