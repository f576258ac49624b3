"""A decision as a MADR-style Markdown file and as JSON: the record a team keeps in its repository.

`for_partner` leaves out people's names (partners read the record, not who said what), the goals
and initiatives it touches or blocks (internal, as on the decision's page) and any decision it
supersedes or is superseded by that is not shared with partners."""

from truenorth.decisions.models import Decision

# What a record's export reads besides its own row: prefetch these for a list of records.
LINKS = ("deciders", "consulted", "informed", "goals", "initiatives", "blocks", "superseded_by")


def with_links(decisions):
    """A queryset of decisions with everything an export reads, in a fixed number of queries."""
    return decisions.select_related("owner", "supersedes").prefetch_related(*LINKS)


def names(people) -> str:
    return ", ".join(p.name for p in people) or "—"


def markdown(decision: Decision, for_partner: bool = False) -> str:
    """One record in the MADR layout."""
    lines = [f"# {decision.number}. {decision.title}", ""]
    lines += [f"* Status: {decision.status}"]
    if not for_partner:
        lines += [f"* Owner: {decision.owner.name if decision.owner_id else '—'}"]
        lines += [f"* Deciders: {names(decision.deciders.all())}"]
        lines += [f"* Consulted: {names(decision.consulted.all())}"]
        lines += [f"* Informed: {names(decision.informed.all())}"]
    lines += [f"* Raised: {decision.raised_on.isoformat()}"]
    lines += [f"* Decided: {decision.decided_on.isoformat() if decision.decided_on else '—'}"]
    if decision.closed_on:
        lines += [f"* {decision.get_status_display()}: {decision.closed_on.isoformat()}"]
    if decision.category:
        lines += [f"* Kind: {decision.category}"]
    if decision.supersedes_id:
        earlier = decision.supersedes
        named = not for_partner or earlier.shared_with_partners
        lines += [
            f"* Supersedes: {f'{earlier.number}. {earlier.title}' if named else 'an earlier decision'}"
        ]
    later = [d for d in decision.superseded_by.all() if not for_partner or d.shared_with_partners]
    if later:
        lines += [f"* Superseded by: {', '.join(f'{d.number}. {d.title}' for d in later)}"]
    if not for_partner:
        for label, linked in (
            ("Goals", decision.goals.all()),
            ("Initiatives", decision.initiatives.all()),
            ("Blocks", decision.blocks.all()),
        ):
            if linked:
                lines += [f"* {label}: {', '.join(x.title for x in linked)}"]
    lines += ["", "## Context and Problem Statement", "", decision.question]
    if decision.context:
        lines += ["", decision.context]
    lines += ["", "## Considered Options", ""]
    lines += [f"* {o.get('name', '')}" for o in decision.options] or ["—"]
    lines += ["", "## Decision Outcome", "", decision.outcome or "Not decided yet."]
    if decision.rationale:
        lines += ["", "### Rationale", "", decision.rationale]
    if decision.consequences:
        lines += ["", "### Consequences", "", decision.consequences]
    if decision.reversed_because:
        lines += ["", "### Why It Was Reversed", "", decision.reversed_because]
    if decision.options:
        lines += ["", "## Pros and Cons of the Options"]
        for option in decision.options:
            lines += ["", f"### {option.get('name', '')}", ""]
            lines += [f"* Good, because {p}" for p in split(option.get("pros", ""))]
            lines += [f"* Bad, because {c}" for c in split(option.get("cons", ""))]
    return "\n".join(lines).rstrip() + "\n"


def split(text: str) -> list[str]:
    """A pros or cons field, one point a line."""
    return [line.strip(" -*") for line in text.splitlines() if line.strip(" -*")]


def markdown_log(decisions, workspace_name: str, for_partner: bool = False) -> str:
    """The whole log as one file: an index, then each record, newest first."""
    decisions = list(decisions)
    lines = [f"# Decision log: {workspace_name}", ""]
    lines += [f"* {d.number}. {d.title} ({d.status})" for d in decisions] or ["No decisions yet."]
    parts = ["\n".join(lines) + "\n"]
    parts += [demoted(markdown(d, for_partner)) for d in decisions]
    return "\n---\n\n".join(parts)


def demoted(text: str) -> str:
    """Every heading one level down, so each record sits under the log's title."""
    return "\n".join("#" + line if line.startswith("#") else line for line in text.split("\n"))


def as_json(decision: Decision, for_partner: bool = False) -> dict:
    data = {
        "number": decision.number,
        "title": decision.title,
        "question": decision.question,
        "context": decision.context,
        "kind": decision.category,
        "options": decision.options,
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "consequences": decision.consequences,
        "status": decision.status,
        "raised_on": decision.raised_on.isoformat(),
        "decided_on": decision.decided_on.isoformat() if decision.decided_on else None,
        "closed_on": decision.closed_on.isoformat() if decision.closed_on else None,
        "reversed_because": decision.reversed_because,
        "supersedes": decision.supersedes.number if decision.supersedes_id else None,
        "superseded_by": [
            d.number
            for d in decision.superseded_by.all()
            if not for_partner or d.shared_with_partners
        ],
        "shared_with_partners": decision.shared_with_partners,
    }
    if for_partner:
        if decision.supersedes_id and not decision.supersedes.shared_with_partners:
            data["supersedes"] = None
    else:
        data["goals"] = [g.title for g in decision.goals.all()]
        data["initiatives"] = [i.title for i in decision.initiatives.all()]
        data["blocks"] = [i.title for i in decision.blocks.all()]
        data["owner"] = decision.owner.name if decision.owner_id else None
        for role in ("deciders", "consulted", "informed"):
            data[role] = [p.name for p in getattr(decision, role).all()]
    return data
