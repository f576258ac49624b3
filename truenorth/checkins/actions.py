"""Creating check-ins, inviting people, and taking their answers."""

import logging
import zoneinfo
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import OperationalError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format

from truenorth.checkins.models import (
    PULSE,
    TERM_QUESTIONS,
    Answer,
    CheckIn,
    Delivery,
    Invitation,
    Kind,
    Question,
    Response,
    Role,
    SourceKind,
    new_token,
    token_checkin_id,
    token_digest,
    unused_ids,
)
from truenorth.checkins.sources import pin_source, pin_sources
from truenorth.days import implausible
from truenorth.notifications import events as notify
from truenorth.sending import in_quotes, send_each
from truenorth.strategy.models import Vision
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import ADDRESS, SettingChange
from truenorth.workspaces.people import known_as

log = logging.getLogger("truenorth.checkins")

ALIGNMENT_PULSE = [
    (Role.VISION, Kind.TEXT, "In your own words, what is our product vision?", SourceKind.VISION),
    (Role.PRIORITIES, Kind.TEXT, "What are our top three priorities right now?", SourceKind.NONE),
    (Role.PURPOSE, Kind.TEXT, "Why does your current work matter?", SourceKind.NONE),
    (
        Role.DIRECTION,
        Kind.SCALE,
        "“I believe this is the right direction.” (1 = strongly disagree, 5 = strongly agree)",
        SourceKind.NONE,
    ),
    (Role.COMMENT, Kind.TEXT, "Anything else you want to say? (optional)", SourceKind.NONE),
]


@transaction.atomic
def create_checkin(
    workspace,
    title,
    opens_at,
    closes_at,
    anonymous=True,
    by=None,
    functions=(),
    teams=(),
    template=PULSE,
):
    """A check-in with no questions yet, asking the chosen functions and teams (everyone when
    both are empty)."""
    checkin = CheckIn.objects.create(
        workspace=workspace,
        title=title,
        template=template,
        opens_at=opens_at,
        closes_at=closes_at,
        anonymous=anonymous,
        created_by=by,
        audience_functions=list(functions),
    )
    checkin.audience_teams.set(teams)
    return checkin


@transaction.atomic
def create_alignment_pulse(
    workspace, title, opens_at, closes_at, anonymous=True, by=None, functions=(), teams=()
):
    """A check-in with the default template's five questions, asking the chosen functions and
    teams (everyone when both are empty)."""
    checkin = create_checkin(workspace, title, opens_at, closes_at, anonymous, by, functions, teams)
    for position, (role, kind, prompt, source) in enumerate(ALIGNMENT_PULSE, start=1):
        question = Question(
            checkin=checkin,
            position=position,
            prompt=prompt,
            role=role,
            kind=kind,
            source_kind=source,
            required=role != Role.COMMENT,
        )
        pin_source(question, workspace.visions.all())
        question.save()
    return checkin


# A check-in's dates: a pulse runs days or weeks, so a year on either bound is a typo ("9999").
LONGEST_OPEN = timedelta(days=366)
FARTHEST_AHEAD = timedelta(days=366)


def date_problems(opens_at: datetime, closes_at: datetime, now: datetime) -> dict[str, str]:
    """What is wrong with a check-in's dates, by field: none when it may run from opens_at to
    closes_at. An opening in the past is allowed (a check-in written down afterwards), if not
    before 2000 (truenorth.days)."""
    problems = {}
    if opens_at > now + FARTHEST_AHEAD:
        problems["opens_at"] = "A check-in opens within a year from now."
    elif why := implausible(opens_at.date(), now.date()):
        problems["opens_at"] = why
    if closes_at <= opens_at:
        problems["closes_at"] = "The check-in must close after it opens."
    elif closes_at - opens_at > LONGEST_OPEN:
        problems["closes_at"] = "A check-in stays open a year at most."
    return problems


@transaction.atomic
def reschedule(checkin: CheckIn, opens_at: datetime, closes_at: datetime) -> None:
    """Move an unpublished check-in's dates, or raise ValidationError by field.

    Its closing moves only while it is open or not open yet, and never into the past ("Close
    now" closes it). Its opening moves only before it opens and before anyone answered: once
    people could answer, when it opened is part of what they were asked.
    """
    now = timezone.now()
    CheckIn.objects.select_for_update(no_key=True).filter(pk=checkin.pk).values("pk").get()
    checkin.refresh_from_db(fields=["opens_at", "closes_at", "finalised_at"])
    if checkin.finalised_at is not None or checkin.closes_at <= now:
        raise ValidationError("It has closed: its dates are final.")
    problems = date_problems(opens_at, closes_at, now)
    moves_opening = opens_at != checkin.opens_at
    if moves_opening and not (checkin.opens_later(now) and not checkin.responses.exists()):
        problems["opens_at"] = "It has opened: its opening can no longer move."
    elif moves_opening and opens_at < now - timedelta(minutes=1):
        problems["opens_at"] = "It cannot open in the past; to open it now, give the time now."
    if closes_at <= now:
        problems.setdefault("closes_at", "It cannot close in the past; “Close now” closes it.")
    if problems:
        raise ValidationError(problems)
    checkin.opens_at, checkin.closes_at = opens_at, closes_at
    checkin.save(update_fields=["opens_at", "closes_at"])
    if moves_opening:  # nobody was sent the questions yet: they are about the new opening
        pin_sources(checkin.questions.all(), Vision)


@transaction.atomic
def add_question(question: Question) -> Question:
    """Save a new question after the check-in's last one."""
    # The check-in's row is the lock: locking its last question would let a second editor,
    # once the first commits, read that same row again and take the first one's position.
    CheckIn.objects.select_for_update(no_key=True).filter(pk=question.checkin_id).values("pk").get()
    last = question.checkin.questions.order_by("-position").first()
    question.position = (last.position if last else 0) + 1
    question.role = Role.OPEN
    pin_source(question, question.checkin.workspace.visions.all())
    question.save()
    return question


UNDELIVERED = (Delivery.PENDING, Delivery.FAILED)  # no working link reached the person
HELD = (Delivery.SENT, Delivery.HANDED_OUT)  # their link reached them: never replaced by sending


@dataclass
class Link:
    invitation: Invitation
    token: str

    @property
    def person(self):
        return self.invitation.person


@dataclass
class Sent:
    """What one send did: how many messages the mail server took, and why each other did not."""

    sent: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # "Name <email>": reason

    def summary(self, noun: str) -> str:
        told = f"Sent {counted(self.sent, noun)}"
        return f"{told}; {len(self.failed)} failed." if self.failed else f"{told}."


def counted(n: int, noun: str) -> str:
    """'1 invitation', '3 invitations'; '1 reminder with a new link', '3 reminders, each with
    a new link'."""
    if n == 1:
        return f"1 {noun}"
    first, _, rest = noun.partition(" with ")
    return f"{n} {first}s, each with {rest}" if rest else f"{n} {noun}s"


def plural(noun: str) -> str:
    """'invitations'; 'reminders with new links'."""
    first, _, rest = noun.partition(" with a ")
    return f"{first}s with {rest}s" if rest else f"{noun}s"


class AnswersImported(ValueError):
    """A check-in whose answers were imported sends no personal links (imported_answers)."""


def imported_answers(checkin: CheckIn) -> int:
    """How many of its answers were imported from another survey tool: all of them when it
    never sent a link, else none. A check-in takes its answers through its personal links or
    from an import, never both: an imported answer is tied to no invitation, so the two would
    count different people, and reminders would go to everyone who answered in the other tool."""
    if checkin.invitations.exists():
        return 0
    return checkin.responses.count()


def sending_refused(checkin: CheckIn) -> str:
    """Why no personal link may be sent for it ('' when links may go out)."""
    imported = imported_answers(checkin)
    if not imported:
        return ""
    answers = "1 answer" if imported == 1 else f"{imported} answers"
    return (
        f"{in_quotes(checkin.title)} holds {answers} imported from another survey tool, so it "
        "sends no personal links: they would ask again, and remind, people who answered there. To "
        "ask people through personal links, create another check-in."
    )


def refuse_if_imported(checkin: CheckIn) -> None:
    if why := sending_refused(checkin):
        raise AnswersImported(why)


def invite_audience(checkin: CheckIn) -> None:
    """A pending invitation for each person in the audience who has none. Its hash is of a
    token nobody is given, so it opens nothing until a link is issued. The first time, the
    check-in records the threshold its links are about to promise (promise_threshold).

    Whom a check-in asked is what the overlaps between check-ins are worked out from
    (checkins.overlaps), and warnings kept with the workspace's figures read it: a round sent to
    people a few apart from a published one's can never be published, and must stop being
    warned of at once. So new invitations come with a new version of the figures."""
    promise_threshold(checkin)
    invited = checkin.invitations.values("person_id")
    with transaction.atomic():
        made = Invitation.objects.bulk_create(
            Invitation(
                checkin=checkin,
                person=person,
                token_hash=token_digest(checkin, "invitation", new_token(checkin)),
            )
            for person in checkin.audience().exclude(pk__in=invited)
        )
        if made:
            bump(checkin.workspace_id)  # bulk writes send no signal


def promise_threshold(checkin: CheckIn) -> None:
    """Record the workspace's threshold on the check-in unless one is recorded: its links say
    answers are "reported only in groups of at least N people", and a later lowering of the
    workspace's threshold must not break that (CheckIn.threshold)."""
    if checkin.promised_threshold is None:
        now = checkin.workspace.anonymity_threshold
        CheckIn.objects.filter(pk=checkin.pk, promised_threshold=None).update(
            promised_threshold=now
        )
        checkin.refresh_from_db(fields=["promised_threshold"])


def reissue(invitation: Invitation) -> str | None:
    """A new token for the invitation, replacing its link; None when another send got there
    first. The update on the old hash is the claim: of two sends that read the same invitation,
    only one mails it (one that reads it while the other is mid-message can still follow)."""
    checkin = invitation.checkin
    token = new_token(checkin)
    digest = token_digest(checkin, "invitation", token)
    claimed = Invitation.objects.filter(pk=invitation.pk, token_hash=invitation.token_hash)
    if not claimed.update(token_hash=digest):
        return None
    invitation.token_hash = digest
    return token


# A reminder goes to a person at most once in this long, and no sooner after their invitation:
# a second click on "Send reminders" sent everyone the same reminder twice within a minute, and
# a click right after "Send invitations" reminded everyone a minute after inviting them.
REMIND_AGAIN_AFTER = timedelta(days=1)


def unanswered(checkin: CheckIn, statuses, quiet_since: datetime | None = None) -> list[Invitation]:
    """The audience's invitations in these states whose person has not answered; with
    `quiet_since`, only those neither invited nor reminded since then."""
    invitations = checkin.invitations.filter(
        person__in=checkin.audience(), responded=False, status__in=statuses
    )
    if quiet_since is not None:
        recently = Q(reminded_at__gte=quiet_since) | Q(sent_at__gte=quiet_since)
        invitations = invitations.exclude(recently)
    found = list(invitations.select_related("person").order_by("pk"))
    for invitation in found:
        invitation.checkin = checkin
    return found


def issue_links(checkin: CheckIn, only_unanswered: bool = False) -> list[Link]:
    """A new personal link for each person in the audience who holds none (new invitations as
    needed); with only_unanswered, for everyone who has not answered, replacing their link.

    Only a hash of each token is stored, so a link can be shown once: when it is issued. A link
    that reached its person is replaced only deliberately (only_unanswered), and only for
    people who have not answered, so no answer is ever cut off from the link that made it.
    """
    invite_audience(checkin)
    statuses = UNDELIVERED + HELD if only_unanswered else UNDELIVERED
    links = (Link(i, reissue(i)) for i in unanswered(checkin, statuses))
    return [link for link in links if link.token is not None]


def hand_out_links(checkin: CheckIn, replacing: bool = False) -> list[Link]:
    """Personal links for an editor to pass on, for everyone who holds none yet; those
    invitations are then HANDED_OUT, so sending never replaces them. Their sent_at is the
    moment they were handed out: a reminder waits a day after it, as after an email.

    With `replacing`, for everyone who has not answered, replacing the link they hold: "Remind
    with new links" where no email reaches anyone. Mailed there, the new links had reached
    nobody but the server's log, and the ones handed out before stopped opening.

    Only for attributed check-ins: whoever holds everyone's link of an anonymous check-in
    could answer as anyone, or open each link and read who wrote what.
    """
    if checkin.anonymous:
        raise ValueError("links of an anonymous check-in are never handed to an editor")
    refuse_if_imported(checkin)
    pin_questions(checkin)
    with transaction.atomic():
        links = issue_links(checkin, only_unanswered=replacing)
        Invitation.objects.filter(pk__in=[link.invitation.pk for link in links]).update(
            status=Delivery.HANDED_OUT, last_error="", sent_at=timezone.now()
        )
    return links


@transaction.atomic
def pin_questions(checkin: CheckIn) -> None:
    """Pin every question's source at once: a check-in's questions are never read against
    sources of two moments."""
    if not checkin.responses.exists():
        # A vision published, or a goal edited, since the questions were written counts until
        # the first answer (truenorth.checkins.sources).
        pin_sources(checkin.questions.all(), Vision, asked_at=timezone.now())


def checkin_url(token: str) -> str:
    """The emailed link. The token follows '#', which browsers never send to a server, so it
    reaches no request line and no access log; the answer page's script posts it instead."""
    return f"{settings.SITE_URL.rstrip('/')}/c/#{token}"


def send_links(checkin: CheckIn, reminder: bool = False, new_links: bool = False) -> Sent:
    """Email people about the check-in, one message each; returns what went out.

    Invitations go to everyone in the audience who holds no link yet (never sent, or failed),
    each with a new link: the old one is known never to have arrived. Reminders go to people
    who hold a link and have not answered.

    A reminder carries no link. Only a hash of each token is kept, so the link a person was
    sent cannot be sent again; a new one would replace it, and then the invitation in their
    inbox would open nothing, which is the surprise a reminder must not bring. It would also
    split them in two if they answered with both: their answers are found by their link alone.
    So the reminder points to the invitation. With new_links, an editor deliberately replaces
    the links of people who lost theirs; the reminder then carries the new one and says the old
    one no longer opens.

    Each person is marked only once the mail server has taken their own message; a refused
    address or a dropped connection is recorded on that invitation and the others still go
    out. Run it after the transaction that chose to send has committed (tasks.send_checkin_links):
    tokens are issued here, in memory, and reach no queue, database or log.
    """
    refuse_if_imported(checkin)
    pin_questions(checkin)
    if not reminder:
        invite_audience(checkin)
    carries_link = not reminder or new_links
    said = Said.of(checkin)  # the same for everyone: counted once, not once a message
    outcome = Sent()
    server_errors: set[str] = set()  # the server's failures, for the log
    refused = 0  # mailboxes the server refused: their answers may quote the address
    # A plain reminder skips whoever was invited or reminded within the last day; new links
    # are asked for.
    quiet = timezone.now() - REMIND_AGAIN_AFTER if reminder and not new_links else None

    def message(invitation: Invitation) -> EmailMessage | None:
        if not carries_link:
            return reminder_email(checkin, invitation, said)
        token = reissue(invitation)  # None: another send is mailing this person
        if token is None:
            return None
        return invitation_email(checkin, Link(invitation, token), reminder, said)

    invitations = unanswered(checkin, HELD if reminder else UNDELIVERED, quiet)
    with closing(send_each(invitations, message)) as sends:  # one connection for all
        for invitation, unsent in sends:
            record(invitation, unsent.error if unsent else "", reminder, carries_link)
            if unsent is None:
                outcome.sent += 1
                continue
            outcome.failed[f"{invitation.person.name} <{invitation.person.email}>"] = unsent.error
            if unsent.refused:
                refused += 1
            else:
                server_errors.add(unsent.error)
    if outcome.failed:
        log_failures(checkin, outcome, reminder, server_errors, refused)
    if outcome.sent and not reminder:
        notify.checkin_opened(checkin)  # the first invitations out: told once, by its key
    return outcome


def log_failures(
    checkin: CheckIn, outcome: Sent, reminder: bool, server_errors: set[str], refused: int
) -> None:
    """A warning in the server's log, as a failed notification gives: the check-in and why,
    never a token or an address. A mailbox's refusal may quote its address, so it is counted
    here, its words left to the check-in's page."""
    tried = outcome.sent + len(outcome.failed)
    why = sorted(server_errors)
    if refused:
        why.append(f"{refused} refused by the mail server (its answers are on the check-in's page)")
    log.warning(
        "Check-in %s %s: %s of %s not sent: %s",
        checkin.pk,
        "reminders" if reminder else "invitations",
        len(outcome.failed),
        tried,
        "; ".join(why),
    )


def record(invitation: Invitation, error: str, reminder: bool, carried_link: bool) -> None:
    """A message's outcome on its invitation. Its status changes only with a message that
    carried a new link: that link now works, or the person holds none."""
    fields = {"attempts": F("attempts") + 1, "last_error": error}
    if carried_link:
        fields["status"] = Delivery.FAILED if error else Delivery.SENT
    if not error:
        fields["reminded_at" if reminder else "sent_at"] = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(**fields)


def delivery(checkin: CheckIn) -> dict:
    """Where the check-in's links stand: how many were sent, handed out, failed (with each
    reason), not sent yet, answered, how many hold a link unanswered, how many a reminder would
    go to now, how many were reminded within REMIND_AGAIN_AFTER and how many others were
    invited within it (no reminder yet for either); `invited`, all but the failed. Counted from
    one grouped query (a few rows), read by the dashboard each time."""
    invitations = checkin.invitations.all()
    counts = dict.fromkeys(
        [
            *Delivery.values,
            *("answered", "holding", "to_remind", "reminded_lately", "invited_lately", "tried"),
        ],
        0,
    )
    since = timezone.now() - REMIND_AGAIN_AFTER
    reminded = Q(reminded_at__gte=since)
    # Who a reminder can go to: someone who left its audience since (moved team, deactivated)
    # is reminded of nothing, and the page had counted them among those a reminder waits for.
    asked = Q(person__in=checkin.audience())
    groups = invitations.values("status", "responded").annotate(
        n=Count("pk"),
        attempted=Count("pk", filter=Q(attempts__gt=0)),
        holding=Count("pk", filter=asked),
        reminded_lately=Count("pk", filter=asked & reminded),
        invited_lately=Count("pk", filter=asked & Q(sent_at__gte=since) & ~reminded),
    )
    for group in groups.order_by():
        status, responded, n = group["status"], group["responded"], group["n"]
        counts[status] += n
        counts["answered"] += n if responded else 0
        if status in HELD and not responded:  # holds a link, and has not answered
            counts["holding"] += group["holding"]
            counts["reminded_lately"] += group["reminded_lately"]
            counts["invited_lately"] += group["invited_lately"]
            lately = group["reminded_lately"] + group["invited_lately"]
            counts["to_remind"] += group["holding"] - lately
        counts["tried"] += n if status == Delivery.HANDED_OUT else group["attempted"]
    counts["invited"] = sum(counts[status] for status in Delivery.values) - counts[Delivery.FAILED]
    failed = invitations.filter(status=Delivery.FAILED).select_related("person")
    counts["failures"] = (
        [(i.person, i.last_error) for i in failed.order_by("person__name")]
        if counts[Delivery.FAILED]  # no query when none failed
        else []
    )
    return counts


def without_link(checkin: CheckIn) -> int:
    """How many people in its audience hold no working link: those a download of the links
    (hand_out_links) would list."""
    held = checkin.invitations.filter(status__in=HELD).values("person_id")
    return checkin.audience().exclude(pk__in=held).count()


def newcomers(checkin: CheckIn) -> int:
    """How many people in its audience hold no invitation yet: they joined it since the
    invitations went out, and "Invite newcomers" would invite them."""
    return checkin.audience().exclude(pk__in=checkin.invitations.values("person_id")).count()


def nobody_due(checkin: CheckIn, reminder: bool, new_links: bool) -> str:
    """Why sending would mail nobody now, in words ('' when it would mail someone): said instead
    of "Sent 0 invitations." by the page, the API and the command line alike."""
    if not reminder:
        undelivered = checkin.invitations.filter(
            person__in=checkin.audience(), responded=False, status__in=UNDELIVERED
        )
        if undelivered.exists() or newcomers(checkin):
            return ""
        if not checkin.audience().exists():
            asked = checkin.audience_words()
            return f"Nobody to invite: nobody in People is in its audience ({asked})."
        return "Nobody new to invite: everyone in its audience was sent their link or handed it."
    counts = delivery(checkin)
    if not counts["holding"]:
        return "Nobody to remind: nobody who holds a link is still to answer."
    if new_links or counts["to_remind"]:
        return ""
    lately = ", ".join(
        f"{counts[key]} {done}"
        for key, done in (("invited_lately", "invited"), ("reminded_lately", "reminded"))
        if counts[key]
    )
    return (
        "Nobody to remind now: everyone who has not answered was invited or reminded within the "
        f"last day ({lately}), and a reminder waits a day after either."
    )


def addresses_changed_after_sending(checkin: CheckIn) -> list[str]:
    """A sentence for each address changed after a link was mailed to it, naming who changed
    it and when. Reminders, and a new link, go to the address People has now: whoever changes
    it could have someone's new link sent to themselves and answer as them, so the check-in's
    readers are told. Said whether or not the person has answered, which it must not tell."""
    mailed_before = checkin.invitations.filter(
        status=Delivery.SENT, person=OuterRef("person"), sent_at__lt=OuterRef("changed_at")
    )
    changes = SettingChange.objects.filter(workspace_id=checkin.workspace_id, setting=ADDRESS)
    changes = changes.filter(Exists(mailed_before)).select_related("person", "changed_by")
    zone = zoneinfo.ZoneInfo(checkin.workspace.time_zone)
    return [
        f"{change.person.name}'s address was changed after their link was mailed, "
        f"{by_whom(change, checkin.workspace)} on "
        f"{date_format(timezone.localtime(change.changed_at, zone), 'DATETIME_FORMAT')}: "
        "reminders now go to the new address, and a new link would stop the one they hold "
        "from opening."
        for change in changes.order_by("changed_at", "pk")
    ]


def by_whom(change: SettingChange, workspace) -> str:
    if change.changed_by is None:
        return "from the command line"
    return f"by {known_as(change.changed_by, workspace)}"


def closing_in_words(checkin: CheckIn) -> str:
    """When the check-in closes, to the minute, in its workspace's time zone and naming it: what
    the person answering reads, wherever they are and whoever sent the message."""
    zone = checkin.workspace.time_zone
    closes = timezone.localtime(checkin.closes_at, zoneinfo.ZoneInfo(zone))
    return f"{date_format(closes, 'DATETIME_FORMAT')} ({zone} time)"


@dataclass
class Said:
    """What every message of one sending says of the check-in: what it asks of whom, and what
    becomes of the answers (each counts the check-in's questions or people)."""

    asks: str
    privacy: str

    @classmethod
    def of(cls, checkin: CheckIn) -> "Said":
        return cls(asks(checkin), privacy(checkin))


def invitation_email(
    checkin: CheckIn, link: Link, reminder: bool, said: Said | None = None
) -> EmailMessage:
    said = said or Said.of(checkin)
    closes = closing_in_words(checkin)
    greeting = f"Hello {link.person.name.split()[0]}," if link.person.name.strip() else "Hello,"
    opening = "A reminder: we would still like to hear from you." if reminder else greeting
    replaces = (
        "\nThis link replaces the one you were sent before, which no longer opens.\n"
        if reminder
        else ""
    )
    body = (
        f"{opening}\n\n{said.asks}\n\n"
        f"Your personal link (you can change your answers until {closes}):\n"
        f"{checkin_url(link.token)}\n{replaces}\n{said.privacy}\n\n{why_sent(checkin)}\n"
    )
    subject = f"{'Reminder: ' if reminder else ''}{checkin.title}"
    sender = checkin.workspace.from_email
    return EmailMessage(subject, body, sender, to=[f"{link.person.name} <{link.person.email}>"])


def why_sent(checkin: CheckIn) -> str:
    """Why the person got an invitation, which no notification choice stops: their
    organisation asks them."""
    return (
        f"You got this because {checkin.workspace.name} asks {checkin.audience_words()}, you "
        f"among them. Questions about it: ask {whom_to_ask(checkin)}."
    )


def whom_to_ask(checkin: CheckIn) -> str:
    """Who runs the check-in, by the name people know them by, and their address."""
    runner = checkin.created_by
    if runner is None or not runner.email:
        return "whoever runs this check-in"
    name = known_as(runner, checkin.workspace)
    return runner.email if name == runner.email else f"{name} ({runner.email})"


def reminder_email(
    checkin: CheckIn, invitation: Invitation, said: Said | None = None
) -> EmailMessage:
    """A reminder without a link: it points to the one the person holds (see send_links)."""
    said = said or Said.of(checkin)
    closes = closing_in_words(checkin)
    if invitation.status == Delivery.SENT and invitation.sent_at:
        zone = zoneinfo.ZoneInfo(checkin.workspace.time_zone)
        sent = date_format(timezone.localtime(invitation.sent_at, zone))
        where = f"the personal link in our invitation email of {sent}, {in_quotes(checkin.title)}"
    else:
        where = "the personal link you were given"
    ask = whom_to_ask(checkin)
    body = (
        f"A reminder: we would still like to hear from you.\n\n{said.asks}\n\n"
        f"Please answer through {where}; it works until {closes}.\n\n"
        "This email carries no link: no copy of your link is kept, so it cannot be sent again. "
        f"If you cannot find it, ask {ask} for a new one.\n\n{said.privacy}\n"
    )
    person = invitation.person
    sender = checkin.workspace.from_email
    return EmailMessage(
        f"Reminder: {checkin.title}", body, sender, to=[f"{person.name} <{person.email}>"]
    )


def asks(checkin: CheckIn) -> str:
    """What the check-in asks, and of whom: "everyone", or "the Platform team" when only it."""
    questions = "a question" if checkin.questions.count() == 1 else "a few questions"
    return (
        f"{checkin.workspace.name} asks {checkin.audience_words()} {questions}: "
        f"{in_quotes(checkin.title)}. Say in your "
        "own words what you heard — there are no wrong answers; the point is to find where we "
        "understand things differently."
    )


def privacy(checkin: CheckIn) -> str:
    from truenorth.checkins.overlaps import never_published_words  # that module imports this one

    if checkin.too_few_asked:
        return checkin.too_few_asked_words()
    if never := never_published_words(checkin):
        return never
    if not checkin.anonymous:
        return "Your answers are attributed to you."
    return (
        "Your answers are anonymous: they are reported only in groups of at least "
        f"{checkin.threshold} people, never with your name."
    )


def invitation_for(token: str) -> Invitation | None:
    """The invitation a personal link's token opens; None for any other text."""
    checkin = CheckIn.objects.filter(pk=token_checkin_id(token)).first()
    if checkin is None:
        return None
    return (
        Invitation.objects.filter(
            checkin=checkin, token_hash=token_digest(checkin, "invitation", token)
        )
        .select_related("checkin__workspace", "person__team")
        .first()
    )


def response_for(checkin: CheckIn, token: str) -> Response | None:
    digest = token_digest(checkin, "response", token)
    return Response.objects.filter(checkin=checkin, key_hash=digest).first()


# Tries of an answer whose write found SQLite's write lock taken for the whole timeout
# (TRUENORTH_SQLITE_TIMEOUT, 20 s): a restore or an import far bigger than usual.
ANSWER_TRIES = 3


def submit_response_when_free(invitation: Invitation, token: str, answers: dict) -> bool:
    """submit_response, tried again while the database stays locked; False if it never came
    free (nothing saved: the page then asks to send the answers again). Trying again is safe:
    a try that failed wrote nothing, and a second save replaces the first."""
    for _ in range(ANSWER_TRIES):
        try:
            submit_response(invitation, token, answers)
            return True
        except OperationalError as error:
            if "database is locked" not in str(error):
                raise
    return False


@transaction.atomic
def submit_response(invitation: Invitation, token: str, answers: dict) -> Response:
    """Save a person's answers ({question: text or value}), replacing their earlier ones."""
    checkin, person = invitation.checkin, invitation.person
    response = response_for(checkin, token) or Response(
        checkin=checkin, key_hash=token_digest(checkin, "response", token)
    )
    response.person = None if checkin.anonymous else person
    response.function = person.function
    response.team = person.team.name if person.team else ""
    save_answers(response, answers)
    answered_in = (response.team, response.function)
    if (
        not invitation.responded
        or (
            invitation.answered_team,
            invitation.answered_function,
        )
        != answered_in
    ):
        invitation.responded = True
        invitation.answered_team, invitation.answered_function = answered_in
        invitation.save(update_fields=["responded", "answered_team", "answered_function"])
    return response


@transaction.atomic
def save_answers(response: Response, answers: dict, at: datetime | None = None) -> Response:
    """Save a response with its answers ({question: text or value}), replacing earlier ones.

    An anonymous check-in's new rows get random ids and no time, so neither the order of rows
    nor a timestamp lines an answer up with a web server's log of who opened their link when
    (even a day would, on a day only one person answered).
    """
    anonymous = response.checkin.anonymous
    response.submitted_at = None if anonymous else (at or timezone.now())
    adding = response._state.adding
    if adding and anonymous:
        response.pk = unused_ids(Response, 1)[0]
    response.save(force_insert=adding)
    kept = {} if adding else {a.question_id: a for a in response.answers.all()}
    new = []
    for question, given in answers.items():
        fields = question.answer_fields(given)
        if question.pk in kept:
            Answer.objects.filter(pk=kept[question.pk].pk).update(**fields)
        else:
            new.append(Answer(response=response, question=question, **fields))
    if anonymous and new:
        for answer, pk in zip(new, unused_ids(Answer, len(new)), strict=True):
            answer.pk = pk
    Answer.objects.bulk_create(new)
    return response


class NotCompanyWide(ValueError):
    """Only a check-in asked of everyone may stand for the company on the dashboard."""


@transaction.atomic
def pin_to_dashboard(checkin: CheckIn, pinned: bool = True) -> None:
    """Make `checkin` the one whose figures the alignment dashboard shows for the company (or,
    with pinned=False, go back to the latest company-wide check-in with results)."""
    if pinned and checkin.template == TERM_QUESTIONS:
        raise NotCompanyWide(
            f"{in_quotes(checkin.title)} asks what glossary terms mean, not the Alignment pulse's "
            "questions: its answers are read on its page and on the terms' pages."
        )
    if pinned and not checkin.company_wide:
        raise NotCompanyWide(
            f"{in_quotes(checkin.title)} asked {checkin.audience_words()} only, so it cannot stand "
            "for the whole company; its figures show in its group's place on the dashboard."
        )
    # Unpin the workspace's other check-in first: the constraint allows one pin per workspace.
    checkin.workspace.checkins.filter(pinned=True).exclude(pk=checkin.pk).update(pinned=False)
    checkin.pinned = pinned
    checkin.save(update_fields=["pinned"])  # the save's signal renews the dashboard's figures
