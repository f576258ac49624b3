"""Customer feedback grouped into themes: what customers keep asking for, in their words.

The grouping is the check-in answers' (analysis.themes.group_answers: themes by meaning, each
labelled by its distinctive words, with the items closest to its centre as quotes), with one
difference: items join while their mean score is at least THEME_SCORE, a fixed cut, where a
question's answers are cut at a percentile of their own pairs. Answers to one question are about
one subject; feedback is about anything customers bring up, and a cut relative to all its pairs
gave 12 themes to 593 items, one of them every one of the demo's 72 finance items. With a fixed
cut the number of themes grows with the number and spread of the items, and a small distinct
need (three auditors) keeps its own theme beside hundreds of app reviews
(benchmarks/feedback_themes.py). Feedback is not an employee's answer: no anonymity threshold
applies, so a theme of MIN_THEME items is shown; a smaller one joins the theme it is closest to
unless it is about something else, and then it is shown as it is.

What is embedded, labelled and quoted is an item's subject and its text less markup that says
nothing of the need (`said`): an issue template's headings and HTML comments, checklists, links.
The model reads English: an item in another language is grouped by little more than its
language, so each theme counts its items that are likely not English.

Each theme is counted three ways, because a request from one large account and the same request
from forty small ones are different demands: by items, by accounts (distinct names), and by
account value (each account's yearly value counted once, the largest its items give). Its trend
is the items a month over the last TREND_MONTHS months.

The same figures hold what is read from the themes: each theme's match to the roadmap
(feedback.roadmap) and its kind of value (analysis.value), the market level (the demand nothing
addresses), the customers behind each goal and initiative, and the kinds of value the vision
and the goals are about. They are computed together because they share the items' vectors.

Praise is not an ask: a customer thanking support or saying a shipped feature works asks for
nothing, so praise is in no theme and in none of the figures of what customers ask for (the
themes, the market level, the initiatives no customer asks for, the share of needs about
psychological value). It is still matched to the roadmap: a goal's or an initiative's page
quotes it apart, as what customers praise. A question counts as an ask: "is there an export of
approvals?" voices the need it asks about.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.utils import timezone

from truenorth.analysis import themes, value
from truenorth.analysis.embed import Encoder
from truenorth.analysis.language import likely_not_english
from truenorth.analysis.needs import Target
from truenorth.embeddings.cache import cached_embedder
from truenorth.feedback import roadmap
from truenorth.feedback.models import FeedbackItem, Kind, Source
from truenorth.tabular import folded
from truenorth.workspaces.figures import cached
from truenorth.workspaces.models import Workspace

# The figures' shape: bumped when it or how they are worked out changes, so a server upgraded in
# place computes them again rather than reading a kept copy that lacks a field or a new label.
SHAPE = 12
MIN_THEME = 3  # the smallest theme shown alone: two items are a coincidence, three a pattern
TREND_MONTHS = 12
QUOTE_CHARS = 400  # what a theme's card quotes of a long ticket
SHORT_QUOTE = 160  # what is quoted of the item nearest a target that matched nothing
LARGEST_SHOWN = 3  # unaddressed themes the dashboard quotes
VOICES = 3  # customers' words quoted on a goal's or an initiative's page
PART_QUOTES = 2  # quotes of an addressed theme's matched items, and of the rest
VARIOUS = "various"  # the label of a theme with no distinctive word and no words to quote
LABEL_TITLE_WORDS = 6  # a subject this short labels a theme whose items share no word
# The words of asking and doing every request has ("wants", "need", "just", "let"), beside the
# stop words: a label of them says nothing of what is asked.
ASKING_WORDS = {"just", "let", "lets", "took", "instead", "way", "got", "want", "wants", "wanted"}
ASKING_WORDS |= {"need", "needs", "needed", "like", "make", "said", "says", "ask", "asked", "asks"}
ASKING_WORDS |= {"please", "use", "used", "using"}
STOP_WORDS = set(themes.LABEL_STOP_WORDS) | ASKING_WORDS
LABEL_WORDS = 4  # the longest phrase of an item's words that labels a theme
LABEL_TERMS = 6  # a theme's words a label may use (`terms` in the JSON)
# A word starts with a letter (a number alone, "14", is no word) and keeps its apostrophe, so
# "won't" is not "won"; a possessive's "'s" is not part of it ("team's" is "team").
LABEL_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['\u2019][^\W_]+)*")
POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
APOSTROPHE = re.compile(r"['\u2019]")
EMBEDDED_CHARS = 2000  # the model reads 256 tokens; more text only costs time
# The mean score at which items are one theme: chosen on the development half of real labelled
# feedback (benchmarks/feedback_themes.py --choose), the best adjusted Rand index by repository.
THEME_SCORE = 15.0
# Markup that says nothing of the need: HTML comments ("<!-- Note: if the issue is about
# documentation…"), a template's headings ("### Have you reproduced the bug…"), checklist lines,
# "_No response_" and links.
BOILERPLATE = re.compile(
    r"<!--.*?(?:-->|$)|^[ \t]{0,3}#{1,6}[ \t][^\n]*|^[ \t]*[-*+][ \t]+\[[ xX]\][^\n]*"
    r"|_No response_|https?://\S+|www\.\S+",
    re.DOTALL | re.MULTILINE,  # DOTALL for a comment over lines; the rest stop at a line's end
)
# Words of markup and of links, never what customers ask for ("react, https").
MARKUP_WORDS = {"http", "https", "www", "com", "org", "html", "github", "md", "png", "nbsp"}


@dataclass
class ItemFacts:
    """What a theme counts of one item (a row of the query, not a model instance: fast at 10k)."""

    id: int
    title: str  # a ticket's subject, a review's title; "" when it has none
    text: str
    account: str
    segment: str
    worth: Decimal | None  # the account's yearly value
    received_on: date
    source: str
    kind: str
    confirmed: str  # an editor's word on the kind of value; "" for the model's suggestion

    @property
    def said(self) -> str:
        """The subject, then the text, less markup boilerplate: what is labelled and quoted."""
        text = self.text_alone
        title = " ".join(self.title.split())
        if not title or text.startswith(title.rstrip(".…")):
            return text or title
        return f"{title}. {text}" if text else title

    @property
    def words(self) -> str:
        """What is embedded and labelled: `said`, less an interview note's title. The needs of
        one interview share its title ("Interview: Tidewater Foods, AP lead"), which says where
        they were heard, not what is needed: embedded, it grouped the demo's interview notes by
        interview, on every topic, into one theme labelled "interview, foods". Quotes keep it."""
        said = self.text_alone if self.source == Source.INTERVIEW else ""
        return (said or self.said)[:EMBEDDED_CHARS]

    @property
    def text_alone(self) -> str:
        """The text less markup boilerplate, without the subject."""
        return " ".join(BOILERPLATE.sub(" ", self.text).split())

    @property
    def not_english(self) -> bool:
        return not_english(self.said)

    @property
    def asks(self) -> bool:
        return self.kind != Kind.PRAISE


def items_of(workspace: Workspace) -> list[ItemFacts]:
    fields = [
        "id",
        "title",
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
    asking = [row for row, item in enumerate(items) if item.asks]
    if items:
        vectors = embedder.encode([item.words for item in items])
        found = themes_of(asking, vectors, items)
    today = timezone.localdate()
    # The most accounts first: a need many customers share outranks one customer's many tickets.
    found.sort(key=lambda t: (-len(accounts_of([items[m] for m in t.members])), -t.size))
    subject = subject_words(workspace)
    named = theme_labels(found, items, subject)
    cards = [card(n, theme, items, today, named[n - 1]) for n, theme in enumerate(found, 1)]
    unsupported: list[dict] = []
    targets: list[Target] = []
    addressed_ids: set[int] = set()
    voices: dict[str, dict] = {}
    kinds: list[str] = []
    if items:
        ids = [item.id for item in items]
        matched, targets, addressed, scores = roadmap.match_themes(
            workspace, ids, vectors, [t.members for t in found], embedder
        )
        for theme, theme_card, addressing in zip(found, cards, matched, strict=True):
            for target in addressing.get("closest", []):  # its nearest item, by id and words
                target["item"] = short_quote(items[target.pop("row")])
            theme_card.update(addressing)
            theme_card["matched"] = part([m for m in theme.members if addressed[m]], items, vectors)
            theme_card["unmatched"] = part(
                [m for m in theme.members if not addressed[m]], items, vectors
            )
        unsupported = unsupported_initiatives(
            targets, [addressed[row] for row in asking], scores[asking], [items[r] for r in asking]
        )
        addressed_ids = {item.id for item, by in zip(items, addressed, strict=True) if by}
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
        "valued_accounts": valued_accounts(items),
        "themes": cards,
        "in_no_theme": in_no_theme(items, found),
        "praise": sum(1 for item in items if not item.asks),
        "months": month_keys(today),
        "market": market(cards, items, unsupported, today, addressed_ids),
        "targets": len(targets) if items else 0,  # the goals and initiatives compared
        "voices": voices,
        # Read only with feedback: a workspace without any loads no model for it.
        "values": promised_values(workspace, embedder, kinds) if items else None,
    }


def themes_of(rows: list[int], vectors: np.ndarray, items: list[ItemFacts]) -> list[themes.Theme]:
    """The themes of the items at `rows` (what customers ask for), their members and quotes as
    rows of `items`."""
    if not rows:
        return []
    texts = [items[row].words for row in rows]
    found = themes.group_answers(vectors[rows], texts, min_size=MIN_THEME, cut=THEME_SCORE).themes
    for theme in found:
        theme.members = [rows[m] for m in theme.members]
        theme.quotes = [rows[q] for q in theme.quotes]
        theme.readings = []  # not read here, and their rows are of `texts`
    return found


def in_no_theme(items: list[ItemFacts], found: list[themes.Theme]) -> list[int]:
    """The ids of the asks no theme holds (the grouping sets apart words that say nothing, such
    as "n/a"), so the page can say how many and which, rather than count them in silence."""
    themed = {m for theme in found for m in theme.members}
    return [item.id for row, item in enumerate(items) if row not in themed and item.asks]


def part(rows: list[int], items: list[ItemFacts], vectors: np.ndarray) -> dict:
    """Some of a theme's items (those the roadmap matches, or those nothing on it matches), with
    quotes of the ones nearest their own centre (what they share). In a theme the roadmap
    addresses, the items nothing matches can be a need of their own that the theme's status
    would hide: an auditor's request among approval questions; and only the matched items may
    be quoted beside what addresses the theme."""
    centre = vectors[rows].mean(axis=0) if rows else None
    nearest = sorted(rows, key=lambda m: -float(vectors[m] @ centre))[:PART_QUOTES]
    return {
        "items": len(rows),
        "accounts": len(accounts_of([items[m] for m in rows])),
        "quotes": [quote(items[m]) for m in nearest],
    }


def unmatched_shown(theme: dict) -> dict | None:
    """An addressed theme's items nothing on the roadmap matches, when they are a pattern
    (MIN_THEME items or more): a need the theme's status would otherwise hide, named wherever
    the status is (the themes page, an update)."""
    left = theme.get("unmatched")
    if theme.get("status", "unaddressed") == "unaddressed" or not left:
        return None
    return left if left["items"] >= MIN_THEME else None


def status_from_few(theme: dict) -> dict | None:
    """The initiative that gives an addressed theme its status, when it matches half of the
    theme's items or fewer (else None): a theme of auditors' requests took "exploring" from a
    supplier portal that 6 of its 22 items matched. Where the status is used (the themes page,
    an update) it is then said as that many items, not as the theme's. (Partly shipped says its
    figures already; a goal gives no status.)"""
    if theme.get("status", "unaddressed") in ("unaddressed", "goal only", "partly shipped"):
        return None
    first = next((t for t in theme.get("addressed_by", []) if t["kind"] == "initiative"), None)
    return first if first and first["items"] * 2 <= theme["items"] else None


def unsupported_initiatives(
    targets: list[Target], addressed: list[set[int]], scores: np.ndarray, asks: list[ItemFacts]
) -> list:
    """The initiatives not yet shipped that no customer's item is addressed by, each with the
    ask that came nearest (`nearest`: its words and score, when it is at least on the same topic,
    roadmap.FAR; else None): the model can miss a match, and "asked for by no customer" beside a
    quote asking for it reads as a contradiction unless the page says how near it came."""
    supported = set().union(*addressed) if addressed else set()
    found = []
    for n, target in enumerate(targets):
        if target.kind != "initiative" or target.status == "shipped" or n in supported:
            continue
        row = int(np.argmax(scores[:, n])) if len(asks) else None
        near = row is not None and scores[row, n] >= roadmap.FAR
        found.append(
            {
                **target.as_dict(),
                "nearest": (
                    {
                        **short_quote(asks[row]),
                        "score": roadmap.shown_score(scores[row, n]),
                        "nearly": bool(scores[row, n] >= roadmap.NEARLY),
                    }
                    if near and row is not None
                    else None
                ),
            }
        )
    return found


def voices_by_target(
    targets: list[Target], addressed: list[set[int]], items: list[ItemFacts]
) -> dict[str, dict]:
    """Per goal and initiative ("initiative-8"), the customers behind it: the asks it
    addresses, their accounts, and the latest VOICES of their words, for its page; and apart,
    the latest VOICES of the praise it matches."""
    found: dict[str, list[ItemFacts]] = {}
    for item, targets_of_item in zip(items, addressed, strict=True):
        for n in targets_of_item:
            found.setdefault(f"{targets[n].kind}-{targets[n].pk}", []).append(item)
    voices = {}
    for key, said in found.items():
        asks = [item for item in said if item.asks]
        voices[key] = {
            "items": len(asks),
            "accounts": len(accounts_of(asks)),
            "value": total_value(asks),
            "quotes": latest(asks),
            "praise": latest([item for item in said if not item.asks]),
        }
    return voices


def latest(items: list[ItemFacts]) -> list[dict]:
    return [quote(i) for i in sorted(items, key=lambda i: i.received_on)[::-1][:VOICES]]


def value_kinds(items: list[ItemFacts], suggested: list[value.Value]) -> list[str]:
    """Each item's kind of value: an editor's word, else the model's when it is sure ("" not);
    praise has none, as it is no need."""
    return [
        (item.confirmed or (said.kind if said.kind != value.UNSURE_KIND else ""))
        if item.asks
        else ""
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


def market(
    cards: list[dict],
    items: list[ItemFacts],
    unsupported: list[dict],
    today: date,
    addressed: set[int],
) -> dict:
    """The market level in figures: how much of the demand nothing on the roadmap addresses,
    counted as (theme, account) pairs (an account asking for two things is two demands), by
    accounts and by their yearly value, over all the feedback (heard since `since`) and apart
    over the trend's months (recent_*: a ticket of 2017 is no current demand); the themes with
    the most unaddressed demand; the initiatives no customer need supports.

    A pair is unaddressed when nothing on the roadmap addresses any of the account's items in
    the theme (`addressed`: the ids the roadmap matches, an editor's word included). Counting
    whole themes only, a theme that one initiative touches at its edge counted all its accounts
    as served: on the demo, the auditors' requests inside the approvals theme, which an editor
    had said nothing addresses, were no unaddressed demand at all."""
    by_id = {item.id: item for item in items}
    start = recent_start(today)
    demand = unaddressed = recent_demand = recent_unaddressed = 0
    value = unaddressed_value = 0.0
    left_out: list[tuple[int, int]] = []  # (unaddressed accounts, theme number)
    for theme in cards:
        members = [by_id[i] for i in theme["members"]]
        asking = accounts_of(members)
        served = accounts_of([item for item in members if item.id in addressed])
        unmet = {name: worth for name, worth in asking.items() if name not in served}
        recent = accounts_of([item for item in members if item.received_on >= start])
        demand, value = demand + len(asking), value + worth_of(asking)
        unaddressed, unaddressed_value = (
            unaddressed + len(unmet),
            unaddressed_value + worth_of(unmet),
        )
        recent_demand += len(recent)
        recent_unaddressed += len(recent.keys() - served.keys())
        if unmet and (theme.get("status") == "unaddressed" or unmatched_shown(theme)):
            left_out.append((len(unmet), theme["number"]))
    asks = [item.received_on for item in items if item.asks]
    return {
        "demand": demand,
        "unaddressed": unaddressed,
        "unaddressed_share": unaddressed / demand if demand else None,
        "unaddressed_value_share": unaddressed_value / value if value else None,
        "since": min(asks).isoformat() if asks else None,
        "recent_since": start.isoformat(),
        "recent_demand": recent_demand,
        "recent_unaddressed": recent_unaddressed,
        "recent_unaddressed_share": recent_unaddressed / recent_demand if recent_demand else None,
        "largest_unaddressed": [n for _, n in sorted(left_out, key=lambda t: -t[0])][
            :LARGEST_SHOWN
        ],
        "unsupported": unsupported,
    }


def worth_of(accounts: dict[str, Decimal | None]) -> float:
    return float(sum(v for v in accounts.values() if v is not None))


def subject_words(workspace: Workspace) -> set[str]:
    """The words of the vision's statement, its users and what they gain ("finance teams",
    "invoices"): every customer's words share them, so they name no theme, as the check-ins'
    themes leave out what every answer to a question shares."""
    vision = workspace.visions.order_by("-number").first()
    said = f"{vision.statement} {vision.target_user} {vision.user_benefit}" if vision else ""
    # The workspace's name is most often the product's: "I can't find them in Larkspur" names
    # where, not what ("bank portal, larkspur").
    return {word_form(word) for word in re.findall(r"\w+", f"{said} {workspace.name}")}


def not_english(text: str) -> bool:
    """Whether a text is likely not English: language.likely_not_english, or most of its letters
    are of another script (Japanese, Chinese, Cyrillic), which that check cannot count words of."""
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii())
    return bool(letters) and foreign > len(letters) / 2 or likely_not_english(text)


def word_form(word: str) -> str:
    """A word as two spellings of it compare: "Invoices" is "invoice"."""
    word = word.casefold()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def written_words(text: str) -> list[tuple[str, str]]:
    """A text's words as (written, form): a word starts with a letter, so a number alone ("14")
    is none, and keeps its apostrophe ("won't" is one word; "team's" is "team"); "bills" and
    "bill" are one form."""
    found = []
    for match in LABEL_WORD.finditer(text):
        written = POSSESSIVE.sub("", match.group())
        found.append((written, word_form(written)))
    return found


def usable(word: str, form: str, subject: set[str]) -> bool:
    """A word a label may use: no stop word, contraction ("won't"), word of markup, or word of
    the product's own subject."""
    return (
        len(form) > 1
        and word.casefold() not in STOP_WORDS
        and form not in subject
        and not APOSTROPHE.search(form)
        and not markup(form)
    )


def theme_terms(
    found: list[themes.Theme], items: list[ItemFacts], subject: set[str]
) -> list[list[str]]:
    """Each theme's words a label may use, as forms, best first: those most of its items use
    and the other themes' items use less (the share of its items using one, times the log of
    how many times likelier they are to use it than all the themed items are; counted once an
    item), used by two of its items or more (by its one item, in a theme of one); then, to have
    two, the rarest words of its item nearest its centre. A form and its plural are one word
    ("bill", "bills"), and a word that starts another ("app", "approval") gives way to it."""
    used = {
        m: {form for word, form in written_words(items[m].words) if usable(word, form, subject)}
        for theme in found
        for m in theme.members
    }
    overall = Counter(form for forms in used.values() for form in forms)
    result = []
    for theme in found:
        central = theme.quotes[0] if theme.quotes else theme.members[0]
        rank = ranking(theme.members, used, overall, items[central])
        counts = Counter(form for m in theme.members for form in used[m])
        terms = sorted((f for f in counts if counts[f] >= min(2, len(theme.members))), key=rank)
        own = sorted(used[central] - set(terms), key=rank)
        kept: list[str] = []
        for form in terms[:LABEL_TERMS] + own:
            shorter = [n for n, other in enumerate(kept) if near_duplicate(form, other)]
            if not shorter:
                kept.append(form)
            elif len(form) > len(kept[shorter[0]]):  # "approval", not its start "app"
                kept[shorter[0]] = form
        result.append(kept[:LABEL_TERMS])
    return result


def ranking(
    members: list[int], used: dict[int, set[str]], overall: Counter, central: ItemFacts
) -> Callable[[str], tuple]:
    """A sort key for a theme's words, best first: the share of its items using one times the
    log of how many times likelier they are to than all themed items; on a tie a name ("Sage
    Intacct") first, then in the order its item nearest the centre says them."""
    counts = Counter(form for m in members for form in used[m])
    said = [form for _, form in written_words(central.words)]
    named = {form for word, form in written_words(central.words) if word[:1].isupper()}

    def rank(form: str) -> tuple:
        share = counts[form] / len(members)
        weight = share * math.log(max(share * len(used) / overall[form], 1.0)) + share * 1e-6
        at = said.index(form) if form in said else len(said)
        return (-round(weight, 9), form not in named, at, form)

    return rank


def spellings(found: list[themes.Theme], items: list[ItemFacts]) -> list[dict[str, str]]:
    """Per theme, each form as its items write it most ("bills" where most say bills), with a
    capital only where the word always has one ("Slack", "NetSuite"), not a sentence's."""
    result = []
    for theme in found:
        written: dict[str, Counter] = {}
        for m in theme.members:
            for word, form in written_words(items[m].words):
                written.setdefault(form, Counter())[word] += 1
        chosen = {}
        for form, counts in written.items():
            lower = any(w.islower() for w in counts)
            said = Counter()
            for word, n in counts.items():
                said[casual(word) if lower else word] += n
            chosen[form] = min(said, key=lambda w: (-said[w], w))
        result.append(chosen)
    return result


def phrase_of(pair: list[str], item: ItemFacts, spelt: dict[str, str]) -> str:
    """Two forms as the item says them: the shortest run of its words that holds both, within
    one phrase, as written with only small words between, when it is LABEL_WORDS words or fewer
    ("bank details", "reminders for managers"); else the two words in the order it says them
    ("auditors, approval")."""
    best: list[str] = []
    for part in themes.QUOTE_PHRASE_END.split(item.words):
        words = written_words(part)
        at = {form: [n for n, (_, f) in enumerate(words) if f == form] for form in pair}
        for i in at[pair[0]]:
            for j in at[pair[1]] if len(pair) > 1 else [i]:
                start, end = min(i, j), max(i, j)
                run = [
                    spelt.get(f, w) if f in pair else casual(w) for w, f in words[start : end + 1]
                ]
                between = [w for w, _ in words[start + 1 : end]]
                if (
                    len(run) <= LABEL_WORDS
                    and all(w.casefold() in STOP_WORDS for w in between)
                    and " ".join(w for w, _ in words[start : end + 1]) in part
                    and (not best or len(run) < len(best))
                ):
                    best = run
    if best:
        return " ".join(best)
    said = [f for _, f in written_words(item.words)]
    order = sorted(pair, key=lambda f: said.index(f) if f in said else len(said))
    return ", ".join(spelt.get(f, f) for f in order)


def casual(word: str) -> str:
    """A word inside a label as written mid-sentence: "The" is "the", "NetSuite" stays."""
    return word.lower() if word[1:].islower() else word


def theme_labels(
    found: list[themes.Theme], items: list[ItemFacts], subject: set[str]
) -> list[tuple[str, list[str]]]:
    """Each theme's label and the words it may use (`terms`), in the themes' order, one form
    for all: its two best words as its item nearest the centre says them, a short phrase of it
    where they stand together ("bank details"), else both in its order ("auditors, approval").
    No two labels are equal or hold the same two words: a theme whose pair an earlier theme has
    takes its next pair, then its nearest item's start, then its number. A theme with one
    usable word is labelled by it; with none, by the start of its nearest item, in quotes."""
    seen: set[str] = set()
    pairs_seen: set[frozenset[str]] = set()
    result = []
    spelt_all = spellings(found, items)
    for n, (theme, terms, spelt) in enumerate(
        zip(found, theme_terms(found, items, subject), spelt_all, strict=True), 1
    ):
        central = items[theme.quotes[0] if theme.quotes else theme.members[0]]
        pairs = [[a, b] for j, b in enumerate(terms) for a in terms[:j]] or [terms[:1]]
        name = ""
        for pair in pairs:
            if not pair:
                break
            candidate = phrase_of(pair, central, spelt)
            key = frozenset(pair)
            if candidate.casefold() not in seen and key not in pairs_seen:
                name = candidate
                pairs_seen.add(key)
                break
        if not name:
            name = representative(theme, items)
        if name.casefold() in seen:
            name = f"{name} (theme {n})"
        seen.add(name.casefold())
        result.append((name, [spelt.get(f, f) for f in terms]))
    return result


def near_duplicate(word: str, other: str) -> bool:
    """Whether one word is the start of another ("eu" of "eur", "app" of "approval"): side by
    side in a label they read as one word said twice."""
    return word != other and " " not in other and (word.startswith(other) or other.startswith(word))


def representative(theme: themes.Theme, items: list[ItemFacts]) -> str:
    """The start of the words of the theme's item nearest its centre, in quotes: its subject
    when it has a short one ("Bills posted to wrong subsidiary"), else its first words."""
    item = items[theme.quotes[0]] if theme.quotes else None
    if item is None:
        return VARIOUS
    title = " ".join(item.title.split()) if item.source != Source.INTERVIEW else ""
    if 0 < len(title.split()) <= LABEL_TITLE_WORDS:
        return f"“{title.rstrip('.…')}”"
    words = themes.QUOTE_PHRASE_END.split(item.words, maxsplit=1)[0].split()
    start = words[:LABEL_TITLE_WORDS]
    while len(start) > 1 and start[-1].casefold() in STOP_WORDS:  # never "…the"
        start.pop()
    if not start:
        return VARIOUS
    return f"“{' '.join(start)}{'…' if len(start) < len(words) else ''}”"


def markup(term: str) -> bool:
    """A term of markup or a link ("https", "github com"), or a token no one writes
    ("atomic_number_53", which one data set wrote for "I")."""
    return any(w in MARKUP_WORDS or "_" in w for w in term.split())


def card(
    number: int,
    theme: themes.Theme,
    items: list[ItemFacts],
    today: date,
    named: tuple[str, list[str]],
) -> dict:
    members = [items[m] for m in theme.members]
    return {
        "number": number,
        "label": named[0],
        "terms": named[1],
        "words": theme.words,
        "items": len(members),
        "accounts": len(accounts_of(members)),
        "value": total_value(members),
        "valued_accounts": valued_accounts(members),
        "trend": trend(members, today),
        "recent": sum(trend(members, today)),  # items in the trend's months: current demand
        "sources": dict(Counter(m.source for m in members).most_common()),
        "kinds": dict(Counter(m.kind for m in members).most_common()),
        **segments_of(members),
        "not_english": sum(1 for m in members if m.not_english),
        "quotes": [quote(items[q]) for q in theme.quotes],
        "members": [m.id for m in members],
    }


def segments_of(items: list[ItemFacts]) -> dict:
    """The theme's accounts by segment, each account once (under the segment its latest item
    gives), and the accounts none of whose items names one: the figures add up to its accounts,
    as counting items by segment had not ("15 accounts … Mid-market 21, Enterprise 12, SMB 3").
    A segment is one in any case and spacing, as the list's filter reads it: "mid-market" from
    one file and "Mid-market" from another had been counted apart."""
    segment: dict[str, str] = {}
    for item in items:  # oldest first: the latest named segment wins
        name = folded(item.account)
        if name and (item.segment or name not in segment):
            segment[name] = item.segment or ""
    spelled = segment_spellings(item.segment for item in items)
    counts = Counter(spelled[folded(named)] for named in segment.values() if named)
    return {
        "segments": dict(sorted(counts.items(), key=lambda c: (-c[1], c[0]))),
        "accounts_without_segment": sum(1 for named in segment.values() if not named),
    }


def segment_spellings(written: Iterable[str]) -> dict[str, str]:
    """Each segment (by `folded`) as it is most often written, capitals first on a tie:
    {"mid-market": "Mid-market"}."""
    counts = Counter(text.strip() for text in written if text and text.strip())
    shown: dict[str, str] = {}
    for text, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0])):  # capitals sort first
        shown.setdefault(folded(text), text)
    return shown


def short_quote(item: ItemFacts) -> dict:
    """An item named beside a figure: its id, account and the start of its words."""
    said = item.said
    return {
        "id": item.id,
        "account": item.account,
        "text": said if len(said) <= SHORT_QUOTE else said[: SHORT_QUOTE - 1] + "…",
    }


def quote(item: ItemFacts) -> dict:
    said = item.said
    text = said if len(said) <= QUOTE_CHARS else said[: QUOTE_CHARS - 1] + "…"
    return {
        "id": item.id,
        "text": text,
        "not_english": item.not_english,
        "account": item.account,
        "segment": item.segment,
        "source": item.source,
        "received_on": item.received_on.isoformat(),
    }


def accounts_of(items: list[ItemFacts]) -> dict[str, Decimal | None]:
    """Each named account once, with the largest value its items give (None when none does)."""
    found: dict[str, Decimal | None] = {}
    for item in items:
        name = folded(item.account)
        if not name:
            continue
        known = found.get(name)
        found[name] = item.worth if known is None else max(known, item.worth or known)
    return found


def total_value(items: list[ItemFacts]) -> float:
    return float(sum(v for v in accounts_of(items).values() if v is not None))


def valued_accounts(items: list[ItemFacts]) -> int:
    """The accounts whose value total_value counts: the others' is not known, not nothing."""
    return sum(1 for v in accounts_of(items).values() if v is not None)


def month_keys(today: date) -> list[str]:
    """The last TREND_MONTHS months, oldest first, as "2026-11"."""
    keys, year, month = [], today.year, today.month
    for _ in range(TREND_MONTHS):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def recent_start(today: date) -> date:
    """The first day of the trend's oldest month: what counts as recent demand."""
    year, month = map(int, month_keys(today)[0].split("-"))
    return date(year, month, 1)


def trend(items: list[ItemFacts], today: date) -> list[int]:
    """Items a month, over month_keys(today)."""
    counts = Counter(f"{m.received_on.year:04d}-{m.received_on.month:02d}" for m in items)
    return [counts.get(key, 0) for key in month_keys(today)]


# --- In words, for the themes page, the dashboard and the command ---


def market_words(market: dict) -> str:
    """The market level in a short sentence: how much of the demand nothing on the roadmap
    addresses (market_how says how it is counted)."""
    if not market["demand"]:
        return ""
    share = round(100 * market["unaddressed_share"])
    by_value = market["unaddressed_value_share"]
    value = f", {round(100 * by_value)}% by value" if by_value is not None else ""
    recent = market["recent_unaddressed_share"]
    lately = (
        f" In the last {TREND_MONTHS} months: {round(100 * recent)}% "
        f"({market['recent_unaddressed']} of {market['recent_demand']})."
        if recent is not None
        else ""
    )
    return (
        f"Nothing on the roadmap addresses {share}% of what customers ask for "
        f"({market['unaddressed']} of {market['demand']} requests{value}).{lately}"
    )


def market_how(market: dict) -> str:
    """How market_words counts, in a second, smaller sentence. It names the share it judges:
    the dashboard shows it beside the addressed share ("69% — higher is better"), where "Good is
    low" contradicted the headline."""
    if not market["demand"]:
        return ""
    since = date.fromisoformat(market["since"]).strftime("%B %Y")
    return (
        "A request is one account's asking in one theme, counted once however many items it "
        "wrote, and unaddressed where nothing on the roadmap matches any of those items; all "
        f"the feedback since {since}. Good is a low unaddressed share; what is left should be "
        "a choice, not an oversight."
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
