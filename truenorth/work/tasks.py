from django_tasks import task

from truenorth.analysis.embed import ModelUnavailable
from truenorth.work import actions
from truenorth.workspaces.models import Workspace


@task()
def refresh_link_suggestions(workspace_id: int) -> dict:
    """Suggest goals and initiatives for the work that supports none (the model runs here)."""
    try:
        found = actions.refresh_suggestions(Workspace.objects.get(pk=workspace_id))
    except ModelUnavailable as error:
        return {"error": str(error)}
    return {"items": found.items, "suggestions": found.suggestions}
