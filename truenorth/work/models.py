from django.db import models

from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.workspaces.models import Team, Workspace


class Source(models.TextChoices):
    JIRA = "jira"
    LINEAR = "linear"
    GITHUB = "github"
    CSV = "csv", "CSV"
    MANUAL = "manual"


class WorkItem(models.Model):
    """A ticket from a tracker, linked to the initiative or goal it serves (or to nothing)."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="work_items")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CSV)
    external_key = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    status = models.CharField(max_length=60, blank=True)
    points = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    created_on = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="+")
    initiative = models.ForeignKey(
        Initiative, models.SET_NULL, null=True, blank=True, related_name="work_items"
    )
    goal = models.ForeignKey(
        Goal, models.SET_NULL, null=True, blank=True, related_name="work_items"
    )

    class Meta:
        ordering = ["source", "external_key"]
        constraints = [
            models.UniqueConstraint("workspace", "source", "external_key", name="unique_work_item")
        ]

    def __str__(self) -> str:
        return f"{self.external_key} {self.title}"

    @property
    def supported_goal(self) -> Goal | None:
        """The goal this work serves, directly or through its initiative."""
        if self.goal_id:
            return self.goal
        if self.initiative_id:
            return self.initiative.goal
        return None
