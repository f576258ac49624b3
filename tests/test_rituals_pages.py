"""Rituals' pages: who may open them, the New ritual form, one occurrence's notes, decisions,
skip and one-click rating, the calendar feeds and their secret URL."""

import re
from datetime import date, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from tests.rituals import weekly_ritual
from truenorth.rituals import actions, cadence, health, recurrence
from truenorth.rituals.models import CalendarFeed, Occurrence
from truenorth.serving import redacted
from truenorth.workspaces.models import Membership, Person

INTERNAL = {"owner", "editor", "member", "viewer"}
WRITERS = {"owner", "editor"}


@pytest.fixture
def ritual(workspace, users, team):
    owner = Person.objects.get(email="owner@acme.test")
    return weekly_ritual(workspace, team, owner=owner, location="Room 4")


def day(ritual, instant) -> str:
    return recurrence.local(ritual, instant).date().isoformat()


def past(ritual, count: int):
    return recurrence.previous_starts(ritual, timezone.now(), count)


def upcoming(ritual):
    return recurrence.next_start(ritual, timezone.now())


def pages(ritual) -> dict[str, tuple[str, set[str]]]:
    held = day(ritual, past(ritual, 1)[0])
    base = f"/w/acme/rituals/{ritual.number}"
    return {
        "list": ("/w/acme/rituals/", INTERNAL),
        "list json": ("/w/acme/rituals.json", INTERNAL),
        "new": ("/w/acme/rituals/new/", WRITERS),
        "ritual": (f"{base}/", INTERNAL),
        "ritual json": (f"{base}.json", INTERNAL),
        "edit": (f"{base}/edit/", WRITERS),
        "occurrence": (f"{base}/{held}/", INTERNAL),
        "occurrence json": (f"{base}/{held}.json", INTERNAL),
        "calendar": ("/w/acme/rituals/calendar/", INTERNAL),
    }


@pytest.mark.parametrize("role", ["owner", "editor", "member", "viewer", "partner"])
def test_it_lets_each_role_open_what_its_rule_allows(client_for, ritual, role):
    client = client_for(role)
    for name, (url, allowed) in pages(ritual).items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (name, role, status)


def test_an_outsider_learns_nothing(client_for, ritual):
    assert client_for("outsider").get("/w/acme/rituals/").status_code == 404


def test_the_list_says_cadence_next_date_and_attendees(client_for, ritual):
    page = client_for("member").get("/w/acme/rituals/").content.decode()
    assert "Every Monday at 09:30 (Europe/Berlin)" in page
    assert day(ritual, upcoming(ritual)) in page
    data = client_for("member").get("/w/acme/rituals.json").json()["rituals"][0]
    assert data["attendees"] == 4  # the Platform team: owner, editor, member, viewer
    assert data["next"].startswith(day(ritual, upcoming(ritual)))
    assert 'href="/w/acme/rituals/"' in page  # in the navigation


def test_partners_get_no_rituals_in_their_navigation(client_for, ritual):
    page = client_for("partner").get("/w/acme/decisions/").content.decode()
    assert "/w/acme/rituals/" not in page


def form(**changes) -> dict:
    data = {
        "name": "Roadmap review",
        "kind": "roadmap_review",
        "purpose": "Check the roadmap still says what we will do.",
        "first_date": "2026-01-01",
        "start_time": "14:00",
        "duration_minutes": "60",
        "time_zone": "Europe/Berlin",
        "cadence": "suggested",
        "weekday": "MO",
        "nth": "1",
        "rule": "",
        "location": "",
    }
    return data | changes


def test_it_creates_a_ritual_with_the_cadence_its_kind_suggests(client_for, workspace, team):
    client = client_for("editor")
    response = client.post("/w/acme/rituals/new/", form(teams=[team.pk], functions=["design"]))
    assert response.status_code == 302
    made = workspace.rituals.get()
    assert response["Location"] == f"/w/acme/rituals/{made.number}/"
    assert made.rrule == "FREQ=MONTHLY;BYDAY=1TU"
    assert made.functions == ["design"] and list(made.teams.all()) == [team]
    first = recurrence.starts(made)[0]
    assert day(made, first) == "2026-01-06"  # the first Tuesday of January 2026
    page = client.get(response["Location"]).content.decode()
    assert "The first Tuesday of every month at 14:00 (Europe/Berlin)" in page


def test_it_builds_a_quarterly_rule_from_simple_choices(client_for, workspace):
    data = form(kind="strategy_session", cadence="quarterly", weekday="TH", nth="-1")
    assert client_for("owner").post("/w/acme/rituals/new/", data).status_code == 302
    made = workspace.rituals.get()
    assert made.rrule == "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=-1TH"
    assert [day(made, s) for s in recurrence.starts(made)[:2]] == ["2026-01-29", "2026-04-30"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"rule": "BYDAY=MO"}, "A recurrence needs FREQ="),
        ({"rule": "FREQ=SOMETIMES"}, "Not a recurrence rule"),
        ({"time_zone": "Mars/Olympus"}, "is not a time zone"),
        ({"duration_minutes": "5000"}, "Not saved: Duration (minutes): "),  # named as shown
        ({"first_date": "tomorrow"}, "Enter a valid date"),
        ({"first_date": "0001-01-01"}, "between the years 2000 and 2100"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_bad_input_gets_the_form_back_with_why(client_for, workspace, changes, message):
    response = client_for("editor").post("/w/acme/rituals/new/", form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not workspace.rituals.exists()


def test_members_cannot_set_up_rituals(client_for, workspace):
    assert client_for("member").post("/w/acme/rituals/new/", form()).status_code == 403
    assert not workspace.rituals.exists()


def test_editing_keeps_a_raw_rule_and_ending_stops_the_dates(client_for, ritual, team):
    client = client_for("editor")
    page = client.get(f"/w/acme/rituals/{ritual.number}/edit/").content.decode()
    assert '<option value="MO" selected>' in page  # the simple choices read back from its rule
    data = form(name=ritual.name, rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", teams=[team.pk])
    assert client.post(f"/w/acme/rituals/{ritual.number}/edit/", data).status_code == 302
    ritual.refresh_from_db()
    assert cadence.of(ritual) == "Every other Thursday at 14:00 (Europe/Berlin)"
    today = timezone.localdate()
    response = client.post(f"/w/acme/rituals/{ritual.number}/end/", {"on": today.isoformat()})
    assert response.status_code == 302
    ritual.refresh_from_db()
    assert ritual.ended_on == today and upcoming(ritual) is None
    bad = client.post(f"/w/acme/rituals/{ritual.number}/end/", {"on": "soon"})
    assert bad.status_code == 400


def test_a_day_the_rule_does_not_give_is_not_a_page(client_for, ritual):
    client = client_for("member")
    monday = past(ritual, 1)[0]
    tuesday = (recurrence.local(ritual, monday) + timedelta(days=1)).date()
    assert client.get(f"/w/acme/rituals/{ritual.number}/{tuesday}/").status_code == 404
    assert client.get(f"/w/acme/rituals/{ritual.number}/not-a-day/").status_code == 404
    assert client.get(f"/w/acme/rituals/{ritual.number}/9999-12-31/").status_code == 404
    assert client.get(f"/w/acme/rituals/{ritual.number + 1}/").status_code == 404


def test_notes_and_a_decision_land_in_the_decision_log(client_for, ritual, workspace):
    client = client_for("editor")
    held = day(ritual, past(ritual, 1)[0])
    url = f"/w/acme/rituals/{ritual.number}/{held}"
    member = Person.objects.get(email="member@acme.test")
    came = [p.pk for p in actions.attendees(ritual) if p != member]
    response = client.post(f"{url}/notes/", {"notes": "Close time is down.", "attended": came})
    assert response.status_code == 302
    row = Occurrence.objects.get(ritual=ritual)
    assert row.status == Occurrence.Status.HELD and row.agenda  # the agenda is kept
    assert not row.attendances.get(person=member).attended
    decided = {
        "title": "Ship the ledger import first",
        "question": "Which import comes first?",
        "outcome": "The ledger import.",
        "rationale": "It unblocks the close.",
    }
    assert client.post(f"{url}/decision/", decided).status_code == 302
    decision = workspace.decisions.get(title=decided["title"])
    assert decision.outcome == "The ledger import." and list(row.decisions.all()) == [decision]
    page = client.get(f"{url}/").content.decode()
    assert f'href="/w/acme/decisions/{decision.number}/"' in page and "Close time is down." in page
    log = client.get("/w/acme/decisions/").content.decode()
    assert decided["title"] in log
    data = client.get(f"{url}.json").json()
    assert data["status"] == "held" and data["decisions"][0]["number"] == decision.number
    assert {a["name"]: a["attended"] for a in data["attendees"]}["Member"] is False


def test_bad_notes_and_decisions_get_a_400(client_for, ritual):
    client = client_for("owner")
    url = f"/w/acme/rituals/{ritual.number}/{day(ritual, past(ritual, 1)[0])}"
    response = client.post(f"{url}/notes/", {"notes": ""})
    assert response.status_code == 400 and "required" in response.content.decode()
    response = client.post(f"{url}/decision/", {"title": "No question"})
    assert response.status_code == 400 and "question" in response.content.decode()
    assert client.post(f"{url}/worth-it/", {"worth_it": "maybe"}).status_code == 400
    assert not Occurrence.objects.filter(ritual=ritual).exists()


def test_skipping_leaves_the_date_out_of_the_calendar(client_for, ritual, workspace):
    client = client_for("editor")
    coming = upcoming(ritual)
    url = f"/w/acme/rituals/{ritual.number}/{day(ritual, coming)}"
    assert client.post(f"{url}/skip/").status_code == 302
    assert Occurrence.objects.get(ritual=ritual, starts_at=coming).status == "skipped"
    assert "Skipped" in client.get(f"{url}/").content.decode()
    feed, token = CalendarFeed.issue(workspace)
    body = client.get(f"/calendar/{token}.ics").content
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    skipped = [d.dt for exdate in listify(event.get("EXDATE")) for d in exdate.dts]
    assert [d.date() for d in skipped] == [recurrence.local(ritual, coming).date()]


def listify(value):
    return value if isinstance(value, list) else [value] if value is not None else []


def hold_sessions(ritual, count: int, worth_it: bool | None):
    """Hold the earliest `count` of the last six past sessions, everyone there, each rating."""
    people = actions.attendees(ritual)
    for instant in past(ritual, 6)[:count]:
        row = actions.occurrence(ritual, instant, create=True)
        actions.record_notes(row, "Held.", people)
        if worth_it is not None:
            for person in people:
                actions.rate(row, person, worth_it, at=instant + timedelta(hours=1))


def test_one_click_ratings_change_the_ritual_health(client_for, ritual, workspace):
    # Four attendees rate each session: shown, alone or pooled, from a threshold of 3.
    workspace.anonymity_threshold = 3
    workspace.save(update_fields=["anonymity_threshold"])
    hold_sessions(ritual, 5, worth_it=True)
    last = past(ritual, 1)[0]
    everyone = actions.attendees(ritual)
    actions.record_notes(actions.occurrence(ritual, last, create=True), "", everyone)
    url = f"/w/acme/rituals/{ritual.number}"
    before = client_for("viewer").get(f"{url}.json").json()["health"]
    assert before["level"] == "ok" and before["suggestion"] == ""
    for role in ("owner", "editor", "member", "viewer"):  # any internal role that attends
        response = client_for(role).post(f"{url}/{day(ritual, last)}/worth-it/", {"worth_it": "no"})
        assert response.status_code == 302
    # Counted once the session's ratings close, a week after it; until then, only how many.
    waiting = client_for("viewer").get(f"{url}.json").json()
    assert waiting["health"] == before
    assert (waiting["recent"][0]["worth_it"], waiting["recent"][0]["ratings"]) == (None, 4)
    page = client_for("member").get(f"{url}/").content.decode()
    assert "4 ratings so far: shown when ratings close" in page
    after = health.assess(ritual, last + timedelta(days=7))
    assert after.level != "ok" and after.suggestion
    assert after.worth_it < before["worth_it"]
    assert "What good looks like" in page
    # Rating again changes the rating rather than adding one.
    client_for("member").post(f"{url}/{day(ritual, last)}/worth-it/", {"worth_it": "yes"})
    row = Occurrence.objects.get(ritual=ritual, starts_at=last)
    assert row.attendances.filter(worth_it=True).count() == 1


def test_the_ritual_page_links_each_session_once(client_for, ritual, workspace):
    # Sessions rated by enough attendees, their ratings closed: the chart of worth it is drawn
    # above the table of recent sessions, and its figures name the same sessions.
    workspace.anonymity_threshold = 3
    workspace.save(update_fields=["anonymity_threshold"])
    hold_sessions(ritual, 5, worth_it=True)
    url = f"/w/acme/rituals/{ritual.number}"
    page = client_for("member").get(f"{url}/").content.decode()
    assert 'class="chart chart-bars"' in page
    linked = re.findall(rf'href="{url}/(\d{{4}}-\d{{2}}-\d{{2}})/"', page)
    data = client_for("member").get(f"{url}.json").json()
    sessions = [o["day"] for o in data["recent"] + data["upcoming"]]
    assert len(sessions) == len(set(sessions)) == 8 + 4  # none both recent and next
    assert sorted(linked) == sorted(sessions)


def test_only_attendees_rate_and_partners_never(client_for, ritual, users, workspace):
    url = f"/w/acme/rituals/{ritual.number}/{day(ritual, past(ritual, 1)[0])}/worth-it/"
    outsider = Person.objects.create(workspace=workspace, name="Sam", email="s@acme.test")
    Membership.objects.filter(user=users["viewer"]).update(person=outsider)
    response = client_for("viewer").post(url, {"worth_it": "yes"})
    assert response.status_code == 400 and "attendees" in response.content.decode()
    assert client_for("partner").post(url, {"worth_it": "yes"}).status_code == 403
    future = f"/w/acme/rituals/{ritual.number}/{day(ritual, upcoming(ritual))}/worth-it/"
    assert client_for("member").post(future, {"worth_it": "yes"}).status_code == 400
    assert not Occurrence.objects.filter(ritual=ritual).exists()


def test_the_summary_goes_to_those_who_missed_it(
    client_for, ritual, django_capture_on_commit_callbacks
):
    held = past(ritual, 1)[0]
    url = f"/w/acme/rituals/{ritual.number}/{day(ritual, held)}"
    client = client_for("owner")
    assert client.post(f"{url}/summary/").status_code == 400  # no notes yet
    came = [p.pk for p in actions.attendees(ritual) if p.name != "Viewer"]
    client.post(f"{url}/notes/", {"notes": "We agreed to ship.", "attended": came})
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert client.post(f"{url}/summary/").status_code == 302
    assert len(queued) == 1
    assert [m.to for m in mail.outbox] == [["Viewer <viewer@acme.test>"]]
    assert "We agreed to ship." in mail.outbox[0].body
    assert "Sent " in client.get(f"{url}/").content.decode()
    again = client.post(f"{url}/summary/")
    assert again.status_code == 400 and len(mail.outbox) == 1


def token_on(page: str) -> str:
    found = re.search(r"/calendar/([^\"/]+)\.ics", page)
    assert found, "no feed address on the page"
    return found[1]


def test_a_personal_feed_is_shown_once_and_read_by_calendars(client_for, ritual):
    client = client_for("member")
    response = client.post("/w/acme/rituals/calendar/new/", {"scope": "person"})
    assert response.status_code == 201
    page = response.content.decode()
    token = token_on(page)
    assert "From URL" in page and "Subscribe from web" in page
    assert token not in client.get("/w/acme/rituals/calendar/").content.decode()
    client.logout()  # a calendar application has no login
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Cache-Control"].startswith("private, max-age=")
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Weekly product update"]
    assert CalendarFeed.objects.get().last_read_at is not None


def test_a_revoked_feed_answers_like_an_unknown_one(client_for, ritual):
    client = client_for("viewer")
    token = token_on(
        client.post("/w/acme/rituals/calendar/new/", {"scope": "person"}).content.decode()
    )
    feed = CalendarFeed.objects.get()
    assert client.post(f"/w/acme/rituals/calendar/{feed.pk}/revoke/").status_code == 302
    revoked = client.get(f"/calendar/{token}.ics")
    unknown = client.get("/calendar/no-such-token.ics")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content


def test_only_writers_make_the_workspace_feed_or_revoke_anothers(client_for, ritual, workspace):
    assert (
        client_for("member")
        .post("/w/acme/rituals/calendar/new/", {"scope": "workspace"})
        .status_code
        == 403
    )
    response = client_for("editor").post("/w/acme/rituals/calendar/new/", {"scope": "workspace"})
    assert response.status_code == 201
    feed = CalendarFeed.objects.get(person=None)
    member = client_for("member")
    assert member.post(f"/w/acme/rituals/calendar/{feed.pk}/revoke/").status_code == 400
    mine, _ = CalendarFeed.issue(workspace, Person.objects.get(email="member@acme.test"))
    owner = client_for("owner")
    assert "Member" in owner.get("/w/acme/rituals/calendar/").content.decode()
    assert owner.post(f"/w/acme/rituals/calendar/{mine.pk}/revoke/").status_code == 302
    assert CalendarFeed.objects.filter(revoked_at=None).count() == 1


def test_someone_who_attends_no_ritual_is_told_their_feed_stays_empty(client_for, ritual):
    said = "You attend no ritual yet: the feed stays empty until you do."
    client = client_for("member")
    assert said not in client.get("/w/acme/rituals/calendar/").content.decode()
    Person.objects.filter(email="member@acme.test").update(team=None)  # out of Platform
    assert said in client.get("/w/acme/rituals/calendar/").content.decode()
    made = client.post("/w/acme/rituals/calendar/new/", {"scope": "person"})
    assert made.status_code == 201 and said in made.content.decode()
    assert said not in client_for("owner").get("/w/acme/rituals/calendar/").content.decode()


def test_a_login_without_a_person_is_told_why_it_has_no_feed(client_for, ritual, users):
    Membership.objects.filter(user=users["member"]).update(person=None)
    client = client_for("member")
    assert 'id="no-person"' in client.get("/w/acme/rituals/calendar/").content.decode()
    response = client.post("/w/acme/rituals/calendar/new/", {"scope": "person"})
    assert response.status_code == 400 and b"not linked to a person" in response.content
    assert client.post("/w/acme/rituals/calendar/new/", {"scope": "?"}).status_code == 400
    assert not CalendarFeed.objects.exists()


def test_the_access_log_never_holds_a_calendar_token():
    line = (
        '127.0.0.1 "GET /calendar/Ab-9_xYz.ics HTTP/1.1" 200 "https://tn.example/calendar/Q1.ics"'
    )
    assert redacted(line) == (
        '127.0.0.1 "GET /calendar/[redacted].ics HTTP/1.1" 200 '
        '"https://tn.example/calendar/[redacted].ics"'
    )
    assert redacted("/w/acme/rituals/calendar/") == "/w/acme/rituals/calendar/"


@pytest.mark.parametrize(
    "rule, words",
    [
        ("FREQ=WEEKLY;BYDAY=MO", "Every Monday at 09:30 (Europe/Berlin)"),
        ("FREQ=MONTHLY;BYDAY=1TU", "The first Tuesday of every month at 09:30 (Europe/Berlin)"),
        (
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1WE",
            "The first Wednesday of January, April, July and October at 09:30 (Europe/Berlin)",
        ),
        ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "Every other Monday and Thursday at 09:30"),
        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", "The last Friday of every month at 09:30, 6 times"),
        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=1", "The last Friday of every month at 09:30, once"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "The 15th of every month at 09:30"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday at 09:30"),
        ("FREQ=HOURLY;BYMINUTE=5", "Repeats by the rule FREQ=HOURLY;BYMINUTE=5"),
    ],
)
def test_it_says_a_cadence_in_plain_words(rule, words):
    zone = "Europe/Berlin" if "Berlin" in words else ""
    assert cadence.describe(rule, time(9, 30), zone) == words


def test_the_suggested_cadences_round_trip_through_the_form_choices():
    for how, weekday, nth in cadence.SUGGESTED.values():
        assert cadence.simple_choices(cadence.rule_for(how, weekday, nth)) == (how, weekday, nth)
    assert date(2026, 1, 6).weekday() == 1  # the first Tuesday of 2026, used above


def test_a_rating_is_shown_to_its_rater_alone_and_counted_from_the_threshold(
    client_for, ritual, workspace
):
    """Each says "worth it?" to the ritual, not to the room: nobody reads another's answer,
    and a session's share shows only once it holds as many ratings as the threshold."""
    last = past(ritual, 1)[0]
    everyone = actions.attendees(ritual)
    row = actions.occurrence(ritual, last, create=True)
    actions.record_notes(row, "Held.", everyone)
    session = f"/w/acme/rituals/{ritual.number}/{day(ritual, last)}"
    client_for("member").post(f"{session}/worth-it/", {"worth_it": "no"})
    client_for("owner").post(f"{session}/worth-it/", {"worth_it": "yes"})
    ratings = {
        a["name"]: a["worth_it"]
        for a in client_for("owner").get(f"{session}.json").json()["attendees"]
    }
    assert ratings["Owner"] is True and ratings["Member"] is None  # the owner's own only
    assert workspace.anonymity_threshold > 2
    recent = client_for("owner").get(f"/w/acme/rituals/{ritual.number}.json").json()["recent"]
    rated = next(r for r in recent if r["ratings"] == 2)
    assert rated["worth_it"] is None  # 1 of 2 would tell each the other's answer
    page = client_for("owner").get(f"/w/acme/rituals/{ritual.number}/").content.decode()
    waiting = "2 ratings so far: shown when ratings close, "
    assert waiting in page and f"if there are {workspace.anonymity_threshold} by then" in page
