"""Personal API tokens: a login's key to /api/v1/, with the login's own role in each workspace
(workspaces.access), a scope (read, or read and write), an optional expiry, and when it was last
used. Only a hash of the token is stored; the token itself is shown once, when it is made."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "tn_"


class Scope(models.TextChoices):
    READ = "read"
    WRITE = "write", "Read and write"


def digest_of(token: str) -> str:
    # A token is 32 random bytes: a plain hash is enough, no salt or stretching needed.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “BI dashboard”.")
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    # The first characters, so a list can tell tokens apart without holding them.
    hint = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str, scope: str = Scope.READ, expires_at=None):
        """(token row, the token itself): the token is never stored and cannot be shown again."""
        token = PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user,
            name=name,
            scope=scope,
            hint=token[: len(PREFIX) + 6],
            digest=digest_of(token),
            expires_at=expires_at,
        )
        return row, token

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE
