from django.conf import settings
from django.db import models

from truenorth.workspaces.models import Workspace


class Vision(models.Model):
    """One version of the workspace's vision; editing writes a new version, never overwrites."""

    # What a vision must convey (seed 002), each a field below; a restatement is read part by part.
    PARTS = (
        "destination",
        "measures_of_progress",
        "target_user",
        "user_benefit",
        "business_outcome",
        "horizon",
    )

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="visions")
    number = models.PositiveIntegerField()
    statement = models.TextField()
    destination = models.TextField(help_text="Where we are going.")
    measures_of_progress = models.TextField(help_text="How we will know we are getting there.")
    target_user = models.CharField(max_length=300, help_text="Who it is for.")
    user_benefit = models.TextField(help_text="What they gain.")
    business_outcome = models.TextField(help_text="What the business gains.")
    horizon = models.CharField(max_length=100, help_text="By when, e.g. 2028.")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint("workspace", "number", name="unique_vision_number")]

    def __str__(self) -> str:
        return f"Vision v{self.number}"


class Goal(models.Model):
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="goals")
    title = models.CharField("what", max_length=300)
    why = models.TextField()
    why_now = models.TextField("why now")
    metric = models.CharField(max_length=300)
    target = models.CharField(max_length=200)
    rank = models.PositiveIntegerField(help_text="1 is the top priority.")
    period = models.CharField(max_length=50, help_text="e.g. 2026-H2")
    # The short names and synonyms people use for the goal ("payments", "ERP sync"): a priority
    # written as one of them names this goal (analysis/priorities.py).
    names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return self.title
