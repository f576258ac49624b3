"""Dates kept as text (a history row's old and new value) shown like every other date."""

from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def as_day(value: object) -> object:
    """An ISO date string ("2026-03-12") in the site's date format ("12 Mar 2026"); any other
    value (a status, an empty string) as it is."""
    if not isinstance(value, str) or len(value) != 10:
        return value
    try:
        return date_format(date.fromisoformat(value))
    except ValueError:
        return value
