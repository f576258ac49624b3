"""What an executive takes away from the alignment page: its cards as a CSV, a printed copy
without the page's controls, and each check-in's JSON from its page."""

import csv
import io
import re
from pathlib import Path

import pytest

from truenorth.dashboard.signals import CARD_COLUMNS


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="larkspur-alignment.csv"'
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    "role, status",
    [("owner", 200), ("editor", 200), ("viewer", 200), ("member", 403), ("partner", 403)],
)
def test_the_cards_csv_is_for_those_who_see_the_page(db, demo_client, demo, role, status):
    assert demo_client(demo, role).get("/w/larkspur/alignment.csv").status_code == status


def test_the_cards_csv_holds_each_card_as_the_page_words_it(db, demo_client, demo):
    client = demo_client(demo, "viewer")
    page = client.get("/w/larkspur/alignment/").content.decode()
    assert '<a href="/w/larkspur/alignment.csv">CSV of the cards</a>' in page
    response = client.get("/w/larkspur/alignment.csv")
    assert next(csv.reader(io.StringIO(response.content.decode()))) == CARD_COLUMNS
    cards = rows(response)
    twin = client.get("/w/larkspur/alignment.json").json()
    shown = twin["individual"] + twin["organisation"] + twin["market"]
    assert len(cards) == len(shown) + sum(len(row["signals"]) for row in twin["team"])
    across = next(c for c in cards if c["figure"] == "How alike functions read the vision")
    assert re.fullmatch(r"\d+ / 100", across["value"])
    assert (
        across["level"] == "Organisation" and across["what good looks like"] == "good is 50 or more"
    )
    assert across["band"] in {"readings far apart", "readings share details", "mostly one reading"}
    assert across["source"].startswith(twin["checkin"]["title"] + ", closed ")
    assert "functions" in across["source"] and across["evidence"].startswith("http")
    # A change reads as the card says it, never as "'+6": a leading + is a formula's.
    assert all(not c["change"].startswith(("'", "+")) for c in cards)
    said = r"(better|worse)[^:]*: [+−]\d+( pts)? \(since .+: \d+(%| / 100) → \d+(%| / 100)\)"
    assert any(re.fullmatch(said, c["change"]) for c in cards)  # and what it compares
    team = next(c for c in cards if c["level"] == "Team")
    assert team["team or group"] == twin["team"][0]["team"]


def test_the_cards_csv_takes_the_pages_team_and_refuses_what_it_does_not_name(
    db, demo_client, demo
):
    client = demo_client(demo, "viewer")
    sales = rows(client.get("/w/larkspur/alignment.csv?team=Sales"))
    assert {c["team or group"] for c in sales if c["level"] == "Team"} == {"Sales"}
    page = client.get("/w/larkspur/alignment/?team=Sales").content.decode()
    assert 'href="/w/larkspur/alignment.csv?team=Sales"' in page
    missing = client.get("/w/larkspur/alignment.csv?team=Nobody")
    assert missing.status_code == 404 and b"No team named" in missing.content
    wrong = client.get("/w/larkspur/alignment.csv?sort=size")
    assert wrong.status_code == 400 and b"sort must be one of" in wrong.content


def test_a_printed_page_drops_the_menu_search_and_team_picker():
    css = (Path(__file__).parents[1] / "truenorth/static/truenorth/style.css").read_text()
    printed = re.search(r"@media print \{(.*?)\n\}", css, re.S)
    assert printed, "no print style"
    hidden = re.search(r"([^{}]+)\{\s*display: none;", printed.group(1)).group(1)
    assert {"header.top", "#team-filter"} <= {part.strip() for part in hidden.split(",")}


def test_a_viewer_sees_the_check_ins_json_link_it_may_follow(db, demo_client, demo):
    checkin = demo.checkins.order_by("-opens_at").first()
    client = demo_client(demo, "viewer")
    page = client.get(f"/w/larkspur/checkins/{checkin.pk}/").content.decode()
    assert f'href="/w/larkspur/checkins/{checkin.pk}/report.json"' in page
    assert client.get(f"/w/larkspur/checkins/{checkin.pk}/report.json").status_code == 200
