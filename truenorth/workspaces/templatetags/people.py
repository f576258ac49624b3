"""A login shown as the people of its workspace know it."""

from django import template

from truenorth.workspaces import people

register = template.Library()


@register.filter
def known_as(user, workspace) -> str:
    """The login's person's name in `workspace` (workspaces.people.known_as)."""
    return people.known_as(user, workspace)
