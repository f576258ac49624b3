"""The demo's "What did you hear?": a decision, its back-brief answered and closed, and the same
question raised again (content.HEARD_*). The back-brief's results are published by the demo
command (cli.build_and_analyze_demo), with the local model, outside the build's transaction."""

from datetime import date, timedelta

from truenorth.checkins.actions import save_answers
from truenorth.checkins.models import Response
from truenorth.decisions import actions, backbrief
from truenorth.decisions.models import Decision
from truenorth.demo import content
from truenorth.workspaces.models import Person, Workspace


def by_local_part(people: dict[str, Person]) -> dict[str, Person]:
    return {email.split("@")[0]: person for email, person in people.items()}


def new_decision(workspace: Workspace, people: dict[str, Person], spec: dict, today: date):
    decision = Decision(
        workspace=workspace,
        raised_on=today - timedelta(days=spec["raised_days_ago"]),
        owner=people[spec["owner"]],
        **{k: spec[k] for k in ("title", "question", "context", "category")},
    )
    decision.options = spec.get("options", [])
    return actions.add_decision(decision)


def build_heard(workspace: Workspace, people: dict[str, Person], today: date) -> Decision:
    """The decision, its closed back-brief with answers, and the question raised again."""
    spec = content.HEARD_DECISION
    decision = new_decision(workspace, people, spec, today)
    decision.deciders.set([people[email] for email in spec["deciders"]])
    local = by_local_part(people)
    decision.informed.set([local[who] for who in content.HEARD_INFORMED])
    decided = today - timedelta(days=spec["decided_days_ago"])
    actions.decide(decision, decided, spec["outcome"], spec["rationale"])
    decision.consequences = spec["consequences"]
    decision.save(update_fields=["consequences"])
    asked = backbrief.create_back_brief(decision)
    checkin = asked.checkin
    days = content.HEARD_BACK_BRIEF
    checkin.opens_at = checkin.opens_at - timedelta(days=days["opened_days_ago"])
    checkin.closes_at = checkin.opens_at + timedelta(days=backbrief.OPEN_DAYS)
    checkin.save(update_fields=["opens_at", "closes_at"])
    question = checkin.questions.get()
    for who, text in content.HEARD_ANSWERS:
        person = local[who]
        response = Response(
            checkin=checkin,
            function=person.function,
            team=person.team.name if person.team else "",
        )
        save_answers(response, {question: text})
        checkin.invitations.filter(person=person).update(
            responded=True,
            status="sent",
            answered_team=response.team,
            answered_function=response.function,
        )
    new_decision(workspace, people, content.HEARD_AGAIN, today)
    return decision
