"""Work on feedback that outlasts a request: the themes, computed after a change of the feedback.

Grouping thousands of items embeds each text once (the vectors are kept, embeddings.cache): about
a minute for 8,000 new items on two cores (benchmarks/feedback_scale.py). Done here, it is done
before anyone opens a page that shows the themes, rather than in that page's request.
"""

import logging

from django_tasks import task

from truenorth.analysis.embed import ModelUnavailable
from truenorth.feedback.themes import theme_figures
from truenorth.workspaces.models import Workspace

logger = logging.getLogger(__name__)


@task()
def refresh_themes(workspace_id: int) -> dict:
    """Compute the workspace's themes and keep them (workspaces.figures) for the pages."""
    try:
        figures = theme_figures(Workspace.objects.get(pk=workspace_id))
    except ModelUnavailable as error:
        return {"error": str(error)}
    except Exception:
        # Inline, the task's failure is only a status: the log is where its reason is kept.
        logger.exception("The themes of workspace %s were not computed", workspace_id)
        raise
    return {"items": figures["items"], "themes": len(figures["themes"])}
