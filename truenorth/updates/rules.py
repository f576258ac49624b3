"""The rules every version of an update keeps, enforced rather than left to the author.

(a) No rendered line presents an exploring or planned initiative as a commitment: its text holds
    no promise words ("committed", "will ship", "by March") and no date, and its note is the
    status's own meaning ("Not a promise: …").
(b) No clause of the editor's narrative or partner note, nor of a generated line, names an
    exploring or planned initiative (updates.naming: its title, key, short name, or a proper
    name in its title that no other has, in any case) together with promise words or a date; a
    clause that names no initiative speaks of the last one named. A sentence that says an item
    is not promised (claims.wording) or asks for what was said of it to be corrected promises
    it nothing, and a whole date already past is no date to come.
(c) The partners' version, partner note included, names no internal initiative (as in (b)),
    no goal, no decision not shared with partners, and no date of an item whose date promises
    nothing (roadmap.models.DATED_FOR_PARTNERS). A decision shared with partners is listed in
    its own words: sharing it was the editor's choice, warned of on the decision's page.

Everything is read from the rendered text, so a renderer that slips is caught too."""

import itertools
import math
import re
from datetime import date

from django.urls import reverse
from django.utils import timezone

from truenorth.analysis import clarity
from truenorth.claims.wording import says_not_promised
from truenorth.glossary.measure import uses
from truenorth.glossary.templatetags.glossary import find
from truenorth.roadmap.models import SHARED_OUTSIDE, STATUS_MEANING, Status
from truenorth.roadmap.naming import WORD, names, says
from truenorth.updates.audiences import (
    NOT_PROMISED,
    SHARED_DECISIONS,
    Version,
    day,
    internal_names,
    shared,
    version,
)
from truenorth.updates.models import Audience, Update

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# A date as people write one: 2026-03-31, 31 March 2026, March 31, March 2026, Q3.
DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTHS})\b"
    rf"|\b(?:{MONTHS})\.? \d{{1,4}}\b|\bQ[1-4]\b",
    re.IGNORECASE,
)
SEASONS = "spring|summer|autumn|fall|winter"
# A time to come after a word that promises only with one: "in Q1", "April", "the end of May".
WHEN = rf"(?:the end of |end of |early |mid[- ]|late )?(?:{MONTHS}|q[1-4]|\d|next \w+|{SEASONS})"
PROMISE = re.compile(
    r"\b(?:will (?:ship|deliver|launch|release|be (?:available|delivered|shipped|launched|"
    rf"released|ready|live))|committed|commit(?:s|ting)? to|coming (?:in|on|by|soon|next)"
    r"|available (?:in|on|from|by)|(?:we|I) (?:can )?promise|promised (?:for|by|in|to)"
    r"|on (?:its|the|their) way"
    r"|ships? (?:in|on|by)|launch(?:es|ing)? (?:in|on|by)|releas(?:es|ing) (?:in|on|by)"
    # "lands in Q1", "target is April": words that promise only with a time after them.
    rf"|(?:lands?|landing|scheduled|slated) (?:for |in |on |by )?{WHEN}"
    rf"|target(?: date)? is {WHEN}|targeted (?:at |for )?{WHEN}|(?:goes|go|going) live"
    rf"|by (?:the end of |end of |early |mid[- ]|late )?(?:{MONTHS}|q[1-4]|\d|next \w+|the end)"
    # A time to come, which reads as a date: "in January", "next quarter", "for spring".
    rf"|in (?:early |mid[- ]|late )?(?:{MONTHS})|next (?:week|month|quarter|year|release|sprint)"
    rf"|(?:in|by|for|this|next) (?:the )?(?:early |late )?(?:{SEASONS}))\b",
    re.IGNORECASE,
)
# "not committed", "not committing to", "no date is committed", "we cannot promise", "no
# date": the opposite of a promise.
NEGATED = re.compile(
    r"\b(?:not|never|no longer|nothing is|do not|don't|cannot|can't|will not|won't)\s+"
    r"(?:yet\s+)?(?:(?:ready|able|going) to\s+)?"
    r"(?:commit(?:s|ted|ting)?|promis(?:e|es|ed|ing))(?:\s+to)?\b"
    r"|\bno date(?: yet)?(?: is (?:committed|promised|set))?\b|\b(?:not a|no) promise\b",
    re.IGNORECASE,
)
# A date with its year that has passed by the day the facts were gathered promises nothing to
# come: "Halvorsen Group was told by Dana (Sales) on 3 November 2026 that …".
FULL_DATE = re.compile(
    rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b|\b(\d{{1,2}})(?:st|nd|rd|th)? ({MONTHS})\.? (\d{{4}})\b",
    re.IGNORECASE,
)
# A sentence asking for what was said to be corrected: "please reset that", "it should be
# corrected", "correct it with the customer", "walk back the date", "set them straight".
CORRECTS = re.compile(
    r"\b(?:correct(?:s|ed|ing)?|reset(?:s|ting)?|walk(?:s|ed|ing)?\s+back"
    r"|(?:take|takes|taking|took|taken)\s+back)"
    r"\s+(?:it|that|this|them|what|(?:the|their|our)\s+\w+)\b"
    r"|\bset(?:s|ting)?\s+them\s+straight\b"
    r"|\b(?:be|been|being|is|are|was|were|gets?|got)\s+(?:corrected|reset)\b|\bcorrection\b",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# Where a sentence joins two statements: a semicolon, or a comma before a joining word.
CLAUSE = re.compile(r";\s*|,\s+(?=(?:and|but|while|whereas|yet|so|though|although)\s)", re.I)


def promises(text: str, past: date | None = None) -> str:
    """The first promise word or date in the text ('' when none); a whole date on or before
    `past` (the day the facts were gathered) is not one."""
    text = NEGATED.sub(" ", text)
    if past:
        text = FULL_DATE.sub(lambda m: " " if passed(m, past) else m.group(0), text)
    found = PROMISE.search(text) or DATE.search(text)
    return found.group(0) if found else ""


def passed(match: re.Match, past: date) -> bool:
    """Whether the FULL_DATE found is on or before `past`."""
    year, month, day_of, spelt, month_name, spelt_year = match.groups()
    try:
        if year:
            return date(int(year), int(month), int(day_of)) <= past
        number = MONTH_NUMBERS[month_name[:3].lower()]
        return date(int(spelt_year), number, int(spelt)) <= past
    except ValueError:  # 31 February: no day at all, so not a past one
        return False


MONTH_NUMBERS = {name[:3]: n for n, name in enumerate(MONTHS.split("|")[:12], start=1)}


def says_corrected(clause: str, past: date | None = None) -> bool:
    """Whether the clause says what was said is not promised (claims.wording, "it is not
    promised", "only being explored") or asks for it to be corrected ("please reset the date
    with them"), and then promises nothing new: "we will reset the date to Q2 and ship the
    Intacct connector" names its correction verb and promises again after it."""
    if says_not_promised(clause):
        return True
    found = CORRECTS.search(clause)
    return found is not None and not promises(clause[found.end() :], past)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text or "") if s.strip()]


def clauses(sentence: str) -> list[str]:
    return [c for c in CLAUSE.split(sentence) if c.strip()]


def initiatives(update: Update) -> list[dict]:
    return (update.facts or {}).get("initiatives", [])


def promise_problems(
    text: str, where: str, items: list[dict], past: date | None = None
) -> list[str]:
    """Rule (b): an exploring or planned item named with promise words or a date, read clause
    by clause: in "we committed to carrier booking for March, and we are planning the
    warehouse import", the promise is carrier booking's. A clause that names no initiative
    speaks of the last one named ("…, and it will ship in May"). A sentence that says an item
    is not promised, or asks for what was said of it to be corrected, promises it nothing: "Sales
    told Halvorsen an Intacct connector is coming by Q2; it is not promised, please reset that."
    `items` are every initiative of the update's facts, so a promise is given to the committed
    one it is about; `past`: the day the facts were gathered (`promises`)."""
    found = []
    for sentence in sentences(text):
        parts = clauses(sentence)
        corrected = [
            item["id"]
            for n, clause in enumerate(parts)
            if says_corrected(clause, past)
            for item in spoken_of(parts, n, items)
        ]
        for n, clause in enumerate(parts):
            word = promises(clause, past)
            if not word:
                continue
            # Who the clause speaks of is looked for only where it promises: most don't.
            for item in spoken_of(parts, n, items):
                if item["status"] in NOT_PROMISED and item["id"] not in corrected:
                    found.append(
                        f"{where} presents “{item['title']}” "
                        f"({Status(item['status']).label.lower()}) as a promise (“{word}”): "
                        f"“{sentence}” {STATUS_MEANING[Status(item['status'])]}"
                    )
    return found


def spoken_of(parts: list[str], n: int, items: list[dict]) -> list[dict]:
    """The items clause `n` of a sentence speaks of: those it names, else the last ones named
    before it. Never one named after it: in "We have not committed to a date, but the supplier
    portal ships in March" the portal is promised."""
    return next((named for part in reversed(parts[: n + 1]) if (named := naming(part, items))), [])


def naming(text: str, items: list[dict]) -> list[dict]:
    return [item for item in items if any(says(text, name) for name in names(item, items))]


def problems(update: Update) -> list[str]:
    """Every broken rule of the update, in plain words, empty when it may be published: no
    version calls an exploring or planned item a commitment (the generated lines and the
    editor's narrative alike); the partners' version holds no internal initiative, goal,
    decision or date of an unpromised item, and the partner note names none."""
    items, past = initiatives(update), gathered_on(update)
    found = promise_problems(update.narrative, "The narrative", items, past)
    found += promise_problems(update.partner_note, "The note for partners", items, past)
    for audience in Audience:
        found += version_problems(update, version(update, audience))
    return list(dict.fromkeys(found))  # each once, in order


def gathered_on(update: Update) -> date | None:
    """The day the facts stand as of (the period's end, or the day they were gathered while it
    runs): a date up to it has passed."""
    as_of = ((update.facts or {}).get("period") or {}).get("as_of")
    return date.fromisoformat(as_of) if as_of else None


def version_problems(update: Update, found: Version) -> list[str]:
    """The broken rules of one rendered version."""
    who = f"The {Audience(found.audience).label.lower()} version"
    items, past = initiatives(update), gathered_on(update)
    broken = []
    for section in found.sections:
        for line in section.lines:
            broken += line_problems(line, who, section.heading, past)
            broken += promise_problems(line.text, f"{who} (“{section.heading}”)", items, past)
    if found.audience == Audience.PARTNERS:
        broken += partner_problems(update, found)
    return list(dict.fromkeys(broken))


def line_problems(line, who: str, heading: str, past: date | None = None) -> list[str]:
    """Rule (a): a line about an exploring or planned item reads as "not a promise"."""
    if line.status not in NOT_PROMISED:
        return []
    where = f"{who} (“{heading}”)"
    broken = []
    word = promises(line.text, past)
    if word:
        broken.append(f"{where} calls a {line.status} item a commitment (“{word}”): “{line.text}”")
    if not line.note.startswith("Not a promise") or DATE.search(line.note):
        broken.append(
            f"{where} does not say “not a promise” of a {line.status} item: “{line.text}”"
        )
    return broken


def partner_texts(update: Update, found: Version) -> list[tuple[str, str]]:
    # The title as the editor wrote it: "Update 2: … — for partners" around it is the update's
    # own, and its number had read as a goal's figure ("under 2 days").
    texts = [("the title", update.title), ("the note for partners", found.intro)]
    for section in found.sections:
        if section.heading == SHARED_DECISIONS:
            continue  # the editor who shared a decision chose to share its words
        texts += [(f"“{section.heading}”", f"{line.text} {line.note}") for line in section.lines]
    return texts


def gives_date(text: str, value: str) -> bool:
    """Whether `text` holds the ISO date `value`, as written or as a day, as a whole date: "1
    February 2027" is not in "11 February 2027"."""
    return any(says(text, form) for form in (value, day(value)))


def partner_problems(update: Update, found: Version) -> list[str]:
    """Rule (c)."""
    facts = update.facts or {}
    hidden = internal_names(facts)
    loose, common = loose_names(facts), shared_words(facts)
    undated = [i for i in facts.get("initiatives", []) if not i["dated_for_partners"]]
    broken = []
    for where, text in partner_texts(update, found):
        editors = where in EDITORS_TEXTS
        for owner, spans in named_inside(text, hidden, loose if editors else [], common):
            quoted = ", ".join(f"“{text[start:end]}”" for start, end in spans)
            broken.append(
                f"The partners' version names “{owner}”, which is internal, in {where}: "
                f"{quoted} in “{sentence_at(text, spans[0][0])}”"
            )
        if editors:
            broken += goal_figure_problems(facts, text, where, common)
        # The title's dates are the update's own period, not an item's.
        for item in undated if where != "the title" else []:
            for value in (item["target_date"], item["actual_date"]):
                if value and gives_date(text, value):
                    broken.append(
                        f"The partners' version gives a date of “{item['title']}”, which is "
                        f"{Status(item['status']).label.lower()} and promises no date, in {where}."
                    )
    return broken


def named_inside(
    text: str, hidden: list[tuple[str, str]], loose: list["LooseName"], common: set[str]
) -> list[tuple[str, list[tuple[int, int]]]]:
    """What internal the text names, each thing once with where its words stand: by one of
    its exact names (`hidden`, as (name, title)), or, read sentence by sentence, in other words
    (`loose`, `loosely_says`). Words inside longer words already found are not found again:
    "Intacct" in "Sage Intacct", "retry queue" in "the NetSuite sync … with a retry queue"."""
    found = [
        (owner, match.span())
        for name, owner in hidden
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
    ]
    for start, sentence in sentence_spans(text):
        said = word_set(sentence)
        for name in loose:
            if loosely_says(said, name, common):
                held = said & name.words
                found += [(name.title, (start + s, start + e)) for s, e in runs(sentence, held)]
    kept: dict[str, list[tuple[int, int]]] = {}
    for owner, (start, end) in found:
        inside = any(
            s <= start and end <= e and (e - s > end - start or (o == owner and s < start))
            for o, (s, e) in found
        )
        if not inside and (start, end) not in kept.get(owner, []):
            kept.setdefault(owner, []).append((start, end))
    return [(owner, sorted(spans)) for owner, spans in kept.items()]


def sentence_spans(text: str) -> list[tuple[int, str]]:
    """Each sentence (`sentences`) with where it starts in the text."""
    found, at = [], 0
    for sentence in sentences(text):
        at = text.index(sentence, at)
        found.append((at, sentence))
        at += len(sentence)
    return found


def sentence_at(text: str, position: int) -> str:
    """The sentence of the text that holds `position`."""
    return next(
        (s for start, s in reversed(sentence_spans(text)) if start <= position), text.strip()
    )


def runs(sentence: str, held: set[str]) -> list[tuple[int, int]]:
    """Where the sentence says the words `held` (as `words` reads them), runs of them joined
    across linking words: "rewriting the NetSuite sync on SuiteTalk REST", "retry queue"."""
    spans: list[list[int]] = []
    linked = False  # only linking words since the last word held
    for match in WORD.finditer(sentence):
        read = words(match.group(0))
        if any(word in held for word in read):
            end = match.start() + len(match.group(0).rstrip(".'&-"))  # "queue." ends a sentence
            if spans and linked:
                spans[-1][1] = end
            else:
                spans.append([match.start(), end])
            linked = True
        elif any(read):
            linked = False
    return [(start, end) for start, end in spans]


# --- An internal item or goal named in other words than its title ---

# The partners' texts an editor writes; generated lines use titles, which the exact names catch.
EDITORS_TEXTS = ("the title", "the note for partners")
# Words that name nothing on their own: "the report for controllers" is named by its other words.
LINKING_WORDS = (
    "a an the and or of for with to from in on at by via through against before after as is "
    "are be it its our their your this that these every all any no not than under below above "
    "over more less"
)
LINKING = frozenset(LINKING_WORDS.split())
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
YEAR = re.compile(r"(?:19|20)\d\d")
# "Most" of a name's words: the title less a word or two.
MOST = 0.6
# Letters joined to digits, as people write "SOC2" of "SOC 2" (two letters at least: "v3" stays).
LETTERS_THEN_DIGITS = re.compile(r"(?<=[a-z]{2})(?=\d)")
# Endings folded, after a plural's, so one word's forms meet: "auto-coding" and "Auto-code",
# "approvers", "approved" and "approve".
ENDINGS = ("ing", "ed", "er", "e")


def words(text: str) -> list[str | None]:
    """The words of a text that may name something, in order, lower case, endings folded; a
    hyphen parts words ("cycle-time" is "cycle time") and None stands for a linking word."""
    text = LETTERS_THEN_DIGITS.sub(" ", text.lower())
    found: list[str | None] = []
    for whole in WORD.findall(text):
        for word in whole.split("-"):
            word = word.strip(".'&")
            found.append(None if word in LINKING or not word else stem(word))
    return found


def stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def word_set(text: str) -> set[str]:
    """The words of a text that may name something (`words`), in any order."""
    return {word for word in words(text) if word}


def loosely_says(sentence: set[str], name: "LooseName", common: set[str]) -> bool:
    """Whether a sentence names an item in other words than its exact names: it holds most of
    the title's words, two of them at least not `common` (words partners read in the titles
    shared with them); or all the title's own words (those not common, two at least); or two
    own words that stand side by side in the title ("virtual cards" of "Virtual card payments
    with rebate share", "GL auto-coding" of "Auto-code GL account…")."""
    held = sentence & name.words
    own = name.words - common
    need = max(2, math.ceil(MOST * len(name.words)))
    if len(name.words) >= 2 and len(held) >= need and len(held - common) >= 2:
        return True
    if len(own) >= 2 and own <= sentence:
        return True
    return any({a, b} <= sentence - common for a, b in name.pairs)


class LooseName:
    """An internal item's title as its words and its side-by-side word pairs."""

    def __init__(self, title: str):
        self.title = title
        self.words = word_set(title)
        said = words(title)
        self.pairs = [(a, b) for a, b in itertools.pairwise(said) if a and b and a != b]


def loose_names(facts: dict) -> list[LooseName]:
    """Each internal initiative and each decision not shared with partners. A short name is
    read whole (internal_names): two words of one are often said of something else
    ("approvers get reminders" of "Approver reminders and …")."""
    items = facts.get("initiatives", [])
    told = {i["title"] for i in facts.get("no_longer_shared", [])}
    found = [
        LooseName(item["title"]) for item in items if not shared(item) and item["title"] not in told
    ]
    return found + [LooseName(title) for title in facts.get("unshared_decisions", [])]


def shared_words(facts: dict) -> set[str]:
    """The words partners read in the titles shared with them."""
    common: set[str] = set()
    for item in facts.get("initiatives", []):
        if shared(item):
            common |= word_set(item["title"])
    return common


def goal_figure_problems(facts: dict, text: str, where: str, common: set[str]) -> list[str]:
    """Rule (c) for what an editor writes: a sentence giving a goal's figure with one of its
    words or other names ("our no-touch rate is 41%", "posting failures are down to 4.2%").
    (named_inside finds an internal item named in other words: "the cycle time report ships in
    January" of "Approval cycle-time report for controllers".)"""
    broken = []
    for sentence in sentences(text):
        said = word_set(sentence)
        figures = {figure(n) for n in NUMBER.findall(sentence)}
        for goal in facts.get("goals", []):
            if figures & goal_figures(goal) and names_goal(sentence, said - common, goal):
                broken.append(
                    f"The partners' version gives a figure of the goal “{goal['title']}”, which "
                    f"is internal, in {where}: “{sentence}”"
                )
    return broken


def names_goal(sentence: str, said: set[str], goal: dict) -> bool:
    """Whether a sentence holds one of a goal's other names ("touchless", "approvals") or a
    word of its title, metric or other names that no shared title has (`said` is without
    those)."""
    others = goal.get("names", [])
    return any(says(sentence, name) for name in others) or bool(goal_words(goal) & said)


def goal_words(goal: dict) -> set[str]:
    said = " ".join([goal["title"], goal["metric"], *goal.get("names", [])])
    return {w for w in word_set(said) if not NUMBER.fullmatch(w)}


def figure(number: str) -> str:
    """A number as a goal's figures are written: "41.0" and "41" alike, "4,2" as "4.2",
    "1,500" as "1500"."""
    comma = "" if re.fullmatch(r"\d{1,3},\d{3}", number) else "."
    return f"{float(number.replace(',', comma)):g}"


def goal_figures(goal: dict) -> set[str]:
    """The figures a goal gives: its target's and its title's numbers (not their dates) and
    its latest reading; not its metric's, which are windows ("rolling 30 days")."""
    said = DATE.sub(" ", f"{goal['title']} {goal['target']}")
    found = {figure(n) for n in NUMBER.findall(said) if not YEAR.fullmatch(n)}
    return found | ({figure(f"{goal['latest']['value']}")} if goal.get("latest") else set())


def warnings(update: Update, today: date | None = None) -> list[str]:
    """What the editor should know before publishing, though it breaks no rule: an empty or
    placeholder narrative or note for partners; a period not over yet (publishing then needs
    a confirmation, updates.actions.publish); a published update whose period overlaps this
    one's (every reader would read the same events twice); and each item the last published
    partners' version gave as committed, with its date, that is no longer shared with partners.
    Their version says only that it left the roadmap shared with them."""
    today = today or timezone.localdate()
    found = text_warnings(update)
    if today <= update.period_end:
        found.append(early_warning(update, today))
    found += overlap_warnings(update)
    found += [
        f"“{item['title']}” was committed for {day(item['target_date'])} in the partners' "
        f"version of update {item['update']} and is no longer shared with partners: their "
        "version says only that it is no longer on the roadmap shared with them. Share it "
        "again, or tell them why in the note for partners."
        for item in (update.facts or {}).get("no_longer_shared", [])
    ]
    return found


# What people type to come back to later: "to be written", "TBD", "lorem ipsum", "…".
PLACEHOLDER = re.compile(
    r"\bto be (?:written|done|added|completed|filled in|confirmed)\b|\btbd\b|\btbc\b|\btodo\b"
    r"|\blorem ipsum\b|\bplaceholder\b|\bfill (?:this |it )?in\b|\bwrite (?:this|it) later\b"
    r"|\bcoming soon\b|^\W*(?:x+|\.\.\.|…)\W*$",
    re.IGNORECASE,
)


def text_warnings(update: Update) -> list[str]:
    texts = [
        ("narrative", update.narrative, "every internal version opens with it"),
        ("note for partners", update.partner_note, "it is all partners read in your words"),
    ]
    found = []
    for name, text, why in texts:
        if not text.strip():
            found.append(f"The {name} is empty: {why}.")
        elif held := PLACEHOLDER.search(text):
            found.append(
                f"The {name} reads as a placeholder (“{held.group(0)}”): {why}. Write it, "
                "or empty it."
            )
    return found


def early_warning(update: Update, today: date) -> str:
    left = (update.period_end - today).days + 1
    return (
        f"The period runs to {update.period_end.day} {update.period_end:%B %Y}, "
        f"{'today included' if left == 1 else f'{left} days still to come'}: publishing now "
        "freezes its facts before it is over. Publish after it ends, or confirm that you "
        "publish it early."
    )


def overlap_warnings(update: Update) -> list[str]:
    """A published update whose period shares days with this draft's."""
    published = update.workspace.updates.filter(
        published_at__isnull=False,
        period_start__lte=update.period_end,
        period_end__gte=update.period_start,
    ).exclude(pk=update.pk)
    return [
        f"Update {other.number} ({other.period_start.day} {other.period_start:%B %Y} to "
        f"{other.period_end.day} {other.period_end:%B %Y}) is published and covers "
        f"{covered(other, update)} of this period too: what happened in both is told twice to "
        "every audience, partners included. Open the draft for the days after it, or say so in "
        "the texts."
        for other in published.order_by("number")
    ]


def covered(other: Update, update: Update) -> str:
    """How much of `update`'s period the other update's covers: "all" or "part"."""
    whole = other.period_start <= update.period_start and other.period_end >= update.period_end
    return "all" if whole else "part"


def jargon(update: Update, audience: str) -> list[dict]:
    """Words in the version's texts a reader of `audience` may not know (acronyms and glossary
    terms): [{"term": str, "known": bool, "in_glossary": bool, "path": str}], known terms
    linking to the glossary.

    The acronyms are the clarity checks' jargon rule (analysis.clarity.jargon), as a decision's
    page flags them; a word the glossary defines is known and links to its entry, except for
    partners, who cannot open the glossary: for them a glossary term is as unexplained as any
    other, and the note for partners has to say what it means."""
    audience = Audience(audience).value
    text = update.partner_note if audience == Audience.PARTNERS else update.narrative
    workspace = update.workspace
    terms = {name.lower(): pk for name, pk in workspace.terms.values_list("name", "pk")}
    partners = audience == Audience.PARTNERS

    def word(term: str, pk: int | None) -> dict:
        return {
            "term": term,
            "known": pk is not None and not partners,
            "in_glossary": pk is not None,
            "path": "" if pk is None or partners else reverse("term", args=[workspace.slug, pk]),
        }

    found: dict[str, dict] = {}
    for finding in clarity.jargon({"text": without_keys(text or "", workspace)}):
        found[finding.phrase.lower()] = word(finding.phrase, find(finding.phrase, terms))
    for name, pk in terms.items():
        if name not in found and uses(text or "", name):
            found[name] = word(name, pk)
    return list(found.values())


def without_keys(text: str, workspace) -> str:
    """The text less the workspace's initiative keys ("RM-14"), which name an initiative the
    update links rather than stand for words: their letters had been flagged as jargon ("RM")."""
    keys = workspace.initiatives.exclude(key="").values_list("key", flat=True)
    if not keys:
        return text
    named = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return re.sub(rf"(?<![\w-])(?:{named})(?![\w-])", " ", text, flags=re.IGNORECASE)


def unshared_since(update: Update) -> list[str]:
    """What the published partners' version shows that is no longer shared with partners (an
    initiative or a decision shared by mistake, then unshared): unsharing it changes no frozen
    version, so the update's page points to withdrawing the partners' one. Empty once it is."""
    if not update.is_published or update.is_withdrawn_from_partners:
        return []
    facts = update.facts or {}
    moved = [change["initiative"] for change in facts.get("date_changes", [])]
    items = [*facts.get("shipped", []), *facts.get("upcoming", []), *moved]
    shown = {i["id"]: i["title"] for i in items + facts.get("not_promised", []) if shared(i)}
    still = update.workspace.initiatives.filter(pk__in=shown, visibility__in=SHARED_OUTSIDE)
    kept = set(still.values_list("pk", flat=True))
    found = [title for pk, title in shown.items() if pk not in kept]
    told = {d["number"]: d["title"] for d in facts.get("decided", []) if d["shared_with_partners"]}
    still = update.workspace.decisions.filter(number__in=told, shared_with_partners=True)
    kept = set(still.values_list("number", flat=True))
    return found + [f"decision {n}, {title}" for n, title in told.items() if n not in kept]
