import logging

from django_tasks import task

from truenorth.analysis.embed import ModelUnavailable
from truenorth.tabular import RowError
from truenorth.work import actions, runs, trackers
from truenorth.work.imports import ImportFailed, import_work_items
from truenorth.work.models import ImportRun
from truenorth.workspaces import progress
from truenorth.workspaces.models import Workspace

logger = logging.getLogger(__name__)


@task()
def refresh_link_suggestions(workspace_id: int) -> dict:
    """Suggest goals and initiatives for the work that supports none (the model runs here)."""
    try:
        found = actions.refresh_suggestions(Workspace.objects.get(pk=workspace_id))
    except ModelUnavailable as error:
        return {"error": str(error)}
    return {"items": found.items, "suggestions": found.suggestions}


@task()
def import_work_items_file(run_id: int) -> str:
    """Import an uploaded file of work items (inline, or in a worker: see TASKS); the run's
    page shows how far it has got. All or nothing: a crash leaves the run failed, no item
    touched. Returns the run's state."""
    if not runs.claim(run_id):
        return "taken"  # another worker has it, or it finished already
    run = ImportRun.objects.select_related("workspace").get(pk=run_id)
    progress.started("import", run.pk, "Reading the file")
    try:
        options = run.options
        team = None
        if options.get("team"):
            team = run.workspace.teams.filter(pk=options["team"]).first()
            if team is None:
                gone = "the team chosen for the items the file does not place has been deleted"
                raise ImportFailed([RowError(0, f"{gone}; import the file again")])
        with runs.upload_path(run).open(encoding="utf-8-sig", newline="") as stream:
            result = import_work_items(
                run.workspace,
                stream,
                options.get("mapping") or {},
                file_format=options.get("format", "auto"),
                project=options.get("project", ""),
                key_from_row=options.get("key_from_row", False),
                source=options.get("source") or None,
                progress=report_rows(run.pk),
                where="page",
                team=team,
            )
        runs.succeeded(run, result)
    except ImportFailed as failure:
        runs.failed(run, failure, recognised_as(run))
    except Exception as error:
        logger.exception("Import run %s stopped", run.pk)
        runs.crashed(run, error)
    finally:
        progress.finished("import", run.pk)
    return run.state


def recognised_as(run: ImportRun) -> str:
    """What "Recognise it" makes of a refused run's file ("" for no format): its page says
    which format was read, or that the file looks like another than the one chosen."""
    try:
        text = runs.upload_path(run).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""
    return trackers.recognised(text)


def report_rows(run_id: int):
    """The import's progress(done, total) as the run's page reads it: rows checked, then one
    step of saving, which has no count because it is a single transaction."""
    checking = progress.reporter("import", run_id, "Checking the rows")

    def report(done: int, total: int) -> None:
        if done < total:
            checking(done, total)
        else:
            progress.started("import", run_id, f"Saving {total} items in one go")

    return report
