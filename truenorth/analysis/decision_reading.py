"""What people heard of a decision: back-brief answers read part by part, and repeated questions.

Seed 002: "What did you hear?" After a decision, the people informed say in their own words what
was decided and why. Each answer is read against the decision's parts with the measures the
vision uses (fidelity.py, relation.py): what was decided (the outcome), why (the rationale) and,
when the record has them, what it means for you (the consequences). A part is conveyed, partly
conveyed, contradicted or missed.

One rule is added for decisions. The relation classifier, trained on picture captions, does not
see that "we are keeping the old vendor" reverses "we are moving to the new vendor": both are
about the vendor, and the embedding puts them close. A decision is most often misheard exactly
that way, as its opposite, so, as quantities.py does for numbers, a rule reads it without a
model: a clause that restates the outcome's topic (score at least relation.SHARES_DETAILS) but
keeps what the outcome changes, or changes what it keeps ("not moving" keeps), contradicts it.
So does one that moves it the other way: "from Docuread to Scanly" against "from Scanly to
Docuread" (moves()).
An update's back-brief (updates.backbrief) is read the same way: its narrative states what
happened, as a decision's outcome states what was decided (STATEMENTS).

A question raised again (seed 002: "Wait, didn't we just have a meeting about this?") is found by
meaning: an earlier decision whose question scores at least REPEATED_SCORE against the new one.
The cut is chosen on labelled pairs by benchmarks/repeated_questions.py (docs/decisions.md).
"""

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from truenorth.analysis import fidelity, relation
from truenorth.analysis.privacy import effective_threshold, reportable
from truenorth.analysis.relation import Relation
from truenorth.analysis.score import score_matrix

Embed = Callable[[Sequence[str]], np.ndarray]

PART_LABELS = {
    "outcome": "what was decided",
    "rationale": "why",
    "consequences": "what it means for you",
}
QUESTION = "In your own words, what was decided and why?"
# The parts that state what was decided or what happened, which the reversal rule reads, and
# what its reason calls them: a decision's outcome, an update's narrative.
STATEMENTS = {"outcome": "the decision", "narrative": "the update"}
# Chosen on the fitting half of benchmarks/data/repeated_questions.csv (docs/decisions.md).
REPEATED_SCORE = 60.0

# Words that change something, and words that keep it as it is. A negation flips a clause's
# stance: "not moving" keeps, "not keeping" changes.
CHANGES = re.compile(
    r"\b(?:mov|switch|migrat|replac|chang|leav|drop|stop|retir|remov|abandon|sunset|cancel|"
    r"discontinu|phas(?:e|ing) out|shut|kill|scrap|ditch|deprecat)\w*",
    re.IGNORECASE,
)
KEEPS = re.compile(
    r"\b(?:keep|kept|stay|retain|continu|stick|stuck|remain|maintain|preserv|hold on)\w*",
    re.IGNORECASE,
)


def decision_parts(outcome: str, rationale: str, consequences: str = "") -> dict[str, str]:
    """The parts a back-brief is read against, leaving out empty ones, in their natural order."""
    given = {"outcome": outcome, "rationale": rationale, "consequences": consequences}
    return {name: text.strip() for name, text in given.items() if text and text.strip()}


def summary_of(parts: dict[str, str]) -> str:
    """The whole decision in one text: restating it whole conveys it as surely as a part."""
    return " ".join(parts.values())


def stance(clause: str) -> int:
    """+1 when the clause changes something, -1 when it keeps something, 0 when it says neither
    (or both)."""
    changes, keeps = bool(CHANGES.search(clause)), bool(KEEPS.search(clause))
    if changes == keeps:
        return 0
    said = 1 if changes else -1
    return -said if relation.negations(clause) else said


def reversal(outcome_clause: str, clause: str, said_by: str = "the decision") -> str:
    """Why `clause` reverses `outcome_clause`, or '' when it does not."""
    source, restated = stance(outcome_clause), stance(clause)
    if source == 0 or restated == 0 or source == restated:
        return swapped(outcome_clause, clause, said_by)
    does = {1: "changes", -1: "keeps"}
    return f"{said_by} {does[source]} it, this {does[restated]} it"


# The ways a clause says where something goes, each with the end named before and after its
# words: "from A to B", "replace A with B", "A replaced by B", "B replaces A", "B instead of A",
# and, naming only where it goes, "move … to B". The first that matches is read. Not "switch A
# for B": its "for" as often says what for ("we switched payment vendors for supplier payouts").
Move = tuple[str, str]  # (from, to); '' where the clause does not say
MOVES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bfrom\s+(?P<old>.+?)\s+to\s+(?P<new>.+)",
        r"\breplac(?:e|es|ed|ing)\s+(?P<old>.+?)\s+with\s+(?P<new>.+)",
        r"(?P<old>.+?)\s+replaced\s+(?:by|with)\s+(?P<new>.+)",
        r"(?P<new>.+?)\s+replac(?:es|ed)\s+(?P<old>.+)",
        r"(?P<new>.+?)\s+instead\s+of\s+(?P<old>.+)",
        r"\b(?:mov|switch|migrat|shift|transfer)\w*\s+(?:.+?\s+)?to\s+(?P<new>.+)",
    )
]
# Words that end an end's name ("Docuread by March" is Docuread), and words too common to tell
# two ends apart ("the old vendor" and "our old vendor" are one end).
BOUND = re.compile(
    r"by|in|on|at|for|from|to|into|onto|before|after|until|till|this|next|last|because|since|and|"
    r"or|but|so|as|with|instead|when|while|within|during|over|of|is|are|was|were|be|been|being|"
    r"will|would|shall|should|can|could|may|might|must|do|does|did|has|have|had|we|i|you|they|"
    r"he|she|it|us|them|now|then|still|also|back|only|just|use[sd]?|using|go|goes|went|going|"
    r"gets?|got|that|which|who|where",
    re.IGNORECASE,
)
ARTICLES = re.compile(r"the|an?|our|its|their|your|my|his|her|each|every|all|any|some", re.I)


def _words(text: str) -> list[str]:
    return [w.strip(".,;:!?\"'()") for w in text.split()]


def _is_bound(word: str) -> bool:
    return bool(BOUND.fullmatch(word) or CHANGES.match(word) or KEEPS.match(word))


def _name(words: list[str], most: int) -> str:
    """The end named at the start of `words`: past the verbs and prepositions that lead to it, up
    to the first word that ends it, at most `most` words besides articles."""
    while words and _is_bound(words[0]):
        words = words[1:]
    name: list[str] = []
    for word in words:
        if not word or _is_bound(word) or sum(not ARTICLES.fullmatch(w) for w in name) == most:
            break
        name.append(word)
    return " ".join(name)


def _head(text: str) -> str:
    return _name(_words(re.split(r"[,;:.!?]", text)[0]), 3)


def _tail(text: str) -> str:
    # Before a keyword the words run back into the clause's subject, so fewer are taken.
    return " ".join(reversed(_name(_words(text)[::-1], 2).split()))


def moves(clause: str) -> Move | None:
    """Where the clause moves something, from and to ('' for an end it does not name), or None
    when it says no such thing."""
    for pattern in MOVES:
        found = pattern.search(clause)
        if found:
            move = (_end(found, "old"), _end(found, "new"))
            return move if any(_keys(end) for end in move) else None
    return None


def _end(found: re.Match[str], group: str) -> str:
    """One end's name: the words before the pattern's keyword end with it, those after begin with
    it."""
    words = found.groupdict().get(group)
    if words is None:
        return ""
    return _tail(words) if found.start(group) == found.start() else _head(words)


def _keys(end: str) -> set[str]:
    words = (w.lower().removesuffix("'s").removesuffix("’s") for w in _words(end))
    return {w for w in words if w and not ARTICLES.fullmatch(w) and not _is_bound(w)}


def swapped(outcome_clause: str, clause: str, said_by: str = "the decision") -> str:
    """Why `clause` moves something the other way from `outcome_clause` ("from Docuread to
    Scanly" against "from Scanly to Docuread"), or '' when it does not. Each end the clause names
    is matched with the outcome's ends by the words only one of them has ("old", not "vendor",
    tells "the old vendor" from "the new vendor"): it reverses when, all told, its ends lean to
    the outcome's opposite ones. A negated clause is left to the stance rule."""
    source, restated = moves(outcome_clause), moves(clause)
    if source is None or restated is None:
        return ""
    if relation.negations(outcome_clause) or relation.negations(clause):
        return ""
    old, new = _keys(source[0]), _keys(source[1])
    only_old, only_new = old - new, new - old
    said_from, said_to = _keys(restated[0]), _keys(restated[1])
    lean = (
        len(said_from & only_new)
        - len(said_from & only_old)
        + len(said_to & only_old)
        - len(said_to & only_new)
    )
    if lean <= 0:
        return ""
    return f"{said_by} moves it {_path(source)}, this {_path(restated)}"


def _path(move: Move) -> str:
    old, new = move
    return " ".join(filter(None, [f"from {old}" if old else "", f"to {new}" if new else ""]))


BECAUSE = re.compile(r"\s+(?:because|since|as|so that)\s+", re.IGNORECASE)


def stance_clauses(text: str) -> list[str]:
    """The clauses a stance is read in: fidelity's, each also cut before its reason ("we stay
    with the old vendor because switching is risky" keeps, whatever the reason says). Not the
    whole text when it has several clauses: "refunds stay on the old vendor, payments moved"
    keeps one thing and changes another, and read whole it would take one stance."""
    found = fidelity.pieces(text)
    clauses = found[:-1] if len(found) > 1 else found  # pieces() ends with the whole text
    return list(dict.fromkeys(c for piece in clauses for c in [piece, BECAUSE.split(piece)[0]]))


def reversed_outcome(
    answer: str,
    outcome: str,
    embed: Embed,
    found: relation.Relation,
    said_by: str = "the decision",
) -> relation.Relation:
    """The outcome's relation with the reversal rule applied: `found` when no clause of the
    answer takes the opposite stance to the clause of the outcome it restates, or moves it the
    other way. An answer's clause restates the clause taking a stance (or moving something)
    that it is closest to, on its topic (scores at
    least relation.SHARES_DETAILS): "refunds stay on the old vendor" restates "we kept the old
    vendor for refunds", not "we moved payments to the new vendor" beside it."""
    clauses = stance_clauses(answer)
    sources = [c for c in stance_clauses(outcome) if stance(c) != 0 or moves(c)]
    if not sources:
        return found
    scores = score_matrix(embed(clauses), embed(sources))
    for i, clause in enumerate(clauses):
        j = int(np.argmax(scores[i]))
        why = reversal(sources[j], clause, said_by)
        if why and scores[i, j] >= relation.SHARES_DETAILS:
            return relation.Relation("contradicts", float(scores[i, j]), 0.0, 1.0, why)
    return found


@dataclass
class Reading:
    """One back-brief answer read against the decision's parts."""

    text: str
    parts: dict[str, relation.Relation]
    fidelity: float

    @property
    def relation(self) -> str:
        return fidelity.Reading(self.parts, self.fidelity).relation

    @property
    def contradiction(self) -> Relation | None:  # the name `relation` is the property above
        """How it contradicts what was decided or what happened (not only the reason), if it
        does."""
        stated = (self.parts.get(name) for name in STATEMENTS)
        return next((r for r in stated if r is not None and r.name == "contradicts"), None)

    @property
    def contradicts(self) -> bool:
        return self.contradiction is not None


def read_back_briefs(answers: Sequence[str], parts: dict[str, str], embed: Embed) -> list[Reading]:
    """Each answer read against each part of the decision (or update), its statement (the
    outcome, the narrative) under the reversal rule."""
    answers = [a for a in answers if a.strip()]
    if not answers or not parts:
        return []
    found = fidelity.read_all(answers, parts, embed, summary_of(parts))
    readings = []
    for answer, reading in zip(answers, found, strict=True):
        reversed_reading = with_reversals(answer, reading, parts, embed)
        readings.append(Reading(answer, reversed_reading.parts, reversed_reading.fidelity))
    return readings


def with_reversals(
    answer: str, reading: fidelity.Reading, parts: dict[str, str], embed: Embed
) -> fidelity.Reading:
    """An answer's reading with the reversal rule applied to the statement it restates (a
    decision's outcome, an update's narrative): the decision page and the back-brief check-in's
    report read the same answers alike."""
    if not answer.strip():
        return reading
    by_part = dict(reading.parts)
    score = reading.fidelity
    for name in STATEMENTS.keys() & by_part.keys():
        by_part[name] = reversed_outcome(
            answer, parts[name], embed, by_part[name], STATEMENTS[name]
        )
        if by_part[name].reason and not reading.parts[name].reason:
            score = 0.0  # a reversal is certain: the discount of fidelity.understanding
    return fidelity.Reading(by_part, score)


def reversal_clauses(answers: Sequence[str], parts: dict[str, str]) -> list[str]:
    """Every clause the reversal rule embeds for these answers: theirs and the statements'."""
    statements = [parts[name] for name in STATEMENTS if name in parts]
    if not statements:
        return []
    texts = [t for t in [*answers, *statements] if t.strip()]
    return [c for text in texts for c in stance_clauses(text)]


def summarise(readings: Sequence[Reading], parts: dict[str, str], threshold: int) -> dict[str, Any]:
    """What the decision page shows: for each part the share of answers that convey it, partly
    convey it, contradict it and miss it, and the answers that contradict the outcome, quoted
    without names. Nothing but the count when fewer than the threshold answered."""
    n = len(readings)
    result: dict[str, Any] = {"n": n, "threshold": effective_threshold(threshold)}
    if not reportable(n, threshold):
        result["suppressed"] = True
        return result
    result["parts"] = []
    for name, text in parts.items():
        counts = Counter(r.parts[name].name for r in readings)
        shares = {k: round(counts[k] / n, 3) for k in ("conveys", "partly", "contradicts")}
        shares["misses"] = round(counts["unrelated"] / n, 3)
        result["parts"].append(
            {"key": name, "label": PART_LABELS.get(name, name), "text": text, **shares}
        )
    result["fidelity"] = round(float(np.mean([r.fidelity for r in readings])), 1)
    result["contradicting"] = [
        {"quote": r.text, "reason": r.contradiction.reason} for r in readings if r.contradiction
    ]
    return result


@dataclass(frozen=True)
class Earlier:
    """An earlier decision a new question may repeat."""

    id: int
    question: str


def repeated(
    question: str, earlier: Sequence[Earlier], embed: Embed, cut: float = REPEATED_SCORE
) -> list[tuple[Earlier, float]]:
    """The earlier decisions whose question means the same as `question`, closest first, each
    with its score (0-100)."""
    earlier = [e for e in earlier if e.question.strip()]
    if not question.strip() or not earlier:
        return []
    scores = score_matrix(embed([question]), embed([e.question for e in earlier]))[0]
    found = [(e, float(s)) for e, s in zip(earlier, scores, strict=True) if s >= cut]
    return sorted(found, key=lambda pair: -pair[1])
