"""Rituals: the recurring sessions that keep alignment alive (seed 001, exercise 7: weekly
product updates, monthly roadmap reviews, quarterly strategy sessions, a summary for those who
could not attend, and cancelling rituals that stop serving their purpose).

A ritual's dates come from its recurrence rule (RFC 5545 RRULE) read in its own time zone, so a
09:30 meeting stays at 09:30 across a daylight-saving change (rituals.recurrence). An occurrence
row exists only once something happened to a date: an agenda frozen, notes written, someone
rated it, or it was skipped.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from truenorth.decisions.models import Decision
from truenorth.workspaces.models import Function, Person, Team, Workspace


class Kind(models.TextChoices):
    WEEKLY_UPDATE = "weekly_update", "Weekly product update"
    ROADMAP_REVIEW = "roadmap_review", "Monthly roadmap review"
    STRATEGY_SESSION = "strategy_session", "Quarterly strategy session"
    OTHER = "other", "Other recurring session"


class Ritual(models.Model):
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="rituals")
    number = models.PositiveIntegerField(editable=False)  # 1..n per workspace, for URLs
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    purpose = models.TextField(help_text="What this session is for: the test of whether it works.")
    owner = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="rituals_owned"
    )
    # Attendees: these people, everyone in these teams, everyone of these functions (active).
    people = models.ManyToManyField(Person, blank=True, related_name="rituals")
    teams = models.ManyToManyField(Team, blank=True, related_name="rituals")
    functions = models.JSONField(default=list, blank=True)  # Function values
    # The first occurrence's date and wall-clock time in time_zone, and the rule that repeats it.
    first_date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    time_zone = models.CharField(max_length=64)
    rrule = models.CharField(
        "recurrence",
        max_length=300,
        help_text="An RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=MO or FREQ=MONTHLY;BYDAY=1TU.",
    )
    location = models.CharField(max_length=300, blank=True)  # a room or a video-call link
    ended_on = models.DateField(null=True, blank=True)  # cancelled from this day on
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="unique_ritual_number")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def function_labels(self) -> list[str]:
        return [Function(value).label for value in self.functions if value in Function.values]


class Occurrence(models.Model):
    """One date of a ritual that something happened to. `starts_at` is the instant the rule
    gives for it (stored in UTC), which is also its identity in the calendar feed."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        HELD = "held"
        SKIPPED = "skipped"

    ritual = models.ForeignKey(Ritual, models.CASCADE, related_name="occurrences")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # The agenda as it was when the session was held (rituals.agenda); empty while it is built
    # live from the data.
    agenda = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)
    # Decisions made in the session, recorded in the decision log.
    decisions = models.ManyToManyField(Decision, blank=True, related_name="occurrences")
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ritual", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ritual", "starts_at"], name="one_occurrence_per_ritual_instant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ritual} on {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    """Who came to an occurrence and whether they found it worth it (one click each)."""

    occurrence = models.ForeignKey(Occurrence, models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, models.CASCADE, related_name="attendances")
    attended = models.BooleanField(default=True)
    worth_it = models.BooleanField(null=True, blank=True)  # None: not rated
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "person"], name="one_attendance_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.occurrence}"


def feed_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A secret iCalendar URL a calendar application subscribes to: one person's rituals, or
    (person empty) every ritual of the workspace. Only the token's hash is stored; revoking
    it makes the URL answer 404 from then on."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="calendar_feeds")
    person = models.ForeignKey(
        Person, models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar of {self.person or self.workspace}"

    @classmethod
    def issue(cls, workspace: Workspace, person: Person | None = None, by=None):
        """(feed, token): the token is shown once, in the URL, and never stored."""
        token = secrets.token_urlsafe(32)
        feed = cls.objects.create(
            workspace=workspace, person=person, token_digest=feed_digest(token), created_by=by
        )
        return feed, token
