"""How far long background work has got, for the page that waits on it.

The work runs in a worker process (or inline in one web process) while the page is served by
others, so progress is kept in the shared cache (the database), written at most once a second.
"""

import time
from collections.abc import Callable

from django.core.cache import cache

EVERY_SECONDS = 1.0
KEEP_SECONDS = 60 * 60  # a worker that died mid-way leaves nothing behind for long


def key(kind: str, object_id: int) -> str:
    return f"progress:{kind}:{object_id}"


def reporter(kind: str, object_id: int, label: str) -> Callable[[int, int], None]:
    """A progress(done, total) callback that records how far `label` has got."""
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < EVERY_SECONDS and done < total:
            return
        last = now
        state = {"label": label, "done": done, "total": total}
        cache.set(key(kind, object_id), state, KEEP_SECONDS)

    return report


def started(kind: str, object_id: int, label: str) -> None:
    """Say the work has begun, before it can count anything."""
    cache.set(key(kind, object_id), {"label": label, "done": 0, "total": 0}, KEEP_SECONDS)


def current(kind: str, object_id: int) -> dict | None:
    """{"label", "done", "total", "percent"} while the work runs, else None."""
    state = cache.get(key(kind, object_id))
    if state is None:
        return None
    total = state["total"]
    return state | {"percent": round(100 * state["done"] / total) if total else 0}


def finished(kind: str, object_id: int) -> None:
    cache.delete(key(kind, object_id))
