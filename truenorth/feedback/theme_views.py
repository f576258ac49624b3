"""The themes page: what customers keep asking for, grouped by meaning, with their words, and
its JSON twin. Everyone inside the organisation reads it; partners nothing (as all feedback)."""

from decimal import Decimal

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from truenorth import charts
from truenorth.feedback.export import money
from truenorth.feedback.models import Kind, Source
from truenorth.feedback.themes import theme_figures
from truenorth.workspaces.access import INTERNAL, workspace_view

CHARTED = 10  # themes in the chart; the list below has them all


@workspace_view(INTERNAL)
def themes(request, membership):
    workspace = membership.workspace
    found = theme_figures(workspace)
    sources, kinds = dict(Source.choices), dict(Kind.choices)
    cards = [
        {
            **theme,
            "worth": money(Decimal(theme["value"])) if theme["value"] else "",
            "source_words": ", ".join(
                f"{n} {sources.get(s, s).lower()}" for s, n in theme["sources"].items()
            ),
            "kind_words": ", ".join(
                f"{n} {kinds.get(k, k).lower()}" for k, n in theme["kinds"].items()
            ),
            "trend_chart": trend_chart(theme, found["months"]),
        }
        for theme in found["themes"]
    ]
    context = {
        "found": found,
        "worth": money(Decimal(found["value"])) if found["value"] else "",
        "themes": cards,
        "chart": accounts_chart(found["themes"][:CHARTED], workspace.slug),
    }
    return render(request, "feedback/themes.html", context)


@workspace_view(INTERNAL)
def themes_json(request, membership):
    return JsonResponse(theme_figures(membership.workspace))


def accounts_chart(themes: list[dict], slug: str):
    link = reverse("feedback_themes", args=[slug])
    return charts.bars(
        [
            charts.Bar(
                theme["label"],
                theme["accounts"],
                f"{link}#theme-{theme['number']}",
                f"{theme['items']} item{'s' if theme['items'] != 1 else ''}",
            )
            for theme in themes
        ],
        title="Accounts asking, by theme",
        unit="",
        header=("Theme", "Accounts", "Items"),
        empty_message="No feedback yet: add or import some to see its themes.",
    )


def trend_chart(theme: dict, months: list[str]):
    return charts.trend(
        list(zip(months, map(float, theme["trend"]), strict=True)),
        title=f"Items a month: {theme['label']}",
        higher_is_better=None,
        width=charts.NARROW,
    )
