from django.conf import settings
from django.db import models

from truenorth.workspaces.models import Workspace


class Audience(models.TextChoices):
    """Who reads a version of an update (seed 001: every audience needs the same truth in its own
    terms). The order is the order pages list them in."""

    ENGINEERING = "engineering"
    DESIGN = "design"
    SALES = "sales", "Sales and marketing"
    SUPPORT = "support", "Customer success and support"
    EXECUTIVES = "executives"
    PARTNERS = "partners"


class Update(models.Model):
    """One period's update: the facts gathered from live data (updates.facts.gather), the
    narrative an editor writes once, and from them one version per audience
    (updates.audiences.version). Facts are gathered again while it is a draft and frozen when it
    is published, so a published update reads the same tomorrow. Numbered 1..n per workspace."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="updates")
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    narrative = models.TextField(
        blank=True,
        help_text="The story of the period, written once; every internal version opens with it.",
    )
    partner_note = models.TextField(
        "note for partners",
        blank=True,
        help_text="What partners read instead of the narrative (they never see the narrative).",
    )
    facts = models.JSONField(default=dict, blank=True, editable=False)
    gathered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The workspace's data version (workspaces.figures) the facts were gathered at, so a draft
    # whose data changed since says so; empty where it is not known (gathered before it was kept).
    gathered_version = models.CharField(max_length=32, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the partners' version is taken back (it showed what was shared by mistake):
    # partners no longer find the update; the organisation still reads every version.
    withdrawn_from_partners_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_from_partners_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="unique_update_number")
        ]

    def __str__(self) -> str:
        return f"Update {self.number}: {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_withdrawn_from_partners(self) -> bool:
        return self.withdrawn_from_partners_at is not None


class UpdateSending(models.Model):
    """One send of a published update over one channel to one audience (updates.delivery): how
    many people it was for, how many took it, and how it ended. Its error names no person and
    no webhook: it is shown on the update's page and in its JSON."""

    class Channel(models.TextChoices):
        EMAIL = "email"
        SLACK = "slack", "Slack"

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"

    update = models.ForeignKey(Update, models.CASCADE, related_name="sendings")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The audience whose version went out; for Slack, the partners' (the only lines it carries).
    audience = models.CharField(max_length=20, choices=Audience.choices)
    recipients = models.PositiveIntegerField(default=0)  # people (email) or 1 (the webhook)
    delivered = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update {self.update.number} by {self.channel} to {self.audience}: {self.status}"


class UpdateBackBrief(models.Model):
    """ "What did you hear?" (seed 002) on an update: a check-in asking the people of one internal
    audience to say in their own words what their version told them (updates.backbrief). Once
    per update and audience."""

    update = models.ForeignKey(Update, models.CASCADE, related_name="backbriefs")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    checkin = models.OneToOneField(
        "checkins.CheckIn", models.CASCADE, related_name="update_backbrief"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "audience"], name="one_back_brief_per_update_audience"
            )
        ]

    def __str__(self) -> str:
        return f"Back-brief of {self.update} for {self.audience}"


class DeletedDraft(models.Model):
    """The number of a draft that was deleted, kept so no later update takes it: a link to
    update 4 never opens another update than the one it was shared for."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="deleted_drafts")
    number = models.PositiveIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Deleted draft {self.number}"
