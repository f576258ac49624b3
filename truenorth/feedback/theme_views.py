"""The themes page: what customers keep asking for, grouped by meaning, with their words, and
its JSON twin. Everyone inside the organisation reads it; partners nothing (as all feedback)."""

from decimal import Decimal

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from truenorth import charts
from truenorth.analysis.matching import MATCH_SCORE
from truenorth.embeddings.cache import cached_embedder
from truenorth.exports import csv_response
from truenorth.feedback.actions import confirm_goal_value, confirm_value, decide_theme
from truenorth.feedback.export import money, theme_csv_row, themes_csv_header
from truenorth.feedback.models import Kind, Source, Value
from truenorth.feedback.roadmap import FAR, NEARLY, scores_against, target_of
from truenorth.feedback.templatetags.customers import status_words as status_name
from truenorth.feedback.themes import (
    EMBEDDED_CHARS,
    market_how,
    market_words,
    status_from_few,
    theme_figures,
    unmatched_shown,
    value_words,
)
from truenorth.refusals import post_only, read_only, refused
from truenorth.sending import in_quotes
from truenorth.workspaces.access import INTERNAL, WRITE, workspace_view

CHARTED = 10  # themes in the chart; the list below has them all
SHOWN_TARGETS = 3  # goals and initiatives named under a theme; the JSON has them all
MAX_ITEMS = 10_000  # a theme's items in one decision
NO_THEME_SHOWN = 20  # items in no theme quoted on the page; the JSON lists them all
ORDERS = ("accounts", "recent")  # the themes page's orders: as numbered, or recent items first
SAMPLE = 3  # items to be linked quoted before a theme is linked: the nearest and the least near
NONE_MATCHED = (
    "Unaddressed: none of its {items} items matched any of the {targets} goals and initiatives "
    "on the roadmap. The model can miss a match"
)
STATUS_WORDS = {
    "shipped": "Shipped: the roadmap has delivered this",
    "partly shipped": "Partly shipped: {shipped} of {items} items",
    "committed": "Committed: the roadmap will deliver this",
    "planned": "Planned, not committed",
    "exploring": "Being explored, nothing promised",
    "goal only": "A goal names this; no initiative delivers it yet",
    "unaddressed": f"{NONE_MATCHED}: judge by the closest below",
}
NONE_NEAR = f"{NONE_MATCHED}, though nothing on it came near"  # none on the same topic
JUDGE = " — judge it yourself"
# An unaddressed theme one of whose items scores from NEARLY to the cut against a target.
NEARLY_MATCHED = (
    "Unaddressed by the model's reading: none of its {items} items reached a match with any of "
    "the {targets} goals and initiatives on the roadmap, but one came nearly to it: judge it below"
)
# A theme whose status rests on half of its items or fewer (themes.status_from_few).
FEW_MATCHED = "{matched} of its {items} items {match} {target}, the most of any initiative; no initiative matches most of them"
# A source's and a kind's name in a count, as people write them: "9 Zendesk tickets".
SOURCE_NOUNS = {
    Source.ZENDESK: ("Zendesk ticket", "Zendesk tickets"),
    Source.FRESHDESK: ("Freshdesk ticket", "Freshdesk tickets"),
    Source.INTERCOM: ("Intercom conversation", "Intercom conversations"),
    Source.APP_REVIEW: ("app-store review", "app-store reviews"),
    Source.INTERVIEW: ("interview note", "interview notes"),
    Source.FIELD: ("field note", "field notes"),
}
KIND_NOUNS = {
    Kind.REQUEST: ("feature request", "feature requests"),
    Kind.PROBLEM: ("problem or bug", "problems or bugs"),
    Kind.NEED: ("need", "needs"),
    Kind.OBJECTION: ("objection", "objections"),
    Kind.COMPARISON: ("competitor comparison", "competitor comparisons"),
    Kind.PRAISE: ("praise", "praise"),
    Kind.QUESTION: ("question", "questions"),
}


def counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# An unaddressed theme some of whose items match something: too few to make a pattern, but
# "nothing addresses this" would be untrue.
SOME_MATCHED = (
    "Unaddressed as a theme: of its {items} items, only {matched} {match} something on the "
    "roadmap, too few to call the theme addressed. The model can miss a match"
)


@workspace_view(INTERNAL)
@read_only
def themes(request, membership):
    workspace = membership.workspace
    order = request.GET.get("order", "accounts")
    if order not in ORDERS:
        return refused(request, "Say the order: accounts (the default) or recent.")
    found = theme_figures(workspace)
    cards = [
        {
            **theme,
            "worth": money(Decimal(theme["value"])) if theme["value"] else "",
            "source_words": ", ".join(
                counted(n, *SOURCE_NOUNS.get(s, (s, s))) for s, n in theme["sources"].items()
            ),
            "kind_words": ", ".join(
                counted(n, *KIND_NOUNS.get(k, (k, k))) for k, n in theme["kinds"].items()
            ),
            "status_few": status_from_few(theme),
            "trend_chart": trend_chart(theme, found["months"]),
            "shown_targets": theme.get("addressed_by", [])[:SHOWN_TARGETS],
            "status_words": status_words(theme, found["targets"]),
            "near_words": near_words(theme),
            "item_ids": ",".join(map(str, theme["members"])),
            "unmatched_shown": unmatched_shown(theme),
        }
        for theme in found["themes"]
    ]
    if order == "recent":  # current demand first; a theme of old tickets alone sinks
        cards.sort(key=lambda theme: (-theme["recent"], -theme["accounts"], theme["number"]))
    context = {
        "order": order,
        "found": found,
        "targets": targets_to_choose(workspace) if membership.can_write else [],
        "market_words": market_words(found["market"]),
        "market_how": market_how(found["market"]),
        "unsupported": [
            {**target, "near_words": nearest_request_words(target)}
            for target in found["market"]["unsupported"]
        ],
        "unsupported_intro": unsupported_intro(found["market"]["unsupported"]),
        "a_choice": A_CHOICE,
        "value_words": value_words(found["values"]) if found["values"] else [],
        "worth": money(Decimal(found["value"])) if found["value"] else "",
        "themes": cards,
        "in_no_theme": workspace.feedback.filter(
            pk__in=found["in_no_theme"][:NO_THEME_SHOWN]
        ).order_by("received_on", "pk"),
        "chart": accounts_chart(found["themes"][:CHARTED], workspace.slug),
    }
    return render(request, "feedback/themes.html", context)


@workspace_view(INTERNAL)
@read_only
def themes_json(request, membership):
    return JsonResponse(theme_figures(membership.workspace))


@workspace_view(INTERNAL)
@read_only
def themes_csv(request, membership):
    """The themes as a spreadsheet: one row a theme, one column a month of its trend."""
    workspace = membership.workspace
    found = theme_figures(workspace)
    rows = (theme_csv_row(theme) for theme in found["themes"])
    return csv_response(f"{workspace.slug}-themes.csv", themes_csv_header(found["months"]), rows)


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
        caption=f"The {len(themes)} theme{'s' if len(themes) != 1 else ''} with the most "
        "accounts: each bar counts the accounts asking (each company once), not items.",
        empty_message="No feedback yet: add or import some to see its themes.",
    )


def status_words(theme: dict, targets: int = 0) -> str:
    """The theme's status in words; `targets`, how many goals and initiatives it was compared
    with (an unaddressed theme says so, and that the model can miss a match)."""
    status = theme.get("status", "unaddressed")
    words = STATUS_WORDS[status]
    if few := status_from_few(theme):
        return FEW_MATCHED.format(
            matched=few["items"],
            items=theme["items"],
            match="matches" if few["items"] == 1 else "match",
            target=target_name(few),
        )
    if status == "unaddressed" and theme.get("items_addressed"):
        words = SOME_MATCHED
    elif status == "unaddressed" and not theme.get("closest"):
        words = NONE_NEAR
    elif status == "unaddressed" and any(t.get("nearly") for t in theme["closest"]):
        words = NEARLY_MATCHED
    return words.format(
        shipped=theme.get("items_shipped", 0),
        items=theme["items"],
        matched=theme.get("items_addressed", 0),
        match="matches" if theme.get("items_addressed") == 1 else "match",
        targets=targets,
    )


def near_words(theme: dict) -> list[str]:
    """What came near an unaddressed theme, a line each: the targets matching some of its items,
    then the closest that match none ("closest, not a match"), with its nearest item's score."""
    lines = [
        f"Matches {t['items']} of its {theme['items']} items: {target_name(t)}"
        for t in theme.get("matching_some", [])
    ]
    lines += [
        f"{'Nearly a match' if t.get('nearly') else 'Closest, not a match'}: {target_name(t)}. "
        f"Its nearest item, “{t['item']['text']}”, scores {t['score']:g} of 100 against it; a "
        f"match needs {MATCH_SCORE:g}{JUDGE if t.get('nearly') else ''}."
        for t in theme.get("closest", [])
    ]
    return lines


UNSUPPORTED = (
    "Not yet shipped, and no customer's request reached a match ({match:g} of 100) against them. "
    "The model can miss a match, so the request that came closest is named where one is on the "
    "same topic"
)
SOME_NEARLY = (
    "; {nearly} came within {band:g} of it, nearly a match: a customer may be asking for "
    "{them}, so judge {those} yourself"
)
A_CHOICE = "That can be right (a bet on a market customers do not see yet); it should be a choice."


def unsupported_intro(unsupported: list[dict]) -> str:
    """The heading of the initiatives no request matched, true when one came nearly to a
    match: "no customer asked" would be more than the model knows."""
    nearly = sum(1 for t in unsupported if (t.get("nearest") or {}).get("nearly"))
    words = UNSUPPORTED.format(match=MATCH_SCORE)
    if nearly:
        words += SOME_NEARLY.format(
            nearly=nearly,
            band=MATCH_SCORE - NEARLY,
            them="it" if nearly == 1 else "them",
            those="that" if nearly == 1 else "those",
        )
    return words


def nearest_request_words(target: dict) -> str:
    """The ask nearest an initiative no customer asks for, in words ("" when none is near)."""
    near = target.get("nearest")
    if not near:
        return ""
    account = near["account"] or "no account named"
    if near.get("nearly"):
        return (
            f"nearly a match: {near['score']:g}, a match needs {MATCH_SCORE:g}{JUDGE}: "
            f"“{near['text']}” ({account})"
        )
    return (
        f"closest, not a match: “{near['text']}” ({account}, "
        f"{near['score']:g} of 100; a match needs {MATCH_SCORE:g})"
    )


def unsupported_words(unsupported: list[dict]) -> str:
    """The initiatives no customer asks for, with the nearest asks, in a paragraph (the CLI's)."""
    named = "; ".join(
        f"{target_name(t)}{' — ' if t.get('nearest') else ''}{nearest_request_words(t)}"
        for t in unsupported
    )
    return f"{unsupported_intro(unsupported)}: {named}. {A_CHOICE}"


def target_name(target: dict) -> str:
    if target["kind"] == "goal":
        return f"{target['key']}: {target['title']}"
    return f"{target['key']} {target['title']} ({status_name(target['status'])})"


def trend_chart(theme: dict, months: list[str]):
    return charts.trend(
        list(zip(months, map(float, theme["trend"]), strict=True)),
        title=f"Items a month: {theme['label']}",
        higher_is_better=None,
        width=charts.NARROW,
        ticks=month_ticks(months),
    )


def month_ticks(months: list[str]) -> list[str]:
    """Every third month's short name under the axis, the latest always ("Mar", "Jun", "Sep",
    "Dec"): twelve "2026-05"s do not fit a phone's width."""
    names = [charts.MONTH_NAMES[int(key[5:7]) - 1] for key in months]
    return charts.every_nth_from_latest(names, 3)


def targets_to_choose(workspace) -> list[tuple[str, str]]:
    """What an editor may say addresses a theme: active initiatives, then goals."""
    initiatives = workspace.initiatives.exclude(status="dropped").order_by("key", "pk")
    goals = workspace.goals.order_by("rank")
    return [
        *((f"initiative-{i.pk}", f"{i.key} {i.title}".strip()) for i in initiatives),
        *((f"goal-{g.pk}", f"Goal {g.rank}: {g.title}") for g in goals),
    ]


@post_only
@workspace_view(WRITE)
def decide(request, membership):
    """An editor says a goal or an initiative does (accept) or does not (reject) address a
    theme's items. Accepting first shows what it would link, the items far from the target
    left out, and links only once the editor confirms (confirmed=yes) the items shown."""
    workspace = membership.workspace
    target = chosen_target(workspace, request.POST.get("target", ""))
    items = item_ids(request.POST.get("items", ""))
    also = item_ids(",".join(request.POST.getlist("also")))
    decision = request.POST.get("decision")
    confirmed = decision == "accept" and request.POST.get("confirmed") == "yes"
    if target is None or not (items or confirmed) or decision not in ("accept", "reject"):
        return refused(
            request,
            "Say which items (ids, comma-separated), which target (initiative-<id> or "
            "goal-<id> of this workspace) and the decision (accept or reject).",
        )
    if decision == "accept" and not confirmed:
        return render(request, "feedback/confirm_link.html", preview(workspace, items, target))
    chosen = items + also
    if not chosen:
        return refused(request, "No item was chosen, so nothing was linked.")
    count = decide_theme(workspace, chosen, target, decision == "accept", request.user)
    what = "addresses" if decision == "accept" else "does not address"
    messages.success(request, f"Noted: {in_quotes(target.title)} {what} these {count} items.")
    return redirect("feedback_themes", workspace.slug)


def preview(workspace, item_ids: list[int], target) -> dict:
    """What linking these items to the target would do: the items near enough to it (at least
    FAR), nearest first, with a sample, and those far from it, left out unless ticked."""
    rows = list(workspace.feedback.filter(pk__in=item_ids).order_by("received_on", "pk"))
    encoder = cached_embedder()
    vectors = encoder.encode([row.text[:EMBEDDED_CHARS] for row in rows])
    scores = scores_against(vectors, [target_of(workspace, target)], encoder)[:, 0]
    scored = sorted(zip(rows, scores.tolist(), strict=True), key=lambda pair: -pair[1])
    near = [{"item": row, "score": round(score)} for row, score in scored if score >= FAR]
    far = [{"item": row, "score": round(score)} for row, score in scored if score < FAR]
    sample = near if len(near) <= 2 * SAMPLE else near[:SAMPLE] + near[-SAMPLE:]
    kind = target._meta.model_name
    return {
        "target_words": f"goal {target.rank}: {target.title}"
        if kind == "goal"
        else f"{target.key} {target.title}".strip(),
        "target_value": f"{kind}-{target.pk}",
        "count": len(rows),
        "near": near,
        "near_ids": ",".join(str(pair["item"].pk) for pair in near),
        "sample": sample,
        "far": far,
        "far_score": round(FAR),
    }


def chosen_target(workspace, value: str):
    kind, _, pk = value.partition("-")
    if not pk.isdigit() or len(pk) > 12:
        return None
    if kind == "initiative":
        return workspace.initiatives.exclude(status="dropped").filter(pk=pk).first()
    if kind == "goal":
        return workspace.goals.filter(pk=pk).first()
    return None


def item_ids(value: str) -> list[int]:
    parts = value.split(",")
    if len(parts) > MAX_ITEMS or not all(
        p.strip().isdigit() and len(p.strip()) < 12 for p in parts
    ):
        return []
    return [int(p) for p in parts]


@post_only
@workspace_view(WRITE)
def confirm_kind_of_value(request, membership):
    """An editor says what kind of value a theme's items, or a goal, are about."""
    workspace = membership.workspace
    kind = request.POST.get("kind")
    goal_id = request.POST.get("goal", "")
    if kind not in Value.values:
        return refused(request, "Say the kind: functional or psychological.")
    if goal_id:
        goal = workspace.goals.filter(pk=goal_id).first() if goal_id.isdigit() else None
        if goal is None or len(goal_id) > 12:
            return refused(request, "No such goal in this workspace.")
        confirm_goal_value(goal, kind)
        messages.success(request, f"Noted: goal {goal.rank} is about {kind} value.")
        return redirect(f"{reverse('feedback_themes', args=[workspace.slug])}#value")
    items = item_ids(request.POST.get("items", ""))
    if not items:
        return refused(request, "Say which items (ids, comma-separated) or which goal.")
    count = confirm_value(workspace, items, kind)
    messages.success(request, f"Noted: these {count} items are about {kind} value.")
    return redirect("feedback_themes", workspace.slug)
