"""Which check-ins the alignment dashboard reads, chosen on purpose rather than "the last one
analysed".

- The company's figures come from a company-wide check-in (asked of everyone in the workspace):
  the one an editor pinned, else the latest company-wide one with results. A pulse asked of one
  function or team never stands for the company.
- A check-in with no results (not published yet, or too few answers to show anything) never
  blanks the dashboard: the figures fall back to the latest company-wide check-in that has
  results, and the dashboard says which and why. One closed without being sent (nobody was
  asked) is not the latest of anything: the dashboard passes it over without a word.
- A team's own figures come from the latest check-in of the source's kind that asked the team:
  a company-wide one, or one asked of chosen teams with it among them (asked_of_teams).
- A check-in asked of chosen functions or teams shows in its group's place ("Sales pulse — 6
  people in Sales"), with its whole-check-in figures only and no trend, and only when at least
  the anonymity threshold answered. Set beside the company's check-ins or another group's, it
  could be subtracted from them, so it is shown only when its people and theirs are the same or
  differ by at least the threshold: the rule a trend follows (measure.comparable).
"""

from dataclasses import dataclass, field

from truenorth.analysis.report import REPORT_SECTIONS, scored_alike
from truenorth.checkins.measure import comparable, current_report, know_who_answered
from truenorth.checkins.models import NOT_PULSES, CheckIn
from truenorth.sending import in_quotes
from truenorth.workspaces.models import Workspace

PINNED = "pinned"
LATEST = "latest company-wide"

Pulses = list[tuple[CheckIn, dict]]


@dataclass
class Source:
    """The check-ins the company's figures come from, the source last, and why it was chosen."""

    pulses: Pulses = field(default_factory=list)
    reason: str = ""  # PINNED or LATEST; '' when there is no check-in with results
    passed_over: str = ""  # the check-in that would have been the source, and why it is not

    @property
    def checkin(self) -> CheckIn | None:
        return self.pulses[-1][0] if self.pulses else None

    def as_dict(self) -> dict:
        checkin = self.checkin
        return {
            "checkin": {"id": checkin.pk, "title": checkin.title} if checkin else None,
            "reason": self.reason,
            "passed_over": self.passed_over,
        }


@dataclass
class GroupPulse:
    """A check-in asked of chosen functions or teams, shown in its group's place."""

    checkin: CheckIn
    data: dict
    respondents: int
    audience: str  # "Sales", "Sales and the Platform team"

    @property
    def label(self) -> str:
        return f"{self.checkin.title} — {self.respondents} people in {self.audience}"


def published(workspace: Workspace) -> Pulses:
    """Every check-in with a published report, as it may be shown today, oldest first. A
    decision's back-brief is not among them: it measures what people heard of one decision, not
    the alignment of a group, and shows on the decision's page. Nor is a glossary check-in of its
    own: it asks what words mean, read on the terms' pages (NOT_PULSES)."""
    checkins = (
        workspace.checkins.exclude(template__in=NOT_PULSES)
        .select_related("report")
        .prefetch_related("audience_teams")
        .order_by("opens_at", "pk")
    )
    return [(c, r.data) for c in checkins if (r := current_report(c)) is not None]


def has_results(data: dict) -> bool:
    """Whether a published report has anything to show: not withheld whole (too few answered),
    nor every section withheld."""
    if data.get("suppressed"):
        return False
    sections = [*data.get("questions", []), *(data.get(name) for name in REPORT_SECTIONS)]
    return any(section and not section.get("suppressed") for section in sections)


def asked_nobody(checkin: CheckIn, data: dict) -> bool:
    """Closed without being sent: it has no results because nobody was asked, so it is no one's
    latest check-in (the answers counted first, as a report holds them)."""
    return not data.get("respondents") and checkin.asked_nobody()


def why_no_results(checkin: CheckIn, data: dict | None) -> str:
    if data is None:
        return "its results are not published yet"
    if asked_nobody(checkin, data):
        return "it closed without being sent: nobody was asked"
    if data.get("suppressed"):
        return f"fewer than {data['threshold']} people answered it"
    return "none of its figures can be shown"


def choose_source(workspace: Workspace, reported: Pulses) -> Source:
    """The company's source: the pinned check-in when it has results, else the latest
    company-wide one that has; with the earlier company-wide check-ins of its kind."""
    company = [(c, data) for c, data in reported if c.company_wide]
    with_results = [(c, data) for c, data in company if has_results(data)]
    pinned = workspace.checkins.filter(pinned=True).first()
    by_id = dict((c.pk, data) for c, data in company)
    if pinned is not None and pinned.pk in {c.pk for c, _ in with_results}:
        return Source(history(with_results, pinned), PINNED)
    passed_over = ""
    if pinned is not None:
        why = why_no_results(pinned, by_id.get(pinned.pk))
        if not pinned.company_wide:  # pinned before its audience changed, or in the admin
            why = f"it asked {pinned.audience_words()} only"
        passed_over = f"{in_quotes(pinned.title)} is pinned, but {why}."
    elif asked := [(c, data) for c, data in company if not asked_nobody(c, data)]:
        latest, data = asked[-1]  # one closed without being sent is nobody's latest
        if not has_results(data):
            why = why_no_results(latest, data)
            passed_over = f"{in_quotes(latest.title)} is the latest, but {why}."
    if not with_results:
        return Source(passed_over=passed_over)
    return Source(history(with_results, with_results[-1][0]), LATEST, passed_over)


def history(pulses: Pulses, source: CheckIn) -> Pulses:
    """The source and the earlier check-ins of its kind, oldest first (the trend's candidates)."""
    kept = [
        (c, data)
        for c, data in pulses
        if c.template == source.template and (c.opens_at, c.pk) <= (source.opens_at, source.pk)
    ]
    know_who_answered([c for c, _ in kept])  # comparable_chain asks it of every one
    return kept


def asked_of_teams(reported: Pulses, source: Source) -> dict[str, Pulses]:
    """The check-ins asked of chosen teams, by team, oldest first: those of the source's kind
    (the same questions) with results, and, when an editor pinned the source, none after it.
    A team's own figures come from the latest check-in that asked it (signals.team_vision): a
    team that ran its own round after the company's expects that round to count."""
    kind = source.checkin
    if kind is None:
        return {}
    found: dict[str, Pulses] = {}
    for checkin, data in reported:
        if checkin.company_wide or checkin.template != kind.template or not has_results(data):
            continue
        if source.reason == PINNED and (checkin.opens_at, checkin.pk) > (kind.opens_at, kind.pk):
            continue
        for team in checkin.audience_teams.all():
            found.setdefault(team.name, []).append((checkin, data))
    know_who_answered([c for pulses in found.values() for c, _ in pulses])
    return found


def group_pulses(workspace: Workspace, reported: Pulses, shown: Pulses) -> list[GroupPulse]:
    """The latest check-in with results of each targeted audience, newest first: only those that
    at least the threshold answered, and only those comparable with every check-in already
    `shown` and with each other (answered by the same people or by sets differing by at least the
    threshold) and scored alike with them, so no figure here set against another tells what a
    few people answered, or what a change of model did."""
    threshold = workspace.anonymity_threshold
    candidates = [
        (checkin, data)
        for checkin, data in reversed(reported)
        if not checkin.company_wide
        and has_results(data)
        and data.get("respondents", 0) >= max(data.get("threshold", 0), threshold)
    ]
    know_who_answered([c for c, _ in candidates + shown])
    kept: dict[str, GroupPulse] = {}
    for checkin, data in candidates:
        audience = checkin.audience_words()
        others = shown + [(group.checkin, group.data) for group in kept.values()]
        if audience in kept or not all(
            comparable(checkin, other) and scored_alike(data, other_data)
            for other, other_data in others
        ):
            continue
        kept[audience] = GroupPulse(checkin, data, data["respondents"], audience)
    return list(kept.values())
