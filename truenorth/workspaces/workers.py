"""Whether any `truenorth worker` is alive, for the pages that report work as queued.

Each worker process writes a WorkerBeat row at start and again every BEAT_SECONDS from a thread
of its own (a task that runs for minutes must not make it look gone). With the database queue,
a minute without a beat from any of them means nothing queued will start, and the pages say so;
with the inline backend work never waits for a worker, and they say nothing.
"""

import logging
import os
import re
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from truenorth.workspaces.models import WorkerBeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 15
# Four beats missed: a worker busy on a locked SQLite database still beats within it.
SEEN_WITHIN = timedelta(seconds=60)
# A worker's row is kept this long after its last beat; the newest row is always kept, so the
# pages can say since when none has been seen.
FORGOTTEN_AFTER = timedelta(days=7)
START_ONE = (
    "An administrator starts one with `TRUENORTH_TASKS_BACKEND=database truenorth worker` "
    "(docs/deploy.md, Workers)."
)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:150]


def beat(name: str) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        name=name,
        defaults={"last_seen": now},
        create_defaults={"started_at": now, "last_seen": now},
    )


def keep_beating(
    name: str, every: float = BEAT_SECONDS, stopped: threading.Event | None = None
) -> threading.Thread:
    """Beat now, forget workers long gone, and beat every `every` seconds in a daemon thread
    until `stopped` is set or the process ends. A beat that fails is logged and tried again
    next time."""
    beat(name)
    forget_old()
    stopped = stopped or threading.Event()

    def run() -> None:
        while not stopped.wait(every):
            try:
                beat(name)
            except DatabaseError:
                logger.warning("worker %s could not record that it is alive", name, exc_info=True)
            finally:
                connections.close_all()  # this thread's own connection, opened again next time

    thread = threading.Thread(target=run, name="truenorth-worker-beat", daemon=True)
    thread.start()
    return thread


def forget_old() -> None:
    newest = WorkerBeat.objects.order_by("-last_seen").values_list("pk", flat=True).first()
    old = WorkerBeat.objects.filter(last_seen__lt=timezone.now() - FORGOTTEN_AFTER)
    old.exclude(pk=newest).delete()


def queued_for_workers() -> bool:
    return settings.TASKS["default"]["BACKEND"] == settings.TASK_BACKENDS["database"]


def seen_lately() -> int:
    """The workers that beat in the last SEEN_WITHIN."""
    return WorkerBeat.objects.filter(last_seen__gte=timezone.now() - SEEN_WITHIN).count()


def last_seen() -> datetime | None:
    return WorkerBeat.objects.aggregate(last=Max("last_seen"))["last"]


def moment(when: datetime) -> str:
    zone = timezone.get_current_timezone_name()
    return f"{date_format(timezone.localtime(when), 'DATETIME_FORMAT')} ({zone} time)"


def none_running() -> str:
    """Why queued work will not start: no worker seen in the last minute, under the database
    queue. "" when a worker was seen, or when work runs inline."""
    if not queued_for_workers() or seen_lately():
        return ""
    last = last_seen()
    when = (
        f"No worker has been seen since {moment(last)}"
        if last
        else "No worker has ever run on this server"
    )
    return f"{when}, so nothing queued will start. {START_ONE}"


def state() -> dict | None:
    """The workers as the Mail server page and its JSON twin show them; None when work runs
    inline and needs none."""
    if not queued_for_workers():
        return None
    seen, last = seen_lately(), last_seen()
    words = f"{seen} seen in the last minute" if seen else f"none seen. {none_running()}"
    return {
        "seen_in_last_minute": seen,
        "last_seen": last.isoformat() if last else None,
        "in_words": f"Workers: {words}",
    }


def as_html(words: str) -> SafeString:
    """The words with `commands` in <code>."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(words)))  # noqa: S308
