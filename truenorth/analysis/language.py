"""Whether an answer is likely not written in English.

The embedding model was trained on English text: a faithful Spanish or Polish restatement of the
vision scores below an English joke about free pizza. So answers that look foreign are counted
and the report says so, rather than leaving their low scores unexplained.

The test is the small words every sentence needs, and letters English does without. An answer of
at least MIN_WORDS words is taken as not English when at least two of its words are foreign signs
(a function word of Spanish, Portuguese, French, German, Italian or Polish; a word spelled with a
letter like ñ, é, ü, ł or ç; a French elision like l'objet) and they outnumber its English
function words. Words both languages use ("a", "in", "no", "to", "die", "per") count for neither.
One-word and very short answers are never flagged: too few words to tell, and "Invoices." is as
English as it needs to be. A language outside those six is recognised only by its letters, and one
written without spaces or in another script (Chinese, Greek) not at all. benchmarks/language_check.py
measures it on real translations (Django's own message catalogues) and on English sentences of
the STS Benchmark, SICK and app reviews.
"""

import re

MIN_WORDS = 4
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = word_set(
    """the of and is are be been with for that this these those we our it its they their them
    by from at or not have has had than all without who which can should would into each every
    your you there what when where how about up out but if us one only any more most such were
    being does did don't doesn't isn't won't will"""
)
FOREIGN = word_set(
    # Spanish and Portuguese
    """de el la los las del que y en un una por para con es se sin su sus al lo más como pero
    ha fue este esta o os da das dos em na nos uma é não sem ao à pelo pela seu sua foi ser"""
    # French
    """ le les des du et est une pour dans sur sans aux qui pas ne nous notre leur chaque avec
    vous ce cette sont mais été"""
    # German
    """ der das und ist nicht mit für von zu den dem ein eine einer auf ohne wir unsere sich
    auch werden wird dass oder jede jeder sie ich im zum zur bei nach aus wurde kann alle"""
    # Italian
    """ il gli di della delle dei che è nel alla sono ogni così"""
    # Polish
    """ w z na się nie że jest od bez przez dla oraz są jak aby każda każdy ani lub czy przy może
    jako"""
)
NOT_IN_ENGLISH = re.compile(r"[ñáíóúàèìòùâêîôûãõçäöüßąćęłńśźżœ]|^(?:l|d|qu|n|j)'\w")


def words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in WORD.findall(text)]


def likely_not_english(text: str) -> bool:
    """Whether the text is likely written in another language than English (see the module)."""
    found = words(text)
    if len(found) < MIN_WORDS:
        return False
    foreign = sum(w in FOREIGN or bool(NOT_IN_ENGLISH.search(w)) for w in found)
    english = sum(w in ENGLISH for w in found)
    return foreign >= 2 and foreign > english
