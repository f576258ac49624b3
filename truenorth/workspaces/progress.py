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


def started(kind: str, object_id: int, label: str, waiting: bool = False) -> None:
    """Say the work has begun, before it can count anything; `waiting` while it is queued for a
    worker that has not taken it yet."""
    state = {"label": label, "done": 0, "total": 0} | ({"waiting": True} if waiting else {})
    cache.set(key(kind, object_id), state, KEEP_SECONDS)


def current(kind: str, object_id: int) -> dict | None:
    """{"label", "done", "total", "percent"} while the work runs, else None; with "waiting":
    True while it is queued for a worker."""
    return shown(cache.get(key(kind, object_id)))


def under_way(kind: str, object_ids: list[int]) -> dict[int, dict]:
    """`current` of each object whose work runs, in one read of the cache (a list's rows)."""
    found = cache.get_many([key(kind, object_id) for object_id in object_ids])
    states = {object_id: shown(found.get(key(kind, object_id))) for object_id in object_ids}
    return {object_id: state for object_id, state in states.items() if state}


def shown(state: dict | None) -> dict | None:
    if state is None:
        return None
    total = state["total"]
    percent = round(100 * state["done"] / total) if total else 0
    return state | {"percent": percent}


def finished(kind: str, object_id: int) -> None:
    cache.delete(key(kind, object_id))
