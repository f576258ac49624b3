"""The four levels of alignment (seed 002) as signals: value, trend and the evidence behind each.

Individual: does each person see how their work matters (line of sight) and understand the vision?
Team: do the people of a team understand the vision and read it alike, does its work serve a goal,
does it deliver what it planned? Organisation: does one function read the vision as another does,
is the vision clear, do sales promise what the roadmap holds, does customer success hear of a
change before customers do?
Market: does the roadmap address what customers ask for (feedback.themes)?

Every figure that comes from people's answers is read from a stored check-in report, which is
already safe to show: groups below the anonymity threshold are not in it, so they cannot appear
here either. Which check-ins those are is chosen on purpose (sources.py): the company's figures
come from company-wide check-ins, and a check-in asked of one group shows in that group's place.
Each signal is named, formatted and judged by the registry of measures (analysis/measures.py).
"""

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from truenorth import charts
from truenorth.analysis import measures
from truenorth.analysis.report import headlines, scored_alike
from truenorth.checkins.measure import (
    comparable,
    compared,
    not_compared,
    scored_against_vision,
    vision_source,
)
from truenorth.checkins.models import CheckIn
from truenorth.claims.verdicts import promise_summary
from truenorth.dashboard.saydo import SayDo, percent, say_and_do
from truenorth.dashboard.sources import (
    Pulses,
    Source,
    asked_of_teams,
    choose_source,
    group_pulses,
    published,
)
from truenorth.decisions import speed as decision_speed
from truenorth.feedback.themes import market_how, market_words, theme_figures, value_words
from truenorth.glossary.measure import read_differently_in_strategy
from truenorth.roadmap.overruns import cached_overrun_summary, quarter
from truenorth.strategy.clarity import (
    clarity_of_goal,
    clarity_of_vision,
    glossary_names,
    goal_fields,
    vision_fields,
)
from truenorth.updates import notice
from truenorth.work.traceability import cached_orphan_summary
from truenorth.workspaces.figures import cached
from truenorth.workspaces.models import Workspace

MAX_TREND_POINTS = 8
# The signals of a team's row (team_rows), each one the team level can be sorted by.
TEAM_SIGNALS = ("team.vision_fidelity", "team.vision_coherence", "work.orphans", "roadmap.slipped")
PER_CHECKIN = "each check-in of this kind"
# Figures of how alike the restatements of the vision are. Unlike a figure read against the
# vision, they are compared across its versions: they set answers against one another, not
# against the text, so they ask the same of every version (docs/dashboard.md).
READ_ALIKE = ("team.vision_coherence", "functions.vision_coherence")
# Why a figure read against the vision has no change across two of its versions, in the words a
# card gives under "not compared: …".
NOT_COMPARED_WHY = (
    "Understanding is scored against the vision's own words, and those changed, so a change "
    "would mix what people heard with what the text says."
)


@dataclass
class Signal:
    name: str
    value: float | None  # in `unit`; None when not measured or hidden
    unit: str  # "%" or "/100"
    evidence: str  # URL of the page that shows what the number is made of
    higher_is_better: bool = True
    trend: list[tuple[str, float]] = field(default_factory=list)  # oldest first
    note: str = ""  # why there is no value, or what the value is made of
    # What the trend's points are. Unless it says otherwise, they are the value itself measured
    # at earlier points, the last one being now, so the change since the one before is shown.
    trend_of: str = ""
    trend_is_value: bool = True
    # The points' unit where it is not the value's: slips in a quarter ("1") under a share of
    # initiatives slipped ("75%").
    trend_unit: str | None = None
    # What a measure of understanding is of: the vision's version the value was scored against,
    # and each trend point's ("Vision v2"; '' where a report does not say). A figure of how alike
    # the restatements are (READ_ALIKE) names each point's version too, since it is compared
    # across them and its card says so. Empty for the rest.
    source: str = ""
    trend_sources: list[str] = field(default_factory=list)
    # Why the value has no change: the check-in just before restated another version of the
    # vision ("the earlier answers restated Vision v2, these Vision v3"); '' where it has one.
    not_compared: str = ""
    key: str = ""  # the measure's key in analysis/measures.py
    # What the value is a share of, where two figures of one name differ in it ("of items, all
    # time" beside say-and-do's points of the last 90 days).
    basis: str = ""
    # The check-in a team's figure comes from, and when it closed ("Team pulse R3, closed 6 Dec
    # 2026"): a team's latest round may not be the company's.
    measured_in: str = ""
    # How many things each trend point rests on, where a point is a median of few of them: the
    # decisions made in each month ("decision"); empty for the rest.
    trend_counts: list[int] = field(default_factory=list)
    trend_counted: str = ""

    @classmethod
    def of(cls, key: str, value: float | None, evidence: str, **rest) -> "Signal":
        """A signal named, united and directed by the registry of measures."""
        m = measures.measure(key)
        unit = {measures.SHARE: "%", measures.SCORE: "/100", measures.DAYS: "days"}.get(m.unit, "")
        return cls(m.name, value, unit, evidence, m.higher_is_better is not False, key=key, **rest)

    @property
    def meaning(self) -> str:
        return measures.measure(self.key).meaning if self.key else ""

    @property
    def shown(self) -> str:
        """The value as a page shows it: "46 / 100", "47%"."""
        return measures.shown(self.key, self.value) if self.key else f"{self.value:g}"

    @property
    def shown_change(self) -> str:
        return measures.shown_change(self.key, self.change) if self.key else ""

    @property
    def verdict(self) -> str:
        """'better' or 'worse', by whether up is good for this measure; '' for no change."""
        return measures.verdict(self.key, self.change) if self.key else ""

    @property
    def verdict_words(self) -> str:
        """The verdict as the page words it: "better, still high" where the value is still poor."""
        return measures.verdict_words(self.key, self.value, self.change) if self.key else ""

    @property
    def band_level(self) -> str:
        """'good', 'fair' or 'poor' where the measure has a band; '' otherwise."""
        return measures.band_level(self.key, self.value) if self.key else ""

    @property
    def band_words(self) -> str:
        """The band the value falls in, in words ("partly shared"); '' where none."""
        return measures.band_words(self.key, self.value) if self.key else ""

    @property
    def meter(self) -> dict | None:
        """The band as an HTML meter's bounds (0-100), coloured as the orphan work page's bars."""
        band = measures.measure(self.key).band if self.key and self.value is not None else None
        if band is None:
            return None
        if band.lower_is_better:
            return {"low": band.good, "high": band.fair, "optimum": 0}
        return {"low": band.fair, "high": band.good, "optimum": 100}

    @property
    def trend_ticks(self) -> list[str] | None:
        """The chart's labels under its axis without the versions, which the figures' table and
        the line under the chart keep: "Q3 2026 (of Vision v3)" cut to fit said neither."""
        if not any(self.trend_sources):
            return None
        return charts.distinct([label for label, _ in self.trend])

    @property
    def trend_title(self) -> str:
        """The chart's name: the signal's, and what its points are where they are not the value
        ("Days to decide: each month's own median …"), so its "2 days" is not read as the card's
        "19 days"."""
        return self.name if self.trend_is_value else f"{self.name}: {self.trend_of}"

    @property
    def trend_caption(self) -> str:
        """The line under the chart: what its points are, from the first to the last; where the
        last is not the value, its figure and what the card's figure is instead: "Each month's
        own median (…): 2026-09 → 2026-11 (2026-11: 12 days, of 3 decisions; the figure above,
        19 days, is the median of the last 90 days)"."""
        if not self.trend:
            return ""
        first, latest = (self.point_label(n, with_count=False) for n in (0, -1))
        words = f"{self.trend_of[:1].upper()}{self.trend_of[1:]}: {first} → {latest}"
        if self.trend_is_value or self.value is None:
            return words
        last = f"{latest}: {charts.number(self.as_shown(self.trend[-1][1]), self.unit_of_trend)}"
        if self.trend_counts:
            last += f", of {counted(self.trend_counts[-1], self.trend_counted)}"
        if self.basis:
            last += f"; the figure above, {self.shown}, is the {self.basis}"
        return f"{words} ({last})"

    @property
    def in_words(self) -> str:
        """ "46 / 100 — partly shared; good is 60 or more" """
        return measures.in_words(self.key, self.value) if self.key else ""

    @property
    def good_looks_like(self) -> str:
        return measures.measure(self.key).good_looks_like if self.key else ""

    @property
    def unit_of_trend(self) -> str:
        """The unit the trend's points are in: the value's, unless `trend_unit` says otherwise."""
        return self.unit if self.trend_unit is None else self.trend_unit

    @property
    def change(self) -> float | None:
        """The change since the point before, as the rule for every page says (checkins.measure.
        compared): the difference of the two figures shown, never across versions of the vision
        for a figure read against it."""
        if self.value is None or len(self.trend) < 2 or not self.trend_is_value:
            return None
        if not self.key or self.trend_unit is not None:
            return round(self.value - self.trend[-2][1], 1)
        sources = self.trend_sources
        versions = (sources[-2], sources[-1]) if len(sources) >= 2 else ("", "")
        before, now = self.as_shown(self.trend[-2][1]), self.as_shown(self.value)
        return compared(self.key, before, now, versions)["change"]

    @property
    def improving(self) -> bool | None:
        if not self.change:
            return None
        return (self.change > 0) == self.higher_is_better

    @property
    def change_between(self) -> dict | None:
        """The two figures the change is the difference of, as the card shows them, and when the
        earlier one was: {"since": "2026-10", "before": 77, "now": 69}. The trend keeps its points
        unrounded (76.7, 69.4), so "−8" beside them had read as a second answer to "−7.3"."""
        if self.change is None or self.value is None:
            return None
        since, before = self.trend[-2]
        return {"since": since, "before": self.as_shown(before), "now": self.as_shown(self.value)}

    @property
    def since_words(self) -> str:
        """What the change compares, in words: "since October 2026: 77% → 69%"."""
        between = self.change_between
        if between is None:
            return ""
        before, now = (self.shown_as(between[when]) for when in ("before", "now"))
        return f"since {month_words(between['since'])}: {before} → {now}"

    def shown_as(self, value: float) -> str:
        """Any figure of this signal as the card shows its value."""
        return measures.shown(self.key, value) if self.key else f"{value:g}"

    @property
    def why_across_versions(self) -> str:
        """Why the value is or is not compared with a figure of an earlier version of the
        vision, in one plain sentence; '' where no two versions meet. A card that said "not
        compared" beside another that compared across the same two versions left a reader
        guessing which was right."""
        if self.not_compared:
            return NOT_COMPARED_WHY
        sources = self.trend_sources
        if self.key not in READ_ALIKE or self.change is None or len(set(sources[-2:])) < 2:
            return ""
        earlier, later = sources[-2] or "an earlier version", sources[-1] or "a later one"
        return (
            f"Compared across {earlier} and {later}, unlike understanding: it sets people's "
            "answers against one another, not against the vision's words, so it asks the same "
            "of each version."
        )

    @property
    def labelled_trend(self) -> list[tuple[str, float]]:
        """The trend with each point's label naming the version it is of, or how many it rests
        on, where it has one, and each value as precise as the card above it shows the value
        ("49%" under "49%", not "48.6%")."""
        return [
            (self.point_label(n), self.as_shown(value)) for n, (_, value) in enumerate(self.trend)
        ]

    def point_label(self, n: int, with_count: bool = True) -> str:
        """Point n's label with the version it is of ("Q4 2026 (of Vision v3)") or, `with_count`,
        how many it rests on ("2026-11 (3 decisions)")."""
        label = self.trend[n][0]
        if self.trend_sources and self.trend_sources[n]:
            return f"{label} (of {self.trend_sources[n]})"
        if with_count and self.trend_counts:
            return f"{label} ({counted(self.trend_counts[n], self.trend_counted)})"
        return label

    def as_shown(self, value: float) -> float:
        if not self.key or self.trend_unit is not None:
            return value
        return measures.as_shown(self.key, value)

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "trend_unit": self.unit_of_trend,
            "change": self.change,
            "meaning": self.meaning,
            "good_looks_like": self.good_looks_like,
            "verdict": self.verdict,
            "in_words": self.in_words,
            "change_between": self.change_between,
            "since_words": self.since_words,
            "why_across_versions": self.why_across_versions,
        }


@dataclass
class TeamRow:
    team: str
    signals: list[Signal]

    @property
    def warning(self) -> str:
        """ "Reads it alike, but not as the vision says: understand the vision 9 / 100" where the
        team's people share one reading that conveys little of the vision
        (measures.alike_not_understood, the check-in results' rule too). Both figures are the
        report's own for the team."""
        by_key = {signal.key: signal for signal in self.signals}
        alike, understood = by_key.get("team.vision_coherence"), by_key.get("team.vision_fidelity")
        if alike is None or understood is None:
            return ""
        return measures.alike_not_understood(alike.value, understood.value)


@dataclass
class GroupRow:
    """A check-in asked of chosen functions or teams, in its group's place."""

    label: str  # "Sales pulse — 6 people in Sales"
    checkin: CheckIn
    signals: list[Signal]


@dataclass
class Dashboard:
    individual: list[Signal]
    team: list[TeamRow]
    quiet_teams: list[str]  # nothing measured: no answers shown, no work items, no initiatives
    organisation: list[Signal]
    market: list[Signal]
    checkin: CheckIn | None
    threshold: int
    # What each team names against where its work goes (saydo.py); None in a dashboard cached
    # before it was measured.
    say_do: SayDo | None = None
    # Why the company's figures come from `checkin` (sources.py), and the check-ins asked of
    # chosen groups, each in its group's place. None in a dashboard cached before they were.
    source: Source | None = None
    groups: list[GroupRow] | None = None
    # The oldest open decisions and the initiatives waiting on them (decisions/speed.py).
    open_decisions: list[dict] | None = None
    # Terms of the vision and goals that two functions read differently (glossary/measure.py);
    # None when the workspace has no glossary, so nothing is measured.
    words_read_differently: list[dict] | None = None
    # The largest themes of customer feedback nothing on the roadmap addresses, with a quote
    # each, and the initiatives no customer asked for (feedback.themes). None: not measured.
    unaddressed_needs: list[dict] | None = None
    unasked_initiatives: list[dict] | None = None
    # Whether the goals serve the value the vision promises, functional or psychological.
    value_served: list[str] | None = None

    @property
    def team_names(self) -> list[str]:
        """Every team the team level names, measured or quiet, for the page's team filter."""
        return sorted([row.team for row in self.team] + self.quiet_teams)

    def for_team(self, team: str) -> "Dashboard":
        """The dashboard with its team level narrowed to one team: a large organisation's page
        holds a card per team, and a team lead wants their own. Other levels are unchanged, and
        nothing shows that the whole page does not, so the filter reveals nothing new."""
        if team not in self.team_names:
            raise LookupError(f"No team named {team!r} is on the alignment dashboard.")
        say_do = self.say_do and replace(
            self.say_do,
            teams=[row for row in self.say_do.teams if row.team == team],
            without_work=[name for name in self.say_do.without_work if name == team],
        )
        return replace(
            self,
            team=[row for row in self.team if row.team == team],
            quiet_teams=[name for name in self.quiet_teams if name == team],
            say_do=say_do,
        )

    def sorted_by(self, key: str) -> "Dashboard":
        """The team level with the teams furthest from good on the signal `key` first: the lowest
        where higher is better, the highest where lower is; teams with nothing to show on it last.
        A large organisation's leader looks for the teams to talk to, not for a team's name."""

        def furthest_from_good_first(row: TeamRow) -> tuple:
            signal = next(s for s in row.signals if s.key == key)
            if signal.value is None:
                return (1, 0.0, row.team)
            return (0, signal.value if signal.higher_is_better else -signal.value, row.team)

        return replace(self, team=sorted(self.team, key=furthest_from_good_first))

    def as_rows(self) -> list[list[str]]:
        """A row per card, in the order of the page (CARD_COLUMNS): what an executive pastes
        into a board pack, each figure as the page words it."""
        company = closed_on(self.checkin)
        cards = [("Individual", "", company, s) for s in self.individual]
        for g in self.groups or []:
            cards += [
                ("Group asked on its own", g.label, closed_on(g.checkin), s) for s in g.signals
            ]
        cards += [("Team", row.team, "", s) for row in self.team for s in row.signals]
        cards += [
            ("Organisation", "", company if s.key in FROM_CHECKIN else "", s)
            for s in self.organisation
        ]
        cards += [("Market", "", "", s) for s in self.market]
        return [
            [
                level,
                group,
                s.name,
                "" if s.value is None else s.shown,
                change_words(s),
                s.band_words,
                s.good_looks_like,
                "; ".join(part for part in (s.measured_in or checkin, s.basis) if part),
                s.note,
                s.evidence,
            ]
            for level, group, checkin, s in cards
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "checkin": {"id": self.checkin.pk, "title": self.checkin.title}
            if self.checkin
            else None,
            "source": self.source.as_dict() if self.source else None,
            "groups": [
                {
                    "label": g.label,
                    "checkin": {"id": g.checkin.pk, "title": g.checkin.title},
                    "signals": [s.as_dict() for s in g.signals],
                }
                for g in self.groups or []
            ],
            "individual": [s.as_dict() for s in self.individual],
            "team": [
                {
                    "team": row.team,
                    "warning": row.warning,
                    "signals": [s.as_dict() for s in row.signals],
                }
                for row in self.team
            ],
            "quiet_teams": self.quiet_teams,
            "say_do": self.say_do.as_dict() if self.say_do else None,
            "open_decisions": self.open_decisions or [],
            "words_read_differently": self.words_read_differently,
            "organisation": [s.as_dict() for s in self.organisation],
            "market": [s.as_dict() for s in self.market],
            "unaddressed_needs": self.unaddressed_needs,
            "unasked_initiatives": self.unasked_initiatives,
            "value_served": self.value_served,
        }


def change_words(signal: Signal) -> str:
    """ "better: +14 pts (since Q3 2026: 35% → 49%)", as the card says it; a cell starting with
    "+" would be read as a formula, and the spreadsheet's guard would show it as "'+14 pts"."""
    if signal.change is None:
        return ""
    said = signal.verdict_words
    change = f"{said}: {signal.shown_change}" if said else signal.shown_change
    return f"{change} ({signal.since_words})"


# The columns of Dashboard.as_rows, the alignment page's CSV.
CARD_COLUMNS = [
    "level",
    "team or group",
    "figure",
    "value",
    "change",
    "band",
    "what good looks like",
    "source",
    "note",
    "evidence",
]
# The organisation's figures read from the company's check-in, as the individual ones are.
FROM_CHECKIN = {"functions.vision_coherence"}


def month_words(label: str) -> str:
    """A month's label in words ("2026-10" is "October 2026"); any other label as it is."""
    try:
        return date.fromisoformat(f"{label}-01").strftime("%B %Y")
    except ValueError:
        return label


def counted(number: int, noun: str) -> str:
    """ "1 decision", "7 decisions": a note reads as words, not "decision(s)"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def cached_dashboard(workspace: Workspace) -> Dashboard:
    """The dashboard as of today, computed once per change of the workspace's data."""
    return cached(workspace, "alignment_dashboard", dashboard)


def dashboard(workspace: Workspace) -> Dashboard:
    reported = published(workspace)
    source = choose_source(workspace, reported)
    pulses = comparable_chain(source.pulses) if source.pulses else []
    teams, quiet_teams = team_rows(workspace, pulses, asked_of_teams(reported, source))
    latest_checkin, latest = pulses[-1] if pulses else (None, {})
    market = {
        **theme_figures(workspace),
        "evidence": reverse("feedback_themes", args=[workspace.slug]),
    }
    return Dashboard(
        individual=individual_signals(pulses),
        team=teams,
        quiet_teams=quiet_teams,
        organisation=organisation_signals(workspace, pulses),
        market=[market_signal(market)],
        checkin=latest_checkin,
        threshold=workspace.anonymity_threshold,
        say_do=say_and_do(workspace, latest_checkin, latest),
        source=source,
        groups=[
            GroupRow(group.label, group.checkin, individual_signals([(group.checkin, group.data)]))
            for group in group_pulses(workspace, reported, pulses)
        ],
        open_decisions=oldest_open_decisions(workspace),
        words_read_differently=read_differently_in_strategy(workspace),
        unaddressed_needs=unaddressed_needs(market) if market["market"]["demand"] else None,
        unasked_initiatives=market["market"]["unsupported"] if market["items"] else None,
        value_served=value_words(market["values"]) if market["values"] else None,
    )


# --- Check-ins: the source (sources.py), and its predecessors comparable with it for the trend. ---


def comparable_chain(pulses: Pulses, team: str | None = None) -> Pulses:
    """The latest pulse and the earlier ones comparable with every pulse kept (the same people
    answered, or sets differing by at least the threshold) and scored alike: a trend never
    shows the change that one person's answer made, nor one that a change of model made."""
    chain = pulses[-1:]
    for pulse in reversed(pulses[:-1]):
        if len(chain) == MAX_TREND_POINTS:
            break
        checkin, data = pulse
        if all(
            comparable(kept, checkin, team) and scored_alike(kept_data, data)
            for kept, kept_data in chain
        ):
            chain.insert(0, pulse)
    return chain


def checkin_signal(
    pulses: Pulses, figure: str, scale: float, anchor: str, note: str, basis: str = ""
) -> Signal:
    """A headline figure of the latest check-in, with its value in each earlier one; a figure of
    understanding names the version of the vision each value is of; `basis`, what it stands on
    (answered_basis)."""
    trend, sources = [], []
    for checkin, data in pulses:
        value = headlines(data).get(figure)
        if value is not None:
            trend.append((checkin.title, round(value * scale, 1)))
            sources.append(vision_source(data))
    latest_checkin, latest = pulses[-1] if pulses else (None, {})
    value = headlines(latest).get(figure)
    evidence = checkin_url(latest_checkin, anchor)
    if value is None:
        return Signal.of(figure, None, evidence, note=why_missing(latest_checkin, latest))
    value = round(value * scale, 1)
    signal = per_checkin(figure, value, evidence, note, trend, sources, latest)
    return replace(signal, basis=basis)


def answered_basis(checkin: CheckIn, data: dict) -> str:
    """Whom a check-in's figures stand on: "the 6 who answered (45 were asked)". A headline of
    50% read as the organisation's, when 6 of 45 had answered; and "from 35 of 41 asked" beside
    49% left the reader to guess which of the two the share was of."""
    answered = data.get("respondents")
    if not answered:
        return ""
    asked = checkin.invitations.count()  # none where the answers were imported
    were = "was" if asked == 1 else "were"
    return f"the {answered} who answered" + (f" ({asked} {were} asked)" if asked else "")


def based_on(figure: str, answered: str) -> str:
    """A figure's basis before its value: a share is "of" the people ("49% of the 35 who
    answered"), a score is "from" them."""
    if not answered:
        return ""
    return f"{'of' if measures.measure(figure).unit == measures.SHARE else 'from'} {answered}"


def per_checkin(
    figure: str,
    value: float,
    evidence: str,
    note: str,
    trend: list[tuple[str, float]],
    sources: list[str],
    latest: dict,
) -> Signal:
    """A figure with its value in each check-in; one read against the vision keeps only the
    points of the version the latest restated (of_one_version), and names it; one of how alike
    the restatements are keeps every point, each naming its version (READ_ALIKE)."""
    if not scored_against_vision(figure):
        of = sources if figure in READ_ALIKE else []
        return Signal.of(
            figure, value, evidence, trend=trend, note=note, trend_of=PER_CHECKIN, trend_sources=of
        )
    trend, sources, why = of_one_version(figure, trend, sources)
    return Signal.of(
        figure,
        value,
        evidence,
        trend=trend,
        note=note,
        trend_of=PER_CHECKIN,
        source=vision_source(latest),
        trend_sources=sources,
        not_compared=why,
    )


def of_one_version(
    figure: str, trend: list[tuple[str, float]], sources: list[str]
) -> tuple[list[tuple[str, float]], list[str], str]:
    """The points of a figure read against the vision that restated the same version as the last
    one, and why the value has no change ('' when it has one): a change, or a line, from Vision
    v2's answers to Vision v3's would mix what people heard with what the text says (the rule of
    checkins.measure.compared). The reason is given only where the point just before is of
    another version: after two rounds of Vision v3, "−3 pts" compares those two, and "not
    compared" beside it, about a round further back, contradicted it."""
    first = len(sources) - 1
    while first > 0 and sources[first - 1] == sources[-1]:
        first -= 1
    if first <= 0:
        return trend, sources, ""
    why = not_compared(figure, (sources[-2], sources[-1])) if first == len(sources) - 1 else ""
    return trend[first:], sources[first:], why


def checkin_url(checkin: CheckIn | None, anchor: str = "") -> str:
    if checkin is None:
        return ""
    url = reverse("checkin", args=[checkin.workspace.slug, checkin.pk])
    return f"{url}#{anchor}" if anchor else url


def why_missing(checkin: CheckIn | None, data: dict) -> str:
    if checkin is None:
        return "No check-in with results yet: an Alignment pulse that enough people answer measures this."
    if data.get("suppressed"):
        return f"Hidden: fewer than {data['threshold']} people answered {checkin.title}."
    return f"Not asked, or too few answers to show, in {checkin.title}."


# --- Individual ---


def individual_signals(pulses: Pulses) -> list[Signal]:
    answered = answered_basis(*pulses[-1]) if pulses else ""  # the latest check-in's, once
    figures = [
        ("line_of_sight.linked", 100, "line-of-sight"),
        ("vision.fidelity", 1, "quadrant"),
        ("quadrant.faux_alignment", 100, "quadrant"),
    ]
    return [
        checkin_signal(pulses, figure, scale, anchor, "", based_on(figure, answered))
        for figure, scale, anchor in figures
    ]


# --- Team ---


def team_rows(
    workspace: Workspace, pulses: Pulses, own: dict[str, Pulses] | None = None
) -> tuple[list[TeamRow], list[str]]:
    """A row per team with anything measured, and the names of the teams with nothing. A team's
    figures of the vision come from the company's `pulses` and the check-ins asked of it on its
    own (`own`, by team), whichever is latest."""
    own = own or {}
    orphans = {row["team"]: row for row in cached_orphan_summary(workspace)["teams"]}
    summary = cached_overrun_summary(workspace)
    overruns = {row["team"]: row for row in summary["teams"]}
    rows, quiet = [], []
    for name in workspace.teams.order_by("name").values_list("name", flat=True):
        initiatives = [i for i in summary["initiatives"] if i["team"] == name]
        asked = sorted(pulses + own.get(name, []), key=lambda p: (p[0].opens_at, p[0].pk))
        signals = [
            team_vision(asked, name, "team.vision_fidelity", "fidelity"),
            team_vision(asked, name, "team.vision_coherence", "coherence"),
            orphan_signal(workspace, orphans.get(name), name),
            slip_signal(workspace, overruns.get(name), initiatives),
        ]
        if any(signal.value is not None for signal in signals):
            rows.append(TeamRow(name, signals))
        else:
            quiet.append(name)
    return rows, quiet


def team_vision(pulses: Pulses, team: str, key: str, figure: str) -> Signal:
    """A figure of the team's restatements of the vision (how well they convey it, how alike they
    are), as the report's team breakdown publishes it: only for teams the report shows, and
    never a figure of the team that the report does not hold."""
    trend, sources = [], []
    for checkin, data in comparable_chain(pulses, team):
        row = vision_group(data, "team", team)
        if row and row.get(figure) is not None:
            trend.append((checkin.title, row[figure]))
            sources.append(vision_source(data))
    latest_checkin, latest = pulses[-1] if pulses else (None, {})
    row = vision_group(latest, "team", team)
    evidence = checkin_url(latest_checkin, "heatmap-team")
    measured_in = closed_on(latest_checkin)
    if row is None or row.get(figure) is None:
        note = why_missing(latest_checkin, latest)
        if latest_checkin and not latest.get("suppressed"):
            note = (
                f"Hidden: fewer than {latest['threshold']} of the team answered "
                f"{latest_checkin.title}, or hidden together with another small group so "
                "neither can be worked out."
            )
        return Signal.of(key, None, evidence, note=note, measured_in=measured_in)
    note = f"{row['n']} people answered."
    signal = per_checkin(key, row[figure], evidence, note, trend, sources, latest)
    return replace(signal, measured_in=measured_in)


def closed_on(checkin: CheckIn | None) -> str:
    """ "Team pulse R3, closed 6 Dec 2026": which check-in a figure is of, and when."""
    if checkin is None:
        return ""
    return f"{checkin.title}, closed {charts.day(timezone.localtime(checkin.closes_at).date())}"


def vision_question(data: dict) -> dict | None:
    """The report's section on the vision restatements, unless it was suppressed."""
    vision = next((q for q in data.get("questions", []) if q["role"] == "vision"), None)
    return None if vision is None or vision.get("suppressed") else vision


def vision_group(data: dict, dimension: str, name: str) -> dict | None:
    vision = vision_question(data)
    if vision is None:
        return None
    groups = vision["by"][dimension]["groups"]
    return next((g for g in groups if g["name"] == name), None)


def orphan_signal(workspace: Workspace, row: dict | None, team: str) -> Signal:
    evidence = reverse("orphans", args=[workspace.slug])
    if row is None or not row["items"]:
        return Signal.of("work.orphans", None, evidence, note="No work items.")
    trend = [(month, percent(share)) for month, share in row["trend_to_date"]]
    note = f"{row['orphans']} of {row['items']} items support no goal (share of {row['unit']})."
    return Signal.of(
        "work.orphans",
        percent(row["share"]),
        evidence,
        trend=trend[-MAX_TREND_POINTS:],
        note=note,
        trend_of="all the team's work up to the end of each month",
        basis="of items, all time",
    )


def slip_signal(workspace: Workspace, row: dict | None, initiatives: list[dict]) -> Signal:
    """The share of the team's committed initiatives late, as the overruns page counts "slipped"
    (shipped or forecast after the date first committed to, moved or not); its trend is the same
    share of the initiatives due in each quarter, so a point and the value mean one thing."""
    evidence = reverse("overruns", args=[workspace.slug])
    if row is None or not row["initiatives"]:
        return Signal.of("roadmap.slipped", None, evidence, note="No initiatives.")
    note = f"{row['slipped']} of {row['initiatives']} committed initiatives slipped"
    note += "; a pattern: at least 2 of the last 3." if row["pattern"] else "."
    return Signal.of(
        "roadmap.slipped",
        percent(row["share_slipped"]),
        evidence,
        trend=late_by_quarter(initiatives)[-MAX_TREND_POINTS:],
        note=note,
        trend_of="share slipped of the initiatives first committed to a date in each quarter "
        "(a quarter to come: as forecast)",
        # The value is of every quarter together, so the last point is not it: no change.
        trend_is_value=False,
    )


def late_by_quarter(initiatives: list[dict]) -> list[tuple[str, float]]:
    """(quarter, % slipped) of the counted initiatives by the quarter of their planned date (the
    date first committed to), oldest first; a quarter with none due has no point."""
    due: dict[str, list[bool]] = {}
    for row in initiatives:
        if row["counted"]:
            due.setdefault(quarter(row["planned_date"]), []).append(row["slipped"])
    return [(q, percent(sum(late) / len(late))) for q, late in sorted(due.items())]


# --- Organisation ---


def organisation_signals(workspace: Workspace, pulses: Pulses) -> list[Signal]:
    return [
        across_functions(pulses),
        vision_clarity(workspace),
        goal_clarity(workspace),
        promises(workspace),
        decision_latency(workspace),
        support_heard_first(workspace),
    ]


def across_functions(pulses: Pulses) -> Signal:
    """The mean coherence between every pair of functions the report shows."""
    trend, sources = [], []
    for checkin, data in pulses:
        pairs = vision_across(data)
        if pairs:
            trend.append((checkin.title, mean_coherence(pairs)))
            sources.append(vision_source(data))
    latest_checkin, latest = pulses[-1] if pulses else (None, {})
    pairs = vision_across(latest)
    evidence = checkin_url(latest_checkin, "heatmap-function")
    key = "functions.vision_coherence"
    if not pairs:
        note = why_missing(latest_checkin, latest)
        if latest_checkin and not latest.get("suppressed"):
            note = "Fewer than two functions have enough answers to compare."
        return Signal.of(key, None, evidence, note=note)
    lowest = min(pairs, key=lambda pair: pair["coherence"])
    apart = f"{lowest['a']} and {lowest['b']} ({measures.shown(key, lowest['coherence'])})"
    note = (
        f"One pair of functions: {apart}."
        if len(pairs) == 1
        else f"Mean of {counted(len(pairs), 'pair')} of functions; furthest apart: {apart}."
    )
    alike = vision_question(latest) or {}
    if alike.get("coherence") is not None:
        person_to_person = measures.shown("vision.coherence", alike["coherence"])
        note += f" The check-in's own “Read the vision alike” is {person_to_person}."
    return Signal.of(
        key,
        mean_coherence(pairs),
        evidence,
        trend=trend,
        note=note,
        trend_of=PER_CHECKIN,
        basis=functions_basis(latest, pairs),
        trend_sources=sources,
    )


def functions_basis(data: dict, pairs: list[dict]) -> str:
    """Whom the functions' figure stands on: "from 2 functions, 18 of the 35 who answered". The
    functions too small to show are in no pair, so the figure may rest on few of the people."""
    named = {pair["a"] for pair in pairs} | {pair["b"] for pair in pairs}
    vision = vision_question(data) or {}
    groups = vision.get("by", {}).get("function", {}).get("groups", [])
    people = sum(group.get("n") or 0 for group in groups if group["name"] in named)
    functions = counted(len(named), "function")
    if not people or not vision.get("n"):
        return f"from {functions}"
    return f"from {functions}, {people} of the {vision['n']} who answered"


def vision_across(data: dict) -> list[dict]:
    vision = vision_question(data)
    if vision is None:
        return []
    return [pair for pair in vision.get("across", []) if pair["coherence"] is not None]


def mean_coherence(pairs: list[dict]) -> float:
    return round(sum(pair["coherence"] for pair in pairs) / len(pairs), 1)


def vision_clarity(workspace: Workspace) -> Signal:
    versions = list(workspace.visions.order_by("number"))
    evidence = reverse("vision", args=[workspace.slug])
    if not versions:
        return Signal.of("vision.clarity", None, evidence, note="No vision written yet.")
    glossary = glossary_names(workspace)  # today's: an acronym defined since counts as explained
    trend = [
        (f"v{v.number}", float(clarity_of_vision(vision_fields(v), glossary).score))
        for v in versions
    ]
    latest = clarity_of_vision(vision_fields(versions[-1]), glossary)
    missing = ", ".join(latest.missing_labels).lower() or "nothing"
    note = f"Version {versions[-1].number}; missing: {missing}; {counted(len(latest.findings), 'wording finding')}."
    return Signal.of(
        "vision.clarity",
        trend[-1][1],
        evidence,
        trend=trend[-MAX_TREND_POINTS:],
        note=note,
        trend_of="each version of the vision",
    )


def goal_clarity(workspace: Workspace) -> Signal:
    goals = list(workspace.goals.all())
    evidence = reverse("goals", args=[workspace.slug])
    if not goals:
        return Signal.of("goals.clarity", None, evidence, note="No goals yet.")
    glossary = glossary_names(workspace)
    scores = {goal: clarity_of_goal(goal_fields(goal), glossary).score for goal in goals}
    weakest = min(scores, key=scores.__getitem__)
    mean = round(sum(scores.values()) / len(scores), 1)
    note = f"Mean of {len(goals)} goals; least clear: #{weakest.rank} ({scores[weakest]})."
    return Signal.of("goals.clarity", mean, evidence, note=note)


def promises(workspace: Workspace) -> Signal:
    summary = promise_summary(workspace)
    evidence = reverse("claims", args=[workspace.slug])
    if not summary["checked"]:
        return Signal.of("claims.over_promises", None, evidence, note="No checked claims yet.")
    told = {**summary["by_verdict"], "not_promised": summary["not_promised"]}
    counts = ", ".join(f"{n} {VERDICT_WORDS[verdict]}" for verdict, n in told.items() if n)
    if early := summary["said_early"]:
        # The claims page's "Over-promise" tile counts only those still wrong today: said here,
        # its smaller figure reads as the same one, and the two pages as disagreeing.
        still = summary["by_verdict"]["over_promise"] - early
        counts += (
            f" (counted as said: {still} still wrong today, the claims page's “Over-promise”, "
            f"and {early} said live before it shipped)"
        )
    return Signal.of(
        "claims.over_promises",
        percent(summary["over_promise_share"]),
        evidence,
        trend=claims_to_date(summary["trend"])[-MAX_TREND_POINTS:],
        # The measure's own description already says what is counted: the note gives the counts.
        note=f"Of {summary['checked']} checked: {counts}.",
        trend_of="all claims made up to the end of each month",
    )


def decision_latency(workspace: Workspace, day: date | None = None) -> Signal:
    """Median days from raised to decided over the 90 days to `day` (today by default, the
    day of a past ritual session otherwise); lower is better."""
    decisions = list(
        workspace.decisions.filter(decided_on__lte=day) if day else workspace.decisions.all()
    )
    evidence = reverse("decision_speed", args=[workspace.slug])
    today = day or timezone.localdate()
    median, count = decision_speed.recent_latency(decisions, today)
    window = days_to(decision_speed.LATENCY_WINDOW_DAYS, day)
    untimed = decision_speed.recorded_as_made(decision_speed.made_recently(decisions, today))
    one = untimed == 1
    left_out = (
        f" {counted(untimed, 'decision')} recorded as {'it was' if one else 'they were'} made "
        f"(raised and decided the same day) {'is' if one else 'are'} not counted: that day says "
        "nothing of how long deciding took."
        if untimed
        else ""
    )
    if median is None:
        note = f"No decision made in {window}." if not untimed else f"Nothing to time.{left_out}"
        return Signal.of("decisions.latency", None, evidence, note=note)
    trend, counts, few = decision_speed.monthly_latency(decisions, MAX_TREND_POINTS)
    return Signal.of(
        "decisions.latency",
        float(median),
        evidence,
        trend=trend,
        trend_counts=counts,
        trend_counted="decision",
        note=f"Median of {counted(count, 'decision')} made in {window}.{left_out}{few_words(few)}",
        trend_of=f"each month's own median (of the decisions made that month, where there were "
        f"{decision_speed.FEWEST_DECISIONS_A_MONTH} or more)",
        trend_is_value=False,
        basis=f"median of {window}",
    )


def few_words(few: list[tuple[str, int]]) -> str:
    """What the line of days to decide leaves out, as a sentence of the card's note."""
    why = decision_speed.months_left_out_why(few)
    return f" {why}" if why else ""


def days_to(days: int, day: date | None) -> str:
    """ "the last 90 days", or "the 90 days to 1 October 2026" for a day in the past."""
    return f"the {days} days to {day:%-d %B %Y}" if day else f"the last {days} days"


# How many of the changes support heard of too late the note names.
HEARD_LATE_NAMED = 3


def support_heard_first(workspace: Workspace, day: date | None = None) -> Signal:
    """The share of customer-facing changes of the 90 days to `day` (today by default) that a
    published update told support about at least the workspace's notice days ahead
    (updates/notice.py)."""
    found = notice.recent(workspace, day or timezone.localdate())
    evidence = reverse("updates", args=[workspace.slug])
    key = "updates.support_notice"
    window = days_to(notice.WINDOW_DAYS, day)
    if found.share_in_time is None:
        note = f"No customer-facing change (partner or public) shipped in {window}."
        return Signal.of(key, None, evidence, note=note)
    note = (
        f"Of {counted(len(found.notices), 'customer-facing change')} shipped in {window}, "
        f"{found.in_time} were in a published update's support version at least "
        f"{found.needed} days ahead, {found.late} later, {found.never} never."
    )
    late = found.flagged[-HEARD_LATE_NAMED:]
    if late:
        note += " Heard too late: " + "; ".join(f"{n.title} ({n.in_words})" for n in late) + "."
    return Signal.of(key, percent(found.share_in_time), evidence, note=note)


# How many open decisions the organisation level lists: the oldest, where the wait is longest.
OLDEST_OPEN_SHOWN = 3


def oldest_open_decisions(workspace: Workspace) -> list[dict]:
    open_ones = workspace.decisions.filter(status="proposed").prefetch_related("blocks")
    waiting = decision_speed.open_ageing(open_ones, timezone.localdate())[:OLDEST_OPEN_SHOWN]
    return [
        {
            "number": w.decision.number,
            "title": w.decision.title,
            "days_open": w.days_open,
            "blocks": [i.title for i in w.blocks],
            "url": reverse("decision", args=[workspace.slug, w.decision.number]),
        }
        for w in waiting
    ]


VERDICT_WORDS = {
    "available": "available",
    "committed": "committed",
    "over_promise": "over-promise",
    "no_capability": "no such capability",
    "not_promised": "said as not promised",
}


def claims_to_date(months: list[tuple[str, int, int]]) -> list[tuple[str, float]]:
    """The over-promises' share of all claims made up to the end of each month."""
    claims = over = 0
    shares = []
    for month, month_claims, month_over in months:
        claims, over = claims + month_claims, over + month_over
        shares.append((month, percent(over / claims)))
    return shares


# --- Market ---


def market_signal(themes: dict) -> Signal:
    """The share of customers' demand something on the roadmap addresses (feedback.themes):
    counted as (theme, account) pairs, so an account asking for two things is two demands."""
    evidence = themes["evidence"]
    market = themes["market"]
    if not market["demand"]:
        note = (
            "Not yet measured: no customer feedback with an account yet. Add field notes or "
            "import support tickets, reviews or interview notes on the Feedback page."
        )
        return Signal.of("market.needs_met", None, evidence, note=note)
    # The themes page's sentences, so the two say the same figure the same way.
    note = f"{market_words(market)} {market_how(market)}"
    addressed = percent(1 - market["unaddressed_share"])
    return Signal.of("market.needs_met", addressed, evidence, note=note)


def unaddressed_needs(themes: dict) -> list[dict]:
    """The themes with the most unaddressed demand, as the market level quotes them: a whole
    theme nothing addresses, or the items of an addressed one that nothing does (its
    `unmatched` part), with their own counts and quote."""
    by_number = {theme["number"]: theme for theme in themes["themes"]}
    needs = []
    for theme in (by_number[n] for n in themes["market"]["largest_unaddressed"]):
        whole = theme.get("status", "unaddressed") == "unaddressed"
        part = theme if whole else theme["unmatched"]
        needs.append(
            {
                "label": theme["label"]
                if whole
                else f"{theme['label']} (the part nothing addresses)",
                "accounts": part["accounts"],
                "items": part["items"],
                "quote": part["quotes"][0] if part["quotes"] else None,
                "evidence": f"{themes['evidence']}#theme-{theme['number']}",
            }
        )
    return needs
