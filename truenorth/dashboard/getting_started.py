"""The first steps of a new workspace, each ticked off by the data it leaves behind.

vision → goals → people → work → first pulse: each later page means more once the earlier ones
are filled (a pulse compares answers with the vision and the goals). Nothing is stored about
the path itself: a step is done when its data exists, however it got there (a page, an import,
the CLI), so it can never disagree with the workspace.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse

from truenorth.checkins.models import Delivery, Invitation, Response
from truenorth.strategy.models import Goal, Vision
from truenorth.work.models import WorkItem
from truenorth.workspaces.models import Person, Workspace


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    what: str  # what it adds, for those who read the sentence instead of the steps
    how: str  # one sentence: what doing it gives
    url: str
    done: bool


# name → (label, what it adds, why, the page where it is done)
STEPS = {
    "vision": (
        "Publish the vision",
        "the vision",
        "Where the product is going, and how you will know.",
        "edit_vision",
    ),
    "goals": ("Set the goals", "the goals", "What should change this period, ranked.", "new_goal"),
    "people": (
        "Add the people",
        "the people",
        "Who builds, sells and supports it, by team and function.",
        "import_people",
    ),
    "work": (
        "Bring in the work",
        "the work",
        "A tracker export, so work can be traced to the goals.",
        "work_import",
    ),
    "pulse": (
        "Send the first pulse",
        "the first pulse",
        "People say the vision back in their own words.",
        "new_checkin",
    ),
}


def in_workspace(model, **extra) -> Exists:
    return Exists(model.objects.filter(workspace=OuterRef("pk"), **extra))


def done_steps(workspace: Workspace) -> dict[str, bool]:
    """Which steps the workspace's data shows done, in one query."""
    sent = Invitation.objects.filter(
        checkin__workspace=OuterRef("pk"), status__in=[Delivery.SENT, Delivery.HANDED_OUT]
    )
    # Answers imported from another survey tool count as a pulse sent.
    answered = Response.objects.filter(checkin__workspace=OuterRef("pk"))
    # Named has_*: "goals" and "people" are the workspace's own relations.
    flags = Workspace.objects.filter(pk=workspace.pk).annotate(
        has_vision=in_workspace(Vision),
        has_goals=in_workspace(Goal),
        has_people=in_workspace(Person),
        has_work=in_workspace(WorkItem),
        has_sent=Exists(sent),
        has_answers=Exists(answered),
    )
    names = ["vision", "goals", "people", "work", "sent", "answers"]
    found = flags.values(*(f"has_{name}" for name in names)).first()
    found = {name.removeprefix("has_"): value for name, value in found.items()}
    return {**found, "pulse": found["sent"] or found["answers"]}


def getting_started(workspace: Workspace) -> list[Step]:
    """The steps in order, each with whether it is done and where it is done."""
    done = done_steps(workspace)
    return [
        Step(name, label, what, how, reverse(page, args=[workspace.slug]), bool(done[name]))
        for name, (label, what, how, page) in STEPS.items()
    ]


def still_to_do(steps: list[Step]) -> str:
    """ "the goals, the work and the first pulse": what is left, as words in a sentence."""
    left = [step.what for step in steps if not step.done]
    return " and ".join([", ".join(left[:-1]), left[-1]]) if len(left) > 1 else "".join(left)
