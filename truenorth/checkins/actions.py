"""Creating check-ins, inviting people, and taking their answers."""

from dataclasses import dataclass

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
    token_digest,
)

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
        Question.objects.create(
            checkin=checkin,
            position=position,
            prompt=prompt,
            role=role,
            kind=kind,
            source_kind=source,
            required=role != Role.COMMENT,
        )
    return checkin


@transaction.atomic
def add_question(question: Question) -> Question:
    """Save a new question after the check-in's last one."""
    last = question.checkin.questions.select_for_update().order_by("-position").first()
    question.position = (last.position if last else 0) + 1
    question.role = Role.OPEN
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
        token = new_token()
        if invitation is None:
            invitation = Invitation(checkin=checkin, person=person)
        invitation.token_hash = token_digest("invitation", token)
        invitation.save()
        links.append(Link(person, token))
    return links


def checkin_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/c/{token}/"


def send_links(checkin: CheckIn, reminder: bool = False) -> int:
    """Email each invitee their personal link; returns how many emails went out."""
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
        "Your answers are anonymous: they are reported only with at least "
        f"{checkin.workspace.anonymity_threshold} others and never with your name."
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
    return (
        Invitation.objects.filter(token_hash=token_digest("invitation", token))
        .select_related("checkin__workspace", "person__team")
        .first()
    )


def response_for(token: str) -> Response | None:
    return Response.objects.filter(key_hash=token_digest("response", token)).first()


@transaction.atomic
def submit_response(invitation: Invitation, token: str, answers: dict) -> Response:
    """Save a person's answers ({question: text or value}), replacing their earlier ones."""
    checkin, person = invitation.checkin, invitation.person
    response = response_for(token) or Response(
        checkin=checkin, key_hash=token_digest("response", token)
    )
    response.person = None if checkin.anonymous else person
    response.function = person.function
    response.team = person.team.name if person.team else ""
    response.submitted_at = timezone.now()
    response.save()
    for question, given in answers.items():
        Answer.objects.update_or_create(
            response=response, question=question, defaults=question.answer_fields(given)
        )
    if not invitation.responded:
        invitation.responded = True
        invitation.save(update_fields=["responded"])
    return response
