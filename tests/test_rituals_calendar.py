"""The iCalendar feed, parsed back with icalendar and expanded with recurring_ical_events as a
calendar application would: a weekly 09:30 in Berlin across both 2026 daylight-saving changes."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from truenorth.rituals import actions, calendar, recurrence
from truenorth.rituals.models import CalendarFeed, Ritual
from truenorth.workspaces.models import Function, Person, Team

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def people(workspace, team):
    other = Team.objects.create(workspace=workspace, name="Sales team")
    return {
        "ana": Person.objects.create(
            workspace=workspace, name="Ana", email="ana@acme.test", function=Function.PRODUCT
        ),
        "ben": Person.objects.create(
            workspace=workspace,
            name="Ben",
            email="ben@acme.test",
            function=Function.ENGINEERING,
            team=team,
        ),
        "cy": Person.objects.create(
            workspace=workspace,
            name="Cy",
            email="cy@acme.test",
            function=Function.SALES,
            team=other,
        ),
    }


def weekly(workspace, **fields):
    values = {
        "workspace": workspace,
        "name": "Weekly product update",
        "purpose": "Same picture for everyone.",
        "first_date": date(2026, 3, 2),
        "start_time": time(9, 30),
        "duration_minutes": 45,
        "time_zone": "Europe/Berlin",
        "rrule": "FREQ=WEEKLY;BYDAY=MO",
        "location": "Room 2",
        "functions": [Function.PRODUCT],
    }
    return actions.create_ritual(Ritual(**(values | fields)))


def parsed(feed) -> Calendar:
    return Calendar.from_ical(calendar.ics(feed))


def expand(feed, start, end) -> list[datetime]:
    events = recurring_ical_events.of(parsed(feed)).between(start, end)
    return sorted(event["DTSTART"].dt for event in events)


def test_the_feed_parses_back_with_its_headers_and_time_zone(workspace, people):
    ritual = weekly(workspace)
    feed, _ = CalendarFeed.issue(workspace)
    found = parsed(feed)
    assert found["X-WR-CALNAME"] == "Acme rituals"
    assert str(found["X-PUBLISHED-TTL"]) == "PT1H"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in calendar.ics(feed).decode()
    [zone] = found.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    [event] = found.walk("VEVENT")
    assert event["UID"] == f"ritual-{ritual.pk}@127.0.0.1"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["SUMMARY"] == "Weekly product update"
    assert event["LOCATION"] == "Room 2"
    assert f"/w/acme/rituals/{ritual.number}/" in event["DESCRIPTION"]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]


@pytest.mark.parametrize(
    "around",
    [date(2026, 3, 29), date(2026, 10, 25)],  # Berlin's clocks move on these Sundays
)
def test_a_weekly_0930_stays_0930_local_across_a_clock_change(workspace, people, around):
    weekly(workspace)
    feed, _ = CalendarFeed.issue(workspace)
    middle = datetime.combine(around, time(12), tzinfo=BERLIN)
    before, after = middle - timedelta(days=14), middle + timedelta(days=14)
    starts = expand(feed, before, after)
    assert len(starts) == 4
    assert {s.astimezone(BERLIN).time() for s in starts} == {time(9, 30)}
    hours_utc = [s.astimezone(UTC).hour for s in starts]
    # Before and after the change the same 09:30 is an hour apart in UTC.
    assert hours_utc[0] == hours_utc[1] != hours_utc[2] == hours_utc[3]
    assert abs(hours_utc[0] - hours_utc[2]) == 1


def test_the_feed_agrees_with_the_rituals_own_dates(workspace, people):
    ritual = weekly(workspace)
    feed, _ = CalendarFeed.issue(workspace)
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    assert [s.astimezone(UTC) for s in expand(feed, start, end)] == recurrence.starts(
        ritual, start, end
    )


def test_a_skipped_occurrence_is_an_exdate(workspace, people):
    ritual = weekly(workspace)
    skipped = recurrence.on_day(ritual, date(2026, 3, 30))
    actions.skip(ritual, skipped)
    feed, _ = CalendarFeed.issue(workspace)
    [event] = parsed(feed).walk("VEVENT")
    assert "EXDATE" in event
    starts = expand(
        feed, datetime(2026, 3, 20, tzinfo=BERLIN), datetime(2026, 4, 10, tzinfo=BERLIN)
    )
    assert [s.date() for s in starts] == [date(2026, 3, 23), date(2026, 4, 6)]


def test_an_ended_ritual_stops(workspace, people):
    ritual = weekly(workspace)
    actions.end_ritual(ritual, date(2026, 4, 13))
    feed, _ = CalendarFeed.issue(workspace)
    starts = expand(feed, datetime(2026, 4, 1, tzinfo=BERLIN), datetime(2026, 6, 1, tzinfo=BERLIN))
    assert [s.date() for s in starts] == [date(2026, 4, 6)]
    assert [s.date() for s in starts] == [
        s.astimezone(BERLIN).date()
        for s in recurrence.starts(
            ritual, datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
        )
    ]


def test_a_persons_feed_holds_only_their_rituals(workspace, people, team):
    by_function = weekly(workspace)  # product: Ana
    by_team = weekly(workspace, name="Platform sync", functions=[])
    by_team.teams.set([team])  # Ben
    owned = weekly(workspace, name="Sales forecast", functions=[], owner=people["cy"])
    named = weekly(workspace, name="Design crit", functions=[])
    named.people.set([people["ana"]])

    def names(person):
        feed, _ = CalendarFeed.issue(workspace, person)
        return sorted(str(e["SUMMARY"]) for e in parsed(feed).walk("VEVENT"))

    assert names(people["ana"]) == sorted([by_function.name, named.name])
    assert names(people["ben"]) == [by_team.name]
    assert names(people["cy"]) == [owned.name]
    workspace_feed, _ = CalendarFeed.issue(workspace)
    assert len(parsed(workspace_feed).walk("VEVENT")) == 4


def test_a_token_opens_its_feed_until_revoked(workspace, people):
    feed, token = CalendarFeed.issue(workspace, people["ana"])
    assert token not in feed.token_digest
    opened = calendar.feed_for_token(token)
    assert opened == feed and opened.last_read_at is not None
    assert calendar.feed_for_token("not-" + token) is None
    calendar.revoke(feed)
    assert calendar.feed_for_token(token) is None
    assert calendar.feed_url(token) == f"/calendar/{token}.ics"
