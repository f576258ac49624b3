"""A session of a ritual recorded through /api/v1/ as on its page: its notes and who came, a
decision made in it, skipping it, and each attendee's rating of it."""

import pytest
from django.utils import timezone

from tests.api import caller
from tests.rituals import weekly_ritual
from truenorth.decisions.models import Decision
from truenorth.rituals import recurrence
from truenorth.rituals.models import Attendance, Occurrence, Ritual
from truenorth.workspaces.models import Person

API = "/api/v1/workspaces/acme/rituals/1/occurrences"


@pytest.fixture
def call(client, users):
    return caller(client, users, API)


@pytest.fixture
def ritual(workspace, users, team):
    return weekly_ritual(workspace, team)


def last(ritual) -> str:
    held = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    return f"/{recurrence.local(ritual, held).date().isoformat()}"


def next_one(ritual) -> str:
    coming = recurrence.next_start(ritual, timezone.now())
    return f"/{recurrence.local(ritual, coming).date().isoformat()}"


def person(name: str) -> int:
    return Person.objects.get(name=name).pk


def test_notes_record_the_session_held_and_who_came(ritual, users, call):
    body = {
        "notes": "Capture v3 shipped; the retry queue slips a week.",
        "attended": [person("Member")],
    }
    held = call("put", f"{last(ritual)}/notes", body)
    assert held.status_code == 200, held.json()
    assert (held.json()["status"], held.json()["notes"]) == ("held", body["notes"])
    came = dict(Attendance.objects.values_list("person__name", "attended"))
    assert came["Member"] is True and came["Editor"] is False
    assert held.json()["agenda"]  # kept as it stood
    stranger = call("put", f"{last(ritual)}/notes", {**body, "attended": [person("Partner")]})
    assert (stranger.status_code, stranger.json()["field"]) == (400, "attended")
    assert call("put", "/2020-01-01/notes", body).status_code == 404  # it did not meet then
    assert call("put", f"{last(ritual)}/notes", body, role="member").status_code == 403


def test_a_decision_made_in_the_session_is_in_the_log(ritual, users, call):
    body = {"title": "Retry queue first", "question": "Ship the wizard first?", "outcome": "No."}
    made = call("post", f"{last(ritual)}/decisions", body)
    assert made.status_code == 201, made.json()
    decision = Decision.objects.get()
    assert (decision.status, decision.outcome) == ("decided", "No.")
    assert made.json()["decisions"] == [{"number": decision.number, "title": "Retry queue first"}]
    assert call("post", f"{last(ritual)}/decisions", {**body, "outcome": ""}).status_code == 400


def test_attendees_rate_a_session_once_it_has_started(ritual, users, call):
    rated = call("post", f"{last(ritual)}/rating", {"worth_it": True}, role="member")
    assert rated.status_code == 200, rated.json()
    assert rated.json()["my_rating"] is True
    again = call("post", f"{last(ritual)}/rating", {"worth_it": False}, role="member").json()
    assert again["my_rating"] is False
    assert call("post", f"{next_one(ritual)}/rating", {"worth_it": True}).status_code == 409
    assert (
        call("post", f"{last(ritual)}/rating", {"worth_it": True}, role="partner").status_code
        == 403
    )


def test_a_session_is_skipped_unless_it_was_held(ritual, users, call):
    skipped = call("post", f"{next_one(ritual)}/skip")
    assert (skipped.status_code, skipped.json()["status"]) == (200, "skipped")
    call("put", f"{last(ritual)}/notes", {"notes": "Held.", "attended": []})
    held = call("post", f"{last(ritual)}/skip")
    assert held.status_code == 409 and "was held" in held.json()["detail"]
    assert Occurrence.objects.get(status="held")


RITUALS = "/api/v1/workspaces/acme/rituals"


@pytest.fixture
def setup(client, users):
    return caller(client, users, RITUALS)


def test_a_ritual_is_set_up_changed_and_ended_as_on_its_pages(workspace, users, team, setup):
    body = {
        "name": "Monthly roadmap review",
        "kind": "roadmap_review",
        "purpose": "Sales and engineering agree what the roadmap promises.",
        "first_date": "2026-01-06",
        "teams": [team.pk],
        "functions": ["sales"],
    }
    made = setup("post", body=body)
    assert made.status_code == 201, made.json()
    ritual = made.json()
    assert (ritual["number"], ritual["rrule"]) == (1, "FREQ=MONTHLY;BYDAY=1TU")  # its kind's
    assert (ritual["time_zone"], ritual["start_time"]) == (workspace.time_zone, "09:30")
    assert ritual["teams"] == ["Platform"] and ritual["functions"] == ["sales"]
    assert ritual["function_labels"] == ["Sales"]
    changed = setup("patch", "/1", {"rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "location": "Aula"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["cadence"].startswith("Every other Thursday")
    assert changed.json()["teams"] == ["Platform"]  # what was not sent stays
    ended = setup("post", "/1/end", {"on": "2027-03-01"})
    assert ended.json()["ended_on"] == "2027-03-01"
    assert Ritual.objects.get().ended_on.isoformat() == "2027-03-01"
    today = setup("post", "/1/end", {}).json()["ended_on"]
    assert today == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"rrule": "FREQ=HOURLY"}, "rrule"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"first_date": "1999-12-31"}, "first_date"),
        ({"duration_minutes": 2000}, "duration_minutes"),
        ({"people": [999999]}, "people"),
        ({"functions": ["partner"]}, "functions.0"),
        ({"name": None}, "name"),
    ],
)
def test_what_the_page_refuses_is_a_400_naming_the_field(ritual, users, setup, change, field):
    refused = setup("patch", "/1", change)
    assert (refused.status_code, refused.json().get("field")) == (400, field), refused.json()
    assert Ritual.objects.get().rrule == "FREQ=WEEKLY;BYDAY=MO"  # nothing changed


def test_only_owners_and_editors_set_up_rituals(workspace, users, setup):
    body = {"name": "Sync", "purpose": "Stay in step.", "first_date": "2026-01-05"}
    assert setup("post", body=body, role="member").status_code == 403
    assert setup("post", body=body, scope="read").status_code == 403
    assert not Ritual.objects.exists()
    assert setup("post", body=body).json()["rrule"] == "FREQ=WEEKLY;BYDAY=MO"


def test_a_rating_after_the_sessions_ratings_closed_is_refused(ritual, users, call):
    """A session's share shows once, when its ratings close a week after it: a rating after that
    would move it, and anyone who looked before and after would read it."""
    before_last = recurrence.previous_starts(ritual, timezone.now(), 2)[0]
    day = f"/{recurrence.local(ritual, before_last).date().isoformat()}"
    late = call("post", f"{day}/rating", {"worth_it": True}, role="member")
    assert late.status_code == 409 and late.json()["title"] == "Ratings closed"
    assert "Ratings of this session closed on" in late.json()["detail"]
    assert not Attendance.objects.exists()
    session = call("get", day, role="member").json()
    assert session["ratings_open"] is False and session["can_rate"] is True
    assert call("get", last(ritual), role="member").json()["ratings_open"] is True
