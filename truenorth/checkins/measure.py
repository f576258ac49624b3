"""Run the analysis package on a check-in's answers and keep the report."""

import copy
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.analysis import report as analysis
from truenorth.analysis.embed import Progress
from truenorth.analysis.measures import (
    DECIMALS,
    SHARE,
    alike_not_understood,
    as_shown,
    band_in_words,
    band_words,
    measure,
    report_value,
    rounded,
    verdict,
)
from truenorth.analysis.priorities import Goal
from truenorth.analysis.privacy import effective_threshold
from truenorth.analysis.report import at_threshold
from truenorth.bulk import update_rows
from truenorth.checkins.models import (
    NOT_PULSES,
    Answer,
    CheckIn,
    Invitation,
    Kind,
    Report,
    Response,
    Role,
    answered_in,
)
from truenorth.checkins.overlaps import (
    WouldDisclose,
    can_have_results,
    freeze,
    kept_at_close,
    refuse_if_subtractable,
    shown_group_names,
    shown_groups,
    withheld_when_shown,
    withhold,
)
from truenorth.embeddings.cache import cached_embedder
from truenorth.notifications import events as notify
from truenorth.sending import in_quotes
from truenorth.workspaces.figures import cached
from truenorth.workspaces.models import Function, Workspace


def analysis_inputs(checkin: CheckIn) -> dict:
    """The check-in's answers as the analysis package's plain objects."""
    responses = checkin.responses.all()
    respondents = [
        analysis.Respondent(str(r.pk), {"function": r.function, "team": r.team}) for r in responses
    ]
    questions, direction = [], {}
    answers = Answer.objects.filter(response__checkin=checkin).select_related("question")
    by_question: dict[int, dict[str, str]] = {}
    for answer in answers:
        if answer.question.kind == Kind.SCALE and answer.question.role == Role.DIRECTION:
            if answer.value is not None:
                direction[str(answer.response_id)] = answer.value
        else:
            by_question.setdefault(answer.question_id, {})[str(answer.response_id)] = answer.text
    for question in checkin.questions.select_related("source_vision"):
        if question.kind == Kind.TEXT:
            questions.append(
                analysis.Question(
                    key=f"q{question.position}",
                    prompt=question.prompt,
                    role=question.role,
                    source=question.source(),  # as asked, never a later version
                    answers=by_question.get(question.pk, {}),
                    parts=question.parts(),
                    source_label=question.source_label(),
                )
            )
    goals = [
        Goal(g.pk, g.title, g.why, g.rank, g.metric, tuple(g.names))
        for g in checkin.workspace.goals.all()
    ]
    return {
        "respondents": respondents,
        "questions": questions,
        "goals": goals,
        "direction": direction,
    }


class StillOpen(Exception):
    """Results appear only once a check-in closes (see docs/privacy.md)."""


def release_state(checkin: CheckIn) -> str:
    """Where the check-in's results stand: "open" (they appear when it closes), "closed" (ready
    to publish) or "final" (published; never computed again)."""
    if checkin.finalised_at is not None:
        return "final"
    return "closed" if checkin.closes_at <= timezone.now() else "open"


def previous_checkin(checkin: CheckIn) -> CheckIn | None:
    """The last check-in of the same template before this one asked of the same audience
    (CheckIn.audience_key), for trends. A pulse of Sales and Marketing set against one of the
    whole company would show mostly who was asked, not a change. None for a back-brief or a
    glossary check-in of its own: each asks about its own decision, update or terms, so the one
    before asked about something else and a change would mean nothing. One that never will have
    results (refused beside a check-in near it, or closed with too few answers) is passed over:
    a round one person skipped had cost the next round, answered by everyone, its trend."""
    if checkin.template in NOT_PULSES:
        return None
    asked = checkin.audience_key()
    earlier = (c for c in earlier_of_its_kind(checkin) if c.audience_key() == asked)
    return next((c for c in earlier if can_have_results(c)), None)


def earlier_of_its_kind(checkin: CheckIn):
    """The check-ins of its template that opened before it, latest first."""
    earlier = checkin.workspace.checkins.filter(
        template=checkin.template, opens_at__lt=checkin.opens_at
    )
    return earlier.prefetch_related("audience_teams").order_by("-opens_at", "-pk")


def asked_another_audience(checkin: CheckIn) -> str:
    """Why a pulse has no trend when the last one of its kind with results, or answers that can
    still have them, asked other people ('' when there is none, or it asked the same). One never
    answered, refused, or closed with too few answers has nothing a change is measured from."""
    earlier = [] if checkin.template in NOT_PULSES else earlier_of_its_kind(checkin)
    last = next((c for c in earlier if c.responses.exists() and can_have_results(c)), None)
    if last is None or last.audience_key() == checkin.audience_key():
        return ""
    return (
        f"the last check-in of its kind, {last.title}, asked a different audience "
        f"({last.audience_words()}; this one asked {checkin.audience_words()}), so a change "
        "would be mostly who was asked"
    )


def analyze(checkin: CheckIn, progress: Progress | None = None) -> Report:
    """Publish a closed check-in's results, once.

    Results are released only when the check-in has closed, so no one can compare an analysis
    at 5 answers with one at 6. Publishing finalises the check-in: the report is never computed
    again, and an anonymous check-in's answers keep only the groups the report shows.
    """
    if checkin.finalised_at is not None and hasattr(checkin, "report"):
        return checkin.report
    if release_state(checkin) == "open":
        raise StillOpen(
            f"{in_quotes(checkin.title)} is open until {checkin.closes_at:%-d %B %Y %H:%M}; "
            "its results appear when it closes."
        )
    # The round before is published first, when it can be: audited beside it, not after it.
    previous = previous_checkin(checkin)
    before = published_before(previous)
    refuse_if_subtractable(checkin)  # before the model's minutes of work, and again below
    data = run(checkin, progress)
    # Its groups that, beside the check-ins published near it, would give a few people away.
    withhold(data, refuse_if_subtractable(checkin, data))
    data[AUDITED_BY_ANSWERERS] = True
    if previous is None and (why := asked_another_audience(checkin)):
        data["trend_withheld"] = why
    if previous is not None and before is None:
        data["trend_withheld"] = (
            f"not compared with {previous.title}, the last check-in of its kind asked of the "
            "same audience: "
            + (
                "it is still open"
                if release_state(previous) == "open"
                else "it is not published, as beside the check-ins published near it its "
                "figures would give a few people's answers away"
            )
        )
    if previous is not None and before is not None:
        shown_before = at_threshold(before.data, checkin.threshold)
        if not analysis.scored_alike(data, shown_before):
            data["trend_withheld"] = (
                f"not compared with {previous.title}: its answers were scored by "
                f"{shown_before['scored_by']} and these by {data['scored_by']}, which read the "
                "same answers differently, so a change could be the model's"
            )
        elif comparable(checkin, previous):
            trend = analysis.trend(data, shown_before)
            label_versions(trend, vision_source(shown_before), vision_source(data))
            label_answers(trend, shown_before, data)
            data["trend"] = compared_trend(trend)
            data["trend_by_team"] = team_changes(checkin, data, previous, shown_before)
            data[TEAMS_JUDGED_BY_PEOPLE] = True
        else:
            data["trend_withheld"] = f"not compared with {previous.title}: " + differ_too_little(
                checkin, previous
            )
        data["previous"] = {"id": previous.pk, "title": previous.title}
    # Worked out before the write transaction, which holds SQLite's write lock from its start.
    relabelled = keep_only_shown_groups(checkin, data)
    with transaction.atomic():
        # Two check-ins of a workspace are published one after the other, each seeing the other.
        workspaces = Workspace.objects.select_for_update(no_key=True)
        workspaces.filter(pk=checkin.workspace_id).values("pk").get()
        if refuse_if_subtractable(checkin, data):
            raise WouldDisclose(
                f"{in_quotes(checkin.title)} was not published: a check-in near it was published "
                "meanwhile. Publish it again."
            )
        # Claim the publication with a conditional UPDATE: when two workers publish at once,
        # only the first one's report is ever shown (two reports would be two releases).
        now = timezone.now()
        claimed = CheckIn.objects.filter(pk=checkin.pk, finalised_at=None).update(finalised_at=now)
        if not claimed:
            return Report.objects.get(checkin=checkin)
        checkin.finalised_at = now
        report = save(checkin, data)
        freeze(checkin)  # before its answers lose the groups the report does not show
        update_rows(relabelled, ["function", "team"])
        if not checkin.asked_nobody():  # "results ready" of a check-in nobody was asked
            notify.results_ready(checkin)
    return report


def published_before(previous: CheckIn | None) -> Report | None:
    """The previous check-in's report to compare with, publishing it first when it has closed;
    None when it is open, or cannot be published beside the others (overlaps)."""
    if previous is None or release_state(previous) == "open":
        return None
    if hasattr(previous, "report"):
        return previous.report
    try:
        return analyze(previous)
    except WouldDisclose:
        return None


def vision_source(data: dict) -> str:
    """The version a report's vision restatements were scored against ("Vision v3"), or '' when
    it does not say (no vision asked, or a report published before sources were pinned)."""
    vision = next((q for q in data.get("questions", []) if q["role"] == "vision"), {})
    return vision.get("source", "")


# The figures that depend on how answers read the vision's text, besides the quadrant's places
# (all four are cut by understanding): its fidelity, the parts they contradict or may deny, and a
# team's fidelity on the alignment dashboard.
READ_AGAINST_THE_VISION = (
    "vision.fidelity",
    "vision.contradicts",
    "vision.may_deny",
    "team.vision_fidelity",
)


def scored_against_vision(figure: str) -> bool:
    """Whether a figure depends on how answers read the vision's text: understanding it, the
    parts they contradict, and the understanding × agreement places built on it."""
    return figure in READ_AGAINST_THE_VISION or figure.startswith("quadrant.")


def not_compared(figure: str, versions: tuple[str, str]) -> str:
    """Why a figure of `versions` (before, now) is not compared: a figure read against the vision
    is compared only with one read against the same version; '' where it may be compared."""
    if not scored_against_vision(figure) or versions[0] == versions[1]:
        return ""
    earlier, later = versions[0] or "an earlier version", versions[1] or "another version"
    return f"the earlier answers restated {earlier}, these {later}"


def compared(figure: str, before: float, now: float, versions: tuple[str, str]) -> dict:
    """The one rule for a change, wherever a page shows one (the check-in's "Since …", the
    alignment dashboard, an update): between two figures as shown (rounded as the page rounds
    them), so a change is the difference of the figures a reader sees, and none across versions
    of the vision for a figure read against it: {"change": number or None, "verdict": "better",
    "worse" or '', "not_compared": why not, or ''}. Figures in a page's unit ("47" for 47%)."""
    why = not_compared(figure, versions)
    if why:
        return {"change": None, "verdict": "", "not_compared": why}
    change = rounded(now - before, DECIMALS[measure(figure).unit])
    return {"change": change, "verdict": verdict(figure, change), "not_compared": ""}


def shown_value(figure: str, value: float) -> float:
    """A report's figure as a page shows it: in the page's unit, rounded as shown."""
    return as_shown(figure, report_value(figure, value))


def label_versions(trend: dict, before: str, now: str) -> None:
    """Name the versions each figure of understanding was measured against, so "of v2" stands
    next to "of v3" rather than passing for the same measure."""
    for name, figure in trend.items():
        if scored_against_vision(name):
            figure.update({"before_of": before, "now_of": now})


def label_answers(trend: dict, before: dict, now: dict) -> None:
    """Name how many answers each question's distinct readings were among, before and now: there
    can be no more readings than answers, so a rise in readings is read beside a rise in answers
    ("9.5 among 26 answers", "13.7 among 35 answers")."""
    answers = [
        {q["role"]: q.get("n") for q in report.get("questions", [])} for report in (before, now)
    ]
    for name, figure in trend.items():
        role, _, kind = name.partition(".")
        if kind == "effective_interpretations":
            figure.update(before_answers=answers[0].get(role), now_answers=answers[1].get(role))


def compared_trend(trend: dict) -> dict:
    """A report's "Since …" figures by the rule of `compared`: each change the difference of the
    two figures shown (in the report's unit: a share as a fraction), and, for a figure read
    against the vision across two versions of it, no change but why ("not_compared"). Reports
    published before it keep their figures; only the change is worked out again, and the versions
    named for understanding are named for every figure read against the vision."""
    versions = next(
        ((t["before_of"], t["now_of"]) for t in trend.values() if "before_of" in t), ("", "")
    )
    found = {}
    for name, figure in trend.items():
        figure = dict(figure)
        if scored_against_vision(name) and any(versions):
            figure.setdefault("before_of", versions[0])
            figure.setdefault("now_of", versions[1])
        said = compared(
            name,
            shown_value(name, figure["before"]),
            shown_value(name, figure["now"]),
            (figure.get("before_of", ""), figure.get("now_of", "")),
        )
        change = said["change"]
        if change is not None and measure(name).unit == SHARE:
            change = round(change / 100, 4)
        figure.update(change=change, not_compared=said["not_compared"])
        found[name] = figure
    return found


def alike_and_readings(trend: dict) -> dict[str, str]:
    """What the "Since …" table says under it, by question role, of the two figures of how alike
    the answers are, where both were compared and are judged: what each measures, what good
    looks like, and, where one got better and the other worse, how both hold. "Distinct readings
    of the vision +4.2 worse" beside "Read the vision alike +4 better" had said none of it."""
    said = {}
    for name, readings in trend.items():
        role, _, kind = name.partition(".")
        alike = trend.get(f"{role}.coherence")
        if kind != "effective_interpretations" or alike is None:
            continue
        if measure(name).higher_is_better is None:  # why one's own work matters: not judged
            continue
        if readings.get("change") is None or alike.get("change") is None:
            continue
        said[role] = alike_and_readings_in_words(role, alike, readings)
    return said


def alike_and_readings_in_words(role: str, alike: dict, readings: dict) -> str:
    alike_key, readings_key = f"{role}.coherence", f"{role}.effective_interpretations"
    words = (
        f"“{measure(alike_key).name}” is how close a typical pair of answers is, on the 0–100 "
        f"scale: higher is better, {measure(alike_key).good_looks_like}. "
        f"“{measure(readings_key).name}” is how many separate readings the answers split into, "
        "in effect (so to a tenth), and there can be no more readings than answers: "
        f"{measure(readings_key).good_looks_like}."
    )
    closer = verdict(alike_key, alike["change"])
    fewer = verdict(readings_key, readings["change"])
    if not closer or not fewer or closer == fewer:
        return words
    more = "more" if fewer == "worse" else "fewer"
    apart = (
        f" Here one got better and the other worse: a typical pair of answers "
        f"{'came closer' if closer == 'better' else 'grew further apart'}, yet the answers split "
        f"into {more} readings"
    )
    then, now = readings.get("before_answers"), readings.get("now_answers")
    if then and now and then != now and (now > then) == (more == "more"):
        apart += f", and {now} answers, against {then} before, leave room for {more}"
    return f"{words}{apart}."


class NotOpenYet(Exception):
    """A check-in that has not opened has nothing to close: moving its dates is what it needs."""


def close_checkin(checkin: CheckIn) -> str:
    """Stop taking answers now (the results can then be published), and keep why they cannot
    be, as it stands at closing (overlaps.kept_at_close): the reason to tell, or ''."""
    stop_taking_answers(checkin)
    return kept_at_close(checkin)  # after the write: SQLite's write lock is not held meanwhile


@transaction.atomic  # the row and its figures' new data version together (figures.py)
def stop_taking_answers(checkin: CheckIn) -> None:
    if checkin.opens_later():
        opens = date_format(timezone.localtime(checkin.opens_at), "DATETIME_FORMAT")
        raise NotOpenYet(
            f"{in_quotes(checkin.title)} has not opened yet (it opens {opens}), so there is "
            "nothing to close: change its dates instead."
        )
    checkin.closes_at = min(checkin.closes_at, timezone.now())
    checkin.save(update_fields=["closes_at"])


def run(checkin: CheckIn, progress: Progress | None = None) -> dict:
    threshold = checkin.threshold  # as promised to its people, or higher since
    return analysis.analyze_checkin(
        **analysis_inputs(checkin),
        threshold=threshold,
        embedder=cached_embedder(),
        progress=progress,
    )


def save(checkin: CheckIn, data: dict) -> Report:
    report, _ = Report.objects.update_or_create(
        checkin=checkin,
        defaults={
            "computed_at": timezone.now(),
            "data": data,
            "response_count": checkin.responses.count(),
        },
    )
    return report


def current_report(checkin: CheckIn) -> Report | None:
    """The published report as it may be shown now: cut to the check-in's threshold of today
    when it was computed under a lower one (at_threshold)."""
    report = getattr(checkin, "report", None)
    if report is None or checkin.finalised_at is None:
        return None
    report.data = at_threshold(report.data, checkin.threshold)
    if withheld := report.data.get("trend_withheld"):
        withheld = with_what_would_compare(withheld, report.data["threshold"])
        report.data = {**report.data, "trend_withheld": withheld}
    if report.data.get("trend"):  # as the rule of today says, for a report published before it
        report.data = {**report.data, "trend": compared_trend(report.data["trend"])}
    if not report.data.get(AUDITED_BY_ANSWERERS) and shown_groups(report.data):
        report.data = withheld_now(checkin, report.data)
    judged = report.data.get(TEAMS_JUDGED_BY_PEOPLE)
    if report.data.get("trend_by_team") and report.data.get("previous") and not judged:
        rows = teams_still_comparable(checkin, report.data)
        report.data = {**report.data, "trend_by_team": rows}
    return report


# Set on a report whose groups were audited as sums over the people who answered as well as
# those asked (overlaps.answered_audit), as they have been since 2026-12-06: a report published
# before is audited so when shown, against the check-ins published before it.
AUDITED_BY_ANSWERERS = "audited_by_answerers"


def withheld_now(checkin: CheckIn, data: dict) -> dict:
    """A report published before AUDITED_BY_ANSWERERS, without the groups that beside the
    check-ins published before it give away people by who answered (worked out once per change
    of the workspace's data)."""
    name = f"withheld_when_shown:{checkin.pk}"
    hidden = cached(checkin.workspace, name, lambda _: withheld_when_shown(checkin, data))
    if not hidden:
        return data
    data = copy.deepcopy(data)
    withhold(data, hidden)
    return data


# Set on a report whose "Each team since …" rows `comparable` judged by each team's people, as
# it has since 2026-12-06: only the rows of a report published before are judged again when
# shown, so a page listing many reports asks nothing more of the database for them.
TEAMS_JUDGED_BY_PEOPLE = "teams_judged_by_people"


def teams_still_comparable(checkin: CheckIn, data: dict) -> list[dict]:
    """Each team's row since the round before, judged again by `comparable` for the team: a
    report published on 2026-12-06 before the rule compared the people who answered in a team
    by their answers' labels, which publishing had generalised (a team of 4 engineers and 2
    designers keeps none), and set 6 answers against 5, giving the sixth one's."""
    previous = CheckIn.objects.filter(pk=data["previous"]["id"]).first()
    if previous is not None:
        know_who_answered([checkin, previous])
    rows = []
    for row in data["trend_by_team"]:
        team = row["team"]
        if "n_before" in row and (previous is None or not comparable(checkin, previous, team)):
            why = "the round before was deleted"
            if previous is not None:
                why = differ_too_little(checkin, previous, team)
            figures = [{"figure": f["figure"], "now": f["now"]} for f in row["figures"]]
            row = {"team": team, "n": row["n"], "not_compared": why, "figures": figures}
        rows.append(row)
    return rows


# --- What the database keeps of an anonymous check-in once its results are published ---


def keep_only_shown_groups(checkin: CheckIn, data: dict) -> list[Response]:
    """Reduce what an anonymous check-in's responses keep of their authors to groups the report
    shows, in combinations at least `threshold` responses share: the responses, relabelled in
    memory, for the publication to save (none for an attributed check-in)."""
    if not checkin.anonymous:
        return []
    threshold = data["threshold"]
    shown = shown_group_names(data)
    responses = list(checkin.responses.all())
    labels = [
        (
            r.function if r.function in shown["function"] else "",
            r.team if r.team in shown["team"] else "",
        )
        for r in responses
    ]
    labels = common_labels(labels, threshold)
    for response, (function, team) in zip(responses, labels, strict=True):
        response.function, response.team = function, team
    return responses


def common_labels(labels: list[tuple[str, str]], threshold: int) -> list[tuple[str, str]]:
    """The (function, team) labels generalised until every combination kept is shared by at
    least `threshold` rows or by none: a rare combination first loses its team, then its
    function; if fewer than `threshold` rows are left with no label at all, the rarest labelled
    rows lose theirs too (k-anonymity by suppression)."""
    labels = list(labels)
    for drop in (lambda f, t: (f, ""), lambda f, t: ("", "")):
        counts = Counter(labels)
        labels = [drop(*pair) if counts[pair] < threshold else pair for pair in labels]
    while 0 < labels.count(("", "")) < threshold:
        counts = Counter(pair for pair in labels if pair != ("", ""))
        if not counts:
            break
        rarest = min(counts, key=lambda pair: (counts[pair], pair))
        labels = [("", "") if pair == rarest else pair for pair in labels]
    return labels


def comparable(checkin: CheckIn, other: CheckIn, team: str | None = None) -> bool:
    """Whether two check-ins' figures (or one team's) may be compared: answered by the same
    people, or by sets of people that differ by at least the threshold — else the change could
    be one person's answer. Every trend between two rounds asks it: the report's, each team's
    row since the round before, and the dashboard's lines."""
    threshold = effective_threshold(max(checkin.threshold, other.threshold))
    a, b = checkin.answered_by, other.answered_by
    if a is None or b is None:  # answers imported without invitations: only sizes are known
        if team is not None:
            # A team's size in a published round is not known either: its answers' labels are
            # generalised when published (a team of 4 engineers and 2 designers keeps none), so
            # a count could read 0 where the report showed 6, and pass the test it should fail.
            return False
        return abs(answer_count(checkin, team) - answer_count(other, team)) >= threshold
    a_people = {p for p, t in a.items() if team is None or t == team}
    b_people = {p for p, t in b.items() if team is None or t == team}
    apart = a_people == b_people or len(a_people ^ b_people) >= threshold
    if team is not None and (checkin.team_guessed or other.team_guessed):
        # Some answered before the team they answered in was kept: their team is today's, a
        # guess. The answers' own labels must then differ by the threshold too. They alone are
        # not enough: published labels are generalised (a team of 4 engineers and 2 designers
        # keeps none), so a round's count can read 0 where its report showed 6.
        return apart and abs(answer_count(checkin, team) - answer_count(other, team)) >= threshold
    return apart


def differ_too_little(checkin: CheckIn, other: CheckIn, team: str | None = None) -> str:
    """Why `comparable` refused, and what would let the two be compared, in the words of its
    rule."""
    threshold = effective_threshold(max(checkin.threshold, other.threshold))
    who = "the people who answered" if team is None else f"the {team} team's people who answered"
    if checkin.answered_by is None or other.answered_by is None:  # imported: numbers only
        if team is not None:
            return (
                f"answers imported without invitations do not say who answered in the {team} "
                "team in each round, so a change could be one person's answer"
            )
        return (
            f"the numbers who answered differ by fewer than {threshold}, so a change could be "
            f"one person's answer; the two compare once they differ by {threshold} or more"
        )
    return (
        f"{who} differ by fewer than {threshold}, so a change could be one person's answer; "
        f"{ONCE_COMPARABLE.format(threshold=threshold)}"
    )


# What would let two rounds be compared (comparable's rule); "No trend: …" ends with it.
ONCE_COMPARABLE = (
    "the two compare once the same people answer both, or the people answering one and not the "
    "other number {threshold} or more"
)


def with_what_would_compare(withheld: str, threshold: int) -> str:
    """A report's "No trend" as today's words say it: reports published before they said what
    would allow a comparison end at "one person's answer"."""
    if withheld.endswith("so a change could be one person's answer"):
        return f"{withheld}; {ONCE_COMPARABLE.format(threshold=threshold)}"
    return withheld


def team_changes(checkin: CheckIn, data: dict, previous: CheckIn, before: dict) -> list[dict]:
    """The "Since …" table's rows for each team the report shows: its heatmap figures before
    and now with the change, by the rule of `compared`, where the team's people who answered
    are the same or differ by at least the threshold (`comparable` for the team); else no
    before figure, and why. Only where the whole check-in is compared: a team's change beside
    a whole withheld could tell what the people outside it did."""
    know_who_answered([checkin, previous])
    versions = (vision_source(before), vision_source(data))
    was = {row["name"]: row for row in heatmap(before, "team")["rows"]}
    rows = []
    # People in no team are no team: who they are moves as labels are generalised.
    for row in [row for row in heatmap(data, "team")["rows"] if row["name"] != "(none)"]:
        name, earlier = row["name"], was.get(row["name"])
        found = {"team": name, "n": row["n"], "not_compared": "", "figures": []}
        if earlier is None:
            found["not_compared"] = (
                f"{previous.title} does not show the {name} team (fewer than "
                f"{before['threshold']} of it answered, or it was hidden with a smaller group)"
            )
        elif not comparable(checkin, previous, name):
            found["not_compared"] = differ_too_little(checkin, previous, name)
        else:
            found["n_before"] = earlier["n"]
        for key, (now, _), (then, _) in zip(
            HEATMAP_KEYS, row["cells"], (earlier or row)["cells"], strict=True
        ):
            if now is None:
                continue
            figure = {"figure": key, "now": now}  # a list: PostgreSQL's jsonb loses dict order
            if "n_before" in found and then is not None:
                said = compared(key, shown_value(key, then), shown_value(key, now), versions)
                change = said["change"]
                if change is not None and measure(key).unit == SHARE:
                    change = round(change / 100, 4)
                figure.update(before=then, change=change, not_compared=said["not_compared"])
            found["figures"].append(figure)
        rows.append(found)
    return rows


def answer_count(checkin: CheckIn, team: str | None) -> int:
    counts = checkin.answers_per_team
    return sum(counts.values()) if team is None else counts.get(team, 0)


def know_who_answered(checkins: list[CheckIn]) -> None:
    """Fill in each check-in's answered_by and answers_per_team in two queries for all of them:
    a trend compares every pulse with the others, for every team."""
    ids = [checkin.pk for checkin in checkins]
    invited: dict[int, dict[int, str]] = defaultdict(dict)
    guessed: set[int] = set()
    rows = Invitation.objects.filter(checkin__in=ids, responded=True)
    for checkin_id, person_id, then, now in rows.values_list(
        "checkin_id", "person_id", "answered_team", "person__team__name"
    ):
        invited[checkin_id][person_id] = answered_in(then, now)
        if then is None:
            guessed.add(checkin_id)
    per_team: dict[int, dict[str, int]] = defaultdict(dict)
    counts = Response.objects.filter(checkin__in=ids).order_by().values_list("checkin_id", "team")
    for checkin_id, team, n in counts.annotate(n=Count("pk")):
        per_team[checkin_id][team] = n
    for checkin in checkins:
        checkin.answers_per_team = per_team[checkin.pk]
        checkin.answered_by = checkin.all_invited(invited[checkin.pk])
        checkin.team_guessed = checkin.pk in guessed


# Heatmap columns: (title, section of the report, figure, scale of the figure).
# Named by the registry of measures, so a column reads as the same measure does elsewhere.
HEATMAP_COLUMNS = [
    (measure(f"{section}.{figure}").name, section, figure, scale)
    for section, figure, scale in (
        ("vision", "fidelity", 100),
        ("vision", "coherence", 100),
        ("priorities", "names_top_goal", 1),
        ("line_of_sight", "linked", 1),
        ("direction", "agree", 1),
    )
]
# Each column's measure, as "section.figure".
HEATMAP_KEYS = [f"{section}.{figure}" for _, section, figure, _ in HEATMAP_COLUMNS]


def heatmap(report: dict, dimension: str) -> dict:
    """One row per group shown in the vision question's breakdown, a cell per measure."""
    sections = {
        "vision": next((q for q in report.get("questions", []) if q["role"] == "vision"), {})
    }
    sections.update(
        {name: report.get(name, {}) for name in ("priorities", "line_of_sight", "direction")}
    )
    by = sections["vision"].get("by", {}).get(dimension, {"groups": []})
    values = {
        (section, group["name"]): group
        for section, data in sections.items()
        for group in data.get("by", {}).get(dimension, {}).get("groups", [])
    }
    rows = [
        {
            "name": g["name"],
            "n": g["n"],
            "cells": [
                (values.get((section, g["name"]), {}).get(figure), scale)
                for _, section, figure, scale in HEATMAP_COLUMNS
            ],
            "warning": alike_not_understood(g.get("coherence"), g.get("fidelity")),
        }
        for g in by["groups"]
    ]
    for row in rows:
        # As the page shows a cell: with its band in words where its measure has one ("partly
        # shared"), so a number in a colour reads without the legend.
        row["shown"] = [
            (value, scale, band_words(f"{section}.{figure}", value), name)
            for (value, scale), (name, section, figure, _) in zip(
                row["cells"], HEATMAP_COLUMNS, strict=True
            )
        ]
        # Named as everywhere else on the page ("Engineering", "the Workflow team").
        row["label"], row["called"] = group_names(row["name"], dimension)
    return {
        "dimension": dimension,
        # Each column's name and what good looks like ("good is 60 or more").
        "columns": [
            {"name": name, "good": band_in_words(f"{section}.{figure}")}
            for name, section, figure, _ in HEATMAP_COLUMNS
        ],
        "rows": rows,
        # A colour grades a cell: a column with no healthy range has none, and says so.
        "uncoloured_in_words": uncoloured_in_words(),
        "hidden_groups": by.get("hidden_groups", 0),
        "hidden_n": by.get("hidden_n", 0),
        "hidden_in_words": hidden_in_words(by, dimension, report.get("threshold", 0)),
        # By the group's key, as the JSON twin gives them; the page names each by its label.
        "warnings": [(row["name"], row["warning"]) for row in rows if row["warning"]],
        "warnings_shown": [(row["label"], row["warning"]) for row in rows if row["warning"]],
    }


def uncoloured_in_words() -> str:
    """Why some columns of the function and team table have no colour: "No colour in “Name the
    #1 goal” and “Agree with the direction”: no healthy range has been measured for them, so
    their figures are not graded."; '' where every column has a range."""
    names = [
        in_quotes(name)
        for name, section, figure, _ in HEATMAP_COLUMNS
        if measure(f"{section}.{figure}").band is None
    ]
    if not names:
        return ""
    them = "them" if len(names) > 1 else "it"
    figures = "their figures are" if len(names) > 1 else "its figures are"
    return (
        f"No colour in {and_list(names)}: no healthy range has been measured for {them}, "
        f"so {figures} not graded."
    )


def shadow_label(shadow: dict) -> str:
    """A shadow priority as people wrote it ("SOC 2", its first quote), on the page and the
    command line alike; its distinctive words ("soc type ii") where no quote is kept."""
    return (shadow.get("quotes") or [""])[0] or " ".join(shadow.get("words") or [])


# --- Fidelity part by part: which parts of its source a question's answers convey ---

# The product's guidance: a part reads as understood when most people convey it, at least in part.
PART_CONVEYED_BY_MOST = 0.6


def part_coverage(question: dict, threshold: int) -> dict | None:
    """A question's "which parts people convey" table: a row for everyone, then one for each
    function and team the report shows; per part of the source, the share of answers conveying
    it at least in part and the share contradicting it; and what the table says in plain words.
    None for a question with no parts (no source, withheld, or from a report older than them)."""
    parts = question.get("parts")
    if not parts or question.get("suppressed") or "part_coverage" not in question:
        return None

    def row(figures: dict, name: str, called: str, dimension: str = "") -> dict:
        coverage = figures.get("part_coverage") or {}
        cells = []
        for part in parts:
            shares = coverage.get(part["key"])
            cells.append(
                {"covered": None, "contradicts": None}
                if shares is None
                else {
                    "covered": round(shares.get("conveys", 0) + shares.get("partly", 0), 3),
                    "contradicts": shares.get("contradicts") or 0,
                    "contradict_share": in_percent(shares.get("contradicts") or 0),
                }
            )
        return {
            "name": name,
            "called": called,
            "dimension": dimension,
            "n": figures.get("n"),
            "fidelity": figures.get("fidelity"),
            "cells": cells,
        }

    by = question.get("by", {})
    rows = [row(question, "Everyone", "everyone")]
    for dimension in ("function", "team"):
        for group in by.get(dimension, {}).get("groups", []):
            rows.append(row(group, *group_names(group["name"], dimension), dimension))
    hidden = [  # in a fixed order: PostgreSQL's jsonb does not keep a dict's order
        {
            "dimension": dimension,
            "groups": shown["hidden_groups"],
            "n": shown.get("hidden_n", 0),
            "words": hidden_in_words(shown, dimension, threshold),
        }
        for dimension in ("function", "team")
        if (shown := by.get(dimension, {})).get("hidden_groups")
    ]
    return {
        "key": question["key"],
        "source": question.get("source") or "the source",
        "parts": parts,
        "rows": rows,
        "hidden": hidden,
        "good": PART_CONVEYED_BY_MOST,
        "reading": parts_in_words(parts, rows, none_flagged(question)),
    }


def hidden_in_words(breakdown: dict, dimension: str, threshold: int) -> str:
    """Why a breakdown's hidden groups are not shown, in a sentence: "1 team (5 people) not
    shown: shown beside the other figures …, it would let a smaller group's answers be worked
    out by subtraction". A report published before it counted those under the threshold
    (hidden_small) was audited by a rule that could also hide a group giving no one away."""
    k, n = breakdown.get("hidden_groups", 0), breakdown.get("hidden_n", 0)
    if not k:
        return ""
    small = breakdown.get("hidden_small")
    would = (
        "shown beside the other figures here or in a check-in published near it, {} would let "
        "a smaller group's answers be worked out by subtraction"
    )
    if small is None and k == 1 and n >= threshold:
        why = (
            f"it has {threshold} people or more, and was hidden along with smaller groups by an "
            "earlier rule that could hide a group whose figures gave no one away"
        )
    elif small is None and k > 1:
        why = (
            f"each is under {threshold} people, or was hidden along with them so that none "
            "could be worked out by subtraction"
        )
    elif small == k or small is None:
        why = f"{'it is' if k == 1 else 'each is'} under {threshold} people"
    elif small == 0:
        why = would.format("it" if k == 1 else "each")
    else:
        others = "the other" if k - small == 1 else f"the other {k - small}"
        why = f"{small} {'is' if small == 1 else 'are'} under {threshold} people; " + would.format(
            others
        )
    plural = "" if k == 1 else "s"
    people = "person" if n == 1 else "people"
    return f"{k} {dimension}{plural} ({n} {people}) not shown: {why}."


def group_names(name: str, dimension: str) -> tuple[str, str]:
    """A group's name in a table, and in a sentence ("the Workflow team", so that a team is
    never taken for the function of the same name)."""
    if name == "(none)":
        return (
            ("No function given", "people with no function given")
            if dimension == "function"
            else ("No team", "people in no team")
        )
    if dimension == "function":
        label = Function(name).label if name in Function.values else name
        return label, label
    return name, f"the {name} team"


# No contradiction flagged is not none made: the count is a lower bound (docs/measures.md). Where
# the page quotes answers, the reader is sent to them.
UNFLAGGED = "a reversal in other words can go unflagged"
READ_THE_QUOTES = ", so read the quotes below"
NONE_FLAGGED = f"No answer was flagged as contradicting a part — {UNFLAGGED}"


def quotes_shown(question: dict) -> bool:
    """Whether the page quotes any answer to the question: a theme's, a reading's or an
    interpretation's quotes; where none is shared by the threshold, none is."""
    themes = (question.get("themes") or {}).get("groups", [])
    # A theme's readings are quoted where it has more than one.
    split = [(t.get("readings") or {}).get("groups", []) for t in themes]
    readings = [g for groups in split if len(groups) > 1 for g in groups]
    groups = [*themes, *readings, *(question.get("interpretations") or {}).get("groups", [])]
    return any(g.get("quotes") for g in groups)


def none_flagged(question: dict) -> str:
    """The part-by-part sentence where nothing was flagged, sending to the quotes only where
    there are some."""
    return NONE_FLAGGED + (READ_THE_QUOTES if quotes_shown(question) else "") + "."


def parts_in_words(
    parts: list[dict], rows: list[dict], nothing_flagged: str = NONE_FLAGGED + "."
) -> list[str]:
    """What a part-coverage table says, a sentence each: the part least conveyed; the group
    furthest behind everyone on a part; and the parts answers contradict."""
    everyone, groups = rows[0], rows[1:]
    labels = [f"“{p['label']}”" for p in parts]
    covered = [c["covered"] for c in everyone["cells"]]
    sentences = []
    if any(c is not None for c in covered):
        least = min(c for c in covered if c is not None)
        named = or_list([label for label, c in zip(labels, covered, strict=True) if c == least])
        sentences.append(
            f"Nobody conveys {named}, even in part."
            if least == 0
            else f"The part least conveyed is {named}: {in_percent(least)} of answers convey "
            "it, at least in part."
        )
    behind = [
        (cell["covered"], cell["covered"] - overall, overall, group["called"], label)
        for group in groups
        for cell, overall, label in zip(group["cells"], covered, labels, strict=True)
        if cell["covered"] is not None and overall is not None and cell["covered"] < overall
    ]
    if behind:
        share, _, overall, called, label = min(behind)
        called = called[:1].upper() + called[1:]
        sentences.append(
            f"{called}: nobody mentions {label}."
            if share == 0
            else f"{called}: only {in_percent(share)} convey {label}, against "
            f"{in_percent(overall)} of everyone."
        )
    contradicted = []
    for i, label in enumerate(labels):
        overall = everyone["cells"][i]["contradicts"] or 0
        most = max((g["cells"][i]["contradicts"] or 0 for g in groups), default=0)
        if overall > 0 or most > 0:
            where = [g["called"] for g in groups if (g["cells"][i]["contradicts"] or 0) == most]
            most_in = f", most in {and_list(where)} ({in_percent(most)})" if most > 0 else ""
            contradicted.append((-overall, label, most_in))
    clauses = [
        f"{label} {in_percent(-minus)}{most_in}" for minus, label, most_in in sorted(contradicted)
    ]
    if clauses:
        sentences.append(f"Answers contradicting a part: {'; '.join(clauses)}.")
    elif sentences:
        sentences.append(nothing_flagged)
    return sentences


def in_percent(share: float) -> str:
    return "under 1%" if 0 < share < 0.005 else f"{rounded(share * 100):.0f}%"


def and_list(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def or_list(items: list[str]) -> str:
    return and_list(items, "or")
