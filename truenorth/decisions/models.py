from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.workspaces.models import BehindFigures, Person, Workspace


class Status(models.TextChoices):
    PROPOSED = "proposed"
    DECIDED = "decided"
    SUPERSEDED = "superseded"
    REVERSED = "reversed"


def open_for(days: int) -> str:
    """An open decision's wait in words: "Raised today", "Open for 1 day", "Open for 5 days"."""
    if days < 1:
        return "Raised today"
    return f"Open for {days} day{'' if days == 1 else 's'}"


# What each status tells a reader who lands on the record.
STATUS_MEANING = {
    Status.PROPOSED: "Open: not decided yet.",
    Status.DECIDED: "Decided: this is the direction.",
    Status.SUPERSEDED: "Replaced by a later decision.",
    Status.REVERSED: "Taken back: this is no longer the direction.",
}


class Decision(BehindFigures):
    """A decision record in the MADR layout: the question, the options weighed, what was decided
    and why. Numbered 1..n per workspace (decisions.actions.add_decision) so people can say
    "decision 12"."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=300)
    question = models.TextField(help_text="What has to be decided, as a question.")
    context = models.TextField(blank=True, help_text="Why this needs deciding, and now.")
    category = models.CharField(
        "kind",
        max_length=60,
        blank=True,
        help_text="e.g. pricing, architecture, hiring: speed figures are kept per kind.",
    )
    # Each option: {"name": str, "pros": str, "cons": str}.
    options = models.JSONField(default=list, blank=True)
    outcome = models.TextField("the decision", blank=True)
    rationale = models.TextField(blank=True, help_text="Why this option over the others.")
    consequences = models.TextField(
        "trade-offs and consequences", blank=True, help_text="What we give up and what follows."
    )
    owner = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="owned_decisions"
    )
    deciders = models.ManyToManyField(Person, blank=True, related_name="decisions_decided")
    consulted = models.ManyToManyField(Person, blank=True, related_name="decisions_consulted")
    informed = models.ManyToManyField(Person, blank=True, related_name="decisions_informed")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    raised_on = models.DateField("raised on")
    decided_on = models.DateField("decided on", null=True, blank=True)
    # The day it was superseded or reversed (decided_on stays the day it was first decided).
    closed_on = models.DateField(null=True, blank=True)
    # A reversal says why: the log keeps what was learned, not only that the decision went.
    reversed_because = models.TextField("why it was reversed", blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="decisions")
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="decisions")
    # Initiatives waiting on this decision: what an open decision holds up.
    blocks = models.ManyToManyField(Initiative, blank=True, related_name="blocked_by_decisions")
    supersedes = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    # Partners see the record (no comments, no people's names) only when this is set.
    shared_with_partners = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint("workspace", "number", name="unique_decision_number")
        ]

    def __str__(self) -> str:
        return f"Decision {self.number}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == Status.PROPOSED

    @property
    def open_for(self) -> str:
        """How long it has been open, as the pages say it: "Raised today", "Open for 1 day"."""
        return open_for((timezone.localdate() - self.raised_on).days)

    @property
    def status_meaning(self) -> str:
        return STATUS_MEANING[Status(self.status)]

    @property
    def taken_back(self) -> bool:
        """Whether it was decided and no longer holds: superseded or reversed since."""
        return self.status in (Status.SUPERSEDED, Status.REVERSED)

    @property
    def standing(self) -> str:
        """Where it stands, as a repeated question names it: "decided 3 Sep 2026, reversed 7
        Nov 2026", "decided 3 Mar 2026", "still open"."""
        if not self.decided_on:
            return "still open" if self.is_open else self.get_status_display().lower()
        said = f"decided {date_format(self.decided_on)}"
        if self.taken_back and self.closed_on:
            said += f", {self.get_status_display().lower()} {date_format(self.closed_on)}"
        return said


class Kind(models.TextChoices):
    """What a comment is: confusion, disagreement, or agreement (seed 003: tell them apart)."""

    UNSORTED = "", "not sorted yet"
    QUESTION = "question"
    OBJECTION = "objection"
    SUPPORT = "support"
    # No real words ("asdf", "xxxx"): it takes no side (decisions.actions.has_real_words).
    UNCLEAR = "unclear"


# The longest comment taken (about two pages): a comment, not a document pasted in.
MAX_COMMENT_CHARS = 5000


class KindBy(models.TextChoices):
    UNSORTED = "", "nobody yet"
    MODEL = "model", "the classifier"
    PERSON = "person", "a person"
    # The comment states its stance ("I object: …", "+1", "disagree and commit"): no model asked.
    WORDS = "words", "its own words"


class Comment(models.Model):
    """Something said about a decision. Its kind is filled by the comment classifier
    (analysis/stance.py) or set by a person; "disagree and commit" is the author's own stance."""

    decision = models.ForeignKey(Decision, models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="decision_comments"
    )
    # The login that wrote it, when it is not (or not only) a person of the workspace.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, blank=True, default="")
    kind_by = models.CharField(max_length=6, choices=KindBy.choices, blank=True, default="")
    # The classifier's confidence in `kind` (0-1); null when a person or the comment's own words
    # set it, or none ran.
    kind_confidence = models.FloatField(null=True, blank=True)
    disagree_and_commit = models.BooleanField(
        "disagree and commit",
        default=False,
        help_text="I disagree, and I commit to the decision all the same.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision}: {self.text[:60]}"

    @property
    def author_name(self) -> str:
        if self.author_id:
            return self.author.name
        if self.written_by_id:
            return self.written_by.get_full_name() or self.written_by.get_username()
        return "someone"

    @property
    def kind_is_own_stance(self) -> bool:
        """An objection because its author disagrees and commits, not because anyone sorted it."""
        return (
            self.disagree_and_commit
            and self.kind == Kind.OBJECTION
            and self.kind_by == KindBy.PERSON
        )


class BackBrief(models.Model):
    """ "What did you hear?" (seed 002): a check-in asking the people informed of a decision to
    say in their own words what was decided and why (decisions.backbrief)."""

    decision = models.ForeignKey(Decision, models.CASCADE, related_name="backbriefs")
    checkin = models.OneToOneField(
        "checkins.CheckIn", models.CASCADE, related_name="decision_backbrief"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Back-brief of {self.decision}"

    def asked_words(self) -> str:
        """Whom it really asked, in words: the people informed of the decision, or, where
        none of them was asked (nobody was listed as informed when it was sent), the people
        who decided or were consulted (decisions.backbrief.recipients)."""
        asked = self.checkin.invitations.values("person")
        if self.decision.informed.filter(pk__in=asked).exists():
            return f"the people informed of decision {self.decision.number}"
        return f"the people who decided or were consulted on decision {self.decision.number}"
