"""One check-in's measures, broken down by group, with the anonymity threshold applied.

Everything returned is JSON-able and already safe to show: a group, a cluster or a shadow
priority drawn from fewer people than the threshold appears nowhere in it, and small groups
are hidden together with enough others that none can be recovered by subtraction.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from truenorth.analysis import cluster, coherence, line_of_sight, priorities, quadrant
from truenorth.analysis.embed import Encoder, Progress
from truenorth.analysis.privacy import effective_threshold, reportable, suppress
from truenorth.analysis.score import score_matrix

DIMENSIONS = ("function", "team")
Measure = Callable[[list[str]], dict[str, Any]]  # a group's respondent ids → its figures
MEASURED_ROLES = ("vision", "purpose", "open")  # free-text questions measured as restatements


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
    items = {
        rid: priorities.split_items(text)
        for q in questions
        if q.role == "priorities"
        for rid, text in q.answers.items()
    }
    texts = Texts(
        embedder,
        [
            *(t for q in questions for t in q.answers.values()),
            *(q.source for q in questions),
            *(t for g in goals for t in g.texts),
            *(i for row in items.values() for i in row),
        ],
        progress,
    )
    context = Context(people, threshold, texts, list(goals))
    report["questions"] = [context.question(q) for q in questions if q.role in MEASURED_ROLES]
    report["priorities"] = context.priority_report(items)
    purpose = next((q for q in questions if q.role == "purpose"), None)
    report["line_of_sight"] = context.line_of_sight(purpose.answers if purpose else {})
    vision = next((q for q in questions if q.role == "vision" and q.source), None)
    report["quadrant"] = context.quadrant_report(vision, direction)
    report["direction"] = context.direction_report(direction)
    return report


@dataclass
class Context:
    people: dict[str, Respondent]
    threshold: int
    texts: Texts
    goals: list[priorities.Goal]

    def group_of(self, rid: str, dimension: str) -> str:
        return self.people[rid].groups.get(dimension) or "(none)"

    def breakdown(self, ids: Sequence[str], measure: Measure) -> dict[str, Any]:
        """The measure for each group of each dimension, hiding small groups safely."""
        result = {}
        for dimension in DIMENSIONS:
            members: dict[str, list[str]] = {}
            for rid in ids:
                members.setdefault(self.group_of(rid, dimension), []).append(rid)
            safe = suppress({g: {"n": len(m)} for g, m in members.items()}, self.threshold)
            for row in safe["groups"]:  # measured only once shown: hidden groups cost nothing
                row.update(measure(members[row["name"]]))
            result[dimension] = safe
        return result

    def question(self, question: Question) -> dict[str, Any]:
        ids = [rid for rid, text in question.answers.items() if text.strip() and rid in self.people]
        result: dict[str, Any] = {
            "key": question.key,
            "prompt": question.prompt,
            "role": question.role,
            "n": len(ids),
        }
        if not reportable(len(ids), self.threshold):
            result["suppressed"] = True
            return result
        texts = [question.answers[rid] for rid in ids]
        vectors = self.texts(texts)
        fidelity = None
        if question.source:
            fidelity = score_matrix(vectors, self.texts([question.source]))[:, 0]
        by_id = {rid: i for i, rid in enumerate(ids)}

        def measure(group: list[str]) -> dict[str, Any]:
            rows = [by_id[r] for r in group]
            return {
                "fidelity": rounded(np.mean(fidelity[rows])) if fidelity is not None else None,
                "coherence": rounded(coherence.mean_pairwise_score(vectors[rows])),
            }

        groups = cluster.interpretations(vectors, texts)
        result.update(measure(ids))
        if fidelity is not None:
            # Every answer's fidelity, sorted: the spread without any link back to a person.
            result["fidelity_answers"] = sorted(round(float(f), 1) for f in fidelity)
        result["effective_interpretations"] = rounded(
            coherence.effective_interpretations([g.size for g in groups])
        )
        result["interpretations"] = self.shown_interpretations(groups, ids, texts, fidelity)
        result["by"] = self.breakdown(ids, measure)
        result["across"] = self.across(result["by"]["function"], ids, vectors)
        return result

    def shown_interpretations(
        self,
        groups: list[cluster.Interpretation],
        ids: list[str],
        texts: list[str],
        fidelity: np.ndarray | None,
    ) -> dict[str, Any]:
        """Interpretations held by at least `threshold` people, with the functions they come
        from under the same rule as any breakdown (a small function is hidden with others)."""
        shown, other = [], 0
        for group in groups:
            if group.size < self.threshold:
                other += group.size
                continue
            functions = Counter(self.group_of(ids[m], "function") for m in group.members)
            safe = suppress({f: {"n": n} for f, n in functions.items()}, self.threshold)
            shown.append(
                {
                    "size": group.size,
                    "share": rounded(group.size / len(ids), 3),
                    "functions": {row["name"]: row["n"] for row in safe["groups"]},
                    "other_functions": safe["hidden_n"],
                    "quotes": [texts[q] for q in group.quotes],
                    "words": group.words,
                    "fidelity": rounded(np.mean(fidelity[group.members]))
                    if fidelity is not None
                    else None,
                }
            )
        return {"groups": shown, "in_small_groups": other}

    def across(
        self, by_function: dict[str, Any], ids: list[str], vectors: np.ndarray
    ) -> list[dict[str, Any]]:
        """Coherence between each pair of shown functions."""
        rows: dict[str, list[int]] = {}
        for i, rid in enumerate(ids):
            rows.setdefault(self.group_of(rid, "function"), []).append(i)
        names = [g["name"] for g in by_function["groups"]]
        return [
            {
                "a": a,
                "b": b,
                "coherence": rounded(
                    coherence.mean_cross_score(vectors[rows[a]], vectors[rows[b]])
                ),
            }
            for n, a in enumerate(names)
            for b in names[n + 1 :]
        ]

    def priority_report(self, items: dict[str, list[str]]) -> dict[str, Any]:
        ids = [rid for rid, row in items.items() if row and rid in self.people]
        if not reportable(len(ids), self.threshold):
            return {"n": len(ids), "suppressed": True}
        named = {
            rid: priorities.match_items(items[rid], self.goal_scores(items[rid]), self.goals)
            for rid in ids
        }
        top = min((g.rank for g in self.goals), default=None)

        def measure(group: list[str]) -> dict[str, Any]:
            agreements = [
                a for r in group if (a := priorities.ranking_agreement(named[r])) is not None
            ]
            return {
                "names_top_goal": rounded(
                    np.mean([any(p.goal and p.goal.rank == top for p in named[r]) for r in group]),
                    3,
                ),
                "ranking_agreement": rounded(np.mean(agreements), 2) if agreements else None,
            }

        result: dict[str, Any] = {"n": len(ids), **measure(ids)}
        result["goals"] = [
            {
                "id": g.id,
                "title": g.title,
                "rank": g.rank,
                "named_by": rounded(np.mean([any(p.goal is g for p in named[r]) for r in ids]), 3),
            }
            for g in self.goals
        ]
        result["shadow"] = self.shadow_priorities(named)
        result["by"] = self.breakdown(ids, measure)
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
        for group in cluster.interpretations(self.texts(texts), texts):
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
        ids = [rid for rid, text in answers.items() if text.strip() and rid in self.people]
        if not reportable(len(ids), self.threshold) or not self.goals:
            return {"n": len(ids), "suppressed": True}
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
        return {"n": len(ids), **measure(ids), "goals": goals, "by": self.breakdown(ids, measure)}

    def quadrant_report(self, vision: Question | None, direction: dict[str, int]) -> dict[str, Any]:
        if vision is None:
            return {"n": 0, "suppressed": True}
        ids = [
            r
            for r, t in vision.answers.items()
            if t.strip() and r in direction and r in self.people
        ]
        if not reportable(len(ids), self.threshold):
            return {"n": len(ids), "suppressed": True}
        fidelity = score_matrix(
            self.texts([vision.answers[r] for r in ids]), self.texts([vision.source])
        )[:, 0]
        places = {r: quadrant.place(f, direction[r]) for r, f in zip(ids, fidelity, strict=True)}

        def measure(group: list[str]) -> dict[str, Any]:
            counts = Counter(places[r] for r in group)
            return {"counts": {p: counts[p] for p in quadrant.PLACES}}

        # Points carry no group and no identity, in random order, so none can be traced back.
        order = np.random.default_rng(0).permutation(len(ids))
        points = [[rounded(fidelity[i]), direction[ids[i]]] for i in order]
        return {"n": len(ids), **measure(ids), "points": points, "by": self.breakdown(ids, measure)}

    def direction_report(self, direction: dict[str, int]) -> dict[str, Any]:
        ids = [r for r in direction if r in self.people]
        if not reportable(len(ids), self.threshold):
            return {"n": len(ids), "suppressed": True}

        def measure(group: list[str]) -> dict[str, Any]:
            return {
                "mean": rounded(np.mean([direction[r] for r in group]), 2),
                "agree": rounded(np.mean([direction[r] >= quadrant.AGREES for r in group]), 3),
            }

        return {"n": len(ids), **measure(ids), "by": self.breakdown(ids, measure)}


def headlines(report: dict[str, Any]) -> dict[str, float]:
    """The headline figures of a report, by name, for trends."""
    figures: dict[str, float | None] = {}
    for q in report.get("questions", []):
        for name in ("fidelity", "coherence", "effective_interpretations"):
            figures[f"{q['role']}.{name}"] = q.get(name)
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
