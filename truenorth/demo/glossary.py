"""The demo's glossary (content.GLOSSARY): terms with their canonical definitions and each
function's own, as editors wrote them; and a closed check-in that asked what "customer" means
(content.GLOSSARY_CHECKIN), whose answers show on the term's page per function once an editor
publishes its results."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from truenorth.checkins.actions import save_answers
from truenorth.checkins.models import CheckIn, Invitation, Response, new_token, token_digest
from truenorth.demo import content
from truenorth.glossary.actions import ask_functions, define, save_term
from truenorth.glossary.measure import measure_term
from truenorth.glossary.models import Term
from truenorth.workspaces.models import Person, Workspace

TEMPLATE = "glossary"  # not an Alignment pulse: no pulse's trend compares with it


def build_glossary(workspace: Workspace, people: dict[str, Person], today: date) -> dict:
    terms = {}
    for spec in content.GLOSSARY:
        term = Term(
            workspace=workspace,
            name=spec["name"],
            canonical_definition=spec["canonical"],
            owner=people[spec["owner"]],
        )
        terms[spec["name"]] = save_term(term)
        for function, text in spec["functions"].items():
            define(term, function, text)
    for spec in content.GLOSSARY:  # once every term exists
        terms[spec["name"]].related.set(terms[name] for name in spec["related"])
    build_term_checkin(workspace, people, terms, today)
    for term in terms.values():
        # Measured now, as a term is once a page shows it: the demo opens with its figures, and
        # no first look at the dashboard measures every term, one write after another.
        measure_term(term)
    return terms


def build_term_checkin(workspace, people, terms, today: date) -> CheckIn:
    spec = content.GLOSSARY_CHECKIN
    local = {email.split("@")[0]: person for email, person in people.items()}
    answering = [(local[who], text) for who, text in spec["answers"]]
    # Asked before anyone answered, as an editor would; then dated in the past.
    checkin = CheckIn.objects.create(
        workspace=workspace,
        title=spec["title"],
        template=TEMPLATE,
        audience_functions=sorted({person.function for person, _ in answering}),
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=7),
    )
    question = ask_functions(terms[spec["term"]], checkin).question
    checkin.opens_at = moment(today, spec["opened_days_ago"])
    checkin.closes_at = moment(today, spec["closed_days_ago"])
    checkin.save(update_fields=["opens_at", "closes_at"])
    for person, text in answering:
        team = person.team.name if person.team else ""
        save_answers(
            Response(checkin=checkin, function=person.function, team=team), {question: text}
        )
    answered = {person.pk for person, _ in answering}
    Invitation.objects.bulk_create(
        Invitation(
            checkin=checkin,
            person=person,
            responded=person.pk in answered,
            status="sent",
            token_hash=token_digest(checkin, "invitation", new_token(checkin)),
        )
        for person in checkin.audience()
    )
    return checkin


def moment(today: date, days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10)))
