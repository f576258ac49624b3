"""What pages showing queued work say when no `truenorth worker` is running."""

from django import template
from django.utils.safestring import SafeString

from truenorth.workspaces import workers

register = template.Library()


@register.simple_tag
def none_running() -> SafeString:
    """`{% none_running as words %}`: why nothing queued will start, "" when a worker was seen
    in the last minute or work runs inline."""
    return workers.as_html(workers.none_running())


@register.filter
def as_code(words: str) -> SafeString:
    """Words with `commands` in them, the commands shown as code."""
    return workers.as_html(words)
