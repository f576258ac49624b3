""" "What did you hear?" on an update (seed 002): ask the people of one internal audience to say
in their own words what their version told them, and read the answers part by part.

It is the decision's back-brief (truenorth.decisions.backbrief) with another source: one
check-in with one text question, its personal links, email, anonymity threshold and release of
results as for any check-in. The source is the version as it was sent: its narrative and one part
per section (heading → its lines), pinned when the back-brief is created, so the scores never move
with a later edit. Partners are never asked: their answers never enter analyses of employees.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.checkins.models import SourceKind
from truenorth.checkins.overlaps import publication_refused_shown
from truenorth.decisions.backbrief import CannotAsk, ask, reading, rehearsal_of
from truenorth.updates import audiences, delivery
from truenorth.updates.models import Audience, Update, UpdateBackBrief

__all__ = ["CannotAsk", "create_back_brief", "parts", "reading", "recipients"]

QUESTION = "In your own words, what did this update tell you, and what does it mean for your work?"
INTERNAL = [Audience(a) for a in Audience.values if a != Audience.PARTNERS]


def recipients(update: Update, audience: str) -> list:
    """The active people with an email whose version is `audience` (updates.delivery's mapping of
    functions to audiences)."""
    return delivery.recipients(update.workspace).by_audience[audience]


def parts(update: Update, audience: str) -> dict[str, str]:
    """The version's text as parts: the narrative, then one part per section (its heading → its
    lines joined), leaving out empty ones."""
    found = audiences.version(update, audience)
    result = {"narrative": found.intro.strip()} if found.intro.strip() else {}
    for section in found.sections:
        lines = " ".join(
            f"{line.text.rstrip('.')}{f' ({line.note})' if line.note else ''}."
            for line in section.lines
        )
        if lines:
            result[section.heading] = lines
    return result


def latest(update: Update, audience: str) -> UpdateBackBrief | None:
    return (
        update.backbriefs.filter(audience=audience)
        .select_related("checkin__report", "checkin__workspace")
        .first()
    )


def cannot_ask(update: Update, audience: str) -> str:
    """Why its back-brief for `audience` cannot be sent whatever the mail server does, "" when
    it can: no such audience, a draft, the partners, already sent, fewer people than the
    anonymity threshold, or a version that says nothing. Said before the mail server is asked,
    as no mail server can mend it."""
    if audience not in Audience.values:
        return f"There is no audience “{audience}”."
    if not update.is_published:
        return f"Update {update.number} is a draft: publish it before asking about it."
    if audience == Audience.PARTNERS:
        return "Partners are not asked: their answers never enter the analyses of employees."
    label = Audience(audience).label
    sent = latest(update, audience)
    if sent is not None:
        return (
            f"Update {update.number}'s back-brief for {label} was already sent on "
            f"{date_format(timezone.localtime(sent.checkin.opens_at).date())}: its check-in is "
            f"number {sent.checkin_id}."
        )
    people = len(recipients(update, audience))
    threshold = update.workspace.anonymity_threshold
    if people < threshold:
        return (
            f"{label} has {people} {'person' if people == 1 else 'people'} with an email, "
            f"fewer than the workspace's anonymity threshold of {threshold}: its results could "
            "never be shown."
        )
    if not parts(update, audience):
        return f"{label}'s version of update {update.number} says nothing to ask about."
    return ""


def never_published(update: Update, audience: str) -> str:
    """Why its back-brief for `audience`, sent now, could never be published, whatever answers
    came ('' when it could): the people it would ask differ by a few from those of a check-in
    published near it. Sending it then takes a confirmation ("Send anyway", --send-anyway), as
    a decision's back-brief and a check-in's first send do."""
    return rehearsal(update, audience, recipients(update, audience))["never"]


def rehearsal(update: Update, audience: str, people: list) -> dict:
    """never_published and the warnings of check-ins near it, for its back-brief sent now to
    `people`, rehearsed in memory as a decision's is (decisions.backbrief.rehearsal_of): looking
    at the page writes nothing."""
    source = f"update:{update.pk}:{audience}"
    return rehearsal_of(update.workspace, source, title_of(update, audience), people)


def title_of(update: Update, audience: str) -> str:
    return f"What did you hear? Update {update.number} for {audiences.audience_words(audience)}"


@transaction.atomic
def create_back_brief(
    update: Update, audience: str, by=None, anonymous: bool = True
) -> UpdateBackBrief:
    """A back-brief check-in asking the people of `audience`, open for decisions.backbrief's
    OPEN_DAYS, its invitations made; send it with checkins.tasks.send_checkin_links on commit.
    Whether it could ever be published is the caller's to ask (never_published)."""
    if refusal := cannot_ask(update, audience):
        raise CannotAsk(refusal)
    checkin = ask(
        update.workspace,
        title_of(update, audience),
        QUESTION,
        SourceKind.UPDATE,
        f"Update {update.number}: {update.title} — {Audience(audience).label}",
        parts(update, audience),
        recipients(update, audience),
        by,
        anonymous,
    )
    return UpdateBackBrief.objects.create(
        update=update,
        audience=audience,
        checkin=checkin,
        by=by if getattr(by, "is_authenticated", False) else None,
    )


def page_rows(update: Update, membership) -> list[dict]:
    """One row per internal audience for the update's page: how many people it would ask, the
    back-brief sent (with its reading for those who see check-in results), and whether this
    login may send one, with what sending it now would warn of (rehearsal): why it could never
    be published, which takes "Send anyway", or the check-ins near it."""
    people = delivery.recipients(update.workspace).by_audience
    sent = {b.audience: b for b in update.backbriefs.select_related("checkin__report")}
    threshold = update.workspace.anonymity_threshold
    rows = []
    for audience in INTERNAL:
        found = sent.get(audience)
        row = {
            "audience": audience.value,
            "label": audience.label,
            "people": len(people[audience]),
            "sent": found,
            "too_few": len(people[audience]) < threshold,
            "can_ask": membership.can_write and found is None,
            "never_published": "",
            "warnings": [],
        }
        if row["can_ask"] and not row["too_few"]:
            rehearsed = rehearsal(update, audience, people[audience])
            row.update(never_published=rehearsed["never"], warnings=rehearsed["warnings"])
        if found is not None and membership.can_read_results:
            row["reading"] = sent_reading(found)
        rows.append(row)
    return rows


def sent_reading(found: UpdateBackBrief) -> dict:
    """Its reading, and, while it waits for results, why none will ever come ("never_shown"):
    beside a check-in published near it, its publication may be ruled out, as a decision's
    back-brief says (decisions.backbrief.page_reading)."""
    read = reading(found)
    waiting = read["state"] in ("open", "unpublished")
    return read | {"never_shown": publication_refused_shown(found.checkin) if waiting else ""}


# What the update's page shows of a reading (templates/updates/backbrief.html): the headline
# fidelity and each part's shares. Unlike a decision's page it quotes no answer, so neither
# does its JSON.
SHOWN = ("state", "never_shown", "threshold", "n", "fidelity", "parts")


def published_json(update, membership) -> list[dict] | None:
    """A published update's back-briefs as its page shows them to this login, as JSON (its
    page's twin and the API give them); None for a draft."""
    return as_json(page_rows(update, membership)) if update.is_published else None


def as_json(rows: list[dict]) -> list[dict]:
    """The JSON of page_rows, for the API: per internal audience what the page shows this login
    of its back-brief."""
    return [row_json(row) for row in rows]


def row_json(row: dict) -> dict:
    """One audience's row. `state` is what the page says of it to this login: not_asked; once
    asked, the reading's state (open, unpublished, too_few, shown) for those who see check-in
    results, and only "asked" (and when) for the others, as the page tells them."""
    sent, read = row["sent"], row.get("reading")
    state = "not_asked" if sent is None else read["state"] if read else "asked"
    may_ask = row["can_ask"] and not row["too_few"]
    return {
        "audience": row["audience"],
        "label": str(row["label"]),
        "people": row["people"],
        "below_threshold": row["too_few"],
        "state": state,
        "checkin": sent.checkin_id if sent else None,
        "asked_on": timezone.localtime(sent.checkin.opens_at).date().isoformat() if sent else None,
        "reading": reading_json(read) if read else None,
        "before_sending": (
            {"never_published": row["never_published"], "warnings": row["warnings"]}
            if may_ask
            else None
        ),
    }


def reading_json(read: dict) -> dict:
    return {key: read[key] for key in SHOWN if key in read} | {
        "closes_at": read["closes_at"].isoformat()
    }
