"""Run the analysis package on a check-in's answers and keep the report."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from truenorth.analysis import report as analysis
from truenorth.analysis.embed import CachedEmbedder, Progress, get_embedder
from truenorth.analysis.priorities import Goal
from truenorth.checkins.embeddings import DatabaseCache
from truenorth.checkins.models import Answer, CheckIn, Kind, Report, Role


def embedder() -> CachedEmbedder:
    return CachedEmbedder(get_embedder(settings.EMBEDDING_MODEL), DatabaseCache())


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


def previous_checkin(checkin: CheckIn) -> CheckIn | None:
    """The last check-in of the same template before this one, for trends."""
    return (
        checkin.workspace.checkins.filter(template=checkin.template, opens_at__lt=checkin.opens_at)
        .order_by("-opens_at")
        .first()
    )


def analyze(checkin: CheckIn, progress: Progress | None = None) -> Report:
    """Analyse a check-in (and its predecessor, for the trend, when it has no report yet)."""
    data = run(checkin, progress)
    previous = previous_checkin(checkin)
    if previous is not None:
        before = getattr(previous, "report", None) or save(previous, run(previous))
        data["trend"] = analysis.trend(data, before.data)
        data["previous"] = {"id": previous.pk, "title": previous.title}
    return save(checkin, data)


def run(checkin: CheckIn, progress: Progress | None = None) -> dict:
    threshold = checkin.workspace.anonymity_threshold
    return analysis.analyze_checkin(
        **analysis_inputs(checkin), threshold=threshold, embedder=embedder(), progress=progress
    )


@transaction.atomic
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
    """The stored report, unless answers arrived after it was computed."""
    report = getattr(checkin, "report", None)
    if report is None or report.response_count != checkin.responses.count():
        return None
    latest = checkin.responses.order_by("-submitted_at").values_list("submitted_at", flat=True)
    if latest and latest[0] > report.computed_at:
        return None
    return report


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
