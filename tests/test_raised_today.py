"""An open decision raised on the day counted to read "has been open 0 days" in an update and
"open 0 days" in a ritual's agenda: both now say it was raised today, as the decisions pages do
("Raised today"). Real database, Django's test client."""

from datetime import timedelta

from django.utils import timezone

from tests.rituals import weekly_ritual
from truenorth.decisions.actions import add_decision
from truenorth.decisions.models import Decision
from truenorth.rituals import actions, agenda, recurrence
from truenorth.updates import audiences
from truenorth.updates.actions import open_draft
from truenorth.updates.models import Audience


def raised(workspace, title: str, days_ago: int) -> Decision:
    day = timezone.localdate() - timedelta(days=days_ago)
    return add_decision(Decision(workspace=workspace, title=title, question="?", raised_on=day))


def test_an_update_says_a_decision_raised_today_was_raised_today(workspace, users, client_for):
    raised(workspace, "Who owns GL", 3)
    raised(workspace, "Drop the old importer", 0)
    today = timezone.localdate()
    update = open_draft(workspace, today - timedelta(days=6), today)
    for audience in (Audience.EXECUTIVES, Audience.ENGINEERING):
        texts = [
            line.text for s in audiences.version(update, audience).sections for line in s.lines
        ]
        assert "Decision 2, Drop the old importer, was raised today." in texts
        assert "Decision 1, Who owns GL, has been open 3 days." in texts
        assert not any("open 0 days" in text for text in texts)
    page = client_for("editor").get(f"/w/acme/updates/{update.number}/executives/")
    assert "Drop the old importer, was raised today." in page.content.decode()


def test_the_next_sessions_agenda_says_raised_today(client_for, workspace, users, team):
    ritual = weekly_ritual(workspace, team)
    raised(workspace, "Who owns GL", 0)
    upcoming = actions.coming_sessions(ritual, timezone.now(), 30)[0]
    day = recurrence.local(ritual, upcoming).date().isoformat()
    data = client_for("member").get(f"/w/acme/rituals/1/{day}.json").json()["agenda"]
    waiting = [s for s in data["sections"] if s["key"] == "decisions"][0]["items"]
    assert waiting[0]["text"] == "Who owns GL (decision 1): raised today"
    page = client_for("member").get(f"/w/acme/rituals/1/{day}/").content.decode()
    assert "Who owns GL (decision 1): raised today" in page and "open 0 days" not in page


def test_a_past_sessions_agenda_says_raised_on_its_day(workspace, users, team):
    """A session held before today: its "today" has passed, so the words name its day."""
    ritual = weekly_ritual(workspace, team)
    starts = recurrence.previous_starts(ritual, timezone.now() - timedelta(days=1), 1)[0]
    day = recurrence.local(ritual, starts).date()
    add_decision(Decision(workspace=workspace, title="Who owns GL", question="?", raised_on=day))
    waiting = [s for s in agenda.build(ritual, starts)["sections"] if s["key"] == "decisions"]
    assert waiting[0]["items"][0]["text"] == "Who owns GL (decision 1): raised on the session's day"
    assert agenda.waited(0, day + timedelta(days=1), " as of today") == "raised today"
    assert agenda.waited(1, day, " as of today") == "open 1 day as of today"
