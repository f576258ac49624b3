from django_tasks import task

from truenorth.analysis.embed import ModelUnavailable
from truenorth.claims.actions import recheck_all, recheck_near
from truenorth.roadmap.models import Initiative
from truenorth.workspaces.models import Workspace


@task()
def recheck_claims(workspace_id: int) -> dict:
    """Check every claim again against the roadmap as it is now."""
    try:
        return {"checked": recheck_all(Workspace.objects.get(pk=workspace_id))}
    except ModelUnavailable as error:
        return {"error": str(error)}


@task()
def recheck_claims_near(initiative_id: int) -> dict:
    """Check again the claims a change to this initiative may turn (claims.actions.recheck_near).
    Without the model they keep their verdict until the next check, as the roadmap edit stands."""
    initiative = Initiative.all_objects.select_related("workspace").filter(pk=initiative_id).first()
    if initiative is None:  # deleted meanwhile
        return {"checked": 0}
    try:
        return {"checked": recheck_near(initiative)}
    except ModelUnavailable as error:
        return {"error": str(error)}


def follow_roadmap(sender, initiative: Initiative, **kwargs) -> None:
    """roadmap.actions.judged_changed, sent once the change committed: the claims it may turn
    are re-checked in the background (inline on a single machine, within the same request)."""
    recheck_claims_near.enqueue(initiative.pk)


def follow_import(sender, workspace, **kwargs) -> None:
    """roadmap.actions.roadmap_imported, sent once an import that changed the roadmap committed:
    every claim is checked again in the background, as "Re-check all" does."""
    recheck_claims.enqueue(workspace.pk)
