"""/api/v1/: each resource's router, added to the one API (core.api), which truenorth/urls.py
includes."""

from truenorth.api import (
    alignment,
    checkins,
    claims,
    decisions,
    feedback,
    glossary,
    people,
    rituals,
    roadmap,
    strategy,
    updates,
    webhooks,
    work,
    workspaces,
)
from truenorth.api.core import api

for router in (
    workspaces.router,
    strategy.router,
    strategy.vision_router,
    people.router,
    roadmap.router,
    glossary.router,
    decisions.router,
    updates.router,
    rituals.router,
    work.router,
    claims.router,
    checkins.router,
    alignment.router,
    webhooks.router,
    feedback.router,
):
    api.add_router("/", router)
