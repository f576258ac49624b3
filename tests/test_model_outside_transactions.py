"""The language model never runs inside a write transaction.

On SQLite a transaction holds the database's one write lock from its start (IMMEDIATE), so a
model call inside one makes every answer, login or page that writes wait for the model, and
fail after the lock timeout. Each action below is given the real model, watched: at each call
it notes whether a transaction was open. The tests run outside pytest-django's own wrapping
transaction, so "open" means one the action started.
"""

import io
from datetime import date

import pytest
from django.db import connection

from tests.test_claims import GOOD_CSV, PORTAL, claim, roadmap  # noqa: F401 (a fixture)
from tests.test_traceability import plan  # noqa: F401 (a fixture)
from truenorth.claims.actions import recheck_all
from truenorth.claims.imports import import_claims
from truenorth.decisions import actions as decisions
from truenorth.decisions.models import Comment, Decision
from truenorth.embeddings.cache import cached_embedder
from truenorth.work.actions import link_work_item, refresh_suggestions, replace_pending, suggest
from truenorth.work.models import LinkSuggestion
from truenorth.work.traceability import suggestion_candidates, suggestion_targets

pytestmark = pytest.mark.django_db(transaction=True)


class Watched:
    """The cached embedder, noting for each call whether a transaction was open."""

    def __init__(self):
        self.embedder = cached_embedder()
        self.model_name, self.dimensions = self.embedder.model_name, self.embedder.dimensions
        self.in_transaction: list[bool] = []

    def encode(self, texts, progress=None):
        self.in_transaction.append(connection.in_atomic_block)
        return self.embedder.encode(texts, progress)


def test_refreshing_link_suggestions_runs_the_model_before_it_writes(plan):  # noqa: F811
    watched = Watched()
    found = refresh_suggestions(plan["close"].workspace, embedder=watched)
    assert found.suggestions == LinkSuggestion.objects.count() > 0
    assert watched.in_transaction and not any(watched.in_transaction)


def test_a_suggestion_for_an_item_linked_meanwhile_is_not_saved(plan):  # noqa: F811
    workspace = plan["close"].workspace
    items = list(suggestion_candidates(workspace))
    computed = suggest(items, suggestion_targets(workspace), None, 3, 0)
    link_work_item(plan["items"]["datev"], plan["datev"])  # an editor, while the model ran
    saved = replace_pending(workspace, computed)
    assert {s.item_id for s in computed} > {s.item_id for s in saved}
    assert not plan["items"]["datev"].suggestions.exists()


def test_checking_claims_runs_the_model_before_it_writes(workspace, users, roadmap):  # noqa: F811
    watched = Watched()
    claim(workspace, PORTAL)
    import_claims(workspace, io.StringIO(GOOD_CSV), embedder=watched)
    recheck_all(workspace, embedder=watched)
    assert len(watched.in_transaction) >= 2 and not any(watched.in_transaction)


def test_commenting_on_a_decision_runs_the_model_before_it_writes(workspace):
    decision = decisions.add_decision(
        Decision(workspace=workspace, title="Drop the free tier", raised_on=date(2026, 1, 5))
    )
    watched = Watched()
    comment = decisions.add_comment(
        Comment(decision=decision, text="Why 14 days and not 30?"), embedder=watched
    )
    Comment.objects.create(decision=decision, text="Makes sense to me.")
    assert decisions.sort_unsorted(decision.comments.all(), embedder=watched) == 1
    assert comment.kind_by == "model" and not decision.comments.filter(kind="").exists()
    assert len(watched.in_transaction) == 2 and not any(watched.in_transaction)
