import pytest

from truenorth.analysis.embed import get_embedder


@pytest.fixture(scope="session")
def embedder():
    """The real model, loaded once per test process."""
    return get_embedder()
