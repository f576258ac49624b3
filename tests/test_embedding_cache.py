"""The embedding cache has its own app (truenorth/embeddings/), so that check-ins, claims and
link suggestions share it without importing one another. It moved there from the check-ins app:
the table, and every vector cached in it, stayed."""

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from truenorth.embeddings.cache import DatabaseCache
from truenorth.embeddings.models import Embedding

BEFORE_THE_MOVE = [("checkins", "0005_invitation_delivery"), ("embeddings", None)]


@pytest.mark.django_db(transaction=True)
def test_vectors_cached_before_the_move_are_read_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    state = executor.loader.project_state(BEFORE_THE_MOVE[0])
    old = state.apps.get_model("checkins", "Embedding")
    vector = np.arange(4, dtype=np.float32)
    old.objects.create(model="m", text_hash="h", vector=vector.tobytes())

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Embedding.objects.get(model="m").text_hash == "h"
    assert np.array_equal(DatabaseCache().get_many("m", ["h"])["h"], vector)


@pytest.mark.django_db
def test_a_vector_put_by_one_process_is_found_by_another():
    vector = np.ones(3, dtype=np.float32)
    DatabaseCache().put_many("model", {"hash": vector})
    # Another process has nothing in memory: it reads the table.
    assert Embedding.objects.filter(model="model", text_hash="hash").exists()
