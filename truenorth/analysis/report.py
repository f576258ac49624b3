"""One check-in's measures, broken down by group, with the anonymity threshold applied.

Everything returned is JSON-able and already safe to show. Before any figure is computed, every
group some figure would be computed over — each section's respondents, and each function and team
within them — is audited as one set (truenorth.analysis.disclosure): no set of fewer than the
threshold can be worked out by adding and subtracting published figures, across breakdowns and
across sections. Interpretations, themes and shadow priorities held by fewer people are not shown;
a theme's or reading's mean fidelity is shown only where the same audit lets it through
(Context.fidelity_withheld), an interpretation's never; and distributions are binned histograms
whose bins each hold at least the threshold, never a list of individual values.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from truenorth.analysis import (
    calibration,
    cluster,
    coherence,
    decision_reading,
    disclosure,
    fidelity,
    language,
    line_of_sight,
    priorities,
    quadrant,
    relation,
    themes,
)
from truenorth.analysis.disclosure import Group, withheld
from truenorth.analysis.embed import Encoder, Progress
from truenorth.analysis.privacy import effective_threshold, reportable, suppress
from truenorth.analysis.score import project, score_matrix

DIMENSIONS = ("function", "team")
Measure = Callable[[list[str]], dict[str, Any]]  # a group's respondent ids → its figures
GroupFidelity = Callable[[list[int]], float | None]  # a group of answers → its mean, if shown
MEASURED_ROLES = ("vision", "purpose", "open")  # free-text questions measured as restatements
COMMENT = "comment"  # "Anything else you want to say?": themed and quoted, never measured
READ_WHOLE = (*MEASURED_ROLES, COMMENT)  # questions whose answers are embedded as written


@dataclass
class Respondent:
    id: str
    groups: dict[str, str]  # e.g. {"function": "sales", "team": "Workflow"}


@dataclass
class Question:
    key: str
    prompt: str
    role: str
    source: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # respondent id → text
    parts: dict[str, str] = field(default_factory=dict)
    source_label: str = ""


class Texts:
    """Every text of the analysis embedded in one batch, then looked up by text."""

    def __init__(self, embedder: Encoder, texts: Sequence[str], progress: Progress | None):
        unique = list(dict.fromkeys(t for t in texts if t))
        self.vectors = embedder.encode(unique, progress=progress)
        self.index = {t: i for i, t in enumerate(unique)}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors[[self.index[t] for t in texts]] if texts else self.vectors[:0]


def rounded(value: Any, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def analyze_checkin(
    respondents: Sequence[Respondent],
    questions: Sequence[Question],
    goals: Sequence[priorities.Goal],
    direction: dict[str, int],
    threshold: int,
    embedder: Encoder,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole report of one check-in, safe to show (see the module's docstring).

    `direction` holds each respondent's 1-5 answer to "this is the right direction";
    `progress(done, total)` is called as texts are embedded, which is most of the time taken.
    """
    threshold = effective_threshold(threshold)
    people = {r.id: r for r in respondents}
    answered = {i for q in questions for i, text in q.answers.items() if text.strip()}
    answered = (answered | set(direction)) & set(people)
    report: dict[str, Any] = {"threshold": threshold, "respondents": len(answered)}
    if not reportable(len(answered), threshold):
        report["suppressed"] = True
        return report
    # Two models, or one model's int8 and fp32, or one model before and after its score was
    # fitted again, read the same answers differently (see benchmarks/engine_figures.py): a
    # trend compares only reports scored alike.
    report["scored_by"] = calibration.scorer(embedder.model_name)
    items = priority_items(questions)
    vision, purpose = vision_question(questions), purpose_question(questions)
    bases = section_bases(people, questions, direction, bool(goals))
    hidden = withheld(sorted(audit_groups(bases, people), key=lambda g: g.key), threshold)
    texts = Texts(
        embedder,
        [
            # Only the answers a section reads: a priorities answer is read item by item (below),
            # so embedding it whole would be wasted work.
            *(t for q in questions if q.role in READ_WHOLE for t in q.answers.values()),
            *(q.source for q in questions),
            *(p for q in questions if q.source for p in read_pieces(q)),
            *(t for g in goals for t in g.texts),
            *(i for row in items.values() for i in row),
        ],
        progress,
    )
    context = Context(people, threshold, texts, list(goals), hidden, bases)
    report["questions"] = [context.question(q) for q in questions if q.role in MEASURED_ROLES]
    report["priorities"] = context.priority_report(items)
    report["line_of_sight"] = context.line_of_sight(purpose.answers if purpose else {})
    report["quadrant"] = context.quadrant_report(vision, direction)
    report["direction"] = context.direction_report(direction)
    report["comments"] = [context.comments(q) for q in questions if q.role == COMMENT]
    # Distinct groups (a function or team) withheld in at least one section.
    report["withheld"] = len({key[1:] for key in hidden if len(key) == 3})
    return report


PART_LABELS = {
    "destination": "where we are going",
    "measures_of_progress": "how progress is measured",
    "user_benefit": "who it is for and what they gain",
    "business_outcome": "what the business gains",
    "horizon": "by when",
    "what": "what",
    "why": "why",
    "why_now": "why now",
    "metric": "the metric",
    "target": "the target",
    "text": "the text",
    "source": "the source",
    "outcome": "what was decided",
    "rationale": "why",
    "consequences": "what it means for you",
}


STATEMENT = "statement"  # the summary's key among the parts shown; no source has a part so named


def statement_label(question: Question) -> str:
    """What the source's one-line summary is called beside its parts."""
    return "the vision statement" if question.role == "vision" else "the source as a whole"


def source_parts(question: Question) -> dict[str, str]:
    """The parts an answer is read against: the source's parts as asked (a vision's target user
    joined to its benefit: who gains what is one thing to convey), or the whole source as one."""
    parts = {k: v.strip() for k, v in question.parts.items() if v and v.strip()}
    if "target_user" in parts and "user_benefit" in parts:
        parts["user_benefit"] = f"{parts.pop('target_user').rstrip('.')}: {parts['user_benefit']}"
    return parts or ({"source": question.source} if question.source else {})


def pieces(text: str) -> list[str]:
    return fidelity.pieces(text) if text.strip() else []


def read_pieces(question: Question) -> list[str]:
    """Every clause reading the question's answers part by part embeds: of the answers, of the
    parts, and of the whole source."""
    parts = source_parts(question)
    texts = [*question.answers.values(), *parts.values(), question.source]
    found = [p for text in texts for p in pieces(text)]
    return found + decision_reading.reversal_clauses(list(question.answers.values()), parts)


def priority_items(questions: Sequence[Question]) -> dict[str, list[str]]:
    """Each respondent's named priorities, split into items."""
    return {
        rid: priorities.split_items(text)
        for q in questions
        if q.role == "priorities"
        for rid, text in q.answers.items()
    }


def vision_question(questions: Sequence[Question]) -> Question | None:
    """The restatement of the vision compared with its source (the quadrant's understanding)."""
    return next((q for q in questions if q.role == "vision" and q.source), None)


def purpose_question(questions: Sequence[Question]) -> Question | None:
    return next((q for q in questions if q.role == "purpose"), None)


def section_bases(
    people: dict[str, Respondent],
    questions: Sequence[Question],
    direction: dict[str, int],
    has_goals: bool,
) -> dict[str, list[str]]:
    """Who each section of the report is computed over: a section's "base"."""
    items = priority_items(questions)
    vision, purpose = vision_question(questions), purpose_question(questions)

    def answered(question: Question | None) -> list[str]:
        if question is None:
            return []
        return [r for r, text in question.answers.items() if text.strip() and r in people]

    bases = {q.key: answered(q) for q in questions if q.role in MEASURED_ROLES}
    bases["priorities"] = [r for r, row in items.items() if row and r in people]
    bases["line_of_sight"] = answered(purpose) if has_goals else []
    bases["quadrant"] = [r for r in answered(vision) if r in direction]
    bases["direction"] = [r for r in direction if r in people]
    return bases


def audit_groups(bases: dict[str, list[str]], people: dict[str, Respondent]) -> list[Group]:
    """Every group a figure of the report could be computed over, for the disclosure audit."""
    groups = []
    for section, ids in bases.items():
        groups.append(Group(section, (section, "all"), frozenset(ids)))
        for dimension in DIMENSIONS:
            for name, members in partition(ids, people, dimension).items():
                groups.append(Group(section, (section, dimension, name), frozenset(members)))
    return groups


def group_of(people: dict[str, Respondent], rid: str, dimension: str) -> str:
    return people[rid].groups.get(dimension) or "(none)"


def partition(
    ids: Sequence[str], people: dict[str, Respondent], dimension: str
) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for rid in ids:
        members.setdefault(group_of(people, rid, dimension), []).append(rid)
    return members


def readings_among(
    rows: Sequence[int],
    vectors: np.ndarray,
    texts: list[str],
    words: cluster.WordCounts,
    min_answers: int,
    denying: frozenset[int],
) -> list[cluster.Interpretation]:
    """The interpretations of some of a question's answers (`rows`), members and quotes given as
    rows of the whole question, answers in `denying` never in one with the others."""
    rows = list(rows)
    position = {row: k for k, row in enumerate(rows)}
    groups = cluster.interpretations(
        vectors[rows],
        [texts[r] for r in rows],
        words=words.of(rows),
        min_answers=min_answers,
        denying=[position[r] for r in denying if r in position],
    )
    for group in groups:
        group.members = [rows[m] for m in group.members]
        group.quotes = [rows[q] for q in group.quotes]
    return groups


def may_deny(readings: Sequence[fidelity.Reading]) -> float | None:
    """The share of answers fidelity.denies flags that are not already counted as contradicting.
    On held-out pairs 85 % of its flags are right against 92 % of the classifier's
    (benchmarks/denial_rule.py), too few to count them: they are shown apart, to be read."""
    if not readings:
        return None
    flagged = sum(r.denies and r.relation != "contradicts" for r in readings)
    return rounded(flagged / len(readings), 3)


def part_figures(readings: Sequence[fidelity.Reading]) -> dict[str, Any]:
    """Shares of a group's restatements by relation: overall, and for each part of the source
    and its summary (what conveys it, partly, contradicts it; the rest miss it)."""
    n = max(len(readings), 1)
    overall = Counter(r.relation for r in readings)
    parts: dict[str, dict[str, float | None]] = {}
    for name, found in by_part(readings).items():
        counts = Counter(r.name for r in found)
        parts[name] = {k: rounded(counts[k] / n, 3) for k in ("conveys", "partly", "contradicts")}
    return {
        "relations": {k: rounded(overall[k] / n, 3) for k in relation.RELATIONS},
        "part_coverage": parts,
    }


def by_part(readings: Sequence[fidelity.Reading]) -> dict[str, list[relation.Relation]]:
    """Each answer's relation to each part, and to the summary under STATEMENT where the source
    has one: a contradiction of the summary lowers a score as one of a part does, so it is
    counted and shown as one."""
    found: dict[str, list[relation.Relation]] = {}
    for reading in readings:
        for name, one in reading.parts.items():
            found.setdefault(name, []).append(one)
        if reading.summary is not None:
            found.setdefault(STATEMENT, []).append(reading.summary)
    return found


def histogram(
    values: Sequence[float] | np.ndarray,
    threshold: int,
    low: float = 0,
    high: float = 100,
    width: float = 10,
) -> list[dict[str, Any]]:
    """Values counted in bins of `width`, merged so every bar stands for 0 or at least
    `threshold` people (see merge_bins), never for a single answer."""
    edges = [float(e) for e in np.arange(low, high, width)] + [float(high)]
    counts = np.histogram(np.clip(values, low, high), bins=edges)[0]
    bins = [
        {"from": rounded(a), "to": rounded(b), "n": int(n)}
        for a, b, n in zip(edges, edges[1:], counts, strict=False)
    ]
    return merge_bins(bins, threshold)


def merge_bins(bins: list[dict[str, Any]], threshold: int) -> list[dict[str, Any]]:
    """Adjacent bars joined until each holds 0 or at least `threshold`: a bar too small is
    joined with the next, and a small remainder at the end with the last bar holding people."""
    merged: list[dict[str, Any]] = []
    start: Any = None
    held = 0
    for bar in bins:
        if held == 0 and bar["n"] == 0:
            merged.append(dict(bar))
            continue
        start = bar["from"] if held == 0 else start
        held += bar["n"]
        if held >= threshold:
            merged.append({"from": start, "to": bar["to"], "n": held})
            held = 0
    if held:
        while merged and merged[-1]["n"] == 0:
            merged.pop()
        first: dict[str, Any] = merged.pop() if merged else {"from": start, "n": 0}
        merged.append({"from": first["from"], "to": bins[-1]["to"], "n": first["n"] + held})
    return merged


@dataclass
class Context:
    people: dict[str, Respondent]
    threshold: int
    texts: Texts
    goals: list[priorities.Goal]
    hidden: set  # keys of the groups the disclosure audit withheld
    bases: dict[str, list[str]]
    read_cache: dict[str, dict[str, fidelity.Reading]] = field(default_factory=dict)
    scored_answer_groups: list[frozenset[str]] = field(default_factory=list)  # by respondent

    def is_withheld(self, section: str) -> bool:
        return (section, "all") in self.hidden or not self.bases.get(section)

    def breakdown(self, section: str, measure: Measure) -> dict[str, Any]:
        """The measure for each group of each dimension of the section's respondents that the
        audit lets through."""
        result = {}
        for dimension in DIMENSIONS:
            members = partition(self.bases[section], self.people, dimension)
            shown = sorted(
                (g for g in members if (section, dimension, g) not in self.hidden),
                key=lambda g: (-len(members[g]), g),
            )
            hidden = [g for g in members if g not in shown]
            result[dimension] = {
                # measured only once shown: withheld groups cost nothing
                "groups": [{"name": g, "n": len(members[g]), **measure(members[g])} for g in shown],
                "hidden_groups": len(hidden),
                "hidden_n": sum(len(members[g]) for g in hidden),
                # Those under the threshold; the others are hidden because, shown, their figures
                # would give a smaller group's away by subtraction (a page says which is which).
                "hidden_small": sum(len(members[g]) < self.threshold for g in hidden),
            }
        return result

    def question(self, question: Question) -> dict[str, Any]:
        result: dict[str, Any] = {"key": question.key, "prompt": question.prompt}
        result["role"] = question.role
        if question.source_label:
            result["source"] = question.source_label
        if self.is_withheld(question.key):
            result["suppressed"] = True
            return result
        ids = self.bases[question.key]
        texts = [question.answers[rid] for rid in ids]
        vectors = self.texts(texts)
        readings = self.readings(question, ids)
        fidelities = self.fidelities(question, ids, vectors, readings)
        by_id = {rid: i for i, rid in enumerate(ids)}

        def measure(group: list[str]) -> dict[str, Any]:
            rows = [by_id[r] for r in group]
            figures = {
                "fidelity": rounded(np.mean(fidelities[rows])) if fidelities is not None else None,
                "coherence": rounded(coherence.mean_pairwise_score(vectors[rows])),
            }
            if readings:
                figures.update(part_figures([readings[r] for r in group]))
            return figures

        if readings:
            result["parts"] = [
                {"key": key, "label": PART_LABELS.get(key, key), "text": text}
                for key, text in source_parts(question).items()
            ]
            if question.parts and question.source:
                label = statement_label(question)
                result["parts"].append({"key": STATEMENT, "label": label, "text": question.source})
        words = cluster.WordCounts(texts)  # read once for every grouping below
        denying = frozenset(
            i for i, rid in enumerate(ids) if rid in readings and readings[rid].denies
        )
        # An answer that says nothing ("idk") is no reading of the source: themes set it apart too.
        said = [i for i, text in enumerate(texts) if not themes.no_answer(text)]
        groups = readings_among(said, vectors, texts, words, self.threshold, denying)
        result["n"] = len(ids)
        result.update(measure(ids))
        if fidelities is not None:
            result["fidelity_histogram"] = histogram(fidelities, self.threshold)
            # Counted over the whole question only, never by function or team.
            result["not_english"] = sum(map(language.likely_not_english, texts))
        if readings:
            # Over the whole question only, never by function or team: see may_deny.
            result["may_deny"] = may_deny([readings[r] for r in ids])
        result["effective_interpretations"] = (
            rounded(coherence.effective_interpretations([g.size for g in groups])) if said else None
        )
        result["by"] = self.breakdown(question.key, measure)
        shown_functions = {row["name"] for row in result["by"]["function"]["groups"]}
        found = themes.group_answers(vectors, texts, min_size=self.threshold, words=words)
        for theme in found.themes:
            if denying & set(theme.members) and not set(theme.members) <= denying:
                theme.readings = readings_among(
                    theme.members, vectors, texts, words, self.threshold, denying
                )
        unshown = self.fidelity_withheld(ids, texts, found) if fidelities is not None else set()

        def fidelity_of(members: list[int]) -> float | None:
            if fidelities is None or frozenset(members) in unshown:
                return None
            return rounded(np.mean(fidelities[members]))

        # Interpretations cross the themes in ways their quotes give away, and only report.json
        # lists them (the page shows themes, and the readings within each): no fidelity.
        result["interpretations"] = self.shown_interpretations(
            groups, ids, texts, lambda members: None, shown_functions, denying
        )
        result["themes"] = self.shown_themes(
            found, ids, texts, fidelity_of, shown_functions, denying
        )
        result["fidelity_withheld"] = len(unshown)
        result["across"] = self.across(result["by"]["function"], ids, vectors)
        return result

    def comments(self, question: Question) -> dict[str, Any]:
        """A comment question's answers in themes and readings, quoted by the same rule as a
        measured question's (quotable), otherwise only counted. No score and no function or
        team: nothing is computed over its writers but counts, so they need not join the
        disclosure audit, and fewer than the threshold of them are not reported at all."""
        result: dict[str, Any] = {"key": question.key, "prompt": question.prompt, "role": COMMENT}
        ids = [r for r, text in question.answers.items() if text.strip() and r in self.people]
        if not reportable(len(ids), self.threshold):
            return {**result, "suppressed": True}
        texts = [question.answers[rid] for rid in ids]
        words = cluster.WordCounts(texts)
        found = themes.group_answers(self.texts(texts), texts, min_size=self.threshold, words=words)
        shown = self.shown_themes(found, ids, texts, lambda members: None, shown_functions=set())
        return {**result, "n": len(ids), "themes": shown, "quoted": len(quoted_texts(shown))}

    def readings(self, question: Question, ids: list[str]) -> dict[str, fidelity.Reading]:
        """Each answer read part by part against the source it restates (kept per question: the
        quadrant reads the vision question's again)."""
        if not question.source or not relation.available(self.texts.vectors.shape[1]):
            return {}
        if question.key not in self.read_cache:
            parts = source_parts(question)
            summary = question.source if question.parts else ""
            answers = [question.answers[rid] for rid in ids]
            readings = fidelity.read_all(answers, parts, self.texts, summary)
            readings = [
                replace(
                    decision_reading.with_reversals(answer, reading, parts, self.texts),
                    summary=reading.summary,
                    denies=reading.denies,
                )
                for answer, reading in zip(answers, readings, strict=True)
            ]
            self.read_cache[question.key] = dict(zip(ids, readings, strict=True))
        return self.read_cache[question.key]

    def fidelities(
        self,
        question: Question,
        ids: list[str],
        vectors: np.ndarray,
        readings: dict[str, fidelity.Reading],
    ) -> np.ndarray | None:
        """Each answer's fidelity: part by part where the model has a relation classifier, else
        its score against the whole source (the human scale)."""
        if readings:
            return np.array([readings[r].fidelity for r in ids])
        if question.source:
            return score_matrix(vectors, self.texts([question.source]))[:, 0]
        return None

    def fidelity_withheld(
        self, ids: list[str], texts: list[str], found: themes.Themes
    ) -> set[frozenset[int]]:
        """The groups of answers (themes, a theme's readings) whose mean fidelity is not shown.
        Each is a sum over the people in it, beside the section's own figures: a theme of 7 and
        the reading of 5 inside it would give the other two's scores, and a theme of 6 holding
        all 5 of sales the sixth person's. They join the disclosure audit beside the groups it
        let through, and those that would narrow a figure to fewer than the threshold keep
        their size and quotes but lose their fidelity."""
        # Given up first: a theme's readings, then themes; the smallest first within each, and
        # of two alike in size, the one whose answers sort first (never the order they came in).
        readings, found_themes = [], []
        for theme in found.themes:
            if theme.size >= self.threshold:
                found_themes.append(theme.members)
                readings += [r.members for r in theme.readings if r.size >= self.threshold]
        shown = [
            members
            for kind in (readings, found_themes)
            for members in sorted(kind, key=lambda m: (len(m), sorted(texts[i] for i in m)))
        ]
        as_people: dict[frozenset[str], frozenset[int]] = {}
        for members in shown:
            people = frozenset(ids[m] for m in members)
            as_people.pop(people, None)  # a set shown twice is given up where it is missed most
            as_people[people] = frozenset(members)
        # Every section's groups, as the joint audit takes them, and the groups of answers shown
        # with a fidelity for an earlier question: a combination that isolates a set in one
        # figure isolates it in any.
        audited = [
            g.members
            for g in sorted(audit_groups(self.bases, self.people), key=lambda g: g.key)
            if g.key not in self.hidden and g.members
        ]
        audited += self.scored_answer_groups
        withheld = disclosure.withheld_among(audited, list(as_people), self.threshold)
        self.scored_answer_groups += [people for people in as_people if people not in withheld]
        return {as_people[people] for people in withheld}

    def shown_interpretations(
        self,
        groups: list[cluster.Interpretation],
        ids: list[str],
        texts: list[str],
        fidelity_of: GroupFidelity,
        shown_functions: set[str],
        denying: frozenset[int] = frozenset(),
    ) -> dict[str, Any]:
        """Interpretations held by at least `threshold` people, with the functions they come
        from: only functions the breakdown shows (any other is a group the audit withheld),
        under the same rule as a breakdown (a small count is hidden with others)."""
        shown, other = [], 0
        for group in groups:
            if group.size < self.threshold:
                other += group.size
                continue
            card = self.interpretation_card(group, ids, texts, fidelity_of, shown_functions)
            if denying and set(group.members) <= denying:
                card["may_deny"] = True  # its answers may deny the source: see may_deny
            shown.append({**card, "words": group.words})
        return {"groups": shown, "in_small_groups": other}

    def interpretation_card(
        self,
        group: cluster.Interpretation,
        ids: list[str],
        texts: list[str],
        fidelity_of: GroupFidelity,
        shown_functions: set[str],
    ) -> dict[str, Any]:
        """A group of at least `threshold` answers as shown: its size, share, the shown functions
        it comes from, its quotes and its mean fidelity where the audit lets it through."""
        functions = Counter(group_of(self.people, ids[m], "function") for m in group.members)
        counts = {f: {"n": n} for f, n in functions.items() if f in shown_functions}
        named = {row["name"]: row["n"] for row in suppress(counts, self.threshold)["groups"]}
        return {
            "size": group.size,
            "share": rounded(group.size / len(ids), 3),
            "functions": named,
            "other_functions": group.size - sum(named.values()),
            "quotes": [texts[q] for q in group.quotes],
            "fidelity": fidelity_of(group.members),
        }

    def shown_themes(
        self,
        found: themes.Themes,
        ids: list[str],
        texts: list[str],
        fidelity_of: GroupFidelity,
        shown_functions: set[str],
        denying: frozenset[int] = frozenset(),
    ) -> dict[str, Any]:
        """Themes held by at least `threshold` people, each with the readings inside it held by
        at least `threshold` people, under the same rules as interpretations."""
        shown, other = [], 0
        for theme in found.themes:
            if theme.size < self.threshold:
                other += theme.size
                continue
            quotes = quotable(theme, self.threshold, denying)
            group = cluster.Interpretation(theme.members, theme.centroid, quotes)
            card = self.interpretation_card(group, ids, texts, fidelity_of, shown_functions)
            if denying and set(theme.members) <= denying:
                card["may_deny"] = True
            elif quotes and set(quotes) <= denying:  # only its readings that may deny are shared
                card["quotes_may_deny"] = True
            readings = self.shown_interpretations(
                theme.readings, ids, texts, fidelity_of, shown_functions, denying
            )
            # With no words in common, a label is the start of the closest answer: quoted only
            # where that answer is.
            label = (
                theme.label if theme.quotes[:1] == quotes[:1] else themes.label_of(theme.words, "")
            )
            shown.append({"label": label, "words": theme.words, **card, "readings": readings})
        return {
            "groups": shown,
            "in_small_groups": other,
            "no_answer": len(found.no_answers),
            "quoted_at": self.threshold,  # its quotes are of readings this many share (quotable)
        }

    def across(
        self, by_function: dict[str, Any], ids: list[str], vectors: np.ndarray
    ) -> list[dict[str, Any]]:
        """Coherence between each pair of shown functions."""
        rows: dict[str, list[int]] = {}
        for i, rid in enumerate(ids):
            rows.setdefault(group_of(self.people, rid, "function"), []).append(i)
        names = [g["name"] for g in by_function["groups"]]
        projected = project(vectors)
        return [
            {
                "a": a,
                "b": b,
                "coherence": rounded(
                    coherence.mean_cross_score(projected[rows[a]], projected[rows[b]])
                ),
            }
            for n, a in enumerate(names)
            for b in names[n + 1 :]
        ]

    def priority_report(self, items: dict[str, list[str]]) -> dict[str, Any]:
        if self.is_withheld("priorities"):
            return {"suppressed": True}
        ids = self.bases["priorities"]
        # Every item of every person scored in one matrix, then dealt back person by person.
        scores = self.goal_scores([text for rid in ids for text in items[rid]])
        ends = np.cumsum([len(items[rid]) for rid in ids])
        named = {
            rid: priorities.match_items(items[rid], rows, self.goals)
            for rid, rows in zip(ids, np.split(scores, ends[:-1]) if ids else [], strict=True)
        }
        top = min((g.rank for g in self.goals), default=None)
        # Each person's figures once, as arrays, so a group's figures are means over its rows.
        row_of = {rid: i for i, rid in enumerate(ids)}
        names_goal = np.array(
            [[any(p.goal is g for p in named[r]) for g in self.goals] for r in ids], dtype=bool
        ).reshape(len(ids), len(self.goals))
        names_top = np.array([any(p.goal and p.goal.rank == top for p in named[r]) for r in ids])
        agreement = np.array(
            [np.nan if (a := priorities.ranking_agreement(named[r])) is None else a for r in ids]
        )

        def measure(group: list[str]) -> dict[str, Any]:
            rows = [row_of[r] for r in group]
            agreements = agreement[rows][~np.isnan(agreement[rows])]
            shares = names_goal[rows].mean(axis=0)
            return {
                "names_top_goal": rounded(np.mean(names_top[rows]), 3),
                "ranking_agreement": rounded(np.mean(agreements), 2) if len(agreements) else None,
                # the share of the group naming each goal: what the group says (say and do)
                "named_goals": {str(g.id): rounded(shares[j], 3) for j, g in enumerate(self.goals)},
            }

        result: dict[str, Any] = {"n": len(ids), **measure(ids)}
        all_shares = names_goal.mean(axis=0)
        result["goals"] = [
            {"id": g.id, "title": g.title, "rank": g.rank, "named_by": rounded(all_shares[j], 3)}
            for j, g in enumerate(self.goals)
        ]
        result["shadow"] = self.shadow_priorities(named)
        result["by"] = self.breakdown("priorities", measure)
        return result

    def goal_scores(self, texts: list[str]) -> np.ndarray:
        return priorities.goal_scores(self.texts(texts), self.goals, self.texts)

    def shadow_priorities(
        self, named: dict[str, list[priorities.NamedPriority]]
    ) -> list[dict[str, Any]]:
        """Unofficial priorities named by at least `threshold` different people, with quotes."""
        shadows = [(rid, p.text) for rid, row in named.items() for p in row if p.goal is None]
        if not shadows:
            return []
        texts = [t for _, t in shadows]
        shown = []
        authors = [rid for rid, _ in shadows]  # one person names several priorities
        found = cluster.interpretations(
            self.texts(texts), texts, min_answers=self.threshold, authors=authors
        )
        for group in found:
            people = {shadows[m][0] for m in group.members}
            if len(people) >= self.threshold:
                shown.append(
                    {
                        "people": len(people),
                        "quotes": [texts[q] for q in group.quotes],
                        "words": group.words,
                    }
                )
        return sorted(shown, key=lambda s: -s["people"])

    def line_of_sight(self, answers: dict[str, str]) -> dict[str, Any]:
        if self.is_withheld("line_of_sight"):
            return {"suppressed": True}
        ids = self.bases["line_of_sight"]
        scores = self.goal_scores([answers[r] for r in ids])
        links = dict(zip(ids, line_of_sight.links(scores, self.goals), strict=True))

        def measure(group: list[str]) -> dict[str, Any]:
            return {"linked": rounded(np.mean([links[r].linked for r in group]), 3)}

        counts = Counter(link.goal.id for link in links.values() if link.goal is not None)
        goals = [
            {
                "id": g.id,
                "title": g.title,
                "rank": g.rank,
                "share": rounded(counts[g.id] / len(ids), 3),
            }
            for g in self.goals
        ]
        by = self.breakdown("line_of_sight", measure)
        return {"n": len(ids), **measure(ids), "goals": goals, "by": by}

    def quadrant_report(self, vision: Question | None, direction: dict[str, int]) -> dict[str, Any]:
        """How many people fall in each place of understanding × agreement: counts only, no
        point per person."""
        if vision is None or self.is_withheld("quadrant"):
            return {"suppressed": True}
        ids = self.bases["quadrant"]
        vectors = self.texts([vision.answers[r] for r in ids])
        readings = self.readings(vision, ids)
        understanding = self.fidelities(vision, ids, vectors, readings)
        assert understanding is not None  # the vision question has a source
        places = {
            r: quadrant.place(f, direction[r]) for r, f in zip(ids, understanding, strict=True)
        }

        def measure(group: list[str]) -> dict[str, Any]:
            counts = Counter(places[r] for r in group)
            return {"counts": {p: counts[p] for p in quadrant.PLACES}}

        by = self.breakdown("quadrant", measure)
        return {"n": len(ids), **measure(ids), "by": by}

    def direction_report(self, direction: dict[str, int]) -> dict[str, Any]:
        if self.is_withheld("direction"):
            return {"suppressed": True}
        ids = self.bases["direction"]

        def measure(group: list[str]) -> dict[str, Any]:
            return {
                "mean": rounded(np.mean([direction[r] for r in group]), 2),
                "agree": rounded(np.mean([direction[r] >= quadrant.AGREES for r in group]), 3),
            }

        result = {"n": len(ids), **measure(ids)}
        result["histogram"] = histogram(
            [direction[r] for r in ids], self.threshold, low=0.5, high=5.5, width=1
        )
        return {**result, "by": self.breakdown("direction", measure)}


def at_threshold(report: dict[str, Any], threshold: int) -> dict[str, Any]:
    """A stored report as it may be shown under the workspace's threshold now.

    A report computed under the same or a higher threshold is shown as it is. One computed under
    a lower threshold (or by a version of truenorth before the joint disclosure audit) cannot be
    audited again without the answers' groups, so it is cut to what is safe without them: only
    whole-check-in figures of sections answered by at least `threshold` people and by the same
    people as the largest section (or by `threshold` more or fewer), no breakdowns, no trend,
    interpretations and shadow priorities of at least `threshold` people without their
    functions, and histogram bars merged again to hold at least `threshold` each.
    """
    threshold = effective_threshold(threshold)
    if "withheld" in report and report.get("threshold", 0) >= threshold:
        return with_shared_quotes(with_answer_groups_audited(report), threshold)
    respondents = report.get("respondents", 0)
    cut: dict[str, Any] = {"threshold": threshold, "respondents": respondents, "cut": True}
    if report.get("suppressed") or respondents < threshold:
        return {**cut, "suppressed": True}
    if "scored_by" in report:
        cut["scored_by"] = report["scored_by"]
    sections = {f"q:{q['key']}": q for q in report.get("questions", [])}
    sections.update({name: report.get(name, {}) for name in REPORT_SECTIONS})
    kept = sections_without_differences(sections, threshold)
    cut["questions"] = [
        _cut_section(q, threshold) if f"q:{q['key']}" in kept else _withheld_section(q)
        for q in report.get("questions", [])
    ]
    for name in REPORT_SECTIONS:
        section = report.get(name, {})
        cut[name] = _cut_section(section, threshold) if name in kept else {"suppressed": True}
    cut["comments"] = [_cut_comments(c, threshold) for c in report.get("comments", [])]
    # No breakdown is left: the count is of every group, as the page's breakdowns say it, and
    # never fewer than the report itself withheld (groups of different sections may differ).
    cut["withheld"] = max(report.get("withheld", 0), _groups_in_breakdowns(sections.values()))
    return cut


def _groups_in_breakdowns(sections) -> int:
    """How many functions and teams the sections' breakdowns hold, shown or hidden: for each
    dimension, as many as its largest breakdown (hidden groups are stored as a number, not by
    name, so the same group in two sections cannot be told apart to be counted once)."""
    largest: dict[str, int] = {}
    for section in sections:
        for dimension, rows in section.get("by", {}).items():
            largest[dimension] = max(largest.get(dimension, 0), _group_count(rows))
    return sum(largest.values())


REPORT_SECTIONS = ("priorities", "line_of_sight", "quadrant", "direction")


def sections_without_differences(sections: dict[str, dict], threshold: int) -> set[str]:
    """The sections of at least `threshold` people whose size equals the largest's or differs
    from every kept one's by at least `threshold` (no two differ by a small set of people)."""
    sizes = {name: s["n"] for name, s in sections.items() if not s.get("suppressed") and "n" in s}
    kept: set[str] = set()
    for name, n in sorted(sizes.items(), key=lambda item: -item[1]):
        if n >= threshold and all(n == sizes[k] or abs(n - sizes[k]) >= threshold for k in kept):
            kept.add(name)
    return kept


def with_answer_groups_audited(report: dict[str, Any]) -> dict[str, Any]:
    """A report as it may be shown, where it was computed before the groups of answers joined
    the disclosure audit (2026-12-04; Context.fidelity_withheld): those groups without their
    fidelity, since which of them would narrow a figure cannot be worked out without the answers."""
    questions = report.get("questions", [])
    if all(q.get("suppressed") or "fidelity_withheld" in q for q in questions):
        return report
    return {**report, "questions": [_answer_groups_unscored(q) for q in questions]}


def with_shared_quotes(report: dict[str, Any], threshold: int) -> dict[str, Any]:
    """A report whose themes quote only readings `threshold` people share, as the answer page
    promises: one computed before a theme's quotes were chosen so (2026-12-05; quotable) quoted
    any of its answers, a reading of one person's among them."""
    questions = report.get("questions", [])
    if all(q.get("themes", {}).get("quoted_at", 0) >= threshold for q in questions):
        return report
    shown = [
        {**q, "themes": themes_quoted(q["themes"], threshold)} if "themes" in q else q
        for q in questions
    ]
    return {**report, "questions": shown}


def themes_quoted(found: dict[str, Any], threshold: int) -> dict[str, Any]:
    """Themes quoted only from the readings shown beside them: as they were, when none of a
    theme's answers is in a smaller reading; else the largest shown reading's quotes, or none.
    A label made from the start of an answer (no words in common) goes with its quotes."""
    if found.get("quoted_at", 0) >= threshold:
        return found
    themes = []
    for theme in found["groups"]:
        readings = theme.get("readings", {})
        if readings.get("in_small_groups"):
            shared = readings.get("groups") or [{"quotes": []}]
            quotes = shared[0].get("quotes", [])[: len(theme.get("quotes", []))]
            label = theme.get("label", "") if theme.get("words") else ""
            theme = {**theme, "quotes": quotes, "label": label}
        themes.append(theme)
    return {**found, "groups": themes, "quoted_at": threshold}


def _answer_groups_unscored(section: dict[str, Any]) -> dict[str, Any]:
    if section.get("suppressed") or "fidelity_withheld" in section:
        return section
    cut = dict(section)
    for name in ("interpretations", "themes"):
        if name in section:
            cut[name] = _unscored(section[name])
    return cut


def _unscored(groups: dict[str, Any]) -> dict[str, Any]:
    """Groups of answers without their mean fidelity (a theme's readings too)."""
    shown = []
    for group in groups["groups"]:
        shown.append({**group, "fidelity": None})
        if "readings" in group:
            shown[-1]["readings"] = _unscored(group["readings"])
    return {**groups, "groups": shown}


def _withheld_section(section: dict[str, Any]) -> dict[str, Any]:
    return {k: section[k] for k in ("key", "prompt", "role") if k in section} | {"suppressed": True}


def _cut_section(section: dict[str, Any], threshold: int) -> dict[str, Any]:
    cut = {k: v for k, v in section.items() if k not in ("by", "across", "points")}
    if "by" in section:
        cut["by"] = {
            dimension: {"groups": [], "hidden_groups": _group_count(rows), "hidden_n": section["n"]}
            for dimension, rows in section["by"].items()
        }
    if "across" in section:
        cut["across"] = []
    if "fidelity_answers" in cut:  # reports from before histograms kept each answer's score
        cut["fidelity_histogram"] = histogram(cut.pop("fidelity_answers"), threshold)
    for name in ("fidelity_histogram", "histogram"):
        if name in cut:
            cut[name] = merge_bins(cut[name], threshold)
    if "interpretations" in section:
        cut["interpretations"] = _cut_groups(section["interpretations"], threshold)
    if "themes" in section:
        cut["themes"] = _cut_groups(section["themes"], threshold)
        for theme in cut["themes"]["groups"]:
            theme["readings"] = _cut_groups(theme["readings"], threshold)
        cut["themes"] = themes_quoted(cut["themes"], threshold)
    if "shadow" in section:
        cut["shadow"] = [s for s in section["shadow"] if s["people"] >= threshold]
    return cut


def _cut_groups(groups: dict[str, Any], threshold: int) -> dict[str, Any]:
    """Groups of answers (interpretations, themes, readings) of at least `threshold`, without
    the functions they come from and without their fidelity (the breakdown they were audited
    with is gone)."""
    shown = [
        {**g, "functions": {}, "other_functions": g["size"], "fidelity": None}
        for g in groups["groups"]
        if g["size"] >= threshold
    ]
    small = sum(g["size"] for g in groups["groups"] if g["size"] < threshold)
    return {**groups, "groups": shown, "in_small_groups": groups["in_small_groups"] + small}


def _cut_comments(section: dict[str, Any], threshold: int) -> dict[str, Any]:
    """A comment question's themes as they may be shown under a higher threshold."""
    if section.get("suppressed") or section["n"] < threshold:
        return _withheld_section(section)
    found = _cut_groups(section["themes"], threshold)
    for theme in found["groups"]:
        theme["readings"] = _cut_groups(theme["readings"], threshold)
    found = themes_quoted(found, threshold)
    return {**section, "themes": found, "quoted": len(quoted_texts(found))}


def quoted_texts(found: dict[str, Any]) -> set[str]:
    """The different answers shown word for word among themes: each theme's quotes and, where
    a theme has several readings, the first quote of each (as the check-in's page shows them)."""
    quoted = set()
    for theme in found["groups"]:
        quoted.update(theme["quotes"])
        readings = theme["readings"]["groups"]
        if len(readings) > 1:
            quoted.update(r["quotes"][0] for r in readings if r["quotes"])
    return quoted


def _group_count(rows: dict[str, Any]) -> int:
    return len(rows.get("groups", [])) + rows.get("hidden_groups", 0)


def not_english_note(question: dict[str, Any]) -> str:
    """What the report says of a question's answers that look not to be in English, or ''."""
    n = question.get("not_english") or 0
    if not n:
        return ""
    source = "the vision" if question.get("role") == "vision" else "the source"
    answers = "1 answer looks" if n == 1 else f"{n} answers look"
    return (
        f"{answers} not to be in English: the model reads English only, so they count as not "
        f"conveying {source}."
    )


def headlines(report: dict[str, Any]) -> dict[str, float]:
    """The headline figures of a report, by name, for trends."""
    figures: dict[str, float | None] = {}
    for q in report.get("questions", []):
        for name in ("fidelity", "coherence", "effective_interpretations"):
            figures[f"{q['role']}.{name}"] = q.get(name)
        figures[f"{q['role']}.contradicts"] = q.get("relations", {}).get("contradicts")
        figures[f"{q['role']}.may_deny"] = q.get("may_deny")
    figures["priorities.names_top_goal"] = report.get("priorities", {}).get("names_top_goal")
    figures["priorities.ranking_agreement"] = report.get("priorities", {}).get("ranking_agreement")
    figures["line_of_sight.linked"] = report.get("line_of_sight", {}).get("linked")
    figures["direction.agree"] = report.get("direction", {}).get("agree")
    counts = report.get("quadrant", {}).get("counts")
    if counts:
        total = sum(counts.values())
        for place in quadrant.PLACES:
            figures[f"quadrant.{place}"] = round(counts[place] / total, 3)
    return {k: float(v) for k, v in figures.items() if v is not None}


def scored_alike(report: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two reports' figures come from the same model and precision. A report published
    before reports named their model counts as alike: nothing says otherwise."""
    models = {report.get("scored_by"), other.get("scored_by")} - {None}
    return len(models) <= 1


def trend(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, dict[str, float]]:
    """Each headline figure now, before, and the change."""
    if not previous:
        return {}
    now, before = headlines(current), headlines(previous)
    return {
        name: {
            "now": now[name],
            "before": before[name],
            "change": round(now[name] - before[name], 3),
        }
        for name in now
        if name in before
    }


def quotable(
    theme: themes.Theme, threshold: int, denying: frozenset[int] = frozenset()
) -> list[int]:
    """The theme's quotes from answers whose reading at least `threshold` people share. The
    answer page promises a quote only where that many answered the same way: a theme of four
    whose readings are each one person's is talked about by four, but each reading is one
    person's, and quoting it can name them ("backend performance…" in a company of eight).
    Where some of those readings do not deny the source (`denying`: see may_deny), the quotes
    are theirs: a theme shown as conveying the vision is not quoted by an answer denying it."""
    shared = [reading for reading in theme.readings if reading.size >= threshold]
    if any(not set(reading.members) <= denying for reading in shared):
        shared = [reading for reading in shared if not set(reading.members) <= denying]
    allowed = {member for reading in shared for member in reading.members}
    quotes = [q for q in theme.quotes if q in allowed]
    if not quotes and shared:
        quotes = shared[0].quotes[: len(theme.quotes)]
    return quotes
