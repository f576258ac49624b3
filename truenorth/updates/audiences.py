"""One update, a version per audience (seed 001, exercises 1-6; seed 000: "every audience does
not need the same information in the same way ... This does not mean changing the truth").

Every version is built from the same facts (updates.facts), in plain sentences. A status is
always said in the words of roadmap.models.STATUS_MEANING, so an exploring or planned item reads
"Not a promise: …" and never carries a date where a date would read as a promise. The rules each
version keeps are checked on the rendered text (updates.rules), not trusted to this module."""

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format

from truenorth.analysis.privacy import effective_threshold
from truenorth.charts import number
from truenorth.claims.models import LIVE_NOW, READ_AS_PROMISE, TAKEN_BACK
from truenorth.roadmap.models import (
    COMMITTED,
    DATED_FOR_PARTNERS,
    NOT_PROMISED,
    SHARED_OUTSIDE,
    STATUS_MEANING,
    Status,
)
from truenorth.roadmap.naming import says, unshared_names_of
from truenorth.updates.models import Audience, Update


@dataclass
class Line:
    text: str  # one plain sentence
    note: str = ""  # a qualifier shown after it, e.g. "Not a promise: ..." or "in 12 days"
    link: str = ""  # an in-app path (initiative, decision, check-in), "" for partners
    # The roadmap item the line is about, and its status, so the rules can read the line as one.
    initiative: int | None = None
    status: str = ""
    results: bool = False  # it quotes check-in results, which members may not read
    level: int = 0  # 1: a detail of the line above it, e.g. a check-in's figure under its name


@dataclass
class Section:
    heading: str
    lines: list[Line] = field(default_factory=list)
    empty: str = ""  # what the page says when there are no lines ("Nothing slipped.")

    @property
    def grouped(self) -> list[tuple[Line, list[Line]]]:
        """Each line with the detail lines under it, as pages and email nest them."""
        found: list[tuple[Line, list[Line]]] = []
        for line in self.lines:
            if line.level and found:
                found[-1][1].append(line)
            else:
                found.append((line, []))
        return found


@dataclass
class Version:
    audience: str  # an Audience value
    title: str  # e.g. "Update 3: November 2026 — for sales and marketing"
    intro: str  # the narrative (internal audiences) or the partner note (partners)
    sections: list[Section] = field(default_factory=list)
    # ISO dates: the period the version covers, and the day its figures were read (goals,
    # claims, orphan work, customer themes; none for partners, who read no figure).
    period_start: str = ""
    period_end: str = ""
    figures_as_of: str = ""

    @property
    def dates(self) -> str:
        """ "7 Dec 2026 to 6 Jan 2027. Figures as of 7 Jan 2027.", in the site's date format, as
        its page, its Markdown and its email open."""
        if not self.period_start:
            return ""
        start, end = (
            date_format(date.fromisoformat(d)) for d in (self.period_start, self.period_end)
        )
        said = f"{start} to {end}."
        if self.figures_as_of:
            said += f" Figures as of {date_format(date.fromisoformat(self.figures_as_of))}."
        return said


# The support version's section of what is coming; updates.notice reads who was told from it.
CHANGES_COMING = "Changes coming"
# What was taken back and what became a commitment: for sales and support, what to stop
# promising and what may now be promised.
PROMISE_CHANGES = "Commitment changes"
NO_PROMISE_CHANGES = "Nothing was taken back or newly committed in this period."


def meaning(status: str) -> str:
    return STATUS_MEANING[Status(status)]


def day(value: str | None) -> str:
    """An ISO date as people write it: "7 December 2026"."""
    if not value:
        return ""
    found = date.fromisoformat(value)
    return f"{found.day} {found:%B %Y}"


def days(n: int) -> str:
    return "1 day" if abs(n) == 1 else f"{abs(n)} days"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def audience_words(audience: str) -> str:
    label = str(Audience(audience).label)
    return label[0].lower() + label[1:]


def version(update: Update, audience: str) -> Version:
    """The update as `audience` should read it, from update.facts and its texts."""
    audience = Audience(audience).value  # ValueError for an unknown audience
    facts = as_shown_now(update.facts or {}, update.workspace.anonymity_threshold)
    title = f"Update {update.number}: {update.title} — for {audience_words(audience)}"
    period = {
        "period_start": update.period_start.isoformat(),
        "period_end": update.period_end.isoformat(),
    }
    if audience == Audience.PARTNERS:
        return Version(audience, title, update.partner_note, partners(facts), **period)
    sections = BUILDERS[audience](facts)
    return Version(
        audience, title, update.narrative, sections, **period, figures_as_of=read_on(update)
    )


def read_on(update: Update) -> str:
    """The day the update's figures were read: the day its facts were gathered for (facts
    gathered before they kept it: the day they were gathered)."""
    gathered = (update.facts or {}).get("period", {}).get("gathered_on")
    if gathered or update.gathered_at is None:
        return gathered or ""
    return timezone.localdate(update.gathered_at).isoformat()


def as_shown_now(facts: dict, threshold: int) -> dict:
    """The facts as today's anonymity threshold lets them be shown: raising it hides groups in
    stored results at once, everywhere (docs/privacy.md), frozen facts included."""
    if not facts.get("checkins"):
        return facts
    threshold = effective_threshold(threshold)
    return {**facts, "checkins": [checkin_shown_now(c, threshold) for c in facts["checkins"]]}


def checkin_shown_now(checkin: dict, threshold: int) -> dict:
    """A check-in's entry as it may be shown under `threshold`: as gathered if its figures were
    gathered under it or a higher one. Else (or where the entry recorded none) without what only
    the threshold of then allowed: no line naming a function or team (the groups it names may be
    under today's threshold), no change since an earlier check-in (the two sets of people may now
    differ by too few), and no figure at all when fewer people answered than today's threshold."""
    under = checkin.get("threshold")
    if checkin.get("suppressed") or (under is not None and effective_threshold(under) >= threshold):
        return checkin
    if checkin.get("respondents", 0) < threshold:
        return {**checkin, "suppressed": True, "figures": [], "where_not": []}
    # A line gathered before lines said whether they name a group is taken to name one.
    kept = [line for line in checkin.get("where_not", []) if line.get("groups") is False]
    hidden = {"raised_to": threshold, "recorded": under is not None}
    return {**checkin, "where_not": kept, "compared_with": None, "hidden": hidden}


def hidden_words(hidden: dict) -> str:
    """Why a check-in's changes and groups are not given (checkin_shown_now), in a sentence."""
    why = (
        f"The anonymity threshold was raised to {hidden['raised_to']} after these figures were "
        "gathered"
        if hidden["recorded"]
        else "These figures were gathered before updates recorded their anonymity threshold"
    )
    return (
        f"{why}, so no change since an earlier check-in is given and no function or team is named."
    )


# What a reader who may not read check-in results sees in place of a check-in's figures.
RESULTS_HIDDEN = "The alignment figures are shown to those who may read check-in results."


def without_results(found: Version) -> Version:
    """The version without the lines that quote check-in results, for a reader who may not
    read them (a member): a section left empty says why."""
    for section in found.sections:
        kept = [line for line in section.lines if not line.results]
        if len(kept) < len(section.lines):
            section.lines, section.empty = kept, RESULTS_HIDDEN
    return found


def markdown(found: Version) -> str:
    """The version as Markdown (a heading, the intro, a heading and a bullet list a section)."""
    out = [f"# {found.title}", ""]
    if found.dates:
        out += [found.dates, ""]
    if found.intro.strip():
        out += [found.intro.strip(), ""]
    for section in found.sections:
        out += [f"## {section.heading}", ""]
        for line in section.lines:
            text = f"[{line.text}]({line.link})" if line.link else line.text
            indent = "  " * line.level  # a detail reads under its line, in plain text too
            out.append(f"{indent}- {text}" + (f" — {line.note}" if line.note else ""))
        if not section.lines:
            out.append(section.empty)
        out.append("")
    return "\n".join(out)


def as_json(found: Version) -> dict:
    """The version as a JSON-ready dict."""
    return {**asdict(found), "audience_label": str(Audience(found.audience).label)}


# --- Lines every internal version shares ---


def item_line(item: dict, text: str, note: str = "") -> Line:
    return Line(text, note, item["path"], item["id"], item["status"])


def shipped_lines(facts: dict) -> list[Line]:
    return [
        item_line(i, f"{i['title']} shipped on {day(i['actual_date'])}.", meaning(i["status"]))
        for i in facts.get("shipped", [])
    ]


def committed_lines(facts: dict, why: bool = False) -> list[Line]:
    lines = []
    for i in facts.get("upcoming", []):
        text = f"{i['title']}: due {day(i['target_date'])}."
        if why and i["problem"]:
            text = f"{i['title']}: {i['problem']}"
            if i["goal"]:
                text += f" It serves the goal “{i['goal']}”."
        note = f"{meaning(i['status'])} Due {day(i['target_date'])}, in {days(i['days_to_go'])}."
        lines.append(item_line(i, text, note if why else meaning(i["status"])))
    return lines


def not_promised_lines(facts: dict, statuses=NOT_PROMISED, problem: bool = False) -> list[Line]:
    """Exploring and planned items: the title (and the problem), the status meaning, no date."""
    return [
        item_line(
            i,
            f"{i['title']}: {i['problem']}" if problem and i["problem"] else i["title"],
            meaning(i["status"]),
        )
        for i in facts.get("not_promised", [])
        if i["status"] in statuses
    ]


def promised_before(change: dict) -> bool:
    """Whether the date a move started from was a promise (facts.date_changes); an update
    gathered before facts said so counts a committed item's move as one."""
    return change.get("promised", change["committed"])


def move_line(change: dict) -> Line:
    """A target date that moved. A committed item's dates are its promise and are said; an
    uncommitted item's move is said in days only, since its date promises nothing; and the
    date an item had before it became a commitment was no promise, so it did not "move"."""
    item = change["initiative"]
    later = "later" if change["kind"] == "slip" else "earlier"
    if item["status"] in NOT_PROMISED:
        text = f"{item['title']}: its intended timing moved {days(change['days'])} {later}."
        return item_line(item, text, meaning(item["status"]))
    if item["status"] in COMMITTED and not promised_before(change):
        text = (
            f"{item['title']} became a commitment for {day(change['new'])}; the date it had "
            f"before, {day(change['old'])}, was not a promise."
        )
        return item_line(item, text, meaning(item["status"]))
    text = (
        f"{item['title']} moved from {day(change['old'])} to {day(change['new'])}, "
        f"{days(change['days'])} {later}."
    )
    return item_line(item, text, meaning(item["status"]))


def moves(facts: dict, committed_only: bool = False, kind: str = "") -> list[Line]:
    """Lines for the dates that moved; `committed_only`: only promised dates that moved."""
    return [
        move_line(c)
        for c in facts.get("date_changes", [])
        if (promised_before(c) or not committed_only)
        and (not kind or c["kind"] == kind)
        and c["initiative"]["status"] != Status.SHIPPED
    ]


def commitment_lines(facts: dict) -> list[Line]:
    lines = []
    for change in facts.get("status_changes", []):
        item, new = change["initiative"], change["new"]
        if change["commitment"] == "gained" and item["status"] in NOT_PROMISED:
            # Worded without "promised for" or "committed", which would read as a promise.
            text = (
                f"{item['title']} became a commitment in this period and is no longer "
                f"promised: it is {status_words(item['status'])} now."
            )
        elif change["commitment"] == "gained":
            text = f"{item['title']} became a commitment on {day(change['on'])}."
        elif change["commitment"] == "lost":
            text = (
                f"{item['title']} is no longer promised: it went back to {new.replace('_', ' ')}."
            )
        elif new == Status.SHIPPED:
            continue  # said under "Shipped"
        else:
            text = f"{item['title']} is now {Status(new).label.lower()}."
        # The status it has now, which is what a reader may rely on.
        lines.append(item_line(item, text, meaning(item["status"])))
    return lines


def status_words(status: str) -> str:
    return Status(status).label.lower()


def taken_back(facts: dict) -> list[tuple[dict, str]]:
    """Initiatives shipped or committed at some time in the period that are no longer: what
    sales and support must stop selling or promising. Each with what it was ("shipped" or
    "committed"); shipped wins, since a thing customers were sold is the louder news."""
    found: dict[int, tuple[dict, str]] = {}
    for change in facts.get("status_changes", []):
        item, now = change["initiative"], change["initiative"]["status"]
        for was in (change["old"], change["new"]):
            if was == Status.SHIPPED and now != Status.SHIPPED:
                found[item["id"]] = (item, "shipped")
            elif was in COMMITTED and now not in DATED_FOR_PARTNERS:
                found.setdefault(item["id"], (item, "committed"))
    return list(found.values())


def new_commitments(facts: dict) -> list[tuple[dict, str]]:
    """Initiatives committed now that were not promised when the period began, each with the
    day it last became a commitment: what sales and support may now promise."""
    began: dict[int, str] = {}
    gained: dict[int, tuple[dict, str]] = {}
    for change in facts.get("status_changes", []):
        item = change["initiative"]
        began.setdefault(item["id"], change["old"])
        if change["commitment"] == "gained" and item["status"] in COMMITTED:
            gained[item["id"]] = (item, change["on"])
    return [found for pk, found in gained.items() if began[pk] not in DATED_FOR_PARTNERS]


def promise_change_lines(facts: dict, stop: dict[str, str], may: str) -> list[Line]:
    """What to stop saying of each item taken back, then what may now be promised. `stop`
    holds the first's words for a "shipped" and a "committed" item ({title}), `may` the
    second's; each line's note is the status the item has now."""
    lines = []
    for item, was in taken_back(facts):
        text = stop[was].format(title=item["title"])
        text += f" It is no longer {was}: it is {status_words(item['status'])} now."
        lines.append(item_line(item, text, meaning(item["status"])))
    for item, on in new_commitments(facts):
        due = f"for {day(item['target_date'])}" if item["target_date"] else "with no date set"
        text = f"{item['title']} became a commitment on {day(on)}, {due}: {may}"
        lines.append(item_line(item, text, meaning(item["status"])))
    return lines


def taken_back_lines(facts: dict, only=lambda item: True, line=item_line) -> list[Line]:
    """Each item taken back (shipped or committed at some time in the period, no longer), in
    the words every audience reads it in: what it was, and what it is now."""
    return [
        line(
            item,
            f"{item['title']} is no longer {was}: it is {status_words(item['status'])} now.",
            meaning(item["status"]),
        )
        for item, was in taken_back(facts)
        if only(item)
    ]


def decision_lines(facts: dict, part: str, label: str) -> list[Line]:
    lines = []
    for d in facts.get("decided", []):
        text = f"Decision {d['number']}, {d['title']}: {d['outcome']}".strip()
        if d.get("replaces"):
            text += f" It replaces decision {d['replaces']}."
        if d.get(part):
            text += f" {label}: {d[part]}"
        lines.append(Line(text, f"Decided on {day(d['decided_on'])}.", d["path"]))
    for d in facts.get("withdrawn_decisions", []):
        lines.append(
            Line(withdrawn_text(d), f"{withdrawn_how(d)} on {day(d['closed_on'])}.", d["path"])
        )
    return lines


def withdrawn_how(d: dict) -> str:
    return "Reversed" if d["status"] == "reversed" else "Superseded"


def withdrawn_text(d: dict) -> str:
    """A decision that no longer holds, and what holds instead."""
    text = f"Decision {d['number']}, {d['title']}, no longer holds: {withdrawn_how(d).lower()}."
    if d["replaced_by"]:
        text += f" Decision {', '.join(map(str, d['replaced_by']))} replaces it."
    elif d["reversed_because"]:
        text += f" Why: {d['reversed_because']}"
    return text


def ask_lines(facts: dict) -> list[Line]:
    lines = []
    for d in facts.get("open_decisions", []):
        waited = f"has been open {days(d['days_open'])}" if d["days_open"] else "was raised today"
        text = f"Decision {d['number']}, {d['title']}, {waited}."
        if d["blocks"]:
            text += f" It holds up {', '.join(d['blocks'])}."
        lines.append(Line(text, "Needs a decision.", d["path"]))
    return lines


def goal_lines(facts: dict, outcome: bool = False, pace: bool = False) -> list[Line]:
    """A line a goal; `pace`: its note opens with whether it is on track (strategy.pace), for
    an update gathered since goals carried it."""
    lines = []
    for g in facts.get("goals", []):
        text = f"{g['rank']}. {g['title']}. Measured by: {g['metric']}."
        latest = g["latest"]
        note = f"Target: {g['target']}."
        if latest:
            value = number(latest["value"], latest["unit"])
            note = f"Latest: {value} on {day(latest['on'])}. {note}"
        if pace and g.get("pace"):
            note = f"{g['pace']['words']} {note}"
        if outcome and g["why"]:
            text += f" Why: {g['why']}"
        lines.append(Line(text, note, g["path"]))
    return lines


def checkin_lines(facts: dict, only: tuple[str, ...] = ()) -> list[Line]:
    lines = []
    for c in facts.get("checkins", []):
        if c["suppressed"]:
            text = f"{c['title']}: too few people answered to show its results."
            lines.append(Line(text, "", c["path"], results=True))
            continue
        figures = [f for f in c["figures"] if not only or f["key"] in only]
        if figures:
            said = "; ".join(f"{f['name']}: {f['shown']}" for f in figures)
            note = f"{c['respondents']} answers."
            lines.append(Line(f"{c['title']}: {said}.", note, c["path"], results=True))
    return lines


def alignment_lines(facts: dict, only: tuple[str, ...] = (), where_not: bool = False) -> list[Line]:
    """Each check-in with its answers and what its changes are since, then a line a figure: its
    value, band and what good looks like, and its change since the last comparable check-in
    (updates.facts.headline_figures). Facts gathered before figures carried their words read as
    checkin_lines says them. `only`: the keys of the figures to give, all when empty.
    `where_not`: then where the vision is not understood and what to do (facts.where_not), from
    facts gathered since they carry it: a published update reads as it was published, less
    what a threshold raised since hides (as_shown_now)."""
    lines = []
    for c in facts.get("checkins", []):
        if c["suppressed"] or not all("in_words" in f for f in c["figures"]):
            lines += checkin_lines({"checkins": [c]}, only)
            continue
        figures = [f for f in c["figures"] if not only or f["key"] in only]
        if not figures:
            continue
        before = c.get("compared_with")
        answers = f"{c['title']}: {plural(c['respondents'], 'answer')}."
        lines.append(Line(answers, since_words(c), c["path"], results=True))
        for f in figures:
            text = f"{f['name']}: {f['in_words']}."
            said = change_words(f, before)
            lines.append(Line(text, said, c["path"], results=True, level=1))
        if where_not:
            lines += [
                Line(w["text"], w["note"], c["path"], results=True, level=1)
                for w in c.get("where_not", [])
            ]
    return lines or last_reported_lines(facts)


def since_words(checkin: dict) -> str:
    """What a check-in's changes are since, or why none is given."""
    before = checkin.get("compared_with")
    if checkin.get("hidden"):
        return hidden_words(checkin["hidden"])
    if before:
        return (
            f"Changes are since {before['title']}, the last check-in of its kind that can be "
            "compared with it."
        )
    return "No earlier check-in of its kind can be compared with it: no change is given."


def last_reported_lines(facts: dict) -> list[Line]:
    """With no check-in new in the period, the latest one an earlier update reported, said to
    be no news (updates.facts.checkin_news); nothing when none was."""
    last = facts.get("last_reported_checkin")
    if facts.get("checkins") or not last:
        return []
    text = (
        f"No check-in's results came out in this period. The latest, {last['title']} "
        f"(closed {day(last['closed_on'])}), was reported in Update {last['update']}."
    )
    return [Line(text, "Not new: its figures are in that update.", last["path"])]


def change_words(figure: dict, before: dict | None) -> str:
    if before is None:
        return ""
    if figure["not_compared"]:
        return f"Not compared with {before['title']}: {figure['not_compared']}."
    if not figure["change"]:
        return f"{before['title']} did not measure it."
    verdict = f", {figure['verdict']}" if figure["verdict"] else ""
    said = f"{figure['change']} since {before['title']}{verdict}."
    return said[0].upper() + said[1:]


def orphan_lines(facts: dict) -> list[Line]:
    o = facts.get("orphans") or {}
    if not o.get("items") or o.get("share") is None:
        return []
    text = (
        f"{o['share'] * 100:.0f}% of the work in the trackers (by {o['unit']}) serves no goal: "
        f"{o['orphans']} of {o['items']} items."
    )
    return [Line(text, "", o["path"])]


# What sales and support are told to do of an over-promise, by why it is one (claims.models);
# {customer} is "the customer", or "each customer" of several claims.
SALES_ACTS = {
    LIVE_NOW: "do not say it is available now.",
    TAKEN_BACK: "Tell {customer}, and do not promise it.",
    READ_AS_PROMISE: "Do not promise it.",
}
SUPPORT_ACTS = {
    LIVE_NOW: "tell {customer} it is not available yet.",
    TAKEN_BACK: "Tell {customer} it is no longer promised.",
    READ_AS_PROMISE: "Tell {customer} it is not a promise.",
}
# Where the roadmap's status sits in a reason's words: "it is only being explored".
NOW_WORDS = {
    Status.EXPLORING: "being explored",
    Status.PLANNED: "planned",
    Status.COMMITTED: "committed",
    Status.IN_PROGRESS: "being built",
}


def over_promise_lines(facts: dict, acts: dict[str, str] = SALES_ACTS) -> list[Line]:
    """A line for each initiative and reason claims went further than the roadmap, saying why,
    in the words of the claims page, and what to do (`acts`, by reason). Facts gathered before
    they kept the reasons read as they did then. Only an item that promises nothing carries its
    status's meaning ("Not a promise: …", as the rules ask): a committed one's ("we will deliver
    it by the target date") would end a warning not to promise with a promise."""
    found = facts.get("over_promises") or {}
    lines = []
    for i in found.get("initiatives", []):
        note = meaning(i["status"]) if i["status"] in NOT_PROMISED else ""
        if "reasons" not in i:
            text = (
                # Not "presented it as a promise; it is only in progress": a claim that
                # something in progress is live over-promises too, and the item is committed.
                f"{claims_said(i['claims'])} went further than the roadmap on "
                f"“{i['title']}”: it is {Status(i['status']).label.lower()}."
            )
            lines.append(item_line(i, text, note))
        for kind, n in i.get("reasons", {}).items():
            told = [t for t in i.get("told", []) if t["reason"] == kind]
            text = told_text(told, *over_promise_parts(i, kind, acts[kind])) if told else ""
            lines.append(item_line(i, text or over_promise_text(i, kind, n, acts[kind]), note))
    return lines


def claims_said(n: int) -> str:
    """ "1 claim to a customer", "3 claims to customers"."""
    return "1 claim to a customer" if n == 1 else f"{n} claims to customers"


def to_correct(n: int) -> str:
    """Whom to tell of `n` claims: which customers heard them is the claims page's to say."""
    return "the customer" if n == 1 else "each customer"


def over_promise_text(item: dict, kind: str, n: int, act: str) -> str:
    """Why `n` claims went further than the roadmap on the item, its title quoted where it
    stands inside the sentence. The words of a planned or explored item's lines hold no promise
    word, so the rules read them as they read any."""
    said, title = claims_said(n), f"“{item['title']}”"
    act = act.format(customer=to_correct(n))
    now = NOW_WORDS.get(item["status"], status_words(item["status"]))
    if kind == LIVE_NOW:
        due = f"due {day(item['target_date'])}" if item["target_date"] else "with no date set"
        return f"{said} said {title} is available now. Not live yet: it is {now}, {due}; {act}"
    if kind == TAKEN_BACK:
        return (
            f"{said} relied on {title} as a commitment, since taken back: it is no longer "
            f"promised, it is only {now} now. {act}"
        )
    return f"{said} read {title} as a promise: it is only {now}. {act}"


def over_promise_parts(item: dict, kind: str, act: str) -> tuple[str, str]:
    """What the customers were told of the item, and why that goes further than the roadmap and
    what to do, for `told_text`."""
    title, act = f"“{item['title']}”", act.format(customer="them")
    now = NOW_WORDS.get(item["status"], status_words(item["status"]))
    if kind == LIVE_NOW:
        due = f"due {day(item['target_date'])}" if item["target_date"] else "with no date set"
        return f"that {title} is available now", f"Not live yet: it is {now}, {due}; {act}"
    if kind == TAKEN_BACK:
        return (
            f"that {title} is a commitment",
            f"it was taken back since and is only {now} now. {act}",
        )
    return f"that {title} is coming", f"it is only {now}. {act}"


# How many accounts a line about claims names; the claims page lists the rest.
NAMED_ACCOUNTS = 3


def told_text(told: list[dict], what: str, why: str) -> str:
    """Whom to correct, by whom they were told and when (updates.facts.telling), then what they
    were told and `why` it is wrong: "Halvorsen Group was told by Dana Reyes (Sales) on 3
    November 2026 that “Sage Intacct connector” is coming: it is only being explored. Tell
    them it is not a promise." Several accounts are listed after what they were told, each
    once with its tellings: "2 customers were told that …: Halvorsen Group, by …; Alder &
    Finch, by …. It is only …"."""
    accounts: dict[str, tuple[str, list[dict]]] = {}
    for t in told:
        accounts.setdefault(t["account"].casefold(), (t["account"], []))[1].append(t)
    joined = ":" if why[:1].islower() else "."
    if len(accounts) == 1:
        [(account, tellings)] = accounts.values()
        return f"{account} was told {by_whom(tellings)} {what}{joined} {why}"
    named = [f"{a}, {by_whom(ts)}" for a, ts in list(accounts.values())[:NAMED_ACCOUNTS]]
    if more := len(accounts) - len(named):
        named.append(f"and {plural(more, 'other customer')} (the claims page lists them)")
    why = why[:1].upper() + why[1:]
    return f"{len(accounts)} customers were told {what}: {'; '.join(named)}. {why}"


def by_whom(tellings: list[dict]) -> str:
    """ "by Dana Reyes (Sales) on 3 November 2026 and 9 November 2026 and by Jake on …", each
    speaker once; a claim with no speaker recorded says only when."""
    days: dict[str, list[str]] = {}
    for t in tellings:
        who = f"by {t['by']}" + (f" ({t['function']})" if t["function"] else "") if t["by"] else ""
        said = days.setdefault(who, [])
        if day(t["on"]) not in said:
            said.append(day(t["on"]))
    return " and ".join(f"{who} on {' and '.join(said)}".strip() for who, said in days.items())


def no_capability_lines(facts: dict) -> list[Line]:
    """Each thing customers were told that nothing on the roadmap does, with what was said.
    The claim's words are the note: they are a customer's hearing, not this update's promise,
    so the rules do not read them as one."""
    found = facts.get("no_capability") or {}
    lines = []
    for said in found.get("claims", []):
        gone = f" (“{said['gone']}” was dropped)" if said["gone"] else ""
        text = (
            f"{claims_said(said['claims'])} said we do what nothing on the roadmap does{gone}: "
            f"we do not do this. Correct it with {to_correct(said['claims'])}."
        )
        if said.get("told"):  # absent from updates gathered before it was kept
            what = f"that we do what nothing on the roadmap does{gone}"
            text = told_text(said["told"], what, "we do not do this. Correct it with them.")
        lines.append(Line(text, f"“{said['text']}”", found["path"]))
    return lines


def claims_risk_lines(facts: dict) -> list[Line]:
    """The executives' counts of claims: those made in the period that went further than the
    roadmap, by reason, and of what nothing on the roadmap does; those said live before their
    item shipped in the period; and those whose date moved in the period. Each only when there
    are any."""
    return [
        *over_promise_count(facts.get("over_promises") or {}),
        *no_capability_count(facts.get("no_capability") or {}),
        *said_early_count(facts.get("said_early") or {}),
        *dates_moved_count(facts.get("dates_moved") or {}),
    ]


def told_accounts(claims: int, accounts: int) -> str:
    """ "2 claims to 2 customer accounts"."""
    return f"{plural(claims, 'claim')} to {plural(accounts, 'customer account')}"


def over_promise_count(found: dict) -> list[Line]:
    if not found.get("count"):
        return []
    reasons: Counter = Counter()
    for i in found["initiatives"]:
        reasons.update(i.get("reasons", {}))
    why = "; ".join(
        f"{n} {REASON_WORDS[kind]}" for kind, n in reasons.most_common() if kind in REASON_WORDS
    )
    text = (
        f"{plural(found['count'], 'claim')} made in this period to "
        f"{plural(found['accounts'], 'customer account')} went further than the roadmap"
        + (f": {why}." if why else ".")
    )
    return [Line(text, "", found["path"])]


def no_capability_count(found: dict) -> list[Line]:
    if not found.get("count"):
        return []
    text = (
        f"{plural(found['count'], 'claim')} made in this period to "
        f"{plural(found['accounts'], 'customer account')} said we do what nothing on the "
        "roadmap does."
    )
    why = (
        "No date will make it true: it needs correcting."
        if found["count"] == 1
        else "No date will make them true: they need correcting."
    )
    return [Line(text, why, found["path"])]


def said_early_count(found: dict) -> list[Line]:
    """Items that shipped in the period which claims had said were live before they shipped
    (facts.said_early), in the claims page's words."""
    if not found.get("count"):
        return []
    items = found["items"]
    text = (
        f"{plural(items, 'roadmap item')} that shipped in this period had been said to be live "
        f"before {'it' if items == 1 else 'they'} shipped: "
        f"{told_accounts(found['count'], found['accounts'])}."
    )
    note = "Nothing to correct with the customer now, but it was not true when said."
    if found["count"] > 1:
        note = "Nothing to correct with the customers now, but they were not true when said."
    return [Line(text, note, found["path"])]


def dates_moved_count(found: dict) -> list[Line]:
    """Committed claims whose date moved in the period (facts.customer_dates_moved), as the
    claims page counts them."""
    if not found.get("moved"):
        return []
    text = (
        f"{plural(found['moved'], 'committed claim')} to "
        f"{plural(found['accounts'], 'customer account')} gave a date that moved in this period."
    )
    return [Line(text, "", found["path"])]


# Each reason for an over-promise as the executives read it, after "3 claims …: 1".
REASON_WORDS = {
    LIVE_NOW: "said something is available now that is not live yet",
    TAKEN_BACK: "relied on a commitment since taken back",
    READ_AS_PROMISE: "promised what is only planned or explored",
}


def customer_lines(facts: dict) -> list[Line]:
    """What customers ask for most, in their words, and what addresses it (never for partners:
    feedback is the organisation's)."""
    lines = []
    for theme in facts.get("customers") or []:
        quote = theme["quote"]
        said = f" “{quote['text']}” ({quote['account'] or 'no account named'})" if quote else ""
        text = (
            f"{theme['label']}: {plural(theme['accounts'], 'account')}, "
            f"{plural(theme['items'], 'item')}.{said}"
        )
        by = theme["addressed_by"]
        few = theme.get("status_from_few")  # absent from updates published before it was kept
        note = (
            f"{few['items']} of its {theme['items']} items "
            f"{'matches' if few['items'] == 1 else 'match'} {few['title']} ({theme['status']}); "
            "no initiative matches most of them."
            if few
            else f"{theme['status'].capitalize()}: {by[0]}."
            if by
            else "Nothing on the roadmap addresses it."
        )
        if left := theme.get("unmatched"):  # absent from updates published before it was kept
            quote = left["quote"]
            note += (
                f" Nothing addresses {left['items']} of its {theme['items']} items, from "
                f"{plural(left['accounts'], 'account')}: “{quote['text']}” "
                f"({quote['account'] or 'no account named'})."
            )
        lines.append(Line(text, note, theme["path"]))
    return lines


# --- The six versions ---


def engineering(facts: dict) -> list[Section]:
    """The problem and why, the users, constraints and trade-offs, what is committed and what
    is planned next."""
    return [
        Section("Committed work and why", committed_lines(facts, why=True), "Nothing committed."),
        Section(
            "Planned next, not committed",
            not_promised_lines(facts, (Status.PLANNED,)),
            "Nothing planned.",
        ),
        Section("Shipped", shipped_lines(facts), "Nothing shipped in this period."),
        Section(
            "Trade-offs decided",
            decision_lines(facts, "consequences", "Trade-offs"),
            "No decision made in this period.",
        ),
        Section(PROMISE_CHANGES, commitment_lines(facts), "No status changed."),
        Section("Dates that moved", moves(facts), "No target date moved."),
        Section("Open decisions", ask_lines(facts), "No decision is waiting."),
        Section("Work that serves no goal", orphan_lines(facts), "No work items imported."),
        Section("What customers ask for most", customer_lines(facts), "No customer feedback yet."),
    ]


NO_CHECKIN = "No check-in's results came out in this period."


def design(facts: dict) -> list[Section]:
    """Who the users are, the problems in flight, planned and explored, the measurable
    outcomes, understanding."""
    u = facts.get("users") or {}
    users = []
    if u.get("target_user"):
        users.append(Line(f"Who they are: {u['target_user'].rstrip('.')}.", "", u["path"]))
    if u.get("benefit"):
        users.append(Line(f"What they gain: {u['benefit']}", "", u["path"]))
    return [
        Section("Who the users are", users, "The vision does not say yet."),
        Section("Measurable outcomes", goal_lines(facts), "No goals yet."),
        Section(
            "Problems being solved now", committed_lines(facts, why=True), "Nothing in flight."
        ),
        Section(
            "Problems planned next",
            not_promised_lines(facts, (Status.PLANNED,), problem=True),
            "Nothing planned.",
        ),
        Section(
            "Problems being explored",
            not_promised_lines(facts, (Status.EXPLORING,), problem=True),
            "Nothing is being explored.",
        ),
        Section(
            "How well the vision is understood",
            alignment_lines(facts, ("vision.fidelity", "line_of_sight.linked")),
            NO_CHECKIN,
        ),
        Section("What customers ask for most", customer_lines(facts), "No customer feedback yet."),
    ]


def sales(facts: dict) -> list[Section]:
    """What exists, what is committed, what is only explored; what not to promise; why."""
    explored = not_promised_lines(facts, (Status.EXPLORING,))
    changed = promise_change_lines(
        facts,
        {"shipped": "Stop selling {title}.", "committed": "Stop promising {title}."},
        "you may now promise it.",
    )
    return [
        Section("Available now", shipped_lines(facts), "Nothing shipped in this period."),
        Section(PROMISE_CHANGES, changed, NO_PROMISE_CHANGES),
        Section("Committed, with its date", committed_lines(facts), "Nothing committed."),
        Section(
            "Planned, not a promise",
            not_promised_lines(facts, (Status.PLANNED,)),
            "Nothing planned.",
        ),
        Section(
            "Do not promise",
            over_promise_lines(facts) + no_capability_lines(facts) + explored,
            "Nothing to warn about.",
        ),
        Section("Committed dates that moved", moves(facts, committed_only=True), "No date moved."),
        Section(
            "Why we decided",
            decision_lines(facts, "rationale", "Why"),
            "No decision made in this period.",
        ),
    ]


def support(facts: dict) -> list[Section]:
    """Every change customers will notice, with its date and the lead time, and known issues.

    All initiatives count, not only those shared with partners: roadmap visibility says what may
    be told outside, not what customers will notice, and support has to be ready for both."""
    coming = [
        item_line(
            i,
            f"{i['title']}: due {day(i['target_date'])}.",
            f"Customers see it in {days(i['days_to_go'])}.",
        )
        for i in facts.get("upcoming", [])
    ]
    shipped = [
        item_line(i, f"{i['title']} shipped on {day(i['actual_date'])}.", "Customers have it now.")
        for i in facts.get("shipped", [])
    ]
    issues = moves(facts, committed_only=True, kind="slip") + [
        item_line(
            i,
            f"{i['title']} is late: it was due {day(i['target_date'])}.",
            f"{days(i['days_late'])} overdue.",
        )
        for i in facts.get("overdue", [])
    ]
    changed = promise_change_lines(
        facts,
        {
            "shipped": "Stop telling customers they have {title}.",
            "committed": "Stop telling customers that {title} is coming.",
        },
        "you may now tell customers it is coming.",
    )
    return [
        Section("Changes customers have now", shipped, "Nothing shipped in this period."),
        Section(PROMISE_CHANGES, changed, NO_PROMISE_CHANGES),
        Section(CHANGES_COMING, coming, "Nothing committed."),
        Section("Known issues", issues, "Nothing slipped."),
        Section(
            "What customers were told that is not promised",
            over_promise_lines(facts, SUPPORT_ACTS) + no_capability_lines(facts),
            "Nothing customers were told in this period went further than the roadmap.",
        ),
        Section("What customers ask for most", customer_lines(facts), "No customer feedback yet."),
    ]


def executives(facts: dict) -> list[Section]:
    """Goals and metrics, impact, timing, risks and delays early, asks and decisions needed."""
    risks = (
        moves(facts, committed_only=True, kind="slip")
        + taken_back_lines(facts)
        + [
            item_line(
                i,
                f"{i['title']} is {days(i['days_late'])} past its target date.",
                meaning(i["status"]),
            )
            for i in facts.get("overdue", [])
        ]
    )
    risks += claims_risk_lines(facts)
    return [
        Section("Goals and their metrics", goal_lines(facts, pace=True), "No goals yet."),
        Section("Shipped", shipped_lines(facts), "Nothing shipped in this period."),
        Section("Risks and delays", risks, "No committed date slipped, nothing was taken back."),
        Section("Decisions needed", ask_lines(facts), "No decision is waiting."),
        Section("Decided", decision_lines(facts, "rationale", "Why"), "No decision made."),
        Section("Alignment check-in", alignment_lines(facts, where_not=True), NO_CHECKIN),
        Section("Work that serves no goal", orphan_lines(facts), "No work items imported."),
        Section("What customers ask for most", customer_lines(facts), "No customer feedback yet."),
    ]


BUILDERS = {
    Audience.ENGINEERING: engineering,
    Audience.DESIGN: design,
    Audience.SALES: sales,
    Audience.SUPPORT: support,
    Audience.EXECUTIVES: executives,
}


# --- Partners: only what is shared with them ---


# The partners' section of shared decisions: their words as the editor shared them.
SHARED_DECISIONS = "Decisions shared with you"


def internal_names(facts: dict) -> list[tuple[str, str]]:
    """What a partner never reads, each with the title of what it names: each name of an
    internal initiative (updates.naming) that no shared one's title holds, goal titles, and the
    titles of decisions not shared with partners. (decisions/partners.py warns an editor of the
    same names in a shared decision.)"""
    found = unshared_names_of(facts.get("initiatives", []), shared)
    # A title partners read in the last update is theirs, though the item is no longer shared.
    told = [i["title"] for i in facts.get("no_longer_shared", [])]
    found = [(n, owner) for n, owner in found if not any(says(title, n) for title in told)]
    found += [(g["title"], g["title"]) for g in facts.get("goals", [])]
    found += [(title, title) for title in facts.get("unshared_decisions", [])]
    return [(n, owner) for n, owner in found if n]


def partner_line(item: dict | None, text: str, note: str = "") -> Line:
    """A line without a link: partners do not reach internal pages."""
    if item is None:
        return Line(text, note)
    return Line(text, note, "", item["id"], item["status"])


def shared(item: dict) -> bool:
    """Whether partners may read of the initiative."""
    return item["visibility"] in SHARED_OUTSIDE


def partners(facts: dict) -> list[Section]:
    available = [
        partner_line(i, f"{i['title']}: available since {day(i['actual_date'])}.")
        for i in facts.get("shipped", [])
        if shared(i)
    ]
    committed = [
        partner_line(i, f"{i['title']}: due {day(i['target_date'])}.", meaning(i["status"]))
        for i in facts.get("upcoming", [])
        if shared(i) and i["dated_for_partners"]
    ]
    moved = [
        partner_line(
            c["initiative"],
            f"{c['initiative']['title']} is now due {day(c['new'])}, "
            f"{days(c['days'])} {'later' if c['kind'] == 'slip' else 'earlier'} than before.",
            meaning(c["initiative"]["status"]),
        )
        for c in facts.get("date_changes", [])
        if shared(c["initiative"])
        and c.get("shared", True)  # partners could read the date it moved from
        and c["initiative"]["dated_for_partners"]
        and promised_before(c)  # "earlier than before" would give away an unpromised date
        and c["initiative"]["status"] != Status.SHIPPED
    ]
    # A shared item taken back while partners could see it: a partner told of it as available
    # or due hears it is not. One taken back while internal, then shared, was never theirs.
    seen = {
        c["initiative"]["id"]
        for c in facts.get("status_changes", [])
        if c["old"] in DATED_FOR_PARTNERS and c.get("shared", True)
    }
    taken = taken_back_lines(facts, lambda i: shared(i) and i["id"] in seen, partner_line)
    # What partners read as committed in the last update and is no longer shared with them.
    taken += [
        partner_line(None, f"{i['title']} is no longer on the roadmap we share with you.")
        for i in facts.get("no_longer_shared", [])
    ]
    explored = [
        partner_line(i, i["title"], meaning(i["status"]))
        for i in facts.get("not_promised", [])
        if shared(i)
    ]
    # An editor who shared a decision chose to share its words, as its page shows them to
    # partners; the decision's page warns of the internal names they hold (decisions/partners.py).
    decisions = [
        partner_line(
            None, f"{d['title']}: {d['outcome']}".strip(), f"Decided on {day(d['decided_on'])}."
        )
        for d in facts.get("decided", [])
        if d["shared_with_partners"]
    ]
    return [
        Section("Available now", available, "Nothing new shipped in this period."),
        Section("Committed", committed, "Nothing committed yet."),
        Section("Dates that changed", moved, "No committed date changed."),
        Section("Taken back", taken, "Nothing shared with you was taken back."),
        Section("Explored or planned, not promised", explored, "Nothing to share."),
        Section(SHARED_DECISIONS, decisions, "No shared decision in this period."),
    ]
