"""Customer feedback in the workspace file: each item with its source's key, out and in. Who
heard it is a person, by email; who entered it a login, kept as attribution only. An editor's
word on what addresses an item (a need link) names the item by its source and key, and its
goal or initiative by the file's ref."""

from truenorth.bulk import restore_moments
from truenorth.exchange.schema import FeedbackIn, NeedLinkIn, feedback_name
from truenorth.feedback.models import FeedbackItem, NeedLink

FIELDS = set(FeedbackIn.model_fields) - {"heard_by", "created_by"}


def feedback_out(workspace) -> list[dict]:
    return [
        {
            **{name: getattr(item, name) for name in FIELDS},
            "heard_by": item.heard_by.email if item.heard_by else None,
            "created_by": item.created_by.username if item.created_by else None,
        }
        for item in workspace.feedback.order_by("pk").select_related("heard_by", "created_by")
    ]


def need_links_out(workspace, initiative_ref: dict, goal_ref: dict) -> list[dict]:
    links = NeedLink.objects.filter(item__workspace=workspace).order_by("pk")
    return [
        {
            "source": source,
            "source_key": source_key,
            "initiative": initiative_ref.get(initiative_id),
            "goal": goal_ref.get(goal_id),
            "accepted": accepted,
            "decided_by": decided_by,
            "decided_at": decided_at,
        }
        for source, source_key, initiative_id, goal_id, accepted, decided_by, decided_at in (
            links.values_list(
                "item__source",
                "item__source_key",
                "initiative_id",
                "goal_id",
                "accepted",
                "decided_by__username",
                "decided_at",
            )
        )
    ]


def import_feedback(workspace, rows: list[FeedbackIn], people: dict, users: dict) -> dict:
    """The items created, each by its name in the file ("zendesk 4812"), for the need links."""
    made = FeedbackItem.objects.bulk_create(
        [
            FeedbackItem(
                workspace=workspace,
                **row.model_dump(exclude={"heard_by", "created_by", "created_at"}),
                heard_by=people[row.heard_by] if row.heard_by else None,
                created_by=users.get(row.created_by),
            )
            for row in rows
        ],
        batch_size=500,
    )
    restore_moments(made, rows, "created_at")
    return {feedback_name(row): item for item, row in zip(made, rows, strict=True)}


def import_need_links(rows: list[NeedLinkIn], items: dict, targets: dict, users: dict) -> None:
    """`targets` maps each file ref of a goal and an initiative to what it became here.
    References were checked when the file was read."""
    made = NeedLink.objects.bulk_create(
        [
            NeedLink(
                item=items[row.item],
                initiative=targets["initiative"][row.initiative] if row.initiative else None,
                goal=targets["goal"][row.goal] if row.goal else None,
                accepted=row.accepted,
                decided_by=users.get(row.decided_by),
            )
            for row in rows
        ],
        batch_size=500,
    )
    restore_moments(made, rows, "decided_at")
