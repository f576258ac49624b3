from django_tasks import task

from truenorth.analysis.embed import ModelUnavailable
from truenorth.claims.actions import recheck_all
from truenorth.workspaces.models import Workspace


@task()
def recheck_claims(workspace_id: int) -> dict:
    """Check every claim again against the roadmap as it is now."""
    try:
        return {"checked": recheck_all(Workspace.objects.get(pk=workspace_id))}
    except ModelUnavailable as error:
        return {"error": str(error)}
