from django_tasks import task

from truenorth.rituals import actions
from truenorth.rituals.models import Occurrence


@task()
def send_ritual_summary(occurrence_id: int) -> dict:
    """Mail a held session's summary to those who missed it, in the background (see TASKS);
    enqueue it on commit. The result counts who it went to (actions.send_summary)."""
    occurrence = Occurrence.objects.select_related("ritual__workspace").get(pk=occurrence_id)
    return actions.send_summary(occurrence)
