"""Customer feedback: the needs and requests customers voice, from the sources teams already
have (a support desk's export, app-store reviews, interview notes, what sales and marketing
hear in the field), so the market level of alignment can be measured: which needs the roadmap
addresses, and which it does not (seed 002: "understanding your customer or end users' needs").

Feedback is the organisation's own record of what customers said: everyone inside the
organisation reads it, partners nothing of it. It is never an employee's answer, so the
anonymity threshold does not apply to it; an account's name is shown as the source gave it.
"""

from django.conf import settings
from django.db import models

from truenorth.roadmap.models import Initiative
from truenorth.strategy.models import Goal
from truenorth.workspaces.models import BehindFigures, Person, Workspace


class Source(models.TextChoices):
    """Where an item came from; with its key there, importing again updates it in place."""

    ZENDESK = "zendesk", "Zendesk"
    FRESHDESK = "freshdesk", "Freshdesk"
    INTERCOM = "intercom", "Intercom"
    APP_REVIEW = "app_review", "App-store review"
    INTERVIEW = "interview", "Interview notes"
    FIELD = "field", "Field note"  # heard by sales or marketing, entered in the app or imported


class Kind(models.TextChoices):
    """What the customer said, as the source or the person who heard it files it."""

    REQUEST = "request", "Feature request"
    PROBLEM = "problem", "Problem or bug"
    NEED = "need", "Need"  # an interview's or a review's unfiled need
    OBJECTION = "objection", "Objection"
    COMPARISON = "comparison", "Competitor comparison"
    PRAISE = "praise", "Praise"
    QUESTION = "question", "Question"


class Value(models.TextChoices):
    """The kind of value a need is about (seed 002): what it lets the user do, or how it makes
    them feel (safe, confident, in control, seen)."""

    FUNCTIONAL = "functional"
    PSYCHOLOGICAL = "psychological"


class FeedbackItem(BehindFigures):
    """One thing a customer said: their words (the quote a page shows), who said it (account,
    segment, the account's value for weighting) and when."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="feedback")
    source = models.CharField(max_length=12, choices=Source.choices)
    source_key = models.CharField(max_length=200)  # the ticket's, review's or note's key there
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NEED)
    title = models.CharField(max_length=300, blank=True)  # a ticket's subject, a review's title
    text = models.TextField()
    account = models.CharField(max_length=200, blank=True)
    segment = models.CharField(max_length=100, blank=True, help_text="e.g. Enterprise, SMB")
    account_value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What the account is worth a year (e.g. ARR), to weigh demand by value.",
    )
    received_on = models.DateField()
    heard_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="feedback_heard"
    )
    competitor = models.CharField(max_length=200, blank=True)  # a comparison's competitor
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # a review's stars, 1-5
    url = models.URLField(max_length=500, blank=True)
    # An editor's word on the kind of value the need is about; blank: the model's suggestion.
    value = models.CharField(max_length=13, choices=Value.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source", "source_key"], name="one_feedback_item_per_key"
            )
        ]
        indexes = [models.Index(fields=["workspace", "received_on"])]

    def __str__(self) -> str:
        return self.title or self.text[:80]


class NeedLink(models.Model):
    """An editor's word on whether a goal or an initiative addresses one item's need: accepted
    (it does, whatever the model says) or rejected (it does not, never suggested again). Given
    for a theme, it is kept for each of the theme's items, so it outlives the themes, which are
    grouped afresh whenever the feedback changes."""

    item = models.ForeignKey(FeedbackItem, models.CASCADE, related_name="links")
    initiative = models.ForeignKey(
        Initiative, models.CASCADE, null=True, blank=True, related_name="need_links"
    )
    goal = models.ForeignKey(Goal, models.CASCADE, null=True, blank=True, related_name="need_links")
    accepted = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=True) ^ models.Q(goal__isnull=True),
                name="need_link_to_one_target",
            ),
            models.UniqueConstraint(
                fields=["item", "initiative"],
                condition=models.Q(initiative__isnull=False),
                name="one_word_per_item_and_initiative",
            ),
            models.UniqueConstraint(
                fields=["item", "goal"],
                condition=models.Q(goal__isnull=False),
                name="one_word_per_item_and_goal",
            ),
        ]

    def __str__(self) -> str:
        target = self.initiative or self.goal
        return f"{self.item_id} {'addressed' if self.accepted else 'not addressed'} by {target}"
