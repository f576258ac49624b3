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
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
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
