"""A whole workspace as JSON and back: export, then import, gives the same workspace.

It lives above the apps (it reads and writes all of them), beside the CLI that runs it.
Check-in answers are left out on purpose: they never leave the server. Pending link suggestions
are left out too: `truenorth suggest-links` recomputes them, while the decided ones (accepted or
rejected) are an editor's work and travel, so a rejected pair is never suggested again. Logins
travel as an email and a role and arrive as invitations (load.py says why).

- schema.py: the file's format, every field bounded;
- problems.py: reading the bytes (UTF-8, nesting, JSON) and naming what is wrong;
- export.py and load.py: the two directions;
- views.py: the owner's download of the file from the Settings page.
"""

from truenorth.exchange.export import export_text, export_workspace
from truenorth.exchange.load import Imported, import_workspace, parse_workspace_file
from truenorth.exchange.problems import ExchangeError, read_json

__all__ = [
    "ExchangeError",
    "Imported",
    "export_text",
    "export_workspace",
    "import_workspace",
    "parse_workspace_file",
    "read_json",
]
