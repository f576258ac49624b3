"""The ritual page writes its sessions' days as every page writes a date ("9 Nov 2026", not
"2026-11-09"), each still linking to its session's page."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.rituals import weekly_ritual
from truenorth.rituals import actions, health, recurrence
from truenorth.workspaces.models import Person


@pytest.fixture
def ritual(workspace, users, team):
    return weekly_ritual(workspace, team, owner=Person.objects.get(email="owner@acme.test"))


def shown(iso_day: str) -> str:
    return date_format(date.fromisoformat(iso_day))


def test_each_session_day_reads_as_a_date_and_links_to_its_page(client_for, ritual):
    url = f"/w/acme/rituals/{ritual.number}"
    page = client_for("member").get(f"{url}/").content.decode()
    data = client_for("member").get(f"{url}.json").json()
    assert data["recent"] and data["upcoming"]
    for session in data["recent"] + data["upcoming"]:
        assert f'<a href="{session["page"]}">{shown(session["day"])}</a>' in page
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}", page)  # no ISO day left as text


def test_the_day_ratings_close_and_the_day_it_ended_read_as_dates(client_for, ritual):
    last = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    people = actions.attendees(ritual)
    held = actions.occurrence(ritual, last, create=True)
    actions.record_notes(held, "Held.", people)
    actions.rate(held, people[0], True, at=last + timedelta(hours=1))
    closes = recurrence.local(ritual, health.ratings_close(last)).date()
    url = f"/w/acme/rituals/{ritual.number}/"
    page = client_for("member").get(url).content.decode()
    assert f"1 rating so far: shown when ratings close, {date_format(closes)}" in page
    actions.end_ritual(ritual, timezone.localdate())  # no session today or after
    ended = client_for("member").get(url).content.decode()
    assert f"No more sessions: it ended on {date_format(timezone.localdate())}." in ended


def test_the_worth_it_chart_names_each_session_by_its_day_as_a_date(client_for, ritual, workspace):
    """The chart's bars were named "2026-11-03" above a table that said "3 Nov 2026"."""
    workspace.anonymity_threshold = 3
    workspace.save(update_fields=["anonymity_threshold"])
    people = actions.attendees(ritual)
    held = recurrence.previous_starts(ritual, timezone.now(), 6)[:4]  # their ratings closed
    for instant in held:
        row = actions.occurrence(ritual, instant, create=True)
        actions.record_notes(row, "Held.", people)
        for person in people:
            actions.rate(row, person, True, at=instant + timedelta(hours=1))
    page = client_for("member").get(f"/w/acme/rituals/{ritual.number}/").content.decode()
    chart = page[page.index('<figure class="chart chart-bars">') :]
    chart = chart[: chart.index("</figure>")]
    days = [shown(recurrence.local(ritual, instant).date().isoformat()) for instant in held]
    named = re.findall(
        r'<text x="0" y="[\d.]+" class="tick" text-anchor="start">([^<]+)</text>', chart
    )
    assert named == days  # oldest first, one bar a session
    assert f"<td>{days[0]}</td><td>100%</td>" in chart  # the figures' table names it alike
    assert not re.search(r"\d{4}-\d{2}-\d{2}", chart)
