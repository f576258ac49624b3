"""A session's "worth it?" answers show only from the anonymity threshold of ratings up, and no
pooled figure (the health line, the JSON, `truenorth rituals show`) counts the ratings of a
session that is not shown: 3 of 5, 2 of 5 and "5 of the 11" would give away a lone hidden "no"
by subtraction. And a share is shown only once its session's ratings have closed, so that it never
moves by one rating while someone watches."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.conftest import team_of
from tests.rituals import weekly_ritual
from truenorth.cli import main
from truenorth.rituals import actions, recurrence


@pytest.fixture
def ritual(workspace, users):
    assert workspace.anonymity_threshold == 5
    team, _ = team_of(workspace, "Ledger", "engineering", 6)
    return weekly_ritual(workspace, team)


def hold(ritual, instant, yes: int, no: int):
    """Held with every attendee there; `yes` then `no` of them rate it, the rest do not."""
    people = actions.attendees(ritual)
    row = actions.occurrence(ritual, instant, create=True)
    actions.record_notes(row, "Held.", people)
    for n, person in enumerate(people[: yes + no]):
        actions.rate(row, person, n < yes, at=instant + RATED_AFTER)


# Each rating given an hour after its session, while its ratings were open.
RATED_AFTER = timedelta(hours=1)


def last(ritual, count: int):
    """The `count` sessions before the latest, oldest first: their ratings have closed (the
    latest's close a week after it, so they may still be open)."""
    return recurrence.previous_starts(ritual, timezone.now(), count + 1)[:count]


def shown_to_a_member(client_for, ritual) -> tuple[str, dict, str]:
    url = f"/w/acme/rituals/{ritual.number}"
    page = client_for("member").get(f"{url}/").content.decode()
    data = client_for("member").get(f"{url}.json").json()
    result = CliRunner().invoke(main, ["rituals", "show", str(ritual.number), "-w", "acme"])
    assert result.exit_code == 0, result.output
    return page, data, result.output


def test_a_lone_hidden_rating_is_left_out_of_the_health_line(client_for, ritual):
    first, second, third = last(ritual, 3)
    hold(ritual, first, yes=3, no=2)
    hold(ritual, second, yes=2, no=3)
    hold(ritual, third, yes=0, no=1)  # one rating: not shown, so not pooled either
    page, data, printed = shown_to_a_member(client_for, ritual)
    assert "60% of 5 ratings" in page and "40% of 5 ratings" in page
    assert "1 rating: shown from 5" in page
    assert "of the 11 ratings" not in page and "of the 11 ratings" not in printed
    health = data["health"]
    assert health["worth_it"] is None and health["level"] == "ok"
    # Three sessions held and rated: not early; the threshold hides one of them.
    assert health["verdict"] == (
        "No verdict on whether it is worth it, as the ratings of 1 of its 3 sessions are hidden: "
        "it had fewer than 5 ratings, the anonymity threshold, and a verdict needs three sessions "
        "whose ratings are shown; attendance holds up."
    )
    assert health["ratings_left_out"] == 1
    assert "1 rating is left out" in health["left_out_note"]
    assert health["left_out_note"] in page and health["left_out_note"] in printed
    # Newest first, after the latest session, which nobody rated.
    assert [r["ratings"] for r in data["recent"][1:4]] == [1, 5, 5]
    assert data["recent"][1]["worth_it"] is None
    # The command line counts a session as the page does: no "worth it 0 of 1".
    assert "0 of 1" not in printed and "1 rating: shown from 5" in printed
    shown = CliRunner().invoke(main, ["rituals", "show", "1", "--json", "-w", "acme"])
    sessions = json.loads(shown.output)["sessions"]
    assert [(s["worth_it"], s["rated"]) for s in sessions[:3]] == [(None, 1), (2, 5), (3, 5)]


def test_three_sessions_of_one_rating_each_say_nothing_of_their_answers(client_for, ritual):
    for instant in last(ritual, 3):
        hold(ritual, instant, yes=0, no=1)
    page, data, printed = shown_to_a_member(client_for, ritual)
    assert data["health"]["worth_it"] is None and data["health"]["signs"] == []
    assert data["health"]["ratings_left_out"] == 3
    for said in (page, printed, json.dumps(data)):
        assert "0 of the 3" not in said and "0 of 1" not in said


def test_the_health_line_pools_the_shown_sessions_alone(client_for, ritual):
    oldest, first, second, third = last(ritual, 4)
    hold(ritual, oldest, yes=1, no=4)
    hold(ritual, first, yes=3, no=2)
    hold(ritual, second, yes=2, no=3)
    hold(ritual, third, yes=0, no=1)
    _, data, printed = shown_to_a_member(client_for, ritual)
    health = data["health"]
    # The three shown sessions: 1 + 3 + 2 of 15, what their own rows add up to.
    shown = [r for r in data["recent"] if r["worth_it"] is not None]
    assert sum(round(r["worth_it"] * r["ratings"]) for r in shown) == 6
    assert health["worth_it"] == 40.0 and health["level"] == "reshape"
    assert "Only 6 of the 15 ratings" in health["suggestion"]
    assert "Only 6 of the 15 ratings" in printed and health["ratings_left_out"] == 1


def test_marking_a_rater_absent_afterwards_tells_nothing_of_their_rating(client_for, ritual):
    """Leaving out one attendee at a time from who came, and reading the share after each, would
    tell every rating: a rating counts whoever is marked absent after it."""
    people = actions.attendees(ritual)
    for instant in last(ritual, 3):
        hold(ritual, instant, yes=4, no=2)
    _, before, _ = shown_to_a_member(client_for, ritual)
    row = actions.occurrence(ritual, last(ritual, 1)[0])
    for left_out in people[:3]:
        came = [person for person in people if person != left_out]
        actions.record_notes(row, "Held.", came)  # as an editor may, from the page or the API
        _, after, _ = shown_to_a_member(client_for, ritual)
        rated = [(r["worth_it"], r["ratings"]) for r in (after["recent"][1], before["recent"][1])]
        assert rated[0] == rated[1] and rated[0][1] == 6
        assert after["health"]["worth_it"] == before["health"]["worth_it"]


def rated_only(ritual, instant, yes: int, no: int):
    """Rated by `yes` then `no` attendees, its notes never recorded."""
    row = actions.occurrence(ritual, instant, create=True)
    for n, person in enumerate(actions.attendees(ritual)[: yes + no]):
        actions.rate(row, person, n < yes, at=instant + RATED_AFTER)


def test_sessions_rated_without_notes_count_towards_worth_it(client_for, ritual):
    """Four sessions rated by 6, 4, 6 and 5 attendees, none with notes: the page showed "worth
    it 4 of 6", "5 of 6", "4 of 5", yet said too early to say, leaving no rating out."""
    first, second, third, fourth = last(ritual, 4)
    rated_only(ritual, first, yes=4, no=2)
    rated_only(ritual, second, yes=1, no=3)  # four ratings: not shown, so not pooled
    rated_only(ritual, third, yes=5, no=1)
    rated_only(ritual, fourth, yes=4, no=1)
    page, data, printed = shown_to_a_member(client_for, ritual)
    health = data["health"]
    assert health["worth_it"] == round(100 * 13 / 17, 1)  # 4 + 5 + 4 of 6 + 6 + 5
    assert health["ratings_left_out"] == 4 and "4 ratings are left out" in printed
    assert not health["verdict"].startswith("Too early")
    assert health["attendance"] is None  # who came is recorded with the notes alone


def test_a_sessions_share_is_shown_only_once_its_ratings_close(client_for, ritual):
    """Shown while ratings came in, the share moved by one rating at a time: a member who looked
    before and after a colleague rated read their answer."""
    latest = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    hold(ritual, latest, yes=5, no=1)  # ratings open until a week after it
    page, data, printed = shown_to_a_member(client_for, ritual)
    closes = (latest + timedelta(days=7)).astimezone(ZoneInfo(ritual.time_zone)).date()
    said = "6 ratings so far: shown when ratings close, {}"
    assert said.format(f"{closes.day} {closes:%b %Y}") in page  # the page's date, in words
    assert said.format(closes.isoformat()) in printed
    assert (data["recent"][0]["worth_it"], data["recent"][0]["ratings"]) == (None, 6)
    assert data["health"]["ratings_left_out"] == 0  # not left out: waiting
    assert "83%" not in page and "worth it 5 of 6" not in printed
