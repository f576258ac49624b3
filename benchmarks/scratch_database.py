"""A fresh SQLite database for a benchmark, in a data directory of its own."""

import os
import tempfile


def fresh_database(data_dir: str | None = None) -> str:
    """Point truenorth at an empty SQLite database in `data_dir` (a new temporary directory when
    None) and set Django up: the schema and the figures' cache table, as every command has them.
    Returns the data directory."""
    data_dir = data_dir or tempfile.mkdtemp()
    os.environ["TRUENORTH_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    from truenorth.cli import setup_django

    setup_django()
    return data_dir
