"""A session after the next one: the period its agenda covers has not begun, so its page, JSON
twin and `truenorth rituals agenda` show what it would say today, said as such, rather than
facts about days that have not happened; and counts of days read in the singular for one."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.rituals import weekly_ritual
from truenorth.cli import main
from truenorth.decisions.actions import add_decision
from truenorth.decisions.models import Decision
from truenorth.rituals import actions, recurrence


@pytest.fixture
def ritual(workspace, users, team):
    """Meeting two days from now in Berlin, whatever the weekday: a Monday ritual's next session
    on a Monday morning is today's, whose counts are its own day's, not "as of today"."""
    day = (datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=2)).strftime("%a")[:2]
    return weekly_ritual(workspace, team, rrule=f"FREQ=WEEKLY;BYDAY={day.upper()}")


def day_of(ritual, instant) -> str:
    return recurrence.local(ritual, instant).date().isoformat()


def coming(ritual) -> list[str]:
    return [day_of(ritual, s) for s in actions.coming_sessions(ritual, timezone.now(), 30)]


def last_met(ritual) -> str:
    return day_of(ritual, recurrence.previous_starts(ritual, timezone.now(), 1)[0])


def waiting_a_day(workspace) -> Decision:
    raised = timezone.localdate() - timedelta(days=1)
    return add_decision(
        Decision(workspace=workspace, title="Who owns GL", question="?", raised_on=raised)
    )


def test_a_session_after_the_next_shows_what_it_would_say_today(client_for, ritual, workspace):
    waiting_a_day(workspace)
    _, after_next, *_ = coming(ritual)
    client = client_for("member")
    page = client.get(f"/w/acme/rituals/1/{after_next}/").content.decode()
    data = client.get(f"/w/acme/rituals/1/{after_next}.json").json()["agenda"]

    assert 'id="agenda-preview"' in page and "Built from live data" not in page
    said = recurrence.local(ritual, actions.coming_sessions(ritual, timezone.now(), 30)[1])
    assert data["preview"].startswith(f"This session is on {said.day} {said:%b %Y}: ")
    assert "Here is what it would say today" in data["preview"]
    assert data["preview_as_of"] == timezone.localdate().isoformat()
    # The period is the one since the last session that met, not the week before this one.
    assert data["since"] == last_met(ritual) and data["day"] == after_next
    waiting = [s for s in data["sections"] if s["key"] == "decisions"][0]["items"]
    assert waiting[0]["text"] == "Who owns GL (decision 1): open 1 day as of today"


def test_the_next_session_is_built_from_live_data_and_says_its_counts_are_todays(
    client_for, ritual, workspace
):
    waiting_a_day(workspace)
    upcoming = coming(ritual)[0]
    data = client_for("member").get(f"/w/acme/rituals/1/{upcoming}.json").json()["agenda"]
    assert "preview" not in data and data["since"] == last_met(ritual)
    waiting = [s for s in data["sections"] if s["key"] == "decisions"][0]["items"]
    assert waiting[0]["text"].endswith("open 1 day as of today")


def test_a_held_sessions_count_is_its_own_days_in_the_singular(ritual, workspace, users):
    from truenorth.rituals import agenda

    starts = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    raised = recurrence.local(ritual, starts).date() - timedelta(days=1)
    add_decision(Decision(workspace=workspace, title="Who owns GL", question="?", raised_on=raised))
    found = agenda.build(ritual, starts)
    waiting = [s for s in found["sections"] if s["key"] == "decisions"][0]["items"]
    assert waiting[0]["text"] == "Who owns GL (decision 1): open 1 day"


def test_the_command_line_says_the_same(ritual):
    _, after_next, *_ = coming(ritual)
    shown = CliRunner().invoke(main, ["rituals", "agenda", "1", "--date", after_next, "-w", "acme"])
    assert shown.exit_code == 0, shown.output
    assert "Here is what it would say today" in shown.output
    assert "(since " not in shown.output  # the header of an agenda of a period under way
