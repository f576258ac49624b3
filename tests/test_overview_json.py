"""The overview's JSON twin: the page's figures and words, to the same roles, and nothing of a
group below the anonymity threshold."""

import json
import re
from html import unescape

import pytest
from django.utils.text import capfirst


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def card(html: str, name: str) -> str:
    start = html.rindex("<section", 0, html.index(f'id="headline-{name}"'))
    return html[start:].split("</section>")[0]


def figure_of(html: str, name: str) -> str:
    """A headline's figure as it reads on the page: "28%", "12 of 17", "54 / 100"."""
    value = card(html, name).split('<p class="headline-value">', 1)[1].split("</p>", 1)[0]
    return unescape(re.sub(r"<[^>]+>", "", value))


def overview_and_twin(client, slug: str) -> tuple[str, dict]:
    page = client.get(f"/w/{slug}/")
    twin = client.get(f"/w/{slug}/overview.json")
    assert page.status_code == twin.status_code == 200
    return page.content.decode(), twin.json()


def test_the_twin_gives_the_figures_and_words_of_the_page(db, demo_client, analysed_demo):
    slug = analysed_demo.slug
    client = demo_client(analysed_demo, "viewer")
    html, twin = overview_and_twin(client, slug)
    assert f'<a href="/w/{slug}/overview.json">JSON</a>' in html
    names = [c["name"] for c in twin["headlines"]]
    assert names == re.findall(r'id="headline-([a-z-]+)"', html)
    assert names == ["line-of-sight", "vision-understood", "orphans", "slipped"]
    for headline in twin["headlines"]:
        shown = card(html, headline["name"])
        assert figure_of(html, headline["name"]) == headline["shown"], headline["name"]
        for words in ("label", "meaning", "good", "detail", "link_text"):
            assert headline[words] in text(shown), (headline["name"], words)
        assert capfirst(headline["basis"]) in text(shown)  # as the card begins its line
        assert f'href="{headline["link"]}"' in shown
        tone = f" {headline['tone']}" if headline["tone"] else ""
        assert f'<section class="headline{tone}"' in shown

    # The numbers behind the words: the alignment dashboard's and the overruns page's own.
    cards = {c["name"]: c for c in twin["headlines"]}
    board = client.get(f"/w/{slug}/alignment.json").json()
    vision = next(s for s in board["individual"] if s["key"] == "vision.fidelity")
    assert vision["in_words"].startswith(f"{cards['vision-understood']['shown']} — ")
    assert cards["vision-understood"]["figure"] == round(vision["value"])
    assert f": {lowest_team(board)} — " in cards["vision-understood"]["detail"]
    overall = client.get(f"/w/{slug}/roadmap/overruns.json").json()["overall"]
    assert cards["slipped"]["shown"] == f"{overall['slipped']} of {overall['initiatives']}"
    work = twin["work"]
    assert cards["orphans"]["figure"] == round(100 * work["orphans"] / work["items"])
    assert f"{work['orphans']} of {work['items']} work items support no goal." in text(html)
    assert f"{work['people']} people in the workspace." in text(html)
    for row in twin["roadmap"]:
        counted = f'>{row["label"]}</span></td><td class="num">{row["initiatives"]}<'
        assert counted in html
    goals = re.findall(r"\?goal=\d+\">([^<]+)</a>", html)
    assert [g["title"] for g in twin["goals"]] == [unescape(title) for title in goals]
    assert twin["vision"]["statement"] in unescape(html)
    slips = twin["recent_slips"]
    listed = re.findall(r'<li><a href="/w/[^"]+/">([^<]+)</a>: ', html.split("Recent slips")[1])
    assert slips and [s["title"] for s in slips] == [unescape(title) for title in listed]
    assert twin["getting_started"] is None  # every step done, so the page shows none either
    assert 'id="getting-started"' not in html


def lowest_team(board: dict) -> str:
    """The team the dashboard's "team understands the vision, lowest first" puts first."""
    figures = [
        (signal["value"], row["team"])
        for row in board["team"]
        for signal in row["signals"]
        if signal["key"] == "team.vision_fidelity" and signal["value"] is not None
    ]
    return min(figures)[1]


@pytest.mark.parametrize(
    "role, cards",
    [
        ("owner", ["line-of-sight", "vision-understood", "orphans", "slipped"]),
        ("viewer", ["line-of-sight", "vision-understood", "orphans", "slipped"]),
        ("member", ["orphans", "slipped"]),
    ],
)
def test_a_role_gets_only_the_cards_its_page_shows(db, demo_client, analysed_demo, role, cards):
    html, twin = overview_and_twin(demo_client(analysed_demo, role), analysed_demo.slug)
    assert [c["name"] for c in twin["headlines"]] == cards
    assert re.findall(r'id="headline-([a-z-]+)"', html) == cards
    if role == "member":  # members never read check-in results, in words or in numbers
        said = json.dumps(twin)
        assert "Understand the vision" not in said and "See the answers" not in said
        assert "Lowest of" not in said and "/alignment/" not in said


def test_a_partner_gets_no_twin_as_no_overview(db, demo_client, analysed_demo):
    answer = demo_client(analysed_demo, "partner").get(f"/w/{analysed_demo.slug}/overview.json")
    assert answer.status_code == 403 and answer.json()["error"]


def test_a_team_below_the_threshold_is_absent(db, demo_client, analysed_demo):
    """At a threshold of 6 the report hides every team of the demo's pulse (5 answered in each):
    the twin names none of them, where at 5 it names Sales as the page does."""
    teams = list(analysed_demo.teams.values_list("name", flat=True))
    client = demo_client(analysed_demo, "viewer")
    _, shown = overview_and_twin(client, analysed_demo.slug)
    assert [team for team in teams if f": {team} — " in vision_card(shown)["detail"]]
    analysed_demo.anonymity_threshold = 6
    analysed_demo.save(update_fields=["anonymity_threshold"])
    try:
        html, hidden = overview_and_twin(client, analysed_demo.slug)
    finally:
        analysed_demo.anonymity_threshold = 5
        analysed_demo.save(update_fields=["anonymity_threshold"])
    card = vision_card(hidden)
    assert card["detail"] == (
        "No team has a figure of the vision that can be shown: groups of fewer than 6 people "
        "never are."
    )
    assert card["detail"] in unescape(html)
    # Of the cards, only those of check-in results come from answers (the late initiatives' may
    # name a team whose overruns keep coming: that is no one's answer).
    said = json.dumps([c for c in hidden["headlines"] if c["name"] in RESULTS])
    assert [team for team in teams if team in said] == []
    assert card["shown"] == vision_card(shown)["shown"]  # 35 answered: the company's stays


RESULTS = ("line-of-sight", "vision-understood")


def vision_card(twin: dict) -> dict:
    return next(c for c in twin["headlines"] if c["name"] == "vision-understood")
