"""Moving the test database's schema back to a migration and forward again, for tests of a data
migration: rows written as they were stored before it, then read after it."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(to) -> MigrationExecutor:
    """The schema at the migrations `to` (a list of (app, name)), or at the latest with None."""
    executor = MigrationExecutor(connection)
    executor.migrate(to or executor.loader.graph.leaf_nodes())
    return executor
