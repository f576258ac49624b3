"""Every page makes as many database queries for a large workspace as for a small one: the main
pages on the large demo, and every page of the URL configuration on a workspace with content of
every kind, so that a page added later cannot be left out.

    .venv/bin/pytest tests/test_page_queries.py -s    # prints each page's counts
"""

import csv
import io
from datetime import time, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from truenorth.api.models import ApiToken
from truenorth.checkins.actions import create_alignment_pulse, save_answers
from truenorth.checkins.imports import import_responses
from truenorth.checkins.measure import analyze
from truenorth.checkins.models import Delivery, Invitation, Response, new_token, token_digest
from truenorth.claims.actions import check_claims
from truenorth.claims.models import Claim
from truenorth.decisions import actions as decision_actions
from truenorth.decisions.models import Comment as DecisionComment
from truenorth.decisions.models import Decision
from truenorth.demo import content
from truenorth.demo import pulse as demo_pulse
from truenorth.demo.build import PULSE_FIELDS
from truenorth.demo.claims import CLAIMS
from truenorth.demo.content import DEMO_PASSWORD
from truenorth.demo.large import MAIN_PAGES, OWNER, SLUG, build_large, sizes
from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.models import Kind as FeedbackKind
from truenorth.feedback.models import Source as FeedbackSource
from truenorth.glossary.actions import define, save_term
from truenorth.glossary.measure import measure_term
from truenorth.glossary.models import Term
from truenorth.notifications import unsubscribe
from truenorth.rituals import actions as ritual_actions
from truenorth.rituals import recurrence
from truenorth.rituals.models import CalendarFeed, Ritual
from truenorth.roadmap.actions import save_milestone
from truenorth.roadmap.models import (
    Initiative,
    InitiativeChange,
    InitiativeMilestone,
    RoadmapStatusMapping,
    Status,
    Visibility,
)
from truenorth.strategy.models import Goal, Vision
from truenorth.updates import actions as update_actions
from truenorth.work.actions import (
    accept_suggestions,
    apply_mappings,
    link_work_item,
    reject_suggestions,
)
from truenorth.work.models import (
    ImportRun,
    LinkedBy,
    LinkSuggestion,
    TrackerMapping,
    WorkItem,
    WorkItemChange,
)
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import (
    Function,
    Membership,
    Person,
    Role,
    SettingChange,
    Team,
    WaitingInvitation,
    Workspace,
)


def query_counts(client, scale: float) -> dict[str, tuple[int, int]]:
    """Each page's queries with its figures computed afresh, then read from the cache."""
    workspace = build_large(scale)
    assert client.login(username=OWNER, password=DEMO_PASSWORD)  # building set the password
    cache.clear()
    checkin = workspace.checkins.get()
    counts = {}
    for name, path in MAIN_PAGES.items():
        url = f"/w/{SLUG}/{path.format(checkin=checkin.pk)}"
        with CaptureQueriesContext(connection) as fresh:
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as cached:
            client.get(url)
        counts[name] = (len(fresh), len(cached))
    return counts


def test_no_main_page_makes_more_queries_for_more_rows(db, client):
    small = query_counts(client, 0.01)
    large = query_counts(client, 0.04)
    assert sizes(0.04)["work_items"] == 4 * sizes(0.01)["work_items"]
    assert large == small, (small, large)
    assert max(cached for _, cached in large.values()) <= 12, large


# --- Every page of the URL configuration, on a workspace with content of every kind ---
#
# The workspace below is built at a scale and again at twice that scale: twice the people,
# teams, goals, initiatives (with history and milestones), work items, mappings, suggestions,
# check-ins with their responses, claims, import runs, logins and setting changes. Each page
# the URL configuration names is asked for by the owner (who may see every page and every
# editing control), once with the cache cleared (cold: the figures are computed) and once
# with it filled (warm). A page whose count differs between the two sizes queries per row.

SLUG_EVERY_KIND = "every-kind"
FUNCTIONS = [Function.ENGINEERING, Function.SALES, Function.SUPPORT]
CHECKIN_KINDS = ["links", "attributed", "imported", "open"]
# URL namespaces not asked for, and why. Actions that only take a POST (405 on GET) are
# found by asking, so a page cannot hide among them by mistake.
EXEMPT = {
    "admin": "Django's pages of one object; its lists are asked for (admin_lists)",
    "api": "JSON for programs behind a token, every list a page of at most 200 (docs/api.md)",
}


def build_every_kind(scale: int) -> Workspace:
    """The workspace at `scale` (1, 2 …): every count below is multiplied by it."""
    Workspace.objects.filter(slug__startswith=SLUG_EVERY_KIND).delete()
    workspace = Workspace.objects.create(
        name="Every kind", slug=SLUG_EVERY_KIND, anonymity_threshold=3
    )
    owner = every_kind_logins(workspace, scale)
    teams = every_kind_teams(workspace, scale)
    people = every_kind_people(workspace, teams, 12 * scale)
    for number in range(1, scale + 2):
        Vision.objects.create(
            workspace=workspace,
            number=number,
            created_by=owner,
            created_at=timezone.now(),
            statement=f"Every invoice goes from inbox to paid, version {number}.",
            **{part: f"{part} {number}" for part in Vision.PARTS},
        )
    goals = [
        Goal.objects.create(
            workspace=workspace,
            rank=n + 1,
            why="why",
            why_now="now",
            metric="m",
            target="t",
            period="2027-H1",
            title=goal["title"],
            names=goal["names"],
        )
        for n, goal in enumerate(content.GOALS * scale)
    ]
    initiatives = every_kind_initiatives(workspace, teams, goals, owner, 4 * scale)
    every_kind_work(workspace, teams, goals, initiatives, owner, 20 * scale)
    every_kind_checkins(workspace, people, owner, scale)
    every_kind_claims(workspace, people, owner, 6 * scale)
    every_kind_feedback(workspace, people, 60 * scale)
    every_kind_decisions(workspace, people, goals, initiatives, 3 * scale)
    every_kind_terms(workspace, 2 * scale)
    every_kind_updates(workspace, owner, scale)
    every_kind_rituals(workspace, people, teams, owner, scale)
    for n in range(2 * scale):
        SettingChange.objects.create(
            workspace=workspace,
            setting="name",
            old_value=f"Old {n}",
            new_value=f"New {n}",
            changed_by=owner,
        )
        RoadmapStatusMapping.objects.create(
            workspace=workspace, source_status=f"Stage {n}", status=Status.PLANNED
        )
    for n in range(scale):  # the owner's other workspaces, listed on the home page
        other = Workspace.objects.create(name=f"Other {n}", slug=f"{SLUG_EVERY_KIND}-{n}")
        Membership.objects.create(workspace=other, user=owner, role=Role.VIEWER)
    bump(workspace.pk)  # the rows written in bulk sent no signal
    return workspace


def every_kind_logins(workspace, scale: int):
    """The owner, and logins of every role; one invited, with no password yet."""
    User = get_user_model()
    User.objects.filter(username__startswith="every-").delete()
    # An administrator too, so that the page creating a workspace and the admin's lists open.
    owner = User.objects.create_superuser("every-owner", "owner@every.test", PASSWORD)
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    for n in range(4 * scale):
        role = [Role.EDITOR, Role.MEMBER, Role.VIEWER, Role.PARTNER][n % 4]
        user = User.objects.create_user(f"every-{n}", f"login{n}@every.test", PASSWORD)
        if n == 0:
            user.set_unusable_password()
            user.save()
        Membership.objects.create(workspace=workspace, user=user, role=role)
        WaitingInvitation.objects.create(workspace=workspace, email=f"wait{n}@every.test")
    return owner


def every_kind_teams(workspace, scale: int) -> list[Team]:
    groups = [Team.objects.create(workspace=workspace, name=f"Group {n}") for n in range(scale)]
    teams = [
        Team.objects.create(workspace=workspace, name=f"Squad {n}", parent=groups[n % scale])
        for n in range(3 * scale)
    ]
    Team.objects.create(workspace=workspace, name=f"Old squad {scale}", archived=True)
    return teams


def every_kind_people(workspace, teams, count: int) -> list[Person]:
    people: list[Person] = []
    for n in range(count):
        people.append(
            Person.objects.create(
                workspace=workspace,
                name=f"Person {n:03}",
                email=f"p{n}@every.test",
                function=FUNCTIONS[n % len(FUNCTIONS)],
                team=teams[n % len(teams)],
                manager=people[n // 3] if n else None,
                active=n % 11 != 10,
            )
        )
    # Memberships of the logins made earlier, linked to people.
    for membership, person in zip(workspace.memberships.all(), people, strict=False):
        membership.person = person
        membership.save()
    return people


def every_kind_initiatives(workspace, teams, goals, owner, count: int) -> list[Initiative]:
    """Initiatives of every status and visibility, each with history and two milestones, one of
    which slipped."""
    today = timezone.localdate()
    initiatives = []
    for n in range(count):
        model = content.INITIATIVES[n % len(content.INITIATIVES)]
        initiative = Initiative.objects.create(
            workspace=workspace,
            key=f"EK-{n}",
            title=f"{model['title']} {n}",
            problem=model["problem"],
            goal=goals[n % len(goals)] if n % 4 != 3 else None,
            team=teams[n % len(teams)],
            status=list(Status)[n % len(Status)],
            visibility=list(Visibility)[n % len(Visibility)],
            target_date=today + timedelta(days=30 - 10 * n),
            estimate_weeks=Decimal(4),
        )
        for days in (90, 60, 30):
            InitiativeChange.objects.create(
                initiative=initiative,
                field=InitiativeChange.Field.TARGET_DATE,
                old_value=str(today - timedelta(days=days)),
                new_value=str(initiative.target_date),
                changed_at=timezone.now() - timedelta(days=days),
                changed_by=owner,
            )
        for position, name in enumerate(["Beta", "General availability"], start=1):
            milestone = InitiativeMilestone.objects.create(
                initiative=initiative,
                name=name,
                position=position,
                target_date=today - timedelta(days=10 * position),
            )
            milestone.target_date += timedelta(days=14)
            save_milestone(milestone, by=owner)  # a slip, recorded
        initiatives.append(initiative)
    return initiatives


def every_kind_work(workspace, teams, goals, initiatives, owner, count: int) -> None:
    """Work items linked every way (import, hand, mapping, suggestion) and not at all, with
    history; mappings, pending, accepted and rejected suggestions, and import runs."""
    today = timezone.localdate()
    items = WorkItem.objects.bulk_create(
        WorkItem(
            workspace=workspace,
            external_key=f"EK-{n}",
            title=f"Ticket {n}",
            status="Done",
            points=Decimal(3),
            team=teams[n % len(teams)] if n % 5 else None,
            created_on=today - timedelta(days=n),
            resolved_on=today,
            initiative=initiatives[n // 4 % len(initiatives)] if n % 4 == 0 else None,
            goal=goals[n // 4 % len(goals)] if n % 4 == 1 else None,
            linked_by=LinkedBy.IMPORT if n % 4 < 2 else "",
            project=f"Project {n % 3}",
            parent_key=f"EPIC-{n % 4}",
            labels=[f"label-{n % 5}"],
        )
        for n in range(count)
    )
    WorkItemChange.objects.bulk_create(
        WorkItemChange(
            item=item,
            field="status",
            old_value="To Do",
            new_value="Done",
            changed_at=timezone.now(),
        )
        for item in items
    )
    for n, initiative in enumerate(initiatives):
        TrackerMapping.objects.create(
            workspace=workspace,
            field=TrackerMapping.Field.LABEL,
            value=f"label-{n}",
            initiative=initiative,
        )
    TrackerMapping.objects.create(
        workspace=workspace, field=TrackerMapping.Field.PROJECT, value="Project 2", goal=goals[0]
    )
    apply_mappings(workspace)
    unlinked = list(workspace.work_items.filter(initiative=None, goal=None))
    suggestions = LinkSuggestion.objects.bulk_create(
        LinkSuggestion(item=item, initiative=initiatives[n % len(initiatives)], score=60 + n % 30)
        for n, item in enumerate(unlinked)
    )
    accept_suggestions(suggestions[0::3], by=owner)
    reject_suggestions(suggestions[1::3], by=owner)
    link_work_item(items[-1], goals[-1])  # by hand
    for n in range(2 * len(goals)):
        done = n % 2 == 0
        ImportRun.objects.create(
            workspace=workspace,
            created_by=owner,
            file_name=f"jira-{n}.csv",
            options={"format": "jira"},
            finished_at=timezone.now(),
            state=ImportRun.State.DONE if done else ImportRun.State.FAILED,
            outcome={"created": n, "updated": 1, "changes": 0, "mapped": 0}
            if done
            else {"errors": [{"line": line, "message": "bad"} for line in range(n)]},
        )


def every_kind_checkins(workspace, people, owner, scale: int) -> None:
    """Per scale, four pulses: an anonymous one and an attributed one asking chosen functions,
    answered through their links; one whose answers were imported (no invitations); all three
    closed and published. The fourth is open, its invitations waiting."""
    for n in range(4 * scale):
        kind = CHECKIN_KINDS[n % 4]
        opened = timezone.now() - timedelta(days=100 - 10 * n)
        closes = opened + timedelta(days=200 if kind == "open" else 7)
        chosen = {"functions": FUNCTIONS[:2]} if kind == "attributed" else {}
        checkin = create_alignment_pulse(
            workspace, f"Pulse {n}", opened, closes, kind != "attributed", by=owner, **chosen
        )
        asked = list(checkin.audience().select_related("team"))
        if kind == "imported":
            import_responses(checkin, io.StringIO(answers_csv(asked)))
        else:
            answer_through_links(checkin, asked, answered=kind != "open")
        if kind != "open":
            analyze(checkin)


def answer_through_links(checkin, asked, answered: bool) -> None:
    """Everyone asked answers through their link; or, not answered yet, links in every state
    of delivery (some failed, each with its reason)."""
    states = [Delivery.SENT] if answered else list(Delivery)
    Invitation.objects.bulk_create(
        Invitation(
            checkin=checkin,
            person=person,
            responded=answered,
            token_hash=token_digest(checkin, "invitation", new_token(checkin)),
            status=states[n % len(states)],
            last_error="mailbox full" if states[n % len(states)] == Delivery.FAILED else "",
            attempts=1,
        )
        for n, person in enumerate(asked)
    )
    questions = {q.position: q for q in checkin.questions.all()}
    for n, person in enumerate(asked if answered else []):
        said = demo_pulse.ANSWERS[n % len(demo_pulse.ANSWERS)]
        response = Response(
            checkin=checkin,
            person=None if checkin.anonymous else person,
            function=person.function,
            team=person.team.name,
        )
        given = {questions[p]: said[field] for field, p in PULSE_FIELDS.items()}
        save_answers(response, given, at=checkin.closes_at - timedelta(days=1))


def answers_csv(asked) -> str:
    """The file another survey tool exports: each person's function and team, and answers."""
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["function", "team", "vision", "priorities", "purpose", "direction"])
    for n, person in enumerate(asked):
        said = demo_pulse.ANSWERS[n % len(demo_pulse.ANSWERS)]
        fields = [said[field] for field in ("vision", "priorities", "why_my_work", "direction")]
        rows.writerow([person.function, person.team.name, *fields])
    return out.getvalue()


def every_kind_claims(workspace, people, owner, count: int) -> None:
    """Claims by people and by names, to a few accounts, checked against the roadmap."""
    claims = Claim.objects.bulk_create(
        Claim(
            workspace=workspace,
            said_on=timezone.localdate() - timedelta(days=n),
            account=f"Account {n % 3}",
            said_by=people[n % 4] if n % 5 else None,
            said_by_name="" if n % 5 else "A reseller",
            created_by=owner,
            text=CLAIMS[n % len(CLAIMS)]["text"],
            source=CLAIMS[n % len(CLAIMS)]["source"],
        )
        for n in range(count)
    )
    check_claims(workspace, claims)


def every_kind_feedback(workspace, people, count: int) -> None:
    """Feedback of every source and kind, from a few accounts (more than a page at scale 1),
    heard by people and by no one."""
    FeedbackItem.objects.bulk_create(
        FeedbackItem(
            workspace=workspace,
            source=list(FeedbackSource)[n % len(FeedbackSource)],
            source_key=f"key-{n}",
            kind=list(FeedbackKind)[n % len(FeedbackKind)],
            text=CLAIMS[n % len(CLAIMS)]["text"],
            account=f"Account {n % 7}",
            segment=["Enterprise", "SMB"][n % 2],
            account_value=Decimal(1000 * (n % 7)) if n % 3 else None,
            received_on=timezone.localdate() - timedelta(days=n),
            heard_by=people[n % len(people)] if n % 4 else None,
            competitor="Bill.com" if n % 5 == 0 else "",
        )
        for n in range(count)
    )


def every_kind_terms(workspace, count: int) -> None:
    """Glossary terms, each defined by three functions, related to the one before."""
    previous = []
    for n in range(count):
        term = save_term(
            Term(workspace=workspace, name=f"term {n}", canonical_definition=f"What {n} means."),
            related=previous,
        )
        for function in ("finance", "sales", "support"):
            define(term, function, f"{function.capitalize()} reads term {n} its own way.")
        measure_term(term)  # as the term's page does once it is saved
        previous = [term]


def every_kind_updates(workspace, owner, scale: int) -> None:
    """Per scale, a published update of a past month; then a draft of this month, written."""
    months = [timezone.localdate().replace(day=1)]
    for _ in range(scale):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    for start in months:
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        update = update_actions.open_draft(workspace, start, end, by=owner)
        if start != months[-1]:
            update_actions.publish(update, by=owner)
    update_actions.save_texts(update, "The close got faster; approvals still wait.", "Thanks.")


def every_kind_rituals(workspace, people, teams, owner, scale: int) -> None:
    """A weekly ritual whose attendees are every team (more people at scale), held 3 × scale
    times, each session with notes, attendance, ratings and a decision; and a feed per scale."""
    ritual = ritual_actions.create_ritual(
        Ritual(
            workspace=workspace,
            name="Weekly update",
            kind="weekly_update",
            purpose="Hear what shipped and what slipped.",
            owner=people[0],
            first_date=timezone.localdate() - timedelta(weeks=3 * scale + 2),
            start_time=time(9, 30),
            time_zone="Europe/Berlin",
            rrule="FREQ=WEEKLY;BYDAY=MO",
        ),
        people=people[:scale],
        teams=teams,
        by=owner,
    )
    attendees = ritual_actions.attendees(ritual)
    for n, instant in enumerate(recurrence.previous_starts(ritual, timezone.now(), 3 * scale)):
        row = ritual_actions.occurrence(ritual, instant, create=True)
        ritual_actions.record_notes(row, f"Session {n}.", attendees[n % 2 :])
        for person in attendees[n % 2 :]:
            ritual_actions.rate(
                row, person, (n + person.pk) % 3 != 0, at=instant + timedelta(hours=1)
            )
        ritual_actions.record_decision(row, f"Decision {n}", "Which?", "This one.", by=owner)
    for _ in range(scale):
        CalendarFeed.issue(workspace, people[0], by=owner)


def every_kind_decisions(workspace, people, goals, initiatives, count: int) -> None:
    """Decisions open and decided, each with links, people and comments; one supersedes."""
    made = []
    for n in range(count):
        decision = decision_actions.add_decision(
            Decision(
                workspace=workspace,
                title=f"Decision {n}",
                question=f"Which way, {n}?",
                category=["pricing", "architecture"][n % 2],
                owner=people[n % len(people)],
                raised_on=timezone.localdate()
                - timedelta(days=30 + count - n),  # each one raised after the last
                options=[{"name": "A", "pros": "fast", "cons": "risky"}],
            )
        )
        decision.deciders.set(people[:2])
        decision.informed.set(people[2:5])
        decision.goals.set(goals[:1])
        decision.initiatives.set(initiatives[:2])
        decision.blocks.set(initiatives[n % len(initiatives) :][:1])
        if n % 2:
            decision_actions.decide(decision, timezone.localdate() - timedelta(days=n), "A")
        DecisionComment.objects.bulk_create(
            DecisionComment(decision=decision, author=people[k], text=f"Why {k}?") for k in range(2)
        )
        made.append(decision)
    decision_actions.supersede(made[0], made[-1])


def every_kind_urls(workspace) -> dict[str, str]:
    """A URL for each page of the configuration, named by its pattern; the objects in it are
    the first of their kind, which have more rows behind them at a larger scale. A check-in's
    pages are asked for each kind of check-in: they show different things."""
    first = {
        "number": workspace.visions.order_by("number").first().number,
        "goal_id": workspace.goals.first().pk,
        "initiative_id": workspace.initiatives.order_by("pk").first().pk,
        "item_id": workspace.work_items.first().pk,
        "mapping_id": workspace.tracker_mappings.first().pk,
        "run_id": workspace.import_runs.order_by("pk").first().pk,
        "person_id": workspace.people.first().pk,
        "team_id": workspace.teams.exclude(parent=None).order_by("pk").first().pk,
        "membership_id": workspace.memberships.exclude(role=Role.OWNER).first().pk,
        "waiting_id": workspace.waiting_invitations.first().pk,
        "account": "Account 0",
        "claim_id": workspace.claims.order_by("pk").first().pk,
        "term_id": workspace.terms.order_by("pk").first().pk,
        "feedback_id": workspace.feedback.order_by("pk").first().pk,
        "comment": DecisionComment.objects.filter(decision__workspace=workspace).first().pk,
        # The draft: its page says the most (problems, jargon of every audience).
        "update_number": workspace.updates.filter(published_at=None).get().number,
        "audience": "engineering",
        # The ritual's last session held: notes, ratings, a decision.
        "ritual_number": workspace.rituals.get().number,
        "day": last_session_day(workspace.rituals.get()),
        "feed_id": workspace.calendar_feeds.first().pk,
        "slug": workspace.slug,
        "token_id": ApiToken.issue(workspace.memberships.first().user, "queries")[0].pk,
        "uidb64": "MQ",  # the password links' pages, with a link that is not valid
        "token": "not-a-token",
    }
    checkins = workspace.checkins.order_by("opens_at")
    kinds = {kind: checkins[n].pk for n, kind in enumerate(CHECKIN_KINDS)}
    urls = {}
    for name, pattern in every_pattern(get_resolver().url_patterns):
        unknown = set(pattern.converters) - {*first, "checkin_id"}
        assert not unknown, f"{name}: give every_kind_urls an object for {unknown}"
        kwargs = {key: first.get(key) for key in pattern.converters}
        if "checkin_id" not in kwargs:
            urls[name] = reverse(name, kwargs=kwargs)
        for kind, pk in kinds.items() if "checkin_id" in kwargs else []:
            urls[f"{name} ({kind})"] = reverse(name, kwargs={**kwargs, "checkin_id": pk})
    _, token = CalendarFeed.issue(workspace)  # the workspace's calendar: every ritual in it
    urls["calendar_feed"] = reverse("calendar_feed", args=[token])
    person = workspace.people.first()  # an email's unsubscribe link
    urls["unsubscribe"] = reverse("unsubscribe", args=[unsubscribe.token(person, "decision_made")])
    urls.update(admin_lists())
    ids = {key: first[f"{key}_id"] for key in ("team", "goal", "person", "initiative")}
    for name, queries in FILTERS.items():
        urls.update(
            {f"{name} ?{query}": f"{urls[name]}?{query.format(**ids)}" for query in queries}
        )
    return urls


# The filters of the pages that take them, each asked for too ({team} is the first team …).
FILTERS = {
    "roadmap": ["goal={goal}"],
    "overruns": ["team={team}&goal={goal}", "milestone=beta"],
    "overruns_json": ["milestone=beta"],
    "overruns_csv": ["table=teams", "table=trend&milestone=beta"],
    "work_items": ["link=linked&team={team}", "link=unlinked&team=none"],
    "work_suggestions": ["target=initiative:{initiative}"],
    "work_mappings": ["field=label&value=label-9"],
    "claims": ["person={person}&verdict=committed", "account=Account+1&page=2"],
    "export_claims": ["verdict=no_capability"],
    "person_claims": ["verdict=available"],
    "people": ["status=all&team={team}", "function=sales&status=inactive"],
    "people_json": ["status=all&team={team}"],
    "search": ["q=ticket", "q=person", "q=pulse"],
    "decisions": ["status=proposed&owner={person}", "team={team}&goal={goal}"],
    "decisions_csv": ["status=decided"],
    "search_json": ["q=ticket"],
    "feedback": ["source=field&segment=smb&page=2", "account=account+1&since=2026-01-01"],
    "feedback_json": ["kind=request&page=2"],
    "feedback_csv": ["segment=enterprise"],
}


def last_session_day(ritual) -> str:
    held = recurrence.previous_starts(ritual, timezone.now(), 1)[0]
    return recurrence.local(ritual, held).date().isoformat()


def admin_lists() -> dict[str, str]:
    """The admin's list of each model it shows."""
    return {
        f"admin {model._meta.label}": reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        for model in apps.get_models()
        if admin.site.is_registered(model)
    }


def every_pattern(patterns, prefix=None):
    """(name, pattern) of every named page outside the EXEMPT namespaces."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT:
                continue
            yield from every_pattern(entry.url_patterns, combined(prefix, entry.pattern))
        elif entry.name:
            yield entry.name, combined(prefix, entry.pattern)


class combined:
    """The converters of a path and of the includes above it (all reverse() needs to know)."""

    def __init__(self, outer, inner):
        self.converters = {**(outer.converters if outer else {}), **inner.converters}


def count_every_page(client, scale: int) -> dict[str, tuple[int, int]]:
    """(cold, warm) queries of each page answering GET at `scale`; actions that only take a
    POST are left out."""
    workspace = build_every_kind(scale)
    client.force_login(workspace.memberships.get(role=Role.OWNER).user)
    counts = {}
    for name, url in every_kind_urls(workspace).items():
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        if response.status_code == 405 or name == "setup":  # setup: there is an administrator
            continue
        # 409: an open check-in's report.json, which says the results come at the close.
        assert response.status_code in (200, 409), (name, url, response.status_code)
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        counts[name] = (len(cold), len(warm))
    return counts


def test_no_page_makes_more_queries_for_more_rows(db, client):
    """Every page, cold and warm, at twice the rows makes the same number of queries."""
    small = count_every_page(client, 1)
    large = count_every_page(client, 2)
    print("\nqueries, cold / warm: at scale 1 → at scale 2")
    for name, (cold, warm) in small.items():
        print(f"  {name:44} {cold:4} / {warm:<4} → {large[name][0]:4} / {large[name][1]}")
    growing = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert growing == {}
    assert len(small) >= 40, sorted(small)  # the pages were found
