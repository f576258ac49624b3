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

The same figures hold what is read from the themes: each theme's match to the roadmap
(feedback.roadmap) and its kind of value (analysis.value), the market level (the demand nothing
addresses), the customers behind each goal and initiative, and the kinds of value the vision
and the goals are about. They are computed together because they share the items' vectors.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.utils import timezone

from truenorth.analysis import themes, value
from truenorth.analysis.embed import Encoder
from truenorth.analysis.needs import Target
from truenorth.embeddings.cache import cached_embedder
from truenorth.feedback import roadmap
from truenorth.feedback.models import FeedbackItem, account_key
from truenorth.workspaces.figures import cached
from truenorth.workspaces.models import Workspace

# The figures' shape: bumped when it changes, so a server upgraded in place computes them again
# rather than reading a kept copy that lacks a field.
SHAPE = 7
MIN_THEME = 3  # the smallest theme shown alone: two items are a coincidence, three a pattern
TREND_MONTHS = 12
QUOTE_CHARS = 400  # what a theme's card quotes of a long ticket
LARGEST_SHOWN = 3  # unaddressed themes the dashboard quotes
VOICES = 3  # customers' words quoted on a goal's or an initiative's page
UNMATCHED_QUOTES = 2  # quotes of an addressed theme's items nothing on the roadmap matches
EMBEDDED_CHARS = 2000  # the model reads 256 tokens; more text only costs time


@dataclass
class ItemFacts:
    """What a theme counts of one item (a row of the query, not a model instance: fast at 10k)."""

    id: int
    text: str
    account: str
    segment: str
    worth: Decimal | None  # the account's yearly value
    received_on: date
    source: str
    kind: str
    confirmed: str  # an editor's word on the kind of value; "" for the model's suggestion

    @property
    def words(self) -> str:
        return self.text[:EMBEDDED_CHARS]


def items_of(workspace: Workspace) -> list[ItemFacts]:
    fields = [
        "id",
        "text",
        "account",
        "segment",
        "account_value",
        "received_on",
        "source",
        "kind",
        "value",
    ]
    rows = FeedbackItem.objects.filter(workspace=workspace).order_by("received_on", "pk")
    return [ItemFacts(*row) for row in rows.values_list(*fields)]


def theme_figures(workspace: Workspace, embedder: Encoder | None = None) -> dict:
    """The workspace's themes, computed once per change of its data (workspaces.figures)."""
    if embedder is not None:
        return compute(workspace, embedder)
    return cached(workspace, f"feedback-themes-{SHAPE}", compute)


def compute(workspace: Workspace, embedder: Encoder | None = None) -> dict:
    items = items_of(workspace)
    embedder = embedder or cached_embedder()
    found: list[themes.Theme] = []
    if items:
        vectors = embedder.encode([item.words for item in items])
        found = themes.group_answers(vectors, [i.words for i in items], min_size=MIN_THEME).themes
    today = timezone.localdate()
    # The most accounts first: a need many customers share outranks one customer's many tickets.
    found.sort(key=lambda t: (-len(accounts_of([items[m] for m in t.members])), -t.size))
    cards = [card(n, theme, items, today) for n, theme in enumerate(found, 1)]
    unsupported: list[dict] = []
    voices: dict[str, dict] = {}
    kinds: list[str] = []
    if items:
        ids = [item.id for item in items]
        matched, targets, addressed = roadmap.match_themes(
            workspace, ids, vectors, [t.members for t in found], embedder
        )
        for theme, theme_card, addressing in zip(found, cards, matched, strict=True):
            theme_card.update(addressing)
            theme_card["unmatched"] = unmatched(theme.members, addressed, items, vectors)
        unsupported = unsupported_initiatives(targets, addressed)
        voices = voices_by_target(targets, addressed, items)
        kinds = value_kinds(
            items, value.classify_vectors(vectors, embedder, [i.words for i in items])
        )
        for theme, theme_card in zip(found, cards, strict=True):
            theme_card["kind_of_value"] = theme_value(theme.members, kinds, items)
    return {
        "items": len(items),
        "accounts": len(accounts_of(items)),
        "value": total_value(items),
        "themes": cards,
        "in_no_theme": in_no_theme(items, found),
        "months": month_keys(today),
        "market": market(cards, items, unsupported),
        "voices": voices,
        # Read only with feedback: a workspace without any loads no model for it.
        "values": promised_values(workspace, embedder, kinds) if items else None,
    }


def in_no_theme(items: list[ItemFacts], found: list[themes.Theme]) -> list[int]:
    """The ids of the items no theme holds (the grouping sets apart words that say nothing, such
    as "n/a"), so the page can say how many and which, rather than count them in silence."""
    themed = {m for theme in found for m in theme.members}
    return [item.id for row, item in enumerate(items) if row not in themed]


def unmatched(
    members: list[int], addressed: list[set[int]], items: list[ItemFacts], vectors: np.ndarray
) -> dict:
    """The theme's items nothing on the roadmap matches, with quotes of the ones nearest their
    own centre (what they share). In a theme the roadmap addresses, they can be a need of their
    own that the theme's status would hide: an auditor's request among approval questions."""
    rows = [m for m in members if not addressed[m]]
    centre = vectors[rows].mean(axis=0) if rows else None
    nearest = sorted(rows, key=lambda m: -float(vectors[m] @ centre))[:UNMATCHED_QUOTES]
    return {
        "items": len(rows),
        "accounts": len(accounts_of([items[m] for m in rows])),
        "quotes": [quote(items[m]) for m in nearest],
    }


def unsupported_initiatives(targets: list[Target], addressed: list[set[int]]) -> list:
    """The initiatives not yet shipped that no customer's item is addressed by."""
    supported = set().union(*addressed) if addressed else set()
    return [
        target.as_dict()
        for n, target in enumerate(targets)
        if target.kind == "initiative" and target.status != "shipped" and n not in supported
    ]


def voices_by_target(
    targets: list[Target], addressed: list[set[int]], items: list[ItemFacts]
) -> dict[str, dict]:
    """Per goal and initiative ("initiative-8"), the customers behind it: the items it
    addresses, their accounts, and the latest VOICES of their words, for its page."""
    found: dict[str, list[ItemFacts]] = {}
    for item, targets_of_item in zip(items, addressed, strict=True):
        for n in targets_of_item:
            found.setdefault(f"{targets[n].kind}-{targets[n].pk}", []).append(item)
    return {
        key: {
            "items": len(said),
            "accounts": len(accounts_of(said)),
            "value": total_value(said),
            "quotes": [quote(i) for i in sorted(said, key=lambda i: i.received_on)[::-1][:VOICES]],
        }
        for key, said in found.items()
    }


def value_kinds(items: list[ItemFacts], suggested: list[value.Value]) -> list[str]:
    """Each item's kind of value: an editor's word, else the model's when it is sure ("" not)."""
    return [
        item.confirmed or (said.kind if said.kind != value.UNSURE_KIND else "")
        for item, said in zip(items, suggested, strict=True)
    ]


def theme_value(members: list[int], kinds: list[str], items: list[ItemFacts]) -> dict:
    """The kind of value a theme is about: the kind most of its items are about ("mixed" on a
    tie), with the counts behind it and how many an editor confirmed."""
    counts = Counter(kinds[m] for m in members if kinds[m])
    psychological, functional = counts[value.PSYCHOLOGICAL], counts[value.FUNCTIONAL]
    kind = value.PSYCHOLOGICAL if psychological > functional else value.FUNCTIONAL
    return {
        "kind": kind if psychological != functional else "mixed",
        "psychological": psychological,
        "functional": functional,
        "unsure": len(members) - psychological - functional,
        "confirmed": sum(1 for m in members if items[m].confirmed),
    }


def promised_values(workspace: Workspace, embedder: Encoder, kinds: list[str]) -> dict:
    """Whether the roadmap serves the value the vision promises (seed 002: "a psychological
    value, and a functional value … we have to be aware of both"): what the vision says users
    gain, each goal's kind (an editor's word, else the model's suggestion), and the share of the
    customers' needs that are about psychological value."""
    vision = workspace.visions.order_by("-number").first()
    promise = (vision.user_benefit or vision.statement) if vision else ""
    goals = list(workspace.goals.order_by("rank"))
    texts = [promise] + [f"{goal.title}. {goal.why}" for goal in goals]
    said = value.classify(texts, embedder, needs=False)
    sure = [k for k in kinds if k]
    return {
        "vision": {"text": promise, **said[0].as_dict()} if promise else None,
        "goals": [
            {
                "id": goal.pk,
                "rank": goal.rank,
                "title": goal.title,
                "kind": goal.value or guess.kind,
                "confirmed": bool(goal.value),
                "confidence": guess.confidence,
            }
            for goal, guess in zip(goals, said[1:], strict=True)
        ],
        "needs_psychological_share": (
            sum(1 for k in sure if k == value.PSYCHOLOGICAL) / len(sure) if sure else None
        ),
    }


def market(cards: list[dict], items: list[ItemFacts], unsupported: list[dict]) -> dict:
    """The market level in figures: how much of the demand nothing on the roadmap addresses,
    counted as (theme, account) pairs (an account asking for two things is two demands), by
    accounts and by their yearly value; the largest unaddressed themes; the initiatives no
    customer need supports."""
    by_id = {item.id: item for item in items}
    demand = unaddressed = 0
    value = unaddressed_value = 0.0
    for theme in cards:
        asking = accounts_of([by_id[i] for i in theme["members"]])
        worth = float(sum(v for v in asking.values() if v is not None))
        demand, value = demand + len(asking), value + worth
        if theme.get("status") == "unaddressed":
            unaddressed, unaddressed_value = unaddressed + len(asking), unaddressed_value + worth
    left_out = [t for t in cards if t.get("status") == "unaddressed"]
    return {
        "demand": demand,
        "unaddressed": unaddressed,
        "unaddressed_share": unaddressed / demand if demand else None,
        "unaddressed_value_share": unaddressed_value / value if value else None,
        "largest_unaddressed": [t["number"] for t in left_out[:LARGEST_SHOWN]],
        "unsupported": unsupported,
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
        name = account_key(item.account)
        if not name:
            continue
        known = found.get(name)
        found[name] = item.worth if known is None else max(known, item.worth or known)
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


# --- In words, for the themes page, the dashboard and the command ---


def market_words(market: dict) -> str:
    """The market level in a sentence: how much of the demand nothing on the roadmap addresses."""
    if not market["demand"]:
        return ""
    share = round(100 * market["unaddressed_share"])
    by_value = market["unaddressed_value_share"]
    value = f" ({round(100 * by_value)}% by the accounts' value)" if by_value is not None else ""
    return (
        f"{share}% of the demand{value} is in themes nothing on the roadmap addresses: "
        f"{market['unaddressed']} of {market['demand']} requests, counting each account once "
        "a theme. Good is low; what is left should be a choice, not an oversight."
    )


def value_words(values: dict) -> list[str]:
    """Whether the roadmap's goals serve the value the vision promises, in sentences."""
    lines = []
    vision = values["vision"]
    goals = values["goals"]
    psychological = [g for g in goals if g["kind"] == "psychological"]
    if vision:
        kind = (
            vision["kind"] if vision["kind"] != "unsure" else f"unsure, leaning {vision['leaning']}"
        )
        lines.append(
            f"The vision promises users: “{vision['text']}” — {kind} value, as the model reads it."
        )
    share = values["needs_psychological_share"]
    if share is not None:
        lines.append(
            f"{round(100 * share)}% of the customers' needs are about psychological value (of"
            " those an editor has confirmed or the model reads with confidence)."
        )
    verb = "is" if len(psychological) == 1 else "are"
    lines.append(f"{len(psychological)} of {len(goals)} goals {verb} about psychological value.")
    promised = vision and (
        vision["kind"] == "psychological" or vision["leaning"] == "psychological"
    )
    if promised and not psychological:
        lines.append(
            "No goal serves the psychological value the vision promises: say which does, or why none needs to."
        )
    elif promised:
        lines.append(
            "The goals serve the psychological value the vision promises through: "
            + "; ".join(g["title"] for g in psychological)
            + "."
        )
    return lines
