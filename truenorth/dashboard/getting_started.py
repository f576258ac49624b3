"""The first steps of a new workspace, each ticked off by the data it leaves behind.

vision → goals → people → work → first pulse: each later page means more once the earlier ones
are filled (a pulse compares answers with the vision and the goals). Nothing is stored about
the path itself: a step is done when its data exists, however it got there (a page, an import,
the CLI), so it can never disagree with the workspace.
"""

from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from truenorth.checkins.models import Delivery, Invitation, Response
from truenorth.strategy.models import Goal, Vision
from truenorth.work import runs
from truenorth.work.models import ImportRun, WorkItem
from truenorth.workspaces import progress
from truenorth.workspaces.models import Person, Workspace


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    what: str  # what it adds, for those who read the sentence instead of the steps
    how: str  # one sentence: what doing it gives
    url: str
    done: bool
    # Under way in the background ("Sending queued"): the step then links to that work rather
    # than offer to do it again.
    waiting: str = ""


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
    """The steps in order, each with whether it is done and where it is done, or, while it is
    under way in the background, what it waits for and where to see it."""
    done = done_steps(workspace)
    steps = [
        Step(name, label, what, how, reverse(page, args=[workspace.slug]), bool(done[name]))
        for name, (label, what, how, page) in STEPS.items()
    ]
    return [step if step.done else under_way(workspace, step) for step in steps]


def under_way(workspace: Workspace, step: Step) -> Step:
    """A step not done yet whose work waits for a worker or is being done: an import of work
    items queued or running (or stopped with its worker), or a check-in's links queued or going
    out."""
    slug = workspace.slug
    if step.name == "work":
        unfinished = [ImportRun.State.QUEUED, ImportRun.State.RUNNING]
        if run := workspace.import_runs.filter(state__in=unfinished).first():
            waits = import_waits(run)
            return replace(step, waiting=waits, url=reverse("work_import_run", args=[slug, run.pk]))
    if step.name == "pulse":
        now = timezone.now()
        open_now = workspace.checkins.filter(opens_at__lte=now, closes_at__gt=now)
        sending = progress.under_way("sending", list(open_now.values_list("pk", flat=True)))
        if sending:
            checkin, state = next(iter(sending.items()))
            waits = "Sending queued" if state.get("waiting") else "Sending now"
            return replace(step, waiting=waits, url=reverse("checkin", args=[slug, checkin]))
    return step


def import_waits(run: ImportRun) -> str:
    """An unfinished import in the words of its run's page, which asks runs.stopped too."""
    if run.state == ImportRun.State.QUEUED:
        return "An import is waiting for a worker"
    if runs.stopped(run):
        return "The import stopped before it finished"
    return "An import is under way"


def still_to_do(steps: list[Step]) -> str:
    """ "the goals, the work and the first pulse": what is left, as words in a sentence."""
    left = [step.what for step in steps if not step.done]
    return " and ".join([", ".join(left[:-1]), left[-1]]) if len(left) > 1 else "".join(left)


def being_set_up(left: str) -> str:
    """What those who cannot take the steps read instead, `left` being still_to_do's words."""
    return (
        f"This workspace is still being set up: its owner and editors are adding {left}. "
        "What is here already is up to date."
    )
