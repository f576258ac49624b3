"""What a claim's words say besides the capability they mean: the initiative they name outright
(its key, short name or a proper name only its title holds, as roadmap.naming reads them), that
it is not promised ("we did not promise…", "only planned, no date"), that it is live now
("already live", "available today", or the capability said as a present fact: "Larkspur checks
supplier bank details"), or that it names no capability at all ("big improvements", "everything
you need"). The similarity model hears none of these well: "RM-14" and "SEPA" are not sentences,
"not promised" sits as close to "promised" as any words do, and "checks" as close to "will
check"."""

import re
from dataclasses import replace

from truenorth.analysis import clarity, promises
from truenorth.roadmap import naming

NOT_PROMISED = re.compile(
    r"(?:\bnot|n't|\bnever|\bno)\s+(?:\w+\s+){0,2}?(?:promis|commit|guarantee)\w*"
    r"|\bno\s+(?:firm\s+)?(?:date|promise|commitment)s?\b"
    r"|\bonly\s+(?:planned|exploring|being\s+explored|an\s+idea)\b",
    re.IGNORECASE,
)
# "Is available" said of today, not "is available from March".
LIVE_NOW = re.compile(
    r"\balready\s+(?:live|available|shipped|out|in\s+production)"
    r"|\b(?:live|available)\s+(?:now|today)\b|\bright\s+now\b|\bin\s+production\b"
    r"|\b(?:is|are|it's|they're)\s+(?:live|available|generally\s+available)\b"
    r"(?!\s+(?:from|by|in|on|next|soon|later|once|when|after|before|until))",
    re.IGNORECASE,
)
# A mark of the future or of the item's status: a claim with one says when, or that it is not
# done yet ("will check", "is being built", "ships in Q1", "due January", "told them it will").
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WHEN = (
    r"(?:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+(?:the\s+)?|early\s+|mid-?\s*|late\s+)?"
    rf"(?:\d{{1,2}}\s+)?(?:{_MONTH}|q[1-4]|h[12]|\d{{4}}|christmas|new\s+year"
    r"|(?:this|the)\s+(?:year|quarter|month|week|spring|summer|autumn|fall|winter))\b"
)
# Said to be under way: "being built right now" is no claim that it is live.
_IN_THE_WORKS = (
    r"\bbeing\s+(?:built|developed|worked\s+on|tested|finished|rolled\s+out)\b"
    r"|\bin\s+(?:progress|development|the\s+works|testing)\b|\bworking\s+on\b"
    r"|\b(?:is|are|we['’]re|they['’]re)\s+(?:still\s+)?building\b"
)
IN_THE_WORKS = re.compile(_IN_THE_WORKS, re.IGNORECASE)
NOT_YET = re.compile(
    r"\b(?:will|won['’]t|shall|would|could|might|going\s+to|gonna)\b|\b\w+['’]ll\b"
    r"|\b(?:coming|soon|later|upcoming|eventually|yet|tomorrow|next(?!\s+to\b))\b"
    r"|\bthis\s+(?:year|quarter|month|week)\b"
    r"|\b(?:plan(?:s|ned|ning)?|roadmap|promis\w*|expect\w*|target\w*|intend\w*|committed"
    r"|scheduled|slated|due(?!\s+to\b)|(?:hope|aim)(?:s|d|ing)?\s+to)\b"
    rf"|{_IN_THE_WORKS}|\b(?:beta|preview|pilot)\b"
    r"|\b(?:ships?|shipping|launch(?:es|ing)?|lands?|landing|arriv(?:es|ing)|releas(?:es|ing)"
    r"|rolls?\s+out|go(?:es)?\s+live)\s+(?:in|on|by|at|before|after|around|this|early|late|mid"
    r"|with(?:in)?)\b"
    r"|\bonce\b|\bwhen\s+(?:it|they)\s+(?:ships?|launch(?:es)?|lands?|goes\s+live|(?:is|are)\s+"
    r"(?:ready|done|out))\b"
    rf"|\b(?:by|in|from|before|after|until|till|around|during)\s+{_WHEN}"
    r"|\bin\s+(?:a\s+few|a|an|one|two|three|four|six|\d+)\s+(?:days?|weeks?|months?|quarters?"
    r"|years?)\b",
    re.IGNORECASE,
)
# The product said to do something now: a present-tense verb after "we", "it", "our …", "the
# product" or a proper name ("Larkspur checks", "our machine learning learns", "we catch").
# Whatever the customer "can" do is left alone: "they can delete a user's events" is as often
# said of what is coming, and a claim with no such verb ("Mentioned the NetSuite rewrite") says
# nothing of when.
_ED_OR_ING = r"[a-z]+(?:ed|ing)"
# After "we": a past tense or no verb ("we did", "we all"), which says nothing of now.
_NOT_NOW = (
    r"did|had|was|were|said|told|made|built|sent|got|went|saw|thought|knew|took|gave|spoke|"
    r"wrote|ran|found|met|brought|bought|sold|left|put|set|shown|also|all|both|just|only|never|"
    r"not|don['’]t|do\s+not|aren['’]t|are\s+not"
)
# "checks", "learns", "handles": not "process", "status", "this" or "its".
_THIRD_PERSON = (
    r"(?!(?:this|its|plus|unless|less|thus|always|perhaps|towards|was|has)\b)[a-z]+[^su\W]s"
)
# "Larkspur checks supplier…", not "Xero bills in foreign currencies" nor "NetSuite postings will".
_NOT_AN_OBJECT = (
    r"(?!(?:in|inside|into|on|at|to|for|from|of|with|when|will|would|can|could|and|or|are|were"
    r"|that|which)\b)"
)
_SINGULAR_VERB = (
    rf"(?:(?:can|can['’]t|cannot|does|doesn['’]t|is|has)\s+\w|{_THIRD_PERSON}\s+{_NOT_AN_OBJECT}\w)"
)
_NAME = (
    r"(?<![\w'’-])(?!(?:Told|Said|Wrote|Sent|Gave|Met|Took|Let|Customer|Deck|RFP|They|You|He|She"
    r"|We|It|Our|The|Their|Your|This|That|I)\b)(?![A-Z][a-z]+ed\b)[A-Z][\w&-]*"
)
SAYS_NOW = re.compile(
    rf"\b[Ww]e\s+(?:(?:also|already|now|automatically|always)\s+)?(?!(?:{_NOT_NOW})\b)"
    rf"(?!{_ED_OR_ING}\b)[a-z]+\s+\w"
    rf"|\b(?:[Ii]t|[Oo]ur\s+[\w-]+(?:\s+[\w-]+){{0,3}}?|[Tt]he\s+(?:product|platform|app|system"
    rf"|software|tool)|{_NAME})\s+(?:(?:also|already|now|automatically|always)\s+)?"
    rf"{_SINGULAR_VERB}",
)
# "Today" said of the product, after a present-tense verb in the same clause: "invoices are
# posted to the right subsidiary today", not the day of the call ("talked to them today about
# bank feeds").
SAID_OF_TODAY = re.compile(
    r"\b(?:is|are|does|do|can|works?|runs?)\b[^.;:!?]*\btoday\b(?!['’]s)", re.IGNORECASE
)
NOT_PROMISED_VERDICT = "not_promised"

# What stands where a capability should be in a vague claim, quoted back to its speaker.
VAGUE_PROMISE = re.compile(
    r"\b(?:(?:big|major|huge|great|real|many|some|lots\s+of|a\s+lot\s+of)\s+)?improvements?\b"
    r"|\b(?:every|any)thing\s+(?:(?:you|they|we|he|she|customers?|the\s+customer)\s+)?"
    r"(?:needs?|wants?|asks?\s+for|asked\s+for)\b"
    r"|\b(?:everything|anything|better|best)\b",
    re.IGNORECASE,
)
# Words a claim says of any product, besides the vision clarity check's filler, glue and vague
# phrases (analysis.clarity): a claim of nothing else names no capability to look for.
ANY_CLAIM = frozenset({
    "told", "said", "promised", "mentioned", "assured", "explained", "confirmed", "he", "she",
    "him", "her", "customer", "customers", "client", "clients", "platform", "product", "system",
    "software", "tool", "tools", "app", "feature", "features", "whole", "entire", "big", "huge",
    "major", "real", "soon", "shortly", "later", "next", "year", "do", "does", "doing", "done",
    "making", "made", "work", "works", "working", "need", "needs", "needed", "wants", "wanted",
    "ask", "asks", "asked", "going", "coming", "improving", "we're", "we'll", "it'll", "they'll",
    "you'll", "it's", "that's", "they're", "you're", "we’re", "we’ll", "it’ll", "they’ll",
    "you’ll", "it’s", "that’s", "they’re", "you’re", "lot", "some", "any", "anything", "stuff",
    "way", "ways", "totally", "completely", "definitely", "certainly",
})  # fmt: skip


def says_not_promised(text: str) -> bool:
    return NOT_PROMISED.search(text) is not None


def capability_words(text: str) -> str:
    """The claim without its words about promise ("we did not promise", "only planned, no
    date"), for the model: they are no capability, and they pull an honest claim's score for
    the one it names ("the partner playbook") below the match cut. reread reads them."""
    return " ".join(NOT_PROMISED.sub(" ", text).split()) or text


def says_live_now(text: str) -> bool:
    """Whether the claim says the capability works now: in so many words ("already live",
    "available today"), or as a present fact with no mark of the future or of status about it
    ("Larkspur checks supplier bank details", "invoices are posted to the right subsidiary
    today", not "will check" nor "is being built")."""
    if IN_THE_WORKS.search(text):
        return False
    if LIVE_NOW.search(text):
        return True
    if NOT_YET.search(text):
        return False
    return SAYS_NOW.search(text) is not None or SAID_OF_TODAY.search(text) is not None


def vague_words(text: str) -> list[str]:
    """The vague phrases standing where a capability should be ("big improvements", "everything
    you need"), at most three, when the claim names no capability at all; [] when it names one
    (any word other than the vision clarity check's filler and what any claim says)."""
    found = list(dict.fromkeys(m.group(0) for m in VAGUE_PROMISE.finditer(text)))
    if not found or not clarity.says_nothing(VAGUE_PROMISE.sub(" ", text), ANY_CLAIM):
        return []
    return found[:3]


def reread(text: str, verdict: promises.Verdict) -> promises.Verdict:
    """The model's verdict, corrected by what the words say of time and promise: a claim that
    says it is not promised is honest about a planned item; one that says "live now" of an item
    not shipped promises more than a date."""
    if verdict.evidence is None:
        return verdict
    if says_not_promised(text):
        if verdict.verdict == promises.OVER_PROMISE:
            return replace(verdict, verdict=NOT_PROMISED_VERDICT)
        return verdict
    if verdict.verdict == promises.COMMITTED and says_live_now(text):
        return replace(verdict, verdict=promises.OVER_PROMISE)
    return verdict


class Names:
    """How a text can name each initiative of a list (roadmap.naming.names), worked out once for
    a run of claims."""

    def __init__(self, initiatives: list):
        items = [{"title": i.title, "key": i.key} for i in initiatives]
        self.patterns = [
            [whole_words(name) for name in naming.names(item, items)] for item in items
        ]

    def named(self, text: str) -> int | None:
        """The index of the one initiative the text names outright; None for none or several.
        A name inside a longer one found ("Bank feeds" in "Bank feeds for Europe") does not
        count."""
        found = [
            (match.start(), match.end(), index)
            for index, patterns in enumerate(self.patterns)
            for pattern in patterns
            for match in pattern.finditer(text)
        ]
        kept = {
            index
            for start, end, index in found
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in found)
        }
        return kept.pop() if len(kept) == 1 else None


def whole_words(name: str) -> re.Pattern:
    """As naming.says matches a name: whole words, in any case."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
