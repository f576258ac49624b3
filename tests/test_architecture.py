"""Which part of truenorth may import which: the table below, checked against every import in
the source, at the top of a module or inside a function (a late import is still a dependency).

The domain apps form layers: a lower one never imports a higher one, so each can be read,
tested and changed knowing only what is below it. What reads or writes every app (the CLI,
workspace export and import, the instance backup, the URL table, the demo) sits above them all.
"""

import ast
from graphlib import TopologicalSorter
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "truenorth"

# Helpers any part may import; they import no app themselves.
HELPERS = {
    "bulk",
    "charts",  # SVG charts from plain values (truenorth/charts.py)
    "days",  # whether a date typed in is plausibly meant (not a mistyped year)
    "exports",
    "formats",  # the date formats Django reads (FORMAT_MODULE_PATH in settings)
    "headers",
    "ids",
    "paging",  # a list's pages: the page asked for, the neighbouring pages' addresses
    "passwords",  # a password mostly its owner's name or address is refused (settings)
    "refusals",  # the 400 a view answers when it will not do what was asked
    "sealing",  # secrets kept sealed under a key made from the server's secret key
    "sending",  # webhook posts and mail errors, retried (updates, notifications, check-ins)
    "serving",
    "settings",
    "startup",
    "tabular",
    "throttling",
    "widgets",  # form widgets: a select of many options rendered in Python
}

# Each app, and the apps it may import (besides itself and the helpers).
APPS = {
    "analysis": set(),  # plain Python over texts and arrays: no Django, no app
    "workspaces": set(),  # the base: workspaces, people, logins, access rules
    # Every app that records an event tells it here; it knows only workspaces and people.
    "notifications": {"workspaces"},
    "embeddings": {"analysis"},
    "strategy": {"workspaces", "analysis", "notifications"},
    "roadmap": {"workspaces", "strategy", "analysis", "notifications"},
    "work": {"workspaces", "strategy", "roadmap", "embeddings", "analysis"},
    "checkins": {"workspaces", "strategy", "embeddings", "analysis", "notifications"},
    "claims": {"workspaces", "strategy", "roadmap", "embeddings", "analysis", "notifications"},
    "glossary": {"workspaces", "strategy", "checkins", "embeddings", "analysis"},
    # Customer feedback and its themes (the market level).
    "feedback": {"workspaces", "strategy", "roadmap", "embeddings", "analysis"},
    "decisions": {
        "workspaces",
        "strategy",
        "roadmap",
        "checkins",
        "embeddings",
        "analysis",
        "glossary",
        "notifications",
    },
    "dashboard": {
        "workspaces",
        "strategy",
        "roadmap",
        "work",
        "checkins",
        "claims",
        "glossary",
        "decisions",
        "embeddings",
        "analysis",
        "updates",  # customer success heard first (updates/notice.py)
        "feedback",  # the market level: what customers ask for that nothing addresses
    },
    # An update gathers its facts from every app that records what happened in a period.
    "updates": {
        "feedback",  # what customers ask for most, in the organisation's versions
        "workspaces",
        "strategy",
        "roadmap",
        "work",
        "checkins",
        "claims",
        "glossary",
        "decisions",
        "analysis",
        "notifications",
    },
    # A ritual's agenda reads what changed (updates' facts), decisions waiting, the alignment
    # dashboard's signals and the latest pulse; decisions made in a session go to the log.
    "rituals": {
        "workspaces",
        "strategy",
        "roadmap",
        "checkins",
        "decisions",
        "dashboard",
        "updates",
        "analysis",
    },
    # Search reads every app's rows through the workspace's relations; it imports only the
    # roadmap, for the rule of what partners see.
    "search": {"workspaces", "roadmap"},
    # The REST API reads and writes every app through its actions, with the pages' role rules.
    "api": {
        "workspaces",
        "strategy",
        "roadmap",
        "work",
        "checkins",
        "claims",
        "glossary",
        "decisions",
        "updates",
        "rituals",
        "dashboard",
        "notifications",
        "embeddings",
        "analysis",
        "search",
        "feedback",
    },
}

# Above the apps: they may import everything.
TOP = {
    "cli",
    "cli_checkins",
    "cli_claims",
    "cli_decisions",
    "cli_feedback",
    "cli_glossary",
    "cli_goals",
    "cli_notifications",
    "cli_options",
    "cli_people",
    "cli_rituals",
    "cli_roadmap",
    "cli_mail",
    "cli_themes",
    "cli_tokens",
    "cli_users",
    "cli_work",
    "cli_updates",
    "exchange",
    "backup",
    "demo",
    "urls",
    "wsgi",
    "your_data",  # the account's "Your data": what every app holds about one person
}


def part_of(path: Path) -> str | None:
    """The app or top-level module a source file belongs to (None for truenorth/__init__.py)."""
    relative = path.relative_to(SOURCE)
    if len(relative.parts) > 1:
        return relative.parts[0]
    return None if relative.stem == "__init__" else relative.stem


def module_name(path: Path) -> list[str]:
    relative = path.relative_to(SOURCE.parent).with_suffix("")
    parts = list(relative.parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(source: str, path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every module the source imports, wherever the import is."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package of this module
                package = module_name(path)
                package = package if path.name == "__init__.py" else package[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + [node.module or ""])
            else:
                base = node.module or ""
            base = base.rstrip(".")
            # `from truenorth import work` imports the app `work`.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def target_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "truenorth" and len(parts) > 1 else None


def forbidden_imports(source: str, path: Path) -> list[str]:
    part = part_of(path)
    if part is None or part in TOP or part not in {*APPS, *HELPERS}:
        return []  # above the apps; or not in the table, which the test above reports
    allowed = {part} | HELPERS | (set() if part in HELPERS else APPS[part])
    if part in HELPERS:
        allowed |= {"analysis"}
    return [
        f"{path.relative_to(SOURCE.parent)}:{line} imports {name}"
        for line, name in imported_modules(source, path)
        if (target := target_of(name)) is not None and target not in allowed
    ]


def source_files() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def test_every_part_of_truenorth_is_in_the_table():
    parts = {part_of(path) for path in source_files()} - {None}
    unknown = parts - set(APPS) - HELPERS - TOP
    assert unknown == set(), "place each new app or module in this file's table"


def test_no_module_imports_what_the_table_forbids():
    problems = [
        problem
        for path in source_files()
        for problem in forbidden_imports(path.read_text(encoding="utf-8"), path)
    ]
    assert problems == []


def test_the_table_has_no_cycle():
    TopologicalSorter(APPS).prepare()  # raises CycleError, naming the cycle


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("workspaces/views.py", "from truenorth.roadmap.models import Initiative\n"),
        ("workspaces/people.py", "def late():\n    from truenorth.work import trackers\n"),
        ("work/actions.py", "import truenorth.checkins.measure\n"),
        ("checkins/tasks.py", "from ..work import imports\n"),
        ("strategy/views.py", "from truenorth import dashboard\n"),
        ("roadmap/tasks.py", "importlib.import_module('truenorth.claims.models')\n"),
    ],
)
def test_a_forbidden_import_is_found_wherever_it_hides(path, source):
    assert len(forbidden_imports(source, SOURCE / path)) == 1


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("exchange/load.py", "from truenorth.claims.models import Claim\n"),
        ("work/actions.py", "from truenorth.embeddings.cache import cached_embedder\n"),
        ("workspaces/models.py", "from truenorth.ids import something\n"),
        ("dashboard/views.py", "from .signals import cached_dashboard\n"),
    ],
)
def test_an_allowed_import_passes(path, source):
    assert forbidden_imports(source, SOURCE / path) == []
