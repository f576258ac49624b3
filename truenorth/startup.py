"""What a server process checks before it serves: a secret key of its own.

The built-in development key is in the source, so anyone could sign a password link with it and
choose the password of any login. Commands that only read or change data (and the tests) may use
it; `truenorth serve`, `truenorth worker` and any WSGI server importing truenorth.wsgi refuse it
unless debug is on. `check --deploy` reports it too.
"""

import sys

from django.conf import settings
from django.core import checks
from django.utils.crypto import salted_hmac

GENERATE_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def development_key_problem(doing: str = "serve") -> str | None:
    """Why not to `doing` (serve, sign links) on the public development key; None when the
    key is the server's own, or debug is on."""
    if settings.DEBUG or settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return None
    return (
        f"truenorth does not {doing} with its built-in development secret key while debug is "
        "off: the key is public, and anyone could sign a password link with it.\n"
        "Generate a key once, keep it private, and give it to every truenorth process:\n"
        f"  {GENERATE_KEY} > /etc/truenorth/secret-key\n"
        "  export TRUENORTH_SECRET_KEY_FILE=/etc/truenorth/secret-key\n"
        "(or TRUENORTH_SECRET_KEY=<the key>; see docs/deploy.md). To try truenorth on this "
        "machine, `truenorth serve --demo` makes a key of its own.\n"
        f"{RESTORED_NEEDS_ITS_KEY}"
    )


RESTORED_NEEDS_ITS_KEY = (
    "Restored from a backup? Give it the key of the server the backup came from instead, the "
    "same way (TRUENORTH_SECRET_KEY_FILE or TRUENORTH_SECRET_KEY, or that server's data "
    "directory's secret-key file where it had no key set): the personal check-in links, "
    "password links and unsubscribe links it emailed, its saved mail password and its "
    "webhooks work only with that key."
)


def key_fingerprint() -> str:
    """The server's secret key as a backup and the database keep it: enough to tell two keys
    apart, nothing to sign with (a keyed hash, cut short)."""
    return salted_hmac("truenorth key fingerprint", "", algorithm="sha256").hexdigest()[:16]


def refuse_development_key() -> None:
    """For a WSGI server importing truenorth.wsgi: say why on standard error and stop."""
    problem = development_key_problem()
    if problem:
        print(problem, file=sys.stderr)
        # 3 is gunicorn's "worker failed to boot": it then stops instead of retrying forever.
        raise SystemExit(3)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return []
    return [
        checks.Error(
            "SECRET_KEY is truenorth's public development key.",
            hint=f"Set TRUENORTH_SECRET_KEY_FILE or TRUENORTH_SECRET_KEY; make one with {GENERATE_KEY}",
            id="truenorth.E001",
        )
    ]
