"""Check-ins asked at about the same time of audiences that overlap.

Check-in A asks the Tiger team (3 people) and Sales (5), check-in B asks Sales only: each report
is safe on its own, but 8 × A's mean − 5 × B's mean is the Tiger team's answers. So a check-in
whose audience differs from a published one's by 1 to threshold − 1 people is never published
beside it (docs/privacy.md, Limits). Subtraction also works across three or more check-ins, and
with the groups a report breaks its figures down by: Platform+Sales, Sales+Support and
Platform+Support give 2 × Platform; Platform+Sales less another check-in's Sales team gives
Platform. So before a check-in is published, every figure of the check-ins published near it is
audited with its own as one family of sums over people (truenorth.analysis.disclosure): its
breakdown groups taking part in a disclosure are withheld, and when its whole figure still takes
part it is not published. Back-briefs take part like any check-in: a figure over the same people
subtracts from another whatever the question, when the questions are alike. The audit runs over
the people each check-in asked, and again over those who answered it: two pulses asked of the
same people, a team answering the first in full and the second one person short, give that
person's answer (answered_audit).

Only check-ins near in time are compared: people's answers move over weeks, and a quarterly
pulse after a hire or two must still be publishable. Imported answers have no time of their own:
the same file imports alike into a check-in given any dates, so a check-in holding them is near
every other.
"""

import zoneinfo
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.analysis.disclosure import Disclosure, Members, disclosure_using
from truenorth.analysis.report import DIMENSIONS, REPORT_SECTIONS
from truenorth.checkins.actions import imported_answers
from truenorth.checkins.models import (
    BACK_BRIEF,
    CheckIn,
    Delivery,
    Invitation,
    Report,
    Response,
    answered_in,
)
from truenorth.notifications import events as notify
from truenorth.sending import in_quotes
from truenorth.workspaces.figures import cached

# Check-ins compared: those open at the same time, or within this long of each other. Answers
# given a month apart still restate much the same vision; a quarterly pulse is further apart.
NEAR = timedelta(days=30)

Group = tuple[str, str]  # a breakdown group of a report: (dimension, name), e.g. ("team", "Sales")
GroupKey = tuple[str, str]  # the (team, function) of answers imported without their author


class WouldDisclose(Exception):
    """Publishing would let its figures be subtracted from another check-in's."""


def asked_people(checkin: CheckIn) -> set[str]:
    """The people its figures are over (people_by_group): those it asked, or those whose
    answers were imported."""
    return people_by_group([checkin])[checkin.pk][None]


def near_in_time(checkin: CheckIn):
    """The workspace's other check-ins, back-briefs included, open at the same time or within
    NEAR of it. Every other one for a check-in whose answers were imported, and those for any:
    its dates are whatever its editor gave it (a backdated copy of an import, one answer short,
    was published beside it)."""
    others = checkin.workspace.checkins.exclude(pk=checkin.pk).order_by("opens_at", "pk")
    if imported_answers(checkin):
        return others
    near = Q(opens_at__lt=checkin.closes_at + NEAR, closes_at__gt=checkin.opens_at - NEAR)
    return others.filter(near | holding_imported_answers())


def holding_imported_answers() -> Q:
    """The check-ins whose answers were imported, as actions.imported_answers counts them:
    answers, and no invitation."""
    invited = Invitation.objects.filter(checkin=OuterRef("pk"))
    answered = Response.objects.filter(checkin=OuterRef("pk"))
    return Q(Exists(answered)) & ~Q(Exists(invited))


def too_close(
    checkin: CheckIn, published_only: bool = False, before: datetime | None = None
) -> list[tuple[CheckIn, int]]:
    """The check-ins near in time that have results or can still have them (with_results)
    whose audience differs from this one's by 1 to threshold − 1 people, each with that
    number; only those published (before `before`, when given) if `published_only`."""
    return [(other, len(differ)) for other, differ in differing(checkin, published_only, before)]


def differing(
    checkin: CheckIn, published_only: bool = False, before: datetime | None = None
) -> list[tuple[CheckIn, set[str]]]:
    """too_close, each with the people in one audience and not in the other."""
    others = near_in_time(checkin).select_related("report")
    if published_only:
        others = others.filter(finalised_at__isnull=False)
    if published_only and before is not None:
        others = others.filter(finalised_at__lt=before)
    others = with_results(others)
    people = people_by_group([checkin, *others])  # in a few queries, however many there are
    mine, found = people[checkin.pk][None], []
    for other in others:
        differ = mine ^ people[other.pk][None]
        if few_apart(checkin, other, differ):
            found.append((other, differ))
    return found


def few_apart(checkin: CheckIn, other: CheckIn, differ: set[str]) -> bool:
    """Whether audiences differing by `differ` would let one be subtracted from the other."""
    return 0 < len(differ) < max(checkin.threshold, other.threshold)


def no_longer_active(checkin: CheckIn, people: set[str]) -> int:
    """How many of `people` (ids, as people_by_group gives them) were erased or deactivated
    since: no check-in can ask them again. The made-up stand-ins of imported answers are
    nobody's."""
    ids = {int(person) for person in people if person.isdigit()}
    active = checkin.workspace.people.filter(pk__in=ids, active=True)
    return len(ids) - active.count()


def with_results(checkins) -> list[CheckIn]:
    """Those that have results or can still have them (can_have_results); the open ones that
    never can are found for all of them at once (refused_while_open)."""
    checkins = list(checkins)
    refused = refused_while_open(checkins)
    return [c for c in checkins if c.pk not in refused and has_or_awaits_results(c)]


def can_have_results(checkin: CheckIn) -> bool:
    """Whether it has results or can still have them: published with figures, still open and
    publishable, or closed and publishable with at least the threshold of answers. One
    published or closed with too few answers shows no figure, and one whose publication is
    refused for good never will: closed and refused, or open, sent, and asking people who
    differ by a few from a check-in published near it (refused_while_open). A warning naming
    it ("only the first of the two to be published can be") warned of nothing: until 2026-12-07
    every later round was told to wait a month, or to ask other people, for such an open one.
    Nothing subtracts from a figure never shown, and publishing audits afresh beside whatever
    is published by then, so no two rounds a few people apart are ever both published."""
    return bool(with_results([checkin]))


def has_or_awaits_results(checkin: CheckIn) -> bool:
    """can_have_results, without asking whether an open one is refused for good
    (refused_while_open asks it of many at once)."""
    if checkin.finalised_at is not None:
        report = getattr(checkin, "report", None)
        return report is None or report.data.get("suppressed") is not True
    if checkin.closes_at > timezone.now():
        return True
    return checkin.responses.count() >= checkin.threshold and not publication_refused_shown(checkin)


def refused_while_open(checkins: list[CheckIn]) -> set[int]:
    """Of these check-ins, the pks of those sent and still open that can never be published:
    whom each asked differs by 1 to threshold − 1 people from a check-in published near it
    (pairwise_refusal, as never_publishable words it), whose results are final, and more
    answers change nothing, since who was asked makes its figures. One not sent yet is not
    among them: whom it asks can still change (its page warns of it instead); nor is one whose
    answers were imported: it sends no link, and importing others' answers would change whom
    it counts. In a few queries, however many there are: a list, a page's warnings."""
    now = timezone.now()
    unpublished = {c.pk: c for c in checkins if c.finalised_at is None and c.closes_at > now}
    if not unpublished:
        return set()
    invited = Invitation.objects.filter(checkin__in=list(unpublished))
    sent_ids = set(invited.values_list("checkin_id", flat=True).distinct())
    sent = [c for pk, c in unpublished.items() if pk in sent_ids]
    if not sent:
        return set()
    published = published_with_figures_near(sent)
    people = people_by_group([*sent, *published])
    return {
        mine.pk
        for mine in sent
        for other in published
        if near(mine, other)
        and few_apart(mine, other, people[mine.pk][None] ^ people[other.pk][None])
    }


def published_with_figures_near(checkins: list[CheckIn]) -> list[CheckIn]:
    """The check-ins published with figures (has_or_awaits_results) near in time to any of
    these, each with `imported` (holding imported answers: near every other, near_in_time)."""
    first = min(c.opens_at for c in checkins)
    last = max(c.closes_at for c in checkins)
    withheld = Report.objects.filter(checkin=OuterRef("pk"), data__suppressed=True)
    imported = ExpressionWrapper(holding_imported_answers(), output_field=BooleanField())
    near_any = Q(opens_at__lt=last + NEAR, closes_at__gt=first - NEAR) | holding_imported_answers()
    published = checkins[0].workspace.checkins.filter(near_any, finalised_at__isnull=False)
    return list(published.exclude(Exists(withheld)).annotate(imported=imported))


def near(checkin: CheckIn, other: CheckIn) -> bool:
    """near_in_time, for a check-in that sent links and one of published_with_figures_near."""
    if getattr(other, "imported", False):
        return True
    return other.opens_at < checkin.closes_at + NEAR and other.closes_at > checkin.opens_at - NEAR


def never_publishable(checkin: CheckIn) -> str:
    """Why an unpublished check-in can never be published as it asks, whatever answers come, or
    '': whom it asked (before its first send: whom it would ask) differs by a few people from a
    check-in published near it, whose results are final (pairwise_refusal). Before its first
    send it is said of sending it as it is. One whose answers were imported is never so:
    importing others' answers would change whom it counts."""
    if checkin.finalised_at is not None or imported_answers(checkin):
        return ""
    if not checkin.asked_nobody():
        return pairwise_refusal(checkin)
    for other, differ in differing(checkin, published_only=True):
        return (
            f"Sent as it is, its results could never be shown: "
            f"{subtraction_in_words(other, len(differ))}. {advice_beside(checkin, other, differ)}"
        )
    return ""


def never_published_words(checkin: CheckIn) -> str:
    """What its invitations, reminders and answer page tell the person answering when its
    results can never be published (never_publishable), '' otherwise: answering still saves
    their answers, which are never published. Worked out once per change of the workspace's
    data, as every opening of a link asks it."""
    name = f"never_publishable:{checkin.pk}"
    if not cached(checkin.workspace, name, lambda _: bool(never_publishable(checkin))):
        return ""
    named = "anonymous" if checkin.anonymous else "attributed to you"
    return (
        f"Your answers are {named}. This check-in's results will never be published, because "
        "it asks almost the same people as one already published and together they would give "
        "a few people's answers away; your answers are still saved, but stay unpublished."
    )


def subtraction_in_words(other: CheckIn, differ: int) -> str:
    people = "1 person" if differ == 1 else f"{differ} people"
    whose = "that person's answers" if differ == 1 else f"those {differ} people's answers"
    return (
        f"its audience differs from {in_quotes(other.title)} by {people}: publishing both would "
        f"let anyone subtract one from the other and read {whose}"
    )


def publication_refused(checkin: CheckIn, before: datetime | None = None) -> str:
    """Why its results cannot be published beside the check-ins published near it (before
    `before`, when given), or ''. One nobody was asked has no figure to subtract: closing it
    unsent is never refused."""
    if checkin.asked_nobody():
        return ""
    return pairwise_refusal(checkin, before) or audit(checkin, before=before).refused


def closing_refused(checkin: CheckIn) -> str:
    """Why it may not be closed early, or '': its results could not be published beside the
    check-ins published near it, and closing is for good, so it is left taking answers. One not
    open yet is not refused here: closing it says it has nothing to close."""
    return "" if checkin.opens_later() else publication_refused(checkin)


def refused_when_closed(checkin: CheckIn) -> str:
    """Why its results could not be published as things stood when it closed: beside the
    check-ins published near it by then, or ''. Those published later are not its cause."""
    return publication_refused(checkin, before=checkin.closes_at)


def publication_refused_shown(checkin: CheckIn) -> str:
    """publication_refused for a page or the API to show, worked out once per change of the
    workspace's data and of its answers (answering changes no figure, but who answered is
    audited): every look at a check-in, and every closed one in a list, asks it, and its audit
    solves an integer program. Publishing itself asks afresh.

    While it is still refused, the reason kept when it closed or when publishing it was
    refused (refused_for_good), else, closed, the reason as it stood when it closed: worked
    out again, it named the rounds published near it since, as if they had caused it, and
    moved its date. Publishable again (the check-in it was refused beside is gone), it says
    so."""
    name = f"publication_refused:{checkin.pk}:{checkin.responses.count()}"
    now = cached(checkin.workspace, name, lambda _: publication_refused(checkin))
    if not now or checkin.refused_because or checkin.closes_at > timezone.now():
        return (checkin.refused_because or now) if now else ""
    then = cached(checkin.workspace, f"{name}:closed", lambda _: refused_when_closed(checkin))
    return then or now


def if_closed_now(why: str) -> str:
    """An open check-in's refusal, said of closing it now (every refusal opens with
    "“<title>” cannot be published: ")."""
    _, _, reason = why.partition(" cannot be published: ")
    return f"If it closed now, its results could not be published: {reason or why}"


def kept_at_close(checkin: CheckIn) -> str:
    """Keep why its results cannot be published, as it stands now that it has closed, and
    return it; '' when they can be, or nobody was asked. Whoever closes it keeps it: a round
    published near it later is no cause of it, and must not read as one."""
    if checkin.asked_nobody():
        return ""
    why = publication_refused(checkin)
    return kept(checkin, why) if why else ""


def refused_for_good(checkin: CheckIn, why: str) -> str:
    """Keep why publishing the closed check-in was refused, and when, as first decided, and
    return the reason to tell: the one kept. A later refusal keeps the first one's words; the
    first, where it was already refused when it closed, gives the reason as it stood then
    (refused_when_closed), not one naming a round published since."""
    if not checkin.refused_because:
        why = refused_when_closed(checkin) or why
    return kept(checkin, why)


def kept(checkin: CheckIn, why: str) -> str:
    """Keep the first reason, and tell those who follow results of it, once: the first to keep
    one tells (a conditional UPDATE), as "Closed without results" is told of a round with too
    few answers."""
    unrefused = CheckIn.objects.filter(pk=checkin.pk, refused_because="")
    with transaction.atomic():
        if unrefused.update(refused_because=why, refused_at=timezone.now()):
            notify.publication_refused(checkin, why)
    checkin.refresh_from_db(fields=["refused_because", "refused_at"])
    return checkin.refused_because or why


def pairwise_refusal(checkin: CheckIn, before: datetime | None = None) -> str:
    """Why a published check-in whose audience differs from its own by a few people stops it
    (one published before `before`, when given). Where some of those it asked and this one did
    not have left since, no check-in can ask the same people again: it says so, and gives what
    works, as the warning does (pair_warning)."""
    for other, differ in differing(checkin, published_only=True, before=before):
        said = (
            f"{in_quotes(checkin.title)} cannot be published: "
            f"{subtraction_in_words(other, len(differ))}. Its answers stay unpublished."
        )
        return f"{said} {advice_beside(checkin, other, differ)}"
    return ""


def advice_beside(checkin: CheckIn, other: CheckIn, differ: set[str]) -> str:
    """What a check-in refused beside the published `other` leaves its editor to do."""
    enough = max(checkin.threshold, other.threshold)
    if gone := gone_since(checkin, other, differ):
        return (
            f"{what_next(checkin, [other], f'{gone}.')} "
            f"{instead_of_the_same(checkin, other, enough, 'open it')}"
        )
    return (
        f"{what_next(checkin, [other])} ask the same people as "
        f"{in_quotes(other.title)}, or at least {enough} more or fewer"
        f"{later_or_not(checkin, [other], 'the two are')}"
    )


def gone_since(checkin: CheckIn, other: CheckIn, differ: set[str]) -> str:
    """Those of the people making the difference whom `other` asked and `checkin` did not who
    were erased or deactivated since, in words; '' when none: then no check-in can ask the same
    people as `other` again."""
    gone = no_longer_active(checkin, differ - asked_people(checkin))
    if not gone:
        return ""
    return (
        f"{people_in_words(gone)} {in_quotes(other.title)} asked "
        f"{'has' if gone == 1 else 'have'} left since (erased or deactivated), so no check-in "
        "can ask the same people again"
    )


def instead_of_the_same(checkin: CheckIn, other: CheckIn, enough: int, opening: str) -> str:
    """What works when no check-in can ask the same people as `other`: another date (none
    where answers were imported), or a clearly different audience."""
    if imported_answers(checkin) or imported_answers(other):
        return f"ask at least {enough} more or fewer{later_or_not(checkin, [other], '')}"
    return f"{opening} from {not_near_from([other])} on, or ask at least {enough} more or fewer."


def what_next(checkin: CheckIn, others: list[CheckIn], also: str = "") -> str:
    """The start of what a refused check-in's editor can do: the published results beside it
    are final, and `also` (a sentence) holds. More answers change nothing when its figures
    count the people it asked; imported answers count who answered (asked_people), so
    importing others' answers would."""
    published = "is" if len(others) == 1 else "are"
    if imported_answers(checkin):
        counts = "Its answers were imported, so what counts is who answered"
    else:
        counts = "More answers would not change this, since what counts is who was asked"
    held = f"{counts}, and {titles(others)} {published} published for good."
    return (
        f"{held} {also + ' ' if also else ''}To hear from these people, ask them in a new check-in:"
    )


def later_or_not(
    checkin: CheckIn, others: list[CheckIn], compared: str, opening: str = "open it"
) -> str:
    """The end of the advice: when a check-in opened later would no longer be compared, or,
    where answers were imported, that no date helps (near_in_time)."""
    if imported_answers(checkin) or any(imported_answers(other) for other in others):
        return (
            ". Imported answers have no date of their own, so a check-in holding them is "
            "compared with every other, whatever the dates it is given."
        )
    return f", or {opening} from {not_near_from(others)} on, when {compared} no longer compared."


def not_near_from(others: list[CheckIn]) -> str:
    """The first day a new check-in could open without being compared with `others`."""
    last = max(other.closes_at for other in others) + NEAR
    zone = zoneinfo.ZoneInfo(others[0].workspace.time_zone)
    return date_format(timezone.localtime(last, zone), "DATE_FORMAT")


def refuse_if_subtractable(checkin: CheckIn, data: dict | None = None) -> set[Group]:
    """Raise WouldDisclose, naming the published check-ins, when publishing this closed one
    beside them would give away a few people's answers; else the groups of its report `data`
    to withhold (withhold) so that it does not. One audit: its whole figure is in it, with or
    without the report's groups. A refusal is kept (refused_for_good), and its first reason
    given. One nobody was asked has no figure: its empty report is published as it is."""
    if checkin.asked_nobody():
        return set()
    if why := pairwise_refusal(checkin):
        raise WouldDisclose(refused_for_good(checkin, why))
    found = audit(checkin, data)
    if found.refused:
        raise WouldDisclose(refused_for_good(checkin, found.refused))
    return found.hidden


def warnings(checkin: CheckIn) -> list[str]:
    """What to tell whoever chooses its audience, before it is sent (a back-brief: as it is
    sent): each check-in near in time whose audience differs from its own by a few people, or
    else the check-ins whose figures, with its own, would likely give a few people away."""
    pairs = [pair_warning(checkin, other, differ) for other, differ in differing(checkin)]
    if pairs:
        return pairs
    found, others = likely_disclosure(checkin)
    if found is None or not others:
        return []
    return [
        f"With {titles(others)}, asked near it, its figures would likely let anyone work out "
        f"the answers of {people_in_words(len(found.members))} by adding and subtracting the "
        "figures of the groups they share, so it may not be published beside them. Ask the "
        f"same people as one of them, or clearly different people{until_sent(checkin)}"
        f"{later_or_not(checkin, others, 'they are', opening(checkin, 'it'))}"
    ]


def until_sent(checkin: CheckIn) -> str:
    return "" if checkin.template == BACK_BRIEF else " before sending it"


def opening(checkin: CheckIn, it: str) -> str:
    """Opening it, in words: a back-brief opens as it is sent."""
    return f"{'send' if checkin.template == BACK_BRIEF else 'open'} {it}"


def pair_warning(checkin: CheckIn, other: CheckIn, differ: set[str]) -> str:
    """The warning of a check-in near in time whose audience differs from its own by `differ`.
    Where some of them were erased or deactivated since, no check-in can ask the same people
    again: another date, or a clearly different audience, is what works."""
    enough = max(checkin.threshold, other.threshold)
    said = (
        f"It{subtraction_in_words(other, len(differ))[2:]}, so only the first of the two to be "
        "published can be."
    )
    if gone := gone_since(checkin, other, differ):
        instead = instead_of_the_same(checkin, other, enough, opening(checkin, "this one"))
        return f"{said} {gone}: {instead}"
    return (
        f"{said} Ask the same people as {in_quotes(other.title)}, or at least {enough} more "
        f"or fewer{until_sent(checkin)}"
        f"{later_or_not(checkin, [other], 'the two are', opening(checkin, 'it'))}"
    )


# --- The audit across check-ins: every figure published near it, as sums over people ---


@dataclass(frozen=True)
class Figure:
    """The people a check-in's figures sum over: its whole audience (group None), or those of
    one group its report breaks them down by."""

    checkin: CheckIn
    group: Group | None
    members: Members


@dataclass
class Audit:
    hidden: set[Group]  # its breakdown groups to withhold
    refused: str  # why its whole figure cannot be published, or ''


def audit(checkin: CheckIn, data: dict | None = None, before: datetime | None = None) -> Audit:
    """What publishing it beside the check-ins published near it (before `before`, when given)
    gives away. Its whole figure and, when its report `data` is given, each group the report
    shows join their figures; the smallest of its groups taking part in a disclosure is
    withheld, until none does or only its whole figure is left to take part, and then it is
    refused.

    Figures are sums over the people asked (or whose answers were imported): answers are not
    linked to people, but whoever knows who was asked can assume the same people answer alike
    in check-ins near in time. They are also sums over the people who answered, which is what
    they really are: a team asked twice, all six answering the first time and five the second,
    gives the sixth one's answer (answered_audit)."""
    others = published_near(checkin, before=before)
    asked = people_by_group([checkin, *others])
    threshold = max([checkin.threshold, *(o.threshold for o in others)])
    shown = shown_groups(data or {})
    mine = figures(checkin, asked[checkin.pk], shown, threshold)
    published = sharing_people(mine, published_figures(others, asked, threshold))
    hidden, found = withheld_until_safe(mine, published, threshold, set())
    if found is not None:
        return Audit(hidden, refusal(checkin, found, published))
    answered = answerers_by_group([checkin, *others], asked)
    return answered_audit(checkin, others, answered, shown, threshold, hidden)


def withheld_when_shown(checkin: CheckIn, data: dict) -> set[Group]:
    """The groups of a report published before answered_audit to withhold now: those that,
    beside the check-ins published before it, give people away by who answered; every group it
    shows where its whole figure takes part (it would not be published today; it was)."""
    others = published_near(checkin, before=checkin.finalised_at)
    asked = people_by_group([checkin, *others])
    answered = answerers_by_group([checkin, *others], asked)
    threshold = max([checkin.threshold, *(o.threshold for o in others)])
    shown = shown_groups(data)
    found = answered_audit(checkin, others, answered, shown, threshold, set())
    return set(shown or ()) if found.refused else found.hidden


def published_near(checkin: CheckIn, before: datetime | None = None) -> list[CheckIn]:
    """The check-ins near in time published with a report (before `before`, when given)."""
    near = near_in_time(checkin).filter(finalised_at__isnull=False, report__isnull=False)
    if before is not None:
        near = near.filter(finalised_at__lt=before)
    return list(near.select_related("report"))


def published_figures(
    others: list[CheckIn], people: dict[int, dict[Group | None, set[str]]], threshold: int
) -> list[Figure]:
    return [
        f for o in others for f in figures(o, people[o.pk], shown_groups(o.report.data), threshold)
    ]


def withheld_until_safe(
    mine: list[Figure], published: list[Figure], threshold: int, hidden: set[Group]
) -> tuple[set[Group], Disclosure | None]:
    """Its groups to withhold, smallest first, beside those already `hidden`, until its figures
    and the published ones give nobody away; with what they still give away when none of its
    groups takes part in it."""
    out_already = {f.members for f in published}  # one of its figures equal to these adds none
    hidden = set(hidden)
    while True:
        shown = [f for f in mine if f.group not in hidden]
        found = disclosure_using(
            [f.members for f in published], [f.members for f in shown], threshold
        )
        if found is None:
            return hidden, None
        involved = set(found.involved) - out_already
        groups = [(len(f.members), f.group) for f in shown if f.group and f.members in involved]
        if not groups:
            return hidden, found
        hidden.add(min(groups)[1])


def answered_audit(
    checkin: CheckIn,
    others: list[CheckIn],
    answered: dict[int, dict[Group | None, set[str]]],
    shown: set[Group] | None,
    threshold: int,
    hidden: set[Group],
) -> Audit:
    """The audit again, over the people who answered each check-in: its groups to withhold
    beside `hidden`, and why it cannot be published when its whole figure still takes part.
    Withholding a team answered by five beside its six of a round before protects nobody while
    the whole is shown: the whole less the other teams shown gives it back, and beside a round
    answered by one person more the whole gives that person's answer by itself."""
    mine = figures(checkin, answered[checkin.pk], shown, threshold)
    # A group of everyone who answered (a team asked alone) is its whole figure under a name.
    mine = [f for f in mine if f.group is None or f.members != mine[0].members]
    published = sharing_people(mine, published_figures(others, answered, threshold))
    hidden, found = withheld_until_safe(mine, published, threshold, hidden)
    if found is not None:
        return Audit(hidden, answered_refusal(checkin, found, published))
    return Audit(hidden, "")


def answered_refusal(checkin: CheckIn, found: Disclosure, published: list[Figure]) -> str:
    others = involved_checkins(found, published)
    if not others:  # cannot happen: what it gives away alone was audited with its report
        return refusal(checkin, found, published)
    one = len(others) == 1
    return (
        f"{in_quotes(checkin.title)} cannot be published: beside {titles(others)}, its figures "
        f"would let anyone work out the answers of {people_in_words(len(found.members))} by "
        "adding and subtracting the figures of the groups they share, as the people who "
        f"answered {'the two' if one else 'them'}, in all or in a team or function shown, "
        "differ by so few. Its answers stay unpublished. Nothing was wrong with whom it asked: "
        f"who answers is known only once it closes, and {titles(others)} "
        f"{'is' if one else 'are'} published for good. A next round asking the same people is "
        f"published beside {'it' if one else 'them'} when those who answer it, in all and in "
        f"each team and function shown, are the same as {'its' if one else 'theirs'} or differ "
        f"by at least {checkin.threshold}; one opening from {not_near_from(others)} on is not "
        f"compared with {'it' if one else 'them'}."
    )


def sharing_people(mine: list[Figure], published: list[Figure]) -> list[Figure]:
    """The published figures linked to its own by people they share, directly or through other
    such figures: only they can combine with its own (the rest make no difference, and only
    slow the audit down)."""
    reached = frozenset().union(*(f.members for f in mine))
    linked, rest = [], list(published)
    while found := [f for f in rest if f.members & reached]:
        linked += found
        rest = [f for f in rest if f not in found]
        reached = reached.union(*(f.members for f in found))
    return linked


def likely_disclosure(checkin: CheckIn) -> tuple[Disclosure | None, list[CheckIn]]:
    """Before it is sent: whether its whole figure, beside the check-ins near it, would likely
    give a few people away (published ones with the groups their reports show, the others with
    each function and team of at least the threshold they could show), and with which."""
    others = with_results(near_in_time(checkin).select_related("report"))
    people = people_by_group([checkin, *others])
    threshold = max([checkin.threshold, *(o.threshold for o in others)])
    near = []
    for other in others:
        report = getattr(other, "report", None)
        if other.finalised_at is not None and report is not None:
            could_show = shown_groups(report.data)
        else:
            could_show = {g for g, m in people[other.pk].items() if g and len(m) >= threshold}
        near += figures(other, people[other.pk], could_show, threshold)
    mine = figures(checkin, people[checkin.pk], set(), threshold)
    found = disclosure_using([f.members for f in near], [f.members for f in mine], threshold)
    if found is None:
        return None, []
    return found, involved_checkins(found, near)


def people_by_group(checkins: list[CheckIn]) -> dict[int, dict[Group | None, set[str]]]:
    """For each check-in, the people it asked (under None) and those of them in each function
    and team: the function and team they answered in where they were kept, else those of today.
    Before its first send, a check-in's people are those it will ask; a check-in whose answers
    were imported, those who answered (place_imported). A published check-in's are those it was
    published with (freeze)."""
    frozen = {c.pk: thawed(c.people_when_published) for c in checkins if c.people_when_published}
    found: dict[int, dict[Group | None, set[str]]] = {
        c.pk: {None: set()} for c in checkins if c.pk not in frozen
    }
    invitations = Invitation.objects.filter(checkin__in=list(found))
    invited = set(invitations.values_list("checkin_id", flat=True).distinct())
    place_invited(found, invitations.exclude(status=Delivery.FAILED))
    uninvited = [pk for pk in found if pk not in invited]
    # actions.imported_answers, for all of them at once: answers, and no invitation.
    imported = set(
        Response.objects.filter(checkin__in=uninvited).values_list("checkin_id", flat=True)
    )
    answers = answers_imported(checkins, imported, list(frozen.values()))
    for checkin in checkins:
        if checkin.pk in frozen or found[checkin.pk][None]:
            continue
        if checkin.pk in imported:
            place_imported(found[checkin.pk], answers.rows[checkin.pk], answers.roster)
            continue
        for person, team, function in checkin.audience().values_list(
            "pk", "team__name", "function"
        ):
            place(found[checkin.pk], str(person), team or "", function)
    return found | frozen


def answerers_by_group(
    checkins: list[CheckIn], asked: dict[int, dict[Group | None, set[str]]]
) -> dict[int, dict[Group | None, set[str]]]:
    """For each check-in, the people who answered it (under None) and those of them in each
    function and team they answered in, as people_by_group places them; a published check-in's
    as it was published (freeze). A check-in that invited nobody has its `asked` people: those
    of imported answers are who answered already."""
    frozen = {
        c.pk: thawed(c.answerers_when_published) for c in checkins if c.answerers_when_published
    }
    found: dict[int, dict[Group | None, set[str]]] = {
        c.pk: {None: set()} for c in checkins if c.pk not in frozen
    }
    invitations = Invitation.objects.filter(checkin__in=list(found))
    invited = set(invitations.values_list("checkin_id", flat=True).distinct())
    place_invited(found, invitations.filter(responded=True))
    uninvited = {pk: asked[pk] for pk in found if pk not in invited}
    return found | frozen | uninvited


def place_invited(found: dict[int, dict[Group | None, set[str]]], invitations) -> None:
    fields = ("answered_team", "person__team__name", "answered_function", "person__function")
    for checkin_id, person, team_then, team, function_then, function in invitations.values_list(
        "checkin_id", "person_id", *fields
    ):
        team, function = answered_in(team_then, team), answered_in(function_then, function)
        place(found[checkin_id], str(person), team, function)


def freeze(checkin: CheckIn) -> None:
    """Keep who its figures sum over as it is published, for every later audit to use: worked
    out again, the stand-ins of answers imported without their author followed today's people,
    so moving a few people to another team, or erasing one, let a copy one answer short pass
    as asking clearly different people."""
    published = checkin.workspace.checkins.filter(people_when_published__isnull=False)
    # Those the audit compared it with, whose frozen people its stand-ins may stand for.
    asked = people_by_group([checkin, *published.exclude(pk=checkin.pk)])
    checkin.people_when_published = stored(asked[checkin.pk])
    checkin.answerers_when_published = stored(answerers_by_group([checkin], asked)[checkin.pk])
    checkin.save(update_fields=["people_when_published", "answerers_when_published"])


def stored(groups: dict[Group | None, set[str]]) -> list:
    return [[*(group or (None, None)), sorted(members)] for group, members in groups.items()]


def thawed(stored: list) -> dict[Group | None, set[str]]:
    return {
        (dimension, name) if dimension else None: set(members)
        for dimension, name, members in stored
    }


@dataclass
class ImportedAnswers:
    """The answers of check-ins whose answers were imported, by check-in (person id or None,
    team, function), and the people their stand-ins are chosen from (id, team name, function)
    in a fixed order, read once for all of them."""

    rows: dict[int, list[tuple]]
    roster: list[tuple]


def answers_imported(
    checkins: list[CheckIn], imported: set[int], published: list[dict[Group | None, set[str]]]
) -> ImportedAnswers:
    """The roster is today's people and, in the groups they were published in, everyone the
    `published` check-ins' frozen figures sum over: an answer of a group stands for someone
    who was in it, even after they moved, left or were erased."""
    rows: dict[int, list[tuple]] = {pk: [] for pk in imported}
    if not imported:
        return ImportedAnswers(rows, [])
    for checkin_id, *row in Response.objects.filter(checkin__in=imported).values_list(
        "checkin_id", "person_id", "team", "function"
    ):
        rows[checkin_id].append(tuple(row))
    people = checkins[0].workspace.people.filter(active=True)
    today = [
        (str(pk), team, function)
        for pk, team, function in people.values_list("pk", "team__name", "function")
    ]
    then = [entry for groups in published for entry in roster_of(groups)]
    return ImportedAnswers(rows, sorted(set(today + then), key=in_fixed_order))


def roster_of(groups: dict[Group | None, set[str]]) -> list[tuple[str, str, str]]:
    """The (person, team, function) of everyone of a check-in's frozen figures."""
    placed: dict[str, dict[str, str]] = {person: {} for person in groups[None]}
    for group, members in groups.items():
        for person in members if group else ():
            placed[person][group[0]] = group[1]
    return [(p, where.get("team", ""), where.get("function", "")) for p, where in placed.items()]


def in_fixed_order(entry: tuple[str, str, str]) -> tuple[bool, int, str]:
    """People by id, then made-up stand-ins by name."""
    person = entry[0]
    return not person.isdigit(), int(person) if person.isdigit() else 0, person


def place_imported(groups: dict[Group | None, set[str]], rows: list, roster: list) -> None:
    """A check-in whose answers were imported (actions.imported_answers) asked nobody through
    it: its figures are over those who answered, in the function and team of their answers.
    An answer imported by email is its author's; one without its author (imported by function
    and team, or into an anonymous check-in) stands for someone of its group, the same one in
    every check-in, so two imports of a group differ by as many people as their answers do."""
    taken = {str(person) for person, _, _ in rows if person is not None}
    for person, team, function in rows:
        if person is not None:
            place(groups, str(person), team, function)
    unnamed = Counter((team, function) for person, team, function in rows if person is None)
    # The most precise groups first: an answer whose team or function publication left out
    # (measure.keep_only_shown_groups) stands for someone the others do not.
    wanted = sorted(unnamed.items(), key=precision)
    for (team, function), people in stand_ins(roster, wanted, taken).items():
        for person in people:
            place(groups, person, team, function)


def precision(item: tuple[tuple[str, str], int]) -> tuple[bool, bool, str, str]:
    (team, function), _ = item
    return not team, not function, team, function


def stand_ins(
    roster: list, wanted: list[tuple[GroupKey, int]], taken: set[str]
) -> dict[GroupKey, list[str]]:
    """Who each group's answers stand for, `wanted` as ((team, function), count): its people of
    today and those it had in published check-ins, in a fixed order (the `roster`: id, team
    name, function), but those taken, then made-up ones where it is smaller. They are the people
    a check-in asking the group counts, so such a check-in is compared with the import too.

    As many as can be are real people, each standing for one answer: someone moved from Alpha
    to Beta is a candidate of both, and given to Alpha first they left Alpha's fourth engineer
    out and Beta's sixth answer to a made-up person, so the same eleven people answering twice
    read as differing by 2 (Matching.one_more hands them on)."""
    matching = Matching(
        {key: candidates(roster, key, taken) for key, _ in wanted},
        {key: [] for key, _ in wanted},
    )
    for key, count in wanted:
        while len(matching.chosen[key]) < count:
            if not matching.one_more(key):
                break  # no real person left for it: made-up ones below
        n = len(matching.chosen[key])
        while len(matching.chosen[key]) < count:
            made_up = f"{key[0] or '(any)'}/{key[1] or '(any)'} #{n}"
            if made_up not in taken and made_up not in matching.held:
                matching.take(key, made_up)
            n += 1
    taken.update(matching.held)
    return matching.chosen


def candidates(roster: list, group: GroupKey, taken: set[str]) -> list[str]:
    """The people of the roster a (team, function) group's answer may stand for, once each, in
    the roster's order; a blank team or function is any."""
    team, function = group
    return list(
        dict.fromkeys(
            person
            for person, their_team, their_function in roster
            if (not function or their_function == function)
            and (not team or their_team == team)
            and person not in taken
        )
    )


@dataclass
class Matching:
    """Each group's candidates, in the roster's order, and whom each group holds so far."""

    candidates: dict[GroupKey, list[str]]
    chosen: dict[GroupKey, list[str]]
    held: dict[str, GroupKey] = field(default_factory=dict)
    first_free: dict[GroupKey, int] = field(default_factory=dict)

    def take(self, group: GroupKey, person: str) -> None:
        self.chosen[group].append(person)
        self.held[person] = group

    def free(self, group: GroupKey) -> str | None:
        """Its first candidate nobody holds (nobody is ever let go, so it only moves on)."""
        people, i = self.candidates[group], self.first_free.get(group, 0)
        while i < len(people) and people[i] in self.held:
            i += 1
        self.first_free[group] = i
        return people[i] if i < len(people) else None

    def one_more(self, key: GroupKey) -> bool:
        """Give `key` one more of its candidates: one nobody holds, or one another group holds
        that can take a free candidate of its own instead, and so on (the shortest such chain).
        False, changing nothing, when there is none."""
        came_from: dict[GroupKey, tuple[GroupKey, str] | None] = {key: None}
        queue = deque([key])
        while queue:
            group = queue.popleft()
            person = self.free(group)
            if person is None:
                for wanted in self.candidates[group]:
                    if self.held[wanted] not in came_from:
                        came_from[self.held[wanted]] = (group, wanted)
                        queue.append(self.held[wanted])
                continue
            while True:  # each group on the chain takes one and hands one to the one before
                self.take(group, person)
                link = came_from[group]
                if link is None:
                    return True
                group, person = link
                self.chosen[self.held[person]].remove(person)
        return False


def place(groups: dict[Group | None, set[str]], person: str, team: str, function: str) -> None:
    groups[None].add(person)
    groups.setdefault(("team", team or "(none)"), set()).add(person)
    groups.setdefault(("function", function or "(none)"), set()).add(person)


def figures(
    checkin: CheckIn, people: dict[Group | None, set[str]], shown: set[Group] | None, threshold: int
) -> list[Figure]:
    """Its whole figure and one for each group shown: none for a report that shows nothing
    (shown None), or that fewer than the threshold could answer."""
    if shown is None or len(people[None]) < threshold:
        return []
    groups = [g for g in sorted(shown) if people.get(g)]
    return [Figure(checkin, g, frozenset(people[g])) for g in [None, *groups]]


def shown_groups(data: dict) -> set[Group] | None:
    """Every (dimension, name) a report shows somewhere; None when it shows nothing."""
    if data.get("suppressed"):
        return None
    return {(d, name) for d, names in shown_group_names(data).items() for name in names}


def shown_group_names(data: dict) -> dict[str, set[str]]:
    """The functions and teams shown anywhere in a report."""
    shown: dict[str, set[str]] = {dimension: set() for dimension in DIMENSIONS}
    for section in report_sections(data):
        for dimension, names in shown.items():
            names.update(
                g["name"] for g in section.get("by", {}).get(dimension, {}).get("groups", [])
            )
    return shown


def report_sections(data: dict) -> list[dict]:
    return [*data.get("questions", []), *(data.get(name, {}) for name in REPORT_SECTIONS)]


def involved_checkins(found: Disclosure, figures: list[Figure]) -> list[CheckIn]:
    involved = set(found.involved)
    return list({f.checkin.pk: f.checkin for f in figures if f.members in involved}.values())


def refusal(checkin: CheckIn, found: Disclosure, published: list[Figure]) -> str:
    others = involved_checkins(found, published)
    beside = f"beside {titles(others)}" if others else "beside the check-ins published near it"
    return (
        f"{in_quotes(checkin.title)} cannot be published: {beside}, its figures would let anyone "
        f"work out the answers of {people_in_words(len(found.members))} by adding and subtracting "
        "the figures of the groups they share. Its answers stay unpublished."
        + (
            f" {what_next(checkin, others)} ask the same people as "
            f"{'it' if len(others) == 1 else 'one of them'}, or clearly different people"
            f"{later_or_not(checkin, others, 'they are')}"
            if others
            else ""
        )
    )


def titles(checkins: list[CheckIn]) -> str:
    names = [f"{in_quotes(c.title)}" for c in checkins]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def people_in_words(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def withhold(data: dict, hidden: set[Group]) -> None:
    """Take the groups out of a report: out of every breakdown (counted among its hidden
    groups), and a function out of the pairs of functions and groups of answers naming it."""
    if not hidden:
        return
    functions = {name for dimension, name in hidden if dimension == "function"}
    for section in report_sections(data):
        for dimension, breakdown in section.get("by", {}).items():
            out = [g for g in breakdown["groups"] if (dimension, g["name"]) in hidden]
            breakdown["groups"] = [g for g in breakdown["groups"] if g not in out]
            breakdown["hidden_groups"] = breakdown.get("hidden_groups", 0) + len(out)
            breakdown["hidden_n"] = breakdown.get("hidden_n", 0) + sum(g["n"] for g in out)
        if "across" in section:
            section["across"] = [
                pair for pair in section["across"] if not {pair["a"], pair["b"]} & functions
            ]
        for kind in ("interpretations", "themes"):
            for card in section.get(kind, {}).get("groups", []):
                unname(card, functions)
                for reading in card.get("readings", {}).get("groups", []):
                    unname(reading, functions)
    data["withheld"] = data.get("withheld", 0) + len(hidden)


def unname(card: dict, functions: set[str]) -> None:
    """A group of answers no longer saying how many come from the withheld functions."""
    named = card.get("functions") or {}
    gone = sum(n for name, n in named.items() if name in functions)
    if gone:
        card["functions"] = {name: n for name, n in named.items() if name not in functions}
        card["other_functions"] = card.get("other_functions", 0) + gone
