"""The workspace file as a download: what `truenorth export --json` writes, for the owner only
(it holds everything the workspace has, logins' addresses included)."""

from django.http import HttpResponse

from truenorth.exchange.export import export_text
from truenorth.exchange.problems import ExchangeError
from truenorth.refusals import read_only
from truenorth.workspaces.access import OWNER, workspace_view


@workspace_view(OWNER)
@read_only
def download(request, membership):
    workspace = membership.workspace
    try:
        text = export_text(workspace)
    except ExchangeError as error:  # a value saved before today's bounds: say which
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}.json"'
    return response
