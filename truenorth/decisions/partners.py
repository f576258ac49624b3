"""What partners read of a decision shared with them. Sharing it shares its words, on its page, in
its exports and in the partners' update; so an editor is warned, where the choice is made, of
each internal name those words hold: by the rule the partners' update keeps everything else to
(updates.audiences.internal_names), an internal initiative's names (roadmap/naming.py) that no
shared initiative's title holds, a goal's title, or an unshared decision's title.

The initiatives a decision touches or blocks are links of the organisation's: partners never
see them through it (decisions.export). An editor sharing one linked to initiatives partners do
not see is told so on save, since the record's page shows editors those links."""

from truenorth.decisions.models import Decision
from truenorth.roadmap.models import SHARED_OUTSIDE
from truenorth.roadmap.naming import says, unshared_names

# The decision's words partners read, as its page shows them.
WORDS = ("title", "question", "context", "category", "outcome", "rationale", "consequences")


def words(decision: Decision) -> str:
    options = [o for o in decision.options or [] if isinstance(o, dict)]
    said = [str(o.get(k) or "") for o in options for k in ("name", "pros", "cons")]
    return "\n".join([*(getattr(decision, name) or "" for name in WORDS), *said])


def internal_names(decision: Decision) -> list[tuple[str, str]]:
    """Every name partners are otherwise never told of, with what it names."""
    workspace = decision.workspace
    items = list(workspace.initiatives.values("title", "key", "visibility"))
    unshared = unshared_names(items, lambda item: item["visibility"] in SHARED_OUTSIDE)
    found = [(name, "internal initiative") for name in unshared]
    found += [(title, "goal") for title in workspace.goals.values_list("title", flat=True)]
    unshared = workspace.decisions.exclude(pk=decision.pk).filter(shared_with_partners=False)
    found += [
        (t, "decision not shared with partners") for t in unshared.values_list("title", flat=True)
    ]
    return [(name, kind) for name, kind in found if name]


def internal_words(decision: Decision) -> list[tuple[str, str]]:
    """Each internal name a shared decision's words hold, with what it names, each once; empty
    for a decision not shared with partners."""
    if not decision.shared_with_partners:
        return []
    text = words(decision)
    found = [(name, kind) for name, kind in internal_names(decision) if says(text, name)]
    return list(dict.fromkeys(found))


def warning(decision: Decision) -> str:
    """The warning an editor reads, empty when there is nothing to warn of."""
    found = internal_words(decision)
    if not found:
        return ""
    named = ", ".join(f"“{name}” ({kind})" for name, kind in found)
    return (
        f"Partners will read: {named}. This decision is shared with partners, so they read its "
        "words as written, on its page, in its exports and in the partners' update. Reword it "
        "if they should not, or stop sharing it."
    )


def unseen_initiatives(decision: Decision) -> list[str]:
    """The titles of the initiatives a shared decision touches or blocks that are not shared
    with partners; empty for a decision not shared with partners."""
    if not decision.shared_with_partners:
        return []
    linked = [*decision.initiatives.all(), *decision.blocks.all()]
    return list(dict.fromkeys(i.title for i in linked if i.visibility not in SHARED_OUTSIDE))


def unseen_notice(decision: Decision) -> str:
    """What an editor reads on saving a shared decision linked to initiatives partners do not
    see; empty when there are none. Its words may still name one: the warning says that."""
    titles = unseen_initiatives(decision)
    if not titles:
        return ""
    quoted = [f"“{title}”" for title in titles]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    links = "its link to" if len(titles) == 1 else "its links to"
    which = "which is" if len(titles) == 1 else "which are"
    return (
        f"Partners will see this decision without {links} {listed}, {which} not shared with them."
    )
