"""The ritual the ritual tests share."""

from datetime import time, timedelta

from django.utils import timezone

from truenorth.rituals import actions
from truenorth.rituals.models import Kind, Ritual


def weekly_ritual(workspace, team, **more) -> Ritual:
    """A weekly Monday ritual that began ten weeks ago; the Platform team attends."""
    made = Ritual(
        workspace=workspace,
        name="Weekly product update",
        kind=Kind.WEEKLY_UPDATE,
        purpose="Everyone hears what shipped and what slipped.",
        first_date=timezone.localdate() - timedelta(weeks=10),
        start_time=time(9, 30),
        time_zone="Europe/Berlin",
        **({"rrule": "FREQ=WEEKLY;BYDAY=MO"} | more),
    )
    return actions.create_ritual(made, teams=[team])
