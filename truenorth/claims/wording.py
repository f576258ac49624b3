"""What a claim's words say besides the capability they mean: the initiative they name outright
(its key, short name or a proper name only its title holds, as roadmap.naming reads them), that
it is not promised ("we did not promise…", "only planned, no date"), or that it is live now
("already live", "available today"). The similarity model hears none of these well: "RM-14" and
"SEPA" are not sentences, and "not promised" sits as close to "promised" as any words do."""

import re
from dataclasses import replace

from truenorth.analysis import promises
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
NOT_PROMISED_VERDICT = "not_promised"


def says_not_promised(text: str) -> bool:
    return NOT_PROMISED.search(text) is not None


def capability_words(text: str) -> str:
    """The claim without its words about promise ("we did not promise", "only planned, no
    date"), for the model: they are no capability, and they pull an honest claim's score for
    the one it names ("the partner playbook") below the match cut. reread reads them."""
    return " ".join(NOT_PROMISED.sub(" ", text).split()) or text


def says_live_now(text: str) -> bool:
    return LIVE_NOW.search(text) is not None


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
