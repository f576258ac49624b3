from dataclasses import asdict, dataclass

from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst

from truenorth.analysis import measures
from truenorth.dashboard.getting_started import Step, being_set_up, getting_started, still_to_do
from truenorth.dashboard.signals import CARD_COLUMNS, TEAM_SIGNALS, cached_dashboard, closed_on
from truenorth.exports import csv_response
from truenorth.refusals import read_only, refused
from truenorth.roadmap.models import Status
from truenorth.roadmap.overruns import GOOD_LOOKS_LIKE, cached_overrun_summary, patterns_now
from truenorth.strategy import pace
from truenorth.strategy.actions import current_vision
from truenorth.work.traceability import ORPHAN_WORK, WORK
from truenorth.workspaces.access import INTERNAL, RESULTS, workspace_view
from truenorth.workspaces.figures import cached, cached_html, compressed, expanded


@workspace_view(RESULTS)
@read_only
def alignment(request, membership):
    """The four levels of alignment on one page, each signal with its trend and evidence;
    `?team=` narrows the team level to one team, `?sort=<signal>` puts the teams furthest from
    good on that signal first."""
    workspace = membership.workspace
    team = request.GET.get("team", "").strip()
    if team:
        return one_team_page(request, workspace, team)
    sort = request.GET.get("sort", "")
    sort = sort if sort in TEAM_SIGNALS else ""  # anything else: by name

    def page() -> dict:
        board = cached_dashboard(workspace)
        return {
            "board": board.sorted_by(sort) if sort else board,
            "workspace": workspace,
            "teams": board.team_names,
            "sort": sort,
        }

    name = f"alignment:{sort}" if sort else "alignment"
    body = cached_html(workspace, name, "dashboard/alignment_body.html", page)
    return render(request, "dashboard/alignment.html", {"body": body})


def one_team_page(request, workspace, team: str):
    """The alignment page with one team's row and say-and-do card; a team the page does not
    name gets the whole page, saying so, with a 404."""
    board = cached_dashboard(workspace)
    context = {"workspace": workspace, "teams": board.team_names, "team": team}
    try:
        context["board"], status = board.for_team(team), 200
    except LookupError as missing:
        context.update(board=board, missing=str(missing), team="")
        status = 404
    body = render_to_string("dashboard/alignment_body.html", context)
    return render(request, "dashboard/alignment.html", {"body": body}, status=status)


@workspace_view(RESULTS)
@read_only
def alignment_json(request, membership):
    """The alignment page as data; `?team=` and `?sort=` as on the page."""
    team, sort = request.GET.get("team", ""), request.GET.get("sort", "")
    try:
        return JsonResponse(alignment_twin(membership.workspace, team, sort))
    except LookupError as missing:
        return JsonResponse({"error": str(missing)}, status=404)
    except ValueError as wrong:
        return JsonResponse({"error": str(wrong)}, status=400)


@workspace_view(RESULTS)
@read_only
def alignment_csv(request, membership):
    """The alignment page's cards as a spreadsheet, a row per figure; `?team=` and `?sort=` as
    on the page."""
    workspace = membership.workspace
    team, sort = request.GET.get("team", "").strip(), request.GET.get("sort", "")
    if sort and sort not in TEAM_SIGNALS:
        return refused(request, f"sort must be one of {', '.join(TEAM_SIGNALS)}, not {sort!r}.")
    board = cached_dashboard(workspace)
    board = board.sorted_by(sort) if sort else board
    try:
        board = board.for_team(team) if team else board
    except LookupError as missing:
        return refused(request, str(missing), status=404)
    rows = [
        [*row[:-1], request.build_absolute_uri(row[-1]) if row[-1] else ""]
        for row in board.as_rows()
    ]
    return csv_response(f"{workspace.slug}-alignment.csv", CARD_COLUMNS, rows)


def alignment_twin(workspace, team: str = "", sort: str = "") -> dict:
    """The alignment page as data: its JSON twin's body, and the API's; narrowed to `team` if
    one is named (LookupError if the page names no such team), its teams furthest from good on
    `sort` first (ValueError if a team's row has no such signal)."""
    if sort and sort not in TEAM_SIGNALS:
        raise ValueError(f"sort must be one of {', '.join(TEAM_SIGNALS)}, not {sort!r}.")
    board, team = cached_dashboard(workspace), team.strip()
    board = board.sorted_by(sort) if sort else board
    return (board.for_team(team) if team else board).as_dict()


@workspace_view(INTERNAL)
@read_only
def overview(request, membership):
    """The workspace's front page: its vision, goals, roadmap by status, work and slips, and to
    those who may read check-in results, line of sight and how well the vision is understood."""
    workspace = membership.workspace

    def body_and_whether_set_up(_) -> tuple[bytes, bool]:
        html = render_to_string("dashboard/overview_body.html", overview_figures(membership))
        return compressed(html), is_set_up(workspace)

    name = f"html:overview:{audience(membership)}"
    kept, set_up = cached(workspace, name, body_and_whether_set_up)
    # A pulse sent changes no figure, yet ticks its step: the steps are read on every request
    # until all were done at this version of the data. From then on only a write behind the
    # figures (a vision, the goals or a check-in deleted) could undo one, and it brings a new
    # version. On a large workspace the steps' query was the most of the page's own time.
    steps = [] if set_up else getting_started(workspace)
    left = still_to_do(steps)
    context = {
        "body": expanded(kept),
        "steps": steps if left else None,
        "being_set_up": being_set_up(left),
    }
    return render(request, "dashboard/overview.html", context)


@workspace_view(INTERNAL)
@read_only
def overview_json(request, membership):
    """The overview as data, for the same roles as the page."""
    return JsonResponse(overview_twin(membership))


def overview_twin(membership) -> dict:
    """The overview's figures and words as the page shows them to this role: its headline cards
    (those of check-in results only to the roles that may read them, and only the alignment
    dashboard's figures, already cut to groups of the anonymity threshold or more), the vision,
    the goals, the roadmap by status, the work, the recent slips and the first steps left."""
    workspace = membership.workspace

    def data_and_whether_set_up(_) -> tuple[dict, bool]:
        return as_data(overview_figures(membership)), is_set_up(workspace)

    data, set_up = cached(workspace, f"overview:{audience(membership)}", data_and_whether_set_up)
    steps = [] if set_up else getting_started(workspace)  # as on the page, for the same reason
    return {**data, "getting_started": steps_as_data(steps, membership.can_write)}


def audience(membership) -> str:
    """Whom the overview is kept for: what it shows depends on these two permissions alone."""
    if membership.can_write:
        return "editors"
    return "results" if membership.can_read_results else "readers"


def is_set_up(workspace) -> bool:
    return not still_to_do(getting_started(workspace))


def overview_figures(membership) -> dict:
    """What the overview shows this role: the page's template context, which the JSON twin
    turns into data (as_data)."""
    workspace, can_write = membership.workspace, membership.can_write
    items = workspace.work_items.aggregate(
        total=Count("id", filter=WORK),  # as the orphan work page counts
        orphans=Count("id", filter=ORPHAN_WORK),
    )
    by_status = workspace.initiatives.values_list("status").annotate(n=Count("id"))
    by_status = dict(by_status.order_by())
    # Slips as the overruns page counts them: a date moved later after the commitment.
    overrun = cached_overrun_summary(workspace)
    # Check-in results are for the roles that may read them (members may not).
    board = cached_dashboard(workspace) if membership.can_read_results else None
    return {
        "headlines": [
            *(results_headlines(board, workspace) if board else []),
            orphans_headline(workspace, items, can_write),
            late_headline(workspace, overrun),
        ],
        "vision": current_vision(workspace),
        "goals": goals_with_pace(workspace),
        "status_counts": [(s, by_status.get(s.value, 0)) for s in Status],
        "items": items,
        "slips": recent_slips(overrun)[:RECENT_SLIPS],
        "people_count": workspace.people.filter(active=True).count(),
        "workspace": workspace,
        "can_write": can_write,
    }


def goals_with_pace(workspace) -> list:
    """The goals in rank order, each with its initiatives counted, its `pace` as the goals page
    judges it (strategy.pace) and `said`, what the overview writes after the verdict."""
    goals = list(
        workspace.goals.annotate(
            initiative_count=Count("initiatives", filter=Q(initiatives__archived_at=None))
        ).prefetch_related("measurements")
    )
    for goal in goals:
        goal.pace = pace.of_goal(goal)
        goal.said = pace_said(goal.pace)
    return goals


def pace_said(found: pace.Pace) -> str:
    """A goal's latest value against its target, in the verdicts' words ("41% on 7 Dec 2026,
    target 70% or more by 30 Jun 2027."); without a reading or a target, the goals page's
    reason instead ("one measurement so far; a pace needs two.")."""
    standing = found.against_target
    return f"{standing}." if standing else found.detail


def as_data(figures: dict) -> dict:
    """The overview's figures (overview_figures) as its JSON twin gives them."""
    workspace, items = figures["workspace"], figures["items"]
    return {
        "workspace": {"name": workspace.name, "slug": workspace.slug},
        "headlines": [card.as_dict() for card in figures["headlines"]],
        "vision": vision_as_data(figures["vision"]),
        "goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "initiatives": goal.initiative_count,
                "in_words": f"{goal.pace.label}: {goal.said}",
                "pace": goal.pace.as_dict(),
            }
            for goal in figures["goals"]
        ],
        "roadmap": [
            {"status": status.value, "label": status.label, "initiatives": count}
            for status, count in figures["status_counts"]
        ],
        "work": {
            "items": items["total"],
            "orphans": items["orphans"],
            "people": figures["people_count"],
        },
        "recent_slips": figures["slips"],
    }


def vision_as_data(vision) -> dict | None:
    if vision is None:
        return None
    return {"number": vision.number, "horizon": vision.horizon, "statement": vision.statement}


def steps_as_data(steps: list[Step], can_write: bool) -> dict | None:
    """The Getting started card as data: None once every step is done. Owners and editors get
    the steps, as the page lists them to them; the others, who cannot take them, its sentence."""
    left = still_to_do(steps)
    if not left:
        return None
    if can_write:
        return {"left": left, "steps": [asdict(step) for step in steps]}
    return {"left": left, "being_set_up": being_set_up(left)}


@dataclass(frozen=True)
class Headline:
    """One of the overview's headline figures, as parts/headline.html takes it: the page draws
    it and the JSON twin gives it, so the two say the same."""

    name: str  # the card's id on the page is headline-<name>
    label: str
    meaning: str
    link: str
    link_text: str
    figure: float | None = None  # the number, rounded as the card shows it
    value: str = ""  # the figure as the card writes it, before its unit
    unit: str = ""
    basis: str = ""
    good: str = ""
    tone: str = ""
    detail: str = ""
    change: str = ""
    verdict: str = ""
    since: str = ""

    @property
    def shown(self) -> str:
        """ "54 / 100", "28%", "12 of 17": the figure with its unit as the card reads; "—"
        where the card has none."""
        if not self.value:
            return "—"
        return f"{self.value}{self.unit}" if self.unit in ("", "%") else f"{self.value} {self.unit}"

    def as_dict(self) -> dict:
        data = {**asdict(self), "shown": self.shown}
        del data["value"], data["unit"]  # halves of `shown`, for the page's layout
        return data


def results_headlines(board, workspace) -> list[Headline]:
    """The overview's cards of check-in results, from the alignment dashboard's own figures."""
    cards = []
    seen = line_of_sight(board)
    if seen is not None:
        card = signal_headline(
            "line-of-sight",
            seen,
            good=capfirst(seen.good_looks_like),
            link=seen.evidence,
            link_text="See the answers",
        )
        cards.append(card)
    understood = vision_understanding(board)
    if understood is not None:
        card = signal_headline(
            "vision-understood",
            understood["signal"],
            good=understood["good"],
            tone=understood["tone"],
            detail=understood.get("lowest", ""),
            link=reverse("alignment", args=[workspace.slug]),
            link_text="See the alignment dashboard",
        )
        cards.append(card)
    return cards


def signal_headline(name: str, signal, **words) -> Headline:
    """A card of a dashboard signal, with its change since the figure before and what that one
    was of (the card names it only beside a change)."""
    trend, change = signal.labelled_trend, signal.shown_change
    return Headline(
        name=name,
        label=signal.name,
        meaning=signal.note or signal.meaning,
        figure=None if signal.value is None else signal.as_shown(signal.value),
        value=signal.shown,
        basis=signal.basis,
        change=change,
        verdict=signal.verdict,
        since=trend[-2][0] if change and len(trend) > 1 else "",
        **words,
    )


def orphans_headline(workspace, items: dict, can_write: bool) -> Headline:
    """Work supporting no goal, with what good looks like in the orphan work page's words."""
    link = reverse("orphans", args=[workspace.slug])
    if not items["total"]:
        text = "Import or see work items" if can_write else "See the work items"
        return Headline("orphans", ORPHANS, "No work items imported yet.", link, text)
    share = round(100 * items["orphans"] / items["total"])
    return Headline(
        "orphans",
        ORPHANS,
        "Share of the imported work items linked to no goal, directly or through an initiative.",
        link,
        "See the work by team",
        figure=share,
        value=str(share),
        unit="%",
        good=measures.orphans_rule(),
        tone=ORPHAN_TONES[measures.orphan_band().level(share)],
    )


def late_headline(workspace, overrun: dict) -> Headline:
    """Committed initiatives late, as the overruns page counts them."""
    overall, link = overrun["overall"], reverse("overruns", args=[workspace.slug])
    if not overall["initiatives"]:
        meaning = "No initiative committed yet: a date counts once it is promised."
        return Headline("slipped", LATE, meaning, link, "See the roadmap's dates")
    return Headline(
        "slipped",
        LATE,
        "Of the initiatives committed, in progress or shipped now: shipped, or forecast to ship, "
        "later than the date first committed to.",
        link,
        "See planned against actual",
        figure=overall["slipped"],
        value=str(overall["slipped"]),
        unit=f"of {overall['initiatives']}",
        # The target, then where the workspace stands against it: the target alone read as the
        # verdict while two teams and two goals were marked Pattern.
        good=f"{GOOD_LOOKS_LIKE} {patterns_now(overrun)}",
    )


RECENT_SLIPS = 5
ORPHAN_TONES = {"good": "ok", "fair": "warn", "poor": "danger"}  # as the orphan page's bars
ORPHANS, LATE = "Work supporting no goal", "Committed initiatives late"


def recent_slips(summary: dict) -> list[dict]:
    """Each counted slip of the overruns summary, newest first: {"id", "title", "from", "to",
    "at"}. A date moved before the commitment is re-planning, and no slip."""
    slips = [
        {"id": row["id"], "title": row["title"], "from": m["from"], "to": m["to"], "at": m["at"]}
        for row in summary["initiatives"]
        if row["counted"]  # one taken back to planned is no longer a promise
        for m in row["moves"]
        if m["counted"] and m["kind"] == "slip"
    ]
    return sorted(slips, key=lambda slip: slip["at"], reverse=True)


def line_of_sight(board):
    """The company's line of sight, from the check-in the alignment dashboard chose (sources.py)."""
    return next((s for s in board.individual if s.key == "line_of_sight.linked"), None)


def vision_understanding(board) -> dict | None:
    """The company's "Understand the vision" and the team furthest from it, as the alignment
    dashboard shows them: `signal`, `good` (its band and what good looks like), `tone` and
    `lowest`, a sentence. Only the dashboard's figures, already cut to what may be shown: a team
    the report hides has no value there, so it is never named here."""
    signal = next((s for s in board.individual if s.key == "vision.fidelity"), None)
    if signal is None:
        return None
    band = signal.band_words
    good = f"{band}; {signal.good_looks_like}" if band else signal.good_looks_like
    tone = ORPHAN_TONES.get(signal.band_level, "")  # coloured by its band, as orphan work is
    good = good[:1].upper() + good[1:]
    return {"signal": signal, "good": good, "tone": tone, **lowest_team(board)}


def lowest_team(board) -> dict:
    """ "Lowest of the 3 teams shown: Sales — Reads it alike, but not as the vision says: …",
    the team the dashboard's "team understands the vision, lowest first" puts first; {} where
    no check-in has results."""
    key = "team.vision_fidelity"
    shown = [
        (row, signal)
        for row in board.sorted_by(key).team
        for signal in row.signals
        if signal.key == key and signal.value is not None
    ]
    if board.checkin is None:
        return {}
    if not shown:
        never = f"groups of fewer than {board.threshold} people never are"
        return {"lowest": f"No team has a figure of the vision that can be shown: {never}."}
    row, signal = shown[0]
    among = "The only team shown" if len(shown) == 1 else f"Lowest of the {len(shown)} teams shown"
    name = measures.measure("vision.fidelity").name.lower()  # as the warning words it
    band = measures.band_words(key, signal.value)
    said = row.warning or f"{name} {signal.shown}, {band}"
    company = closed_on(board.checkin)
    elsewhere = f" From {signal.measured_in}." if signal.measured_in != company else ""
    return {"lowest": f"{among}: {row.team} — {said}.{elsewhere}"}
