"""The embedder this server is configured for (TRUENORTH_EMBEDDING_MODEL and _ENGINE)."""

from django.conf import settings

from truenorth.analysis.embed import Encoder, get_embedder


def configured_embedder() -> Encoder:
    return get_embedder(
        settings.EMBEDDING_MODEL, settings.EMBEDDING_ENGINE, settings.EMBEDDING_STORE
    )
