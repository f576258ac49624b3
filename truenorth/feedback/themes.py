"""Customer feedback grouped into themes: what customers keep asking for, in their words.

The grouping is the check-in answers' (analysis.themes.group_answers: themes by meaning, each
labelled by its distinctive words, with the items closest to its centre as quotes), so it reads
12 items and 10,000 alike. Feedback is not an employee's answer: no anonymity threshold applies,
so a theme of MIN_THEME items is shown; a smaller one joins the theme it is closest to unless it
is about something else, and then it is shown as it is.

Each theme is counted three ways, because a request from one large account and the same request
from forty small ones are different demands: by items, by accounts (distinct names), and by
account value (each account's yearly value counted once, the largest its items give). Its trend
is the items a month over the last TREND_MONTHS months.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from truenorth.analysis import themes
from truenorth.analysis.embed import Encoder
from truenorth.embeddings.cache import cached_embedder
from truenorth.feedback.models import FeedbackItem
from truenorth.workspaces.figures import cached
from truenorth.workspaces.models import Workspace

MIN_THEME = 3  # the smallest theme shown alone: two items are a coincidence, three a pattern
TREND_MONTHS = 12
QUOTE_CHARS = 400  # what a theme's card quotes of a long ticket
EMBEDDED_CHARS = 2000  # the model reads 256 tokens; more text only costs time


@dataclass
class ItemFacts:
    """What a theme counts of one item (a row of the query, not a model instance: fast at 10k)."""

    id: int
    text: str
    account: str
    segment: str
    value: Decimal | None
    received_on: date
    source: str
    kind: str

    @property
    def words(self) -> str:
        return self.text[:EMBEDDED_CHARS]


def items_of(workspace: Workspace) -> list[ItemFacts]:
    fields = ["id", "text", "account", "segment", "account_value", "received_on", "source", "kind"]
    rows = FeedbackItem.objects.filter(workspace=workspace).order_by("received_on", "pk")
    return [ItemFacts(*row) for row in rows.values_list(*fields)]


def theme_figures(workspace: Workspace, embedder: Encoder | None = None) -> dict:
    """The workspace's themes, computed once per change of its data (workspaces.figures)."""
    if embedder is not None:
        return compute(workspace, embedder)
    return cached(workspace, "feedback-themes", compute)


def compute(workspace: Workspace, embedder: Encoder | None = None) -> dict:
    items = items_of(workspace)
    found = []
    if items:
        vectors = (embedder or cached_embedder()).encode([item.words for item in items])
        found = themes.group_answers(vectors, [i.words for i in items], min_size=MIN_THEME).themes
    today = timezone.localdate()
    # The most accounts first: a need many customers share outranks one customer's many tickets.
    found.sort(key=lambda t: (-len(accounts_of([items[m] for m in t.members])), -t.size))
    cards = [card(n, theme, items, today) for n, theme in enumerate(found, 1)]
    return {
        "items": len(items),
        "accounts": len(accounts_of(items)),
        "value": total_value(items),
        "themes": cards,
        "months": month_keys(today),
    }


def card(number: int, theme: themes.Theme, items: list[ItemFacts], today: date) -> dict:
    members = [items[m] for m in theme.members]
    return {
        "number": number,
        "label": theme.label,
        "words": theme.words,
        "items": len(members),
        "accounts": len(accounts_of(members)),
        "value": total_value(members),
        "trend": trend(members, today),
        "sources": dict(Counter(m.source for m in members).most_common()),
        "kinds": dict(Counter(m.kind for m in members).most_common()),
        "segments": dict(Counter(m.segment for m in members if m.segment).most_common()),
        "quotes": [quote(items[q]) for q in theme.quotes],
        "members": [m.id for m in members],
    }


def quote(item: ItemFacts) -> dict:
    text = item.text if len(item.text) <= QUOTE_CHARS else item.text[: QUOTE_CHARS - 1] + "…"
    return {
        "id": item.id,
        "text": text,
        "account": item.account,
        "segment": item.segment,
        "source": item.source,
        "received_on": item.received_on.isoformat(),
    }


def accounts_of(items: list[ItemFacts]) -> dict[str, Decimal | None]:
    """Each named account once, with the largest value its items give (None when none does)."""
    found: dict[str, Decimal | None] = {}
    for item in items:
        name = item.account.strip().casefold()
        if not name:
            continue
        known = found.get(name)
        found[name] = item.value if known is None else max(known, item.value or known)
    return found


def total_value(items: list[ItemFacts]) -> float:
    return float(sum(v for v in accounts_of(items).values() if v is not None))


def month_keys(today: date) -> list[str]:
    """The last TREND_MONTHS months, oldest first, as "2026-11"."""
    keys, year, month = [], today.year, today.month
    for _ in range(TREND_MONTHS):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def trend(items: list[ItemFacts], today: date) -> list[int]:
    """Items a month, over month_keys(today)."""
    counts = Counter(f"{m.received_on.year:04d}-{m.received_on.month:02d}" for m in items)
    return [counts.get(key, 0) for key in month_keys(today)]
