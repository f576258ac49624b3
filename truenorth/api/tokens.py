"""Making, listing and revoking personal API tokens: what the account's tokens page and
`truenorth token` share."""

from datetime import timedelta

from django.utils import timezone

from truenorth.api.models import ApiToken, Scope

# The expiries offered, in days; None never expires.
EXPIRIES = (None, 30, 90, 365)


def create(user, name: str, scope: str = Scope.READ, expires_days: int | None = None):
    """(token row, the token itself): show the token now, it cannot be read again."""
    expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
    return ApiToken.issue(user, name.strip(), scope, expires_at)


def roles(user) -> tuple[list[str], list[str]]:
    """The login's workspaces where its role may write, and the others ("Acme (member)"):
    a token writes only where the login may (workspaces.access)."""
    found = user.memberships.select_related("workspace").order_by("workspace__name")
    writes = [m.workspace.name for m in found if m.can_write]
    reads = [
        f"{m.workspace.name} ({m.get_role_display().lower()})" for m in found if not m.can_write
    ]
    return writes, reads


def can_do(token: ApiToken, whose: str = "your") -> str:
    """What the token can actually do for its login, in words: its scope as the roles allow."""
    writes, reads = roles(token.user)
    if not token.can_write or not (writes or reads):
        return str(token.get_scope_display()).lower()
    if not writes:
        return f"read only: {whose} role changes nothing in " + ", ".join(reads)
    if not reads:
        return "read and write"
    return f"read and write in {', '.join(writes)}; read only in {', '.join(reads)}"


def revoke(token: ApiToken) -> bool:
    """Stop a token working from now on; False if it was revoked already."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    return revoked == 1


def state(token: ApiToken) -> str:
    """revoked, expired, "opens nothing" (its login is in no workspace any more: an owner
    removed its access, or deactivated its person) or active."""
    if token.revoked_at is not None:
        return "revoked"
    if not token.is_active():
        return "expired"
    if not token.user.is_active or not token.user.memberships.exists():
        return "opens nothing"
    return "active"


def as_dict(token: ApiToken) -> dict:
    """A token as `truenorth token list --json` gives it: never the token, only its hint."""
    return {
        "id": token.pk,
        "name": token.name,
        "scope": token.scope,
        "hint": f"{token.hint}…",
        "state": state(token),
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }
