"""The four-level alignment dashboard: every signal with its value, trend and evidence."""

import re
from collections import Counter
from datetime import date
from html import unescape
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from django.utils.html import escape

from truenorth.analysis import measures
from truenorth.claims.actions import save_claim
from truenorth.claims.models import Claim
from truenorth.dashboard.signals import Signal
from truenorth.roadmap.overruns import overrun_summary, patterns_now


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def board(demo_client, workspace, role="viewer"):
    return demo_client(workspace, role).get(f"/w/{workspace.slug}/alignment.json").json()


def signal(signals, key):
    return next(s for s in signals if s["key"] == key)


@pytest.mark.parametrize(
    "role, status",
    [("owner", 200), ("editor", 200), ("viewer", 200), ("member", 403), ("partner", 403)],
)
def test_who_sees_the_dashboard(db, demo_client, demo, role, status):
    client = demo_client(demo, role)
    assert client.get(f"/w/{demo.slug}/alignment/").status_code == status
    assert client.get(f"/w/{demo.slug}/alignment.json").status_code == status


def test_the_page_shows_four_levels_and_the_markets_unaddressed_needs(db, demo_client, demo):
    html = demo_client(demo, "owner").get(f"/w/{demo.slug}/alignment/").content.decode()
    for level in ("Individual", "Team", "Organisation", "Market"):
        assert f"<h2>{level} " in html
    assert 'id="unaddressed-needs"' in html and "nothing on the roadmap addresses" in html
    assert html.count('class="evidence"') >= 10
    assert 'data-chart="trend"' in html


def test_individual_signals_come_from_the_latest_pulse_with_its_trend(db, demo_client, demo):
    latest = demo.checkins.order_by("-opens_at").first()
    data = board(demo_client, demo)
    sight = signal(data["individual"], "line_of_sight.linked")
    assert sight["value"] == round(latest.report.data["line_of_sight"]["linked"] * 100, 1)
    assert len(sight["trend"]) == 2 and sight["trend"][-1][1] == sight["value"]
    assert sight["change"] == round(sight["value"] - sight["trend"][0][1], 1)
    assert sight["evidence"].endswith(f"/checkins/{latest.pk}/#line-of-sight")
    faux = signal(data["individual"], "quadrant.faux_alignment")
    assert faux["higher_is_better"] is False
    # Each says whom it stands on: a share "of" those who answered, a score "from" them, with
    # how many were asked ("From 35 of 41 asked" beside 49% left the base to guess).
    answered = latest.report.data["respondents"]
    who = f"the {answered} who answered ({latest.invitations.count()} were asked)"
    assert sight["basis"] == faux["basis"] == f"of {who}"
    assert signal(data["individual"], "vision.fidelity")["basis"] == f"from {who}"
    overview = demo_client(demo, "owner").get(f"/w/{demo.slug}/").content.decode()
    assert f'<p class="headline-basis"><small>Of {who}</small></p>' in overview


def test_team_coherence_is_shown_only_for_teams_the_report_shows(db, demo_client, demo):
    report = demo.checkins.order_by("-opens_at").first().report.data
    vision = next(q for q in report["questions"] if q["role"] == "vision")
    shown = {g["name"]: g for g in vision["by"]["team"]["groups"]}
    data = board(demo_client, demo)
    rows = data["team"]
    every_team = set(demo.teams.values_list("name", flat=True))
    assert {row["team"] for row in rows} | set(data["quiet_teams"]) == every_team
    hidden = 0
    for row in rows:
        coherence = signal(row["signals"], "team.vision_coherence")
        if row["team"] in shown:
            assert coherence["value"] == shown[row["team"]]["coherence"]
            assert shown[row["team"]]["n"] >= report["threshold"]
        else:
            hidden += 1
            assert coherence["value"] is None and coherence["note"].startswith("Hidden")
    assert hidden > 0  # the demo has teams smaller than the threshold


def test_team_orphan_work_and_slips_link_to_their_evidence(db, demo_client, demo):
    rows = {row["team"]: row["signals"] for row in board(demo_client, demo)["team"]}
    integrations = rows["Integrations"]
    slipped = signal(integrations, "roadmap.slipped")
    assert slipped["value"] > 0 and "pattern" in slipped["note"]
    assert slipped["evidence"] == f"/w/{demo.slug}/roadmap/overruns/"
    assert slipped["change"] is None  # its trend is of each quarter, the value of them all
    assert slipped["unit"] == "%" and slipped["trend_unit"] == "%"
    orphans = [signal(s, "work.orphans") for s in rows.values()]
    assert any(o["value"] for o in orphans)
    assert all(o["trend"][-1][1] == o["value"] for o in orphans if o["trend"])
    assert all(o["evidence"] == f"/w/{demo.slug}/work/orphans/" for o in orphans)


def test_organisation_signals(db, demo_client, demo):
    organisation = board(demo_client, demo)["organisation"]
    clarity = signal(organisation, "vision.clarity")
    assert len(clarity["trend"]) == demo.visions.count()
    assert signal(organisation, "goals.clarity")["value"] is not None
    across = signal(organisation, "functions.vision_coherence")
    assert across["value"] is not None
    assert re.search(r"One pair of functions: \w+ and \w+|furthest apart", across["note"])
    promises = signal(organisation, "claims.over_promises")
    assert promises["value"] is not None and promises["higher_is_better"] is False
    assert promises["trend"][-1][1] == promises["value"]  # claims to date: the last point is now
    # The note's counts add up to the claims checked, those said as not promised among them.
    said = "Told them we did not promise mobile approvals; it is only planned, no date."
    save_claim(Claim(workspace=demo, said_on=date(2026, 11, 2), account="Globex", text=said))
    assert demo.claims.get(text=said).verdict == "not_promised"
    promises = signal(board(demo_client, demo)["organisation"], "claims.over_promises")
    assert "1 said as not promised" in promises["note"]
    assert "only planned or explored" not in promises["note"]  # the description says it
    counted = re.search(
        r"Of (\d+) checked: ([^(]*?)(?: \(counted as said: .*\))?\.$", promises["note"]
    )
    numbers = [int(part.split()[0]) for part in counted.group(2).split(", ")]
    assert sum(numbers) == int(counted.group(1))


def test_each_signal_says_what_good_looks_like_and_where_it_comes_from(db, demo_client, demo):
    latest = demo.checkins.order_by("-opens_at").first()
    data = board(demo_client, demo)
    assert data["source"]["checkin"]["id"] == latest.pk
    assert data["source"]["reason"] == "latest company-wide"
    vision = signal(data["individual"], "vision.fidelity")
    assert vision["name"] == "Understand the vision"
    assert vision["in_words"].startswith(f"{vision['value']:.0f} / 100 — ")
    assert vision["in_words"].endswith("good is 60 or more")
    html = demo_client(demo, "owner").get(f"/w/{demo.slug}/alignment/").content.decode()
    assert vision["in_words"] in html
    assert "the latest check-in asked of everyone with results" in html


# --- One team: the team filter, for an organisation whose team level is long ---


def test_the_whole_page_shows_each_team_on_one_line_leading_to_its_own_view(db, demo_client, demo):
    data = board(demo_client, demo)
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment/").content.decode()
    team_level = html[html.index('id="team"') : html.index('id="organisation"')]
    assert 'class="team-summary stack"' in team_level and "team-signals" not in team_level
    assert "<svg" not in team_level  # the trends are on each team's own view
    assert len(data["team"]) > 1
    for row in data["team"]:
        link = f'?team={escape(quote(row["team"], safe="/"))}#team">{escape(row["team"])}</a>'
        line = re.search(re.escape(link) + r".*?</tr>", team_level, re.S)
        assert line, row["team"]
        cells = re.findall(r"<td data-label=[^>]*>(.*?)</td>", line.group())
        shown = [
            measures.shown(s["key"], s["value"]) if s["value"] is not None else "—"
            for s in row["signals"]
        ]
        assert [re.sub(r"<.*", "", cell).strip() for cell in cells] == shown
    for say_do in data["say_do"]["teams"]:
        assert f"<li>{escape(say_do['sentence'])} <a href=" in html
        assert f'#say-do">{escape(say_do["team"])}, goal by goal</a></li>' in html
    assert 'class="card say-do-team"' not in html


def test_the_team_filter_narrows_the_team_level_to_one_team(db, demo_client, demo):
    whole = board(demo_client, demo)
    team = whole["say_do"]["teams"][0]["team"]
    client = demo_client(demo, "viewer")
    one = client.get(f"/w/{demo.slug}/alignment.json", {"team": team}).json()
    assert [row["team"] for row in one["team"]] == [team]
    assert [row["team"] for row in one["say_do"]["teams"]] == [team]
    assert one["individual"] == whole["individual"]  # the other levels stay whole
    assert one["organisation"] == whole["organisation"]
    html = client.get(f"/w/{demo.slug}/alignment/", {"team": team}).content.decode()
    others = [row["team"] for row in whole["say_do"]["teams"][1:]]
    assert html.count('class="card say-do-team"') == 1 and others
    assert f'<option value="{escape(team)}" selected>' in html
    assert f'<td class="lead">{escape(team)}</td>' in html
    assert all(f'<td class="lead">{escape(other)}</td>' not in html for other in others)


def test_the_team_filter_lists_every_team_and_refuses_one_it_does_not_name(db, demo_client, demo):
    client = demo_client(demo, "viewer")
    html = client.get(f"/w/{demo.slug}/alignment/").content.decode()
    for name in demo.teams.values_list("name", flat=True):
        assert f'<option value="{escape(name)}">' in html
    page = client.get(f"/w/{demo.slug}/alignment/", {"team": "Nobody's team"})
    assert page.status_code == 404
    assert "No team named &quot;Nobody&#x27;s team&quot;" in page.content.decode()
    assert page.content.decode().count(", goal by goal</a>") >= 2  # every team's say and do
    twin = client.get(f"/w/{demo.slug}/alignment.json", {"team": "Nobody's team"})
    assert twin.status_code == 404 and "Nobody's team" in twin.json()["error"]


def test_the_overviews_line_of_sight_shows_its_change_since_the_pulse_before(db, demo_client, demo):
    sight = signal(board(demo_client, demo)["individual"], "line_of_sight.linked")
    assert sight["change"]  # the demo's two pulses differ
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/").content.decode()
    card = html[html.index('id="headline-line-of-sight"') :]
    card = card[: card.index("</section>")]
    change = measures.shown_change(sight["key"], sight["change"])
    assert f'<span class="change {sight["verdict"]}">{change}' in card
    assert f"since {escape(sight['trend'][-2][0])}" in card


def test_the_line_of_sight_says_whom_it_counts_and_what_good_looks_like(db, demo_client, demo):
    """A statement with a subject, not "See how their work serves a goal", which read as a link;
    and what good looks like beside the card that gives a range, on both dashboards."""
    client = demo_client(demo, "viewer")
    html = client.get(f"/w/{demo.slug}/").content.decode()
    card = html[html.index('id="headline-line-of-sight"') :]
    card = card[: card.index("</section>")]
    good = "igher is better; no healthy range has been measured for it, so none is given"
    assert '<h2 class="headline-label">People who see how their work serves a goal</h2>' in card
    assert f'<p class="headline-good">H{good}</p>' in card
    alignment = client.get(f"/w/{demo.slug}/alignment/").content.decode()
    assert '<div class="signal-name">People who see how their work serves a goal</div>' in alignment
    assert f"— h{good}</p>" in alignment
    sight = signal(board(demo_client, demo)["individual"], "line_of_sight.linked")
    assert sight["name"] == "People who see how their work serves a goal"
    assert sight["good_looks_like"] == f"h{good}"


@pytest.mark.parametrize(
    "key", ["team.vision_fidelity", "team.vision_coherence", "work.orphans", "roadmap.slipped"]
)
def test_the_teams_sort_furthest_from_good_first(db, demo_client, demo, key):
    client = demo_client(demo, "viewer")
    rows = board(demo_client, demo)["team"]
    values = {row["team"]: signal(row["signals"], key) for row in rows}
    shown = [team for team, s in values.items() if s["value"] is not None]
    assert len(shown) >= 2  # the demo has something to order on every signal
    worst = (min if values[shown[0]]["higher_is_better"] else max)(
        shown, key=lambda team: values[team]["value"]
    )
    html = client.get(f"/w/{demo.slug}/alignment/", {"sort": key}).content.decode()
    order = [unescape(t) for t in re.findall(r'\?team=[^"]*#team">([^<]*)</a>', html)]
    assert sorted(order) == sorted(values) and order[0] == worst
    assert [team for team in order if values[team]["value"] is None] == order[len(shown) :]
    assert 'aria-sort="' in html and "first</strong>" in html


def test_a_sort_the_page_does_not_offer_orders_the_teams_by_name(db, demo_client, demo):
    client = demo_client(demo, "viewer")
    html = client.get(f"/w/{demo.slug}/alignment/", {"sort": "people.names"}).content.decode()
    order = re.findall(r'\?team=[^"]*#team">([^<]*)</a>', html)
    assert order == sorted(order) and "<strong>by name</strong>" in html
    twin = client.get(f"/w/{demo.slug}/alignment.json", {"sort": "people.names"})
    assert twin.status_code == 400 and "work.orphans" in twin.json()["error"]
    sorted_twin = client.get(f"/w/{demo.slug}/alignment.json", {"sort": "roadmap.slipped"}).json()
    slipped = [signal(row["signals"], "roadmap.slipped")["value"] for row in sorted_twin["team"]]
    assert slipped[0] == max(v for v in slipped if v is not None)


def test_a_signals_trend_is_as_precise_as_its_card():
    """The card read "49%" above a chart whose last point read "48.6%"."""
    signal = Signal.of("line_of_sight.linked", 48.6, "", trend=[("Sep", 40.24), ("Oct", 48.6)])
    assert signal.shown == "49%"
    assert signal.labelled_trend == [("Sep", 40.0), ("Oct", 49.0)]
    slips = Signal.of("line_of_sight.linked", 48.6, "", trend=[("Q3", 1.5)], trend_unit="")
    assert slips.labelled_trend == [("Q3", 1.5)]  # points of another unit keep their own


# --- One definition, one rule: what users found contradicting itself ---


def test_initiatives_slipped_are_the_overruns_pages_late_initiatives_quarter_by_quarter(
    db, demo_client, demo
):
    """The card said "whose target date moved later" and drew target moves per quarter, yet
    counted initiatives that shipped late without a move."""
    overruns = demo_client(demo, "viewer").get(f"/w/{demo.slug}/roadmap/overruns.json").json()
    rows = {row["team"]: row["signals"] for row in board(demo_client, demo)["team"]}
    late_unmoved = 0
    for team in (t for t in overruns["teams"] if t["team"] in rows and t["initiatives"]):
        slipped = signal(rows[team["team"]], "roadmap.slipped")
        assert slipped["value"] == round(team["share_slipped"] * 100, 1)
        assert slipped["note"].startswith(f"{team['slipped']} of {team['initiatives']} ")
        due: dict[str, list[bool]] = {}
        for i in overruns["initiatives"]:
            if i["team"] == team["team"] and i["counted"]:
                year, month = int(i["planned_date"][:4]), int(i["planned_date"][5:7])
                due.setdefault(f"{year}-Q{(month - 1) // 3 + 1}", []).append(i["slipped"])
                late_unmoved += i["slipped"] and not i["slips"]
        expected = [[q, round(100 * sum(late) / len(late), 1)] for q, late in sorted(due.items())]
        assert slipped["trend"] == expected
    assert late_unmoved  # the demo has initiatives shipped late with their date never moved
    meaning = measures.measure("roadmap.slipped").meaning
    assert "later than the date first committed to" in meaning and "moved" not in meaning


def test_orphan_work_is_judged_by_the_same_rule_of_thumb_as_the_orphan_work_page(
    db, demo_client, demo
):
    """The orphan work page drew Platform's 69% red while the dashboard showed it only as
    "lower is better … −7 pts better" in green."""
    client = demo_client(demo, "viewer")
    orphans_page = client.get(f"/w/{demo.slug}/work/orphans/").content.decode()
    band = measures.measure("work.orphans").band
    assert f'low="{band.good / 100:g}" high="{band.fair / 100:g}"' in orphans_page
    assert "rule of thumb" in orphans_page
    rows = {row["team"]: row["signals"] for row in board(demo_client, demo)["team"]}
    html = client.get(f"/w/{demo.slug}/alignment/").content.decode()
    team_level = html[html.index('id="team"') : html.index('id="organisation"')]
    assert "(good is under 15%, a rule of thumb)" in team_level
    assert f'low="{band.good:g}" high="{band.fair:g}" optimum="0"' in team_level
    poor_and_better = 0
    for team, signals in rows.items():
        orphans = signal(signals, "work.orphans")
        if orphans["value"] is None:
            continue
        high = orphans["value"] >= band.fair
        assert orphans["in_words"].startswith(f"{orphans['value']:.0f}% — high") == high, team
        if high and orphans["verdict"] == "better":
            poor_and_better += 1
            line = team_level[team_level.index(f">{escape(team)}</a>") :]
            assert (
                '<span class="change-word">better, still high</span>' in line[: line.index("</tr>")]
            )
    assert poor_and_better  # the demo's Platform: 69%, lower than the month before


def test_each_teams_share_of_work_on_no_goal_says_what_it_is_a_share_of(db, demo_client, demo):
    """ "Work supporting no goal 16%" (items, all time) stood beside "26% goes to no goal"
    (points, the 90 days to the check-in) with nothing telling them apart."""
    data = board(demo_client, demo)
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment/").content.decode()
    team_level = html[html.index('id="team"') : html.index('id="organisation"')]
    shown = [s for row in data["team"] for s in row["signals"] if s["key"] == "work.orphans"]
    for orphans in (s for s in shown if s["value"] is not None):
        assert f"{orphans['value']:.0f}% <small>of items, all time</small>" in team_level
    sentences = [t["sentence"] for t in data["say_do"]["teams"] if "no goal" in t["sentence"]]
    assert sentences and all(
        re.search(r"\d+% of its (points|items) over the 90 days to the check-in go to no goal", s)
        for s in sentences
    )


def test_the_team_tables_hint_of_what_good_looks_like_stays_on_a_phones_stacked_rows(
    db, demo_client, demo
):
    """On a phone the header row is hidden and each cell is named by its data-label alone."""
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment/").content.decode()
    assert 'data-label="Team reads the vision alike (good is 50 or more)"' in html
    assert 'data-label="Work supporting no goal (good is under 15%, a rule of thumb)"' in html


def test_a_figure_read_against_the_vision_is_not_compared_across_versions(db, demo_client, demo):
    """ "Agree without understanding −6 pts better" compared the Q3 pulse's answers to Vision v2
    with the Q4 pulse's to Vision v3, and its chart drew a line from one to the other, while the
    executives' update said "Not compared". Now the card says so, with no change and no line."""
    data = board(demo_client, demo)
    faux = signal(data["individual"], "quadrant.faux_alignment")
    said = "the earlier answers restated Vision v2, these Vision v3"
    assert faux["change"] is None and faux["not_compared"] == said
    assert [label for label, _ in faux["trend"]] == [demo.checkins.order_by("-opens_at")[0].title]
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment/").content.decode()
    card = html[html.index(f'<div class="signal-name">{faux["name"]}</div>') :]
    card = card[: card.index('class="evidence"')]
    assert f'<small class="not-compared">not compared: {said}</small>' in card
    assert 'class="change' not in card and 'data-chart="trend"' not in card
    # Agreeing with the direction alone does not depend on the vision's text: still compared.
    sight = signal(data["individual"], "line_of_sight.linked")
    assert sight["change"] and not sight["not_compared"] and len(sight["trend"]) == 2


def test_a_change_is_the_difference_of_the_figures_shown():
    """ "12 / 100 → 12 / 100, +1": 11.5 and 12.4 both show as 12."""
    same = Signal.of("team.vision_coherence", 12.4, "", trend=[("Q3", 11.5), ("Q4", 12.4)])
    assert same.change == 0 and same.shown_change == "no change"
    apart = Signal.of("team.vision_coherence", 12.6, "", trend=[("Q3", 12.4), ("Q4", 12.6)])
    assert apart.change == 1 and apart.shown_change == "+1"


def test_a_teams_understanding_stands_beside_how_alike_it_reads(db, demo_client, demo):
    """Sales reads the vision alike (63 / 100) but conveys little of it (9 / 100): alike alone
    read as healthy. Its understanding is the report's own row for the team, no new figure."""
    latest = demo.checkins.order_by("-opens_at").first()
    vision = next(q for q in latest.report.data["questions"] if q["role"] == "vision")
    published = {g["name"]: g for g in vision["by"]["team"]["groups"]}
    data = board(demo_client, demo)
    rows = {row["team"]: row for row in data["team"]}
    for name, row in rows.items():
        understood = signal(row["signals"], "team.vision_fidelity")
        group = published.get(name)
        assert understood["value"] == (group["fidelity"] if group else None)
    sales = rows["Sales"]
    alike = signal(sales["signals"], "team.vision_coherence")
    understood = signal(sales["signals"], "team.vision_fidelity")
    assert alike["value"] >= 50 and understood["value"] < 35
    said = (
        "Reads it alike, but not as the vision says: understand the vision "
        f"{understood['value']:.0f} / 100"
    )
    assert sales["warning"] == said
    assert all(not row["warning"] for name, row in rows.items() if name != "Sales")
    client = demo_client(demo, "viewer")
    whole = client.get(f"/w/{demo.slug}/alignment/").content.decode()
    assert 'data-label="Team understands the vision (good is 60 or more)"' in whole
    assert f'<small class="team-warning">{said}</small>' in whole
    own = client.get(f"/w/{demo.slug}/alignment/?team=Sales").content.decode()
    assert f'<small class="team-warning">{said}</small>' in own
    twin = client.get(f"/w/{demo.slug}/alignment.json?team=Sales").json()
    assert twin["team"][0]["warning"] == said


def test_the_dashboards_functions_figure_has_a_name_of_its_own(db, demo_client, demo):
    """ "Read the vision alike" (a check-in's, person against person, 42) and "Vision read alike,
    function to function" (37) were taken for one figure: the functions' has a name of its own,
    says whom it rests on (the functions shown, not everyone who answered) and gives the check-
    in's figure beside it."""
    across = signal(board(demo_client, demo)["organisation"], "functions.vision_coherence")
    assert across["name"] == "How alike functions read the vision"
    assert "person against person" in across["meaning"]
    latest = demo.checkins.order_by("-opens_at").first()
    vision = next(q for q in latest.report.data["questions"] if q["role"] == "vision")
    named = {p["a"] for p in vision["across"]} | {p["b"] for p in vision["across"]}
    people = sum(g["n"] for g in vision["by"]["function"]["groups"] if g["name"] in named)
    assert people < vision["n"]  # the functions too small to show are in no pair
    whom = f"from {len(named)} functions, {people} of the {vision['n']} who answered"
    assert across["basis"] == whom
    person_to_person = measures.shown("vision.coherence", vision["coherence"])
    assert f"The check-in's own “Read the vision alike” is {person_to_person}." in across["note"]
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment/").content.decode()
    assert "Vision read alike, function to function" not in html
    card = html[html.index(f'<div class="signal-name">{across["name"]}</div>') :]
    card = card[: card.index('<a class="evidence"')]
    assert f'<small class="signal-basis">{across["basis"]}</small>' in card


def test_a_functions_figure_still_low_says_so_beside_its_change():
    """ "+6 better" on a figure still in its poor band reads "better, still low", as the other
    cards' "−8 pts better, still high"."""
    low = Signal.of("functions.vision_coherence", 30, "/e", trend=[("Q3", 24.0), ("Q4", 30.0)])
    html = render_to_string("dashboard/signal.html", {"signal": low})
    assert '+6 <span class="change-word">better, still low</span>' in html
    partway = Signal.of("functions.vision_coherence", 37, "/e", trend=[("Q3", 31), ("Q4", 37)])
    assert '+6 <span class="change-word">better</span>' in render_to_string(
        "dashboard/signal.html", {"signal": partway}
    )


def test_every_evidence_link_and_meter_is_named_for_assistive_technology(db, demo_client, demo):
    """Ten links read "Evidence" alone, and a meter read 57.1 after "57 / 100"."""
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/alignment/").content.decode()
    links = re.findall(r'<a class="evidence" href="[^"]*">(.*?)</a>', html)
    assert len(links) >= 10
    hidden = r'Evidence<span class="visually-hidden"> for (.+)</span>'
    named = [re.fullmatch(hidden, a) for a in links]
    assert all(named), links
    data = board(demo_client, demo)
    assert {unescape(n.group(1)) for n in named if n} >= {
        s["name"] for s in data["individual"] + data["organisation"] + data["market"]
    }
    meters = re.findall(r'<meter [^>]*value="([^"]*)" aria-valuetext="([^"]*)"', html)
    assert any("." in value for value, _ in meters)  # 57.1, 15.8: read out as shown
    assert all(re.fullmatch(r"\d+ / 100, [^,]+|\d+%, .+", text) for _, text in meters), meters
    region = '<div class="table-wrap" role="region" aria-label="Teams, one line each" tabindex="0">'
    assert f'{region}<table class="team-summary stack">' in html


def test_days_to_decide_says_what_its_chart_is_of_beside_the_cards_figure(db, demo_client, demo):
    """The line ended at "2 days" beside "19 days": the chart is each month's own median of 3
    decisions or more, and its card names the months of fewer, whose medians it leaves out
    (tests/test_alignment_card_words.py draws a line of months of 3 and 4)."""
    latency = signal(board(demo_client, demo)["organisation"], "decisions.latency")
    assert latency["value"] is not None and latency["basis"] == "median of the last 90 days"
    assert len(latency["trend_counts"]) == len(latency["trend"])
    assert all(count >= 3 for count in latency["trend_counts"])
    made = [d for d in demo.decisions.all() if d.decided_on and d.decided_on > d.raised_on]
    by_month = Counter(f"{d.decided_on:%Y-%m}" for d in made)
    few = [
        f"{month} ({n} decision{'' if n == 1 else 's'})" for month, n in by_month.items() if n < 3
    ]
    assert all(month in latency["note"] for month in few)  # the demo's months: 1 or 2 each
    assert few or latency["trend"]
    assert latency["trend_of"].startswith("each month's own median")


def test_the_overviews_overruns_card_says_where_the_patterns_are(db, demo_client, demo):
    """ "no team or goal marked Pattern" was the target, read as the verdict while two teams and
    two goals were: the card says which, in the overruns page's words."""
    html = demo_client(demo, "viewer").get(f"/w/{demo.slug}/").content.decode()
    card = html[html.index('id="headline-slipped"') :]
    card = unescape(card[: card.index("</section>")])
    now = patterns_now(overrun_summary(demo))
    assert now.startswith("Now: Pattern in ") and now in card
    page = demo_client(demo, "viewer").get(f"/w/{demo.slug}/roadmap/overruns/").content.decode()
    assert now in unescape(page)
