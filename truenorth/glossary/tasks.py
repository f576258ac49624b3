from django_tasks import task

from truenorth.glossary.measure import measure_term
from truenorth.glossary.models import Term


@task()
def measure_term_task(term_id: int) -> None:
    """Measure a term's divergence in the background (inline on a single machine, see TASKS)."""
    term = Term.all_objects.filter(pk=term_id).first()
    if term is not None:  # deleted since it was queued
        measure_term(term)
