"""An occurrence's agenda, built from live data: what changed since the last one, decisions
waiting and how long, slips of committed work, misalignment signals worth discussing and the
latest pulse's open questions.

Every attendee reads the agenda, so what only those who may read check-in results see is marked
on its item ("results": True) and taken out for everyone else (for_reader): the alignment
dashboard's signals, and the pulse's themes, which are read at most as the check-in's own page
shows them (current_report: cut to today's anonymity threshold; theme labels and sizes of groups
at or above it, never a quote). A member reads the pulse's title, and no link to a page their
role may not open (opened: the pulse's results, for a member).

The facts come from the helpers the updates app gathers its periods with (updates.facts), so an
agenda and an update say the same thing about the same week.

Every figure is as of the session's day, even when the agenda is built or frozen later: the
initiatives' status and targets from their history, the signals from the check-ins closed
before the session (with their published results) and windows ending on its day. A signal
measured only as it stands today (the clarity of the vision and goals, sales promises,
customers' needs met) is left out of a past session's agenda, with a line saying so: today's
figure under a past date would mislead. A session after the next one covers a period that has
not begun: its agenda is what it would say today, said as such (preview).
"""

from datetime import date, datetime, timedelta

from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.analysis import measures
from truenorth.checkins.measure import current_report
from truenorth.checkins.models import NOT_PULSES
from truenorth.dashboard.signals import (
    Signal,
    across_functions,
    cached_dashboard,
    comparable_chain,
    decision_latency,
    individual_signals,
    support_heard_first,
)
from truenorth.dashboard.sources import choose_source, published
from truenorth.rituals import recurrence
from truenorth.roadmap.models import COMMITTED, InitiativeChange, Status
from truenorth.roadmap.overruns import cached_overrun_summary
from truenorth.updates import facts
from truenorth.workspaces.access import INTERNAL, OWNER, PARTNER_VISIBLE, RESULTS, WRITE
from truenorth.workspaces.models import SettingChange

# With no earlier occurrence, "since the last one" means this many days before.
FIRST_LOOKBACK_DAYS = 30


def build(ritual, starts_at: datetime, results: bool = False) -> dict:
    """The agenda for the occurrence starting at `starts_at`, as the reader may see it."""
    return for_reader(full(ritual, starts_at), results)


def for_occurrence(ritual, starts_at: datetime, row=None, results: bool = False) -> dict:
    """The agenda frozen when the session was held, else built live; as the reader may see it."""
    if row is not None and row.agenda:
        workspace = ritual.workspace
        # An agenda frozen before agendas recorded it: the threshold of its day, from the history.
        under = row.agenda.get("threshold") or threshold_then(workspace, row.starts_at)
        frozen = at_threshold(row.agenda, under, workspace.anonymity_threshold)
        return for_reader(frozen, results)
    return build(ritual, starts_at, results)


def threshold_then(workspace, moment: datetime) -> int:
    """The anonymity threshold in force at `moment`, read from the settings history."""
    changes = workspace.setting_changes.filter(setting=SettingChange.Setting.ANONYMITY_THRESHOLD)
    before = changes.filter(changed_at__lte=moment).order_by("-changed_at", "-id").first()
    if before is not None:
        return int(before.new_value)
    after = changes.filter(changed_at__gt=moment).order_by("changed_at", "id").first()
    return int(after.old_value) if after is not None else workspace.anonymity_threshold


def at_threshold(frozen: dict, frozen_under: int, threshold: int) -> dict:
    """A frozen agenda as today's anonymity threshold lets it be shown: whole if it was frozen
    under this threshold or a higher one; else without its results items (the pulse's themes
    name groups by their size, which a raised threshold may now hide), saying why."""
    if frozen_under >= threshold:
        return frozen
    why = {
        "text": f"Results frozen under a lower anonymity threshold than today's {threshold} "
        "are left out: the check-in's page shows them as they may be shown now.",
        "results": True,
    }
    sections = []
    for section in frozen.get("sections", []):
        kept = [item for item in section["items"] if not item.get("results")]
        if len(kept) < len(section["items"]):
            kept.append(why)
        sections.append({**section, "items": kept})
    return {**frozen, "sections": sections}


def for_reader(agenda: dict, results: bool) -> dict:
    """The agenda without the items only results readers may see, unless the reader may; and
    without a link to a page the reader may not open (the pulse's results, for a member)."""
    sections = []
    for section in agenda.get("sections", []):
        items = [
            opened(item, results) for item in section["items"] if results or not item.get("results")
        ]
        empty = section["empty"] if results else section.get("members_empty") or section["empty"]
        sections.append({**section, "items": items, "empty": empty})
    return {**agenda, "sections": sections}


# Whose page a link goes to, said in place of a link the reader may not follow.
WHOSE = {
    RESULTS: "its results are for owners, editors and viewers",
    WRITE: "its page is for owners and editors",
    OWNER: "its page is for owners",
}


def opened(item: dict, results: bool) -> dict:
    """The item with its link only where the reader (of internal pages; of results too, if
    `results`) may open the page. Read from the page's own access rule, so that a frozen
    agenda's links are judged as the pages stand now."""
    if not item.get("path"):
        return item
    try:
        need = getattr(resolve(item["path"].split("#")[0]).func, "access_need", INTERNAL)
    except Resolver404:
        need = INTERNAL  # not one of the app's pages: nothing to judge
    if need in (PARTNER_VISIBLE, INTERNAL) or (results and need == RESULTS):
        return item
    whose = WHOSE.get(need, WHOSE[OWNER])
    note = f"{item['note']}; {whose}" if item.get("note") else whose
    return {key: value for key, value in item.items() if key != "path"} | {"note": note}


def full(ritual, starts_at: datetime) -> dict:
    """The whole agenda, results items marked: the period since the session before this one."""
    previous = recurrence.previous_starts(ritual, starts_at, 1)
    now = timezone.now()
    if previous and previous[0] > now:
        return preview(ritual, starts_at, previous[0], now)
    day = recurrence.local(ritual, starts_at).date()
    since = (
        recurrence.local(ritual, previous[0]).date()
        if previous
        else day - timedelta(days=FIRST_LOOKBACK_DAYS)
    )
    # A session that has started is not ahead, though its day may be tomorrow where the
    # workspace is (a ritual that meets further east): its counts are as of its own day.
    ahead = day > timezone.localdate() and starts_at > now
    return gathered(ritual.workspace, since, day, starts_at, ahead=ahead)


def preview(ritual, starts_at: datetime, before: datetime, now: datetime) -> dict:
    """A session after the next one: the period it covers starts with the session before it,
    which has not met, so nothing can be said of it yet. What its agenda would say today
    instead, said as such: the period since the last session that met, counts as of today."""
    today = timezone.localdate()
    last = recurrence.previous_starts(ritual, now, 1)
    since = (
        recurrence.local(ritual, last[0]).date()
        if last
        else today - timedelta(days=FIRST_LOOKBACK_DAYS)
    )
    day = recurrence.local(ritual, starts_at).date()
    opens = recurrence.local(ritual, before).date()
    found = gathered(ritual.workspace, since, today, now, ahead=True)
    note = (
        f"This session is on {said(day)}: its agenda covers what happens after the session of "
        f"{said(opens)}, so it is built once that one has met. Here is what it would say today, "
        f"{said(today)}: what happened since {said(since)}, counted as of today."
    )
    return {**found, "day": day.isoformat(), "preview": note, "preview_as_of": today.isoformat()}


def said(day: date) -> str:
    """A day as the ritual's page writes its other dates ("30 Nov 2026")."""
    return date_format(day)


def gathered(workspace, since: date, day: date, moment: datetime, ahead: bool) -> dict:
    """The agenda of the period from `since` to `day`, its pulse and signals as of `moment`;
    `ahead` when the session is after today, so its counts are today's and say so."""
    as_of = min(timezone.localdate(), day) if ahead else day
    initiatives = workspace.initiatives.select_related("goal", "team", "workspace")
    entries = {i.pk: facts.initiative_entry(i) for i in initiatives}
    moves = facts.date_changes(workspace, entries, since, day)
    stood = as_it_stood(entries, facts.period_bounds(day, day)[1])
    when = " as of today" if ahead else ""
    return {
        "since": since.isoformat(),
        "day": day.isoformat(),
        "threshold": workspace.anonymity_threshold,  # what its results were shown under
        "sections": [
            changed(workspace, entries, moves, since, day),
            waiting(workspace, as_of, when),
            slips(stood, moves, since, as_of, late_now(workspace, day), when),
            signals(workspace, moment, day),
            pulse(workspace, moment),
        ],
    }


def as_it_stood(entries: dict, moment: datetime) -> dict:
    """The initiatives with the status and target date each had at `moment`, from their
    history: the first change of a field after it holds, as its old value, the value then."""
    later = InitiativeChange.objects.filter(
        initiative_id__in=list(entries),
        field__in=[InitiativeChange.Field.STATUS, InitiativeChange.Field.TARGET_DATE],
        changed_at__gte=moment,
    ).order_by("-changed_at", "-id")
    stood = {pk: dict(entry) for pk, entry in entries.items()}
    for change in later:  # the latest first, so the earliest after `moment` is set last
        stood[change.initiative_id][change.field] = change.old_value or None
    return stood


def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


def section(key: str, title: str, items: list[dict], empty: str, members_empty="") -> dict:
    found = {"key": key, "title": title, "items": items, "empty": empty}
    if members_empty:
        found["members_empty"] = members_empty
    return found


def changed(workspace, entries: dict, moves: list[dict], since: date, day: date) -> dict:
    items = []
    for entry in entries.values():
        shipped = date.fromisoformat(entry["actual_date"]) if entry["actual_date"] else None
        if entry["status"] == Status.SHIPPED and shipped and since <= shipped <= day:
            items.append({"text": f"Shipped: {entry['title']}", "path": entry["path"]})
    for change in facts.status_changes(workspace, entries, since, day):
        entry = change["initiative"]
        old, new = status_label(change["old"]), status_label(change["new"])
        words = f"{entry['title']}: {old} → {new}"
        if change["commitment"]:
            words += f" (commitment {change['commitment']})"
        items.append({"text": words, "path": entry["path"], "note": change["on"]})
    for move in moves:
        if move["committed"] and move["kind"] == "slip":
            continue  # in the slips section
        entry = move["initiative"]
        words = f"{entry['title']}: target moved from {move['old']} to {move['new']}"
        items.append({"text": words, "path": entry["path"], "note": move["kind"]})
    for decision in facts.decided(workspace, since, day):
        words = f"Decided: {decision['title']} (decision {decision['number']})"
        if decision["replaces"]:
            words += f", replaces decision {decision['replaces']}"
        items.append({"text": words, "path": decision["path"], "note": decision["decided_on"]})
    for decision in facts.withdrawn(workspace, since, day):
        how = "Reversed" if decision["status"] == "reversed" else "Superseded"
        words = f"{how}: {decision['title']} (decision {decision['number']})"
        if decision["replaced_by"]:
            words += f", replaced by decision {', '.join(map(str, decision['replaced_by']))}"
        items.append({"text": words, "path": decision["path"], "note": decision["closed_on"]})
    return section(
        "changed",
        "What changed since the last one",
        items,
        f"Nothing shipped, changed status or moved since {said(since)}.",
    )


def waiting(workspace, as_of: date, when: str = "") -> dict:
    items = []
    for decision in facts.open_decisions(workspace, as_of):
        open_for = waited(decision["days_open"], as_of, when)
        words = f"{decision['title']} (decision {decision['number']}): {open_for}"
        if decision["blocks"]:
            words += "; blocks " + ", ".join(decision["blocks"])
        items.append({"text": words, "path": decision["path"]})
    return section("decisions", "Decisions pending, oldest first", items, "No decision is waiting.")


def waited(days_open: int, as_of: date, when: str = "") -> str:
    """How long a decision has waited: "open 5 days", "open 1 day as of today"; one raised on the
    day counted to was "open 0 days", so it says "raised today" (as the decisions pages do), or,
    for a past session, "raised on the session's day"."""
    if days_open:
        return f"open {days(days_open)}{when}"
    return (
        "raised today" if when or as_of >= timezone.localdate() else "raised on the session's day"
    )


def slips(
    entries: dict, moves: list[dict], since: date, as_of: date, late: dict | None, when: str = ""
) -> dict:
    items = []
    for move in moves:
        if move["committed"] and move["kind"] == "slip":
            entry = move["initiative"]
            words = f"{entry['title']} slipped {days(move['days'])}, to {move['new']}"
            items.append({"text": words, "path": entry["path"], "note": move["on"]})
    for entry in entries.values():
        target = entry["target_date"]
        if entry["status"] in COMMITTED and target and date.fromisoformat(target) < as_of:
            late_by = days((as_of - date.fromisoformat(target)).days)
            words = f"{entry['title']} is {late_by} past its target of {target}{when}"
            items.append({"text": words, "path": entry["path"]})
    nothing = f"No committed date moved later since {said(since)}, and none is past its target."
    # Late against the date first committed to is the overview's figure, not a slip of this
    # period: said beside it, so an empty section is not read as all clear.
    if late and late["slipped"]:
        words = (
            f"{late['slipped']} of {late['initiatives']} committed initiatives are late against "
            "the date first committed to: see Overruns"
        )
        items.append({"text": words if items else f"{nothing} {words}", "path": late["path"]})
    return section("slips", "Slips of committed work", items, nothing)


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def late_now(workspace, day: date) -> dict | None:
    """The overview's "Committed initiatives late", for a session today or later: a past
    session's agenda leaves it out, as only today's figure can be had."""
    if day < timezone.localdate():
        return None
    overall = cached_overrun_summary(workspace)["overall"]
    path = reverse("overruns", args=[workspace.slug])
    return {"slipped": overall["slipped"], "initiatives": overall["initiatives"], "path": path}


def below_good(signal: Signal) -> bool:
    """Worth discussing: a measured signal short of what good looks like (its band), or, for a
    measure with no band, one that moved the wrong way since the last reading."""
    if signal.value is None or not signal.key:
        return False
    measure = measures.measure(signal.key)
    band = measure.band
    if band is None:
        return signal.verdict == "worse"
    if measure.higher_is_better is False:
        return signal.value > band.good
    return signal.value < band.good


def signals(workspace, starts_at: datetime, day: date) -> dict:
    """The dashboard's signals short of good at every level but the teams' (a row per team
    would bury the rest): how well people understand and agree, the organisation's, and the
    market's; for a past session, those that can be had as of its day."""
    if day >= timezone.localdate():
        board = cached_dashboard(workspace)
        measured, left_out = [*board.individual, *board.organisation, *board.market], []
    else:
        measured, left_out = signals_then(workspace, starts_at, day), [NOT_DATED]
    path = reverse("alignment", args=[workspace.slug])
    items = [
        {
            "text": f"{signal.name}: {signal.in_words}",
            "path": signal.evidence or path,
            "note": signal.note,
            "results": True,
        }
        for signal in measured
        if below_good(signal)
    ]
    items += [{"text": words, "results": True} for words in left_out]
    return section(
        "signals",
        "Misalignment signals worth discussing",
        items,
        "Every measured alignment signal is at or above good.",
        members_empty="The alignment signals are shown to those who may read check-in results.",
    )


# Said in a past session's agenda in place of the signals measured only as they stand today.
NOT_DATED = (
    "The clarity of the vision and of the goals, sales promises and customers' needs met are "
    "measured only as they stand today, so a past session's agenda leaves them out."
)


def signals_then(workspace, starts_at: datetime, day: date) -> list[Signal]:
    """The signals as they stood at a past session: from the check-ins that closed before it
    (as its pulse section reads them), and the windows of decisions and notices ending on its
    day."""
    reported = [(c, data) for c, data in published(workspace) if c.closes_at < starts_at]
    source = choose_source(workspace, reported)
    pulses = comparable_chain(source.pulses) if source.pulses else []
    return [
        *individual_signals(pulses),
        across_functions(pulses),
        decision_latency(workspace, day),
        support_heard_first(workspace, day),
    ]


def latest_pulse(workspace, before: datetime):
    """The last pulse closed before `before` whose published results show something. One
    answered by fewer people than the threshold publishes nothing to discuss: it is passed over
    for the one before it (a closed check-in with no answer had hidden the Q4 pulse's 35)."""
    closed = (
        workspace.checkins.exclude(template__in=NOT_PULSES)
        .filter(finalised_at__isnull=False, closes_at__lt=before)
        .select_related("report", "workspace")
        .order_by("-closes_at", "-pk")
    )
    for checkin in closed:
        report = current_report(checkin)
        if report is not None and not report.data.get("suppressed"):
            return checkin
    return None


def pulse(workspace, starts_at: datetime) -> dict:
    checkin = latest_pulse(workspace, starts_at)
    title = "The latest pulse's open questions"
    if checkin is None:
        return section("pulse", title, [], "No pulse has published results yet.")
    path = reverse("checkin", args=[workspace.slug, checkin.pk])
    closed = date_format(timezone.localdate(checkin.closes_at))
    items = [{"text": f"{checkin.title}, closed {closed}", "path": path}]
    report = current_report(checkin)
    data = report.data if report else {}
    threshold = data.get("threshold")
    why = f"No theme is read in more than one way by groups of {threshold} or more."
    items += open_questions(data, path) or [{"text": why, "results": True}]
    return section("pulse", title, items, "")


def open_questions(data: dict, path: str) -> list[dict]:
    """The themes read in more than one way, as the check-in page shows them: label and size
    of groups at or above the threshold, never a quote; for results readers only."""
    found = []
    for question in data.get("questions", []):
        if question.get("suppressed") or not question.get("themes"):
            continue
        for theme in question["themes"].get("groups", []):
            readings = theme.get("readings", {}).get("groups", [])
            if len(readings) < 2:
                continue
            label = theme.get("label") or "an unnamed topic"
            words = (
                f"{question['prompt']}: “{label}” ({theme['size']} people) "
                f"is read {len(readings)} ways"
            )
            anchor = f"#interpretations-{question['key']}"
            found.append({"text": words, "path": path + anchor, "results": True})
    return found
