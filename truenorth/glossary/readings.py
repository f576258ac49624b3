"""Each function's reading of a term: the definition an editor wrote for it, and the answers its
people gave to a check-in question about the term.

Answers are read live, never copied: only from check-ins whose results are published, and per
question only for the functions its published report shows (cut to the anonymity threshold of
the day), each with exactly the answers the report counted for it. An anonymous check-in's
responses keep only labels shared by enough people, so a function's stored answers can be fewer
than its report's group (someone in a rare team lost theirs): its quotes beside the report's
figure would then tell that one person's answer by subtraction, so they are not shown. Functions
left are hidden again with complementary suppression, as every breakdown is
(analysis/privacy.py). A function's answers are all measured, and quoted, without names, only
where their reading is shared by the threshold (Readings.quoted), as a report's themes are.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from truenorth.analysis import cluster
from truenorth.analysis.embed import Encoder
from truenorth.analysis.privacy import hidden_groups
from truenorth.analysis.report import at_threshold
from truenorth.checkins.models import Answer, Report
from truenorth.glossary.models import Definition, Source, Term
from truenorth.workspaces.models import Function


@dataclass
class Reading:
    function: str
    definition: Definition | None = None  # an editor's
    answers: list[str] = field(default_factory=list)  # from check-ins: what divergence compares
    # Those answers a page may quote, no names: once `quoted` has read them, the ones whose
    # reading at least the threshold share, as the answer page promises.
    quotes: list[str] = field(default_factory=list)
    # Its people answered in a check-in, but this reader may not read the answers (without_answers):
    # they still make it a function with a reading, measured in the term's divergence.
    answers_withheld: bool = False

    @property
    def label(self) -> str:
        return Function(self.function).label

    @property
    def empty(self) -> bool:
        return self.definition is None and not self.answers and not self.answers_withheld

    @property
    def answered(self) -> bool:
        """Whether its people's answers from a check-in count in its reading."""
        return bool(self.answers) or self.answers_withheld

    @property
    def unquoted(self) -> int:
        return len(self.answers) - len(self.quotes)


@dataclass
class Readings:
    functions: list[Reading]
    hidden: int = 0  # answers left out: their function had fewer people than the threshold
    withheld: int = 0  # answers that may be shown, but not to this reader (without_answers)

    def without_answers(self) -> "Readings":
        """As a reader who may not read check-in results sees them (a member: check-in answers
        are read by owners, editors and viewers, as the check-ins page tells them): the
        editors' definitions only, and how many answers there are."""
        kept = [
            Reading(r.function, r.definition, answers_withheld=bool(r.answers))
            for r in self.functions
        ]
        return Readings(kept, self.hidden, sum(len(r.answers) for r in self.functions))

    def quoted(self, threshold: int, embedder: Encoder) -> "Readings":
        """As a reader of check-in results sees them: each function's answers quoted only where
        their reading (analysis.cluster, the same cut as a theme's readings) is shared by at
        least `threshold` of them. A function of five people whose answers all differ is
        measured, and quoted nowhere: each answer would be one person's words."""
        for reading in self.functions:
            reading.quotes = shared_readings(reading.answers, threshold, embedder)
        return self

    def quotable(self) -> dict[str, list[str]]:
        """Each function's texts a page may quote: its editor's definition and, once `quoted`
        has read them, the answers whose reading the threshold shares."""
        return {
            r.function: ([r.definition.text] if r.definition else []) + r.quotes
            for r in self.functions
        }

    def texts(self) -> dict[str, list[str]]:
        """Each function's texts (its editor's definition first): what divergence compares."""
        return {
            r.function: ([r.definition.text] if r.definition else []) + r.answers
            for r in self.functions
            if not r.empty
        }


def shared_readings(answers: list[str], threshold: int, embedder: Encoder) -> list[str]:
    """The answers, in their order, whose reading at least `threshold` of them share."""
    if len(answers) < threshold:
        return []
    groups = cluster.interpretations(embedder.encode(answers), answers)
    shared = {m for group in groups if group.size >= threshold for m in group.members}
    return [text for n, text in enumerate(answers) if n in shared]


def readings(term: Term) -> Readings:
    """Every function of the workspace's people, and any other with a reading, in menu order."""
    editor = {d.function: d for d in term.definitions.filter(source=Source.EDITOR)}
    answers, hidden = shown_answers(term)
    present = set(
        term.workspace.people.exclude(function=Function.PARTNER).values_list("function", flat=True)
    )
    wanted = present | set(editor) | set(answers)
    functions = [
        Reading(f, editor.get(f), answers.get(f, [])) for f in Function.values if f in wanted
    ]
    return Readings(functions, hidden)


def shown_answers(term: Term) -> tuple[dict[str, list[str]], int]:
    """The published answers about the term per function, as each question's report shows that
    function (see above), and how many answers were left out. Each question is its own
    breakdown, as in its report."""
    threshold = term.workspace.anonymity_threshold
    answers = (
        Answer.objects.filter(
            question__glossary_term__term=term,
            question__checkin__finalised_at__isnull=False,
        )
        .order_by("question_id", "id")
        .values_list("question__checkin_id", "question__position", "response__function", "text")
    )
    per_question: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for checkin, position, function, text in answers:
        if text.strip():  # as the report counts them
            per_question[checkin, f"q{position}"][function].append(text.strip())
    reported = reported_function_sizes({checkin for checkin, _ in per_question}, threshold)
    shown: dict[str, list[str]] = defaultdict(list)
    hidden = 0
    for question, groups in per_question.items():
        as_reported = reported.get(question, {})
        kept = {f: texts for f, texts in groups.items() if as_reported.get(f) == len(texts)}
        too_few = hidden_groups({f: len(texts) for f, texts in kept.items()}, threshold)
        for function, texts in groups.items():
            if function in kept and function not in too_few:
                shown[function].extend(texts)
            else:
                hidden += len(texts)
    return dict(shown), hidden


def reported_function_sizes(checkins: set[int], threshold: int) -> dict[tuple, dict[str, int]]:
    """(check-in, question key) → each function its published report shows for that question,
    cut to today's threshold, with the number of answers the report counted in it."""
    sizes = {}
    for checkin, data in Report.objects.filter(checkin__in=checkins).values_list(
        "checkin_id", "data"
    ):
        for section in at_threshold(data, threshold).get("questions", []):
            groups = section.get("by", {}).get("function", {}).get("groups", [])
            sizes[checkin, section["key"]] = {g["name"]: g["n"] for g in groups}
    return sizes
