"""The decision log in the workspace file: decisions with their links and comments, out and in.

Back-briefs ("What did you hear?") stay with their check-ins: a check-in is not in the file."""

from truenorth.bulk import restore_moments
from truenorth.decisions.models import Comment, Decision
from truenorth.exchange.schema import CommentIn, DecisionIn

PLAIN = {"title", "question", "context", "category", "outcome", "rationale", "consequences"}
PLAIN |= {"status", "raised_on", "decided_on", "closed_on", "shared_with_partners", "created_at"}
PLAIN |= {"reversed_because"}
PEOPLE_ROLES = ("deciders", "consulted", "informed")


def decisions_out(workspace, goal_ref: dict, initiative_ref: dict) -> list[dict]:
    decisions = (
        workspace.decisions.order_by("number")
        .select_related("owner", "supersedes")
        .prefetch_related(*PEOPLE_ROLES, "goals", "initiatives", "blocks", "comments__author")
    )
    return [decision_out(d, goal_ref, initiative_ref) for d in decisions]


def decision_out(d: Decision, goal_ref: dict, initiative_ref: dict) -> dict:
    return dict(
        number=d.number,
        **{name: getattr(d, name) for name in PLAIN},
        options=d.options,
        owner=d.owner.email if d.owner_id else None,
        **{role: [p.email for p in getattr(d, role).all()] for role in PEOPLE_ROLES},
        goals=[goal_ref[g.pk] for g in d.goals.all()],
        initiatives=[initiative_ref[i.pk] for i in d.initiatives.all()],
        blocks=[initiative_ref[i.pk] for i in d.blocks.all()],
        supersedes=d.supersedes.number if d.supersedes_id else None,
        comments=[
            dict(
                {n: getattr(c, n) for n in CommentIn.model_fields if n != "author"},
                author=c.author.email if c.author_id else None,
            )
            for c in d.comments.all()
        ],
    )


def import_decisions(workspace, rows: list[DecisionIn], people, goals, initiatives) -> None:
    """The file's decisions, numbers kept; then what each supersedes (it may come later in the
    file). References were checked when the file was read."""
    made = {}
    for row in rows:
        values = row.model_dump(include=PLAIN)
        created_at = values.pop("created_at")
        decision = Decision.objects.create(
            workspace=workspace,
            number=row.number,
            options=[o.model_dump() for o in row.options],
            owner=people[row.owner] if row.owner else None,
            **values,
        )
        if created_at is not None:  # auto_now_add set it on insert
            Decision.objects.filter(pk=decision.pk).update(created_at=created_at)
        for role in PEOPLE_ROLES:
            getattr(decision, role).set(people[email] for email in getattr(row, role))
        decision.goals.set(goals[ref] for ref in row.goals)
        decision.initiatives.set(initiatives[ref] for ref in row.initiatives)
        decision.blocks.set(initiatives[ref] for ref in row.blocks)
        made[row.number] = decision
        import_comments(decision, row.comments, people)
    for row in rows:
        if row.supersedes is not None:
            Decision.objects.filter(pk=made[row.number].pk).update(supersedes=made[row.supersedes])


def import_comments(decision: Decision, rows: list[CommentIn], people) -> None:
    comments = Comment.objects.bulk_create(
        Comment(
            decision=decision,
            author=people[row.author] if row.author else None,
            **row.model_dump(exclude={"author", "created_at"}),
        )
        for row in rows
    )
    restore_moments(comments, rows, "created_at")
