"""Feedback as programs and spreadsheets read it: the list's JSON twin and its CSV export, and
the plain-words count both the page and the JSON give."""

from decimal import Decimal

from django.db.models import Count, Max, Min
from django.urls import reverse

from truenorth.tabular import folded

CSV_COLUMNS = [
    "received_on",
    "source",
    "source_key",
    "kind",
    "account",
    "segment",
    "account_value",
    "heard_by",
    "competitor",
    "rating",
    "title",
    "text",
    "url",
]


def summary(items) -> dict:
    """How many items, from how many accounts, worth how much a year, heard when. An account's
    value is counted once however many items it has (the largest value its items give), and
    however its name is written (tabular.folded), as the themes count it."""
    found = items.aggregate(count=Count("pk"), first=Min("received_on"), last=Max("received_on"))
    per_name = items.exclude(account="").order_by().values("account")
    per_account: dict[str, Decimal | None] = {}
    for row in per_name.annotate(value=Max("account_value")):
        key, value = folded(row["account"]), row["value"]
        if not key:
            continue
        before = per_account.get(key)
        per_account[key] = value if before is None else max(before, value or before)
    values = list(per_account.values())
    known = [value for value in values if value is not None]
    return {
        **found,
        "accounts": len(values),
        "valued_accounts": len(known),
        "value": sum(known, Decimal(0)) if known else None,
    }


def money(value: Decimal | None) -> str:
    """A yearly value as people say it: 4.2M, 850K, 1,200. The workspace names no currency."""
    if value is None:
        return ""
    # Below ten thousand, the whole number: "1,200" says more than "1.2K".
    for size, letter in ((10**9, "B"), (10**6, "M"), (10**4, "K")):
        if abs(value) >= size:
            scale = size if letter != "K" else 10**3
            return f"{float(value) / scale:.1f}".removesuffix(".0") + letter
    return f"{value:,.0f}"


def as_json(item, slug: str) -> dict:
    return {
        "id": item.pk,
        "source": item.source,
        "source_key": item.source_key,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "account": item.account,
        "segment": item.segment,
        "account_value": item.account_value,
        "received_on": item.received_on,
        "heard_by": item.heard_by.name if item.heard_by_id else None,
        "competitor": item.competitor,
        "rating": item.rating,
        "url": item.url,
        "page": reverse("feedback_item", args=[slug, item.pk]),
    }


def csv_row(item) -> list:
    return [
        item.received_on.isoformat(),
        item.source,
        item.source_key,
        item.kind,
        item.account,
        item.segment,
        item.account_value,
        item.heard_by.name if item.heard_by_id else "",
        item.competitor,
        item.rating,
        item.title,
        item.text,
        item.url,
    ]


# The themes as a spreadsheet reads them: one row a theme, the figures of the page and its JSON
# twin, then the theme's items in each of the trend's months, one column a month ("2026-05").
THEME_COLUMNS = [
    "number",
    "label",
    "items",
    "accounts",
    "account_value",
    "kind_of_value",
    "value_confirmed_items",
    "status",
    "addressed_by",
    "items_matched_by_nothing",
    "quotes",
]


def themes_csv_header(months: list[str]) -> list[str]:
    return [*THEME_COLUMNS, *months]


def theme_csv_row(theme: dict) -> list:
    """A theme of feedback.themes.theme_figures as a row under themes_csv_header. A theme with
    no account value has an empty cell, as the page shows none; the goals and initiatives that
    address it are joined by "; ", its quotes one a line."""
    value = theme.get("kind_of_value") or {}
    return [
        theme["number"],
        theme["label"],
        theme["items"],
        theme["accounts"],
        f"{theme['value']:.2f}" if theme["value"] else "",
        value.get("kind", ""),
        value.get("confirmed", 0),
        theme.get("status", "unaddressed"),
        "; ".join(target_words(target) for target in theme.get("addressed_by", [])),
        theme["unmatched"]["items"],
        "\n".join(quote["text"] for quote in theme["quotes"]),
        *theme["trend"],
    ]


def target_words(target: dict) -> str:
    """A goal or an initiative as the themes page names it, and whether an editor confirmed it."""
    if target["kind"] == "initiative":
        name = f"{target['key']} {target['title']}".strip()
    else:
        name = f"{target['key']}: {target['title']}"
    return f"{name} (confirmed)" if target["accepted"] else name
