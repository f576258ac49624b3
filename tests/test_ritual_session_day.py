"""A session is known by its own local day, even where the workspace is still on the day before:
a ritual in Pacific/Kiritimati (UTC+14) of a workspace in Pacific/Pago_Pago (UTC-11) meets a
day ahead of it. A decision recorded in the session is raised and decided on the session's day
(its page, its context and its email agree), and the session's agenda, started, counts as of
that day without "as of today"."""

import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from truenorth.decisions.actions import add_decision
from truenorth.decisions.models import Decision
from truenorth.notifications.models import Notification
from truenorth.rituals import actions, recurrence
from truenorth.rituals.models import Ritual

EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # 25 hours apart, no summer time


@pytest.fixture
def ritual(workspace, users):
    """Daily, at a start time that came half an hour ago where it meets: its latest session has
    started, on a day that has not come yet where the workspace is, whatever the clock says."""
    workspace.time_zone = WEST
    workspace.save(update_fields=["time_zone"])
    began = (timezone.now() - timedelta(minutes=30)).astimezone(zoneinfo.ZoneInfo(EAST))
    made = Ritual(
        workspace=workspace,
        name="Pacific standup",
        purpose="Start the day together.",
        first_date=began.date() - timedelta(days=10),
        start_time=began.time().replace(second=0, microsecond=0),
        time_zone=EAST,
        rrule="FREQ=DAILY",
    )
    return actions.create_ritual(made, people=list(workspace.people.filter(active=True)))


def started(ritual):
    """(its latest session's start, its local day, the workspace's today)."""
    latest = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    day = recurrence.local(ritual, latest).date()
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(WEST)).date()
    assert day > today  # the session's day has not come yet where the workspace is
    return latest, day, today


def test_a_decision_of_the_session_is_dated_the_sessions_day(client_for, ritual):
    _, day, _ = started(ritual)
    said = f"{day.day} {day:%B %Y}"
    url = f"/w/acme/rituals/{ritual.number}/{day.isoformat()}"
    fields = {"title": "Standup moves", "question": "Move it?", "outcome": "Yes.", "notes": ""}
    assert client_for("editor").post(f"{url}/decision/", fields).status_code == 302
    decision = Decision.objects.get(title="Standup moves")
    assert decision.context == f"Decided in Pacific standup on {said}."
    assert (decision.raised_on, decision.decided_on) == (day, day)
    told = Notification.objects.get(key=f"decision:{decision.pk}:decided")
    assert told.text.startswith(f"Decided on {said}: ")


def test_a_started_sessions_agenda_counts_as_of_its_day(client_for, ritual, workspace):
    _, day, today = started(ritual)
    raised = today - timedelta(5)
    add_decision(Decision(workspace=workspace, title="Who owns GL", question="?", raised_on=raised))
    url = f"/w/acme/rituals/{ritual.number}/{day.isoformat()}"
    data = client_for("editor").get(f"{url}.json").json()["agenda"]
    waiting = [s for s in data["sections"] if s["key"] == "decisions"][0]["items"]
    # 6 days, or 7 in the half hour of the clock when the two zones' dates are two days apart;
    # as of the workspace's today it would read 5.
    assert waiting[0]["text"] == f"Who owns GL (decision 1): open {(day - raised).days} days"
    page = client_for("editor").get(f"{url}/").content.decode()
    assert 'id="notes-form"' in page and "as of today" not in page


def test_a_session_tomorrow_still_counts_as_of_today(client_for, ritual, workspace):
    """Not started: its counts are today's and say so, as for any session after today."""
    _, day, today = started(ritual)
    add_decision(
        Decision(
            workspace=workspace, title="Who owns GL", question="?", raised_on=today - timedelta(5)
        )
    )
    tomorrow = (day + timedelta(days=1)).isoformat()
    data = client_for("editor").get(f"/w/acme/rituals/{ritual.number}/{tomorrow}.json").json()
    waiting = [s for s in data["agenda"]["sections"] if s["key"] == "decisions"][0]["items"]
    assert waiting[0]["text"] == "Who owns GL (decision 1): open 5 days as of today"
