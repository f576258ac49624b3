"""Small filters for showing measures: percentages, heatmap colours, chart coordinates."""

from django import template

register = template.Library()


@register.filter
def percent(share) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


@register.filter
def heat(value, scale: float = 100) -> str:
    """A background from red (low) through amber to green (high) for a value out of `scale`."""
    if value is None:
        return "background:#f1f2f4"
    hue = max(0.0, min(1.0, float(value) / float(scale))) * 120
    return f"background:hsl({hue:.0f} 65% 82%)"


@register.filter
def signed(change) -> str:
    if change is None:
        return ""
    return f"{'+' if change > 0 else ''}{change:g}"


@register.filter
def chart_x(fidelity) -> float:
    return 40 + float(fidelity) * 4.4  # 0-100 onto 40-480 px


@register.filter
def chart_y(direction) -> float:
    return 300 - (float(direction) - 1) * 65  # 1-5 onto 300-40 px


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def label(name) -> str:
    return str(name).replace("_", " ").capitalize()
