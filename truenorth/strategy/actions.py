from collections.abc import Callable

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from truenorth.notifications import events as notify
from truenorth.strategy.models import Goal, GoalMeasurement, Vision
from truenorth.strategy.targets import Target, written_target
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
def add_goal(goal: Goal, target: Target | None = None) -> Goal:
    """Save a new goal at the bottom of the ranking, with the target value its form read
    (GoalForm.new_target), if any."""
    lock_workspace(goal.workspace)
    lowest = goal.workspace.goals.aggregate(n=Max("rank"))["n"]
    goal.rank = (lowest or 0) + 1
    goal.save()
    record_target(goal, target)
    notify.goal_changed(goal, created=True)
    return goal


@transaction.atomic
def save_goal(goal: Goal, target: Target | None = None) -> Goal:
    """Save an edited goal (its form's instance), with the target value its form read, if any."""
    saved = Goal.all_objects.filter(pk=goal.pk).values_list("target", "period").get()
    goal.save()
    forget_written_target(goal, *saved)
    record_target(goal, target)
    notify.goal_changed(goal)
    return goal


def record_target(goal: Goal, target: Target | None) -> None:
    """Record a dated target value, replacing one of the same day, as the card's form does."""
    if target is None or target.on is None:
        return
    GoalMeasurement.objects.update_or_create(
        goal=goal,
        measured_on=target.on,
        is_target=True,
        defaults={"value": target.value, "unit": target.unit},
    )


def forget_written_target(goal: Goal, target_was: str, period_was: str) -> None:
    """When a goal's target or period changes, the value its old words set goes with them: the
    pace would otherwise judge "150" against the 120 it said before. A value recorded otherwise
    (on the card, or typed as its own) is another value or day, and stays."""
    if (target_was, period_was) == (goal.target, goal.period):
        return
    old = written_target(target_was, period_was)
    if old is not None and old.on is not None:
        goal.measurements.filter(is_target=True, measured_on=old.on, value=old.value).delete()


@transaction.atomic
def move_goal(goal: Goal, offset: int) -> None:
    """Move a goal up (offset -1) or down (+1) the ranking; ranks stay 1..n without gaps."""
    lock_workspace(goal.workspace)
    goals = list(goal.workspace.goals.order_by("rank", "id"))
    position = next((i for i, g in enumerate(goals) if g.pk == goal.pk), None)
    if position is None:  # archived meanwhile: it has no place in the ranking
        return
    new_position = min(max(position + offset, 0), len(goals) - 1)
    goals.insert(new_position, goals.pop(position))
    rank_in_order(goals)


def rank_in_order(goals: list[Goal]) -> None:
    """Number the goals 1..n in list order, writing only the ranks that change."""
    for rank, each in enumerate(goals, start=1):
        if each.rank != rank:
            each.rank = rank
            each.save(update_fields=["rank", "updated_at"])


# What archiving a goal would leave serving no live goal, as the apps that own it count it: each
# takes the workspace and answers {goal id: a sentence}. The work app adds its work items' (its
# AppConfig.ready); strategy knows nothing of work items itself.
ARCHIVING_LEAVES: list[Callable[[Workspace], dict[int, str]]] = []


def what_archiving_leaves(workspace: Workspace) -> dict[int, list[str]]:
    """For each active goal, what archiving it would leave serving no live goal."""
    said: dict[int, list[str]] = {}
    for count in ARCHIVING_LEAVES:
        for goal_id, sentence in count(workspace).items():
            said.setdefault(goal_id, []).append(sentence)
    return said


@transaction.atomic
def archive_goal(goal: Goal) -> bool:
    """Take a goal out of the ranking, the lists and the figures; the goals below it move up, so
    the active ranks stay 1..n. Work items and initiatives linked to it keep their link. It keeps
    its last rank, read as "was #n". False if it was archived already."""
    lock_workspace(goal.workspace)
    current = Goal.all_objects.get(pk=goal.pk)
    if current.archived_at is not None:
        return False
    goal.archived_at = current.archived_at = timezone.now()
    current.save(update_fields=["archived_at", "updated_at"])
    rank_in_order(list(goal.workspace.goals.order_by("rank", "id")))
    notify.goal_changed(current)
    return True


@transaction.atomic
def restore_goal(goal: Goal) -> bool:
    """Bring an archived goal back at the bottom of the ranking (an editor moves it from there:
    its old place belongs to another goal by now). False if it was not archived."""
    lock_workspace(goal.workspace)
    current = Goal.all_objects.get(pk=goal.pk)
    if current.archived_at is None:
        return False
    lowest = goal.workspace.goals.aggregate(n=Max("rank"))["n"]
    current.rank = goal.rank = (lowest or 0) + 1
    current.archived_at = goal.archived_at = None
    current.save(update_fields=["rank", "archived_at", "updated_at"])
    notify.goal_changed(current)
    return True


def goals_to_choose(workspace: Workspace, keep_id: int | None = None):
    """The goals a form offers: the active ones, plus the one already chosen even if archived,
    so that saving the form again does not drop the link."""
    chosen = Q(archived_at__isnull=True)
    if keep_id:
        chosen |= Q(pk=keep_id)
    return Goal.all_objects.filter(chosen, workspace=workspace)
