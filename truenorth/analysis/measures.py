"""Every measure a page shows, in words people use: its name, what it means, its unit, whether
up is good, and what good looks like.

A page names a measure through this registry, never through its key ("vision.fidelity"), and
formats its value by the measure's unit: 0-100 scores as whole numbers ("46 / 100"), shares of
people as whole percentages ("47%"), so a fraction such as 0.471 never reaches a page.

What good looks like is a band read from the analysis' own cuts, never a number picked here:

- Understanding (a fidelity, 0-100): good from relation.CONVEYS (60), partly from
  relation.SHARES_DETAILS (35). Both are the scores that best predict, on STS Benchmark dev, a
  person rating a pair "roughly the same" (3 of 5) and "shares some details" (2 of 5)
  (benchmarks/choose_thresholds.py), on the score curve fitted on STS train (calibration.py). The
  same 60 is the cut of "understands the vision" in the quadrant.
- Reading alike (a coherence, 0-100): good from cluster.SAME_READING (50), where two groups of
  answers become one interpretation; partly from relation.SHARES_DETAILS (35).
- Customer success heard first (a share of changes): good is 100% by definition, every
  customer-facing change told in time; no partial band, since nothing measures one.
- Work supporting no goal (a share of items, lower is better): under ORPHANS_GOOD (15%) good, from
  ORPHANS_BAD (33%) poor. These two are rules of thumb, not validated: some work serves no goal in
  any team (upkeep, support, small fixes), and a third of the work or more means the goals steer
  little of what is built. Every page that shows the share says "rule of thumb" beside them.

The bands are built when asked for, from those constants, so a new calibration or cut moves
them (tests/analysis/test_measures.py). A measure with no such cut gets no band: its sentence says
which way is better and, where a reader would look for a range beside banded figures, that none
has been measured (NOT_MEASURED), rather than inventing a target.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from truenorth.analysis import cluster, divergence, relation

# Units, as a page shows them.
SCORE = "score"  # 0-100, whole numbers: "46 / 100"
SHARE = "share"  # a share of people (or items), whole percentages: "47%"
COUNT = "count"  # a number of things, one decimal: "2.4"
CORRELATION = "correlation"  # -1 to 1, two decimals: "+0.47"
DAYS = "days"  # a duration in days, one decimal at most: "6.5 days"


@dataclass(frozen=True)
class Band:
    """What good looks like: at or above `good` is good, from `fair` up to it is partway; where
    lower is better, under `good` is good and from `fair` on is poor."""

    good: float
    fair: float
    good_words: str
    fair_words: str
    poor_words: str
    source: str  # where the cuts come from
    lower_is_better: bool = False
    rule_of_thumb: bool = False  # cuts chosen by experience, not measured: pages say so

    def level(self, value: float) -> str:
        """'good', 'fair' or 'poor'."""
        if self.lower_is_better:
            return "good" if value < self.good else "fair" if value < self.fair else "poor"
        return "good" if value >= self.good else "fair" if value >= self.fair else "poor"

    def words(self, value: float) -> str:
        return {"good": self.good_words, "fair": self.fair_words, "poor": self.poor_words}[
            self.level(value)
        ]


def understanding_band() -> Band:
    return Band(
        good=relation.CONVEYS,
        fair=relation.SHARES_DETAILS,
        good_words="shared",
        fair_words="partly shared",
        poor_words="not shared",
        source=(
            "relation.CONVEYS and relation.SHARES_DETAILS: the scores that best predict a person "
            "rating two texts roughly the same (3 of 5) and sharing some details (2 of 5) on "
            "STS Benchmark dev (benchmarks/choose_thresholds.py)"
        ),
    )


def alike_band() -> Band:
    return Band(
        good=cluster.SAME_READING,
        fair=relation.SHARES_DETAILS,
        # 50 lies between "different but sharing details" (40) and "roughly the same" (60) on
        # SCALE: one reading, mostly, rather than one shared by all.
        good_words="mostly one reading",
        fair_words="readings share details",
        poor_words="readings far apart",
        source=(
            "cluster.SAME_READING, the score at which two groups of answers are one "
            "interpretation, and relation.SHARES_DETAILS (benchmarks/choose_thresholds.py)"
        ),
    )


# What a 0-100 score means, as people rated pairs of texts (the STS Benchmark's scale, score.py).
SCALE = (
    (100, "the same meaning"),
    (80, "the same with details differing"),
    (60, "roughly the same with important parts differing"),
    (40, "different but sharing details"),
    (20, "the same topic only"),
)


def scale_in_words() -> str:
    """The scale, then where the bands of understanding and of reading alike fall on it, read
    from the bands themselves, so the words beside a score never contradict the scale: "Scores
    run 0–100: 100 = the same meaning, … Reading alike: 50 or more mostly one reading, …"."""
    anchors = ", ".join(f"{score} = {words}" for score, words in SCALE)
    bands = " ".join(
        f"{name}: {band.good:g} or more {band.good_words}, {band.fair:g}–{band.good:g} "
        f"{band.fair_words}, under {band.fair:g} {band.poor_words}."
        for name, band in (("Understanding", understanding_band()), ("Reading alike", alike_band()))
    )
    return f"Scores run 0–100: {anchors}. {bands}"


# Where orphan work turns from good to middling to poor (rules of thumb, not validated).
ORPHANS_GOOD, ORPHANS_BAD = 15.0, 33.0


def orphan_band() -> Band:
    return Band(
        good=ORPHANS_GOOD,
        fair=ORPHANS_BAD,
        good_words="healthy",
        fair_words="middling",
        poor_words="high: the goals steer little of the work",
        source="a rule of thumb, not validated: upkeep, support and small fixes serve no goal",
        lower_is_better=True,
        rule_of_thumb=True,
    )


def orphans_rule() -> str:
    """What good looks like for work supporting no goal, in the orphan work page's words."""
    return (
        "Lower is better. As a rule of thumb, not a validated cut-off: under "
        f"{ORPHANS_GOOD:g}% is healthy; {ORPHANS_BAD:g}% or more means the goals steer little "
        "of what is built."
    )


@dataclass(frozen=True)
class Measure:
    key: str
    name: str  # what a page calls it
    meaning: str  # one line: what it is
    unit: str
    higher_is_better: bool | None  # None: neither way is better (informed dissent)
    banded: Callable[[], Band] | None = None
    no_target: str = ""  # why neither way is better, where a reader would expect one to be
    aside: str = ""  # what the value does not say, in brackets beside it wherever it is shown
    # Why no healthy range is given, where a reader would look for one beside a banded figure.
    no_band: str = ""

    @property
    def band(self) -> Band | None:
        return self.banded() if self.banded else None

    @property
    def good_looks_like(self) -> str:
        """What good looks like, in one line."""
        band = self.band
        if band is not None and band.lower_is_better:
            shown_cut = f"{band.good:g}%" if self.unit == SHARE else f"{band.good:g}"
            return f"good is under {shown_cut}" + (
                ", a rule of thumb" if band.rule_of_thumb else ""
            )
        if band is not None:
            if self.unit == SHARE and band.good >= 100:
                return "good is 100%"
            return f"good is {band.good:g} or more"
        if self.higher_is_better is None:
            return self.no_target
        better = "higher is better" if self.higher_is_better else "lower is better"
        return f"{better}; {self.no_band}" if self.no_band else better


def every_change_band() -> Band:
    """Support heard of every customer-facing change in time: anything less is a change that
    reached customers first. No partial cut is drawn (fair is good), since none is measured."""
    return Band(
        good=100.0,
        fair=100.0,
        good_words="support heard of every change first",
        fair_words="support heard of every change first",
        poor_words="some changes reached customers before support was told in time",
        source="the workspace's own rule: every customer-facing change, told N days ahead",
    )


def _m(key, name, meaning, unit, higher_is_better=True, banded=None) -> Measure:
    return Measure(key, name, meaning, unit, higher_is_better, banded)


# Where nothing has been measured to say what a healthy value is, a page says so rather than
# leave the figure bare beside banded ones, or invent a target (docs/measures.md).
NOT_MEASURED = "no healthy range has been measured for it, so none is given"
# What the ends of a count of distinct readings mean: 1, and one reading per answer.
ONE_READING = "1 is one reading shared by all"


# Beside each share, so nobody reads "0%" as "nobody reversed it" (fidelity.denies, relation.py).
CONTRADICTS_ASIDE = "at least: a reversal in other words can go unflagged"
MAY_DENY_ASIDE = (
    "not counted as contradicting: a “not” where {source} says it, for a reader to judge"
)


_REGISTERED = [
    # From a check-in's answers (report.headlines' keys, and the alignment dashboard's).
    _m(
        "vision.fidelity",
        "Understand the vision",
        "How closely people's own words convey the vision.",
        SCORE,
        banded=understanding_band,
    ),
    _m(
        "vision.coherence",
        "Read the vision alike",
        "How alike two people's readings of the vision are, for a typical pair.",
        SCORE,
        banded=alike_band,
    ),
    replace(
        _m(
            "vision.effective_interpretations",
            "Distinct readings of the vision",
            "How many different readings the answers split into, in effect; 1 is one shared "
            "reading.",
            COUNT,
            False,
        ),
        no_band=f"{ONE_READING}; {NOT_MEASURED}",
    ),
    replace(
        _m(
            "vision.contradicts",
            "Contradict the vision",
            (
                "People whose restatement contradicts a part of the vision or its statement. A "
                "lower bound: a reversal in other words (“keep” against “stop”) can go "
                "unflagged, so read the readings quoted below (a reading is quoted once enough people "
                "share it)."
            ),
            SHARE,
            False,
        ),
        aside=CONTRADICTS_ASIDE,
    ),
    replace(
        _m(
            "vision.may_deny",
            "May deny the vision",
            (
                "People whose restatement negates a word the vision says on the same topic "
                "(“not captured”, “still retyped”), or says one it negates, and is not counted as "
                "contradicting it: too few of these flags are right to count them."
            ),
            SHARE,
            None,
        ),
        aside=MAY_DENY_ASIDE.format(source="the vision"),
    ),
    replace(
        _m(
            "priorities.names_top_goal",
            "Name the #1 goal",
            "People who name the first-ranked goal among their top priorities.",
            SHARE,
        ),
        no_band=NOT_MEASURED,
    ),
    replace(
        _m(
            "priorities.ranking_agreement",
            "Rank the goals as officially ranked",
            "How closely the order people name goals in follows the official ranking (1: the "
            "same, −1: reversed).",
            CORRELATION,
        ),
        no_band=NOT_MEASURED,
    ),
    # A statement, not an instruction: "See how their work serves a goal" read as a link, and
    # "their" had no subject. No cut is measured for it (docs/measures.md), so none is drawn.
    Measure(
        "line_of_sight.linked",
        "People who see how their work serves a goal",
        "People whose “why my work matters” names one of the goals (line of sight).",
        SHARE,
        True,
        no_band=NOT_MEASURED,
    ),
    replace(
        _m(
            "direction.agree",
            "Agree with the direction",
            "People who answer 4 or 5 to “this is the right direction”.",
            SHARE,
        ),
        no_band=NOT_MEASURED,
    ),
    _m(
        "quadrant.aligned",
        "Understand and agree",
        "People who understand the vision and agree with it (aligned).",
        SHARE,
    ),
    _m(
        "quadrant.informed_dissent",
        "Understand but disagree",
        "People who understand the vision and disagree with it: a conversation to have.",
        SHARE,
        None,
    ),
    _m(
        "quadrant.faux_alignment",
        "Agree without understanding",
        "People who agree with the direction but understood something else (faux alignment).",
        SHARE,
        False,
    ),
    _m(
        "quadrant.confused",
        "Neither understand nor agree",
        "People who neither understand the vision nor agree with it (confused).",
        SHARE,
        False,
    ),
    # The alignment dashboard's other signals.
    _m(
        "team.vision_fidelity",
        "Team understands the vision",
        "How closely the team's own words convey the vision: its row of the check-in's "
        "“Understand the vision”.",
        SCORE,
        banded=understanding_band,
    ),
    _m(
        "team.vision_coherence",
        "Team reads the vision alike",
        "How alike the team's readings of the vision are, for a typical pair of its people.",
        SCORE,
        banded=alike_band,
    ),
    _m(
        "functions.vision_coherence",
        # Named apart from the check-in's "Read the vision alike": both are coherences of the
        # same answers, and "Vision read alike, function to function" (37) was read as that
        # check-in's figure (42).
        "How alike functions read the vision",
        "How alike one function's readings of the vision are to another's, averaged over every "
        "pair of functions: function against function, where a check-in's “Read the vision "
        "alike” is person against person.",
        SCORE,
        banded=alike_band,
    ),
    _m(
        "work.orphans",
        "Work supporting no goal",
        "Work items that support no goal (orphan work), of all the team's items to date.",
        SHARE,
        False,
        banded=orphan_band,
    ),
    _m(
        "roadmap.slipped",
        "Initiatives slipped",
        "Committed initiatives shipped, or forecast to ship, later than the date first "
        "committed to.",
        SHARE,
        False,
    ),
    _m(
        "vision.clarity",
        "Vision clarity",
        "Whether the vision says where, how it is measured, for whom and the outcome, in plain "
        "words.",
        SCORE,
    ),
    _m(
        "goals.clarity",
        "Goal clarity",
        "Whether each goal says what, why, why now and its metric, in plain words; the mean.",
        SCORE,
    ),
    _m(
        "claims.over_promises",
        "Claims that over-promise",
        "Claims to customers promising what is only planned or explored.",
        SHARE,
        False,
    ),
    # The glossary (divergence.py): how differently the functions read a term.
    _m(
        "glossary.divergence",
        "Functions read the term differently",
        "100 minus how alike each pair of functions' readings of the term are, on average; 0: "
        "every function means the same.",
        SCORE,
        False,
    ),
    _m(
        "glossary.pair_divergence",
        "Two functions read it differently",
        f"100 minus how alike two functions' readings are; from {divergence.READS_DIFFERENTLY:g} "
        "they read it as different senses of the word (benchmarks/term_divergence.py).",
        SCORE,
        False,
    ),
    _m(
        "glossary.canonical",
        "Convey the canonical definition",
        "How closely a function's reading conveys the definition the organisation agreed.",
        SCORE,
        banded=understanding_band,
    ),
    # The decision log (decisions/speed.py).
    _m(
        "decisions.latency",
        "Days to decide",
        "Median days from a decision being raised to it being made, over the decisions made in "
        "the last 90 days.",
        DAYS,
        False,
    ),
    # Updates (updates/notice.py): whether support heard of a change before customers did.
    _m(
        "updates.support_notice",
        "Customer success heard first",
        "Customer-facing changes shipped in the last 90 days that a published update told "
        "customer success and support about at least the workspace's notice days ahead.",
        SHARE,
        banded=every_change_band,
    ),
    # A decision's page (decisions/views.py, decisions/backbrief.py): its comments sorted by the
    # comment classifier (stance.py), and what its back-brief heard.
    _m(
        "decisions.questions",
        "Comments that ask",
        "A decision's comments that ask what it means: confusion, not disagreement.",
        SHARE,
        False,
    ),
    _m(
        "decisions.objections",
        "Comments that object",
        "A decision's comments that understand it and disagree: a conversation to have.",
        SHARE,
        None,
    ),
    _m(
        "decisions.support",
        "Comments in support",
        "A decision's comments that understand it and agree.",
        SHARE,
    ),
    _m(
        "decisions.backbrief_fidelity",
        "Heard the decision",
        "How closely people's own words, asked what was decided and why, convey the decision and "
        "its reasons.",
        SCORE,
        banded=understanding_band,
    ),
    _m(
        "market.needs_met",
        "Roadmap meets customer needs",
        "Customer needs that something on the roadmap addresses.",
        SHARE,
    ),
]
MEASURES: dict[str, Measure] = {m.key: m for m in _REGISTERED}

# A question other than the vision's (a goal's or a text's restatement) is named after its role.
ROLE_WORDS = {
    "priorities": "the priorities",
    "purpose": "why their work matters",
    # A check-in asking for a text in one's own words: a glossary term, a decision's back-brief.
    "open": "a text restated",
    "comment": "comments",
}
FIGURE_WORDS = {
    "fidelity": ("Convey the source", "How closely answers convey what they restate", SCORE),
    "coherence": ("Answers alike", "How alike two answers are, for a typical pair", SCORE),
    "effective_interpretations": ("Distinct readings", "Different readings, in effect", COUNT),
    "contradicts": ("Contradict the source", "Answers contradicting a part of the source", SHARE),
    "may_deny": (
        "May deny the source",
        "Answers negating a word the source says, or saying one it negates, not counted as "
        "contradicting it",
        SHARE,
    ),
}
FIGURE_ASIDES = {
    "contradicts": CONTRADICTS_ASIDE,
    "may_deny": MAY_DENY_ASIDE.format(source="the source"),
}
# Why someone's work matters is their own: an engineer and a seller give different reasons, and
# should. So how alike the reasons are is shown but not judged; what is judged is whether each
# names a goal (line_of_sight.linked). The seeds: alignment is "a collective sense of purpose and
# direction, not ... total consensus or conformity".
NOT_JUDGED = {"purpose.coherence", "purpose.effective_interpretations"}
DIFFERENT_WORK = (
    "no target: different work has different reasons; what counts is whether each names a goal "
    f"(“{MEASURES['line_of_sight.linked'].name}”)"
)


def measure(key: str) -> Measure:
    """The measure of a key: registered, or named after its question's role."""
    if key in MEASURES:
        return MEASURES[key]
    role, _, figure = key.partition(".")
    if figure not in FIGURE_WORDS:
        return Measure(key, key.replace("_", " ").replace(".", ": ").capitalize(), "", COUNT, None)
    name, meaning, unit = FIGURE_WORDS[figure]
    about = ROLE_WORDS.get(role, role.replace("_", " "))
    named = f"{name} ({about})"
    if key in NOT_JUDGED:
        return Measure(key, named, f"{meaning}.", unit, None, no_target=DIFFERENT_WORK)
    banded = {"fidelity": understanding_band, "coherence": alike_band}.get(figure)
    higher_is_better = None if figure == "may_deny" else figure in ("fidelity", "coherence")
    aside = FIGURE_ASIDES.get(figure, "")
    no_band = f"{ONE_READING}; {NOT_MEASURED}" if figure == "effective_interpretations" else ""
    return Measure(
        key, named, f"{meaning}.", unit, higher_is_better, banded, aside=aside, no_band=no_band
    )


# --- Values as a page shows them. A share arrives as a percentage (0-100), as the dashboard keeps
# it; report_value turns a report's fraction into one. ---


def rounded(value: float, decimals: int = 0) -> float:
    """A value as a page shows it, half away from zero as people round (42.5 → 43), where
    Python's round() and format go to the even neighbour (42): the one rounding of every page,
    the JSON twins' words and the command line, as Django's floatformat rounds. The float's
    last-place noise is dropped first, so 28.499999999999996 (0.285 × 100) reads 29."""
    exact = Decimal(repr(round(value, 9)))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def report_value(key: str, value: float) -> float:
    """A report's headline figure (shares as fractions) in the unit a page shows."""
    return value * 100 if measure(key).unit == SHARE else value


def shown(key: str, value: float | None) -> str:
    if value is None:
        return "—"
    unit, value = measure(key).unit, as_shown(key, value)
    if unit == SCORE:
        return f"{value:.0f} / 100"
    if unit == SHARE:
        return f"{value:.0f}%"
    if unit == CORRELATION:
        return f"{value:+.2f}".replace("-", "−")
    if unit == DAYS:
        return f"{value:g} days"
    return f"{value:.1f}"


DECIMALS = {SCORE: 0, SHARE: 0, COUNT: 1, CORRELATION: 2, DAYS: 1}


def rounded_change(key: str, change: float | None) -> float | None:
    """A change as precise as a page shows it: a change that shows as 0 is none."""
    return None if change is None else rounded(change, DECIMALS[measure(key).unit])


def shown_change(key: str, change: float | None) -> str:
    """A change: points of score, percentage points of a share ("−12 pts")."""
    change = rounded_change(key, change)
    if change is None:
        return ""
    unit = measure(key).unit
    if not change:
        return "no change"
    text = f"{change:+.{DECIMALS[unit]}f}" + (" pts" if unit == SHARE else "")
    return text.replace("-", "−")


def verdict(key: str, change: float | None) -> str:
    """'better', 'worse' or '' (no change that shows, or neither way is better)."""
    change = rounded_change(key, change)
    higher_is_better = measure(key).higher_is_better
    if not change or higher_is_better is None:
        return ""
    return "better" if (change > 0) == higher_is_better else "worse"


def verdict_words(key: str, value: float | None, change: float | None) -> str:
    """The verdict as a page words it: a change for the better that leaves the value in the poor
    band says so ("better, still high"), so a green change never reads as a good level."""
    said = verdict(key, change)
    band = measure(key).band
    if said != "better" or value is None or band is None or band_level(key, value) != "poor":
        return said
    return f"better, still {'high' if band.lower_is_better else 'low'}"


def as_shown(key: str, value: float) -> float:
    """A value rounded as the page shows it: its band is judged on that, so "35 / 100" is never
    called under 35."""
    unit = measure(key).unit
    return rounded(value, DECIMALS[unit]) if unit in DECIMALS else value


def band_level(key: str, value: float | None) -> str:
    """'good', 'fair' or 'poor' for a banded measure's value as shown; '' for the rest."""
    band = measure(key).band
    return "" if band is None or value is None else band.level(as_shown(key, value))


def band_words(key: str, value: float | None) -> str:
    """The band a value as shown falls in, in words ("partly shared"); '' where none."""
    band = measure(key).band
    return "" if band is None or value is None else band.words(as_shown(key, value))


def band_in_words(key: str) -> str:
    """What good looks like with the band below it, where the measure has one: "good is 60 or
    more; partly shared from 35"; else which way is better."""
    m = measure(key)
    band = m.band
    if band is None or band.lower_is_better or band.fair >= band.good:
        return m.good_looks_like
    return f"{m.good_looks_like}; {band.fair_words} from {band.fair:g}"


def in_words(key: str, value: float | None, answers: int | None = None) -> str:
    """The measure in a sentence: "46 / 100 — partly shared; good is 60 or more". A count of
    distinct readings given the number of `answers` is read against it: "7.0 among 7 answers:
    each answer a reading of its own — lower is better; 1 is one reading shared by all; …"."""
    if value is None:
        return ""
    m = measure(key)
    parts = [shown(key, value) + (f" ({m.aside})" if m.aside else "")]
    if answers and key.endswith(".effective_interpretations"):
        parts.append(readings_among(key, value, answers))
    if m.band is not None:
        parts.append(f" — {band_words(key, value)}; {m.good_looks_like}")
    elif m.good_looks_like:
        parts.append(f" — {m.good_looks_like}")
    return "".join(parts)


def readings_among(key: str, value: float, answers: int) -> str:
    """ " among 7 answers: each answer a reading of its own" where the readings, as shown, are
    as many as the answers (the most there can be: an answer that says nothing is no reading),
    so "7.0" reads as everyone apart rather than as a number with no scale; " among 35 answers
    (35 would be each answer a reading of its own)" otherwise."""
    among = f" among {answers} answer{'' if answers == 1 else 's'}"
    if answers < 2:
        return among
    if as_shown(key, value) >= answers:
        return f"{among}: each answer a reading of its own"
    return f"{among} ({answers} would be each answer a reading of its own)"


def alike_not_understood(alike: float | None, understood: float | None) -> str:
    """ "Reads it alike, but not as the vision says: understand the vision 9 / 100" where a
    group's people share one reading of the vision (alike in its good band) that conveys little
    of it (understanding in its poor band): alike alone would read as healthy. The one rule and
    sentence for every page showing a group's two scores (0-100): the alignment dashboard's
    teams, a check-in's functions and teams."""
    if band_level("vision.coherence", alike) != "good":
        return ""
    if band_level("vision.fidelity", understood) != "poor":
        return ""
    name, value = measure("vision.fidelity").name.lower(), shown("vision.fidelity", understood)
    return f"Reads it alike, but not as the vision says: {name} {value}"
