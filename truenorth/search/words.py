"""The words of a search: split, each folded to the start its other forms share, and, when a
search finds nothing, matched to the nearest words the workspace uses.

Plain Python, no database: find.py turns these words into queries.
"""

import difflib
import re

# A word this short matches only where a word starts: "ship" is not in "Leadership". Longer
# words match anywhere, so that "suite" finds "NetSuite".
SHORT = 4
# A word this short is matched only as a whole word: "GA" is neither in "Delgado" nor "Gareth".
TINY = 2

# Taken off a typed word's ends: "(payments," is the word payments.
PUNCTUATION = ".,;:!?\"'()[]{}"

# (ending, letters that must be left), in the order tried; the first that fits is dropped.
# What is left is the start the forms share, so one "contains" finds them all: "invoices",
# "invoice" and "invoicing" all hold "invoic"; "paying" and "pays" hold "pay".
ENDINGS = (("ies", 3), ("ing", 3), ("ed", 4), ("es", 4), ("s", 3), ("e", 4), ("y", 4))
VOWELS = set("aeiouy")

# Which words of a workspace a misspelt search may be matched to.
SPELLED = re.compile(r"[^\W\d_]{3,}")
NEAR = 0.75  # difflib's ratio: "netsute" to "netsuite" is 0.93, "apprvoal" to "approval" 0.88


def stem(word: str) -> str:
    """`word` without its plural or verb ending ("payments" → "payment", "paying" → "pay").
    Keys, numbers and short words are left as typed."""
    if not word.isalpha() or len(word) <= SHORT:
        return word
    for ending, left in ENDINGS:
        root = word[: -len(ending)]
        if word.endswith(ending) and len(root) >= left and VOWELS & set(root):
            if ending == "y" and root[-1] in VOWELS:  # "delay" is not a plural of "dela"
                continue
            return root
    return word


def words_of(typed: str) -> list[str]:
    """The words searched for, lower case, each folded once."""
    words: list[str] = []
    for part in typed.lower().split():
        word = stem(part.strip(PUNCTUATION) or part)
        if word not in words:
            words.append(word)
    return words


def is_short(word: str) -> bool:
    return len(word) <= SHORT


def is_tiny(word: str) -> bool:
    return len(word) <= TINY


def vocabulary(texts: list[str]) -> set[str]:
    """The words of three letters or more in `texts`, lower case."""
    return {word for text in texts for word in SPELLED.findall(text.lower())}


def suggestion(typed: str, known: set[str]) -> str:
    """`typed` with each word that is not in `known` replaced by the nearest word there;
    "" when no word has a near one."""
    asked = typed.lower().split()
    nearest = []
    for word in asked:
        near = [] if word in known else difflib.get_close_matches(word, known, 1, NEAR)
        nearest.append(near[0] if near else word)
    return " ".join(nearest) if nearest != asked else ""
