"""Login throttling: django-axes counts wrong passwords per username and refuses a locked-out
login for a while (the AXES_* settings); an owner on the Logins page, or `truenorth user unlock`,
ends a lock-out sooner. And the
"forgot your password?" form emails an address at most once every few minutes."""

import hashlib
import unicodedata
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins made through a request.

    Every page that logs someone in (the login page, the admin's) passes the request. Code that
    authenticates without one (a script, the test client's `login`) has no address or page to
    lock out, and django-axes would refuse it with an error instead of checking the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login attempt gets (AXES_LOCKOUT_CALLABLE): what happened, for how
    long, and who can end it sooner. 429: too many requests."""
    context = {
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def locked_usernames(usernames) -> set[str]:
    """Those of `usernames` locked out now: the limit of wrong passwords in a row reached, the
    last within the cool-off time (django-axes moves its attempt time on each failure)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames),
        attempt_time__gte=since,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    )
    return set(attempts.values_list("username", flat=True))


def unlock(username: str) -> bool:
    """End the lock-out of `username` now (the wrong passwords so far no longer count);
    whether there were any."""
    from axes.utils import reset

    return bool(reset(username=username))


# Someone who asked for a password link and has not found it yet may ask again after this.
RESET_EMAIL_INTERVAL = timedelta(minutes=5)


class ThrottledPasswordResetForm(PasswordResetForm):
    """ "Forgot your password?" emails at most one link per address every RESET_EMAIL_INTERVAL,
    so the form cannot flood someone's inbox. The page answers the same either way, so it still
    tells nobody whether an address has a login. The mark lives in the shared cache (the
    database), so every server process sees it.

    A login invited and not yet in (no password chosen: Django's form would skip it) is sent a
    link too: its invitation lasts three days, and this is how it is found again after."""

    def get_users(self, email):
        wanted = folded(email)
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return [user for user in users if folded(user.email) == wanted]

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs
    ):
        digest = hashlib.sha256(to_email.strip().lower().encode()).hexdigest()
        seconds = int(RESET_EMAIL_INTERVAL.total_seconds())
        if cache.add(f"password-reset-emailed:{digest}", True, timeout=seconds):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, **kwargs
            )


def folded(text: str) -> str:
    """An address compared as Django's form compares it: Unicode-normalised and case-folded.
    The link goes to the login's own address, never the one typed."""
    return unicodedata.normalize("NFKC", text).casefold()
