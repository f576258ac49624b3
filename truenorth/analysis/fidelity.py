"""Fidelity part by part: which parts of its source a restatement conveys, misses or contradicts.

Seed 002: a vision must convey where we are going, how progress is measured and what the user
gains (and the business outcome, the horizon). People restate some of those parts in their own
words, not the whole text, so comparing a one-sentence restatement with the whole multi-part
statement scores a faithful answer as "different". Here each clause of the restatement is
compared with each clause of each part of the source, and each part takes the relation
(relation.py) of the pair that restates it best:

  conveys / partly   the part is there, in other words or in part
  contradicts        a clause on the part's topic contradicts it, or gives another number
  unrelated          the restatement misses the part

A restatement's fidelity (0-100, the human scale of score.py) is the score of the part (or of
the source's one-line summary, a vision's statement) it conveys best, discounted by the chance that it contradicts a part: best × (1 − p), where p is
the classifier's p(contradiction) when it flags a contradiction, 1 for a different number, and
0 otherwise. So a faithful restatement of one part reads as understanding (UNDERSTANDS: roughly
the same meaning), and an off-topic or contradicting one does not. benchmarks/relation_quality.py
measures both on restatements of multi-part sources built from SICK and STS test pairs.

A restatement may also deny its source in words the classifier misses: "invoices are still
retyped by hand" against "without anyone retyping it", "not captured, coded, approved" against
"captured, coded, approved". `denies` reads that on every clause pair on one topic (score ≥
relation.SHARES_DETAILS): the restatement negates a word the source says, or says one the source
negates (cluster.negated_words). Measured on held-out pairs (benchmarks/denial_rule.py), its flags
are right too rarely to count as contradictions, so a Reading only carries it (`denies`): the
report shows the share apart, as answers that may deny the source, and keeps them out of the
readings of answers that convey it.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from truenorth.analysis import relation

Embed = Callable[[Sequence[str]], np.ndarray]

UNDERSTANDS = relation.CONVEYS
CLAUSE_END = re.compile(r"(?<=[.!?;:])\s+|\n+|,\s+(?=(?:and|so|but|while)\b)|\s+[—–]\s+")
SHORTEST_CLAUSE = 2  # words: "no rekeying" restates part of a vision; one word is a fragment


def pieces(text: str) -> list[str]:
    """The clauses of a text, and the whole of it when it has more than one."""
    clauses = [c.strip(" ,") for c in CLAUSE_END.split(text) if c and c.strip(" ,")]
    clauses = [c for c in clauses if len(c.split()) >= SHORTEST_CLAUSE]
    whole = text.strip()
    return [*clauses, whole] if len(clauses) > 1 else [whole]


@dataclass
class Reading:
    """How one restatement reads against each part of its source."""

    parts: dict[str, relation.Relation]  # part name → the relation of its best clause
    fidelity: float
    # How it reads against the source's one-line summary (a vision's statement), where it has
    # one: it counts for fidelity like a part, so it counts for the relation too.
    summary: relation.Relation | None = None
    denies: bool = False  # a clause negates what a source clause on its topic says (`denies`)

    @property
    def relation(self) -> str:
        """The whole restatement's relation: contradicts if any part or the summary is
        contradicted, else the best relation any of them has, which is the band of its fidelity
        (a flagged contradiction takes its fidelity below CONVEYS)."""
        found = [*self.parts.values(), *([self.summary] if self.summary else [])]
        names = {r.name for r in found}
        for name in ("contradicts", "conveys", "partly"):
            if name in names:
                return name
        return "unrelated"


SUMMARY = "\x00summary"  # the key the summary is read under; never a part's name
ANSWERS_AT_ONCE = 256  # a batch's pairs stay a few tens of MB, for 10,000 answers as for 5


def read(answer: str, parts: dict[str, str], embed: Embed, summary: str = "") -> Reading:
    """Read `answer` against each part (see read_all)."""
    return read_all([answer], parts, embed, summary)[0]


def read_all(
    answers: Sequence[str], parts: dict[str, str], embed: Embed, summary: str = ""
) -> list[Reading]:
    """Read each answer against each part, and against the source's own one-line `summary` (a
    vision's statement) when it has one: restating the summary conveys the vision as surely as
    restating a part, so it counts for fidelity, though it is not a part anyone can miss.
    `embed` gives the vectors of pieces() of every text. Every clause pair of a batch of answers
    is classified in one call."""
    targets = {**parts, **({SUMMARY: summary} if summary else {})}
    target_clauses = {name: pieces(text) for name, text in targets.items()}
    readings = []
    for start in range(0, len(answers), ANSWERS_AT_ONCE):
        batch = answers[start : start + ANSWERS_AT_ONCE]
        owners, restated, sources = [], [], []
        for k, answer in enumerate(batch):
            clauses = pieces(answer)
            for name, source_clauses in target_clauses.items():
                for clause, source_clause in product(clauses, source_clauses):
                    owners.append((k, name))
                    restated.append(clause)
                    sources.append(source_clause)
        found = relation.relations(embed(restated), embed(sources), restated, sources)
        grouped: dict[tuple[int, str], list[relation.Relation]] = {}
        denying: set[int] = set()
        for owner, one, clause, source_clause in zip(owners, found, restated, sources, strict=True):
            grouped.setdefault(owner, []).append(one)
            if one.score >= relation.SHARES_DETAILS and denies(clause, source_clause):
                denying.add(owner[0])
        for k in range(len(batch)):
            best = {name: strongest(grouped[k, name]) for name in targets}
            readings.append(
                Reading(
                    {name: best[name] for name in parts},
                    understanding(best.values()),
                    best.get(SUMMARY),
                    k in denying,
                )
            )
    return readings


def strongest(found: list[relation.Relation]) -> relation.Relation:
    """What a part gets from the clauses: a contradiction on its topic if there is one (one is
    enough), else the pair that restates it best."""
    contradictions = [r for r in found if r.name == "contradicts"]
    if contradictions:
        return max(contradictions, key=contradiction_chance)
    return max(found, key=lambda r: r.score)


def understanding(part_relations: Iterable[relation.Relation]) -> float:
    """The best part's score, discounted by the chance of contradicting one."""
    found = list(part_relations)
    if not found:
        return 0.0
    best = max(r.score for r in found)
    return best * (1.0 - max(contradiction_chance(r) for r in found))


def contradiction_chance(found: relation.Relation) -> float:
    if found.name != "contradicts":
        return 0.0
    return 1.0 if found.reason else found.p_contradiction


def denies(restated: str, source: str) -> bool:
    """Whether `restated` negates a word of substance `source` says ("not captured" against
    "captured"), or says one `source` negates ("still retyped" against "without anyone retyping
    it"), by cluster.negated_words. Read only on pairs on one topic (see read_all): on another,
    a shared word says nothing."""
    # Imported here: cluster.py reads stances through decision_reading, which reads fidelity.
    from truenorth.analysis.cluster import negated_words

    negated, said = negated_words(restated)
    source_negated, source_said = negated_words(source)
    return bool(negated & source_said or said & source_negated)
