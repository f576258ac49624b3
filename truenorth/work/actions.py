from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.work.models import WorkItem


def link_work_item(item: WorkItem, target: Initiative | Goal | None) -> WorkItem:
    """Link an item to an initiative or straight to a goal; None unlinks it."""
    item.initiative = target if isinstance(target, Initiative) else None
    item.goal = target if isinstance(target, Goal) else None
    item.save(update_fields=["initiative", "goal"])
    return item
