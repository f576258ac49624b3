from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from truenorth.strategy.models import Goal, Vision
from truenorth.workspaces.models import Workspace


def current_vision(workspace: Workspace) -> Vision | None:
    return workspace.visions.order_by("-number").first()


def lock_workspace(workspace: Workspace) -> None:
    """Make every other transaction that numbers the workspace's visions or goals wait for this
    one. Django drops FOR UPDATE from an aggregate, and rows not written yet cannot be locked, so
    the workspace's own row is the lock (SQLite's one write lock already serialises writers).
    NO KEY: rows that merely refer to the workspace can still be written meanwhile."""
    Workspace.objects.select_for_update(no_key=True).filter(pk=workspace.pk).values_list("pk").get()


@transaction.atomic
def publish_vision(vision: Vision, by=None) -> Vision:
    """Save an unsaved Vision as the workspace's next version."""
    lock_workspace(vision.workspace)
    latest = vision.workspace.visions.aggregate(n=Max("number"))["n"]
    vision.number = (latest or 0) + 1
    vision.created_at = vision.created_at or timezone.now()
    vision.created_by = by
    vision.save()
    return vision


@transaction.atomic
def add_goal(goal: Goal) -> Goal:
    """Save a new goal at the bottom of the ranking."""
    lock_workspace(goal.workspace)
    lowest = goal.workspace.goals.aggregate(n=Max("rank"))["n"]
    goal.rank = (lowest or 0) + 1
    goal.save()
    return goal


@transaction.atomic
def move_goal(goal: Goal, offset: int) -> None:
    """Move a goal up (offset -1) or down (+1) the ranking; ranks stay 1..n without gaps."""
    lock_workspace(goal.workspace)
    goals = list(goal.workspace.goals.order_by("rank", "id"))
    position = next(i for i, g in enumerate(goals) if g.pk == goal.pk)
    new_position = min(max(position + offset, 0), len(goals) - 1)
    goals.insert(new_position, goals.pop(position))
    for rank, each in enumerate(goals, start=1):
        if each.rank != rank:
            each.rank = rank
            each.save(update_fields=["rank"])
