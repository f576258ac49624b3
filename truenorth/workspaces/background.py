"""Background work as a page reports it: done already, queued for a worker, or failed.

With the inline backend (the default) a task has run by the time `enqueue` returns, so the page
can say what it did; with the database queue a `truenorth worker` runs it later, and the page says
it has started instead of holding the request.
"""

from typing import Any

from django_tasks import TaskResult, TaskResultStatus

DONE, QUEUED, FAILED = "done", "queued", "failed"


def outcome(result: TaskResult) -> tuple[str, Any]:
    """(DONE, what the task returned), (QUEUED, None) or (FAILED, None)."""
    if result.status == TaskResultStatus.SUCCESSFUL:
        return DONE, result.return_value
    if result.status == TaskResultStatus.FAILED:
        return FAILED, None
    return QUEUED, None
