"""Each function's reading of a term: the definition an editor wrote for it, and the answers its
people gave to a check-in question about the term.

Answers are read live, never copied: only from check-ins whose results are published (by then an
anonymous check-in's responses keep only the groups its report shows), and only for functions
that pass the anonymity threshold of the day, hidden together with complementary suppression as
every check-in breakdown is (analysis/privacy.py). Quotes carry no names.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from truenorth.analysis.privacy import hidden_groups
from truenorth.checkins.models import Answer
from truenorth.glossary.models import Definition, Source, Term
from truenorth.workspaces.models import Function


@dataclass
class Reading:
    function: str
    definition: Definition | None = None  # an editor's
    quotes: list[str] = field(default_factory=list)  # answers from check-ins, no names

    @property
    def label(self) -> str:
        return Function(self.function).label

    @property
    def empty(self) -> bool:
        return self.definition is None and not self.quotes


@dataclass
class Readings:
    functions: list[Reading]
    hidden: int = 0  # answers left out: their function had fewer people than the threshold
    withheld: int = 0  # answers that may be shown, but not to this reader (without_answers)

    def without_answers(self) -> "Readings":
        """As a reader who may not read check-in results sees them (a member: check-in answers
        are read by owners, editors and executives, as the check-ins page tells them): the
        editors' definitions only, and how many answers there are."""
        kept = [Reading(r.function, r.definition) for r in self.functions]
        return Readings(kept, self.hidden, sum(len(r.quotes) for r in self.functions))

    def texts(self) -> dict[str, list[str]]:
        """Each function's texts (its editor's definition first): what divergence compares."""
        return {
            r.function: ([r.definition.text] if r.definition else []) + r.quotes
            for r in self.functions
            if not r.empty
        }


def readings(term: Term) -> Readings:
    """Every function of the workspace's people, and any other with a reading, in menu order."""
    editor = {d.function: d for d in term.definitions.filter(source=Source.EDITOR)}
    quotes, hidden = shown_answers(term)
    present = set(
        term.workspace.people.exclude(function=Function.PARTNER).values_list("function", flat=True)
    )
    wanted = present | set(editor) | set(quotes)
    functions = [
        Reading(f, editor.get(f), quotes.get(f, [])) for f in Function.values if f in wanted
    ]
    return Readings(functions, hidden)


def shown_answers(term: Term) -> tuple[dict[str, list[str]], int]:
    """The published answers about the term per function, those under the threshold left out,
    and how many were left out. Each question is its own breakdown, as in its report."""
    threshold = term.workspace.anonymity_threshold
    answers = (
        Answer.objects.filter(
            question__glossary_term__term=term,
            question__checkin__finalised_at__isnull=False,
        )
        .exclude(text="")
        .order_by("question_id", "id")
        .values_list("question_id", "response__function", "text")
    )
    per_question: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for question, function, text in answers:
        per_question[question][function].append(text.strip())
    shown: dict[str, list[str]] = defaultdict(list)
    hidden = 0
    for groups in per_question.values():
        too_few = hidden_groups({f: len(t) for f, t in groups.items()}, threshold)
        for function, texts in groups.items():
            # '' is an answer whose function its published report could not show.
            if function in too_few or not function:
                hidden += len(texts)
            else:
                shown[function].extend(texts)
    return dict(shown), hidden
