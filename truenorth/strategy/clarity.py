"""The clarity checks on a vision's or a goal's fields, saved or still being typed."""

from collections.abc import Mapping

from truenorth.analysis.clarity import WEIGHTS, Clarity, check_clarity, check_goal_clarity
from truenorth.strategy.forms import MAX_FIELD_CHARS, GoalForm, VisionForm


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


def glossary_names(workspace) -> set[str]:
    """The names of the workspace's terms: an acronym the glossary defines is explained, so the
    clarity checks do not count it as jargon (archived terms are in no jargon link either)."""
    return set(workspace.terms.values_list("name", flat=True))


def clarity_of_vision(fields: Mapping, glossary: set[str] | None = None) -> Clarity:
    parts = {name: _text(fields, name) for name in WEIGHTS}
    return check_clarity(_text(fields, "statement"), parts, glossary)


def clarity_of_goal(fields: Mapping, glossary: set[str] | None = None) -> Clarity:
    values = {name: _text(fields, name) for name in GoalForm.Meta.fields}
    return check_goal_clarity(values, glossary)


def as_data(clarity: Clarity) -> dict:
    """A clarity check as the API and the command line give it: the score out of 100, each
    part found or missing (and where it was found, or that its words say nothing concrete), the
    wording findings with what to write instead and where they stand, in the page's words
    (``where_label``: "User benefit", "Why now"), the other suggestions, and the acronyms the
    glossary explains, as the page lists them."""
    return {
        "score": clarity.score,
        "parts": [
            {
                "name": part.name,
                "label": part.label,
                "present": part.present,
                "found_in": part.source,
                "evidence": part.evidence,
                "weight": part.weight,
                "says_nothing": part.says_nothing,
            }
            for part in clarity.parts.values()
        ],
        "missing": clarity.missing_labels,
        "findings": [
            {
                "kind": f.kind,
                "phrase": f.phrase,
                "where": f.where,
                "where_label": f.where_label,
                "suggestion": f.suggestion,
            }
            for f in clarity.findings
        ],
        "suggestions": clarity.other_suggestions,
        "explained": clarity.explained,
    }
