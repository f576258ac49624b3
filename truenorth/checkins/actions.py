"""Creating check-ins, inviting people, and taking their answers."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from truenorth.checkins.models import (
    Answer,
    CheckIn,
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
from truenorth.strategy.models import Vision

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
def create_alignment_pulse(
    workspace, title, opens_at, closes_at, anonymous=True, by=None, functions=(), teams=()
):
    """A check-in with the default template's five questions, asking the chosen functions and
    teams (everyone when both are empty)."""
    checkin = CheckIn.objects.create(
        workspace=workspace,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        anonymous=anonymous,
        created_by=by,
        audience_functions=list(functions),
    )
    checkin.audience_teams.set(teams)
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


@transaction.atomic
def add_question(question: Question) -> Question:
    """Save a new question after the check-in's last one."""
    last = question.checkin.questions.select_for_update().order_by("-position").first()
    question.position = (last.position if last else 0) + 1
    question.role = Role.OPEN
    pin_source(question, question.checkin.workspace.visions.all())
    question.save()
    return question


@dataclass
class Link:
    person: object
    token: str


def issue_links(checkin: CheckIn, only_unanswered: bool = False) -> list[Link]:
    """A fresh personal link for each person in the audience (new invitations as needed).

    Only a hash of each token is stored, so a link can be shown once: on sending. Re-issuing
    goes only to people who have not answered, whose old link opens nothing yet.
    """
    links = []
    for person in checkin.audience():
        invitation = Invitation.objects.filter(checkin=checkin, person=person).first()
        if invitation and (invitation.responded or not only_unanswered and invitation.sent_at):
            continue
        token = new_token(checkin)
        if invitation is None:
            invitation = Invitation(checkin=checkin, person=person)
        invitation.token_hash = token_digest(checkin, "invitation", token)
        invitation.save()
        links.append(Link(person, token))
    return links


def checkin_url(token: str) -> str:
    """The emailed link. The token follows '#', which browsers never send to a server, so it
    reaches no request line and no access log; the answer page's script posts it instead."""
    return f"{settings.SITE_URL.rstrip('/')}/c/#{token}"


def send_links(checkin: CheckIn, reminder: bool = False) -> int:
    """Email each invitee their personal link; returns how many emails went out."""
    if not checkin.responses.exists():
        # A vision published, or a goal edited, since the questions were written counts until
        # the first answer (truenorth.checkins.sources).
        pin_sources(checkin.questions.all(), Vision)
    links = issue_links(checkin, only_unanswered=reminder)
    messages = [invitation_email(checkin, link, reminder) for link in links]
    if messages:
        get_connection().send_messages(messages)
    stamp = "reminded_at" if reminder else "sent_at"
    Invitation.objects.filter(checkin=checkin, person__in=[link.person for link in links]).update(
        **{stamp: timezone.now()}
    )
    return len(messages)


def invitation_email(checkin: CheckIn, link: Link, reminder: bool) -> EmailMessage:
    closes = timezone.localtime(checkin.closes_at).strftime("%-d %B %Y")
    privacy = (
        "Your answers are anonymous: they are reported only in groups of at least "
        f"{checkin.workspace.anonymity_threshold} people, never with your name."
        if checkin.anonymous
        else "Your answers are attributed to you."
    )
    opening = "A reminder: we would still like to hear from you." if reminder else "Hello,"
    body = (
        f"{opening}\n\n{checkin.workspace.name} asks everyone a few questions: "
        f"“{checkin.title}”. Say in your own words what you heard — there are no wrong answers; "
        "the point is to find where we understand things differently.\n\n"
        f"Your personal link (you can change your answers until {closes}):\n"
        f"{checkin_url(link.token)}\n\n{privacy}\n"
    )
    subject = f"{'Reminder: ' if reminder else ''}{checkin.title}"
    return EmailMessage(subject, body, to=[f"{link.person.name} <{link.person.email}>"])


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
    if not invitation.responded:
        invitation.responded = True
        invitation.save(update_fields=["responded"])
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
