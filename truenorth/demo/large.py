"""A large workspace to measure pages and analyses against: 5,000 people in 60 teams, 300
initiatives with history, 50,000 work items, 2,000 claims and a published pulse of 5,000 answers.

Its words are the demo's (the same vision, goals, initiative problems, ticket titles, claims and
answers), recombined with a fixed seed, so it builds in minutes and reads like a real product
organisation; `scale` shrinks every count for tests. Answers repeat the demo's texts, so the
pulse embeds few distinct texts: it measures pages, not the model.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse, save_answers
from truenorth.checkins.measure import analyze
from truenorth.checkins.models import Invitation, Response, new_token, token_digest
from truenorth.claims.actions import check_claims
from truenorth.claims.models import Claim
from truenorth.demo import content, pulse
from truenorth.demo.build import PULSE_FIELDS, build_visions, moment
from truenorth.demo.claims import CLAIMS
from truenorth.notifications.events import held
from truenorth.roadmap.models import Initiative, InitiativeChange, Status, Visibility
from truenorth.strategy.models import Goal
from truenorth.work.models import LinkedBy, WorkItem
from truenorth.workspaces.models import Function, Membership, Person, Role, Team, Workspace

SLUG = "larkspur-large"
OWNER = "large"  # the owner's login; the password is the demo's
# The main pages speed is measured on (issue #9), under /w/<slug>/.
MAIN_PAGES = {
    "overview": "",
    "roadmap": "roadmap/",
    "overruns": "roadmap/overruns/",
    "work items": "work/",
    "orphans": "work/orphans/",
    "claims": "claims/",
    "check-in dashboard": "checkins/{checkin}/",
    "alignment dashboard": "alignment/",
}
SIZES = {"people": 5000, "teams": 60, "initiatives": 300, "work_items": 50000, "claims": 2000}
FUNCTION_WEIGHTS = {
    Function.ENGINEERING: 45,
    Function.DESIGN: 6,
    Function.PRODUCT: 6,
    Function.SALES: 12,
    Function.MARKETING: 6,
    Function.CUSTOMER_SUCCESS: 8,
    Function.SUPPORT: 9,
    Function.LEADERSHIP: 2,
    Function.OPERATIONS: 3,
    Function.FINANCE: 3,
}
COMMITTED = [Status.COMMITTED, Status.IN_PROGRESS, Status.SHIPPED]


def sizes(scale: float) -> dict[str, int]:
    return {name: max(int(count * scale), 1) for name, count in SIZES.items()}


@transaction.atomic
@held()  # its notifications are recorded, never sent: its people are made up
def build_large(scale: float = 1.0, today: date | None = None, seed: int = 2026) -> Workspace:
    """The large workspace, rebuilt from scratch, with its pulse published."""
    Workspace.objects.filter(slug=SLUG).delete()
    today, rng, count = today or timezone.localdate(), random.Random(seed), sizes(scale)
    workspace = Workspace.objects.create(name="Larkspur at scale", slug=SLUG)
    teams = build_teams(workspace, count["teams"])
    people = build_people(workspace, teams, count["people"], rng)
    build_owner(workspace, people[0])
    build_visions(workspace, today)
    goals = [Goal.objects.create(workspace=workspace, **g) for g in content.GOALS]
    initiatives = build_initiatives(workspace, teams, goals, count["initiatives"], today, rng)
    build_work_items(workspace, teams, initiatives, count["work_items"], today, rng)
    build_claims(workspace, people, count["claims"], today, rng)
    analyze(build_pulse(workspace, people, today, rng))
    return workspace


def build_teams(workspace: Workspace, count: int) -> list[Team]:
    groups = [Team.objects.create(workspace=workspace, name=f"Group {n}") for n in range(1, 7)]
    return [
        Team.objects.create(workspace=workspace, name=f"Squad {n:02}", parent=groups[n % 6])
        for n in range(1, count + 1)
    ]


def build_people(workspace, teams, count, rng) -> list[Person]:
    functions = rng.choices(list(FUNCTION_WEIGHTS), list(FUNCTION_WEIGHTS.values()), k=count)
    return Person.objects.bulk_create(
        Person(
            workspace=workspace,
            name=f"Person {n:04}",
            email=f"p{n:04}@large.larkspur.test",
            function=function,
            team=teams[n % len(teams)],
        )
        for n, function in enumerate(functions)
    )


def build_owner(workspace: Workspace, person: Person) -> None:
    User = get_user_model()
    user = User.objects.filter(username=OWNER).first() or User(username=OWNER)
    user.email = person.email
    user.set_password(content.DEMO_PASSWORD)
    user.save()
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER, person=person)


def build_initiatives(workspace, teams, goals, count, today, rng) -> list[Initiative]:
    """Initiatives cycling through the demo's, each with a team, a status and, once committed,
    a first target date and the slips after it."""
    initiatives, changes = [], []
    for n in range(count):
        model = content.INITIATIVES[n % len(content.INITIATIVES)]
        status = rng.choice(list(Status))
        planned = today + timedelta(days=rng.randint(-300, 200))
        slips = [rng.choice([14, 21, 30]) for _ in range(rng.choice([0, 0, 1, 2]))]
        initiative = Initiative(
            workspace=workspace,
            key=f"L-{n + 1}",
            title=f"{model['title']} ({n // len(content.INITIATIVES) + 1})",
            problem=model["problem"],
            goal=goals[n % len(goals)],
            team=teams[n % len(teams)],
            status=status,
            visibility=rng.choice(list(Visibility)),
            target_date=planned + timedelta(days=sum(slips)),
            actual_date=planned + timedelta(days=sum(slips) + 3)
            if status == Status.SHIPPED
            else None,
            estimate_weeks=Decimal(rng.randint(2, 30)),
        )
        initiatives.append(initiative)
        changes.append((initiative, status, planned, slips))
    Initiative.objects.bulk_create(initiatives)
    InitiativeChange.objects.bulk_create(
        row for args in changes for row in history(*args, today=today)
    )
    return initiatives


def history(initiative, status, planned, slips, today) -> list[InitiativeChange]:
    """A committed initiative's history: committed 200 days ago (to the planned date), then
    one target-date move a month apart for each slip."""
    if status not in COMMITTED:
        return []
    start = moment(today, 200)
    rows = [
        InitiativeChange(
            initiative=initiative,
            field="status",
            old_value=Status.PLANNED,
            new_value=Status.COMMITTED,
            changed_at=start,
        )
    ]
    target = planned
    for n, days in enumerate(slips, start=1):
        rows.append(
            InitiativeChange(
                initiative=initiative,
                field="target_date",
                old_value=str(target),
                new_value=str(target + timedelta(days=days)),
                changed_at=start + timedelta(days=30 * n),
            )
        )
        target += timedelta(days=days)
    return rows


def build_work_items(workspace, teams, initiatives, count, today, rng) -> None:
    """Tickets cycling through the demo's titles, over the last 18 months; 70 % linked."""
    rows = []
    for n in range(count):
        model = content.WORK_ITEMS[n % len(content.WORK_ITEMS)]
        created = today - timedelta(days=rng.randint(0, 540))
        done = rng.random() < 0.6
        initiative = rng.choice(initiatives) if rng.random() < 0.7 else None
        rows.append(
            WorkItem(
                workspace=workspace,
                source=model["source"],
                external_key=f"LG-{n + 1}",
                title=model["title"],
                status="Done" if done else rng.choice(["To Do", "In Progress", "In Review"]),
                points=Decimal(rng.choice([1, 2, 3, 5, 8])),
                team=teams[n % len(teams)],
                created_on=created,
                resolved_on=created + timedelta(days=rng.randint(1, 30)) if done else None,
                initiative=initiative,
                linked_by=LinkedBy.IMPORT if initiative else "",
                project=model["project"],
                labels=model["labels"],
            )
        )
    WorkItem.objects.bulk_create(rows, batch_size=5000)


def build_claims(workspace, people, count, today, rng) -> None:
    sellers = [p for p in people if p.function == Function.SALES] or people
    claims = Claim.objects.bulk_create(
        Claim(
            workspace=workspace,
            said_on=today - timedelta(days=rng.randint(0, 365)),
            account=f"{CLAIMS[n % len(CLAIMS)]['account']} {n // len(CLAIMS) + 1}",
            said_by=rng.choice(sellers),
            text=CLAIMS[n % len(CLAIMS)]["text"],
            source=CLAIMS[n % len(CLAIMS)]["source"],
        )
        for n in range(count)
    )
    check_claims(workspace, claims)


def build_pulse(workspace, people, today, rng):
    """A closed anonymous pulse answered by everyone, with the demo's answers."""
    checkin = create_alignment_pulse(
        workspace, "Alignment pulse — at scale", moment(today, 20), moment(today, 6)
    )
    questions = {q.position: q for q in checkin.questions.all()}
    for person in people:
        answer = rng.choice(pulse.ANSWERS)
        response = Response(checkin=checkin, function=person.function, team=person.team.name)
        given = {questions[position]: answer[field] for field, position in PULSE_FIELDS.items()}
        save_answers(response, given)
    Invitation.objects.bulk_create(
        Invitation(
            checkin=checkin,
            person=person,
            responded=True,
            answered_team=person.team.name,
            answered_function=person.function,
            token_hash=token_digest(checkin, "invitation", new_token(checkin)),
        )
        for person in people
    )
    return checkin
