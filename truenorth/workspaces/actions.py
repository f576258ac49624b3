from django.contrib.auth import get_user_model
from django.db import transaction

from truenorth.workspaces.models import Membership, Role, Workspace


@transaction.atomic
def create_workspace(
    name: str, slug: str, owner_username: str, owner_email: str, owner_password: str | None
) -> Workspace:
    """A new workspace and the login that owns it (an existing login keeps its password)."""
    workspace = Workspace.objects.create(name=name, slug=slug)
    user, created = get_user_model().objects.get_or_create(
        username=owner_username, defaults={"email": owner_email}
    )
    if created:
        if owner_password:
            user.set_password(owner_password)
        else:
            user.set_unusable_password()
        user.save()
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    return workspace
