from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from truenorth.strategy.models import Goal, Unarchived
from truenorth.workspaces.models import BehindFigures, Team, Workspace


class Status(models.TextChoices):
    EXPLORING = "exploring"
    PLANNED = "planned"
    COMMITTED = "committed"
    IN_PROGRESS = "in_progress", "In progress"
    SHIPPED = "shipped"
    DROPPED = "dropped"


# What each status promises, in words nobody can mistake: "exploring" is never a promise.
STATUS_MEANING = {
    Status.EXPLORING: "Not a promise: we are finding out whether to build it.",
    Status.PLANNED: "Not a promise: intended, but no date is committed.",
    Status.COMMITTED: "Committed: we will deliver it by the target date.",
    Status.IN_PROGRESS: "Committed and being built now.",
    Status.SHIPPED: "Available now.",
    Status.DROPPED: "Will not be built.",
}


# The statuses that carry a date partners may read: a promise (committed, being built) or a
# fact (shipped); moving into or out of them gains or loses a commitment (updates.facts). On
# "not a promise" items (exploring, planned, dropped) a date would read as a promise nobody
# made, so partners' pages and files leave it out; of a shipped item they read the day it
# shipped, not its target (Initiative.date_is_promised).
DATED_FOR_PARTNERS = frozenset({Status.COMMITTED, Status.IN_PROGRESS, Status.SHIPPED})
# Promised and not yet delivered; and the statuses that promise nothing (STATUS_MEANING).
COMMITTED = frozenset({Status.COMMITTED, Status.IN_PROGRESS})
NOT_PROMISED = frozenset({Status.EXPLORING, Status.PLANNED})


class Visibility(models.TextChoices):
    INTERNAL = "internal"
    PARTNER = "partner"
    PUBLIC = "public"


# What may be shown outside the organisation: to partners, and so what faces customers.
SHARED_OUTSIDE = frozenset({Visibility.PARTNER, Visibility.PUBLIC})


class Source(models.TextChoices):
    """Where an initiative came from: typed in, or the tool whose export was imported."""

    TYPED = "", "typed in"
    CSV = "csv", "spreadsheet"
    JPD = "jpd", "Jira Product Discovery"
    PRODUCTBOARD = "productboard", "Productboard"
    AHA = "aha", "Aha!"


class Initiative(BehindFigures):
    """A roadmap item. Change it through roadmap.actions.save_initiative so history is kept."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="initiatives")
    key = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    problem = models.TextField(blank=True)
    goal = models.ForeignKey(
        Goal, models.SET_NULL, null=True, blank=True, related_name="initiatives"
    )
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.EXPLORING)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    target_date = models.DateField(null=True, blank=True)
    actual_date = models.DateField(null=True, blank=True)
    estimate_weeks = models.DecimalField(
        "estimate (person-weeks)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Total effort expected. Changes are kept, so the first estimate stays the baseline.",
    )
    spent_weeks = models.DecimalField(
        "spent (person-weeks)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Effort spent so far; once shipped, the actual effort.",
    )
    # An imported initiative's tool and its key there; importing again updates it in place.
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    source_key = models.CharField(max_length=200, blank=True)
    # Set by roadmap.actions.archive_initiative: off the roadmap and every figure, links kept.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Every change, for the API's updated_since: saves set it, bulk writes set it themselves.
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager = Unarchived()  # the first manager is the default one
    all_objects = models.Manager()

    class Meta:
        ordering = ["target_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source", "source_key"],
                condition=~models.Q(source_key=""),
                name="unique_initiative_source_key",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_meaning(self) -> str:
        return STATUS_MEANING[Status(self.status)]

    @property
    def date_is_promised(self) -> bool:
        """Whether partners may read its target date (and its milestones' targets): only while
        it is a promise (COMMITTED). A shipped item shows the day it shipped instead: it may
        have shipped from planned, with a target partners never saw, and its target would tell
        how late it came."""
        return self.status in COMMITTED


class InitiativeChange(BehindFigures):
    """A change of status, target date, estimate or visibility, kept so slips and reversals
    stay visible, and so an update tells partners only of what they could see when it moved."""

    class Field(models.TextChoices):
        STATUS = "status"
        TARGET_DATE = "target_date", "Target date"
        ESTIMATE_WEEKS = "estimate_weeks", "Estimate (person-weeks)"
        VISIBILITY = "visibility"

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="changes")
    field = models.CharField(max_length=20, choices=Field.choices)
    old_value = models.CharField(max_length=40, blank=True)
    new_value = models.CharField(max_length=40, blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value or '—'} → {self.new_value or '—'}"

    @property
    def old_label(self) -> str:
        return self.label_of(self.old_value)

    @property
    def new_label(self) -> str:
        return self.label_of(self.new_value)

    def label_of(self, value: str) -> str:
        """A status or visibility as its badge reads ("In progress", not "in_progress"); a date
        or an estimate as kept."""
        choices: type[models.TextChoices] | None = {
            self.Field.STATUS: Status,
            self.Field.VISIBILITY: Visibility,
        }.get(self.field)
        return str(choices(value).label) if choices and value in choices.values else value


class InitiativeMilestone(models.Model):
    """A dated step of an initiative (alpha, beta, general availability) with its own target.

    Change it through roadmap.actions.save_milestone so each move of its target is kept."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=100)
    target_date = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "target_date", "id"]
        constraints = [
            models.UniqueConstraint(
                "initiative", Lower("name"), name="unique_milestone_name_per_initiative"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneChange(models.Model):
    """A move of a milestone's target date, kept so its slips stay visible."""

    milestone = models.ForeignKey(InitiativeMilestone, models.CASCADE, related_name="changes")
    old_target = models.DateField(null=True, blank=True)
    new_target = models.DateField(null=True, blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.old_target or '—'} → {self.new_target or '—'}"


class RoadmapStatusMapping(models.Model):
    """What a status in another tool's export means here, set once per workspace."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="roadmap_status_mappings")
    source_status = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["source_status"]
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("source_status"), name="unique_roadmap_status_mapping"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_status} → {self.get_status_display()}"
