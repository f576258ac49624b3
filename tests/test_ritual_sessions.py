"""A ritual's sessions as people find them after the ritual changed: held sessions stay when its
rule, first date or end move; nothing is recorded before a session starts; rules that never
meet are refused; UNTIL in each form people write; and the calendar feed counts the sessions the
app shows."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
from django.utils import timezone
from icalendar import Calendar

from tests.api import caller
from tests.rituals import weekly_ritual
from truenorth.decisions.models import Decision
from truenorth.rituals import actions, calendar, recurrence
from truenorth.rituals.models import CalendarFeed, Occurrence, Ritual
from truenorth.rituals.recurrence import BadRule
from truenorth.workspaces.models import Person

RITUALS = "/api/v1/workspaces/acme/rituals"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def call(client, users):
    return caller(client, users, RITUALS)


@pytest.fixture
def ritual(workspace, users, team):
    return weekly_ritual(workspace, team)


def day(ritual, instant) -> str:
    return recurrence.local(ritual, instant).date().isoformat()


def last_monday(ritual) -> str:
    return day(ritual, recurrence.previous_starts(ritual, timezone.now(), 1)[0])


def next_monday(ritual) -> str:
    return day(ritual, recurrence.next_start(ritual, timezone.now()))


def hold(call, ritual, on: str) -> None:
    notes = call("put", f"/1/occurrences/{on}/notes", {"notes": "Agreed.", "attended": []})
    assert notes.status_code == 200, notes.json()
    body = {"title": "Beta first", "question": "Release to all?", "outcome": "Beta first."}
    assert call("post", f"/1/occurrences/{on}/decisions", body).status_code == 201


# --- Held sessions stay whatever the ritual says now ---


@pytest.mark.parametrize(
    "change",
    [
        {"rrule": "FREQ=WEEKLY;BYDAY=TU"},
        {"first_date": (date.today() + timedelta(days=1)).isoformat()},
        {"start_time": "10:00"},
    ],
)
def test_a_held_session_stays_when_the_rule_or_first_date_changes(ritual, call, change):
    held = last_monday(ritual)
    hold(call, ritual, held)
    assert call("patch", "/1", change).status_code == 200
    session = call("get", f"/1/occurrences/{held}")
    assert session.status_code == 200, session.json()
    assert (session.json()["status"], session.json()["notes"]) == ("held", "Agreed.")
    assert [d["title"] for d in session.json()["decisions"]] == ["Beta first"]
    recent = call("get", "/1").json()["recent"]
    assert held in [r["day"] for r in recent]
    assert next(r for r in recent if r["day"] == held)["status"] == "held"
    # A page for the day, and more notes recorded to it, as before the change.
    again = call("put", f"/1/occurrences/{held}/notes", {"notes": "Later.", "attended": []})
    assert again.status_code == 200 and Occurrence.objects.get().notes == "Later."


def test_recent_holds_the_sessions_held_and_the_rules_past_days(ritual, call):
    held = last_monday(ritual)
    hold(call, ritual, held)
    call("patch", "/1", {"rrule": "FREQ=WEEKLY;BYDAY=TU"})
    days = [r["day"] for r in call("get", "/1").json()["recent"]]
    assert days == sorted(days, reverse=True) and len(days) == 8
    tuesdays = [d for d in days if date.fromisoformat(d).weekday() == 1]
    assert held in days and len(tuesdays) == 7


def test_a_session_only_skipped_goes_with_its_date(ritual, call):
    """Skipping records nothing that happened: a changed rule drops the date."""
    skipped = next_monday(ritual)
    assert call("post", f"/1/occurrences/{skipped}/skip").status_code == 200
    call("patch", "/1", {"rrule": "FREQ=WEEKLY;BYDAY=TU"})
    assert call("get", f"/1/occurrences/{skipped}").status_code == 404


# --- Ending ---


def test_ending_on_a_past_day_keeps_the_sessions_held_after_it(ritual, call, client_for):
    held = last_monday(ritual)
    hold(call, ritual, held)
    early = (date.fromisoformat(held) - timedelta(weeks=3)).isoformat()
    assert call("post", "/1/end", {"on": early}).json()["ended_on"] == early
    assert call("get", f"/1/occurrences/{held}").json()["status"] == "held"
    recent = [r["day"] for r in call("get", "/1").json()["recent"]]
    assert held in recent and all(d < early for d in recent if d != held)
    assert client_for("member").get(f"/w/acme/rituals/1/{held}/").status_code == 200


def test_an_end_before_the_first_date_is_refused(ritual, call, client_for):
    refused = call("post", "/1/end", {"on": "2020-01-01"})
    assert (refused.status_code, refused.json()["field"]) == (400, "on")
    assert "before its first date" in refused.json()["detail"]
    page = client_for("owner").post("/w/acme/rituals/1/end/", {"on": "2020-01-01"})
    assert page.status_code == 400 and "before its first date" in page.content.decode()
    patched = call("patch", "/1", {"ended_on": "2020-01-01"})
    assert (patched.status_code, patched.json()["field"]) == (400, "ended_on")
    assert Ritual.objects.get().ended_on is None
    on_the_first = call("post", "/1/end", {"on": ritual.first_date.isoformat()})
    assert on_the_first.status_code == 200 and on_the_first.json()["next"] is None


def test_ended_on_null_takes_the_end_back(ritual, call):
    call("post", "/1/end", {"on": last_monday(ritual)})
    assert call("get", "/1").json()["next"] is None
    resumed = call("patch", "/1", {"ended_on": None})
    assert resumed.status_code == 200
    assert resumed.json()["ended_on"] is None and resumed.json()["next"] is not None
    assert Ritual.objects.get().ended_on is None
    again = call("patch", "/1", {"ended_on": "2027-03-01"}).json()
    assert again["ended_on"] == "2027-03-01"


def test_the_end_field_says_plainly_which_day_is_the_first_without(ritual, client_for):
    page = client_for("owner").get("/w/acme/rituals/1/").content.decode()
    assert "First day without a session" in page and "no session from it" not in page


# --- Nothing is recorded before the session starts ---


def test_nothing_is_recorded_before_the_session_starts(ritual, call, users):
    coming = next_monday(ritual)
    notes = call("put", f"/1/occurrences/{coming}/notes", {"notes": "Early.", "attended": []})
    assert notes.status_code == 409 and "once it has started" in notes.json()["detail"]
    body = {"title": "Beta first", "question": "Release to all?", "outcome": "Beta first."}
    assert call("post", f"/1/occurrences/{coming}/decisions", body).status_code == 409
    rated = call("post", f"/1/occurrences/{coming}/rating", {"worth_it": True}, role="member")
    assert rated.status_code == 409
    assert not Occurrence.objects.exists() and not Decision.objects.exists()


def test_the_page_records_nothing_before_the_session_starts(ritual, client_for):
    url = f"/w/acme/rituals/1/{next_monday(ritual)}"
    client = client_for("owner")
    page = client.get(f"{url}/").content.decode()
    assert 'id="notes-form"' not in page and "once the session has started" in page
    posted = client.post(f"{url}/notes/", {"notes": "Early."})
    assert posted.status_code == 400 and "once it has started" in posted.content.decode()
    decided = client.post(f"{url}/decision/", {"title": "T", "question": "Q?", "outcome": "O"})
    assert decided.status_code == 400 and "once it has started" in decided.content.decode()
    assert not Occurrence.objects.exists() and not Decision.objects.exists()


def test_an_action_refuses_a_session_not_started(ritual):
    coming = recurrence.next_start(ritual, timezone.now())
    row = actions.occurrence(ritual, coming, create=True)
    with pytest.raises(actions.NotStarted, match="once it has started"):
        actions.record_notes(row, "Early.", [])
    with pytest.raises(actions.NotStarted):
        actions.rate(row, Person.objects.get(name="Member"), True)


def test_a_decision_made_in_a_session_is_dated_its_day(ritual, call):
    held = recurrence.previous_starts(ritual, timezone.now(), 3)[0]
    on = day(ritual, held)
    body = {"title": "Beta first", "question": "Release to all?", "outcome": "Beta first."}
    assert call("post", f"/1/occurrences/{on}/decisions", body).status_code == 201
    decision = Decision.objects.get()
    assert decision.decided_on.isoformat() == on == decision.raised_on.isoformat()
    when = recurrence.local(ritual, held)
    assert decision.context == f"Decided in Weekly product update on {when:%-d %B %Y}."


# --- Who may own a decision made in a session ---


def test_a_sessions_decision_owners_are_the_decision_logs(ritual, call, client_for):
    page = client_for("owner").get(f"/w/acme/rituals/1/{last_monday(ritual)}/")
    owners = page.context["decision_form"].fields["owner"].queryset
    assert "Partner" not in {p.name for p in owners} and "Member" in {p.name for p in owners}
    partner = Person.objects.get(name="Partner").pk
    body = {"title": "T", "question": "Q?", "outcome": "O", "owner": partner}
    refused = call("post", f"/1/occurrences/{last_monday(ritual)}/decisions", body)
    assert (refused.status_code, refused.json()["field"]) == (400, "owner")


# --- Rules that never meet, sessions of no length ---


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;COUNT=0",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4",
    ],
)
def test_a_rule_that_never_meets_is_refused(rule, call, users):
    with pytest.raises(BadRule, match="never meets"):
        recurrence.check_rule(rule)
    body = {"name": "Never", "purpose": "None.", "first_date": "2026-01-05", "rrule": rule}
    refused = call("post", body=body)
    assert (refused.status_code, refused.json()["field"]) == (400, "rrule")
    assert "never meets" in refused.json()["detail"]


def test_a_rule_with_no_session_from_the_first_date_is_refused(call, users):
    rule = "FREQ=WEEKLY;BYDAY=MO;UNTIL=20250101"
    body = {"name": "Over", "purpose": "None.", "first_date": "2026-01-05", "rrule": rule}
    refused = call("post", body=body)
    assert refused.status_code == 400 and "no session on or after" in refused.json()["detail"]
    assert recurrence.check_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")  # a leap day meets


def test_a_session_of_no_length_is_refused(client_for, call, team):
    form = {
        "name": "Blink",
        "kind": "other",
        "purpose": "None.",
        "first_date": "2026-01-05",
        "start_time": "09:30",
        "duration_minutes": "0",
        "time_zone": "Europe/Berlin",
        "cadence": "weekly",
        "weekday": "MO",
        "nth": "1",
    }
    page = client_for("owner").post("/w/acme/rituals/new/", form)
    assert page.status_code == 400 and "at least 5 minutes" in page.content.decode()
    body = {"name": "Blink", "purpose": "None.", "first_date": "2026-01-05", "duration_minutes": 0}
    assert call("post", body=body).status_code == 400
    assert not Ritual.objects.exists()


# --- UNTIL, and the calendar feed ---


def feed_event(workspace):
    feed, _ = CalendarFeed.issue(workspace)
    return Calendar.from_ical(calendar.ics(feed)), feed


def expanded(parsed, start, end) -> list[datetime]:
    events = recurring_ical_events.of(parsed).between(start, end)
    return sorted(event["DTSTART"].dt.astimezone(UTC) for event in events)


@pytest.mark.parametrize(
    "until, kept",
    [
        ("20270601T000000Z", "20270601T000000Z"),
        ("20270601T000000", "20270601T070000Z"),  # midnight in Los Angeles (PDT)
        ("20270601", "20270602T065959Z"),  # the whole of 1 June there
    ],
)
def test_until_in_each_form_people_write_is_kept_in_utc(workspace, users, call, until, kept):
    rule = f"FREQ=WEEKLY;BYDAY=MO;UNTIL={until}"
    body = {
        "name": "West coast sync",
        "purpose": "Stay in step.",
        "first_date": "2027-05-03",
        "time_zone": "America/Los_Angeles",
        "rrule": rule,
    }
    made = call("post", body=body)
    assert made.status_code == 201, made.json()
    assert made.json()["rrule"] == f"FREQ=WEEKLY;BYDAY=MO;UNTIL={kept}"
    ritual = Ritual.objects.get()
    last = recurrence.starts(ritual)[-1]
    assert recurrence.local(ritual, last).date() == date(2027, 5, 31)
    parsed, _ = feed_event(workspace)
    text = parsed.to_ical().decode()
    assert f"UNTIL={kept}" in text and "DTSTART;TZID=America/Los_Angeles" in text
    window = datetime(2027, 5, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC)
    assert expanded(parsed, *window) == recurrence.starts(ritual)


def test_the_feed_starts_at_the_first_session_not_the_first_date(workspace, ritual):
    ritual.first_date = date(2026, 3, 5)  # a Thursday; the rule meets on Mondays
    actions.save_ritual(ritual)
    parsed, _ = feed_event(workspace)
    [event] = parsed.walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 3, 9, 9, 30, tzinfo=BERLIN)
    window = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    assert expanded(parsed, *window) == recurrence.starts(ritual, *window)


def test_the_feed_keeps_sessions_held_on_days_the_rule_no_longer_gives(workspace, ritual, call):
    held = last_monday(ritual)
    hold(call, ritual, held)
    call("patch", "/1", {"rrule": "FREQ=WEEKLY;BYDAY=TU"})
    parsed, _ = feed_event(workspace)
    now = timezone.now()
    window = now - timedelta(weeks=3), now
    shown = set(actions.past_sessions(Ritual.objects.get(), now, 20))
    found = expanded(parsed, *window)
    assert {day(ritual, s) for s in found} >= {held}
    assert set(found) == {s for s in shown if s >= window[0]}


def test_an_ended_ritual_that_never_met_leaves_the_feed(workspace, ritual):
    actions.end_ritual(ritual, ritual.first_date)
    parsed, _ = feed_event(workspace)
    assert parsed.walk("VEVENT") == []


def midday_zone() -> str:
    """A zone where it is about noon now: a session an hour ago and one at 23:50 fall today."""
    offset = 12 - timezone.now().astimezone(UTC).hour
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-5 is five hours ahead


def test_the_next_session_is_not_on_a_day_already_held(workspace, users, team, call, client_for):
    zone = zoneinfo.ZoneInfo(midday_zone())
    today = timezone.now().astimezone(zone).date()
    daily = Ritual(
        workspace=workspace, name="Stand-up", purpose="Unblock each other.", rrule="FREQ=DAILY",
        first_date=today - timedelta(days=3), start_time=time(11), time_zone=str(zone),
    )  # fmt: skip
    ritual = actions.create_ritual(daily, teams=[team])
    hold(call, ritual, today.isoformat())
    ritual.start_time = time(23, 50)  # later today: the day keeps the session held at 11:00
    actions.save_ritual(ritual)
    tomorrow = (today + timedelta(days=1)).isoformat()
    expected = datetime.combine(today + timedelta(days=1), time(23, 50), tzinfo=zone)
    base = f"/w/acme/rituals/{ritual.number}"
    page_json = client_for("member").get(f"{base}.json").json()
    for data in (
        page_json,
        call("get", f"/{ritual.number}").json(),
        client_for("member").get("/w/acme/rituals.json").json()["rituals"][0],
    ):
        assert data["next"] == expected.isoformat(), data["next"]
    assert page_json["next_page"] == f"{base}/{tomorrow}/"
    assert page_json["upcoming"][0]["day"] == tomorrow
    assert tomorrow in client_for("member").get("/w/acme/rituals/").content.decode()
    today_page = client_for("member").get(f"{base}/{today.isoformat()}.json").json()
    assert today_page["status"] == "held" and today_page["starts"].startswith(f"{today}T11:00")
    parsed, _ = feed_event(workspace)
    now = timezone.now()
    assert expanded(parsed, now, now + timedelta(days=2))[0] == expected.astimezone(UTC)
