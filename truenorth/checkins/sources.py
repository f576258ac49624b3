"""The source a question is asked about, pinned so that a later version never moves its scores.

A question tied to the vision is about the version in force when its people are asked: the last
one published at or before the check-in opens, or before its invitations go out when that is
later (a version published after an opening earlier today, before anyone was asked, is the one
people know); the first one when every version came later. A question tied to a goal keeps the
goal's text as it was, since goals are edited in place. The source is captured when the question
is created, and again whenever the check-in's invitations are sent while nobody has answered, so
a version published in between counts; from the first answer on it never changes.

These functions read and write fields only, so the migration that pinned the questions written
before (checkins 0004) runs them on its historical models as well.
"""

from truenorth.checkins.models import SourceKind
from truenorth.strategy.models import Vision

# Part name → the field it is read from.
VISION_PARTS = {name: name for name in Vision.PARTS}
GOAL_PARTS = {
    "what": "title",
    "why": "why",
    "why_now": "why_now",
    "metric": "metric",
    "target": "target",
}
PINNED_FIELDS = ["source_vision", "source_parts"]


def vision_in_force(visions, at):
    """The version in force at `at` among a workspace's `visions`: the last one published by
    then, else the first one; None when there is none."""
    return (
        visions.filter(created_at__lte=at).order_by("-number").first()
        or visions.order_by("number").first()
    )


DECISION_PARTS = ["outcome", "rationale", "consequences"]  # pinned by decisions.backbrief
PART_ORDER = [*VISION_PARTS, *GOAL_PARTS, "text", *DECISION_PARTS]


def parts_of(row, fields: dict[str, str]) -> dict[str, str]:
    """Part name → text, in the order given, leaving out empty parts."""
    return {part: text for part, field in fields.items() if (text := getattr(row, field).strip())}


def pin_source(question, visions, asked_at=None) -> None:
    """Capture the question's source for its check-in (unsaved); `visions` are the workspace's
    versions, `asked_at` when its invitations go out (None: only its opening counts)."""
    if question.source_kind in (SourceKind.DECISION, SourceKind.UPDATE):
        return  # the decision's or update's parts, pinned when its back-brief was sent
    question.source_vision, question.source_parts = None, {}
    if question.source_kind == SourceKind.VISION:
        opens_at = question.checkin.opens_at
        at = opens_at if asked_at is None else max(opens_at, asked_at)
        question.source_vision = vision_in_force(visions, at)
        if question.source_vision:
            question.source_parts = parts_of(question.source_vision, VISION_PARTS)
    elif question.source_kind == SourceKind.GOAL and question.source_goal:
        question.source_parts = parts_of(question.source_goal, GOAL_PARTS)
    elif question.source_kind == SourceKind.TEXT and question.source_text.strip():
        question.source_parts = {"text": question.source_text}


def pin_sources(questions, Vision, asked_at=None) -> None:
    """Capture and save the source of each of `questions` tied to one (`Vision`: the model;
    `asked_at`: as for pin_source)."""
    tied = questions.exclude(source_kind=SourceKind.NONE).select_related("checkin", "source_goal")
    for question in tied:
        visions = Vision.objects.filter(workspace_id=question.checkin.workspace_id)
        pin_source(question, visions, asked_at)
        question.save(update_fields=PINNED_FIELDS)
