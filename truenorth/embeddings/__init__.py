"""The embedding cache: vectors of texts by model and text hash, shared by every app that
embeds (check-in analysis, claims, link suggestions), so that none of them imports another."""
