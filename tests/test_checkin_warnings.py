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


def test_made_on_the_page_each_warning_shows_once(workspace, users, client_for):
    """The page showed "It asks 4 people, fewer than …" twice: as a message and as its note."""
    now = timezone.localtime()
    made = client_for("editor").post(
        "/w/acme/checkins/new/",
        {
            "title": "Small pulse",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    page = made.content.decode()
    assert "Created “Small pulse”" in page
    assert page.count("fewer than the anonymity threshold of 5: even if all answer") == 1
    assert page.count(NO_VISION) == 1 and page.count(NO_GOALS) == 1
    # Not sent yet: closing it now asks nobody, said so, not "Only 0 answered".
    assert "It closes without being sent: nobody will be asked" in page
    assert "Only 0" not in page
