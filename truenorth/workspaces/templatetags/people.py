"""A login shown as the people of its workspace know it."""

from django import template

from truenorth.workspaces.models import Membership

register = template.Library()


@register.filter
def known_as(user, workspace) -> str:
    """The name of the login's person in `workspace` ("Ada Lovelace"), else the login's full
    name, else its login name: who published or recorded something, not the name they log in
    with. The workspace's names are read once per page, however many rows name someone."""
    if user is None:
        return ""
    names = getattr(workspace, "_names_by_login", None)
    if names is None:
        people = Membership.objects.filter(workspace=workspace, person__isnull=False)
        names = workspace._names_by_login = dict(people.values_list("user_id", "person__name"))
    return names.get(user.pk) or user.get_full_name() or user.get_username()
