"""Background work as a page reports it: done already, queued for a worker, or failed.

With the inline backend (the default) a task has run by the time `enqueue` returns, so the page
can say what it did; with the database queue a `truenorth worker` runs it later, and the page says
it has started instead of holding the request, and, while no worker runs, that nothing will
start it (workers.none_running).
"""

from typing import Any

from django.contrib import messages
from django_tasks import TaskResult, TaskResultStatus

from truenorth.workspaces import workers

DONE, QUEUED, FAILED = "done", "queued", "failed"


def outcome(result: TaskResult) -> tuple[str, Any]:
    """(DONE, what the task returned), (QUEUED, None) or (FAILED, None)."""
    if result.status == TaskResultStatus.SUCCESSFUL:
        return DONE, result.return_value
    if result.status == TaskResultStatus.FAILED:
        return FAILED, None
    return QUEUED, None


def tell_queued(request, said: str) -> None:
    """Say the work was queued, and, when no worker has been seen in the last minute, that
    nothing will start it and what to do."""
    messages.info(request, said)
    if no_worker := workers.none_running():
        messages.warning(request, workers.as_html(no_worker))
