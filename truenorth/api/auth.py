"""Who is calling: a personal token in `Authorization: Bearer <token>`, active, with the scope
the method needs, within its rate. The login's role in each workspace then decides what it may
read (core.membership), exactly as on the pages."""

import os
import time
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer

from truenorth.api.models import ApiToken, digest_of

READING = {"GET", "HEAD", "OPTIONS"}
# Requests a token may make in a minute; the next one is answered 429 with Retry-After.
RATE_PER_MINUTE = int(os.getenv("TRUENORTH_API_RATE_PER_MINUTE", "600"))
# last_used_at is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


class ApiProblem(Exception):
    """An answer in problem details (RFC 9457): status, title, detail, and the field at fault."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        field: str = "",
        headers=None,
        errors=None,
        problems=None,
    ):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.field = status, title, detail, field
        self.headers = headers or {}
        self.errors = errors  # each problem as {"where", "message"}, where there are several
        self.problems = problems  # an import's: each problem once, with all its items


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        found = ApiToken.objects.select_related("user").filter(digest=digest_of(token)).first()
        if found is None or not found.is_active() or not found.user.is_active:
            return None  # 401, the same for an unknown, revoked or expired token
        # A refused write counts and is recorded too: else a read token's attempts to write
        # would go unthrottled and leave "last used: never" on the token list.
        throttle(found)
        touch(found)
        if request.method not in READING and not found.can_write:
            raise ApiProblem(403, "Read-only token", "This token may read, not write.")
        request.user = found.user
        return found


def throttle(token: ApiToken) -> None:
    """A fixed window of one minute per token, counted in the shared cache (every worker)."""
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        used = 1
    if used > RATE_PER_MINUTE:
        retry = int((window + 1) * 60 - now) + 1
        raise ApiProblem(
            429,
            "Too many requests",
            f"This token may make {RATE_PER_MINUTE} requests a minute; try again in {retry} s.",
            headers={"Retry-After": str(retry)},
        )


def touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
