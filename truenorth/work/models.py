import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.workspaces.models import BehindFigures, Team, Workspace


class Source(models.TextChoices):
    JIRA = "jira"
    LINEAR = "linear"
    GITHUB = "github", "GitHub"
    CSV = "csv", "CSV"
    MANUAL = "manual"


class LinkedBy(models.TextChoices):
    """Where an item's link to an initiative or goal came from: the evidence behind it."""

    IMPORT = "import", "the imported file"
    MAPPING = "mapping", "a tracker mapping"
    SUGGESTION = "suggestion", "an accepted suggestion"
    HAND = "hand", "linked by hand"


# Beside what an item serves on the work list: "(the imported file)" alone told a newcomer
# nothing of what it stood for.
LINKED_BY_WORDS = {
    LinkedBy.IMPORT: "linked by the import",
    LinkedBy.MAPPING: "linked by a tracker mapping",
    LinkedBy.SUGGESTION: "linked by an accepted suggestion",
    LinkedBy.HAND: "linked by hand",
}


NUMBER = re.compile(r"\d+")


def key_order(key: str) -> str:
    """The key as it sorts naturally, as text: each number written with its length first
    (BLK-9 as BLK-0019, BLK-10 as BLK-00210), so BLK-9 comes before BLK-10 in the database's
    own order, page by page, without reading every key."""

    def sized(found: re.Match) -> str:
        digits = found[0].lstrip("0") or "0"
        return f"{len(digits):03d}{digits}"

    return NUMBER.sub(sized, key)


class WorkItems(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for item in objs:  # bulk_create calls no save(): the sort key is set here instead
            item.key_order = key_order(item.external_key)
        return super().bulk_create(objs, *args, **kwargs)


class WorkItem(BehindFigures):
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
    due_on = models.DateField(null=True, blank=True)
    kind = models.CharField("type", max_length=60, blank=True, help_text="Story, Bug, Epic…")
    project = models.CharField(
        max_length=200, blank=True, help_text="Jira project, Linear team, GitHub repository."
    )
    parent_key = models.CharField(
        max_length=100, blank=True, help_text="The epic or parent item in the tracker."
    )
    labels = models.JSONField(default=list, blank=True)
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="+")
    initiative = models.ForeignKey(
        Initiative, models.SET_NULL, null=True, blank=True, related_name="work_items"
    )
    goal = models.ForeignKey(
        Goal, models.SET_NULL, null=True, blank=True, related_name="work_items"
    )
    linked_by = models.CharField(max_length=10, choices=LinkedBy.choices, blank=True)
    # Every change, for the API's updated_since: saves set it, bulk writes set it themselves.
    updated_at = models.DateTimeField(auto_now=True)
    # external_key in natural order (key_order()): lists sort by it, BLK-2 before BLK-10.
    key_order = models.CharField(max_length=400, default="", editable=False)

    objects = WorkItems.as_manager()

    class Meta:
        ordering = ["source", "key_order", "pk"]
        constraints = [
            models.UniqueConstraint("workspace", "source", "external_key", name="unique_work_item")
        ]
        indexes = [
            models.Index(fields=["workspace", "source", "key_order"], name="work_item_key_order")
        ]

    def save(self, *args, **kwargs):
        self.key_order = key_order(self.external_key)
        if (fields := kwargs.get("update_fields")) is not None and "external_key" in fields:
            kwargs["update_fields"] = {*fields, "key_order"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.external_key} {self.title}"

    @property
    def linked_by_words(self) -> str:
        return LINKED_BY_WORDS.get(self.linked_by, "")

    @property
    def supported_goal(self) -> Goal | None:
        """The goal this work serves, directly or through its initiative."""
        if self.goal_id:
            return self.goal
        if self.initiative_id:
            return self.initiative.goal
        return None


class WorkItemChange(models.Model):
    """A change seen on re-import (status, points, dates), kept as the item's history."""

    class Field(models.TextChoices):
        STATUS = "status"
        POINTS = "points"
        DUE_ON = "due_on", "Due date"
        RESOLVED_ON = "resolved_on", "Resolved date"

    item = models.ForeignKey(WorkItem, models.CASCADE, related_name="changes")
    field = models.CharField(max_length=12, choices=Field.choices)
    old_value = models.CharField(max_length=60, blank=True)
    new_value = models.CharField(max_length=60, blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value or '—'} → {self.new_value or '—'}"

    def in_words(self) -> str:
        """ "Status: To Do → Done, 3 Dec 2026, from the Jira import": the item page's, its JSON's
        and `truenorth work show`'s words. Only imports record changes (a file, or the API's
        POST), on the day they run: when the tracker changed the value is not known."""
        day = date_format(timezone.localdate(self.changed_at))
        source = self.item.get_source_display() if self.item.source != Source.MANUAL else ""
        seen = f"the {source} import" if source else "an import"
        old, new = self.value_in_words(self.old_value), self.value_in_words(self.new_value)
        return f"{self.get_field_display()}: {old} → {new}, {day}, from {seen}"

    def value_in_words(self, value: str) -> str:
        """A recorded value as the page says it: a date as "4 Dec 2026", nothing as "none"."""
        if not value:
            return "none"
        if self.field in (self.Field.DUE_ON, self.Field.RESOLVED_ON):
            try:
                return date_format(date.fromisoformat(value))
            except ValueError:  # written by a backup of another version: shown as it is
                return value
        return value


class TrackerMapping(BehindFigures):
    """Set once by an editor: every item with this epic/parent, label or project serves a target."""

    class Field(models.TextChoices):
        PARENT = "parent", "epic / parent"
        LABEL = "label"
        PROJECT = "project", "project / repository"

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="tracker_mappings")
    source = models.CharField(
        max_length=10, choices=Source.choices, blank=True, help_text="Blank: any tracker."
    )
    field = models.CharField(max_length=10, choices=Field.choices)
    value = models.CharField(max_length=200)
    initiative = models.ForeignKey(
        Initiative, models.CASCADE, null=True, blank=True, related_name="+"
    )
    goal = models.ForeignKey(Goal, models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["field", "value"]
        constraints = [
            models.UniqueConstraint(
                "workspace", "source", "field", "value", name="unique_tracker_mapping"
            ),
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=True) ^ models.Q(goal__isnull=True),
                name="mapping_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.value} → {self.initiative or self.goal}"


class LinkSuggestion(models.Model):
    """A goal or initiative that reads like what an unlinked item is for, with its score."""

    class Decision(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        REJECTED = "rejected"

    item = models.ForeignKey(WorkItem, models.CASCADE, related_name="suggestions")
    initiative = models.ForeignKey(
        Initiative, models.CASCADE, null=True, blank=True, related_name="+"
    )
    goal = models.ForeignKey(Goal, models.CASCADE, null=True, blank=True, related_name="+")
    score = models.FloatField(help_text="0–100 on the fidelity scale.")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            # Two partial constraints: a plain one would treat the empty side's NULLs as distinct.
            models.UniqueConstraint(
                "item",
                "initiative",
                condition=models.Q(initiative__isnull=False),
                name="unique_initiative_suggestion",
            ),
            models.UniqueConstraint(
                "item",
                "goal",
                condition=models.Q(goal__isnull=False),
                name="unique_goal_suggestion",
            ),
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=True) ^ models.Q(goal__isnull=True),
                name="suggestion_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.external_key} → {self.initiative or self.goal} ({self.score:.0f})"


class ImportRun(models.Model):
    """A file of work items uploaded on the import page and imported in the background.

    The file waits under DATA_DIR/uploads as `stored_as` until the run finishes either way.
    """

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="import_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    stored_as = models.CharField(max_length=64, blank=True)
    options = models.JSONField(default=dict, blank=True)  # format, project, mapping, key_from_row
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    # done: the counts of the ImportResult; failed: {"errors": [{line, message, where}]}.
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
