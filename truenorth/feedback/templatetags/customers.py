"""`{% customers_behind workspace "initiative" initiative.pk %}`: on a goal's or an initiative's
page, the customers whose needs it addresses, in their words (seed 000: "bringing the customer
back into the room"). A template tag, so the roadmap and the goals need not import feedback;
the page shows it to readers inside the organisation only (partners see no feedback)."""

from django import template

from truenorth.feedback.themes import theme_figures

register = template.Library()


@register.inclusion_tag("feedback/customers_behind.html", takes_context=True)
def customers_behind(context, workspace, kind: str, pk: int) -> dict:
    return {"workspace": workspace, "voices": voices_for(context, workspace, kind, pk)}


@register.inclusion_tag("feedback/customers_line.html", takes_context=True)
def customers_line(context, workspace, kind: str, pk: int) -> dict:
    """One line under a goal in a list: how many customers ask for it, and the latest words."""
    return {"workspace": workspace, "voices": voices_for(context, workspace, kind, pk)}


def voices_for(context, workspace, kind: str, pk: int) -> dict | None:
    """The customers behind one target, the workspace's read once a page (a list of goals asks
    for each goal)."""
    kept = context.render_context
    if "feedback_voices" not in kept:
        kept["feedback_voices"] = theme_figures(workspace)["voices"]
    return kept["feedback_voices"].get(f"{kind}-{pk}")


@register.filter
def status_words(status: str) -> str:
    """An initiative's status as a person writes it: "in progress", not "in_progress"."""
    return status.replace("_", " ")
