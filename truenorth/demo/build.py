"""Build the demo workspace from the written content in demo/content.py."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse, save_answers
from truenorth.checkins.models import Invitation, Response, new_token, token_digest
from truenorth.demo import content, pulse
from truenorth.demo.claims import build_claims
from truenorth.demo.decisions import build_decisions, build_reversed, build_routine
from truenorth.demo.feedback import build_feedback
from truenorth.demo.glossary import build_glossary
from truenorth.demo.heard import build_heard
from truenorth.demo.rituals import build_rituals
from truenorth.demo.updates import build_updates
from truenorth.notifications.events import held
from truenorth.roadmap.models import Initiative, InitiativeChange
from truenorth.strategy.models import Goal, GoalMeasurement, Vision
from truenorth.work.actions import apply_mappings, refresh_suggestions
from truenorth.work.models import LinkedBy, TrackerMapping, WorkItem
from truenorth.workspaces.logins import record_role
from truenorth.workspaces.models import Membership, Person, Team, Workspace

SLUG = content.WORKSPACE["slug"]


def days_from(today: date, offset: int | None) -> date | None:
    return None if offset is None else today + timedelta(days=offset)


def moment(today: date, days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10)))


def demo_exists() -> bool:
    return Workspace.objects.filter(slug=SLUG).exists()


@transaction.atomic
@held()  # its notifications are recorded, never sent: its people are made up
def build_demo(fresh: bool = False, today: date | None = None) -> Workspace:
    """The demo workspace, built if missing (or rebuilt when fresh); dates are relative to today."""
    existing = Workspace.objects.filter(slug=SLUG).first()
    if existing and not fresh:
        return existing
    if existing:
        existing.delete()
    today = today or timezone.localdate()
    workspace = Workspace.objects.create(name=content.WORKSPACE["name"], slug=SLUG)
    teams = build_teams(workspace)
    people = build_people(workspace, teams)
    build_logins(workspace, people)
    build_visions(workspace, today)
    goals = {g["rank"]: Goal.objects.create(workspace=workspace, **g) for g in content.GOALS}
    build_goal_measurements(goals, today)
    initiatives = build_initiatives(workspace, teams, goals, today)
    build_work_items(workspace, teams, goals, initiatives, today)
    build_pulses(workspace, people, today)
    build_claims(workspace, today)  # checks them against the roadmap with the local model
    build_feedback(workspace, people, today)  # what customers said over the last year
    build_decisions(workspace, people, goals, initiatives, today)
    build_glossary(workspace, people, today)  # and a check-in that asked what "customer" means
    build_heard(workspace, people, today)  # a decision's back-brief, and the question again
    build_updates(workspace, people, today)  # last month's, published, and this month's draft
    build_rituals(workspace, people, today)  # three weekly sessions held, worth it falling
    build_reversed(workspace, people, goals, initiatives, today)  # after: other numbers stay
    build_routine(workspace, people, goals, initiatives, today)  # two months' decisions, 11–16
    return workspace


def build_goal_measurements(goals: dict[int, Goal], today: date) -> None:
    rows = []
    for rank, m in content.GOAL_MEASUREMENTS.items():
        goal, unit = goals[rank], m["unit"]
        rows += [
            GoalMeasurement(goal=goal, measured_on=today - timedelta(days=ago), value=v, unit=unit)
            for ago, v in m["readings"]
        ]
        on, value = m["target"]
        target_day = date.fromisoformat(on)
        rows.append(
            GoalMeasurement(
                goal=goal, measured_on=target_day, value=value, unit=unit, is_target=True
            )
        )
    GoalMeasurement.objects.bulk_create(rows)


def build_teams(workspace: Workspace) -> dict[str, Team]:
    teams = {
        t["name"]: Team.objects.create(workspace=workspace, name=t["name"]) for t in content.TEAMS
    }
    for t in content.TEAMS:
        if t["parent"]:
            teams[t["name"]].parent = teams[t["parent"]]
            teams[t["name"]].save(update_fields=["parent"])
    return teams


def build_people(workspace: Workspace, teams: dict[str, Team]) -> dict[str, Person]:
    return {
        p["email"]: Person.objects.create(
            workspace=workspace,
            name=p["name"],
            email=p["email"],
            function=p["function"],
            team=teams.get(p["team"]) if p["team"] else None,
            title=p.get("title", ""),
        )
        for p in content.PEOPLE
    }


def build_logins(workspace: Workspace, people: dict[str, Person]) -> None:
    User = get_user_model()
    for login in content.LOGINS:
        user = User.objects.filter(username=login["username"]).first() or User(
            username=login["username"]
        )
        user.email = login["email"]
        user.first_name = people[login["email"]].name.split()[0]
        # Ordinary logins: the owner owns the demo workspace, not the server. An administrator
        # is made on purpose (`truenorth user create --admin`).
        user.is_staff = user.is_superuser = False
        # Demo data, set here directly: the password validators would refuse "demo".
        user.set_password(content.DEMO_PASSWORD)
        user.save()
        member = Membership.objects.create(
            workspace=workspace, user=user, role=login["role"], person=people[login["email"]]
        )
        record_role(member, "", login["role"])  # as any login given access, in the history


def build_visions(workspace: Workspace, today: date) -> None:
    for number, version in enumerate(content.VISION_VERSIONS, start=1):
        fields = {k: v for k, v in version.items() if k != "days_ago"}
        Vision.objects.create(
            workspace=workspace,
            number=number,
            created_at=moment(today, version["days_ago"]),
            **fields,
        )


def build_initiatives(workspace, teams, goals, today: date) -> dict[str, Initiative]:
    initiatives = {}
    for item in content.INITIATIVES:
        initiative = Initiative.objects.create(
            workspace=workspace,
            key=item["key"],
            title=item["title"],
            problem=item["problem"],
            goal=goals.get(item["goal_rank"]),
            team=teams.get(item["team"]),
            status=item["status"],
            visibility=item["visibility"],
            target_date=days_from(today, item["target_days"]),
            actual_date=days_from(today, item["actual_days"]),
            estimate_weeks=Decimal(str(item["estimate_weeks"])),
            spent_weeks=None if item["spent_weeks"] is None else Decimal(str(item["spent_weeks"])),
        )
        InitiativeChange.objects.bulk_create(
            history_row(initiative, change, today) for change in item["history"]
        )
        initiatives[item["key"]] = initiative
    return initiatives


def history_row(initiative: Initiative, change: dict, today: date) -> InitiativeChange:
    old, new = change["old"], change["new"]
    if change["field"] == "target_date":
        old, new = days_from(today, old), days_from(today, new)
    if change["field"] == "estimate_weeks":
        old, new = f"{old:.1f}", f"{new:.1f}"  # as save_initiative writes them
    return InitiativeChange(
        initiative=initiative,
        field=change["field"],
        old_value=str(old or ""),
        new_value=str(new or ""),
        changed_at=moment(today, change["days_ago"]),
    )


def build_work_items(workspace, teams, goals, initiatives, today: date) -> None:
    def linked_in_file(w: dict) -> bool:
        """A tracker's export names no initiative: an item a mapping covers is linked by the
        mapping alone (a mapping leaves a link the file gave)."""
        return not covered_by_a_mapping(w) and bool(w["initiative"] or w["goal_rank"])

    WorkItem.objects.bulk_create(
        WorkItem(
            workspace=workspace,
            source=w["source"],
            external_key=w["key"],
            title=w["title"],
            status=w["status"],
            points=w["points"],
            team=teams.get(w["team"]),
            created_on=today - timedelta(days=w["created_days_ago"]),
            resolved_on=days_from(today, -w["resolved_days_ago"])
            if w["resolved_days_ago"] is not None
            else None,
            initiative=initiatives.get(w["initiative"]) if linked_in_file(w) else None,
            goal=goals.get(w["goal_rank"]) if linked_in_file(w) else None,
            linked_by=LinkedBy.IMPORT if linked_in_file(w) else "",
            project=w["project"],
            parent_key=w["parent_key"],
            labels=w["labels"],
        )
        for w in content.WORK_ITEMS
    )
    # The mappings link the items they cover; the rest gets suggestions.
    for m in content.TRACKER_MAPPINGS:
        target = initiatives[m["initiative"]]
        TrackerMapping.objects.create(
            workspace=workspace, field=m["field"], value=m["value"], initiative=target
        )
    apply_mappings(workspace)
    refresh_suggestions(workspace)


def covered_by_a_mapping(w: dict) -> bool:
    return any(
        w["parent_key"] == m["value"] if m["field"] == "parent" else m["value"] in w["labels"]
        for m in content.TRACKER_MAPPINGS
    )


PULSE_FIELDS = {"vision": 1, "priorities": 2, "why_my_work": 3, "direction": 4, "comment": 5}


def build_pulses(workspace: Workspace, people: dict[str, Person], today: date) -> None:
    """The previous quarter's Alignment pulse and the latest, both closed, with their answers."""
    for meta, answers in (
        (pulse.PREVIOUS_PULSE, pulse.PREVIOUS_ANSWERS),
        (pulse.PULSE, pulse.ANSWERS),
    ):
        opened = moment(today, meta["opened_days_ago"])
        checkin = create_alignment_pulse(
            workspace,
            f"Alignment pulse — Q{(opened.month - 1) // 3 + 1} {opened.year}",
            opened,
            moment(today, meta["closed_days_ago"]),
            anonymous=meta["anonymous"],
        )
        questions = {q.position: q for q in checkin.questions.all()}
        for answer in answers:
            person = people[answer["email"]]
            response = Response(
                checkin=checkin,
                person=None if checkin.anonymous else person,
                function=person.function,
                team=person.team.name if person.team else "",
            )
            given = {questions[position]: answer[field] for field, position in PULSE_FIELDS.items()}
            save_answers(response, given, at=moment(today, meta["closed_days_ago"] + 2))
        answered = {answer["email"] for answer in answers}
        Invitation.objects.bulk_create(
            Invitation(
                checkin=checkin,
                person=person,
                responded=person.email in answered,
                token_hash=token_digest(checkin, "invitation", new_token(checkin)),
            )
            for person in checkin.audience()
        )
