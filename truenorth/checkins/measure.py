"""Run the analysis package on a check-in's answers and keep the report."""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from truenorth.analysis import report as analysis
from truenorth.analysis.embed import CachedEmbedder, Progress
from truenorth.analysis.priorities import Goal
from truenorth.analysis.privacy import effective_threshold
from truenorth.analysis.report import REPORT_SECTIONS, at_threshold
from truenorth.checkins.embeddings import DatabaseCache
from truenorth.checkins.models import Answer, CheckIn, Kind, Report, Response, Role
from truenorth.embedding import configured_embedder


def embedder() -> CachedEmbedder:
    return CachedEmbedder(configured_embedder(), DatabaseCache())


def analysis_inputs(checkin: CheckIn) -> dict:
    """The check-in's answers as the analysis package's plain objects."""
    responses = checkin.responses.all()
    respondents = [
        analysis.Respondent(str(r.pk), {"function": r.function, "team": r.team}) for r in responses
    ]
    questions, direction = [], {}
    answers = Answer.objects.filter(response__checkin=checkin).select_related("question")
    by_question: dict[int, dict[str, str]] = {}
    for answer in answers:
        if answer.question.kind == Kind.SCALE and answer.question.role == Role.DIRECTION:
            if answer.value is not None:
                direction[str(answer.response_id)] = answer.value
        else:
            by_question.setdefault(answer.question_id, {})[str(answer.response_id)] = answer.text
    for question in checkin.questions.all():
        if question.kind == Kind.TEXT:
            questions.append(
                analysis.Question(
                    key=f"q{question.position}",
                    prompt=question.prompt,
                    role=question.role,
                    source=question.source(),
                    answers=by_question.get(question.pk, {}),
                )
            )
    goals = [Goal(g.pk, g.title, g.why, g.rank) for g in checkin.workspace.goals.all()]
    return {
        "respondents": respondents,
        "questions": questions,
        "goals": goals,
        "direction": direction,
    }


class StillOpen(Exception):
    """Results appear only once a check-in closes (see docs/privacy.md)."""


def release_state(checkin: CheckIn) -> str:
    """Where the check-in's results stand: "open" (they appear when it closes), "closed" (ready
    to publish) or "final" (published; never computed again)."""
    if checkin.finalised_at is not None:
        return "final"
    return "closed" if checkin.closes_at <= timezone.now() else "open"


def previous_checkin(checkin: CheckIn) -> CheckIn | None:
    """The last check-in of the same template before this one, for trends."""
    return (
        checkin.workspace.checkins.filter(template=checkin.template, opens_at__lt=checkin.opens_at)
        .order_by("-opens_at")
        .first()
    )


def analyze(checkin: CheckIn, progress: Progress | None = None) -> Report:
    """Publish a closed check-in's results, once.

    Results are released only when the check-in has closed, so no one can compare an analysis
    at 5 answers with one at 6. Publishing finalises the check-in: the report is never computed
    again, and an anonymous check-in's answers keep only the groups the report shows.
    """
    if checkin.finalised_at is not None and hasattr(checkin, "report"):
        return checkin.report
    if release_state(checkin) == "open":
        raise StillOpen(
            f"“{checkin.title}” is open until {checkin.closes_at:%-d %B %Y %H:%M}; "
            "its results appear when it closes."
        )
    data = run(checkin, progress)
    previous = previous_checkin(checkin)
    if previous is not None and release_state(previous) != "open":
        before = analyze(previous) if not hasattr(previous, "report") else previous.report
        shown_before = at_threshold(before.data, checkin.workspace.anonymity_threshold)
        if comparable(checkin, previous):
            data["trend"] = analysis.trend(data, shown_before)
        else:
            data["trend_withheld"] = (
                f"not compared with {previous.title}: the people who answered differ by fewer "
                f"than {data['threshold']}, so a change could be one person's answer"
            )
        data["previous"] = {"id": previous.pk, "title": previous.title}
    with transaction.atomic():
        # Claim the publication with a conditional UPDATE: when two workers publish at once,
        # only the first one's report is ever shown (two reports would be two releases).
        now = timezone.now()
        claimed = CheckIn.objects.filter(pk=checkin.pk, finalised_at=None).update(finalised_at=now)
        if not claimed:
            return Report.objects.get(checkin=checkin)
        checkin.finalised_at = now
        report = save(checkin, data)
        keep_only_shown_groups(checkin, data)
    return report


def close_checkin(checkin: CheckIn) -> None:
    """Stop taking answers now (the results can then be published)."""
    now = timezone.now()
    checkin.closes_at = max(min(checkin.closes_at, now), checkin.opens_at)
    checkin.save(update_fields=["closes_at"])


def run(checkin: CheckIn, progress: Progress | None = None) -> dict:
    threshold = checkin.workspace.anonymity_threshold
    return analysis.analyze_checkin(
        **analysis_inputs(checkin), threshold=threshold, embedder=embedder(), progress=progress
    )


def save(checkin: CheckIn, data: dict) -> Report:
    report, _ = Report.objects.update_or_create(
        checkin=checkin,
        defaults={
            "computed_at": timezone.now(),
            "data": data,
            "response_count": checkin.responses.count(),
        },
    )
    return report


def current_report(checkin: CheckIn) -> Report | None:
    """The published report as it may be shown now: cut to the workspace's threshold of today
    when it was computed under a lower one (at_threshold)."""
    report = getattr(checkin, "report", None)
    if report is None or checkin.finalised_at is None:
        return None
    report.data = at_threshold(report.data, checkin.workspace.anonymity_threshold)
    return report


# --- What the database keeps of an anonymous check-in once its results are published ---


def keep_only_shown_groups(checkin: CheckIn, data: dict) -> None:
    """Reduce what an anonymous check-in's responses keep of their authors to groups the report
    shows, in combinations at least `threshold` responses share."""
    if checkin.anonymous:
        threshold = data["threshold"]
        shown = shown_group_names(data)
        responses = list(checkin.responses.all())
        labels = [
            (
                r.function if r.function in shown["function"] else "",
                r.team if r.team in shown["team"] else "",
            )
            for r in responses
        ]
        labels = common_labels(labels, threshold)
        for response, (function, team) in zip(responses, labels, strict=True):
            response.function, response.team = function, team
        Response.objects.bulk_update(responses, ["function", "team"])


def shown_group_names(data: dict) -> dict[str, set[str]]:
    """The functions and teams shown anywhere in a report."""
    shown: dict[str, set[str]] = {"function": set(), "team": set()}
    sections = [*data.get("questions", []), *(data.get(name, {}) for name in REPORT_SECTIONS)]
    for section in sections:
        for dimension, names in shown.items():
            names.update(
                g["name"] for g in section.get("by", {}).get(dimension, {}).get("groups", [])
            )
    return shown


def common_labels(labels: list[tuple[str, str]], threshold: int) -> list[tuple[str, str]]:
    """The (function, team) labels generalised until every combination kept is shared by at
    least `threshold` rows or by none: a rare combination first loses its team, then its
    function; if fewer than `threshold` rows are left with no label at all, the rarest labelled
    rows lose theirs too (k-anonymity by suppression)."""
    labels = list(labels)
    for drop in (lambda f, t: (f, ""), lambda f, t: ("", "")):
        counts = Counter(labels)
        labels = [drop(*pair) if counts[pair] < threshold else pair for pair in labels]
    while 0 < labels.count(("", "")) < threshold:
        counts = Counter(pair for pair in labels if pair != ("", ""))
        if not counts:
            break
        rarest = min(counts, key=lambda pair: (counts[pair], pair))
        labels = [("", "") if pair == rarest else pair for pair in labels]
    return labels


def comparable(checkin: CheckIn, other: CheckIn, team: str | None = None) -> bool:
    """Whether two check-ins' figures (or one team's) may be compared: answered by the same
    people, or by sets of people that differ by at least the threshold — else the change could
    be one person's answer."""
    threshold = effective_threshold(checkin.workspace.anonymity_threshold)
    a, b = checkin.answered_by, other.answered_by
    if a is None or b is None:  # answers imported without invitations: only sizes are known
        return abs(answer_count(checkin, team) - answer_count(other, team)) >= threshold
    a_people = {p for p, t in a.items() if team is None or t == team}
    b_people = {p for p, t in b.items() if team is None or t == team}
    return a_people == b_people or len(a_people ^ b_people) >= threshold


def answer_count(checkin: CheckIn, team: str | None) -> int:
    responses = checkin.responses.all()
    return (responses.filter(team=team) if team is not None else responses).count()


# Heatmap columns: (title, section of the report, figure, scale of the figure).
HEATMAP_COLUMNS = [
    ("Vision fidelity", "vision", "fidelity", 100),
    ("Vision coherence", "vision", "coherence", 100),
    ("Name the #1 goal", "priorities", "names_top_goal", 1),
    ("Line of sight", "line_of_sight", "linked", 1),
    ("Agree with direction", "direction", "agree", 1),
]


def heatmap(report: dict, dimension: str) -> dict:
    """One row per group shown in the vision question's breakdown, a cell per measure."""
    sections = {
        "vision": next((q for q in report.get("questions", []) if q["role"] == "vision"), {})
    }
    sections.update(
        {name: report.get(name, {}) for name in ("priorities", "line_of_sight", "direction")}
    )
    by = sections["vision"].get("by", {}).get(dimension, {"groups": []})
    values = {
        (section, group["name"]): group
        for section, data in sections.items()
        for group in data.get("by", {}).get(dimension, {}).get("groups", [])
    }
    rows = [
        {
            "name": g["name"],
            "n": g["n"],
            "cells": [
                (values.get((section, g["name"]), {}).get(figure), scale)
                for _, section, figure, scale in HEATMAP_COLUMNS
            ],
        }
        for g in by["groups"]
    ]
    return {
        "dimension": dimension,
        "columns": [c[0] for c in HEATMAP_COLUMNS],
        "rows": rows,
        "hidden_groups": by.get("hidden_groups", 0),
        "hidden_n": by.get("hidden_n", 0),
    }
