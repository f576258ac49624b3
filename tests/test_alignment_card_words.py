"""What an alignment card says around its figure agrees with the figure: a note's "good is
high/low" with the way the figure is better, a change with the two figures it is the difference
of, and a figure of the vision with why it is or is not compared across the vision's versions
(days to decide: tests/test_days_to_decide_months.py). Real database, the demo analysed by the
real model, Django's test client."""

import re
from html import unescape

import pytest

from truenorth.analysis import measures
from truenorth.dashboard.signals import NOT_COMPARED_WHY, Signal


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def board(client, workspace) -> dict:
    return client.get(f"/w/{workspace.slug}/alignment.json").json()


def page(client, workspace) -> str:
    return unescape(client.get(f"/w/{workspace.slug}/alignment/").content.decode())


def every_signal(data: dict):
    yield from data["individual"]
    for group in data["groups"]:
        yield from group["signals"]
    for row in data["team"]:
        yield from row["signals"]
    yield from data["organisation"]
    yield from data["market"]


def card(html: str, name: str) -> str:
    """The first card of the signal `name` on the page, from its name to its evidence link."""
    found = html[html.index(f'<div class="signal-name">{name}</div>') :]
    return found[: found.index('class="evidence"')]


# --- "Good is …" says the way the headline figure is better ---

DIRECTION = re.compile(r"\b(?:good is (high|low)|(higher|lower) is better)\b", re.IGNORECASE)


def directions_said(text: str) -> set[bool]:
    """True for each "good is high" or "higher is better" in `text`, False for each low one."""
    return {(m[1] or m[2]).lower().startswith("high") for m in DIRECTION.finditer(text)}


@pytest.mark.parametrize(
    "text, said",
    [
        ("Nothing on the roadmap addresses 31% … Good is low; what is left …", {False}),
        ("Higher is better.", {True}),
        ("good is high, lower is better", {True, False}),
        ("Good is a low unaddressed share; what is left should be a choice.", set()),
        ("good is 60 or more", set()),
    ],
)
def test_a_notes_direction_is_read_from_its_words(text, said):
    assert directions_said(text) == said


def test_no_card_says_good_is_the_other_way_from_its_figure(db, demo_client, demo):
    """ "Roadmap meets customer needs 69% — higher is better" had the note "… Good is low",
    which spoke of the 31% nothing addresses."""
    data = board(demo_client(demo, "viewer"), demo)
    said_somewhere = 0
    for signal in every_signal(data):
        words = " ".join(signal[part] for part in ("meaning", "note", "in_words"))
        said = directions_said(words)
        assert said <= {signal["higher_is_better"]}, (signal["name"], words)
        said_somewhere += bool(said)
    assert said_somewhere  # the words were read: "higher is better" is said of several
    market = next(s for s in data["market"] if s["key"] == "market.needs_met")
    assert market["value"] is not None and market["higher_is_better"]
    assert "Good is a low unaddressed share" in market["note"]


# --- A change names the two figures it is the difference of ---


def test_a_change_is_the_difference_of_the_two_figures_it_names():
    """Platform's orphan work: "change": −8 beside a trend of 76.7 → 69.4 (−7.3); Workflow's
    +2 beside 17.4 → 18.8 (+1.4). The change is of the figures as shown, and says so."""
    platform = Signal.of(
        "work.orphans", 69.4, "", trend=[("2026-09", 80.0), ("2026-10", 76.7), ("2026-11", 69.4)]
    )
    assert platform.change == -8
    assert platform.change_between == {"since": "2026-10", "before": 77, "now": 69}
    assert platform.since_words == "since October 2026: 77% → 69%"
    workflow = Signal.of("work.orphans", 18.8, "", trend=[("2026-10", 17.4), ("2026-11", 18.8)])
    assert workflow.change == 2 and workflow.since_words == "since October 2026: 17% → 19%"
    pulse = Signal.of(
        "functions.vision_coherence", 41.6, "", trend=[("Pulse Q3", 38.2), ("Pulse Q4", 41.6)]
    )
    assert pulse.since_words == "since Pulse Q3: 38 / 100 → 42 / 100"
    alone = Signal.of("work.orphans", 69.4, "", trend=[("2026-11", 69.4)])
    assert alone.change_between is None and alone.since_words == ""


def test_every_card_and_team_cell_says_what_its_change_compares(db, demo_client, demo):
    client = demo_client(demo, "viewer")
    data = board(client, demo)
    changed = [s for s in every_signal(data) if s["change"] is not None]
    assert any(s["key"] == "work.orphans" and s["change"] for s in changed)
    for signal in changed:
        between = signal["change_between"]
        assert between["since"] == signal["trend"][-2][0], signal["name"]
        assert signal["change"] == pytest.approx(between["now"] - between["before"])
        figures = (measures.shown(signal["key"], between[when]) for when in ("before", "now"))
        assert signal["since_words"].endswith(" → ".join(figures)), signal["name"]
    html = page(client, demo)
    team_level = html[html.index('id="team"') : html.index('id="organisation"')]
    for row in data["team"]:
        for signal in row["signals"]:
            if signal["change"]:  # a change of 0 shows nothing, as before
                line = team_level[team_level.index(f">{row['team']}</a>") :]
                assert signal["since_words"] in line[: line.index("</tr>")], row["team"]
    for signal in data["organisation"]:
        if signal["change"]:
            assert f"S{signal['since_words'][1:]}" in card(html, signal["name"])


# --- A figure of the vision says why it is or is not compared across versions ---


def test_each_vision_card_says_why_it_is_or_is_not_compared_across_versions(db, demo_client, demo):
    """The demo as built: its Q3 pulse restated Vision v2, its Q4 pulse Vision v3. "How alike
    functions read the vision +4 better" stood beside "Understand the vision … not compared"."""
    client = demo_client(demo, "viewer")
    data = board(client, demo)
    html = page(client, demo)
    across = next(s for s in data["organisation"] if s["key"] == "functions.vision_coherence")
    assert across["trend_sources"][-2:] == ["Vision v2", "Vision v3"]
    assert across["change"] is not None and not across["not_compared"]
    compared = (
        "Compared across Vision v2 and Vision v3, unlike understanding: it sets people's answers "
        "against one another, not against the vision's words, so it asks the same of each version."
    )
    assert across["why_across_versions"] == compared
    assert compared in card(html, across["name"])
    for key in ("vision.fidelity", "quadrant.faux_alignment"):
        understood = next(s for s in data["individual"] if s["key"] == key)
        assert understood["change"] is None and understood["not_compared"]
        assert understood["why_across_versions"] == NOT_COMPARED_WHY
        assert NOT_COMPARED_WHY in card(html, understood["name"])
    for row in data["team"]:
        alike = next(s for s in row["signals"] if s["key"] == "team.vision_coherence")
        if alike["change"] is not None and len(set(alike["trend_sources"][-2:])) == 2:
            assert alike["why_across_versions"] == compared, row["team"]
