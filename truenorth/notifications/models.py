"""Notifications: the events worth hearing about, told by email to the people who want them and
to Slack-compatible webhooks of the workspace or a team, each sent by a background task after
the change that raised it has been committed, retried, and logged.

A notification carries what a page already shows to everyone it goes to: never a person's
answer, and no figure of a group below the anonymity threshold (notifications.events builds
each one from the same summaries the pages use).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models

from truenorth import sealing
from truenorth.workspaces.models import Person, Team, Workspace

# The purposes a webhook's secrets are sealed for (truenorth.sealing): each its own key.
URL_PURPOSE = "truenorth webhook address"
SECRET_PURPOSE = "truenorth webhook signing secret"


class Event(models.TextChoices):
    CHECKIN_OPENED = "checkin_opened", "Check-in opened"
    CHECKIN_CLOSING = "checkin_closing", "Check-in closing soon"
    RESULTS_READY = "results_ready", "Check-in results ready"
    DECISION_MADE = "decision_made", "Decision made"
    DECISION_REVERSED = "decision_reversed", "Decision reversed"
    OVER_PROMISE = "over_promise", "Over-promise found"
    COMMITTED_SLIP = "committed_slip", "Committed initiative slipped"
    UPDATE_PUBLISHED = "update_published", "Update published"
    # For programs (signed webhooks): every change, not only the ones worth an email.
    GOAL_CHANGED = "goal_changed", "Goal created or changed"
    INITIATIVE_CHANGED = "initiative_changed", "Initiative status or date changed"
    CLAIMS_CHECKED = "claims_checked", "Claims checked"


class Preference(models.Model):
    """One person's choice for one event by email. With no row, the default of
    notifications.audience applies (for example, executives hear of a committed slip)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="notification_preferences")
    event = models.CharField(max_length=20, choices=Event.choices)
    by_email = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "event"], name="one_preference_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.event} by email {'on' if self.by_email else 'off'}"


class Webhook(models.Model):
    """A Slack-compatible incoming webhook of the workspace or of one team, or (signed) a
    program's URL that gets each event as JSON signed with HMAC-SHA256 (notifications.signing),
    and the events it is told of. Either may be read by anyone, so it carries only what every
    internal reader may see; the URL and the secret are never logged (only the host).

    Whoever has the URL of a Slack-style webhook can post into its channel, and whoever has the
    secret can sign as this server: both are kept sealed (truenorth.sealing), so a backup or a
    database dump gives neither away. `url` and `secret` read them, None where this server's
    secret key cannot (a restore under another key): the webhook must then be added again."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="webhooks")
    team = models.ForeignKey(Team, models.CASCADE, null=True, blank=True, related_name="webhooks")
    name = models.CharField(max_length=100, blank=True)
    host = models.CharField(max_length=255, blank=True)  # what pages, JSON and logs show
    url_sealed = models.TextField(editable=False)
    events = models.JSONField(default=list, blank=True)  # Event values
    active = models.BooleanField(default=True)
    signed = models.BooleanField(
        "signed JSON", default=False, help_text="For a program: JSON signed with a secret."
    )
    secret_sealed = models.TextField(blank=True, editable=False)  # the HMAC key
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["team__name", "name", "pk"]

    def __str__(self) -> str:
        return self.name or f"Webhook {self.pk}"

    @property
    def url(self) -> str | None:
        return sealing.unsealed(self.url_sealed, URL_PURPOSE)

    @url.setter
    def url(self, url: str) -> None:
        self.url_sealed = sealing.seal(url, URL_PURPOSE)
        self.host = urlsplit(url).hostname or ""

    @property
    def secret(self) -> str | None:
        return sealing.unsealed(self.secret_sealed, SECRET_PURPOSE)

    @secret.setter
    def secret(self, secret: str) -> None:
        self.secret_sealed = sealing.seal(secret, SECRET_PURPOSE)

    @property
    def unreadable(self) -> bool:
        """Saved under another secret key: nothing can be posted to it or signed for it."""
        return self.url is None or self.secret is None


class Notification(models.Model):
    """One event that happened: what it says and where it points. Its deliveries are below."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=20, choices=Event.choices)
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    path = models.CharField(max_length=300, blank=True)  # the page it points to
    data = models.JSONField(default=dict, blank=True)  # ids and values, for signed webhooks
    # What raised it, so one event is told once (e.g. "checkin:12:closing").
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One channel's send of a notification: by email to the people who want it (counted, not
    named), or to one webhook. Queued, then sent or failed, with the attempts it took (and a
    webhook's last answer). Under background workers a webhook's row stays queued between
    tries."""

    class Channel(models.TextChoices):
        EMAIL = "email"
        WEBHOOK = "webhook"

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"

    class HandedTo(models.TextChoices):
        """The email backend the emails were handed to: a mail server, or one that only prints
        or keeps them (TRUENORTH_EMAIL_BACKEND)."""

        MAIL_SERVER = "mail_server", "a mail server"
        CONSOLE = "console", "the server's output"
        FILES = "files", "files on the server"
        MEMORY = "memory", "the server's memory"
        DROPPED = "dropped", "nowhere"
        OTHER = "other", "a backend that is no mail server"

    class TriedFrom(models.TextChoices):
        """The process that made a webhook's latest try: each posts with its own settings
        (notifications.process), and a command run from a shell may not have the server's."""

        WEB = "web", "the web server"
        WORKER = "worker", "a worker"
        COMMAND = "command", "the command line"

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    webhook = models.ForeignKey(
        Webhook, models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    recipients = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # A webhook's: the HTTP status of its last try (none when no answer came), and when a
    # worker tries again after a failure a later try may fix.
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    # An email's: where the server's settings had it go when it was sent, so the log says what
    # happened then, whatever the settings are now. "" for webhooks and older rows.
    handed_to = models.CharField(max_length=12, choices=HandedTo.choices, blank=True)
    # A webhook's: which process made its latest try. "" for emails and older rows.
    tried_from = models.CharField(max_length=8, choices=TriedFrom.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.notification} by {self.channel}: {self.status}"

    @property
    def not_mailed(self) -> str:
        """Where a sent email went instead of anyone's inbox, as recorded when it was handed to
        this server's email backend ("3 of 3 emails printed to the server's output, not sent:
        …"); "" when a mail server took it, and for rows from before that was recorded."""
        if self.channel != self.Channel.EMAIL or self.status != self.Status.SENT:
            return ""
        instead = NOT_SENT.get(self.handed_to, "")
        return f"{self.delivered} of {self.recipients} emails {instead}" if instead else ""


# What each email backend that is no mail server did with a notification's emails, in words.
NOT_SENT = {
    Delivery.HandedTo.CONSOLE: "printed to the server's output, not sent: this server was set to "
    "print emails (TRUENORTH_EMAIL_BACKEND)",
    Delivery.HandedTo.FILES: "written to files on the server, not sent: this server was set to "
    "write emails to files (TRUENORTH_EMAIL_BACKEND)",
    Delivery.HandedTo.MEMORY: "kept in the server's memory, not sent: this server was set to "
    "keep emails there (TRUENORTH_EMAIL_BACKEND)",
    Delivery.HandedTo.DROPPED: "dropped, not sent: this server was set to drop emails "
    "(TRUENORTH_EMAIL_BACKEND)",
    Delivery.HandedTo.OTHER: "handed to an email backend that is no mail server, not sent "
    "(TRUENORTH_EMAIL_BACKEND)",
}
