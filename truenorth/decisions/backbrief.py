""" "What did you hear?" (seed 002): after a decision, ask the people informed to say in their own
words what was decided and why, and read their answers part by part.

A back-brief is a check-in (truenorth.checkins) with one text question whose source is the
decision: personal links, email through the worker, the anonymity threshold and the release of
results when it closes all work as for any check-in. Its parts (what was decided, why, what it
means for you) are pinned when it is sent, so an edit to the record later moves no score.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.analysis import decision_reading, fidelity
from truenorth.analysis.embed import ModelUnavailable
from truenorth.analysis.privacy import effective_threshold
from truenorth.analysis.relation import Relation
from truenorth.checkins.measure import current_report
from truenorth.checkins.models import (
    BACK_BRIEF,
    CheckIn,
    Invitation,
    Kind,
    Question,
    Role,
    SourceKind,
    new_token,
    token_digest,
)
from truenorth.checkins.overlaps import (
    never_publishable,
    place,
    publication_refused_shown,
    stored,
)
from truenorth.checkins.overlaps import warnings as overlap_warnings
from truenorth.checkins.tasks import send_checkin_links
from truenorth.decisions.models import BackBrief, Decision, Status
from truenorth.embeddings.cache import cached_embedder
from truenorth.workspaces.figures import cached
from truenorth.workspaces.models import Function, Person, Workspace

OPEN_DAYS = 7


class CannotAsk(ValueError):
    """A back-brief this decision cannot have (a 400 with the reason, never a 500)."""


def recipients(decision: Decision):
    """Whom a back-brief asks: the people informed, or, when nobody is listed as informed, the
    deciders and the people consulted. Never partners, never someone deactivated."""
    if decision.informed.exists():
        chosen = Q(decisions_informed=decision)
    else:
        chosen = Q(decisions_decided=decision) | Q(decisions_consulted=decision)
    people = Person.objects.filter(chosen, workspace=decision.workspace, active=True)
    return people.exclude(function=Function.PARTNER).distinct()


def nobody_to_ask(decision: Decision) -> str:
    """Why its back-brief cannot be sent while it would ask nobody, and what to do, as the page,
    its JSON twin, the API and the command say it."""
    listed = decision.informed.exists() or decision.deciders.exists() or decision.consulted.exists()
    never = "partners and people no longer active are never asked. " if listed else ""
    first = "List" if never else "list"
    return (
        f"Nobody to ask yet: {never}{first} the people informed, or the deciders and consulted, "
        "first."
    )


def parts(decision: Decision) -> dict[str, str]:
    return decision_reading.decision_parts(
        decision.outcome, decision.rationale, decision.consequences
    )


def warnings_before_sending(decision: Decision) -> list[str]:
    """What sending its back-brief now would warn of, said by the Send button: the warnings a
    check-in's editor gets before sending (checkins.overlaps.warnings), for the people it would
    ask, as sending gives them (rehearsal). None where it could never be published
    (never_published): that is said instead, as a check-in's page says it."""
    return rehearsal(decision)["warnings"]


def never_published(decision: Decision) -> str:
    """Why its back-brief, sent now, could never be published, whatever answers came ('' when it
    could): the people it would ask differ by a few from those of a check-in published near it
    (checkins.overlaps.never_publishable, of the check-in sending would make: rehearsal). Its
    reading would never be shown, so sending it takes a confirmation, as a check-in's first
    send does ("Send anyway", --send-anyway)."""
    return rehearsal(decision)["never"]


def rehearsal(decision: Decision) -> dict:
    """never_published and the warnings, for the people it would ask (rehearsal_of)."""
    people = list(recipients(decision).select_related("team").order_by("pk"))
    return rehearsal_of(decision.workspace, f"decision:{decision.pk}", title_of(decision), people)


def rehearsal_of(workspace: Workspace, source: str, title: str, people: list[Person]) -> dict:
    """never_published and the warnings of the back-brief titled `title` that `source` (a
    decision here, an update's version in updates.backbrief) would send to `people` (rehearse);
    worked out once per change of the workspace's data and of the people it would ask."""
    if not people:
        return {"never": "", "warnings": []}
    people = sorted(people, key=lambda person: person.pk)  # whatever order the source keeps
    asked = hashlib.sha256(",".join(str(person.pk) for person in people).encode()).hexdigest()
    name = f"backbrief_rehearsal:{source}:{asked[:16]}"
    return cached(workspace, name, lambda _: rehearse(workspace, title, people))


# The id of a back-brief only rehearsed: no row has it, so it has no invitation and no answer.
REHEARSED = 0


def rehearse(workspace: Workspace, title: str, people: list[Person]) -> dict:
    """Why a back-brief, once sent to `people`, could never be published ("never"), else the
    warnings it would get ("warnings": no other overlap matters where it never could be, as on
    a check-in's page before its first send), worked out in memory: a page looked at (a GET)
    writes nothing. The check-in is the one ask would make, unsaved; its people, placed in
    their teams and functions as its invitations would place them, are given as the people
    its figures sum over, which the audit reads before any invitation."""
    # Their teams in one query, where the caller did not select them with the people.
    prefetch_related_objects(people, "team")
    now = timezone.now()
    checkin = CheckIn(
        pk=REHEARSED,
        workspace=workspace,
        title=title,
        template=BACK_BRIEF,
        opens_at=now,
        closes_at=now + timedelta(days=OPEN_DAYS),
        anonymous=True,
    )
    groups: dict = {None: set()}
    for person in people:
        place(groups, str(person.pk), person.team.name if person.team else "", person.function)
    checkin.people_when_published = stored(groups)
    never = never_publishable(checkin)
    return {"never": never, "warnings": [] if never else overlap_warnings(checkin)}


def cannot_ask(decision: Decision) -> str:
    """Why its back-brief cannot be sent whatever the mail server does, "" when it can: not
    decided yet, already sent, nobody to ask, or fewer people than the anonymity threshold.
    Said before the mail server is asked, as no mail server can mend it."""
    if decision.status == Status.PROPOSED:
        return (
            f"Decision {decision.number} is not decided yet: only a decision that has been "
            "made can be back-briefed."
        )
    if decision.status != Status.DECIDED or not decision.outcome.strip():
        return "Only a decision that has been made can be back-briefed."
    sent = latest(decision)
    if sent is not None:
        return (
            f"Decision {decision.number}'s back-brief was already sent on "
            f"{date_format(timezone.localtime(sent.checkin.opens_at).date())}: its check-in is "
            f"number {sent.checkin_id}."
        )
    people = recipients(decision).count()
    if not people:
        return nobody_to_ask(decision)
    # Asking people for answers nobody can ever read wastes their time: refused, with what to do.
    if too_few := never_shown(decision, people, sent=False):
        return f"Not sent: {too_few}"
    return ""


@transaction.atomic
def create_back_brief(decision: Decision, by=None, anonymous: bool = True) -> BackBrief:
    """A back-brief check-in asking the decision's people, open from now for OPEN_DAYS, with its
    invitations made (its audience); send it with checkins.tasks.send_checkin_links on commit."""
    if refusal := cannot_ask(decision):
        raise CannotAsk(refusal)
    people = list(recipients(decision))
    checkin = ask_about(decision, parts(decision), people, by, anonymous)
    return BackBrief.objects.create(decision=decision, checkin=checkin)


def ask_about(decision: Decision, source_parts: dict, people, by, anonymous: bool) -> CheckIn:
    """The decision's back-brief check-in (ask), as it is sent."""
    return ask(
        decision.workspace,
        title_of(decision),
        decision_reading.QUESTION,
        SourceKind.DECISION,
        f"Decision {decision.number}: {decision.title}",
        source_parts,
        people,
        by,
        anonymous,
    )


def title_of(decision: Decision) -> str:
    return f"What did you hear? Decision {decision.number}: {decision.title}"


def ask(
    workspace, title, prompt, source_kind, source_text, source_parts, people, by, anonymous
) -> CheckIn:
    """A back-brief check-in open from now for OPEN_DAYS: one text question whose source and parts
    are pinned now, and one invitation per person asked (its audience). Shared by every source a
    back-brief reads (a decision here, an update's version in updates.backbrief)."""
    now = timezone.now()
    checkin = CheckIn.objects.create(
        workspace=workspace,
        title=title,
        template=BACK_BRIEF,
        opens_at=now,
        closes_at=now + timedelta(days=OPEN_DAYS),
        anonymous=anonymous,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    Question.objects.create(
        checkin=checkin,
        position=1,
        prompt=prompt,
        role=Role.OPEN,
        kind=Kind.TEXT,
        source_kind=source_kind,
        source_text=source_text,
        source_parts=source_parts,
    )
    # A back-brief's audience is its invitations: one per person asked, each with the hash of a
    # token nobody is given (as checkins.actions.invite_audience makes them), until it is sent.
    Invitation.objects.bulk_create(
        Invitation(
            checkin=checkin,
            person=person,
            token_hash=token_digest(checkin, "invitation", new_token(checkin)),
        )
        for person in people
    )
    return checkin


def never_shown(decision: Decision, people: int, sent: bool = True) -> str:
    """Why a back-brief asking `people` could never show a reading; '' when it could. Results are
    read only from the anonymity threshold up, attributed or not, so with fewer people asked
    the decision page would wait for a reading that never comes. Before it is sent, it says
    how to ask enough people (and sending is refused: create_back_brief); once sent (one sent
    before that refusal, or under a lower threshold), it says why no reading comes."""
    threshold = effective_threshold(decision.workspace.anonymity_threshold)
    if people >= threshold:
        return ""
    verb = ("was" if people == 1 else "were") if sent else "would be"
    said = (
        f"Only {people} {'person' if people == 1 else 'people'} {verb} asked, fewer than the "
        f"anonymity threshold of {threshold}: no reading of the answers can ever be shown, "
        "anonymous or attributed."
    )
    if sent:
        return said
    advice = f"To hear what people took from it, list at least {threshold} people as informed."
    return f"{said} {advice}"


def made_and_mailed(create, mail: bool = True):
    """The back-brief (a decision's or an update's) that `create` makes, in one transaction, its
    personal links emailed by the worker once it is saved; with `mail` false (no mail server
    answered) none are. CannotAsk, for one sent meanwhile by another request, is the caller's
    to say."""
    with transaction.atomic():
        made = create()
        checkin_id = made.checkin_id
        if mail:
            transaction.on_commit(lambda: send_checkin_links.enqueue(checkin_id))
    return made


def only_by_email(to_attribute: str) -> str:
    """Why an anonymous back-brief is not made while no mail server answers, and how to go
    ahead: `to_attribute` is the page's way ("tick “Attributed”") or the API's."""
    return (
        "An anonymous back-brief's personal links go only by email, straight to each person: "
        "whoever held them all could read who wrote what. Set up the mail server, or "
        f"{to_attribute} to hand out the links yourself."
    )


def sent_message(people: int) -> str:
    """What the one click (and `truenorth decisions backbrief`) says once it has asked."""
    return (
        f"Back-brief sent to {people} {'person' if people == 1 else 'people'}: “What did you "
        f"hear?” stays open for {OPEN_DAYS} days."
    )


def latest(decision: Decision) -> BackBrief | None:
    return decision.backbriefs.select_related("checkin__report", "checkin__workspace").first()


def reading(backbrief: BackBrief) -> dict:
    """What the decision page shows of a back-brief, under the check-in pages' rule: nothing
    while it is open or unpublished, "too few answers to show" when its published report
    withholds the question, else the part-by-part reading, with the answers that contradict the
    decision quoted as the answer form promised (contradictions)."""
    checkin = backbrief.checkin
    state = {"checkin": checkin, "closes_at": checkin.closes_at}
    report = current_report(checkin)
    if report is None:
        return {**state, "state": "open" if checkin.is_open() else "unpublished"}
    shown = report.data.get("questions", [{}])
    if report.data.get("suppressed") or not shown or shown[0].get("suppressed"):
        return {**state, "state": "too_few", "threshold": report.data["threshold"]}
    question = checkin.questions.get()
    answers = [
        a
        for a in question.answers.exclude(text="").select_related("response__person")
        if a.text.strip()
    ]
    embed = cached_embedder().encode
    readings = read_answers([a.text for a in answers], question.parts(), embed)
    threshold = max(report.data["threshold"], checkin.workspace.anonymity_threshold)
    summary = decision_reading.summarise(readings, question.parts(), threshold)
    if summary.get("suppressed"):
        return {**state, "state": "too_few", "threshold": summary["threshold"]}
    summary["parts"].append(whole_row(readings, question.parts()))
    authors = [author_name(a) if not checkin.anonymous else None for a in answers]
    found = contradictions(readings, authors, summary["threshold"])
    # The report's own figure: a second one, read another way over the same people, would give
    # the unquoted answers' scores away by subtraction.
    summary["fidelity"] = shown[0].get("fidelity")
    return {**state, "state": "shown", **summary, **found}


WHOLE = "statement"  # the row of the decision as a whole, keyed as the check-in's report keys it


@dataclass
class Reading(decision_reading.Reading):
    """An answer read part by part and against the decision as a whole, as the back-brief
    check-in's report reads it: "We keep per-seat pricing" contradicts "Per entity." only
    as a whole, and the page would otherwise count no contradiction where the report counts
    one."""

    whole: Relation | None = None

    @property
    def contradiction(self) -> Relation | None:
        whole = self.whole if self.whole and self.whole.name == "contradicts" else None
        return super().contradiction or whole


def read_answers(texts: list[str], parts: dict[str, str], embed) -> list[Reading]:
    """Each answer read as the report reads it (truenorth.analysis.report): against each part,
    the outcome under the reversal rule, and against the parts joined as one."""
    texts = [t for t in texts if t.strip()]
    if not texts or not parts:
        return []
    found = fidelity.read_all(texts, parts, embed, decision_reading.summary_of(parts))
    readings = []
    for text, one in zip(texts, found, strict=True):
        turned = decision_reading.with_reversals(text, one, parts, embed)
        readings.append(Reading(text, turned.parts, turned.fidelity, one.summary))
    return readings


def whole_row(readings: list[Reading], parts: dict[str, str]) -> dict:
    """The decision-as-a-whole row beside the parts: the shares that convey it, partly convey
    it, contradict it and miss it, as the report's "the source as a whole" column."""
    n = len(readings)
    counts = Counter(r.whole.name if r.whole else "unrelated" for r in readings)
    shares = {k: round(counts[k] / n, 3) for k in ("conveys", "partly", "contradicts")}
    text = decision_reading.summary_of(parts)
    label = "the decision as a whole"
    return {
        "key": WHOLE,
        "label": label,
        "text": text,
        **shares,
        "misses": round(counts["unrelated"] / n, 3),
    }


def page_reading(backbrief: BackBrief) -> dict:
    """A decision's back-brief as its page and the API give it: the reading, whom it asked and
    how many, and why no reading can ever come where too few were asked (never_shown)."""
    asked = backbrief.checkin.invitations.count()
    found = reading(backbrief)
    unseen = never_shown(backbrief.decision, asked)
    if not unseen and found["state"] in ("open", "unpublished"):
        # Whom it asked is settled once sent: beside a check-in published near it, its
        # publication may already be ruled out (checkins.overlaps), and no reading ever comes.
        unseen = publication_refused_shown(backbrief.checkin)
    return found | {
        "asked": asked,
        "asked_words": backbrief.asked_words(),
        "never_shown": unseen,
    }


def author_name(answer) -> str:
    person = answer.response.person
    return person.name if person else "someone"


def contradictions(readings, authors: list[str | None], threshold: int) -> dict:
    """The answers that contradict the decision: how many, and their words only as the answer
    form promised. Anonymous answers are quoted, without names, only when at least `threshold`
    of them contradict it, so that nobody who disagrees can be picked out of a small group; an
    attributed back-brief's (authors named) are quoted with their author's name."""
    found = [(r, who) for r, who in zip(readings, authors, strict=True) if r.contradiction]
    attributed = any(who is not None for _, who in found)
    quoted = attributed or len(found) >= threshold
    quotes = [
        {"quote": r.text, "reason": r.contradiction.reason} | ({"name": who} if who else {})
        for r, who in found
    ]
    return {
        "contradicting_count": len(found),
        "contradicting_quoted": quoted,
        "contradicting": quotes if quoted else [],
    }


def repeats(decision: Decision) -> list[tuple[Decision, float]]:
    """Earlier decisions of the workspace whose question means the same: a conversation had
    before (decided, or still open). The one this decision supersedes is no repeat: asking it
    again is what superseding it says."""
    earlier = list(
        decision.workspace.decisions.filter(number__lt=decision.number)
        .exclude(pk__in=[decision.pk, decision.supersedes_id or 0])
        .exclude(question="")
        .only("pk", "number", "title", "question", "status", "decided_on", "closed_on", "raised_on")
    )
    if not earlier or not decision.question.strip():
        return []
    by_id = {d.pk: d for d in earlier}
    found = decision_reading.repeated(
        decision.question,
        [decision_reading.Earlier(d.pk, d.question) for d in earlier],
        cached_embedder().encode,
    )
    return [(by_id[e.id], score) for e, score in found]


def repeat_notices(decision: Decision) -> list[str]:
    """One line per earlier decision a newly raised one asks again, closest first; none when no
    model can run, since a notice never stops a decision being raised."""
    try:
        found = repeats(decision)
    except ModelUnavailable:
        return []
    return [repeat_notice(earlier) for earlier, _ in found]


def repeat_notice(earlier: Decision) -> str:
    asked = f"This asks what decision #{earlier.number} asked on {date_format(earlier.raised_on)}"
    if earlier.taken_back:  # asking again is expected
        return f"{asked} ({earlier.standing}). Read why before deciding again."
    return (
        f"{asked} ({earlier.standing}): a repeated conversation. Check whether the earlier "
        "answer was heard."
    )


def page_context(decision: Decision, membership) -> dict:
    """The decision page's back-brief and repeated-conversation parts, for this login: nothing for
    partners; the reading only for those who see check-in results."""
    if not membership.can_read_internal:
        return {}
    found = latest(decision)
    found_repeats = repeats(decision)
    # Asked again after a reversal is no sign of an answer unheard; an answer still standing is.
    holds = not all(d.taken_back for d, _ in found_repeats)
    context: dict = {"repeats": found_repeats, "repeats_hold": holds}
    if membership.can_read_results:
        context["backbrief"] = page_reading(found) if found else None
    context.update(send_context(decision, membership, found))
    # An attributed back-brief's links can be handed out by hand, as any attributed check-in's.
    context["can_hand_out_links"] = bool(
        membership.can_write and found and not found.checkin.anonymous and found.checkin.is_open()
    )
    return context


def send_context(decision: Decision, membership, found: BackBrief | None) -> dict:
    """What the Send button says before a back-brief is sent: whom it would ask, why no reading
    could ever be shown (too few people: sending is refused; or people a few apart from a
    published check-in's: sending takes "Send anyway"), and the check-ins near it that would
    keep it from being published."""
    can = bool(membership.can_write and decision.status == Status.DECIDED and found is None)
    people = recipients(decision).count() if can else 0
    unseen = never_shown(decision, people, sent=False) if people else ""
    rehearsed = rehearsal(decision) if people and not unseen else {"never": "", "warnings": []}
    return {
        "can_back_brief": can,
        "backbrief_people": people,
        "backbrief_nobody": nobody_to_ask(decision) if can and not people else "",
        "backbrief_never_shown": unseen,
        "backbrief_never_published": rehearsed["never"],
        "backbrief_warnings": rehearsed["warnings"],
    }


def as_json(context: dict) -> dict:
    """The JSON twin of page_context."""
    data: dict = {}
    if "repeats" in context:
        data["repeated_conversation"] = [
            {
                "number": d.number,
                "title": d.title,
                "status": d.status,
                "decided_on": d.decided_on.isoformat() if d.decided_on else None,
                "closed_on": d.closed_on.isoformat() if d.closed_on else None,
                "standing": d.standing,
                "score": round(score, 1),
            }
            for d, score in context["repeats"]
        ]
    if context.get("can_back_brief"):
        data["back_brief_before_sending"] = before_sending(context)
    found = context.get("backbrief")
    if found:
        data["back_brief"] = {
            key: value for key, value in found.items() if key not in ("checkin", "closes_at")
        } | {"checkin": found["checkin"].pk, "closes_at": found["closes_at"].isoformat()}
    return data


def before_sending(context: dict) -> dict:
    """What the Send button says before a back-brief is sent: whom it would ask (or, with
    nobody, what to do), and what would keep its reading from ever being shown."""
    return {
        "people": context["backbrief_people"],
        "nobody": context["backbrief_nobody"],
        "never_shown": context["backbrief_never_shown"],
        "never_published": context["backbrief_never_published"],
        "warnings": context["backbrief_warnings"],
    }
