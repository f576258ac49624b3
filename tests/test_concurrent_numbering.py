"""Two editors publishing a vision, adding a goal or a check-in question, at the same moment on
PostgreSQL.

The second action starts while the first one's transaction is still open: a lock that locks makes
it wait and number after the first; one that does not reads the same highest number.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from truenorth.checkins.actions import add_question, create_alignment_pulse
from truenorth.checkins.models import Question
from truenorth.strategy.actions import add_goal, publish_vision
from truenorth.strategy.models import Goal, Vision

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
HOLD_SECONDS = 0.5  # how long the first transaction stays open after its action

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL,
        reason="SQLite takes its one write lock at the start of every transaction (IMMEDIATE), "
        "so two actions never overlap there; the row locks are PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]


def collide(action, first, second) -> list:
    """Run action(first) in a transaction that stays open a moment, and action(second), in its
    own thread and connection, as soon as the first has acted; both results, or the error."""
    acted = threading.Event()

    def hold():
        try:
            with transaction.atomic():
                result = action(first)
                acted.set()
                threading.Event().wait(HOLD_SECONDS)
            return result
        finally:
            acted.set()
            connection.close()

    def follow():
        acted.wait()
        try:
            return action(second)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(hold), pool.submit(follow)]
        return [future.result() for future in futures]


def vision(workspace, statement: str) -> Vision:
    parts = dict.fromkeys(Vision.PARTS, "x")
    return Vision(workspace=workspace, statement=statement, created_at=timezone.now(), **parts)


def goal(workspace, title: str) -> Goal:
    return Goal(workspace=workspace, title=title, why="w", why_now="n", metric="m", target="t")


def test_two_visions_published_at_once_get_the_next_two_numbers(workspace):
    publish_vision(vision(workspace, "v1"))
    collide(publish_vision, vision(workspace, "a"), vision(workspace, "b"))
    numbers = dict(workspace.visions.values_list("statement", "number"))
    assert numbers == {"v1": 1, "a": 2, "b": 3}


def test_the_first_two_visions_published_at_once_are_numbered_1_and_2(workspace):
    collide(publish_vision, vision(workspace, "a"), vision(workspace, "b"))
    assert dict(workspace.visions.values_list("statement", "number")) == {"a": 1, "b": 2}


def test_two_goals_added_at_once_get_ranks_one_after_the_other(workspace):
    add_goal(goal(workspace, "first"))
    collide(add_goal, goal(workspace, "a"), goal(workspace, "b"))
    ranks = dict(workspace.goals.values_list("title", "rank"))
    assert ranks == {"first": 1, "a": 2, "b": 3}


def test_two_questions_added_at_once_go_one_after_the_other(workspace):
    now = timezone.now()
    pulse = create_alignment_pulse(workspace, "Pulse", now, now + timezone.timedelta(days=7))
    asked = len(pulse.questions.all())
    collide(add_question, Question(checkin=pulse, prompt="a"), Question(checkin=pulse, prompt="b"))
    added = dict(pulse.questions.filter(position__gt=asked).values_list("prompt", "position"))
    assert added == {"a": asked + 1, "b": asked + 2}
