"""What views and the CLI call to change work item links, each in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from truenorth.analysis.embed import Encoder
from truenorth.analysis.matching import MATCH_SCORE, rank_scores
from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.work.models import LinkedBy, LinkSuggestion, TrackerMapping, WorkItem
from truenorth.work.traceability import (
    mapping_index,
    suggestion_candidates,
    suggestion_targets,
    target_scores,
)
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Workspace

PENDING, ACCEPTED, REJECTED = LinkSuggestion.Decision
SUGGESTIONS_PER_ITEM = 3


# --- Links by hand ---


@transaction.atomic
def link_work_item(
    item: WorkItem, target: Initiative | Goal | None, linked_by: str = LinkedBy.HAND
) -> WorkItem:
    """Link an item to an initiative or straight to a goal; None unlinks it.

    Linking by hand, even to nothing, is an editor's decision: mappings leave it alone and the
    item gets no more suggestions, so its pending ones go.
    """
    item.initiative = target if isinstance(target, Initiative) else None
    item.goal = target if isinstance(target, Goal) else None
    item.linked_by = linked_by
    item.save(update_fields=["initiative", "goal", "linked_by"])
    if target is not None or linked_by == LinkedBy.HAND:
        item.suggestions.filter(decision=PENDING).delete()
    return item


# --- Tracker mappings ---


@dataclass
class Applied:
    linked: int = 0
    unlinked: int = 0


@transaction.atomic
def apply_mappings(workspace: Workspace) -> Applied:
    """Link every item no editor decided (by hand or by accepting a suggestion) to what its
    winning mapping names (see traceability.MappingIndex.winner); unlink items a mapping linked
    that no mapping matches any more. Call it after every import, and after mappings change.
    """
    mapped = workspace.work_items.filter(linked_by=LinkedBy.MAPPING)
    if not workspace.tracker_mappings.exists() and not mapped.exists():
        return Applied()  # nothing to link or unlink: spare a big import the full scan
    index = mapping_index(workspace)
    applied, changed = Applied(), []
    decided = (LinkedBy.HAND, LinkedBy.SUGGESTION)
    for item in workspace.work_items.exclude(linked_by__in=decided).iterator(2000):
        mapping = index.winner(item)
        if mapping is not None:
            target = (mapping.initiative_id, mapping.goal_id, LinkedBy.MAPPING)
            if (item.initiative_id, item.goal_id, item.linked_by) != target:
                item.initiative_id, item.goal_id, item.linked_by = target
                changed.append(item)
                applied.linked += 1
        elif item.linked_by == LinkedBy.MAPPING:
            item.initiative_id, item.goal_id, item.linked_by = None, None, ""
            changed.append(item)
            applied.unlinked += 1
    WorkItem.objects.bulk_update(changed, ["initiative", "goal", "linked_by"], batch_size=500)
    if changed:
        bump(workspace.pk)  # bulk writes send no signal
    linked_ids = [item.pk for item in changed if item.linked_by == LinkedBy.MAPPING]
    LinkSuggestion.objects.filter(item_id__in=linked_ids, decision=PENDING).delete()
    return applied


@transaction.atomic
def add_mapping(
    workspace: Workspace, field: str, value: str, target: Initiative | Goal, source: str = ""
) -> tuple[TrackerMapping, Applied]:
    mapping = TrackerMapping.objects.create(
        workspace=workspace,
        source=source,
        field=field,
        value=value,
        initiative=target if isinstance(target, Initiative) else None,
        goal=target if isinstance(target, Goal) else None,
    )
    return mapping, apply_mappings(workspace)


@transaction.atomic
def delete_mapping(mapping: TrackerMapping) -> Applied:
    """Delete a mapping: the items it linked are unlinked, unless another mapping matches them
    (then that one links them)."""
    workspace = mapping.workspace
    mapping.delete()
    return apply_mappings(workspace)


# --- Link suggestions ---


@dataclass
class Refreshed:
    items: int = 0
    suggestions: int = 0


@transaction.atomic
def refresh_suggestions(
    workspace: Workspace,
    embedder: Encoder | None = None,
    top: int = SUGGESTIONS_PER_ITEM,
    cut: float = MATCH_SCORE,
) -> Refreshed:
    """Replace the pending suggestions with fresh ones for every item that supports no goal.

    Accepted and rejected suggestions stay, and a pair someone decided is never suggested again.
    """
    LinkSuggestion.objects.filter(item__workspace=workspace, decision=PENDING).delete()
    items = list(suggestion_candidates(workspace).only("workspace", "title"))  # see unmapped_values
    targets = suggestion_targets(workspace)
    if not items or not targets:
        return Refreshed()
    if embedder is None:
        from truenorth.checkins.measure import embedder as cached_embedder

        embedder = cached_embedder()
    scores = target_scores([item.title for item in items], targets, embedder)
    row = {item.pk: index for index, item in enumerate(items)}
    column = {target_key(t.target): index for index, t in enumerate(targets)}
    decided = LinkSuggestion.objects.filter(item__in=items).values_list(
        "item_id", "initiative_id", "goal_id"
    )
    exclude = [
        (row[item_id], column[key])
        for item_id, initiative_id, goal_id in decided
        if (key := ("initiative", initiative_id) if initiative_id else ("goal", goal_id)) in column
    ]
    suggestions = [
        LinkSuggestion(
            item=item, score=round(match.score, 1), **target_fields(targets[match.target].target)
        )
        for item, matches in zip(items, rank_scores(scores, top, cut, exclude), strict=True)
        for match in matches
    ]
    # Another refresh running at the same time may have written the same pairs: keep theirs.
    LinkSuggestion.objects.bulk_create(suggestions, batch_size=500, ignore_conflicts=True)
    return Refreshed(len({s.item_id for s in suggestions}), len(suggestions))


def target_key(target: Initiative | Goal) -> tuple[str, int]:
    return ("initiative" if isinstance(target, Initiative) else "goal", target.pk)


def target_fields(target: Initiative | Goal) -> dict:
    return {"initiative": target} if isinstance(target, Initiative) else {"goal": target}


@transaction.atomic
def accept_suggestions(suggestions: Iterable[LinkSuggestion], by=None) -> int:
    """Link each item to its best suggestion among these; the item's other pending ones go.

    Returns how many items were linked.
    """
    best: dict[int, LinkSuggestion] = {}
    for suggestion in suggestions:
        if suggestion.decision != PENDING:
            continue
        kept = best.get(suggestion.item_id)
        if kept is None or suggestion.score > kept.score:
            best[suggestion.item_id] = suggestion
    for suggestion in best.values():
        suggestion.decision, suggestion.decided_at = ACCEPTED, timezone.now()
        suggestion.decided_by = by
        suggestion.save(update_fields=["decision", "decided_at", "decided_by"])
        target = suggestion.initiative or suggestion.goal
        link_work_item(suggestion.item, target, LinkedBy.SUGGESTION)
    return len(best)


@transaction.atomic
def reject_suggestions(suggestions: Iterable[LinkSuggestion], by=None) -> int:
    """Remember each pair as rejected, so it is never suggested again."""
    ids = [s.pk for s in suggestions if s.decision == PENDING]
    return LinkSuggestion.objects.filter(pk__in=ids).update(
        decision=REJECTED, decided_at=timezone.now(), decided_by=by
    )
