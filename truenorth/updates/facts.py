"""What happened in a period, gathered from live data for an update (stored in Update.facts).

Everything here is JSON-ready: dates are ISO strings, initiatives are dicts carrying what the
audience versions and the rules need (updates.audiences, updates.rules), so a published update
reads the same whatever happens to the roadmap afterwards. Figures come from the code that
computes them elsewhere: check-in headlines from the published report as the check-in pages cut
it (checkins.measure.current_report, analysis.report.headlines), orphan work from
work.traceability, open decisions' ageing from decisions.speed.
"""

import re
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from truenorth.analysis import measures
from truenorth.analysis.report import headlines, scored_alike
from truenorth.checkins.measure import (
    and_list,
    comparable,
    compared,
    current_report,
    group_names,
    in_percent,
    know_who_answered,
    shown_value,
    vision_source,
)
from truenorth.checkins.models import BACK_BRIEF, CheckIn
from truenorth.claims.models import Verdict, date_moved_between, in_periods
from truenorth.claims.verdicts import committed_dates_moved
from truenorth.decisions import speed
from truenorth.decisions.models import Status as DecisionStatus
from truenorth.feedback.themes import status_from_few, theme_figures, unmatched_shown
from truenorth.roadmap.models import (
    COMMITTED,
    DATED_FOR_PARTNERS,
    NOT_PROMISED,
    SHARED_OUTSIDE,
    Initiative,
    InitiativeChange,
    Status,
)
from truenorth.strategy import pace
from truenorth.tabular import folded
from truenorth.work.traceability import cached_orphan_summary
from truenorth.workspaces.models import Workspace

# The check-in figures an update quotes, in this order: understanding of the vision first (what
# design and leadership ask about), then line of sight, priorities and confidence in direction.
HEADLINE_FIGURES = (
    "vision.fidelity",
    "line_of_sight.linked",
    "priorities.names_top_goal",
    "direction.agree",
)
CUSTOMER_THEMES = 3  # the themes of customer feedback an update names


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def initiative_entry(initiative: Initiative) -> dict:
    """What every version and rule needs of one initiative."""
    slug = initiative.workspace.slug
    return {
        "id": initiative.pk,
        "key": initiative.key,
        "title": initiative.title,
        "problem": initiative.problem,
        "goal": initiative.goal.title if initiative.goal_id else "",
        "goal_id": initiative.goal_id,
        "team": initiative.team.name if initiative.team_id else "",
        "status": initiative.status,
        "visibility": initiative.visibility,
        "target_date": iso(initiative.target_date),
        "actual_date": iso(initiative.actual_date),
        "dated_for_partners": initiative.status in DATED_FOR_PARTNERS,
        "path": reverse("initiative", args=[slug, initiative.pk]),
    }


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware moments: from start's midnight to the midnight after end."""
    first = timezone.make_aware(datetime.combine(start, time.min))
    after = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return first, after


def gather(workspace: Workspace, start: date, end: date, today: date) -> dict:
    """The period's facts (start..end inclusive), ages and countdowns counted from the earlier
    of `today` and the period's end, so a past period reads as it stood when it ended. The
    figures read live (goals, claims' verdicts, orphan work, customer themes) are as of `today`,
    kept as the period's `gathered_on` for the versions to say."""
    as_of = min(today, end)
    initiatives = list(
        workspace.initiatives.select_related("goal", "team", "workspace").order_by(
            "target_date", "title"
        )
    )
    entries = {i.pk: initiative_entry(i) for i in initiatives}
    return {
        "period": {
            "start": iso(start),
            "end": iso(end),
            "as_of": iso(as_of),
            "gathered_on": iso(today),
        },
        "workspace": {"name": workspace.name, "slug": workspace.slug},
        "initiatives": list(entries.values()),
        "shipped": [
            entries[i.pk]
            for i in initiatives
            if i.status == Status.SHIPPED and i.actual_date and start <= i.actual_date <= end
        ],
        "status_changes": status_changes(workspace, entries, start, end),
        "date_changes": date_changes(workspace, entries, start, end),
        "upcoming": [
            {**entries[i.pk], "days_to_go": (i.target_date - as_of).days}
            for i in initiatives
            if i.status in COMMITTED and i.target_date and i.target_date >= as_of
        ],
        "overdue": [
            {**entries[i.pk], "days_late": (as_of - i.target_date).days}
            for i in initiatives
            if i.status in COMMITTED and i.target_date and i.target_date < as_of
        ],
        "not_promised": [entries[i.pk] for i in initiatives if i.status in NOT_PROMISED],
        "no_longer_shared": no_longer_shared(workspace, entries),
        "decided": decided(workspace, start, end),
        "withdrawn_decisions": withdrawn(workspace, start, end),
        "open_decisions": open_decisions(workspace, as_of),
        "unshared_decisions": list(
            workspace.decisions.filter(shared_with_partners=False).values_list("title", flat=True)
        ),
        **checkin_news(workspace, start, end),
        "over_promises": over_promises(workspace, entries, start, end),
        "no_capability": no_capability(workspace, start, end),
        "said_early": said_early(workspace, start, end),
        "dates_moved": customer_dates_moved(workspace, start, end),
        "orphans": orphans(workspace),
        "goals": goals(workspace, today),
        "users": users(workspace),
        "customers": customer_themes(workspace),
    }


def no_longer_shared(workspace: Workspace, entries: dict) -> list[dict]:
    """What the last published partners' version gave as committed, with its date, that is no
    longer shared with partners or is off the roadmap: each with the title partners read and
    the update they read it in. Unsharing it would otherwise take it from them without a word."""
    last = workspace.updates.exclude(published_at=None).order_by("-published_at").first()
    if last is None:
        return []
    return [
        {"id": i["id"], "title": i["title"], "target_date": i["target_date"], "update": last.number}
        for i in (last.facts or {}).get("upcoming", [])
        if i["visibility"] in SHARED_OUTSIDE
        and i["dated_for_partners"]
        and entries.get(i["id"], {}).get("visibility") not in SHARED_OUTSIDE
    ]


def changes_in(workspace: Workspace, field: str, start: date, end: date):
    """The period's recorded changes of one field of the workspace's (unarchived) initiatives."""
    first, after = period_bounds(start, end)
    return InitiativeChange.objects.filter(
        initiative__workspace=workspace,
        initiative__archived_at__isnull=True,
        field=field,
        changed_at__gte=first,
        changed_at__lt=after,
    )


def status_changes(workspace: Workspace, entries: dict, start: date, end: date) -> list[dict]:
    """Each change of status in the period; "shared" says whether the item was shared with
    partners when it changed, so partners hear only of what they could see."""
    rows = changes_in(workspace, InitiativeChange.Field.STATUS, start, end)
    shares = visibility_changes(workspace, start)
    found = []
    for change in rows:
        entry = entries[change.initiative_id]
        then = value_before(shares.get(entry["id"], []), change.changed_at, entry["visibility"])
        # Shipping keeps the promise: only a move into or out of the promised statuses counts.
        was, now = change.old_value in DATED_FOR_PARTNERS, change.new_value in DATED_FOR_PARTNERS
        found.append(
            {
                "initiative": entries[change.initiative_id],
                "old": change.old_value,
                "new": change.new_value,
                "on": iso(timezone.localdate(change.changed_at)),
                "commitment": "gained" if now and not was else "lost" if was and not now else "",
                "shared": then in SHARED_OUTSIDE,
            }
        )
    return found


def visibility_changes(workspace: Workspace, start: date) -> dict[int, list[InitiativeChange]]:
    """Each initiative's changes of visibility from the period's start on, oldest first: what
    tells whether partners could see it at a moment of the period."""
    first, _ = period_bounds(start, start)
    found: dict[int, list[InitiativeChange]] = {}
    for change in InitiativeChange.objects.filter(
        initiative__workspace=workspace,
        field=InitiativeChange.Field.VISIBILITY,
        changed_at__gte=first - SAME_SAVE,
    ):
        found.setdefault(change.initiative_id, []).append(change)
    return found


def statuses_at_start(workspace: Workspace, start: date, end: date) -> dict[int, str]:
    """The status each initiative whose status changed in the period had when it began."""
    found: dict[int, str] = {}
    for change in changes_in(workspace, InitiativeChange.Field.STATUS, start, end):
        found.setdefault(change.initiative_id, change.old_value)
    return found


# A status change and a date change saved together are recorded one after the other, a moment
# apart: changes this close to a move were saved with it.
SAME_SAVE = timedelta(seconds=1)


def value_before(changes: list[InitiativeChange], moved_at: datetime, now: str) -> str:
    """The value of one field (`changes` are its changes, oldest first) an initiative had before
    the save made at `moved_at`: the old value of the first change saved with it or after it,
    else the value it has now. Sharing an item in the save that moved its date counts as after
    the move: partners never saw the date it moved from."""
    later = [c for c in changes if c.changed_at >= moved_at - SAME_SAVE]
    return later[0].old_value if later else now


def date_changes(workspace: Workspace, entries: dict, start: date, end: date) -> list[dict]:
    """Moves of a target date in the period: slips (later) and pull-ins (earlier).

    "committed" says whether the item was committed when its date moved (its history tells,
    whatever its status today): a slip of committed work stays one after the item shipped.
    "promised" says whether the date it moved from was a promise: the item was committed when
    the period began and still is. An item that became a commitment in the period had only an
    intended date before (a status change and a date change saved together are recorded one
    after the other, so the status at the moment of the move cannot tell). "shared" says
    whether partners could read the date it moved from: shared with them and committed then."""
    rows = changes_in(workspace, InitiativeChange.Field.TARGET_DATE, start, end)
    began = statuses_at_start(workspace, start, end)
    first, _ = period_bounds(start, end)
    shares = visibility_changes(workspace, start)
    statuses: dict[int, list[InitiativeChange]] = {}
    for status in InitiativeChange.objects.filter(
        initiative__in=rows.values("initiative"),
        field=InitiativeChange.Field.STATUS,
        changed_at__gte=first - SAME_SAVE,
    ):
        statuses.setdefault(status.initiative_id, []).append(status)
    found = []
    for change in rows:
        try:
            old, new = date.fromisoformat(change.old_value), date.fromisoformat(change.new_value)
        except ValueError:
            continue  # a date set or cleared is not a move
        entry = entries[change.initiative_id]
        then = value_before(statuses.get(entry["id"], []), change.changed_at, entry["status"])
        seen = value_before(shares.get(entry["id"], []), change.changed_at, entry["visibility"])
        found.append(
            {
                "initiative": entry,
                "old": iso(old),
                "new": iso(new),
                "days": (new - old).days,
                "kind": "slip" if new > old else "pull-in",
                "committed": then in COMMITTED,
                # Partners could read the date it moved from: shared, and a promise, then.
                "shared": seen in SHARED_OUTSIDE and then in COMMITTED,
                "promised": entry["status"] in COMMITTED
                and began.get(entry["id"], entry["status"]) in COMMITTED,
                "on": iso(timezone.localdate(change.changed_at)),
            }
        )
    # Slips of committed items first, the longest first: what leadership needs to hear early.
    return sorted(found, key=lambda c: (not c["committed"], c["kind"] != "slip", -abs(c["days"])))


def decision_entry(decision) -> dict:
    return {
        "number": decision.number,
        "title": decision.title,
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "consequences": decision.consequences,
        "shared_with_partners": decision.shared_with_partners,
        "decided_on": iso(decision.decided_on),
        # The one it replaces, so that a reader of the new one learns the old one no longer holds.
        "replaces": decision.supersedes.number if decision.supersedes else None,
        "initiatives": [i.pk for i in decision.initiatives.all()],
        "path": reverse("decision", args=[decision.workspace.slug, decision.number]),
    }


def decided(workspace: Workspace, start: date, end: date) -> list[dict]:
    """The decisions made in the period and still standing at its end: one superseded or
    reversed since was a decision then (a past session's agenda says so), not one closed
    within it."""
    standing = Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    rows = workspace.decisions.filter(
        standing, decided_on__gte=start, decided_on__lte=end
    ).select_related("workspace", "supersedes")
    return [decision_entry(d) for d in rows.prefetch_related("initiatives").order_by("decided_on")]


def withdrawn(workspace: Workspace, start: date, end: date) -> list[dict]:
    """The decisions reversed or superseded in the period: a decision that no longer holds is
    news as much as one made, whenever it was made."""
    closed = [DecisionStatus.REVERSED, DecisionStatus.SUPERSEDED]
    rows = workspace.decisions.filter(status__in=closed, closed_on__gte=start, closed_on__lte=end)
    rows = rows.select_related("workspace", "supersedes").prefetch_related(
        "initiatives", "superseded_by"
    )
    return [
        {
            **decision_entry(d),
            "status": d.status,
            "closed_on": iso(d.closed_on),
            "reversed_because": d.reversed_because,
            "replaced_by": sorted(later.number for later in d.superseded_by.all()),
        }
        for d in rows.order_by("closed_on", "number")
    ]


def open_decisions(workspace: Workspace, as_of: date) -> list[dict]:
    # Open then: still proposed, or decided only after that day (speed.open_on).
    then = Q(status=DecisionStatus.PROPOSED) | Q(decided_on__gt=as_of)
    rows = workspace.decisions.filter(then, raised_on__lte=as_of)
    waiting = speed.open_ageing(rows.select_related("workspace").prefetch_related("blocks"), as_of)
    return [
        {
            **decision_entry(w.decision),
            "days_open": w.days_open,
            "blocks": [i.title for i in w.blocks],
            "blocks_ids": [i.pk for i in w.blocks],
        }
        for w in waiting
    ]


def checkin_news(workspace: Workspace, start: date, end: date) -> dict:
    """The check-ins whose results are news in an update of start..end (`checkins`), and the
    latest one an earlier published update reported (`last_reported_checkin`), which a version
    with none new points to as not new.

    A check-in is reported once, in the update of the period its results came out in: it closed
    in the period, or it closed since the start of the latest earlier published update's period
    and its results came out by this period's end (they were not there for that update to
    report). One an earlier published update reported, or one that closed before that (old
    results published late), is not news; with no earlier published update, only a check-in that
    closed in the period is."""
    earlier = workspace.updates.filter(published_at__isnull=False, period_start__lt=start)
    reported: dict[int, dict] = {}
    for number, facts in earlier.order_by("number").values_list("number", "facts"):
        for c in (facts or {}).get("checkins", []):
            reported[c["id"]] = {**c, "update": number}
    latest = earlier.order_by("-period_start", "-number").first()
    since = latest.period_start if latest else start
    first, after = period_bounds(start, end)
    cutoff = period_bounds(since, since)[0]
    news = Q(closes_at__gte=first, closes_at__lt=after) | Q(
        closes_at__gte=cutoff, closes_at__lt=first, finalised_at__lt=after
    )
    rows = (
        workspace.checkins.exclude(template=BACK_BRIEF)
        .exclude(pk__in=reported)
        .filter(news, finalised_at__isnull=False)
        .select_related("report", "workspace")
        .order_by("closes_at", "pk")
    )
    last = max(reported.values(), key=lambda c: (c["closed_on"], c["id"]), default=None)
    return {
        "checkins": [found for checkin in rows if (found := checkin_entry(checkin))],
        "last_reported_checkin": last
        and {k: last[k] for k in ("id", "title", "closed_on", "path", "update")},
    }


def checkin_entry(checkin: CheckIn) -> dict | None:
    """A check-in with its whole-check-in headline figures, as its report shows them under
    today's anonymity threshold; None when it has no report."""
    report = current_report(checkin)
    if report is None:
        return None
    data = report.data
    before = None if data.get("suppressed") else previous_comparable(checkin, data)
    figures = [] if data.get("suppressed") else headline_figures(data, before and before[1])
    return {
        "id": checkin.pk,
        "title": checkin.title,
        "closed_on": iso(timezone.localdate(checkin.closes_at)),
        "respondents": data.get("respondents", 0),
        "suppressed": bool(data.get("suppressed")),
        # The threshold its figures and lines were read under: under a higher one today, what
        # only this one allowed is hidden (audiences.as_shown_now).
        "threshold": data.get("threshold"),
        "figures": figures,
        "compared_with": before and {"id": before[0].pk, "title": before[0].title},
        "path": reverse("checkin", args=[checkin.workspace.slug, checkin.pk]),
        "where_not": [] if data.get("suppressed") else where_not(data, same_people(checkin)),
    }


def where_not(data: dict, same: set[tuple[str, str]]) -> list[dict]:
    """Where the vision is not understood, as lines ({"text", "note", "groups"}) the executives'
    version gives under the figures: agreeing without understanding, the function or team
    furthest from the vision with what to do, and the parts answers contradict. Every figure is
    the published report's, which holds only the groups it may show under the threshold the
    entry records; "groups" marks a line that names a function or team, which a raised threshold
    may hide since (audiences.as_shown_now). `same`: the (function, team) pairs that are the
    same people (same_people), each named once."""
    vision = next((q for q in data.get("questions", []) if q["role"] == "vision"), None)
    if vision is None or vision.get("suppressed"):
        return []
    lines = []
    faux = headlines(data).get("quadrant.faux_alignment")
    if faux is not None:
        key = "quadrant.faux_alignment"
        said = measures.in_words(key, measures.report_value(key, faux))
        m = measures.measure(key)
        lines.append({"text": f"{m.name}: {said}.", "note": m.meaning, "groups": False})
    lines += furthest_group(vision, same)
    if contradicted := contradicted_parts(vision, same):
        lines.append({"text": contradicted[0], "note": "", "groups": contradicted[1]})
    return lines


def same_people(checkin: CheckIn) -> set[tuple[str, str]]:
    """The (function, team) pairs whose answers came from the same people: every answer given in
    the function was given in the team, and every one in the team in the function. Their
    figures are one group's, so a sentence names them once."""
    rows = list(checkin.responses.values_list("function", "team"))
    functions, teams = Counter(f for f, _ in rows), Counter(t for _, t in rows)
    return {
        (function, team)
        for (function, team), n in Counter(rows).items()
        if function and team and n == functions[function] == teams[team]
    }


def group_called(groups: list[tuple[dict, str]], same: set[tuple[str, str]]) -> list[str]:
    """Each of the report's groups ((group, "function" or "team")) as a sentence names it ("the
    Workflow team"), a function and a team that are the same people once: "Sales" where the team
    bears the function's name, else "Sales (the Inbound team)"."""
    named = {(dimension, g["name"]) for g, dimension in groups}
    twins = {f: t for f, t in same if ("function", f) in named and ("team", t) in named}
    found = []
    for g, dimension in groups:
        if dimension == "team" and g["name"] in twins.values():
            continue  # named with its function
        called = group_names(g["name"], dimension)[1]
        if dimension == "function" and (team := twins.get(g["name"])):
            called += "" if called.casefold() == team.casefold() else f" (the {team} team)"
        found.append(called)
    return found


def report_groups(vision: dict) -> list[tuple[dict, str]]:
    """The functions and teams the report shows for the question, each with its dimension."""
    by = vision.get("by", {})
    return [(g, d) for d in ("function", "team") for g in by.get(d, {}).get("groups", [])]


def furthest_group(vision: dict, same: set[tuple[str, str]]) -> list[dict]:
    """The function or team (each, where several tie) the report shows furthest from the vision,
    and what to do where it is short of good: "Hold a back-brief with Sales on the vision"."""
    groups = [(g, d) for g, d in report_groups(vision) if g.get("fidelity") is not None]
    if not groups:
        return []
    lowest = min(g["fidelity"] for g, _ in groups)
    furthest = [(g, d) for g, d in groups if g["fidelity"] == lowest]
    who = and_list(group_called(furthest, same))
    key = "vision.fidelity"
    warnings = {measures.alike_not_understood(g.get("coherence"), lowest) for g, _ in furthest}
    warning = warnings.pop() if len(warnings) == 1 else ""  # only if it is true of each
    said = warning or (
        f"{measures.measure(key).name.lower()} {measures.shown(key, lowest)}, "
        f"{measures.band_words(key, lowest)}"
    )
    text = f"Furthest from the vision: {who[:1].upper()}{who[1:]} — {said}."
    line = {"text": text, "note": "", "groups": True}
    if measures.band_level(key, lowest) == "good":
        return [line]
    act = f"Hold a back-brief with {who} on the vision: hear it in their own words, then talk "
    act += "through where it differs."
    return [line, {"text": act, "note": "", "groups": True}]


def contradicting(figures: dict, part: str) -> float:
    """The share of a group's answers (or everyone's) that contradict a part of the source."""
    return ((figures.get("part_coverage") or {}).get(part) or {}).get("contradicts") or 0


def contradicted_parts(vision: dict, same: set[tuple[str, str]]) -> tuple[str, bool] | None:
    """The parts answers contradict, in the check-in page's sentence ("Answers contradicting a
    part: “where we are going” 11%, most in Sales (80%); …"), and whether it names a group; None
    where no answer contradicts a part."""
    parts = vision.get("parts")
    if not parts or "part_coverage" not in vision:
        return None
    groups = report_groups(vision)
    clauses = [
        (-contradicting(vision, part["key"]), f"“{part['label']}”", most_in(groups, part, same))
        for part in parts
        if contradicting(vision, part["key"])
        or any(contradicting(g, part["key"]) for g, _ in groups)
    ]
    if not clauses:
        return None
    said = "; ".join(
        f"{label} {in_percent(-minus)}{where}" for minus, label, where in sorted(clauses)
    )
    return f"Answers contradicting a part: {said}.", any(where for _, _, where in clauses)


def most_in(groups: list[tuple[dict, str]], part: dict, same: set[tuple[str, str]]) -> str:
    """ ", most in Sales (80%)": the groups with the largest share of answers contradicting the
    part, each only where more than one of its answers does: "most in the Workflow team (20%)"
    reads as a team's view where it is one person's answer, no pattern to act on. "" when none
    is named."""
    most = max((contradicting(g, part["key"]) for g, _ in groups), default=0)
    where = [
        (g, d)
        for g, d in groups
        if most and contradicting(g, part["key"]) == most and round(most * (g.get("n") or 0)) > 1
    ]
    if not where:
        return ""
    return f", most in {and_list(group_called(where, same))} ({in_percent(most)})"


def previous_comparable(checkin: CheckIn, data: dict) -> tuple[CheckIn, dict] | None:
    """The latest earlier check-in whose figures this one's may be set against, by the rule the
    dashboard's trend keeps (dashboard.sources.history, signals.comparable_chain): of the same
    kind, asked of the same people, with results, answered by the same people or by sets that
    differ by at least the threshold (else a change could be one person's answer), and scored
    by the same model (else a change could be the model's)."""
    earlier = (
        checkin.workspace.checkins.filter(
            template=checkin.template, opens_at__lt=checkin.opens_at, finalised_at__isnull=False
        )
        .select_related("report", "workspace")
        .prefetch_related("audience_teams")
        .order_by("-opens_at", "-pk")
    )
    asked = checkin.audience_key()  # as the check-in's own page compares (previous_checkin)
    candidates = [
        (other, report.data)
        for other in earlier
        if other.audience_key() == asked
        and (report := current_report(other)) is not None
        and not report.data.get("suppressed")
    ]
    know_who_answered([checkin, *(other for other, _ in candidates)])
    for other, other_data in candidates:
        if comparable(checkin, other) and scored_alike(data, other_data):
            return other, other_data
    return None


def headline_figures(data: dict, before: dict | None = None) -> list[dict]:
    """Each figure as a page shows it, in words (its band and what good looks like), and its
    change since `before` (a comparable earlier report) as the dashboard says one. A figure of
    understanding is compared only with one scored against the same version of the vision."""
    now, then = headlines(data), headlines(before) if before else {}
    found = []
    for key in HEADLINE_FIGURES:
        if key not in now:
            continue
        value = measures.report_value(key, now[key])
        figure = {
            "key": key,
            "name": measures.measure(key).name,
            "shown": measures.shown(key, value),
            "in_words": measures.in_words(key, value),
            "change": "",
            "verdict": "",
            "not_compared": "",
        }
        if key in then:
            versions = (vision_source(before or {}), vision_source(data))
            shown = (shown_value(key, then[key]), shown_value(key, now[key]))
            said = compared(key, *shown, versions)
            said["change"] = measures.shown_change(key, said["change"])
            figure.update(said)
        found.append(figure)
    return found


def over_promises(workspace: Workspace, entries: dict, start: date, end: date) -> dict:
    """Claims said in the period that read the roadmap as a promise: how many, and of which
    initiatives, each with how many claims went further than it for each reason
    (claims.models: said to be live before it ships, a commitment relied on after it was taken
    back, a planned or explored item promised), and who was told it, by whom and when (`told`),
    so sales and support know whom to correct; the executives read the counts only."""
    claims = list(
        workspace.claims.filter(said_on__gte=start, said_on__lte=end, verdict=Verdict.OVER_PROMISE)
        .select_related("said_by")
        .order_by("said_on", "pk")
    )
    per_initiative: dict[int, Counter] = {}
    told: dict[int, list[dict]] = {}
    for claim in claims:
        if claim.initiative_id in entries:
            counts = per_initiative.setdefault(claim.initiative_id, Counter())
            counts[claim.over_promise_kind] += 1
            told.setdefault(claim.initiative_id, []).append(
                {**telling(claim), "reason": claim.over_promise_kind}
            )
    return {
        "count": len(claims),
        # One account whatever its case and spacing, as the claims pages count it.
        "accounts": len({folded(c.account) for c in claims}),
        "initiatives": [
            {**entries[pk], "claims": counts.total(), "reasons": dict(counts), "told": told[pk]}
            for pk, counts in sorted(per_initiative.items(), key=lambda kv: -kv[1].total())
        ],
        "path": reverse("claims", args=[workspace.slug]),
    }


def no_capability(workspace: Workspace, start: date, end: date) -> dict:
    """Claims said in the period of what nothing on the roadmap does: the riskiest, since no
    date will make them true. Each distinct text once, with how many claims said it and why
    nothing does it (nothing matched, or the initiative it matched was dropped or archived),
    and who was told it, by whom and when (`told`). An account's name in a claim's words reads
    "the customer": the line names the accounts, once each, beside the words."""
    claims = (
        workspace.claims.filter(said_on__gte=start, said_on__lte=end, verdict=Verdict.NO_CAPABILITY)
        .select_related("said_by")
        .order_by("said_on", "pk")
    )
    accounts = set(workspace.claims.values_list("account", flat=True))
    found: dict[str, dict] = {}
    for claim in claims:
        text = without_accounts(claim.text, accounts)
        said = found.setdefault(folded(text), {"text": text, "claims": 0, "gone": "", "told": []})
        said["claims"] += 1
        said["told"].append(telling(claim))
        if claim.was_dropped or claim.was_archived:
            said["gone"] = claim.initiative_title
    return {
        "count": claims.count(),
        "accounts": len({folded(a) for a in claims.values_list("account", flat=True)}),
        "claims": list(found.values()),
        "path": reverse("claims", args=[workspace.slug]) + f"?verdict={Verdict.NO_CAPABILITY}",
    }


def said_early(workspace: Workspace, start: date, end: date) -> dict:
    """Claims said to be live before their item shipped, of the items that shipped in the period:
    over-promises until then, nothing to correct now, but not true when said (the claims page's
    "said live before it shipped"). How many, to how many accounts (one whatever its case and
    spacing) and of how many items; the executives read the counts."""
    # The claims page's own period filter, so the line's count and its link's list are one rule.
    shipped = in_periods(
        workspace.claims.filter(verdict=Verdict.SAID_EARLY), shipped_in(start, end)
    )
    rows = list(shipped.values_list("account", "initiative_id"))
    return {
        "count": len(rows),
        "accounts": len({folded(account) for account, _ in rows}),
        "items": len({initiative for _, initiative in rows}),
        "path": claims_listed(workspace, verdict=Verdict.SAID_EARLY, **shipped_in(start, end)),
    }


def customer_dates_moved(workspace: Workspace, start: date, end: date) -> dict:
    """Committed claims heard by the period's end whose date moved in the period: the customer
    holds a date that no longer does. Counted as the claims page counts them
    (claims.verdicts.committed_dates_moved: "moved" of "committed", to how many "accounts"), of
    the claims on the items whose target date moved in the period."""
    # The claims page's own period filter, so the line's count and its link's list are one rule.
    claims = date_moved_between(workspace.claims.all(), start, end)
    path = claims_listed(
        workspace, verdict=Verdict.COMMITTED, moved=1, moved_from=start, moved_to=end
    )
    return {**committed_dates_moved(claims), "path": path}


def shipped_in(start: date, end: date) -> dict:
    """The claims list's filter of the items shipped in the period (claims.models.in_periods)."""
    return {"shipped_from": start, "shipped_to": end}


def claims_listed(workspace: Workspace, **query) -> str:
    """The claims page listing exactly the claims a line counts: its period filters
    (claims.models.in_periods) are the line's period, so the count and the list agree."""
    return reverse("claims", args=[workspace.slug]) + "?" + urlencode(query)


def telling(claim) -> dict:
    """Who was told a claim, by whom and when: the account as the claims pages spell it (its
    spacing folded), the speaker's name and function ("Sales"; none for a name outside the
    workspace), and the day. `person` is the speaker's id in the workspace, if any: none for
    someone erased, whose function goes too (actions.forget_speaker)."""
    person = claim.said_by
    found = {
        "account": " ".join(claim.account.split()),
        "by": claim.speaker,
        "person": claim.said_by_id,
        "function": str(person.get_function_display()) if person else "",
        "on": iso(claim.said_on),
    }
    if person is not None and person.erased:
        del found["person"]
        found["function"] = ""
    return found


def without_accounts(text: str, accounts: set[str]) -> str:
    """The text with each account's name, as whole words in any case, read as "the customer"
    (the longest first: "Acme Freight" before "Acme")."""
    for account in sorted({" ".join(a.split()) for a in accounts if a.strip()}, key=len)[::-1]:
        text = re.sub(rf"(?<!\w){re.escape(account)}(?!\w)", "the customer", text, flags=re.I)
    return text


def orphans(workspace: Workspace) -> dict:
    overall = cached_orphan_summary(workspace)["overall"]
    return {
        "items": overall["items"],
        "orphans": overall["orphans"],
        "share": overall["share"],
        "unit": overall["unit"],
        "path": reverse("orphans", args=[workspace.slug]),
    }


def goals(workspace: Workspace, today: date) -> list[dict]:
    """Each goal with its latest reading and whether it is on track as of `today` (the goals
    page's judgement, strategy.pace)."""
    found = []
    for goal in workspace.goals.prefetch_related("measurements"):
        readings = [m for m in goal.measurements.all() if not m.is_target]
        latest = readings[-1] if readings else None
        found.append(
            {
                "id": goal.pk,
                "rank": goal.rank,
                "title": goal.title,
                "metric": goal.metric,
                "target": goal.target,
                "why": goal.why,
                "names": list(goal.names or []),
                "latest": None
                if latest is None
                else {"value": latest.value, "unit": latest.unit, "on": iso(latest.measured_on)},
                "pace": pace.of_goal(goal, today).as_dict(),
                "path": reverse("goals", args=[workspace.slug]),
            }
        )
    return found


def users(workspace: Workspace) -> dict:
    """Who the product is for and what they gain, from the current vision (for design)."""
    vision = workspace.visions.order_by("-number").first()
    if vision is None:
        return {"target_user": "", "benefit": "", "path": ""}
    return {
        "target_user": vision.target_user,
        "benefit": vision.user_benefit,
        "path": reverse("vision", args=[workspace.slug]),
    }


def customer_themes(workspace: Workspace) -> list[dict]:
    """What customers ask for most (feedback.themes: the most accounts first, praise left out),
    with a quote each and what on the roadmap addresses it; for the organisation's versions
    only. Beside what addresses a theme, the quote is of an item it addresses, and the items
    nothing addresses, when they are a pattern, are named apart: the themes page's rule."""
    found = theme_figures(workspace)
    path = reverse("feedback_themes", args=[workspace.slug])
    return [
        {
            "label": theme["label"],
            "accounts": theme["accounts"],
            "items": theme["items"],
            "status": theme.get("status", ""),
            "addressed_by": [t["title"] for t in theme.get("addressed_by", [])[:1]],
            "status_from_few": few_words(theme),
            "quote": first_quote(theme),
            "unmatched": unmatched_words(theme),
            "path": f"{path}#theme-{theme['number']}",
        }
        for theme in found["themes"][:CUSTOMER_THEMES]
    ]


def few_words(theme: dict) -> dict | None:
    """The initiative a theme's status rests on when it matches half its items or fewer."""
    few = status_from_few(theme)
    return {"title": few["title"], "items": few["items"]} if few else None


def first_quote(theme: dict) -> dict | None:
    addressed = theme.get("addressed_by") and theme.get("matched", {}).get("quotes")
    quotes = addressed or theme["quotes"]
    return quotes[0] if quotes else None


def unmatched_words(theme: dict) -> dict | None:
    left = unmatched_shown(theme)
    if left is None:
        return None
    return {"items": left["items"], "accounts": left["accounts"], "quote": left["quotes"][0]}
