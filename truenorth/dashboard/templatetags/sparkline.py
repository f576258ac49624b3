"""A tiny inline chart of a signal's trend, drawn on the server: no JavaScript needed."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

WIDTH, HEIGHT, PAD = 120, 28, 3


@register.simple_tag
def sparkline(trend: list[tuple[str, float]]) -> str:
    """An SVG line through the trend's values, each point titled with its label and value."""
    if len(trend) < 2:
        return ""
    values = [value for _, value in trend]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    points = [
        (
            PAD + i * (WIDTH - 2 * PAD) / (len(trend) - 1),
            HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD),
        )
        for i, value in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2"><title>{}: {}</title></circle>',
        (
            (f"{x:.1f}", f"{y:.1f}", label, f"{value:g}")
            for (x, y), (label, value) in zip(points, trend, strict=True)
        ),
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="trend"><polyline points="{}" fill="none" stroke="currentColor"/>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        line,
        dots,
    )
