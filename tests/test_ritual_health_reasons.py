"""Why a ritual has no verdict on whether it is worth it, said truly: too early (fewer than three
sessions have had their ratings close), its sessions' ratings hidden by the anonymity threshold,
or too few attendees for any session's ratings ever to be shown. And its owner attends: marked
as having come or not, rating, and counted."""

from datetime import time, timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from tests.conftest import team_of
from tests.rituals import weekly_ritual
from truenorth.cli import main
from truenorth.rituals import actions, recurrence
from truenorth.rituals.models import Ritual
from truenorth.workspaces.models import Person

RATED_AFTER = timedelta(hours=1)


def closed_sessions(ritual, count: int):
    """The `count` sessions before the latest, oldest first: their ratings have closed."""
    return recurrence.previous_starts(ritual, timezone.now(), count + 1)[:count]


def hold(ritual, instant, rated: int):
    people = actions.attendees(ritual)
    row = actions.occurrence(ritual, instant, create=True)
    actions.record_notes(row, "Held.", people)
    for n, person in enumerate(people[:rated]):
        actions.rate(row, person, n % 2 == 0, at=instant + RATED_AFTER)


def health_said(client_for, ritual) -> tuple[str, dict, str]:
    url = f"/w/acme/rituals/{ritual.number}"
    page = client_for("member").get(f"{url}/").content.decode()
    data = client_for("member").get(f"{url}.json").json()["health"]
    shown = CliRunner().invoke(main, ["rituals", "show", str(ritual.number), "-w", "acme"])
    assert shown.exit_code == 0, shown.output
    return page, data, shown.output


def test_ratings_hidden_by_a_raised_threshold_are_not_too_early(client_for, workspace, users):
    """Four sessions held and rated by 6 each: raising the threshold from 5 to 7 read "Too early
    to say… fewer than three sessions have their ratings shown"."""
    team, _ = team_of(workspace, "Ledger", "engineering", 8)
    ritual = weekly_ritual(workspace, team)
    for instant in closed_sessions(ritual, 3):
        hold(ritual, instant, rated=6)
    page, data, printed = health_said(client_for, ritual)
    assert data["worth_it"] is not None  # 6 ratings a session: shown under 5
    workspace.anonymity_threshold = 7
    workspace.save(update_fields=["anonymity_threshold"])
    page, data, printed = health_said(client_for, ritual)
    said = (
        "No verdict on whether it is worth it, as its sessions' ratings are hidden: each had "
        "fewer than 7 ratings, the anonymity threshold; attendance holds up."
    )
    assert data["worth_it"] is None and data["verdict"] == said
    assert said.replace("'", "&#x27;") in page and said in printed
    for words in (page, data["verdict"], printed):
        assert "Too early" not in words
    assert "6 ratings: shown from 7" in page  # each session's own row, as before


def test_two_closed_sessions_are_still_too_early(client_for, workspace, users):
    team, _ = team_of(workspace, "Ledger", "engineering", 8)
    ritual = weekly_ritual(workspace, team)
    for instant in closed_sessions(ritual, 2):
        hold(ritual, instant, rated=3)  # hidden under 5, yet only two sessions
    _, data, _ = health_said(client_for, ritual)
    assert data["verdict"].startswith("Too early to say: fewer than three sessions")


def small_ritual(workspace, **more) -> Ritual:
    """ "Monthly ops review": one person invited by name, no owner."""
    made = Ritual(
        workspace=workspace,
        name="Monthly ops review",
        purpose="Ops.",
        first_date=timezone.localdate() - timedelta(weeks=20),
        start_time=time(9, 0),
        time_zone="Europe/Berlin",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        **more,
    )
    member = Person.objects.get(email="member@acme.test")
    return actions.create_ritual(made, people=[member])


def test_a_ritual_smaller_than_the_threshold_says_its_ratings_are_never_shown(
    client_for, workspace, users
):
    ritual = small_ritual(workspace)
    for instant in closed_sessions(ritual, 4):
        hold(ritual, instant, rated=1)
    never = "with 1 attendee, fewer than the anonymity threshold (5), its ratings are never shown"
    page, data, printed = health_said(client_for, ritual)
    assert data["verdict"] == f"No verdict on whether it is worth it: {never}; attendance holds up."
    assert data["verdict"] in printed and "Too early" not in page
    note = "With 1 attendee, fewer than the anonymity threshold (5), this ritual's ratings are "
    assert data["ratings_never_shown"] == note + "never shown."
    # The member's session page no longer promises a count once ratings close.
    latest = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    url = f"/w/acme/rituals/{ritual.number}/{recurrence.local(ritual, latest).date()}"
    session = client_for("member").get(f"{url}/").content.decode()
    assert "Only you see your answer. " + note.replace("'", "&#x27;") in session
    assert "counts them once ratings close" not in session
    assert client_for("member").get(f"{url}.json").json()["ratings_never_shown"] == (
        note + "never shown."
    )


def test_saving_a_ritual_smaller_than_the_threshold_notes_it(client_for, workspace, users):
    member = Person.objects.get(email="member@acme.test")
    data = {
        "name": "Monthly ops review",
        "kind": "other",
        "purpose": "Ops.",
        "first_date": "2026-01-01",
        "start_time": "09:00",
        "duration_minutes": "60",
        "time_zone": "Europe/Berlin",
        "cadence": "monthly",
        "weekday": "MO",
        "nth": "1",
        "rule": "",
        "location": "",
        "people": [member.pk],
    }
    response = client_for("owner").post("/w/acme/rituals/new/", data, follow=True)
    assert response.status_code == 200 and workspace.rituals.count() == 1  # saved, not refused
    page = response.content.decode()
    assert "With 1 attendee, fewer than the anonymity threshold (5), this ritual&#x27;s" in page


def test_the_owner_attends_comes_and_rates(client_for, workspace, users):
    """Owned by someone outside its team, a ritual listed the owner apart: no "Who came" box and
    no "Was it worth it?" for them."""
    team, _ = team_of(workspace, "Ledger", "engineering", 4)
    owner = Person.objects.get(email="member@acme.test")
    ritual = weekly_ritual(workspace, team, owner=owner)
    assert owner in actions.attendees(ritual) and len(actions.attendees(ritual)) == 5
    url = f"/w/acme/rituals/{ritual.number}"
    page = client_for("member").get(f"{url}/").content.decode()
    assert "Who attends (5)" in page
    latest = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    session = f"{url}/{recurrence.local(ritual, latest).date()}"
    editing = client_for("editor").get(f"{session}/")
    assert owner.pk in [p.pk for p in editing.context["notes_form"].fields["attended"].queryset]
    assert "Was it worth it?" in client_for("member").get(f"{session}/").content.decode()
    rated = client_for("member").post(f"{session}/worth-it/", {"worth_it": "yes"})
    assert rated.status_code == 302
    assert client_for("member").get(f"{session}.json").json()["my_rating"] is True
    # Recorded without them, the owner counts as absent in the attendance figure.
    others = [p for p in actions.attendees(ritual) if p != owner]
    row = actions.occurrence(ritual, latest)
    actions.record_notes(row, "Held.", others)
    assert row.attendances.get(person=owner).attended is False
    assert row.attendances.count() == 5 and row.attendances.filter(attended=True).count() == 4
    recent = client_for("member").get(f"{url}.json").json()["recent"][0]
    assert recent["attendance"] == pytest.approx(4 / 5)
