from django_tasks import task

from truenorth.checkins.measure import analyze
from truenorth.checkins.models import CheckIn


@task()
def analyze_checkin(checkin_id: int) -> None:
    """Analyse a check-in in the background (inline on a single machine, see TASKS)."""
    analyze(CheckIn.objects.get(pk=checkin_id))
