"""How well analysis.language tells answers not written in English from English ones.

Real translations: the translated messages of Django's catalogues (django.po, installed with
Django) in Spanish, Portuguese, French, German, Italian and Polish, and, as English, the same
messages' originals. The admin app's messages were looked at while the word lists were written
(its misses added "de", accented letters and French elisions), so they are reported apart; the
held-out set is Django's core catalogue (forms, validators) with the auth and contenttypes apps'. Interface messages are
shorter and more formal than check-in answers, so two sets of English free text are added:
sentences of the STS Benchmark and SICK, and Google Play reviews (benchmarks/evaldata.py).
Only texts of at least language.MIN_WORDS words are counted: shorter ones are never flagged.
The English sets were not looked at.

    .venv/bin/python benchmarks/language_check.py
"""

import re
from datetime import date
from pathlib import Path

import django
from evaldata import MACHINE, long_answers, sentences

from truenorth.analysis import language

LANGUAGES = ("es", "pt", "fr", "de", "it", "pl")
SEEN = ("contrib/admin",)
HELD_OUT = ("conf", "contrib/auth", "contrib/contenttypes")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def catalogue(app: str, code: str) -> list[tuple[str, str]]:
    """(English original, translation) of each translated message of a Django catalogue."""
    path = Path(django.__file__).parent / app / "locale" / code / "LC_MESSAGES"
    text = (path / "django.po").read_text(encoding="utf-8")
    pairs = []
    for entry in text.split("\n\n"):
        found = dict(re.findall(r'^(msgid|msgstr) ((?:".*"\n?)+)', entry, re.MULTILINE))
        original, translated = (joined(found.get(k, "")) for k in ("msgid", "msgstr"))
        if original and translated:
            pairs.append((original, translated))
    return pairs


def joined(quoted: str) -> str:
    text = "".join(re.findall(r'"(.*)"', quoted)).replace("\\n", " ").replace('\\"', '"')
    return " ".join(PLACEHOLDER.sub(" ", text).split())


def long_enough(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if len(language.words(t)) >= language.MIN_WORDS))


def flagged(texts: list[str]) -> str:
    share = sum(map(language.likely_not_english, texts)) / len(texts)
    return f"{share:.3f} of {len(texts)}"


def main() -> None:
    print(f"Flagged as likely not English ({date.today()}, {MACHINE}):")
    for name, apps in (("seen", SEEN), ("held out", HELD_OUT)):
        originals: list[str] = []
        for code in LANGUAGES:
            pairs = [pair for app in apps for pair in catalogue(app, code)]
            originals += [original for original, _ in pairs]
            print(f"  {name}, {code} translations: {flagged(long_enough([t for _, t in pairs]))}")
        print(f"  {name}, English originals: {flagged(long_enough(originals))}")
    print(f"  English STS and SICK sentences: {flagged(long_enough(sentences(5000)))}")
    print(f"  English app reviews of 30-60 words: {flagged(long_enough(long_answers(1000)))}")


if __name__ == "__main__":
    main()
