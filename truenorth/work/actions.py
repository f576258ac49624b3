"""What views and the CLI call to change work item links; each write is one short transaction."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from truenorth.analysis.embed import Encoder
from truenorth.analysis.matching import MATCH_SCORE, rank_scores
from truenorth.bulk import stamp, update_rows
from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.work.models import LinkedBy, LinkSuggestion, TrackerMapping, WorkItem
from truenorth.work.traceability import (
    MappingIndex,
    mapping_index,
    resting_on_one_word,
    suggestion_candidates,
    suggestion_targets,
    target_scores,
)
from truenorth.workspaces.figures import bump, write_planned
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
    item.save(update_fields=LINK_FIELDS)
    if target is not None or linked_by == LinkedBy.HAND:
        item.suggestions.filter(decision=PENDING).delete()
    return item


@transaction.atomic
def link_work_items(items: list[WorkItem], target: Initiative | Goal | None) -> None:
    """Link several items by hand to one target (None: to nothing), all of them or none."""
    for item in items:
        link_work_item(item, target)


# --- Tracker mappings ---


@dataclass
class Applied:
    linked: int = 0
    unlinked: int = 0


# Links a mapping leaves: an editor's (by hand, or a suggestion accepted), and the imported
# file's, which named this item's initiative or goal. A mapping is a rule for the items nothing
# says more of; overriding the file's link, then deleting the mapping, left the item orphaned.
KEPT = (LinkedBy.HAND, LinkedBy.SUGGESTION, LinkedBy.IMPORT)
LINK_FIELDS = ["initiative", "goal", "linked_by", "updated_at"]


@dataclass
class MappingPlan:
    items: list[WorkItem]  # each with the link its mapping gives it, unsaved
    applied: Applied


def apply_mappings(workspace: Workspace) -> Applied:
    """Link every item no editor or imported file linked (KEPT) to what its winning mapping
    names (see traceability.MappingIndex.winner); unlink items a mapping linked that no mapping
    matches any more. Call it after every import, and after mappings change.

    The scan of every item runs before the write transaction, which only writes (write_planned).
    """
    return write_planned(workspace, lambda: plan_mappings(workspace), save_mappings)


def plan_mappings(workspace: Workspace) -> MappingPlan:
    mapped = workspace.work_items.filter(linked_by=LinkedBy.MAPPING)
    if not workspace.tracker_mappings.exists() and not mapped.exists():
        return MappingPlan([], Applied())  # nothing to link or unlink: spare the full scan
    items = workspace.work_items.exclude(linked_by__in=KEPT).iterator(2000)
    changed, applied = follow_mappings(mapping_index(workspace), items)
    return MappingPlan(changed, applied)


def follow_mappings(index: MappingIndex, items: Iterable[WorkItem]) -> tuple[list, Applied]:
    """Give each item no editor or file linked the link its winning mapping names, in memory;
    the items whose link changed, and how many were linked and unlinked."""
    applied, changed = Applied(), []
    for item in items:
        if item.linked_by in KEPT:
            continue
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
    return changed, applied


def save_mappings(plan: MappingPlan) -> Applied:
    if plan.items:
        stamp(plan.items)
        update_rows(plan.items, LINK_FIELDS)
        bump(plan.items[0].workspace_id)  # bulk writes send no signal
        drop_pending_suggestions(plan.items)
    return plan.applied


def drop_pending_suggestions(items: Iterable[WorkItem]) -> None:
    """A mapping linked these items: their pending suggestions are moot."""
    linked_ids = [item.pk for item in items if item.linked_by == LinkedBy.MAPPING]
    LinkSuggestion.objects.filter(item_id__in=linked_ids, decision=PENDING).delete()


def add_mapping(
    workspace: Workspace, field: str, value: str, target: Initiative | Goal, source: str = ""
) -> tuple[TrackerMapping, Applied]:
    """Save a mapping, then link the items it matches (in a transaction of their own: finding
    them reads every item, and a mapping saved without them is caught up by the next apply)."""
    mapping = TrackerMapping.objects.create(
        workspace=workspace,
        source=source,
        field=field,
        value=value,
        initiative=target if isinstance(target, Initiative) else None,
        goal=target if isinstance(target, Goal) else None,
    )
    return mapping, apply_mappings(workspace)


def delete_mapping(mapping: TrackerMapping) -> Applied:
    """Delete a mapping: the items it linked are unlinked, unless another mapping matches them
    (then that one links them). As in add_mapping, the items follow in a transaction of their
    own."""
    workspace = mapping.workspace
    mapping.delete()
    return apply_mappings(workspace)


# --- Link suggestions ---


@dataclass
class Refreshed:
    items: int = 0
    suggestions: int = 0


def refresh_suggestions(
    workspace: Workspace,
    embedder: Encoder | None = None,
    top: int = SUGGESTIONS_PER_ITEM,
    cut: float = MATCH_SCORE,
) -> Refreshed:
    """Replace the pending suggestions with fresh ones for every item that supports no goal.

    Accepted and rejected suggestions stay, and a pair someone decided is never suggested again.
    The model runs before anything is written, outside any transaction: on SQLite a transaction
    holds the one write lock from its start, and every answer or page that writes meanwhile
    would wait for the model. Only replacing the pending suggestions is one short transaction.
    """
    items = list(suggestion_candidates(workspace).only("workspace", "title"))  # see unmapped_values
    targets = suggestion_targets(workspace)
    suggestions = suggest(items, targets, embedder, top, cut) if items and targets else []
    saved = replace_pending(workspace, suggestions)
    return Refreshed(len({s.item_id for s in saved}), len(saved))


def suggest(
    items: list[WorkItem], targets: list, embedder: Encoder | None, top: int, cut: float
) -> list[LinkSuggestion]:
    """The best targets for each item, unsaved, leaving out the pairs someone decided and those
    that rest on one word in common."""
    if embedder is None:
        from truenorth.embeddings.cache import cached_embedder

        embedder = cached_embedder()
    titles = [item.title for item in items]
    scores = target_scores(titles, targets, embedder)
    row = {item.pk: index for index, item in enumerate(items)}
    column = {target_key(t.target): index for index, t in enumerate(targets)}
    decided = (
        LinkSuggestion.objects.filter(item__in=items)
        .exclude(decision=PENDING)
        .values_list("item_id", "initiative_id", "goal_id")
    )
    exclude = [
        (row[item_id], column[key])
        for item_id, initiative_id, goal_id in decided
        if (key := ("initiative", initiative_id) if initiative_id else ("goal", goal_id)) in column
    ]
    # One word in common can lift a pair over the cut though the item is about something else.
    exclude += resting_on_one_word(titles, targets, scores, embedder, cut)
    return [
        LinkSuggestion(
            item=item, score=round(match.score, 1), **target_fields(targets[match.target].target)
        )
        for item, matches in zip(items, rank_scores(scores, top, cut, exclude), strict=True)
        for match in matches
    ]


@transaction.atomic
def replace_pending(workspace: Workspace, suggestions: list[LinkSuggestion]) -> list:
    """Swap the workspace's pending suggestions for these, in one short transaction.

    The suggestions were computed from what the database held before it: those for an item
    linked, or a target removed, meanwhile are dropped.
    """
    LinkSuggestion.objects.filter(item__workspace=workspace, decision=PENDING).delete()
    open_items = set(suggestion_candidates(workspace).values_list("pk", flat=True))
    goals = set(workspace.goals.values_list("pk", flat=True))
    initiatives = set(workspace.initiatives.values_list("pk", flat=True))
    kept = [
        s
        for s in suggestions
        if s.item_id in open_items and (s.goal_id in goals or s.initiative_id in initiatives)
    ]
    # A pair decided meanwhile, or written by another refresh, keeps its row: skip ours.
    LinkSuggestion.objects.bulk_create(kept, batch_size=500, ignore_conflicts=True)
    return kept


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
