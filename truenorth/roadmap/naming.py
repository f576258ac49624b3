"""How a text names a roadmap initiative, for the rules an update keeps (updates.rules) and for
claims checked against the roadmap: people write "the supplier portal" or "SEPA", not "Supplier
portal for invoice submission" or "International payments: SEPA and UK Faster Payments"."""

import re

# Where a title's short name ends: "Mobile approvals" of "Mobile approvals for iOS and Android".
SHORT_NAME_END = re.compile(
    r":|\s(?:for|with|against|in|on|and|through|to|from|via|by)\s", re.IGNORECASE
)
WORD = re.compile(r"[\w][\w&.'-]*")
# A proper name of one word is at least three letters: "UK" or "AI" alone names nothing.
SHORTEST_PROPER_WORD = 3


def says(text: str, name: str) -> bool:
    """Whether `text` holds `name` as whole words, in any case."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


def names(item: dict, items: list[dict] = ()) -> list[str]:
    """How a text can name an initiative: its title and key; its short name, the title up to a
    colon or its first linking word, what follows a colon and what follows an "and" (each when
    two words or more);
    and each proper name in its title ("Sage Intacct", "SEPA") that no other initiative among
    `items` has in its title."""
    title = item["title"]
    found = [title, item["key"], *parts(title)]
    others = [i["title"] for i in items if i is not item and i["title"] != title]
    found += [p for p in proper_names(title) if not any(says(o, p) for o in others)]
    return list(dict.fromkeys(n for n in found if n))


def parts(title: str) -> list[str]:
    """The short name, what follows a colon, and what follows an "and": "sandbox workspaces"
    of "Partner implementation playbook and sandbox workspaces" names the item as well."""
    head = SHORT_NAME_END.split(title, maxsplit=1)[0].strip()
    tail = title.split(":", 1)[1].strip() if ":" in title else ""
    joined = [text.split(" and ", 1)[1].strip() for text in (title, tail) if " and " in text]
    found = [p for p in (head, tail, *joined) if p != title and len(p.split()) >= 2]
    return list(dict.fromkeys(found))


def proper_names(title: str) -> list[str]:
    """Runs of capitalised words in a sentence-case title: "SEPA" and "UK Faster Payments" of
    "International payments: SEPA and UK Faster Payments", "Intacct" of "Sage Intacct
    connector". The first word is capitalised anyway, so it belongs to a name only when
    capitalised inside too ("NetSuite", "ACH"), not "Mobile" of "Mobile approvals"."""
    words = [m for m in WORD.finditer(title) if capitalised(m.group(0))]
    if words and words[0].start() == 0 and not any(c.isupper() for c in words[0].group(0)[1:]):
        words = words[1:]
    runs: list[list[re.Match]] = []
    for match in words:
        if runs and title[runs[-1][-1].end() : match.start()] == " ":
            runs[-1].append(match)
        else:
            runs.append([match])
    named = [" ".join(m.group(0) for m in run) for run in runs]
    return [n for n in named if " " in n or len(n) >= SHORTEST_PROPER_WORD]


def capitalised(word: str) -> bool:
    return any(c.isupper() for c in word) and not word[0].isdigit()


def unshared_names(items: list[dict], shared) -> list[str]:
    """Each name of an initiative not `shared(item)` that no shared initiative's title holds:
    what partners are never told of (the partners' update, a shared decision's warning)."""
    return [name for name, _ in unshared_names_of(items, shared)]


def unshared_names_of(items: list[dict], shared) -> list[tuple[str, str]]:
    """unshared_names, each with the title of the initiative it names."""
    shared_titles = [i["title"] for i in items if shared(i)]
    return [
        (name, item["title"])
        for item in items
        if not shared(item)
        for name in names(item, items)
        if not any(says(title, name) for title in shared_titles)
    ]
