"""Before its invitations go out, a check-in's page warns about what can still be fixed: a
question about the vision or the priorities in a workspace with no vision or no goals yet."""

from datetime import timedelta

from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse

NO_VISION = "There is no published vision yet: answers to “what is our vision” will have nothing"
NO_GOALS = "There are no goals yet: answers naming the top priorities will have nothing"


def page_of_new_pulse(workspace, client):
    now = timezone.now()
    pulse = create_alignment_pulse(workspace, "Pulse", now, now + timedelta(days=7))
    return client.get(f"/w/acme/checkins/{pulse.pk}/").content.decode()


def test_a_pulse_in_a_workspace_with_no_vision_or_goals_says_so(workspace, users, client_for):
    page = page_of_new_pulse(workspace, client_for("editor"))
    assert NO_VISION in page and NO_GOALS in page


def test_no_warning_once_there_are_a_vision_and_goals(workspace, users, strategy, client_for):
    page = page_of_new_pulse(workspace, client_for("editor"))
    assert NO_VISION not in page and NO_GOALS not in page
