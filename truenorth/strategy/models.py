from django.conf import settings
from django.db import models

from truenorth.charts import number
from truenorth.workspaces.models import BehindFigures, Workspace


class Vision(BehindFigures):
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


class Unarchived(models.Manager):
    """The default manager of goals and initiatives: an archived one is left out of every list,
    figure, match and suggestion that starts from `workspace.goals` or `workspace.initiatives`.
    A link to it (work_item.goal, initiative.goal) still reads it: Django follows a foreign key
    through the base manager. `all_objects` lists archived ones too."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class Goal(BehindFigures):
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
    # An editor's word on the kind of value the goal is about (seed 002): "functional" (what
    # users can do) or "psychological" (how it makes them feel); blank: not confirmed yet.
    value = models.CharField(max_length=13, blank=True)
    # Set by strategy.actions.archive_goal: out of the ranking and every figure, links kept.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Every change, for the API's updated_since: saves set it, bulk writes set it themselves.
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager = Unarchived()  # the first manager is the default one
    all_objects = models.Manager()

    class Meta:
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        """Its card's id on the goals page, to link or return to."""
        return f"goal-{self.pk}"


class GoalMeasurement(BehindFigures):
    """A value of a goal's metric on a day, or (is_target) the value it aims for by that day.

    The goal's `target` stays the sentence people read ("70% by 30 June 2027"); these numbers
    draw its progress: first measurement (start) → latest (today) → target."""

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="measurements")
    measured_on = models.DateField()
    value = models.FloatField()
    unit = models.CharField(max_length=20, blank=True, help_text='e.g. "%" or "days".')
    is_target = models.BooleanField(default=False)

    class Meta:
        ordering = ["measured_on", "id"]
        constraints = [
            models.UniqueConstraint(
                "goal", "measured_on", "is_target", name="one_goal_measurement_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {number(self.value, self.unit)} on {self.measured_on}"
