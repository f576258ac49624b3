"""The workspace's shared language: its terms, each with a canonical definition and each
function's own reading of it (seed 002: finance, sales and support each have their own
"customer")."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from truenorth.checkins.models import Question
from truenorth.workspaces.models import BehindFigures, Function, Person, Workspace

# Which pair a term's line, page and exports name: the flagged pair is not always the two
# functions furthest apart ("furthest two: 79" under "Engineering and Finance contradict each
# other", 76 apart, read as a contradiction), so each place says which it is.
FLAGGED_PAIR = "flagged pair"
FURTHEST_APART = "furthest apart"


class Unarchived(models.Manager):
    """The default manager: an archived term is in no list, export or jargon link; its page and
    `all_objects` still read it."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class Term(BehindFigures):
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="terms")
    name = models.CharField(max_length=100, help_text="The word or phrase, e.g. customer.")
    canonical_definition = models.TextField(
        "canonical definition", help_text="What the organisation agrees it means."
    )
    owner = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_terms",
        help_text="Who keeps the definition up to date.",
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Filled by the divergence measure (truenorth/analysis/divergence.py) from the functions'
    # readings: how far apart they are, 0–100, None until measured; `divergence_detail` keeps its
    # pairs and quotes as measured, so the glossary list never recomputes them.
    divergence = models.FloatField(null=True, blank=True, editable=False)
    divergence_detail = models.JSONField(default=dict, blank=True, editable=False)
    divergence_measured_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: models.Manager = Unarchived()  # the first manager is the default one
    all_objects = models.Manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("workspace", Lower("name"), name="unique_term_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def furthest_pair(self) -> dict | None:
        """The pair of functions the list, the page and the exports name: the flagged pair
        furthest apart, else the two furthest apart (analysis/divergence.py orders the pairs so),
        with `named_as` saying which ("flagged pair" or "furthest apart"): a pair that contradicts
        each other is flagged at any distance, so a flagged pair can be closer than one that is
        not. Without its quotes, which may be check-in answers. None below two functions."""
        pairs = (self.divergence_detail or {}).get("pairs") or []
        if not pairs:
            return None
        named = pairs[0]
        return {
            "named_as": FLAGGED_PAIR if named["reads_differently"] else FURTHEST_APART,
            "first": named["first"],
            "second": named["second"],
            "divergence": named["divergence"],
            "reads_differently": named["reads_differently"],
            "contradiction": named.get("contradiction", ""),
        }

    @property
    def flagged(self) -> bool | None:
        """Whether a pair of functions reads it as different senses or contradicts each other:
        what the glossary lists first. None below two functions."""
        named = self.furthest_pair
        return None if named is None else named["reads_differently"]

    @property
    def functions_with_a_reading(self) -> int | None:
        """How many functions the divergence compared: those with an editor's definition or
        published check-in answers above the anonymity threshold (glossary/readings.py), as
        the term's page shows them; None until measured. Not the editors' definitions alone:
        a function may have only its people's answers."""
        if self.divergence_measured_at is None:
            return None
        return len((self.divergence_detail or {}).get("functions") or [])


class Source(models.TextChoices):
    EDITOR = "editor", "Written by an editor"
    CHECKIN = "checkin", "Collected from a check-in"


class Definition(models.Model):
    """One function's own reading of a term. An editor writes at most one per function; the
    answers to a check-in's question about the term are read live (glossary.readings) with the
    anonymity threshold of the day, never copied here with their function."""

    term = models.ForeignKey(Term, models.CASCADE, related_name="definitions")
    function = models.CharField(max_length=20, choices=Function.choices)
    text = models.TextField()
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.EDITOR)
    checkin_question = models.ForeignKey(
        Question, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["function"]
        constraints = [
            models.UniqueConstraint(
                "term",
                "function",
                condition=models.Q(source="editor"),
                name="one_editor_definition_per_function",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} for {self.get_function_display()}"


class TermQuestion(models.Model):
    """A check-in question asking "In your own words, what does <term> mean in your work?"; its
    answers, grouped per function, are the term's readings once the results are published.
    Kept on the glossary's side, so check-ins know nothing of the glossary."""

    term = models.ForeignKey(Term, models.CASCADE, related_name="questions")
    question = models.OneToOneField(Question, models.CASCADE, related_name="glossary_term")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.term} in {self.question.checkin}"
