from contextlib import suppress

from django_tasks import task

from truenorth.checkins.measure import StillOpen, analyze
from truenorth.checkins.models import CheckIn


@task()
def analyze_checkin(checkin_id: int) -> None:
    """Analyse a check-in in the background (inline on a single machine, see TASKS)."""
    # A check-in reopened after this was queued publishes its results when it closes again.
    with suppress(StillOpen):
        analyze(CheckIn.objects.get(pk=checkin_id))
