"""Vision clarity: does the vision say where we are going, how we will know, and who gains?

Clarity comes before alignment: a team cannot align on a vision that leaves its destination,
its measure of progress or its user's gain unsaid. This module gives a score with concrete
suggestions: a wording checklist, not a judgement of the strategy (the right words can say
nothing). Every rule is a short word list or pattern a person can read below.

Parts and weights (they sum to 100). The first three are the ones a vision cannot do without:

    destination           25   where we are going
    measures_of_progress  25   how progress is measured: a number that moves
    user_benefit          20   what the user gains
    target_user           15   who it is for
    business_outcome      10   what the business gains
    horizon                5   by when

A part counts as present when its structured field is filled in, except the two a reader can
check: a measure of progress field must name a number or a way of counting, and a horizon field
a time ("Growth" and "Soon" fill their boxes and say neither). A field made only of words that
fit any product ("They get more value.", "Better outcomes for everyone.": ``FILLER``, the
findings' phrases below, and the glue words and who-words that name nobody, ``_GLUE``) says
nothing concrete and counts as missing, with a suggestion naming those words; a statement made
only of them shows no part. A blank field's part is searched for in the statement with the rules
in ``_DETECTORS``:

- destination: a sentence that opens with its date ("By end of 2027, a clerk approves …"), or a
  future-state marker ("will", "become", "a world where", "every", "reach", "mission is to",
  "goes from", "to <verb>" at the start, ...) not followed by a superlative or a buzzword
  ("will be the best", "will delight"), in a statement of at least five words;
- measures of progress: a percentage, "from X to Y", a number that is not the horizon's year,
  or a measuring word ("measured", "median", "rate", "number of", "twice", "half", ...);
- target user: a word for people (customers, teams, developers, patients, everyone, ...) or a
  plural role a list cannot foresee (dispatchers, operators, dentists, technicians: a word
  ending in -ers, -ors, -ists, -ians or -ants, except the things in ``NOT_ROLES``);
- user benefit: a word that names a gain ("so that", "without", "save", "faster", "no more",
  "back", "able to", ...);
- business outcome: a money or market word (revenue, margin, retention, market share, $, ...);
- horizon: a year ("2028"), a quarter or half ("Q3", "H2"), "within/in/over N years|months",
  "by the end of the year|decade" or "before this decade".

Findings flag wording a newcomer would stumble on, wherever it appears (statement or parts):

- buzzword: words that sound good and say nothing checkable (``BUZZWORDS``), 5 points each;
- superlative: a claim to beat everyone with no measure or rival named ("the best", "number
  one", "market leader": ``SUPERLATIVES``), 5 points each; it is no business outcome either;
- vague: phrases that promise a direction but no destination (``VAGUE``), 3 points each;
- jargon: ALL-CAPS tokens of 2 to 6 letters (plural "s" allowed), or of capitals and digits
  ("B2B", "ISO20022", "K8s"; not a quarter, a fiscal year, a version or an amount such as "Q3",
  "FY27", "V2", "$20M": ``_PLAIN_WITH_DIGITS``), 3 points each, unless the glossary holds them,
  they are in ``COMMON_ACRONYMS`` (US, UK, EU, AI, CEO, 5G, ...: known to anyone who reads the
  news), or the text spells them out in brackets ("accounts payable (AP)").
  A text written mostly in capitals is shouting, not jargon, and is not checked.

Each distinct phrase is reported once per text, at its first occurrence. The penalty is capped
at ``MAX_PENALTY`` so that wording never outweighs a missing part.

    score = max(0, sum(weights of present parts) - min(MAX_PENALTY, penalties))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

WEIGHTS: dict[str, int] = {
    "destination": 25,
    "measures_of_progress": 25,
    "user_benefit": 20,
    "target_user": 15,
    "business_outcome": 10,
    "horizon": 5,
}
LABELS: dict[str, str] = {
    "destination": "Destination",
    "measures_of_progress": "Measure of progress",
    "user_benefit": "User benefit",
    "target_user": "Target user",
    "business_outcome": "Business outcome",
    "horizon": "Horizon",
}
# Concrete rewrites, one per part, shown when the part is missing.
PART_SUGGESTIONS: dict[str, str] = {
    "destination": (
        "Say where we are going: the state of the world when we have succeeded, "
        "e.g. 'every supplier invoice is paid without anyone retyping it'."
    ),
    "measures_of_progress": (
        "Say how progress is measured: a number that moves, e.g. 'from 41% to 70% touchless'."
    ),
    "user_benefit": (
        "Say what the user gains, in their words, e.g. 'controllers get their month-end "
        "evenings back'."
    ),
    "target_user": "Say who it is for: name the people, e.g. 'for finance controllers'.",
    "business_outcome": ("Say what the business gains, e.g. 'net revenue retention above 115%'."),
    "horizon": "Say by when, e.g. 'by 2028' or 'within three years'.",
}

BUZZWORD_PENALTY = 5
SUPERLATIVE_PENALTY = 5
VAGUE_PENALTY = 3
JARGON_PENALTY = 3
MAX_PENALTY = 30

_SEP = r"[-\s]?"  # "world-class", "world class" and "worldclass" are the same buzzword

# pattern -> what to write instead. Patterns are case-insensitive and whole words.
BUZZWORDS: dict[str, str] = {
    rf"world{_SEP}class": "Say what is better, and measured against whom.",
    rf"best{_SEP}in{_SEP}class": "Name the comparison and the number you beat it by.",
    rf"best{_SEP}of{_SEP}breed": "Name the comparison and the number you beat it by.",
    r"seamless(?:ly)?": "Say which step disappears, e.g. 'no re-typing between inbox and ledger'.",
    r"leverag(?:e|es|ed|ing)": "Say 'use', and what for.",
    r"synerg(?:y|ies|istic)": "Say which two things get cheaper or better together, and how.",
    rf"cutting{_SEP}edge": "Say what it can do that others cannot.",
    rf"next{_SEP}gen(?:eration)?": "Say what the new thing does that the old one did not.",
    r"holistic(?:ally)?": "List the parts it covers.",
    r"robust": "Say what it survives, e.g. '99.9% uptime at month end'.",
    r"innovat(?:ive|ion|ions)": "Say what is new, for whom.",
    rf"game{_SEP}chang(?:ing|er)": "Say what changes for the user, and by how much.",
    r"empower(?:s|ed|ing|ment)?": "Say what people can do that they could not before.",
    r"disrupt(?:s|ed|ing|ive|ion)?": "Say whose way of working changes, and how.",
    r"paradigm(?:s)?(?:\s+shift)?": "Say what people will do differently.",
    r"scalable\s+solutions?": "Say how big, e.g. '10,000 invoices a day'.",
    rf"end{_SEP}to{_SEP}end": "Name the first and the last step.",
    r"delight(?:s|ed|ful|ing)?": "Say what the user notices, e.g. 'answers in under a minute'.",
    r"frictionless": "Say which step disappears.",
    rf"AI{_SEP}(?:powered|driven|first)": "Say what the user gets, not how it is built.",
    r"revolutioni[sz](?:e|es|ed|ing)": "Say what people will do differently.",
    r"supercharg(?:e|es|ed|ing)": "Say how much faster or more, as a number.",
    r"unlock(?:s|ed|ing)?": "Say what becomes possible, for whom.",
    r"transformative|transformational": "Say what is different afterwards.",
    r"mission[-\s]critical": "Say what breaks without it.",
}
VAGUE: dict[str, str] = {
    r"(?:a|the)\s+(?:leading|premier)": "Leading by which measure? Name it.",
    r"(?:more|highly)\s+efficient": "More efficient by how much? Give a before and after.",
    r"(?:improve|enhance|optimi[sz]e)(?:s|d)?\s+(?:the\s+)?(?:customer\s+|user\s+)?experience": (
        "Which part of the experience, and how will you know it improved?"
    ),
    r"streamlin(?:e|es|ed|ing)": "Say which steps go away.",
    r"drive\s+(?:value|growth|results)": "Say which value, and how much.",
    r"(?:value|business)\s+(?:add|proposition)": "Say the value itself.",
    r"solutions?\s+for": "Say what it does, not that it is a solution.",
    r"take\s+\w+\s+to\s+the\s+next\s+level": "Say what the next level is, as a number.",
    r"at\s+scale": "Say how big.",
    r"best\s+possible": "Best by which measure?",
    r"excellence": "Excellent at what, measured how?",
}
# Claims to beat everyone, with no measure or rival named: they read as a destination or a
# business outcome and say neither.
SUPERLATIVES: dict[str, str] = {
    r"(?:(?:be|become|being)\s+)?the\s+best": "The best at what, measured how, against whom?",
    r"number\s+one|no\.\s?1|#1": "Number one by which measure, among whom?",
    r"(?:market|industry|world)[-\s]lead(?:er|ers|ing)": "Leading by which measure? Name it.",
    r"the\s+(?:greatest|finest|largest|biggest)": "Say what is bigger or better, by how much.",
    r"unrivall?ed|unmatched|unparalleled|second\s+to\s+none": "Say against whom, by how much.",
}
# Known to anyone who reads the news; everything else in capitals needs the glossary.
COMMON_ACRONYMS = frozenset({
    "US", "USA", "UK", "EU", "UN", "AI", "CEO", "TV", "PC", "OK", "ID", "FAQ", "PDF", "URL",
    "3D", "5G", "G7", "G20", "CO2",
})  # fmt: skip
# An acronym is 2 to 6 capitals ("ERP", "ERPs"), or capitals with digits in them ("B2B", "P2P",
# "3DS", "ISO20022", "K8s"), which a newcomer knows no better.
_ACRONYM = re.compile(r"\b(?:([A-Z]{2,6})s?|((?=[A-Z\d]*[A-Z])(?=[A-Z\d]*\d)[A-Z\d]{2,10}s?))\b")
# Capitals with digits that anyone reads at once: a quarter or a half ("Q3", "H1", "2026H2",
# "3Q"), a fiscal year ("FY27"), a version ("V2"), an amount, a multiple, a time of day or a size
# ("20M", "5K", "10X", "9AM", "500MB").
_PLAIN_WITH_DIGITS = re.compile(
    r"(?:\d{4})?(?:Q[1-4]|H[12])|[1-4]Q(?:\d\d)?|[12]H(?:\d\d)?|FY\d\d(?:\d\d)?|V\d+"
    r"|\d+(?:K|M|MM|B|BN|T|X|AM|PM|KB|MB|GB|TB|KG|KM)"
)
# A Roman numeral after a name's word is its number, not an acronym: "Type II", "Phase III".
_NUMERAL_AFTER_WORD = re.compile(r"\b[A-Z][a-z]+\s+(?:X{0,3})(?:IX|IV|V?I{0,3})$")


@dataclass(frozen=True)
class Part:
    name: str
    label: str
    present: bool
    source: str  # "field", "statement" or "" when missing
    evidence: str  # the field's text or the words in the statement that showed the part
    weight: int
    says_nothing: bool = False  # filled in, but only with words that fit any product


@dataclass(frozen=True)
class Finding:
    kind: str  # "buzzword", "superlative", "vague" or "jargon"
    phrase: str
    start: int
    end: int
    suggestion: str
    where: str = "statement"  # "statement" or the name of the part the phrase is in

    @property
    def where_label(self) -> str:
        return LABELS.get(self.where) or GOAL_FIELD_LABELS.get(self.where, "Statement")


@dataclass
class Clarity:
    score: int
    parts: dict[str, Part]
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    # Acronyms the glossary defines, as written ("KPIs"): explained, so no finding, but a reader
    # is shown where to look them up.
    explained: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [name for name, part in self.parts.items() if not part.present]

    @property
    def missing_labels(self) -> list[str]:
        return [part.label for part in self.parts.values() if not part.present]

    @property
    def other_suggestions(self) -> list[str]:
        """The suggestions that are not a finding's own: a page listing the findings with
        their suggestion shows these beside them, so no phrase is pointed out twice."""
        said = {instead_of(f) for f in self.findings}
        return [s for s in self.suggestions if s not in said]


def instead_of(finding: Finding) -> str:
    return f"Instead of “{finding.phrase}”: {finding.suggestion}"


def check_clarity(
    text: str, parts: Mapping[str, str] | None = None, glossary: set[str] | None = None
) -> Clarity:
    """Score how clearly a vision states its parts, with suggestions to make it clearer.

    >>> check_clarity("A world-class platform.").missing[:2]
    ['destination', 'measures_of_progress']
    """
    text = text or ""
    given = {name: (value or "").strip() for name, value in (parts or {}).items()}
    # A statement made only of words that fit any product shows no part ("Better outcomes").
    read = "" if _says_nothing(text) else text
    checked = {name: _check_part(name, read, given.get(name, "")) for name in WEIGHTS}
    texts = {"statement": text} | {name: given[name] for name in WEIGHTS if given.get(name)}
    findings = _once_each(
        finding
        for where, words in texts.items()
        for finding in _findings(words, where, glossary or set())
    )
    completeness = sum(part.weight for part in checked.values() if part.present)
    score = max(0, completeness - min(MAX_PENALTY, sum(map(_penalty, findings))))
    explained = _explained(texts.values(), glossary or set())
    return Clarity(score, checked, findings, _suggestions(checked, findings, text), explained)


# The parts whose field is checked for what it must say, not only for being filled in.
_FIELD_CHECKED = ("measures_of_progress", "horizon")


def _check_part(name: str, text: str, given: str) -> Part:
    if given:
        if _says_nothing(given):
            return Part(name, LABELS[name], False, "field", given, WEIGHTS[name], True)
        says_it = name not in _FIELD_CHECKED or bool(_DETECTORS[name](given))
        return Part(name, LABELS[name], says_it, "field", given, WEIGHTS[name])
    evidence = _DETECTORS[name](text)
    source = "statement" if evidence else ""
    return Part(name, LABELS[name], bool(evidence), source, evidence, WEIGHTS[name])


def _suggestions(parts: dict[str, Part], findings: list[Finding], text: str) -> list[str]:
    out = [
        _nothing_said(part.label, part.evidence, PART_SUGGESTIONS[name])
        if part.says_nothing
        else PART_SUGGESTIONS[name]
        for name, part in parts.items()
        if not part.present
    ]
    if _says_nothing(text):
        out.insert(0, _nothing_said("Statement", text, "No part of the vision is found in it."))
    measure = parts["measures_of_progress"]
    # A filled-in measure without a number is a metric's name, not yet a target.
    if measure.present and measure.source == "field" and not re.search(r"\d", measure.evidence):
        out.append(
            "Give the measure a target: a number that moves, e.g. 'median close from 9 days to 3'."
        )
    out.extend(map(instead_of, findings))
    return out


def _penalty(finding: Finding) -> int:
    penalties = {
        "buzzword": BUZZWORD_PENALTY,
        "superlative": SUPERLATIVE_PENALTY,
        "vague": VAGUE_PENALTY,
    }
    return penalties.get(finding.kind, JARGON_PENALTY)


# --- Detecting parts in the statement: each returns the words that showed the part, or "". ---

_NUMBER_WORDS = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen)"
_HORIZON = re.compile(
    r"\b(?:(?:by|in|before|until|through)\s+)?(?:19|20)\d\d\b"
    r"|\b(?:Q[1-4]|H[12])\b"
    rf"|\b(?:within|in|over|for)\s+(?:the\s+next\s+)?{_NUMBER_WORDS}\s+(?:years?|months?|quarters?)\b"
    r"|\bby\s+the\s+end\s+of\s+(?:the\s+)?(?:year|decade|quarter)\b"
    r"|\bbefore\s+(?:this|the)\s+(?:decade|year|quarter)\b",
    re.IGNORECASE,
)
_MEASURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:%|percent\b|per\s+cent\b)"
    r"|\bfrom\s+[\w.,%$€£]+\s+to\s+[\w.,%$€£]+"
    r"|\b(?:measured|measurable|metric|median|average|rate|score|count|number\s+of|"
    r"twice|double|doubling|triple|halve|halving|half)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_PEOPLE = re.compile(
    r"\b(?:customers?|users?|people|persons?|teams?|developers?|engineers?|businesses|"
    r"compan(?:y|ies)|organi[sz]ations?|patients?|students?|teachers?|families|famil(?:y)|"
    r"members?|clients?|buyers?|sellers?|shoppers?|drivers?|riders?|creators?|controllers?|"
    r"merchants?|consumers?|employees?|workers?|readers?|travell?ers?|hosts?|guests?|"
    r"citizens?|individuals?|athletes?|humans?|humanity|everyone|everybody|anyone|"
    r"professionals?|owners?|founders?|clinicians?|doctors?|nurses?|farmers?|learners?|"
    r"small\s+business(?:es)?|accountants?|analysts?|managers?|parents?|children|kids)\b",
    re.IGNORECASE,
)
# People a list cannot foresee are named by their role: dispatchers, operators, dentists,
# technicians, accountants. Plurals only ("-er" alone is "faster", "never", "other"), and not the
# things that end the same way.
_ROLE = re.compile(r"\b[a-z]{3,}(?:ers|ors|ists|ians|ants)\b", re.IGNORECASE)
NOT_ROLES = frozenset({
    "others", "numbers", "orders", "centers", "letters", "errors", "matters", "answers", "offers",
    "papers", "layers", "filters", "servers", "computers", "folders", "headers", "parameters",
    "quarters", "headquarters", "barriers", "borders", "corners", "doors", "floors", "factors",
    "colors", "sensors", "monitors", "lists", "checklists", "exists", "restaurants", "plants",
    "variants", "grants",
})  # fmt: skip


def _who(text: str) -> str:
    """The first word for people in the text: a listed one or a role."""
    found = [m for m in (_PEOPLE.search(text), *_ROLE.finditer(text)) if m is not None]
    people = [m for m in found if m.group(0).lower() not in NOT_ROLES]
    return min(people, key=lambda m: m.start()).group(0) if people else ""


_BENEFIT = re.compile(
    r"\bso\s+(?:that|they|you|we)\b|\bwithout\b|\bsav(?:e|es|ed|ing)\b|\bfaster\b|\beasier\b|"
    r"\bsimpler\b|\bcheaper\b|\bless\b|\bfewer\b|\bno\s+(?:more|longer)\b|\bnever\b|\bback\b|"
    r"\bable\s+to\b|\bcan\b|\bhelps?\b|\bhelping\b|\baccess\s+to\b|\binstead\s+of\b|\bfree\b|"
    r"\bhealthier\b|\bsafer\b|\bbetter\b|\buseful\b|\baccessible\b|\baffordable\b|"
    r"\bbelong\b|\binspir(?:e|ation)\b|\bachieve\s+more\b",
    re.IGNORECASE,
)
_BUSINESS = re.compile(
    r"\b(?:revenue|profit(?:able|ability)?|margins?|market\s+share|retention|churn|ARR|MRR|"
    r"sales|valuation|growth|bookings|customers?\s+(?:count|base)|million|billion)\b|[$€£]\s?\d",
    re.IGNORECASE,
)
# A pain the goal takes away is a gain: time lost ("lose two hours every morning"), errors,
# work done by hand or late.
_PAIN = re.compile(
    r"\b(?:los(?:e|es|ing|t)|wast(?:e|es|ed|ing)|wait(?:s|ed|ing)?|spen(?:d|ds|ding|t))\b"
    r"[^.;!?]{0,40}?\b(?:hours?|days?|minutes?|weeks?|mornings?|evenings?|time)\b"
    r"|\b(?:errors?|mistakes?|manual(?:ly)?|by\s+hand|late|retyp\w*|re-typ\w*)\b",
    re.IGNORECASE,
)
_DESTINATION = re.compile(
    r"\bwill\b|\bbecom(?:e|es|ing)\b|\ba\s+world\s+(?:where|in\s+which)\b|\bevery\b|\beach\b|"
    r"\ball\b|\beveryone\b|\banyone\b|\bno\s+one\b|\bnobody\b|\bto\s+be\b|^\s*to\s+[a-z]+|"
    r"\b(?:vision|mission|goal|aim)\s+is\s+to\b|\bwhere\b|\breach(?:es)?\b|\bgo(?:es)?\s+from\b",
    re.IGNORECASE,
)


def _first(pattern: re.Pattern[str], text: str) -> str:
    found = pattern.search(text)
    return found.group(0).strip() if found else ""


# A sentence that opens with its date says how the world is then: "By end of 2027, a clerk
# approves an invoice in 2 days" is a destination without a "will".
_DATED_STATE = re.compile(
    r"(?:^|[.;!?]\s+)(?:by|in|before|until)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(?:(?:Q[1-4]|H[12])\s+)?(?:19|20)\d\d\s*,(?:\s+[^\s,.;]+){3}",
    re.IGNORECASE,
)


def _destination(text: str) -> str:
    # A destination needs a sentence around the marker, not just the word "every".
    if len(text.split()) < 5:
        return ""
    if dated := _first(_DATED_STATE, text):
        return dated.lstrip(".;!? ")
    flagged = [match.start() for _kind, pattern, _ in _COMPILED for match in pattern.finditer(text)]
    for marker in _DESTINATION.finditer(text):
        # "will be the best", "to become number one": a superlative or a buzzword where the
        # state should be names no destination.
        linking = _LINKING.match(text, marker.end())  # always matches: every part is optional
        state = linking.end() if linking else marker.end()
        if not any(marker.end() <= start <= state for start in flagged):
            return marker.group(0).strip()
    return ""


_LINKING = re.compile(r"(?:\s+(?:be|become|becoming|being|to|the|a|an)\b)*\s*", re.IGNORECASE)


def _measure(text: str) -> str:
    if found := _first(_MEASURE, text):
        return found
    # Any other number counts, except the horizon's date: "by 2028" is when, not how much.
    dates = [m.span() for m in _HORIZON.finditer(text)]
    for number in _NUMBER.finditer(text):
        if not any(start <= number.start() < end for start, end in dates):
            return number.group(0)
    return ""


_DETECTORS: dict[str, Callable[[str], str]] = {
    "destination": _destination,
    "measures_of_progress": _measure,
    "user_benefit": lambda text: _first(_BENEFIT, text),
    "target_user": _who,
    "business_outcome": lambda text: _first(_BUSINESS, text),
    "horizon": lambda text: _first(_HORIZON, text),
}


# --- Words that fit any product: a part made only of them says nothing concrete. ---

# "They get more value.", "Better outcomes for everyone.": filled in, and true of anything.
FILLER = frozenset({
    "value", "values", "valuable", "better", "best", "more", "most", "greater", "great",
    "improved", "improve", "improves", "improvement", "improvements", "enhanced", "outcome",
    "outcomes", "result", "results", "success", "successful", "succeed", "impact", "impactful",
    "benefit", "benefits", "beneficial", "experience", "experiences", "excellent", "optimal",
    "quality", "positive", "win", "wins", "winning", "efficiency", "efficient", "happiness",
    "happy", "happier", "potential", "possibilities", "opportunities", "solution", "solutions",
})  # fmt: skip
# Words that hold a sentence together, and who-words that name nobody in particular.
_GLUE = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "for", "to", "in", "on", "at", "by", "with",
    "from", "into", "than", "as", "so", "that", "this", "it", "its", "they", "them", "their",
    "we", "us", "our", "you", "your", "i", "my", "everyone", "everybody", "anyone", "anybody",
    "people", "all", "every", "each", "everything", "things", "is", "are", "be", "been", "being",
    "will", "would", "can", "could", "should", "get", "gets", "getting", "got", "have", "has",
    "make", "makes", "deliver", "delivers", "delivering", "provide", "provides", "bring",
    "brings", "drive", "drives", "achieve", "achieves", "create", "creates", "enjoy", "enjoys",
    "see", "gain", "gains", "want", "wants", "aim", "aims", "strive", "become", "becomes", "help",
    "helps", "enable", "enables", "lot", "lots", "much", "many", "very", "really", "even",
    "ever", "always", "also", "just", "new",
})  # fmt: skip
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _says_nothing(text: str) -> bool:
    """Whether the text holds words, none of them saying who or what in particular: only
    ``FILLER``, ``_GLUE``, buzzwords, superlatives and vague phrases. A number says something."""
    return says_nothing(text)


def says_nothing(text: str, also: frozenset[str] = frozenset()) -> bool:
    """As a vision's part is read for saying nothing concrete, with the lower-case words `also`
    counted as saying nothing too (a claim to a customer's "platform", "soon")."""
    words = _WORD.findall(_without_wording(text).lower())
    return bool(_WORD.search(text)) and all(w in FILLER or w in _GLUE or w in also for w in words)


def _without_wording(text: str) -> str:
    for _kind, pattern, _ in _COMPILED:
        text = pattern.sub(" ", text)
    return text


def _nothing_said(label: str, text: str, what_to_add: str) -> str:
    """Why a part (or the statement) says nothing concrete, and what to add."""
    said = " ".join(text.split())
    said = said if len(said) <= 80 else said[:79] + "…"
    empty = [f"“{word}”" for word in dict.fromkeys(_filler_words(text))][:3]
    if not empty:
        why = "it names nobody and nothing in particular"
    else:
        listed = f"{', '.join(empty[:-1])} and {empty[-1]}" if len(empty) > 1 else empty[0]
        why = f"{listed} could be said of any product"
    return f"{label}: “{said}” says nothing concrete: {why}. {what_to_add}"


def _filler_words(text: str) -> list[str]:
    """The buzzwords, superlatives, vague phrases and ``FILLER`` words of a text, in order."""
    wording = [m for _kind, pattern, _ in _COMPILED for m in pattern.finditer(text)]
    words = [m for m in _WORD.finditer(text) if m.group(0).lower() in FILLER]
    taken = [(m.start(), m.end()) for m in wording]
    words = [m for m in words if not any(a <= m.start() < b for a, b in taken)]
    return [m.group(0).lower() for m in sorted([*wording, *words], key=lambda m: m.start())]


# --- Findings: buzzwords, vague phrases and unexplained acronyms. ---

_COMPILED = [
    (kind, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), suggestion)
    for kind, table in (("buzzword", BUZZWORDS), ("superlative", SUPERLATIVES), ("vague", VAGUE))
    for pattern, suggestion in table.items()
]


def _findings(text: str, where: str, glossary: set[str]) -> Iterator[Finding]:
    found = sorted(
        [*_wording(text, where), *_jargon(text, where, glossary)],
        key=lambda f: (f.start, -(f.end - f.start)),
    )
    taken_until, seen = -1, set()
    for finding in found:
        # "AI-powered" is one finding, not a buzzword plus an acronym inside it.
        if finding.start < taken_until or finding.phrase.lower() in seen:
            continue
        taken_until = finding.end
        seen.add(finding.phrase.lower())
        yield finding


def _wording(text: str, where: str) -> Iterator[Finding]:
    for kind, pattern, suggestion in _COMPILED:
        for match in pattern.finditer(text):
            yield Finding(kind, match.group(0), match.start(), match.end(), suggestion, where)


def _jargon(text: str, where: str, glossary: set[str]) -> Iterator[Finding]:
    if _shouting(text):
        return  # not jargon
    known = {term.upper() for term in glossary} | COMMON_ACRONYMS
    for acronym, match in _acronyms(text):
        if _known(match.group(0), known) or _spelled_out(acronym, text):
            continue
        if match.group(1) and _NUMERAL_AFTER_WORD.search(text, 0, match.end(1)):
            continue
        suggestion = f"Spell out {acronym} or add it to the glossary: a newcomer may not know it."
        yield Finding("jargon", match.group(0), match.start(), match.end(), suggestion, where)


def _acronyms(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Each acronym in the text, with the name it is spelled out by: "ERPs" by "ERP", "K8s" and
    "B2B" as written. "Q3", "FY27", "$20M" and "10X" are no acronyms (``_PLAIN_WITH_DIGITS``)."""
    for match in _ACRONYM.finditer(text):
        if match.group(1):
            yield match.group(1), match
        elif not _PLAIN_WITH_DIGITS.fullmatch(match.group(2)):
            yield match.group(2), match


def _known(written: str, known: set[str]) -> bool:
    """Whether the glossary (or the common list) holds the acronym, as written or singular."""
    return written.upper() in known or written.removesuffix("s").upper() in known


def jargon(texts: Mapping[str, str], glossary: set[str] | None = None) -> list[Finding]:
    """The unexplained acronyms in a few named texts (where -> text), each once, where it first
    stands: the clarity checks' jargon rule, for a page that scores nothing else (a decision)."""
    return _once_each(
        finding
        for where, text in texts.items()
        for finding in _jargon(text or "", where, glossary or set())
    )


def _explained(texts: Iterable[str], glossary: set[str]) -> list[str]:
    """The acronyms the jargon rule would flag that the glossary defines, each once, as first
    written."""
    known = {term.upper() for term in glossary} - COMMON_ACRONYMS
    explained: dict[str, str] = {}
    for text in texts:
        if not known or _shouting(text):
            continue  # nothing defined, or no acronym read there either
        for acronym, match in _acronyms(text):
            if _known(match.group(0), known) and not _spelled_out(acronym, text):
                explained.setdefault(acronym.upper(), match.group(0))
    return list(explained.values())


def _shouting(text: str) -> bool:
    """A text written mostly in capitals: its capitals are not acronyms."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > len(letters) / 2


def _spelled_out(acronym: str, text: str) -> bool:
    """True when the text explains the acronym in brackets, either way round."""
    acronym = re.escape(acronym)
    explained_after = re.search(rf"\(\s*{acronym}s?\s*\)", text)
    explained_before = re.search(rf"\b{acronym}s?\s*\([^)]*[a-z]", text)
    return bool(explained_after or explained_before)


# --- Goals: the same idea for one goal. What changes, measured how, for whom, why now, by when. ---
#
#   outcome   25   the "what" names a result, not a piece of work ("Launch X" is an output),
#                  and not a buzzword or a superlative ("Increase synergy 50%")
#   measure   25   the target holds a number (or a from-to, a percentage) for a named metric
#   benefit   20   the "why" names who gains (a target user's word) and what they gain (a
#                  user benefit's word, or a pain taken away: hours lost, errors, work by
#                  hand); a business result alone (revenue, churn) is enough, the business
#                  being who gains. "Customers asked for it" names people and no gain.
#   why_now   15   the "why now" says something: at least five words
#   horizon   15   the period or target says by when (the horizon pattern above: 2026, H2, Q3…)
#
# A "what" or a "why" made only of words that fit any goal ("Better outcomes for everyone") says
# nothing concrete: its part is not ticked, as a vision's field would not be.
#
# Findings (buzzwords, vague phrases, jargon) are the vision's, looked for in every field.

GOAL_WEIGHTS: dict[str, int] = {
    "outcome": 25,
    "measure": 25,
    "benefit": 20,
    "why_now": 15,
    "horizon": 15,
}
GOAL_LABELS: dict[str, str] = {
    "outcome": "Outcome, not output",
    "measure": "Measurable target",
    "benefit": "Who gains, and what",
    "why_now": "Why now",
    "horizon": "By when",
}
GOAL_FIELD_LABELS: dict[str, str] = {
    "title": "What",
    "why": "Why",
    "why_now": "Why now",
    "metric": "Metric",
    "target": "Target",
    "period": "Period",
}
GOAL_SUGGESTIONS: dict[str, str] = {
    "outcome": (
        "Say what should change, not the work that will change it: 'Get 30% of customers "
        "paying suppliers through us' rather than 'Launch payments'."
    ),
    "measure": "Give the target a number for the metric, e.g. 'from 41% to 70%' or '≥ 30%'.",
    "benefit": "Say who gains and what they gain, e.g. 'controllers close the month in 3 days'.",
    "why_now": "Say why this matters now rather than next year: what changed, what it costs to wait.",
    "horizon": "Say by when, e.g. '2026-H2' or 'by the end of Q3'.",
}
# Verbs that name a piece of work rather than the result it is for.
_OUTPUT_VERB = re.compile(
    r"^\s*(?:launch|build|ship|release|implement|create|develop|deliver|migrate|add|rewrite|"
    r"introduce|roll\s+out|complete|finish|integrate|redesign|refactor|set\s+up|design)\b",
    re.IGNORECASE,
)


def check_goal_clarity(fields: Mapping[str, str], glossary: set[str] | None = None) -> Clarity:
    """Score how clearly a goal says what changes, how it is measured, for whom, why now, by when.

    ``fields`` holds the goal's title, why, why_now, metric, target and period.

    >>> check_goal_clarity({"title": "Launch the new dashboard"}).missing[:2]
    ['outcome', 'measure']
    """
    given = {name: (fields.get(name) or "").strip() for name in GOAL_FIELD_LABELS}
    evidence = {
        "outcome": _outcome(given["title"]),
        "measure": _measure(given["target"]) if given["metric"] else "",
        "benefit": _who_gains_what(given["why"]),
        "why_now": given["why_now"] if len(given["why_now"].split()) >= 5 else "",
        "horizon": _first(_HORIZON, given["period"]) or _first(_HORIZON, given["target"]),
    }
    parts = {
        name: Part(name, GOAL_LABELS[name], bool(found), "field" if found else "", found, weight)
        for (name, weight), found in zip(GOAL_WEIGHTS.items(), evidence.values(), strict=True)
    }
    # A what or a why made only of words that fit any goal ("Better outcomes for everyone") is
    # filled in and says nothing: the part is shown so, with its text.
    for name, field_name in _GOAL_PART_FIELDS.items():
        if _says_nothing(given[field_name]):
            text = given[field_name]
            parts[name] = Part(
                name, GOAL_LABELS[name], False, "field", text, parts[name].weight, True
            )
    findings = _once_each(
        finding
        for name, text in given.items()
        for finding in _findings(text, name, glossary or set())
    )
    completeness = sum(part.weight for part in parts.values() if part.present)
    score = max(0, completeness - min(MAX_PENALTY, sum(map(_penalty, findings))))
    suggestions = [
        _goal_suggestion(name, part, given["why"])
        for name, part in parts.items()
        if not part.present
    ]
    suggestions.extend(map(instead_of, findings))
    return Clarity(
        score, parts, findings, suggestions, _explained(given.values(), glossary or set())
    )


# The goal's parts read from one field, which can be filled in with words that fit any goal.
_GOAL_PART_FIELDS = {"outcome": "title", "benefit": "why"}


def _goal_suggestion(name: str, part: Part, why: str) -> str:
    if part.says_nothing:
        where = GOAL_FIELD_LABELS[_GOAL_PART_FIELDS[name]]
        return _nothing_said(where, part.evidence, GOAL_SUGGESTIONS[name])
    return _benefit_suggestion(why) if name == "benefit" else GOAL_SUGGESTIONS[name]


def _who_gains_what(why: str) -> str:
    """Who gains and what they gain, as the why says them ("Dispatchers … lose two hours"), or
    "" unless it says both. A business result (revenue, churn) is enough alone: the business is
    who gains."""
    if business := _first(_BUSINESS, why):
        return business
    who, what = _who(why), _first(_BENEFIT, why) or _first(_PAIN, why)
    return f"{who} … {what}" if who and what else ""


def _benefit_suggestion(why: str) -> str:
    """The benefit's suggestion for the half of it the why leaves out."""
    if who := _who(why):
        return (
            f"Say what they gain: “{who}” says who, not what changes for them, e.g. 'they "
            "plan a day of routes in 10 minutes instead of two hours'."
        )
    if _first(_BENEFIT, why) or _first(_PAIN, why):
        return "Say who gains: name the people, e.g. 'controllers at mid-market firms'."
    return GOAL_SUGGESTIONS["benefit"]


def _outcome(title: str) -> str:
    if len(title.split()) < 3 or _OUTPUT_VERB.search(title):
        return ""
    # "Increase synergy 50%": a result named by a buzzword or a superlative cannot be checked.
    if any(pattern.search(title) for kind, pattern, _ in _COMPILED if kind != "vague"):
        return ""
    return title


def _once_each(findings: Iterable[Finding]) -> list[Finding]:
    """Point out "ERP" once, where it first stands, not in every field and again as "ERPs":
    a vision's parts and a goal's fields are read together, and one fix mends every place."""
    kept, seen = [], set()
    for finding in findings:
        key = finding.phrase.lower().removesuffix("s")
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept
