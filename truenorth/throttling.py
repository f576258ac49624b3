"""Login throttling: django-axes counts wrong passwords per username and refuses a locked-out
login for a while (the AXES_* settings); an owner on the Logins page, or `truenorth user unlock`,
ends a lock-out sooner. And the
"forgot your password?" form emails an address at most once every few minutes, and never holds
the request while the mail server answers (its time would tell which addresses have a login)."""

import hashlib
import logging
import threading
import unicodedata
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import smtp
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string
from django_tasks import default_task_backend, task

from truenorth.sending import mail_failure

log = logging.getLogger("truenorth.passwords")


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
SUBJECT = "registration/password_reset_subject.txt"
BODY = "registration/password_reset_email.txt"
SENDING = "password link"  # the name of the thread that sends one, for tests to wait on


class ThrottledPasswordResetForm(PasswordResetForm):
    """ "Forgot your password?" emails at most one link per address every RESET_EMAIL_INTERVAL,
    so the form cannot flood someone's inbox. The page answers the same either way, so it still
    tells nobody whether an address has a login. The mark lives in the shared cache (the
    database), so every server process sees it.

    A login invited and not yet in (no password chosen: Django's form would skip it) is sent a
    link too: its invitation lasts three days, and this is how it is found again after.

    The page answers as fast whether the address has a login or not: the link is never sent
    within the request (send_link)."""

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
            send_link(context["user"], from_email)


def send_link(user, from_email: str | None) -> None:
    """Send a password link without holding the request: a worker sends it where there are
    workers (the queue holds the login's id, never the link: the worker makes it); else a
    thread of this process does, after the answer. Only a backend with nothing to wait on
    (the test one that keeps emails in memory, the console) sends at once."""
    if default_task_backend.supports_defer:
        email_password_link.enqueue(user.pk, from_email)
        return
    message = link_message(user, from_email)
    if not issubclass(import_string(settings.EMAIL_BACKEND), smtp.EmailBackend):
        send_quietly(message)
        return
    # Made here, where the mail server page's row is read: the thread touches no database.
    message.connection = get_connection()
    threading.Thread(target=send_quietly, args=(message,), name=SENDING, daemon=True).start()


@task()
def email_password_link(user_id: int, from_email: str | None = None) -> None:
    """A worker's half of send_link: the link is made here, so that it reaches no queue."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is not None:
        send_quietly(link_message(user, from_email))


def link_message(user, from_email: str | None) -> EmailMessage:
    """The email with a link to choose a new password, as Django's form makes it."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        # The link starts with the site's address, never the request's Host header.
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = "".join(loader.render_to_string(SUBJECT, context).splitlines())
    body = loader.render_to_string(BODY, context)
    return EmailMessage(subject, body, from_email, [user.email])


def send_quietly(message: EmailMessage) -> None:
    """Nobody waits on the send to hear how it went: a failure is a warning in the server's log,
    saying why and what to check, without the address or the link."""
    try:
        message.send()
    except OSError as error:
        connection = message.get_connection()
        host = getattr(connection, "host", settings.EMAIL_HOST)
        port = getattr(connection, "port", settings.EMAIL_PORT)
        timeout = getattr(connection, "timeout", None)
        said = mail_failure(error, host, port, timeout, "a password link was not sent")
        log.warning("Password reset: %s", said)


def folded(text: str) -> str:
    """An address compared as Django's form compares it: Unicode-normalised and case-folded.
    The link goes to the login's own address, never the one typed."""
    return unicodedata.normalize("NFKC", text).casefold()
