"""The clarity checks on a vision's or a goal's fields, saved or still being typed."""

from collections.abc import Mapping

from truenorth.analysis.clarity import WEIGHTS, Clarity, check_clarity, check_goal_clarity
from truenorth.strategy.forms import GoalForm, VisionForm

# Enough for any real vision; keeps a pasted novel from costing much to check.
MAX_FIELD_CHARS = 5000


def fields_of(obj, form) -> dict:
    """A saved vision's or goal's values for each field of its form ({} for None)."""
    return {} if obj is None else {name: getattr(obj, name) for name in form.Meta.fields}


def vision_fields(vision) -> dict:
    return fields_of(vision, VisionForm)


def goal_fields(goal) -> dict:
    return fields_of(goal, GoalForm)


def _text(fields: Mapping, name: str) -> str:
    value = fields.get(name)
    return value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""


def clarity_of_vision(fields: Mapping) -> Clarity:
    parts = {name: _text(fields, name) for name in WEIGHTS}
    return check_clarity(_text(fields, "statement"), parts)


def clarity_of_goal(fields: Mapping) -> Clarity:
    return check_goal_clarity({name: _text(fields, name) for name in GoalForm.Meta.fields})
